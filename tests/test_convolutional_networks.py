"""Assignment 13 "Convolutional networks from scratch": the solution passes, equivalent answers pass, and every
hint the checker gives on this assignment's functions is proven by planting that bug in a correct answer — the
test names the hint's id and finds its text in the report a learner reads."""

import functools

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.exercises import convolutional_networks
from course_tools import REPO, solution_code
from learner import cell, charged_once, plant_in
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


def planted(name, *replacements):
    """The checker's report on exercise ``name`` with each (old, new) replaced inside its definition; its ``hint`` is
    the id of the diagnosis the learner reads first."""
    source = SOLUTION
    for old, new in zip(replacements[::2], replacements[1::2]):
        source = plant_in(source, name, old, new)
    return failure(name, learner(source)[name])


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


def test_nncore_fast_path_and_loops_agree_on_every_check(capsys):
    """The vectorized reference (the expected values) and nncore's loop version, written apart from it the way the
    notebook teaches, agree on every case the checks draw. Both are the course's own code, so they are judged by a
    checker without the borrowing guard, as the sealed grader judges; the learner's ``check`` rightly refuses them
    (zero_pad and conv_single_step have one version only: there is nothing to compare)."""
    unguarded = Checker(convolutional_networks.EXERCISES, sealed=True)
    for name in ("conv_forward", "pool_forward", "conv_backward", "pool_backward"):
        for seed in (None, 7, 8):
            unguarded(name, getattr(conv, f"{name}_loops"), seed=seed)
    assert capsys.readouterr().out.count("✅") == 12
    assert failure("conv_forward", conv.conv_forward_loops).hint == "borrowed_reference"
    assert failure("conv_forward", conv.conv_forward).hint == "copied_reference"


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
    message = planted("zero_pad", "((0, 0), (pad, pad), (pad, pad), (0, 0))",
                      "((pad, pad), (pad, pad), (pad, pad), (0, 0))")
    assert message.hint == "padding_wrong_axes" and "the example axis got padded too" in message
    message = planted("zero_pad", "np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode=",
                      "np.pad(X, pad, mode=")
    assert message.hint == "padding_wrong_axes" and "the example and channel axis got padded too" in message


def test_hint_padding_on_one_side_only():
    message = planted("zero_pad", "(pad, pad), (pad, pad), (0, 0)", "(0, pad), (0, pad), (0, 0)")
    assert message.hint == "padding_one_side" and "both sides" in message


# ---- conv_single_step -----------------------------------------------------------------------------------

def test_hint_kernel_flipped_in_a_single_step():
    message = planted("conv_single_step", "s = a_slice_prev * W", "s = a_slice_prev * W[::-1, ::-1]")
    assert message.hint == "kernel_flipped"
    assert "mathematicians' convolution" in message and "cross-correlation" in message


def test_hint_bias_missing_in_a_single_step():
    message = planted("conv_single_step", "Z = Z + b.item()", "Z = Z")
    assert message.hint == "conv_bias_missing" and "the bias b is missing" in message


# ---- conv_forward -------------------------------------------------------------------------------------

def test_hint_kernel_flipped_in_conv_forward():
    message = planted("conv_forward", "conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c])",
                      "conv_single_step(a_slice_prev, W[::-1, ::-1, :, c], b[:, :, :, c])")
    assert message.hint == "kernel_flipped" and "cross-correlation" in message


def test_hint_bias_missing_in_conv_forward():
    message = planted("conv_forward", "b[:, :, :, c])", "np.zeros((1, 1, 1)))")
    assert message.hint == "conv_bias_missing" and "the bias b is missing" in message


