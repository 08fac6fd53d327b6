"""`nncourse grade` on an adversarial corpus: broken and malicious submissions next to honest ones, one batch.

Every submission is the real solution of 02_logistic_regression with one thing done to it. Expected
points come from the source notebook's metadata and the exercise each case breaks: each bug is charged once
(the course's reference stands in for the learner's other graded functions an exercise calls), so only
the broken exercise loses its points. For every case the test asserts each exercise's points and status,
that the student's own file is unchanged, that the gradebook holds the same scores, and for the tampering
cases that the in-kernel result would have given points the trusted one does not. Answers that reach for
the reference (by import, import_module, reload, reading or exec-ing its source, another nncore module,
the registry's own helpers) score 0 as ``borrowed``; a renamed copy of its code scores 0 as ``copied``.
"""

import csv
import hashlib
import html
import inspect
import json
import shutil
import socket
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.learner.exercises import logistic_regression
from autograder.publishing.release import secret_lines
from autograder.grading.sandbox import isolation
from nncore import logistic
from course_tools import env, nbgrader_cells, points, solution_code, submit

ASSIGNMENT = "02_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"
EXERCISES = list(logistic_regression.EXERCISES)   # the notebook's exercises, in order

pytestmark = pytest.mark.xdist_group("nbgrader")


def plant(answers, grade_id, old, new):
    assert old in answers[grade_id], f"anchor {old!r} not in the {grade_id} solution"
    return answers | {grade_id: answers[grade_id].replace(old, new)}


def expect(statuses=None, default="passed"):
    """{exercise: status} with ``statuses`` over a default."""
    return {e: (statuses or {}).get(e, default) for e in EXERCISES}


def only(name, status):
    """``name`` gets ``status``, every other exercise passes: each bug is charged once."""
    return expect({name: status})


def delete_cells(*grade_ids):
    def edit(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in grade_ids]
    return edit


def duplicate_cells(*grade_ids, wrong=None):
    """Each named cell appears twice; ``wrong`` (code) replaces the second copy's source."""
    def edit(nb):
        cells = []
        for c in nb.cells:
            cells.append(c)
            if c.metadata.get("nbgrader", {}).get("grade_id") in grade_ids:
                copy = nbformat.from_dict(json.loads(json.dumps(c)))
                copy.id = f"{c.get('id', 'cell')}-copy"
                copy.source = wrong or copy.source
                cells.append(copy)
        nb.cells = cells
    return edit


def edit_locked(nb):
    """Edit a test cell (its check removed) and the locked setup cell (a no-op check)."""
    cells = nbgrader_cells(nb)
    cells["test_propagate"].source = "pass"
    cells["setup"].source += "\ncheck = lambda *args, **kwargs: print('✅ all good')"


SNOOP = '''
import os, socket
for path in {paths!r}:
    try:
        with open(path, "rb") as f:
            print("READ", path, len(f.read()))
    except Exception as exc:
        print("DENIED", path, type(exc).__name__)
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    print("NETWORK", "OPEN")
except OSError as exc:
    print("NETWORK", "DENIED", type(exc).__name__)
'''

PATCH_NUMPY = '''
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.testing.assert_allclose = lambda *args, **kwargs: None
'''

PATCH_CHECKER = '''
import autograder.learner.check
autograder.learner.check.Checker.__call__ = lambda self, name, fn, seed=None: print(f"✅ {name} passes")
'''

TRANSFORMER = r'''
get_ipython().input_transformers_post.append(
    lambda lines: ["pass\n" if line.lstrip().startswith("check(") else line for line in lines])
'''

ALWAYS_EQUAL = '''
class AlwaysEqual:
    def __eq__(self, other):
        return True
    __hash__ = object.__hash__
np.allclose = lambda *args, **kwargs: True

def propagate(w, b, X, Y):
    return {"dw": AlwaysEqual(), "db": AlwaysEqual()}, AlwaysEqual()
'''

WRONG_PROPAGATE = '''
def propagate(w, b, X, Y):
    return {"dw": np.zeros_like(w), "db": 0.0}, 0.0
'''

