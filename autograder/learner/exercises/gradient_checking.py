"""Assignment 08 "Gradient checking": the one-parameter warm-up, parameters ↔ vector for any architecture,
``gradient_check_n``, the repaired three-layer backprop, and the learner's own regularized backprop.

Every function handed to a learner's function is a module-level function or a small callable object that
equals its deep copy (the checker compares arguments before and after the call), so a case can be pickled.
Gradient-check cases come in two kinds: *wrong* gradients (a backprop with a planted error), whose relative
difference is of order 0.1–1 and pins the learner's formula down to many digits, and *correct* gradients on a
smooth net, where a right answer is tiny and a one-sided or drifting difference is not. The hints recompute what a
known mistake (precedence, one-sided, a missing copy, the wrong denominator, a mismatched vector order, …) would
return and name it when it matches.
"""

from dataclasses import dataclass

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise, distinct_dims, examples, labels
from nncore.i18n import _
from nncore import activations, gradcheck, init, layers, models, regularization, training

EPSILON = 1e-5


def _same_number(candidate, got):
    """A scalar ``got`` equal to ``candidate`` to four digits (a recomputed mistake, not just 'small')."""
    got = np.asarray(got, dtype=np.float64)
    if got.size != 1 or not np.isfinite(candidate):
        return False
    return bool(np.isclose(float(got.reshape(())), candidate, rtol=1e-4, atol=1e-13))


# ---- what a mistake returns: numerical gradients and relative differences, right and wrong --------------

def _numerical(J, theta, epsilon, scheme="centred"):
    """The numerical gradient of ``J(vector)`` at ``theta`` (a column) as a loop written with ``scheme``:

    "centred" (right), "precedence" (J+ − J−/2ε), "one_sided" ((J+ − J)/ε), "alias" (thetaplus = theta,
    no copy: (J+ − J)/2ε), "not_restored" (one working copy left at θᵢ − ε after entry i), "copies_outside"
    (thetaplus and thetaminus copied once before the loop, never reset).
    """
    theta = np.array(theta, dtype=np.float64)
    approx = np.zeros_like(theta)
    J0 = J(theta) if scheme in ("one_sided", "alias") else None
    work, plus, minus = theta.copy(), theta.copy(), theta.copy()
    for i in range(theta.size):
        if scheme == "not_restored":
            work.flat[i] += epsilon
            J_plus = J(work)
            work.flat[i] -= 2 * epsilon
            J_minus = J(work)
        elif scheme == "copies_outside":
            plus.flat[i] += epsilon
            minus.flat[i] -= epsilon
            J_plus, J_minus = J(plus), J(minus)
        else:
            p, q = theta.copy(), theta.copy()
            p.flat[i] += epsilon
            q.flat[i] -= epsilon
            J_plus, J_minus = J(p), (J0 if scheme in ("one_sided", "alias") else J(q))
        if scheme == "precedence":
            approx.flat[i] = J_plus - J_minus / (2 * epsilon)
        elif scheme == "one_sided":
            approx.flat[i] = (J_plus - J_minus) / epsilon
        else:
            approx.flat[i] = (J_plus - J_minus) / (2 * epsilon)
    return approx


def _difference(grad, approx, form="right"):
    """‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂) (``form="right"``) or a known wrong version of it."""
    g, a = np.ravel(grad).astype(np.float64), np.ravel(approx).astype(np.float64)
    norm = np.linalg.norm
    with np.errstate(divide="ignore", invalid="ignore"):
        return float({
            "right": lambda: norm(g - a) / (norm(g) + norm(a)),
            "signed": lambda: np.sum(g - a) / (norm(g) + norm(a)),
            "grad_only": lambda: norm(g - a) / norm(g),
            "approx_only": lambda: norm(g - a) / norm(a),
            "norm_of_sum": lambda: norm(g - a) / norm(g + a),
            "approx_not_normed": lambda: norm(g - a) / (norm(g) + np.sum(a)),
            "l1": lambda: np.sum(np.abs(g - a)) / (np.sum(np.abs(g)) + np.sum(np.abs(a))),
            "squared": lambda: norm(g - a) ** 2 / (norm(g) ** 2 + norm(a) ** 2),
        }[form]())


