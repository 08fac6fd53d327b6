"""The class report for real: a synthetic class of 02_logistic_regression, graded by `nncourse grade`, reported
by `nncourse report`, must give back exactly what was planted.

Fifteen students hand in real notebooks. Every answer cell is written the way one more honest student might
(``synthetic_class.py``), except for the mistakes planted in known numbers: a missing 1/m in propagate (three
students — one of them a disguised copy of another's propagate), a doubled 1/m, a sigmoid with the wrong sign (no
hint explains it: two unexplained failures), a flat (m,) prediction, a bias never updated, a flat w, an untouched
notebook, a borrowed propagate and a copied optimize. One honest optimize calls propagate by keyword (graded with
the course's propagate standing in, which must accept that). The assignment is due at 12:00 UTC (set with
`nbgrader db assignment add --duedate`), the course's nbgrader config takes 1 point per started hour late
(``SubtractPerHour``), one late student has an extension in the gradebook. Expected numbers are the planted ones;
the point-biserial correlations are recomputed from grades.csv with the textbook formula (and scipy when it is
installed); the late penalties are compared with what `nbgrader autograde` itself records for the same notebooks.
"""

import csv
import html
import json
import math
import shutil
import subprocess
import sys
import warnings

import numpy as np
import pytest
from nbgrader.api import Gradebook

from autograder.learner.exercises import logistic_regression
from course_tools import REPO, env, points, run, solution_code, submit
from synthetic_class import ASSIGNMENT, NOTEBOOK, disguised_copy, fill, honest_answers, source_cells
from test_grade_corpus import BORROW, PASTED_OPTIMIZE

pytestmark = pytest.mark.xdist_group("nbgrader")

EXERCISES = list(logistic_regression.EXERCISES)   # the notebook's exercises, in order
TOTAL = sum(points(REPO / "course" / "source" / ASSIGNMENT / NOTEBOOK).values())   # 12 points
PREDICT = points(REPO / "course" / "source" / ASSIGNMENT / NOTEBOOK)["test_predict"]
DUE = "2026-11-21 12:00:00 UTC"
ON_TIME = "2026-11-21 11:00:00.000000 UTC"
LATE = {"late_honest": "2026-11-21 14:30:00.000000 UTC",    # 2.5 h late: 3 started hours, 3 points
        "late_flat_predict": "2026-11-22 14:00:00.000000 UTC",  # 26 h late: 26 points, but only TOTAL - PREDICT to take
        "late_extended": "2026-11-21 17:00:00.000000 UTC"}  # 5 h late, with a 6 h extension: on time
NAMES = {"late_honest": ("Ada", "Lovelace", "ada@example.org", "1001"), "missing_m_a": ("Alan", "Turing", "", "")}
KEYWORDS = """grads, cost = propagate(w=w, b=b, X=X, Y=Y)
w = w - learning_rate * grads["dw"]
b = b - learning_rate * grads["db"]"""
MISSING_M_B = """Y = Y * 1.0
_, m = X.shape
Z = w.T @ X + b
A = sigmoid(Z)
dZ = A - Y
dw = X @ dZ.T
db = np.sum(dZ) / m
cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))"""


def planted():
    """{student: ({grade id: code}, {exercise: (status, diagnosis)} for what is not passed)}."""
    rng, sources, solution = np.random.default_rng(2028), source_cells(), solution_code(REPO / "course" / "source" /
                                                                                      ASSIGNMENT / NOTEBOOK)

    def bug(grade_id, old, new):
        assert old in solution[grade_id]
        return {grade_id: solution[grade_id].replace(old, new)}

    missing_m_a = bug("propagate", "dw = np.dot(X, (A - Y).T) / m", "dw = np.dot(X, (A - Y).T)")
    missing_m = ("failed", "missing_1_over_m")
    plan = {
        "honest_1": ({}, {}), "late_honest": ({}, {}),
        "honest_2": ({"optimize": fill(sources["optimize"], KEYWORDS)}, {}),   # the stand-in is called by keyword
        "missing_m_a": (missing_m_a, {"propagate": missing_m}),
        "missing_m_b": ({"propagate": fill(sources["propagate"], MISSING_M_B)}, {"propagate": missing_m}),
        "copier": ({"propagate": disguised_copy(missing_m_a["propagate"], rng)}, {"propagate": missing_m}),
        "twice_m": (bug("propagate", "cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m",
                        "cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m / m"),
                    {"propagate": ("failed", "divided_by_m_twice")}),
        "sign_a": (bug("sigmoid", "np.exp(-z)", "np.exp(z)"), {"sigmoid": ("failed", "")}),
        "sign_b": (bug("sigmoid", "np.exp(-z)", "np.exp(+z)"), {"sigmoid": ("failed", "")}),
        "late_flat_predict": (bug("predict", "(A > 0.5).astype(float)", "(A > 0.5).astype(float).ravel()"),
                              {"predict": ("failed", "flat_row")}),
        "late_extended": (bug("optimize", '        b = b - learning_rate * grads["db"]\n', ""),
                          {"optimize": ("failed", "never_updated")}),
        "flat_w": (bug("initialize_with_zeros", "np.zeros((dim, 1))", "np.zeros((dim,))"),
                   {"initialize_with_zeros": ("failed", "flat_vector")}),
        "untouched": (None, dict.fromkeys(EXERCISES, ("failed", "not_implemented"))),
        "borrowed": ({"propagate": BORROW["borrow_import"]}, {"propagate": ("borrowed", "borrowed_reference")}),
        "copied": ({"optimize": PASTED_OPTIMIZE}, {"optimize": ("copied", "copied_reference")}),
    }
    return {student: ({} if answers is None else honest_answers(rng, sources) | answers, wrong)
            for student, (answers, wrong) in plan.items()}


