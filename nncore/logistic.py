"""Logistic regression as a neural network with no hidden layer: ŷ = σ(wᵀX + b).

``X: (n_x, m)``, ``Y: (1, m)``, ``w: (n_x, 1)``, ``b`` a scalar. Names follow the first assignment.
"""

import numpy as np

from nncore import losses
from nncore.activations import sigmoid


def initialize_with_zeros(dim: int) -> tuple[np.ndarray, float]:
    """``w: (dim, 1)`` of zeros and ``b = 0.0``."""
    return np.zeros((dim, 1)), 0.0


def dL_da(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂L/∂a of the loss L(a, y) = −[y·log a + (1 − y)·log(1 − a)], element-wise: −y/a + (1 − y)/(1 − a).

    ``a`` in (0, 1) and ``y`` (0/1, possibly uint8) of the same shape, one entry per prediction.
    """
    y = np.asarray(y, dtype=np.float64)
    return -y / a + (1 - y) / (1 - a)


def da_dz(a: np.ndarray) -> np.ndarray:
    """∂a/∂z of a = σ(z), written with the output a itself: a(1 − a), element-wise."""
    return a * (1 - a)


def propagate(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> tuple[dict[str, np.ndarray | float], float]:
    """Forward pass, cost and gradients.

    A = σ(wᵀX + b); J = binary cross-entropy; dZ = A − Y (= ``dL_da(A, Y) * da_dz(A)`` by the chain rule, without
    its division by A); dw = X·dZᵀ / m; db = Σ dZ / m.
    Returns ``(grads, cost)`` with ``grads = {"dw": (n_x, 1), "db": float}`` and ``cost`` a float.
    """
    Y = np.asarray(Y, dtype=np.float64)
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    dZ = A - Y
    grads = {"dw": X @ dZ.T / m, "db": float(np.sum(dZ) / m)}
    return grads, losses.binary_cross_entropy(A, Y)


def optimize(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray, num_iterations: int = 100,
             learning_rate: float = 0.009, print_cost: bool = False) -> tuple[dict, dict, list[float]]:
    """Gradient descent on (w, b) for ``num_iterations`` steps.

    Returns ``(params, grads, costs)``: ``params = {"w", "b"}`` after the last step, the last ``grads``,
    and the cost recorded every 100 iterations (iteration 0 first).
    """
    costs, grads = [], None
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"cost after iteration {i}: {cost:.6f}")
    return {"w": w, "b": b}, grads, costs


def predict(w: np.ndarray, b: float, X: np.ndarray) -> np.ndarray:
    """0/1 predictions ``(1, m)``: 1 where σ(wᵀX + b) > 0.5."""
    return (sigmoid(w.T @ X + b) > 0.5).astype(float)


def model(X_train: np.ndarray, Y_train: np.ndarray, X_dev: np.ndarray, Y_dev: np.ndarray, num_iterations: int = 2000,
          learning_rate: float = 0.5, print_cost: bool = False) -> dict:
    """Initialize with zeros, optimize on the training set, predict on both sets.

    Returns a dict with ``costs``, ``Y_prediction_train``, ``Y_prediction_dev``, ``w``, ``b``,
    ``learning_rate`` and ``num_iterations``.
    """
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_train": predict(w, b, X_train),
            "Y_prediction_dev": predict(w, b, X_dev), "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