def _scheme_hints():
    """A Hint for each wrong ``_numerical`` scheme (messages in the learner's language)."""
    return {
        "precedence": Hint("numerical_gradient_precedence", _(
            "your numerical gradient is J(θ+ε) − J(θ−ε) / (2ε): only J(θ−ε) was divided by 2ε. Division binds "
            "tighter than subtraction: write (J_plus - J_minus) / (2 * epsilon)")),
        "one_sided": Hint("one_sided_difference", _(
            "you used the one-sided difference (J(θ+ε) − J(θ)) / ε: its error shrinks only like ε, the centred "
            "difference (J(θ+ε) − J(θ−ε)) / (2ε) has an error like ε². Nudge θ both ways")),
        "alias": Hint("theta_not_copied", _(
            "your numerical gradient is about half the true one, (J(θ+ε) − J(θ)) / (2ε): that is what thetaplus = "
            "theta (a second name, not a copy) gives. thetaplus[i] += ε moves theta too, and thetaminus = theta then "
            "only moves it back, so J_minus is J(θ). Make real copies: thetaplus = np.copy(theta), thetaminus = "
            "np.copy(theta)")),
        "not_restored": Hint("theta_not_restored", _(
            "your θ drifts: one working copy whose entry i stays at θᵢ − ε after its turn, so every later entry is "
            "measured at a point that is no longer θ. Start every i from a fresh copy of θ (thetaplus = "
            "np.copy(theta) inside the loop), or put the entry back")),
        "copies_outside": Hint("theta_copied_once", _(
            "thetaplus and thetaminus are copied once, before the loop, and never reset: after entry i they still "
            "hold θ ± ε in every earlier entry, so your ĝᵢ adds up the slopes of all entries so far. Copy θ afresh "
            "inside the loop, for every i")),
    }


def _form_hints():
    """A Hint for each wrong form of the relative difference in ``_difference``."""
    return {
        "signed": Hint("difference_signed", _("a signed difference: the numerator is a length, ‖g − ĝ‖₂ "
                                              "(np.linalg.norm), never negative, not g − ĝ itself")),
        "grad_only": Hint("denominator_without_approx_norm", _(
            "the denominator should be ‖g‖₂ + ‖ĝ‖₂; yours is ‖g‖₂ alone (the norm of ĝ is missing)")),
        "approx_only": Hint("denominator_without_grad_norm", _(
            "the denominator should be ‖g‖₂ + ‖ĝ‖₂; yours is ‖ĝ‖₂ alone (the norm of g is missing)")),
        "norm_of_sum": Hint("denominator_norm_of_sum", _(
            "the denominator should be ‖g‖₂ + ‖ĝ‖₂, the sum of two norms; yours is ‖g + ĝ‖₂, the norm of the sum "
            "(they differ, and ‖g + ĝ‖ is 0 when ĝ = −g)")),
        "approx_not_normed": Hint("denominator_approx_not_normed", _(
            "the denominator should be ‖g‖₂ + ‖ĝ‖₂; yours adds ĝ itself, not its norm (a norm is missing around the "
            "numerical gradient)")),
        "l1": Hint("l1_norms_used", _("you used sums of absolute values (L1 norms); the relative difference uses "
                                      "Euclidean norms, np.linalg.norm(...): ‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂)")),
        "squared": Hint("squared_norms_used", _("squared norms: use ‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂), norms without "
                                                "squares (np.linalg.norm)")),
    }


EPSILONS = (1e-7, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1)


