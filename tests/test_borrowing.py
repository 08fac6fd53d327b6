"""Scores that mean something, as the learner's own `check(...)` sees them: the reference is no answer key (a
call into it or a copy of it fails, and says so), and each bug is charged once. The registries' declarations
this rests on (what a notebook provides, which graded functions an exercise calls) are held against the
course's own notebooks. The grader's side of the same guarantees is in tests/test_grade_corpus.py."""

import importlib
import types

import pytest

from autograder.grading.grader import trusted_imports
from autograder.grading.spec import AssignmentSpec
from autograder.learner.borrowing import (MIN_COPY_INSTRUCTIONS, function_code, graded_code, instructions,
                                         qualified_name, same_code)
from autograder.learner.exercises import logistic_regression
from course_tools import REPO, solution_code
from learner import cell, failure

SOURCES = sorted(p for p in (REPO / "course" / "source").glob("*/*.ipynb") if p.parent.name != "playground")
logreg = logistic_regression.check


def _spec(notebook):
    return AssignmentSpec.from_notebook(notebook, notebook.parent.name)


def _code_and_nested(code):
    codes = [code]
    for c in codes:
        codes += [x for x in c.co_consts if isinstance(x, types.CodeType)]
    return codes


@pytest.mark.parametrize("notebook", SOURCES, ids=lambda p: p.parent.name)
def test_the_registry_provides_exactly_what_the_setup_cells_import(notebook):
    spec = _spec(notebook)
    imported = {v for v in trusted_imports(spec.imports).values()
                if isinstance(v, types.FunctionType) and v.__module__.startswith("nncore")}
    assert set(importlib.import_module(spec.registry).check.provided) == imported


@pytest.mark.parametrize("notebook", SOURCES, ids=lambda p: p.parent.name)
def test_every_graded_function_a_solution_calls_is_declared_in_uses(notebook):
    """`uses` decides what stands in for the learner's functions: a missing entry would charge a bug twice."""
    exercises = importlib.import_module(_spec(notebook).registry).check.exercises
    for name, code in solution_code(notebook).items():
        compiled = function_code(code, name)
        if compiled is None:
            continue
        called = {n for c in _code_and_nested(compiled) for n in c.co_names} & (set(exercises) - {name})
        assert called <= set(exercises[name].uses), (name, sorted(called - set(exercises[name].uses)))


@pytest.mark.parametrize("notebook", SOURCES, ids=lambda p: p.parent.name)
def test_no_solution_of_the_course_is_flagged_as_a_copy_of_the_reference(notebook):
    exercises = importlib.import_module(_spec(notebook).registry).check.exercises
    for name, code in solution_code(notebook).items():
        compiled = function_code(code, name)
        reference = getattr(exercises[name].reference, "__code__", None)
        assert compiled is None or reference is None or not same_code(compiled, reference), name


def test_a_reference_function_is_a_copy_of_itself_and_a_one_line_sigmoid_is_too_short_to_tell():
    from nncore import logistic
    from nncore.activations import sigmoid
    assert same_code(logistic.optimize.__code__, logistic.optimize.__code__)
    assert same_code(sigmoid.__code__, sigmoid.__code__)           # nncore's overflow-safe sigmoid is distinctive
    one_line = cell("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n")["sigmoid"].__code__
    assert not same_code(one_line, one_line)                        # … the one-line sigmoid is everyone's
    assert instructions(one_line) < MIN_COPY_INSTRUCTIONS


def test_the_graded_code_of_logistic_regression_is_its_references_and_what_they_call():
    names = {qualified_name(c) for c in graded_code(logreg.exercises)}
    assert {"nncore.logistic.propagate", "nncore.logistic.optimize", "nncore.activations.sigmoid",
            "nncore.losses.binary_cross_entropy"} <= names
    assert not {n for n in names if n.startswith(("nncore.data", "nncore.plot"))}   # what the notebook uses freely


