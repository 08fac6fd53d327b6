"""Assignment 13 "Convolutional networks from scratch": the solution passes, equivalent answers pass, and every
hint the checker gives on this assignment's functions is proven by planting that bug in a correct answer — the
test names the hint's id and finds its text in the report a learner reads."""

import copy
import functools

import numpy as np

from autograder.learner.exercises import convolutional_networks
from course_tools import REPO, solution_code
from learner import cell, plant_in
from learner import failure as report
from nncore import activations, conv, layers

check = convolutional_networks.check

# What the notebook's setup cell gives the learner besides numpy.
GIVEN = {"relu": activations.relu, "relu_backward": activations.relu_backward, "flatten": conv.flatten,
         "unflatten": conv.unflatten, "linear_activation_forward": layers.linear_activation_forward,
         "linear_activation_backward": layers.linear_activation_backward, "linear_backward": layers.linear_backward}

# The notebook's solution, as a learner would write it (the loop version it teaches), read from the source notebook.
NOTEBOOK = REPO / "course" / "source" / "13_convolutional_networks" / "convolutional_networks.ipynb"
SOLUTION = "".join(f"\n{code}\n" for code in solution_code(NOTEBOOK).values())

NAMES = list(convolutional_networks.EXERCISES)
failure = functools.partial(report, check)


def learner(source):
    """The learner's functions defined by ``source``, with what the notebook gives them."""
    return cell(source, **GIVEN)


def diagnosis(name, fn):
    """The id of the exercise-specific hint the checker gives ``fn`` on its first failing case (None if none)."""
    exercise = check.exercises[name]
    for case in exercise.cases(0):
        if check.problems(exercise, fn, case):
            try:
                got = fn(*copy.deepcopy(case.kwargs).values())
            except Exception:  # a crash gets the checker's exception report, no hint
                return None
            found = [hint(case, got) for hint in exercise.hints]
            return next((h.id for h in found if h), None)
    return None


def planted(name, *replacements):
    """(report, hint id) for exercise ``name`` with each (old, new) replaced inside its definition."""
    source = SOLUTION
    for old, new in zip(replacements[::2], replacements[1::2]):
        source = plant_in(source, name, old, new)
    fn = learner(source)[name]
    return failure(name, fn), diagnosis(name, fn)


def replaced(name, source):
    """(report, hint id) for exercise ``name`` defined by ``source`` (a whole answer) after the solution."""
    fn = learner(SOLUTION + source)[name]
    return failure(name, fn), diagnosis(name, fn)


# ---- the solution and equivalent answers pass -----------------------------------------------------------

def test_every_exercise_is_in_the_registry_and_the_solution_passes_visible_and_hidden(capsys):
    ns = learner(SOLUTION)
    assert NAMES == ["zero_pad", "conv_single_step", "conv_forward", "pool_forward", "conv_backward",
                     "pool_backward", "lenet_forward", "lenet_backward"]
    for name in NAMES:
        check(name, ns[name])
        check(name, ns[name], seed=4242)
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 * len(NAMES) and out.err == ""


def test_nncore_fast_path_passes_every_check():
    """The vectorized reference passes the checks the loop solution passes (they agree on every case)."""
    for name in ("zero_pad", "conv_single_step", "conv_forward", "pool_forward", "conv_backward", "pool_backward"):
        check(name, getattr(conv, name), seed=7)
        check(name, getattr(conv, f"{name}_loops", getattr(conv, name)), seed=8)


def test_cases_exercise_what_the_hints_need():
    """Strided cases leave a remainder (floor ≠ ceiling), pooling windows hold ties, sizes are distinct."""
    for seed in (0, 1, 2, 3):
        forward = check.exercises["conv_forward"].cases(seed)
        for case in forward:
            A_prev, W, _, hp = case.kwargs.values()
            if hp["stride"] > 1:
                assert (A_prev.shape[1] + 2 * hp["pad"] - W.shape[0]) % hp["stride"]
            Z = conv.conv_forward(*case.kwargs.values())[0]
            assert Z.shape[2] != Z.shape[3] and A_prev.shape[1] != A_prev.shape[2]
        assert [c.kwargs["hparameters"]["pad"] for c in forward] == [1, 2, 0] and forward[2].m == 1
        pool = check.exercises["pool_backward"].cases(seed)[0]
        A_prev, hp = pool.kwargs["cache"]
        f, stride = hp["f"], hp["stride"]
        windows = [A_prev[:, h:h + f, w:w + f] for h in range(0, A_prev.shape[1] - f + 1, stride)
                   for w in range(0, A_prev.shape[2] - f + 1, stride)]
        assert any(np.sum(win == win.max(axis=(1, 2), keepdims=True)) > win.shape[0] * win.shape[3] for win in windows)


