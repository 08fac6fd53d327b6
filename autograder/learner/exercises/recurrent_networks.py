"""Assignment 14 "Recurrent networks": the RNN cell and sequence, forward and backward (backpropagation through
time), gradient clipping, sampling and the LSTM cell, checked against ``nncore.rnn``.

Cases use distinct sizes n_x, n_a, n_y and m (so a transposed or wrongly summed result shows in its shape),
non-zero biases and states, weights small enough that tanh is not saturated (so a wrong derivative changes
the numbers), and at least two time steps (so an index off by one shows). Backward cases are built by running
nncore's forward pass, so every cache is consistent. Each exercise-specific hint recomputes the answer a
known mistake would give and returns ``Hint(id, text)`` when it matches the learner's result.
"""

import itertools

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise, distinct_dims
from nncore.i18n import _
from nncore import rnn
from nncore.activations import sigmoid, softmax

# ---- fixtures ----------------------------------------------------------------------------------------------------


def _sizes(rng, variant, k=4):
    """Distinct n_x, n_a, n_y, m (m = 1 in the edge variant) and T_x ≥ 2."""
    n_x, n_a, n_y, m = distinct_dims(rng, k, low=2, high=8)
    return n_x, n_a, n_y, (1 if variant == 2 else m), int(rng.integers(2, 5))


def _rnn_parameters(rng, n_x, n_a, n_y):
    p = rnn.initialize_rnn(n_x, n_a, n_y, seed=rng, recurrent_scale=0.8)
    p["ba"], p["by"] = 0.3 * rng.normal(size=(n_a, 1)), rng.normal(size=(n_y, 1))
    return p


def _lstm_parameters(rng, n_x, n_a, n_y):
    p = rnn.initialize_lstm(n_x, n_a, n_y, seed=rng)
    return {k: v + 0.3 * rng.normal(size=v.shape) if k.startswith("b") else v for k, v in p.items()}


def _cell_case(rng, variant):
    n_x, n_a, n_y, m = _sizes(rng, variant)[:4]
    kwargs = {"xt": rng.normal(size=(n_x, m)), "a_prev": 0.8 * rng.normal(size=(n_a, m)).clip(-1.2, 1.2),
              "parameters": _rnn_parameters(rng, n_x, n_a, n_y)}
    return Case(kwargs, m, f"n_x = {n_x}, n_a = {n_a}, n_y = {n_y}, m = {m}")


def _sequence_inputs(rng, variant):
    n_x, n_a, n_y, m, T_x = _sizes(rng, variant)
    x, a0 = rng.normal(size=(n_x, m, T_x)), 0.5 * rng.normal(size=(n_a, m))
    return x, a0, _rnn_parameters(rng, n_x, n_a, n_y), m, f"n_x = {n_x}, n_a = {n_a}, n_y = {n_y}, m = {m}, T_x = {T_x}"


def _forward_case(rng, variant):
    x, a0, parameters, m, label = _sequence_inputs(rng, variant)
    return Case({"x": x, "a0": a0, "parameters": parameters}, m, label)


def _cell_backward_case(rng, variant):
    case = _cell_case(rng, variant)
    cache = rnn.rnn_cell_forward(*case.kwargs.values())[2]
    return Case({"da_next": rng.normal(size=cache[0].shape), "cache": cache}, case.m, case.label)


def _backward_case(rng, variant):
    x, a0, parameters, m, label = _sequence_inputs(rng, variant)
    a, _y_pred, caches = rnn.rnn_forward(x, a0, parameters)
    return Case({"da": rng.normal(size=a.shape), "caches": caches}, m, label)


# ---- rnn_cell_forward ------------------------------------------------------------------------------------------

def _pre_activation(case):
    xt, a_prev, p = case.kwargs.values()
    return p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"]


def _softmax_axis_hint(yt_pred, m):
    """The course's softmax diagnoses when ``yt_pred``'s rows, or all its entries together, sum to 1 instead of
    each column."""
    y = np.asarray(yt_pred, dtype=np.float64)
    if y.ndim != 2 or m < 2 or np.allclose(y.sum(axis=0), 1) or np.any(y < 0):
        return None
    if np.allclose(y.sum(axis=1), 1):
        return Hint("softmax_over_rows", _("each row of yt_pred sums to 1: the softmax ran over axis 1, across the "
                                           "examples. One column is one example, so normalize over axis 0: "
                                           "np.sum(e, axis=0, keepdims=True)"))
    if np.isclose(y.sum(), 1):
        return Hint("softmax_over_whole_matrix", _("the whole yt_pred sums to 1: np.sum without axis= added up every "
                                                   "example's exponentials. Normalize each column on its own: "
                                                   "np.sum(e, axis=0, keepdims=True)"))
    return None


