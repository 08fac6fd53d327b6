"""Assignment 01 (numpy and vectorization, and linear regression): its nncore references against independent
maths, and its checker's hints, each proven by planting that bug in a correct answer. (Release, leaks and scores
through nbgrader are covered for every assignment by test_course_pipeline.py.)"""

import functools
import itertools
import math
import warnings

import numpy as np
import pytest

from autograder.learner.exercises import numpy_vectorization
from learner import cell, passes_visible_and_hidden, plant
from learner import failure as report
from nncore import linear_regression, losses, numpy_warmups

check = numpy_vectorization.check
EXERCISES = numpy_vectorization.EXERCISES

ANSWERS = {
    "sigmoid": """
def sigmoid(x):
    s = 1 / (1 + np.exp(-x))
    return s
""",
    "sigmoid_derivative": """
def sigmoid(x):
    return 1 / (1 + np.exp(-x))

def sigmoid_derivative(x):
    s = sigmoid(x)
    ds = s * (1 - s)
    return ds
""",
    "image2vector": """
def image2vector(image):
    v = image.reshape(image.shape[0] * image.shape[1] * image.shape[2], 1)
    return v
""",
    "normalize_rows": """
def normalize_rows(x):
    x_norm = np.linalg.norm(x, axis=1, keepdims=True)
    return x / x_norm
""",
    "softmax": """
def softmax(x):
    x_exp = np.exp(x - np.max(x, axis=0, keepdims=True))
    return x_exp / np.sum(x_exp, axis=0, keepdims=True)
""",
    "L1": """
def L1(yhat, y):
    loss = np.sum(np.abs(y - yhat))
    return loss
""",
    "L2": """
def L2(yhat, y):
    loss = np.sum((y - yhat) ** 2)
    return loss
""",
    "linear_propagate": """
def linear_propagate(w, b, X, Y):
    m = X.shape[1]
    Yhat = np.dot(w.T, X) + b
    cost = np.sum((Yhat - Y) ** 2) / (2 * m)
    dw = np.dot(X, (Yhat - Y).T) / m
    db = np.sum(Yhat - Y) / m
    return {"dw": dw, "db": db}, cost
""",
    "linear_regression": """
def linear_propagate(w, b, X, Y):
    Yhat = np.dot(w.T, X) + b
    m = X.shape[1]
    return {"dw": np.dot(X, (Yhat - Y).T) / m, "db": np.sum(Yhat - Y) / m}, np.sum((Yhat - Y) ** 2) / (2 * m)

def linear_regression(X, Y, num_iterations=100, learning_rate=0.1):
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    costs = []
    for i in range(num_iterations):
        grads, cost = linear_propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        costs.append(cost)
    return {"w": w, "b": b}, costs
""",
}
ARRAY_FUNCTIONS = ("sigmoid", "sigmoid_derivative", "image2vector", "normalize_rows", "softmax", "L1", "L2")


def planted(name, *replacements):
    """The learner function ``name`` with a bug planted by ``(old, new)`` replacements (each anchor must exist)."""
    return cell(plant(ANSWERS[name], *replacements))[name]


failure = functools.partial(report, check)


def likely_cause(message):
    """The exercise-specific hint, which the checker puts first."""
    lines = message.splitlines()
    assert lines[1].strip().endswith(": likely cause"), message
    return lines[2]


# ---- the references, against independent maths ----------------------------------------------------

def test_image2vector_puts_each_pixels_channels_together_and_reshapes_back():
    image = np.arange(4 * 5 * 3).reshape(4, 5, 3) * 1.5
    v = numpy_warmups.image2vector(image)
    assert v.shape == (60, 1)
    for i, j, k in itertools.product(range(4), range(5), range(3)):
        assert v[i * 5 * 3 + j * 3 + k, 0] == image[i, j, k]
    assert np.array_equal(v.reshape(image.shape), image)
    assert numpy_warmups.image2vector(np.zeros((64, 64, 3), np.uint8)).dtype == np.uint8


