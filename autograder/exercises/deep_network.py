"""Assignment "Deep network, step by step": the layer-level functions, checked against ``nncore``.

Backward cases are built by running nncore's forward pass, so caches are consistent (A = g(Z)).
"""

import numpy as np

from autograder.check import Checker
from autograder.exercise import Case, Exercise, distinct_dims, examples, labels
from nncore import init, layers, models, optim

ACTIVATIONS = ("sigmoid", "relu")


def _layer(rng, variant):
    n, n_prev = distinct_dims(rng, 2)
    m = examples(rng, variant)
    while m in (n, n_prev):
        m = examples(rng, variant)
    A_prev = rng.normal(size=(n_prev, m))
    W = rng.normal(size=(n, n_prev)) * 0.5
    b = rng.normal(size=(n, 1)) * 0.1
    return A_prev, W, b, f"n[l] = {n}, n[l-1] = {n_prev}, m = {m}"


def _network(rng, variant):
    depth = 2 + variant % 2
    layer_dims = distinct_dims(rng, depth) + [1]
    m = examples(rng, variant)
    X = rng.normal(size=(layer_dims[0], m))
    parameters = init.initialize_parameters_deep(layer_dims, "xavier", seed=rng)
    parameters = {k: v + (rng.normal(size=v.shape) * 0.1 if k.startswith("b") else 0) for k, v in parameters.items()}
    return X, parameters, m, f"layer_dims = {layer_dims}, m = {m}"


def _linear_forward_case(rng, variant):
    A_prev, W, b, label = _layer(rng, variant)
    return Case({"A_prev": A_prev, "W": W, "b": b}, A_prev.shape[1], label)


def _linear_backward_case(rng, variant):
    A_prev, W, b, label = _layer(rng, variant)
    Z, cache = layers.linear_forward(A_prev, W, b)
    return Case({"dZ": rng.normal(size=Z.shape), "cache": cache}, A_prev.shape[1], label)


def _linear_activation_forward_case(rng, variant):
    A_prev, W, b, label = _layer(rng, variant)
    activation = ACTIVATIONS[variant % 2]
    return Case({"A_prev": A_prev, "W": W, "b": b, "activation": activation}, A_prev.shape[1],
                f"{label}, activation {activation!r}")


def _linear_activation_backward_case(rng, variant):
    A_prev, W, b, label = _layer(rng, variant)
    activation = ACTIVATIONS[variant % 2]
    A, cache = layers.linear_activation_forward(A_prev, W, b, activation)
    return Case({"dA": rng.normal(size=A.shape), "cache": cache, "activation": activation}, A_prev.shape[1],
                f"{label}, activation {activation!r}")


def _L_model_forward_case(rng, variant):
    X, parameters, m, label = _network(rng, variant)
    return Case({"X": X, "parameters": parameters}, m, label)


def _L_model_backward_case(rng, variant):
    X, parameters, m, label = _network(rng, variant)
    AL, caches = models.L_model_forward(X, parameters)
    return Case({"AL": AL, "Y": labels(rng, m, variant), "caches": caches}, m, label)


def _compute_cost_case(rng, variant):
    m = examples(rng, variant)
    return Case({"AL": rng.uniform(0.05, 0.95, size=(1, m)), "Y": labels(rng, m, variant)}, m, f"m = {m}")


def _update_parameters_case(rng, variant):
    X, parameters, m, label = _network(rng, variant)
    grads = {"d" + k: rng.normal(size=v.shape) for k, v in parameters.items()}
    return Case({"parameters": parameters, "grads": grads, "learning_rate": 0.1}, None, label)


EXERCISES = {e.name: e for e in [
    Exercise("linear_forward", layers.linear_forward, _linear_forward_case, ("Z", "cache")),
    Exercise("linear_activation_forward", layers.linear_activation_forward, _linear_activation_forward_case,
             ("A", "cache"), uses=("linear_forward",)),
    Exercise("L_model_forward", models.L_model_forward, _L_model_forward_case, ("AL", "caches"),
             uses=("linear_activation_forward",)),
    Exercise("compute_cost", models.compute_cost, _compute_cost_case, ("cost",)),
    Exercise("linear_backward", layers.linear_backward, _linear_backward_case, ("dA_prev", "dW", "db")),
    Exercise("linear_activation_backward", layers.linear_activation_backward, _linear_activation_backward_case,
             ("dA_prev", "dW", "db"), uses=("linear_backward",)),
    Exercise("L_model_backward", models.L_model_backward, _L_model_backward_case, ("grads",),
             uses=("linear_activation_backward",)),
    Exercise("update_parameters", optim.update_parameters, _update_parameters_case, ("parameters",)),
]}

check = Checker(EXERCISES)
