"""The Playground's model state, without any widget or figure: configuration, data, network, curves.

``PlaygroundState(**config)`` holds a 2-D data set split into train and dev, a ``training.Trainer`` and
the curves recorded so far. ``advance()`` trains one chunk of ``epochs_per_frame`` epochs (one frame of
the animation) and records train and dev cost and accuracy; ``grid()`` evaluates the network on a grid
over the plane for the decision-boundary image and the hidden-unit thumbnails.

``update(**changes)`` applies new settings: α, λ, keep_prob, the mini-batch size, the schedule and the
speed (``LIVE``) act on the running network from the next chunk on; ``VIEW`` settings change only what
is shown; any other change rebuilds the network from its seed (``MODEL``) or also regenerates the data
(``DATA``). The data is a generated set (K classes for spirals and blobs) or your own ``points``
(``dataset="custom"``: clicked or loaded from a CSV file), split into train and dev all the same.
Every optimizer step on the watched weight is recorded in ``last_update`` (the rule on screen).
Everything is plain numpy and deterministic given the seeds, so it is unit-tested without a browser.
"""

import io
import math
from collections.abc import Callable

import numpy as np

from nncore import activations, data, optim, training
from nncore.i18n import _
from nncore.init import rng_from

# Noise each generator is designed around; choosing a data set in the Playground resets noise to it.
DEFAULT_NOISE = {"flower": 0.2, "moons": 0.2, "circles": 0.08, "xor": 0.1, "gaussian_quantiles": 0.1,
                 "blobs": 1.0, "spirals": 0.2, "custom": 0.0}
MAX_CLASSES = 6              # the palette's colours (``colours.PALETTE``)

DEFAULTS = {
    # data
    "dataset": "flower", "noise": 0.2, "m": 400, "dev_fraction": 0.3, "data_seed": 1, "classes": 2,
    "points": None,          # your own data set (dataset "custom"): a list of [x1, x2, label]
    # model
    "hidden_units": [8], "activation": "tanh", "init_method": "xavier", "scale": 0.01,
    "batchnorm": False, "output": "sigmoid", "seed": 1,
    # training
    "optimizer": "adam", "learning_rate": 0.01, "lambd": 0.0, "keep_prob": 1.0, "mini_batch_size": None,
    "schedule": "constant", "decay_every": 100,
    # run and views
    "epochs_per_frame": 10, "resolution": 64, "show_units": True, "snapshot_epochs": 300,
    "watch": ["W1", 0, 0],   # the weight whose update the rule on screen writes out: key, row, column
    # the controls a classroom Playground shows (None: all of them)
    "controls": None,
}

DATA = ("dataset", "noise", "m", "dev_fraction", "data_seed", "classes", "points")
MODEL = ("hidden_units", "activation", "init_method", "scale", "batchnorm", "output", "seed", "optimizer")
LIVE = ("learning_rate", "lambd", "keep_prob", "mini_batch_size", "schedule", "decay_every", "epochs_per_frame")
VIEW = ("resolution", "show_units", "snapshot_epochs", "controls", "watch")  # what is shown: training untouched

CHOICES = {
    "dataset": tuple(DEFAULT_NOISE),
    "activation": ("tanh", "relu", "leaky_relu", "sigmoid"),
    "init_method": ("zeros", "random", "xavier", "he"),
    "output": ("sigmoid", "softmax"),
    "optimizer": optim.OPTIMIZERS,
    "schedule": tuple(optim.SCHEDULES),
}


