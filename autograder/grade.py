"""Grading that does not trust the submission: ``grade_notebook`` for one student, ``grade_batch`` for a class.

For each student the answer cells run in a sandbox (``autograder.sandbox``) after the source's own setup
cells; then the *source's* test cells run here, in the trusted process, with ``check`` from the exercise
registry and every learner function replaced by a ``RemoteFunction`` proxy, so only plain arrays and
numbers come back and are compared with ``nncore``. A test cell scores its points when it runs without an
exception, as in nbgrader. For every test that fails here, the same source test cell is also run inside
the sandbox, as nbgrader would run it; if it passes there, the notebook changed how tests behave (numpy,
the checker, IPython's input transformers, …) and the row says ``tampered``.

Statuses: passed, failed (the checker's report), error (the answer cell does not run, or the process died
or ran out of memory), timeout, missing (no answer cell / no notebook), tampered.
"""

import builtins
import concurrent.futures
import contextlib
import io
import itertools
import multiprocessing
import os
import sys
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder.check import CallTimeout, CheckFailure, Checker
from autograder.sandbox import BudgetExhausted, RemoteNamespace, SandboxError, Session, Zygote, isolation, remote_call
from autograder.submission import defined_functions, find_notebook, read_submission

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


def _cell_failure(name, cell, limits):
    """(status, message) for an answer cell that did not define its function."""
    error = cell.error or {}
    what = f"your answer cell for {name}"
    if cell.status == "timeout":
        return "timeout", f"{what} did not finish within {limits.timeout:g} s (an endless loop at the top level?)"
    if cell.status == "crash" or error.get("type") == "MemoryError":
        return "error", f"{what}: {error.get('message', '')}"
    if error.get("type") == "SyntaxError":
        return "error", f"{what} has a syntax error: {(error.get('args') or [''])[0]}{error.get('line', '')}"
    return "error", f"{what} raised {error.get('type')}: {error.get('message', '')}{error.get('line', '')}"


class _Grader:
    """Grades one notebook's tests against an open session."""

    def __init__(self, spec, session, sub, limits):
        self.spec, self.session, self.sub, self.limits = spec, session, sub, limits
        self.namespace = RemoteNamespace(session)
        self.imports = spec.trusted_imports()
        self.learners_names = {name for code in sub.answers.values() for name in defined_functions(code)}
        self.checker = Checker(spec.exercises(), timeout=limits.timeout, call=remote_call)

    def trusted(self, test):
        """(status, message) of the source's test cell run here against the learner's functions."""
        code = compile(test.source, f"<test cell {test.grade_id}>", "exec")
        scope = {"__builtins__": builtins, "np": np, "check": self.checker}
        for name in code.co_names:
            if name in scope or hasattr(builtins, name):
                continue
            if name in self.imports and name not in self.learners_names:
                scope[name] = self.imports[name]
            elif self.namespace.get(name) is not None:
                scope[name] = self.namespace[name]
        before = len(self.session.incidents)
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(code, scope)  # noqa: S102 — the course's own test cell, run in the trusted process
        except CheckFailure as exc:
            status, message = "failed", str(exc)
        except CallTimeout:
            status, message = "timeout", f"your function did not finish within {self.limits.timeout:g} s"
        except NameError as exc:
            status, message = "failed", f"{exc}: the test calls a function your notebook does not define"
        else:
            return "passed", printed.getvalue().strip()
        kinds = {kind for kind, _ in self.session.incidents[before:]}
        if "timeout" in kinds:
            status = "timeout"
        elif kinds & {"crash", "memory"}:
            status = "error"
        return status, message

    def judge(self, test, cells):
        """(status, message) for one test cell."""
        name = self.spec.exercise_of(test)
        answer_ids = {c.grade_id for c in self.spec.cells if c.kind == "answer"}
        if name in answer_ids and name not in self.sub.answers:
            return "missing", f"the answer cell for {name} (grade id {name!r}) is not in your notebook"
        called = name in compile(test.source, f"<test cell {test.grade_id}>", "exec").co_names
        if called and name in answer_ids and self.session.kinds([name])[name] != "function":
            cell = cells.get(name)
            if cell is not None and cell.status != "ok":
                return _cell_failure(name, cell, self.limits)
            others = [f for f in defined_functions(self.sub.answers[name]) if f != name]
            instead = f"; your answer cell defines {', '.join(others)} instead" if others else ""
            return "failed", f"your notebook defines no function named {name}{instead} — the tests call {name}(...), keep that name"
        return self.trusted(test)

    def in_kernel_passes(self, test):
        return self.session.in_kernel(test.source)


