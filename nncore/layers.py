"""One layer of a network, forward and backward, in the course's notation.

Shapes: ``A_prev: (n[l-1], m)``, ``W: (n[l], n[l-1])``, ``b: (n[l], 1)``, ``Z, A: (n[l], m)``.
Forward functions return ``(output, cache)``; backward functions take ``(d_output, cache)``.
"""

import numpy as np

from nncore import activations


def linear_forward(A_prev, W, b):
    """Z = W·A_prev + b.

    Returns ``Z: (n[l], m)`` and the linear cache ``(A_prev, W, b)``.
    """
    Z = W @ A_prev + b
    return Z, (A_prev, W, b)


def linear_backward(dZ, cache, need_dA_prev=True):
    """Gradients of the linear step from ``dZ: (n[l], m)`` and the cache ``(A_prev, W, b)``.

    dW = dZ·A_prevᵀ / m, db = Σ_examples dZ / m, dA_prev = Wᵀ·dZ.
    Returns ``(dA_prev: (n[l-1], m), dW: (n[l], n[l-1]), db: (n[l], 1))``; ``dA_prev`` is None when
    ``need_dA_prev`` is false (the first layer in training: the gradient for X itself is never used).
    """
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = (dZ / m) @ A_prev.T
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ if need_dA_prev else None
    return dA_prev, dW, db


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W·A_prev + b) for ``activation`` one of ``activations.ACTIVATIONS``.

    Returns ``A: (n[l], m)`` and the cache ``(linear_cache, Z)``.
    """
    g, _ = activations.get(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    return g(Z), (linear_cache, Z)


def linear_activation_backward(dA, cache, activation, need_dA_prev=True):
    """Backward through g then the linear step; ``cache`` is ``(linear_cache, Z)``.

    Returns ``(dA_prev, dW, db)`` with the shapes of ``A_prev``, ``W`` and ``b`` (see ``linear_backward``).
    """
    _, g_backward = activations.get(activation)
    linear_cache, Z = cache
    return linear_backward(g_backward(dA, Z), linear_cache, need_dA_prev)
