"""Assignment "Python, numpy and vectorization": sigmoid, sigmoid_derivative, image2vector, normalize_rows,
softmax, L1, L2 — checked against ``nncore.activations``, ``nncore.numpy_warmups`` and ``nncore.losses`` — and
linear regression, linear_propagate and linear_regression, against ``nncore.linear_regression``.

The array functions work on whole arrays, not on m examples with labels, so their cases have ``m = None`` (the
"×m / 1/m" diagnoses mean nothing there). Variant 0 has ordinary shapes, variant 1 other shapes (and, for
softmax, the large entries that overflow a naive np.exp), variant 2 the edge: a single number, pixel,
column or entry. Linear regression's cases are m examples of real-valued targets (``m`` given): n_x features
in variant 0, a single feature in variant 1, a single example in variant 2. Each exercise names the bugs that
generic comparison cannot recognise in ``hints``.
"""

import itertools

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import ATOL, RTOL, Hint, matches, unchanged
from autograder.learner.exercise import Case, Exercise, distinct_dims, examples
from nncore.i18n import _
from nncore import linear_regression, losses, numpy_warmups
from nncore.activations import sigmoid, softmax


def _close(a, b):
    """Same shape and the same values, within the checker's own tolerance."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.allclose(a, b, rtol=RTOL, atol=ATOL)


# ---- cases --------------------------------------------------------------------------------------

def _array_case(rng, variant):
    """x for an element-wise function: a matrix, an array of another rank, or a single number."""
    if variant == 2:
        x = float(rng.normal() * 3)
        return Case({"x": x}, None, _("a single number x = {x:.3g}").format(x=x))
    shape = tuple(distinct_dims(rng, 2)) if variant == 0 else (2, *distinct_dims(rng, 2))
    return Case({"x": rng.normal(size=shape) * 4}, None, _("x of shape {shape}").format(shape=shape))


def _image_case(rng, variant):
    if variant == 2:
        return Case({"image": rng.random((1, 1, 3))}, None, _("a single pixel, shape (1, 1, 3)"))
    height, width = distinct_dims(rng, 2, low=4)
    if variant == 1:
        image = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
        return Case({"image": image}, None, _("a uint8 photo of shape ({height}, {width}, 3)").format(
            height=height, width=width))
    return Case({"image": rng.random((height, width, 3))}, None, _("image of shape ({height}, {width}, 3)").format(
        height=height, width=width))


def _rows_case(rng, variant):
    if variant == 2:
        n = distinct_dims(rng, 1)[0]
        x = rng.normal(size=(n, 1)) * 3
        return Case({"x": x}, None, _("a single column, x of shape ({n}, 1)").format(n=n))
    n, d = sorted(distinct_dims(rng, 2), reverse=variant == 1)   # n < d, then n > d
    x = rng.normal(size=(n, d)) * 3
    if variant == 1:
        x = np.round(x).astype(np.int64)
        x[:, 0] += np.where(x[:, 0] >= 0, 1, -1)   # no row of zeros: it has no direction
    label = (_("integer x of shape {shape}") if variant == 1 else _("x of shape {shape}")).format(shape=(n, d))
    return Case({"x": x}, None, label)


def _softmax_case(rng, variant):
    if variant == 2:
        C = distinct_dims(rng, 1, low=3)[0]
        return Case({"x": rng.normal(size=(C, 1)) * 3}, None, _("a single example, x of shape ({C}, 1)").format(C=C))
    C, m = distinct_dims(rng, 2, low=3)
    x = rng.normal(size=(C, m)) * 3
    if variant == 0:
        return Case({"x": x}, None, _("x of shape {shape}").format(shape=(C, m)))
    # Large entries: np.exp(1000) overflows. Columns around +1000 and −1000, so one shared maximum
    # for the whole matrix is not enough either (np.exp(−2000) underflows to 0, and 0/0 is NaN).
    offsets = np.where(rng.permutation(np.arange(m) % 2) == 0, 1000.0, -1000.0)
    return Case({"x": x + offsets}, None, _("x of shape {shape} with large entries (about ±1000)").format(shape=(C, m)))


def _loss_case(rng, variant):
    """Predictions ŷ in (0, 1) and 0/1 (one-hot) labels y of the same shape."""
    if variant == 2:
        shape, y = (1, 1), np.ones((1, 1))
        label = _("a single entry, yhat and y of shape {shape}").format(shape=shape)
    elif variant == 0:
        m = distinct_dims(rng, 1, low=4)[0]
        shape = (1, m)
        label = _("yhat and y of shape {shape}").format(shape=shape)
        y = rng.permutation(np.arange(m) % 2).reshape(shape).astype(np.float64)
    else:
        C, m = distinct_dims(rng, 2, low=3)
        shape = (C, m)
        label = _("one-hot labels, yhat and y of shape {shape}").format(shape=shape)
        y = np.eye(C)[:, rng.integers(0, C, size=m)]
    yhat = rng.uniform(0.05, 0.95, size=shape)
    return Case({"yhat": yhat, "y": y}, None, label)


def _regression_data(rng, variant):
    """X: (n_x, m) and real targets Y: (1, m) on a noisy plane, m and the sizes (for messages) of a case."""
    n_x = 1 if variant == 1 else distinct_dims(rng, 1, low=2, high=6)[0]
    m = examples(rng, variant, low=5, high=12)
    X = rng.normal(size=(n_x, m))
    Y = 2 * rng.normal(size=(1, n_x)) @ X + rng.normal() + 0.3 * rng.normal(size=(1, m))
    return X, Y, m, f"n_x = {n_x}, m = {m}"


def _linear_propagate_case(rng, variant):
    X, Y, m, sizes = _regression_data(rng, variant)
    w, b = rng.normal(size=(X.shape[0], 1)), float(rng.normal())
    return Case({"w": w, "b": b, "X": X, "Y": Y}, m, sizes)


def _linear_regression_case(rng, variant):
    X, Y, m, sizes = _regression_data(rng, variant)
    iterations = int(rng.integers(15, 41))
    return Case({"X": X, "Y": Y, "num_iterations": iterations, "learning_rate": 0.1}, m, _(
        "{sizes}, {iterations} iterations, learning rate 0.1").format(sizes=sizes, iterations=iterations))


# ---- exercise-specific hints: bugs the generic comparison cannot name -----------------------------

def _derivative_of_x(case, got):
    x = np.asarray(case.kwargs["x"], dtype=np.float64)
    if _close(got, x * (1 - x)):
        return Hint("sigmoid_derivative_of_input", _("you computed x(1 − x): the formula is s(1 − s) with s = "
                                                     "sigmoid(x), so compute s first"))
    if _close(got, sigmoid(x)):
        return Hint("sigmoid_derivative_is_sigmoid", _("that is σ(x) itself; its derivative is σ(x)(1 − σ(x))"))
    return None


def _image_order(case, got):
    image = case.kwargs["image"]
    got = np.asarray(got).reshape(-1, 1)
    if np.array_equal(got, np.reshape(image, (-1, 1), order="F")):
        wrong = _('the image with order="F" (or image.T first)')
    else:
        wrong = next((f"image.transpose{p}" for p in list(itertools.permutations(range(3)))[1:]
                      if np.array_equal(got, image.transpose(p).reshape(-1, 1))), None)
        if not wrong:
            return None
    return Hint("image_flattened_in_another_order", _(
        "the right numbers in the wrong order: your column is {wrong}, flattened. Reshape the image as it is, "
        "image.reshape(height * width * channels, 1): numpy's default order keeps each pixel's R, G, B together, "
        "and reshaping the column back to image.shape gives the picture again").format(wrong=wrong))


def _row_norms(case, got):
    x = np.asarray(case.kwargs["x"], dtype=np.float64)
    rows = np.linalg.norm(x, axis=1, keepdims=True)
    if _close(got, x / rows**2):
        return Hint("divided_by_squared_norm", _("each row was divided by its squared norm: np.linalg.norm already "
                                                 "takes the square root (‖x‖ = sqrt(Σ x²)); divide by the norm itself"))
    if _close(got, x / np.linalg.norm(x, axis=0, keepdims=True)):
        return Hint("normalized_columns_not_rows", _("each column was scaled to length 1, not each row: take the norm "
                                                     "over axis=1 (along a row), keepdims=True"))
    if _close(got, x / np.linalg.norm(x)):
        return Hint("normalized_by_one_norm", _("the whole matrix was divided by one norm: take one norm per row, "
                                                "np.linalg.norm(x, axis=1, keepdims=True)"))
    return None


def _softmax_axis(case, got):
    got = np.asarray(got, dtype=np.float64)
    if np.allclose(got.sum(axis=1), 1) and not np.allclose(got.sum(axis=0), 1):
        return Hint("softmax_over_rows", _("each row sums to 1 instead of each column: in the course's notation a "
                                           "column is one example, so take the max and the sum over axis=0 "
                                           "(keepdims=True)"))
    if np.isclose(got.sum(), 1) and got.shape[1] > 1:
        return Hint("softmax_over_whole_matrix", _("the whole matrix sums to 1: normalize each column on its own, "
                                                   "np.sum(..., axis=0, keepdims=True)"))
    return None


def _softmax_overflow(case, got):
    x = np.asarray(case.kwargs["x"], dtype=np.float64)
    if np.abs(x).max() > 700 and not np.all(np.isfinite(np.asarray(got, dtype=np.float64))):
        return Hint("softmax_unstable", _(
            "np.exp overflows above about 709 (np.exp(1000) is inf, and inf / inf is NaN): subtract each column's "
            "maximum first, x - np.max(x, axis=0, keepdims=True) — a softmax does not change when a whole column is "
            "shifted by the same number. One maximum for the whole matrix is not enough when columns are far apart: "
            "np.exp(-2000) underflows to 0, and 0 / 0 is NaN too"))
    return None


def _averaged(loss):
    def hint(case, got):
        if _close(np.asarray(got, dtype=np.float64) * np.size(case.kwargs["y"]), loss(**case.kwargs)):
            return Hint("loss_averaged_not_summed", _("that is the average over the entries: {loss} is their sum, "
                                                      "np.sum, not np.mean").format(loss=loss.__name__))
        return None
    return hint


def _L1_without_abs(case, got):
    d = case.kwargs["y"] - case.kwargs["yhat"]
    if _close(got, np.sum(d)) or _close(got, -np.sum(d)):
        return Hint("l1_without_abs", _("without np.abs, positive and negative differences cancel: sum the absolute "
                                        "values |y − ŷ|"))
    return None


def _L2_not_squared(case, got):
    d = case.kwargs["y"] - case.kwargs["yhat"]
    if _close(got, np.sum(np.abs(d))):
        return Hint("l2_is_l1", _("that is the L1 loss Σ|y − ŷ|: L2 squares each difference, "
                                  "np.sum((y - yhat) ** 2) (or np.dot(d, d))"))
    if _close(got, np.sqrt(np.sum(d**2))):
        return Hint("l2_norm_not_squared", _("that is the L2 norm ‖y − ŷ‖ (with a square root, as np.linalg.norm "
                                             "gives): the L2 loss is its square, Σ(y − ŷ)², no square root"))
    return None


def _squared_error_factor(case, got):
    """The mean squared error without the course's ½, in the cost or in the gradients."""
    (expected_grads, expected_cost), (grads, cost) = linear_regression.linear_propagate(**case.kwargs), got
    if _close(cost, 2 * expected_cost):
        return Hint("squared_cost_without_half", _(
            "the cost is twice the expected one: the course's squared-error cost carries a ½, "
            "J = (1/2m) Σ(ŷ − y)², so that the 2 brought down by differentiating the square cancels"))
    if _close(grads["dw"], 2 * expected_grads["dw"]):
        return Hint("squared_gradient_doubled", _(
            "dw is twice the expected one: the ½ in J = (1/2m) Σ(ŷ − y)² cancels the 2 that differentiating the "
            "square brings down, so dw = (1/m)·X(Ŷ − Y)ᵀ and db = (1/m)·Σ(Ŷ − Y), with no factor 2"))
    return None


