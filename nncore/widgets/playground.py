"""``Playground``: TensorFlow Playground in a notebook, on the course's own networks.

It ties together the model state (``state.PlaygroundState``), what a frame shows (``frame``), the live
picture drawn in the browser (``canvas.LiveView``) and the controls (``controls``). In a live notebook it
shows widgets and trains in small chunks, one per frame the page asks for: each runs ``epochs_per_frame``
epochs and sends the new frame, then hands control back to the kernel, so slider moves, clicks and button
presses keep flowing while it plays. Without a frontend (nbconvert, nbgrader, CI) it trains
``snapshot_epochs`` epochs and shows one static matplotlib picture (``figure``).

Every word it shows is in the learner's language (``nncore.i18n``), looked up when the widget or the
snapshot is made: in JupyterLab the kernel knows its notebook, so a Chinese notebook's Playground is labelled
in Chinese; the words the page draws itself come from the kernel too (``frame.words``).
"""

import base64
import copy
import html
import os
from typing import TYPE_CHECKING

from nncore.i18n import _
from nncore.widgets import controls as ctl
from nncore.widgets.figure import snapshot_png
from nncore.widgets.frame import live_frame, points, words
from nncore.widgets.state import PlaygroundState, points_from_csv

if TYPE_CHECKING:
    import ipywidgets

FRAME_INTERVAL_MS = 33        # Play asks for a frame at most every 33 ms: up to 30 pictures a second
COLOUR_WARNING = "#b2182b"