@pytest.fixture(scope="module")
def graded(released_course, tmp_path_factory):
    course = tmp_path_factory.mktemp("report") / "course"
    shutil.copytree(released_course, course, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:   # the shared release's gradebook may hold
        for student in gb.students:                                 # other tests' students: this class only
            gb.remove_student(student.id)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nc.AssignLatePenalties.plugin_class = 'autograder.grading.lateness.SubtractPerHour'\n"
                     "c.SubtractPerHour.points_per_hour = 1\n")
    run(["nbgrader", "db", "assignment", "add", ASSIGNMENT, f"--duedate={DUE}"], course)
    for student, (first, last, email, lms) in NAMES.items():
        run(["nbgrader", "db", "student", "add", student, f"--first-name={first}", f"--last-name={last}",
             f"--email={email}", f"--lms-user-id={lms}"], course)
    plan = planted()
    for student, (answers, _) in plan.items():
        path = submit(course, student, ASSIGNMENT, NOTEBOOK, answers)
        (path.parent / "timestamp.txt").write_text(LATE.get(student, ON_TIME))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore")   # nbgrader's add_submission trips an SQLAlchemy autoflush warning
        gb.add_student("late_extended")
        gb.add_submission(ASSIGNMENT, "late_extended")
        gb.grant_extension(ASSIGNMENT, "late_extended", hours=6)
    nncourse = [sys.executable, "-m", "autograder", "--course", str(course)]
    grade = subprocess.run([*nncourse, "grade", ASSIGNMENT, "submitted", "--workers", "2", "--timeout", "10"],
                           cwd=course, env=env(), capture_output=True, text=True, timeout=900)
    assert grade.returncode == 0, grade.stderr[-3000:]
    report = subprocess.run([*nncourse, "report", ASSIGNMENT], cwd=course, env=env(), capture_output=True, text=True,
                            timeout=300)
    assert report.returncode == 0, report.stderr[-3000:]
    out = course / "graded" / ASSIGNMENT
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return course, plan, rows, json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))


