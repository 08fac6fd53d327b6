"""Assignment 03 (one hidden layer): nncore.shallow against independent maths, and the checker's hints,
each proven by planting that bug in an otherwise correct learner answer."""

import functools

import numpy as np
import pytest

from autograder.learner.exercises import shallow_network
from learner import cell, plant
from learner import failure as report
from nncore import data, shallow

check = shallow_network.check

LEARNER = """
def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def layer_sizes(X, Y):
    n_x = X.shape[0]
    n_h = 4
    n_y = Y.shape[0]
    return (n_x, n_h, n_y)

def initialize_parameters(n_x, n_h, n_y, seed=2):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_h, n_x)) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = rng.standard_normal((n_y, n_h)) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}

def forward_propagation(X, parameters):
    W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache

def compute_cost(A2, Y):
    Y = Y.astype(float)
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = -np.sum(logprobs) / m
    return float(np.squeeze(cost))

def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    W2 = parameters["W2"]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    return grads

def update_parameters(parameters, grads, learning_rate=1.2):
    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["db1"]
    W2 = parameters["W2"] - learning_rate * grads["dW2"]
    b2 = parameters["b2"] - learning_rate * grads["db2"]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}

def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, seed=3, learning_rate=1.2, parameters=None):
    if parameters is None:
        n_x, _, n_y = layer_sizes(X, Y)
        parameters = initialize_parameters(n_x, n_h, n_y, seed)
    costs = []
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs

def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    predictions = A2 > 0.5
    return predictions

def collapse_linear_layers(parameters):
    L = len(parameters) // 2
    W = parameters["W1"]
    b = parameters["b1"]
    for l in range(2, L + 1):
        b = np.dot(parameters["W" + str(l)], b) + parameters["b" + str(l)]
        W = np.dot(parameters["W" + str(l)], W)
    return {"W": W, "b": b}
"""

NAMES = ("layer_sizes", "initialize_parameters", "forward_propagation", "compute_cost", "backward_propagation",
         "update_parameters", "nn_model", "predict", "collapse_linear_layers")


def planted(old, new, name):
    """The learner's function ``name`` with the text ``old`` of the correct answer replaced by ``new``."""
    return cell(plant(LEARNER, old, new))[name]


failure = functools.partial(report, check)


# ---- nncore.shallow against independent maths ---------------------------------------------------

def test_initialize_parameters_contract():
    p = shallow.initialize_parameters(3, 5, 2, seed=7)
    rng = np.random.default_rng(7)
    w1, w2 = rng.standard_normal((5, 3)) * 0.01, rng.standard_normal((2, 5)) * 0.01
    assert np.array_equal(p["W1"], w1) and np.array_equal(p["W2"], w2)
    assert np.array_equal(p["b1"], np.zeros((5, 1))) and np.array_equal(p["b2"], np.zeros((2, 1)))
    assert list(p) == ["W1", "b1", "W2", "b2"]
    assert shallow.layer_sizes(np.zeros((5, 3)), np.zeros((2, 3))) == (5, 4, 2)


def test_backward_propagation_matches_numerical_gradient():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(3, 7)), (rng.random((1, 7)) > 0.5).astype(np.uint8)
    p = {"W1": rng.normal(size=(4, 3)), "b1": rng.normal(size=(4, 1)), "W2": rng.normal(size=(1, 4)),
         "b2": rng.normal(size=(1, 1))}
    A2, cache = shallow.forward_propagation(X, p)
    assert np.allclose(cache["A1"], np.tanh(p["W1"] @ X + p["b1"]))
    assert np.allclose(A2, 1 / (1 + np.exp(-(p["W2"] @ cache["A1"] + p["b2"]))))
    grads = shallow.backward_propagation(p, cache, X, Y)
    y = Y.astype(float)

    def cost(q):
        a2 = 1 / (1 + np.exp(-(q["W2"] @ np.tanh(q["W1"] @ X + q["b1"]) + q["b2"])))
        return -np.mean(y * np.log(a2) + (1 - y) * np.log(1 - a2))
    assert np.isclose(shallow.compute_cost(A2, Y), cost(p))
    eps = 1e-6
    for key, value in p.items():
        numeric = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[idx] += eps
            minus[idx] -= eps
            numeric[idx] = (cost({**p, key: plus}) - cost({**p, key: minus})) / (2 * eps)
        assert np.allclose(grads["d" + key], numeric, rtol=1e-5, atol=1e-8), key


