"""Assignment 04 "Deep network, step by step": the layer-level functions, checked against ``nncore``.

Backward cases are built by running nncore's forward pass, so caches are consistent (A = g(Z)).
Exercise-specific hints recompute the answer a known mistake would give (the other activation's
derivative, the legacy random generator, He scaling, …) and name the mistake when it matches.
"""

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise, distinct_dims, examples, labels
from nncore.i18n import _
from nncore import activations, init, layers, models, network, optim, shapes

ACTIVATIONS = ("sigmoid", "relu")
INIT_SCALE = 0.01


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


# ---- shapes and initialization ------------------------------------------------------------------

def initialize_parameters_deep(layer_dims, seed):
    """The exercise's contract: W{l} = 0.01·N(0, 1), drawn layer by layer from default_rng(seed); b{l} = 0."""
    return init.initialize_parameters_deep(layer_dims, "random", seed=seed, scale=INIT_SCALE)


def _layer_dims(rng, variant):
    """Variant 0: two layers; 1: three layers; 2: three layers ending in a single output unit."""
    return distinct_dims(rng, 3 if variant == 0 else 4) if variant < 2 else distinct_dims(rng, 3) + [1]


def _layer_shapes_case(rng, variant):
    layer_dims = _layer_dims(rng, variant)
    m = examples(rng, variant)
    while variant != 2 and m in layer_dims:  # m = 1 is the edge variant's point, even with a one-unit layer
        m = examples(rng, variant)
    return Case({"layer_dims": layer_dims, "m": m}, m, f"layer_dims = {layer_dims}, m = {m}")


def _init_case(rng, variant):
    layer_dims = _layer_dims(rng, variant)
    seed = int(rng.integers(0, 100_000))
    return Case({"layer_dims": layer_dims, "seed": seed}, None, f"layer_dims = {layer_dims}, seed = {seed}")


def _layer_shapes_transposed_hint(case, got):
    expected = shapes.layer_shapes(**case.kwargs)
    flipped = [k for k, s in expected.items()
               if k in got and tuple(got[k]) != s and tuple(got[k]) == s[::-1]]
    if not flipped:
        return None
    if all(k.startswith("W") for k in flipped):
        return Hint("weight_shapes_transposed", _(
            "the weight shapes are transposed ({keys}): W[l] is (n[l], n[l-1]), one row per unit of layer l and one "
            "column per unit of the layer below, so that W[l]·A[l-1] is defined").format(keys=", ".join(flipped)))
    return Hint("shapes_transposed", _("transposed shapes for {keys}: rows are units and the m examples are columns; "
                                       "W[l] is (n[l], n[l-1]), b[l] is (n[l], 1), Z[l] and A[l] are (n[l], m)").format(
                                           keys=", ".join(flipped)))


def _got_weights(case, got):
    L = len(case.kwargs["layer_dims"]) - 1
    return [np.asarray(got[f"W{l}"], dtype=np.float64) for l in range(1, L + 1)]


def _same_weights(case, got, reference):
    """True when every got W{l} has the shape and values of ``reference[l-1]``."""
    weights = _got_weights(case, got)
    return all(W.shape == R.shape and np.allclose(W, R, rtol=1e-5, atol=1e-12) for W, R in zip(weights, reference))


def _init_zero_hint(case, got):
    if all(not np.any(W) for W in _got_weights(case, got)):
        return Hint("init_zero_weights", _(
            "every weight is 0: all units of a layer would then compute the same thing and learn the same thing "
            "(symmetry is never broken). Draw them: rng.standard_normal((n[l], n[l-1])) * 0.01. (A He-style "
            "np.sqrt(2 // n) also gives 0: // is integer division.)"))
    return None


def _init_uniform_hint(case, got):
    weights = _got_weights(case, got)
    if all(np.all(W >= 0) for W in weights) and any(np.any(W > 0) for W in weights):
        return Hint("init_uniform_weights", _(
            "every weight is positive: that is the uniform distribution on [0, 1) (np.random.rand, rng.random). Draw "
            "from the normal distribution N(0, 1), which has both signs: rng.standard_normal(...) * 0.01"))
    return None


