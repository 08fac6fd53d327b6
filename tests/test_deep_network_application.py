"""Assignment 05 "Deep neural network: application": the checker on correct answers and on planted bugs.

Each exercise-specific hint of ``autograder.learner.exercises.deep_network_application`` is proven here by
planting that bug in an otherwise correct answer (the answers a learner writes in the notebook).
"""

import time

import functools

import numpy as np
import pytest

from autograder.learner.exercises import deep_network_application as app
from learner import cell, plant
from learner import failure as report

check = app.check
HIDDEN_SEEDS = {"two_layer_model": 51423, "L_layer_model": 60617}  # the notebook's hidden tests

TWO_LAYER = """
from nncore.init import initialize_parameters_deep
from nncore.layers import linear_activation_forward, linear_activation_backward
from nncore.models import compute_cost
from nncore.optim import update_parameters

def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, seed=1):
    parameters = initialize_parameters_deep(layers_dims, "he", seed=seed)
    costs = []
    for i in range(num_iterations):
        W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
        A1, cache1 = linear_activation_forward(X, W1, b1, "relu")
        A2, cache2 = linear_activation_forward(A1, W2, b2, "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(cost)
    return parameters, costs
"""

L_LAYER = """
from nncore.init import initialize_parameters_deep
from nncore.models import L_model_forward, L_model_backward, compute_cost
from nncore.optim import update_parameters

def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, seed=1, init="he"):
    parameters = initialize_parameters_deep(layers_dims, init, seed=seed)
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(cost)
    return parameters, costs
"""

# The contract written from scratch in numpy (no nncore): the notebook's description is enough to pass.
L_LAYER_FROM_SCRATCH = """
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, seed=1, init="he"):
    Y = Y.astype(float)
    rng = np.random.default_rng(seed)
    scale = {"random": lambda n: 0.01, "xavier": lambda n: np.sqrt(1 / n), "he": lambda n: np.sqrt(2 / n)}[init]
    p = {}
    for l in range(1, len(layers_dims)):
        p[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * scale(layers_dims[l - 1])
        p[f"b{l}"] = np.zeros((layers_dims[l], 1))
    L, m, costs = len(layers_dims) - 1, X.shape[1], []
    for i in range(num_iterations):
        A, As, Zs = X, [X], []
        for l in range(1, L + 1):
            Z = p[f"W{l}"] @ A + p[f"b{l}"]
            A = np.maximum(Z, 0) if l < L else 1 / (1 + np.exp(-Z))
            Zs.append(Z); As.append(A)
        cost = float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
        dZ = A - Y
        new = {}
        for l in range(L, 0, -1):
            dW, db = dZ @ As[l - 1].T / m, dZ.sum(axis=1, keepdims=True) / m
            if l > 1:
                dZ = (p[f"W{l}"].T @ dZ) * (Zs[l - 2] > 0)
            new[f"W{l}"], new[f"b{l}"] = p[f"W{l}"] - learning_rate * dW, p[f"b{l}"] - learning_rate * db
        p = new
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(cost)
    return p, np.array(costs)
"""


def planted(source, old, new, name):
    """The learner function ``name`` from ``source`` with the text ``old`` replaced by ``new``."""
    return cell(plant(source, old, new))[name]


failure = functools.partial(report, check)


# ---- correct answers pass, quickly ------------------------------------------------------------------

@pytest.mark.parametrize("name, source", [("two_layer_model", TWO_LAYER), ("L_layer_model", L_LAYER),
                                          ("L_layer_model", L_LAYER_FROM_SCRATCH)])
def test_correct_answers_pass_visible_and_hidden_cases(name, source, capsys):
    fn = cell(source)[name]
    start = time.perf_counter()
    check(name, fn)
    check(name, fn, seed=HIDDEN_SEEDS[name])
    assert (time.perf_counter() - start) / 6 < 0.5, "each case should take well under half a second"
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 and out.err == ""


def test_stable_output_gradient_and_a_cost_array_pass():
    # dZ2 = A2 − Y straight into linear_backward (what L_model_backward does), costs returned as an array
    fn = planted(TWO_LAYER, """        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")""",
                 """        from nncore.layers import linear_backward
        dA1, dW2, db2 = linear_backward(A2 - Y, cache2[0])""", "two_layer_model")
    check("two_layer_model", lambda *args: (lambda p, c: (p, np.array(c)))(*fn(*args)))


