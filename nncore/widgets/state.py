"""The Playground's model state, without any widget or figure: configuration, data, network, curves.

``PlaygroundState(**config)`` holds a 2-D data set split into train and dev, a ``training.Trainer`` and
the curves recorded so far. ``advance()`` trains one chunk of ``epochs_per_frame`` epochs (one frame of
the animation) and records train and dev cost and accuracy; ``grid()`` evaluates the network on a grid
over the plane for the decision-boundary image and the hidden-unit thumbnails.

``update(**changes)`` applies new settings: α, λ, keep_prob, the mini-batch size, the schedule and the
speed (``LIVE``) act on the running network from the next chunk on; any other change rebuilds the
network from its seed (``MODEL``) or also regenerates the data (``DATA``). Everything is plain numpy and
deterministic given the seeds, so it is unit-tested without a browser.
"""

import math

import numpy as np

from nncore import activations, data, optim, training

# Noise each generator is designed around; choosing a data set in the Playground resets noise to it.
DEFAULT_NOISE = {"flower": 0.2, "moons": 0.2, "circles": 0.08, "xor": 0.1, "gaussian_quantiles": 0.1,
                 "blobs": 1.0, "spirals": 0.2}

DEFAULTS = {
    # data
    "dataset": "flower", "noise": 0.2, "m": 400, "dev_fraction": 0.3, "data_seed": 1,
    # model
    "hidden_units": [8], "activation": "tanh", "init_method": "xavier", "scale": 0.01,
    "batchnorm": False, "output": "sigmoid", "seed": 1,
    # training
    "optimizer": "adam", "learning_rate": 0.01, "lambd": 0.0, "keep_prob": 1.0, "mini_batch_size": None,
    "schedule": "constant", "decay_every": 100,
    # run and views
    "epochs_per_frame": 10, "resolution": 64, "show_units": True, "snapshot_epochs": 300,
    # the controls a classroom Playground shows (None: all of them)
    "controls": None,
}

DATA = ("dataset", "noise", "m", "dev_fraction", "data_seed")
MODEL = ("hidden_units", "activation", "init_method", "scale", "batchnorm", "output", "seed", "optimizer")
LIVE = ("learning_rate", "lambd", "keep_prob", "mini_batch_size", "schedule", "decay_every", "epochs_per_frame")
VIEW = ("resolution", "show_units", "snapshot_epochs", "controls")   # how it looks: no effect on training

CHOICES = {
    "dataset": tuple(DEFAULT_NOISE),
    "activation": ("tanh", "relu", "leaky_relu", "sigmoid"),
    "init_method": ("zeros", "random", "xavier", "he"),
    "output": ("sigmoid", "softmax"),
    "optimizer": optim.OPTIMIZERS,
    "schedule": tuple(optim.SCHEDULES),
}


def normalize(config):
    """A complete, validated copy of ``config`` (missing keys take ``DEFAULTS``); raises on unknown keys."""
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        raise TypeError(f"unknown Playground setting(s) {unknown}; the settings are {sorted(DEFAULTS)}")
    out = {**DEFAULTS, **config}
    for key, options in CHOICES.items():
        if out[key] not in options:
            raise ValueError(f"{key}={out[key]!r}: choose one of {list(options)}")
    units = out["hidden_units"]
    out["hidden_units"] = [int(units)] if np.ndim(units) == 0 else [int(n) for n in units]
    if any(n < 1 for n in out["hidden_units"]):
        raise ValueError(f"hidden_units={units!r}: every hidden layer needs at least one unit")
    if not 0 < out["keep_prob"] <= 1:
        raise ValueError(f"keep_prob={out['keep_prob']!r} must be in (0, 1]")
    if out["controls"] is not None:
        out["controls"] = list(out["controls"])
    return out