def _epsilon_hint(epsilon, compute, got):
    """A result computed with another common ε than the one passed in."""
    for other in EPSILONS:
        if not np.isclose(other, epsilon) and _same_number(compute(other), got):
            return Hint("epsilon_argument_ignored", _(
                "your result is the one for ε = {other}, but the function was given epsilon = {epsilon}: use the "
                "epsilon argument, not a number of your own").format(other=f"{other:g}", epsilon=f"{epsilon:g}"))
    return None


# ---- the one-parameter warm-up ---------------------------------------------------------------------

def cubic_cost(x, theta):
    """A curved one-parameter cost, J(θ) = x·θ³ (for the check's own cases)."""
    return x * theta ** 3


def cubic_cost_gradient(x, theta):
    """dJ/dθ = 3·x·θ² for ``cubic_cost``."""
    return 3 * x * theta ** 2


@dataclass(frozen=True)
class ScaledGradient:
    """A wrong backward pass for J = θ·x: ``factor``·x instead of x."""
    factor: float

    def __call__(self, x, theta):
        return self.factor * x


def _scalar_case(rng, variant):
    if variant == 2:
        x, theta = int(rng.integers(-9, -1)), int(rng.integers(2, 9))
    else:
        x, theta = float(rng.uniform(-4, 4)), float(rng.uniform(-4, 4))
        while abs(x) < 0.5 or abs(x - theta) < 0.5:
            x = float(rng.uniform(-4, 4))
    label = (_("x = {x}, θ = {theta} (integers)") if variant == 2 else _("x = {x}, θ = {theta} (floats)")).format(
        x=f"{x:g}", theta=f"{theta:g}")
    return Case({"x": x, "theta": theta}, None, label)


def _backward_returns_theta_hint(case, got):
    if _same_number(float(case.kwargs["theta"]), got):
        return Hint("gradient_is_theta", _("you returned θ: J = θ·x is a function of θ, with x a constant, so dJ/dθ = "
                                           "x (the slope of the line J(θ))"))
    return None


def _gradient_check_case(rng, variant):
    x = -float(rng.uniform(0.5, 3))
    theta = float(rng.uniform(0.5, 3)) * rng.choice([-1, 1])
    if variant == 0:
        factor = -float(rng.uniform(0.3, 1.5))
        kwargs = {"forward": gradcheck.linear_cost, "backward": ScaledGradient(factor),
                  "x": x, "theta": theta, "epsilon": EPSILON}
        label = _("J = θ·x with a wrong backward dθ = {factor}·x (a sign error), x = {x}, θ = {theta}, "
                  "ε = {epsilon}").format(factor=f"{factor:.3g}", x=f"{x:.3g}", theta=f"{theta:.3g}",
                                          epsilon=f"{EPSILON:g}")
    elif variant == 1:
        x, theta, epsilon = -x, float(rng.uniform(0.3, 1)) * rng.choice([-1, 1]), 1e-2
        kwargs = {"forward": cubic_cost, "backward": cubic_cost_gradient, "x": x, "theta": theta, "epsilon": epsilon}
        label = _("J = x·θ³ with the right backward 3xθ², x = {x}, θ = {theta}, a large ε = {epsilon}").format(
            x=f"{x:.3g}", theta=f"{theta:.3g}", epsilon=f"{epsilon:g}")
    else:
        factor = float(rng.uniform(1.3, 3))
        x, theta = int(rng.integers(-9, -1)), int(rng.integers(2, 9))
        kwargs = {"forward": gradcheck.linear_cost, "backward": ScaledGradient(factor),
                  "x": x, "theta": theta, "epsilon": EPSILON}
        label = _("J = θ·x with a wrong backward dθ = {factor}·x, integers x = {x}, θ = {theta}, ε = {epsilon}").format(
            factor=f"{factor:.3g}", x=x, theta=theta, epsilon=f"{EPSILON:g}")
    return Case(kwargs, None, label)


