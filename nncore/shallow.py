"""The one-hidden-layer network of the planar-data assignment, in the lecture's names.

LINEAR → tanh → LINEAR → sigmoid, trained by full-batch gradient descent on the binary cross-entropy.
``X: (n_x, m)``, ``Y: (n_y, m)`` (0/1, possibly uint8), ``W1: (n_h, n_x)``, ``b1: (n_h, 1)``,
``W2: (n_y, n_h)``, ``b2: (n_y, 1)``. The maths is ``nncore.layers``/``activations``/``losses``/
``optim``/``init``; this module only names the steps the way the exercises do.
"""

import numpy as np

from nncore import init, layers, losses, optim
from nncore.activations import sigmoid, tanh

N_H = 4
COST_EVERY = 100      # nn_model records the cost every 100 iterations (iteration 0 first)
PRINT_EVERY = 1000    # … and prints it every 1000 when print_cost is true


def layer_sizes(X, Y):
    """``(n_x, n_h, n_y)``: the input size, the hidden size (4) and the output size."""
    return X.shape[0], N_H, Y.shape[0]


def initialize_parameters(n_x, n_h, n_y, seed=2):
    """``W1 = 0.01·N(0,1): (n_h, n_x)``, ``b1 = 0: (n_h, 1)``, ``W2 = 0.01·N(0,1): (n_y, n_h)``, ``b2 = 0: (n_y, 1)``.

    The weights come from ``rng = np.random.default_rng(seed)``: ``rng.standard_normal((n_h, n_x))``
    first, then ``rng.standard_normal((n_y, n_h))``, each times 0.01.
    """
    return init.initialize_parameters_deep([n_x, n_h, n_y], "random", seed=seed, scale=0.01)


def forward_propagation(X, parameters):
    """Z1 = W1·X + b1, A1 = tanh(Z1), Z2 = W2·A1 + b2, A2 = σ(Z2).

    Returns ``A2: (n_y, m)`` and ``cache = {"Z1", "A1", "Z2", "A2"}``.
    """
    Z1, _ = layers.linear_forward(X, parameters["W1"], parameters["b1"])
    A1 = tanh(Z1)
    Z2, _ = layers.linear_forward(A1, parameters["W2"], parameters["b2"])
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    """The cross-entropy cost J = −(1/m) Σ [y·log a + (1 − y)·log(1 − a)] as a float."""
    return losses.binary_cross_entropy(A2, Y)


def backward_propagation(parameters, cache, X, Y):
    """Gradients of the cost for the parameters, from the forward pass's ``cache``.

    dZ2 = A2 − Y, dW2 = dZ2·A1ᵀ/m, db2 = Σ dZ2/m, dZ1 = W2ᵀ·dZ2 ⊙ (1 − A1²), dW1 = dZ1·Xᵀ/m,
    db1 = Σ dZ1/m (sums over the examples). Returns ``{"dW1", "db1", "dW2", "db2"}``.
    """
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - np.asarray(Y, dtype=A2.dtype)
    dA1, dW2, db2 = layers.linear_backward(dZ2, (A1, parameters["W2"], parameters["b2"]))
    dZ1 = dA1 * (1 - A1 ** 2)   # tanh'(Z1) written with the cached A1 = tanh(Z1)
    _, dW1, db1 = layers.linear_backward(dZ1, (X, parameters["W1"], parameters["b1"]), need_dA_prev=False)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters, grads, learning_rate=1.2):
    """One gradient-descent step θ ← θ − α·dθ; returns a new dictionary (the input is left untouched)."""
    return optim.update_parameters(parameters, grads, learning_rate)


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, seed=3, learning_rate=1.2):
    """Train the network with ``n_h`` hidden units by gradient descent.

    Parameters start from ``initialize_parameters(n_x, n_h, n_y, seed)``. Returns ``(parameters, costs)``
    with the cost recorded every 100 iterations (iteration 0 first), printed every 1000 if ``print_cost``.
    """
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


def predict(parameters, X):
    """0/1 predictions ``(1, m)``: 1 where the network's probability A2 exceeds 0.5."""
    A2, _ = forward_propagation(X, parameters)
    return (A2 > 0.5).astype(int)


def predict_proba(parameters, X):
    """The network's probabilities A2 for the points X (for decision-boundary pictures)."""
    return forward_propagation(X, parameters)[0]
