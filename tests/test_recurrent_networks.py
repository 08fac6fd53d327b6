"""Assignment "Recurrent networks": the solution passes, equivalent answers pass, and every hint the checker
gives on this assignment's functions is proven by planting that bug in a correct answer (the hint's id is what a
class report counts, so each test names the id it expects)."""

import functools

import numpy as np
import pytest

from autograder.learner.exercises import recurrent_networks
from learner import cell, charged_once, plant_in
from learner import failure as report
from nncore import rnn

check = recurrent_networks.check

# The notebook's solution, as a learner would write it.
SOLUTION = '''
def rnn_cell_forward(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)
    z = np.dot(Wya, a_next) + by
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    yt_pred = e / np.sum(e, axis=0, keepdims=True)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache

def rnn_forward(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    caches = (caches, x)
    return a, y_pred, caches

def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dz = da_next * (1 - a_next ** 2)
    dxt = np.dot(Wax.T, dz)
    dWax = np.dot(dz, xt.T)
    da_prev = np.dot(Waa.T, dz)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    gradients = {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    return gradients

def rnn_backward(da, caches):
    (caches, x) = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    da0 = da_prevt
    gradients = {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    return gradients

def clip(gradients, max_value):
    clipped = {}
    for key, gradient in gradients.items():
        clipped[key] = np.clip(gradient, -max_value, max_value)
    return clipped

def sample(parameters, end_index, seed, max_length):
    n_y, n_a = parameters["Wya"].shape
    n_x = parameters["Wax"].shape[1]
    rng = np.random.default_rng(seed)
    x = np.zeros((n_x, 1))
    a_prev = np.zeros((n_a, 1))
    indices = []
    while len(indices) < max_length:
        a_prev, y, _ = rnn_cell_forward(x, a_prev, parameters)
        index = rng.choice(n_y, p=y.ravel())
        indices.append(int(index))
        if index == end_index:
            break
        x = np.zeros((n_x, 1))
        x[index] = 1
    return indices

def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    Wf, bf, Wi, bi = parameters["Wf"], parameters["bf"], parameters["Wi"], parameters["bi"]
    Wc, bc, Wo, bo = parameters["Wc"], parameters["bc"], parameters["Wo"], parameters["bo"]
    Wy, by = parameters["Wy"], parameters["by"]
    concat = np.concatenate([a_prev, xt], axis=0)
    ft = 1 / (1 + np.exp(-(np.dot(Wf, concat) + bf)))
    it = 1 / (1 + np.exp(-(np.dot(Wi, concat) + bi)))
    cct = np.tanh(np.dot(Wc, concat) + bc)
    c_next = ft * c_prev + it * cct
    ot = 1 / (1 + np.exp(-(np.dot(Wo, concat) + bo)))
    a_next = ot * np.tanh(c_next)
    z = np.dot(Wy, a_next) + by
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    yt_pred = e / np.sum(e, axis=0, keepdims=True)
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache
'''

NAMES = list(recurrent_networks.EXERCISES)
failure = functools.partial(report, check)


def planted(name, *replacements):
    """The checker's report on exercise ``name`` with each ``(old, new)`` replacement made in its definition; its
    ``hint`` is the id of the diagnosis the learner reads first."""
    source = SOLUTION
    for old, new in zip(replacements[::2], replacements[1::2]):
        source = plant_in(source, name, old, new)
    return failure(name, cell(source)[name])


# ---- the solution and equivalent answers pass ---------------------------------------------------------------------

def test_every_exercise_is_in_the_registry_and_the_solution_passes_visible_and_hidden(capsys):
    ns = cell(SOLUTION)
    assert NAMES == ["rnn_cell_forward", "rnn_forward", "rnn_cell_backward", "rnn_backward", "clip", "sample",
                     "lstm_cell_forward"]
    for name in NAMES:
        check(name, ns[name])
        check(name, ns[name], seed=31337)
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 * len(NAMES) and out.err == ""


