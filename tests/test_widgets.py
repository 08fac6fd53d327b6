"""The Playground without a browser: its state, its picture and its widget callbacks.

Expected values come from nncore itself (a plain ``training.Trainer`` trained the same way, the network's
own ``predict_proba``) or from the schedules' formulas; the browser test (test_browser.py) covers the
same widgets rendered by JupyterLab.
"""

import base64
import io
import json
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
from PIL import Image

from nncore import data, training
from nncore.i18n import in_language
from nncore.widgets import Playground, has_frontend
from nncore.widgets import controls as ctl
from nncore.widgets.colours import LIGHTNESS, PALETTE, boundary_rgba, rgb
from nncore.widgets.frame import live_frame, unit_tiles
from nncore.widgets.state import DATA, DEFAULT_NOISE, DEFAULTS, LIVE, MODEL, VIEW, PlaygroundState, points_from_csv

SMALL = {"m": 200, "hidden_units": [5], "epochs_per_frame": 5, "resolution": 24, "snapshot_epochs": 40}


def parameters_equal(a, b):
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def reference_trainer(state):
    """A Trainer built from the Playground's settings by hand, on the Playground's own training split."""
    c = state.config
    X, Y = data.make_2d(c["dataset"], m=c["m"], noise=c["noise"], seed=c["data_seed"])
    X_train, Y_train, _, _ = data.train_dev_split(X, Y.astype(float), c["dev_fraction"], seed=c["data_seed"])
    trainer = training.Trainer([2, *c["hidden_units"], 1], hidden=c["activation"], init_method=c["init_method"],
                               optimizer=c["optimizer"], learning_rate=c["learning_rate"], seed=c["seed"])
    return trainer, X_train, Y_train


