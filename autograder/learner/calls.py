"""Calling the learner's function in their own notebook: a time limit, no stderr, warnings recorded, the
course's reference out of reach, and the reference standing in for the learner's other graded functions.

``local_call(fn, kwargs, timeout, stand_ins, graded)`` is the checker's default ``call``. The grader's call
(``autograder.grading.remote.remote_call``) has the same contract and runs the function in the sandbox.
Either way a learner's exception arrives as ``LearnerError`` (plain data: class name, message, the
learner's own line) and a call that runs too long as ``CallTimeout``.
"""

import contextlib
import linecache
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path

import nncore
from autograder.learner.borrowing import guard
from nncore.i18n import _

_PACKAGES = (Path(__file__).parents[1], Path(nncore.__file__).parent)
_LIBRARY_DIRS = tuple(str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, *_PACKAGES))


class CallTimeout(BaseException):
    """Raised inside the learner's call when it runs past the time limit."""


class LearnerError(Exception):
    """The learner's function raised: the exception's class name, its message and the learner's own line
    (``in your code, line N: …``), the same whether the function ran here or in the grading sandbox."""

    def __init__(self, kind: str, message: str, line: str = ""):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.line = kind, message, line

    @classmethod
    def from_exception(cls, exc: BaseException) -> "LearnerError":
        return cls(type(exc).__name__, str(exc), learner_line(exc))


def _is_library(filename):
    return str(Path(filename).resolve()).startswith(_LIBRARY_DIRS)


def learner_line(exc: BaseException) -> str:
    """'in your code, line N: <code>' for the deepest traceback frame in the learner's own code, or ''.
    Only the learner's own lines are looked up (the library's source is never read)."""
    frames = [(f.f_code.co_filename, line) for f, line in traceback.walk_tb(exc.__traceback__)
              if not _is_library(f.f_code.co_filename)]
    if not frames:
        return ""
    filename, number = frames[-1]
    code = linecache.getline(filename, number).strip()
    return "\n    " + _("in your code, line {number}").format(number=number) + (f": {code}" if code else "")


@contextlib.contextmanager
def _time_limit(timeout):
    """Raise ``CallTimeout`` in the block after ``timeout`` seconds (where signals allow: the main thread)."""
    if not (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()):
        yield
        return

    def on_alarm(signum, frame):
        raise CallTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _trusted(reference, state):
    """``reference`` callable from the learner's code while the guard is up (a stand-in)."""
    def stand_in(*args, **kwargs):
        state["allowed"] += 1
        try:
            return reference(*args, **kwargs)
        finally:
            state["allowed"] -= 1
    stand_in.__name__ = getattr(reference, "__name__", "stand_in")
    return stand_in


@contextlib.contextmanager
def _bound(namespace, names):
    """``namespace`` with ``names`` ({name: value}) bound for the block, then as it was."""
    missing = object()
    before = {name: namespace.get(name, missing) for name in names}
    namespace.update(names)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def local_call(fn: Callable, kwargs: dict, timeout: float, stand_ins: dict | None = None,
               graded: frozenset = frozenset()):
    """Call the learner's ``fn(*kwargs.values())`` here; returns (result, warnings).

    ``stand_ins`` ({name: reference}) replace the learner's functions of those names in ``fn``'s namespace for
    the call; entering any code object of ``graded`` from the learner's code raises ``BorrowedReference``.
    """
    namespace = getattr(fn, "__globals__", {})
    # A learner's print(..., file=sys.stderr) goes to stdout: nbgrader zeroes a test cell with stderr.
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(sys.stdout), \
            guard(graded) as state, _bound(namespace, {n: _trusted(r, state) for n, r in (stand_ins or {}).items()}):
        warnings.simplefilter("always")
        try:
            with _time_limit(timeout):
                result = fn(*kwargs.values())
        except Exception as exc:  # any learner error becomes a report
            raise LearnerError.from_exception(exc) from None
    return result, caught
