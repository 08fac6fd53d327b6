"""Assignment 08 "Gradient checking": the solution passes, equivalent answers pass, and every hint the checker
gives on this assignment's functions is proven by planting that bug in a correct answer."""

import functools

import numpy as np
import pytest

from autograder.learner.exercises import gradient_checking as gc
from learner import cell, plant_in
from learner import failure as report
from nncore import gradcheck, init, training

check = gc.check

# The notebook's solution, as a learner would write it.
SOLUTION = '''
def forward_propagation(x, theta):
    J = theta * x
    return J

def backward_propagation(x, theta):
    dtheta = x
    return dtheta

def gradient_check(forward, backward, x, theta, epsilon=1e-5):
    theta_plus = theta + epsilon
    theta_minus = theta - epsilon
    J_plus = forward(x, theta_plus)
    J_minus = forward(x, theta_minus)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward(x, theta)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    return difference

def dictionary_to_vector(parameters):
    pieces = []
    for key in parameters:
        pieces.append(np.reshape(parameters[key], (-1, 1)))
    theta = np.concatenate(pieces, axis=0)
    return theta

def vector_to_dictionary(theta, template):
    parameters = {}
    start = 0
    for key in template:
        size = template[key].size
        parameters[key] = np.reshape(theta[start:start + size], template[key].shape)
        start = start + size
    return parameters

def gradient_check_n(cost, parameters, grads, epsilon=1e-5):
    theta = dictionary_to_vector(parameters)
    grad = dictionary_to_vector({key: grads["d" + key] for key in parameters})
    n = theta.shape[0]
    gradapprox = np.zeros((n, 1))
    for i in range(n):
        theta_plus = np.copy(theta)
        theta_plus[i] = theta_plus[i] + epsilon
        J_plus = cost(vector_to_dictionary(theta_plus, parameters))
        theta_minus = np.copy(theta)
        theta_minus[i] = theta_minus[i] - epsilon
        J_minus = cost(vector_to_dictionary(theta_minus, parameters))
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    return difference

def backward_propagation_n(X, Y, cache):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = dA2 * (A2 > 0)
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = dA1 * (A1 > 0)
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    gradients = {"dW3": dW3, "db3": db3, "dW2": dW2, "db2": db2, "dW1": dW1, "db1": db1}
    return gradients
'''

NAMES = ["forward_propagation", "backward_propagation", "gradient_check", "dictionary_to_vector",
         "vector_to_dictionary", "gradient_check_n", "backward_propagation_n"]


def plant(name, old, new, source=SOLUTION):
    """``source`` with ``old`` replaced by ``new`` inside the definition of function ``name`` (a planted bug)."""
    return plant_in(source, name, old, new)


def replace(name, body, source=SOLUTION):
    """``source`` with the whole definition of function ``name`` replaced by ``body``."""
    start = source.index(f"\ndef {name}(")
    end = source.find("\ndef ", start + 1)
    end = len(source) if end < 0 else end
    return source[:start] + "\n" + body.strip("\n") + "\n" + source[end:]


def learner(source=SOLUTION):
    return cell(source)


failure = functools.partial(report, check)


def planted(name, *pairs, where=None):
    """The check's message for exercise ``name`` when each ``old`` becomes ``new`` in function ``where``."""
    source = SOLUTION
    for old, new in zip(pairs[::2], pairs[1::2]):
        source = plant(where or name, old, new, source)
    return failure(name, learner(source)[name])


# ---- the solution and equivalent answers pass ---------------------------------------------------

def test_every_exercise_is_in_the_registry_and_the_solution_passes_visible_and_hidden(capsys):
    assert list(gc.EXERCISES) == [*NAMES, "own_backprop"]
    ns = learner()
    for name in NAMES:
        check(name, ns[name])
        check(name, ns[name], seed=52361)
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 * len(NAMES) and out.err == ""


