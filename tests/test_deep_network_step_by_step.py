"""Assignment 04 "Deep network, step by step": the solution passes, equivalent answers pass, and every
hint the checker gives on this assignment's functions is proven by planting that bug in a correct answer."""

import functools

import numpy as np
import pytest

from autograder.learner.exercises import deep_network_step_by_step as deep_network
from learner import cell, plant_in
from learner import failure as report
from nncore import activations, gradcheck, init, models, shapes

check = deep_network.check

# The notebook's solution, as a learner would write it (sigmoid and relu come from nncore.activations).
SOLUTION = '''
def layer_shapes(layer_dims, m):
    shapes = {"A0": (layer_dims[0], m)}
    for l in range(1, len(layer_dims)):
        shapes["W" + str(l)] = (layer_dims[l], layer_dims[l - 1])
        shapes["b" + str(l)] = (layer_dims[l], 1)
        shapes["Z" + str(l)] = (layer_dims[l], m)
        shapes["A" + str(l)] = (layer_dims[l], m)
    return shapes

def initialize_parameters_deep(layer_dims, seed):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters

def linear_forward(A_prev, W, b):
    Z = np.dot(W, A_prev) + b
    cache = (A_prev, W, b)
    return Z, cache

def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = relu(Z)
    cache = (linear_cache, Z)
    return A, cache

def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches

def compute_cost(AL, Y):
    Y = Y.astype(float)
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    return cost

def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db

def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0)
    elif activation == "sigmoid":
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db

def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape).astype(float)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in reversed(range(1, L)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu")
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db
    return grads

def update_parameters(parameters, grads, learning_rate):
    new_parameters = {}
    for key in parameters:
        new_parameters[key] = parameters[key] - learning_rate * grads["d" + key]
    return new_parameters
'''

NAMES = ["layer_shapes", "initialize_parameters_deep", "linear_forward", "linear_activation_forward",
         "L_model_forward", "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward",
         "update_parameters"]
GIVEN = {"sigmoid": activations.sigmoid, "relu": activations.relu}


def plant(name, old, new, source=SOLUTION):
    """``source`` with ``old`` replaced by ``new`` inside the definition of function ``name`` (a planted bug)."""
    return plant_in(source, name, old, new)


def learner(source=SOLUTION):
    """The learner's namespace: every function of ``source``, with nncore's sigmoid and relu given."""
    return cell(source, **GIVEN)


failure = functools.partial(report, check)


def planted(name, old, new, where=None):
    """The check's message for exercise ``name`` when ``old`` becomes ``new`` in function ``where`` (default: name)."""
    return failure(name, learner(plant(where or name, old, new))[name])


# ---- the solution and equivalent answers pass ---------------------------------------------------

def test_every_exercise_is_in_the_registry_and_the_solution_passes_visible_and_hidden(capsys):
    assert set(NAMES) == set(deep_network.EXERCISES)
    ns = learner()
    for name in NAMES:
        check(name, ns[name])
        check(name, ns[name], seed=52361)
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 * len(NAMES) and out.err == ""


def test_init_contract_matches_nncore_and_layer_shapes_match_a_real_forward_pass():
    # Independent of the checker: the contract stated in the notebook is nncore's "random" init at 0.01.
    ns = learner()
    dims, m = [6, 4, 3, 1], 5
    mine = ns["initialize_parameters_deep"](dims, 7)
    ref = init.initialize_parameters_deep(dims, "random", seed=7, scale=0.01)
    assert all(np.array_equal(mine[k], ref[k]) for k in ref) and list(mine) == list(ref)
    # every shape in layer_shapes is the shape of the array a forward pass really produces
    X = np.random.default_rng(0).normal(size=(dims[0], m))
    AL, caches = models.L_model_forward(X, ref)
    real = {"A0": X.shape}
    for l, ((A_prev, W, b), Z) in enumerate(caches, 1):
        real |= {f"A{l-1}": A_prev.shape, f"W{l}": W.shape, f"b{l}": b.shape, f"Z{l}": Z.shape}
    real[f"A{len(caches)}"] = AL.shape
    assert shapes.layer_shapes(dims, m) == real == ns["layer_shapes"](dims, m)


def test_equivalent_init_spellings_pass():
    # rng.normal(size=…) draws the same numbers as rng.standard_normal(…); a list for a shape is fine.
    ns = learner(plant("initialize_parameters_deep", "rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 0.01",
                       "0.01 * rng.normal(size=(layer_dims[l], layer_dims[l - 1]))"))
    check("initialize_parameters_deep", ns["initialize_parameters_deep"])
    ns = learner(plant("layer_shapes", 'shapes["b" + str(l)] = (layer_dims[l], 1)',
                       'shapes["b" + str(l)] = [layer_dims[l], 1]'))
    check("layer_shapes", ns["layer_shapes"])


