"""Every assignment through nbgrader: the solution pasted back scores full marks, the untouched student
version scores zero with "not implemented yet" under every check, one broken exercise costs exactly its own
points (each bug is charged once) — or, graded "as written", those of the exercises that call it too — and
feedback hides the hidden tests. `nncourse grade` gives every student the same scores as nbgrader, and the same
answers handed in on the Chinese release (its twin) score the same, with the checker's messages in Chinese."""

import csv
import html
import importlib
import re
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grading.spec import AssignmentSpec
from autograder.publishing.release import assignments, secret_lines
from course_tools import REPO, nbgrader_cells, points, run, solution_code, submit



def notebook_of(course, assignment):
    (path,) = (course / "source" / assignment).glob("*.ipynb")
    return path


# Graded assignments only: the Playground notebook is released like an assignment but has nothing to grade.
ASSIGNMENTS = [a for a in assignments(REPO / "course") if points(notebook_of(REPO / "course", a))]
# One xdist group per assignment: each is graded in its own course copy, and the two cores share the work.
GRADED = [pytest.param(a, id=a, marks=pytest.mark.xdist_group(f"nbgrader-{a}")) for a in ASSIGNMENTS]


def exercises_of(assignment):
    """The exercises of the registry whose ``check`` the assignment's setup cell imports."""
    spec = AssignmentSpec.from_notebook(notebook_of(REPO / "course", assignment), assignment)
    return importlib.import_module(spec.registry).check.exercises


def callers(exercises, name):
    """Every exercise that calls ``name``, directly or through others."""
    found, frontier = set(), {name}
    while frontier:
        frontier = {e.name for e in exercises.values() if set(e.uses) & frontier} - found
        found |= frontier
    return found


def broken(assignment):
    """The exercise the 'one_bug' student gets wrong (its answer returns None): the first one worth points that
    other exercises call, else the last one worth points."""
    cell_points = points(notebook_of(REPO / "course", assignment))
    exercises = exercises_of(assignment)
    worth = [name for name in exercises if cell_points[f"test_{name}"] > 0]
    return next((name for name in worth if callers(exercises, name)), worth[-1])