def test_nn_model_learns_the_flower_and_is_gradient_descent():
    X, Y = data.make_flower()
    parameters, costs = shallow.nn_model(X, Y, 4, num_iterations=1500)
    assert len(costs) == 15 and costs[0] > 0.69 and costs[-1] < 0.35
    assert np.mean(shallow.predict(parameters, X) == Y) > 0.85
    # two iterations by hand = the model with num_iterations=2
    p = shallow.initialize_parameters(2, 3, 1, seed=3)
    for _ in range(2):
        A2, cache = shallow.forward_propagation(X, p)
        g = shallow.backward_propagation(p, cache, X, Y)
        p = {k: v - 0.5 * g["d" + k] for k, v in p.items()}
    got, costs = shallow.nn_model(X, Y, 3, num_iterations=2, learning_rate=0.5)
    assert all(np.allclose(got[k], p[k]) for k in p) and len(costs) == 1


def test_nn_model_starts_from_given_parameters_and_leaves_them_alone():
    X, Y = data.make_xor(m=40, seed=1)
    rng = np.random.default_rng(4)
    start = {"W1": rng.normal(size=(3, 2)), "b1": np.zeros((3, 1)), "W2": rng.normal(size=(1, 3)),
             "b2": np.zeros((1, 1))}
    before = {k: v.copy() for k, v in start.items()}
    got, costs = shallow.nn_model(X, Y, 3, num_iterations=2, learning_rate=0.5, seed=99, parameters=start)
    p = start
    for _ in range(2):
        A2, cache = shallow.forward_propagation(X, p)
        p = shallow.update_parameters(p, shallow.backward_propagation(p, cache, X, Y), 0.5)
    assert all(np.array_equal(got[k], p[k]) for k in p)
    assert all(np.array_equal(start[k], before[k]) for k in start)