def table(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_grades_csv_records_the_diagnosis_of_every_row(graded):
    _, plan, rows, _ = graded
    got = {(r["student"], r["exercise"]): (r["status"], r["diagnosis"]) for r in rows}
    expected = {(s, e): wrong.get(e, ("passed", "")) for s, (_, wrong) in plan.items() for e in EXERCISES}
    assert got == expected


def test_the_report_counts_exactly_the_planted_mistakes(graded):
    course, plan, _, report = graded
    assert report["students"] == len(plan) == 15
    by_name = {e["exercise"]: e for e in report["exercises"]}
    assert list(by_name) == EXERCISES
    for exercise in EXERCISES:
        wrong = [w[exercise] for _, w in plan.values() if exercise in w]
        diagnoses = {}
        for _, diagnosis in wrong:
            if diagnosis:
                diagnoses[diagnosis] = diagnoses.get(diagnosis, 0) + 1
        got = by_name[exercise]
        assert {d["id"]: d["count"] for d in got["diagnoses"]} == diagnoses, exercise
        assert all(d["share"] == d["count"] / 15 for d in got["diagnoses"])
        assert got["unexplained"]["count"] == sum(1 for status, d in wrong if status == "failed" and not d), exercise
        statuses = {s: n for s, n in got["statuses"].items() if n}
        assert statuses == {"passed": 15 - len(wrong)} | {s: sum(1 for x, _ in wrong if x == s) for s, _ in wrong}
        assert got["pass_rate"] == (15 - len(wrong)) / 15
    # the planted counts themselves, spelled out
    propagate = {d["id"]: d["count"] for d in by_name["propagate"]["diagnoses"]}
    assert propagate == {"missing_1_over_m": 3, "divided_by_m_twice": 1, "borrowed_reference": 1, "not_implemented": 1}
    assert by_name["sigmoid"]["unexplained"]["count"] == 2
    assert by_name["optimize"]["statuses"]["copied"] == 1 and by_name["propagate"]["statuses"]["borrowed"] == 1
    assert "the 1/m (averaging over the examples) is missing" in next(
        d["words"] for d in by_name["propagate"]["diagnoses"] if d["id"] == "missing_1_over_m")
    # the unexplained sigmoid failures: what differed, without the student's name
    examples = by_name["sigmoid"]["unexplained"]["examples"]
    assert examples and all("expected" in x and "got" in x and "sign" not in x for x in examples)
    # the CSV tables hold the same numbers
    out = course / "graded" / ASSIGNMENT / "report"
    exercises = {r["exercise"]: r for r in table(out / "exercises.csv")}
    assert {e: int(exercises[e]["passed"]) for e in EXERCISES} == {e: by_name[e]["statuses"]["passed"]
                                                                   for e in EXERCISES}
    assert {(r["exercise"], r["diagnosis"]): int(r["count"]) for r in table(out / "diagnoses.csv")} == (
        {(e, d["id"]): d["count"] for e in EXERCISES for d in by_name[e]["diagnoses"]}
        | {(e, ""): by_name[e]["unexplained"]["count"] for e in EXERCISES if by_name[e]["unexplained"]["count"]})


def test_point_biserial_agrees_with_an_independent_computation(graded):
    """r = (M1 − M0) / s · √(p q): the mean rest-of-score of those who passed and of those who did not, s the
    population standard deviation of the rest of the score — computed with loops from grades.csv."""
    _, plan, rows, report = graded
    students = sorted(plan)
    points = {(r["student"], r["exercise"]): float(r["points"]) for r in rows}
    passed = {(r["student"], r["exercise"]): r["status"] == "passed" for r in rows}
    for entry in report["exercises"]:
        e = entry["exercise"]
        rest = [sum(points[(s, x)] for x in EXERCISES if x != e) for s in students]
        ones = [r for s, r in zip(students, rest) if passed[(s, e)]]
        zeros = [r for s, r in zip(students, rest) if not passed[(s, e)]]
        mean = sum(rest) / len(rest)
        spread = math.sqrt(sum((r - mean) ** 2 for r in rest) / len(rest))
        p = len(ones) / len(rest)
        expected = (sum(ones) / len(ones) - sum(zeros) / len(zeros)) / spread * math.sqrt(p * (1 - p))
        assert entry["point_biserial"] == pytest.approx(expected, abs=1e-12), e
        try:
            from scipy.stats import pointbiserialr
        except ImportError:
            continue
        assert entry["point_biserial"] == pytest.approx(pointbiserialr([passed[(s, e)] for s in students], rest)[0])


def test_lateness_and_penalties_in_grades_csv_feedback_report_and_gradebook(graded):
    course, plan, rows, report = graded
    penalty = {r["student"]: float(r["late_penalty"]) for r in rows}
    late = {r["student"]: float(r["seconds_late"]) for r in rows}
    assert {s: p for s, p in penalty.items() if p} == {"late_honest": 3, "late_flat_predict": TOTAL - PREDICT}
    assert {s: t for s, t in late.items() if t} == {"late_honest": 2.5 * 3600, "late_flat_predict": 26 * 3600}
    assert {r["duedate"] for r in rows if r["student"] == "late_extended"} == {"2026-11-21 18:00:00"}
    assert report["lateness"]["late"] == 2 and report["lateness"]["penalty_points"] == 3 + TOTAL - PREDICT
    scores = {p["student"]: p["score"] for p in report["per_student"]}
    assert (scores["late_honest"], scores["late_flat_predict"], scores["honest_1"]) == (TOTAL - 3, 0, TOTAL)
    feedback = course / "graded" / ASSIGNMENT / "feedback"
    page = html.unescape((feedback / "late_honest" / f"{ASSIGNMENT}.html").read_text())
    assert "2 h 30 min late" in page and "1 point(s) off per hour or part of an hour late" in page
    assert "penalty of 3" in page and f"{TOTAL - 3} / {TOTAL}" in page
    on_time = html.unescape((feedback / "late_extended" / f"{ASSIGNMENT}.html").read_text())
    assert "On time." in on_time
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        recorded = {s.student.id: s.late_submission_penalty for s in gb.find_assignment(ASSIGNMENT).submissions}
    assert recorded == {s: penalty[s] for s in plan}
    export = subprocess.run(["nbgrader", "export", "--to", str(course / "export.csv")], cwd=course, env=env(),
                            capture_output=True, text=True)
    assert export.returncode == 0, export.stderr
    exported = {r["student_id"]: float(r["score"]) for r in table(course / "export.csv")
                if r["assignment"] == ASSIGNMENT}
    assert exported == scores


def test_nbgrader_autograde_records_the_same_late_penalties(graded):
    """nbgrader grades the three late notebooks itself, with the same config: the same penalties."""
    course, _, _, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        ours = {s: gb.find_submission(ASSIGNMENT, s).late_submission_penalty for s in LATE}
    run(["nbgrader", "autograde", ASSIGNMENT, "--student=late_*", "--force"], course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        theirs = {s: gb.find_submission(ASSIGNMENT, s).late_submission_penalty for s in LATE}
        assert gb.find_submission(ASSIGNMENT, "late_extended").total_seconds_late == 0
    assert ours == theirs == {"late_honest": 3, "late_flat_predict": TOTAL - PREDICT, "late_extended": 0}


def test_similar_answers_are_exactly_the_planted_copy(graded):
    course, _, _, report = graded
    assert report["similarity"]["compared"] is True
    assert [(g["exercise"], g["students"]) for g in report["similar"]] == [("propagate", ["copier", "missing_m_a"])]
    assert table(course / "graded" / ASSIGNMENT / "report" / "similar.csv") == [
        {"exercise": "propagate", "group": "1", "student": s, "instructions": str(g["instructions"])}
        for g in report["similar"] for s in g["students"]]


def test_the_lms_files_are_what_canvas_and_moodle_import(graded):
    course, plan, rows, report = graded
    out = course / "graded" / ASSIGNMENT / "report"
    scores = {p["student"]: p["score"] for p in report["per_student"]}
    with open(out / "canvas.csv", newline="", encoding="utf-8") as f:
        canvas = list(csv.reader(f))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
    assert canvas[1] == ["    Points Possible", "", "", "", "", str(TOTAL)]
    by_login = {row[3]: row for row in canvas[2:]}
    assert set(by_login) == set(plan)
    assert by_login["late_honest"] == ["Lovelace, Ada", "1001", "", "late_honest", "", str(TOTAL - 3)]
    assert by_login["honest_1"][:2] == ["honest_1", ""]
    assert {login: float(row[5]) for login, row in by_login.items()} == scores
    moodle = table(out / "moodle.csv")
    assert list(moodle[0]) == ["First name", "Last name", "Username", "Email address", ASSIGNMENT, "Feedback"]
    ada = next(r for r in moodle if r["Username"] == "late_honest")
    assert (ada["First name"], ada["Last name"], ada["Email address"], ada[ASSIGNMENT]) == (
        "Ada", "Lovelace", "ada@example.org", str(TOTAL - 3))
    assert "less 3 for lateness" in ada["Feedback"]
    assert {r["Username"]: float(r[ASSIGNMENT]) for r in moodle} == scores
    questions = table(out / "questions.csv")
    assert len(questions) == len(plan) * len(EXERCISES)
    assert {(q["student"], q["question"]): (q["points"], q["status"], q["diagnosis"]) for q in questions} == {
        (r["student"], r["exercise"]): (r["points"], r["status"], r["diagnosis"]) for r in rows}


def test_the_page_opens_offline_in_chromium_and_shows_its_charts(graded):
    from browser_tools import chromium
    pytest.importorskip("playwright.sync_api", reason="Python Playwright is in the test extra")
    course, _, _, _ = graded
    page_path = course / "graded" / ASSIGNMENT / "report" / "report.html"
    try:
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            requests = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_path.as_uri())
            charts = page.locator("svg").all()
            sizes = [c.bounding_box() for c in charts]
            text = page.inner_text("body")
            artifact = REPO / "test-artifacts" / "report.png"
            artifact.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(artifact), full_page=True)
    except RuntimeError as missing:
        pytest.skip(str(missing))
    assert requests == [page_path.as_uri()]                  # nothing fetched: it reads the same offline
    assert len(charts) == 3 and all(box and box["width"] > 300 and box["height"] > 100 for box in sizes)
    assert "missing_1_over_m" in text and "copier" in text and "late_flat_predict" in text