def test_hint_output_size_off_by_one():
    message = planted("conv_forward", "n_H = (n_H_prev + 2 * pad - f) // stride + 1",
                      "n_H = (n_H_prev + 2 * pad - f) // stride")
    assert message.hint == "output_size_off_by_one" and "⌊(n_H_prev + 2·pad − f) / stride⌋ + 1" in message
    message = planted("conv_forward", "n_W = (n_W_prev + 2 * pad - f) // stride + 1",   # rounded up: the loop
                      "n_W = -(-(n_W_prev + 2 * pad - f) // stride) + 1")              # reads past the edge
    assert message.hint_ids == ("shapes_do_not_broadcast",) and "test case 1" in message
    assert "could not be broadcast" in message
    message = planted("pool_forward", "n_H = (n_H_prev - f) // stride + 1", "n_H = (n_H_prev - f) // stride")
    assert message.hint == "output_size_off_by_one"


# Every window starts at (h, w), as if the stride were 1.
STRIDE_IGNORED = ("vert_start = h * stride", "vert_start = h", "horiz_start = w * stride", "horiz_start = w")


def test_hint_stride_ignored_in_forward():
    message = planted("conv_forward", *STRIDE_IGNORED)
    assert message.hint == "stride_ignored_forward" and "vert_start = h·stride" in message
    message = planted("conv_forward", *STRIDE_IGNORED,
                      "n_H = (n_H_prev + 2 * pad - f) // stride + 1", "n_H = n_H_prev + 2 * pad - f + 1",
                      "n_W = (n_W_prev + 2 * pad - f) // stride + 1", "n_W = n_W_prev + 2 * pad - f + 1")
    assert message.hint == "output_size_ignores_stride" and "size of a stride-1 result" in message
    assert planted("pool_forward", *STRIDE_IGNORED).hint == "stride_ignored_forward"


def test_hint_channels_and_width_swapped():
    message = planted("conv_forward", "Z = np.zeros((m, n_H, n_W, n_C))", "Z = np.zeros((m, n_H, n_C, n_W))",
                      "Z[i, h, w, c] =", "Z[i, h, c, w] =")
    assert message.hint == "channels_width_swapped" and "channels last" in message
    message = planted("pool_forward", "A = np.zeros((m, n_H, n_W, n_C))", "A = np.zeros((m, n_H, n_C, n_W))",
                      "A[i, h, w, c] = np.max", "A[i, h, c, w] = np.max")
    assert message.hint == "channels_width_swapped"


def test_hint_padded_input_in_the_cache():
    message = planted("conv_forward", "cache = (A_prev, W, b, hparameters)\n",
                      "cache = (A_prev_pad, W, b, hparameters)\n")
    assert message.hint == "cache_padded" and "keep the A_prev you were given" in message


def test_a_broken_zero_pad_is_charged_to_zero_pad_once_and_named_in_the_conv_forward_report(capsys, monkeypatch):
    ns = learner(plant_in(SOLUTION, "zero_pad", "(pad, pad), (pad, pad), (0, 0)", "(0, pad), (0, pad), (0, 0)"))
    assert failure("zero_pad", ns["zero_pad"]).hint == "padding_one_side"
    charged_once(check, "conv_forward", ns["conv_forward"], "zero_pad", capsys, monkeypatch)


# ---- pool_forward --------------------------------------------------------------------------------------

def test_hint_pool_mode_ignored():
    message = planted("pool_forward", "if mode == \"max\":", "if True:")
    assert message.hint == "pool_mode_ignored" and "this is max pooling, but mode is 'average'" in message


# ---- conv_backward ------------------------------------------------------------------------------------

def test_hint_stride_ignored_in_backward():
    message = planted("conv_backward", *STRIDE_IGNORED)
    assert message.hint == "stride_ignored_backward" and "stride is ignored in the backward pass" in message
    assert planted("pool_backward", *STRIDE_IGNORED).hint == "stride_ignored_backward"


def test_hint_kernel_flipped_in_backward():
    message = planted("conv_backward", "W[:, :, :, c] * dZ[i, h, w, c]", "W[::-1, ::-1, :, c] * dZ[i, h, w, c]")
    assert message.hint == "kernel_flipped_backward" and "no flip" in message


