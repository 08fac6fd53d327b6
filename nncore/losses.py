"""Costs J averaged over the m examples (columns)."""

import numpy as np


def _float_labels(Y):
    """Labels as floats: uint8 labels would wrap (−1 → 255) and bools cannot be negated."""
    return np.asarray(Y, dtype=np.float64)


def binary_cross_entropy(AL, Y):
    """J = −(1/m) Σ [y·log(a) + (1 − y)·log(1 − a)] for ``AL, Y: (1, m)``; returns a float.

    A term whose weight y or 1 − y is 0 contributes 0 even where a rounds to 1 or 0 (no 0·log 0 = nan:
    a well-trained network's saturated outputs have a small cost, not an undefined one).
    """
    Y = _float_labels(Y).reshape(np.shape(AL))
    m = Y.shape[1]
    log_a = np.log(AL, out=np.zeros_like(AL, dtype=np.result_type(AL, np.float32)), where=Y > 0)
    log_1_minus_a = np.log(1 - AL, out=np.zeros_like(log_a), where=Y < 1)
    return float(-np.sum(Y * log_a + (1 - Y) * log_1_minus_a) / m)


def binary_cross_entropy_backward(AL, Y):
    """dAL = ∂J/∂AL · m = −(y/a − (1 − y)/(1 − a)), the start of backprop (the 1/m comes in dW, db)."""
    Y = _float_labels(Y)
    return -(Y / AL - (1 - Y) / (1 - AL))


def softmax_cross_entropy(AL, Y):
    """J = −(1/m) Σ_columns Σ_classes y·log(a) for ``AL, Y: (C, m)``, Y one-hot; returns a float.

    Terms with y = 0 contribute 0 even where a rounds to 0 (no 0·log 0 = nan).
    """
    Y = _float_labels(Y)
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL, out=np.zeros_like(AL), where=Y > 0)) / m)


def one_hot(labels, C):
    """Class indices ``labels: (1, m)`` (or (m,)) as one-hot columns ``Y: (C, m)``."""
    labels = np.asarray(labels).reshape(-1).astype(int)
    Y = np.zeros((C, labels.size))
    Y[labels, np.arange(labels.size)] = 1
    return Y


def l2_penalty(parameters, lambd, m):
    """The L2 regularization term (λ / 2m) Σ_l ‖W[l]‖²_F over every ``W*`` key."""
    return float(lambd / (2 * m) * sum(np.sum(np.square(W)) for k, W in parameters.items() if k.startswith("W")))


def L1(yhat, y):
    """The L1 loss Σ |y − ŷ| over every entry (a sum, not an average); returns a float."""
    return float(np.sum(np.abs(np.subtract(y, yhat))))


def L2(yhat, y):
    """The L2 loss Σ (y − ŷ)² over every entry: the squared Euclidean distance, no square root; returns a float."""
    return float(np.sum(np.square(np.subtract(y, yhat))))