def test_normalize_rows_closed_form_and_unit_rows():
    x = np.array([[0, 3, 4], [1, 6, 4]])
    expected = np.array([[0, 3 / 5, 4 / 5], [1 / math.sqrt(53), 6 / math.sqrt(53), 4 / math.sqrt(53)]])
    np.testing.assert_allclose(numpy_warmups.normalize_rows(x), expected, rtol=1e-14)
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 4))
    before = x.copy()
    out = numpy_warmups.normalize_rows(x)
    np.testing.assert_allclose(np.sqrt(np.sum(out**2, axis=1)), 1.0, rtol=1e-14)
    np.testing.assert_allclose(out * np.sqrt(np.sum(x**2, axis=1))[:, None], x, rtol=1e-13)   # same direction
    assert np.array_equal(x, before)


def test_sigmoid_derivative_matches_a_centred_difference_and_is_stable():
    x = np.linspace(-6, 6, 25).reshape(5, 5)
    closed_sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    h = 1e-5
    numerical = (closed_sigmoid(x + h) - closed_sigmoid(x - h)) / (2 * h)
    np.testing.assert_allclose(numpy_warmups.sigmoid_derivative(x), numerical, rtol=1e-8, atol=1e-12)
    assert numpy_warmups.sigmoid_derivative(0) == 0.25
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        np.testing.assert_array_equal(numpy_warmups.sigmoid_derivative(np.array([-1000.0, 1000.0])), [0.0, 0.0])


def _lstsq(X, Y):
    """The least-squares (w, b), the closed form, from numpy's solver on [Xᵀ 1]."""
    theta = np.linalg.lstsq(np.hstack([X.T, np.ones((X.shape[1], 1))]), Y.ravel(), rcond=None)[0]
    return theta[:-1].reshape(-1, 1), theta[-1]


def test_linear_propagate_matches_a_loop_and_numerical_gradients():
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(3, 7)), rng.normal(size=(1, 7))
    w, b = rng.normal(size=(3, 1)), 0.4
    grads, cost = linear_regression.linear_propagate(w, b, X, Y)

    def J(w, b):
        return sum((float(w[:, 0] @ X[:, i]) + b - Y[0, i]) ** 2 for i in range(7)) / (2 * 7)
    assert cost == pytest.approx(J(w, b), rel=1e-12)
    eps = 1e-6
    for j in range(3):
        step = np.zeros((3, 1))
        step[j] = eps
        assert grads["dw"][j, 0] == pytest.approx((J(w + step, b) - J(w - step, b)) / (2 * eps), rel=1e-6)
    assert grads["db"] == pytest.approx((J(w, b + eps) - J(w, b - eps)) / (2 * eps), rel=1e-6)
    assert grads["dw"].shape == (3, 1) and type(grads["db"]) is float and type(cost) is float


def test_linear_regression_is_gradient_descent_from_zeros_and_reaches_least_squares():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(2, 50))
    Y = np.array([[1.5, -2.0]]) @ X + 0.7 + 0.1 * rng.normal(size=(1, 50))
    params, costs = linear_regression.linear_regression(X, Y, num_iterations=3, learning_rate=0.1)
    w, b = np.zeros((2, 1)), 0.0
    for i in range(3):
        grads, cost = linear_regression.linear_propagate(w, b, X, Y)
        assert costs[i] == cost
        w, b = w - 0.1 * grads["dw"], b - 0.1 * grads["db"]
    assert np.array_equal(params["w"], w) and params["b"] == b
    params, costs = linear_regression.linear_regression(X, Y, num_iterations=500, learning_rate=0.1)
    w_star, b_star = _lstsq(X, Y)
    np.testing.assert_allclose(params["w"], w_star, rtol=1e-8)
    assert params["b"] == pytest.approx(b_star, rel=1e-8)
    assert len(costs) == 500 and all(np.diff(costs) <= 1e-15)   # downhill all the way (up to rounding)


