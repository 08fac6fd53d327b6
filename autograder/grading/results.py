"""What grading produces: one ``Row`` per student and exercise, a ``Graded`` per notebook (with its ``Lateness``),
grades.csv, answers.json and grading.json — and reading them back for the class report.

Statuses: passed, failed (the checker's report), error (the answer cell does not run, or the process died
or ran out of memory), timeout, missing (no answer cell / no notebook), tampered (the notebook changed how
tests behave), borrowed (the answer reached the course's reference), copied (the answer is the reference's code).
A row's ``diagnosis`` is the id of the checker's most specific hint (``missing_1_over_m``, ``keepdims``, …), "" when
no hint explains the failure.
"""

import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nncore.i18n import _

COLUMNS = ("student", "assignment", "exercise", "points", "max_points", "status", "message",
           "diagnosis", "timestamp", "duedate", "seconds_late", "late_penalty")


@dataclass
class Row:
    """One line of grades.csv: one student × one exercise (one source test cell)."""
    student: str
    assignment: str
    exercise: str
    points: float
    max_points: float
    status: str
    message: str
    grade_id: str = ""
    diagnosis: str = ""


@dataclass(frozen=True)
class Lateness:
    """When a notebook came in and what that costs, as nbgrader counts it (``autograder.grading.lateness``): times
    are UTC, ``YYYY-MM-DD HH:MM:SS`` ("" when unknown); ``penalty`` is in points, for the whole notebook."""
    timestamp: str = ""
    duedate: str = ""
    seconds_late: float = 0.0
    penalty: float = 0.0
    note: str = ""      # why lateness could not be counted (an unreadable timestamp.txt), for the feedback


@dataclass
class Graded:
    """Everything known about one student's notebook after grading (plain data, picklable)."""
    student: str
    rows: list
    answers: dict = field(default_factory=dict)   # answer grade id -> the learner's code
    outputs: dict = field(default_factory=dict)   # answer grade id -> what the cell printed in the sandbox
    notebook: str = ""                            # the path that was graded ("" if none)
    grader_error: str = ""                        # set when the grader itself failed on this notebook
    lateness: Lateness = field(default_factory=Lateness)
    language: str = "en"                          # the notebook's language: its messages and feedback page

    @property
    def score(self) -> tuple[float, float]:
        """(points, max_points) over every exercise, before any late penalty."""
        return sum(r.points for r in self.rows), sum(r.max_points for r in self.rows)

    @property
    def final(self) -> float:
        """The score of record: the points less the late penalty, never below zero (as nbgrader exports it)."""
        return max(0.0, self.score[0] - self.lateness.penalty)


def status_label(status):
    """A status as the student reads it, in their language (grades.csv keeps the English word)."""
    labels = {"passed": _("passed"), "failed": _("failed"), "error": _("error"), "timeout": _("timeout"),
              "missing": _("missing"), "tampered": _("tampered"), "borrowed": _("borrowed"), "copied": _("copied")}
    return labels.get(status, status)


def empty_rows(spec, student, status="", message=""):
    """A row per test cell of ``spec``, no points yet."""
    return [Row(student, spec.assignment, spec.exercise_of(t), 0.0, t.points, status, message, t.grade_id)
            for t in spec.tests]


def write_csv(path: Path, graded: dict) -> Path:
    """grades.csv: one row per student and exercise, students in order. The lateness columns describe the whole
    notebook and repeat on each of its rows: subtract ``late_penalty`` once per student."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for student in sorted(graded):
            late = graded[student].lateness
            for r in graded[student].rows:
                writer.writerow([r.student, r.assignment, r.exercise, f"{r.points:g}", f"{r.max_points:g}", r.status,
                                 r.message, r.diagnosis, late.timestamp, late.duedate, f"{late.seconds_late:g}",
                                 f"{late.penalty:g}"])
    return path


def read_csv(path: Path) -> dict:
    """{student: Graded} as a grades.csv holds it (files written before the diagnosis and lateness columns too)."""
    graded = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            late = Lateness(r.get("timestamp", ""), r.get("duedate", ""), float(r.get("seconds_late") or 0),
                            float(r.get("late_penalty") or 0))
            g = graded.setdefault(r["student"], Graded(r["student"], [], lateness=late))
            g.rows.append(Row(r["student"], r["assignment"], r["exercise"], float(r["points"]), float(r["max_points"]),
                              r["status"], r["message"], f"test_{r['exercise']}", r.get("diagnosis", "")))
    return graded


def write_answers(path: Path, graded: dict) -> Path:
    """answers.json: {student: {answer grade id: code}}, what the class report compares."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({s: graded[s].answers for s in sorted(graded)}, indent=0, ensure_ascii=False),
                    encoding="utf-8")
    return path


def read_answers(path: Path) -> dict:
    """{student: {answer grade id: code}} from answers.json ({} when there is none)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def write_context(path: Path, due: str, late_policy: str, starter_code: dict) -> Path:
    """grading.json: how the class was graded — the due date and the late policy in words, and each answer cell
    as the release gave it (what the class report removes before comparing answers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    context = {"due": due, "late_policy": late_policy, "starter_code": starter_code}
    path.write_text(json.dumps(context, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def read_context(path: Path) -> dict:
    """What grading.json says ({} when there is none)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def summary(graded: dict, out=sys.stdout) -> None:
    """A line per student: total points, the count of each status, and lateness."""
    for student in sorted(graded):
        result = graded[student]
        total, best = result.score
        counts = Counter(r.status for r in result.rows)
        late = result.lateness
        lateness = f"  late {late.seconds_late / 3600:.1f} h, penalty {late.penalty:g}" if late.seconds_late else ""
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        print(f"{student:>20}  {total:g}/{best:g}  {statuses}{lateness}", file=out)
