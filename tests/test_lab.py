"""The learner's JupyterLab (``make lab``, the student edition, Binder): the start page first, no instructor
tooling, a layout of its own. The server is started for real with the course's command."""

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from autograder.learner import lab
from course_tools import REPO


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


def _free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except urllib.error.URLError:  # not listening yet
        return 0, ""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The learner's lab on a folder holding the start page; yields (base URL, token, folder, log path)."""
    folder = tmp_path_factory.mktemp("workspace")
    (folder / lab.START_PAGE).write_bytes((REPO / "course" / lab.START_PAGE).read_bytes())
    port, token = _free_port(), secrets.token_hex(8)
    command, env = lab.lab_command(folder, port)
    log = folder.parent / "lab.log"
    with open(log, "w") as out:
        server = subprocess.Popen([*command, "--no-browser", f"--IdentityProvider.token={token}",
                                   "--ServerApp.ip=127.0.0.1"], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while _get(f"{base}/api/status?token={token}")[0] != 200:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        yield base, token, folder, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_learners_lab_opens_the_start_page_with_no_instructor_tooling(served):
    base, token, folder, log = served
    status, page = _get(f"{base}/lab?token={token}")
    assert status == 200
    config = json.loads(re.search(r'id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)[1])
    assert "@jupyter/nbgrader" in config["disabledExtensions"]          # no Nbgrader menu, no Create Assignment
    with urllib.request.urlopen(f"{base}/?token={token}", timeout=10) as response:   # where the address leads
        assert response.url.split("?")[0] == f"{base}/lab/tree/{lab.START_PAGE}"
    assert config["workspacesDir"] == str(folder / lab.STATE / "workspaces")   # not ~/.jupyter's last layout
    assert _get(f"{base}/formgrader?token={token}")[0] == 404           # nbgrader's server extensions are off
    assert "nbgrader" not in log.read_text().lower()                    # … and log nothing ("No nbgrader_config.py")


def test_the_learners_lab_has_no_news_popup(served):
    base, token, _, _ = served
    status, body = _get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}")
    assert status == 200 and json.loads(body)["settings"]["fetchNews"] == "false"


def test_the_learners_lab_command_says_allow_root_only_as_root(tmp_path):
    command, env = lab.lab_command(tmp_path, 9999)
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert env["JUPYTER_CONFIG_DIR"] == str(tmp_path.resolve() / lab.STATE / "config")
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