def test_L1_and_L2_closed_forms():
    yhat = np.array([[0.9, 0.2, 0.1, 0.4, 0.9]])
    y = np.array([[1, 0, 0, 1, 1]])
    assert losses.L1(yhat, y) == pytest.approx(0.1 + 0.2 + 0.1 + 0.6 + 0.1, rel=1e-14)
    assert losses.L2(yhat, y) == pytest.approx(0.01 + 0.04 + 0.01 + 0.36 + 0.01, rel=1e-14)
    assert type(losses.L1(yhat, y)) is float and type(losses.L2(yhat, y)) is float
    assert losses.L1(yhat, y.astype(np.uint8)) == pytest.approx(1.1)   # no unsigned wrap-around
    assert losses.L2(0.5, 1) == 0.25


# ---- the cases -------------------------------------------------------------------------------------

def test_every_array_case_has_no_m_and_the_large_softmax_case_is_visible_and_hidden():
    assert set(EXERCISES) - set(ARRAY_FUNCTIONS) == {"linear_propagate", "linear_regression"}
    for name in ARRAY_FUNCTIONS:
        for seed in (0, 83311):
            assert all(case.m is None for case in EXERCISES[name].cases(seed)), name
    for seed in (0, 83311):
        large = EXERCISES["softmax"].cases(seed)[1].kwargs["x"]
        assert large.max() > 700 and large.min() < -700


def test_no_normalize_rows_case_has_a_zero_row():
    for seed in range(20):
        for case in EXERCISES["normalize_rows"].cases(seed):
            assert np.all(np.linalg.norm(case.kwargs["x"], axis=1) > 0)


# ---- correct and equivalent answers pass -------------------------------------------------------------

def test_correct_answers_pass_visible_and_hidden_cases(capsys):
    passes_visible_and_hidden(check, ANSWERS, capsys)


def test_equivalent_formulas_pass():
    ns = cell("""
    def sigmoid_derivative(x):
        return np.exp(-x) / (1 + np.exp(-x)) ** 2
    def image2vector(image):
        return image.reshape(-1, 1)
    def normalize_rows(x):
        return x / np.sqrt(np.sum(x ** 2, axis=1, keepdims=True))
    def softmax(x):
        e = np.exp(x - x.max(axis=0))
        return e / e.sum(axis=0)
    def L1(yhat, y):
        return float(np.abs(yhat - y).sum())
    def L2(yhat, y):
        d = (y - yhat).ravel()
        return np.dot(d, d)
    """)
    for name in ("sigmoid_derivative", "image2vector", "normalize_rows", "softmax", "L1", "L2"):
        check(name, ns[name])


# ---- each hint, proven by its planted bug --------------------------------------------------------------

def test_softmax_over_rows():
    message = failure("softmax", planted("softmax", "axis=0", "axis=1"))
    assert message.hint == "softmax_over_rows"
    assert "each row sums to 1 instead of each column" in likely_cause(message)


def test_softmax_over_the_whole_matrix():
    message = failure("softmax", planted("softmax", "np.sum(x_exp, axis=0, keepdims=True)", "np.sum(x_exp)"))
    assert message.hint == "softmax_over_whole_matrix"
    assert "the whole matrix sums to 1" in likely_cause(message)


def test_naive_softmax_overflows_on_the_large_case(capsys):
    fn = planted("softmax", "np.exp(x - np.max(x, axis=0, keepdims=True))", "np.exp(x)")
    message = failure("softmax", fn)
    assert "test case 2 of 3" in message and "large entries" in message
    assert message.hint_ids[:2] == ("softmax_unstable", "nan_or_inf")
    assert "subtract each column's maximum first" in likely_cause(message)
    assert "NaN or inf" in message and "numpy warned: RuntimeWarning" in message
    assert capsys.readouterr().err == ""


def test_softmax_with_one_maximum_for_the_whole_matrix():
    fn = planted("softmax", "np.max(x, axis=0, keepdims=True)", "np.max(x)")
    message = failure("softmax", fn)
    assert "test case 2 of 3" in message and message.hint == "softmax_unstable"
    assert "subtract each column's maximum first" in likely_cause(message)


