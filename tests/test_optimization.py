"""Assignment "Optimization algorithms": the solution passes, equivalent answers pass, and every hint the
checker gives on this assignment's functions is proven by planting that bug in a correct answer."""

import functools
import math

import numpy as np
import pytest

from autograder.learner.exercises import optimization
from learner import cell, plant_in
from learner import failure as report
from nncore import optim

check = optimization.check

# The notebook's solution, as a learner would write it.
SOLUTION = '''
def random_mini_batches(X, Y, mini_batch_size, seed):
    m = X.shape[1]
    permutation = np.random.default_rng(seed).permutation(m)
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation]
    mini_batches = []
    for k in range(0, m, mini_batch_size):
        mini_batches.append((shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size]))
    return mini_batches

def exponentially_weighted_average(theta, beta, bias_correction):
    averages = np.zeros(len(theta))
    v = 0.0
    for t in range(1, len(theta) + 1):
        v = beta * v + (1 - beta) * theta[t - 1]
        if bias_correction:
            averages[t - 1] = v / (1 - beta ** t)
        else:
            averages[t - 1] = v
    return averages

def initialize_velocity(parameters):
    v = {}
    for key in parameters:
        v["d" + key] = np.zeros(parameters[key].shape)
    return v

def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_parameters, new_v = {}, {}
    for key in parameters:
        new_v["d" + key] = beta * v["d" + key] + (1 - beta) * grads["d" + key]
        new_parameters[key] = parameters[key] - learning_rate * new_v["d" + key]
    return new_parameters, new_v

def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon):
    new_parameters, new_s = {}, {}
    for key in parameters:
        new_s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * np.square(grads["d" + key])
        new_parameters[key] = parameters[key] - learning_rate * grads["d" + key] / (np.sqrt(new_s["d" + key]) + epsilon)
    return new_parameters, new_s

def initialize_adam(parameters):
    v = initialize_velocity(parameters)
    s = initialize_velocity(parameters)
    return v, s

def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon):
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for key in parameters:
        d = "d" + key
        new_v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
        new_s[d] = beta2 * s[d] + (1 - beta2) * np.square(grads[d])
        v_corrected[d] = new_v[d] / (1 - beta1 ** t)
        s_corrected[d] = new_s[d] / (1 - beta2 ** t)
        new_parameters[key] = parameters[key] - learning_rate * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)
    return new_parameters, new_v, new_s, v_corrected, s_corrected

def inverse_time_decay(learning_rate0, epoch, decay_rate, time_interval):
    learning_rate = learning_rate0 / (1 + decay_rate * (epoch // time_interval))
    return learning_rate

def exponential_decay(learning_rate0, epoch, base):
    learning_rate = base ** epoch * learning_rate0
    return learning_rate

def sqrt_decay(learning_rate0, epoch, k):
    learning_rate = k / np.sqrt(epoch + 1) * learning_rate0
    return learning_rate

def step_decay(learning_rate0, epoch, drop, every):
    learning_rate = learning_rate0 * drop ** (epoch // every)
    return learning_rate
'''

NAMES = list(optimization.EXERCISES)


def plant(name, old, new, source=SOLUTION):
    """``source`` with ``old`` replaced by ``new`` inside the definition of function ``name`` (a planted bug)."""
    return plant_in(source, name, old, new)


failure = functools.partial(report, check)


def planted(name, old, new):
    """The check's message for exercise ``name`` when ``old`` becomes ``new`` in its definition."""
    return failure(name, cell(plant(name, old, new))[name])


def replaced(name, source):
    """The check's message for exercise ``name`` defined by ``source`` (a whole wrong function)."""
    return failure(name, cell(source)[name])


# ---- the solution and equivalent answers pass ---------------------------------------------------

def test_every_exercise_is_in_the_registry_and_the_solution_passes_visible_and_hidden(capsys):
    ns = cell(SOLUTION)
    assert NAMES == ["random_mini_batches", "exponentially_weighted_average", "initialize_velocity",
                     "update_parameters_with_momentum", "update_parameters_with_rmsprop", "initialize_adam",
                     "update_parameters_with_adam", "inverse_time_decay", "exponential_decay", "sqrt_decay",
                     "step_decay"]
    for name in NAMES:
        check(name, ns[name])
        check(name, ns[name], seed=31337)
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 * len(NAMES) and out.err == ""