def _init_legacy_hint(case, got):
    layer_dims, seed = case.kwargs["layer_dims"], case.kwargs["seed"]
    legacy = np.random.RandomState(seed)  # the same stream as np.random.seed(seed); np.random.randn(...)
    reference = [legacy.randn(layer_dims[l], layer_dims[l - 1]) * INIT_SCALE for l in range(1, len(layer_dims))]
    if _same_weights(case, got, reference):
        return Hint("legacy_random_seed", _(
            "these are the numbers of the legacy np.random.seed(seed) + np.random.randn(...). This course draws from "
            "one generator: rng = np.random.default_rng(seed), then rng.standard_normal((n[l], n[l-1])) * 0.01"))
    return None


def _init_restarted_hint(case, got):
    layer_dims, seed = case.kwargs["layer_dims"], case.kwargs["seed"]
    reference = [np.random.default_rng(seed).standard_normal((layer_dims[l], layer_dims[l - 1])) * INIT_SCALE
                 for l in range(1, len(layer_dims))]
    if _same_weights(case, got, reference):
        return Hint("generator_recreated_per_layer", _(
            "every layer starts the same random stream again: np.random.default_rng(seed) is created inside the "
            "loop. Create the generator once, before the loop, and draw every layer from it in order"))
    return None


def _init_scale_hint(case, got):
    """The right random numbers with another scale: missing 0.01, He or Xavier scaling, or another factor."""
    expected = initialize_parameters_deep(**case.kwargs)
    factors = []
    for l, W in enumerate(_got_weights(case, got), 1):
        E = expected[f"W{l}"]
        if W.shape != E.shape:
            return None
        c = float(np.sum(W * E) / np.sum(E * E))
        if not np.allclose(W, c * E, rtol=1e-5, atol=1e-12):
            return None
        factors.append(c * INIT_SCALE)
    factors = np.array(factors)
    n_prev = np.array(case.kwargs["layer_dims"][:-1], dtype=np.float64)
    if np.allclose(factors, INIT_SCALE, rtol=1e-4):
        return None
    if np.allclose(factors, np.sqrt(2 / n_prev), rtol=1e-4):
        return Hint("init_he_scaling_used", _(
            "your weights are the right random numbers scaled by √(2/n[l-1]) (He initialization) instead of 0.01: He "
            "comes in a later assignment; this one's contract is the lecture's 0.01·N(0, 1)"))
    if np.allclose(factors, np.sqrt(1 / n_prev), rtol=1e-4):
        return Hint("init_xavier_scaling_used", _(
            "your weights are the right random numbers scaled by √(1/n[l-1]) (Xavier initialization) instead of "
            "0.01: Xavier comes in a later assignment; this one's contract is the lecture's 0.01·N(0, 1)"))
    if np.allclose(factors, 1, rtol=1e-4):
        return Hint("init_scale_missing", _("the right random numbers, but 100 times too large: the × 0.01 is missing"))
    if np.allclose(factors, factors[0], rtol=1e-4):
        return Hint("init_wrong_scale", _("the right random numbers, but scaled by {factor} instead of 0.01").format(
            factor=f"{factors[0]:.6g}"))
    return Hint("init_scale_varies_by_layer", _(
        "the right random numbers, but each layer is scaled by a different factor ({factors}): multiply every layer "
        "by 0.01").format(factors=", ".join(f"{f:.4g}" for f in factors)))


# ---- forward ------------------------------------------------------------------------------------

def _linear_forward_case(rng, variant):
    A_prev, W, b, label = _layer(rng, variant)
    return Case({"A_prev": A_prev, "W": W, "b": b}, A_prev.shape[1], label)


def _linear_activation_forward_case(rng, variant):
    A_prev, W, b, label = _layer(rng, variant)
    activation = ACTIVATIONS[variant % 2]
    return Case({"A_prev": A_prev, "W": W, "b": b, "activation": activation}, A_prev.shape[1],
                _("{sizes}, activation {activation}").format(sizes=label, activation=repr(activation)))


def _L_model_forward_case(rng, variant):
    X, parameters, m, label = _network(rng, variant)
    return Case({"X": X, "parameters": parameters}, m, label)


def _forward_activation_hint(case, got):
    X, parameters = case.kwargs["X"], case.kwargs["parameters"]
    for hidden, output, hint in [
            ("sigmoid", "sigmoid", Hint("sigmoid_in_hidden_layers", _(
                "your AL and caches are those of a network with sigmoid in the hidden layers too: layers 1 … L−1 use "
                "\"relu\", only layer L uses \"sigmoid\""))),
            ("relu", "relu", Hint("relu_in_output_layer", _(
                "your AL and caches are those of a network with ReLU in the output layer too: layer L uses "
                "\"sigmoid\" so that AL is a probability"))),
            ("sigmoid", "relu", Hint("activations_swapped", _(
                "your AL and caches are those of a network with the activations swapped: hidden layers use "
                "\"relu\", the output layer \"sigmoid\"")))]:
        if matches(models.L_model_forward(X, parameters, hidden, output), tuple(got)):
            return hint
    return None