def test_cases_are_built_to_show_the_mistakes():
    for name, exercise in recurrent_networks.EXERCISES.items():
        for variant, case in enumerate(exercise.cases(0)):
            arrays = [v for v in case.kwargs.values() if isinstance(v, np.ndarray)]
            if name in ("rnn_forward", "rnn_backward"):
                assert arrays[0].shape[2] >= 2, name            # at least two steps: an off-by-one shows
            if variant < 2 and case.m is not None:
                assert case.m > 1, name                         # several examples: a softmax axis shows
    lengths = [len(rnn.sample(*case.kwargs.values())) for case in recurrent_networks.EXERCISES["sample"].cases(0)]
    assert lengths[0] > 2 and lengths[2] == 3, lengths       # sampled words of several characters; one cut at max


EQUIVALENT = [
    ("rnn_cell_forward", "np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)",
     "np.tanh(np.dot(np.hstack([Waa, Wax]), np.vstack([a_prev, xt])) + ba)"),
    ("rnn_cell_forward", "e = np.exp(z - np.max(z, axis=0, keepdims=True))", "e = np.exp(z)"),
    ("rnn_forward", "a_next = a0", "a_next = a0.copy()"),
    ("rnn_cell_backward", "dz = da_next * (1 - a_next ** 2)",
     "z = np.dot(Wax, xt) + np.dot(Waa, a_prev) + parameters['ba']\n    dz = da_next * (1 - np.tanh(z) ** 2)"),
    ("rnn_backward", "dWax += gradients[\"dWax\"]", "dWax = dWax + gradients[\"dWax\"]"),
    ("clip", "clipped[key] = np.clip(gradient, -max_value, max_value)",
     "clipped[key] = np.minimum(np.maximum(gradient, -max_value), max_value)"),
    ("sample", "index = rng.choice(n_y, p=y.ravel())", "index = rng.choice(list(range(n_y)), p=y[:, 0])"),
    ("lstm_cell_forward", "ft = 1 / (1 + np.exp(-(np.dot(Wf, concat) + bf)))",
     "ft = 0.5 * (1 + np.tanh(0.5 * (np.dot(Wf, concat) + bf)))"),
    ("lstm_cell_forward", "concat = np.concatenate([a_prev, xt], axis=0)", "concat = np.vstack((a_prev, xt))"),
]


@pytest.mark.parametrize("name, old, new", EQUIVALENT, ids=[e[0] for e in EQUIVALENT])
def test_equivalent_formulations_pass(name, old, new, capsys):
    check(name, cell(plant_in(SOLUTION, name, old, new))[name])
    assert "✅" in capsys.readouterr().out


# ---- rnn_cell_forward ---------------------------------------------------------------------------------------------

SOFTMAX = ("e = np.exp(z - np.max(z, axis=0, keepdims=True))\n    yt_pred = e / np.sum(e, axis=0, keepdims=True)")


def test_hint_cell_softmax_over_the_wrong_axis():
    message = planted("rnn_cell_forward", SOFTMAX, SOFTMAX.replace("axis=0", "axis=1"))
    assert message.hint == "softmax_over_rows" and "each row of yt_pred sums to 1" in message
    everything = "e = np.exp(z - np.max(z))\n    yt_pred = e / np.sum(e)"
    message = planted("rnn_cell_forward", SOFTMAX, everything)
    assert message.hint == "softmax_over_whole_matrix" and "the whole yt_pred sums to 1" in message
    assert planted("rnn_cell_forward", SOFTMAX, "yt_pred = z").hint == "softmax_missing"


def test_hint_cell_activation_bias_and_output():
    assert planted("rnn_cell_forward", "np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)",
                   "1 / (1 + np.exp(-(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)))").hint == "sigmoid_instead_of_tanh"
    message = planted("rnn_cell_forward", "np.dot(Wax, xt) + ba)", "np.dot(Wax, xt))")
    assert message.hint == "rnn_cell_bias_missing" and "the bias ba is missing" in message
    message = planted("rnn_cell_forward", "np.dot(Wya, a_next)", "np.dot(Wya, a_prev)")
    assert message.hint == "output_from_previous_state"


