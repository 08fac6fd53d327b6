"""The Playground's picture: decision boundary, hidden units and live curves in one matplotlib figure.

Drawn with the Agg renderer into PNG bytes (no pyplot, no GUI backend). A full ``draw`` (axes, ticks,
labels, legends) happens only when the layout changes: a new network or data set, or a curve leaving its
axes' limits (the limits grow by doubling, so that is rare). Every other frame restores that background
and redraws just the moving artists: the boundary image (``set_data`` on an ``imshow``, never
``contourf``), the points on top of it, the unit thumbnails, the curves and the texts. This blitting is
what keeps a frame well under the 50 ms budget.
"""

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

from nncore.plot import CLASS_COLOURS
from nncore.widgets.controls import ACTIVATION_NAMES, OPTIMIZER_NAMES

TRAIN_COLOUR, DEV_COLOUR, MUTED = "#3a3a3a", "#e08214", "#8c8c8c"
MAX_UNITS_SHOWN = 8          # thumbnails per hidden layer


def _blend(colour, weight):
    """``colour`` mixed with white: weight 1 is the colour itself, 0 is white."""
    return tuple(weight * c + (1 - weight) for c in to_rgb(colour))


# P(y=1) from 0 to 1: class 0's colour through white to class 1's, light enough for the points to stand out.
BOUNDARY_CMAP = LinearSegmentedColormap.from_list(
    "nncore_boundary", [_blend(CLASS_COLOURS[0], 0.55), (1, 1, 1), _blend(CLASS_COLOURS[1], 0.55)])
UNIT_CMAP = LinearSegmentedColormap.from_list(
    "nncore_unit", [CLASS_COLOURS[0], (1, 1, 1), CLASS_COLOURS[1]]).with_extremes(bad=(1, 1, 1, 0))


