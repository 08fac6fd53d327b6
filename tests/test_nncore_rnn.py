"""Tests of ``nncore.rnn``: every backward pass against a centred-difference gradient computed here (float64,
several T_x, m = 1 and m > 1), the fast sequence path against the teaching loop, clipping, sampling, the
characters' encoding, and training that learns (a language model on the names, a memory task for the LSTM)."""

import copy
from pathlib import Path

import numpy as np
import pytest

from nncore import data, rnn

TOL = 1e-7


def numerical_gradient(f, x, eps=1e-5):
    """Centred difference of the scalar f at the array x (perturbed in place and restored)."""
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        plus = f()
        x[idx] = old - eps
        minus = f()
        x[idx] = old
        g[idx] = (plus - minus) / (2 * eps)
    return g


def relative_error(g, g_num):
    denominator = np.linalg.norm(g) + np.linalg.norm(g_num)
    return np.linalg.norm(g - g_num) / denominator if denominator else 0.0


def rnn_problem(T_x, m, seed=0, n_x=3, n_a=4, n_y=5):
    rng = np.random.default_rng(seed)
    p = rnn.initialize_rnn(n_x, n_a, n_y, seed=rng, recurrent_scale=0.9)
    p["ba"], p["by"] = 0.2 * rng.standard_normal((n_a, 1)), rng.standard_normal((n_y, 1))
    return rng.standard_normal((n_x, m, T_x)), 0.5 * rng.standard_normal((n_a, m)), p, rng


@pytest.mark.parametrize("T_x, m", [(1, 1), (2, 1), (5, 1), (7, 1), (4, 3)])
def test_rnn_backward_matches_numerical_gradients(T_x, m):
    x, a0, p, rng = rnn_problem(T_x, m)
    da = rng.standard_normal((p["Waa"].shape[0], m, T_x))
    loss = lambda: float(np.sum(da * rnn.rnn_forward(x, a0, p)[0]))  # noqa: E731  L = Σ da ⊙ a
    grads = rnn.rnn_backward(da, rnn.rnn_forward(x, a0, p)[2])
    for name, array in [("dx", x), ("da0", a0), ("dWax", p["Wax"]), ("dWaa", p["Waa"]), ("dba", p["ba"])]:
        assert relative_error(grads[name], numerical_gradient(loss, array)) < TOL, name
    assert set(grads) == {"dx", "da0", "dWax", "dWaa", "dba"}


@pytest.mark.parametrize("T_x, m", [(1, 1), (3, 1), (6, 1), (3, 4)])
def test_rnn_cell_backward_is_the_one_step_case(T_x, m):
    x, a0, p, rng = rnn_problem(1, m)
    a_next, yt, cache = rnn.rnn_cell_forward(x[:, :, 0], a0, p)
    assert np.allclose(a_next, np.tanh(p["Waa"] @ a0 + p["Wax"] @ x[:, :, 0] + p["ba"]))
    assert np.allclose(yt.sum(axis=0), 1) and cache[1] is a0
    da = rng.standard_normal(a_next.shape)
    step = rnn.rnn_cell_backward(da, cache)
    whole = rnn.rnn_backward(da[:, :, None], rnn.rnn_forward(x, a0, p)[2])
    assert np.allclose(step["dxt"], whole["dx"][:, :, 0]) and np.allclose(step["da_prev"], whole["da0"])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("T_x, m", [(1, 1), (6, 1), (9, 5)])
def test_fast_sequence_path_agrees_with_the_loop(T_x, m, dtype):
    x, a0, p, rng = rnn_problem(T_x, m, seed=3, n_x=6, n_a=7, n_y=4)
    da = rng.standard_normal((7, m, T_x))
    a, _, caches = rnn.rnn_forward(x, a0, p)
    loop = rnn.rnn_backward(da, caches)
    cast = {k: v.astype(dtype) for k, v in p.items()}
    a_fast, cache = rnn.rnn_sequence_forward(x.astype(dtype), a0.astype(dtype), cast)
    fast = rnn.rnn_sequence_backward(da.astype(dtype), cache)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert a_fast.dtype == dtype and all(g.dtype == dtype for g in fast.values())
    assert np.allclose(a_fast, a, atol=tol)
    for k in loop:
        assert fast[k].shape == loop[k].shape and np.allclose(fast[k], loop[k], atol=tol * 10), k


