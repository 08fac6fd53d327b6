"""The Playground's controls: one ipywidget per setting, named and explained as in the lectures.

``CONTROLS`` lists every control by name, in display order, with its group, a label and a short help
text; ``build(name, config)`` makes the widget, showing ``config``'s value. ``config_change(name, value,
config)`` turns a widget value back into settings for ``PlaygroundState.update``. ipywidgets is imported
only inside ``build``, so nothing here is needed to use nncore without it.
"""

from dataclasses import dataclass

from nncore.widgets.state import CHOICES

GROUPS = ("data", "network", "training")     # the tabs; "run" controls sit next to the Play button
LAMBDA_VALUES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCH_SIZES = (None, 8, 16, 32, 64, 128)
DATASET_NAMES = {"flower": "flower", "moons": "moons", "circles": "circles", "xor": "XOR",
                 "gaussian_quantiles": "Gaussian", "blobs": "blobs", "spirals": "spirals"}
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
    Control("dataset", "data", "data set", "the 2-D problem: two classes of points"),
    Control("noise", "data", "noise", "how far points stray from the pattern"),
    Control("m", "data", "examples m", "points in total, train + dev"),
    Control("dev_fraction", "data", "dev share", "held out to measure generalization"),
    Control("data_seed", "data", "data seed", "another seed draws other points (or press Regenerate)"),
    Control("hidden_layers", "network", "hidden layers", "L − 1; 0 is logistic regression"),
    Control("hidden_units", "network", "units n[l]", "neurons in every hidden layer"),
    Control("activation", "network", "activation g", "the non-linearity of the hidden layers"),
    Control("init_method", "network", "initialization", "how W[l] starts; zeros never breaks symmetry"),
    Control("batchnorm", "network", "batch norm", "normalize Z[l] per mini-batch, then γ, β"),
    Control("output", "network", "output", "sigmoid unit, or softmax over the two classes"),
    Control("seed", "network", "seed", "same seed, same initial weights and mini-batches"),
    Control("learning_rate", "training", "α", "learning rate, the step size (log scale)"),
    Control("optimizer", "training", "optimizer", "how a gradient becomes a step"),
    Control("lambd", "training", "λ", "L2 regularization: bigger shrinks the weights"),
    Control("keep_prob", "training", "keep_prob", "dropout: each hidden unit kept with this probability"),
    Control("mini_batch_size", "training", "mini-batch", "examples per gradient step"),
    Control("schedule", "training", "α schedule", "learning-rate decay; t ticks every 100 epochs"),
    Control("epochs_per_frame", "run", "speed", "epochs trained per frame"),
]}


def _options(names, keys):
    return [(names[k], k) for k in keys]


def build(name, config):
    """The ipywidget for control ``name``, set to ``config``'s value and labelled as in the lectures."""
    import ipywidgets as w

    c = config
    style, layout = {"description_width": "96px"}, w.Layout(width="300px")
    common = dict(description=CONTROLS[name].label, tooltip=CONTROLS[name].help, style=style, layout=layout)
    slider = dict(continuous_update=False, **common)
    if name == "dataset":
        return w.Dropdown(options=_options(DATASET_NAMES, CHOICES["dataset"]), value=c["dataset"], **common)
    if name == "noise":
        return w.FloatSlider(value=c["noise"], min=0.0, max=1.0, step=0.02, **slider)
    if name == "m":
        return w.IntSlider(value=c["m"], min=100, max=1000, step=50, **slider)
    if name == "dev_fraction":
        return w.FloatSlider(value=c["dev_fraction"], min=0.1, max=0.7, step=0.05, readout_format=".0%", **slider)
    if name in ("data_seed", "seed"):
        return w.BoundedIntText(value=c[name], min=0, max=10**6, **common)
    if name == "hidden_layers":
        return w.IntSlider(value=len(c["hidden_units"]), min=0, max=4, **slider)
    if name == "hidden_units":
        return w.IntSlider(value=max(c["hidden_units"], default=4), min=1, max=32, **slider)
    if name == "activation":
        return w.Dropdown(options=_options(ACTIVATION_NAMES, CHOICES["activation"]), value=c["activation"], **common)
    if name == "init_method":
        return w.Dropdown(options=_options(INIT_NAMES, CHOICES["init_method"]), value=c["init_method"], **common)
    if name == "batchnorm":
        return w.Checkbox(value=c["batchnorm"], indent=True, **common)
    if name == "output":
        return w.ToggleButtons(options=list(CHOICES["output"]), value=c["output"], **common)
    if name == "learning_rate":
        return w.FloatLogSlider(value=c["learning_rate"], base=10, min=-4, max=1, step=0.1, readout_format=".2",
                                **slider)
    if name == "optimizer":
        return w.Dropdown(options=_options(OPTIMIZER_NAMES, CHOICES["optimizer"]), value=c["optimizer"], **common)
    if name == "lambd":
        values = sorted(set(LAMBDA_VALUES) | {c["lambd"]})
        return w.SelectionSlider(options=[(f"{v:g}", v) for v in values], value=c["lambd"], **slider)
    if name == "keep_prob":
        return w.FloatSlider(value=c["keep_prob"], min=0.3, max=1.0, step=0.05, **slider)
    if name == "mini_batch_size":                     # a Dropdown cannot hold None: 0 stands for the full batch
        sizes = sorted(set(BATCH_SIZES) - {None} | {c["mini_batch_size"]} - {None})
        return w.Dropdown(options=[("full batch", 0)] + [(str(s), s) for s in sizes],
                          value=shown_value(name, c), **common)
    if name == "schedule":
        return w.Dropdown(options=_options(SCHEDULE_NAMES, CHOICES["schedule"]), value=c["schedule"], **common)
    if name == "epochs_per_frame":
        return w.IntSlider(value=c["epochs_per_frame"], min=1, max=100, **{**slider, "layout": w.Layout(width="260px"),
                                                                            "style": {"description_width": "48px"}})
    raise ValueError(f"no control named {name!r}; the controls are {list(CONTROLS)}")


def config_change(name, value, config):
    """The settings that a new ``value`` of control ``name`` stands for, as a dict for ``update``."""
    units = config["hidden_units"]
    if name == "hidden_layers":
        return {"hidden_units": (units + [units[-1] if units else 4] * value)[:value]}
    if name == "hidden_units":
        return {"hidden_units": [value] * len(units)}
    if name == "mini_batch_size":
        return {name: value or None}
    return {name: value}


def shown_value(name, config):
    """The value control ``name`` shows for ``config`` (the inverse of ``config_change``)."""
    if name == "hidden_layers":
        return len(config["hidden_units"])
    if name == "hidden_units":
        return max(config["hidden_units"], default=None)
    if name == "mini_batch_size":
        return config[name] or 0
    return config[name]