def _cell_softmax_hint(case, got):
    p = case.kwargs["parameters"]
    z_y = p["Wya"] @ np.tanh(_pre_activation(case)) + p["by"]
    if matches(z_y, got[1]):
        return Hint("softmax_missing", _("yt_pred is Wya·a_next + by without the softmax: apply softmax to it"))
    return _softmax_axis_hint(got[1], case.m)


def _cell_state_hint(case, got):
    xt, a_prev, p = case.kwargs.values()
    z = _pre_activation(case)
    if matches(sigmoid(z), got[0]):
        return Hint("sigmoid_instead_of_tanh", _("a_next went through a sigmoid: the RNN's state uses tanh, "
                                                 "a_next = tanh(Waa·a_prev + Wax·xt + ba)"))
    if matches(np.tanh(z - p["ba"]), got[0]):
        return Hint("rnn_cell_bias_missing", _("the bias ba is missing: a_next = tanh(Waa·a_prev + Wax·xt + ba)"))
    if matches(softmax(p["Wya"] @ a_prev + p["by"]), got[1]):
        return Hint("output_from_previous_state", _("yt_pred was computed from a_prev: the output reads the new "
                                                    "state, yt_pred = softmax(Wya·a_next + by)"))
    return None


def _cache_order_hint(case, got):
    a_next, _yt_pred, cache = rnn.rnn_cell_forward(*case.kwargs.values())
    if not matches(a_next, got[0]) or len(got[2]) != len(cache):
        return None
    for order in itertools.permutations(range(len(cache))):
        if list(order) != list(range(len(cache))) and matches(tuple(cache[i] for i in order), tuple(got[2])):
            return Hint("cache_order", _("the cache holds the right values in another order: the contract is "
                                         "cache = (a_next, a_prev, xt, parameters), which rnn_cell_backward reads"))
    return None


# ---- rnn_forward -----------------------------------------------------------------------------------------------

def _forward_variant(x, a0, parameters, carry=True):
    """The hidden states of rnn_forward when the state is (or, with ``carry=False``, is not) passed on."""
    a, a_prev = [], a0
    for t in range(x.shape[2]):
        a_next = rnn.rnn_cell_forward(x[:, :, t], a_prev if carry else a0, parameters)[0]
        a.append(a_next)
        a_prev = a_next
    return np.stack(a, axis=2)


def _forward_state_hint(case, got):
    if matches(_forward_variant(*case.kwargs.values(), carry=False), got[0]):
        return Hint("state_restarted_from_a0", _(
            "every step started again from a0: each step must start from the previous step's a_next (a_next = ...; "
            "then use that a_next as a_prev in the next iteration)"))
    return None


def _forward_time_hint(case, got):
    x, a0, parameters = case.kwargs.values()
    a = np.asarray(got[0], dtype=np.float64)
    expected = rnn.rnn_forward(x, a0, parameters)[0]
    if a.shape != expected.shape:
        return None
    if matches(_forward_variant(np.roll(x, 1, axis=2), a0, parameters), a):
        return Hint("forward_reads_previous_input", _("step t read the input of step t − 1 (x[:, :, t - 1]): step t "
                                                      "reads x[:, :, t] — Python counts the T_x steps 0 … T_x − 1"))
    if matches(expected[:, :, :-1], a[:, :, :-1]) and not np.any(a[:, :, -1]):
        return Hint("forward_skips_last_step", _("the last time step is missing (a[:, :, -1] is still 0): loop over "
                                                 "range(T_x), which runs t = 0 … T_x − 1"))
    if not np.any(a[:, :, 0]) and matches(_forward_variant(x[:, :, 1:], a0, parameters), a[:, :, 1:]):
        return Hint("forward_skips_step_0", _("the loop started at t = 1, so step 0 never ran (a[:, :, 0] is 0): "
                                              "Python counts from 0, loop over range(T_x)"))
    return None


# ---- rnn_cell_backward -----------------------------------------------------------------------------------------

def _cell_backward_with(da_next, cache, derivative):
    """rnn_cell_backward's gradients with tanh' replaced by ``derivative(a_next, a_prev)``."""
    a_next, a_prev, xt, p = cache
    dz = da_next * derivative(a_next, a_prev)
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T,
            "dba": np.sum(dz, axis=1, keepdims=True)}