def lstm_problem(T_x, m, seed=0, n_x=3, n_a=4, n_y=2):
    rng = np.random.default_rng(seed)
    p = rnn.initialize_lstm(n_x, n_a, n_y, seed=rng)
    p = {k: v + 0.3 * rng.standard_normal(v.shape) if k.startswith("b") else v for k, v in p.items()}
    return rng.standard_normal((n_x, m, T_x)), 0.5 * rng.standard_normal((n_a, m)), p, rng


@pytest.mark.parametrize("T_x, m", [(1, 1), (2, 1), (5, 1), (3, 2)])
def test_lstm_backward_matches_numerical_gradients(T_x, m):
    x, a0, p, rng = lstm_problem(T_x, m)
    da = rng.standard_normal((4, m, T_x))
    loss = lambda: float(np.sum(da * rnn.lstm_forward(x, a0, p)[0]))  # noqa: E731
    grads = rnn.lstm_backward(da, rnn.lstm_forward(x, a0, p)[3])
    assert set(grads) == {"dx", "da0"} | {"d" + k for k in rnn.LSTM_KEYS}
    for name, array in [("dx", x), ("da0", a0)] + [("d" + k, p[k]) for k in rnn.LSTM_KEYS]:
        assert relative_error(grads[name], numerical_gradient(loss, array)) < TOL, name


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("T_x, m", [(1, 1), (5, 1), (8, 6)])
def test_fast_lstm_path_agrees_with_the_loop(T_x, m, dtype):
    x, a0, p, rng = lstm_problem(T_x, m, seed=5, n_x=5, n_a=6)
    da = rng.standard_normal((6, m, T_x))
    a, _, _, caches = rnn.lstm_forward(x, a0, p)
    loop = rnn.lstm_backward(da, caches)
    cast = {k: v.astype(dtype) for k, v in p.items()}
    a_fast, cache = rnn.lstm_sequence_forward(x.astype(dtype), a0.astype(dtype), cast)
    fast = rnn.lstm_sequence_backward(da.astype(dtype), cache)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert a_fast.dtype == dtype and all(g.dtype == dtype for g in fast.values()) and set(fast) == set(loop)
    assert np.allclose(a_fast, a, atol=tol)
    for k in loop:
        assert fast[k].shape == loop[k].shape and np.allclose(fast[k], loop[k], atol=tol * 10), k


def test_lstm_cell_backward_carries_the_cell_gradient():
    x, a0, p, rng = lstm_problem(1, 2)
    c_prev = rng.standard_normal(a0.shape)
    a_next, c_next, yt, cache = rnn.lstm_cell_forward(x[:, :, 0], a0, c_prev, p)
    assert np.allclose(yt.sum(axis=0), 1) and cache[3] is c_prev
    da, dc = rng.standard_normal(a0.shape), rng.standard_normal(a0.shape)
    loss = lambda: float(np.sum(da * rnn.lstm_cell_forward(x[:, :, 0], a0, c_prev, p)[0])  # noqa: E731
                         + np.sum(dc * rnn.lstm_cell_forward(x[:, :, 0], a0, c_prev, p)[1]))
    grads = rnn.lstm_cell_backward(da, dc, cache)
    for name, array in [("dxt", x), ("da_prev", a0), ("dc_prev", c_prev), ("dWf", p["Wf"]), ("dbi", p["bi"])]:
        assert relative_error(grads[name], numerical_gradient(loss, array).reshape(grads[name].shape)) < TOL, name


def test_lstm_gates_by_hand():
    """One unit, one input, weights that make each gate's value known: c_next = ft·c_prev + it·cct."""
    z = {"f": 2.0, "i": -1.0, "c": 0.5, "o": 0.3}
    p = {f"W{g}": np.zeros((1, 2)) for g in z} | {f"b{g}": np.array([[v]]) for g, v in z.items()}
    p |= {"Wy": np.ones((2, 1)), "by": np.zeros((2, 1))}
    a_next, c_next, yt, _ = rnn.lstm_cell_forward(np.ones((1, 1)), np.zeros((1, 1)), np.full((1, 1), 0.7), p)
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    c = sig(2.0) * 0.7 + sig(-1.0) * np.tanh(0.5)
    assert np.isclose(c_next[0, 0], c) and np.isclose(a_next[0, 0], sig(0.3) * np.tanh(c))
    assert np.allclose(yt, 0.5)