def test_relu_derivative_from_A_or_from_Z_both_pass():
    # A > 0 exactly where Z > 0, so a mask built from A = relu(Z) is the same derivative.
    ns = learner(plant("linear_activation_backward", "dZ = dA * (Z > 0)",
                       "A = relu(Z)\n        dZ = np.where(A > 0, dA, 0)"))
    check("linear_activation_backward", ns["linear_activation_backward"])
    # In L_model_backward, A[l] is the next layer's cached A_prev: a mask from it is also correct.
    lab = '''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape).astype(float)
    dZ = AL - Y
    for l in range(L, 0, -1):
        (A_prev, W, b), Z = caches[l - 1]
        if l < L:
            A = caches[l][0][0]
            dZ = grads["dA" + str(l)] * (A > 0)
        m = A_prev.shape[1]
        grads["dW" + str(l)] = dZ @ A_prev.T / m
        grads["db" + str(l)] = dZ.sum(axis=1, keepdims=True) / m
        grads["dA" + str(l - 1)] = W.T @ dZ
    return grads
'''
    check("L_model_backward", cell(lab)["L_model_backward"])


def test_output_layer_may_start_from_dAL_or_from_dZL():
    # The textbook dAL through the sigmoid derivative (the solution) and the shortcut dZ[L] = AL − Y both pass.
    shortcut = learner(plant("L_model_backward",
                             'dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")',
                             "dA_prev, dW, db = linear_backward(AL - Y, caches[L - 1][0])"))
    check("L_model_backward", learner()["L_model_backward"])
    check("L_model_backward", shortcut["L_model_backward"])


def test_an_int_zero_bias_and_a_0d_cost_pass():
    ns = learner(plant("initialize_parameters_deep", "np.zeros((layer_dims[l], 1))",
                       "np.zeros((layer_dims[l], 1), dtype=int)"))
    check("initialize_parameters_deep", ns["initialize_parameters_deep"])
    ns = learner(plant("compute_cost", "    return cost\n", "    return np.squeeze(np.array([[cost]]))\n"))
    check("compute_cost", ns["compute_cost"])


def test_the_hint_backprop_variant_with_the_right_choices_is_the_reference():
    case = deep_network.EXERCISES["L_model_backward"].cases(3)[0]
    AL, Y, caches = case.kwargs.values()
    ours = deep_network.backprop_variant(AL, Y, caches, AL - Y, activations.relu_backward)
    ref = models.L_model_backward(AL, Y, caches)
    assert ours.keys() == ref.keys() and all(np.allclose(ours[k], ref[k]) for k in ref)


# ---- layer_shapes -------------------------------------------------------------------------------

def test_layer_shapes_with_W_transposed():
    message = planted("layer_shapes", "(layer_dims[l], layer_dims[l - 1])", "(layer_dims[l - 1], layer_dims[l])")
    assert message.hint == "weight_shapes_transposed"
    assert "likely cause" in message and "weight shapes are transposed" in message and "(n[l], n[l-1])" in message


def test_layer_shapes_with_examples_as_rows():
    message = planted("layer_shapes", 'shapes["Z" + str(l)] = (layer_dims[l], m)',
                      'shapes["Z" + str(l)] = (m, layer_dims[l])')
    assert message.hint == "shapes_transposed"
    assert "transposed shapes for Z1" in message and "examples are columns" in message


def test_layer_shapes_without_A0():
    message = planted("layer_shapes", 'shapes = {"A0": (layer_dims[0], m)}', "shapes = {}")
    assert "missing key(s) ['A0']" in message and message.hint_ids == ()


# ---- initialize_parameters_deep -----------------------------------------------------------------

RANDN = "rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 0.01"


def test_init_uniform_rand_instead_of_randn():
    message = planted("initialize_parameters_deep", RANDN, "rng.random((layer_dims[l], layer_dims[l - 1])) * 0.01")
    assert message.hint == "init_uniform_weights"
    assert "every weight is positive" in message and "np.random.rand" in message


def test_init_legacy_global_random_state():
    message = planted("initialize_parameters_deep", "rng = np.random.default_rng(seed)", "np.random.seed(seed)")
    # the solution's rng.standard_normal no longer exists: use np.random.randn as the lecture's code does
    source = SOLUTION.replace("rng = np.random.default_rng(seed)", "np.random.seed(seed)").replace(
        RANDN, "np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01")
    message = failure("initialize_parameters_deep", learner(source)["initialize_parameters_deep"])
    assert message.hint == "legacy_random_seed"
    assert "legacy np.random.seed(seed) + np.random.randn" in message and "default_rng(seed)" in message


