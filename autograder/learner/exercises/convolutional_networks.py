"""Assignment 13 "Convolutional networks from scratch": padding, convolution, pooling, their backward passes and
LeNet-5 assembled from them, checked against ``nncore.conv`` and ``nncore.lenet``.

Cases keep every size distinct (m, heights, widths, channels), so a swapped axis shows in a shape; strided cases
have a height whose (n + 2p − f) is not a multiple of the stride, so floor and ceiling differ; pooling inputs are
small integers, so windows hold ties. Backward cases are built by running nncore's forward pass (consistent
caches). Each exercise-specific hint recomputes what a known mistake gives and names the mistake when it matches.
"""

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise, distinct_dims, examples
from nncore.i18n import _
from nncore import activations, conv, layers, lenet, training

# ---- cases ----------------------------------------------------------------------------------------------


def _sizes(rng, variant, k):
    """m followed by k more sizes, all different (m = 1 in the edge variant)."""
    m = examples(rng, variant, 2, 4)
    sizes = distinct_dims(rng, k + 3, 2, 9)
    return m, [s for s in sizes if s != m][:k]


def _image_size(rng, f, pad, stride):
    """A height n ≥ f − 2·pad whose (n + 2·pad − f) leaves a remainder when the stride is 2 or more."""
    n = int(rng.integers(max(f - 2 * pad, 1) + 2, 10))
    while stride > 1 and (n + 2 * pad - f) % stride == 0:
        n += 1
    return n


def _conv_setting(rng, variant):
    """A_prev, W, b, hparameters: variant 0 stride 2 with padding, 1 stride 1 pad 2, 2 (m = 1) stride 2 no pad."""
    stride, pad = [(2, 1), (1, 2), (2, 0)][variant]
    f = int(rng.choice([2, 3])) if variant != 1 else 3
    m, (n_C_prev, n_C) = _sizes(rng, variant, 2)
    n_H_prev = _image_size(rng, f, pad, stride)
    n_W_prev = _image_size(rng, f, pad, stride)
    while n_W_prev == n_H_prev or conv.output_size(n_W_prev, f, pad, stride) in (n_C, n_C_prev):
        n_W_prev += 1
    A_prev = rng.normal(size=(m, n_H_prev, n_W_prev, n_C_prev))
    W = rng.normal(size=(f, f, n_C_prev, n_C))
    b = rng.normal(size=(1, 1, 1, n_C))
    label = (f"A_prev (m, n_H_prev, n_W_prev, n_C_prev) = {A_prev.shape}, W (f, f, n_C_prev, n_C) = {W.shape}, "
             f"stride = {stride}, pad = {pad}")
    return A_prev, W, b, {"stride": stride, "pad": pad}, label


def _pool_setting(rng, variant):
    """Integer-valued A_prev (ties in windows): variant 0 max f 3 stride 2 (overlapping), 1 average, 2 (m = 1) max."""
    f, stride, mode = [(3, 2, "max"), (2, 2, "average"), (2, 1, "max")][variant]
    m, (n_C,) = _sizes(rng, variant, 1)
    n_H_prev = _image_size(rng, f, 0, stride)
    n_W_prev = _image_size(rng, f, 0, stride)
    while n_W_prev == n_H_prev or conv.output_size(n_W_prev, f, 0, stride) == n_C:
        n_W_prev += 1
    A_prev = rng.integers(0, 4, size=(m, n_H_prev, n_W_prev, n_C)).astype(np.float64)
    label = f"A_prev (m, n_H_prev, n_W_prev, n_C) = {A_prev.shape}, f = {f}, stride = {stride}, mode = {mode!r}"
    return A_prev, {"f": f, "stride": stride}, mode, label


def _zero_pad_case(rng, variant):
    m, (n_H, n_W, n_C) = _sizes(rng, variant, 3)
    pad = int(rng.integers(1, 4))
    X = rng.normal(size=(m, n_H, n_W, n_C))
    return Case({"X": X, "pad": pad}, m, f"X (m, n_H, n_W, n_C) = {X.shape}, pad = {pad}")


