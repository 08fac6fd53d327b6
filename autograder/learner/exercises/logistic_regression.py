"""Assignment "Logistic regression as a neural network": sigmoid, initialize_with_zeros, propagate,
optimize, predict, model — checked against ``nncore.logistic``."""

from autograder.learner.check import Checker
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


EXERCISES = {e.name: e for e in [
    Exercise("sigmoid", sigmoid, _sigmoid_case, ("s",)),
    Exercise("initialize_with_zeros", logistic.initialize_with_zeros, _zeros_case, ("w", "b")),
    Exercise("propagate", logistic.propagate, _propagate_case, ("grads", "cost"), uses=("sigmoid",)),
    Exercise("optimize", logistic.optimize, _optimize_case, ("params", "grads", "costs"), uses=("propagate",)),
    Exercise("predict", logistic.predict, _predict_case, ("Y_prediction",), uses=("sigmoid",)),
    Exercise("model", logistic.model, _model_case, ("d",),
             uses=("initialize_with_zeros", "optimize", "predict")),
]}

check = Checker(EXERCISES)