def test_normalize_rows_by_the_squared_norm():
    message = failure("normalize_rows", planted("normalize_rows", "return x / x_norm", "return x / x_norm ** 2"))
    assert message.hint == "divided_by_squared_norm"
    assert "divided by its squared norm" in likely_cause(message)


def test_normalize_rows_by_the_column_norm():
    message = failure("normalize_rows", planted("normalize_rows", "axis=1", "axis=0"))
    assert message.hint == "normalized_columns_not_rows"
    assert "each column was scaled to length 1, not each row" in likely_cause(message)


def test_normalize_rows_by_the_norm_of_the_whole_matrix():
    fn = planted("normalize_rows", "np.linalg.norm(x, axis=1, keepdims=True)", "np.linalg.norm(x)")
    message = failure("normalize_rows", fn)
    assert message.hint == "normalized_by_one_norm"
    assert "the whole matrix was divided by one norm" in likely_cause(message)


@pytest.mark.parametrize("wrong, named", [
    ('image.reshape(image.shape[0] * image.shape[1] * image.shape[2], 1, order="F")', 'order="F"'),
    ("image.T.reshape(image.shape[0] * image.shape[1] * image.shape[2], 1)", 'order="F"'),
    ("image.transpose(1, 0, 2).reshape(-1, 1)", "image.transpose(1, 0, 2)"),
    ("np.moveaxis(image, 2, 0).reshape(-1, 1)", "image.transpose(2, 0, 1)"),
])
def test_image2vector_in_the_wrong_order(wrong, named):
    fn = planted("image2vector", "image.reshape(image.shape[0] * image.shape[1] * image.shape[2], 1)", wrong)
    message = failure("image2vector", fn)
    assert message.hint == "image_flattened_in_another_order"
    hint = likely_cause(message)
    assert "the right numbers in the wrong order" in hint and named in hint


def test_image2vector_flat_gets_the_generic_shape_hint_only():
    fn = planted("image2vector", "image.shape[2], 1)", "image.shape[2])")
    message = failure("image2vector", fn)
    assert "likely cause" not in message and "flat vector of shape (n,)" in message
    assert message.hint_ids == ("flat_vector",)


def test_L1_without_abs():
    message = failure("L1", planted("L1", "np.sum(np.abs(y - yhat))", "np.sum(y - yhat)"))
    assert message.hint == "l1_without_abs"
    assert "positive and negative differences cancel" in likely_cause(message)


def test_L1_averaged():
    message = failure("L1", planted("L1", "np.sum(np.abs(y - yhat))", "np.mean(np.abs(y - yhat))"))
    assert message.hint == "loss_averaged_not_summed"
    assert "L1 is their sum, np.sum, not np.mean" in likely_cause(message)


def test_L2_with_abs_instead_of_a_square():
    message = failure("L2", planted("L2", "np.sum((y - yhat) ** 2)", "np.sum(np.abs(y - yhat))"))
    assert message.hint == "l2_is_l1"
    assert "that is the L1 loss" in likely_cause(message)


@pytest.mark.parametrize("norm", ["np.linalg.norm(y - yhat)", "np.sqrt(np.sum((y - yhat) ** 2))"])
def test_L2_norm_instead_of_its_square(norm):
    message = failure("L2", planted("L2", "np.sum((y - yhat) ** 2)", norm))
    assert message.hint == "l2_norm_not_squared"
    assert "that is the L2 norm" in likely_cause(message)


def test_L2_averaged():
    message = failure("L2", planted("L2", "np.sum((y - yhat) ** 2)", "np.mean((y - yhat) ** 2)"))
    assert message.hint == "loss_averaged_not_summed"
    assert "L2 is their sum, np.sum, not np.mean" in likely_cause(message)


def test_sigmoid_derivative_of_input_itself_or_sigma_itself():
    message = failure("sigmoid_derivative", planted("sigmoid_derivative", "ds = s * (1 - s)", "ds = x * (1 - x)"))
    assert message.hint == "sigmoid_derivative_of_input"
    assert "you computed x(1 − x)" in likely_cause(message)
    message = failure("sigmoid_derivative", planted("sigmoid_derivative", "ds = s * (1 - s)", "ds = s"))
    assert message.hint == "sigmoid_derivative_is_sigmoid"
    assert "that is σ(x) itself" in likely_cause(message)