def test_hint_db_summed_over_the_wrong_axes():
    message = planted("conv_backward", "db = db / m", "db = np.sum(dZ, axis=(1, 2), keepdims=True) / m")
    assert message.hint == "db_wrong_axes" and "sums dZ over the examples and both position axes" in message
    message = planted("conv_backward", "db = db / m", "db = np.sum(dZ) / m")
    assert message.hint == "db_wrong_axes" and "one number per channel" in message
    message = planted("conv_backward", "db = db / m", "db = np.sum(dZ, axis=(0, 1, 2)) / m")
    assert message.hint == "db_shape_not_kept" and "keep the shape of b" in message


def test_hint_cropping_dA_prev():
    message = planted("conv_backward", "dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]",
                      "dA_prev_pad[:, pad:-pad, pad:-pad, :]")
    assert message.hint == "crop_with_zero_pad" and "test case 3" in message and "dA_prev is empty" in message
    message = planted("conv_backward", "dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]",
                      "dA_prev = dA_prev_pad")
    assert message.hint == "padding_not_removed" and "still has the padding" in message


def test_dW_summed_as_in_the_original_notebook_gets_the_generic_1_over_m_hint():
    message = planted("conv_backward", "dW = dW / m", "dW = dW")
    assert message.hint_ids == ("missing_1_over_m",) and "the 1/m (averaging over the examples) is missing" in message


# ---- pool_backward ------------------------------------------------------------------------------------

def test_hint_max_pool_mask_keeps_every_tie():
    message = planted("pool_backward", "mask = np.zeros(window.shape)\n", "mask = window == np.max(window)\n",
                      "                        mask[np.unravel_index(np.argmax(window), window.shape)] = 1\n", "")
    assert message.hint == "mask_keeps_ties" and "marks just one" in message


def test_hint_overlapping_windows_overwritten():
    message = planted("pool_backward", "horiz_start:horiz_end, c] += mask", "horiz_start:horiz_end, c] = mask")
    assert message.hint == "overlap_overwritten" and "add each window's share (+=)" in message


def test_hint_average_not_spread():
    message = planted("pool_backward", "+= dA[i, h, w, c] / (f * f)", "+= dA[i, h, w, c]")
    assert message.hint == "average_not_spread" and "dA / (f·f)" in message


def test_hint_pool_backward_mode_ignored():
    message = planted("pool_backward", "if mode == \"max\":", "if True:")
    assert message.hint == "pool_mode_ignored" and "backward pass of max pooling" in message


# ---- LeNet ----------------------------------------------------------------------------------------------

def test_hint_relu_missing_after_the_convolutions():
    message = planted("lenet_forward", "pool_forward(relu(Z), pool_hparameters", "pool_forward(Z, pool_hparameters")
    assert message.hint == "relu_missing_after_conv"
    assert "A = relu(Z) comes between conv_forward and pool_forward" in message


def test_hint_relu_after_pooling():
    message = planted("lenet_forward", "= pool_forward(relu(Z), pool_hparameters, \"max\")",
                      "= pool_forward(Z, pool_hparameters, \"max\")\n        A = relu(A)")
    assert message.hint == "relu_after_pool" and "conv → ReLU → pool" in message


def test_hint_lenet_backward_errors_start_in_the_convolutional_part():
    message = planted("lenet_backward", "dZ = relu_backward(pool_backward(dA, caches[f\"pool{l}\"], \"max\"), Z)",
                      "dZ = pool_backward(dA, caches[f\"pool{l}\"], \"max\")")
    assert message.hint == "conv_part_wrong" and "the dense layers' gradients are right" in message


def test_a_broken_pool_backward_is_charged_once_and_named_in_the_lenet_backward_report(capsys, monkeypatch):
    source = plant_in(SOLUTION, "pool_backward", "+= dA[i, h, w, c] / (f * f)", "+= dA[i, h, w, c]")
    source = plant_in(source, "pool_backward", "if mode == \"max\":", "if mode == \"maximum\":")
    ns = learner(source)
    assert "pool_backward is not right yet" in failure("pool_backward", ns["pool_backward"])
    passed, written = charged_once(check, "lenet_backward", ns["lenet_backward"], "pool_backward", capsys, monkeypatch)
    assert "your conv_backward" not in passed and "calls your conv_backward" not in written   # it is right
