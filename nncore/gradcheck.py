"""Gradient checking for any parameter dictionary (any number of layers, any shapes).

Compare backprop's ``grads`` with the centred difference (J(θ+ε) − J(θ−ε)) / 2ε, one entry at a time,
by the relative difference ‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂). Below ``THRESHOLD`` backprop is taken as right.

The default ε = 1e-5 balances the centred difference's truncation error (∝ ε²) against rounding error
(∝ 1/ε): with the lecture's ε = 1e-7, correct backprop of a deep sigmoid net can measure 3e-7.
"""

from collections.abc import Callable

import numpy as np

THRESHOLD = 1e-7


def dictionary_to_vector(parameters: dict[str, np.ndarray], keys: list[str] | None = None) -> np.ndarray:
    """All arrays of ``parameters`` (in ``keys`` order, default: the dict's order) as one ``(n, 1)`` column."""
    keys = list(parameters) if keys is None else keys
    return np.concatenate([np.reshape(parameters[k], (-1, 1)) for k in keys], axis=0)


def vector_to_dictionary(theta: np.ndarray, template: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The inverse of ``dictionary_to_vector``: cut ``theta`` into arrays shaped like ``template``'s."""
    needed = sum(np.size(v) for v in template.values())
    if needed != np.size(theta):
        raise ValueError(f"theta has {np.size(theta)} entries but the template holds {needed}")
    out, start = {}, 0
    for k, v in template.items():
        size = np.size(v)
        out[k] = np.reshape(theta[start:start + size], np.shape(v))
        start += size
    return out


def gradients_to_vector(grads: dict[str, np.ndarray], parameters: dict[str, np.ndarray]) -> np.ndarray:
    """The gradients ``d<key>`` for each key of ``parameters``, as one column in the same order."""
    return dictionary_to_vector({k: grads["d" + k] for k in parameters})


def numerical_gradient(cost: Callable[[dict[str, np.ndarray]], float], parameters: dict[str, np.ndarray],
                       epsilon: float = 1e-5) -> dict[str, np.ndarray]:
    """Centred-difference gradient of ``cost(parameters) -> float``, shaped like ``parameters``."""
    theta = dictionary_to_vector(parameters).astype(np.float64)
    approx = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        approx[i] = (cost(vector_to_dictionary(plus, parameters))
                     - cost(vector_to_dictionary(minus, parameters))) / (2 * epsilon)
    return {"d" + k: v for k, v in vector_to_dictionary(approx, parameters).items()}


def relative_difference(grad: np.ndarray, grad_approx: np.ndarray) -> float:
    """‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂) for two arrays (or columns) of the same size; 0 when both are zero."""
    grad, grad_approx = np.ravel(grad), np.ravel(grad_approx)
    denominator = np.linalg.norm(grad) + np.linalg.norm(grad_approx)
    return float(np.linalg.norm(grad - grad_approx) / denominator) if denominator else 0.0


def gradient_check(cost: Callable[[dict[str, np.ndarray]], float], parameters: dict[str, np.ndarray],
                   grads: dict[str, np.ndarray], epsilon: float = 1e-5) -> float:
    """Relative difference between backprop's ``grads`` and the numerical gradient of ``cost``."""
    approx = numerical_gradient(cost, parameters, epsilon)
    return relative_difference(gradients_to_vector(grads, parameters), gradients_to_vector(approx, parameters))


# ---- the one-parameter warm-up: J(θ) = θ·x --------------------------------------------------------

def linear_cost(x: float, theta: float) -> float:
    """The warm-up's forward pass: J(θ) = θ·x."""
    return theta * x


def linear_cost_gradient(x: float, theta: float) -> float:
    """The warm-up's backward pass: dJ/dθ = x (θ is the variable, x a constant)."""
    return x


def gradient_check_1d(forward: Callable[[float, float], float], backward: Callable[[float, float], float], x: float,
                      theta: float, epsilon: float = 1e-5) -> float:
    """Relative difference |g − ĝ| / (|g| + |ĝ|) between ``backward(x, theta)`` and the centred difference
    (forward(x, θ+ε) − forward(x, θ−ε)) / 2ε of a one-parameter cost; 0 when both are zero."""
    approx = (forward(x, theta + epsilon) - forward(x, theta - epsilon)) / (2 * epsilon)
    return relative_difference(backward(x, theta), approx)