def unit_tiles(units, size):
    """Hidden-unit activations tiled into one image ``(rows·(size+1), layers·(size+1))``.

    Column l shows hidden layer l, top to bottom its first ``MAX_UNITS_SHOWN`` units, each scaled by its
    largest |activation| into [−1, 1] and subsampled to about ``size × size``; gaps are NaN.
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


class PlaygroundFigure:
    """One Agg figure that follows a ``PlaygroundState``: ``draw(state)``, then ``encode()`` the picture.

    The axes and artists are made once; a new data set or network only moves and refills them.
    """

    def __init__(self, width=10.0, height=4.3, dpi=90, epoch_in_title=True):
        self.epoch_in_title = epoch_in_title        # a live Playground shows the epoch next to its Play button
        self.fig = Figure(figsize=(width, height), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self._build()
        self._data, self._layers, self._limits_now, self._background = None, None, None, None

    # ---- layout ------------------------------------------------------------------------------------

    def _build(self):
        """Create every axes and artist; the moving ones are ``animated`` (left out of the background)."""
        self._build_boundary()
        self._build_units()
        self._build_curves()
        self.header = self.fig.text(0.035, 0.955, "", fontsize=12, weight="bold", color=TRAIN_COLOUR, animated=True)
        self.settings = self.fig.text(0.985, 0.955, "", fontsize=8.5, color=MUTED, ha="right", animated=True)
        self._moving = [self.image, self.units_image, *self.points, *self.lines, self.baseline, self.header,
                        self.settings]

    def _build_boundary(self):
        ax = self.boundary_ax = self.fig.add_axes((0.035, 0.13, 0.37, 0.77))
        ax.set_xticks([]), ax.set_yticks([])
        ax.set_xlabel("$x_1$", labelpad=2), ax.set_ylabel("$x_2$", labelpad=2)
        for spine in ax.spines.values():
            spine.set_color("#bbbbbb")
        self.image = ax.imshow(np.full((2, 2), 0.5), origin="lower", cmap=BOUNDARY_CMAP, vmin=0, vmax=1,
                               aspect="auto", interpolation="bilinear", animated=True)
        self.points = []
        for colour in CLASS_COLOURS:
            self.points.append(ax.scatter([], [], s=16, c=colour, edgecolors="white", linewidths=0.5, zorder=3,
                                          animated=True))
            self.points.append(ax.scatter([], [], s=24, facecolors="none", edgecolors=colour, linewidths=1.3,
                                          zorder=3, animated=True))
        marker = dict(linestyle="none", markersize=6)
        handles = [Line2D([], [], marker="o", color=CLASS_COLOURS[0], markeredgecolor="white", **marker),
                   Line2D([], [], marker="o", color=CLASS_COLOURS[1], markeredgecolor="white", **marker),
                   Line2D([], [], marker="o", markerfacecolor="none", markeredgecolor=MUTED, markeredgewidth=1.3,
                          **marker)]
        ax.legend(handles, ["y = 0", "y = 1", "dev (rings)"], loc="upper center", bbox_to_anchor=(0.5, -0.06),
                  ncol=3, frameon=False, fontsize=8, handletextpad=0.2, columnspacing=1.2)

    def _build_units(self):
        ax = self.units_ax = self.fig.add_axes((0.445, 0.13, 0.045, 0.77))
        ax.set_axis_off()
        self.units_image = ax.imshow(np.full((2, 2), np.nan), origin="lower", cmap=UNIT_CMAP, vmin=-1, vmax=1,
                                     interpolation="nearest", aspect="equal", animated=True)
        ax.set_title("hidden units", fontsize=8, color=MUTED)

    def _build_curves(self):
        self.cost_ax = self.fig.add_axes((0.5, 0.56, 0.45, 0.34))
        self.accuracy_ax = self.fig.add_axes((0.5, 0.13, 0.45, 0.34), sharex=self.cost_ax)
        self.lines = []
        for ax, label in ((self.cost_ax, "cost J"), (self.accuracy_ax, "accuracy")):
            for name, colour in (("train", TRAIN_COLOUR), ("dev", DEV_COLOUR)):
                self.lines += ax.plot([], [], color=colour, linewidth=1.6, label=name, animated=True)
            ax.set_ylabel(label)
            ax.grid(True, color="#eeeeee", linewidth=0.8)
            ax.tick_params(labelsize=8, color="#bbbbbb")
            for spine in ("top", "right"):
                ax.spines[spine].set_visible(False)
        self.baseline = self.accuracy_ax.axhline(0.5, color=MUTED, linewidth=1, linestyle=":", label="majority class",
                                                 animated=True)
        self.cost_ax.tick_params(labelbottom=False)
        self.accuracy_ax.set_xlabel("epoch", labelpad=1)
        self.cost_ax.legend(loc="upper right", frameon=False, fontsize=8)
        self.accuracy_ax.legend(loc="lower right", frameon=False, fontsize=8)
        self.accuracy_ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")

    def _show_data(self, state):
        """Points, extent and baseline of a new data set (all moving artists: no new background)."""
        for k, label in enumerate((0, 1)):
            self.points[2 * k].set_offsets(state.X_train[:, state.Y_train[0] == label].T)
            self.points[2 * k + 1].set_offsets(state.X_dev[:, state.Y_dev[0] == label].T)
        self.image.set_extent(state.extent)
        self.boundary_ax.set(xlim=state.extent[:2], ylim=state.extent[2:])
        self.baseline.set_ydata([state.baseline])

    def _place(self, layers):
        """Make room for ``layers`` columns of hidden-unit thumbnails (0: none) left of the curves."""
        right = 0.43 + (0.035 + 0.045 * layers if layers else 0.0)
        self.units_ax.set_visible(layers > 0)
        self.units_ax.set_position((0.445, 0.13, 0.045 * max(layers, 1), 0.77))
        for ax, bottom in ((self.cost_ax, 0.56), (self.accuracy_ax, 0.13)):
            ax.set_position((right + 0.045, bottom, 0.94 - right, 0.34))
        self._background = None

    def _limits(self, state):
        """Axes limits that hold every curve point: x doubles as epochs grow, y grows to fit (rounded)."""
        h = state.history
        epochs = max(h["epoch"][-1], 1)
        x_max = 10 * state.config["epochs_per_frame"]
        while x_max < epochs:
            x_max *= 2
        costs = [v for v in h["train_cost"] + h["dev_cost"] if np.isfinite(v)] or [1.0]
        cost_max = 1.0
        while cost_max < min(max(costs), 4.0):           # a cost above 4 runs off the top (a gap for ∞)
            cost_max *= 2
        accuracy_min = min(0.4, np.floor(min(h["train_accuracy"] + h["dev_accuracy"] + [state.baseline]) * 10) / 10)
        return x_max, cost_max, accuracy_min

    # ---- every frame -------------------------------------------------------------------------------

    def draw(self, state, resolution=None):
        """Bring every artist up to date with ``state``; redraw the background only when the axes changed."""
        c = state.config
        if self._data is not state.X_train:
            self._show_data(state)
            self._data = state.X_train
        layers = len(c["hidden_units"]) if c["show_units"] else 0
        if layers != self._layers:
            self._place(layers)
            self._layers = layers
        P, units = state.grid(resolution)
        self.image.set_data(P)
        if layers:
            tiles = unit_tiles(units, 32)
            self.units_image.set_data(tiles)
            self.units_image.set_extent((0, tiles.shape[1], 0, tiles.shape[0]))
            self.units_ax.set(xlim=(0, tiles.shape[1]), ylim=(0, tiles.shape[0]))
        h = state.history
        for line, (name, what) in zip(self.lines, [(n, w) for w in ("cost", "accuracy") for n in ("train", "dev")]):
            line.set_data(h["epoch"], h[f"{name}_{what}"])
        self._write_texts(state)
        limits = self._limits(state)
        if limits != self._limits_now:
            x_max, cost_max, accuracy_min = limits
            self.cost_ax.set(xlim=(0, x_max), ylim=(0, cost_max))
            self.accuracy_ax.set_ylim(accuracy_min, 1.0)
            self._limits_now, self._background = limits, None
        if self._background is None:
            self.canvas.draw()                          # moving artists are skipped: they are animated
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self._moving:
            if artist.get_visible() and (artist.axes is None or artist.axes.get_visible()):
                self.fig.draw_artist(artist)

    def _write_texts(self, state):
        s, c = state.summary(), state.config
        if state.diverged:
            self.header.set_text(f"epoch {s['epoch']:,} · diverged: the cost overflowed — lower α and press Reset")
            self.header.set_color(CLASS_COLOURS[0])
        else:
            epoch = f"epoch {s['epoch']:,}   " if self.epoch_in_title else ""
            self.header.set_text(f"{epoch}accuracy: train {s['train_accuracy']:.1%} · dev {s['dev_accuracy']:.1%}")
            self.header.set_color(TRAIN_COLOUR)
        batch = "full batch" if not c["mini_batch_size"] else f"mini-batch {c['mini_batch_size']}"
        net = "-".join(map(str, [2, *c["hidden_units"], 2 if c["output"] == "softmax" else 1]))
        parts = [f"{ACTIVATION_NAMES[c['activation']]} {net}", OPTIMIZER_NAMES[c["optimizer"]],
                 f"α = {state.trainer.current_learning_rate():.3g}", f"λ = {c['lambd']:.3g}", f"keep_prob = {c['keep_prob']:.2f}", batch]
        self.settings.set_text(" · ".join(parts))

    def encode(self, format="jpeg"):
        """The current picture as image bytes.

        Live frames use JPEG at quality 95 without chroma subsampling (about 1 ms, visually lossless on
        this figure); PNG is lossless but costs about 20 ms to encode, so it is for snapshots.
        """
        rgb = Image.fromarray(np.asarray(self.canvas.buffer_rgba())[..., :3])
        out = io.BytesIO()
        if format == "jpeg":
            rgb.save(out, format="jpeg", quality=95, subsampling=0)
        else:
            rgb.save(out, format="png", compress_level=6)
        return out.getvalue()
