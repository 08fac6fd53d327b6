"""The Playground's controls: one ipywidget per setting, named and explained as in the lectures.

``CONTROLS`` lists every control by name, in display order, with its group, a label and a short help
text; ``build(name, config)`` makes the widget, showing ``config``'s value. ``config_change(name, value,
config)`` turns a widget value back into settings for ``PlaygroundState.update``; ``options(name, config)``
gives the choices of the controls whose choices depend on the network. ipywidgets is imported only inside
``build``, so nothing here is needed to use nncore without it.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nncore.widgets.state import CHOICES, MAX_CLASSES

if TYPE_CHECKING:
    import ipywidgets

GROUPS = ("data", "network", "training")     # the tabs; "run" controls sit next to the Play button
LAMBDA_VALUES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCH_SIZES = (None, 8, 16, 32, 64, 128)
DATASET_NAMES = {"flower": "flower", "moons": "moons", "circles": "circles", "xor": "XOR",
                 "gaussian_quantiles": "Gaussian", "blobs": "blobs", "spirals": "spirals", "custom": "your own points"}
WATCHED_PER_LAYER = 4        # the rule can follow W[l][i, j] for the first 4 rows and columns of every layer
ACTIVATION_NAMES = {"tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU", "sigmoid": "sigmoid"}
INIT_NAMES = {"zeros": "zeros", "random": "small random (×0.01)", "xavier": "Xavier", "he": "He"}
OPTIMIZER_NAMES = {"gd": "gradient descent", "momentum": "momentum", "rmsprop": "RMSprop", "adam": "Adam"}
SCHEDULE_NAMES = {"constant": "constant", "inverse_time": "α₀ / (1 + t)", "exponential": "0.95ᵗ · α₀",
                  "sqrt": "α₀ / √(t + 1)", "step": "halve every tick"}


@dataclass(frozen=True)
class Control:
    """A control's name (a config key, or ``hidden_layers``), its tab, the label shown and a help line."""
    name: str
    group: str
    label: str
    help: str


CONTROLS = {c.name: c for c in [
    Control("dataset", "data", "data set", "the 2-D problem; or click on the picture to add your own points"),
    Control("classes", "data", "classes K", "spirals and blobs: K arms or blobs, a softmax over K classes"),
    Control("noise", "data", "noise", "how far points stray from the pattern"),
    Control("m", "data", "examples m", "points in total, train + dev"),
    Control("dev_fraction", "data", "dev share", "held out to measure generalization"),
    Control("data_seed", "data", "data seed", "another seed draws other points (or press Regenerate)"),
    Control("hidden_layers", "network", "hidden layers", "L − 1; 0 is logistic regression"),
    Control("hidden_units", "network", "units n[l]", "neurons in every hidden layer"),
    Control("activation", "network", "activation g", "the non-linearity of the hidden layers"),
    Control("init_method", "network", "initialization", "how W[l] starts; zeros never breaks symmetry"),
    Control("batchnorm", "network", "batch norm", "normalize Z[l] per mini-batch, then γ, β"),
    Control("output", "network", "output", "sigmoid unit (two classes), or softmax over the K classes"),
    Control("seed", "network", "seed", "same seed, same initial weights and mini-batches"),
    Control("learning_rate", "training", "α", "learning rate, the step size (log scale)"),
    Control("optimizer", "training", "optimizer", "how a gradient becomes a step"),
    Control("lambd", "training", "λ", "L2 regularization: bigger shrinks the weights"),
    Control("keep_prob", "training", "keep_prob", "dropout: each hidden unit kept with this probability"),
    Control("mini_batch_size", "training", "mini-batch", "examples per gradient step"),
    Control("schedule", "training", "α schedule", "learning-rate decay; t ticks every 100 epochs"),
    Control("watch", "training", "rule for", "the weight whose update is written out under the picture"),
    Control("epochs_per_frame", "run", "speed", "epochs trained per frame"),
]}


def _options(names, keys):
    return [(names[k], k) for k in keys]


def _dropdown(w, names, key, c, common):
    return w.Dropdown(options=_options(names, CHOICES[key]), value=c[key], **common)


