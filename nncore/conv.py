"""Convolution and pooling layers in the lecture's Course-4 notation: a fast path and the loop version side by side.

Shapes (examples come first here, unlike the dense layers' columns):
``A_prev: (m, n_H_prev, n_W_prev, n_C_prev)``, filters ``W: (f, f, n_C_prev, n_C)``, biases ``b: (1, 1, 1, n_C)``,
output ``Z: (m, n_H, n_W, n_C)`` with n_H = ⌊(n_H_prev + 2·pad − f) / stride⌋ + 1 (n_W likewise).
``hparameters`` is ``{"stride", "pad"}`` for a convolution and ``{"f", "stride"}`` for pooling.
Caches: ``(A_prev, W, b, hparameters)`` for a convolution, ``(A_prev, hparameters)`` for pooling.

What a convolution layer computes is, strictly, a cross-correlation: Z[i, h, w, c] = Σ a_slice · W[..., c] + b[c]
with the window *not* flipped (the mathematicians' convolution flips the kernel first).

Gradients keep the course's convention: ``dZ`` carries no 1/m, ``dW`` and ``db`` are averaged over the m
examples (like the dense layers' dW = dZ·A_prevᵀ / m), ``dA_prev`` is not. (The lecture's original notebook
sums dW over the examples instead.)

The fast path (timed against PyTorch in ``benchmarks/conv.py``) has no Python loop over examples, positions or
channels. A convolution is one matrix product over im2col columns (``_columns``: every f × f window of the padded
pictures as a row, copied out of a strided view, with a last column of ones so that the same product adds the
bias — and in backward, the product with dZ gives db beside dW). The copy is the expensive part, and numpy's
copy loop is slow on short contiguous runs, so the columns are laid out in whichever memory order gives it the
longer runs: row-major when a window row (f·n_C_prev values) is longer than a picture row, column-major
otherwise — for LeNet's first layer (one input channel, runs of 5 against 28) that made the copy about 6× faster
and the layer's forward and backward about twice as fast in float32. dA_prev comes from one batched product that
gives every kernel offset's share, which ``_col2im`` adds back onto the picture in f² vectorized steps (one per
kernel offset: 25 for a 5 × 5 kernel, whatever m, the picture size and the channels). Measured on LeNet's second
layer, that took about half the time of a transposed convolution (an im2col of the dilated, padded dZ, a product
2–3× larger), and a third of one product for all offsets at once, whose (rows, f·f·n_C_prev) result ``_col2im``
reads in runs of n_C_prev values. Pooling reduces the same f² offset views with np.maximum (or adds them) and
sends its gradient back through the same ``_col2im``; a numpy max over the window axes of the 6-D view was 5–10×
slower. The ``*_loops`` functions are the version the notebook teaches, one window at a time; the tests check
both against each other and against numerical gradients.
"""

import functools

import numpy as np
from numpy.lib.stride_tricks import as_strided


def output_size(n_prev: int, f: int, pad: int, stride: int) -> int:
    """⌊(n_prev + 2·pad − f) / stride⌋ + 1: the number of window positions along one axis."""
    return (n_prev + 2 * pad - f) // stride + 1


def zero_pad(X: np.ndarray, pad: int) -> np.ndarray:
    """``X: (m, n_H, n_W, n_C)`` with ``pad`` zeros around the height and width only: ``(m, n_H + 2p, n_W + 2p, n_C)``.
    """
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))


