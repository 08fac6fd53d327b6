"""Assignment 02 (logistic regression): the two pieces of the chain rule, dL_da and da_dz, against independent
maths, and their hints, each proven by planting that bug in a correct answer. (propagate, optimize, predict and
model's hints are proven in test_checker.py; release and scores through nbgrader in test_course_pipeline.py.)"""

import functools

import numpy as np
import pytest

from autograder.learner.exercises import logistic_regression
from learner import cell, passes_visible_and_hidden, plant
from learner import failure as report
from nncore import logistic

check = logistic_regression.check

ANSWERS = {
    "dL_da": """
def dL_da(a, y):
    y = y.astype(float)
    da = -y / a + (1 - y) / (1 - a)
    return da
""",
    "da_dz": """
def da_dz(a):
    slope = a * (1 - a)
    return slope
""",
}


def planted(name, *replacements):
    """The learner function ``name`` with a bug planted by ``(old, new)`` replacements (each anchor must exist)."""
    return cell(plant(ANSWERS[name], *replacements))[name]


failure = functools.partial(report, check)


def loss(a, y):
    """L(a, y) = −[y log a + (1 − y) log(1 − a)], written out independently."""
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


# ---- the references, against independent maths ----------------------------------------------------------

def test_dL_da_is_the_slope_of_the_loss_and_takes_uint8_labels():
    a = np.array([[0.1, 0.4, 0.7, 0.95]])
    y = np.array([[0, 1, 1, 0]], dtype=np.uint8)
    h = 1e-6
    numerical = (loss(a + h, y.astype(float)) - loss(a - h, y.astype(float))) / (2 * h)
    np.testing.assert_allclose(logistic.dL_da(a, y), numerical, rtol=1e-7)


def test_da_dz_is_the_slope_of_the_sigmoid_written_with_its_output():
    z = np.linspace(-6, 6, 13).reshape(1, -1)
    sigma = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    h = 1e-6
    np.testing.assert_allclose(logistic.da_dz(sigma(z)), (sigma(z + h) - sigma(z - h)) / (2 * h), rtol=1e-7)


def test_the_chain_rule_gives_dz_equal_to_a_minus_y_and_propagate_uses_it():
    rng = np.random.default_rng(7)
    a = rng.uniform(0.01, 0.99, size=(1, 9))
    y = (rng.random((1, 9)) > 0.5).astype(float)
    np.testing.assert_allclose(logistic.dL_da(a, y) * logistic.da_dz(a), a - y, rtol=1e-12, atol=1e-14)
    X, w, b = rng.normal(size=(3, 9)), rng.normal(size=(3, 1)), 0.3
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    grads, _ = logistic.propagate(w, b, X, y)
    dz = logistic.dL_da(A, y) * logistic.da_dz(A)
    np.testing.assert_allclose(grads["dw"], X @ dz.T / 9, rtol=1e-10)
    assert grads["db"] == pytest.approx(float(np.mean(dz)), rel=1e-10)


# ---- correct and equivalent answers pass -----------------------------------------------------------------

def test_correct_answers_pass_visible_and_hidden_cases(capsys):
    passes_visible_and_hidden(check, ANSWERS, capsys)


def test_equivalent_formulas_pass():
    ns = cell("""
    def dL_da(a, y):
        return (a - y) / (a * (1 - a))
    def da_dz(a):
        return a - a ** 2
    """)
    check("dL_da", ns["dL_da"])
    check("da_dz", ns["da_dz"])


# ---- each hint, proven by its planted bug ----------------------------------------------------------------

@pytest.mark.parametrize("wrong, hint, words", [
    ("-y / a - (1 - y) / (1 - a)", "loss_derivative_second_term_sign", "the second term has the wrong sign"),
    ("a - y", "loss_derivative_is_dz", "that is a − y, which is ∂L/∂z"),
    ("-(y * np.log(a) + (1 - y) * np.log(1 - a))", "loss_derivative_is_the_loss", "that is the loss L(a, y) itself"),
    ("-y / a", "loss_derivative_second_term_missing", "only the first term, −y/a"),
    ("y / a - (1 - y) / (1 - a)", "sign_flipped", "the sign is flipped"),
])
def test_wrong_loss_derivatives(wrong, hint, words):
    message = failure("dL_da", planted("dL_da", "-y / a + (1 - y) / (1 - a)", wrong))
    assert message.hint == hint and words in message


def test_dL_da_with_uint8_labels_wraps():
    message = failure("dL_da", planted("dL_da", "    y = y.astype(float)\n", ""))
    assert "test case 2 of 3" in message and message.hint == "uint8_wrap"


@pytest.mark.parametrize("wrong, hint, words", [
    ("sigmoid(a) * (1 - sigmoid(a))", "output_derivative_sigmoid_applied_again", "you applied σ to a again"),
    ("1 - a ** 2", "output_derivative_of_tanh", "1 − a² is the derivative of tanh"),
])
def test_wrong_output_derivatives(wrong, hint, words):
    fn = cell(plant(ANSWERS["da_dz"], "a * (1 - a)", wrong), sigmoid=lambda t: 1 / (1 + np.exp(-t)))["da_dz"]
    message = failure("da_dz", fn)
    assert message.hint == hint and words in message