def test_hint_cell_cache_order():
    assert planted("rnn_cell_forward", "cache = (a_next, a_prev, xt, parameters)",
                   "cache = (a_prev, a_next, xt, parameters)").hint == "cache_order"


# ---- rnn_forward --------------------------------------------------------------------------------------------------

def test_hint_forward_state_not_carried():
    message = planted("rnn_forward", "rnn_cell_forward(x[:, :, t], a_next, parameters)",
                      "rnn_cell_forward(x[:, :, t], a0, parameters)")
    assert message.hint == "state_restarted_from_a0" and "every step started again from a0" in message


@pytest.mark.parametrize("old, new, hint", [("x[:, :, t]", "x[:, :, t - 1]", "forward_reads_previous_input"),
                                            ("range(T_x)", "range(T_x - 1)", "forward_skips_last_step"),
                                            ("range(T_x)", "range(1, T_x)", "forward_skips_step_0")])
def test_hint_forward_time_index_off_by_one(old, new, hint):
    assert planted("rnn_forward", old, new).hint == hint


# ---- rnn_cell_backward --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("wrong, hint", [("1 - np.tanh(a_next) ** 2", "tanh_applied_twice"),
                                         ("1 - a_prev ** 2", "tanh_derivative_of_a_prev"),
                                         ("1 - a_next", "tanh_derivative_not_squared")])
def test_hint_tanh_derivative_of_the_wrong_quantity(wrong, hint):
    assert planted("rnn_cell_backward", "1 - a_next ** 2", wrong).hint == hint


def test_hint_tanh_derivative_missing():
    message = planted("rnn_cell_backward", "dz = da_next * (1 - a_next ** 2)", "dz = da_next")
    assert message.hint == "tanh_derivative_missing"


# ---- rnn_backward -------------------------------------------------------------------------------------------------

def test_hint_state_gradient_not_carried_to_the_previous_step():
    assert planted("rnn_backward", "da[:, :, t] + da_prevt", "da[:, :, t]").hint == "state_gradient_not_carried"


@pytest.mark.parametrize("steps, hint", [("range(T_x - 1, 0, -1)", "bptt_skips_step_0"),
                                         ("reversed(range(T_x - 1))", "bptt_skips_last_step")])
def test_hint_backward_time_index_off_by_one(steps, hint):
    assert planted("rnn_backward", "reversed(range(T_x))", steps).hint == hint


def test_hint_parameter_gradients_not_summed_over_the_steps():
    assert planted("rnn_backward", 'dWax += gradients["dWax"]', 'dWax = gradients["dWax"]',
                   'dWaa += gradients["dWaa"]', 'dWaa = gradients["dWaa"]',
                   'dba += gradients["dba"]', 'dba = gradients["dba"]').hint == "gradients_not_summed"


def test_a_broken_rnn_cell_backward_is_charged_once_and_named_in_the_rnn_backward_report(capsys, monkeypatch):
    ns = cell(plant_in(SOLUTION, "rnn_cell_backward", "1 - a_next ** 2", "1 - a_prev ** 2"))
    assert failure("rnn_cell_backward", ns["rnn_cell_backward"]).hint == "tanh_derivative_of_a_prev"
    charged_once(check, "rnn_backward", ns["rnn_backward"], "rnn_cell_backward", capsys, monkeypatch)


# ---- clip ---------------------------------------------------------------------------------------------------------

def test_hint_clip_changes_the_callers_arrays():
    message = failure("clip", cell(plant_in(SOLUTION, "clip", "np.clip(gradient, -max_value, max_value)",
                                            "np.clip(gradient, -max_value, max_value, out=gradient)"))["clip"])
    assert "changed its input in place" in message
    assert planted("clip", "np.clip(gradient, -max_value, max_value)",
                   "np.clip(gradient, -max_value, max_value, out=gradient)").hint == "clip_in_place"