# Ways to get propagate from the course's reference instead of writing it.
BORROW = {
    "borrow_import": "from nncore.logistic import propagate as _reference\n"
                     "def propagate(w, b, X, Y):\n    return _reference(w, b, X, Y)\n",
    "borrow_import_module": "import importlib\ndef propagate(w, b, X, Y):\n"
                            "    module = importlib.import_module('nn' + 'core.' + 'logis' + 'tic')\n"
                            "    return getattr(module, 'propa' + 'gate')(w, b, X, Y)\n",
    "borrow_reload": "import importlib, nncore.logistic\nfresh = importlib.reload(nncore.logistic)\n"
                     "def propagate(w, b, X, Y):\n    return fresh.propagate(w, b, X, Y)\n",
    "borrow_exec_source": "import importlib.util\nspace = {}\n"
                          "exec(open(importlib.util.find_spec('nncore.logistic').origin).read(), space)\n"
                          "def propagate(w, b, X, Y):\n    return space['propagate'](w, b, X, Y)\n",
    "borrow_getsource": "import inspect, nncore.logistic\nspace = {'__name__': 'copy'}\n"
                        "exec(inspect.getsource(nncore.logistic), space)\n"
                        "def propagate(w, b, X, Y):\n    return space['propagate'](w, b, X, Y)\n",
    "borrow_other_module": "import nncore.models\ndef propagate(w, b, X, Y):\n"
                           "    return nncore.models.np and __import__('nncore').logistic.propagate(w, b, X, Y)\n",
    "borrow_helpers": "from nncore import losses\nfrom nncore.activations import sigmoid as s\n"
                      "def propagate(w, b, X, Y):\n    A = s(w.T @ X + b)\n    m = X.shape[1]\n"
                      "    return {'dw': X @ (A - Y).T / m, 'db': float((A - Y).sum() / m)}, "
                      "losses.binary_cross_entropy(A, Y)\n",
    "borrow_registry": "from autograder.learner.exercises import logistic_regression as r\n"
                       "def propagate(w, b, X, Y):\n    return r.EXERCISES['propagate'].reference(w, b, X, Y)\n",
    "borrow_subprocess": "import subprocess, sys\nspace = {}\n"
                         "exec(subprocess.run(['cat', sys.modules['nncore.logistic'].__file__],"
                         " capture_output=True, text=True).stdout, space)\n"
                         "def propagate(w, b, X, Y):\n    return space['propagate'](w, b, X, Y)\n",
}


PASTED_OPTIMIZE = inspect.getsource(logistic.optimize).replace("grads", "g").replace("costs", "history").replace(
    "cost after iteration", "after")  # the reference's code, renamed and reworded