BORROWERS = {
    "a wrapper": "from nncore.logistic import propagate as _reference\n"
                 "def propagate(w, b, X, Y):\n    return _reference(w, b, X, Y)\n",
    "import_module with a built name": "import importlib\n"
                 "def propagate(w, b, X, Y):\n"
                 "    module = importlib.import_module('nn' + 'core.' + 'logis' + 'tic')\n"
                 "    return getattr(module, 'propa' + 'gate')(w, b, X, Y)\n",
    "another nncore module": "import nncore.models\n"
                 "def propagate(w, b, X, Y):\n"
                 "    return nncore.models.np and __import__('nncore').logistic.propagate(w, b, X, Y)\n",
    "the reference's helpers": "from nncore import losses\nfrom nncore.activations import sigmoid as s\n"
                 "def propagate(w, b, X, Y):\n    A = s(w.T @ X + b)\n    m = X.shape[1]\n"
                 "    return {'dw': X @ (A - Y).T / m, 'db': float((A - Y).sum() / m)}, "
                 "losses.binary_cross_entropy(A, Y)\n",
}


@pytest.mark.parametrize("how", BORROWERS)
def test_check_says_when_the_answer_calls_the_reference(how):
    ns = cell(BORROWERS[how])
    message = failure(logreg, "propagate", ns["propagate"])
    assert message.hint == "borrowed_reference"
    assert "uses the course's reference implementation" in message and "write propagate yourself" in message


def test_check_says_when_the_answer_is_a_copy_of_the_reference():
    import inspect

    from nncore import logistic
    pasted = inspect.getsource(logistic.optimize).replace("grads", "g").replace("costs", "history")
    ns = cell(pasted, propagate=logistic.propagate)
    message = failure(logreg, "optimize", ns["optimize"])
    assert message.hint == "copied_reference"
    assert "is the code of the course's reference (nncore.logistic.optimize)" in message


def test_a_stand_in_may_call_the_reference_while_the_learners_own_code_may_not(capsys):
    """optimize is judged with the course's propagate standing in: that call is the checker's, not borrowing."""
    ns = cell("def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):\n"
              "    costs = []\n    for i in range(num_iterations):\n        grads, cost = propagate(w, b, X, Y)\n"
              "        w = w - learning_rate * grads['dw']\n        b = b - learning_rate * grads['db']\n"
              "        if i % 100 == 0:\n            costs.append(cost)\n    return {'w': w, 'b': b}, grads, costs\n")
    logreg("optimize", ns["optimize"])
    assert "optimize passes" in capsys.readouterr().out


def test_a_sign_error_in_sigmoid_is_charged_to_sigmoid_alone(capsys):
    sigmoid = "def sigmoid(z):\n    return 1 / (1 + np.exp(z))\n"
    propagate = ("def propagate(w, b, X, Y):\n    Y = Y.astype(float)\n    m = X.shape[1]\n"
                 "    A = sigmoid(np.dot(w.T, X) + b)\n"
                 "    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m\n"
                 "    return {'dw': np.dot(X, (A - Y).T) / m, 'db': np.sum(A - Y) / m}, cost\n")
    ns = cell(sigmoid + propagate)
    assert "sigmoid is not right yet" in failure(logreg, "sigmoid", ns["sigmoid"])
    logreg("propagate", ns["propagate"])
    out = capsys.readouterr().out
    assert "propagate passes" in out and "your sigmoid itself does not pass its check yet" in out


def test_the_guard_is_lifted_after_the_call():
    import sys

    import numpy as np

    from nncore.logistic import propagate
    failure(logreg, "propagate", cell(BORROWERS["a wrapper"])["propagate"])
    assert sys.gettrace() is None
    grads, cost = propagate(np.zeros((2, 1)), 0.0, np.ones((2, 3)), np.ones((1, 3)))   # the notebook may use it again
    assert cost == pytest.approx(np.log(2))
