"""The L-layer network of Course 1: [LINEAR → RELU]×(L−1) → LINEAR → SIGMOID, trained by gradient descent.

``X: (n[0], m)``, ``Y: (1, m)``; ``parameters`` holds ``W1, b1, …, WL, bL`` (see ``nncore.init``). The maths
is ``nncore.network``'s; this module keeps the lecture's names and its caches: one ``((A_prev, W, b), Z)``
per layer, layer 1 first (``lecture_caches`` and ``network_caches`` translate between the two formats).
"""

import numpy as np
from tqdm.auto import trange

from nncore import init, losses, network, optim


def lecture_caches(caches: list[dict], masks: bool = False) -> list[tuple]:
    """``nncore.network``'s caches in the lecture's format: ``((A_prev, W, b), Z)`` per layer, layer 1 first.

    With ``masks``, ``((A_prev, W, b), Z, D)`` where ``D: (n[l], m)`` is the dropout mask on the layer's
    output, ``None`` for a layer without one.
    """
    lecture = [((c["A_prev"], c["W"], c["b"]), c["Z"]) for c in caches]
    if masks:
        return [(*t, c["dropout"][0] if "dropout" in c else None) for t, c in zip(lecture, caches)]
    return lecture


def network_caches(caches: list[tuple], keep_prob: float | None = None) -> list[dict]:
    """The lecture's caches ``((A_prev, W, b), Z)`` as ``nncore.network``'s dictionaries; given a ``keep_prob``,
    caches ``((A_prev, W, b), Z, D)`` whose mask ``D`` is not ``None`` become layers with that dropout."""
    out = [{"A_prev": c[0][0], "W": c[0][1], "b": c[0][2], "Z": c[1]} for c in caches]
    if keep_prob is not None:
        for cache, (_, _, D) in zip(out, caches):
            if D is not None:
                cache["dropout"] = (D, keep_prob)
    return out


def L_model_forward(X: np.ndarray, parameters: dict[str, np.ndarray], hidden: str = "relu",
                    output: str = "sigmoid") -> tuple[np.ndarray, list[tuple]]:
    """Forward propagation through all L layers.

    Returns ``AL: (n[L], m)`` and ``caches``: one ``((A_prev, W, b), Z)`` per layer, layer 1 first.
    """
    AL, caches = network.forward(X, parameters, hidden, output)
    return AL, lecture_caches(caches)


def L_model_backward(AL: np.ndarray, Y: np.ndarray, caches: list[tuple],
                     hidden: str = "relu") -> dict[str, np.ndarray]:
    """Backward propagation for a sigmoid output with binary cross-entropy.

    The output layer's ``dZ[L] = AL − Y`` (the simplified σ + cross-entropy derivative, stable even where
    AL rounds to 0 or 1). Returns ``grads`` with ``dA{l-1}``, ``dW{l}``, ``db{l}`` for l = L … 1,
    each shaped like ``A[l-1]``, ``W[l]``, ``b[l]``.
    """
    return network.backward(AL, Y, network_caches(caches), hidden, keep_dA=True)


def compute_cost(AL: np.ndarray, Y: np.ndarray) -> float:
    """Binary cross-entropy cost of the network's output ``AL: (1, m)``."""
    return losses.binary_cross_entropy(AL, Y)


def predict(X: np.ndarray, parameters: dict[str, np.ndarray], hidden: str = "relu") -> np.ndarray:
    """0/1 predictions ``(1, m)``: 1 where the network's probability AL exceeds 0.5."""
    AL, _ = network.forward(X, parameters, hidden)
    return (AL > 0.5).astype(int)


def accuracy(predictions: np.ndarray, Y: np.ndarray) -> float:
    """The fraction of columns where ``predictions`` equals the label ``Y`` (a float in [0, 1])."""
    return float(np.mean(np.asarray(predictions).reshape(-1) == np.asarray(Y).reshape(-1)))


def train_step(X: np.ndarray, Y: np.ndarray, parameters: dict[str, np.ndarray], learning_rate: float,
               hidden: str = "relu") -> tuple[dict[str, np.ndarray], float]:
    """One full-batch step of gradient descent; returns ``(new_parameters, cost)``."""
    AL, caches = network.forward(X, parameters, hidden)
    grads = network.backward(AL, Y, caches, hidden)
    return optim.update_parameters(parameters, grads, learning_rate), compute_cost(AL, Y)


def L_layer_model(X: np.ndarray, Y: np.ndarray, layer_dims: list[int], learning_rate: float = 0.0075,
                  num_iterations: int = 3000, init_method: str = "he", seed: int = 1, hidden: str = "relu",
                  print_cost: bool = False, progress: bool = False) -> tuple[dict[str, np.ndarray], list[float]]:
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
