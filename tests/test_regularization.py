"""Assignment 07 "Regularization": the reference in ``nncore.regularization`` agrees with numerical gradients
and with ``nncore.training``; the notebook's solution and equivalent answers pass; every hint the checker
gives on this assignment's functions is proven by planting that bug in a correct answer."""

import functools

import numpy as np
import pytest

from autograder.learner.exercises import regularization as exercises
from learner import cell, plant_in
from learner import failure as report
from nncore import data, gradcheck, init, layers, losses, models, regularization, training

check = exercises.check

# The notebook's solution, as a learner would write it (the helpers are given by the notebook's first cell).
SOLUTION = """
def compute_cost_with_regularization(AL, Y, parameters, lambd):
    '''Cross-entropy of AL: (1, m) against Y: (1, m) plus (lambd / 2m) * sum over l of ||W[l]||_F^2;
    returns a number.'''
    Y = Y.astype(float)
    m = Y.shape[1]
    L = len(parameters) // 2
    cross_entropy_cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    L2_regularization_cost = 0
    for l in range(1, L + 1):
        L2_regularization_cost += np.sum(np.square(parameters["W" + str(l)]))
    L2_regularization_cost = lambd / (2 * m) * L2_regularization_cost
    cost = cross_entropy_cost + L2_regularization_cost
    return cost

def backward_propagation_with_regularization(AL, Y, caches, lambd):
    '''Gradients of the L2-regularized cost: grads with dW{l}, db{l} for l = 1 ... L.'''
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    Y = Y.reshape(AL.shape).astype(float)
    dZ = AL - Y                                       # the output layer: dZ[L] = AL - Y
    dA = None                                         # dA[l], from the step of layer l + 1
    for l in reversed(range(1, L + 1)):
        linear_cache, Z = caches[l - 1]
        A_prev, W, b = linear_cache
        if l < L:
            dZ = dA * (Z > 0)
        dA, dW, db = linear_backward(dZ, linear_cache)
        grads["dW" + str(l)] = dW + lambd / m * W
        grads["db" + str(l)] = db
    return grads

def forward_propagation_with_dropout(X, parameters, keep_prob, rng):
    '''[LINEAR -> RELU -> DROPOUT] x (L-1) -> LINEAR -> SIGMOID; returns AL: (1, m) and one
    (linear_cache, Z, D) per layer, D the boolean mask of the layer's output (None for the output layer).'''
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        activation = "relu" if l < L else "sigmoid"
        A, (linear_cache, Z) = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)],
                                                         activation)
        D = None
        if l < L:
            D = rng.random(A.shape) < keep_prob
            A = A * D / keep_prob
        caches.append((linear_cache, Z, D))
    AL = A
    return AL, caches

def backward_propagation_with_dropout(AL, Y, caches, keep_prob):
    '''Gradients of the cost of a forward pass with dropout: grads with dW{l}, db{l} for l = 1 ... L.'''
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape).astype(float)
    dZ = AL - Y                                       # the output layer: dZ[L] = AL - Y
    dA = None                                         # dA[l], from the step of layer l + 1
    for l in reversed(range(1, L + 1)):
        linear_cache, Z, D = caches[l - 1]
        if l < L:
            dA = dA * D / keep_prob
            dZ = dA * (Z > 0)
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_backward(dZ, linear_cache)
    return grads
"""

NAMES = ["compute_cost_with_regularization", "backward_propagation_with_regularization",
         "forward_propagation_with_dropout", "backward_propagation_with_dropout"]
GIVEN = {"linear_activation_forward": layers.linear_activation_forward, "linear_backward": layers.linear_backward}


def plant(name, old, new, source=SOLUTION):
    """``source`` with ``old`` replaced by ``new`` inside the definition of function ``name`` (a planted bug)."""
    return plant_in(source, name, old, new)


def learner(source=SOLUTION):
    return cell(source, **GIVEN)


failure = functools.partial(report, check)


def planted(name, old, new):
    """The check's message for exercise ``name`` when ``old`` becomes ``new`` in it."""
    return failure(name, learner(plant(name, old, new))[name])