def normalize(config: dict) -> dict:
    """A complete, validated copy of ``config`` (missing keys take ``DEFAULTS``); raises on unknown keys."""
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        raise TypeError(_("unknown Playground setting(s) {unknown}; the settings are {settings}").format(
            unknown=unknown, settings=sorted(DEFAULTS)))
    out = {**DEFAULTS, **config}
    if "classes" not in config and out["dataset"] == "custom" and out["points"]:
        out["classes"] = max(2, 1 + max(int(p[2]) for p in out["points"]))   # your points' labels say how many
    if "output" not in config and int(out["classes"]) > 2:
        out["output"] = "softmax"                         # K classes, K softmax units
    for key, options in CHOICES.items():
        if out[key] not in options:
            raise ValueError(_("{setting}={value}: choose one of {choices}").format(
                setting=key, value=repr(out[key]), choices=list(options)))
    units = out["hidden_units"]
    out["hidden_units"] = [int(units)] if np.ndim(units) == 0 else [int(n) for n in units]
    if any(n < 1 for n in out["hidden_units"]):
        raise ValueError(_("hidden_units={units}: every hidden layer needs at least one unit").format(
            units=repr(units)))
    if not 0 < out["keep_prob"] <= 1:
        raise ValueError(_("keep_prob={keep_prob} must be in (0, 1]").format(keep_prob=repr(out["keep_prob"])))
    if out["controls"] is not None:
        out["controls"] = list(out["controls"])
    out["watch"] = [str(out["watch"][0]), int(out["watch"][1]), int(out["watch"][2])]
    _check_classes(out)
    return out


def _check_classes(config):
    """K classes need a set that has them (or your own points) and a softmax output; labels must be < K."""
    k, name = int(config["classes"]), config["dataset"]
    config["classes"] = k
    if not 2 <= k <= MAX_CLASSES:
        raise ValueError(_("classes={k}: choose 2 to {most}").format(k=k, most=MAX_CLASSES))
    if k > 2 and name not in data.MULTICLASS and name != "custom":
        raise ValueError(_("the {name} set has two classes; {sets} and your own points have more").format(
            name=name, sets=sorted(data.MULTICLASS)))
    if k > 2 and config["output"] != "softmax":
        raise ValueError(_("{k} classes need output='softmax' (a sigmoid unit tells two classes apart)").format(k=k))
    if name == "custom":
        points = [[float(x1), float(x2), int(label)] for x1, x2, label in config["points"] or []]
        if any(not 0 <= p[2] < k for p in points):
            raise ValueError(_("your points' labels must be 0 … {last} for {k} classes").format(last=k - 1, k=k))
        config["points"] = points
    elif config["points"] is not None:
        raise ValueError(_("points are your own data set: give them with dataset='custom'"))


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def points_from_csv(text: str) -> list:
    """Rows ``x1, x2, label`` (an optional header line; labels 0, 1, …) as a list of ``[x1, x2, label]``.

    Raises ``ValueError`` saying what is wrong in the file's terms.
    """
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if lines and any(c.isalpha() for c in lines[0]) and not _is_number(lines[0].split(",")[0]):
        lines = lines[1:]                                 # a header such as "x1,x2,label"
    if not lines:
        raise ValueError(_("the file has no rows of numbers: write one point per line as x1, x2, label"))
    try:
        table = np.loadtxt(io.StringIO("\n".join(lines)), delimiter=",", ndmin=2)
    except ValueError as error:
        raise ValueError(_("every row must be three numbers x1, x2, label separated by commas ({error})").format(
            error=error)) from None
    if table.shape[1] != 3:
        raise ValueError(_("every row must be three numbers x1, x2, label; found {found} per row").format(
            found=table.shape[1]))
    labels = table[:, 2]
    if np.any(labels != np.round(labels)) or labels.min() < 0 or labels.max() >= MAX_CLASSES:
        raise ValueError(_("labels must be whole numbers 0 … {last}, the class of each point").format(
            last=MAX_CLASSES - 1))
    return [[float(x1), float(x2), int(label)] for x1, x2, label in table]


