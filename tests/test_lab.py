"""The learner's JupyterLab (``make lab``, the student edition, Binder): the start page first, no instructor
tooling, a layout of its own. The server is started for real with the course's command."""

import json
import os
import sys

import pytest

from autograder.learner import lab
from course_tools import REPO, free_port, http_get, lab_server, landing_page, page_config


def test_configure_environment_switches_off_nbgrader_and_the_news_and_keeps_other_settings(tmp_path):
    overrides = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True)
    overrides.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    lab.configure_environment(tmp_path)
    settings = json.loads(overrides.read_text())
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false"}
    assert settings["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    server = json.loads((tmp_path / "etc" / "jupyter" / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"] == dict.fromkeys(lab.NBGRADER_SERVER_EXTENSIONS, False)
    page = json.loads((tmp_path / "etc" / "jupyter" / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {"@jupyter/nbgrader": True}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The learner's lab on a folder holding the start page; yields (base URL, token, folder, log path)."""
    folder = tmp_path_factory.mktemp("workspace")
    (folder / lab.START_PAGE).write_bytes((REPO / "course" / lab.START_PAGE).read_bytes())
    port = free_port()
    command, env = lab.lab_command(folder, port)
    with lab_server(command, env, port, folder.parent / "lab.log") as (base, token):
        yield base, token, folder, folder.parent / "lab.log"


def test_the_learners_lab_opens_the_start_page_with_no_instructor_tooling(served):
    base, token, folder, log = served
    config = page_config(base, token)
    assert "@jupyter/nbgrader" in config["disabledExtensions"]          # no Nbgrader menu, no Create Assignment
    assert landing_page(base, token) == f"/lab/tree/{lab.START_PAGE}"   # where the printed address leads
    assert config["workspacesDir"] == str(folder / lab.STATE / "workspaces")   # not ~/.jupyter's last layout
    assert http_get(f"{base}/formgrader?token={token}")[0] == 404           # nbgrader's server extensions are off
    assert "nbgrader" not in log.read_text().lower()                    # … and log nothing ("No nbgrader_config.py")


def test_the_learners_lab_has_no_news_popup(served):
    base, token, _, _ = served
    status, body = http_get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}")
    assert status == 200 and json.loads(body)["settings"]["fetchNews"] == "false"


def test_the_learners_lab_command_says_allow_root_only_as_root(tmp_path):
    command, env = lab.lab_command(tmp_path, 9999)
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert env["JUPYTER_CONFIG_DIR"] == str(tmp_path.resolve() / lab.STATE / "config")
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