def test_references_agree_with_independent_math():
    # J = θ·x: the slope is x, and the centred difference of a line is exact up to rounding.
    assert gradcheck.linear_cost(3.0, 2.0) == 6.0 and gradcheck.linear_cost_gradient(3.0, 2.0) == 3.0
    assert gradcheck.gradient_check_1d(gradcheck.linear_cost, gradcheck.linear_cost_gradient, 3.0, 2.0) < 1e-9
    # a backward of 2x against the true slope x: |2x − x| / (|2x| + |x|) = 1/3 exactly; a sign error gives 1
    assert np.isclose(gradcheck.gradient_check_1d(gradcheck.linear_cost, gc.ScaledGradient(2.0), 3.0, 2.0), 1 / 3)
    assert np.isclose(gradcheck.gradient_check_1d(gradcheck.linear_cost, gc.ScaledGradient(-1.0), 3.0, 2.0), 1)
    # x·θ³: the centred difference is 3xθ² + xε², so the relative difference is ε² / (6θ² + ε²)
    eps, theta = 1e-2, 0.5
    assert np.isclose(gradcheck.gradient_check_1d(gc.cubic_cost, gc.cubic_cost_gradient, 2.0, theta, eps),
                      eps ** 2 / (6 * theta ** 2 + eps ** 2), rtol=1e-6)


def test_the_repaired_backprop_reference_passes_a_gradient_check_and_the_cache_is_the_forward_pass():
    rng = np.random.default_rng(4)
    parameters = init.initialize_parameters_deep([4, 5, 3, 1], "he", seed=rng)
    parameters = {k: v + rng.normal(size=v.shape) for k, v in parameters.items()}
    X, Y = rng.normal(size=(4, 6)), np.array([[1.0, 0, 1, 1, 0, 0]])
    cache = gc.three_layer_cache(X, parameters)
    Z1 = parameters["W1"] @ X + parameters["b1"]
    assert np.allclose(cache[0], Z1) and np.allclose(cache[1], np.maximum(Z1, 0))
    grads = gc.backward_propagation_n(X, Y, cache)
    cost = lambda p: training.cost(training.forward(X, p, "relu")[0], Y, p)  # noqa: E731
    assert gradcheck.gradient_check(cost, parameters, grads) < gradcheck.THRESHOLD


def test_the_mistake_simulator_is_right_when_told_to_be():
    case = gc.EXERCISES["gradient_check_n"].cases(1)[0]
    cost, parameters, grads, eps = case.kwargs.values()
    J = lambda t: cost(gradcheck.vector_to_dictionary(t, parameters))  # noqa: E731
    approx = gc._numerical(J, gradcheck.dictionary_to_vector(parameters), eps)
    reference = gradcheck.numerical_gradient(cost, parameters, eps)
    assert np.allclose(approx, gradcheck.gradients_to_vector(reference, parameters))
    g = gradcheck.gradients_to_vector(grads, parameters)
    assert np.isclose(gc._difference(g, approx), gradcheck.relative_difference(g, approx))


def test_equivalent_answers_pass():
    ns = learner(plant("gradient_check", "np.linalg.norm(grad - gradapprox)", "abs(grad - gradapprox)"))
    check("gradient_check", ns["gradient_check"])
    ns = learner(replace("dictionary_to_vector", '''
def dictionary_to_vector(parameters):
    return np.vstack([value.reshape(-1, 1) for value in parameters.values()])
'''))
    check("dictionary_to_vector", ns["dictionary_to_vector"])
    # one perturbed vector, restored after each entry, and a numerical gradient kept as a flat array
    ns = learner(replace("gradient_check_n", '''
def gradient_check_n(cost, parameters, grads, epsilon=1e-5):
    theta = dictionary_to_vector(parameters).ravel()
    grad = np.concatenate([grads["d" + k].ravel() for k in parameters])
    approx = np.empty_like(theta)
    for i in range(theta.size):
        old = theta[i]
        theta[i] = old + epsilon
        J_plus = cost(vector_to_dictionary(theta.reshape(-1, 1), parameters))
        theta[i] = old - epsilon
        J_minus = cost(vector_to_dictionary(theta.reshape(-1, 1), parameters))
        theta[i] = old
        approx[i] = (J_plus - J_minus) / (2 * epsilon)
    return np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx))
'''))
    check("gradient_check_n", ns["gradient_check_n"])
    # the ReLU mask from Z instead of A, and the labels as uint8
    ns = learner(plant("backward_propagation_n", "dZ2 = dA2 * (A2 > 0)", "dZ2 = np.where(Z2 > 0, dA2, 0)"))
    check("backward_propagation_n", ns["backward_propagation_n"])


