"""The Playground in a real browser: JupyterLab on the student release, driven by headless Chromium.

Debian's ``chromium`` through Python Playwright (never ``playwright install``). JupyterLab runs with
``--LabApp.expose_app_in_browser=True`` so the test can wait for the app, the notebook and its kernel
session to be ready and then run every cell through the app's own command: clicking "Run All" as soon
as the kernel looks idle is silently lost in about a third of fresh starts.

The screenshot of the Playground is saved in the test's output folder and copied to
``test-artifacts/playground.png`` (ignored by git) for people to look at.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from autograder.publishing.lab import write_lab_overrides
from course_tools import REPO

pytestmark = pytest.mark.xdist_group("browser")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
NOTEBOOK = "playground/playground.ipynb"
ARTIFACT = REPO / "test-artifacts" / "playground.png"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("no Chromium: install Debian's `chromium` package (make system-deps does, as root)")
    playwright = pytest.importorskip("playwright.sync_api", reason="Python Playwright is in the test extra")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def lab(released_course, tmp_path_factory):
    """JupyterLab serving a temporary copy of the student release; yields its base URL with the token."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(released_course / "release", root / "workspace")
    write_lab_overrides()                                # no news pop-up over the notebook
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "JUPYTER_CONFIG_DIR": str(root / "config"),
           "JUPYTER_DATA_DIR": str(root / "data"), "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces")}
    env.pop("NNCOURSE_FRONTEND", None)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.root_dir={root / 'workspace'}",
               f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
               "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(root / "lab.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(root / 'lab.log').read_text()}")
                time.sleep(0.3)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


RUN_ALL = """async () => {
    const app = window.jupyterapp;
    await app.restored;
    const panel = app.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
    await app.commands.execute("notebook:run-all-cells");
}"""
EXECUTED = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = panel.content.widgets.filter(c => c.model.type === "code");
    return panel.sessionContext.session.kernel.status === "idle" && cells.every(c => c.model.executionCount);
}"""


def image_of(locator):
    """The pixels of an element, as PNG bytes."""
    return locator.screenshot(animations="disabled")


def wait_until(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def test_playground_plays_and_answers_its_sliders_in_jupyterlab(lab, browser, tmp_path):
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.set_default_timeout(60_000)
    page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.sessionContext")
    page.evaluate(RUN_ALL)
    try:
        page.wait_for_function(EXECUTED, polling=250)
    except Exception:
        outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
        raise AssertionError(f"not every cell ran; outputs: {outputs}") from None
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert not errors.count(), errors.all_inner_texts()

    playground = page.locator(".nncore-playground").first
    playground.wait_for(state="visible")
    assert page.locator(".nncore-playground").count() == 2        # the full Playground and the classroom one
    figure = playground.locator(".nncore-figure")
    epoch = playground.locator(".nncore-epoch")
    page.wait_for_function("el => el.naturalWidth > 0", arg=figure.element_handle())
    assert epoch.inner_text().startswith("epoch 0")

    # α: focus the slider's handle and press → (one step of the log slider: ×10^0.1).
    alpha = playground.locator(".widget-slider", has=page.locator(".widget-label", has_text="α"))
    readout = alpha.locator(".widget-readout")
    assert readout.inner_text() == "0.01"
    before = image_of(figure)
    alpha.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    wait_until(lambda: readout.inner_text() == "0.013", 10, f"α readout is {readout.inner_text()!r}")
    wait_until(lambda: image_of(figure) != before, 10, "the picture did not change after α moved")

    # Play: the epoch counter runs and the decision boundary moves.
    before = image_of(figure)
    playground.get_by_role("button", name="Play").click()
    wait_until(lambda: int(epoch.inner_text().split()[1].replace(",", "")) >= 200, 60,
               f"the epoch counter did not advance: {epoch.inner_text()!r}")
    first = int(epoch.inner_text().split()[1].replace(",", ""))
    wait_until(lambda: int(epoch.inner_text().split()[1].replace(",", "")) > first, 10, "training stopped")
    after = image_of(figure)
    assert after != before
    boundary = playground.locator(".nncore-figure")
    assert boundary.bounding_box()["width"] >= 800

    playground.get_by_role("button", name="Pause").click()
    page.wait_for_timeout(500)
    shot = tmp_path / "playground.png"
    playground.screenshot(path=str(shot))
    ARTIFACT.parent.mkdir(exist_ok=True)
    shutil.copy2(shot, ARTIFACT)
    page.screenshot(path=str(tmp_path / "page.png"), full_page=False)
    shutil.copy2(tmp_path / "page.png", ARTIFACT.with_name("playground-page.png"))
    page.close()
