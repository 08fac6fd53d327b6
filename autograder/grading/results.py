"""What grading produces: one ``Row`` per student and exercise, a ``Graded`` per notebook, and grades.csv.

Statuses: passed, failed (the checker's report), error (the answer cell does not run, or the process died
or ran out of memory), timeout, missing (no answer cell / no notebook), tampered (the notebook changed how
tests behave).
"""

import csv
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nncore.i18n import _

COLUMNS = ("student", "assignment", "exercise", "points", "max_points", "status", "message")


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


@dataclass
class Graded:
    """Everything known about one student's notebook after grading (plain data, picklable)."""
    student: str
    rows: list
    answers: dict = field(default_factory=dict)   # answer grade id -> the learner's code
    outputs: dict = field(default_factory=dict)   # answer grade id -> what the cell printed in the sandbox
    notebook: str = ""                            # the path that was graded ("" if none)
    grader_error: str = ""                        # set when the grader itself failed on this notebook
    language: str = "en"                          # the notebook's language: its messages and feedback page

    @property
    def score(self) -> tuple[float, float]:
        """(points, max_points) over every exercise."""
        return sum(r.points for r in self.rows), sum(r.max_points for r in self.rows)


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
    """grades.csv: one row per student and exercise, students in order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for student in sorted(graded):
            for r in graded[student].rows:
                writer.writerow([r.student, r.assignment, r.exercise, f"{r.points:g}", f"{r.max_points:g}", r.status, r.message])
    return path


def summary(graded: dict, out=sys.stdout) -> None:
    """A line per student: total points and the count of each status."""
    for student in sorted(graded):
        total, best = graded[student].score
        counts = Counter(r.status for r in graded[student].rows)
        print(f"{student:>20}  {total:g}/{best:g}  " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())), file=out)