def _scalar_J(case):
    forward, x = case.kwargs["forward"], case.kwargs["x"]
    return lambda t: forward(x, float(np.ravel(t)[0]))


def _gradient_check_1d_hint(case, got):
    forward, backward, x, theta, epsilon = case.kwargs.values()
    if matches(gradcheck.gradient_check_1d(forward, backward, x, theta, epsilon), got):
        return None
    J, grad = _scalar_J(case), backward(x, theta)
    for scheme, hint in _scheme_hints().items():
        if scheme in ("alias", "not_restored", "copies_outside"):
            continue  # a single number has no copies to forget
        if _same_number(_difference(grad, _numerical(J, [theta], epsilon, scheme)), got):
            return hint
    approx = _numerical(J, [theta], epsilon)
    for form, hint in _form_hints().items():
        if form not in ("l1", "squared") and _same_number(_difference(grad, approx, form), got):
            return hint
    if _same_number(float(approx[0]), got):
        return Hint("returned_numerical_gradient", _("you returned the numerical gradient ĝ itself: return the "
                                                     "relative difference |g − ĝ| / (|g| + |ĝ|) between it and "
                                                     "backward's g"))
    return _epsilon_hint(epsilon, lambda e: gradcheck.gradient_check_1d(forward, backward, x, theta, e), got)


# ---- parameters ↔ one vector, any architecture -------------------------------------------------------

def _architecture(rng, variant):
    """A parameter dictionary: variant 0 three layers, 1 two layers, 2 a batch-norm layer (W, gamma, beta)."""
    depth = {0: 3, 1: 2, 2: 3}[variant]
    layer_dims = distinct_dims(rng, depth, 2, 7) + [1]
    while variant == 0 and (layer_dims == [4, 5, 3, 1]
                            or sum(a * b + a for a, b in zip(layer_dims[1:], layer_dims)) < 50):
        layer_dims = distinct_dims(rng, depth, 2, 7) + [1]
    parameters = init.initialize_parameters_deep(layer_dims, "xavier", seed=rng)
    parameters = {k: v + rng.normal(size=v.shape) * 0.5 if k.startswith("b") else v for k, v in parameters.items()}
    if variant == 2:
        n = (layer_dims[1], 1)
        ordered = {"W1": parameters["W1"], "gamma1": 1 + 0.2 * rng.normal(size=n), "beta1": 0.3 * rng.normal(size=n)}
        parameters = ordered | {k: v for k, v in parameters.items() if k not in ("W1", "b1")}
    keys = ", ".join(parameters)
    return layer_dims, parameters, _("layer_dims = {layer_dims}, keys {keys}").format(layer_dims=layer_dims, keys=keys)


def _dictionary_to_vector_case(rng, variant):
    layer_dims, parameters, label = _architecture(rng, variant)
    return Case({"parameters": parameters}, None, label)


def _vector_to_dictionary_case(rng, variant):
    layer_dims, template, label = _architecture(rng, variant)
    n = sum(v.size for v in template.values())
    return Case({"theta": rng.normal(size=(n, 1)), "template": template}, None, f"{label}, theta: ({n}, 1)")


def _column(arrays, order="C"):
    return np.concatenate([np.reshape(a, (-1, 1), order=order) for a in arrays])