def _bias_left_out(case, got):
    if matches(linear_regression.linear_propagate(**(case.kwargs | {"b": 0.0})), got):
        return Hint("prediction_without_bias", _("your cost and gradients are those of Ŷ = wᵀX, without b: the "
                                                 "prediction is Ŷ = wᵀX + b (b broadcasts over the m columns)"))
    return None


def _descent_steps(case, got):
    """b never stepped (it stays at its start, 0), or steps up the gradient instead of down."""
    expected = linear_regression.linear_regression(**case.kwargs)
    params, costs = got
    start = {"w": np.zeros_like(expected[0]["w"]), "b": 0.0}
    if not costs[-1] <= costs[0] and expected[1][-1] < expected[1][0]:
        return Hint("gradient_ascent", _("the cost grows instead of shrinking: each step must go against the "
                                         "gradient, w = w − α·dw and b = b − α·db (adding α·dw climbs uphill)"))
    return unchanged(start, expected, (params, costs))


EXERCISES = {e.name: e for e in [
    Exercise("sigmoid", sigmoid, _array_case, ("s",)),
    Exercise("sigmoid_derivative", numpy_warmups.sigmoid_derivative, _array_case, ("ds",), uses=("sigmoid",),
             hints=(_derivative_of_x,)),
    Exercise("image2vector", numpy_warmups.image2vector, _image_case, ("v",), hints=(_image_order,)),
    Exercise("normalize_rows", numpy_warmups.normalize_rows, _rows_case, ("x_normalized",), hints=(_row_norms,)),
    Exercise("softmax", softmax, _softmax_case, ("s",), hints=(_softmax_axis, _softmax_overflow)),
    Exercise("L1", losses.L1, _loss_case, ("loss",), hints=(_L1_without_abs, _averaged(losses.L1))),
    Exercise("L2", losses.L2, _loss_case, ("loss",), hints=(_L2_not_squared, _averaged(losses.L2))),
    Exercise("linear_propagate", linear_regression.linear_propagate, _linear_propagate_case, ("grads", "cost"),
             hints=(_squared_error_factor, _bias_left_out)),
    Exercise("linear_regression", linear_regression.linear_regression, _linear_regression_case, ("params", "costs"),
             uses=("linear_propagate",), hints=(_descent_steps,)),
]}

check = Checker(EXERCISES)
