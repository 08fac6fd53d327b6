"""How fluid is the Playground where students see it? JupyterLab + Debian's Chromium, driven by Playwright.

Opens the playground notebook in real JupyterLab (started exactly as ``tests/test_browser.py`` starts it,
through ``tests/browser_tools.py``), runs every cell, and on the first (default) Playground measures

* **picture updates per second while playing**: the page counts actual changes of the rendered picture
  (on every animation frame: the picture's source changed and the new image is decoded), not ticks of
  the Python timer;
* **slider to picture**: with the Playground paused, focus the α slider's handle, press → (or ←), and
  time from the key event to the first new decoded picture, in the page's own clock.

Over several runs, with the median and the 95th percentile. It also finds where a frame's time goes: the
kernel's parts are timed by wrapping the Playground's own methods in the running kernel (training chunk,
grid evaluation, drawing, encoding, and sending the widget update), the browser's by the page (decoding
the picture) and the gap in between by the two clocks (transfer: kernel done → picture source set in the
page). ``--against REF`` measures the code of a git commit (its ``nncore`` and playground notebook, from
``git archive``) in the same run, runs interleaved, for a before/after side by side.

    python benchmarks/playground_browser.py                    # ~2 min
    python benchmarks/playground_browser.py --against main --runs 5
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from browser_tools import chromium, jupyterlab, kernel_execute, open_and_run  # noqa: E402

NOTEBOOK = Path("course/source/playground/playground.ipynb")

# In the page: count changes of the rendered picture, checked on the animation frame after each update. The
# picture is the live canvas (``.nncore-boundary``: its pixels are compared after each draw) or, in versions
# before it, the image widget (``img.nncore-figure``: a new source, decoded). ``changes`` counts new
# boundaries (pictures per second); ``shown`` counts any change of what the view shows — boundary, curves,
# texts such as "α = 0.013" — which is how a slider move shows (for the image, both are the image). Also
# times key presses, image decoding and canvas drawing.
WATCH = """(root) => {
    const w = window.__nncore = {changes: [], shown: [], decode: [], draw: [], set: [], received: [], key: null};
    const canvas = root.querySelector("canvas.nncore-boundary"), img = root.querySelector("img.nncore-figure");
    const hash = (c, h) => {
        const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < data.length; i += 36) h = (h * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) | 0;
        return h;
    };
    const view = () => {
        const live = root.querySelector(".nncore-figure");
        return [...live.querySelectorAll("canvas")].reduce((h, c) => hash(c, h), 0) + live.textContent;
    };
    let last = canvas ? hash(canvas, 0) : img.src, lastView = canvas ? view() : img.src;
    const changed = () => {
        if (!canvas && !img.complete) return;
        const now = canvas ? hash(canvas, 0) : img.src, nowView = canvas && w.key !== null ? view() : now;
        if (now !== last) { last = now; w.changes.push(performance.now()); }
        if (w.key !== null && nowView !== lastView) { lastView = nowView; w.shown.push(performance.now()); }
    };
    new MutationObserver(() => {
        w.set.push(Date.now());
        if (canvas) {
            w.draw.push(parseFloat(canvas.dataset.drawMs));
            w.received.push(parseFloat(canvas.dataset.received));
            requestAnimationFrame(changed);
        } else {
            const src = img.src, start = performance.now();
            img.decode().then(() => { if (img.src === src) w.decode.push(performance.now() - start); }, () => {});
        }
    }).observe(canvas || img, {attributes: true, attributeFilter: [canvas ? "data-drawn" : "src"]});
    if (!canvas) {
        const poll = () => { changed(); requestAnimationFrame(poll); };
        requestAnimationFrame(poll);
    }
    w.snapshot = () => { lastView = canvas ? view() : img.src; };        // what is on screen before a key press
    root.addEventListener("keydown", () => { w.key = performance.now(); }, true);
}"""

# In the kernel: time the Playground's own functions (those that exist in the version measured). A frame ends
# when the picture widget has sent its new state; the parts called since then belong to it.
INSTRUMENT = """
import time as _time
import nncore.widgets.playground as _module
_pg = playground
_picture = getattr(_pg, "view", None) or _pg.image
_figure = getattr(_pg, "figure", None)
_parts = {"train": (_pg.state, "advance"), "grid": (_pg.state, "grid"), "frame data": (_module, "live_frame"),
          "draw": (_figure, "draw"), "encode": (_figure, "encode"), "send": (_picture, "send_state")}