def small_network(seed, layer_dims=(4, 5, 3, 1), m=6):
    rng = np.random.default_rng(seed)
    parameters = init.initialize_parameters_deep(list(layer_dims), "he", seed=rng)
    parameters = {k: v + rng.normal(size=v.shape) * 0.3 if k.startswith("b") else v for k, v in parameters.items()}
    X = rng.normal(size=(layer_dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(np.uint8)
    return X, Y, parameters


# ---- the reference: numerical gradients and nncore.training ---------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_l2_backprop_is_the_gradient_of_the_l2_cost(seed):
    X, Y, parameters = small_network(seed)
    lambd = 0.7

    def cost(p):
        return regularization.compute_cost_with_regularization(models.L_model_forward(X, p)[0], Y, p, lambd)

    AL, caches = models.L_model_forward(X, parameters)
    grads = regularization.backward_propagation_with_regularization(AL, Y, caches, lambd)
    assert set(grads) == {f"d{k}" for k in parameters}
    assert gradcheck.gradient_check(cost, parameters, grads) < gradcheck.THRESHOLD


def test_l2_cost_is_cross_entropy_plus_the_frobenius_term_by_hand():
    X, Y, parameters = small_network(3)
    AL, _ = models.L_model_forward(X, parameters)
    by_hand = losses.binary_cross_entropy(AL, Y) + 0.5 / (2 * 6) * sum(
        float(np.sum(parameters[f"W{l}"] ** 2)) for l in (1, 2, 3))
    assert np.isclose(regularization.compute_cost_with_regularization(AL, Y, parameters, 0.5), by_hand)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dropout_backprop_is_the_gradient_for_a_fixed_mask(seed):
    # With the masks held fixed, dropout is a fixed function of the parameters: its gradient checks.
    X, Y, parameters = small_network(seed)
    keep_prob = 0.7
    AL, caches = regularization.forward_propagation_with_dropout(X, parameters, keep_prob, np.random.default_rng(seed))
    masks = [D for _, _, D in caches]
    assert masks[-1] is None and all(D.dtype == bool and D.shape == Z.shape for (_, Z, D) in caches[:-1])

    def cost(p):
        A = X
        for l in (1, 2, 3):
            A, _ = layers.linear_activation_forward(A, p[f"W{l}"], p[f"b{l}"], "relu" if l < 3 else "sigmoid")
            if l < 3:
                A = A * masks[l - 1] / keep_prob
        return losses.binary_cross_entropy(A, Y)

    assert np.isclose(cost(parameters), losses.binary_cross_entropy(AL, Y))
    grads = regularization.backward_propagation_with_dropout(AL, Y, caches, keep_prob)
    assert gradcheck.gradient_check(cost, parameters, grads) < gradcheck.THRESHOLD


def test_dropout_forward_draws_what_nncore_training_draws_and_fresh_masks_every_call():
    X, Y, parameters = small_network(4, m=50)
    rng_a, rng_b = np.random.default_rng(9), np.random.default_rng(9)
    AL, caches = regularization.forward_propagation_with_dropout(X, parameters, 0.8, rng_a)
    AL_t, caches_t = training.forward(X, parameters, keep_prob=0.8, rng=rng_b)
    assert np.allclose(AL, AL_t)
    assert all(np.array_equal(D, c["dropout"][0]) for (_, _, D), c in zip(caches[:-1], caches_t[:-1]))
    assert rng_a.bit_generator.state == rng_b.bit_generator.state
    _, again = regularization.forward_propagation_with_dropout(X, parameters, 0.8, rng_a)
    assert not np.array_equal(caches[0][2], again[0][2])
    kept = np.mean(np.concatenate([D.ravel() for _, _, D in caches[:-1]]))
    assert 0.7 < kept < 0.9
    # inverted dropout keeps the expected activation: averaged over many masks, A·D/keep_prob ≈ A
    A1 = layers.linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")[0]
    rng = np.random.default_rng(0)
    mean = np.mean([layers.dropout_forward(A1, 0.8, rng)[0] for _ in range(4000)], axis=0)
    assert np.allclose(mean, A1, atol=0.05 * A1.max())


def test_flip_labels_flips_at_the_rate_keeps_dtype_and_is_seeded():
    Y = (np.arange(20000) % 2).reshape(1, -1).astype(np.uint8)
    noisy = data.flip_labels(Y, 0.1, seed=3)
    assert noisy.dtype == np.uint8 and noisy.shape == Y.shape and set(np.unique(noisy)) == {0, 1}
    assert abs(np.mean(noisy != Y) - 0.1) < 0.01
    assert np.array_equal(noisy, data.flip_labels(Y, 0.1, seed=3))
    assert np.array_equal(data.flip_labels(Y.astype(float), 0.0, seed=3), Y)


# ---- the solution and equivalent answers pass ---------------------------------------------------

def test_every_exercise_is_in_the_registry_and_the_solution_passes_visible_and_hidden(capsys):
    assert set(NAMES) == set(exercises.EXERCISES)
    ns = learner()
    for name in NAMES:
        check(name, ns[name])
        check(name, ns[name], seed=71123)
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 * len(NAMES) and out.err == ""


def test_equivalent_answers_pass():
    # the penalty with np.linalg.norm squared, over the dictionary's keys
    check("compute_cost_with_regularization", learner(plant(
        "compute_cost_with_regularization", 'np.sum(np.square(parameters["W" + str(l)]))',
        'np.linalg.norm(parameters["W" + str(l)]) ** 2'))["compute_cost_with_regularization"])
    # backprop written out by hand with the 04 formulas, dW computed first then the L2 term
    check("backward_propagation_with_regularization", cell('''
def backward_propagation_with_regularization(AL, Y, caches, lambd):
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    dZ = AL - Y.astype(float)
    for l in range(L, 0, -1):
        (A_prev, W, b), Z = caches[l - 1]
        if l < L:
            dZ = np.where(Z > 0, dA, 0)
        grads["dW" + str(l)] = (dZ @ A_prev.T + lambd * W) / m
        grads["db" + str(l)] = dZ.sum(axis=1, keepdims=True) / m
        dA = W.T @ dZ
    return grads
''')["backward_propagation_with_regularization"])
    # an integer 0/1 mask (astype(int)) and multiplying by 1/keep_prob are the same dropout
    ns = learner(plant("forward_propagation_with_dropout", "D = rng.random(A.shape) < keep_prob",
                       "D = (rng.random(A.shape) < keep_prob).astype(int)"))
    check("forward_propagation_with_dropout", ns["forward_propagation_with_dropout"])
    # rng.uniform(size=…) draws the same numbers as rng.random(…)
    ns = learner(plant("forward_propagation_with_dropout", "D = rng.random(A.shape) < keep_prob",
                       "D = rng.uniform(size=A.shape) < keep_prob"))
    check("forward_propagation_with_dropout", ns["forward_propagation_with_dropout"])
    ns = learner(plant("backward_propagation_with_dropout", "dA = dA * D / keep_prob",
                       "dA = dA * (D * (1 / keep_prob))"))
    check("backward_propagation_with_dropout", ns["backward_propagation_with_dropout"])


# ---- the L2 cost: planted bugs --------------------------------------------------------------------

COST = "compute_cost_with_regularization"


SQUARES = 'np.sum(np.square(parameters["W" + str(l)]))'


@pytest.mark.parametrize("old, new, hint, expected", [
    ("cost = cross_entropy_cost + L2_regularization_cost", "cost = cross_entropy_cost", "l2_term_missing",
     "the L2 term is missing"),
    ("cost = cross_entropy_cost + L2_regularization_cost", "cost = cross_entropy_cost - L2_regularization_cost",
     "l2_term_subtracted", "the L2 term is subtracted"),
    ("lambd / (2 * m)", "lambd / m", "l2_term_doubled", "λ/m where the formula has λ/(2m)"),
    ("lambd / (2 * m)", "lambd / 2", "l2_term_not_divided_by_m", "the L2 term is not divided by m"),
    ("lambd / (2 * m)", "lambd", "l2_term_not_divided_by_2m", "the L2 term is λ·Σ‖W[l]‖²"),
    (SQUARES, SQUARES + ' + np.sum(np.square(parameters["b" + str(l)]))', "l2_penalty_includes_biases",
     "the biases are in the penalty"),
    (SQUARES, 'np.linalg.norm(parameters["W" + str(l)])', "frobenius_norm_not_squared", "‖W‖ is not squared"),
    (SQUARES, 'np.sum(parameters["W" + str(l)])', "l2_weights_summed_not_squared",
     "the weights are summed, not squared"),
    ("for l in range(1, L + 1):", "for l in range(1, L):", "l2_penalty_skips_last_layer", "the penalty leaves out W"),
], ids=["missing", "subtracted", "lambda_over_m", "no_m", "no_2m", "biases", "norm_not_squared", "sum_not_squared",
        "last_layer_left_out"])
def test_cost_hints(old, new, hint, expected):
    message = planted(COST, old, new)
    assert message.hint == hint and expected in message


def test_cost_uint8_labels_get_the_generic_wrap_hint():
    source = plant(COST, "    Y = Y.astype(float)\n", "")
    source = plant(COST, "-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))",
                   "np.sum(-Y * np.log(AL) - (1 - Y) * np.log(1 - AL))", source)
    message = failure(COST, learner(source)[COST])
    assert "uint8 ones: −Y or 1 − Y on uint8 wraps" in message and message.hint == "uint8_wrap"


# ---- L2 backprop: planted bugs --------------------------------------------------------------------

L2_BACKWARD = "backward_propagation_with_regularization"


@pytest.mark.parametrize("old, new, hint, expected", [
    ("dW + lambd / m * W", "dW", "l2_grad_term_missing", "dW has no L2 term"),
    ("dW + lambd / m * W", "dW + lambd / (2 * m) * W", "l2_grad_term_halved", "the L2 term in dW is (λ/2m)·W"),
    ("dW + lambd / m * W", "dW + 2 * lambd / m * W", "l2_grad_term_doubled", "the L2 term in dW is 2λ/m·W"),
    ("dW + lambd / m * W", "dW + lambd * W", "l2_grad_term_not_divided_by_m", "the L2 term in dW is λ·W: divide by m"),
    ("dW + lambd / m * W", "dW - lambd / m * W", "l2_grad_term_subtracted", "the L2 term is subtracted from dW"),
    ("dW + lambd / m * W", "dW + (lambd / m * W if l == L else 0)", "l2_grad_term_in_some_layers",
     "only dW3 got the L2 term, not dW1, dW2"),
    ('grads["db" + str(l)] = db', 'grads["db" + str(l)] = db + lambd / m * b', "db_has_l2_term", "db has an L2 term"),
    ('grads["db" + str(l)] = db', 'grads["db" + str(l)] = db\n        grads["dA" + str(l - 1)] = dA', "grads_hold_da",
     "this exercise's grads hold only dW{l} and db{l}"),
], ids=["missing", "half", "double", "no_m", "subtracted", "last_layer_only", "db_penalized", "dA_keys"])
def test_l2_backward_hints(old, new, hint, expected):
    message = planted(L2_BACKWARD, old, new)
    assert message.hint == hint and expected in message


def test_l2_backward_generic_hints_fire():
    # db without keepdims: the generic shape diagnosis
    message = planted(L2_BACKWARD, "dA, dW, db = linear_backward(dZ, linear_cache)",
                      "dA, dW, db = linear_backward(dZ, linear_cache)\n        db = np.sum(dZ, axis=1) / m")
    assert "keepdims" in message and "flat_vector" in message.hint_ids
    # dZ = AL; dZ -= Y changes the caller's AL
    message = planted(L2_BACKWARD, "dZ = AL - Y", "dZ = AL\n    dZ -= Y")
    assert "changed its input in place" in message and message.hint == "mutated_input"


# ---- dropout forward: planted bugs ----------------------------------------------------------------

FORWARD = "forward_propagation_with_dropout"
MASK = "D = rng.random(A.shape) < keep_prob"


DROP_X = ("A = X\n", "A = X * (rng.random(X.shape) < keep_prob) / keep_prob\n")
DROP_AL = ("    AL = A\n", "    AL = A * (rng.random(A.shape) < keep_prob) / keep_prob\n")


@pytest.mark.parametrize("old, new, hint, expected", [
    (MASK, "D = rng.standard_normal(A.shape) < keep_prob", "dropout_mask_from_randn",
     "the masks come from a normal draw"),
    (MASK, "D = rng.random(A.shape) > keep_prob", "dropout_keeps_above_keep_prob",
     "keep where rng.random(A.shape) < keep_prob"),
    (MASK, "D = rng.random((A.shape[0], 1)) < keep_prob", "dropout_mask_per_unit", "the mask of layer 1 has shape"),
    (MASK, "D = np.broadcast_to(rng.random((A.shape[0], 1)) < keep_prob, A.shape)", "dropout_mask_per_unit",
     "the masks have shape (n[l], 1): every example drops the same units"),
    ("A = A * D / keep_prob", "A = A * D", "dropout_not_rescaled", "the kept activations are not divided by keep_prob"),
    ("A = A * D / keep_prob", "A = A * D * keep_prob", "dropout_multiplied_by_keep_prob",
     "the kept activations are multiplied by keep_prob"),
    (*DROP_X, "dropout_on_input", "the input X was dropped out too"),
    (*DROP_AL, "dropout_on_output", "the output AL was dropped out too"),
    (MASK, "D = np.random.default_rng(1).random(A.shape) < keep_prob", "dropout_rng_ignored",
     "never drew from the rng it was given"),
    (MASK, "np.random.seed(1)\n            D = np.random.rand(*A.shape) < keep_prob", "dropout_rng_ignored",
     "same mask on every call"),
    ("A = A * D / keep_prob", "A = A", "dropout_missing", "AL is that of a network without dropout"),
    ("caches.append((linear_cache, Z, D))", "caches.append((linear_cache, Z, D) if l < L else (linear_cache, Z))",
     "output_cache_not_three_parts", "the output layer's cache should be (linear_cache, Z, None)"),
], ids=["randn", "greater", "mask_n_by_1", "mask_n_by_1_broadcast", "no_rescale", "times_keep_prob", "input_dropped",
        "output_dropped", "reseeded_generator", "global_np_random", "mask_unused", "output_cache_two_parts"])
def test_dropout_forward_hints(old, new, hint, expected):
    message = planted(FORWARD, old, new)
    assert message.hint == hint and expected in message


def test_dropout_forward_on_the_input_and_the_output():
    message = failure(FORWARD, learner(plant(FORWARD, *DROP_X, plant(FORWARD, *DROP_AL)))[FORWARD])
    assert message.hint == "dropout_on_input_and_output" and "X and AL were dropped out too" in message


# ---- dropout backward: planted bugs ---------------------------------------------------------------

BACKWARD = "backward_propagation_with_dropout"


@pytest.mark.parametrize("new, hint, expected", [
    ("dA = dA * D", "dropout_backward_not_rescaled", "not divided by keep_prob"),
    ("dA = dA * D * keep_prob", "dropout_backward_multiplied_by_keep_prob", "the gradient is multiplied by keep_prob"),
    ("dA = dA / keep_prob", "dropout_backward_not_masked", "the gradient is not masked"),
    ("dA = dA", "dropout_backward_ignored", "backprop ignores dropout"),
], ids=["no_rescale", "times_keep_prob", "no_mask", "ignores_dropout"])
def test_dropout_backward_hints(new, hint, expected):
    message = planted(BACKWARD, "dA = dA * D / keep_prob", new)
    assert message.hint == hint and expected in message


def test_dropout_backward_dA_keys_hint():
    message = planted(BACKWARD, 'dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_backward(dZ, linear_cache)',
                      'dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_backward(dZ, linear_cache)\n'
                      '        grads["dA" + str(l - 1)] = dA')
    assert message.hint == "grads_hold_da" and "this exercise's grads hold only dW{l} and db{l}" in message


def test_the_solution_here_is_the_notebooks():
    import nbformat
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[1] / "course" / "source" / "07_regularization" / "regularization.ipynb"
    cells = [c for c in nbformat.read(notebook, as_version=4).cells if c.metadata.get("nbgrader", {}).get("solution")]
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    answers = ["\n".join(line for line in c.source.splitlines() if not any(mark in line for mark in markers))
               for c in cells]
    assert [c.metadata["nbgrader"]["grade_id"] for c in cells] == NAMES
    assert SOLUTION.strip() == "\n\n".join(answers).strip()
