"""The checker's diagnostics: each hint is proven by planting that exact bug in an otherwise correct answer."""

import numpy as np
import pytest

from autograder.learner.check import Checker
from autograder.learner.exercises import deep_network_step_by_step, logistic_regression
from learner import cell, failure, plant

logreg = logistic_regression.check
deep = deep_network_step_by_step.check

PROPAGATE = """
def propagate(w, b, X, Y):
    Y = Y.astype(float)
    m = X.shape[1]
    A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost
"""

LINEAR_BACKWARD = """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
"""

L_MODEL_BACKWARD = """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape).astype(float)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA = dAL
    for l in reversed(range(L)):
        (A_prev, W, b), Z = caches[l]
        if l == L - 1:
            s = 1 / (1 + np.exp(-Z))
            dZ = dA * s * (1 - s)
        else:
            dZ = np.array(dA, copy=True)
            dZ[Z <= 0] = 0
        m = A_prev.shape[1]
        grads["dW" + str(l + 1)] = np.dot(dZ, A_prev.T) / m
        grads["db" + str(l + 1)] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = np.dot(W.T, dZ)
        grads["dA" + str(l)] = dA
    return grads
"""

UPDATE = """
def update_parameters(parameters, grads, learning_rate):
    new = {}
    for key in parameters:
        new[key] = parameters[key] - learning_rate * grads["d" + key]
    return new
"""


def planted(source, old, new, name):
    """The learner function ``name`` from ``source`` with the text ``old`` replaced by ``new``."""
    return cell(plant(source, old, new))[name]


# ---- correct and equivalent answers pass -------------------------------------------------------

def test_correct_answers_pass_visible_and_hidden_cases(capsys):
    for check, name, source in [(logreg, "propagate", PROPAGATE), (deep, "linear_backward", LINEAR_BACKWARD),
                                (deep, "L_model_backward", L_MODEL_BACKWARD), (deep, "update_parameters", UPDATE)]:
        fn = cell(source)[name]
        check(name, fn)
        check(name, fn, seed=4242)
    out = capsys.readouterr()
    assert out.out.count("✅") == 8 and out.err == ""


def test_equivalent_formulas_and_an_int_bias_pass():
    # `@` and the simplified dZ = A − Y instead of the textbook dAL; b = 0 as a plain int.
    ns = cell("""
    def initialize_with_zeros(dim):
        return np.zeros([dim, 1]), 0
    def propagate(w, b, X, Y):
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
        m = Y.size
        cost = np.mean(-np.log(np.where(Y == 1, A, 1 - A)))
        return {"db": float((A - Y).mean()), "dw": (X @ (A - Y).T) / m}, np.array([[cost]])
    """)
    logreg("initialize_with_zeros", ns["initialize_with_zeros"])
    logreg("propagate", ns["propagate"])


# ---- each diagnostic hint, proven by its planted bug ----------------------------------------------

