"""``nncourse``: the course's command line.

  nncourse release   build every assignment's student version into course/release (fails on any leak)
  nncourse release --edition DIR
                     ... and write the self-contained student edition into DIR (see autograder/edition.py)
  nncourse lab       copy the student versions into your workspace and open JupyterLab on the start page
"""

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from autograder.course import find_course
from autograder.release import START_PAGE, release


def sync_workspace(release_dir, workspace):
    """Copy every student file that the workspace does not have yet; never overwrite a learner's work."""
    for path in sorted(Path(release_dir).rglob("*")):
        target = Path(workspace) / path.relative_to(release_dir)
        if path.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            print(f"new in your workspace: {target}")


# JupyterLab settings for learners: no "would you like news?" pop-up over the first notebook.
LAB_OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}


def write_lab_overrides(prefix=sys.prefix):
    """Install the course's JupyterLab setting overrides into this environment (kept if already there)."""
    path = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(LAB_OVERRIDES, indent=2))


def lab_command(workspace, port):
    """The JupyterLab command line that opens the start page of ``workspace``."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={workspace}",
               f"--LabApp.default_url=/lab/tree/{START_PAGE}", f"--ServerApp.port={port}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def cmd_release(args):
    course = find_course(args.course)
    release(course)
    if args.edition:
        from autograder.edition import write_edition

        write_edition(course, args.edition, repository=args.repository)


def cmd_lab(args):
    course = find_course(args.course)
    if not (course / "release" / START_PAGE).exists():
        release(course)
    workspace = Path(args.workspace).resolve()
    sync_workspace(course / "release", workspace)
    write_lab_overrides()
    print(f"\nOpening the course: http://localhost:{args.port}/lab/tree/{START_PAGE}"
          f"\n(JupyterLab prints the same address with its access token below; Ctrl-C stops it.)\n", flush=True)
    command = lab_command(workspace, args.port) + (["--no-browser"] if args.no_browser else [])
    os.execv(command[0], command)


def build_parser():
    parser = argparse.ArgumentParser(prog="nncourse", description="Run and grade the nncourse deep-learning course.")
    parser.add_argument("--course", help="the course folder (default: the current folder if it holds "
                                         "nbgrader_config.py, else this checkout's course/)")
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="generate the student versions into COURSE/release and check them for leaks")
    rel.add_argument("--edition", metavar="DIR",
                     help="also write the self-contained student edition (no solutions, hidden tests or "
                          "instructor files) into DIR, ready to publish as its own repository")
    rel.add_argument("--repository", metavar="OWNER/NAME", default="OWNER/REPOSITORY",
                     help="the GitHub repository the edition will be published as (for its Binder badge)")
    rel.set_defaults(run=cmd_release)
    lab = sub.add_parser("lab", help="open the course in JupyterLab (student versions, in your workspace)")
    lab.add_argument("--workspace", default="workspace",
                     help="your own copies of the notebooks; existing files are never overwritten (default: ./workspace)")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")
    lab.set_defaults(run=cmd_lab)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.run(args)
