"""What grading leaves for nbgrader: scores in its gradebook and graded notebooks for formgrader.

``record`` writes each student's scores, submission time and late penalty into the course's nbgrader gradebook
through nbgrader's own API (so formgrader and ``nbgrader export`` see them) and a graded notebook under
``autograded/<student>/<ASSIGNMENT>/`` built from the source notebook, as ``nbgrader autograde`` would leave it.
Concurrent runs (other assignments, other machines) take turns writing (``gradebook_lock``). ``due_date`` reads
an assignment's due date and the students' extensions.
"""

import contextlib
import copy
import fcntl
import hashlib
import shutil
import warnings
from pathlib import Path

import nbformat
from nbformat.v4 import new_output

from autograder.course import nbgrader_api
from autograder.grading.submission import SUBMISSION_FILES


def _graded_notebook(source_nb, result):
    """A copy of the source notebook with the student's answers and the grader's outputs (what formgrader shows)."""
    nb = copy.deepcopy(source_nb)
    by_id = {r.grade_id: r for r in result.rows}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code" or gid is None:
            continue
        cell.outputs, cell.execution_count = [], None
        if gid in result.answers or cell.metadata.nbgrader.get("solution"):
            cell.source = result.answers.get(gid, "# (this answer cell is missing from the submission)")
            if result.outputs.get(gid):
                cell.outputs = [new_output("stream", name="stdout", text=result.outputs[gid])]
        elif gid in by_id:
            row = by_id[gid]
            cell.outputs = [new_output("stream", name="stdout", text=row.message) if row.status == "passed" else
                            new_output("error", ename=row.status, evalue=row.message,
                                       traceback=[f"{row.status}: {row.message}"])]
    return nb


def record(course, spec, graded, db_url=None, duedate=None):
    """Scores, timestamps and late penalties into the nbgrader gradebook (``db_url``, else the course's; the
    assignment is created there if needed, and given ``duedate`` when that is set) and graded notebooks."""
    api = nbgrader_api(course, db_url)
    with gradebook_lock(api.coursedir.db_url):
        _ensure_assignment(api, spec)
        source_nb = nbformat.read(Path(course) / "source" / spec.assignment / spec.notebook, as_version=4)
        with api.gradebook as gb:
            if duedate is not None:
                gb.update_or_create_assignment(spec.assignment, duedate=duedate)
            for student, result in sorted(graded.items()):
                _record_scores(gb, spec, student, result)
                _write_graded_copy(Path(course) / "autograded" / student / spec.assignment, spec, source_nb, result)


def _ensure_assignment(api, spec):
    """What `nbgrader generate_assignment` does when the gradebook lacks the assignment: add it and its cells."""
    notebook_id = spec.notebook.removesuffix(".ipynb")
    with api.gradebook as gb:
        known = any(n.name == notebook_id for a in gb.assignments if a.name == spec.assignment for n in a.notebooks)
    if not known:
        result = api.generate_assignment(spec.assignment, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not add {spec.assignment} to the gradebook:\n{result.get('log')}")


def _record_scores(gb, spec, student, result):
    """One student's submission (with its timestamp), auto scores and late penalty in the gradebook — the penalty
    as nbgrader's ``AssignLatePenalties`` stores it: on the notebook, None when nothing was taken."""
    gb.update_or_create_student(student)
    kwargs = {"timestamp": result.lateness.timestamp} if result.lateness.timestamp else {}
    with warnings.catch_warnings():  # nbgrader's own add_submission trips an SQLAlchemy autoflush warning
        warnings.simplefilter("ignore")
        gb.update_or_create_submission(spec.assignment, student, **kwargs)
    notebook = spec.notebook.removesuffix(".ipynb")
    for row in result.rows:
        grade = gb.find_grade(row.grade_id, notebook, spec.assignment, student)
        grade.auto_score = row.points
        grade.needs_manual_grade = grade.manual_score is not None
    submitted = gb.find_submission_notebook(notebook, spec.assignment, student)
    submitted.late_submission_penalty = result.lateness.penalty or None
    gb.db.commit()


def _write_graded_copy(target, spec, source_nb, result):
    """The graded notebook in ``autograded/``, with the files nbgrader's feedback and its release need."""
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(_graded_notebook(source_nb, result), target / spec.notebook)
    for name in SUBMISSION_FILES:
        kept = Path(result.notebook).parent / name if result.notebook else None
        if kept and kept.is_file():
            shutil.copy2(kept, target / name)


@contextlib.contextmanager
def _reading(course, db_url):
    """The course's gradebook, opened to read while holding its lock (opening creates missing tables), or None when
    there is none yet (an SQLite file not created)."""
    from sqlalchemy import make_url

    api = nbgrader_api(course, db_url)
    url = make_url(api.coursedir.db_url)
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        yield None
        return
    with gradebook_lock(api.coursedir.db_url), api.gradebook as gb:
        yield gb


def due_date(course, assignment, db_url=None):
    """(the assignment's due date in the gradebook or None, {student: extension}) — nothing when it has none."""
    from nbgrader.api import MissingEntry

    with _reading(course, db_url) as gb:
        try:
            found = gb.find_assignment(assignment) if gb else None
        except MissingEntry:
            found = None
        if found is None:
            return None, {}
        return found.duedate, {s.student.id: s.extension for s in found.submissions if s.extension}


@contextlib.contextmanager
def gradebook_lock(db_url):
    """Hold the gradebook for one writer at a time. Concurrent ``nncourse grade`` runs (other assignments,
    other machines) would otherwise race to create the same tables, course and students: PostgreSQL gets
    an advisory lock, SQLite a lock file next to the database; other databases are not locked."""
    from sqlalchemy import create_engine, make_url, text

    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
                try:
                    yield
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
        finally:
            engine.dispose()
    elif url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        with open(f"{url.database}.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
    else:
        yield


_LOCK_KEY = int.from_bytes(hashlib.sha256(b"nncourse gradebook").digest()[:8], "big", signed=True)