def test_references_agree_with_independent_math():
    # Mini-batches: every example exactly once, X and Y kept paired, sizes ⌊m/size⌋ × size + remainder.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 23))
    Y = np.arange(23).reshape(1, 23)
    X[0] = Y[0]  # the first feature names the example
    batches = optim.random_mini_batches(X, Y, 5, seed=4)
    assert [b[0].shape[1] for b in batches] == [5, 5, 5, 5, 3]
    seen = np.hstack([b[0][0] for b in batches])
    assert sorted(seen) == list(range(23)) and np.array_equal(np.hstack([b[1] for b in batches])[0], seen)
    assert np.array_equal(seen, np.random.default_rng(4).permutation(23))
    # EWA: the bias-corrected average of a constant series is that constant from the very first value.
    assert np.allclose(optim.exponentially_weighted_average(np.full(7, 3.0), 0.9, True), 3.0)
    assert np.isclose(optim.exponentially_weighted_average(np.full(7, 3.0), 0.9, False)[0], 0.3)
    # Adam's first step moves every parameter by about α against its gradient's sign.
    p, g = {"W1": np.array([[1.0, -2.0]])}, {"dW1": np.array([[0.3, -5.0]])}
    v, s = optim.initialize_adam(p)
    new, *_ = optim.update_parameters_with_adam(p, g, v, s, 1, 0.01, 0.9, 0.999, 1e-8)
    assert np.allclose(new["W1"] - p["W1"], [[-0.01, 0.01]])
    # schedules: their value at epoch 0 and at a later epoch, by hand
    assert optim.inverse_time_decay(0.5, 0, 1.0, 10) == 0.5 and optim.inverse_time_decay(0.5, 25, 1.0, 10) == 0.5 / 3
    assert math.isclose(optim.exponential_decay(0.5, 2, 0.95), 0.45125)
    assert optim.sqrt_decay(0.5, 3, 2.0) == 0.5 and optim.step_decay(0.8, 19, 0.5, 10) == 0.4


def test_equivalent_formulations_pass():
    ns = cell(plant("random_mini_batches", "permutation = np.random.default_rng(seed).permutation(m)",
                    "rng = np.random.default_rng(seed)\n    permutation = list(rng.permutation(m))"))
    check("random_mini_batches", ns["random_mini_batches"])
    # The lecture's loop: full batches first, then the partial one only when there is a remainder.
    lecture = '''
def random_mini_batches(X, Y, mini_batch_size, seed):
    m = X.shape[1]
    permutation = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, permutation], Y[:, permutation].reshape((1, m))
    mini_batches = []
    num_complete = m // mini_batch_size
    for k in range(num_complete):
        mini_batches.append([X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                             Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]])
    if m % mini_batch_size != 0:
        mini_batches.append([X[:, num_complete * mini_batch_size:], Y[:, num_complete * mini_batch_size:]])
    return mini_batches
'''
    check("random_mini_batches", cell(lecture)["random_mini_batches"])
    # A vectorized EWA via a python list, and momentum written with np.multiply on a copied dict.
    ewa = '''
def exponentially_weighted_average(theta, beta, bias_correction):
    v, out = 0, []
    for t, x in enumerate(theta, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta ** t) if bias_correction else v)
    return np.array(out)
'''
    check("exponentially_weighted_average", cell(ewa)["exponentially_weighted_average"])
    ns = cell(plant("update_parameters_with_adam", "(np.sqrt(s_corrected[d]) + epsilon)",
                    "(s_corrected[d] ** 0.5 + epsilon)"))
    check("update_parameters_with_adam", ns["update_parameters_with_adam"])
    ns = cell(plant("initialize_velocity", "np.zeros(parameters[key].shape)", "np.zeros_like(parameters[key])"))
    check("initialize_velocity", ns["initialize_velocity"])
    ns = cell(plant("step_decay", "drop ** (epoch // every)", "drop ** np.floor(epoch / every)"))
    check("step_decay", ns["step_decay"])
    ns = cell(plant("sqrt_decay", "np.sqrt(epoch + 1)", "(epoch + 1) ** 0.5"))
    check("sqrt_decay", ns["sqrt_decay"])


# ---- random_mini_batches ----------------------------------------------------------------------------

