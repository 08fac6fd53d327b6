"""Every assignment through nbgrader: the solution pasted back scores full marks, the untouched student
version scores zero with "not implemented yet" under every check, feedback hides the hidden tests."""

import html
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.release import assignments, secret_lines
from course_tools import REPO, points, run, solution_code, submit

pytestmark = pytest.mark.xdist_group("nbgrader-every-assignment")

ASSIGNMENTS = assignments(REPO / "course")


def notebook_of(course, assignment):
    (path,) = (course / "source" / assignment).glob("*.ipynb")
    return path


@pytest.fixture(scope="module")
def course(released_course, tmp_path_factory):
    """A private copy of the released course, graded for a perfect and an untouched student."""
    course = tmp_path_factory.mktemp("every") / "course"
    shutil.copytree(released_course, course)
    for assignment in ASSIGNMENTS:
        source = notebook_of(course, assignment)
        submit(course, "perfect", assignment, source.name, solution_code(source))
        submit(course, "untouched", assignment, source.name, {})
        run(["nbgrader", "autograde", assignment, "--ExecutePreprocessor.timeout=120"], cwd=course)
        run(["nbgrader", "generate_feedback", assignment], cwd=course)
    return course


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_marks_and_untouched_scores_zero(course, assignment):
    source = notebook_of(course, assignment)
    total = sum(points(source).values())
    assert total > 0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_submission(assignment, "perfect").score == total
        assert gb.find_submission(assignment, "untouched").score == 0


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_checks_say_not_implemented(course, assignment):
    name = notebook_of(course, assignment).name
    nb = nbformat.read(course / "autograded" / "untouched" / assignment / name, as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert tests
    for cell in tests:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors and "not implemented yet" in errors[0].evalue, cell.source


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_and_feedback_hide_solutions_and_hidden_tests(course, assignment):
    source = notebook_of(course, assignment)
    secrets = secret_lines(source)
    released = nbformat.read(course / "release" / assignment / source.name, as_version=4)
    code = {line.strip() for c in released.cells if c.cell_type == "code" for line in c.source.splitlines()}
    assert secrets and not secrets & code
    hidden = [line for line in secrets if "seed=" in line]
    for student in ("perfect", "untouched"):
        page = html.unescape((course / "feedback" / student / assignment / source.with_suffix(".html").name)
                             .read_text(encoding="utf-8"))
        assert "HIDDEN TESTS" not in page and not [line for line in hidden if line in page]