def conv_single_step(a_slice_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> float:
    """One filter on one window: Σ a_slice_prev ⊙ W + b for ``a_slice_prev, W: (f, f, n_C_prev)``, ``b: (1, 1, 1)``."""
    return float(np.sum(a_slice_prev * W) + np.sum(b))


def flatten(A: np.ndarray) -> np.ndarray:
    """Images ``A: (m, n_H, n_W, n_C)`` as the dense layers' columns ``(n_H·n_W·n_C, m)``: one column per example."""
    return A.reshape(A.shape[0], -1).T


def unflatten(A_flat: np.ndarray, shape: tuple) -> np.ndarray:
    """The inverse of ``flatten``: columns ``(n, m)`` back to images of ``shape = (m, n_H, n_W, n_C)``."""
    return A_flat.T.reshape(shape)


# ---- the fast path ------------------------------------------------------------------------------

def _windows(A, f, stride, n_H, n_W):
    """Every f × f window of ``A: (m, H, W, C)`` at the given stride, as a read-only view ``(m, n_H, n_W, f, f, C)``."""
    s_m, s_h, s_w, s_c = A.strides
    return as_strided(A, (A.shape[0], n_H, n_W, f, f, A.shape[3]),
                      (s_m, s_h * stride, s_w * stride, s_h, s_w, s_c), writeable=False)


def _offsets(A, f, stride, n_H, n_W):
    """The same windows seen one kernel offset at a time: f² strided views ``(m, n_H, n_W, C)``, row-major in (i, j)."""
    windows = _windows(A, f, stride, n_H, n_W)
    return [windows[:, :, :, i, j] for i in range(f) for j in range(f)]


def _col2im(parts, shape, f, stride):
    """The adjoint of ``_windows``: add each of the f² arrays ``parts`` (``(m, n_H, n_W, C)``, one per kernel
    offset, row-major) back onto the image positions that offset read. Returns an array of ``shape``.
    Windows that do not overlap (stride ≥ f, as in LeNet's pooling) reach each position once: copied, not added."""
    out = None
    for k, part in enumerate(parts):
        if out is None:
            out = np.zeros(shape[:3] + part.shape[3:], dtype=part.dtype)
        i, j = divmod(k, f)
        region = out[:, i:i + stride * (part.shape[1] - 1) + 1:stride, j:j + stride * (part.shape[2] - 1) + 1:stride]
        if stride >= f:
            region[...] = part
        else:
            region += part
    return out


def _columns(A_pad, f, stride, n_H, n_W):
    """im2col: every f × f window of ``A_pad`` as a row of ``(m·n_H·n_W, f·f·n_C_prev + 1)``, whose last column is
    ones (the bias's input), so that one product with [W; b] gives Z and one with dZ gives [dW; db].

    The copy runs along the longer contiguous stretch of the picture: a window row (f·n_C_prev values) in row-major
    order, or a row of n_W window positions (read at a stride of n_C_prev) in column-major order — with one input
    channel, 5 values per window row made numpy's copy 3–10× slower than runs of 28 positions.
    """
    m, n_C_prev = A_pad.shape[0], A_pad.shape[3]
    windows = _windows(A_pad, f, stride, n_H, n_W)
    order = "F" if f * n_C_prev < n_W else "C"
    columns = np.empty((m * n_H * n_W, f * f * n_C_prev + 1), dtype=A_pad.dtype, order=order)
    columns[:, :-1].reshape(windows.shape)[...] = windows      # splitting both axes: a view, whatever the order
    columns[:, -1] = 1
    return columns


def conv_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, hparameters: dict) -> tuple:
    """A convolution layer's linear step: Z = W ⋆ A_prev + b (cross-correlation), one matrix product.

    Returns ``Z: (m, n_H, n_W, n_C)`` and the cache ``(A_prev, W, b, hparameters)``.
    """
    f, _, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    n_H, n_W = output_size(n_H_prev, f, pad, stride), output_size(n_W_prev, f, pad, stride)
    columns = _columns(zero_pad(A_prev, pad), f, stride, n_H, n_W)
    Z = columns @ np.concatenate([W.reshape(-1, n_C), b.reshape(1, n_C)])
    return Z.reshape(m, n_H, n_W, n_C), (A_prev, W, b, hparameters)


def conv_backward(dZ: np.ndarray, cache: tuple, need_dA_prev: bool = True) -> tuple:
    """Gradients of ``conv_forward`` from ``dZ: (m, n_H, n_W, n_C)`` and its cache.

    dW = Σ over examples and positions of window ⊗ dZ, divided by m; db = Σ dZ over axes (0, 1, 2), divided by m;
    dA_prev: each dZ entry sends W·dZ back onto the window it came from. Returns ``(dA_prev, dW, db)`` shaped
    like ``A_prev``, ``W`` and ``b``; ``dA_prev`` is None when ``need_dA_prev`` is false (a first layer).
    """
    A_prev, W, b, hparameters = cache
    f, _, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, _ = dZ.shape
    A_pad = zero_pad(A_prev, pad)
    dZ_rows = dZ.reshape(-1, n_C)
    columns = _columns(A_pad, f, stride, n_H, n_W)
    # the operand order that lets OpenBLAS read the columns in their memory order: 2× faster in float32 on LeNet's
    # first layer (column-major columns), and as fast or faster elsewhere except float64 there (≈ 20 % slower)
    dW_db = (columns.T @ dZ_rows if columns.flags.f_contiguous else (dZ_rows.T @ columns).T) / m
    dW, db = dW_db[:-1].reshape(W.shape), dW_db[-1].reshape(b.shape)
    if not need_dA_prev:
        return None, dW, db
    # one batched product gives every kernel offset's share, (f·f, rows, n_C_prev); W's copy keeps it in BLAS
    per_offset = np.ascontiguousarray(W.reshape(f * f, n_C_prev, n_C).transpose(0, 2, 1))
    parts = (dZ_rows @ per_offset).reshape(f * f, m, n_H, n_W, n_C_prev)
    dA_pad = _col2im(parts, A_pad.shape, f, stride)
    return dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2]], dW, db


