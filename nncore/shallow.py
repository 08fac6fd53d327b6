"""The one-hidden-layer network of the planar-data assignment, in the lecture's names.

LINEAR → tanh → LINEAR → sigmoid, trained by full-batch gradient descent on the binary cross-entropy.
``X: (n_x, m)``, ``Y: (n_y, m)`` (0/1, possibly uint8), ``W1: (n_h, n_x)``, ``b1: (n_h, 1)``,
``W2: (n_y, n_h)``, ``b2: (n_y, 1)``. The maths is ``nncore.network``'s (with a tanh hidden layer) and
``losses``/``optim``/``init``'s; this module only names the steps the way the exercises do. ``collapse_linear_layers``
is the lesson of the assignment's section on linear activations: any stack of linear layers is one linear layer.
"""

import numpy as np

from nncore import init, losses, network, optim

N_H = 4
COST_EVERY = 100      # nn_model records the cost every 100 iterations (iteration 0 first)
PRINT_EVERY = 1000    # … and prints it every 1000 when print_cost is true


def layer_sizes(X: np.ndarray, Y: np.ndarray) -> tuple[int, int, int]:
    """``(n_x, n_h, n_y)``: the input size, the hidden size (4) and the output size."""
    return X.shape[0], N_H, Y.shape[0]


def initialize_parameters(n_x: int, n_h: int, n_y: int, seed: int = 2) -> dict[str, np.ndarray]:
    """``W1 = 0.01·N(0,1): (n_h, n_x)``, ``b1 = 0: (n_h, 1)``, ``W2 = 0.01·N(0,1): (n_y, n_h)``, ``b2 = 0: (n_y, 1)``.

    The weights come from ``rng = np.random.default_rng(seed)``: ``rng.standard_normal((n_h, n_x))``
    first, then ``rng.standard_normal((n_y, n_h))``, each times 0.01.
    """
    return init.initialize_parameters_deep([n_x, n_h, n_y], "random", seed=seed, scale=0.01)


def forward_propagation(X: np.ndarray, parameters: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Z1 = W1·X + b1, A1 = tanh(Z1), Z2 = W2·A1 + b2, A2 = σ(Z2).

    Returns ``A2: (n_y, m)`` and ``cache = {"Z1", "A1", "Z2", "A2"}``.
    """
    A2, (layer1, layer2) = network.forward(X, parameters, hidden="tanh")
    return A2, {"Z1": layer1["Z"], "A1": layer2["A_prev"], "Z2": layer2["Z"], "A2": A2}


def compute_cost(A2: np.ndarray, Y: np.ndarray) -> float:
    """The cross-entropy cost J = −(1/m) Σ [y·log a + (1 − y)·log(1 − a)] as a float."""
    return losses.binary_cross_entropy(A2, Y)


def backward_propagation(parameters: dict[str, np.ndarray], cache: dict[str, np.ndarray], X: np.ndarray,
                         Y: np.ndarray) -> dict[str, np.ndarray]:
    """Gradients of the cost for the parameters, from the forward pass's ``cache``.

    dZ2 = A2 − Y, dW2 = dZ2·A1ᵀ/m, db2 = Σ dZ2/m, dZ1 = W2ᵀ·dZ2 ⊙ (1 − A1²), dW1 = dZ1·Xᵀ/m,
    db1 = Σ dZ1/m (sums over the examples). Returns ``{"dW1", "db1", "dW2", "db2"}``.
    """
    caches = [{"A_prev": X, "W": parameters["W1"], "Z": cache["Z1"], "A": cache["A1"]},
              {"A_prev": cache["A1"], "W": parameters["W2"], "Z": cache["Z2"]}]
    grads = network.backward(cache["A2"], Y, caches, hidden="tanh")
    return {"dW1": grads["dW1"], "db1": grads["db1"], "dW2": grads["dW2"], "db2": grads["db2"]}


def update_parameters(parameters: dict[str, np.ndarray], grads: dict[str, np.ndarray],
                      learning_rate: float = 1.2) -> dict[str, np.ndarray]:
    """One gradient-descent step θ ← θ − α·dθ; returns a new dictionary (the input is left untouched)."""
    return optim.update_parameters(parameters, grads, learning_rate)


def nn_model(X: np.ndarray, Y: np.ndarray, n_h: int, num_iterations: int = 10000, print_cost: bool = False,
             seed: int = 3, learning_rate: float = 1.2,
             parameters: dict[str, np.ndarray] | None = None) -> tuple[dict[str, np.ndarray], list[float]]:
    """Train the network with ``n_h`` hidden units by gradient descent.

    Training starts from ``parameters`` when given (any starting point, e.g. equal weights), else from
    ``initialize_parameters(n_x, n_h, n_y, seed)``. Returns ``(parameters, costs)`` with the cost recorded every
    100 iterations (iteration 0 first), printed every 1000 if ``print_cost``.
    """
    if parameters is None:
        n_x, _, n_y = layer_sizes(X, Y)
        parameters = initialize_parameters(n_x, n_h, n_y, seed)
    costs = []
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % COST_EVERY == 0:
            cost = compute_cost(A2, Y)
            costs.append(cost)
            if print_cost and i % PRINT_EVERY == 0:
                print(f"cost after iteration {i}: {cost:.6f}")
    return parameters, costs


def predict(parameters: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """0/1 predictions ``(1, m)``: 1 where the network's probability A2 exceeds 0.5."""
    A2, _ = forward_propagation(X, parameters)
    return (A2 > 0.5).astype(int)


def predict_proba(parameters: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """The network's probabilities A2 for the points X (for decision-boundary pictures)."""
    return forward_propagation(X, parameters)[0]


def collapse_linear_layers(parameters: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The single linear layer that a stack of L linear layers (activation g(z) = z) computes.

    A[L] = W[L](⋯(W[1]·X + b[1])⋯) + b[L] = W·X + b with ``W`` = W[L]⋯W[2]W[1]: ``(n[L], n[0])`` and
    ``b`` = W[L](⋯(W[2]·b[1] + b[2])⋯) + b[L]: ``(n[L], 1)``, for ``parameters`` ``W1, b1, …, WL, bL``.
    Returns ``{"W": W, "b": b}``.
    """
    W, b = parameters["W1"], parameters["b1"]
    for l in range(2, network.n_layers(parameters) + 1):
        W_l = parameters[f"W{l}"]
        W, b = W_l @ W, W_l @ b + parameters[f"b{l}"]
    return {"W": W, "b": b}
