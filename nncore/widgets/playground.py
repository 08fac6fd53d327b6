"""``Playground``: TensorFlow Playground in a notebook, on the course's own networks.

It ties together the model state (``state.PlaygroundState``), the picture (``figure.PlaygroundFigure``)
and the controls (``controls``). In a live notebook it shows widgets and trains in small chunks, one per
tick of a hidden ``ipywidgets.Play``: each tick runs ``epochs_per_frame`` epochs and redraws, then hands
control back to the kernel, so slider moves and button presses keep flowing while it plays. Without a
frontend (nbconvert, nbgrader, CI) it trains ``snapshot_epochs`` epochs and shows one static picture.
"""

import base64
import copy
import os
import time

from nncore.widgets import controls as ctl
from nncore.widgets.figure import PlaygroundFigure
from nncore.widgets.state import PlaygroundState

FRAME_INTERVAL_MS = 50        # the Play tick: at most 20 frames a second


def has_frontend():
    """True when a live notebook frontend will render widgets, i.e. inside a kernel started by Jupyter
    for a notebook session (which sets ``JPY_SESSION_NAME``); nbclient, nbconvert and nbgrader do not.

    ``NNCOURSE_FRONTEND=1`` or ``0`` overrides the guess.
    """
    forced = os.environ.get("NNCOURSE_FRONTEND")
    if forced is not None:
        return forced not in ("", "0", "false", "no")
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel") and "JPY_SESSION_NAME" in os.environ


