"""Regularization the lecture's way, for an L-layer network: the L2-regularized cost and backprop, and
inverted dropout. Thin adapters over ``nncore.network`` (the maths lives there and in ``nncore.layers``).

The network is [LINEAR → RELU] × (L−1) → LINEAR → SIGMOID with ``parameters`` ``W1, b1, …, WL, bL``,
``X: (n[0], m)``, labels ``Y: (1, m)`` (0/1, floats or uint8). These are the contracts of assignment 07's
exercises, which assignment 08 (gradient checking) reuses:

``compute_cost_with_regularization(AL, Y, parameters, lambd) -> float``
    J = −(1/m) Σ [y·log a + (1 − y)·log(1 − a)] + (λ/2m) Σ_l ‖W[l]‖²_F; the biases are not penalized.

``backward_propagation_with_regularization(AL, Y, caches, lambd) -> grads``
    ``caches`` come from ``nncore.models.L_model_forward``: one ``((A_prev, W, b), Z)`` per layer, layer 1
    first (the Course 1 format). dZ[L] = AL − Y, dZ[l] = dA[l]·relu′(Z[l]) below; ``grads`` holds exactly
    ``dW{l}`` = dZ[l]·A[l−1]ᵀ/m + (λ/m)·W[l] and ``db{l}`` = Σ_examples dZ[l]/m for l = 1 … L (no dA keys).

``forward_propagation_with_dropout(X, parameters, keep_prob, rng) -> (AL, caches)``
    Inverted dropout on every hidden layer l = 1 … L−1, in that order: after A[l] = relu(Z[l]) draw
    ``D = rng.random(A.shape) < keep_prob`` (one call per hidden layer, so the generator advances and every
    call gets fresh masks), then ``A = A * D / keep_prob``. No dropout on the input X nor on the output AL.
    ``caches``: one ``((A_prev, W, b), Z, D)`` per layer, layer 1 first, where ``A_prev`` is the (dropped-out)
    input the layer saw and ``D: (n[l], m)`` the boolean mask of this layer's output (``None`` for layer L).

``backward_propagation_with_dropout(AL, Y, caches, keep_prob) -> grads``
    The caches above; the gradient reaching a hidden layer's output goes through the same mask and the same
    division, dA[l] = (W[l+1]ᵀ·dZ[l+1])·D[l]/keep_prob, then dZ[l] = dA[l]·relu′(Z[l]); ``grads`` holds
    exactly ``dW{l}`` and ``db{l}`` for l = 1 … L.

At prediction time there is no dropout: use ``nncore.models.L_model_forward`` (or ``predict``).
"""

import numpy as np

from nncore import models, network


def compute_cost_with_regularization(AL: np.ndarray, Y: np.ndarray, parameters: dict[str, np.ndarray],
                                     lambd: float) -> float:
    """Cross-entropy of ``AL: (1, m)`` against ``Y: (1, m)`` plus (λ/2m)·Σ_l ‖W[l]‖²_F; returns a float."""
    return network.cost(AL, Y, parameters, lambd=lambd)


def backward_propagation_with_regularization(AL: np.ndarray, Y: np.ndarray, caches: list[tuple],
                                             lambd: float) -> dict[str, np.ndarray]:
    """Backprop of the L2-regularized cost: ``grads`` with ``dW{l}`` (+ (λ/m)·W[l]) and ``db{l}``, l = 1 … L.

    ``caches`` as returned by ``nncore.models.L_model_forward``: ``((A_prev, W, b), Z)`` per layer.
    """
    return network.backward(AL, Y, models.network_caches(caches), lambd=lambd)


def forward_propagation_with_dropout(X: np.ndarray, parameters: dict[str, np.ndarray], keep_prob: float,
                                     rng: np.random.Generator) -> tuple[np.ndarray, list[tuple]]:
    """Forward pass with inverted dropout on the hidden layers; returns ``(AL: (1, m), caches)``.

    ``caches[l-1] = ((A_prev, W, b), Z, D)`` with ``D`` the mask on layer l's output (``None`` for layer L).
    ``rng`` is a ``numpy.random.Generator``; each hidden layer draws its mask from it, in layer order.
    """
    AL, caches = network.forward(X, parameters, keep_prob=keep_prob, rng=rng)
    return AL, models.lecture_caches(caches, masks=True)


def backward_propagation_with_dropout(AL: np.ndarray, Y: np.ndarray, caches: list[tuple],
                                      keep_prob: float) -> dict[str, np.ndarray]:
    """Backprop through the masks of ``forward_propagation_with_dropout``: ``grads`` with ``dW{l}``, ``db{l}``."""
    return network.backward(AL, Y, models.network_caches(caches, keep_prob))
