"""The Playground's controls: one ipywidget per setting, named and explained as in the lectures.

``CONTROLS`` lists every control by name, in display order, with its group; its label and short help text
(``texts``) and the names of the choices (``choice_names``) are in the learner's language, looked up when a
widget is built. ``build(name, config)`` makes the widget, showing ``config``'s value. ``config_change(name,
value, config)`` turns a widget value back into settings for ``PlaygroundState.update``; ``options(name,
config)`` gives the choices of the controls whose choices depend on the network. ipywidgets is imported only
inside ``build``, so nothing here is needed to use nncore without it.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nncore.i18n import _
from nncore.widgets.state import CHOICES, MAX_CLASSES

if TYPE_CHECKING:
    import ipywidgets

GROUPS = ("data", "network", "training")     # the tabs; "run" controls sit next to the Play button
LAMBDA_VALUES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCH_SIZES = (None, 8, 16, 32, 64, 128)
WATCHED_PER_LAYER = 4        # the rule can follow W[l][i, j] for the first 4 rows and columns of every layer


@dataclass(frozen=True)
class Control:
    """A control's name (a config key, or ``hidden_layers``) and its tab; ``label`` and ``help`` (a line) are in
    the learner's language at the moment they are asked for."""
    name: str
    group: str

    @property
    def label(self) -> str:
        return texts()[self.name][0]

    @property
    def help(self) -> str:
        return texts()[self.name][1]


CONTROLS = {name: Control(name, group) for name, group in [
    ("dataset", "data"), ("classes", "data"), ("noise", "data"), ("m", "data"), ("dev_fraction", "data"),
    ("data_seed", "data"), ("hidden_layers", "network"), ("hidden_units", "network"), ("activation", "network"),
    ("init_method", "network"), ("batchnorm", "network"), ("output", "network"), ("seed", "network"),
    ("learning_rate", "training"), ("optimizer", "training"), ("lambd", "training"), ("keep_prob", "training"),
    ("mini_batch_size", "training"), ("schedule", "training"), ("watch", "training"), ("epochs_per_frame", "run"),
]}


def texts() -> dict:
    """``{control name: (label, help line)}`` in the learner's language (symbols and code names as they are)."""
    return {
        "dataset": (_("data set"), _("the 2-D problem; or click on the picture to add your own points")),
        "classes": (_("classes K"), _("spirals and blobs: K arms or blobs, a softmax over K classes")),
        "noise": (_("noise"), _("how far points stray from the pattern")),
        "m": (_("examples m"), _("points in total, train + dev")),
        "dev_fraction": (_("dev share"), _("held out to measure generalization")),
        "data_seed": (_("data seed"), _("another seed draws other points (or press Regenerate)")),
        "hidden_layers": (_("hidden layers"), _("L − 1; 0 is logistic regression")),
        "hidden_units": (_("units n[l]"), _("neurons in every hidden layer")),
        "activation": (_("activation g"), _("the non-linearity of the hidden layers")),
        "init_method": (_("initialization"), _("how W[l] starts; zeros never breaks symmetry")),
        "batchnorm": (_("batch norm"), _("normalize Z[l] per mini-batch, then γ, β")),
        "output": (_("output"), _("sigmoid unit (two classes), or softmax over the K classes")),
        "seed": (_("seed"), _("same seed, same initial weights and mini-batches")),
        "learning_rate": ("α", _("learning rate, the step size (log scale)")),
        "optimizer": (_("optimizer"), _("how a gradient becomes a step")),
        "lambd": ("λ", _("L2 regularization: bigger shrinks the weights")),
        "keep_prob": ("keep_prob", _("dropout: each hidden unit kept with this probability")),
        "mini_batch_size": (_("mini-batch"), _("examples per gradient step")),
        "schedule": (_("α schedule"), _("learning-rate decay; t ticks every 100 epochs")),
        "watch": (_("rule for"), _("the weight whose update is written out under the picture")),
        "epochs_per_frame": (_("speed"), _("epochs trained per frame")),
    }


def group_title(group: str) -> str:
    """The title of a tab (one of ``GROUPS``) in the learner's language."""
    return {"data": _("Data"), "network": _("Network"), "training": _("Training")}[group]