def _tanh_derivative_hint(case, got):
    da_next, cache = case.kwargs.values()
    for derivative, hint in [
            (lambda a, a_prev: 1 - np.tanh(a) ** 2, Hint("tanh_applied_twice", _(
                "tanh' was taken of a_next: a_next is already tanh(z), so tanh'(z) = 1 − tanh(z)² = 1 − a_next² — not "
                "1 − tanh(a_next)²"))),
            (lambda a, a_prev: 1 - a_prev ** 2, Hint("tanh_derivative_of_a_prev", _(
                "tanh' was taken of a_prev: the derivative belongs to this step's output, 1 − a_next²"))),
            (lambda a, a_prev: 1 - a, Hint("tanh_derivative_not_squared", _(
                "tanh' is 1 − a_next² (squared), not 1 − a_next"))),
            (lambda a, a_prev: np.ones_like(a), Hint("tanh_derivative_missing", _(
                "tanh's derivative is missing: dz = da_next * (1 − a_next²) comes before any product with the "
                "weights")))]:
        wrong = _cell_backward_with(da_next, cache, derivative)
        if any(k in got and matches(wrong[k], got[k]) for k in ("dWax", "dxt")):
            return hint
    return None


# ---- rnn_backward ----------------------------------------------------------------------------------------------

def _bptt_variant(da, caches, carry=True, steps=None, accumulate=True):
    """rnn_backward with a known mistake: ``carry=False`` drops the gradient from the next step, ``steps`` is
    the loop's range, ``accumulate=False`` keeps only the last processed step's parameter gradients."""
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    grads = {"dx": np.zeros(x.shape), "dWax": 0.0, "dWaa": 0.0, "dba": 0.0}
    da_prev = np.zeros((n_a, m))
    for t in (reversed(range(T_x)) if steps is None else steps):
        step = rnn.rnn_cell_backward(da[:, :, t] + (da_prev if carry else 0), cell_caches[t])
        grads["dx"][:, :, t], da_prev = step["dxt"], step["da_prev"]
        for k in ("dWax", "dWaa", "dba"):
            grads[k] = grads[k] + step[k] if accumulate else step[k]
    return {"da0": da_prev, **grads}


def _bptt_hint(case, got):
    da, caches = case.kwargs.values()
    T_x = da.shape[2]
    same = lambda wrong: any(matches(wrong[k], got[k]) for k in ("dWaa", "dWax") if k in got)  # noqa: E731
    if same(_bptt_variant(da, caches, carry=False)):
        return Hint("state_gradient_not_carried", _(
            "each step used only da[:, :, t]: the state a⟨t⟩ also fed step t + 1, so its gradient is da[:, :, t] plus "
            "the da_prev that step t + 1 sent back — pass da[:, :, t] + da_prevt to rnn_cell_backward"))
    if same(_bptt_variant(da, caches, steps=range(T_x - 1, 0, -1))):
        return Hint("bptt_skips_step_0", _("step 0 was never visited: range(T_x - 1, 0, -1) stops at 1. Walk t = "
                                           "T_x − 1 … 0, e.g. reversed(range(T_x))"))
    if same(_bptt_variant(da, caches, steps=range(T_x - 2, -1, -1))):
        return Hint("bptt_skips_last_step", _("the last step t = T_x − 1 was skipped: start the backward loop at "
                                              "T_x − 1 (reversed(range(T_x)))"))
    if same(_bptt_variant(da, caches, accumulate=False)):
        return Hint("gradients_not_summed", _("dWax, dWaa and dba hold only one step's share: the same weights are "
                                              "used at every step, so their gradients add up over all steps (+=)"))
    return None


# ---- clip -------------------------------------------------------------------------------------------------------

def _clip_case(rng, variant):
    n_x, n_a, n_y = _sizes(rng, variant)[:3]
    max_value = float(rng.choice([1.0, 2.5, 5.0]))
    if variant == 2:   # another model's gradients: a loop must take every key of the dictionary
        shapes = {f"d{k}": (n_a, n_a + n_x) if k.startswith("W") else (n_a, 1) for k in rnn.LSTM_KEYS}
    else:
        shapes = {"dWax": (n_a, n_x), "dWaa": (n_a, n_a), "dWya": (n_y, n_a), "dba": (n_a, 1), "dby": (n_y, 1)}
    gradients = {k: 2 * max_value * rng.normal(size=s) for k, s in shapes.items()}
    for g in gradients.values():      # every gradient has entries beyond both bounds
        g.flat[0], g.flat[-1] = 3 * max_value, -3 * max_value
    return Case({"gradients": gradients, "max_value": max_value}, None,
                _("keys {keys}, max_value = {max_value}").format(keys=", ".join(gradients), max_value=max_value))