def _conv_single_step_case(rng, variant):
    f, n_C_prev = int(rng.integers(2, 5)), [3, 2, 1][variant]
    a_slice = rng.normal(size=(f, f, n_C_prev))
    return Case({"a_slice_prev": a_slice, "W": rng.normal(size=(f, f, n_C_prev)), "b": rng.normal(size=(1, 1, 1))},
                None, _("a_slice_prev and W of shape {shape}").format(shape=a_slice.shape))


def _conv_forward_case(rng, variant):
    A_prev, W, b, hparameters, label = _conv_setting(rng, variant)
    return Case({"A_prev": A_prev, "W": W, "b": b, "hparameters": hparameters}, A_prev.shape[0], label)


def _conv_backward_case(rng, variant):
    A_prev, W, b, hparameters, label = _conv_setting(rng, variant)
    Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
    return Case({"dZ": rng.normal(size=Z.shape), "cache": cache}, A_prev.shape[0], label)


def _pool_forward_case(rng, variant):
    A_prev, hparameters, mode, label = _pool_setting(rng, variant)
    return Case({"A_prev": A_prev, "hparameters": hparameters, "mode": mode}, A_prev.shape[0], label)


def _pool_backward_case(rng, variant):
    A_prev, hparameters, mode, label = _pool_setting(rng, variant)
    A, cache = conv.pool_forward(A_prev, hparameters, mode)
    return Case({"dA": rng.normal(size=A.shape), "cache": cache, "mode": mode}, A_prev.shape[0], label)


# ---- what known mistakes compute ------------------------------------------------------------------------


def _top_left(d_out, shape):
    """``d_out`` in the top-left corner of a zero array of ``shape``."""
    extended = np.zeros(shape)
    extended[:, :d_out.shape[1], :d_out.shape[2]] = d_out
    return extended


def _conv_backward_stride_ignored(dZ, cache):
    """conv_backward with windows starting at h and w instead of h·stride and w·stride."""
    A_prev, W, b, hparameters = cache
    stride_one = {**hparameters, "stride": 1}
    Z_stride_one = conv.conv_forward(A_prev, W, b, stride_one)[0]
    return conv.conv_backward(_top_left(dZ, Z_stride_one.shape), (A_prev, W, b, stride_one))


def _pool_backward_stride_ignored(dA, cache, mode):
    """pool_backward with windows starting at h and w instead of h·stride and w·stride."""
    A_prev, hparameters = cache
    stride_one = {**hparameters, "stride": 1}
    A_stride_one = conv.pool_forward(A_prev, stride_one, mode)[0]
    return conv.pool_backward(_top_left(dA, A_stride_one.shape), (A_prev, stride_one), mode)


