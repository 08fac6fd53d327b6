"""JupyterLab in a real browser: the one way the browser test and the browser benchmark start and drive it.

Debian's ``chromium`` through Python Playwright (never ``playwright install``). JupyterLab runs with
``--LabApp.expose_app_in_browser=True`` so that the page can wait for the app, the notebook and its kernel
session to be ready and then run every cell through the app's own command: clicking "Run All" as soon as
the kernel looks idle is silently lost in about a third of fresh starts. The lab is started as learners start
it (``autograder.learner.lab``): no news pop-up, no instructor menus.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request

from autograder.learner.lab import lab_command

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

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
# Run code in the notebook's kernel (as a cell would, without a cell) and return what it printed.
KERNEL_EXECUTE = """async (code) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const future = kernel.requestExecute({code, store_history: false});
    let out = "";
    future.onIOPub = msg => {
        if (msg.header.msg_type === "stream") out += msg.content.text;
        if (msg.header.msg_type === "error") out += msg.content.ename + ": " + msg.content.evalue;
    };
    await future.done;
    return out;
}"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(workspace, root):
    """JupyterLab serving ``workspace``, with its config, data and runtime folders under ``root``.

    Yields ``(base_url, token)``; raises ``RuntimeError`` with the server's log if it does not start.
    """
    port, token = free_port(), secrets.token_hex(16)
    command, env = lab_command(workspace, port)          # the learner's lab: the course's own config and settings
    env.update({"OPENBLAS_NUM_THREADS": "1", "JUPYTER_DATA_DIR": str(root / "data"),
                "JUPYTER_RUNTIME_DIR": str(root / "runtime")})
    env.pop("NNCOURSE_FRONTEND", None)
    command += ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
                "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0"]
    log_path = root / "lab.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                    break
                except OSError as error:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"JupyterLab did not start:\n{log_path.read_text()}") from error
                    time.sleep(0.3)
            yield base, token
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


@contextlib.contextmanager
def chromium():
    """Debian's headless Chromium through Playwright; raises ``RuntimeError`` naming what is missing."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError("no Chromium: install Debian's `chromium` package (make system-deps does, as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise RuntimeError("no Python Playwright: it is in the test extra (pip install -e '.[test]')") from error
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def open_and_run(browser, base, token, notebook, viewport=(1400, 1100)):
    """A new page with ``notebook`` open and every cell run; raises ``AssertionError`` with the outputs if not."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.set_default_timeout(60_000)
    page.goto(f"{base}/lab/tree/{notebook}?reset&token={token}")   # reset: not the tabs an earlier page left open
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.sessionContext")
    page.evaluate(RUN_ALL)
    try:
        page.wait_for_function(EXECUTED, polling=250)
    except Exception:
        outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
        raise AssertionError(f"not every cell ran; outputs: {outputs}") from None
    return page


def kernel_execute(page, code):
    """Run ``code`` in the open notebook's kernel; returns what it printed (or the error's name and text)."""
    return page.evaluate(KERNEL_EXECUTE, code)