def corpus(sol, course, port):
    """{student: (answers, edit, {exercise: expected status}, honest)}."""
    secrets = [course / "source" / ASSIGNMENT / NOTEBOOK, course / "gradebook.db",
               course / "release" / ASSIGNMENT / NOTEBOOK, course / "nbgrader_config.py"]
    snoop = SNOOP.format(paths=[str(p) for p in secrets], port=port)
    missing_m = plant(sol, "propagate", "dw = np.dot(X, (A - Y).T) / m", "dw = np.dot(X, (A - Y).T)")
    return {
        # honest submissions, each with one planted bug: charged to that exercise only
        "perfect": (sol, None, expect(), True),
        "untouched": ({}, None, expect(default="failed"), True),
        "missing_m": (missing_m, None, only("propagate", "failed"), True),
        "sigmoid_sign": (plant(sol, "sigmoid", "np.exp(-z)", "np.exp(z)"), None, only("sigmoid", "failed"), True),
        "flipped_predict": (plant(sol, "predict", "(A > 0.5)", "(A < 0.5)"), None, only("predict", "failed"), True),
        "warns": (plant(sol, "propagate", "    m = X.shape[1]",
                        "    import sys, warnings; warnings.warn('harmless'); print('note', file=sys.stderr)\n"
                        "    m = X.shape[1]"), None, expect(), True),
        # broken submissions
        "endless_loop": (plant(sol, "optimize", "    for i in range(num_iterations):",
                               "    i = 0\n    while i < num_iterations:"),
                         None, only("optimize", "timeout"), False),
        "top_level_loop": (sol | {"predict": sol["predict"] + "\nwhile True:\n    pass\n"}, None,
                           only("predict", "timeout"), False),
        "memory_bomb": (plant(sol, "model", "    w, b = initialize_with_zeros",
                              "    hoard = [np.empty(2**26) for _ in range(10**5)]\n    w, b = initialize_with_zeros"),
                        None, only("model", "error"), False),
        "exit_in_call": (plant(sol, "optimize", "    costs = []", "    import os; os._exit(3)\n    costs = []"),
                         None, only("optimize", "error"), False),
        "exit_in_cell": (sol | {"predict": sol["predict"] + "\nimport os\nos._exit(1)\n"}, None,
                         only("predict", "error"), False),
        "huge_print": (sol | {"sigmoid": "print('spam' * 10**7)\nfor i in range(50000):\n    print('spam', i)\n"
                                         + sol["sigmoid"]},
                       None, expect(), False),
        "syntax_error": (plant(sol, "propagate", "m = X.shape[1]", "m = X.shape[1"), None,
                         only("propagate", "error"), False),
        "deleted_cells": (sol, delete_cells("predict", "test_propagate"), only("predict", "missing"), False),
        "duplicated_cells": (sol, duplicate_cells("sigmoid", "test_sigmoid", wrong="def sigmoid(z):\n    return z\n"),
                             expect(), False),
        "edited_locked_cells": (missing_m, edit_locked, only("propagate", "failed"), False),
        "renamed_function": (plant(sol, "propagate", "def propagate(", "def propagate2("), None,
                             only("propagate", "failed"), False),
        "wrong_types": (plant(sol, "initialize_with_zeros", "    return w, b", "    return 'zeros'"), None,
                        only("initialize_with_zeros", "failed"), False),
        "nans": (plant(sol, "predict", "    return Y_prediction", "    return Y_prediction * np.nan"), None,
                 only("predict", "failed"), False),
        # tampering
        "patch_numpy": (sol | {"propagate": PATCH_NUMPY + WRONG_PROPAGATE}, None, only("propagate", "tampered"), False),
        "patch_checker": ({"sigmoid": PATCH_CHECKER + sol["sigmoid"]}, None,
                          expect({"sigmoid": "passed"}, "tampered"), False),
        "always_equal": (sol | {"propagate": ALWAYS_EQUAL}, None, only("propagate", "failed"), False),
        "input_transformer": (sol | {"sigmoid": TRANSFORMER + sol["sigmoid"], "propagate": WRONG_PROPAGATE}, None,
                              only("propagate", "tampered"), False),
        "reads_secrets": (sol | {"sigmoid": snoop + sol["sigmoid"]}, None, expect(), False),
        # borrowing the reference, and copying it
        **{name: (sol | {"propagate": code}, None, only("propagate", "borrowed"), False)
           for name, code in BORROW.items()},
        "copy_of_optimize": (sol | {"optimize": PASTED_OPTIMIZE}, None, only("optimize", "copied"), False),
    }


def feedback_page(course, student):
    """The text of ``student``'s feedback page, HTML entities decoded."""
    return html.unescape((course / "graded" / "feedback" / student / f"{ASSIGNMENT}.html").read_text(encoding="utf-8"))