@pytest.mark.parametrize("T_x, m", [(1, 1), (4, 1), (5, 3)])
def test_language_model_gradients_match_numerical_gradients(T_x, m):
    rng = np.random.default_rng(T_x)
    p = rnn.initialize_rnn(5, 4, 5, seed=rng)
    p["by"] = rng.standard_normal((5, 1))
    x = np.eye(5)[:, rng.integers(0, 5, (m, T_x))]
    y = np.eye(5)[:, rng.integers(0, 5, (m, T_x))]
    if T_x > 1:
        y[:, 0, -1] = 0                                          # a padded step counts for nothing
    loss, grads = rnn.language_model_gradients(p, (x, y))
    for key in p:
        g = numerical_gradient(lambda: rnn.language_model_gradients(p, (x, y))[0], p[key])
        assert relative_error(grads["d" + key], g) < TOL, key
    y_pred = rnn.rnn_forward(x, np.zeros((4, m)), p)[1]              # the teaching loop's per-step softmax
    counted = y.sum(axis=0) > 0
    manual = -np.sum(np.log(np.sum(y_pred * y, axis=0)[counted])) / counted.sum()
    assert np.isclose(loss, manual)


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_last_step_gradients_match_numerical_gradients(kind):
    rng = np.random.default_rng(7)
    make = rnn.initialize_rnn if kind == "rnn" else rnn.initialize_lstm
    p = make(3, 4, 2, seed=rng)
    x, y = rng.standard_normal((3, 2, 4)), np.eye(2)[:, [0, 1]]
    loss, grads = rnn.last_step_gradients(p, (x, y))
    assert set(grads) == {"d" + k for k in p}
    for key in p:
        g = numerical_gradient(lambda: rnn.last_step_gradients(p, (x, y))[0], p[key])
        assert relative_error(grads["d" + key], g) < TOL, key


def test_clip_bounds_every_gradient_and_leaves_the_callers_arrays_alone():
    gradients = {"dWax": np.array([[10.0, -10.0, 3.0]]), "dby": np.array([[-7.0], [0.5]])}
    before = copy.deepcopy(gradients)
    clipped = rnn.clip(gradients, 5.0)
    assert np.array_equal(clipped["dWax"], [[5.0, -5.0, 3.0]]) and np.array_equal(clipped["dby"], [[-5.0], [0.5]])
    assert all(np.array_equal(gradients[k], before[k]) for k in gradients)


def test_sample_is_reproducible_and_stops_at_the_end_index_or_the_length():
    p = rnn.initialize_rnn(6, 5, 6, seed=0)
    first = rnn.sample(p, 0, seed=3, max_length=30)
    assert first == rnn.sample(p, 0, seed=np.random.default_rng(3), max_length=30)
    assert all(isinstance(i, int) and 0 <= i < 6 for i in first)
    assert (first[-1] == 0 and 0 not in first[:-1]) or len(first) == 30
    assert len(rnn.sample(p, 0, seed=3, max_length=2)) <= 2
    p["by"][0] = 50.0                                             # the end is (almost) certain at once
    assert rnn.sample(p, 0, seed=1) == [0]
    p["by"][0], p["by"][4] = -50.0, 50.0
    assert rnn.sample(p, 0, seed=1, max_length=7) == [4] * 7
    samples = {tuple(rnn.sample(rnn.initialize_rnn(6, 5, 6, seed=0), 0, seed=s)) for s in range(20)}
    assert len(samples) > 10                                      # different seeds, different words


def test_sample_draws_with_the_models_probabilities():
    """The first character of many samples follows ŷ⟨1⟩ = softmax(Wya·tanh(ba) + by)."""
    p = rnn.initialize_rnn(4, 3, 4, seed=2)
    p["ba"], p["by"] = np.array([[0.5], [-0.2], [0.1]]), np.array([[0.0], [1.0], [-1.0], [0.5]])
    z = p["Wya"] @ np.tanh(p["ba"]) + p["by"]
    expected = (np.exp(z) / np.exp(z).sum()).ravel()
    rng = np.random.default_rng(0)
    counts = np.bincount([rnn.sample(p, 0, rng, max_length=1)[0] for _ in range(4000)], minlength=4) / 4000
    assert np.allclose(counts, expected, atol=0.03)


def test_one_hot_names_layout():
    x, y = rnn.one_hot_names(["ab", "c"])
    assert x.shape == y.shape == (27, 2, 3)
    letters = rnn.LETTERS
    assert not x[:, :, 0].any()
    assert [letters[i] for i in x[:, 0, 1:].argmax(axis=0)] == ["a", "b"]
    assert [letters[i] for i in y[:, 0].argmax(axis=0)] == ["a", "b", "\n"]
    assert [letters[i] for i in y[:, 1, :2].argmax(axis=0)] == ["c", "\n"] and not y[:, 1, 2].any()
    assert np.array_equal(x[:, 0, 1:], y[:, 0, :-1])