def _to_vector_hint(case, got):
    parameters = case.kwargs["parameters"]
    expected = gradcheck.dictionary_to_vector(parameters)
    if isinstance(got, (tuple, list)) and len(got) == 2 and matches(expected, got[0]):
        return Hint("returned_more_than_theta", _("return only the vector theta (the keys and shapes stay in the "
                                                  "parameters dictionary)"))
    values = np.asarray(got, dtype=np.float64)
    if values.size != expected.size:
        return Hint("hard_coded_layout", _(
            "your vector has {got} entries but the parameters hold {expected}: a hard-coded list of keys or shapes "
            "only fits one architecture. Loop over the dictionary itself, for key in parameters, and let each array "
            "say its own size").format(got=values.size, expected=expected.size))
    values = values.reshape(expected.shape)
    if matches(expected, values):
        return None  # the right numbers in the right order: only the shape is off (the generic hint says how)
    if matches(_column([parameters[k] for k in sorted(parameters)]), values):
        return Hint("keys_sorted", _(
            "the keys were sorted ({sorted_keys}): keep the dictionary's own order ({keys}), the order "
            "vector_to_dictionary will cut the vector back in").format(sorted_keys=", ".join(sorted(parameters)),
                                                                      keys=", ".join(parameters)))
    if matches(_column(parameters.values(), order="F"), values):
        return Hint("flattened_column_by_column", _(
            "each array was flattened column by column (order='F' or a transpose): flatten row by row, "
            "np.reshape(array, (-1, 1)), the order np.reshape uses to rebuild it"))
    if matches(np.sort(expected, axis=0), np.sort(values, axis=0)):
        return Hint("values_in_another_order", _("the right numbers in another order: concatenate the arrays in the "
                                                 "dictionary's order, each row by row"))
    return None


def _to_dictionary_hint(case, got):
    theta, template = case.kwargs["theta"], case.kwargs["template"]
    if set(got) != set(template):
        return Hint("hard_coded_keys", _(
            "your keys {got} are not the template's {keys}: a hard-coded key list fits only one architecture. Loop "
            "over the template: for key in template").format(got=list(got), keys=list(template)))
    wrong = [k for k in template if np.shape(got[k]) != template[k].shape]
    if wrong:
        k = wrong[0]
        return Hint("hard_coded_shapes", _(
            "{key} has shape {got}, the template's {key} is {shape}: hard-coded shapes fit one architecture and fail "
            "on a new one. Take every size and shape from the template: template[key].size and "
            "template[key].shape").format(key=k, got=np.shape(got[k]), shape=template[k].shape))
    sizes = np.cumsum([0] + [v.size for v in template.values()])
    pieces = list(zip(template.items(), sizes, sizes[1:]))
    if matches({k: np.reshape(theta[a:b], v.shape, order="F") for (k, v), a, b in pieces}, got):
        return Hint("filled_column_by_column", _(
            "the arrays were filled column by column (order='F'): reshape row by row, np.reshape(piece, shape), the "
            "inverse of dictionary_to_vector"))
    if matches({k: np.reshape(theta[:v.size], v.shape) for k, v in template.items()}, got):
        return Hint("start_not_advanced", _(
            "every array starts at theta[0]: after each key, move the start on by that array's size, so the next "
            "array takes the next entries"))
    if matches(template, got):
        return Hint("template_values_returned", _("these are the template's own numbers: take only the shapes from "
                                                  "the template, the numbers from theta"))
    return None


# ---- gradient_check_n ---------------------------------------------------------------------------

class NetworkCost:
    """``cost(parameters)``: J of an L-layer net (sigmoid output, cross-entropy) on fixed ``X, Y``."""

    def __init__(self, X, Y, hidden="tanh"):
        self.X, self.Y, self.hidden = X, Y, hidden

    def __call__(self, parameters):
        AL = training.forward(self.X, parameters, self.hidden, rng=np.random.default_rng(0))[0]
        return training.cost(AL, self.Y, parameters)

    def __eq__(self, other):
        return (isinstance(other, NetworkCost) and self.hidden == other.hidden
                and np.array_equal(self.X, other.X) and np.array_equal(self.Y, other.Y))

    __hash__ = None


