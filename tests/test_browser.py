"""The Playground in a real browser: JupyterLab on the student release, driven by headless Chromium.

JupyterLab and Chromium are started, and the notebook run, by ``browser_tools`` (which the browser
benchmark, ``benchmarks/playground_browser.py``, shares).

Screenshots of the Playground (after it has trained on points loaded from a CSV file, with three classes),
of the backpropagation view and of the Chinese notebook's Playground are saved in the test's output folder and
copied to ``test-artifacts/playground.png``, ``backprop.png`` and ``playground-zh.png`` (ignored by git) for
people to look at.
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
    """JupyterLab serving a temporary copy of the student release; yields its base URL, the token and the folder."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(released_course / "release", root / "workspace")
    try:
        with jupyterlab(root / "workspace", root) as (base, token):
            yield base, token, root / "workspace"
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


def epoch_of(label):
    return int(label.text_content().split()[1].replace(",", ""))


def test_playground_plays_and_answers_its_sliders_in_jupyterlab(lab, browser, tmp_path):
    base, token, _ = lab
    page = open_and_run(browser, base, token, NOTEBOOK)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert not errors.count(), errors.all_inner_texts()

    playground = page.locator(".nncore-playground").first
    playground.wait_for(state="visible")
    playground.scroll_into_view_if_needed()                   # Run All leaves the notebook scrolled to its end
    assert page.locator(".nncore-playground").count() == 3   # the full Playground, three spirals, the classroom one
    boundary = playground.locator("canvas.nncore-boundary")
    epoch, settings = playground.locator(".nncore-epoch"), playground.locator(".nncore-settings")
    page.wait_for_function("el => Number(el.dataset.drawn) > 0", arg=boundary.element_handle())
    assert epoch.text_content().startswith("epoch 0")

    # α: focus the slider's handle and press → (one step of the log slider: ×10^0.1); the view says so.
    alpha = playground.locator(".widget-slider", has=page.locator(".widget-label", has_text="α"))
    readout = alpha.locator(".widget-readout")
    assert readout.inner_text() == "0.01"
    alpha.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    wait_until(lambda: readout.inner_text() == "0.013", 10, f"α readout is {readout.inner_text()!r}")
    wait_until(lambda: "α = 0.0126" in settings.text_content(), 10, f"the view shows {settings.text_content()!r}")

    # Play: the epoch counter runs, the boundary moves, the rule is written out with t counting.
    before = image_of(boundary)
    playground.get_by_role("button", name="Play").click()
    wait_until(lambda: epoch_of(epoch) >= 200, 60, f"the epoch counter did not advance: {epoch.text_content()!r}")
    first = epoch_of(epoch)
    wait_until(lambda: epoch_of(epoch) > first, 10, "training stopped")
    assert image_of(boundary) != before
    assert "update t =" in playground.locator(".nncore-rule").text_content()
    playground.get_by_role("button", name="Pause").click()
    assert playground.locator(".nncore-figure").bounding_box()["width"] >= 800

    # More classes: spirals with K = 3 (a softmax, a third colour), then the rule for another weight.
    playground.locator(".lm-TabBar-tab", has_text="Data").click()
    dataset = playground.locator(".widget-dropdown", has_text="data set").locator("select")
    dataset.select_option(label="spirals")
    wait_until(lambda: epoch.text_content().startswith("epoch 0"), 10, "the spirals did not start a new network")
    classes = playground.locator(".widget-slider", has=page.locator(".widget-label", has_text="classes K"))
    classes.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    wait_until(lambda: "2-8-3" in settings.text_content(), 10, f"not 3 classes: {settings.text_content()!r}")
    assert "y = 2" in playground.locator(".nncore-legend").text_content()

    # Your own data: a green point by a click, then a CSV file, then the rule for W2[1,0].
    playground.get_by_role("button", name="2 green").click()
    box = boundary.bounding_box()
    boundary.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.2})
    wait_until(lambda: dataset.input_value() == "your own points", 10, "a click did not make the data your own")
    csv = tmp_path / "mine.csv"
    rows = [f"{x:.2f},{y:.2f},{k}" for k, (cx, cy) in enumerate([(-1, -1), (1, 1), (1, -1)])
            for x, y in [(cx + 0.3 * i / 7, cy - 0.2 * (i % 3)) for i in range(8)]]
    csv.write_text("x1,x2,label\n" + "\n".join(rows) + "\n")
    with page.expect_file_chooser() as chooser:
        playground.locator(".widget-upload").click()
    chooser.value.set_files(str(csv))
    message = playground.locator(".nncore-message")
    wait_until(lambda: "24 points loaded" in message.text_content(), 10, f"no CSV loaded: {message.text_content()!r}")
    playground.locator(".lm-TabBar-tab", has_text="Training").click()
    playground.locator(".widget-dropdown", has_text="rule for").locator("select").select_option(label="W2[1,0]")
    playground.get_by_role("button", name="Play").click()
    wait_until(lambda: epoch_of(epoch) >= 300, 60, f"no training on your own points: {epoch.text_content()!r}")
    playground.get_by_role("button", name="Pause").click()
    wait_until(lambda: "W2[1,0]" in playground.locator(".nncore-rule").text_content(), 10, "the rule did not follow")
    page.wait_for_timeout(500)
    shot = tmp_path / "playground.png"
    playground.screenshot(path=str(shot))
    ARTIFACT.parent.mkdir(exist_ok=True)
    shutil.copy2(shot, ARTIFACT)

    # Backpropagation: Step through the forward pass; the numbers appear on the nodes.
    backprop = page.locator(".nncore-backprop").first
    backprop.scroll_into_view_if_needed()
    for _ in range(5):
        backprop.get_by_role("button", name="Step").click()
    wait_until(lambda: "step 5 of 6" in backprop.text_content(), 10, "Step did not advance")
    assert "dA[1] = W[2]ᵀ·dZ[2]" in backprop.text_content()
    backprop.screenshot(path=str(tmp_path / "backprop.png"))
    shutil.copy2(tmp_path / "backprop.png", ARTIFACT.with_name("backprop.png"))
    page.close()


