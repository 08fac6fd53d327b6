"""Assignment "One hidden layer on planar data": layer_sizes, initialize_parameters, forward_propagation,
compute_cost, backward_propagation, update_parameters, nn_model, predict and collapse_linear_layers (why the
hidden layer needs a non-linear activation) — checked against ``nncore.shallow``.

Backward cases are built by running ``nncore.shallow.forward_propagation`` on the same parameters, so
every cache is consistent (A1 = tanh(Z1), A2 = σ(Z2)).
"""

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise, distinct_dims, examples, labels
from nncore.i18n import _
from nncore import shallow
from nncore.activations import sigmoid


def _close(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-9)


# ---- fixtures -----------------------------------------------------------------------------------

def _sizes(rng, variant):
    """n_x, n_h, n_y, m: all different (so swapped axes show), m = 1 for the edge variant."""
    n_x, n_h = distinct_dims(rng, 2, low=2, high=7)
    m = examples(rng, variant)
    while m in (n_x, n_h):
        m = examples(rng, variant)
    return n_x, n_h, 1, m


def _parameters(rng, n_x, n_h, n_y):
    """Weights large enough that tanh is not linear, and non-zero biases (a forgotten b shows)."""
    return {"W1": rng.normal(size=(n_h, n_x)) * 0.8, "b1": rng.normal(size=(n_h, 1)) * 0.3,
            "W2": rng.normal(size=(n_y, n_h)) * 0.8, "b2": rng.normal(size=(n_y, 1)) * 0.3}


def _network(rng, variant):
    """X, parameters, m and the sizes (for messages) of a case."""
    n_x, n_h, n_y, m = _sizes(rng, variant)
    X = rng.normal(size=(n_x, m))
    return X, _parameters(rng, n_x, n_h, n_y), m, f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}, m = {m}"


def _with_labels(sizes, variant):
    """The sizes and the kind of labels of a case, for messages."""
    return _("{sizes}, {dtype} labels").format(sizes=sizes, dtype="uint8" if variant == 1 else "float")


def _layer_sizes_case(rng, variant):
    n_x = distinct_dims(rng, 1, low=2, high=9)[0]
    m = examples(rng, variant)
    if variant == 0:   # two output units, as the lecture's own test: n_y is Y.shape[0], not a constant 1
        n_y = 2
        Y = (rng.random((n_y, m)) > 0.5).astype(np.float64)
    else:
        n_y, Y = 1, labels(rng, m, variant)
    return Case({"X": rng.normal(size=(n_x, m)), "Y": Y}, m,
                _("X of shape ({n_x}, {m}), Y of shape ({n_y}, {m})").format(n_x=n_x, m=m, n_y=n_y))


def _initialize_case(rng, variant):
    n_x, n_h = distinct_dims(rng, 2, low=2, high=7)
    n_y = 1 if variant != 1 else 2
    seed = int(rng.integers(10_000, 100_000)) if variant else 2
    return Case({"n_x": n_x, "n_h": n_h, "n_y": n_y, "seed": seed}, None,
                f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}, seed = {seed}")


def _forward_case(rng, variant):
    X, parameters, m, sizes = _network(rng, variant)
    return Case({"X": X, "parameters": parameters}, m, sizes)


def _cost_case(rng, variant):
    m = examples(rng, variant)
    return Case({"A2": rng.uniform(0.05, 0.95, size=(1, m)), "Y": labels(rng, m, variant)}, m,
                _with_labels(f"m = {m}", variant))


def _backward_case(rng, variant):
    X, parameters, m, sizes = _network(rng, variant)
    cache = shallow.forward_propagation(X, parameters)[1]
    return Case({"parameters": parameters, "cache": cache, "X": X, "Y": labels(rng, m, variant)}, m,
                _with_labels(sizes, variant))


def _update_case(rng, variant):
    n_x, n_h, n_y = _sizes(rng, variant)[:3]
    parameters = _parameters(rng, n_x, n_h, n_y)
    grads = {"d" + k: rng.normal(size=v.shape) for k, v in parameters.items()}
    learning_rate = round(float(rng.uniform(0.1, 2.0)), 2)
    return Case({"parameters": parameters, "grads": grads, "learning_rate": learning_rate}, None,
                _("n_x = {n_x}, n_h = {n_h}, n_y = {n_y}, learning rate {learning_rate}").format(
                    n_x=n_x, n_h=n_h, n_y=n_y, learning_rate=learning_rate))