def _gradient_check_n_case(rng, variant):
    """Variant 0: wrong gradients, ε = 1e-3; 1: right gradients plus dA keys, ε = 1e-5; 2: a batch-norm layer,
    wrong gradients, ε = 1e-4. Gradients always come in backprop's order (last layer first)."""
    layer_dims, parameters, label = _architecture(rng, variant)
    m = int(rng.integers(3, 7))
    X = rng.normal(size=(layer_dims[0], m))
    Y = labels(rng, m, 0)
    cost = NetworkCost(X, Y)
    AL, caches = training.forward(X, parameters, "tanh", rng=np.random.default_rng(0))
    grads = training.backward(AL, Y, caches, "tanh")
    epsilon = {0: 1e-3, 1: 1e-5, 2: 1e-4}[variant]
    if variant == 1:
        grads |= {f"dA{l}": rng.normal(size=(n, m)) for l, n in enumerate(layer_dims[:-1])}
        label = _("{architecture}, the right gradients (and dA keys, to ignore)").format(architecture=label)
    else:
        key = str(rng.choice([k for k in grads if "W" in k]))
        grads[key] = grads[key] * float(rng.uniform(1.5, 3))
        label = _("{architecture}, gradients with a bug in {key}").format(architecture=label, key=key)
    return Case({"cost": cost, "parameters": parameters, "grads": grads, "epsilon": epsilon}, None,
                f"{label}, m = {m}, ε = {epsilon:g}")


def _gradient_check_n_hint(case, got):
    cost, parameters, grads, epsilon = case.kwargs.values()
    J = lambda theta: cost(gradcheck.vector_to_dictionary(theta, parameters))  # noqa: E731
    theta = gradcheck.dictionary_to_vector(parameters)
    grad = gradcheck.gradients_to_vector(grads, parameters)
    values = np.asarray(got, dtype=np.float64) if not isinstance(got, (dict, str)) else np.zeros(0)
    if values.size > 1:
        return Hint("difference_per_entry", _(
            "an array came back, one value per entry: the relative difference is ONE number, made of the norms "
            "(lengths) of whole vectors, ‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂) with np.linalg.norm"))
    for scheme, hint in _scheme_hints().items():
        if _same_number(_difference(grad, _numerical(J, theta, epsilon, scheme)), got):
            return hint
    approx = _numerical(J, theta, epsilon)
    for form, hint in _form_hints().items():
        if _same_number(_difference(grad, approx, form), got):
            return hint
    in_grads_order = list(grads) != ["d" + k for k in parameters] and set(grads) == {"d" + k for k in parameters}
    if in_grads_order and _same_number(_difference(gradcheck.dictionary_to_vector(grads), approx), got):
        return Hint("vectors_in_different_orders", _(
            "the numbers are paired up wrongly: your gradient vector follows grads' own order ({grads}), the "
            "numerical one the parameters' order ({parameters}). Build both in the parameters' order: "
            "dictionary_to_vector({{key: grads['d' + key] for key in parameters}})").format(
                grads=", ".join(grads), parameters=", ".join(parameters)))
    return _epsilon_hint(epsilon, lambda e: gradcheck.gradient_check(cost, parameters, grads, e), got)


# ---- the three-layer net whose backprop the learner repairs ----------------------------------------

def three_layer_cache(X, parameters):
    """The notebook's ``forward_propagation_n`` cache, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3), from nncore."""
    AL, caches = training.forward(X, parameters, "relu", rng=np.random.default_rng(0))
    cache = ()
    for l, c in enumerate(caches, 1):
        A = caches[l]["A_prev"] if l < len(caches) else AL
        cache += (c["Z"], A, parameters[f"W{l}"], parameters[f"b{l}"])
    return cache


def backward_propagation_n(X, Y, cache):
    """The repaired backprop of the three-layer net: nncore's backward on the same forward pass."""
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    caches = [{"A_prev": A_prev, "W": W, "Z": Z} for A_prev, W, Z in ((X, W1, Z1), (A1, W2, Z2), (A2, W3, Z3))]
    return training.backward(A3, np.asarray(Y, dtype=np.float64).reshape(A3.shape), caches, "relu")