_log = {"frames": []}
_current = {}
def _timed(name, f):
    def timed(*args, **kwargs):
        start = _time.perf_counter()
        try:
            return f(*args, **kwargs)
        finally:
            _current[name] = _current.get(name, 0.0) + _time.perf_counter() - start
            if name == "send" and "train" in _current:
                _log["frames"].append({**_current, "end": _time.time()})
                _current.clear()
    return timed
for _name, (_obj, _method) in _parts.items():
    if hasattr(_obj, _method):
        setattr(_obj, _method, _timed(_name, getattr(_obj, _method)))
print("instrumented")
"""
KERNEL_LOG = """
import json as _json
print(_json.dumps(_log)); _log["frames"].clear()
"""


class Version:
    """One version of the Playground served by its own JupyterLab, with its page open and its cells run."""

    def __init__(self, name, source, browser, stack, tmp):
        self.name = name
        workspace, root = tmp / name / "workspace", tmp / name / "lab"
        workspace.mkdir(parents=True), root.mkdir()
        shutil.copy(source / NOTEBOOK, workspace / NOTEBOOK.name)
        pythonpath = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = str(source)           # the kernel imports this version's nncore
        try:
            base, token = stack.enter_context(jupyterlab(workspace, root))
        finally:
            os.environ.pop("PYTHONPATH")
            if pythonpath is not None:
                os.environ["PYTHONPATH"] = pythonpath
        self.page = open_and_run(browser, base, token, NOTEBOOK.name)
        self.playground = self.page.locator(".nncore-playground").first
        self.playground.scroll_into_view_if_needed()           # on screen: Run All leaves the notebook at its end
        self.playground.locator(".nncore-figure").wait_for(state="visible")
        self.page.evaluate(WATCH, self.playground.element_handle())
        printed = kernel_execute(self.page, INSTRUMENT)
        assert "instrumented" in printed, printed
        self.alpha = self.playground.locator(".widget-slider", has=self.page.locator(".widget-label", has_text="α"))

    def play(self, seconds, warmup=1.0):
        """Play ``warmup + seconds``; returns (pictures per second, intervals in ms, kernel log, page log)."""
        self.playground.get_by_role("button", name="Play").click()
        self.page.wait_for_timeout(1000 * warmup)
        kernel_execute(self.page, KERNEL_LOG)
        start = self.page.evaluate("() => { const w = window.__nncore; w.set = []; w.decode = []; w.draw = [];"
                                   " w.received = []; return performance.now(); }")
        self.page.wait_for_timeout(1000 * seconds)
        end = self.page.evaluate("() => performance.now()")
        log = json.loads(kernel_execute(self.page, KERNEL_LOG))
        page = self.page.evaluate("() => window.__nncore")
        self.playground.get_by_role("button", name="Pause").click()
        changes = [t for t in page["changes"] if start <= t <= end]
        self.page.wait_for_timeout(500)
        return len(changes) / ((end - start) / 1000), list(np.diff(changes)), log, page

    def slider_moves(self, moves):
        """Latencies (ms) from an α key press to the view's first change on screen, paused, one move at a time."""
        handle = self.alpha.locator(".noUi-handle")
        latencies = []
        for k in range(moves):
            self.page.evaluate("() => { const w = window.__nncore; w.shown = []; w.key = null; w.snapshot(); }")
            handle.focus()
            self.page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
            self.page.wait_for_function("() => window.__nncore.shown.length > 0 && window.__nncore.key !== null",
                                        timeout=10_000)
            w = self.page.evaluate("() => window.__nncore")
            latencies.append(w["shown"][0] - w["key"])
            self.page.wait_for_timeout(300)
        return latencies


