"""The network core: forward and backward propagation through a dense L-layer network, and its cost.

[LINEAR → (BATCH NORM) → hidden → (DROPOUT)] × (L−1) → LINEAR → output, with the hidden activation and the
output (sigmoid or softmax) named by the strings of ``nncore.activations``. Every week's network is this one
with some options fixed, and its course-named functions adapt their contracts to this module:
``nncore.models`` (Course 1, the lecture's tuple caches), ``nncore.shallow`` (one tanh layer, the
``{"Z1", "A1", "Z2", "A2"}`` cache), ``nncore.regularization`` (L2 and inverted dropout) and ``nncore.training``
(mini-batches, optimizers, batch norm, softmax).

Shapes: ``X: (n[0], m)``; ``Y: (1, m)`` 0/1 labels for a sigmoid output, one-hot ``(C, m)`` for softmax.
Parameters are ``W{l}: (n[l], n[l-1])`` and ``b{l}: (n[l], 1)``; a batch-norm layer has ``gamma{l}, beta{l}:
(n[l], 1)`` instead of ``b{l}`` (β replaces b, which the normalization would cancel), and prediction uses the
running averages ``mu{l}, var{l}: (n[l], 1)`` of a ``running`` dictionary.

The cache is one dictionary per layer, layer 1 first:

``"A_prev"``  the layer's input A[l−1] (after the previous layer's dropout), ``(n[l-1], m)``
``"W"``, ``"b"``  W[l] and b[l] (``None`` for a batch-norm layer, which has no b)
``"Z"``       what the activation received: Z[l] = W[l]·A[l−1] + b[l], or Z̃[l] after batch norm, ``(n[l], m)``
``"A"``       the activation's output A[l] = g(Z[l]) before any dropout (backward reuses it; optional there)
``"bn"``      batch-norm layers in training mode only: the cache of ``layers.batchnorm_forward``
``"dropout"`` hidden layers with dropout only: ``(D[l], keep_prob)``, the mask on the layer's output A[l]
"""

import numpy as np

from nncore import activations, layers, losses


def n_layers(parameters: dict[str, np.ndarray]) -> int:
    """L, the number of layers with weights (the ``W{l}`` keys)."""
    return len([k for k in parameters if k.startswith("W")])


def forward(X: np.ndarray, parameters: dict[str, np.ndarray], hidden: str = "relu", output: str = "sigmoid",
            keep_prob: float | None = None, rng: np.random.Generator | None = None,
            running: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, list[dict]]:
    """Forward propagation; returns ``(AL: (n[L], m), caches)`` (one dictionary per layer, see the module).

    Training mode is ``rng`` given: with a ``keep_prob`` too, inverted dropout masks the output of every
    hidden layer with one draw ``rng.random(A.shape) < keep_prob`` per layer, in layer order; batch-norm
    layers use this batch's statistics. Prediction mode (``rng=None``) uses no dropout and, for batch norm,
    the running averages in ``running``.
    """
    L = n_layers(parameters)
    g_hidden, g_output = activations.get(hidden)[0], activations.get(output)[0]
    A, caches = X, []
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters.get(f"b{l}")
        cache = {"A_prev": A, "W": W, "b": b}
        if b is None:
            Z = _batchnorm(l, W @ A, parameters, cache, rng is None, running)
        else:
            Z, _ = layers.linear_forward(A, W, b)
        cache["Z"] = Z
        A = cache["A"] = g_hidden(Z) if l < L else g_output(Z)
        if l < L and rng is not None and keep_prob is not None:
            A, cache["dropout"] = layers.dropout_forward(A, keep_prob, rng)
        caches.append(cache)
    return A, caches