def test_equivalent_formulations_pass():
    vectorized = '''
def zero_pad(X, pad):
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C))
    X_pad[:, pad:pad + n_H, pad:pad + n_W, :] = X
    return X_pad

def conv_single_step(a_slice_prev, W, b):
    return float(np.sum(np.multiply(a_slice_prev, W)) + float(b[0, 0, 0]))

def pool_forward(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = int((n_H_prev - f) / stride) + 1, int((n_W_prev - f) / stride) + 1
    A = np.zeros((m, n_H, n_W, n_C))
    reduce = np.max if mode == "max" else np.mean
    for h in range(n_H):
        for w in range(n_W):
            A[:, h, w, :] = reduce(A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :], axis=(1, 2))
    return A, (A_prev, hparameters)

def conv_forward(A_prev, W, b, hparameters):
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    n_H, n_W = (n_H_prev + 2 * pad - f) // stride + 1, (n_W_prev + 2 * pad - f) // stride + 1
    A_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, W.shape[3]))
    for h in range(n_H):
        for w in range(n_W):
            window = A_pad[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            Z[:, h, w, :] = np.tensordot(window, W, axes=([1, 2, 3], [0, 1, 2])) + b[0, 0, 0]
    return Z, (A_prev, W, b, hparameters)
'''
    ns = learner(vectorized)
    for name in ("zero_pad", "conv_single_step", "pool_forward", "conv_forward"):
        check(name, ns[name])
    ns = learner(plant_in(SOLUTION, "pool_backward", "mask[np.unravel_index(np.argmax(window), window.shape)] = 1",
                          "mask.flat[np.argmax(window)] = 1"))
    check("pool_backward", ns["pool_backward"])


# ---- zero_pad -----------------------------------------------------------------------------------------

def test_hint_padding_on_the_example_or_channel_axis():
    message, hint = planted("zero_pad", "((0, 0), (pad, pad), (pad, pad), (0, 0))",
                            "((pad, pad), (pad, pad), (pad, pad), (0, 0))")
    assert hint == "padding_wrong_axes" and "the example axis got padded too" in message
    message, hint = planted("zero_pad", "np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode=",
                            "np.pad(X, pad, mode=")
    assert hint == "padding_wrong_axes" and "the example and channel axis got padded too" in message


def test_hint_padding_on_one_side_only():
    message, hint = planted("zero_pad", "(pad, pad), (pad, pad), (0, 0)", "(0, pad), (0, pad), (0, 0)")
    assert hint == "padding_one_side" and "both sides" in message


# ---- conv_single_step -----------------------------------------------------------------------------------

def test_hint_kernel_flipped_in_a_single_step():
    message, hint = planted("conv_single_step", "s = a_slice_prev * W", "s = a_slice_prev * W[::-1, ::-1]")
    assert hint == "kernel_flipped" and "mathematicians' convolution" in message and "cross-correlation" in message


def test_hint_bias_missing_in_a_single_step():
    message, hint = planted("conv_single_step", "Z = Z + b.item()", "Z = Z")
    assert hint == "bias_missing" and "the bias b is missing" in message


# ---- conv_forward -------------------------------------------------------------------------------------

def test_hint_kernel_flipped_in_conv_forward():
    message, hint = planted("conv_forward", "conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c])",
                            "conv_single_step(a_slice_prev, W[::-1, ::-1, :, c], b[:, :, :, c])")
    assert hint == "kernel_flipped" and "cross-correlation" in message


def test_hint_bias_missing_in_conv_forward():
    message, hint = planted("conv_forward", "b[:, :, :, c])", "np.zeros((1, 1, 1)))")
    assert hint == "bias_missing" and "the bias b is missing" in message