def digest(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(released_course, tmp_path_factory):
    course = tmp_path_factory.mktemp("corpus") / "course"
    shutil.copytree(released_course, course, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
    source = course / "source" / ASSIGNMENT / NOTEBOOK
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    cases = corpus(solution_code(source), course, listener.getsockname()[1])
    for student, (answers, edit, _, _) in cases.items():
        submit(course, student, ASSIGNMENT, NOTEBOOK, answers, edit)
    folder = course / "submitted"
    (folder / "invalid_json" / ASSIGNMENT).mkdir(parents=True)
    (folder / "invalid_json" / ASSIGNMENT / NOTEBOOK).write_text('{"cells": [ this is not json')
    (folder / "no_notebook" / ASSIGNMENT).mkdir(parents=True)
    (folder / "no_notebook" / ASSIGNMENT / "notes.txt").write_text("I forgot to upload it")
    renamed = folder / "renamed_notebook" / ASSIGNMENT
    renamed.mkdir(parents=True)
    shutil.copy(folder / "perfect" / ASSIGNMENT / NOTEBOOK, renamed / "logistic_regression-Copy1.ipynb")
    before = digest(folder)
    out = course / "graded"
    result = subprocess.run([sys.executable, "-m", "autograder", "--course", str(course), "grade", ASSIGNMENT,
                             str(folder), "--out", str(out), "--timeout", "3", "--memory", "1", "--workers", "2"],
                            cwd=course, env=env(), capture_output=True, text=True, timeout=600)
    listener.close()
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return course, cases, points(source), result, rows, before, digest(folder)


def test_the_batch_completes_with_exit_code_zero(graded):
    _, _, _, result, rows, _, _ = graded
    assert result.returncode == 0, result.stderr[-3000:]
    assert list(rows[0]) == ["student", "assignment", "exercise", "points", "max_points", "status", "message",
                             "diagnosis", "timestamp", "duedate", "seconds_late", "late_penalty"]


def test_every_case_gets_exactly_its_points_and_status(graded):
    course, cases, cell_points, _, rows, _, _ = graded
    got = {(r["student"], r["exercise"]): r for r in rows}
    expected_all = {s: statuses for s, (_, _, statuses, _) in cases.items()}
    expected_all |= {"invalid_json": expect(default="error"), "no_notebook": expect(default="missing"),
                     "renamed_notebook": expect()}
    assert {r["student"] for r in rows} == set(expected_all)
    assert len(rows) == len(expected_all) * len(EXERCISES)
    for student, statuses in expected_all.items():
        for exercise, status in statuses.items():
            row = got[(student, exercise)]
            full = cell_points[f"test_{exercise}"]
            assert (row["status"], float(row["points"])) == (status, full * (status == "passed")), (
                student, exercise, row["message"])
            assert float(row["max_points"]) == full
            assert row["message"], (student, exercise)


def test_no_tampering_case_gains_a_point(graded):
    _, cases, cell_points, _, rows, _, _ = graded
    for student in ("patch_numpy", "patch_checker", "always_equal", "input_transformer", "edited_locked_cells"):
        total = sum(float(r["points"]) for r in rows if r["student"] == student)
        honest = sum(cell_points[f"test_{e}"] for e, s in cases[student][2].items() if s == "passed")
        assert total == honest, student
    tampered = [r for r in rows if r["status"] == "tampered"]
    assert {r["student"] for r in tampered} == {"patch_numpy", "patch_checker", "input_transformer"}
    assert all("passes when run inside your notebook" in r["message"] for r in tampered)


def test_messages_say_what_happened(graded):
    _, _, _, _, rows, _, _ = graded
    message = {(r["student"], r["exercise"]): r["message"] for r in rows}
    assert "not implemented yet" in message[("untouched", "propagate")]
    assert "the 1/m (averaging over the examples) is missing" in message[("missing_m", "propagate")]
    assert "did not finish within 3 s" in message[("endless_loop", "optimize")]
    assert "did not finish within 3 s" in message[("top_level_loop", "predict")]
    assert "used more than 1 GiB of memory" in message[("memory_bomb", "model")]
    assert "exit code 3" in message[("exit_in_call", "optimize")]
    assert "exit code 1" in message[("exit_in_cell", "predict")]
    assert "syntax error" in message[("syntax_error", "propagate")] and "line" in message[("syntax_error", "propagate")]
    assert "m = X.shape[1" in message[("syntax_error", "propagate")]
    assert "not in your notebook" in message[("deleted_cells", "predict")]
    assert "more than one cell with grade id 'sigmoid'" in message[("duplicated_cells", "sigmoid")]
    assert "locked cell 'setup' was changed" in message[("edited_locked_cells", "propagate")]
    assert "no function named propagate" in message[("renamed_function", "propagate")]
    assert "propagate2" in message[("renamed_function", "propagate")]
    assert "NaN" in message[("nans", "predict")]
    assert "AlwaysEqual" in message[("always_equal", "propagate")]
    assert "could not be read" in message[("invalid_json", "sigmoid")]
    assert "no notebook logistic_regression.ipynb" in message[("no_notebook", "sigmoid")]
    assert "logistic_regression-Copy1.ipynb" in message[("renamed_notebook", "sigmoid")]


def test_every_failing_row_records_the_id_of_its_diagnosis(graded):
    """Hints are data: the diagnosis column holds the id of the checker's most specific hint, "" when none fired."""
    _, _, _, _, rows, _, _ = graded
    diagnosis = {(r["student"], r["exercise"]): r["diagnosis"] for r in rows}
    assert diagnosis[("missing_m", "propagate")] == "missing_1_over_m"
    assert {diagnosis[("untouched", e)] for e in EXERCISES} == {"not_implemented"}
    assert {diagnosis[(s, "propagate")] for s in BORROW} == {"borrowed_reference"}
    assert diagnosis[("copy_of_optimize", "optimize")] == "copied_reference"
    assert diagnosis[("sigmoid_sign", "sigmoid")] == ""                   # no hint explains a flipped sign here
    assert {d for (s, _), d in diagnosis.items() if s == "perfect"} == {""}
    assert all(not r["diagnosis"] for r in rows if r["status"] == "passed")


def test_submitted_files_are_never_modified(graded):
    _, _, _, _, _, before, after = graded
    assert before == after


def test_the_gradebook_holds_the_same_scores(graded):
    course, cases, _, _, rows, _, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in {r["student"] for r in rows}:
            submission = gb.find_submission_notebook(NOTEBOOK.removesuffix(".ipynb"), ASSIGNMENT, student)
            got = {g.name: g.score for g in submission.grades if g.name.startswith("test_")}
            want = {f"test_{r['exercise']}": float(r["points"]) for r in rows if r["student"] == student}
            assert got == want, student
    export = subprocess.run(["nbgrader", "export", "--to", str(course / "export.csv")], cwd=course, env=env(),
                            capture_output=True, text=True)
    assert export.returncode == 0, export.stderr
    with open(course / "export.csv", newline="") as f:
        exported = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT}
    totals = {}
    for r in rows:
        totals[r["student"]] = totals.get(r["student"], 0) + float(r["points"])
    assert exported == totals


def test_feedback_shows_messages_but_no_hidden_test_and_no_solution(graded):
    course, cases, _, _, rows, _, _ = graded
    hidden = [line for line in secret_lines(course / "source" / ASSIGNMENT / NOTEBOOK) if "seed=" in line]
    assert hidden
    for student in {r["student"] for r in rows}:
        page = feedback_page(course, student)
        assert not [line for line in hidden if line in page], student
        assert "HIDDEN TESTS" not in page and "BEGIN SOLUTION" not in page, student
        assert len(page) < 200_000, student  # an enormous print is cut
    page = feedback_page(course, "missing_m")
    assert "the 1/m (averaging over the examples) is missing" in page and "dw = np.dot(X, (A - Y).T)" in page
    assert "more characters of output were cut" in feedback_page(course, "huge_print")


def test_graded_notebooks_are_written_for_formgrader(graded):
    course, cases, _, _, _, _, _ = graded
    for student in cases:
        nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / NOTEBOOK, as_version=4)
        assert len([c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]) == len(EXERCISES)


