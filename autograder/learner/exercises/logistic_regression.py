"""Assignment "Logistic regression as a neural network": sigmoid, initialize_with_zeros, the two pieces of the
chain rule dL_da and da_dz, propagate, optimize, predict, model — checked against ``nncore.logistic``."""

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise, distinct_dims, examples, labels
from nncore.i18n import _
from nncore import logistic
from nncore.activations import sigmoid


def _sigmoid_case(rng, variant):
    if variant == 2:
        z = float(rng.normal() * 3)
        return Case({"z": z}, None, _("a single number z = {z:.3g}").format(z=z))
    n, m = distinct_dims(rng, 2)
    return Case({"z": rng.normal(size=(n, m)) * 4}, m, _("z of shape ({n}, {m})").format(n=n, m=m))


def _data(rng, variant):
    """Arguments w, b, X, Y for one case, the number of examples m, and the sizes for messages."""
    n_x = distinct_dims(rng, 1)[0]
    m = examples(rng, variant)
    while m == n_x:
        m = examples(rng, variant)
    X = rng.normal(size=(n_x, m))
    w = rng.normal(size=(n_x, 1)) * 0.5
    b = float(rng.normal())
    return {"w": w, "b": b, "X": X, "Y": labels(rng, m, variant)}, m, f"n_x = {n_x}, m = {m}"


def _with_labels(sizes, variant):
    """The sizes and the kind of labels of a case, for messages."""
    return _("{sizes}, {dtype} labels").format(sizes=sizes, dtype="uint8" if variant == 1 else "float")


def _zeros_case(rng, variant):
    dim = 1 if variant == 2 else distinct_dims(rng, 1)[0]
    return Case({"dim": dim}, None, f"dim = {dim}")


def _loss_derivative_case(rng, variant):
    """One prediction a in (0, 1) and one label y per example, as rows (1, m); per example, so no m."""
    m = examples(rng, variant)
    return Case({"a": rng.uniform(0.05, 0.95, size=(1, m)), "y": labels(rng, m, variant)}, None,
                _with_labels(f"a and y of shape (1, {m})", variant))


def _output_derivative_case(rng, variant):
    """Outputs a = σ(z): moderate ones, saturated ones (|z| up to about 12), or a single number."""
    if variant == 2:
        a = float(rng.uniform(0.05, 0.95))
        return Case({"a": a}, None, _("a single number a = {a:.3g}").format(a=a))
    n, m = distinct_dims(rng, 2)
    if variant == 1:
        return Case({"a": sigmoid(rng.normal(size=(n, m)) * 5)}, None,
                    _("a of shape ({n}, {m}), some of it saturated (near 0 or 1)").format(n=n, m=m))
    return Case({"a": rng.uniform(0.05, 0.95, size=(n, m))}, None, _("a of shape ({n}, {m})").format(n=n, m=m))


def _propagate_case(rng, variant):
    kwargs, m, sizes = _data(rng, variant)
    return Case(kwargs, m, _with_labels(sizes, variant))


def _optimize_case(rng, variant):
    kwargs, m, sizes = _data(rng, variant)
    iterations = int(rng.integers(101, 260))
    kwargs |= {"num_iterations": iterations, "learning_rate": 0.1, "print_cost": False}
    return Case(kwargs, m, _("{case}, {iterations} iterations, learning rate 0.1").format(
        case=_with_labels(sizes, variant), iterations=iterations))


def _predict_case(rng, variant):
    kwargs, m, sizes = _data(rng, variant)
    return Case({k: kwargs[k] for k in ("w", "b", "X")}, m, sizes)


def _model_case(rng, variant):
    kwargs, m, sizes = _data(rng, variant)
    X_dev = rng.normal(size=(kwargs["X"].shape[0], 5))
    Y_dev = labels(rng, 5, variant)
    iterations = int(rng.integers(101, 260))
    return Case({"X_train": kwargs["X"], "Y_train": kwargs["Y"], "X_dev": X_dev, "Y_dev": Y_dev,
                 "num_iterations": iterations, "learning_rate": 0.05, "print_cost": False},
                m, _("{case}, 5 dev examples, {iterations} iterations, learning rate 0.05").format(
                    case=_with_labels(sizes, variant), iterations=iterations))


# ---- exercise-specific hints ---------------------------------------------------------------------

def _wrong_loss_derivatives(a, y):
    """``(what a learner computed, Hint)`` for each known wrong ∂L/∂a."""
    return (
        (-y / a - (1 - y) / (1 - a), Hint("loss_derivative_second_term_sign", _(
            "the second term has the wrong sign: the derivative of −(1 − y)·log(1 − a) is +(1 − y)/(1 − a), because "
            "the chain rule through 1 − a multiplies by −1"))),
        (a - y, Hint("loss_derivative_is_dz", _(
            "that is a − y, which is ∂L/∂z, two steps of the chain rule at once: here compute the first step only, "
            "∂L/∂a = −y/a + (1 − y)/(1 − a)"))),
        (-(y * np.log(a) + (1 - y) * np.log(1 - a)), Hint("loss_derivative_is_the_loss", _(
            "that is the loss L(a, y) itself: differentiate it with respect to a (d/da log a = 1/a)"))),
        (-y / a, Hint("loss_derivative_second_term_missing", _(
            "only the first term, −y/a: the loss has a second term, −(1 − y)·log(1 − a), whose derivative "
            "(1 − y)/(1 − a) must be added"))),
    )


def _loss_derivative(case, got):
    a, y = case.kwargs["a"], np.asarray(case.kwargs["y"], dtype=np.float64)
    return next((hint for wrong, hint in _wrong_loss_derivatives(a, y) if matches(wrong, got)), None)


def _output_derivative(case, got):
    a = np.asarray(case.kwargs["a"], dtype=np.float64)
    if matches(sigmoid(a) * (1 - sigmoid(a)), got):
        return Hint("output_derivative_sigmoid_applied_again", _(
            "you applied σ to a again: a is already σ(z), so ∂a/∂z = a(1 − a) uses a as it is"))
    if matches(1 - a ** 2, got):
        return Hint("output_derivative_of_tanh", _("1 − a² is the derivative of tanh; for a = σ(z) it is a(1 − a)"))
    return None


EXERCISES = {e.name: e for e in [
    Exercise("sigmoid", sigmoid, _sigmoid_case, ("s",)),
    Exercise("initialize_with_zeros", logistic.initialize_with_zeros, _zeros_case, ("w", "b")),
    Exercise("dL_da", logistic.dL_da, _loss_derivative_case, ("dL_da",), hints=(_loss_derivative,)),
    Exercise("da_dz", logistic.da_dz, _output_derivative_case, ("da_dz",), hints=(_output_derivative,)),
    Exercise("propagate", logistic.propagate, _propagate_case, ("grads", "cost"), uses=("sigmoid",)),
    Exercise("optimize", logistic.optimize, _optimize_case, ("params", "grads", "costs"), uses=("propagate",)),
    Exercise("predict", logistic.predict, _predict_case, ("Y_prediction",), uses=("sigmoid",)),
    Exercise("model", logistic.model, _model_case, ("d",),
             uses=("initialize_with_zeros", "optimize", "predict")),
]}

check = Checker(EXERCISES)