def choice_names(key: str) -> dict:
    """``{value: label}`` for the choices of setting ``key`` (``dataset``, ``activation``, ``init_method``,
    ``optimizer``, ``schedule``): the values are code and stay as they are, the labels are in the learner's
    language."""
    return {
        "dataset": {"flower": _("flower"), "moons": _("moons"), "circles": _("circles"), "xor": "XOR",
                    "gaussian_quantiles": _("Gaussian"), "blobs": _("blobs"), "spirals": _("spirals"),
                    "custom": _("your own points")},
        "activation": {"tanh": "tanh", "relu": "ReLU", "leaky_relu": _("leaky ReLU"), "sigmoid": "sigmoid"},
        "init_method": {"zeros": _("zeros"), "random": _("small random (×0.01)"), "xavier": "Xavier", "he": "He"},
        "optimizer": {"gd": _("gradient descent"), "momentum": _("momentum"), "rmsprop": "RMSprop", "adam": "Adam"},
        "schedule": {"constant": _("constant"), "inverse_time": "α₀ / (1 + t)", "exponential": "0.95ᵗ · α₀",
                     "sqrt": "α₀ / √(t + 1)", "step": _("halve every tick")},
    }[key]


def _dropdown(w, key, c, common):
    names = choice_names(key)
    return w.Dropdown(options=[(names[k], k) for k in CHOICES[key]], value=c[key], **common)


# name → the widget, from (ipywidgets module, config, arguments every control takes, … every slider takes)
_BUILDERS = {
    "dataset": lambda w, c, common, slider: _dropdown(w, "dataset", c, common),
    "classes": lambda w, c, common, slider: w.IntSlider(value=c["classes"], min=2, max=MAX_CLASSES, **slider),
    "noise": lambda w, c, common, slider: w.FloatSlider(value=c["noise"], min=0.0, max=1.0, step=0.02, **slider),
    "m": lambda w, c, common, slider: w.IntSlider(value=c["m"], min=100, max=1000, step=50, **slider),
    "dev_fraction": lambda w, c, common, slider: w.FloatSlider(value=c["dev_fraction"], min=0.1, max=0.7, step=0.05,
                                                               readout_format=".0%", **slider),
    "data_seed": lambda w, c, common, slider: w.BoundedIntText(value=c["data_seed"], min=0, max=10**6, **common),
    "hidden_layers": lambda w, c, common, slider: w.IntSlider(value=len(c["hidden_units"]), min=0, max=4, **slider),
    "hidden_units": lambda w, c, common, slider: w.IntSlider(value=max(c["hidden_units"], default=4), min=1, max=32,
                                                             **slider),
    "activation": lambda w, c, common, slider: _dropdown(w, "activation", c, common),
    "init_method": lambda w, c, common, slider: _dropdown(w, "init_method", c, common),
    "batchnorm": lambda w, c, common, slider: w.Checkbox(value=c["batchnorm"], indent=True, **common),
    "output": lambda w, c, common, slider: w.ToggleButtons(options=list(CHOICES["output"]), value=c["output"],
                                                           **common),
    "seed": lambda w, c, common, slider: w.BoundedIntText(value=c["seed"], min=0, max=10**6, **common),
    "learning_rate": lambda w, c, common, slider: w.FloatLogSlider(value=c["learning_rate"], base=10, min=-4, max=1,
                                                                   step=0.1, readout_format=".2", **slider),
    "optimizer": lambda w, c, common, slider: _dropdown(w, "optimizer", c, common),
    "lambd": lambda w, c, common, slider: w.SelectionSlider(options=options("lambd", c), value=c["lambd"], **slider),
    "keep_prob": lambda w, c, common, slider: w.FloatSlider(value=c["keep_prob"], min=0.3, max=1.0, step=0.05,
                                                            **slider),
    "mini_batch_size": lambda w, c, common, slider: w.Dropdown(options=options("mini_batch_size", c),
                                                               value=shown_value("mini_batch_size", c), **common),
    "schedule": lambda w, c, common, slider: _dropdown(w, "schedule", c, common),
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
        raise ValueError(_("no control named {name}; the controls are {names}").format(name=repr(name),
                                                                                     names=list(CONTROLS)))
    label, help_line = texts()[name]
    common = dict(description=label, tooltip=help_line,
                  style={"description_width": "96px"}, layout=w.Layout(width="300px"))
    return _BUILDERS[name](w, config, common, dict(continuous_update=False, **common))


def options(name: str, config: dict) -> list:
    """The ``(label, value)`` choices of ``lambd``, ``mini_batch_size`` (0 is the full batch: a Dropdown cannot
    hold None) and ``watch`` (the weights W[l][i, j] of the network ``config`` describes, as "W1 0 0")."""
    if name == "lambd":
        return [(f"{v:g}", v) for v in sorted(set(LAMBDA_VALUES) | {config["lambd"]})]
    if name == "mini_batch_size":
        sizes = sorted(set(BATCH_SIZES) - {None} | {config["mini_batch_size"]} - {None})
        return [(_("full batch"), 0)] + [(str(s), s) for s in sizes]
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
