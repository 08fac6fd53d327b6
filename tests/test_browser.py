"""The Playground in a real browser: JupyterLab on the student release, driven by headless Chromium.

JupyterLab and Chromium are started, and the notebook run, by ``browser_tools`` (which the browser
benchmark, ``benchmarks/playground_browser.py``, shares).

The screenshot of the Playground is saved in the test's output folder and copied to
``test-artifacts/playground.png`` (ignored by git) for people to look at.
"""

import shutil
import time

import pytest

from browser_tools import chromium, jupyterlab, open_and_run
from course_tools import REPO

pytestmark = pytest.mark.xdist_group("browser")

NOTEBOOK = "playground/playground.ipynb"
ARTIFACT = REPO / "test-artifacts" / "playground.png"


@pytest.fixture(scope="module")
def browser():
    pytest.importorskip("playwright.sync_api", reason="Python Playwright is in the test extra")
    try:
        with chromium() as browser:
            yield browser
    except RuntimeError as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def lab(released_course, tmp_path_factory):
    """JupyterLab serving a temporary copy of the student release; yields its base URL with the token."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(released_course / "release", root / "workspace")
    try:
        with jupyterlab(root / "workspace", root) as served:
            yield served
    except RuntimeError as failed:
        pytest.fail(str(failed))


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
    page = open_and_run(browser, base, token, NOTEBOOK)
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