def test_playground_in_a_chinese_notebook_is_labelled_in_chinese(lab, browser, tmp_path):
    """JupyterLab tells the kernel its notebook (JPY_SESSION_NAME) and the Chinese notebook's metadata says zh: the
    Playground the kernel builds is labelled in Chinese, and so are the words its page draws (sent by the kernel)."""
    base, token, _ = lab
    page = open_and_run(browser, base, token, f"zh/{NOTEBOOK}")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert not errors.count(), errors.all_inner_texts()
    playground = page.locator(".nncore-playground").first
    playground.wait_for(state="visible")
    playground.scroll_into_view_if_needed()
    boundary, epoch = playground.locator("canvas.nncore-boundary"), playground.locator(".nncore-epoch")
    page.wait_for_function("el => Number(el.dataset.drawn) > 0", arg=boundary.element_handle())
    assert epoch.text_content().startswith("轮次 0")
    tabs = playground.locator(".lm-TabBar-tab")
    assert [tabs.nth(i).text_content().strip() for i in range(tabs.count())] == ["数据", "网络", "训练"]
    assert "点击添加一个点" in playground.locator(".nncore-legend").text_content()
    assert playground.locator(".nncore-units-title").text_content() == "隐藏单元"
    playground.get_by_role("button", name="单步").click()
    wait_until(lambda: epoch.text_content().startswith("轮次 10"), 10, f"Step did not train: {epoch.text_content()!r}")
    assert "准确率：训练集" in epoch.text_content()
    assert "第 t = 10 次更新" in playground.locator(".nncore-rule").text_content()
    page.wait_for_timeout(300)
    shot = tmp_path / "playground-zh.png"
    playground.screenshot(path=str(shot))
    ARTIFACT.parent.mkdir(exist_ok=True)
    shutil.copy2(shot, ARTIFACT.with_name(shot.name))
    backprop = page.locator(".nncore-backprop").first
    backprop.scroll_into_view_if_needed()
    backprop.get_by_role("button", name="单步").click()
    wait_until(lambda: "第 1 步（共 6 步）：正向传播，第 1 层" in backprop.text_content(), 10, "单步 did not advance")
    page.close()


FAILING_CHECK = [
    "from autograder.learner.exercises.logistic_regression import check",
    "def sigmoid(z):\n    return 1 / (1 + np.exp(z))   # a sign error\n\nimport numpy as np",
    'check("sigmoid", sigmoid)',
]


def _failing_check_notebook(folder, name, language=None):
    """A learner's notebook whose last cell is a failing check (in ``language``'s notebook metadata)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    nb = new_notebook(cells=[new_code_cell(source) for source in FAILING_CHECK])
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    if language:
        nb.metadata["nncourse"] = {"language": language}
    nbformat.write(nb, folder / name)
    return name


@pytest.mark.parametrize("language, words", [("en", "sigmoid is not right yet"), ("zh", "sigmoid 还不对")])
def test_a_failing_check_shows_the_report_and_no_traceback_into_the_checker(lab, browser, tmp_path, language, words):
    """What a learner sees under a failing check: the checker's report (in their notebook's language), styled,
    and not a line of the checker's own source."""
    base, token, workspace = lab
    name = _failing_check_notebook(workspace, f"failing-{language}.ipynb", language if language != "en" else None)
    page = open_and_run(browser, base, token, name)
    error = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").last
    text = error.inner_text()
    assert words in text and "❌" in text
    assert "Traceback" not in text and "check.py" not in text and "CheckFailure" not in text
    error.scroll_into_view_if_needed()
    shot = tmp_path / f"failing-check-{language}.png"
    page.screenshot(path=str(shot))
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    shutil.copy(shot, REPO / "test-artifacts" / shot.name)
    page.close()