def _nn_model_case(rng, variant):
    """A small XOR-like set; variant 1 has uint8 labels and another learning rate, variant 2 one example and its
    own starting parameters (which the seed must then not replace)."""
    m = 1 if variant == 2 else int(rng.integers(12, 31))
    X = rng.normal(size=(2, m))
    Y = (X[0] * X[1] > 0).reshape(1, m)          # XOR-like: a boundary a straight line cannot draw
    Y = Y.astype(np.uint8) if variant == 1 else Y.astype(np.float64)
    n_h = int(rng.choice([2, 3, 5, 6]))          # never 4: the n_h argument must be used
    iterations = int(rng.integers(101, 260))
    seed = int(rng.integers(10_000, 100_000))
    learning_rate = 1.2 if variant == 0 else float(rng.choice([0.5, 0.8]))   # the argument must reach the update
    start = _parameters(rng, 2, n_h, 1) if variant == 2 else None
    label = _("{case}, n_h = {n_h}, {iterations} iterations, seed = {seed}, learning rate {learning_rate}").format(
        case=_with_labels(f"n_x = 2, m = {m}", variant), n_h=n_h, iterations=iterations, seed=seed,
        learning_rate=learning_rate)
    if start is not None:
        label = _("{case}, starting from the given parameters").format(case=label)
    return Case({"X": X, "Y": Y, "n_h": n_h, "num_iterations": iterations, "print_cost": False, "seed": seed,
                 "learning_rate": learning_rate, "parameters": start}, m, label)


