"""Deadlines and late penalties, with the meaning nbgrader gives them, so that one course config serves both.

**When it was due.** ``nncourse grade --duedate`` if given, else the course config's
``c.NNCourse.duedates = {"ASSIGNMENT": "2026-11-21 23:59:00 Europe/Paris"}``, else nbgrader's gradebook (``nbgrader db
assignment add ASSIGNMENT --duedate=...``); a student's extension in the gradebook (``Gradebook.grant_extension``) is
added, as nbgrader adds it. **When it came in.** The ``timestamp.txt`` next to the submitted notebook (what
``nbgrader collect`` leaves). Both are read with nbgrader's ``parse_utc``; seconds late are nbgrader's
``total_seconds_late``: ``max(0, timestamp − due date)``.

**What it costs.** The plugin the course config names for nbgrader's ``AssignLatePenalties``
(``c.AssignLatePenalties.plugin_class``; by default nbgrader's ``LateSubmissionPlugin``, whose
``c.LateSubmissionPlugin.penalty_method`` is ``"none"`` or ``"zero"``), called as nbgrader calls it — only for a late
notebook, with its score and seconds late — and clamped as nbgrader clamps it, to between 0 and the score.
``SubtractPerHour`` below is such a plugin, for both: ``c.AssignLatePenalties.plugin_class =
"autograder.grading.lateness.SubtractPerHour"`` and ``c.SubtractPerHour.points_per_hour = 1`` take that many points
for every hour or part of an hour late. A plugin of the instructor's own (nbgrader's ``late.SubMarks`` example, in
the course folder) works the same way.
"""

import contextlib
import datetime
import math
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from nbgrader.plugins import BasePlugin
from traitlets import Float

from autograder.grading.results import Lateness

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class SubtractPerHour(BasePlugin):
    """nbgrader late-submission plugin: ``points_per_hour`` for every hour or part of an hour late."""

    points_per_hour = Float(1.0, help="Points taken for every hour or part of an hour late.").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        return self.points_per_hour * math.ceil(total_seconds_late / 3600)


def parse_time(text: str) -> datetime.datetime:
    """A time as nbgrader reads it (``2026-11-21 12:00:00 UTC``, ``... Europe/Paris``, ISO 8601): naive UTC."""
    from nbgrader.utils import parse_utc
    return parse_utc(text)


def show(moment: datetime.datetime | None) -> str:
    return moment.strftime(TIME_FORMAT) if moment else ""


@dataclass(frozen=True)
class Deadline:
    """An assignment's due date (naive UTC, None when there is none), where it came from, and extensions."""
    duedate: datetime.datetime | None = None
    source: str = ""
    extensions: dict = field(default_factory=dict)   # student -> datetime.timedelta

    def of(self, student: str) -> datetime.datetime | None:
        """The student's own due date, extension included."""
        return self.duedate + self.extensions[student] if self.duedate and student in self.extensions else self.duedate

    def describe(self) -> str:
        return f"due {show(self.duedate)} UTC ({self.source})" if self.duedate else "no due date: none is late"


def deadline(course, assignment: str, option: str | None = None, gradebook=None) -> Deadline:
    """The due date of ``assignment``: ``option`` (``--duedate``), else the course config's ``NNCourse.duedates``,
    else the gradebook's; ``gradebook`` is ``(duedate, {student: extension})`` read from it, or None."""
    from autograder.course import course_config

    due, extensions = gradebook or (None, {})
    configured = dict(course_config(course).NNCourse.get("duedates", {})).get(assignment)
    for value, source in ((option, "--duedate"), (configured, "the course config"), (due, "the gradebook")):
        if value:
            moment = value if isinstance(value, datetime.datetime) else parse_time(str(value))
            return Deadline(moment, source, dict(extensions))
    return Deadline(extensions=dict(extensions))


class LatePolicy:
    """The course's late-submission plugin, loaded as nbgrader loads it from the course config."""

    def __init__(self, course):
        from nbgrader.preprocessors import AssignLatePenalties

        from autograder.course import course_config
        sys.path.insert(0, str(course))   # nbgrader finds a plugin module in the course folder (its cwd)
        try:
            assign = AssignLatePenalties(config=course_config(course))
            assign.init_plugin()
            self.plugin = assign.plugin_inst
        finally:
            sys.path.remove(str(course))

    def penalty(self, student: str, score: float, seconds_late: float) -> float:
        """Points taken from ``score``: nothing on time; else the plugin's penalty, clamped to 0 … score."""
        if seconds_late <= 0:
            return 0.0
        penalty = self.plugin.late_submission_penalty(student, score, seconds_late)
        return 0.0 if penalty is None else min(max(float(penalty), 0.0), score)

    def describe(self) -> str:
        """The policy in a few words, for the feedback page and the report."""
        plugin = self.plugin
        if isinstance(plugin, SubtractPerHour):
            return f"{plugin.points_per_hour:g} point(s) off per hour or part of an hour late"
        method = getattr(plugin, "penalty_method", None)
        if type(plugin).__module__.startswith("nbgrader.") and method in ("none", "zero"):
            return "no late penalty" if method == "none" else "a late submission scores zero"
        return f"the course's late policy ({type(plugin).__module__}.{type(plugin).__name__})"


def timestamp(folder: Path) -> tuple[datetime.datetime | None, str]:
    """(when the submission in ``folder`` came in, a note when its timestamp.txt cannot be read)."""
    path = Path(folder) / "timestamp.txt"
    with contextlib.suppress(OSError):
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        try:
            return (parse_time(text), "") if text else (None, "timestamp.txt is empty: not counted late")
        except (ValueError, OverflowError):
            return None, f"timestamp.txt says {text[:60]!r}, which is not a time: not counted late"
    return None, ""


def lateness(student: str, folder: Path, score: float, due: Deadline, policy: LatePolicy) -> Lateness:
    """How late the submission in ``folder`` is and its penalty on ``score``."""
    came, note = timestamp(folder)
    until = due.of(student)
    seconds = max(0.0, (came - until).total_seconds()) if came and until else 0.0
    return Lateness(show(came), show(until), seconds, policy.penalty(student, score, seconds), note)


def apply_lateness(graded: dict, submissions, assignment: str, due: Deadline, policy: LatePolicy) -> dict:
    """``graded`` with every student's lateness (submissions in ``SUBMISSIONS/<student>/<assignment>/``)."""
    return {student: replace(result, lateness=lateness(student, Path(submissions) / student / assignment,
                                                       result.score[0], due, policy))
            for student, result in graded.items()}
