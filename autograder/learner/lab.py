"""The learner's JupyterLab: the course's start page first, no instructor tooling, a layout of its own.

``python -m autograder.learner.lab [FOLDER] [--port N] [JupyterLab options]`` (what ``make lab`` ends with, and
the student edition's ``make lab``)
opens JupyterLab on FOLDER's ``welcome.ipynb``, with the course's own Jupyter configuration in
``FOLDER/.nncourse-lab/``: nbgrader's instructor menus, sidebar and server extensions switched off (a student
has no course to create or exchange to reach), no news pop-up over the first notebook, and a workspace
layout and settings of its own instead of whatever ``~/.jupyter`` last saved. As root it adds
``--allow-root``.

``--environment`` instead writes the same choices into this Python environment (Binder's image and the
student edition's postBuild: there the environment is the learner's).
"""

import argparse
import json
import os
import sys
from pathlib import Path

from nncore.i18n import LANGUAGES

START_PAGE = "welcome.ipynb"
STATE = ".nncourse-lab"
NEWS = ("@jupyterlab/apputils-extension", "notification")  # plugin, settings file: fetchNews
NBGRADER_LAB_EXTENSION = "@jupyter/nbgrader"
NBGRADER_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader",
                              "nbgrader.server_extensions.assignment_list",
                              "nbgrader.server_extensions.course_list",
                              "nbgrader.server_extensions.validate_assignment")
# JupyterLab's application-wide setting overrides for learners (written where the environment is theirs).
LAB_OVERRIDES = {f"{NEWS[0]}:{NEWS[1]}": {"fetchNews": "false"}}


def _merge_json(path, data):
    """Write ``data`` into the JSON file at ``path``, keeping what else it holds (one level of merging)."""
    old = json.loads(path.read_text()) if path.is_file() else {}
    merged = {**old, **{k: {**old.get(k, {}), **v} if isinstance(v, dict) else v for k, v in data.items()}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=2))


def _write_config(config_dir):
    """Jupyter configuration without nbgrader's server and lab extensions, in ``config_dir``. A config dir's own
    ``jupyter_server_config.json`` outranks the ``.d`` files (where nbgrader enables itself) next to it."""
    _merge_json(config_dir / "jupyter_server_config.json",
                {"ServerApp": {"jpserver_extensions": dict.fromkeys(NBGRADER_SERVER_EXTENSIONS, False)}})
    _merge_json(config_dir / "labconfig" / "page_config.json", {"disabledExtensions": {NBGRADER_LAB_EXTENSION: True}})


def prepare(folder):
    """The course's own Jupyter state under ``folder/.nncourse-lab``: configuration, settings, workspaces."""
    state = Path(folder).resolve() / STATE
    _write_config(state / "config")
    _merge_json(state / "settings" / NEWS[0] / f"{NEWS[1]}.jupyterlab-settings", {"fetchNews": "false"})
    (state / "workspaces").mkdir(parents=True, exist_ok=True)
    return state


def start_page(folder, lang=None):
    """The start page in ``lang``: ``<lang>/welcome.ipynb`` when the course has that language under ``folder``,
    else ``welcome.ipynb``."""
    return f"{lang}/{START_PAGE}" if lang and (Path(folder) / lang / START_PAGE).is_file() else START_PAGE


def lab_command(folder, port, lang=None):
    """(command, environment) that open JupyterLab on the start page of ``folder`` with the course's state;
    ``lang`` picks the start page's language and the checker's (``NNCOURSE_LANG``)."""
    folder = Path(folder).resolve()
    state = prepare(folder)
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", f"--ServerApp.port={port}",
               f"--LabApp.default_url=/lab/tree/{start_page(folder, lang)}",
               f"--LabApp.user_settings_dir={state / 'settings'}", f"--LabApp.workspaces_dir={state / 'workspaces'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(state / "config")}
    if lang in LANGUAGES:
        env["NNCOURSE_LANG"] = lang
    return command, env


def configure_environment(prefix=sys.prefix):
    """The learner's choices for a whole Python environment (Binder, the student edition): no nbgrader tooling,
    no news pop-up; other settings already there are kept."""
    _write_config(Path(prefix) / "etc" / "jupyter")
    _merge_json(Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json", LAB_OVERRIDES)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.learner.lab", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=".", help="the folder holding welcome.ipynb (default: here)")
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--lang", choices=LANGUAGES, help="the course's language: its start page and the checker's")
    parser.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")
    parser.add_argument("--environment", action="store_true",
                        help="configure this Python environment for learners instead of starting JupyterLab")
    args, jupyter_options = parser.parse_known_args(argv)   # anything else (--ServerApp.ip=…) goes to JupyterLab
    if args.environment:
        return configure_environment()
    command, env = lab_command(args.folder, args.port, args.lang)
    print(f"\nOpening the course: http://localhost:{args.port}/lab/tree/{start_page(args.folder, args.lang)}"
          "\n(JupyterLab prints the same address with its access token below; Ctrl-C stops it.)\n", flush=True)
    os.execve(command[0], command + (["--no-browser"] if args.no_browser else []) + jupyter_options, env)


if __name__ == "__main__":
    main()