# ---- the one-parameter warm-up ------------------------------------------------------------------

def test_backward_returns_theta():
    message = planted("backward_propagation", "dtheta = x", "dtheta = theta")
    assert message.hint == "gradient_is_theta"
    assert "likely cause" in message and "you returned θ" in message and "dJ/dθ = x" in message


def test_gradient_check_precedence():
    message = planted("gradient_check", "(J_plus - J_minus) / (2 * epsilon)", "J_plus - J_minus / (2 * epsilon)")
    assert message.hint == "numerical_gradient_precedence" and "Division binds tighter than subtraction" in message


def test_gradient_check_one_sided():
    message = planted("gradient_check", "J_minus = forward(x, theta_minus)", "J_minus = forward(x, theta)",
                      "(J_plus - J_minus) / (2 * epsilon)", "(J_plus - J_minus) / epsilon")
    assert message.hint == "one_sided_difference"
    assert "test case 2 of 3" in message and "one-sided difference" in message


def test_gradient_check_signed_difference():
    message = planted("gradient_check", "np.linalg.norm(grad - gradapprox)", "(grad - gradapprox)")
    assert message.hint == "difference_signed" and "a signed difference" in message


@pytest.mark.parametrize("denominator, hint, text", [
    ("np.linalg.norm(grad + gradapprox)", "denominator_norm_of_sum", "yours is ‖g + ĝ‖₂, the norm of the sum"),
    ("np.linalg.norm(grad) + gradapprox", "denominator_approx_not_normed", "yours adds ĝ itself, not its norm"),
    ("np.linalg.norm(grad)", "denominator_without_approx_norm", "yours is ‖g‖₂ alone"),
    ("np.linalg.norm(gradapprox)", "denominator_without_grad_norm", "yours is ‖ĝ‖₂ alone"),
])
def test_gradient_check_wrong_denominator(denominator, hint, text):
    message = planted("gradient_check", "np.linalg.norm(grad) + np.linalg.norm(gradapprox)", denominator)
    assert message.hint == hint and text in message


def test_gradient_check_returns_the_numerical_gradient():
    message = planted("gradient_check", "    return difference", "    return gradapprox")
    assert message.hint == "returned_numerical_gradient" and "you returned the numerical gradient ĝ itself" in message


def test_gradient_check_ignores_epsilon():
    message = planted("gradient_check", "theta + epsilon", "theta + 1e-7", "theta - epsilon", "theta - 1e-7",
                      "(2 * epsilon)", "(2 * 1e-7)")
    assert message.hint == "epsilon_argument_ignored"
    assert "test case 2 of 3" in message and "the one for ε = 1e-07" in message
    assert "use the epsilon argument" in message


# ---- parameters ↔ vector ------------------------------------------------------------------------

def test_to_vector_hard_coded_keys():
    message = planted("dictionary_to_vector", "for key in parameters:", 'for key in ["W1", "b1", "W2", "b2"]:')
    assert message.hint == "hard_coded_layout"
    assert "test case 1 of 3" in message and "a hard-coded list of keys or shapes only fits one architecture" in message