def test_names_corpus_is_shipped_split_and_lower_case():
    train, dev = data.load_names("train"), data.load_names("dev")
    assert len(train) == 4663 and len(dev) == 500 and not set(train) & set(dev)
    assert all(name.isalpha() and name.islower() and name.isascii() for name in train + dev)
    with pytest.raises(ValueError, match="dev"):
        data.load_names("test")


def test_language_model_learns_the_names():
    """A few hundred Adam steps take the dev loss from ln 27 (uniform guessing) below a bigram count model's."""
    train, dev = data.load_names("train"), data.load_names("dev")
    x_dev, y_dev = rnn.one_hot_names(dev)
    rng = np.random.default_rng(0)
    batches = (rnn.one_hot_names([train[i] for i in rng.choice(len(train), 64, replace=False)]) for _ in range(600))
    p = rnn.initialize_rnn(27, 64, 27, seed=0)
    start = rnn.language_model_gradients(p, (x_dev, y_dev))[0]
    p, _ = rnn.train(rnn.language_model_gradients, p, batches, learning_rate=0.01)
    x_train, y_train = rnn.one_hot_names(train)
    counts = np.einsum("imt,jmt->ij", y_train, np.concatenate([x_train[:, :, :1] * 0, x_train[:, :, 1:]], axis=2))
    counts[:, 0] = y_train[:, :, 0].sum(axis=1)                  # what follows "nothing read yet"
    probabilities = (counts + 1) / (counts + 1).sum(axis=0, keepdims=True)
    previous = np.concatenate([np.eye(27)[:, [0]][:, :, None].repeat(len(dev), 1), x_dev[:, :, 1:]], axis=2)
    bigram = -np.sum(y_dev * np.log(np.einsum("ij,jmt->imt", probabilities, previous) + 1e-300)) / y_dev.sum()
    trained = rnn.language_model_gradients(p, (x_dev, y_dev))[0]
    assert abs(start - np.log(27)) < 0.2 and trained < bigram < start


def test_memory_task_layout():
    x, y = data.make_memory_task(m=50, gap=7, noise=0.5, seed=3)
    assert x.shape == (1, 50, 8) and y.shape == (2, 50) and np.all(y.sum(axis=0) == 1)
    assert np.array_equal(x[0, :, 0], 2 * y[1] - 1)                      # the first input is the bit, ±1
    assert abs(x[0, :, 1:].std() - 0.5) < 0.05
    again, _ = data.make_memory_task(m=50, gap=7, noise=0.5, seed=3)
    assert np.array_equal(x, again)


def test_lstm_remembers_across_a_gap_that_the_plain_rnn_does_not():
    """The sign of the first of 61 noisy inputs decides the answer at the last step: with the same budget an LSTM
    learns it, a plain RNN stays at chance (50 %)."""
    accuracy = {}
    for kind, make in [("rnn", rnn.initialize_rnn), ("lstm", rnn.initialize_lstm)]:
        rng = np.random.default_rng(3)
        p = make(1, 16, 2, seed=3, **({"forget_bias": 2.0} if kind == "lstm" else {}))
        batches = (data.make_memory_task(64, gap=60, seed=rng) for _ in range(150))
        p, _ = rnn.train(rnn.last_step_gradients, p, batches, 0.01)
        x, y = data.make_memory_task(1000, gap=60, seed=999)
        accuracy[kind] = np.mean(rnn.last_step_forward(x, p)[0].argmax(axis=0) == y.argmax(axis=0))
    assert accuracy["lstm"] > 0.9 and accuracy["rnn"] < 0.6, accuracy


def test_names_file_matches_its_recorded_checksum_and_rebuilds_to_the_same_bytes(tmp_path):
    import hashlib
    import re
    import sys

    folder = Path(__file__).resolve().parents[1] / "data"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"\|\s*`names\.h5`\s*\|\s*(\d+)\s*\|\s*`([0-9a-f]{64})`\s*\|", readme)
    assert recorded, "data/README.md must record the size and sha256 of names.h5"
    assert hashlib.sha256((folder / "names.h5").read_bytes()).hexdigest() == recorded[2]
    sys.path.insert(0, str(folder))
    import build_data

    assert build_data.build_names(tmp_path / "names.h5") == {"dev": 500, "train": 4663}
    assert build_data.sha256(tmp_path / "names.h5") == recorded[2]