def test_collapse_linear_layers_is_what_a_stack_of_linear_layers_computes():
    rng = np.random.default_rng(8)
    dims = [3, 5, 4, 2]
    parameters = {}
    for l in range(1, 4):
        parameters[f"W{l}"] = rng.normal(size=(dims[l], dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(size=(dims[l], 1))
    X = rng.normal(size=(3, 6))
    A = X
    for l in range(1, 4):                                  # layer by layer, with g(z) = z
        A = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
    one = shallow.collapse_linear_layers(parameters)
    assert one["W"].shape == (2, 3) and one["b"].shape == (2, 1)
    np.testing.assert_allclose(one["W"] @ X + one["b"], A, rtol=1e-12)
    np.testing.assert_allclose(one["W"], parameters["W3"] @ parameters["W2"] @ parameters["W1"], rtol=1e-12)
    single = {"W1": parameters["W1"], "b1": parameters["b1"]}
    one = shallow.collapse_linear_layers(single)                      # one layer is its own collapse
    assert np.array_equal(one["W"], single["W1"]) and np.array_equal(one["b"], single["b1"])


# ---- the solution passes, on the visible and on another seed ------------------------------------

def test_correct_answers_pass_visible_and_hidden_cases(capsys):
    ns = cell(LEARNER)
    for name in NAMES:
        check(name, ns[name])
        check(name, ns[name], seed=31415)
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 * len(NAMES) and out.err == ""


def test_equivalent_answers_pass():
    ns = cell("""
    def initialize_parameters(n_x, n_h, n_y, seed=2):
        rng = np.random.default_rng(seed)
        W1 = rng.normal(0, 0.01, size=(n_h, n_x))
        W2 = 0.01 * rng.normal(size=(n_y, n_h))
        return {"W1": W1, "b1": 0 * W1[:, :1], "W2": W2, "b2": np.zeros((n_y, 1), dtype=int)}
    def backward_propagation(parameters, cache, X, Y):
        m = Y.size
        dZ2 = cache["A2"] - Y.astype(float)
        dZ1 = (parameters["W2"].T @ dZ2) * (1 - np.tanh(cache["Z1"]) ** 2)
        return {"dW2": dZ2 @ cache["A1"].T / m, "db2": dZ2.mean(axis=1, keepdims=True),
                "dW1": dZ1 @ X.T / m, "db1": dZ1.mean(axis=1, keepdims=True)}
    def predict(parameters, X):
        Z2 = parameters["W2"] @ np.tanh(parameters["W1"] @ X + parameters["b1"]) + parameters["b2"]
        return (Z2 > 0).astype(float)
    """)
    for name in ("initialize_parameters", "backward_propagation", "predict"):
        check(name, ns[name])


# ---- exercise-specific hints, each proven by its planted bug -------------------------------------

def test_rand_instead_of_randn():
    fn = planted("rng.standard_normal((n_h, n_x)) * 0.01\n    b1 = np.zeros((n_h, 1))\n    W2 = rng.standard_normal",
                 "rng.random((n_h, n_x)) * 0.01\n    b1 = np.zeros((n_h, 1))\n    W2 = rng.random",
                 "initialize_parameters")
    message = failure("initialize_parameters", fn)
    assert message.hint == "init_uniform_weights"
    assert "likely cause" in message and "every weight is positive and below 0.01" in message
    assert "rng.standard_normal(...) * 0.01" in message


def test_legacy_global_randn():
    fn = planted("rng = np.random.default_rng(seed)\n    W1 = rng.standard_normal((n_h, n_x)) * 0.01\n"
                 "    b1 = np.zeros((n_h, 1))\n    W2 = rng.standard_normal((n_y, n_h)) * 0.01",
                 "np.random.seed(seed)\n    W1 = np.random.randn(n_h, n_x) * 0.01\n"
                 "    b1 = np.zeros((n_h, 1))\n    W2 = np.random.randn(n_y, n_h) * 0.01", "initialize_parameters")
    message = failure("initialize_parameters", fn)
    assert message.hint == "legacy_random_seed"
    assert "np.random.seed(2) + np.random.randn" in message and "np.random.default_rng(seed)" in message


def test_weights_drawn_in_another_order():
    fn = planted("W1 = rng.standard_normal((n_h, n_x)) * 0.01\n    b1 = np.zeros((n_h, 1))\n"
                 "    W2 = rng.standard_normal((n_y, n_h)) * 0.01",
                 "W2 = rng.standard_normal((n_y, n_h)) * 0.01\n    b1 = np.zeros((n_h, 1))\n"
                 "    W1 = rng.standard_normal((n_h, n_x)) * 0.01", "initialize_parameters")
    message = failure("initialize_parameters", fn)
    assert message.hint == "weights_drawn_in_another_order"
    assert "W1 holds the numbers the reference draws second" in message and "draw W1 first, then W2" in message


def test_generator_created_twice():
    fn = planted("    W2 = rng.standard_normal((n_y, n_h)) * 0.01",
                 "    W2 = np.random.default_rng(seed).standard_normal((n_y, n_h)) * 0.01", "initialize_parameters")
    message = failure("initialize_parameters", fn)
    assert message.hint == "generator_recreated_per_layer"
    assert "the generator was created again for W2" in message


def test_forgot_the_0_01_scale():
    fn = planted("W1 = rng.standard_normal((n_h, n_x)) * 0.01\n    b1 = np.zeros((n_h, 1))\n"
                 "    W2 = rng.standard_normal((n_y, n_h)) * 0.01",
                 "W1 = rng.standard_normal((n_h, n_x))\n    b1 = np.zeros((n_h, 1))\n"
                 "    W2 = rng.standard_normal((n_y, n_h))", "initialize_parameters")
    message = failure("initialize_parameters", fn)
    assert message.hint == "init_scale_missing"
    assert "100 times too large: multiply the standard normal draws by 0.01" in message


def test_sigmoid_in_the_hidden_layer():
    fn = planted("A1 = np.tanh(Z1)", "A1 = sigmoid(Z1)", "forward_propagation")
    message = failure("forward_propagation", fn)
    assert message.hint == "hidden_sigmoid_not_tanh" and "the hidden layer uses tanh" in message


@pytest.mark.parametrize("wrong, hint, expected", [
    ("A1 * (1 - A1)", "tanh_derivative_sigmoid_of_a", "A1·(1 − A1), the sigmoid's derivative"),
    ("sigmoid(cache['Z1']) * (1 - sigmoid(cache['Z1']))", "tanh_derivative_sigmoid_of_z", "σ′(Z1) = σ(Z1)(1 − σ(Z1))"),
    ("(1 - np.power(cache['Z1'], 2))", "tanh_derivative_of_input", "1 − Z1²"),
    ("(1 - A1)", "tanh_derivative_not_squared", "the square is missing"),
])
def test_wrong_tanh_derivative(wrong, hint, expected):
    fn = planted("(1 - np.power(A1, 2))", wrong, "backward_propagation")
    message = failure("backward_propagation", fn)
    assert message.hint == hint
    assert "likely cause" in message and expected in message and "1 − A1²" in message


def test_gradient_keys_swapped():
    fn = planted('grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}',
                 'grads = {"dW1": dW2, "db1": db1, "dW2": dW1, "db2": db2}', "backward_propagation")
    message = failure("backward_propagation", fn)
    assert message.hint == "grads_keys_swapped"
    assert "grads['dW1'] and grads['dW2'] hold each other's gradient" in message


def test_gradient_keys_in_lower_case():
    fn = planted('grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}',
                 'grads = {"dw1": dW1, "db1": db1, "dw2": dW2, "db2": db2}', "backward_propagation")
    message = failure("backward_propagation", fn)
    assert message.hint == "grads_keys_wrong_case"
    assert "the key names are case-sensitive" in message and "missing key(s) ['dW1', 'dW2']" in message


def test_nn_model_ignores_its_n_h_argument():
    fn = planted("n_x, _, n_y = layer_sizes(X, Y)", "n_x, n_h, n_y = layer_sizes(X, Y)", "nn_model")
    message = failure("nn_model", fn)
    assert message.hint == "n_h_argument_ignored" and "use the n_h argument of nn_model" in message


@pytest.mark.parametrize("old, new, name", [
    ("initialize_parameters(n_x, n_h, n_y, seed)", "initialize_parameters(n_x, n_h, n_y)", "seed"),
    ("update_parameters(parameters, grads, learning_rate)", "update_parameters(parameters, grads)", "learning_rate"),
])
def test_nn_model_does_not_pass_an_argument_on(old, new, name):
    message = failure("nn_model", planted(old, new, "nn_model"))
    assert message.hint == {"seed": "seed_not_passed_on", "learning_rate": "learning_rate_not_passed_on"}[name]
    assert f"what {name} = " in message and "hand the argument on" in message


# ---- the generic hints fire on this assignment's typical bugs ------------------------------------

def test_elementwise_product_instead_of_dot_in_the_cost():
    fn = planted("logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)\n"
                 "    cost = -np.sum(logprobs) / m\n    return float(np.squeeze(cost))",
                 "cost = -(np.dot(Y.T, np.log(A2)) + np.dot((1 - Y).T, np.log(1 - A2))) / m\n    return cost",
                 "compute_cost")
    message = failure("compute_cost", fn)
    assert message.hint == "elementwise_instead_of_dot" and "np.dot was meant" in message


def test_missing_one_over_m_in_backward():
    fn = planted("dW1 = np.dot(dZ1, X.T) / m", "dW1 = np.dot(dZ1, X.T)", "backward_propagation")
    message = failure("backward_propagation", fn)
    assert "grads['dW1']" in message and "the 1/m (averaging over the examples) is missing" in message
    assert message.hint == "missing_1_over_m"


def test_uint8_labels_wrap_in_the_cost():
    fn = planted("    Y = Y.astype(float)\n    m = Y.shape[1]\n    logprobs = np.multiply(np.log(A2), Y) + "
                 "np.multiply(np.log(1 - A2), 1 - Y)\n    cost = -np.sum(logprobs) / m",
                 "    m = Y.shape[1]\n    cost = np.sum(-Y * np.log(A2) - (1 - Y) * np.log(1 - A2)) / m",
                 "compute_cost")
    message = failure("compute_cost", fn)
    assert "uint8 labels" in message and "wraps around" in message and message.hint == "uint8_wrap"


def test_update_parameters_mutates_its_input():
    fn = planted('W1 = parameters["W1"] - learning_rate * grads["dW1"]',
                 'parameters["W1"] -= learning_rate * grads["dW1"]\n    W1 = parameters["W1"]', "update_parameters")
    message = failure("update_parameters", fn)
    assert "argument 'parameters': your function changed its input in place" in message
    assert message.hint == "mutated_input"


def test_nn_model_graded_as_written_points_at_a_failing_helper(monkeypatch):
    monkeypatch.setenv("NNCOURSE_GRADING", "as_written")  # each bug once: see tests/test_borrowing.py
    fn = planted("dW1 = np.dot(dZ1, X.T) / m", "dW1 = np.dot(dZ1, X.T)", "nn_model")
    assert "nn_model calls your backward_propagation, which does not pass its own check yet" in failure("nn_model", fn)


def test_update_parameters_that_never_steps_b1_is_named():
    message = failure("update_parameters", planted('b1 = parameters["b1"] - learning_rate * grads["db1"]',
                                                   'b1 = parameters["b1"]', "update_parameters"))
    assert message.hint == "never_updated" and "b1 is exactly the value it started with" in message


def test_predictions_as_a_flat_vector_are_named():
    message = failure("predict", planted("predictions = A2 > 0.5", "predictions = (A2 > 0.5)[0]", "predict"))
    assert message.hint == "flat_row" and "instead of the row (1, " in message


def test_nn_model_that_ignores_the_given_starting_parameters():
    fn = planted("    if parameters is None:\n        n_x, _, n_y = layer_sizes(X, Y)\n"
                 "        parameters = initialize_parameters(n_x, n_h, n_y, seed)",
                 "    n_x, _, n_y = layer_sizes(X, Y)\n    parameters = initialize_parameters(n_x, n_h, n_y, seed)",
                 "nn_model")
    message = failure("nn_model", fn)
    assert "test case 3 of 3" in message and "starting from the given parameters" in message
    assert message.hint == "starting_parameters_ignored" and "initialize only when parameters is None" in message


def test_collapsed_bias_of_the_last_layer_only():
    fn = planted('b = np.dot(parameters["W" + str(l)], b) + parameters["b" + str(l)]', 'b = parameters["b" + str(l)]',
                 "collapse_linear_layers")
    message = failure("collapse_linear_layers", fn)
    assert message.hint == "collapsed_bias_last_layer_only" and "each earlier bias passes through" in message


def test_collapsed_bias_without_the_later_layers_own_biases():
    fn = planted('b = np.dot(parameters["W" + str(l)], b) + parameters["b" + str(l)]',
                 'b = np.dot(parameters["W" + str(l)], b)', "collapse_linear_layers")
    message = failure("collapse_linear_layers", fn)
    assert message.hint == "collapsed_bias_own_terms_missing" and "b = W[l]·b + b[l]" in message


def test_collapsed_weights_multiplied_in_the_wrong_order():
    fn = planted('W = np.dot(parameters["W" + str(l)], W)', 'W = np.dot(W, parameters["W" + str(l)])',
                 "collapse_linear_layers")
    message = failure("collapse_linear_layers", fn)
    assert message.hint == "shapes_do_not_fit_product"