def test_contract_matches_nncore_and_records_the_last_iteration():
    case = app.EXERCISES["L_layer_model"].cases(0)[0]
    k = case.kwargs
    from nncore import models
    parameters, costs = models.L_layer_model(k["X"], k["Y"], k["layers_dims"], k["learning_rate"],
                                             k["num_iterations"], k["init"], k["seed"])
    got_parameters, got_costs = app.L_layer_model(*k.values())
    assert np.allclose(got_costs, costs) and all(np.array_equal(parameters[p], got_parameters[p]) for p in parameters)
    n = k["num_iterations"]
    assert app.recorded_iterations(n)[-1] == n - 1 and (n - 1) % 100 != 0
    assert len(got_costs) == (n - 1) // 100 + 2


def test_cases_avoid_the_values_a_learner_might_hard_code():
    for name, exercise in app.EXERCISES.items():
        for seed in (0, HIDDEN_SEEDS[name]):
            for case in exercise.cases(seed):
                assert case.kwargs["learning_rate"] not in app.COMMON_LEARNING_RATES
                assert case.kwargs["seed"] not in app.COMMON_SEEDS
    inits = [c.kwargs["init"] for c in app.EXERCISES["L_layer_model"].cases(0)]
    assert sorted(inits) == ["he", "random", "xavier"]


# ---- each exercise-specific hint, proven by its planted bug -------------------------------------------

def test_parameters_not_updated_gives_constant_costs():
    fn = planted(L_LAYER, "parameters = update_parameters(parameters, grads, learning_rate)",
                 "update_parameters(parameters, grads, learning_rate)", "L_layer_model")
    message = failure("L_layer_model", fn)
    assert message.hint == "parameters_never_updated"
    assert "your costs never change" in message and "parameters = update_parameters(" in message


def test_last_iteration_cost_missing():
    fn = planted(L_LAYER, "if i % 100 == 0 or i == num_iterations - 1:", "if i % 100 == 0:", "L_layer_model")
    message = failure("L_layer_model", fn)
    assert message.hint == "last_cost_missing"
    assert "the cost of the last iteration" in message and "is missing" in message


def test_costs_recorded_at_shifted_iterations():
    fn = planted(TWO_LAYER, "if i % 100 == 0 or i == num_iterations - 1:",
                 "if (i + 1) % 100 == 0 or i == num_iterations - 1:", "two_layer_model")
    message = failure("two_layer_model", fn)
    assert message.hint == "costs_at_wrong_iterations"
    assert "these are the costs of iterations [99, 199," in message and "expected iterations [0, 100, 200," in message


def test_cost_recorded_every_iteration():
    fn = planted(L_LAYER, "if i % 100 == 0 or i == num_iterations - 1:", "if True:", "L_layer_model")
    message = failure("L_layer_model", fn)
    assert message.hint == "costs_at_wrong_iterations" and "costs of iterations [0, 1, 2, 3, …" in message


def test_cost_list_of_the_wrong_length_that_matches_nothing():
    fn = planted(L_LAYER, "costs.append(cost)", "costs.append(cost + 1)", "L_layer_model")
    fn_short = planted(L_LAYER, "if i % 100 == 0 or i == num_iterations - 1:", "if i % 100 == 0:", "L_layer_model")
    both = lambda *args: (lambda p, c: (p, [x + 1 for x in c]))(*fn_short(*args))  # noqa: E731
    message = failure("L_layer_model", both)
    assert message.hint == "wrong_number_of_costs"
    assert "record the cost when i % 100 == 0 or i == num_iterations - 1" in message
    message = failure("L_layer_model", fn)  # right length, wrong values: not a length hint
    assert message.hint == "initialization_differs" and "your first cost" in message


def test_learning_rate_hard_coded():
    fn = planted(L_LAYER, "update_parameters(parameters, grads, learning_rate)",
                 "update_parameters(parameters, grads, 0.0075)", "L_layer_model")
    message = failure("L_layer_model", fn)
    assert message.hint == "learning_rate_hard_coded"
    assert "your result is the one for learning_rate = 0.0075" in message and "use the argument" in message


def test_learning_rate_scaled_wrongly_points_at_the_update():
    fn = planted(L_LAYER, "update_parameters(parameters, grads, learning_rate)",
                 "update_parameters(parameters, grads, learning_rate / 2)", "L_layer_model")
    message = failure("L_layer_model", fn)
    assert message.hint == "update_step_wrong" and "your first cost is right" in message


