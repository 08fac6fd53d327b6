"""The whole nbgrader path, for real: release → submissions → autograde → feedback → export.

Submissions are the solution pasted back, one per planted bug, an untouched release, a syntax error, an
endless loop and a correct answer that writes warnings. Every score is asserted exactly: the points come
from the source notebook's metadata, the set of exercises each submission should pass from the bug planted.
"""

import csv
import html

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.learner.exercises import logistic_regression
from autograder.publishing.release import secret_lines
from course_tools import points, run, solution_code, submit

ASSIGNMENT = "02_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"
# One release and one autograde run, shared by this module's tests on one xdist worker.
pytestmark = pytest.mark.xdist_group("nbgrader")

EXERCISES = list(logistic_regression.EXERCISES)   # the notebook's exercises, in order


def planted(answers, grade_id, *replacements):
    """The answers with a bug planted by ``(old, new)`` replacements (each anchor must exist)."""
    code = answers[grade_id]
    for old, new in zip(replacements[::2], replacements[1::2]):
        assert old in code, f"anchor {old!r} not in the {grade_id} solution"
        code = code.replace(old, new)
    return answers | {grade_id: code}


def submissions(solution):
    """{student: (answers, exercises that must pass)}. Each bug is charged once: the course's reference stands
    in for a student's other graded functions, so only the broken exercise loses its points."""
    everything = set(EXERCISES)
    return {
        "solution": (solution, everything),
        "missing_m": (planted(solution, "propagate", "dw = np.dot(X, (A - Y).T) / m", "dw = np.dot(X, (A - Y).T)"),
                      everything - {"propagate"}),
        "uint8_wrap": (planted(solution, "propagate", "    Y = Y.astype(float)\n", "",
                               "-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))",
                               "np.sum(-Y * np.log(A) - (1 - Y) * np.log(1 - A))"),
                       everything - {"propagate"}),
        "flipped_predict": (planted(solution, "predict", "(A > 0.5)", "(A < 0.5)"), everything - {"predict"}),
        "mutates_w": (planted(solution, "optimize", 'w = w - learning_rate * grads["dw"]',
                              'w -= learning_rate * grads["dw"]'),
                      everything - {"optimize"}),
        "untouched": ({}, set()),
        "syntax_error": (planted(solution, "propagate", "m = X.shape[1]", "m = X.shape[1"), everything - {"propagate"}),
        "endless_loop": (planted(solution, "optimize", "    for i in range(num_iterations):",
                                 "    i = 0\n    while i < num_iterations:"),
                         everything - {"optimize"}),
        "warns": (planted(solution, "propagate", "    m = X.shape[1]",
                          "    import warnings; warnings.warn('a harmless warning')\n    m = X.shape[1]"),
                  everything),
        "borrows": (solution | {"propagate": "from nncore.logistic import propagate as reference\n"
                                             "def propagate(w, b, X, Y):\n    return reference(w, b, X, Y)\n"},
                    everything - {"propagate"}),
    }


@pytest.fixture(scope="module")
def graded(released_course):
    """Autograde every submission once, then generate feedback and export the grades."""
    course = released_course
    source = course / "source" / ASSIGNMENT / NOTEBOOK
    cases = submissions(solution_code(source))
    for student, (answers, _) in cases.items():
        submit(course, student, ASSIGNMENT, NOTEBOOK, answers)
    # The checker stops an endless loop after 3 s; nbgrader interrupts any other cell after 10 s.
    timeouts = {"NNCOURSE_CHECK_TIMEOUT": "3"}
    run(["nbgrader", "autograde", ASSIGNMENT, "--ExecutePreprocessor.timeout=10"], cwd=course, **timeouts)
    run(["nbgrader", "generate_feedback", ASSIGNMENT], cwd=course)
    run(["nbgrader", "export", "--to", str(course / "grades.csv")], cwd=course)
    return course, cases, points(source)


def test_release_has_no_solution_and_no_hidden_test(released_course):
    source = released_course / "source" / ASSIGNMENT / NOTEBOOK
    student = (released_course / "release" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8")
    code = {line.strip() for c in nbformat.reads(student, as_version=4).cells if c.cell_type == "code"
            for line in c.source.splitlines()}
    secrets = secret_lines(source)
    assert len(secrets) > 20, "the source should hold solution and hidden-test lines"
    assert not secrets & code
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "seed="):
        assert marker not in student
    assert "raise NotImplementedError()" in student


def test_every_score_is_exact(graded):
    course, cases, cell_points = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, (_, passing) in cases.items():
            submission = gb.find_submission_notebook(NOTEBOOK.removesuffix(".ipynb"), ASSIGNMENT, student)
            got = {g.name: g.score for g in submission.grades if g.name.startswith("test_")}
            expected = {f"test_{e}": cell_points[f"test_{e}"] * (e in passing) for e in EXERCISES}
            assert got == expected, student


def test_untouched_release_fails_every_check_with_not_implemented(graded):
    course, _, _ = graded
    nb = nbformat.read(course / "autograded" / "untouched" / ASSIGNMENT / NOTEBOOK, as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(tests) == len(EXERCISES)
    for cell in tests:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors and "not implemented yet" in errors[0].evalue, cell.source


def test_a_planted_bug_is_explained_in_the_graded_notebook(graded):
    course, _, _ = graded
    nb = nbformat.read(course / "autograded" / "missing_m" / ASSIGNMENT / NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_propagate")
    assert "the 1/m (averaging over the examples) is missing" in cell.outputs[-1].evalue


def test_feedback_shows_no_hidden_test_source_and_the_students_own_score(graded):
    course, cases, cell_points = graded
    hidden = [line for line in secret_lines(course / "source" / ASSIGNMENT / NOTEBOOK) if "seed=" in line]
    assert len(hidden) == len(EXERCISES)
    for student in cases:
        page = html.unescape((course / "feedback" / student / ASSIGNMENT / NOTEBOOK.replace(".ipynb", ".html"))
                             .read_text(encoding="utf-8"))
        assert "seed=" not in page and "HIDDEN TESTS" not in page, student
        assert not [line for line in hidden if line in page]
        score = sum(cell_points[f"test_{e}"] for e in cases[student][1])
        assert f"(Score: {round(score, 2):.1f} / {round(sum(cell_points.values()), 2):.1f})" in page, student


def test_export_lists_every_student_with_the_gradebook_score(graded):
    course, cases, cell_points = graded
    with open(course / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT}
    assert set(rows) == set(cases)
    for student, (_, passing) in cases.items():
        expected = sum(cell_points[f"test_{e}"] for e in passing)
        assert float(rows[student]["score"]) == expected, student
        assert float(rows[student]["max_score"]) == sum(cell_points.values())