def test_hint_clip_misses_a_gradient():
    listed = ('clipped = dict(gradients)\n    for key in ["dWax", "dWaa", "dWya", "dba"]:\n'
              '        gradient = gradients[key]')
    loop = "clipped = {}\n    for key, gradient in gradients.items():"
    assert planted("clip", loop, listed).hint == "clip_missed_gradient"
    weights_only = ("clipped = dict(gradients)\n    for key, gradient in gradients.items():\n"
                    "        if not key.startswith('dW'):\n            continue")
    assert planted("clip", loop, weights_only).hint == "clip_missed_gradient"


def test_hint_clip_one_sided():
    assert planted("clip", "np.clip(gradient, -max_value, max_value)",
                   "np.minimum(gradient, max_value)").hint == "clip_one_sided"


# ---- sample -------------------------------------------------------------------------------------------------------

def test_hint_sample_argmax_reseeded_and_legacy_generator():
    assert planted("sample", "rng.choice(n_y, p=y.ravel())", "np.argmax(y)").hint == "argmax_not_sampled"
    assert planted("sample", "rng.choice(n_y, p=y.ravel())",
                   "np.random.default_rng(seed).choice(n_y, p=y.ravel())").hint == "generator_reseeded"
    message = planted("sample", "rng = np.random.default_rng(seed)", "np.random.seed(seed)",
                      "rng.choice(n_y, p=y.ravel())", "np.random.choice(n_y, p=y.ravel())")
    assert message.hint == "legacy_random_seed" and "np.random.seed(seed) + np.random.choice" in message


def test_hint_sample_input_and_state_not_carried():
    assert planted("sample", "x = np.zeros((n_x, 1))\n        x[index] = 1", "pass").hint == "input_not_fed_back"
    assert planted("sample", "x = np.zeros((n_x, 1))\n        x[index] = 1", "x[index] = 1").hint == "input_not_reset"
    message = planted("sample", "a_prev, y, _ = rnn_cell_forward", "a_next, y, _ = rnn_cell_forward")
    assert message.hint == "sample_state_restarted" and "the state restarted from zeros at every step" in message


def test_hint_sample_end_index_left_out():
    append_then_stop = "indices.append(int(index))\n        if index == end_index:\n            break"
    stop_then_append = "if index == end_index:\n            break\n        indices.append(int(index))"
    assert planted("sample", append_then_stop, stop_then_append).hint == "end_not_included"


# ---- lstm_cell_forward --------------------------------------------------------------------------------------------

def test_hint_lstm_forget_and_update_gates_swapped():
    assert planted("lstm_cell_forward", "c_next = ft * c_prev + it * cct",
                   "c_next = it * c_prev + ft * cct").hint == "forget_update_swapped"
    # the same mistake made in the weights: the forget gate computed with the update gate's parameters
    assert planted("lstm_cell_forward", "ft = 1 / (1 + np.exp(-(np.dot(Wf, concat) + bf)))",
                   "ft = 1 / (1 + np.exp(-(np.dot(Wi, concat) + bi)))",
                   "it = 1 / (1 + np.exp(-(np.dot(Wi, concat) + bi)))",
                   "it = 1 / (1 + np.exp(-(np.dot(Wf, concat) + bf)))").hint == "forget_update_swapped"


def test_hint_lstm_stack_order_cell_tanh_and_softmax_axis():
    assert planted("lstm_cell_forward", "np.concatenate([a_prev, xt], axis=0)",
                   "np.concatenate([xt, a_prev], axis=0)").hint == "concat_order"
    assert planted("lstm_cell_forward", "a_next = ot * np.tanh(c_next)", "a_next = ot * c_next").hint == \
        "cell_tanh_missing"
    assert planted("lstm_cell_forward", SOFTMAX, SOFTMAX.replace("axis=0", "axis=1")).hint == "softmax_over_rows"