def test_init_argument_ignored():
    fn = planted(L_LAYER, "initialize_parameters_deep(layers_dims, init, seed=seed)",
                 'initialize_parameters_deep(layers_dims, "he", seed=seed)', "L_layer_model")
    message = failure("L_layer_model", fn)
    assert message.hint == "other_init_method"
    assert "initialized with 'he'" in message and "this case asked for init = 'xavier'" in message


def test_two_layer_model_with_the_lecture_init():
    fn = planted(TWO_LAYER, 'initialize_parameters_deep(layers_dims, "he", seed=seed)',
                 'initialize_parameters_deep(layers_dims, "random", seed=seed)', "two_layer_model")
    message = failure("two_layer_model", fn)
    assert message.hint == "other_init_method"
    assert "initialized with 'random' (0.01·randn)" in message and "two_layer_model starts from He" in message


def test_own_small_init_is_recognised_by_the_weights_scale():
    own = ('np.random.seed(seed)\n    parameters = {"W1": np.random.randn(layers_dims[1], layers_dims[0]) * 0.01, '
           '"b1": np.zeros((layers_dims[1], 1)), "W2": np.random.randn(1, layers_dims[1]) * 0.01, '
           '"b2": np.zeros((1, 1))}')
    fn = planted(TWO_LAYER, 'parameters = initialize_parameters_deep(layers_dims, "he", seed=seed)', own,
                 "two_layer_model")
    message = failure("two_layer_model", fn)
    assert message.hint == "initial_weights_like_other_method"
    assert "your first cost" in message and "np.random.seed does not make the same weights" in message
    assert "as if initialized with 0.01·randn instead of He" in message


def test_own_init_without_the_small_factor_when_random_is_asked():
    own = ('np.random.seed(seed)\n    parameters = {}\n    for l in range(1, len(layers_dims)):\n'
           '        parameters[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1])\n'
           '        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))')
    fn = planted(L_LAYER, "parameters = initialize_parameters_deep(layers_dims, init, seed=seed)", own, "L_layer_model")
    message = failure("L_layer_model", fn)  # case 1 asks for Xavier: its own generator, a similar scale
    assert message.hint == "initialization_differs"
    assert "your first cost" in message and "np.random.seed does not make the same weights" in message
    assert "as if initialized" not in message
    case = app.EXERCISES["L_layer_model"].cases(0)[2]  # the case that asks for the lecture's 0.01·randn
    assert case.kwargs["init"] == "random"
    hint = app._first_cost_hint(app.L_layer_model)(case, fn(*case.kwargs.values()))
    assert hint.id == "initial_weights_like_other_method"
    assert "as if initialized with unscaled randn instead of 0.01·randn" in hint.text


def test_own_init_at_three_times_the_asked_scale_is_named_by_its_size():
    fn = planted(L_LAYER, "parameters = initialize_parameters_deep(layers_dims, init, seed=seed)",
                 "parameters = {k: 3 * v for k, v in initialize_parameters_deep(layers_dims, init, seed=seed).items()}",
                 "L_layer_model")
    case = app.EXERCISES["L_layer_model"].cases(0)[2]  # 0.01·randn: no other method is anywhere near 3 times that
    hint = app._first_cost_hint(app.L_layer_model)(case, fn(*case.kwargs.values()))
    assert hint.id == "initial_weights_scaled_differently"
    assert "your weights are about 3× the expected size" in hint.text and "as if" not in hint.text


def test_seed_hard_coded():
    fn = planted(L_LAYER, "initialize_parameters_deep(layers_dims, init, seed=seed)",
                 "initialize_parameters_deep(layers_dims, init, seed=1)", "L_layer_model")
    message = failure("L_layer_model", fn)
    assert message.hint == "seed_hard_coded"
    assert "your result is the one for seed = 1" in message and "use the seed argument" in message


def test_uint8_labels_wrap_in_a_hand_written_output_gradient():
    fn = planted(TWO_LAYER, "dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))",
                 "dA2 = -Y / A2 + (1 - Y) / (1 - A2)", "two_layer_model")
    message = failure("two_layer_model", fn)
    assert "test case 2 of 3" in message and "uint8" in message and "wraps around" in message
    assert message.hint == "uint8_wrap"


def test_wrong_hidden_activation_points_at_the_update_not_the_init():
    fn = planted(TWO_LAYER, 'linear_activation_backward(dA1, cache1, "relu")',
                 'linear_activation_backward(dA1, cache1, "sigmoid")', "two_layer_model")
    message = failure("two_layer_model", fn)
    assert message.hint == "update_step_wrong"
    assert "your first cost is right (initialization and forward pass agree)" in message