def schedule(name: str, decay_every: int) -> Callable[[float, int], float]:
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

    def update(self, **changes) -> str:
        """Apply new settings; returns what happened: ``"view"``, ``"live"``, ``"reset"`` (new network) or
        ``"data"``.

        Choosing another ``dataset`` without naming a ``noise`` sets the noise to that set's default (and
        two classes for a two-class set); more than two ``classes`` switch the output to softmax.
        """
        if "dataset" in changes:
            changes.setdefault("noise", DEFAULT_NOISE[changes["dataset"]])
            if changes["dataset"] not in data.MULTICLASS and changes["dataset"] != "custom":
                changes.setdefault("classes", 2)
            if changes["dataset"] != "custom":
                changes.setdefault("points", None)
        if changes.get("classes", 2) > 2:
            changes.setdefault("output", "softmax")
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
        if "watch" in changed:
            self._watch()
        if changed <= set(VIEW):
            return "view"
        self._apply_live()
        return "live"

    def add_point(self, x1: float, x2: float, label: int) -> None:
        """Add a point of class ``label`` to your own data; a generated set becomes your own data first."""
        points = self.config["points"] if self.config["dataset"] == "custom" else self._current_points()
        self.update(dataset="custom", classes=max(self.config["classes"], label + 1),
                    points=[*points, [float(x1), float(x2), int(label)]])

    def _current_points(self):
        X = np.hstack([self.X_train, self.X_dev])
        labels = np.concatenate([self.labels_train, self.labels_dev])
        return [[float(x1), float(x2), int(k)] for x1, x2, k in zip(X[0], X[1], labels)]

    def _apply_live(self):
        c, t = self.config, self.trainer
        t.learning_rate, t.lambd, t.keep_prob = c["learning_rate"], c["lambd"], c["keep_prob"]
        t.mini_batch_size = c["mini_batch_size"]
        t.schedule = schedule(c["schedule"], c["decay_every"])

    # ---- data and network --------------------------------------------------------------------------

    def _make_data(self):
        """The data set split into train and dev: ``X_*: (2, m)``, ``labels_*: (m,)`` ints, ``Y_*: (1, m)``."""
        c = self.config
        if c["dataset"] == "custom":
            X, labels, dev = self._own_data()
            self.X_train, self.X_dev = X[:, ~dev], X[:, dev]
            self.labels_train, self.labels_dev = labels[~dev], labels[dev]
        else:
            X, Y = data.make_2d(c["dataset"], m=c["m"], noise=c["noise"], seed=c["data_seed"], classes=c["classes"])
            self.X_train, Y_train, self.X_dev, Y_dev = data.train_dev_split(X, Y, c["dev_fraction"],
                                                                            seed=c["data_seed"])
            self.labels_train, self.labels_dev = Y_train[0].astype(int), Y_dev[0].astype(int)
        self.extent = self._extent(X)
        self.Y_train, self.Y_dev = self.labels_train[None, :].astype(float), self.labels_dev[None, :].astype(float)
        counts = np.bincount(self.labels_dev, minlength=c["classes"])
        self.baseline = float(counts.max() / counts.sum()) if counts.sum() else 1 / c["classes"]

    def _extent(self, X):
        """The plane shown: a generated set's points plus a margin; for your own points a square ±1.5·2ⁿ
        that only grows when a point comes near its edge (so clicking never rescales it under the mouse)."""
        if self.config["dataset"] != "custom":
            margin = 0.1 * (X.max(axis=1) - X.min(axis=1)) + 0.1
            return X[0].min() - margin[0], X[0].max() + margin[0], X[1].min() - margin[1], X[1].max() + margin[1]
        radius = 1.5
        while 0.95 * radius < np.abs(X).max(initial=0):
            radius *= 2
        return -radius, radius, -radius, radius

    def _own_data(self):
        """Your points as ``(X: (2, m), labels: (m,), dev: (m,) bool)``: point i goes to dev by the i-th draw of
        the data seed's generator, so adding a point never moves the others between train and dev."""
        points = np.array(self.config["points"], dtype=float).reshape(-1, 3)
        dev = rng_from(self.config["data_seed"]).random(len(points)) < self.config["dev_fraction"]
        return points[:, :2].T, points[:, 2].astype(int), dev

    def targets(self, labels: np.ndarray) -> np.ndarray:
        """Labels ``(m,)`` as the output layer wants them: ``(1, m)`` 0/1 (sigmoid) or one-hot ``(K, m)`` (softmax)."""
        if self.config["output"] == "softmax":
            return np.eye(self.n_outputs)[:, labels]
        return labels[None, :].astype(float)

    @property
    def n_outputs(self) -> int:
        """n[L]: one sigmoid unit, or one softmax unit per class."""
        return self.config["classes"] if self.config["output"] == "softmax" else 1

    def reset(self) -> None:
        """A fresh network from the seed (same seed, same initial weights) and empty curves."""
        c = self.config
        self.trainer = training.Trainer(
            [2, *c["hidden_units"], self.n_outputs], hidden=c["activation"], output=c["output"],
            init_method=c["init_method"], scale=c["scale"], optimizer=c["optimizer"], batchnorm=c["batchnorm"],
            seed=c["seed"])
        self._apply_live()
        self._watch()
        self.history = {k: [] for k in ("epoch", "learning_rate", "train_cost", "train_accuracy", "dev_cost",
                                        "dev_accuracy")}
        self.diverged = False
        self._record()

    def _watch(self):
        """Record every optimizer step on the watched weight into ``last_update`` (``None`` before the first)."""
        optimizer, self.last_update = self.trainer.optimizer, None
        step = getattr(optimizer, "_unwatched_step", optimizer.step)
        key, i, j = self.watch_key()

        def watched_step(parameters, grads, learning_rate):
            before = {"w": float(parameters[key][i, j]), "g": float(grads["d" + key][i, j]),
                      "v_prev": _entry(optimizer.v, key, i, j), "s_prev": _entry(optimizer.s, key, i, j)}
            parameters = step(parameters, grads, learning_rate)
            self.last_update = {**before, "w_new": float(parameters[key][i, j]), "t": optimizer.t,
                                "alpha": float(learning_rate), "v": _entry(optimizer.v, key, i, j),
                                "s": _entry(optimizer.s, key, i, j)}
            return parameters

        optimizer._unwatched_step, optimizer.step = step, watched_step

    def watch_key(self) -> tuple:
        """``(key, row, column)`` of the watched weight, moved inside the network's shapes if it lies outside."""
        key, i, j = self.config["watch"]
        W = self.trainer.parameters.get(key)
        if W is None:
            key, W = "W1", self.trainer.parameters["W1"]
        return key, min(i, W.shape[0] - 1), min(j, W.shape[1] - 1)

    # ---- training ----------------------------------------------------------------------------------

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    def advance(self, epochs: int | None = None) -> int:
        """Train ``epochs`` (default ``epochs_per_frame``) more epochs and record the curves; returns the epoch.

        A run whose cost overflows stops there: ``diverged`` becomes True and further calls do nothing; so
        do they while the training set is empty (your own data, before the first point).
        """
        if self.diverged or not self.labels_train.size:
            return self.epoch
        with np.errstate(all="ignore"):
            self.trainer.run_epochs(self.X_train, self.targets(self.labels_train),
                                    epochs or self.config["epochs_per_frame"])
        self._record()
        return self.epoch

    def _record(self):
        h = self.history
        with np.errstate(all="ignore"):
            for name, X, labels in (("train", self.X_train, self.labels_train), ("dev", self.X_dev, self.labels_dev)):
                cost, accuracy = self.trainer.evaluate(X, self.targets(labels)) if labels.size else (np.nan, np.nan)
                h[f"{name}_cost"].append(float(cost))
                h[f"{name}_accuracy"].append(float(accuracy))
        h["epoch"].append(self.epoch)
        h["learning_rate"].append(self.trainer.current_learning_rate())
        finite = all(np.all(np.isfinite(p)) for p in self.trainer.parameters.values())
        self.diverged = not (finite and (math.isfinite(h["train_cost"][-1]) or not self.labels_train.size))

    # ---- views -------------------------------------------------------------------------------------

    def grid(self, resolution: int | None = None) -> tuple:
        """The network over a ``resolution × resolution`` grid covering ``extent``.

        Returns ``(P, units)``: ``P: (K, res, res)`` the probability of each class (row 0 at the bottom,
        as ``imshow(origin="lower")`` draws it) and ``units``, one ``(n[l], res, res)`` array of
        activations per hidden layer l.
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
        P = AL if t.output == "softmax" else np.vstack([1 - AL, AL])
        return P.reshape(-1, res, res), units

    def summary(self) -> dict:
        """The latest epoch and curves as one dict (the numbers the Playground prints under its picture)."""
        h = self.history
        return {k: h[k][-1] for k in h}


def _entry(state, key, i, j):
    """Entry ``[i, j]`` of an optimizer's moving average of ``d<key>`` (0 before it has one)."""
    return float(state["d" + key][i, j]) if state is not None else 0.0
