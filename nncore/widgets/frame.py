"""What one frame of the Playground shows, as plain data: the coloured boundary, the hidden units, the
curves and their axes' limits, the texts (in the learner's language). Both pictures draw from here: the live
canvas (``canvas``), which receives these arrays and draws them in the browser, and the static matplotlib
snapshot (``figure``).
"""

import math
from typing import TYPE_CHECKING

import numpy as np

from nncore.i18n import _
from nncore.widgets.colours import boundary_rgba, units_rgba
from nncore.widgets.controls import choice_names
from nncore.widgets.rule import rule_html

if TYPE_CHECKING:
    from nncore.widgets.state import PlaygroundState

MAX_UNITS_SHOWN = 8          # thumbnails per hidden layer
MAX_CURVE_POINTS = 400       # curves are thinned to this many points before they are sent to the browser
CURVES = ("train_cost", "dev_cost", "train_accuracy", "dev_accuracy")


def unit_tiles(units: list, size: int) -> np.ndarray:
    """Hidden-unit activations tiled into one image ``(rows·(size+1), layers·(size+1))``.

    Column l shows hidden layer l, top to bottom its first ``MAX_UNITS_SHOWN`` units, each scaled by its
    largest |activation| into [−1, 1] and subsampled to about ``size × size``; gaps are NaN. Row 0 is the
    bottom (``origin="lower"``).
    """
    rows = max(min(len(a), MAX_UNITS_SHOWN) for a in units)
    step = max(1, units[0].shape[-1] // size)
    cell = units[0][0, ::step, ::step].shape[0]
    tiles = np.full((rows * (cell + 1), len(units) * (cell + 1)), np.nan)
    for l, layer in enumerate(units):
        for j, a in enumerate(layer[:MAX_UNITS_SHOWN]):
            a = a[::step, ::step]
            peak = np.nanmax(np.abs(a))
            top = (rows - 1 - j) * (cell + 1)                  # origin="lower": first unit at the top
            tiles[top:top + cell, l * (cell + 1):l * (cell + 1) + cell] = a / peak if peak > 0 else a
    return tiles


def curve_limits(state: "PlaygroundState") -> tuple:
    """Axes limits that hold every curve point: x doubles as epochs grow, y grows to fit (rounded)."""
    h = state.history
    epochs = max(h["epoch"][-1], 1)
    x_max = 10 * state.config["epochs_per_frame"]
    while x_max < epochs:
        x_max *= 2
    costs = [v for v in h["train_cost"] + h["dev_cost"] if math.isfinite(v)] or [1.0]
    cost_max = 1.0
    while cost_max < min(max(costs), 4.0):           # a cost above 4 runs off the top (a gap for ∞)
        cost_max *= 2
    accuracies = [v for v in h["train_accuracy"] + h["dev_accuracy"] + [state.baseline] if math.isfinite(v)]
    accuracy_min = min(0.4, np.floor(min(accuracies) * 10) / 10)
    return x_max, cost_max, float(accuracy_min)


def words() -> dict:
    """The pictures' own words (axes, legends, titles) in the learner's language; the live canvas gets them
    with its first frame (``canvas.LiveView.words``), so the page draws them in the language of the kernel."""
    return {"cost": _("cost J"), "accuracy": _("accuracy"), "train": _("train"), "dev": _("dev"),
            "majority": _("majority class"), "epoch": _("epoch"), "units": _("hidden units"),
            "rings": _("dev (rings)"), "click": _("click to add a point"), "no_points": _("no training points")}


def header_text(state: "PlaygroundState") -> str:
    """The line above the picture: epoch and accuracies, or what went wrong."""
    s = state.summary()
    epoch = _("epoch {epoch}").format(epoch=f"{s['epoch']:,}")
    if state.diverged:
        return _("{epoch} · diverged: the cost overflowed — lower α and press Reset").format(epoch=epoch)
    if not state.labels_train.size:
        return _("{epoch}   no training points yet: click on the picture to add some").format(epoch=epoch)
    return _("{epoch}   accuracy: train {train} · dev {dev}").format(
        epoch=epoch, train=f"{s['train_accuracy']:.1%}", dev=f"{s['dev_accuracy']:.1%}")


def settings_text(state: "PlaygroundState") -> str:
    """The network and its training settings in one line."""
    c = state.config
    size = c["mini_batch_size"]
    batch = _("mini-batch {size}").format(size=size) if size else _("full batch")
    net = "-".join(map(str, [2, *c["hidden_units"], state.n_outputs]))
    parts = [f"{choice_names('activation')[c['activation']]} {net}", choice_names("optimizer")[c["optimizer"]],
             f"α = {state.trainer.current_learning_rate():.3g}", f"λ = {c['lambd']:.3g}",
             f"keep_prob = {c['keep_prob']:.2f}", batch]
    return " · ".join(parts)


def points(state: "PlaygroundState") -> list:
    """Every point as ``[x1, x2, label, dev]`` (dev 1 for the dev set's rings)."""
    out = []
    for X, labels, dev in ((state.X_train, state.labels_train, 0), (state.X_dev, state.labels_dev, 1)):
        out += [[float(a), float(b), int(k), dev] for a, b, k in zip(X[0], X[1], labels)]
    return out


def curves(state: "PlaygroundState") -> dict:
    """The curves thinned to ``MAX_CURVE_POINTS`` (NaN as None), their limits and the majority baseline."""
    h = state.history
    n = len(h["epoch"])
    keep = np.unique(np.linspace(0, n - 1, min(n, MAX_CURVE_POINTS)).round().astype(int))
    out = {"epoch": [h["epoch"][i] for i in keep], "limits": list(curve_limits(state)), "baseline": state.baseline}
    for name in CURVES:
        values = h[name]
        out[name] = [values[i] if math.isfinite(values[i]) else None for i in keep]
    return out


def live_frame(state: "PlaygroundState") -> dict:
    """Everything the live canvas needs for one frame (see ``canvas.LiveView``'s traits).

    Images are RGBA bytes with row 0 at the top (as the browser's ImageData wants them).
    """
    P, units = state.grid()
    frame = {"boundary": boundary_rgba(P)[::-1].tobytes(), "resolution": P.shape[-1],
             "units": b"", "units_shape": [0, 0], "curves": curves(state), "header": header_text(state),
             "settings": settings_text(state), "rule": rule_html(state)}
    if units and state.config["show_units"]:
        tiles = unit_tiles(units, 32)
        frame["units"], frame["units_shape"] = units_rgba(tiles)[::-1].tobytes(), list(tiles.shape)
    return frame