def _pool_backward_by_window(dA, cache, share, accumulate=True):
    """Pool backward one window position at a time, each window receiving ``share(window, dA_window)``; with
    ``accumulate=False`` a window overwrites what an overlapping one wrote before (= instead of +=)."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros(A_prev.shape)
    for h in range(dA.shape[1]):
        for w in range(dA.shape[2]):
            rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
            part = share(A_prev[:, rows, cols, :], dA[:, h:h + 1, w:w + 1, :])
            dA_prev[:, rows, cols, :] = dA_prev[:, rows, cols, :] + part if accumulate else part
    return dA_prev


def _every_tie(window, dA_window):
    return (window == window.max(axis=(1, 2), keepdims=True)) * dA_window


def _first_max(window, dA_window):
    m, f_h, f_w, n_C = window.shape
    first = np.argmax(window.reshape(m, f_h * f_w, n_C), axis=1)
    mask = np.arange(f_h * f_w)[None, :, None] == first[:, None, :]
    return mask.reshape(window.shape) * dA_window


# ---- hints ----------------------------------------------------------------------------------------------
# A diagnosis that several exercises share (the same mistake in each) is built by one function below.

_OTHER_MODE = {"max": "average", "average": "max"}


def _kernel_flipped():
    return Hint("kernel_flipped", _(
        "the kernel is flipped by 180°: that is the mathematicians' convolution. What convolutional layers compute "
        "(and the lectures call convolution) is the cross-correlation: multiply each window entry by the W entry at "
        "the same position, W[i, j], without flipping"))


def _conv_bias_missing():
    return Hint("conv_bias_missing", _("the bias b is missing: Z = Σ a_slice_prev ⊙ W + b, with each filter's "
                                       "b[..., c] added at every position"))


def _stride_ignored_forward():
    return Hint("stride_ignored_forward", _("your windows start at h and w: with a stride they start at vert_start = "
                                            "h·stride and horiz_start = w·stride"))


def _stride_ignored_backward():
    return Hint("stride_ignored_backward", _(
        "the stride is ignored in the backward pass: the window of output position (h, w) starts at vert_start = "
        "h·stride, horiz_start = w·stride, exactly as in the forward pass"))


def _pool_mode_ignored(mode, backward=False):
    """``mode`` was ignored: the result is that of the other pooling (its forward or its backward pass)."""
    return Hint("pool_mode_ignored", (
        _("this is the backward pass of {other}, but mode is {mode}: choose the gradient by mode") if backward
        else _("this is {other}, but mode is {mode}: choose np.max or np.mean by mode")).format(
            other=_("average pooling") if mode == "max" else _("max pooling"), mode=repr(mode)))


def _first_output(got):
    """The first returned value of a (value, cache) pair, or ``got`` itself, as an array."""
    return np.asarray(got[0] if isinstance(got, (tuple, list)) else got, dtype=np.float64)


def _axes_swapped(reference):
    """A hint for an exercise whose (first) result is an image batch: width and channel axes swapped."""
    def hint(case, got):
        expected, out = _first_output(reference(*case.kwargs.values())), _first_output(got)
        swapped = expected.shape[:2] + expected.shape[:1:-1]
        if expected.ndim == 4 and expected.shape[2] != expected.shape[3] and out.shape == swapped:
            return Hint("channels_width_swapped", _(
                "your result has shape {got}, expected {expected}: the width and channel axes are swapped. Images "
                "are (m, n_H, n_W, n_C), channels last; filters are (f, f, n_C_prev, n_C)").format(
                    got=out.shape, expected=expected.shape))
        return None
    return hint


def _padding_axes_hint(case, got):
    X, pad = case.kwargs["X"], case.kwargs["pad"]
    out = np.asarray(got)
    grown = {axis for axis in range(min(out.ndim, 4)) if out.shape[axis] == X.shape[axis] + 2 * pad}
    if out.ndim == 4 and grown & {0, 3}:
        axes = {(True, False): _("the example axis"), (False, True): _("the channel axis"),
                (True, True): _("the example and channel axis")}[0 in grown, 3 in grown]
        return Hint("padding_wrong_axes", _("your result has shape {shape}: {axes} got padded too. Pad only the "
                                            "height and width: np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))")
                    .format(shape=out.shape, axes=axes))
    if out.ndim == 4 and out.shape == (X.shape[0], X.shape[1] + pad, X.shape[2] + pad, X.shape[3]):
        return Hint("padding_one_side", _("pad zeros on both sides of the height and width: (pad, pad), not (0, pad)"))
    return None


def _conv_single_step_hint(case, got):
    a, W, b = case.kwargs.values()
    if matches(float(np.sum(a * W[::-1, ::-1]) + b.sum()), got):
        return _kernel_flipped()
    if matches(float(np.sum(a * W)), got):
        return _conv_bias_missing()
    return None


def _output_size_hint(case, got):
    A_prev, hparameters = case.kwargs["A_prev"], case.kwargs["hparameters"]
    f = case.kwargs["W"].shape[0] if "W" in case.kwargs else hparameters["f"]
    stride, pad = hparameters["stride"], hparameters.get("pad", 0)
    out = _first_output(got)
    expected = [conv.output_size(n, f, pad, stride) for n in A_prev.shape[1:3]]
    if out.ndim != 4 or list(out.shape[1:3]) == expected:
        return None
    if stride > 1 and list(out.shape[1:3]) == [conv.output_size(n, f, pad, 1) for n in A_prev.shape[1:3]]:
        return Hint("output_size_ignores_stride", _(
            "your output has the size of a stride-1 result {size}: with stride {stride} the windows step {stride} "
            "pixels, n_H = ⌊(n_H_prev + 2·pad − f)/stride⌋ + 1").format(size=out.shape[1:3], stride=stride))
    if all(abs(g - e) <= 1 for g, e in zip(out.shape[1:3], expected)):
        return Hint("output_size_off_by_one", _(
            "your output is {n_H} × {n_W}, expected {expected_H} × {expected_W}: the size is n_H = ⌊(n_H_prev + "
            "2·pad − f) / stride⌋ + 1 — round down (// or int()), then add 1").format(
                n_H=out.shape[1], n_W=out.shape[2], expected_H=expected[0], expected_W=expected[1]))
    return None


def _conv_forward_hint(case, got):
    A_prev, W, b, hparameters = case.kwargs.values()
    Z = _first_output(got)
    n_H, n_W = Z.shape[1:3]
    for value, hint in [
            (conv.conv_forward(A_prev, W[::-1, ::-1], b, hparameters)[0], _kernel_flipped),
            (conv.conv_forward(A_prev, W, b, hparameters)[0] - b, _conv_bias_missing),
            (conv.conv_forward(A_prev, W, b, {**hparameters, "stride": 1})[0][:, :n_H, :n_W], _stride_ignored_forward)]:
        if matches(value, Z):
            return hint()
    padded = conv.zero_pad(A_prev, hparameters["pad"])
    if isinstance(got, (tuple, list)) and len(got) == 2 and matches(padded, got[1][0]):
        return Hint("cache_padded", _("Z is right, but the cache holds the padded A_prev: keep the A_prev you were "
                                      "given, cache = (A_prev, W, b, hparameters) — conv_backward pads it again"))
    return None


def _pool_forward_hint(case, got):
    A_prev, hparameters, mode = case.kwargs.values()
    A = _first_output(got)
    if matches(conv.pool_forward(A_prev, hparameters, _OTHER_MODE[mode])[0], A):
        return _pool_mode_ignored(mode)
    stride_one = conv.pool_forward(A_prev, {**hparameters, "stride": 1}, mode)[0]
    if matches(stride_one[:, :A.shape[1], :A.shape[2]], A):
        return _stride_ignored_forward()
    return None


def _conv_backward_hint(case, got):
    dZ, cache = case.kwargs.values()
    A_prev, W, b, hparameters = cache
    dA_prev, dW, db = got
    if hparameters["stride"] > 1 and matches(_conv_backward_stride_ignored(dZ, cache), (dA_prev, dW, db)):
        return _stride_ignored_backward()
    if matches(conv.conv_backward(dZ, (A_prev, W[::-1, ::-1], b, hparameters))[0], dA_prev):
        return Hint("kernel_flipped_backward", _(
            "dA_prev uses the flipped kernel: in this loop each window simply gets W[:, :, :, c] · dZ[i, h, w, c] "
            "back at the positions it was read from — no flip"))
    return _db_axes_hint(dZ, np.asarray(db, dtype=np.float64)) or _cropping_hint(A_prev, hparameters["pad"], dA_prev)


def _db_axes_hint(dZ, db):
    m, n_C = dZ.shape[0], dZ.shape[3]
    if db.shape == (1, 1, 1, n_C):
        return None
    if db.size == n_C and matches(dZ.sum(axis=(0, 1, 2)) / m, db.ravel()):
        where = _("a flat vector (n_C,)") if db.ndim == 1 else _("shape {shape}").format(shape=db.shape)
        return Hint("db_shape_not_kept", _("db has the right values as {where}: keep the shape of b, (1, 1, 1, n_C) "
                                           "— np.sum(dZ, axis=(0, 1, 2), keepdims=True) / m").format(where=where))
    return Hint("db_wrong_axes", _(
        "db has shape {shape}, expected (1, 1, 1, {n_C}): each filter's bias is used at every position of every "
        "example, so db sums dZ over the examples and both position axes (axis=(0, 1, 2), keepdims=True) — one "
        "number per channel — and divides by m").format(shape=db.shape, n_C=n_C))


def _cropping_hint(A_prev, pad, dA_prev):
    shape = np.shape(dA_prev)
    if pad == 0 and len(shape) == 4 and shape[1] == 0:
        return Hint("crop_with_zero_pad", _("dA_prev is empty: with pad = 0, dA_prev_pad[:, pad:-pad] is [:, 0:0]. "
                                            "Crop with explicit ends: dA_prev_pad[:, pad:pad + n_H_prev, "
                                            "pad:pad + n_W_prev, :]"))
    if len(shape) == 4 and shape[1:3] == (A_prev.shape[1] + 2 * pad, A_prev.shape[2] + 2 * pad) and pad:
        return Hint("padding_not_removed", _("dA_prev still has the padding, shape {shape}: crop it back to A_prev's "
                                             "shape, dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]")
                    .format(shape=shape))
    return None


def _max_pool_backward_hint(dA, cache, got):
    if matches(_pool_backward_by_window(dA, cache, _every_tie), got):
        return Hint("mask_keeps_ties", _(
            "where several entries of a window tie for the maximum, every one of them got the gradient: the maximum "
            "came from one entry only, so the mask marks just one — the first, as np.argmax finds it: "
            "mask[np.unravel_index(np.argmax(window), window.shape)] = 1 (x == np.max(x) marks them all)"))
    if matches(_pool_backward_by_window(dA, cache, _first_max, accumulate=False), got):
        return Hint("overlap_overwritten", _("with stride < f the windows overlap, and a later window overwrote what "
                                             "an earlier one put in dA_prev: add each window's share (+=)"))
    return None


def _pool_backward_hint(case, got):
    dA, cache, mode = case.kwargs.values()
    hparameters = cache[1]
    f = hparameters["f"]
    if mode == "max":
        found = _max_pool_backward_hint(dA, cache, got)
        if found:
            return found
    elif matches(_pool_backward_by_window(dA, cache, lambda window, d: np.broadcast_to(d, window.shape)), got):
        return Hint("average_not_spread", _("each entry of a window got all of dA: the average divides by f·f = {f2}, "
                                            "so each of the f·f entries gets dA / (f·f)").format(f2=f * f))
    if matches(conv.pool_backward(dA, cache, _OTHER_MODE[mode]), got):
        return _pool_mode_ignored(mode, backward=True)
    if hparameters["stride"] > 1 and matches(_pool_backward_stride_ignored(dA, cache, mode), got):
        return _stride_ignored_backward()
    return None


# ---- LeNet -------------------------------------------------------------------------------------------------

# picture (n_H, n_W, n_C), conv channels, dense units, classes: LeNet-5 itself, then other sizes
_LENET_SIZES = [((28, 28, 1), (6, 16), (120, 84), 10), ((20, 20, 2), (3, 4), (7, 5), 4),
                ((16, 16, 1), (2, 3), (6, 5), 3)]


def _lenet_setting(rng, variant):
    """Variant 0: LeNet-5 itself on 28 × 28 pictures, m = 2; 1: other sizes; 2: m = 1."""
    image, channels, hidden, classes = _LENET_SIZES[variant]
    m = 1 if variant == 2 else 2
    parameters = lenet.initialize_lenet(rng, image, channels, hidden, classes)
    parameters = {k: (v + rng.normal(size=v.shape) * 0.1) if k.startswith("b") else v for k, v in parameters.items()}
    X = rng.random((m, *image))
    return X, parameters, _("X {shape}, conv channels {channels}, dense units {hidden}, {classes} classes").format(
        shape=X.shape, channels=channels, hidden=hidden, classes=classes)


def _lenet_forward_case(rng, variant):
    X, parameters, label = _lenet_setting(rng, variant)
    return Case({"X": X, "parameters": parameters}, X.shape[0], label)


def _lenet_backward_case(rng, variant):
    X, parameters, label = _lenet_setting(rng, variant)
    AL, caches = lenet.lenet_forward(X, parameters)
    Y = np.eye(AL.shape[0])[:, rng.integers(0, AL.shape[0], size=X.shape[0])]
    return Case({"AL": AL, "Y": Y, "caches": caches}, X.shape[0], label)


def _lenet_forward_hint(case, got):
    """Read the learner's own caches: what went into the first pooling layer?"""
    X, parameters = case.kwargs.values()
    AL, caches = got
    Z1, pooled = np.asarray(caches["conv1"][1], dtype=np.float64), np.asarray(caches["pool1"][0], dtype=np.float64)
    if not (matches(Z1, pooled) and np.any(Z1 < 0)):
        return None
    if matches(lenet.lenet_forward(X, parameters)[0], AL):
        return Hint("relu_after_pool", _("AL is right (ReLU and max pooling commute), but the pooling caches hold Z, "
                                         "not relu(Z): the order is conv → ReLU → pool, so pool_forward gets A = "
                                         "relu(Z)"))
    return Hint("relu_missing_after_conv", _("the first pooling layer received Z itself, negative values included: "
                                             "A = relu(Z) comes between conv_forward and pool_forward, after both "
                                             "convolutions"))