def test_init_generator_created_inside_the_loop():
    message = planted("initialize_parameters_deep", "parameters[\"W\" + str(l)] = rng.",
                      "rng = np.random.default_rng(seed)\n        parameters[\"W\" + str(l)] = rng.")
    assert message.hint == "generator_recreated_per_layer"
    assert "every layer starts the same random stream again" in message


def test_init_missing_scale():
    message = planted("initialize_parameters_deep", RANDN, "rng.standard_normal((layer_dims[l], layer_dims[l - 1]))")
    assert message.hint == "init_scale_missing" and "100 times too large: the × 0.01 is missing" in message


@pytest.mark.parametrize("factor, name, hint", [
    ("np.sqrt(2 / layer_dims[l - 1])", "He", "init_he_scaling_used"),
    ("np.sqrt(1 / layer_dims[l - 1])", "Xavier", "init_xavier_scaling_used"),
])
def test_init_he_or_xavier_scaling_instead_of_0_01(factor, name, hint):
    message = planted("initialize_parameters_deep", "* 0.01", f"* {factor}")
    assert message.hint == hint and f"({name} initialization) instead of 0.01" in message


def test_init_another_constant_scale():
    message = planted("initialize_parameters_deep", "* 0.01", "* 0.1")
    assert message.hint == "init_wrong_scale" and "scaled by 0.1 instead of 0.01" in message


def test_init_a_scale_that_differs_by_layer():
    message = planted("initialize_parameters_deep", "* 0.01", "* 0.01 * l")
    assert message.hint == "init_scale_varies_by_layer"
    assert "each layer is scaled by a different factor (0.01, 0.02" in message


def test_init_he_with_integer_division_gives_zeros():
    message = planted("initialize_parameters_deep", "* 0.01", "* np.sqrt(2 // layer_dims[l - 1])")
    assert message.hint == "init_zero_weights"
    assert "every weight is 0" in message and "integer division" in message


def test_init_flat_bias_and_transposed_weights_use_the_generic_hints():
    message = planted("initialize_parameters_deep", "np.zeros((layer_dims[l], 1))", "np.zeros(layer_dims[l])")
    assert "flat vector of shape (n,)" in message and message.hint == "flat_vector"
    message = planted("initialize_parameters_deep", RANDN,
                      "rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * 0.01")
    assert "the result is transposed" in message and message.hint == "transposed"


# ---- forward ------------------------------------------------------------------------------------

def test_linear_forward_misaligned_product():
    message = planted("linear_forward", "np.dot(W, A_prev)", "np.dot(A_prev, W)")
    assert "ValueError" in message and "check the transposes" in message
    assert message.hint == "shapes_do_not_fit_product"


def test_linear_activation_forward_returns_one_value():
    message = planted("linear_activation_forward", "    cache = (linear_cache, Z)\n    return A, cache",
                      "    return A")
    assert "should return 2 values (A, cache), returned a single ndarray" in message
    assert message.hint == "wrong_number_of_values"


def test_linear_activation_forward_graded_as_written_points_at_a_failing_linear_forward(monkeypatch):
    monkeypatch.setenv("NNCOURSE_GRADING", "as_written")  # each bug once: see tests/test_borrowing.py
    message = planted("linear_activation_forward", "Z = np.dot(W, A_prev) + b", "Z = np.dot(W, A_prev)",
                      where="linear_forward")
    assert "calls your linear_forward, which does not pass its own check yet" in message


def test_L_model_forward_sigmoid_in_hidden_layers():
    message = planted("L_model_forward", 'parameters["b" + str(l)], "relu")', 'parameters["b" + str(l)], "sigmoid")')
    assert message.hint == "sigmoid_in_hidden_layers" and "sigmoid in the hidden layers too" in message


def test_L_model_forward_relu_output():
    message = planted("L_model_forward", 'parameters["b" + str(L)], "sigmoid")', 'parameters["b" + str(L)], "relu")')
    assert message.hint == "relu_in_output_layer" and "ReLU in the output layer too" in message


def test_L_model_forward_activations_swapped():
    swapped = plant_in(SOLUTION, "L_model_forward", 'str(l)], "relu")', 'str(l)], "sigmoid")')
    swapped = plant_in(swapped, "L_model_forward", 'str(L)], "sigmoid")', 'str(L)], "relu")')
    message = failure("L_model_forward", learner(swapped)["L_model_forward"])
    assert message.hint == "activations_swapped" and "the activations swapped" in message