def test_hint_last_partial_batch_dropped():
    message = planted("random_mini_batches", "for k in range(0, m, mini_batch_size):",
                      "for k in range(0, m - mini_batch_size + 1, mini_batch_size):")
    assert message.hint == "last_mini_batch_dropped"
    assert "the last, partial mini-batch is missing" in message


def test_hint_last_batch_overruns_into_the_previous_one():
    message = planted("random_mini_batches",
                      "mini_batches.append((shuffled_X[:, k:k + mini_batch_size], "
                      "shuffled_Y[:, k:k + mini_batch_size]))",
                      "start = min(k, m - mini_batch_size) if m >= mini_batch_size else 0\n        mini_batches.append("
                      "(shuffled_X[:, start:start + mini_batch_size], shuffled_Y[:, start:start + mini_batch_size]))")
    assert message.hint == "examples_used_twice"
    assert "some examples are used twice" in message


def test_hint_empty_last_batch_when_m_is_a_multiple():
    bad = '''
def random_mini_batches(X, Y, mini_batch_size, seed):
    m = X.shape[1]
    permutation = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, permutation], Y[:, permutation]
    n = m // mini_batch_size
    size = mini_batch_size
    batches = [(X[:, k * size:(k + 1) * size], Y[:, k * size:(k + 1) * size]) for k in range(n)]
    batches.append((X[:, n * mini_batch_size:], Y[:, n * mini_batch_size:]))
    return batches
'''
    message = replaced("random_mini_batches", bad)
    assert message.hint == "empty_last_mini_batch"
    assert "test case 2" in message and "the last mini-batch is empty" in message


def test_hint_X_and_Y_shuffled_with_different_permutations():
    message = planted("random_mini_batches", "shuffled_Y = Y[:, permutation]",
                      "shuffled_Y = Y[:, np.random.default_rng(seed + 1).permutation(m)]")
    assert message.hint == "x_and_y_shuffled_apart"
    assert "X and Y are not shuffled together" in message


def test_hint_no_shuffle():
    message = planted("random_mini_batches", "permutation = np.random.default_rng(seed).permutation(m)",
                      "permutation = np.arange(m)")
    assert message.hint == "not_shuffled"
    assert "still in their original order" in message


def test_hint_legacy_global_generator():
    message = planted("random_mini_batches", "permutation = np.random.default_rng(seed).permutation(m)",
                      "np.random.seed(seed)\n    permutation = np.random.permutation(m)")
    assert message.hint == "legacy_random_seed"
    assert "legacy np.random.seed(seed)" in message


# ---- exponentially_weighted_average -------------------------------------------------------------------

def test_hint_ewa_without_bias_correction():
    message = planted("exponentially_weighted_average", "averages[t - 1] = v / (1 - beta ** t)", "averages[t - 1] = v")
    assert message.hint == "bias_correction_missing"
    assert "without bias correction" in message


def test_hint_ewa_correction_applied_when_switched_off():
    message = planted("exponentially_weighted_average", "        else:\n            averages[t - 1] = v\n",
                      "        else:\n            averages[t - 1] = v / (1 - beta ** t)\n")
    assert message.hint == "bias_correction_not_asked"
    assert "bias_correction is False here" in message


def test_hint_ewa_wrong_power():
    message = planted("exponentially_weighted_average", "v / (1 - beta ** t)", "v / (1 - beta ** (t + 1))")
    assert message.hint == "ewa_bias_correction_t_plus_1"
    assert "uses β^(t+1)" in message
    message = planted("exponentially_weighted_average", "v / (1 - beta ** t)", "v / (1 - beta ** (t - 1))")
    assert message.hint == "ewa_bias_correction_t_minus_1"
    assert "uses β^(t−1)" in message


def test_hint_ewa_corrected_value_carried_over():
    message = planted("exponentially_weighted_average", "averages[t - 1] = v / (1 - beta ** t)",
                      "v = v / (1 - beta ** t)\n            averages[t - 1] = v")
    assert message.hint == "corrected_value_carried"
    assert "stored back into v" in message


def test_hint_ewa_beta_swapped_and_start_from_first_value():
    message = planted("exponentially_weighted_average", "v = beta * v + (1 - beta) * theta[t - 1]",
                      "v = (1 - beta) * v + beta * theta[t - 1]")
    assert message.hint == "ewa_beta_swapped" and "β and 1 − β are swapped" in message
    message = planted("exponentially_weighted_average", "v = 0.0", "v = theta[0]")
    assert message.hint == "ewa_starts_from_first_value"
    assert "v starts from θ_1" in message