def _tampered(message):
    return ("this test passes when run inside your notebook, but your functions fail it when the grader "
            "calls them from outside: something in the notebook changes how tests behave (numpy, the "
            "checker, IPython, …). The grader's check says:\n" + message)


@dataclass(frozen=True)
class Submitted:
    """One student's notebook as the coordinator found it. The bytes travel with the grading task, so a
    worker on another machine needs no access to the submissions folder."""
    student: str
    path: str = ""        # where the notebook was found ("" when there is none)
    content: bytes = b""
    note: str = ""        # why there is no notebook, or which other file name was graded


def collect(spec, student, folder):
    """The notebook in ``folder`` (a ``<student>/<ASSIGNMENT>`` folder, or the notebook itself), read."""
    path, where = find_notebook(folder, spec)
    if path is None:
        return Submitted(student, note=where)
    try:
        return Submitted(student, str(path), path.read_bytes(), where)
    except OSError as exc:
        return Submitted(student, str(path), b"", f"reading {path.name} failed: {exc}")


def grade_notebook(spec, submitted, zygote, limits):
    """Grade one student's ``Submitted`` notebook; never raises for a bad submission."""
    student = submitted.student
    rows = [Row(student, spec.assignment, spec.exercise_of(t), 0.0, t.points, "", "", t.grade_id) for t in spec.tests]
    graded = Graded(student, rows, notebook=submitted.path)
    if not submitted.path:
        for row in rows:
            row.status, row.message = "missing", submitted.note
        return graded
    sub = read_submission(submitted.content, spec)
    if submitted.note:
        sub.note("", submitted.note)
    if sub.unreadable:
        for row in rows:
            row.status, row.message = "error", sub.unreadable
        return graded
    graded.answers = dict(sub.answers)
    program = [c for c in spec.cells if c.kind == "setup" or (c.kind == "answer" and c.grade_id in sub.answers)]
    session = Session(zygote, [c.source if c.kind == "setup" else sub.answers[c.grade_id] for c in program], limits)
    try:
        cells = dict(zip((c.grade_id for c in program), session.run()))
        graded.outputs = {gid: cell.output for gid, cell in cells.items() if gid in sub.answers}
        grader = _Grader(spec, session, sub, limits)
        for row, test in zip(rows, spec.tests):
            row.status, row.message = grader.judge(test, cells)
            if row.status == "passed":
                row.points = test.points
        for row, test in zip(rows, spec.tests):
            if row.status == "failed" and grader.in_kernel_passes(test):
                row.status, row.message = "tampered", _tampered(row.message)
    except BudgetExhausted:
        for row in rows:
            if not row.status:
                row.status, row.message = "timeout", f"the grading time for this notebook ({limits.budget:g} s) ran out"
    finally:
        session.close()
    for row in rows:
        notes = sub.notes.get("", []) + sub.notes.get(row.exercise, []) + sub.notes.get(row.grade_id, [])
        if notes:
            row.message = "\n".join([row.message, *(f"note: {n}" for n in notes)]).strip()
    return graded


# ---------------------------------------------------------------------------------------------------
# A class of students, in parallel: local worker processes, or the workers of a Dask cluster

_worker = threading.local()  # a sandbox zygote per worker thread (one thread per local worker process)