def test_to_vector_hard_coded_three_layers_fails_on_two_with_the_generic_key_hint():
    message = planted("dictionary_to_vector", "for key in parameters:",
                      'for key in ["W1", "b1", "W2", "b2", "W3", "b3"]:')
    assert "test case 2 of 3" in message and "KeyError" in message and "keys it was not given" in message
    assert message.hint == "uses_globals"


def test_to_vector_sorted_keys():
    message = planted("dictionary_to_vector", "for key in parameters:", "for key in sorted(parameters):")
    assert message.hint == "keys_sorted" and "the keys were sorted" in message


def test_to_vector_keys_in_another_order():
    message = planted("dictionary_to_vector", "for key in parameters:", "for key in reversed(parameters):")
    assert message.hint == "values_in_another_order" and "the right numbers in another order" in message


def test_to_vector_column_major():
    message = planted("dictionary_to_vector", "(-1, 1))", '(-1, 1), order="F")')
    assert message.hint == "flattened_column_by_column" and "flattened column by column" in message


def test_to_vector_returns_keys_too():
    message = planted("dictionary_to_vector", "    return theta", "    return theta, list(parameters)")
    assert message.hint == "returned_more_than_theta" and "return only the vector theta" in message


def test_to_vector_flat_uses_the_generic_hint():
    message = planted("dictionary_to_vector", "(-1, 1))", "-1)")
    assert "flat vector of shape (n,)" in message and message.hint == "flat_vector"


LECTURE_SHAPES = '''
def vector_to_dictionary(theta, template):
    parameters = {}
    parameters["W1"] = theta[:20].reshape((5, 4))
    parameters["b1"] = theta[20:25].reshape((5, 1))
    parameters["W2"] = theta[25:40].reshape((3, 5))
    parameters["b2"] = theta[40:43].reshape((3, 1))
    parameters["W3"] = theta[43:46].reshape((1, 3))
    parameters["b3"] = theta[46:47].reshape((1, 1))
    return parameters
'''


def test_to_dictionary_hard_coded_shapes_fail_on_a_new_architecture():
    message = failure("vector_to_dictionary",
                      learner(replace("vector_to_dictionary", LECTURE_SHAPES))["vector_to_dictionary"])
    assert message.hint == "hard_coded_shapes"
    assert "test case 1 of 3" in message and "hard-coded shapes fit one architecture and fail on a new one" in message


def test_to_dictionary_hard_coded_keys():
    message = planted("vector_to_dictionary", "for key in template:", 'for key in ["W1", "b1", "W2", "b2"]:')
    assert message.hint == "hard_coded_keys" and "a hard-coded key list fits only one architecture" in message


def test_to_dictionary_column_major():
    message = planted("vector_to_dictionary", "template[key].shape)", 'template[key].shape, order="F")')
    assert message.hint == "filled_column_by_column" and "filled column by column" in message


def test_to_dictionary_start_never_moves():
    message = planted("vector_to_dictionary", "        start = start + size\n", "")
    assert message.hint == "start_not_advanced" and "every array starts at theta[0]" in message


def test_to_dictionary_template_numbers():
    message = planted("vector_to_dictionary", "np.reshape(theta[start:start + size], template[key].shape)",
                      "np.copy(template[key])")
    assert message.hint == "template_values_returned" and "these are the template's own numbers" in message


# ---- gradient_check_n ---------------------------------------------------------------------------

def test_gradient_check_n_precedence():
    message = planted("gradient_check_n", "(J_plus - J_minus) / (2 * epsilon)", "J_plus - J_minus / (2 * epsilon)")
    assert message.hint == "numerical_gradient_precedence" and "Division binds tighter than subtraction" in message


def test_gradient_check_n_one_sided():
    message = planted("gradient_check_n", "J_minus = cost(vector_to_dictionary(theta_minus, parameters))",
                      "J_minus = cost(parameters)",
                      "(J_plus - J_minus) / (2 * epsilon)", "(J_plus - J_minus) / epsilon")
    assert message.hint == "one_sided_difference" and "one-sided difference" in message


