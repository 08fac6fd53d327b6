"""A class on one machine through nbgrader's exchange, with the commands and config files of
docs/instructors.md: release → fetch → submit (two students) → collect → grade → feedback → export.

Both students are this OS user, so each gets a home folder of their own (their ~/.jupyter config and
nbgrader cache) and says who they are with `--student`, as the docs describe for one machine.
"""

import csv
import re
import sys

import nbformat
import pytest

from course_tools import REPO, copy_course, nbgrader_cells, points, run, solution_code

ASSIGNMENT = "02_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"
DOCS = REPO / "docs" / "instructors.md"
DOCS_EXCHANGE = "/srv/nbgrader/exchange"
pytestmark = pytest.mark.xdist_group("exchange")


def grade(course, assignment):
    """The grading step of the class: the collected submissions, graded in sandboxes into the gradebook
    that `nbgrader generate_feedback` and `export` below read."""
    run([sys.executable, "-m", "autograder", "grade", assignment, "submitted"], cwd=course)


def docs_config(first_line):
    """The Python block of docs/instructors.md whose first line is ``first_line``."""
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    block = next(b for b in blocks if b.startswith(first_line))
    assert DOCS_EXCHANGE in block
    return block


def nbgrader(args, cwd, home):
    return run(["nbgrader", *args], cwd=cwd, HOME=str(home))


# Session scope: xdist interleaves other modules' tests on this worker, which would tear a module
# fixture down and build it again.
@pytest.fixture(scope="session")
def classroom(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    exchange, instructor = root / "exchange", root / "instructor"
    exchange.mkdir()
    instructor.mkdir()
    course = copy_course(instructor / "course")
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as f:
        f.write("\n" + docs_config("# added to course/nbgrader_config.py").replace(DOCS_EXCHANGE, str(exchange)))
    student_config = docs_config("# nbgrader_config.py for every student").replace(DOCS_EXCHANGE, str(exchange))
    homes = {}
    for student in ("alice", "bob"):
        homes[student] = root / "home" / student
        (homes[student] / ".jupyter").mkdir(parents=True)
        (homes[student] / ".jupyter" / "nbgrader_config.py").write_text(student_config)

    nbgrader(["generate_assignment", ASSIGNMENT, "--force"], course, instructor)
    nbgrader(["release_assignment", ASSIGNMENT], course, instructor)
    listed = nbgrader(["list"], homes["alice"], homes["alice"])
    solution = solution_code(course / "source" / ASSIGNMENT / NOTEBOOK)
    for student, home in homes.items():
        nbgrader(["fetch_assignment", ASSIGNMENT], home, home)
        fetched = home / ASSIGNMENT / NOTEBOOK
        if student == "alice":                              # alice pastes in the solution; bob submits it untouched
            nb = nbformat.read(fetched, as_version=4)
            for gid, cell in nbgrader_cells(nb).items():
                if gid in solution:
                    cell.source = solution[gid]
            nbformat.write(nb, fetched)
        nbgrader(["submit", ASSIGNMENT, "--student", student], home, home)

    nbgrader(["collect", ASSIGNMENT, "--CollectApp.check_owner=False"], course, instructor)
    grade(course, ASSIGNMENT)
    nbgrader(["generate_feedback", ASSIGNMENT], course, instructor)
    nbgrader(["release_feedback", ASSIGNMENT], course, instructor)
    nbgrader(["fetch_feedback", ASSIGNMENT, "--student", "alice"], homes["alice"], homes["alice"])
    nbgrader(["export", "--to", str(course / "grades.csv")], course, instructor)
    return {"course": course, "exchange": exchange, "homes": homes, "listed": listed.stdout + listed.stderr}


def test_students_see_and_fetch_the_released_assignment(classroom):
    assert ASSIGNMENT in classroom["listed"]
    for home in classroom["homes"].values():
        student = (home / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in student and "HIDDEN TESTS" not in student


def test_collect_puts_each_submission_under_its_student(classroom):
    for student in classroom["homes"]:
        assert (classroom["course"] / "submitted" / student / ASSIGNMENT / NOTEBOOK).is_file()


def test_export_scores_full_marks_and_zero(classroom):
    course = classroom["course"]
    total = sum(points(course / "source" / ASSIGNMENT / NOTEBOOK).values())
    with open(course / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT}
    assert set(rows) == {"alice", "bob"}
    assert float(rows["alice"]["score"]) == total > 0
    assert float(rows["bob"]["score"]) == 0
    assert float(rows["bob"]["max_score"]) == total


def test_feedback_reaches_the_student_without_hidden_tests(classroom):
    pages = list((classroom["homes"]["alice"] / ASSIGNMENT / "feedback").rglob("*.html"))
    assert pages, "fetch_feedback brought nothing back"
    page = pages[0].read_text(encoding="utf-8")
    assert "seed=" not in page and "HIDDEN TESTS" not in page