def test_hint_output_size_off_by_one():
    message, hint = planted("conv_forward", "n_H = (n_H_prev + 2 * pad - f) // stride + 1",
                            "n_H = (n_H_prev + 2 * pad - f) // stride")
    assert hint == "output_size_off_by_one" and "⌊(n_H_prev + 2·pad − f) / stride⌋ + 1" in message
    message, hint = planted("conv_forward", "n_W = (n_W_prev + 2 * pad - f) // stride + 1",   # rounded up: the loop
                            "n_W = -(-(n_W_prev + 2 * pad - f) // stride) + 1")        # reads past the edge
    assert hint is None and "test case 1" in message and "could not be broadcast" in message
    message, hint = planted("pool_forward", "n_H = (n_H_prev - f) // stride + 1", "n_H = (n_H_prev - f) // stride")
    assert hint == "output_size_off_by_one"


def test_hint_stride_ignored_in_forward():
    message, hint = planted("conv_forward", "vert_start = h * stride", "vert_start = h",
                            "horiz_start = w * stride", "horiz_start = w")
    assert hint == "stride_ignored_forward" and "vert_start = h·stride" in message
    message, hint = planted("conv_forward",
                            "n_H = (n_H_prev + 2 * pad - f) // stride + 1", "n_H = n_H_prev + 2 * pad - f + 1",
                            "n_W = (n_W_prev + 2 * pad - f) // stride + 1", "n_W = n_W_prev + 2 * pad - f + 1",
                            "vert_start = h * stride", "vert_start = h", "horiz_start = w * stride", "horiz_start = w")
    assert hint == "stride_ignored_forward" and "size of a stride-1 result" in message
    message, hint = planted("pool_forward", "vert_start = h * stride", "vert_start = h",
                            "horiz_start = w * stride", "horiz_start = w")
    assert hint == "stride_ignored_forward"


def test_hint_channels_and_width_swapped():
    message, hint = planted("conv_forward", "Z = np.zeros((m, n_H, n_W, n_C))", "Z = np.zeros((m, n_H, n_C, n_W))",
                            "Z[i, h, w, c] =", "Z[i, h, c, w] =")
    assert hint == "channels_width_swapped" and "channels last" in message
    message, hint = planted("pool_forward", "A = np.zeros((m, n_H, n_W, n_C))", "A = np.zeros((m, n_H, n_C, n_W))",
                            "A[i, h, w, c] = np.max", "A[i, h, c, w] = np.max")
    assert hint == "channels_width_swapped"


def test_hint_padded_input_in_the_cache():
    message, hint = planted("conv_forward", "cache = (A_prev, W, b, hparameters)\n",
                            "cache = (A_prev_pad, W, b, hparameters)\n")
    assert hint == "cache_padded" and "keep the A_prev you were given" in message


def test_a_broken_zero_pad_is_named_in_the_conv_forward_report():
    source = plant_in(SOLUTION, "zero_pad", "(pad, pad), (pad, pad), (0, 0)", "(0, pad), (0, pad), (0, 0)")
    message = failure("conv_forward", learner(source)["conv_forward"])
    assert "calls your zero_pad, which does not pass its own check yet" in message


# ---- pool_forward --------------------------------------------------------------------------------------

def test_hint_pool_mode_ignored():
    message, hint = planted("pool_forward", "if mode == \"max\":", "if True:")
    assert hint == "pool_mode_ignored" and "this is max pooling, but mode is 'average'" in message


# ---- conv_backward ------------------------------------------------------------------------------------

def test_hint_stride_ignored_in_backward():
    message, hint = planted("conv_backward", "vert_start = h * stride", "vert_start = h",
                            "horiz_start = w * stride", "horiz_start = w")
    assert hint == "stride_ignored_backward" and "stride is ignored in the backward pass" in message
    message, hint = planted("pool_backward", "vert_start = h * stride", "vert_start = h",
                            "horiz_start = w * stride", "horiz_start = w")
    assert hint == "stride_ignored_backward"


def test_hint_kernel_flipped_in_backward():
    message, hint = planted("conv_backward", "W[:, :, :, c] * dZ[i, h, w, c]", "W[::-1, ::-1, :, c] * dZ[i, h, w, c]")
    assert hint == "kernel_flipped" and "no flip" in message


