"""The Playground's static picture (no live frontend: nbconvert, nbgrader, CI): one matplotlib figure with
the decision boundary and its points, the hidden units and the train/dev curves, drawn once with Agg into
PNG bytes (no pyplot, no GUI backend). The live Playground draws the same frame data in the browser
(``canvas``); both take their colours from ``colours`` and their numbers and words from ``frame``.

Its words are in the learner's language. Chinese needs a font with Chinese characters (Debian's
``fonts-noto-cjk``, or one of ``CJK_FONTS``): matplotlib takes a character DejaVu Sans lacks from it; with
none installed the picture is drawn in English, not as empty boxes.
"""

import contextlib
import functools
import io
from typing import TYPE_CHECKING

import numpy as np
from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from nncore.i18n import in_language, language
from nncore.widgets.colours import PALETTE, boundary_rgba, units_rgba
from nncore.widgets.frame import curve_limits, header_text, settings_text, unit_tiles, words

if TYPE_CHECKING:
    from nncore.widgets.state import PlaygroundState

TRAIN_COLOUR, DEV_COLOUR, MUTED = "#3a3a3a", "#e08214", "#8c8c8c"
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei",
             "PingFang SC", "Hiragino Sans GB", "Heiti SC", "SimHei")


@functools.lru_cache(maxsize=1)
def cjk_fonts() -> tuple:
    """The fonts of ``CJK_FONTS`` that matplotlib finds on this machine (none: ``()``)."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return tuple(name for name in CJK_FONTS if name in installed)


def snapshot_png(state: "PlaygroundState", resolution: int | None = None, width: float = 10.0, height: float = 4.3,
                 dpi: int = 90) -> bytes:
    """The picture of ``state`` as PNG bytes (``width × height`` inches at ``dpi``), in the learner's language."""
    english = language() == "zh" and not cjk_fonts()
    out = io.BytesIO()
    with in_language("en") if english else contextlib.nullcontext(), rc_context(
            {"font.family": ["sans-serif", *cjk_fonts()]}):
        FigureCanvasAgg(snapshot_figure(state, resolution, width, height, dpi)).print_png(out)
    return out.getvalue()


def snapshot_figure(state: "PlaygroundState", resolution: int | None = None, width: float = 10.0,
                    height: float = 4.3, dpi: int = 90) -> Figure:
    """The picture of ``state`` as a matplotlib ``Figure`` (not drawn yet; ``snapshot_png`` draws it)."""
    fig = Figure(figsize=(width, height), dpi=dpi)
    P, units = state.grid(resolution)
    layers = len(units) if state.config["show_units"] else 0
    _boundary(fig.add_axes((0.035, 0.13, 0.37, 0.77)), state, P)
    right = 0.43 + (0.035 + 0.045 * layers if layers else 0.0)
    if layers:
        _units(fig.add_axes((0.445, 0.13, 0.045 * layers, 0.77)), units)
    cost_ax = fig.add_axes((right + 0.045, 0.56, 0.94 - right, 0.34))
    _curves(cost_ax, fig.add_axes((right + 0.045, 0.13, 0.94 - right, 0.34), sharex=cost_ax), state)
    colour = PALETTE[0] if state.diverged else TRAIN_COLOUR
    fig.text(0.035, 0.955, header_text(state), fontsize=12, weight="bold", color=colour)
    fig.text(0.985, 0.955, settings_text(state), fontsize=8.5, color=MUTED, ha="right")
    return fig


def _boundary(ax, state, P):
    """The coloured plane (``colours.boundary_rgba``), filled training points and dev rings, a legend."""
    ax.set_xticks([]), ax.set_yticks([])
    ax.set_xlabel("$x_1$", labelpad=2), ax.set_ylabel("$x_2$", labelpad=2)
    for spine in ax.spines.values():
        spine.set_color("#bbbbbb")
    ax.imshow(boundary_rgba(P), origin="lower", extent=state.extent, aspect="auto", interpolation="bilinear")
    classes = range(state.config["classes"])
    for k in classes:
        ax.scatter(*state.X_train[:, state.labels_train == k], s=16, c=PALETTE[k], edgecolors="white",
                   linewidths=0.5, zorder=3)
        ax.scatter(*state.X_dev[:, state.labels_dev == k], s=24, facecolors="none", edgecolors=PALETTE[k],
                   linewidths=1.3, zorder=3)
    ax.set(xlim=state.extent[:2], ylim=state.extent[2:])
    marker = dict(linestyle="none", markersize=6)
    handles = [Line2D([], [], marker="o", color=PALETTE[k], markeredgecolor="white", **marker) for k in classes]
    handles.append(Line2D([], [], marker="o", markerfacecolor="none", markeredgecolor=MUTED, markeredgewidth=1.3,
                          **marker))
    ax.legend(handles, [f"y = {k}" for k in classes] + [words()["rings"]], loc="upper center", frameon=False,
              bbox_to_anchor=(0.5, -0.06), ncol=len(handles), fontsize=8, handletextpad=0.2, columnspacing=1.0)


def _units(ax, units):
    """Thumbnails of every hidden unit over the plane (``frame.unit_tiles``)."""
    ax.set_axis_off()
    tiles = unit_tiles(units, 32)
    ax.imshow(units_rgba(tiles), origin="lower", interpolation="nearest", aspect="equal")
    ax.set_title(words()["units"], fontsize=8, color=MUTED)


def _curves(cost_ax, accuracy_ax, state):
    """Train and dev cost (top) and accuracy (bottom) against epochs, with the majority-class baseline."""
    h, said = state.history, words()
    x_max, cost_max, accuracy_min = curve_limits(state)
    for ax, what in ((cost_ax, "cost"), (accuracy_ax, "accuracy")):
        for name, colour in (("train", TRAIN_COLOUR), ("dev", DEV_COLOUR)):
            ax.plot(h["epoch"], h[f"{name}_{what}"], color=colour, linewidth=1.6, label=said[name])
        ax.set_ylabel(said[what])
        ax.grid(True, color="#eeeeee", linewidth=0.8)
        ax.tick_params(labelsize=8, color="#bbbbbb")
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
    accuracy_ax.axhline(state.baseline, color=MUTED, linewidth=1, linestyle=":", label=said["majority"])
    cost_ax.set(xlim=(0, x_max), ylim=(0, cost_max))
    accuracy_ax.set_ylim(accuracy_min, 1.0)
    accuracy_ax.set_xlabel(said["epoch"], fontsize=9)
    accuracy_ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    cost_ax.tick_params(labelbottom=False)
    cost_ax.legend(fontsize=8, frameon=False, loc="upper right")
    accuracy_ax.legend(fontsize=8, frameon=False, loc="lower right")
    if not np.isfinite(h["train_cost"][-1]):
        cost_ax.text(0.5, 0.5, said["no_points"], transform=cost_ax.transAxes, ha="center", color=MUTED)