# name → the widget, from (ipywidgets module, config, arguments every control takes, … every slider takes)
_BUILDERS = {
    "dataset": lambda w, c, common, slider: _dropdown(w, DATASET_NAMES, "dataset", c, common),
    "classes": lambda w, c, common, slider: w.IntSlider(value=c["classes"], min=2, max=MAX_CLASSES, **slider),
    "noise": lambda w, c, common, slider: w.FloatSlider(value=c["noise"], min=0.0, max=1.0, step=0.02, **slider),
    "m": lambda w, c, common, slider: w.IntSlider(value=c["m"], min=100, max=1000, step=50, **slider),
    "dev_fraction": lambda w, c, common, slider: w.FloatSlider(value=c["dev_fraction"], min=0.1, max=0.7, step=0.05,
                                                               readout_format=".0%", **slider),
    "data_seed": lambda w, c, common, slider: w.BoundedIntText(value=c["data_seed"], min=0, max=10**6, **common),
    "hidden_layers": lambda w, c, common, slider: w.IntSlider(value=len(c["hidden_units"]), min=0, max=4, **slider),
    "hidden_units": lambda w, c, common, slider: w.IntSlider(value=max(c["hidden_units"], default=4), min=1, max=32,
                                                             **slider),
    "activation": lambda w, c, common, slider: _dropdown(w, ACTIVATION_NAMES, "activation", c, common),
    "init_method": lambda w, c, common, slider: _dropdown(w, INIT_NAMES, "init_method", c, common),
    "batchnorm": lambda w, c, common, slider: w.Checkbox(value=c["batchnorm"], indent=True, **common),
    "output": lambda w, c, common, slider: w.ToggleButtons(options=list(CHOICES["output"]), value=c["output"],
                                                           **common),
    "seed": lambda w, c, common, slider: w.BoundedIntText(value=c["seed"], min=0, max=10**6, **common),
    "learning_rate": lambda w, c, common, slider: w.FloatLogSlider(value=c["learning_rate"], base=10, min=-4, max=1,
                                                                   step=0.1, readout_format=".2", **slider),
    "optimizer": lambda w, c, common, slider: _dropdown(w, OPTIMIZER_NAMES, "optimizer", c, common),
    "lambd": lambda w, c, common, slider: w.SelectionSlider(options=options("lambd", c), value=c["lambd"], **slider),
    "keep_prob": lambda w, c, common, slider: w.FloatSlider(value=c["keep_prob"], min=0.3, max=1.0, step=0.05,
                                                            **slider),
    "mini_batch_size": lambda w, c, common, slider: w.Dropdown(options=options("mini_batch_size", c),
                                                               value=shown_value("mini_batch_size", c), **common),
    "schedule": lambda w, c, common, slider: _dropdown(w, SCHEDULE_NAMES, "schedule", c, common),
    "watch": lambda w, c, common, slider: w.Dropdown(options=options("watch", c), value=shown_value("watch", c),
                                                     **common),
    "epochs_per_frame": lambda w, c, common, slider: w.IntSlider(
        value=c["epochs_per_frame"], min=1, max=100,
        **{**slider, "layout": w.Layout(width="260px"), "style": {"description_width": "48px"}}),
}


def build(name: str, config: dict) -> "ipywidgets.DOMWidget":
    """The ipywidget for control ``name``, set to ``config``'s value and labelled as in the lectures."""
    import ipywidgets as w

    if name not in _BUILDERS:
        raise ValueError(f"no control named {name!r}; the controls are {list(CONTROLS)}")
    common = dict(description=CONTROLS[name].label, tooltip=CONTROLS[name].help,
                  style={"description_width": "96px"}, layout=w.Layout(width="300px"))
    return _BUILDERS[name](w, config, common, dict(continuous_update=False, **common))


def options(name: str, config: dict) -> list:
    """The ``(label, value)`` choices of ``lambd``, ``mini_batch_size`` (0 is the full batch: a Dropdown cannot
    hold None) and ``watch`` (the weights W[l][i, j] of the network ``config`` describes, as "W1 0 0")."""
    if name == "lambd":
        return [(f"{v:g}", v) for v in sorted(set(LAMBDA_VALUES) | {config["lambd"]})]
    if name == "mini_batch_size":
        sizes = sorted(set(BATCH_SIZES) - {None} | {config["mini_batch_size"]} - {None})
        return [("full batch", 0)] + [(str(s), s) for s in sizes]
    n_out = config["classes"] if config["output"] == "softmax" else 1
    dims = [2, *config["hidden_units"], n_out]
    return [(f"W{l}[{i},{j}]", f"W{l} {i} {j}") for l in range(1, len(dims))
            for i in range(min(dims[l], WATCHED_PER_LAYER)) for j in range(min(dims[l - 1], WATCHED_PER_LAYER))]


def config_change(name: str, value: object, config: dict) -> dict:
    """The settings that a new ``value`` of control ``name`` stands for, as a dict for ``update``."""
    units = config["hidden_units"]
    if name == "hidden_layers":
        return {"hidden_units": (units + [units[-1] if units else 4] * value)[:value]}
    if name == "hidden_units":
        return {"hidden_units": [value] * len(units)}
    if name == "mini_batch_size":
        return {name: value or None}
    if name == "watch":
        key, i, j = value.split()
        return {name: [key, int(i), int(j)]}
    return {name: value}


def shown_value(name: str, config: dict) -> object:
    """The value control ``name`` shows for ``config`` (the inverse of ``config_change``)."""
    if name == "hidden_layers":
        return len(config["hidden_units"])
    if name == "hidden_units":
        return max(config["hidden_units"], default=None)
    if name == "mini_batch_size":
        return config[name] or 0
    if name == "watch":
        return " ".join(map(str, config[name]))
    return config[name]
