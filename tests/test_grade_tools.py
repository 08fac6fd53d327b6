"""The pieces around `nncourse grade`: the plain-data wire format, and the learner's selfcheck / validate."""

import shutil
import subprocess
import sys

import numpy as np
import pytest

from autograder.grading import wire
from autograder.learner.exercises import logistic_regression
from autograder.grading.remote import _write_back
from course_tools import env, solution_code, submit

ASSIGNMENT = "02_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"


def roundtrip(value):
    doc, blobs = wire.encode(value)
    return wire.decode(doc, blobs)


def test_plain_data_crosses_unchanged():
    value = ({"dw": np.arange(6.0).reshape(2, 3), "db": np.float64(0.5), "n": 3}, [True, None, "relu", float("nan")],
             np.array([1, 2], dtype=np.uint8))
    back = roundtrip(value)
    assert isinstance(back, tuple) and isinstance(back[1], list)
    np.testing.assert_array_equal(back[0]["dw"], value[0]["dw"])
    assert type(back[0]["db"]) is np.float64 and back[0]["n"] == 3
    assert back[1][:3] == [True, None, "relu"] and np.isnan(back[1][3])
    assert back[2].dtype == np.uint8 and back[2].flags.writeable


def test_anything_else_arrives_as_a_named_placeholder():
    class Cheat:
        def __eq__(self, other):
            return True

    for value, kind in [(Cheat(), "Cheat"), (np.array([object()]), "array_of_object"),
                        (len, "builtin_function_or_method"), (np.ma.masked_array([1.0]), "MaskedArray"),
                        ({(1, 2): 3}, "dict_with_keys_that_are_not_strings_or_integers")]:
        back = roundtrip(value)
        assert isinstance(back, wire.Opaque) and type(back).__name__ == kind, value


@pytest.mark.parametrize("doc, blobs", [
    ({"nd": "|O", "shape": [1], "blob": 0, "scalar": False}, [b"\0" * 8]),        # object dtype: pickle territory
    ({"nd": "<f8", "shape": [3], "blob": 0, "scalar": False}, [b"\0" * 8]),       # size does not match
    ({"nd": "<f8", "shape": [1], "blob": 5, "scalar": False}, []),                # no such blob
    ({"pickle": "gASVAAAAAAAAAACMCGJ1aWx0aW5zlIwEZXZhbJSTlC4="}, []),
    ({"bogus": 1}, []),
])
def test_malformed_or_dangerous_documents_are_refused(doc, blobs):
    with pytest.raises(wire.WireError):
        wire.decode(doc, blobs)


def test_nesting_is_bounded():
    doc = 1
    for _ in range(wire.MAX_DEPTH + 5):
        doc = {"list": [doc]}
    with pytest.raises(wire.WireError):
        wire.decode(doc, [])


def test_post_call_state_is_written_back_in_place():
    array, params, items = np.zeros(3), {"W1": np.ones(2)}, [1]
    _write_back(array, np.arange(3.0))
    _write_back(params, {"W1": np.zeros(2), "extra": 1})
    _write_back(items, [1, 2])
    assert array.tolist() == [0, 1, 2] and set(params) == {"W1", "extra"} and items == [1, 2]


@pytest.fixture(scope="module")
def notebooks(released_course, tmp_path_factory):
    """A learner's finished notebook and an untouched one, in a folder of their own."""
    work = tmp_path_factory.mktemp("learner")
    shutil.copytree(released_course / "release", work / "release")
    solution = solution_code(released_course / "source" / ASSIGNMENT / NOTEBOOK)
    paths = {name: submit(work, name, ASSIGNMENT, NOTEBOOK, answers)
             for name, answers in [("done", solution), ("untouched", {})]}
    return released_course, paths


def nncourse(*args, cwd):
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, env=env(),
                          capture_output=True, text=True, timeout=300)


pytestmark = pytest.mark.xdist_group("nbgrader")


def test_validate_exit_code_means_pass_or_fail(notebooks):
    course, paths = notebooks
    ok = nncourse("--course", str(course), "validate", str(paths["done"]), cwd=paths["done"].parent)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    n = len(logistic_regression.EXERCISES)
    assert f"all {n} exercises pass" in ok.stdout
    bad = nncourse("--course", str(course), "validate", str(paths["untouched"]), cwd=paths["untouched"].parent)
    assert bad.returncode == 1
    assert f"{n} of {n} exercises do not pass" in bad.stdout and "not implemented yet" in bad.stdout


def test_selfcheck_prints_a_table_with_hints_and_no_hidden_test(notebooks):
    course, paths = notebooks
    result = nncourse("--course", str(course), "selfcheck", str(paths["untouched"]), cwd=paths["untouched"].parent)
    assert result.returncode == 0, result.stderr
    assert "propagate" in result.stdout and "0/3" in result.stdout and "total" in result.stdout
    assert "not implemented yet" in result.stdout
    assert "seed=" not in result.stdout and "HIDDEN" not in result.stdout


def test_selfcheck_and_validate_say_first_which_tests_they_used(notebooks, tmp_path):
    course, paths = notebooks
    full = nncourse("--course", str(course), "validate", str(paths["done"]), cwd=paths["done"].parent)
    assert full.stdout.splitlines()[0].startswith("Checked with the course's full tests for 02_logistic_regression")
    alone = tmp_path / "no_course" / paths["done"].name      # a notebook with no course folder in reach
    alone.parent.mkdir()
    shutil.copy(paths["done"], alone)
    (tmp_path / "empty").mkdir()
    own = nncourse("--course", str(tmp_path / "empty"), "selfcheck", str(alone), cwd=alone.parent)
    assert own.stdout.splitlines()[0].startswith("Checked with your notebook's own visible checks, plus one more case")
    n = len(logistic_regression.EXERCISES)
    assert own.returncode == 0 and f"{n}/{n}" not in own.stdout.splitlines()[0]