def _forward_layer_count_hint(case, got):
    L = network.n_layers(case.kwargs["parameters"])
    count = len(got[1])
    if count == L - 1:
        entries = _("1 entry") if count == 1 else _("{count} entries").format(count=count)
        return Hint("output_layer_missing", _(
            "caches has {entries} for L = {L} layers: the loop covers the hidden layers 1 … L−1, so the output layer "
            "L still needs its own linear_activation_forward(…, \"sigmoid\") after it").format(entries=entries, L=L))
    return None


def _compute_cost_case(rng, variant):
    m = examples(rng, variant)
    return Case({"AL": rng.uniform(0.05, 0.95, size=(1, m)), "Y": labels(rng, m, variant)}, m, f"m = {m}")


# ---- backward -----------------------------------------------------------------------------------

def _linear_backward_case(rng, variant):
    A_prev, W, b, label = _layer(rng, variant)
    Z, cache = layers.linear_forward(A_prev, W, b)
    return Case({"dZ": rng.normal(size=Z.shape), "cache": cache}, A_prev.shape[1], label)


def _linear_activation_backward_case(rng, variant):
    A_prev, W, b, label = _layer(rng, variant)
    activation = ACTIVATIONS[variant % 2]
    A, cache = layers.linear_activation_forward(A_prev, W, b, activation)
    return Case({"dA": rng.normal(size=A.shape), "cache": cache, "activation": activation}, A_prev.shape[1],
                _("{sizes}, activation {activation}").format(sizes=label, activation=repr(activation)))


def _derivative_hint(case, got):
    dA, cache, activation = case.kwargs["dA"], case.kwargs["cache"], case.kwargs["activation"]
    linear_cache, Z = cache
    other = "relu" if activation == "sigmoid" else "sigmoid"
    if matches(layers.linear_activation_backward(dA, cache, other), got):
        return Hint("other_activation_derivative", _(
            "these are the gradients for a {other} layer, but activation is {activation}: pick the derivative g'(Z) "
            "by the activation argument").format(other=repr(other), activation=repr(activation)))
    if matches(layers.linear_backward(dA, linear_cache), got):
        return Hint("activation_derivative_missing", _("dA went straight into linear_backward: first multiply by the "
                                                       "activation's derivative, dZ = dA * g'(Z)"))
    if activation == "sigmoid" and matches(layers.linear_backward(dA * Z * (1 - Z), linear_cache), got):
        return Hint("sigmoid_derivative_of_input", _(
            "you used Z·(1 − Z): the sigmoid's derivative is s·(1 − s) with s = σ(Z) (the cache holds Z, not A, so "
            "compute s = sigmoid(Z) first)"))
    return None


def _L_model_backward_case(rng, variant):
    X, parameters, m, label = _network(rng, variant)
    AL, caches = models.L_model_forward(X, parameters)
    return Case({"AL": AL, "Y": labels(rng, m, variant), "caches": caches}, m, label)


def backprop_variant(AL, Y, caches, output_dZ, hidden_backward):
    """L_model_backward with the output layer's dZ[L] given and ``hidden_backward(dA, Z) -> dZ`` for layers < L.

    With ``AL − Y`` and ``activations.relu_backward`` this is the correct backprop; other choices give the
    gradients a known mistake produces (the hints compare the learner's answer with them).
    """
    L = len(caches)
    grads = {}
    dZ = output_dZ
    for l in range(L, 0, -1):
        linear_cache, Z = caches[l - 1]
        if l < L:
            dZ = hidden_backward(grads[f"dA{l}"], Z)
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = layers.linear_backward(dZ, linear_cache)
    return grads


