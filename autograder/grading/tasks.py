"""One student's grading task, the same on any worker (a local process or a Dask worker), and the loop
that keeps a bounded number of tasks in flight.

Each worker keeps one pre-loaded sandbox zygote and grades one ``Submitted`` notebook per task with
``grade_task``, which never raises: a failure of the grader itself becomes that student's rows.
"""

import contextlib
import itertools
import threading
import traceback
from pathlib import Path

from autograder.grading.grader import grade_notebook
from autograder.grading.results import Graded, empty_rows
from autograder.grading.sandbox import SandboxError, Zygote, isolation
from autograder.grading.submission import collect

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
        except Exception:
            error = traceback.format_exc()
            break
    return grader_failed(spec, submitted.student, error)


def grader_failed(spec, student, error):
    """The rows of a student whose notebook the grader itself failed on (``error`` says why, for the log)."""
    rows = empty_rows(spec, student, "error", "the grader failed on this notebook; ask your instructor")
    return Graded(student, rows, grader_error=error)


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
            except Exception:
                results[student] = grader_failed(spec, student, traceback.format_exc())
            if progress:
                progress.update(1)