def test_the_sandbox_cannot_read_the_course_or_reach_the_network(graded):
    if not isolation().prefix:
        pytest.skip("bubblewrap is not available here: " + "; ".join(isolation().notes))
    course, _, _, _, _, _, _ = graded
    page = feedback_page(course, "reads_secrets")
    assert page.count("DENIED /") == 4, page
    assert "READ /" not in page and "NETWORK DENIED" in page and "NETWORK OPEN" not in page


def test_borrowing_scores_nothing_and_says_what_was_used(graded):
    _, _, _, _, rows, _, _ = graded
    message = {(r["student"], r["exercise"]): r["message"] for r in rows}
    for student in BORROW:
        assert "the course's reference implementation" in message[(student, "propagate")], student
    assert "nncore.logistic.propagate" in message[("borrow_import", "propagate")]
    assert "reading logistic.py" in message[("borrow_exec_source", "propagate")]
    assert "reading logistic.py" in message[("borrow_getsource", "propagate")]
    assert "subprocess.Popen" in message[("borrow_subprocess", "propagate")]
    assert ("is the code of the course's reference (nncore.logistic.optimize)"
            in message[("copy_of_optimize", "optimize")])


def test_each_bug_is_charged_once_and_the_feedback_says_so(graded):
    course, _, _, _, rows, _, _ = graded
    message = {(r["student"], r["exercise"]): r["message"] for r in rows}
    assert "propagate is right when given a correct sigmoid" in message[("sigmoid_sign", "propagate")]
    assert "your sigmoid itself does not pass its check yet" in message[("sigmoid_sign", "propagate")]
    page = feedback_page(course, "sigmoid_sign")
    assert "propagate is right when given a correct sigmoid" in page


def test_graded_as_written_a_bug_costs_its_callers_too(graded, tmp_path):
    """The course option restores "as written": the same bugs, now charged to every exercise that calls them."""
    course, cases, cell_points, _, _, _, _ = graded
    folder = tmp_path / "submitted"
    for student in ("perfect", "sigmoid_sign", "missing_m"):
        shutil.copytree(course / "submitted" / student, folder / student)
    out = tmp_path / "graded"
    result = subprocess.run([sys.executable, "-m", "autograder", "--course", str(course), "grade", ASSIGNMENT,
                             str(folder), "--out", str(out), "--as-written", "--no-gradebook", "--workers", "1"],
                            cwd=course, env=env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        failed = {(r["student"], r["exercise"]) for r in csv.DictReader(f) if r["status"] != "passed"}
    assert failed == {("sigmoid_sign", e) for e in ("sigmoid", "propagate", "optimize", "predict", "model")} | \
                     {("missing_m", e) for e in ("propagate", "optimize", "model")}