def test_gradient_check_n_no_copy():
    message = planted("gradient_check_n", "theta_plus = np.copy(theta)", "theta_plus = theta",
                      "theta_minus = np.copy(theta)", "theta_minus = theta")
    assert message.hint == "theta_not_copied"
    assert "about half the true one" in message and "np.copy(theta)" in message


def test_gradient_check_n_copies_made_once_before_the_loop():
    source = plant("gradient_check_n", "        theta_plus = np.copy(theta)\n", "")
    source = plant("gradient_check_n", "        theta_minus = np.copy(theta)\n", "", source)
    source = plant("gradient_check_n", "    for i in range(n):",
                   "    theta_plus, theta_minus = np.copy(theta), np.copy(theta)\n    for i in range(n):", source)
    message = failure("gradient_check_n", learner(source)["gradient_check_n"])
    assert message.hint == "theta_copied_once" and "copied once, before the loop, and never reset" in message


def test_gradient_check_n_entry_not_restored():
    message = failure("gradient_check_n", learner(replace("gradient_check_n", '''
def gradient_check_n(cost, parameters, grads, epsilon=1e-5):
    theta = dictionary_to_vector(parameters)
    grad = dictionary_to_vector({key: grads["d" + key] for key in parameters})
    work = np.copy(theta)
    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        work[i] = work[i] + epsilon
        J_plus = cost(vector_to_dictionary(work, parameters))
        work[i] = work[i] - 2 * epsilon
        J_minus = cost(vector_to_dictionary(work, parameters))
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
'''))["gradient_check_n"])
    assert message.hint == "theta_not_restored" and "your θ drifts" in message


def test_gradient_check_n_element_wise():
    message = planted("gradient_check_n", "np.linalg.norm(grad - gradapprox)", "np.abs(grad - gradapprox)",
                      "np.linalg.norm(grad) + np.linalg.norm(gradapprox)", "np.abs(grad) + np.abs(gradapprox)")
    assert message.hint == "difference_per_entry" and "an array came back" in message and "ONE number" in message


@pytest.mark.parametrize("denominator, hint, text", [
    ("np.linalg.norm(grad + gradapprox)", "denominator_norm_of_sum", "yours is ‖g + ĝ‖₂, the norm of the sum"),
    ("np.linalg.norm(grad)", "denominator_without_approx_norm", "yours is ‖g‖₂ alone"),
    ("np.linalg.norm(gradapprox)", "denominator_without_grad_norm", "yours is ‖ĝ‖₂ alone"),
])
def test_gradient_check_n_wrong_denominator(denominator, hint, text):
    message = planted("gradient_check_n", "np.linalg.norm(grad) + np.linalg.norm(gradapprox)", denominator)
    assert message.hint == hint and text in message


def test_gradient_check_n_l1_norms():
    message = planted("gradient_check_n", "np.linalg.norm(grad - gradapprox)", "np.sum(np.abs(grad - gradapprox))",
                      "np.linalg.norm(grad) + np.linalg.norm(gradapprox)",
                      "np.sum(np.abs(grad)) + np.sum(np.abs(gradapprox))")
    assert message.hint == "l1_norms_used" and "sums of absolute values (L1 norms)" in message


def test_gradient_check_n_squared_norms():
    message = planted("gradient_check_n", "np.linalg.norm(grad - gradapprox)", "np.linalg.norm(grad - gradapprox) ** 2",
                      "np.linalg.norm(grad) + np.linalg.norm(gradapprox)",
                      "np.linalg.norm(grad) ** 2 + np.linalg.norm(gradapprox) ** 2")
    assert message.hint == "squared_norms_used" and "squared norms" in message


def test_gradient_check_n_gradients_in_backprops_order():
    message = planted("gradient_check_n", 'dictionary_to_vector({key: grads["d" + key] for key in parameters})',
                      "dictionary_to_vector(grads)")
    assert message.hint == "vectors_in_different_orders" and "paired up wrongly" in message and "dW3" in message