def breakdown(log, page):
    """Median ms of each part of a frame: the kernel's parts, the transfer to the page, decoding or drawing there.

    ``grid`` (the network over the plane) is part of ``draw`` (matplotlib) or ``frame data`` (the canvas).
    """
    frames = log["frames"]
    parts = {}
    for name in ("train", "grid", "draw", "encode", "frame data", "send"):
        values = [1000 * f[name] for f in frames if name in f]
        if values:
            parts[name] = statistics.median(values)
    parts["kernel"] = statistics.median(
        1000 * sum(f.get(k, 0) for k in ("train", "draw", "encode", "frame data", "send")) for f in frames)
    ends = sorted(1000 * f["end"] for f in frames)
    arrivals = page["received"] or page["set"]             # the canvas notes arrival; an image only its new source
    transfer = [s - max(e for e in ends if e <= s) for s in arrivals if ends and s >= ends[0]]
    if transfer:
        parts["transfer"] = statistics.median(transfer)
    if page["received"]:
        parts["wait for paint"] = statistics.median(s - r for s, r in zip(page["set"], page["received"]))
    for name in ("decode", "draw"):
        if page[name]:
            parts[f"{name} in page"] = statistics.median(page[name])
    parts["frames/s (kernel)"] = len(frames) / max(1e-9, (ends[-1] - ends[0]) / 1000) if len(ends) > 1 else 0.0
    return parts


def source_of(ref, tmp):
    """The working tree, or ``nncore`` and the playground notebook of git commit ``ref`` unpacked into ``tmp``."""
    if ref is None:
        return REPO
    target = tmp / "source"
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "nncore", str(NOTEBOOK)], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    (target / "data").symlink_to(REPO / "data")
    return target


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per version (default 5)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of playing measured per run")
    parser.add_argument("--moves", type=int, default=8, help="α slider moves per run")
    parser.add_argument("--against", metavar="REF", help="also measure git commit REF, interleaved (before/after)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        tmp = Path(tmp)
        browser = stack.enter_context(chromium())
        versions = []
        if args.against:
            versions.append(Version(f"before ({args.against})", source_of(args.against, tmp), browser, stack, tmp))
        versions.append(Version("this tree" if not args.against else "after", REPO, browser, stack, tmp))
        for v in versions:
            results[v.name] = {"fps": [], "intervals": [], "latency": [], "parts": []}
        for run in range(args.runs):
            for v in versions:
                fps, intervals, log, page = v.play(args.seconds)
                r = results[v.name]
                r["fps"].append(fps)
                r["intervals"] += intervals
                r["parts"].append(breakdown(log, page))
                r["latency"] += v.slider_moves(args.moves)
                print(f"run {run + 1}/{args.runs} {v.name}: {fps:.1f} pictures/s, slider to picture "
                      f"{statistics.median(r['latency'][-args.moves:]):.0f} ms", flush=True)
    report(results, args)


def report(results, args):
    print(f"\nPlayground in JupyterLab + headless Chromium, default network; {args.runs} runs × {args.seconds:g} s "
          f"playing and {args.moves} α moves; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'version':24s} {'pictures/s median':>18s} {'p5':>6s} {'interval p95 ms':>16s} "
          f"{'slider→picture median ms':>25s} {'p95':>6s}")
    for name, r in results.items():
        print(f"{name:24s} {statistics.median(r['fps']):18.1f} {np.percentile(r['fps'], 5):6.1f} "
              f"{np.percentile(r['intervals'], 95):16.1f} {statistics.median(r['latency']):25.1f} "
              f"{np.percentile(r['latency'], 95):6.1f}")
    print("\nwhere a frame's time goes (median ms per frame, median over runs):")
    for name, r in results.items():
        keys = [k for k in r["parts"][0] if all(k in p for p in r["parts"])]
        print(f"  {name}: " + ", ".join(f"{k} {statistics.median(p[k] for p in r['parts']):.1f}" for k in keys))
    last = results[list(results)[-1]]
    print(f"frames per second: {statistics.median(last['fps']):.1f}; "
          f"slider to picture: {statistics.median(last['latency']):.0f} ms")


if __name__ == "__main__":
    main()