def test_sigmoid_derivative_graded_as_written_points_at_a_broken_sigmoid(monkeypatch):
    monkeypatch.setenv("NNCOURSE_GRADING", "as_written")  # each bug once: see tests/test_borrowing.py
    fn = planted("sigmoid_derivative", "return 1 / (1 + np.exp(-x))", "return 1 / (2 + np.exp(-x))")
    assert "calls your sigmoid, which does not pass its own check yet" in failure("sigmoid_derivative", fn)


def test_a_mutated_input_is_reported():
    message = failure("normalize_rows", planted("normalize_rows", "return x / x_norm", "x /= x_norm\n    return x"))
    assert "argument 'x': your function changed its input in place" in message
    assert message.hint == "mutated_input"



# ---- linear regression: each hint, proven by its planted bug ------------------------------------------

def test_linear_propagate_with_the_mean_squared_error_instead_of_half_of_it():
    fn = planted("linear_propagate", "cost = np.sum((Yhat - Y) ** 2) / (2 * m)", "cost = np.sum((Yhat - Y) ** 2) / m")
    message = failure("linear_propagate", fn)
    assert message.hint == "squared_cost_without_half"
    assert "the cost is twice the expected one" in likely_cause(message)


def test_linear_propagate_with_a_factor_2_in_the_gradient():
    fn = planted("linear_propagate", "dw = np.dot(X, (Yhat - Y).T) / m", "dw = 2 * np.dot(X, (Yhat - Y).T) / m",
                 "db = np.sum(Yhat - Y) / m", "db = 2 * np.sum(Yhat - Y) / m")
    message = failure("linear_propagate", fn)
    assert message.hint == "squared_gradient_doubled"
    assert "dw is twice the expected one" in likely_cause(message)


def test_linear_propagate_without_the_bias():
    message = failure("linear_propagate", planted("linear_propagate", "np.dot(w.T, X) + b", "np.dot(w.T, X)"))
    assert message.hint == "prediction_without_bias"
    assert "without b" in likely_cause(message)


def test_linear_propagate_summed_instead_of_averaged_and_with_the_residual_flipped():
    fn = planted("linear_propagate", "cost = np.sum((Yhat - Y) ** 2) / (2 * m)", "cost = np.sum((Yhat - Y) ** 2) / 2")
    message = failure("linear_propagate", fn)
    assert "cost" in message and message.hint == "missing_1_over_m"
    fn = planted("linear_propagate", "dw = np.dot(X, (Yhat - Y).T) / m", "dw = np.dot(X, (Y - Yhat).T) / m")
    message = failure("linear_propagate", fn)
    assert "grads['dw']" in message and message.hint == "sign_flipped"


def test_linear_regression_stepping_up_the_gradient():
    fn = planted("linear_regression", 'w = w - learning_rate * grads["dw"]', 'w = w + learning_rate * grads["dw"]',
                 'b = b - learning_rate * grads["db"]', 'b = b + learning_rate * grads["db"]')
    with np.errstate(all="ignore"):
        message = failure("linear_regression", fn)
    assert message.hint == "gradient_ascent"
    assert "the cost grows instead of shrinking" in likely_cause(message)


def test_linear_regression_that_never_steps_b():
    fn = planted("linear_regression", '        b = b - learning_rate * grads["db"]\n', "")
    message = failure("linear_regression", fn)
    assert message.hint == "never_updated"
    assert "b is exactly the value it started with" in likely_cause(message)


def test_linear_regression_graded_as_written_points_at_a_broken_linear_propagate(monkeypatch):
    monkeypatch.setenv("NNCOURSE_GRADING", "as_written")
    fn = planted("linear_regression", "np.dot(w.T, X) + b", "np.dot(w.T, X)")
    assert "calls your linear_propagate, which does not pass its own check yet" in failure("linear_regression", fn)
