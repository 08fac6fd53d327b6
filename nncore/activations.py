"""Activation functions g(Z) and their backward passes.

Every function works element-wise on ``Z`` of any shape, e.g. ``Z: (n[l], m)``.
Each ``*_backward(dA, Z)`` returns ``dZ = dA * g'(Z)`` with the shape of ``Z``; a caller that kept the forward
pass's output ``A = g(Z)`` may pass it too, ``*_backward(dA, Z, A)``, and σ, tanh and softmax then reuse it
instead of computing g(Z) again (the same numbers, less work).
``softmax`` is the exception: it normalizes each column (one example) over axis 0.
Layers name their activation by the strings in ``ACTIVATIONS``.
"""

from collections.abc import Callable

import numpy as np

LEAKY_SLOPE = 0.01


def _floating(Z: np.ndarray) -> np.ndarray:
    """Z as a float array (integer or boolean input becomes float64; float32 stays float32)."""
    Z = np.asarray(Z)
    return Z if Z.dtype.kind == "f" else Z.astype(np.float64)


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """σ(Z) = 1 / (1 + e^(−Z)), computed without overflow for large |Z|."""
    Z = _floating(Z)
    E = np.exp(-np.abs(Z))
    D = 1 + E
    return np.where(Z >= 0, 1 / D, E / D)


def sigmoid_backward(dA: np.ndarray, Z: np.ndarray, A: np.ndarray | None = None) -> np.ndarray:
    """dZ = dA · σ(Z)(1 − σ(Z)), with ``A`` = σ(Z) when given."""
    s = sigmoid(Z) if A is None else A
    return dA * s * (1 - s)


def tanh(Z: np.ndarray) -> np.ndarray:
    """tanh(Z)."""
    return np.tanh(Z)


def tanh_backward(dA: np.ndarray, Z: np.ndarray, A: np.ndarray | None = None) -> np.ndarray:
    """dZ = dA · (1 − tanh²(Z)), with ``A`` = tanh(Z) when given."""
    return dA * (1 - (np.tanh(Z) if A is None else A) ** 2)


def linear(Z: np.ndarray) -> np.ndarray:
    """g(Z) = Z, the identity: a layer with it computes W·A_prev + b and nothing more (a stack of such layers is
    one linear layer). A new array, so that Z and A never alias."""
    return np.array(_floating(Z), copy=True)


def linear_backward(dA: np.ndarray, Z: np.ndarray, A: np.ndarray | None = None) -> np.ndarray:
    """dZ = dA (a new array), since g′(Z) = 1; ``Z`` and ``A`` are not needed."""
    return np.array(dA, copy=True)


def relu(Z: np.ndarray) -> np.ndarray:
    """max(0, Z)."""
    return np.maximum(Z, 0)


def relu_backward(dA: np.ndarray, Z: np.ndarray, A: np.ndarray | None = None) -> np.ndarray:
    """dZ = dA where Z > 0, else 0 (the subgradient at 0 is taken as 0); ``A`` is not needed."""
    return np.where(Z > 0, dA, 0)


def leaky_relu(Z: np.ndarray) -> np.ndarray:
    """max(0.01·Z, Z)."""
    return np.where(Z > 0, Z, LEAKY_SLOPE * Z)


def leaky_relu_backward(dA: np.ndarray, Z: np.ndarray, A: np.ndarray | None = None) -> np.ndarray:
    """dZ = dA where Z > 0, else 0.01·dA; ``A`` is not needed."""
    return np.where(Z > 0, dA, LEAKY_SLOPE * dA)


def softmax(Z: np.ndarray) -> np.ndarray:
    """Column-wise softmax: each column of Z: (C, m) becomes a probability vector.

    Subtracting each column's maximum first keeps exp() from overflowing.
    """
    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return E / np.sum(E, axis=0, keepdims=True)


def softmax_backward(dA: np.ndarray, Z: np.ndarray, A: np.ndarray | None = None) -> np.ndarray:
    """dZ for A = softmax(Z), column by column: dZ = A ⊙ (dA − Σ_c A ⊙ dA), with ``A`` when given."""
    A = softmax(Z) if A is None else A
    return A * (dA - np.sum(A * dA, axis=0, keepdims=True))


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_backward),
    "tanh": (tanh, tanh_backward),
    "linear": (linear, linear_backward),
    "relu": (relu, relu_backward),
    "leaky_relu": (leaky_relu, leaky_relu_backward),
    "softmax": (softmax, softmax_backward),
}


def get(name: str) -> tuple[Callable, Callable]:
    """The ``(forward, backward)`` pair for an activation name, with a helpful error."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}") from None