def test_nncore_and_a_static_playground_work_without_ipywidgets():
    code = ("import sys; sys.modules['ipywidgets'] = None\n"
            "import nncore.widgets\n"
            "pg = nncore.widgets.Playground(frontend=False, m=100, snapshot_epochs=20)\n"
            "assert pg._repr_mimebundle_()['image/png']\n"
            "print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


def test_config_is_a_plain_dict_that_rebuilds_the_same_playground():
    pg = Playground(frontend=False, dataset="moons", hidden_units=[6, 3], lambd=0.1, mini_batch_size=32,
                    controls=["lambd", "keep_prob"], **{k: v for k, v in SMALL.items() if k != "hidden_units"})
    config = pg.config
    assert json.loads(json.dumps(config)) == config
    assert set(config) == set(DEFAULTS)
    groups = [set(DATA), set(MODEL), set(LIVE), set(VIEW)]      # every setting is data, model, live or view
    assert set().union(*groups) == set(DEFAULTS) and sum(map(len, groups)) == len(DEFAULTS)
    again = Playground(frontend=False, **config)
    assert again.config == config
    assert np.array_equal(again.state.X_train, pg.state.X_train)
    assert parameters_equal(again.state.trainer.parameters, pg.state.trainer.parameters)
    config["hidden_units"].append(9)                      # a copy: editing it leaves the Playground alone
    assert pg.config["hidden_units"] == [6, 3]


def test_unknown_settings_and_controls_are_refused_with_the_valid_names():
    with pytest.raises(TypeError, match="learning_rate"):
        Playground(frontend=False, learnig_rate=0.1)
    with pytest.raises(ValueError, match="adam"):
        Playground(frontend=False, optimizer="sgd")
    with pytest.raises(ValueError, match="lambd"):
        Playground(frontend=False, controls=["lambda"])


def test_chunked_training_is_the_trainers_own_training():
    state = PlaygroundState(**SMALL)
    trainer, X_train, Y_train = reference_trainer(state)
    for _ in range(3):
        state.advance()
    trainer.run_epochs(X_train, Y_train, 15)
    assert state.epoch == 15 and state.history["epoch"] == [0, 5, 10, 15]
    assert parameters_equal(state.trainer.parameters, trainer.parameters)
    cost, accuracy = trainer.evaluate(X_train, Y_train)
    assert state.history["train_cost"][-1] == pytest.approx(cost)
    assert state.history["train_accuracy"][-1] == pytest.approx(accuracy)


def test_alpha_changes_live_without_a_reset():
    state = PlaygroundState(**SMALL)
    trainer, X_train, Y_train = reference_trainer(state)
    state.advance(20)
    network, weights = state.trainer, dict(state.trainer.parameters)
    assert state.update(learning_rate=0.05, lambd=0.1, keep_prob=0.9) == "live"
    assert state.trainer is network and state.epoch == 20 and parameters_equal(state.trainer.parameters, weights)
    assert len(state.history["epoch"]) == 2
    state.advance(10)
    trainer.run_epochs(X_train, Y_train, 20)
    trainer.learning_rate, trainer.lambd, trainer.keep_prob = 0.05, 0.1, 0.9
    trainer.run_epochs(X_train, Y_train, 10)
    assert parameters_equal(state.trainer.parameters, trainer.parameters)


def test_architecture_optimizer_and_data_changes_reset_from_the_seed():
    state = PlaygroundState(**SMALL)
    first = dict(state.trainer.parameters)
    state.advance(10)
    assert state.update(hidden_units=[7, 3]) == "reset"
    assert state.epoch == 0 and state.history["epoch"] == [0]
    assert state.trainer.parameters["W1"].shape == (7, 2) and state.trainer.parameters["W3"].shape == (1, 3)
    assert state.update(hidden_units=[5]) == "reset"
    assert parameters_equal(state.trainer.parameters, first)   # same seed, same initial weights
    state.advance(10)
    assert state.update(optimizer="momentum") == "reset" and state.epoch == 0
    X_before = state.X_train
    assert state.update(dataset="circles") == "data"
    assert state.config["noise"] == DEFAULT_NOISE["circles"] and state.X_train is not X_before
    assert state.update(noise=0.2) == "data" and state.config["noise"] == 0.2


def test_same_seeds_same_run_and_another_seed_another_run():
    runs = []
    for seed in (3, 3, 4):
        state = PlaygroundState(seed=seed, mini_batch_size=32, keep_prob=0.8, **SMALL)
        for _ in range(4):
            state.advance()
        runs.append(state)
    assert runs[0].history == runs[1].history
    assert parameters_equal(runs[0].trainer.parameters, runs[1].trainer.parameters)
    assert runs[0].history["train_cost"][-1] != runs[2].history["train_cost"][-1]
    other_points = PlaygroundState(data_seed=2, **SMALL)
    assert not np.array_equal(other_points.X_train, runs[0].X_train)


def test_schedule_ticks_every_decay_every_epochs():
    state = PlaygroundState(schedule="inverse_time", decay_every=100, learning_rate=0.3, **SMALL)
    state.trainer.epoch = 250
    assert state.trainer.current_learning_rate() == pytest.approx(0.3 / (1 + 2))
    state.update(schedule="step")
    assert state.trainer.current_learning_rate() == pytest.approx(0.3 / 4)


def test_grid_is_the_networks_own_prediction_over_the_plane():
    state = PlaygroundState(**SMALL)
    state.advance(30)
    P, units = state.grid(16)
    x0, x1, y0, y1 = state.extent
    i, j = 3, 11                                          # row i is x2 (from the bottom), column j is x1
    point = np.array([[np.linspace(x0, x1, 16)[j]], [np.linspace(y0, y1, 16)[i]]])
    assert P.shape == (2, 16, 16) and P[1, i, j] == pytest.approx(state.trainer.predict_proba(point)[0, 0])
    assert P[0] == pytest.approx(1 - P[1])
    assert [u.shape for u in units] == [(5, 16, 16)]
    Z1 = state.trainer.parameters["W1"] @ point + state.trainer.parameters["b1"]
    assert units[0][:, i, j] == pytest.approx(np.tanh(Z1[:, 0]))
    tiles = unit_tiles(units, 8)
    assert tiles.shape == (5 * 9, 9) and np.nanmax(np.abs(tiles)) == pytest.approx(1.0)


def test_softmax_output_gives_every_class_its_probability():
    state = PlaygroundState(output="softmax", **SMALL)
    state.advance(30)
    P, _ = state.grid(8)
    assert state.trainer.parameters["W2"].shape == (2, 5)
    assert P.shape == (2, 8, 8) and np.allclose(P.sum(axis=0), 1)
    assert state.history["train_accuracy"][-1] > 0.5


def test_a_diverging_run_stops_and_says_so():
    # α = 100 overflows the ReLU net's weights to nan; at α = 10 they only grow to ~1e5 and the cost (from the
    # logits) stays finite: a run that fails to learn, not one that diverges.
    state = PlaygroundState(optimizer="gd", learning_rate=100, activation="relu", init_method="he",
                            **{k: v for k, v in SMALL.items() if k != "hidden_units"})
    for _ in range(40):
        state.advance()
    assert state.diverged
    epoch = state.epoch
    assert state.advance() == epoch


def test_without_a_frontend_the_playground_shows_a_trained_snapshot(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv("NNCOURSE_FRONTEND", raising=False)
    assert not has_frontend()
    pg = Playground(**SMALL)
    bundle = pg._repr_mimebundle_()
    assert pg._widget is None and pg.state.epoch == SMALL["snapshot_epochs"]
    picture = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert picture.format == "PNG" and picture.size == (900, 387)
    assert f"after {SMALL['snapshot_epochs']} epochs" in bundle["text/plain"]
    monkeypatch.setenv("NNCOURSE_FRONTEND", "1")
    assert has_frontend()


def test_classroom_mode_shows_only_the_named_controls():
    pg = Playground(frontend=True, controls=["learning_rate", "hidden_units"], **SMALL)
    box = pg.widget
    assert list(pg.controls) == ["learning_rate", "hidden_units"]

    def descendants(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from descendants(child)

    shown = {w.description for w in descendants(box) if getattr(w, "description", None)}
    labels = {c.label for c in ctl.CONTROLS.values()}
    assert shown & labels == {"α", "units n[l]"}
    full = Playground(frontend=True, **SMALL)
    assert full.widget.children
    assert list(full.controls) == list(ctl.CONTROLS)


def tick(pg):
    """What the page sends when it asks for the next frame while playing."""
    pg.view._message(pg.view, {"type": "tick"}, [])


def test_widget_callbacks_play_step_and_turn_the_knobs():
    pg = Playground(frontend=True, **SMALL)
    assert pg.widget.children
    first = bytes(pg.view.boundary)
    assert len(first) == 24 * 24 * 4 and pg.view.resolution == 24
    tick(pg)                                               # a tick while paused trains nothing, but is answered
    assert pg.state.epoch == 0 and pg.view.frame == 1
    pg.play_button.value = True
    assert pg.view.playing and pg.play_button.description == "Pause"
    tick(pg)
    assert pg.state.epoch == 5 and pg.view.header.startswith("epoch 5") and bytes(pg.view.boundary) != first
    assert pg.view.frame == 2 and pg.view.curves["epoch"] == [0, 5]
    before = pg.view.settings
    pg.controls["learning_rate"].value = 0.1               # live: same network, new α, the view says so
    assert pg.state.trainer.learning_rate == pytest.approx(0.1) and pg.state.epoch == 5
    assert "α = 0.1" in pg.view.settings and pg.view.settings != before
    pg.controls["hidden_layers"].value = 2
    assert pg.state.config["hidden_units"] == [5, 5] and pg.state.epoch == 0
    pg.controls["hidden_units"].value = 3
    assert pg.state.config["hidden_units"] == [3, 3]
    assert ("W3[0,2]", "W3 0 2") in pg.controls["watch"].options   # the rule's weights follow the network
    assert pg.controls["mini_batch_size"].value == 0                 # "full batch"
    pg.controls["mini_batch_size"].value = 16
    assert pg.state.trainer.mini_batch_size == 16
    pg.controls["mini_batch_size"].value = 0
    assert pg.state.config["mini_batch_size"] is None
    pg.controls["dataset"].value = "xor"
    assert pg.controls["noise"].value == DEFAULT_NOISE["xor"] == pg.state.config["noise"]
    pg.step_button.click()
    assert pg.state.epoch == 5
    pg.reset_button.click()
    assert pg.state.epoch == 0
    pg.play_button.value = False
    assert not pg.view.playing and pg.play_button.description == "Play"


def test_a_setting_that_cannot_be_says_why_instead_of_raising():
    pg = Playground(frontend=True, **SMALL)
    assert pg.widget.children
    pg.controls["classes"].value = 3                       # the flower has two classes
    assert pg.state.config["classes"] == 2 and pg.controls["classes"].value == 2
    assert "two classes" in pg.message.value
    pg.controls["dataset"].value = "spirals"
    pg.controls["classes"].value = 4
    assert pg.state.config["output"] == "softmax" and pg.controls["output"].value == "softmax"
    assert pg.message.value == "" and [k for _, k in pg.class_picker.options] == [0, 1, 2, 3]
    pg.controls["output"].value = "sigmoid"                # four classes need a softmax
    assert pg.state.config["output"] == "softmax" and "softmax" in pg.message.value


def test_config_change_and_shown_value_are_inverse():
    config = dict(DEFAULTS, hidden_units=[8, 4])
    assert ctl.config_change("hidden_layers", 3, config) == {"hidden_units": [8, 4, 4]}
    assert ctl.config_change("hidden_layers", 1, config) == {"hidden_units": [8]}
    assert ctl.config_change("hidden_units", 6, config) == {"hidden_units": [6, 6]}
    for name in ctl.CONTROLS:
        value = ctl.shown_value(name, config)
        new = {**config, **ctl.config_change(name, value, config)}
        assert ctl.shown_value(name, new) == value


def test_saturated_correct_outputs_cost_nothing_instead_of_nan():
    # A network that fits its points perfectly outputs exactly 0 or 1 in float64: 0·log 0 must count as 0.
    from nncore import losses
    assert losses.binary_cross_entropy(np.array([[1.0, 0.0]]), np.array([[1, 0]])) == 0.0
    with np.errstate(divide="ignore"):
        assert losses.binary_cross_entropy(np.array([[1.0]]), np.array([[0]])) == np.inf
    state = PlaygroundState(dataset="blobs", noise=0.3, hidden_units=[8], learning_rate=0.1, **{
        k: v for k, v in SMALL.items() if k != "hidden_units"})
    for _ in range(60):
        state.advance()
    assert not state.diverged and np.isfinite(state.history["train_cost"][-1])


# ---- own data, more classes, the rule, backprop -------------------------------------------------------

OWN = [[-1.0, -1.0, 0], [1.0, 1.0, 1], [1.2, -0.8, 2], [-0.5, 0.9, 1], [0.3, 0.2, 0], [0.8, 0.4, 2]]


def test_config_round_trips_every_new_setting():
    pg = Playground(frontend=False, dataset="custom", points=OWN, classes=3, watch=["W2", 1, 2], dev_fraction=0.4,
                    **SMALL)
    config = pg.config
    assert json.loads(json.dumps(config)) == config
    assert config["output"] == "softmax" and config["classes"] == 3 and config["points"] == OWN
    again = Playground(frontend=False, **config)
    assert again.config == config
    assert np.array_equal(again.state.X_dev, pg.state.X_dev) and np.array_equal(again.state.labels_train,
                                                                                 pg.state.labels_train)
    assert again.state.watch_key() == ("W2", 1, 2)
    spirals = Playground(frontend=False, dataset="spirals", classes=4, **SMALL).config
    assert Playground(frontend=False, **spirals).config == spirals and spirals["output"] == "softmax"


def test_own_points_keep_their_split_when_a_point_is_added():
    state = PlaygroundState(dataset="custom", points=OWN * 5, **SMALL)
    X = np.hstack([state.X_train, state.X_dev])
    assert X.shape == (2, 30) and state.X_dev.shape[1] not in (0, 30)
    dev_before = {tuple(x) for x in state.X_dev.T}
    state.add_point(0.5, -0.5, 1)
    assert dev_before <= {tuple(x) for x in state.X_dev.T}             # nobody moved from dev to train
    assert len(state.config["points"]) == 31 and state.config["points"][-1] == [0.5, -0.5, 1]
    assert state.epoch == 0                                            # new data, a fresh network
    assert state.extent == (-1.5, 1.5, -1.5, 1.5)
    state.add_point(2.0, 0.0, 0)                                       # near the edge: the plane doubles
    assert state.extent == (-3.0, 3.0, -3.0, 3.0)


def test_a_click_on_a_generated_set_makes_it_your_own_data():
    pg = Playground(frontend=True, **SMALL)
    assert pg.widget.children
    m = pg.state.X_train.shape[1] + pg.state.X_dev.shape[1]
    pg.class_picker.value = 1
    pg.view._message(pg.view, {"type": "click", "x1": 0.25, "x2": -0.5}, [])
    c = pg.state.config
    assert c["dataset"] == "custom" and len(c["points"]) == m + 1 and c["points"][-1] == [0.25, -0.5, 1]
    assert pg.controls["dataset"].value == "custom"
    assert [0.25, -0.5, 1] in [p[:3] for p in pg.view.points]          # the page shows the new point
    pg.class_picker.value = 0
    pg.clear_points()
    assert pg.state.config["points"] == [] and pg.view.points == []
    assert "no training points" in pg.view.header
    tick_paused = pg.state.advance()                                    # nothing to train on: nothing happens
    assert tick_paused == 0 and not pg.state.diverged
    for x1, x2, label in OWN:
        pg.class_picker.options = pg._class_options() + [("2", 2)] if label == 2 else pg.class_picker.options
        pg.view._message(pg.view, {"type": "click", "x1": x1, "x2": x2}, [])
    assert len(pg.state.config["points"]) == len(OWN)


def test_csv_points_load_and_bad_files_say_what_is_wrong():
    assert points_from_csv("x1,x2,label\n0.5, -1, 0\n1,2,1\n") == [[0.5, -1.0, 0], [1.0, 2.0, 1]]
    assert points_from_csv("-1,2,2\n") == [[-1.0, 2.0, 2]]
    with pytest.raises(ValueError, match="three numbers"):
        points_from_csv("1,2\n3,4\n")
    with pytest.raises(ValueError, match="whole numbers"):
        points_from_csv("1,2,0.5\n")
    with pytest.raises(ValueError, match="no rows"):
        points_from_csv("x1,x2,label\n")
    pg = Playground(frontend=True, **SMALL)
    assert pg.widget.children
    pg._on_upload({"new": [{"name": "mine.csv", "content": memoryview(b"x1,x2,label\n0,0,0\n1,1,1\n2,0,2\n")}]})
    assert pg.state.config["dataset"] == "custom" and pg.state.config["classes"] == 3
    assert "3 points loaded" in pg.message.value
    pg._on_upload({"new": [{"name": "bad.csv", "content": memoryview(b"1;2;3\n")}]})
    assert "bad.csv" in pg.message.value and "three numbers" in pg.message.value
    assert pg.state.config["classes"] == 3                               # the bad file changed nothing


def test_k_classes_train_a_softmax_and_colour_the_plane_by_the_surest_class():
    state = PlaygroundState(dataset="spirals", classes=3, hidden_units=[16], mini_batch_size=32, **{
        k: v for k, v in SMALL.items() if k != "hidden_units"})
    assert sorted(set(state.labels_train)) == [0, 1, 2] and state.trainer.parameters["W2"].shape == (3, 16)
    for _ in range(20):
        state.advance()
    assert state.history["train_accuracy"][-1] > 0.5                   # well above the 1/3 of guessing
    P, _ = state.grid(8)
    assert P.shape == (3, 8, 8) and np.allclose(P.sum(axis=0), 1)
    G = np.array([[0.0, 0.5, 0.2], [1.0, 0.5, 0.5], [0.0, 0.0, 0.3]]).reshape(3, 1, 3)   # sure, a tie, unsure
    image = boundary_rgba(G)[0]
    assert image[0, :3] == pytest.approx(255 * (LIGHTNESS * rgb(PALETTE[1]) + 1 - LIGHTNESS), abs=0.5)
    assert list(image[1, :3]) == [255, 255, 255]
    confidence = 0.5 - 0.3                                     # the margin over the second most probable class
    assert image[2, :3] == pytest.approx(255 * (1 - confidence + confidence * (LIGHTNESS * rgb(PALETTE[1]) + 1 -
                                                                               LIGHTNESS)), abs=0.5)
    with pytest.raises(ValueError, match="two classes"):
        PlaygroundState(dataset="moons", classes=3)


def test_view_settings_leave_training_alone():
    state = PlaygroundState(**SMALL)
    state.advance()
    trainer, weights = state.trainer, dict(state.trainer.parameters)
    assert state.update(watch=["W2", 0, 3], resolution=32) == "view"
    assert state.trainer is trainer and parameters_equal(trainer.parameters, weights) and state.epoch == 5
    assert state.watch_key() == ("W2", 0, 3)
    assert state.update(watch=["W9", 7, 7]) == "view" and state.watch_key() == ("W1", 4, 1)   # kept in range
    assert state.update(watch=["W2", 0, 1], learning_rate=0.02) == "live" and state.watch_key() == ("W2", 0, 1)
    state.advance(1)
    assert state.last_update["w_new"] == state.trainer.parameters["W2"][0, 1]


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
def test_the_rule_on_screen_is_the_update_nncore_made(optimizer):
    from nncore.widgets.rule import rule_html, rule_lines
    state = PlaygroundState(optimizer=optimizer, watch=["W1", 2, 1], **SMALL)
    assert rule_lines(state) == [] and "press Step" in rule_html(state)
    state.advance(3)
    parameters_before = dict(state.trainer.parameters)
    state.advance(1)                                   # full batch: one step, from parameters_before
    u, lines = state.last_update, {q: v for q, _, v in rule_lines(state)}
    AL, caches = training.forward(state.X_train, parameters_before, "tanh", "sigmoid")
    grads = training.backward(AL, state.targets(state.labels_train), caches, "tanh")
    assert lines["g"] == pytest.approx(grads["dW1"][2, 1], rel=1e-12)              # the gradient nncore used
    assert u["w"] == parameters_before["W1"][2, 1] and u["t"] == 4
    assert lines["W1[2,1]"] == pytest.approx(state.trainer.parameters["W1"][2, 1], rel=1e-12, abs=1e-15)
    assert u["w_new"] == state.trainer.parameters["W1"][2, 1]
    if optimizer == "adam":
        b1, b2 = state.trainer.optimizer.beta1, state.trainer.optimizer.beta2
        assert lines["v̂"] == pytest.approx(u["v"] / (1 - b1 ** 4))
        assert lines["ŝ"] == pytest.approx(u["s"] / (1 - b2 ** 4))
    assert "W1[2,1]" in rule_html(state) and "t = 4" in rule_html(state)


def test_backprop_steps_agree_with_nncores_forward_and_backward():
    from nncore.widgets.backprop import Backprop, backprop_steps
    pg = Backprop(layer_dims=(2, 3, 1), hidden="tanh", seed=4, x=(0.3, -0.7), y=1, frontend=False)
    final = pg.steps[-1].values
    parameters = {k: final[k] for k in ("W1", "b1", "W2", "b2")}
    x, Y = np.array([[0.3], [-0.7]]), np.array([[1.0]])
    AL, caches = training.forward(x, parameters, "tanh", "sigmoid")
    grads = training.backward(AL, Y, caches, "tanh")
    assert final["A2"] == pytest.approx(AL) and final["Z1"] == pytest.approx(caches[0]["Z"])
    for key in ("dW1", "db1", "dW2", "db2"):
        assert final[key] == pytest.approx(grads[key], rel=1e-12), key
    # and against centred differences of J (independent of any backward formula)
    def cost(p):
        a1 = np.tanh(p["W1"] @ x + p["b1"])
        a2 = 1 / (1 + np.exp(-(p["W2"] @ a1 + p["b2"])))
        return float(-np.log(a2[0, 0]))
    eps = 1e-6
    for i, j in [(0, 0), (2, 1)]:
        plus, minus = {k: v.copy() for k, v in parameters.items()}, {k: v.copy() for k, v in parameters.items()}
        plus["W1"][i, j] += eps
        minus["W1"][i, j] -= eps
        assert final["dW1"][i, j] == pytest.approx((cost(plus) - cost(minus)) / (2 * eps), rel=1e-6)
    titles = [s.title for s in pg.steps]
    assert titles[1] == "forward, layer 1" and titles[-1] == "backward, weights of layer 1"
    assert "dW1" not in pg.steps[3].values and "A2" in pg.steps[2].values       # values appear step by step
    assert len(backprop_steps(parameters, x, 0.0, "relu")) == len(pg.steps)
    live = Backprop(frontend=True)
    assert live.widget.children
    step_button = live.widget.children[0].children[1]
    step_button.click()
    step_button.click()
    assert live.position == 2 and "forward, layer 2" in live._view.value and "a 0." in live._view.value
    bundle = Backprop(frontend=False)._repr_mimebundle_()
    assert "<svg" in bundle["text/html"] and "dW" in bundle["text/html"]


def test_a_live_frame_is_what_the_state_shows():
    state = PlaygroundState(**SMALL)
    state.advance()
    frame = live_frame(state)
    P, units = state.grid()
    rgba = np.frombuffer(frame["boundary"], np.uint8).reshape(24, 24, 4)
    assert np.array_equal(rgba, boundary_rgba(P)[::-1])                   # row 0 at the top for the browser
    assert frame["units_shape"] == list(unit_tiles(units, 32).shape)
    assert frame["curves"]["train_cost"] == pytest.approx(state.history["train_cost"])
    assert frame["header"].startswith("epoch 5") and "Adam" in frame["settings"] and "t = 5" in frame["rule"]


# ---- the learner's language -----------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
CODE_NAMES = {"α", "λ", "keep_prob"}          # labels that are a symbol or a setting's own name in every language


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def shown_words(box):
    """Every label, tooltip and tab title of a widget tree, with the widget that shows it."""
    for w in descendants(box):
        yield from ((w, getattr(w, key)) for key in ("description", "tooltip") if getattr(w, key, None))
        yield from ((w, title) for title in getattr(w, "titles", ()))


def test_a_playground_built_in_chinese_is_labelled_in_chinese_and_in_english_in_english():
    with in_language("zh"):
        zh = Playground(frontend=True, **SMALL)
        box = zh.widget
    english = [(type(w).__name__, text) for w, text in shown_words(box)
               if not CJK.search(text) and text not in CODE_NAMES]
    assert english == [] and len(list(shown_words(box))) > 40
    assert zh.play_button.description == "播放" and zh.step_button.description == "单步"
    assert box.children[-1].titles == ("数据", "网络", "训练")
    assert zh.controls["learning_rate"].description == "α" and zh.controls["lambd"].description == "λ"
    assert ("螺旋", "spirals") in zh.controls["dataset"].options and zh.class_picker.options[0] == ("0 红", 0)
    assert zh.controls["mini_batch_size"].options[0] == ("全批量", 0)
    with in_language("zh"):
        assert all(CJK.search(c.help) for c in ctl.CONTROLS.values())
    # the words the page draws come from the kernel, in the same language; the rule names the buttons as shown
    assert zh.view.words["epoch"] == "轮次" and zh.view.words["accuracy"] == "准确率"
    assert zh.view.header.startswith("轮次 0") and "全批量" in zh.view.settings
    assert zh.step_button.description in zh.view.rule and zh.play_button.description in zh.view.rule
    with in_language("en"):
        en = Playground(frontend=True, **SMALL)
        box = en.widget
    assert en.play_button.description == "Play" and box.children[-1].titles == ("Data", "Network", "Training")
    assert ("spirals", "spirals") in en.controls["dataset"].options and en.class_picker.options[0] == ("0 red", 0)
    assert en.view.words["epoch"] == "epoch" and en.view.header.startswith("epoch 0")
    assert not any(CJK.search(text) for _, text in shown_words(box))
    # the labels are words; the settings stay code, whatever the language
    with in_language("zh"):
        zh.controls["dataset"].value = "spirals"
        zh.play_button.value = True
    assert zh.play_button.description == "暂停" and zh.config["dataset"] == "spirals"
    assert Playground(frontend=False, **zh.config).config == zh.config
    assert {k: v for k, v in zh.config.items() if k != "dataset"} == {k: v for k, v in en.config.items()
                                                                     if k != "dataset"}


def test_a_chinese_playground_says_what_is_wrong_in_chinese():
    with in_language("zh"):
        pg = Playground(frontend=True, **SMALL)
        assert pg.widget.children
        pg.controls["classes"].value = 3                       # the flower has two classes
        assert "只有两个类别" in pg.message.value and pg.state.config["classes"] == 2
        pg._on_upload({"new": [{"name": "bad.csv", "content": memoryview(b"1;2;3\n")}]})
        assert "bad.csv" in pg.message.value and "三个数" in pg.message.value
        pg._on_upload({"new": [{"name": "mine.csv", "content": memoryview(b"0,0,0\n1,1,1\n")}]})
        assert pg.message.value == "mine.csv：已加载 2 个点"
        with pytest.raises(ValueError, match="请从"):
            Playground(frontend=False, optimizer="sgd")


def test_the_playground_speaks_the_language_of_its_notebook(tmp_path, monkeypatch):
    """What happens in JupyterLab: the kernel is told its notebook (JPY_SESSION_NAME), whose metadata says zh."""
    import nbformat
    notebook = tmp_path / "playground.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["nncourse"] = {"language": "zh"}
    nbformat.write(nb, notebook)
    monkeypatch.delenv("NNCOURSE_LANG", raising=False)
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))
    pg = Playground(frontend=True, **SMALL)
    assert pg.widget.children and pg.play_button.description == "播放" and pg.view.words["train"] == "训练集"
    monkeypatch.setenv("NNCOURSE_LANG", "en")                  # the learner's choice comes first
    assert Playground(frontend=True, **SMALL).widget.children[0].children[0].description == "Play"


def test_the_backprop_view_in_chinese_and_in_english():
    from nncore.widgets.backprop import Backprop
    with in_language("zh"):
        zh = Backprop(frontend=True)
        buttons = [b.description for b in zh.widget.children[0].children]
        static = Backprop(frontend=False)._repr_mimebundle_()
    assert buttons == ["后退", "单步", "重置"]
    assert "第 0 步（共 6 步）：样本 x 进入网络" in zh._view.value
    assert zh.steps[1].title == "正向传播，第 1 层" and "标签 y = 1" in zh.steps[0].formulas[0]
    assert "第 6 步（共 6 步）" in static["text/html"] and static["text/plain"] == "在一个 2-3-1 网络上做反向传播"
    with in_language("en"):
        en = Backprop(frontend=True)
    assert [b.description for b in en.widget.children[0].children] == ["Back", "Step", "Reset"]
    assert "step 0 of 6: the example x enters the network" in en._view.value
    assert [s.formulas[1:] for s in zh.steps] == [s.formulas[1:] for s in en.steps]      # the math is the same


def test_the_static_snapshot_is_in_the_learners_language(monkeypatch):
    from matplotlib.text import Text

    from nncore.widgets import figure

    def words_drawn(state):
        return " ".join(t.get_text() for t in figure.snapshot_figure(state).findobj(Text))

    with in_language("zh"):
        zh = Playground(frontend=False, **SMALL)
        bundle = zh._repr_mimebundle_()
        drawn = words_drawn(zh.state)
        with warnings.catch_warnings():
            warnings.simplefilter("error")                     # a glyph missing from every font is a warning
            chinese_png = figure.snapshot_png(zh.state)
    assert bundle["text/plain"].startswith(f"Playground 训练 {SMALL['snapshot_epochs']} 个轮次后的快照")
    for word in ("准确率", "代价 J", "轮次", "隐藏单元", "训练集", "开发集", "多数类", "开发集（圆圈）"):
        assert word in drawn
    assert not re.search(r"accuracy|epoch|hidden units|majority", drawn)
    with in_language("en"):
        en = Playground(frontend=False, **SMALL)
        assert en.snapshot()                                   # trained as far as the Chinese one
        english_png = figure.snapshot_png(en.state)
        assert "accuracy" in words_drawn(en.state) and not CJK.search(words_drawn(en.state))
    if figure.cjk_fonts():
        assert chinese_png != english_png
    monkeypatch.setattr(figure, "cjk_fonts", lambda: ())     # no font with Chinese characters: English, not boxes
    with in_language("zh"), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert figure.snapshot_png(zh.state) == english_png