def _batchnorm(l, WA, parameters, cache, predicting, running):
    """Batch-norm layer l's Z̃[l] = γ·norm(W[l]·A[l−1]) + β from ``WA`` = W[l]·A[l−1]: with this batch's
    statistics (recording ``cache["bn"]``) in training, with the running averages when ``predicting``."""
    gamma, beta = parameters[f"gamma{l}"], parameters[f"beta{l}"]
    if predicting:
        return layers.batchnorm_inference(WA, gamma, beta, running[f"mu{l}"], running[f"var{l}"])
    Z, cache["bn"] = layers.batchnorm_forward(WA, gamma, beta)
    return Z


def backward(AL: np.ndarray, Y: np.ndarray, caches: list[dict], hidden: str = "relu", lambd: float = 0.0,
             keep_dA: bool = False) -> dict[str, np.ndarray]:
    """Gradients ``dW{l}`` and ``db{l}`` (``dgamma{l}``, ``dbeta{l}`` for a batch-norm layer), l = L … 1.

    The output layer starts from dZ[L] = AL − Y, the derivative of sigmoid + binary cross-entropy and of
    softmax + cross-entropy alike (stable even where AL rounds to 0 or 1); ``Y`` may be uint8. L2 adds
    (λ/m)·W[l] to each dW[l]. With ``keep_dA`` the gradients ``dA{l-1}`` = W[l]ᵀ·dZ[l] of the layers' inputs
    are kept too, down to ``dA0`` for X (a product of X's size that training never needs). Each gradient has
    the shape of what it differentiates; the keys come layer by layer from L down to 1.
    """
    Y = np.asarray(Y, dtype=AL.dtype)
    if Y.shape != AL.shape:
        Y = Y.reshape(AL.shape)
    m = AL.shape[1]
    g_backward = activations.get(hidden)[1]
    dZ, grads = AL - Y, {}
    for l in range(len(caches), 0, -1):
        cache = caches[l - 1]
        dA_prev, dW, db = layers.linear_backward(dZ, (cache["A_prev"], cache["W"], None), keep_dA or l > 1)
        grads[f"dW{l}"] = dW + (lambd / m) * cache["W"] if lambd else dW
        if "bn" not in cache:
            grads[f"db{l}"] = db
        if keep_dA:
            grads[f"dA{l - 1}"] = dA_prev
        if l > 1:
            dZ = _hidden_dZ(l - 1, dA_prev, caches[l - 2], g_backward, grads)
    return grads


def _hidden_dZ(l, dA, cache, g_backward, grads):
    """A hidden layer's dZ[l] from the gradient ``dA`` of its output: back through dropout, the activation and
    batch norm (which records ``dgamma{l}``, ``dbeta{l}`` in ``grads``)."""
    if "dropout" in cache:
        dA = layers.dropout_backward(dA, cache["dropout"])
    dZ = g_backward(dA, cache["Z"], cache.get("A"))
    if "bn" in cache:
        dZ, grads[f"dgamma{l}"], grads[f"dbeta{l}"] = layers.batchnorm_backward(dZ, cache["bn"])
    return dZ


def cost(AL: np.ndarray, Y: np.ndarray, parameters: dict[str, np.ndarray] | None = None, output: str = "sigmoid",
         lambd: float = 0.0, ZL: np.ndarray | None = None) -> float:
    """The cross-entropy of ``AL`` against ``Y`` plus the L2 term (λ/2m)·Σ_l ‖W[l]‖²_F of ``parameters``.

    Given the output layer's ``ZL`` too, the cross-entropy is computed from it (``losses.*_from_logits``):
    exact where AL rounds to 0 or 1, so a confidently wrong prediction never makes the cost inf.
    """
    if ZL is None:
        loss = losses.softmax_cross_entropy(AL, Y) if output == "softmax" else losses.binary_cross_entropy(AL, Y)
    else:
        loss = (losses.softmax_cross_entropy_from_logits if output == "softmax"
                else losses.binary_cross_entropy_from_logits)(ZL, Y)
    return loss + (losses.l2_penalty(parameters, lambd, Y.shape[1]) if lambd else 0.0)