def test_L_model_forward_forgets_the_output_layer():
    message = planted("L_model_forward", 'AL, cache = linear_activation_forward(A, parameters["W" + str(L)], '
                      'parameters["b" + str(L)], "sigmoid")\n    caches.append(cache)\n    return AL, caches',
                      "return A, caches")
    assert message.hint == "output_layer_missing"
    assert "caches has" in message and "the output layer L still needs its own" in message


def test_L_model_forward_len_parameters_is_twice_L():
    message = planted("L_model_forward", "L = len(parameters) // 2", "L = len(parameters)")
    assert "KeyError" in message and "keys it was not given" in message and message.hint == "uses_globals"


# ---- compute_cost -------------------------------------------------------------------------------

def test_compute_cost_generic_hints():
    message = planted("compute_cost", "np.log(1 - AL)) / m", "np.log(1 - AL))")
    assert "times too large: the 1/m" in message and message.hint == "missing_1_over_m"
    message = planted("compute_cost", "cost = -np.sum", "cost = np.sum")
    assert "sign is flipped" in message and message.hint == "sign_flipped"
    message = planted("compute_cost", "    Y = Y.astype(float)\n    m = Y.shape[1]\n"
                      "    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m",
                      "    m = Y.shape[1]\n    cost = np.sum(-Y * np.log(AL) - (1 - Y) * np.log(1 - AL)) / m")
    assert "test case 2 of 3" in message and "not uint8 ones" in message and "wraps around" in message
    assert message.hint == "uint8_wrap"


# ---- backward -----------------------------------------------------------------------------------

def test_linear_activation_backward_other_activations_derivative():
    message = planted("linear_activation_backward", 'if activation == "relu":', 'if activation == "sigmoid":')
    # with relu the branch is now missing: the first case (sigmoid) runs the relu mask
    assert message.hint == "other_activation_derivative"
    assert "gradients for a 'relu' layer, but activation is 'sigmoid'" in message


def test_linear_activation_backward_sigmoid_derivative_from_Z():
    message = planted("linear_activation_backward", "dZ = dA * s * (1 - s)", "dZ = dA * Z * (1 - Z)")
    assert message.hint == "sigmoid_derivative_of_input" and "you used Z·(1 − Z)" in message


def test_linear_activation_backward_without_the_derivative():
    message = planted("linear_activation_backward", "linear_backward(dZ, linear_cache)",
                      "linear_backward(dA, linear_cache)")
    assert message.hint == "activation_derivative_missing" and "dA went straight into linear_backward" in message


def test_linear_activation_backward_missing_one_over_m_graded_as_written_points_at_linear_backward(monkeypatch):
    monkeypatch.setenv("NNCOURSE_GRADING", "as_written")  # each bug once: see tests/test_borrowing.py
    message = planted("linear_activation_backward", "dW = np.dot(dZ, A_prev.T) / m", "dW = np.dot(dZ, A_prev.T)",
                      where="linear_backward")
    assert "times too large: the 1/m" in message and message.hint == "missing_1_over_m"
    assert "calls your linear_backward, which does not pass its own check yet" in message


def test_L_model_backward_sigmoid_derivative_in_hidden_layers():
    message = planted("L_model_backward", 'caches[l - 1], "relu")', 'caches[l - 1], "sigmoid")')
    assert message.hint == "sigmoid_derivative_in_hidden_layers"
    assert "the sigmoid derivative in the hidden layers" in message


def test_L_model_backward_relu_derivative_at_the_output():
    message = planted("L_model_backward", 'caches[L - 1], "sigmoid")', 'caches[L - 1], "relu")')
    assert message.hint == "relu_derivative_in_output_layer"
    assert "the ReLU derivative in the output layer" in message


def test_L_model_backward_sigmoid_derivative_applied_to_AL_minus_Y():
    message = planted("L_model_backward", "linear_activation_backward(dAL,", "linear_activation_backward(AL - Y,")
    assert message.hint == "sigmoid_derivative_applied_twice"
    assert "the sigmoid derivative applied twice in the output layer: AL − Y is already dZ[L]" in message


def test_L_model_backward_no_relu_derivative():
    # the learner's own loop with dZ = dA in the hidden layers
    source = SOLUTION.replace('linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu")',
                              'linear_backward(grads["dA" + str(l)], caches[l - 1][0])')
    message = failure("L_model_backward", learner(source)["L_model_backward"])
    assert message.hint == "relu_derivative_missing" and "no ReLU derivative in the hidden layers" in message


