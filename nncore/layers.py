"""One layer of a network, forward and backward, in the course's notation.

Shapes: ``A_prev: (n[l-1], m)``, ``W: (n[l], n[l-1])``, ``b: (n[l], 1)``, ``Z, A: (n[l], m)``.
Forward functions return ``(output, cache)``; backward functions take ``(d_output, cache)``.
"""

import numpy as np

from nncore import activations


def linear_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Z = W·A_prev + b.

    Returns ``Z: (n[l], m)`` and the linear cache ``(A_prev, W, b)``.
    """
    Z = W @ A_prev + b
    return Z, (A_prev, W, b)


def linear_backward(dZ: np.ndarray, cache: tuple,
                    need_dA_prev: bool = True) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
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


def linear_activation_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray,
                              activation: str) -> tuple[np.ndarray, tuple]:
    """A = g(W·A_prev + b) for ``activation`` one of ``activations.ACTIVATIONS``.

    Returns ``A: (n[l], m)`` and the cache ``(linear_cache, Z)``.
    """
    g, _ = activations.get(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    return g(Z), (linear_cache, Z)


def linear_activation_backward(dA: np.ndarray, cache: tuple, activation: str,
                               need_dA_prev: bool = True) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Backward through g then the linear step; ``cache`` is ``(linear_cache, Z)``.

    Returns ``(dA_prev, dW, db)`` with the shapes of ``A_prev``, ``W`` and ``b`` (see ``linear_backward``).
    """
    _, g_backward = activations.get(activation)
    linear_cache, Z = cache
    return linear_backward(g_backward(dA, Z), linear_cache, need_dA_prev)


def dropout_forward(A: np.ndarray, keep_prob: float,
                    rng: np.random.Generator) -> tuple[np.ndarray, tuple[np.ndarray, float]]:
    """Inverted dropout on a hidden layer's activations ``A: (n[l], m)``.

    Each entry is kept where a fresh uniform draw from ``rng`` is ``< keep_prob``, and the kept entries
    are divided by ``keep_prob`` so the expected activation is unchanged (nothing to undo at prediction
    time, where dropout is off). Returns ``(A_drop, cache)``; the cache ``(D, keep_prob)`` holds the mask
    ``D: (n[l], m)`` of booleans.
    """
    D = rng.random(A.shape) < keep_prob
    return A * D / keep_prob, (D, keep_prob)


def dropout_backward(dA_drop: np.ndarray, cache: tuple[np.ndarray, float]) -> np.ndarray:
    """Gradient through inverted dropout: the same mask ``D`` and the same division by ``keep_prob``."""
    D, keep_prob = cache
    return dA_drop * D / keep_prob


def batchnorm_forward(Z: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                      epsilon: float = 1e-5) -> tuple[np.ndarray, tuple]:
    """Batch normalization of ``Z: (n[l], m)`` over the example axis, then scale and shift.

    μ = mean over the m columns, σ² = variance over the columns (both ``(n[l], 1)``),
    Z_norm = (Z − μ)/√(σ² + ε), Z̃ = γ·Z_norm + β with ``gamma, beta: (n[l], 1)`` learnt.
    Returns ``(Z_tilde, cache)`` with ``cache = (Z_norm, gamma, std, mu, var)``; μ and σ² feed the
    running averages used at prediction time (``batchnorm_inference``).
    """
    mu = np.mean(Z, axis=1, keepdims=True)
    var = np.var(Z, axis=1, keepdims=True)
    std = np.sqrt(var + epsilon)
    Z_norm = (Z - mu) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std, mu, var)


def batchnorm_backward(dZ_tilde: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of batch norm from ``dZ_tilde: (n[l], m)``: returns ``(dZ, dgamma, dbeta)``.

    dβ and dγ are averaged over the m examples like db and dW (the 1/m lives in the parameter gradients):
    dβ = Σ dZ̃ / m, dγ = Σ dZ̃·Z_norm / m. Because μ and σ² depend on every column,
    dZ = γ/σ · (dZ̃ − mean(dZ̃) − Z_norm·mean(dZ̃·Z_norm)), means taken over the examples.
    """
    Z_norm, gamma, std, _, _ = cache
    m = dZ_tilde.shape[1]
    dbeta = np.sum(dZ_tilde, axis=1, keepdims=True) / m
    dgamma = np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True) / m
    dZ = gamma / std * (dZ_tilde - dbeta - Z_norm * dgamma)
    return dZ, dgamma, dbeta


def batchnorm_inference(Z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, mu: np.ndarray, var: np.ndarray,
                        epsilon: float = 1e-5) -> np.ndarray:
    """Batch norm at prediction time: the running averages ``mu, var: (n[l], 1)`` replace batch statistics."""
    return gamma * (Z - mu) / np.sqrt(var + epsilon) + beta