def _collapse_case(rng, variant):
    """A stack of L linear layers of different widths: L = 3, the L = 2 of this assignment's network, or L = 1."""
    L = (3, 2, 1)[variant]
    dims = distinct_dims(rng, L + 1, low=2, high=7)
    parameters = {}
    for l in range(1, L + 1):
        parameters[f"W{l}"] = rng.normal(size=(dims[l], dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(size=(dims[l], 1))
    return Case({"parameters": parameters}, None,
                _("L = {L} linear layer(s), sizes n[0], …, n[L] = {dims}").format(L=L, dims=dims))


def _predict_case(rng, variant):
    X, parameters, m, sizes = _network(rng, variant)
    return Case({"parameters": parameters, "X": X}, m, sizes)


# ---- exercise-specific hints ---------------------------------------------------------------------

def _weights(case, draw, order=("W1", "W2"), fresh=False):
    """The weights ``draw(rng, shape)`` gives when drawn in ``order`` from default_rng(seed) (a fresh generator per
    matrix if ``fresh``)."""
    k = case.kwargs
    shapes = {"W1": (k["n_h"], k["n_x"]), "W2": (k["n_y"], k["n_h"])}
    rng = np.random.default_rng(k["seed"])
    out = {}
    for name in order:
        if fresh:
            rng = np.random.default_rng(k["seed"])
        out[name] = draw(rng, shapes[name])
    return out


def _matches(got, weights):
    return all(_close(got[name], w) for name, w in weights.items())


def _uniform_weights(case, got):
    W = np.concatenate([np.ravel(got["W1"]), np.ravel(got["W2"])])
    if np.all(W >= 0) and np.ptp(W) > 0:
        finding = _("every weight is positive and below 0.01") if np.all(W < 0.01) else _("every weight is positive")
        return Hint("init_uniform_weights", _("{finding}: that is np.random.rand / rng.random (uniform on [0, 1)); the "
                                              "weights should be rng.standard_normal(...) * 0.01 (normal, mean 0, both "
                                              "signs)").format(finding=finding))
    return None


def _legacy_randn(case, got):
    k = case.kwargs
    rs = np.random.RandomState(k["seed"])
    legacy = {"W1": rs.randn(k["n_h"], k["n_x"]) * 0.01, "W2": rs.randn(k["n_y"], k["n_h"]) * 0.01}
    if _matches(got, legacy):
        return Hint("legacy_random_seed", _(
            "these are the numbers of np.random.seed({seed}) + np.random.randn: this course draws from a Generator "
            "instead — rng = np.random.default_rng(seed), then rng.standard_normal((n_h, n_x)) * 0.01").format(
                seed=k["seed"]))
    return None


def _scale_forgotten(case, got):
    normal = _weights(case, lambda rng, shape: rng.standard_normal(shape))
    if _matches(got, normal):
        return Hint("init_scale_missing", _("the weights are 100 times too large: multiply the standard normal "
                                            "draws by 0.01"))
    return None


def _drawn_in_another_order(case, got):
    draw = lambda rng, shape: rng.standard_normal(shape) * 0.01  # noqa: E731
    if _matches(got, _weights(case, draw, order=("W2", "W1"))):
        return Hint("weights_drawn_in_another_order", _("W1 holds the numbers the reference draws second (and W2 the "
                                                        "first ones): draw W1 first, then W2, from the same generator"))
    if _matches(got, _weights(case, draw, fresh=True)):
        return Hint("generator_recreated_per_layer", _("W2 starts with the same numbers as W1: the generator was "
                                                       "created again for W2; create rng = np.random.default_rng(seed) "
                                                       "once and draw W1, then W2, from it"))
    return None


def _hidden_activation(case, got):
    cache = got[1]
    if _close(cache["A1"], sigmoid(cache["Z1"])):
        return Hint("hidden_sigmoid_not_tanh", _("A1 = σ(Z1): the hidden layer uses tanh, A1 = np.tanh(Z1) (the "
                                                 "sigmoid is for the output layer)"))
    return None


def _wrong_tanh_derivatives():
    """``(derivative(A1, Z1), Hint)`` for each wrong derivative of tanh a learner may write."""
    return (
        (lambda A1, Z1: A1 * (1 - A1), Hint("tanh_derivative_sigmoid_of_a", _(
            "dZ1 was computed with A1·(1 − A1), the sigmoid's derivative: the hidden layer is tanh, whose derivative "
            "is 1 − A1², so dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))"))),
        (lambda A1, Z1: sigmoid(Z1) * (1 - sigmoid(Z1)), Hint("tanh_derivative_sigmoid_of_z", _(
            "dZ1 was computed with σ′(Z1) = σ(Z1)(1 − σ(Z1)): the hidden layer is tanh, whose derivative is 1 − A1², "
            "so dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))"))),
        (lambda A1, Z1: 1 - Z1 ** 2, Hint("tanh_derivative_of_input", _(
            "dZ1 was computed with 1 − Z1²: the derivative of tanh is 1 − tanh²(Z1) = 1 − A1² (use the cached A1, "
            "not Z1)"))),
        (lambda A1, Z1: 1 - A1, Hint("tanh_derivative_not_squared", _(
            "dZ1 was computed with 1 − A1: the derivative of tanh is 1 − A1² (the square is missing)"))),
    )


def _tanh_derivative(case, got):
    k = case.kwargs
    parameters, cache, X = k["parameters"], k["cache"], k["X"]
    m = X.shape[1]
    dZ2 = cache["A2"] - k["Y"].astype(np.float64)
    for derivative, hint in _wrong_tanh_derivatives():
        dZ1 = parameters["W2"].T @ dZ2 * derivative(cache["A1"], cache["Z1"])
        if _close(got["dW1"], dZ1 @ X.T / m):
            return hint
    return None


def _gradient_names(case, got):
    expected = shallow.backward_propagation(*case.kwargs.values())
    keys = list(got)
    if sorted(k.lower() for k in keys) == sorted(k.lower() for k in expected) and set(keys) != set(expected):
        return Hint("grads_keys_wrong_case", _("the key names are case-sensitive: use exactly {expected} (got "
                                               "{keys})").format(expected=list(expected), keys=keys))
    swapped = [(a, b) for a in expected for b in expected
               if a < b and a in got and b in got and _close(got[a], expected[b]) and _close(got[b], expected[a])]
    if swapped:
        a, b = swapped[0]
        return Hint("grads_keys_swapped", _(
            "grads[{a}] and grads[{b}] hold each other's gradient: each d-key must hold the gradient of the parameter "
            "with the same name ({key} has the shape of {parameter})").format(a=repr(a), b=repr(b), key=a,
                                                                               parameter=a[1:]))
    return None


def _hidden_size_ignored(case, got):
    parameters = got[0]
    n_h = case.kwargs["n_h"]
    rows = np.shape(parameters["W1"])[0]
    if rows != n_h and rows == shallow.N_H:
        return Hint("n_h_argument_ignored", _("W1 has {rows} rows but this case asks for n_h = {n_h}: take n_x and "
                                              "n_y from layer_sizes, but use the n_h argument of nn_model").format(
                                                  rows=rows, n_h=n_h))
    return None


def _argument_not_passed_on(case, got):
    k = case.kwargs
    parameters = got[0]
    for name, default, hint in (
            ("seed", 2, Hint("seed_not_passed_on", _(
                "your result is what seed = 2 (the default) gives, but this case passes seed = {seed}: hand the "
                "argument on, initialize_parameters(n_x, n_h, n_y, seed)").format(seed=k["seed"]))),
            ("learning_rate", 1.2, Hint("learning_rate_not_passed_on", _(
                "your result is what learning_rate = 1.2 (the default) gives, but this case passes learning_rate = "
                "{learning_rate}: hand the argument on, update_parameters(parameters, grads, learning_rate)").format(
                    learning_rate=k["learning_rate"])))):
        if k[name] == default:
            continue
        expected = shallow.nn_model(*{**k, name: default}.values())[0]
        if all(_close(parameters[key], value) for key, value in expected.items()):
            return hint
    return None


def _starting_parameters_ignored(case, got):
    k = case.kwargs
    if k["parameters"] is not None and matches(shallow.nn_model(**(k | {"parameters": None})), got):
        return Hint("starting_parameters_ignored", _(
            "your network trained from initialize_parameters, but this case passes its own starting parameters: "
            "initialize only when parameters is None, and otherwise start from the ones given"))
    return None


def _collapsed_bias(case, got):
    """The collapsed bias without the earlier layers' biases, or without each layer's own."""
    parameters = case.kwargs["parameters"]
    L = len(parameters) // 2
    carried = parameters["b1"]
    for l in range(2, L + 1):
        carried = parameters[f"W{l}"] @ carried
    if L > 1 and _close(got["b"], parameters[f"b{L}"]):
        return Hint("collapsed_bias_last_layer_only", _(
            "b is the last layer's bias alone: each earlier bias passes through the later layers' weights too — "
            "for two layers W2(W1·x + b1) + b2 = (W2·W1)·x + (W2·b1 + b2)"))
    if L > 1 and _close(got["b"], carried):
        return Hint("collapsed_bias_own_terms_missing", _(
            "b carries b1 through the weights but never adds the later layers' own biases: after each layer, "
            "b = W[l]·b + b[l]"))
    return None


EXERCISES = {e.name: e for e in [
    Exercise("layer_sizes", shallow.layer_sizes, _layer_sizes_case, ("n_x", "n_h", "n_y")),
    Exercise("initialize_parameters", shallow.initialize_parameters, _initialize_case, ("parameters",),
             hints=(_drawn_in_another_order, _legacy_randn, _scale_forgotten, _uniform_weights)),
    Exercise("forward_propagation", shallow.forward_propagation, _forward_case, ("A2", "cache"),
             hints=(_hidden_activation,)),
    Exercise("compute_cost", shallow.compute_cost, _cost_case, ("cost",)),
    Exercise("backward_propagation", shallow.backward_propagation, _backward_case, ("grads",),
             hints=(_gradient_names, _tanh_derivative)),
    Exercise("update_parameters", shallow.update_parameters, _update_case, ("parameters",)),
    Exercise("nn_model", shallow.nn_model, _nn_model_case, ("parameters", "costs"),
             uses=("layer_sizes", "initialize_parameters", "forward_propagation", "compute_cost",
                   "backward_propagation", "update_parameters"),
             hints=(_hidden_size_ignored, _starting_parameters_ignored, _argument_not_passed_on)),
    Exercise("predict", shallow.predict, _predict_case, ("predictions",), uses=("forward_propagation",)),
    Exercise("collapse_linear_layers", shallow.collapse_linear_layers, _collapse_case, ("collapsed",),
             hints=(_collapsed_bias,)),
]}

# What the notebook's setup cell hands the learner: usable in answers, never counted as borrowing.
check = Checker(EXERCISES, provided=(sigmoid,))