def _lenet_backward_hint(case, got):
    AL, Y, caches = case.kwargs.values()
    expected = lenet.lenet_backward(AL, Y, caches)
    if isinstance(got, dict) and matches({k: expected[k] for k in ("dW5", "db5", "dW4", "db4", "dW3", "db3")},
                                         {k: got.get(k) for k in ("dW5", "db5", "dW4", "db4", "dW3", "db3")}):
        return Hint("conv_part_wrong", _("the dense layers' gradients are right; the error starts where the columns "
                                         "become maps again: unflatten dA with caches[\"flatten\"], then pool_backward "
                                         "(mode \"max\"), relu_backward with the conv's Z, conv_backward — for conv2, "
                                         "then conv1"))
    return None


EXERCISES = {e.name: e for e in [
    Exercise("zero_pad", conv.zero_pad, _zero_pad_case, ("X_pad",),
             hints=(_padding_axes_hint, _axes_swapped(conv.zero_pad))),
    Exercise("conv_single_step", conv.conv_single_step, _conv_single_step_case, ("Z",),
             hints=(_conv_single_step_hint,)),
    Exercise("conv_forward", conv.conv_forward, _conv_forward_case, ("Z", "cache"),
             uses=("zero_pad", "conv_single_step"),
             hints=(_axes_swapped(conv.conv_forward), _output_size_hint, _conv_forward_hint)),
    Exercise("pool_forward", conv.pool_forward, _pool_forward_case, ("A", "cache"),
             hints=(_axes_swapped(conv.pool_forward), _output_size_hint, _pool_forward_hint)),
    Exercise("conv_backward", conv.conv_backward, _conv_backward_case, ("dA_prev", "dW", "db"), uses=("zero_pad",),
             hints=(_axes_swapped(conv.conv_backward), _conv_backward_hint)),
    Exercise("pool_backward", conv.pool_backward, _pool_backward_case, ("dA_prev",),
             hints=(_axes_swapped(conv.pool_backward), _pool_backward_hint)),
    Exercise("lenet_forward", lenet.lenet_forward, _lenet_forward_case, ("AL", "caches"),
             uses=("conv_forward", "pool_forward"), hints=(_lenet_forward_hint,)),
    Exercise("lenet_backward", lenet.lenet_backward, _lenet_backward_case, ("grads",),
             uses=("conv_backward", "pool_backward"), hints=(_lenet_backward_hint,)),
]}

# What the notebook's setup cell imports by name: LeNet's answers build on the earlier assignments' layers.
check = Checker(EXERCISES, provided=(activations.relu, activations.relu_backward, conv.flatten, conv.unflatten,
                                     layers.linear_activation_forward, layers.linear_activation_backward,
                                     layers.linear_backward, training.train))