def _zygote(limits, how):
    zygote = getattr(_worker, "zygote", None)
    if zygote is None or not zygote.alive() or zygote.limits != limits:
        if zygote is not None:
            zygote.close()
        zygote = _worker.zygote = Zygote(limits, how or isolation())
    return zygote


def grade_task(spec, submitted, limits, how=None):
    """One student on a worker: a grader failure is reported in the result, never raised. ``how`` is the
    sandbox the coordinator chose; None (a Dask worker on another machine) makes the worker choose its own."""
    for attempt in (1, 2):
        try:
            return grade_notebook(spec, submitted, _zygote(limits, how), limits)
        except SandboxError as exc:
            with contextlib.suppress(Exception):
                _worker.zygote.close()
            _worker.zygote = None
            error = f"{exc}"
            if attempt == 2:
                break
        except Exception:  # noqa: BLE001 — a bug of the grader must not stop the batch
            error = traceback.format_exc()
            break
    return _grader_failed(spec, submitted.student, error)


def _grader_failed(spec, student, error):
    rows = [Row(student, spec.assignment, spec.exercise_of(t), 0.0, t.points, "error",
                "the grader failed on this notebook; ask your instructor", t.grade_id) for t in spec.tests]
    return Graded(student, rows, grader_error=error)


def students_in(submissions, assignment):
    """Students with a ``<student>/<assignment>/`` folder, sorted."""
    root = Path(submissions)
    return sorted(d.name for d in root.iterdir() if (d / assignment).is_dir()) if root.is_dir() else []


def stream(spec, submissions, students, submit, wait, window, progress=None):
    """{student: Graded}, keeping at most ``window()`` notebooks in flight: ``submit(Submitted)`` starts a
    task and returns its future, ``wait(futures, return_when=...)`` is concurrent.futures' or Dask's. Each
    notebook is read just before its task starts, so memory stays flat however large the class."""
    results, pending, queue = {}, {}, iter(students)
    while True:
        for student in itertools.islice(queue, max(0, window() - len(pending))):
            pending[submit(collect(spec, student, Path(submissions) / student / spec.assignment))] = student
        if not pending:
            return results
        for future in wait(list(pending), return_when="FIRST_COMPLETED").done:
            student = pending.pop(future)
            try:
                results[student] = future.result()
            except Exception:  # noqa: BLE001 — a lost worker process or machine: that student's row says so
                results[student] = _grader_failed(spec, student, traceback.format_exc())
            if progress:
                progress.update(1)


def grade_batch(spec, submissions, students, limits, how, workers, progress=None):
    """Grade every student in ``workers`` local processes (BLAS pinned to one thread); {student: Graded}."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"  # read by the spawned workers' numpy
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return stream(spec, submissions, students, lambda s: pool.submit(grade_task, spec, s, limits, how),
                      concurrent.futures.wait, lambda: 2 * workers, progress)


def grade_here(spec, student, folder, limits, how):
    """One notebook in this process (``nncourse selfcheck`` / ``validate``)."""
    zygote = Zygote(limits, how)
    try:
        return grade_notebook(spec, collect(spec, student, folder), zygote, limits)
    finally:
        zygote.close()


def write_csv(path, graded):
    """grades.csv: one row per student and exercise, students in order."""
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for student in sorted(graded):
            for r in graded[student].rows:
                writer.writerow([r.student, r.assignment, r.exercise, f"{r.points:g}", f"{r.max_points:g}", r.status, r.message])
    return path


def summary(graded, out=sys.stdout):
    """A line per student: total points and the count of each status."""
    for student in sorted(graded):
        rows = graded[student].rows
        counts = {}
        for r in rows:
            counts[r.status] = counts.get(r.status, 0) + 1
        total, best = sum(r.points for r in rows), sum(r.max_points for r in rows)
        print(f"{student:>20}  {total:g}/{best:g}  " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())), file=out)