def test_a_failing_helper_is_charged_to_itself_and_named_when_gradient_check_n_passes(capsys):
    source = plant("vector_to_dictionary", "        start = start + size\n", "")
    check("gradient_check_n", learner(source)["gradient_check_n"])   # judged with the course's helpers
    out = capsys.readouterr().out
    assert "gradient_check_n passes" in out
    assert "your vector_to_dictionary itself does not pass its check yet" in out


def test_gradient_check_n_mutating_the_parameters_uses_the_generic_hint():
    message = failure("gradient_check_n", learner(replace("gradient_check_n", '''
def gradient_check_n(cost, parameters, grads, epsilon=1e-5):
    grad = dictionary_to_vector({key: grads["d" + key] for key in parameters})
    approx = []
    for key in parameters:
        for index in np.ndindex(parameters[key].shape):
            parameters[key][index] += epsilon
            J_plus = cost(parameters)
            parameters[key][index] -= 2 * epsilon
            J_minus = cost(parameters)
            approx.append((J_plus - J_minus) / (2 * epsilon))
    approx = np.array(approx).reshape(-1, 1)
    return np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx))
'''))["gradient_check_n"])
    assert "argument 'parameters': your function changed its input in place" in message
    assert message.hint_ids[:2] == ("theta_not_restored", "mutated_input")  # it never puts the entry back either


# ---- the repaired backprop ----------------------------------------------------------------------

@pytest.mark.parametrize("old, new, hint", [
    ("dW2 = 1. / m * np.dot(dZ2, A1.T)", "dW2 = 2. / m * np.dot(dZ2, A1.T)", "dW2 is 2 × the right value"),
    ("db1 = 1. / m * np.sum", "db1 = 4. / m * np.sum", "db1 is 4 × the right value"),
])
def test_backward_n_a_planted_bug_left_in(old, new, hint):
    message = planted("backward_propagation_n", old, new)
    assert message.hint == "stray_constant_factor" and hint in message and "a stray constant" in message


# ---- the learner's own backprop from assignment 07 ----------------------------------------------

OWN = '''
def backward_propagation_with_regularization(AL, Y, caches, lambd):
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    Y = Y.reshape(AL.shape).astype(float)
    dZ = AL - Y
    for l in range(L, 0, -1):
        (A_prev, W, b), Z = caches[l - 1]
        if l < L:
            dZ = dA * (Z > 0)
        grads["dW" + str(l)] = np.dot(dZ, A_prev.T) / m + lambd / m * W
        grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = np.dot(W.T, dZ)
    return grads

def forward_propagation_with_dropout(X, parameters, keep_prob, rng):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        Z = np.dot(W, A) + b
        D = None
        if l < L:
            A_next = np.maximum(0, Z)
            D = rng.random(A_next.shape) < keep_prob
            A_next = A_next * D / keep_prob
        else:
            A_next = 1 / (1 + np.exp(-Z))
        caches.append(((A, W, b), Z, D))
        A = A_next
    return A, caches

def backward_propagation_with_dropout(AL, Y, caches, keep_prob):
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    Y = Y.reshape(AL.shape).astype(float)
    dZ = AL - Y
    for l in range(L, 0, -1):
        (A_prev, W, b), Z, D = caches[l - 1]
        if l < L:
            dA = dA * D / keep_prob
            dZ = dA * (Z > 0)
        grads["dW" + str(l)] = np.dot(dZ, A_prev.T) / m
        grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = np.dot(W.T, dZ)
    return grads
'''


def own(source=OWN):
    ns = cell(source)
    return gc.own_backprop_functions(ns["backward_propagation_with_regularization"],
                                     ns["forward_propagation_with_dropout"], ns["backward_propagation_with_dropout"])