class Playground:
    """Train a small network on a 2-D data set and watch it learn; turn α, λ and keep_prob while it runs.

    Every keyword is a setting (``state.DEFAULTS`` lists them all, with their defaults), e.g.
    ``Playground(dataset="moons", hidden_units=[8, 4], optimizer="adam", learning_rate=0.01)``.
    ``controls=[names…]`` makes a classroom Playground that shows only those controls (names from
    ``controls.CONTROLS``); everything else stays as configured. ``config`` gives back a plain dict
    such that ``Playground(**pg.config)`` rebuilds the same Playground. ``frontend`` forces widgets on
    or off (default: ``has_frontend()``).
    """

    def __init__(self, frontend=None, **config):
        names = config.get("controls")
        unknown = sorted(set(names or ()) - set(ctl.CONTROLS))
        if unknown:
            raise ValueError(f"unknown control(s) {unknown}; the controls are {list(ctl.CONTROLS)}")
        self.state = PlaygroundState(**config)
        self.frontend = has_frontend() if frontend is None else frontend
        self.figure = PlaygroundFigure(epoch_in_title=not self.frontend)
        self.controls, self._widget, self._snapshot = {}, None, None
        self._last_frame_end, self._syncing = 0.0, False

    @property
    def config(self):
        """The settings as a plain dict (JSON-friendly): ``Playground(**config)`` restores this Playground."""
        return copy.deepcopy(self.state.config)

    # ---- static snapshot ---------------------------------------------------------------------------

    def snapshot(self):
        """Train ``snapshot_epochs`` epochs (if not trained yet) and return the picture as PNG bytes."""
        if self._snapshot is None:
            target = self.state.config["snapshot_epochs"]
            while self.state.epoch < target and not self.state.diverged:
                self.state.advance(min(self.state.config["epochs_per_frame"], target - self.state.epoch))
            self.figure.draw(self.state, resolution=2 * self.state.config["resolution"])
            self._snapshot = self.figure.encode("png")
        return self._snapshot

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self.frontend:
            return self.widget._repr_mimebundle_(include=include, exclude=exclude)
        png = base64.b64encode(self.snapshot()).decode("ascii")
        s = self.state.summary()
        text = (f"Playground snapshot after {s['epoch']} epochs: train accuracy {s['train_accuracy']:.1%}, "
                f"dev accuracy {s['dev_accuracy']:.1%} (live controls need a running notebook)")
        return {"image/png": png, "text/plain": text}

    # ---- live widget -------------------------------------------------------------------------------

    @property
    def widget(self):
        """The ipywidgets box: run bar, controls (tabs, or one row in classroom mode) and the picture."""
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self):
        import ipywidgets as w

        config = self.state.config
        names = config["controls"] if config["controls"] is not None else list(ctl.CONTROLS)
        for name in names:
            widget = ctl.build(name, config)
            widget.observe(lambda change, name=name: self._on_control(name, change["new"]), names="value")
            self.controls[name] = widget

        self._ticker = w.Play(interval=FRAME_INTERVAL_MS, max=10**9, layout=w.Layout(display="none"))
        self._ticker.observe(self._on_tick, names="value")
        self.play_button = w.ToggleButton(description="Play", icon="play", button_style="success",
                                          tooltip="train continuously; press again to pause",
                                          layout=w.Layout(width="96px"))
        self.play_button.observe(self._on_play, names="value")
        self.step_button = w.Button(description="Step", icon="step-forward", tooltip="train one frame",
                                    layout=w.Layout(width="86px"))
        self.step_button.on_click(lambda _: self.step())
        self.reset_button = w.Button(description="Reset", icon="undo", tooltip="new network from the seed",
                                     layout=w.Layout(width="86px"))
        self.reset_button.on_click(lambda _: self.reset())
        self.epoch_label = w.HTML(layout=w.Layout(margin="0 0 0 12px"))
        self.epoch_label.add_class("nncore-epoch")
        run_bar = [self.play_button, self.step_button, self.reset_button, self._ticker]
        if "epochs_per_frame" in self.controls:
            run_bar.append(self.controls["epochs_per_frame"])
        run_bar.append(self.epoch_label)

        self.image = w.Image(format="jpeg", layout=w.Layout(width="900px", max_width="100%", height="auto"))
        self.image.add_class("nncore-figure")
        self._redraw()
        box = w.VBox([w.HBox(run_bar, layout=w.Layout(align_items="center")), self.image, self._control_panel(w)])
        box.add_class("nncore-playground")
        return box

    def _control_panel(self, w):
        """Every control with its help line: three tabs for the full Playground, one block in classroom mode."""
        def row(name):
            help_text = w.HTML(f"<span style='color:#777;font-size:12px'>{ctl.CONTROLS[name].help}</span>",
                               layout=w.Layout(margin="0 0 0 8px"))
            return w.HBox([self.controls[name], help_text], layout=w.Layout(align_items="center"))

        def rows(names):
            out = [row(n) for n in names if ctl.CONTROLS[n].group != "run"]
            if "data_seed" in names:
                regenerate = w.Button(description="Regenerate", icon="refresh", tooltip="new points: data seed + 1",
                                      layout=w.Layout(width="130px", margin="2px 0 2px 100px"))
                regenerate.on_click(lambda _: self.controls["data_seed"].set_trait(
                    "value", self.state.config["data_seed"] + 1))
                out.append(regenerate)
            return out

        if self.state.config["controls"] is not None:
            return w.VBox(rows(list(self.controls)))
        pages = [w.VBox(rows([n for n in self.controls if ctl.CONTROLS[n].group == group])) for group in ctl.GROUPS]
        return w.Tab(pages, titles=[g.capitalize() for g in ctl.GROUPS], selected_index=2)

    # ---- frames ------------------------------------------------------------------------------------

    def _redraw(self):
        """Draw the current state into the image and the epoch counter."""
        self.figure.draw(self.state)
        s = self.state.summary()
        self.epoch_label.value = f"<b style='font-size:15px'>epoch {s['epoch']:,}</b>"
        self.image.value = self.figure.encode("jpeg")
        self._last_frame_end = time.perf_counter()

    def step(self):
        """One frame: train ``epochs_per_frame`` epochs, then redraw."""
        self.state.advance()
        self._redraw()
        if self.state.diverged and self.play_button.value:
            self.play_button.value = False

    def reset(self):
        """A fresh network from the seed, keeping every setting."""
        self.state.reset()
        self._redraw()

    def _on_tick(self, change):
        # Ticks come at a fixed rate from the browser. If frames are slower than that, ticks queue up and
        # arrive back to back: those are dropped, so Pause and slider moves never wait behind a backlog.
        if time.perf_counter() - self._last_frame_end < 0.2 * FRAME_INTERVAL_MS / 1000:
            return
        if self.play_button.value:
            self.step()

    def _on_play(self, change):
        playing = change["new"]
        self.play_button.description, self.play_button.icon = ("Pause", "pause") if playing else ("Play", "play")
        self.play_button.button_style = "warning" if playing else "success"
        self._ticker.playing = playing

    def _on_control(self, name, value):
        if self._syncing:
            return
        self.state.update(**ctl.config_change(name, value, self.state.config))
        self._sync_controls()
        self._redraw()

    def _sync_controls(self):
        """Show settings that changed as a consequence (e.g. noise after a new data set) without re-triggering."""
        self._syncing = True
        try:
            for name, widget in self.controls.items():
                value = ctl.shown_value(name, self.state.config)
                if value is not None and widget.value != value:
                    widget.value = value
        finally:
            self._syncing = False