# ---- initialize_velocity / initialize_adam --------------------------------------------------------------

def test_hint_state_keyed_by_parameter_names():
    message = planted("initialize_velocity", 'v["d" + key]', "v[key]")
    assert message.hint == "state_keyed_by_parameter_names"
    assert "missing key(s)" in message and "keyed by the gradients' names" in message
    bad = '''
def initialize_adam(parameters):
    return {k: np.zeros(p.shape) for k, p in parameters.items()}, {k: np.zeros(p.shape) for k, p in parameters.items()}
'''
    message = replaced("initialize_adam", bad)
    assert message.hint == "state_keyed_by_parameter_names" and "keyed by the gradients' names" in message


def test_initialize_adam_graded_as_written_points_at_a_broken_initialize_velocity(monkeypatch):
    monkeypatch.setenv("NNCOURSE_GRADING", "as_written")  # each bug once: see tests/test_borrowing.py
    ns = cell(plant("initialize_velocity", "np.zeros(parameters[key].shape)", "np.ones(parameters[key].shape)"))
    assert "fix initialize_velocity as well" in failure("initialize_adam", ns["initialize_adam"])


# ---- momentum -----------------------------------------------------------------------------------

def test_hint_momentum_velocity_not_carried():
    message = planted("update_parameters_with_momentum", 'beta * v["d" + key] + (1 - beta) * grads["d" + key]',
                      '(1 - beta) * grads["d" + key]')
    assert message.hint == "momentum_v_not_carried"
    assert "v does not carry over" in message


def test_hint_momentum_beta_on_the_gradient():
    message = planted("update_parameters_with_momentum", 'beta * v["d" + key] + (1 - beta) * grads["d" + key]',
                      'beta * grads["d" + key] + (1 - beta) * v["d" + key]')
    assert message.hint == "momentum_beta_swapped" and "β and 1 − β are swapped" in message


def test_hint_momentum_missing_one_minus_beta():
    message = planted("update_parameters_with_momentum", 'beta * v["d" + key] + (1 - beta) * grads["d" + key]',
                      'beta * v["d" + key] + grads["d" + key]')
    assert message.hint == "momentum_1_minus_beta_missing"
    assert "the (1 − β) factor is missing" in message


def test_hint_momentum_step_with_gradient_or_old_velocity():
    message = planted("update_parameters_with_momentum", 'learning_rate * new_v["d" + key]',
                      'learning_rate * grads["d" + key]')
    assert message.hint == "momentum_step_by_gradient"
    assert "θ moved by the gradient" in message
    message = planted("update_parameters_with_momentum", 'learning_rate * new_v["d" + key]',
                      'learning_rate * v["d" + key]')
    assert message.hint == "momentum_step_by_old_v"
    assert "θ moved by the old v" in message


def test_generic_hint_momentum_mutates_its_inputs():
    bad = '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for key in parameters:
        v["d" + key] = beta * v["d" + key] + (1 - beta) * grads["d" + key]
        parameters[key] = parameters[key] - learning_rate * v["d" + key]
    return parameters, v