def _backward_n_case(rng, variant):
    layer_dims = distinct_dims(rng, 3, 2, 7) + [1]
    m = examples(rng, variant)
    parameters = init.initialize_parameters_deep(layer_dims, "he", seed=rng)
    parameters = {k: v + rng.normal(size=v.shape) * 0.5 if k.startswith("b") else v for k, v in parameters.items()}
    X = rng.normal(size=(layer_dims[0], m))
    return Case({"X": X, "Y": labels(rng, m, variant), "cache": three_layer_cache(X, parameters)}, m,
                f"layer_dims = {layer_dims}, m = {m}")


def _leftover_factor_hint(case, got):
    expected = backward_propagation_n(*case.kwargs.values())
    factors = []
    for key, E in expected.items():
        G = np.asarray(got.get(key), dtype=np.float64)
        if G.shape != E.shape or not np.any(E):
            continue
        c = float(np.sum(G * E) / np.sum(E * E))
        if not np.isclose(c, 1, rtol=1e-4) and np.allclose(G, c * E, rtol=1e-5, atol=1e-9):
            factors.append(_("{key} is {factor} × the right value").format(key=key, factor=f"{c:.3g}"))
    if factors:
        return Hint("stray_constant_factor", _(
            "{factors}: a stray constant factor in the line that computes it (a planted bug still there?). "
            "The per-parameter gradient check above points at the same keys").format(factors="; ".join(factors)))
    return None


# ---- the learner's own backprop from assignment 07 ------------------------------------------------

def _regularized_backprops(X, Y, parameters, lambd, keep_prob, seed,
                           backward_with_regularization, forward_with_dropout, backward_with_dropout):
    AL, caches = models.L_model_forward(X, parameters)
    grads_L2 = backward_with_regularization(AL, Y, caches, lambd)
    AL_dropout, caches = forward_with_dropout(X, parameters, keep_prob, np.random.default_rng(seed))
    grads_dropout = backward_with_dropout(AL_dropout, Y, caches, keep_prob)
    return grads_L2, AL_dropout, grads_dropout


def own_backprop_functions(backward_propagation_with_regularization, forward_propagation_with_dropout,
                           backward_propagation_with_dropout):
    """The three functions of assignment 07 as one function for ``check("own_backprop", ...)``.

    It runs ``backward_propagation_with_regularization`` on the caches of ``nncore.models.L_model_forward``,
    then ``forward_propagation_with_dropout`` with ``default_rng(seed)`` and ``backward_propagation_with_dropout``
    on its caches, and returns ``(grads_L2, AL_dropout, grads_dropout)``.
    """
    def own_backprop(X, Y, parameters, lambd, keep_prob, seed):
        return _regularized_backprops(X, Y, parameters, lambd, keep_prob, seed,
                                      backward_propagation_with_regularization, forward_propagation_with_dropout,
                                      backward_propagation_with_dropout)
    return own_backprop


own_backprop_reference = own_backprop_functions(regularization.backward_propagation_with_regularization,
                                                regularization.forward_propagation_with_dropout,
                                                regularization.backward_propagation_with_dropout)


def _own_backprop_case(rng, variant):
    layer_dims = distinct_dims(rng, 2 + variant % 2, 2, 6) + [1]
    m = examples(rng, variant)
    parameters = init.initialize_parameters_deep(layer_dims, "he", seed=rng)
    parameters = {k: v + rng.normal(size=v.shape) * 0.5 if k.startswith("b") else v for k, v in parameters.items()}
    lambd, keep_prob = float(rng.choice([0.1, 0.7, 2.0])), float(rng.choice([0.5, 0.7, 0.86]))
    seed = int(rng.integers(0, 100_000))
    return Case({"X": rng.normal(size=(layer_dims[0], m)), "Y": labels(rng, m, variant), "parameters": parameters,
                 "lambd": lambd, "keep_prob": keep_prob, "seed": seed}, m,
                f"layer_dims = {layer_dims}, m = {m}, λ = {lambd:g}, keep_prob = {keep_prob:g}, seed = {seed}")