def own_planted(name, old, new):
    return failure("own_backprop", own(plant(name, old, new, OWN)))


def test_own_backprop_solution_passes(capsys):
    check("own_backprop", own())
    check("own_backprop", own(), seed=52361)
    assert capsys.readouterr().out.count("✅") == 2


def test_own_backprop_stubs_say_not_implemented():
    stub = "def {}(*args):\n    raise NotImplementedError()\n"
    ns = cell("".join(stub.format(n) for n in ["backward_propagation_with_regularization",
                                                "forward_propagation_with_dropout",
                                                "backward_propagation_with_dropout"]))
    message = failure("own_backprop", gc.own_backprop_functions(
        ns["backward_propagation_with_regularization"], ns["forward_propagation_with_dropout"],
        ns["backward_propagation_with_dropout"]))
    assert "not implemented yet" in message and message.hint == "not_implemented"


def test_own_backprop_dropout_backward_not_rescaled():
    message = own_planted("backward_propagation_with_dropout", "dA = dA * D / keep_prob", "dA = dA * D")
    assert message.hint == "dropout_backward_not_rescaled"
    assert "does not divide by keep_prob" in message and "dA·D/keep_prob" in message


def test_own_backprop_dropout_forward_not_rescaled():
    message = own_planted("forward_propagation_with_dropout", "A_next = A_next * D / keep_prob", "A_next = A_next * D")
    assert message.hint == "dropout_not_rescaled" and "forward pass masks but does not divide by keep_prob" in message


def test_own_backprop_l2_half():
    message = own_planted("backward_propagation_with_regularization", "lambd / m * W", "lambd / (2 * m) * W")
    assert message.hint == "l2_grad_term_halved" and "your L2 backprop adds (λ/2m)·W" in message


def test_own_backprop_l2_term_missing():
    message = own_planted("backward_propagation_with_regularization", " + lambd / m * W", "")
    assert message.hint == "l2_grad_term_missing" and "your L2 backprop adds no (λ/m)·W at all" in message


def test_own_backprop_written_with_assignment_7s_helpers_passes(capsys):
    # Assignment 7's template builds on nncore's layer helpers, which this notebook imports too.
    from nncore.layers import linear_activation_forward, linear_backward
    source = '''
def backward_propagation_with_regularization(AL, Y, caches, lambd):
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    Y = Y.reshape(AL.shape).astype(float)
    dZ = AL - Y
    for l in reversed(range(1, L + 1)):
        linear_cache, Z = caches[l - 1]
        if l < L:
            dZ = dA * (Z > 0)
        dA, dW, db = linear_backward(dZ, linear_cache)
        grads["dW" + str(l)] = dW + lambd / m * linear_cache[1]
        grads["db" + str(l)] = db
    return grads

def forward_propagation_with_dropout(X, parameters, keep_prob, rng):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        activation = "relu" if l < L else "sigmoid"
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        A, (linear_cache, Z) = linear_activation_forward(A, W, b, activation)
        D = None
        if l < L:
            D = rng.random(A.shape) < keep_prob
            A = A * D / keep_prob
        caches.append((linear_cache, Z, D))
    return A, caches

def backward_propagation_with_dropout(AL, Y, caches, keep_prob):
    grads = {}
    L = len(caches)
    dZ = AL - Y.reshape(AL.shape).astype(float)
    for l in reversed(range(1, L + 1)):
        linear_cache, Z, D = caches[l - 1]
        if l < L:
            dZ = dA * D / keep_prob * (Z > 0)
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_backward(dZ, linear_cache)
    return grads
'''
    ns = cell(source, linear_activation_forward=linear_activation_forward, linear_backward=linear_backward)
    fn = gc.own_backprop_functions(ns["backward_propagation_with_regularization"],
                                   ns["forward_propagation_with_dropout"], ns["backward_propagation_with_dropout"])
    check("own_backprop", fn)
    assert capsys.readouterr().out.count("✅") == 1
