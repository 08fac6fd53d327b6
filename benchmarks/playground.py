"""How fluid is the Playground? Frame time and slider-to-frame time, driven through its real widget callbacks.

A Playground is built with its widgets (no browser needed: ipywidgets run without a kernel) and asked for
frames the way its page does, every ``FRAME_INTERVAL_MS``; every frame trains a chunk of epochs, computes
what the live canvas shows (the boundary as an RGBA grid, the units, the curves, the texts, the rule) and
serializes the widget message the browser would receive. A slider move is a value set on the real slider
widget, whose observer applies it and sends the first new frame. What the browser then does (transfer,
drawing) is measured by ``playground_browser.py``.

"before" is the naive version of the same frame, measured in the same run: the same training chunk, then
the figure cleared and redrawn from scratch with ``contourf`` for the boundary, and saved as PNG. The
static snapshot (``figure.snapshot_png``, what nbconvert shows) is timed too.

    python benchmarks/playground.py            # ~30 s
    python benchmarks/playground.py --frames 60 --quick
"""

import argparse
import io
import os
import statistics
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nncore.plot import CLASS_COLOURS
from nncore.widgets import Playground
from nncore.widgets.figure import snapshot_png
from nncore.widgets.playground import FRAME_INTERVAL_MS


class Clock:
    """Wall-clock and CPU time of a stretch of code; ``Clock.read(start)`` gives ``(wall, cpu)`` seconds."""

    @staticmethod
    def start():
        return time.perf_counter(), time.process_time()

    @staticmethod
    def read(start):
        return time.perf_counter() - start[0], time.process_time() - start[1]


def percentiles(times):
    """(median wall, p95 wall, median CPU) of a list of ``(wall, cpu)`` seconds, in milliseconds."""
    wall, cpu = [t[0] for t in times], [t[1] for t in times]
    return 1000 * statistics.median(wall), 1000 * float(np.percentile(wall, 95)), 1000 * statistics.median(cpu)


def play(pg, frames):
    """Ask ``pg`` for frames as its page does while playing, every ``FRAME_INTERVAL_MS``; returns frame times.

    Each frame is the whole message handler: training, the frame's data and the widget's state, serialized
    (without a kernel, ipywidgets serializes and then has nowhere to send).
    """
    pg.play_button.value = True
    times, interval = [], FRAME_INTERVAL_MS / 1000
    next_tick = time.perf_counter()
    for _ in range(frames):
        time.sleep(max(0.0, next_tick - time.perf_counter()))
        start = Clock.start()
        pg.view._message(pg.view, {"type": "tick"}, [])
        times.append(Clock.read(start))
        next_tick += interval
    pg.play_button.value = False
    return times


def slider_moves(pg, name, values, frames_between=3):
    """Time from setting slider ``name`` to its first new frame having been drawn, while playing."""
    times = []
    pg.play_button.value = True
    for value in values:
        play(pg, frames_between)
        pg.play_button.value = True
        start = Clock.start()
        pg.controls[name].value = value
        times.append(Clock.read(start))
    pg.play_button.value = False
    return times


class NaiveFrame:
    """The "before": every frame clears the figure and redraws it, boundary by ``contourf``, then PNG."""

    def __init__(self, state, resolution=100):
        self.state, self.resolution = state, resolution
        self.fig = Figure(figsize=(10, 4.3), dpi=90)
        self.canvas = FigureCanvasAgg(self.fig)

    def __call__(self):
        s = self.state
        s.advance()
        self.fig.clear()
        ax, cost_ax = self.fig.add_subplot(1, 2, 1), self.fig.add_subplot(2, 2, 2)
        accuracy_ax = self.fig.add_subplot(2, 2, 4)
        x0, x1, y0, y1 = s.extent
        g1, g2 = np.meshgrid(np.linspace(x0, x1, self.resolution), np.linspace(y0, y1, self.resolution))
        P = s.grid(self.resolution)[0][1]                 # P(y = 1)
        ax.contourf(g1, g2, P, levels=20, cmap="RdBu", alpha=0.6)
        for label, colour in enumerate(CLASS_COLOURS):
            ax.scatter(*s.X_train[:, s.Y_train[0] == label], s=16, c=colour)
            ax.scatter(*s.X_dev[:, s.Y_dev[0] == label], s=24, facecolors="none", edgecolors=colour)
        h = s.history
        for name in ("train", "dev"):
            cost_ax.plot(h["epoch"], h[f"{name}_cost"], label=name)
            accuracy_ax.plot(h["epoch"], h[f"{name}_accuracy"], label=name)
        cost_ax.legend(), accuracy_ax.legend()
        ax.set_title(f"epoch {s.epoch}")
        out = io.BytesIO()
        self.canvas.print_png(out)
        return out.getvalue()


def naive_slider(state, frame, values):
    times = []
    for value in values:
        frame()
        start = Clock.start()
        state.update(learning_rate=value)
        frame()
        times.append(Clock.read(start))
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=150, help="frames per measurement (default 150)")
    parser.add_argument("--quick", action="store_true", help="fewer slider moves, for a smoke test")
    args = parser.parse_args()
    moves = 4 if args.quick else 12
    rates = [0.01 * 1.25 ** (k % 4) for k in range(1, moves + 1)]

    pg = Playground(frontend=True)                       # defaults: flower, 2-8-1 tanh, Adam, full batch
    assert pg.widget.children
    c = pg.config
    play(pg, 10)                                         # warm-up
    frame_times = play(pg, args.frames)
    alpha_times = slider_moves(pg, "learning_rate", rates)
    unit_times = slider_moves(pg, "hidden_units", [4 + k % 5 for k in range(1, moves + 1)])
    lambd_times = slider_moves(pg, "lambd", [[0.01, 0.1, 0.0][k % 3] for k in range(moves)])

    naive = NaiveFrame(Playground(frontend=False).state)
    for _ in range(5):
        naive()
    naive_times = []
    for _ in range(max(20, args.frames // 3)):
        start = Clock.start()
        naive()
        naive_times.append(Clock.read(start))
    naive_alpha = naive_slider(naive.state, naive, rates)
    snapshot_times = []
    for _ in range(5):
        start = Clock.start()
        snapshot_png(pg.state, resolution=2 * c["resolution"])
        snapshot_times.append(Clock.read(start))

    print(f"Playground on {c['dataset']} (m = {c['m']}, dev {c['dev_fraction']:.0%}), network "
          f"{[2, *c['hidden_units'], 1]} {c['activation']}, {c['optimizer']}, {c['epochs_per_frame']} epochs per "
          f"frame, {c['resolution']}² grid; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'measurement':44s} {'median ms':>10s} {'p95 ms':>8s} {'CPU ms':>7s} {'target':>8s}")
    rows = [("frame, before (contourf, full redraw, PNG)", naive_times, ""),
            ("frame, after (canvas data, one message)", frame_times, "≤ 50"),
            ("α slider → frame, before", naive_alpha, ""),
            ("α slider → first frame, after", alpha_times, "≤ 150"),
            ("λ slider → first frame, after", lambd_times, "≤ 150"),
            ("units slider (new network) → frame, after", unit_times, "≤ 150"),
            ("static snapshot (matplotlib, PNG)", snapshot_times, "")]
    for label, times, target in rows:
        median, p95, cpu = percentiles(times)
        print(f"{label:44s} {median:10.1f} {p95:8.1f} {cpu:7.1f} {target:>8s}")
    print("ms: wall-clock (median, 95th percentile); CPU ms: this process's CPU time, median — what the frame costs "
          "when it does not wait for a busy machine's cores")


if __name__ == "__main__":
    main()
