"""Grades for the learning-management system, as files it imports unchanged.

Each student's score is the score of record: the points less the late penalty, never below zero (what
``nbgrader export`` calls ``score``). Names, e-mail addresses and LMS ids come from nbgrader's gradebook when it has
them (``nbgrader db student import``; ``people`` reads them); the nbgrader student id is the login.

- ``canvas.csv`` — Canvas's gradebook import format (Canvas Instructor Guide, "How do I import grades in the
  Gradebook?"; the columns of Canvas's own export): ``Student, ID, SIS User ID, SIS Login ID, Section`` then one
  column per assignment, and a ``    Points Possible`` row under the header. ``Student`` is "Last, First", ``ID``
  the Canvas user id (the gradebook's ``lms_user_id``), ``SIS Login ID`` the nbgrader id. A column named like an
  existing Canvas assignment, ``Name (12345)``, updates it; any other name creates a new assignment.
- ``moodle.csv`` — for Moodle's Grades ▸ Import ▸ CSV file (Moodle docs, "Grade import"): ``First name, Last
  name, Username, Email address``, the assignment's column and a feedback column. On import, map from
  ``Username`` (or ``Email address``) to the user field of the same name, the score column to a grade item (or a new
  one) and ``Feedback`` to that item's feedback. Moodle refuses the whole file if one user is not in the course.
- ``questions.csv`` — one row per student and question (exercise): points, status and diagnosis, no messages:
  per-question grades for a spreadsheet, pandas or an LMS that takes them.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from autograder.course import gradebook_url

CANVAS_IDS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_IDS = ["First name", "Last name", "Username", "Email address"]


@dataclass(frozen=True)
class Person:
    """What the gradebook knows of a student (``nbgrader db student add/import``): for the LMS exports."""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""


def people(course, db_url=None):
    """{student id: Person} from the gradebook's ``student`` table ({} when there is no gradebook yet). Read with
    SQLAlchemy alone: the report does not pay for importing nbgrader."""
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.exc import SQLAlchemyError

    url = make_url(gradebook_url(course, db_url))
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        return {}
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            found = db.execute(text("SELECT id, first_name, last_name, email, lms_user_id FROM student")).all()
    except SQLAlchemyError:
        return {}
    finally:
        engine.dispose()
    return {row[0]: Person(*(value or "" for value in row[1:])) for row in found}


def _write(path: Path, header: list, rows: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _name(student: str, person) -> str:
    """"Last, First" as Canvas lists students, else the student id."""
    return ", ".join(p for p in (person.last_name, person.first_name) if p) if person else student


def canvas_csv(path: Path, assignment: str, graded: dict, people: dict, column: str = "") -> Path:
    """``path`` in Canvas's gradebook import format: one assignment column (``column``, default the assignment)."""
    best = max(g.score[1] for g in graded.values())
    rows = [["    Points Possible", "", "", "", "", f"{best:g}"]]
    for student in sorted(graded):
        person = people.get(student)
        rows.append([_name(student, person) or student, person.lms_user_id if person else "", "", student, "",
                     f"{graded[student].final:g}"])
    return _write(path, [*CANVAS_IDS, column or assignment], rows)


def _feedback(result) -> str:
    """A line for the student's Moodle feedback: the points, any late penalty and what did not pass."""
    points, best = result.score
    text = f"{points:g}/{best:g}"
    if result.lateness.penalty:
        text += f", less {result.lateness.penalty:g} for lateness: {result.final:g}/{best:g}"
    failing = [r.exercise for r in result.rows if r.status != "passed"]
    return text + (f"; not passed yet: {', '.join(failing)}" if failing else "")


def moodle_csv(path: Path, assignment: str, graded: dict, people: dict, column: str = "") -> Path:
    """``path`` for Moodle's CSV grade import: names, username, e-mail, the score and a feedback line."""
    rows = []
    for student in sorted(graded):
        person = people.get(student)
        names = [person.first_name, person.last_name, student, person.email] if person else ["", "", student, ""]
        rows.append([*names, f"{graded[student].final:g}", _feedback(graded[student])])
    return _write(path, [*MOODLE_IDS, column or assignment, "Feedback"], rows)


def questions_csv(path: Path, graded: dict) -> Path:
    """The long table: one row per student and question, with points, status and diagnosis."""
    rows = [[r.student, r.assignment, r.exercise, f"{r.points:g}", f"{r.max_points:g}", r.status, r.diagnosis]
            for student in sorted(graded) for r in graded[student].rows]
    return _write(path, ["student", "assignment", "question", "points", "max_points", "status", "diagnosis"], rows)


def write_exports(out: Path, assignment: str, graded: dict, people: dict, column: str = "") -> list:
    """canvas.csv, moodle.csv and questions.csv in ``out``; returns their paths."""
    return [canvas_csv(out / "canvas.csv", assignment, graded, people, column),
            moodle_csv(out / "moodle.csv", assignment, graded, people, column),
            questions_csv(out / "questions.csv", graded)]
