"""Costs J averaged over the m examples (columns)."""

import numpy as np


def _float_labels(Y: np.ndarray) -> np.ndarray:
    """Labels as floats: uint8 labels would wrap (−1 → 255) and bools cannot be negated."""
    return np.asarray(Y, dtype=np.float64)


def binary_cross_entropy(AL: np.ndarray, Y: np.ndarray) -> float:
    """J = −(1/m) Σ [y·log(a) + (1 − y)·log(1 − a)] for ``AL, Y: (1, m)``; returns a float.

    A term whose label weight is 0 contributes 0 even where a rounds to exactly 0 or 1 (no 0·log 0 = nan).
    """
    Y = _float_labels(Y).reshape(np.shape(AL))
    m = Y.shape[1]
    return float(-np.sum(_xlog(Y, AL) + _xlog(1 - Y, 1 - AL)) / m)


def _xlog(Y: np.ndarray, A: np.ndarray) -> np.ndarray:
    """Y·log(A), taken as 0 wherever Y is 0."""
    return Y * np.log(A, out=np.zeros(np.shape(A)), where=Y > 0)


def softmax_cross_entropy(AL: np.ndarray, Y: np.ndarray) -> float:
    """J = −(1/m) Σ_columns Σ_classes y·log(a) for ``AL, Y: (C, m)``, Y one-hot; returns a float.

    Terms with y = 0 contribute 0 even where a rounds to 0 (no 0·log 0 = nan).
    """
    Y = _float_labels(Y)
    m = Y.shape[1]
    return float(-np.sum(_xlog(Y, AL)) / m)


def binary_cross_entropy_from_logits(ZL: np.ndarray, Y: np.ndarray) -> float:
    """The binary cross-entropy of a = σ(ZL) computed from ``ZL: (1, m)`` itself: log σ(z) = −log(1 + e⁻ᶻ).

    Exact where σ(z) rounds to 0 or 1 (a confidently wrong prediction costs |z|, not inf).
    """
    Y = _float_labels(Y).reshape(np.shape(ZL))
    return float(np.sum(Y * np.logaddexp(0, -ZL) + (1 - Y) * np.logaddexp(0, ZL)) / Y.shape[1])


def softmax_cross_entropy_from_logits(ZL: np.ndarray, Y: np.ndarray) -> float:
    """The softmax cross-entropy computed from ``ZL: (C, m)``: log softmax(z) = z − log Σ eᶻ, stable."""
    Y = _float_labels(Y)
    top = np.max(ZL, axis=0, keepdims=True)
    log_A = ZL - top - np.log(np.sum(np.exp(ZL - top), axis=0, keepdims=True))
    return float(-np.sum(Y * log_A) / Y.shape[1])


def one_hot(labels: np.ndarray, C: int) -> np.ndarray:
    """Class indices ``labels: (1, m)`` (or (m,)) as one-hot columns ``Y: (C, m)``."""
    labels = np.asarray(labels).reshape(-1).astype(int)
    Y = np.zeros((C, labels.size))
    Y[labels, np.arange(labels.size)] = 1
    return Y


def l2_penalty(parameters: dict[str, np.ndarray], lambd: float, m: int) -> float:
    """The L2 regularization term (λ / 2m) Σ_l ‖W[l]‖²_F over every ``W*`` key."""
    return float(lambd / (2 * m) * sum(np.sum(np.square(W)) for k, W in parameters.items() if k.startswith("W")))


def L1(yhat: np.ndarray, y: np.ndarray) -> float:
    """The L1 loss Σ |y − ŷ| over every entry (a sum, not an average); returns a float."""
    return float(np.sum(np.abs(np.subtract(y, yhat))))


def L2(yhat: np.ndarray, y: np.ndarray) -> float:
    """The L2 loss Σ (y − ŷ)² over every entry: the squared Euclidean distance, no square root; returns a float."""
    return float(np.sum(np.square(np.subtract(y, yhat))))