def test_hint_db_summed_over_the_wrong_axes():
    message, hint = planted("conv_backward", "db = db / m", "db = np.sum(dZ, axis=(1, 2), keepdims=True) / m")
    assert hint == "db_wrong_axes" and "sums dZ over the examples and both position axes" in message
    message, hint = planted("conv_backward", "db = db / m", "db = np.sum(dZ) / m")
    assert hint == "db_wrong_axes" and "one number per channel" in message
    message, hint = planted("conv_backward", "db = db / m", "db = np.sum(dZ, axis=(0, 1, 2)) / m")
    assert hint == "db_wrong_axes" and "keep the shape of b" in message


def test_hint_cropping_dA_prev():
    message, hint = planted("conv_backward", "dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]",
                            "dA_prev_pad[:, pad:-pad, pad:-pad, :]")
    assert hint == "crop_with_zero_pad" and "test case 3" in message and "dA_prev is empty" in message
    message, hint = planted("conv_backward", "dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]",
                            "dA_prev = dA_prev_pad")
    assert hint == "padding_not_removed" and "still has the padding" in message


def test_dW_summed_as_in_the_original_notebook_gets_the_generic_1_over_m_hint():
    message, hint = planted("conv_backward", "dW = dW / m", "dW = dW")
    assert hint is None and "the 1/m (averaging over the examples) is missing" in message


# ---- pool_backward ------------------------------------------------------------------------------------

def test_hint_max_pool_mask_keeps_every_tie():
    message, hint = planted("pool_backward", "mask = np.zeros(window.shape)\n", "mask = window == np.max(window)\n",
                            "                        mask[np.unravel_index(np.argmax(window), window.shape)] = 1\n", "")
    assert hint == "mask_keeps_ties" and "marks just one" in message


def test_hint_overlapping_windows_overwritten():
    message, hint = planted("pool_backward", "horiz_start:horiz_end, c] += mask", "horiz_start:horiz_end, c] = mask")
    assert hint == "overlap_overwritten" and "add each window's share (+=)" in message


def test_hint_average_not_spread():
    message, hint = planted("pool_backward", "+= dA[i, h, w, c] / (f * f)", "+= dA[i, h, w, c]")
    assert hint == "average_not_spread" and "dA / (f·f)" in message


def test_hint_pool_backward_mode_ignored():
    message, hint = planted("pool_backward", "if mode == \"max\":", "if True:")
    assert hint == "pool_mode_ignored" and "backward pass of max pooling" in message


# ---- LeNet ----------------------------------------------------------------------------------------------

def test_hint_relu_missing_after_the_convolutions():
    message, hint = planted("lenet_forward", "pool_forward(relu(Z), pool_hparameters",
                            "pool_forward(Z, pool_hparameters")
    assert hint == "relu_missing_after_conv" and "A = relu(Z) comes between conv_forward and pool_forward" in message


def test_hint_relu_after_pooling():
    message, hint = planted("lenet_forward", "= pool_forward(relu(Z), pool_hparameters, \"max\")",
                            "= pool_forward(Z, pool_hparameters, \"max\")\n        A = relu(A)")
    assert hint == "relu_after_pool" and "conv → ReLU → pool" in message


def test_hint_lenet_backward_errors_start_in_the_convolutional_part():
    message, hint = planted("lenet_backward", "dZ = relu_backward(pool_backward(dA, caches[f\"pool{l}\"], \"max\"), Z)",
                            "dZ = pool_backward(dA, caches[f\"pool{l}\"], \"max\")")
    assert hint == "conv_part_wrong" and "the dense layers' gradients are right" in message


def test_a_broken_pool_backward_is_named_in_the_lenet_backward_report():
    source = plant_in(SOLUTION, "pool_backward", "+= dA[i, h, w, c] / (f * f)", "+= dA[i, h, w, c]")
    source = plant_in(source, "pool_backward", "if mode == \"max\":", "if mode == \"maximum\":")
    message = failure("lenet_backward", learner(source)["lenet_backward"])
    assert "calls your pool_backward, which does not pass its own check yet" in message
