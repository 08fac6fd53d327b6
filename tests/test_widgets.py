"""The Playground without a browser: its state, its picture and its widget callbacks.

Expected values come from nncore itself (a plain ``training.Trainer`` trained the same way, the network's
own ``predict_proba``) or from the schedules' formulas; the browser test (test_browser.py) covers the
same widgets rendered by JupyterLab.
"""

import base64
import io
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from nncore import data, training
from nncore.widgets import Playground, has_frontend
from nncore.widgets import controls as ctl
from nncore.widgets.figure import unit_tiles
from nncore.widgets.state import DATA, DEFAULT_NOISE, DEFAULTS, LIVE, MODEL, VIEW, PlaygroundState

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
    assert P.shape == (16, 16) and P[i, j] == pytest.approx(state.trainer.predict_proba(point)[0, 0])
    assert [u.shape for u in units] == [(5, 16, 16)]
    Z1 = state.trainer.parameters["W1"] @ point + state.trainer.parameters["b1"]
    assert units[0][:, i, j] == pytest.approx(np.tanh(Z1[:, 0]))
    tiles = unit_tiles(units, 8)
    assert tiles.shape == (5 * 9, 9) and np.nanmax(np.abs(tiles)) == pytest.approx(1.0)


def test_softmax_output_shades_the_probability_of_class_1():
    state = PlaygroundState(output="softmax", **SMALL)
    state.advance(30)
    P, _ = state.grid(8)
    assert state.trainer.parameters["W2"].shape == (2, 5)
    assert 0 <= P.min() and P.max() <= 1
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
    full.widget
    assert list(full.controls) == list(ctl.CONTROLS)


def test_widget_callbacks_play_step_and_turn_the_knobs():
    pg = Playground(frontend=True, **SMALL)
    pg.widget
    first = bytes(pg.image.value)
    pg._last_frame_end = 0.0
    pg._ticker.value += 1                                  # a tick while paused trains nothing
    assert pg.state.epoch == 0
    pg.play_button.value = True
    assert pg._ticker.playing and pg.play_button.description == "Pause"
    pg._last_frame_end = 0.0
    pg._ticker.value += 1
    assert pg.state.epoch == 5 and "epoch 5" in pg.epoch_label.value and bytes(pg.image.value) != first
    pg._ticker.value += 1                                  # straight after a frame: a backlogged tick, dropped
    assert pg.state.epoch == 5
    before = bytes(pg.image.value)
    pg.controls["learning_rate"].value = 0.1               # live: same network, new α, picture says so
    assert pg.state.trainer.learning_rate == pytest.approx(0.1) and pg.state.epoch == 5
    assert bytes(pg.image.value) != before
    pg.controls["hidden_layers"].value = 2
    assert pg.state.config["hidden_units"] == [5, 5] and pg.state.epoch == 0
    pg.controls["hidden_units"].value = 3
    assert pg.state.config["hidden_units"] == [3, 3]
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
    assert not pg._ticker.playing and pg.play_button.description == "Play"


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
