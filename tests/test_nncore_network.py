"""Tests of nncore's network core (``nncore.network``) and of the course-named functions built on it.

The core's gradients are checked against the fourth-order numerical gradients of ``numerics.py`` for every
combination of its options. Each week's adapter (``models``, ``regularization``, ``shallow``, ``strategy``) is
then pinned to the core: the same numbers bit for bit, in the format its contract documents, so the
numerical check of the core covers it too (its own tests also check it against independent maths).
"""

import numpy as np
import pytest

from nncore import activations, init, losses, models, network, optim, regularization, shallow, strategy
from numerics import TOL, num_grad_dict, rel_diff

RNG = np.random.default_rng(14)
HIDDEN = ("relu", "tanh", "sigmoid", "leaky_relu")


def _problem(layer_dims, m=7, seed=0, labels=np.float64):
    """X, 0/1 labels Y (of dtype ``labels``) and He parameters with non-zero biases."""
    rng = np.random.default_rng(seed)
    parameters = init.initialize_parameters_deep(layer_dims, "he", seed=rng)
    parameters = {k: v + 0.3 * rng.standard_normal(v.shape) if k.startswith("b") else v
                  for k, v in parameters.items()}
    X = rng.standard_normal((layer_dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(labels)
    return X, Y, parameters


def _assert_same(expected, got):
    """Equal bit for bit: the same keys in the same order, the same values and dtypes."""
    assert list(got) == list(expected)
    for k in expected:
        assert got[k].dtype == expected[k].dtype and np.array_equal(got[k], expected[k]), k


# ---- the core --------------------------------------------------------------------------------------

@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
@pytest.mark.parametrize("batchnorm", [False, True])
@pytest.mark.parametrize("lambd, keep_prob", [(0.0, None), (0.7, None), (0.0, 0.6), (0.3, 0.7), (0.0, 1.0)])
def test_backward_matches_numerical_gradients(output, batchnorm, lambd, keep_prob):
    m = 6
    X = RNG.normal(size=(3, m))
    Y = losses.one_hot(RNG.integers(0, 3, m), 3) if output == "softmax" else (RNG.random((1, m)) > 0.5) * 1.0
    parameters = init.initialize_parameters_deep([3, 5, 4, Y.shape[0]], "xavier", seed=4)
    if batchnorm:
        for l in (1, 2):
            n = parameters.pop(f"b{l}").shape
            parameters[f"gamma{l}"], parameters[f"beta{l}"] = RNG.uniform(0.5, 2, n), RNG.normal(size=n)

    def J(p):   # the same dropout masks for every evaluation: a fresh generator with the same seed
        AL, _ = network.forward(X, p, "tanh", output, keep_prob, np.random.default_rng(9))
        return network.cost(AL, Y, p, output, lambd)

    AL, caches = network.forward(X, parameters, "tanh", output, keep_prob, np.random.default_rng(9))
    assert all(("bn" in c) == batchnorm for c in caches[:-1]) and "bn" not in caches[-1]
    assert all(("dropout" in c) == (keep_prob is not None) for c in caches[:-1]) and "dropout" not in caches[-1]
    grads = network.backward(AL, Y, caches, "tanh", lambd)
    expected = num_grad_dict(J, parameters)
    assert set(grads) == set(expected)
    for k in expected:
        assert rel_diff(grads[k], expected[k]) < TOL, k


@pytest.mark.parametrize("hidden", HIDDEN)
def test_the_cache_holds_each_layers_input_pre_activation_and_activation(hidden):
    X, _, parameters = _problem([3, 4, 2, 1])
    AL, caches = network.forward(X, parameters, hidden)
    g = activations.get(hidden)[0]
    A = X
    for l, cache in enumerate(caches, start=1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        A = g(Z) if l < len(caches) else activations.sigmoid(Z)
        assert np.array_equal(cache["Z"], Z) and np.array_equal(cache["A"], A)
        assert cache["W"] is parameters[f"W{l}"] and cache["b"] is parameters[f"b{l}"]
    assert np.array_equal(caches[1]["A_prev"], caches[0]["A"]) and AL is caches[-1]["A"]
    assert network.n_layers(parameters) == len(caches) == 3


def test_backward_gives_the_same_numbers_with_or_without_the_cached_activations():
    X, Y, parameters = _problem([3, 4, 2, 1])
    for hidden in HIDDEN:
        AL, caches = network.forward(X, parameters, hidden)
        without = [{k: v for k, v in c.items() if k != "A"} for c in caches]
        _assert_same(network.backward(AL, Y, without, hidden), network.backward(AL, Y, caches, hidden))


def test_training_skips_the_input_gradients_that_keep_dA_keeps():
    X, Y, parameters = _problem([4, 3, 2, 1], m=6, seed=3)
    AL, caches = network.forward(X, parameters)
    lean = network.backward(AL, Y, caches)
    full = network.backward(AL, Y, caches, keep_dA=True)
    assert list(lean) == ["dW3", "db3", "dW2", "db2", "dW1", "db1"]
    assert list(full) == ["dW3", "db3", "dA2", "dW2", "db2", "dA1", "dW1", "db1", "dA0"]
    assert all(np.array_equal(full[k], lean[k]) for k in lean)
    assert full["dA0"].shape == X.shape
    np.testing.assert_allclose(full["dA1"], parameters["W2"].T @ (full["dA2"] * (caches[1]["Z"] > 0)))


def test_keep_prob_none_is_no_dropout_and_one_draws_a_mask_per_hidden_layer():
    X, _, parameters = _problem([3, 4, 2, 1])
    rng = np.random.default_rng(0)
    AL, caches = network.forward(X, parameters, rng=rng)
    assert all("dropout" not in c for c in caches) and rng.random() == np.random.default_rng(0).random()
    rng, reference = np.random.default_rng(0), np.random.default_rng(0)
    AL_one, caches = network.forward(X, parameters, keep_prob=1.0, rng=rng)
    for cache in caches[:-1]:
        D, keep_prob = cache["dropout"]
        assert keep_prob == 1.0 and D.all() and np.array_equal(D, reference.random(D.shape) < 1.0)
    assert rng.random() == reference.random() and np.array_equal(AL_one, AL)


def test_float32_stays_float32_with_float64_or_uint8_labels():
    X, Y, parameters = _problem([3, 4, 1])
    X32, p32 = X.astype(np.float32), {k: v.astype(np.float32) for k, v in parameters.items()}
    for labels in (Y, Y.astype(np.uint8)):
        AL, caches = network.forward(X32, p32)
        grads = network.backward(AL, labels, caches, lambd=0.1, keep_dA=True)
        assert AL.dtype == np.float32 and {g.dtype for g in grads.values()} == {np.dtype(np.float32)}


# ---- the adapters, pinned to the core --------------------------------------------------------------

@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("labels", [np.float64, np.uint8])
def test_L_model_forward_and_backward_are_the_core_in_the_lectures_format(hidden, labels):
    X, Y, parameters = _problem([4, 5, 3, 1], labels=labels)
    AL, caches = models.L_model_forward(X, parameters, hidden)
    core_AL, core_caches = network.forward(X, parameters, hidden)
    assert np.array_equal(AL, core_AL) and len(caches) == len(core_caches)
    for l, (((A_prev, W, b), Z), core) in enumerate(zip(caches, core_caches), start=1):
        assert np.array_equal(A_prev, core["A_prev"]) and np.array_equal(Z, core["Z"])
        assert W is parameters[f"W{l}"] and b is parameters[f"b{l}"]
    _assert_same(network.backward(AL, Y, core_caches, hidden, keep_dA=True),
                 models.L_model_backward(AL, Y, caches, hidden))
    assert np.array_equal(models.predict(X, parameters, hidden), (core_AL > 0.5).astype(int))


def test_train_step_is_one_step_of_the_core():
    X, Y, parameters = _problem([2, 4, 1], m=9)
    new, cost = models.train_step(X, Y, parameters, 0.3, "tanh")
    AL, caches = network.forward(X, parameters, "tanh")
    _assert_same(optim.update_parameters(parameters, network.backward(AL, Y, caches, "tanh"), 0.3), new)
    assert cost == network.cost(AL, Y)


@pytest.mark.parametrize("lambd", [0.0, 0.7])
def test_L2_regularization_is_the_core_with_lambda(lambd):
    X, Y, parameters = _problem([4, 5, 3, 1], labels=np.uint8)
    AL, caches = models.L_model_forward(X, parameters)
    _, core_caches = network.forward(X, parameters)
    grads = regularization.backward_propagation_with_regularization(AL, Y, caches, lambd)
    _assert_same(network.backward(AL, Y, core_caches, lambd=lambd), grads)
    assert list(grads) == ["dW3", "db3", "dW2", "db2", "dW1", "db1"]            # no dA keys
    assert regularization.compute_cost_with_regularization(AL, Y, parameters, lambd) == \
        network.cost(AL, Y, parameters, lambd=lambd)


@pytest.mark.parametrize("keep_prob", [0.5, 0.86, 1.0])
def test_dropout_is_the_core_with_keep_prob_and_the_same_draws(keep_prob):
    X, Y, parameters = _problem([4, 5, 3, 1])
    rng, core_rng = np.random.default_rng(5), np.random.default_rng(5)
    AL, caches = regularization.forward_propagation_with_dropout(X, parameters, keep_prob, rng)
    core_AL, core_caches = network.forward(X, parameters, keep_prob=keep_prob, rng=core_rng)
    assert np.array_equal(AL, core_AL) and rng.random() == core_rng.random()    # one draw per hidden layer
    for l, ((A_prev, _, b), Z, D) in enumerate(caches, start=1):
        core = core_caches[l - 1]
        assert np.array_equal(A_prev, core["A_prev"]) and np.array_equal(Z, core["Z"]) and b is parameters[f"b{l}"]
        if l < len(caches):
            assert D.dtype == bool and np.array_equal(D, core["dropout"][0])
        else:
            assert D is None
    _assert_same(network.backward(AL, Y, core_caches),
                 regularization.backward_propagation_with_dropout(AL, Y, caches, keep_prob))


def test_the_two_cache_formats_translate_both_ways():
    X, _, parameters = _problem([3, 4, 2, 1])
    AL, caches = network.forward(X, parameters, keep_prob=0.7, rng=np.random.default_rng(1))
    back = models.network_caches(models.lecture_caches(caches, masks=True), keep_prob=0.7)
    for core, again in zip(caches, back):
        assert set(again) == {"A_prev", "W", "b", "Z"} | ({"dropout"} & set(core))
        assert all(np.array_equal(again[k], core[k]) for k in ("A_prev", "W", "b", "Z"))
        if "dropout" in core:
            assert np.array_equal(again["dropout"][0], core["dropout"][0]) and again["dropout"][1] == 0.7


def test_the_shallow_network_is_the_core_with_a_tanh_layer():
    X, Y, parameters = _problem([2, 4, 1], m=9, labels=np.uint8)
    A2, cache = shallow.forward_propagation(X, parameters)
    core_A2, (layer1, layer2) = network.forward(X, parameters, "tanh")
    assert list(cache) == ["Z1", "A1", "Z2", "A2"] and np.array_equal(A2, core_A2) and cache["A2"] is A2
    for key, value in {"Z1": layer1["Z"], "A1": layer2["A_prev"], "Z2": layer2["Z"]}.items():
        assert np.array_equal(cache[key], value), key
    grads = shallow.backward_propagation(parameters, cache, X, Y)
    core = network.backward(core_A2, Y, [layer1, layer2], "tanh")
    assert list(grads) == ["dW1", "db1", "dW2", "db2"]
    assert all(np.array_equal(grads[k], core[k]) for k in core)
    assert np.array_equal(shallow.predict_proba(parameters, X), core_A2)


def test_hidden_features_are_the_last_hidden_layers_relu_activations():
    X, _, parameters = _problem([3, 5, 4, 2])
    A = X
    for l in (1, 2):                                           # written out: two ReLU layers, no output layer
        A = np.maximum(parameters[f"W{l}"] @ A + parameters[f"b{l}"], 0)
    assert np.array_equal(strategy.hidden_features(parameters, X), A)