@pytest.fixture(scope="module")
def graded(released_course, tmp_path_factory):
    """``graded(assignment)``: a private copy of the released course where a perfect, an untouched and a
    one-bug student have submitted that assignment and been autograded, with feedback generated."""
    courses = {}

    def grade(assignment, as_written=False):
        if (assignment, as_written) not in courses:
            course = tmp_path_factory.mktemp(assignment) / "course"
            # not the students other tests on this worker left in the shared release (test_pipeline.py's)
            shutil.copytree(released_course, course,
                            ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
            if as_written:   # the course option, as an instructor sets it: both graders read it
                config = course / "nbgrader_config.py"
                config.write_text(config.read_text().replace('grading = "each_bug_once"', 'grading = "as_written"'))
            source = notebook_of(course, assignment)
            submit(course, "perfect", assignment, source.name, solution_code(source))
            submit(course, "untouched", assignment, source.name, {})
            name = broken(assignment)
            answers = solution_code(source)
            answers[name] += f"\n\n\ndef {name}(*args, **kwargs):\n    return None\n"
            submit(course, "one_bug", assignment, source.name, answers)
            run(["nbgrader", "autograde", assignment, "--ExecutePreprocessor.timeout=120"], cwd=course)
            run(["nbgrader", "generate_feedback", assignment], cwd=course)
            courses[assignment, as_written] = course
        return courses[assignment, as_written]

    return grade


@pytest.mark.parametrize("assignment", GRADED)
def test_solution_scores_full_marks_and_untouched_scores_zero(graded, assignment):
    course = graded(assignment)
    source = notebook_of(course, assignment)
    total = sum(points(source).values())
    assert total > 0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_submission(assignment, "perfect").score == total
        assert gb.find_submission(assignment, "untouched").score == 0


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_answer_and_test_cells_name_the_checker_exercises(assignment):
    nb = nbformat.read(notebook_of(REPO / "course", assignment), as_version=4)
    meta = [c.metadata["nbgrader"] for c in nb.cells if "nbgrader" in c.metadata]
    answers = [m["grade_id"] for m in meta if m.get("solution")]
    tests = [m["grade_id"] for m in meta if m.get("grade")]
    assert answers == list(exercises_of(assignment))
    assert tests == [f"test_{name}" for name in answers]


def scores_of_one_bug(course, assignment):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission = gb.find_submission_notebook(notebook_of(course, assignment).stem, assignment, "one_bug")
        return {g.name: g.score for g in submission.grades if g.name.startswith("test_")}


@pytest.mark.parametrize("assignment", GRADED)
def test_one_broken_exercise_costs_its_own_points_only(graded, assignment):
    course = graded(assignment)
    cell_points = points(notebook_of(course, assignment))
    lost = {broken(assignment)}
    assert scores_of_one_bug(course, assignment) == {gid: p * (gid.removeprefix("test_") not in lost)
                                                      for gid, p in cell_points.items()}


AS_WRITTEN = "04_deep_network_step_by_step"   # a chain of exercises calling each other


@pytest.mark.xdist_group(f"nbgrader-{AS_WRITTEN}")
def test_graded_as_written_one_broken_exercise_costs_its_callers_too_in_both_graders(graded, tmp_path):
    course = graded(AS_WRITTEN, as_written=True)
    cell_points = points(notebook_of(course, AS_WRITTEN))
    lost = {broken(AS_WRITTEN)} | callers(exercises_of(AS_WRITTEN), broken(AS_WRITTEN))
    assert len(lost) > 1
    assert scores_of_one_bug(course, AS_WRITTEN) == {gid: p * (gid.removeprefix("test_") not in lost)
                                                     for gid, p in cell_points.items()}
    assert nncourse_scores(course, AS_WRITTEN, tmp_path) == nbgrader_scores(course, AS_WRITTEN)


@pytest.mark.parametrize("assignment", GRADED)
def test_untouched_checks_say_not_implemented(graded, assignment):
    course = graded(assignment)
    name = notebook_of(course, assignment).name
    nb = nbformat.read(course / "autograded" / "untouched" / assignment / name, as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert tests
    for cell in tests:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors and "not implemented yet" in errors[0].evalue, cell.source


@pytest.mark.parametrize("assignment", GRADED)
def test_release_and_feedback_hide_solutions_and_hidden_tests(graded, assignment):
    course = graded(assignment)
    source = notebook_of(course, assignment)
    secrets = secret_lines(source)
    released = nbformat.read(course / "release" / assignment / source.name, as_version=4)
    code = {line.strip() for c in released.cells if c.cell_type == "code" for line in c.source.splitlines()}
    assert secrets and not secrets & code
    hidden = [line for line in secrets if "seed=" in line]
    for student in ("perfect", "untouched", "one_bug"):
        page = html.unescape((course / "feedback" / student / assignment / source.with_suffix(".html").name)
                             .read_text(encoding="utf-8"))
        assert "HIDDEN TESTS" not in page and not [line for line in hidden if line in page]


@pytest.mark.parametrize("assignment", GRADED)
def test_nncourse_grade_scores_every_test_cell_as_nbgrader_does(graded, assignment, tmp_path):
    """The trusted out-of-kernel grader agrees with nbgrader's in-kernel run on honest submissions."""
    course = graded(assignment)
    assert nncourse_scores(course, assignment, tmp_path) == nbgrader_scores(course, assignment)


@pytest.mark.parametrize("assignment", GRADED)
def test_the_chinese_twin_grades_exactly_as_the_english_notebook(graded, assignment, tmp_path):
    """Each student's answers pasted into the Chinese release's notebook (release/zh/…) and graded top to bottom
    by `nncourse grade`: every test cell gets the points nbgrader gave the English notebook; the messages are
    Chinese (the notebook's language)."""
    course = graded(assignment)
    english = notebook_of(course, assignment)
    for student in ("perfect", "untouched", "one_bug"):
        answers = nbformat.read(course / "submitted" / student / assignment / english.name, as_version=4)
        twin = nbformat.read(course / "release" / "zh" / assignment / english.name, as_version=4)
        assert twin.metadata["nncourse"]["language"] == "zh"
        cells = nbgrader_cells(twin)
        for grade_id, cell in nbgrader_cells(answers).items():
            cells[grade_id].source = cell.source
        target = tmp_path / "submitted" / student / assignment / english.name
        target.parent.mkdir(parents=True)
        nbformat.write(twin, target)
    out = tmp_path / "graded"
    run(["nncourse", "grade", assignment, str(tmp_path / "submitted"), "--out", str(out), "--no-gradebook"], cwd=course)
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {(r["student"], f"test_{r['exercise']}"): float(r["points"]) for r in rows} == \
        nbgrader_scores(course, assignment)
    untouched = [r["message"] for r in rows if r["student"] == "untouched"]
    assert untouched and all(re.search("[\u4e00-\u9fff]", message) for message in untouched), untouched


def nncourse_scores(course, assignment, out):
    """{(student, test grade id): points} as `nncourse grade` scores the submissions (the course's own config)."""
    run(["nncourse", "grade", assignment, str(course / "submitted"), "--out", str(out), "--no-gradebook"], cwd=course)
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        return {(row["student"], f"test_{row['exercise']}"): float(row["points"]) for row in csv.DictReader(f)}


def nbgrader_scores(course, assignment):
    """{(student, test grade id): points} as nbgrader's autograde recorded them."""
    notebook = notebook_of(course, assignment).stem
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {(student, g.name): g.score for student in ("perfect", "untouched", "one_bug")
                for g in gb.find_submission_notebook(notebook, assignment, student).grades
                if g.name.startswith("test_")}


def test_only_the_playground_is_released_without_grading():
    ungraded = set(assignments(REPO / "course")) - set(ASSIGNMENTS)
    assert ungraded == {"playground"}
    nb = nbformat.read(notebook_of(REPO / "course", "playground"), as_version=4)
    assert not [c for c in nb.cells if "nbgrader" in c.metadata]