CARRIED_dA = """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape).astype(float)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dA, caches[l - 1], activation)
        grads["dA" + str(l - 1)] = dA
    return grads
"""


def test_L_model_backward_dA_key_off_by_one():
    # A loop that carries dA in a variable is correct; storing dA under layer l instead of l-1 shifts the keys.
    check("L_model_backward", learner(SOLUTION + CARRIED_dA)["L_model_backward"])  # the later def wins
    shifted = plant("L_model_backward", 'grads["dA" + str(l - 1)] = dA', 'grads["dA" + str(l)] = dA', source=CARRIED_dA)
    message = failure("L_model_backward", learner(SOLUTION + shifted)["L_model_backward"])
    assert "missing key(s) ['dA0']" in message and "key names are shifted" in message
    assert message.hint == "keys_shifted"


def test_L_model_backward_dW_db_keys_off_by_one():
    message = planted("L_model_backward", 'grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db',
                      'grads["dW" + str(l - 1)], grads["db" + str(l - 1)] = dA_prev, dW, db')
    assert "missing key(s)" in message and "unexpected key(s) ['dW0', 'db0']" in message
    assert message.hint == "grads_keys_off_by_one"
    assert "the gradient keys are numbered off by one: you stored ['dW0', 'dW2'], expected ['dW1', 'dW2']" in message


def test_L_model_backward_uint8_labels_wrap():
    message = planted("L_model_backward",
                      "    Y = Y.reshape(AL.shape).astype(float)\n"
                      "    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))",
                      "    Y = Y.reshape(AL.shape)\n    dAL = np.divide(-Y, AL) + np.divide(1 - Y, 1 - AL)")
    assert "not uint8 ones" in message and "wraps around" in message and message.hint == "uint8_wrap"


def test_L_model_backward_graded_as_written_points_at_a_failing_linear_activation_backward(monkeypatch):
    monkeypatch.setenv("NNCOURSE_GRADING", "as_written")  # each bug once: see tests/test_borrowing.py
    message = planted("L_model_backward", "db = np.sum(dZ, axis=1, keepdims=True) / m",
                      "db = np.sum(dZ, axis=1, keepdims=True)",
                      where="linear_backward")
    assert "calls your linear_activation_backward, which does not pass its own check yet" in message


# ---- update_parameters --------------------------------------------------------------------------

def test_update_parameters_uphill():
    message = planted("update_parameters", "parameters[key] - learning_rate", "parameters[key] + learning_rate")
    assert message.hint == "gradient_ascent" and "θ + α·dθ climbs up the cost" in message


@pytest.mark.parametrize("new", [
    'parameters[key] = parameters[key] - learning_rate * grads["d" + key]\n'
    '        new_parameters[key] = parameters[key]',
    'new_parameters = parameters.copy()\n        new_parameters[key] -= learning_rate * grads["d" + key]',
])
def test_update_parameters_mutating_the_dictionary_or_its_arrays(new):
    # a shallow parameters.copy() shares the arrays: -= still changes the learner's input
    message = planted("update_parameters", 'new_parameters[key] = parameters[key] - learning_rate * grads["d" + key]',
                      new)
    assert "argument 'parameters': your function changed its input in place" in message
    assert message.hint == "mutated_input"


# ---- gradient checking the learner's own backprop (what the notebook's last section does) ---------

def test_gradient_check_of_the_solution_passes_and_a_planted_bug_fails():
    ns = learner()
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(4, 7)), (rng.random((1, 7)) > 0.5).astype(np.uint8)
    parameters = init.initialize_parameters_deep([4, 5, 3, 1], "he", seed=2)
    cost = lambda p: ns["compute_cost"](ns["L_model_forward"](X, p)[0], Y)  # noqa: E731
    AL, caches = ns["L_model_forward"](X, parameters)
    assert gradcheck.gradient_check(cost, parameters, ns["L_model_backward"](AL, Y, caches)) < gradcheck.THRESHOLD
    buggy = learner(plant("L_model_backward", 'caches[l - 1], "relu")', 'caches[l - 1], "sigmoid")'))
    assert gradcheck.gradient_check(cost, parameters, buggy["L_model_backward"](AL, Y, caches)) > 1e-3


def test_update_parameters_that_steps_only_the_weights_is_named():
    message = planted("update_parameters", 'parameters[key] - learning_rate * grads["d" + key]',
                      'parameters[key] - (learning_rate * grads["d" + key] if key[0] == "W" else 0)')
    assert message.hint == "never_updated" and "b1 is exactly the value it started with" in message
