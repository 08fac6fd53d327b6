"""Linear regression, the first model of assignment 01: a real-valued prediction ŷ = wᵀx + b.

``X: (n_x, m)`` (examples are columns), ``Y: (1, m)`` real numbers, ``w: (n_x, 1)``, ``b`` a number. The cost is
the squared error averaged over the examples, J = (1/2m) Σ (ŷ − y)² (the ½ cancels the 2 of the derivative),
and gradient descent starts from w = 0, b = 0. Its minimum also has a closed form, least squares
(``np.linalg.lstsq``), which the notebook compares with.
"""

import numpy as np


def linear_propagate(w: np.ndarray, b: float, X: np.ndarray,
                     Y: np.ndarray) -> tuple[dict[str, np.ndarray | float], float]:
    """Cost and gradients of the squared error.

    Ŷ = wᵀX + b; J = Σ(Ŷ − Y)² / 2m; dw = X(Ŷ − Y)ᵀ / m; db = Σ(Ŷ − Y) / m.
    Returns ``(grads, cost)`` with ``grads = {"dw": (n_x, 1), "db": float}`` and ``cost`` a float.
    """
    m = X.shape[1]
    residual = w.T @ X + b - np.asarray(Y, dtype=np.float64)      # Ŷ − Y: (1, m)
    grads = {"dw": X @ residual.T / m, "db": float(np.sum(residual) / m)}
    return grads, float(np.sum(residual ** 2) / (2 * m))


def linear_regression(X: np.ndarray, Y: np.ndarray, num_iterations: int = 100,
                      learning_rate: float = 0.1) -> tuple[dict[str, np.ndarray | float], list[float]]:
    """Gradient descent on the squared error from ``w = 0: (n_x, 1)``, ``b = 0``.

    Returns ``(params, costs)``: ``params = {"w", "b"}`` after ``num_iterations`` steps and the cost of every
    iteration (computed before that iteration's step).
    """
    w, b = np.zeros((X.shape[0], 1)), 0.0
    costs = []
    for _ in range(num_iterations):
        grads, cost = linear_propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        costs.append(cost)
    return {"w": w, "b": b}, costs