def test_missing_one_over_m():
    fn = planted(PROPAGATE, "dw = np.dot(X, (A - Y).T) / m", "dw = np.dot(X, (A - Y).T)", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "grads['dw']" in message and "times too large: the 1/m" in message


def test_one_over_m_twice():
    fn = planted(LINEAR_BACKWARD, "dW = np.dot(dZ, A_prev.T) / m", "dW = np.dot(dZ, A_prev.T) / m / m",
                 "linear_backward")
    message = failure(deep, "linear_backward", fn)
    assert "dW" in message and "divided by m twice" in message


def test_flipped_sign():
    fn = planted(LINEAR_BACKWARD, "dA_prev = np.dot(W.T, dZ)", "dA_prev = -np.dot(W.T, dZ)", "linear_backward")
    assert "sign is flipped" in failure(deep, "linear_backward", fn)


def test_sum_without_keepdims_broadcast_to_n_by_n():
    fn = planted(LINEAR_BACKWARD, "db = np.sum(dZ, axis=1, keepdims=True) / m", "db = np.sum(dZ, axis=1) / m + 0 * b",
                 "linear_backward")
    message = failure(deep, "linear_backward", fn)
    assert "(n, n) instead of (n, 1)" in message and "keepdims=True" in message


def test_sum_without_keepdims_flat():
    fn = planted(LINEAR_BACKWARD, "db = np.sum(dZ, axis=1, keepdims=True) / m", "db = np.sum(dZ, axis=1) / m",
                 "linear_backward")
    assert "flat vector of shape (n,)" in failure(deep, "linear_backward", fn)


def test_sum_without_axis():
    fn = planted(LINEAR_BACKWARD, "db = np.sum(dZ, axis=1, keepdims=True) / m", "db = np.sum(dZ) / m",
                 "linear_backward")
    assert "a single number instead of one value per unit" in failure(deep, "linear_backward", fn)


def test_elementwise_product_instead_of_dot_gives_m_by_m():
    fn = planted(PROPAGATE, "cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m",
                 "cost = -(np.dot(Y.T, np.log(A)) + np.dot((1 - Y).T, np.log(1 - A))) / m", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "cost: expected a single number, got shape (" in message and "np.dot was meant" in message


def test_examples_not_summed():
    fn = planted(PROPAGATE, "dw = np.dot(X, (A - Y).T) / m", "dw = X * (A - Y) / m", "propagate")
    assert "one column per example" in failure(logreg, "propagate", fn)


def test_transposed_result():
    fn = cell("""
    def linear_forward(A_prev, W, b):
        return (np.dot(A_prev.T, W.T) + b.T), (A_prev, W, b)
    """)["linear_forward"]
    assert "transposed" in failure(deep, "linear_forward", fn)


def test_mutated_input():
    fn = planted(UPDATE, "new[key] = parameters[key] - learning_rate * grads[\"d\" + key]",
                 "parameters[key] -= learning_rate * grads[\"d\" + key]\n        new[key] = parameters[key]",
                 "update_parameters")
    message = failure(deep, "update_parameters", fn)
    assert "argument 'parameters': your function changed its input in place" in message


def test_an_untouched_argument_holding_nan_is_not_called_mutated():
    from autograder.learner.compare import mutations
    Y = np.array([[1.0, np.nan, 0.0]])  # e.g. a missing label
    assert mutations({"Y": Y}, {"Y": Y.copy()}, ["Y"]) == []
    changed = Y.copy()
    changed[0, 1] = 0.0
    assert mutations({"Y": Y}, {"Y": changed}, ["Y"]) != []


def test_nan_from_log_of_zero(capsys):
    fn = planted(PROPAGATE, "(1 - Y) * np.log(1 - A)", "(1 - Y) * np.log(1 - Y)", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "NaN or inf" in message and "log(0)" in message
    assert "numpy warned: RuntimeWarning" in message
    assert capsys.readouterr().err == ""  # warnings reported in the message, never on stderr


def test_uint8_labels_wrap():
    fn = planted(PROPAGATE.replace("    Y = Y.astype(float)\n", ""), "-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))",
                 "np.sum(-Y * np.log(A) - (1 - Y) * np.log(1 - A))", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "uint8 labels" in message and "wraps around" in message


def test_key_off_by_one_in_L_model_backward():
    fn = planted(L_MODEL_BACKWARD, 'grads["dA" + str(l)] = dA', 'grads["dA" + str(l + 1)] = dA', "L_model_backward")
    message = failure(deep, "L_model_backward", fn)
    assert "missing key(s) ['dA0']" in message and "key names are shifted" in message


def test_missing_key():
    fn = planted(PROPAGATE, 'return {"dw": dw, "db": db}, cost', 'return {"dw": dw}, cost', "propagate")
    assert "missing key(s) ['db']" in failure(logreg, "propagate", fn)


def test_wrong_number_of_return_values():
    fn = planted(PROPAGATE, 'return {"dw": dw, "db": db}, cost', 'return {"dw": dw, "db": db}', "propagate")
    message = failure(logreg, "propagate", fn)
    assert "should return 2 values (grads, cost), returned a single dict" in message


def test_wrong_type():
    fn = planted(PROPAGATE, 'return {"dw": dw, "db": db}, cost', 'return [dw, db], cost', "propagate")
    assert "expected a dictionary with keys" in failure(logreg, "propagate", fn)


def test_learner_exception_shows_their_line():
    fn = planted(PROPAGATE, "db = np.sum(A - Y) / m", "db = np.sum(A - Y) / mm", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "NameError: name 'mm' is not defined" in message
    assert "in your code, line 8: db = np.sum(A - Y) / mm" in message


def test_misaligned_product_hint():
    fn = planted(PROPAGATE, "np.dot(w.T, X)", "np.dot(w, X)", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "ValueError" in message and "check the transposes" in message


def test_not_implemented_stub():
    fn = cell("def propagate(w, b, X, Y):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n")["propagate"]
    assert "not implemented yet" in failure(logreg, "propagate", fn)


def test_endless_loop_is_stopped():
    fn = cell("def propagate(w, b, X, Y):\n    while True:\n        pass\n")["propagate"]
    check = Checker(logistic_regression.EXERCISES, timeout=0.5)
    assert "did not finish within 0.5 s" in failure(check, "propagate", fn)


OPTIMIZE_ON_A_BROKEN_PROPAGATE = PROPAGATE.replace("/ m\n    db", "\n    db") + """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""


def test_a_broken_dependency_is_charged_once_and_reported(capsys):
    ns = cell(OPTIMIZE_ON_A_BROKEN_PROPAGATE)
    own = ns["propagate"]
    logreg("optimize", ns["optimize"])                       # judged with the course's propagate standing in
    out = capsys.readouterr().out
    assert "optimize passes its 3 test cases" in out
    assert "optimize is right when given a correct propagate" in out and "your propagate itself does not pass" in out
    assert "propagate is not right yet" in failure(logreg, "propagate", ns["propagate"])   # charged to propagate
    assert ns["propagate"] is own                            # the learner's own function is back in their namespace


def test_graded_as_written_a_broken_dependency_fails_its_callers_too(monkeypatch):
    monkeypatch.setenv("NNCOURSE_GRADING", "as_written")
    ns = cell(OPTIMIZE_ON_A_BROKEN_PROPAGATE)
    message = failure(logreg, "optimize", ns["optimize"])
    assert "optimize calls your propagate, which does not pass its own check yet" in message


def test_warnings_and_stderr_prints_of_a_correct_answer_stay_off_stderr(capsys):
    debug = "    import sys, warnings; warnings.warn('just saying'); print('debug', file=sys.stderr)\n"
    fn = planted(PROPAGATE, "    m = X.shape[1]\n", debug + "    m = X.shape[1]\n", "propagate")
    logreg("propagate", fn)
    out = capsys.readouterr()
    assert out.err == "" and "debug" in out.out


def test_not_a_function_and_unknown_exercise():
    assert "expected a function, got NoneType" in failure(logreg, "propagate", None)
    with pytest.raises(KeyError, match="this notebook's exercises"):
        logreg("backprop", lambda: None)


def test_hidden_seeds_give_new_shapes():
    exercise = logistic_regression.EXERCISES["propagate"]
    shapes = lambda seed: [c.kwargs["X"].shape for c in exercise.cases(seed)]  # noqa: E731
    assert shapes(0) != shapes(27182)
    assert any(s[1] == 1 for s in shapes(27182)), "an m = 1 case is always included"
    assert np.all([c.kwargs["Y"].dtype == np.uint8 for c in exercise.cases(1)][1])


def test_exercise_specific_hints_come_first_and_a_broken_hint_is_skipped():
    from autograder.learner.exercise import Exercise
    base = logistic_regression.EXERCISES["initialize_with_zeros"]
    boom = lambda case, got: 1 / 0  # noqa: E731
    ones = lambda case, got: "filled with ones: use np.zeros" if np.all(got[0] == 1) else ""  # noqa: E731
    exercise = Exercise(base.name, base.reference, base.make_case, base.returns, hints=(boom, ones))
    check = Checker({exercise.name: exercise})
    fn = cell("def initialize_with_zeros(dim):\n    return np.ones((dim, 1)), 0\n")["initialize_with_zeros"]
    message = failure(check, "initialize_with_zeros", fn)
    assert message.splitlines()[1].strip() == "initialize_with_zeros: likely cause"
    assert "hint: filled with ones: use np.zeros" in message


def test_broadcast_error_points_at_keepdims():
    fn = cell("""
    def normalize(x):
        return x / np.linalg.norm(x, axis=1)
    def linear_backward(dZ, cache):
        A_prev, W, b = cache
        m = A_prev.shape[1]
        return np.dot(W.T, dZ), normalize(np.dot(dZ, A_prev.T)) / m, np.sum(dZ, axis=1, keepdims=True) / m
    """)["linear_backward"]
    message = failure(deep, "linear_backward", fn)
    assert "could not be broadcast" in message and "keepdims=True" in message


def test_a_boolean_reference_array_compares_as_zeros_and_ones():
    from autograder.learner.compare import compare

    assert compare(np.array([[True, False]]), np.array([[1.0, 0.0]])) == []
    problems = compare(np.array([[True, False]]), np.array([[0.0, 1.0]]))
    assert problems and "wrong values" in problems[0].what
