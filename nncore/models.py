"""The L-layer network: [LINEAR → hidden]×(L−1) → LINEAR → output, trained by gradient descent.

``X: (n[0], m)``, ``Y: (1, m)``; ``parameters`` holds ``W1, b1, …, WL, bL`` (see ``nncore.init``).
"""

import numpy as np
from tqdm.auto import trange

from nncore import init, layers, losses, optim


def n_layers(parameters):
    """L, the number of layers with weights."""
    return sum(1 for k in parameters if k.startswith("W"))


def L_model_forward(X, parameters, hidden="relu", output="sigmoid"):
    """Forward propagation through all L layers.

    Returns ``AL: (n[L], m)`` and ``caches``: one ``((A_prev, W, b), Z)`` per layer, layer 1 first.
    """
    L = n_layers(parameters)
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = layers.linear_activation_forward(
            A, parameters[f"W{l}"], parameters[f"b{l}"], hidden if l < L else output)
        caches.append(cache)
    return A, caches


def L_model_backward(AL, Y, caches, hidden="relu", need_dA0=True):
    """Backward propagation for a sigmoid output with binary cross-entropy.

    The output layer's ``dZ[L] = AL − Y`` (the simplified σ + cross-entropy derivative, stable even where
    AL rounds to 0 or 1). Returns ``grads`` with ``dA{l-1}``, ``dW{l}``, ``db{l}`` for l = L … 1,
    each shaped like ``A[l-1]``, ``W[l]``, ``b[l]``. Training passes ``need_dA0=False`` to skip
    ``dA0``, the gradient for the input X, which no update uses (a (n[0], m) product: costly on images).
    """
    Y = np.asarray(Y, dtype=AL.dtype).reshape(AL.shape)
    L = len(caches)
    grads = {}
    linear_cache, _ = caches[L - 1]
    dA, grads[f"dW{L}"], grads[f"db{L}"] = layers.linear_backward(AL - Y, linear_cache, need_dA0 or L > 1)
    for l in range(L - 1, 0, -1):
        grads[f"dA{l}"] = dA
        dA, grads[f"dW{l}"], grads[f"db{l}"] = layers.linear_activation_backward(
            dA, caches[l - 1], hidden, need_dA0 or l > 1)
    if need_dA0:
        grads["dA0"] = dA
    return grads


def compute_cost(AL, Y):
    """Binary cross-entropy cost of the network's output ``AL: (1, m)``."""
    return losses.binary_cross_entropy(AL, Y)


def predict(X, parameters, hidden="relu"):
    """0/1 predictions ``(1, m)``: 1 where the network's probability AL exceeds 0.5."""
    AL, _ = L_model_forward(X, parameters, hidden)
    return (AL > 0.5).astype(int)


def accuracy(predictions, Y):
    """The fraction of columns where ``predictions`` equals the label ``Y`` (a float in [0, 1])."""
    return float(np.mean(np.asarray(predictions).reshape(-1) == np.asarray(Y).reshape(-1)))


def train_step(X, Y, parameters, learning_rate, hidden="relu"):
    """One full-batch step of gradient descent; returns ``(new_parameters, cost)``."""
    AL, caches = L_model_forward(X, parameters, hidden)
    grads = L_model_backward(AL, Y, caches, hidden, need_dA0=False)
    return optim.update_parameters(parameters, grads, learning_rate), compute_cost(AL, Y)


def L_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000, init_method="he",
                  seed=1, hidden="relu", print_cost=False, progress=False):
    """Train an L-layer network with full-batch gradient descent.

    Returns ``(parameters, costs)`` with the cost recorded every 100 iterations.
    """
    parameters = init.initialize_parameters_deep(layer_dims, init_method, seed=seed, dtype=X.dtype)
    costs = []
    for i in trange(num_iterations, disable=not progress, desc="training"):
        parameters, cost = train_step(X, Y, parameters, learning_rate, hidden)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(cost)
            if print_cost:
                print(f"cost after iteration {i}: {cost:.6f}")
    return parameters, costs