def schedule(name, decay_every):
    """α(α₀, epoch) for the Trainer: the schedule ``name`` of ``optim.SCHEDULES`` on a clock that ticks once
    every ``decay_every`` epochs (the lecture's schedules count epochs; a Playground runs thousands).

    Step decay halves α at every tick.
    """
    rule = optim.SCHEDULES[name]
    options = {"every": 1} if name == "step" else {}
    return lambda learning_rate0, epoch: rule(learning_rate0, epoch // decay_every, **options)


class PlaygroundState:
    """Data, network and curves of one Playground; see the module docstring."""

    def __init__(self, **config):
        self.config = normalize(config)
        self._make_data()
        self.reset()

    # ---- settings ----------------------------------------------------------------------------------

    def update(self, **changes):
        """Apply new settings; returns what happened: ``"live"``, ``"reset"`` (new network) or ``"data"``.

        Choosing another ``dataset`` without naming a ``noise`` sets the noise to that set's default.
        """
        if "dataset" in changes and "noise" not in changes:
            changes["noise"] = DEFAULT_NOISE[changes["dataset"]]
        new = normalize({**self.config, **changes})
        changed = {k for k in new if new[k] != self.config[k]}
        self.config = new
        if changed & set(DATA):
            self._make_data()
            self.reset()
            return "data"
        if changed & set(MODEL):
            self.reset()
            return "reset"
        self._apply_live()
        return "live"

    def _apply_live(self):
        c, t = self.config, self.trainer
        t.learning_rate, t.lambd, t.keep_prob = c["learning_rate"], c["lambd"], c["keep_prob"]
        t.mini_batch_size = c["mini_batch_size"]
        t.schedule = schedule(c["schedule"], c["decay_every"])

    # ---- data and network --------------------------------------------------------------------------

    def _make_data(self):
        c = self.config
        X, Y = data.make_2d(c["dataset"], m=c["m"], noise=c["noise"], seed=c["data_seed"])
        self.X_train, Y_train, self.X_dev, Y_dev = data.train_dev_split(X, Y.astype(float), c["dev_fraction"],
                                                                        seed=c["data_seed"])
        self.Y_train, self.Y_dev = Y_train, Y_dev           # (1, m) labels 0/1, for plotting and accuracy
        margin = 0.1 * (X.max(axis=1) - X.min(axis=1)) + 0.1
        self.extent = (X[0].min() - margin[0], X[0].max() + margin[0], X[1].min() - margin[1], X[1].max() + margin[1])
        majority = max(np.mean(Y_dev), 1 - np.mean(Y_dev)) if Y_dev.size else 0.5
        self.baseline = float(majority)                      # dev accuracy of always guessing the majority class

    def _targets(self, Y):
        """Labels as the output layer wants them: ``(1, m)`` for sigmoid, one-hot ``(2, m)`` for softmax."""
        return np.vstack([1 - Y, Y]) if self.config["output"] == "softmax" else Y

    def reset(self):
        """A fresh network from the seed (same seed, same initial weights) and empty curves."""
        c = self.config
        n_out = 2 if c["output"] == "softmax" else 1
        self.trainer = training.Trainer(
            [2, *c["hidden_units"], n_out], hidden=c["activation"], output=c["output"], init_method=c["init_method"],
            scale=c["scale"], optimizer=c["optimizer"], batchnorm=c["batchnorm"], seed=c["seed"])
        self._apply_live()
        self.history = {k: [] for k in ("epoch", "learning_rate", "train_cost", "train_accuracy", "dev_cost",
                                        "dev_accuracy")}
        self.diverged = False
        self._record()

    # ---- training ----------------------------------------------------------------------------------

    @property
    def epoch(self):
        return self.trainer.epoch

    def advance(self, epochs=None):
        """Train ``epochs`` (default ``epochs_per_frame``) more epochs and record the curves; returns the epoch.

        A run whose cost overflows stops there: ``diverged`` becomes True and further calls do nothing.
        """
        if self.diverged:
            return self.epoch
        with np.errstate(all="ignore"):
            self.trainer.run_epochs(self.X_train, self._targets(self.Y_train), epochs or self.config["epochs_per_frame"])
        self._record()
        return self.epoch

    def _record(self):
        h = self.history
        with np.errstate(all="ignore"):
            for name, X, Y in (("train", self.X_train, self.Y_train), ("dev", self.X_dev, self.Y_dev)):
                cost, accuracy = self.trainer.evaluate(X, self._targets(Y))
                h[f"{name}_cost"].append(float(cost))
                h[f"{name}_accuracy"].append(accuracy)
        h["epoch"].append(self.epoch)
        h["learning_rate"].append(self.trainer.current_learning_rate())
        finite = all(np.all(np.isfinite(p)) for p in self.trainer.parameters.values())
        self.diverged = not (finite and math.isfinite(h["train_cost"][-1]))

    # ---- views -------------------------------------------------------------------------------------

    def grid(self, resolution=None):
        """The network over a ``resolution × resolution`` grid covering ``extent``.

        Returns ``(P, units)``: ``P: (res, res)`` the probability of class 1 (row 0 at the bottom, as
        ``imshow(origin="lower")`` draws it) and ``units``, one ``(n[l], res, res)`` array of activations
        per hidden layer l.
        """
        res = resolution or self.config["resolution"]
        x0, x1, y0, y1 = self.extent
        g1, g2 = np.meshgrid(np.linspace(x0, x1, res), np.linspace(y0, y1, res))
        G = np.vstack([g1.ravel(), g2.ravel()])
        t = self.trainer
        with np.errstate(all="ignore"):
            AL, caches = training.forward(G, t.parameters, t.hidden, t.output, running=t.running)
            g = activations.get(t.hidden)[0]
            units = [g(cache["Z"]).reshape(-1, res, res) for cache in caches[:-1]]
        P = AL[-1] if t.output == "softmax" else AL[0]
        return P.reshape(res, res), units

    def summary(self):
        """The latest epoch and curves as one dict (the numbers the Playground prints under its picture)."""
        h = self.history
        return {k: h[k][-1] for k in h}
