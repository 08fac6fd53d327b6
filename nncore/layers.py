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


def linear_backward(dZ, cache):
    """Gradients of the linear step from ``dZ: (n[l], m)`` and the cache ``(A_prev, W, b)``.

    dW = dZ·A_prevᵀ / m, db = Σ_examples dZ / m, dA_prev = Wᵀ·dZ.
    Returns ``(dA_prev: (n[l-1], m), dW: (n[l], n[l-1]), db: (n[l], 1))``.
    """
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W·A_prev + b) for ``activation`` one of ``activations.ACTIVATIONS``.

    Returns ``A: (n[l], m)`` and the cache ``(linear_cache, Z)``.
    """
    g, _ = activations.get(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    return g(Z), (linear_cache, Z)


def linear_activation_backward(dA, cache, activation):
    """Backward through g then the linear step; ``cache`` is ``(linear_cache, Z)``.

    Returns ``(dA_prev, dW, db)`` with the shapes of ``A_prev``, ``W`` and ``b``.
    """
    _, g_backward = activations.get(activation)
    linear_cache, Z = cache
    return linear_backward(g_backward(dA, Z), linear_cache)