def _dropout_forward_unscaled(X, parameters, keep_prob, rng):
    """AL of ``forward_propagation_with_dropout`` without the division by keep_prob (a known mistake)."""
    L = sum(1 for k in parameters if k.startswith("W"))
    A = X
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        A = np.maximum(Z, 0) * (rng.random(Z.shape) < keep_prob) if l < L else 1 / (1 + np.exp(-Z))
    return A


def _own_l2_hint(case, got):
    X, Y, parameters, lambd = list(case.kwargs.values())[:4]
    AL, caches = models.L_model_forward(X, parameters)
    for factor, hint in [
            (0.5, Hint("l2_grad_term_halved", _("your L2 backprop adds (λ/2m)·W: the cost has λ/2m, its derivative λ/m "
                                                "(the 2 of ‖W‖² cancels the ½)"))),
            (0.0, Hint("l2_grad_term_missing", _("your L2 backprop adds no (λ/m)·W at all: add it to every dW")))]:
        if matches(regularization.backward_propagation_with_regularization(AL, Y, caches, lambd * factor), got[0]):
            return hint
    return None


def _own_dropout_hint(case, got):
    X, Y, parameters, lambd, keep_prob, seed = case.kwargs.values()
    AL_dropout, grads_dropout = got[1:]
    ref_AL, ref_caches = regularization.forward_propagation_with_dropout(X, parameters, keep_prob,
                                                                         np.random.default_rng(seed))
    if matches(ref_AL, AL_dropout):
        if matches(regularization.backward_propagation_with_dropout(ref_AL, Y, ref_caches, 1.0), grads_dropout):
            return Hint("dropout_backward_not_rescaled", _(
                "your dropout backprop multiplies by the mask D but does not divide by keep_prob: the forward pass "
                "scaled the kept units by 1/keep_prob, so their gradient carries the same factor, dA·D/keep_prob"))
    elif matches(_dropout_forward_unscaled(X, parameters, keep_prob, np.random.default_rng(seed)), AL_dropout):
        return Hint("dropout_not_rescaled", _(
            "your dropout forward pass masks but does not divide by keep_prob (inverted dropout: A·D/keep_prob, so "
            "the expected activation stays the same)"))
    return None


EXERCISES = {e.name: e for e in [
    Exercise("forward_propagation", gradcheck.linear_cost, _scalar_case, ("J",)),
    Exercise("backward_propagation", gradcheck.linear_cost_gradient, _scalar_case, ("dtheta",),
             hints=(_backward_returns_theta_hint,)),
    Exercise("gradient_check", gradcheck.gradient_check_1d, _gradient_check_case, ("difference",),
             hints=(_gradient_check_1d_hint,)),
    Exercise("dictionary_to_vector", gradcheck.dictionary_to_vector, _dictionary_to_vector_case, ("theta",),
             hints=(_to_vector_hint,)),
    Exercise("vector_to_dictionary", gradcheck.vector_to_dictionary, _vector_to_dictionary_case, ("parameters",),
             hints=(_to_dictionary_hint,)),
    Exercise("gradient_check_n", gradcheck.gradient_check, _gradient_check_n_case, ("difference",),
             uses=("dictionary_to_vector", "vector_to_dictionary"), hints=(_gradient_check_n_hint,)),
    Exercise("backward_propagation_n", backward_propagation_n, _backward_n_case, ("gradients",),
             hints=(_leftover_factor_hint,)),
    Exercise("own_backprop", own_backprop_reference, _own_backprop_case, ("grads_L2", "AL_dropout", "grads_dropout"),
             hints=(_own_l2_hint, _own_dropout_hint)),
]}

# What the notebook's setup cell hands the learner: usable in answers, never counted as borrowing.
check = Checker(EXERCISES, provided=(models.L_model_forward, layers.linear_activation_forward, layers.linear_backward,
                                     activations.relu, activations.sigmoid))