def _clip_hint(case, got):
    gradients, max_value = case.kwargs.values()
    expected = rnn.clip(gradients, max_value)
    if matches(expected, got):
        return Hint("clip_in_place", _("your clipped values are right, but the caller's gradients changed too: "
                                       "np.clip(g, -max_value, max_value, out=g) writes into the caller's array. "
                                       "Build a new dictionary of new arrays: np.clip(g, -max_value, max_value)"))
    missed = [k for k in gradients if k in got and matches(gradients[k], got[k]) and not matches(expected[k], got[k])]
    if missed:
        return Hint("clip_missed_gradient", _("not clipped: {keys}. Clip every gradient in the dictionary — loop over "
                                              "gradients.items() rather than a list of names").format(
                                                  keys=", ".join(missed)))
    if matches({k: np.minimum(g, max_value) for k, g in gradients.items()}, got):
        return Hint("clip_one_sided", _("only the large positive values were clipped: clip into [−max_value, "
                                        "max_value], so large negative entries too"))
    return None


# ---- sample ------------------------------------------------------------------------------------------------------

SAMPLE_SCALE = {"Wax": 2.0, "Wya": 2.5, "by": 0.3}   # the next character depends on the input and the state


def _sample_case(rng, variant):
    n_a, vocabulary = distinct_dims(rng, 2, low=3, high=9)
    parameters = _rnn_parameters(rng, vocabulary, n_a, vocabulary)
    parameters = {k: v * SAMPLE_SCALE.get(k, 1.0) for k, v in parameters.items()}
    end_index = int(rng.integers(0, vocabulary))
    parameters["by"][end_index] -= 2.0              # words of several characters, not one
    max_length = 3 if variant == 2 else int(rng.integers(10, 16))
    seed = int(rng.integers(0, 100_000))
    return Case({"parameters": parameters, "end_index": end_index, "seed": seed, "max_length": max_length}, None,
                _("{vocabulary} characters, n_a = {n_a}, end_index = {end_index}, seed = {seed}, max_length = "
                  "{max_length}").format(vocabulary=vocabulary, n_a=n_a, end_index=end_index, seed=seed,
                                         max_length=max_length))


def sample_variant(parameters, end_index, seed, max_length, draw="choice", feed="one-hot", carry=True):
    """``rnn.sample`` with a known mistake: ``draw`` "argmax", "legacy" (np.random.seed) or "reseeded" (a new
    generator every step); ``feed`` "zeros" (x never updated) or "accumulate" (x not reset); ``carry=False``
    restarts the state from zeros at every step."""
    n_y, n_a = parameters["Wya"].shape
    legacy, rng = np.random.RandomState(seed), np.random.default_rng(seed)
    x, a0 = np.zeros((parameters["Wax"].shape[1], 1)), np.zeros((n_a, 1))
    a_prev, indices = a0, []
    while len(indices) < max_length and (not indices or indices[-1] != end_index):
        a_next, y = rnn.rnn_cell_forward(x, a_prev, parameters)[:2]
        generator = {"choice": rng, "legacy": legacy, "reseeded": np.random.default_rng(seed)}.get(draw)
        index = np.argmax(y) if draw == "argmax" else generator.choice(n_y, p=y.ravel())
        indices.append(int(index))
        if feed == "one-hot":
            x = np.zeros_like(x)
        if feed != "zeros":
            x[int(index)] = 1
        a_prev = a_next if carry else a0
    return indices


def _sample_hint(case, got):
    args = tuple(case.kwargs.values())
    got = [int(i) for i in got]
    for kwargs, hint in [
            ({"draw": "argmax"}, Hint("argmax_not_sampled", _(
                "you took the most likely character every time (argmax): draw it at random with those probabilities, "
                "rng.choice(n_y, p=y.ravel()), so that each sample differs"))),
            ({"draw": "reseeded"}, Hint("generator_reseeded", _(
                "a new np.random.default_rng(seed) was made at every step, so every step draws the same random "
                "number: make the generator once, before the loop"))),
            ({"draw": "legacy"}, Hint("legacy_random_seed", _(
                "these are the draws of np.random.seed(seed) + np.random.choice: this course draws from rng = "
                "np.random.default_rng(seed), rng.choice(n_y, p=y.ravel())"))),
            ({"feed": "zeros"}, Hint("input_not_fed_back", _(
                "x stayed all zeros: after drawing an index, the next input is that character's one-hot vector (x = "
                "zeros, then x[index] = 1)"))),
            ({"feed": "accumulate"}, Hint("input_not_reset", _(
                "x keeps the ones of earlier characters: start each step's x from zeros, then set x[index] = 1"))),
            ({"carry": False}, Hint("sample_state_restarted", _(
                "the state restarted from zeros at every step: carry a_prev = a_next from one character to the "
                "next")))]:
        if got == sample_variant(*args, **kwargs):
            return hint
    expected = rnn.sample(*args)
    if expected[-1] == case.kwargs["end_index"] and got == expected[:-1]:
        return Hint("end_not_included", _("the sampled end index is part of the result: append the index, then "
                                          "stop"))
    return None