def _pool_offsets(A_prev, hparameters):
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = output_size(A_prev.shape[1], f, 0, stride), output_size(A_prev.shape[2], f, 0, stride)
    return f, stride, _offsets(A_prev, f, stride, n_H, n_W)


def pool_forward(A_prev: np.ndarray, hparameters: dict, mode: str = "max") -> tuple:
    """Max or average pooling of every f × f window, channel by channel (no padding).

    Returns ``A: (m, n_H, n_W, n_C)`` and the cache ``(A_prev, hparameters)``.
    """
    f, _, views = _pool_offsets(A_prev, hparameters)
    A = functools.reduce(np.maximum, views) if mode == "max" else functools.reduce(np.add, views) / (f * f)
    return A, (A_prev, hparameters)


def _first_max_parts(views, dA):
    """For each kernel offset, dA where that offset holds its window's maximum — the first one on a tie."""
    A = functools.reduce(np.maximum, views)
    free = np.ones(A.shape, dtype=bool)
    for view in views:
        first = (view == A) & free
        free &= ~first
        yield first * dA


def pool_backward(dA: np.ndarray, cache: tuple, mode: str = "max") -> np.ndarray:
    """Gradient of ``pool_forward`` from ``dA: (m, n_H, n_W, n_C)``: returns ``dA_prev`` shaped like ``A_prev``.

    Max: each window's gradient goes to its maximum only — the first one in row-major order when several
    entries tie (as np.argmax and PyTorch pick). Average: spread evenly, dA / f² to every entry of the window.
    Overlapping windows (stride < f) add up.
    """
    A_prev, hparameters = cache
    f, stride, views = _pool_offsets(A_prev, hparameters)
    parts = _first_max_parts(views, dA) if mode == "max" else [dA / (f * f)] * (f * f)
    return _col2im(parts, A_prev.shape, f, stride)


# ---- the loop version the notebook teaches --------------------------------------------------------

def conv_forward_loops(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, hparameters: dict) -> tuple:
    """``conv_forward`` one window at a time: loops over examples, positions and output channels."""
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    n_H, n_W = output_size(n_H_prev, f, pad, stride), output_size(n_W_prev, f, pad, stride)
    A_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C), dtype=np.result_type(A_prev, W))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[..., c], b[..., c])
    return Z, (A_prev, W, b, hparameters)


def conv_backward_loops(dZ: np.ndarray, cache: tuple) -> tuple:
    """``conv_backward`` one window at a time: every dZ entry adds its share to dA_prev, dW and db."""
    A_prev, W, b, hparameters = cache
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_pad = zero_pad(A_prev, pad)
    dA_pad, dW, db = np.zeros_like(A_pad), np.zeros_like(W), np.zeros_like(b)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
                for c in range(n_C):
                    dA_pad[i, rows, cols, :] += W[..., c] * dZ[i, h, w, c]
                    dW[..., c] += A_pad[i, rows, cols, :] * dZ[i, h, w, c]
                    db[..., c] += dZ[i, h, w, c]
    dA_prev = dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :]
    return dA_prev, dW / m, db / m


def create_mask_from_window(x: np.ndarray) -> np.ndarray:
    """A boolean mask of ``x``'s shape, True at its maximum only (the first one in row-major order on a tie)."""
    mask = np.zeros(x.shape, dtype=bool)
    mask[np.unravel_index(np.argmax(x), x.shape)] = True
    return mask


def pool_forward_loops(A_prev: np.ndarray, hparameters: dict, mode: str = "max") -> tuple:
    """``pool_forward`` one window at a time."""
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = output_size(A_prev.shape[1], f, 0, stride), output_size(A_prev.shape[2], f, 0, stride)
    m, n_C = A_prev.shape[0], A_prev.shape[3]
    A = np.zeros((m, n_H, n_W, n_C), dtype=A_prev.dtype)
    reduce = np.max if mode == "max" else np.mean
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    A[i, h, w, c] = reduce(A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c])
    return A, (A_prev, hparameters)


def pool_backward_loops(dA: np.ndarray, cache: tuple, mode: str = "max") -> np.ndarray:
    """``pool_backward`` one window at a time: the max's mask, or dA / f² spread evenly."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = dA.shape[1], dA.shape[2]
    dA_prev = np.zeros_like(A_prev, dtype=np.result_type(A_prev, dA))
    for i in range(dA.shape[0]):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(dA.shape[3]):
                    rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
                    if mode == "max":
                        dA_prev[i, rows, cols, c] += create_mask_from_window(A_prev[i, rows, cols, c]) * dA[i, h, w, c]
                    else:
                        dA_prev[i, rows, cols, c] += dA[i, h, w, c] / (f * f)
    return dA_prev