def _backward_activation_hint(case, got):
    AL, caches = case.kwargs["AL"], case.kwargs["caches"]
    Y = np.asarray(case.kwargs["Y"], dtype=np.float64).reshape(AL.shape)
    ZL = caches[-1][1]
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    relu_b, sigmoid_b = activations.relu_backward, activations.sigmoid_backward
    for output_dZ, hidden_backward, hint in [
            (AL - Y, sigmoid_b, Hint("sigmoid_derivative_in_hidden_layers", _(
                "your gradients are those of backprop with the sigmoid derivative in the hidden layers: layers 1 … "
                "L−1 are ReLU layers, so their dZ = dA * (Z > 0) (call linear_activation_backward with \"relu\")"))),
            (relu_b(dAL, ZL), relu_b, Hint("relu_derivative_in_output_layer", _(
                "your gradients are those of backprop with the ReLU derivative in the output layer: layer L is a "
                "sigmoid layer (call linear_activation_backward with \"sigmoid\" for it)"))),
            (sigmoid_b(AL - Y, ZL), relu_b, Hint("sigmoid_derivative_applied_twice", _(
                "your gradients are those of backprop with the sigmoid derivative applied twice in the output layer: "
                "AL − Y is already dZ[L]. Either start from dAL = −(Y/AL − (1−Y)/(1−AL)) and call "
                "linear_activation_backward(dAL, …, \"sigmoid\"), or start from dZ[L] = AL − Y and call "
                "linear_backward"))),
            (AL - Y, lambda dA, Z: dA, Hint("relu_derivative_missing", _(
                "your gradients are those of backprop with no ReLU derivative in the hidden layers: dZ = dA * (Z > 0), "
                "not dA")))]:
        if matches(backprop_variant(AL, Y, caches, output_dZ, hidden_backward), got):
            return hint
    return None


def _backward_keys_hint(case, got):
    """dW/db keys numbered one off (a shifted dA key is the generic diagnosis's, in autograder.learner.compare)."""
    L = len(case.kwargs["caches"])
    for prefix in ("dW", "db"):
        want = [f"{prefix}{l}" for l in range(1, L + 1)]
        have = sorted(k for k in got if str(k).startswith(prefix))
        if len(have) == len(want) and set(have) != set(want):
            return Hint("grads_keys_off_by_one", _(
                "the gradient keys are numbered off by one: you stored {have}, expected {want}. Layer l's backward "
                "step stores dW{{l}} and db{{l}} of layer l, and dA{{l-1}}, the gradient for the layer below (the last "
                "step stores dA0)").format(have=have, want=want))
    return None


def _update_parameters_case(rng, variant):
    X, parameters, m, label = _network(rng, variant)
    grads = {"d" + k: rng.normal(size=v.shape) for k, v in parameters.items()}
    return Case({"parameters": parameters, "grads": grads, "learning_rate": 0.1}, None, label)


def _uphill_hint(case, got):
    parameters, grads, alpha = case.kwargs.values()
    if matches({k: v + alpha * grads["d" + k] for k, v in parameters.items()}, got):
        return Hint("gradient_ascent", _("θ + α·dθ climbs up the cost: gradient descent steps against the gradient, "
                                         "θ − α·dθ"))
    return None


EXERCISES = {e.name: e for e in [
    Exercise("layer_shapes", shapes.layer_shapes, _layer_shapes_case, ("shapes",),
             hints=(_layer_shapes_transposed_hint,)),
    Exercise("initialize_parameters_deep", initialize_parameters_deep, _init_case, ("parameters",),
             hints=(_init_zero_hint, _init_uniform_hint, _init_legacy_hint, _init_restarted_hint, _init_scale_hint)),
    Exercise("linear_forward", layers.linear_forward, _linear_forward_case, ("Z", "cache")),
    Exercise("linear_activation_forward", layers.linear_activation_forward, _linear_activation_forward_case,
             ("A", "cache"), uses=("linear_forward",)),
    Exercise("L_model_forward", models.L_model_forward, _L_model_forward_case, ("AL", "caches"),
             uses=("linear_activation_forward",), hints=(_forward_layer_count_hint, _forward_activation_hint)),
    Exercise("compute_cost", models.compute_cost, _compute_cost_case, ("cost",)),
    Exercise("linear_backward", layers.linear_backward, _linear_backward_case, ("dA_prev", "dW", "db")),
    Exercise("linear_activation_backward", layers.linear_activation_backward, _linear_activation_backward_case,
             ("dA_prev", "dW", "db"), uses=("linear_backward",), hints=(_derivative_hint,)),
    Exercise("L_model_backward", models.L_model_backward, _L_model_backward_case, ("grads",),
             uses=("linear_activation_backward",), hints=(_backward_keys_hint, _backward_activation_hint)),
    Exercise("update_parameters", optim.update_parameters, _update_parameters_case, ("parameters",),
             hints=(_uphill_hint,)),
]}

# What the notebook's setup cell hands the learner: usable in answers, never counted as borrowing.
check = Checker(EXERCISES, provided=(activations.sigmoid, activations.relu))