# ---- lstm_cell_forward -----------------------------------------------------------------------------------------

def _lstm_case(rng, variant):
    n_x, n_a, n_y, m = _sizes(rng, variant)[:4]
    kwargs = {"xt": rng.normal(size=(n_x, m)), "a_prev": 0.5 * rng.normal(size=(n_a, m)),
              "c_prev": rng.normal(size=(n_a, m)), "parameters": _lstm_parameters(rng, n_x, n_a, n_y)}
    return Case(kwargs, m, f"n_x = {n_x}, n_a = {n_a}, n_y = {n_y}, m = {m}")


def lstm_cell_variant(xt, a_prev, c_prev, parameters, swap=False, concat_order="a, x", squash=True):
    """``(a_next, c_next)`` of an LSTM step with a known mistake: forget and update gates ``swap``ped, the stack
    in the order x, a, or a_next = ot ⊙ c_next without the tanh (``squash=False``)."""
    p = parameters
    parts = [a_prev, xt] if concat_order == "a, x" else [xt, a_prev]
    concat = np.concatenate(parts, axis=0)
    ft, it = sigmoid(p["Wf"] @ concat + p["bf"]), sigmoid(p["Wi"] @ concat + p["bi"])
    if swap:
        ft, it = it, ft
    c_next = ft * c_prev + it * np.tanh(p["Wc"] @ concat + p["bc"])
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    return ot * (np.tanh(c_next) if squash else c_next), c_next


def _lstm_hint(case, got):
    args = tuple(case.kwargs.values())
    for kwargs, hint in [
            ({"swap": True}, Hint("forget_update_swapped", _(
                "the forget and update gates are swapped: the forget gate ft multiplies the old cell, the update gate "
                "it the candidate — c_next = ft * c_prev + it * cct"))),
            ({"concat_order": "x, a"}, Hint("concat_order", _(
                "the stack is [xt; a_prev]: the gates' weights expect a_prev on top, concat = np.concatenate([a_prev, "
                "xt], axis=0)"))),
            ({"squash": False}, Hint("cell_tanh_missing", _("a_next = ot * c_next misses the tanh: a_next = ot * "
                                                            "tanh(c_next)")))]:
        a_next, c_next = lstm_cell_variant(*args, **kwargs)
        if matches(c_next, got[1]) and matches(a_next, got[0]):
            return hint
    return None


def _lstm_softmax_hint(case, got):
    return _softmax_axis_hint(got[2], case.m)


EXERCISES = {e.name: e for e in [
    Exercise("rnn_cell_forward", rnn.rnn_cell_forward, _cell_case, ("a_next", "yt_pred", "cache"),
             hints=(_cell_softmax_hint, _cell_state_hint, _cache_order_hint)),
    Exercise("rnn_forward", rnn.rnn_forward, _forward_case, ("a", "y_pred", "caches"), uses=("rnn_cell_forward",),
             hints=(_forward_state_hint, _forward_time_hint)),
    Exercise("rnn_cell_backward", rnn.rnn_cell_backward, _cell_backward_case, ("gradients",),
             hints=(_tanh_derivative_hint,)),
    Exercise("rnn_backward", rnn.rnn_backward, _backward_case, ("gradients",), uses=("rnn_cell_backward",),
             hints=(_bptt_hint,)),
    Exercise("clip", rnn.clip, _clip_case, ("gradients",), hints=(_clip_hint,)),
    Exercise("sample", rnn.sample, _sample_case, ("indices",), uses=("rnn_cell_forward",), hints=(_sample_hint,)),
    Exercise("lstm_cell_forward", rnn.lstm_cell_forward, _lstm_case, ("a_next", "c_next", "yt_pred", "cache"),
             hints=(_lstm_hint, _lstm_softmax_hint)),
]}

# What the notebook's setup cell imports by name: the activations the cells are written with.
check = Checker(EXERCISES, provided=(sigmoid, softmax))