def has_frontend() -> bool:
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
    ``Playground(dataset="moons", hidden_units=[8, 4], optimizer="adam", learning_rate=0.01)``, or
    ``Playground(dataset="spirals", classes=3)``, or your own points:
    ``Playground(dataset="custom", points=[[x1, x2, label], …])``. ``controls=[names…]`` makes a classroom
    Playground that shows only those controls (names from ``controls.CONTROLS``); everything else stays as
    configured. ``config`` gives back a plain dict such that ``Playground(**pg.config)`` rebuilds the same
    Playground. ``frontend`` forces widgets on or off (default: ``has_frontend()``).
    """

    def __init__(self, frontend: bool | None = None, **config):
        names = config.get("controls")
        unknown = sorted(set(names or ()) - set(ctl.CONTROLS))
        if unknown:
            raise ValueError(_("unknown control(s) {unknown}; the controls are {names}").format(
                unknown=unknown, names=list(ctl.CONTROLS)))
        self.state = PlaygroundState(**config)
        self.frontend = has_frontend() if frontend is None else frontend
        self.controls, self._widget, self._snapshot, self._shown_data = {}, None, None, None
        self._syncing = False

    @property
    def config(self) -> dict:
        """The settings as a plain dict (JSON-friendly): ``Playground(**config)`` restores this Playground."""
        return copy.deepcopy(self.state.config)

    # ---- static snapshot ---------------------------------------------------------------------------

    def snapshot(self) -> bytes:
        """Train ``snapshot_epochs`` epochs (if not trained yet) and return the picture as PNG bytes."""
        if self._snapshot is None:
            target = self.state.config["snapshot_epochs"]
            while self.state.epoch < target and not self.state.diverged and self.state.labels_train.size:
                self.state.advance(min(self.state.config["epochs_per_frame"], target - self.state.epoch))
            self._snapshot = snapshot_png(self.state, resolution=2 * self.state.config["resolution"])
        return self._snapshot

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self.frontend:
            return self.widget._repr_mimebundle_(include=include, exclude=exclude)
        png = base64.b64encode(self.snapshot()).decode("ascii")
        s = self.state.summary()
        text = _("Playground snapshot after {epochs} epochs: train accuracy {train}, dev accuracy {dev} "
                 "(live controls need a running notebook)").format(
            epochs=s["epoch"], train=f"{s['train_accuracy']:.1%}", dev=f"{s['dev_accuracy']:.1%}")
        return {"image/png": png, "text/plain": text}

    # ---- live widget -------------------------------------------------------------------------------

    @property
    def widget(self) -> "ipywidgets.VBox":
        """The ipywidgets box: run bar, the live picture, your own data's tools and the controls."""
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self):
        import ipywidgets as w

        from nncore.widgets.canvas import LiveView

        config = self.state.config
        for name in config["controls"] if config["controls"] is not None else list(ctl.CONTROLS):
            self.controls[name] = ctl.build(name, config)
            self.controls[name].observe(lambda change, name=name: self._on_control(name, change["new"]), names="value")
        self.play_button = w.ToggleButton(description=_("Play"), icon="play", button_style="success",
                                          tooltip=_("train continuously; press again to pause"),
                                          layout=w.Layout(width="96px"))
        self.play_button.observe(self._on_play, names="value")
        self.step_button = _button(w, _("Step"), "step-forward", _("train one frame"), self.step)
        self.reset_button = _button(w, _("Reset"), "undo", _("new network from the seed"), self.reset)
        run_bar = [self.play_button, self.step_button, self.reset_button]
        if "epochs_per_frame" in self.controls:
            run_bar.append(self.controls["epochs_per_frame"])
        self.view = LiveView(on_tick=self.step, on_click=self._on_click, interval=FRAME_INTERVAL_MS, words=words(),
                             **self._frame())
        box = w.VBox([w.HBox(run_bar, layout=w.Layout(align_items="center")), self.view, self._data_tools(w),
                      self._control_panel(w)])
        box.add_class("nncore-playground")
        return box

    def _data_tools(self, w):
        """Your own data: the class a click adds, Clear, and a CSV file of x1, x2, label to load."""
        self.class_picker = w.ToggleButtons(options=self._class_options(), value=0, description=_("click adds"),
                                            style={"description_width": "70px", "button_width": "74px"})
        self.class_picker.add_class("nncore-class-picker")
        clear = _button(w, _("Clear"), "trash", _("start your own data set from no points"), self.clear_points)
        self.upload = w.FileUpload(accept=".csv,text/csv", description=_("Load CSV"), layout=w.Layout(width="120px"))
        self.upload.observe(self._on_upload, names="value")
        self.message = w.HTML(layout=w.Layout(margin="0 0 0 10px"))
        self.message.add_class("nncore-message")
        return w.HBox([self.class_picker, clear, self.upload, self.message], layout=w.Layout(align_items="center"))

    def _class_options(self):
        """The class a click adds, by its number and its colour's name (``colours.PALETTE``, in words)."""
        colours = (_("red"), _("blue"), _("green"), _("purple"), _("yellow"), _("grey"))
        return [(f"{k} {colours[k]}", k) for k in range(self.state.config["classes"])]

    def _control_panel(self, w):
        """Every control with its help line: three tabs for the full Playground, one block in classroom mode."""
        def row(name):
            help_text = w.HTML(f"<span style='color:#777;font-size:12px'>{ctl.CONTROLS[name].help}</span>",
                               layout=w.Layout(margin="0 0 0 8px"))
            return w.HBox([self.controls[name], help_text], layout=w.Layout(align_items="center"))

        def rows(names):
            out = [row(n) for n in names if ctl.CONTROLS[n].group != "run"]
            if "data_seed" in names:
                regenerate = _button(w, _("Regenerate"), "refresh", _("new points: data seed + 1"),
                                     lambda: self.controls["data_seed"].set_trait("value",
                                                                                  self.state.config["data_seed"] + 1))
                regenerate.layout = w.Layout(width="130px", margin="2px 0 2px 100px")
                out.append(regenerate)
            return out

        if self.state.config["controls"] is not None:
            return w.VBox(rows(list(self.controls)))
        pages = [w.VBox(rows([n for n in self.controls if ctl.CONTROLS[n].group == group])) for group in ctl.GROUPS]
        return w.Tab(pages, titles=[ctl.group_title(g) for g in ctl.GROUPS], selected_index=2)

    # ---- frames ------------------------------------------------------------------------------------

    def _frame(self):
        """What the live picture shows now (with the points and the plane when the data changed)."""
        frame = live_frame(self.state)
        if self._shown_data is not self.state.X_train:
            frame.update(points=points(self.state), extent=list(map(float, self.state.extent)))
            self._shown_data = self.state.X_train
        return frame

    def _redraw(self):
        """Send the current state to the live picture."""
        self.view.show(self._frame())

    def step(self) -> None:
        """One frame: train ``epochs_per_frame`` epochs, then redraw."""
        self.state.advance()
        self._redraw()
        if self.state.diverged and self.play_button.value:
            self.play_button.value = False

    def reset(self) -> None:
        """A fresh network from the seed, keeping every setting."""
        self.state.reset()
        self._redraw()

    def _on_play(self, change):
        playing = change["new"]
        self.play_button.description, self.play_button.icon = (_("Pause"), "pause") if playing else (_("Play"), "play")
        self.play_button.button_style = "warning" if playing else "success"
        self.view.playing = playing

    def _apply(self, **changes):
        """Apply settings from a control, a click or a file; a setting that cannot be says why, under the picture."""
        try:
            self.state.update(**changes)
            self.message.value = ""
        except ValueError as error:
            self.message.value = f"<span style='color:{COLOUR_WARNING}'>{error}</span>"
        self._sync_controls()
        self._redraw()

    def _on_control(self, name, value):
        if not self._syncing:
            self._apply(**ctl.config_change(name, value, self.state.config))

    def _on_click(self, x1, x2):
        self.state.add_point(x1, x2, self.class_picker.value)
        self._sync_controls()
        self._redraw()

    def clear_points(self) -> None:
        """Your own data set, with no points yet (click to add them)."""
        self._apply(dataset="custom", points=[], classes=self.state.config["classes"],
                    output=self.state.config["output"])

    def _on_upload(self, change):
        if not change["new"]:
            return
        upload = change["new"][0]
        try:
            rows = points_from_csv(bytes(upload["content"]).decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as error:
            self.message.value = f"<span style='color:{COLOUR_WARNING}'>{html.escape(upload['name'])}: {error}</span>"
            return
        self._apply(dataset="custom", points=rows, classes=max(2, 1 + max(p[2] for p in rows)))
        if not self.message.value:
            self.message.value = _("{file}: {count} points loaded").format(file=html.escape(upload["name"]),
                                                                           count=len(rows))

    def _sync_controls(self):
        """Show settings that changed as a consequence (e.g. noise after a new data set) without re-triggering."""
        self._syncing = True
        try:
            if "watch" in self.controls:
                self.controls["watch"].options = ctl.options("watch", self.state.config)
            if self.class_picker.options != tuple(self._class_options()):
                self.class_picker.options = self._class_options()
            for name, widget in self.controls.items():
                value = ctl.shown_value(name, self.state.config)
                if value is not None and widget.value != value:
                    widget.value = value
        finally:
            self._syncing = False


def _button(w, description, icon, tooltip, action):
    button = w.Button(description=description, icon=icon, tooltip=tooltip, layout=w.Layout(width="86px"))
    button.on_click(lambda _: action())
    return button