'''
    message = replaced("update_parameters_with_momentum", bad)
    assert "changed its input in place" in message and message.hint == "mutated_input"


# ---- RMSprop --------------------------------------------------------------------------------------

def test_hint_rmsprop_epsilon_inside_the_root():
    message = planted("update_parameters_with_rmsprop", '(np.sqrt(new_s["d" + key]) + epsilon)',
                      'np.sqrt(new_s["d" + key] + epsilon)')
    assert message.hint == "rmsprop_epsilon_inside_root" and "ε is inside the square root" in message


def test_hint_rmsprop_gradient_not_squared():
    message = planted("update_parameters_with_rmsprop", 'np.square(grads["d" + key])', 'grads["d" + key]')
    assert message.hint == "rmsprop_gradient_not_squared"
    assert "the gradient is not squared" in message


def test_hint_rmsprop_no_square_root():
    message = planted("update_parameters_with_rmsprop", '(np.sqrt(new_s["d" + key]) + epsilon)',
                      '(new_s["d" + key] + epsilon)')
    assert message.hint == "rmsprop_square_root_missing"
    assert "divided by s + ε" in message


# ---- Adam -----------------------------------------------------------------------------------------

def test_hint_adam_stores_corrected_values():
    message = planted("update_parameters_with_adam", "return new_parameters, new_v, new_s, v_corrected, s_corrected",
                      "return new_parameters, v_corrected, s_corrected, v_corrected, s_corrected")
    assert message.hint == "adam_returned_corrected_state"
    assert "the v and s you return are the bias-corrected ones" in message


def test_hint_adam_wrong_power_of_t():
    for beta in ("beta1", "beta2"):
        for wrong, text in [("t - 1", "t − 1"), ("t + 1", "t + 1")]:
            message = planted("update_parameters_with_adam", f"(1 - {beta} ** t)", f"(1 - {beta} ** ({wrong}))")
            assert message.hint == "adam_bias_correction_wrong_t" and f"uses the power {text}" in message


def test_hint_adam_epsilon_inside_the_root():
    message = planted("update_parameters_with_adam", "(np.sqrt(s_corrected[d]) + epsilon)",
                      "np.sqrt(s_corrected[d] + epsilon)")
    assert message.hint == "adam_epsilon_inside_root" and "ε is inside the square root" in message


def test_hint_adam_betas_swapped():
    source = plant("update_parameters_with_adam", "t, learning_rate, beta1, beta2, epsilon):",
                   "t, learning_rate, beta2, beta1, epsilon):")
    message = failure("update_parameters_with_adam", cell(source)["update_parameters_with_adam"])
    assert message.hint == "adam_betas_swapped" and "β₁ and β₂ are swapped" in message


def test_hint_adam_update_with_uncorrected_moments():
    message = planted("update_parameters_with_adam",
                      "learning_rate * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)",
                      "learning_rate * new_v[d] / (np.sqrt(new_s[d]) + epsilon)")
    assert message.hint == "adam_step_uncorrected" and "θ moved by the uncorrected v and s" in message


def test_generic_hint_adam_mutates_the_state():
    source = plant("update_parameters_with_adam", "new_v[d] = beta1 * v[d] + (1 - beta1) * grads[d]",
                   "v[d] = beta1 * v[d] + (1 - beta1) * grads[d]\n        new_v[d] = v[d]")
    message = failure("update_parameters_with_adam", cell(source)["update_parameters_with_adam"])
    assert "changed its input in place" in message and message.hint == "mutated_input"


# ---- schedules ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, old, new, hint, text", [
    ("inverse_time_decay", "(epoch // time_interval)", "epoch", "inverse_time_decays_every_epoch",
     "decays every epoch"),
    ("inverse_time_decay", "(epoch // time_interval)", "(epoch / time_interval)", "inverse_time_floor_missing",
     "⌊ ⌋ is missing"),
    ("inverse_time_decay", "(epoch // time_interval)", "((epoch + 1) // time_interval)",
     "inverse_time_epoch_off_by_one", "off by one"),
    ("exponential_decay", "base ** epoch", "base ** (epoch + 1)", "exponential_decay_epoch_off_by_one", "off by one"),
    ("exponential_decay", "base ** epoch", "0.95 ** epoch", "exponential_decay_base_hard_coded",
     "use the base you were given"),
    ("sqrt_decay", "np.sqrt(epoch + 1)", "np.sqrt(epoch)", "sqrt_decay_epoch_off_by_one", "√epoch is off by one"),
    ("sqrt_decay", "k / np.sqrt(epoch + 1)", "1 / np.sqrt(epoch + 1)", "sqrt_decay_k_missing", "k is missing"),
    ("step_decay", "drop ** (epoch // every)", "drop ** epoch", "step_decay_drops_every_epoch", "drops every epoch"),
    ("step_decay", "drop ** (epoch // every)", "drop ** (epoch / every)", "step_decay_floor_missing", "⌊ ⌋ is missing"),
    ("step_decay", "drop ** (epoch // every)", "drop ** ((epoch + 1) // every)", "step_decay_epoch_off_by_one",
     "off by one"),
])
def test_hint_schedules(name, old, new, hint, text):
    message = planted(name, old, new)
    assert message.hint == hint and text in message


def test_momentum_that_steps_only_the_weights_is_named():
    message = planted("update_parameters_with_momentum", 'parameters[key] - learning_rate * new_v["d" + key]',
                      'parameters[key] - (learning_rate * new_v["d" + key] if key[0] == "W" else 0)')
    assert message.hint == "never_updated" and "b1 is exactly the value it started with" in message
