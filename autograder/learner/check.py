"""The student-facing checker: run the learner's function on the exercise's cases, explain any mismatch.

``Checker(exercises)`` is what a notebook calls as ``check("propagate", propagate)``. It never writes to
stderr (nbgrader zeroes a test cell that does), never swallows the learner's exception (it shows the
learner's own line), stops an endless loop after ``timeout`` seconds (default ``$NNCOURSE_CHECK_TIMEOUT``
or 20), and raises ``CheckFailure`` with a plain-words report when something is wrong. In a notebook that
report is all the learner sees: no traceback into the checker.

Two links to the outside world are passed in, never guessed: ``call`` runs the learner's function (in this
process by default, in the grading sandbox for the trusted grader) and ``functions`` finds the learner's
other functions by name (in the notebook's namespace by default).
"""

import contextlib
import copy
import os
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

import nncore
from autograder.learner.compare import Hint, Problem, compare, mutations
from autograder.learner.i18n import _

MAX_PROBLEMS = 3
_PACKAGES = (Path(__file__).parents[1], Path(nncore.__file__).parent)
_LIBRARY_DIRS = tuple(str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, *_PACKAGES))
_RED, _BOLD, _RESET = "\x1b[31m", "\x1b[1m", "\x1b[0m"


class CheckFailure(AssertionError):
    """The learner's function does not (yet) agree with the reference; the message says how.

    ``problems`` are the differences found; ``hint_ids`` the ids of the diagnoses among them, most specific
    first (what a class report counts). IPython shows ``_render_traceback_()`` instead of a traceback.
    """

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()):
        super().__init__(message)
        self.problems = tuple(problems)

    @property
    def hint_ids(self) -> tuple[str, ...]:
        return tuple(p.hint.id for p in self.problems if p.hint)

    def _render_traceback_(self) -> list[str]:
        """What IPython shows instead of a traceback: the report alone, its first line in bold red."""
        first, *rest = str(self).splitlines() or [""]
        return [f"{_BOLD}{_RED}{first}{_RESET}", *rest]


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


def learner_line(exc: BaseException) -> str:
    """'in your code, line N: <code>' for the deepest traceback frame in the learner's own code, or ''."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not str(Path(f.filename).resolve()).startswith(_LIBRARY_DIRS)]
    if not frames:
        return ""
    f = frames[-1]
    return "\n    " + _("in your code, line {number}").format(number=f.lineno) + (f": {f.line.strip()}" if f.line else "")


def _exception_hint(error):
    """A hint for an exception with a known cause, or None."""
    if error.kind == "ValueError" and ("align" in error.message or "matmul" in error.message):
        return Hint("shapes_do_not_fit_product",
                    _("the matrix shapes do not fit a product: check the transposes (X is (n_x, m))"))
    if error.kind == "ValueError" and "broadcast" in error.message:
        return Hint("shapes_do_not_broadcast", _("two arrays' shapes do not line up element by element — often a sum "
                                                 "that lost its axis: keep it with np.sum(..., axis=..., keepdims=True)"))
    if error.kind in ("NameError", "UnboundLocalError", "KeyError"):
        return Hint("uses_globals", _("use only your function's arguments, not global variables or keys it was not given"))
    return None


def exception_problem(name: str, error: LearnerError) -> Problem:
    """The report for a learner's function that raised, with a hint when the exception has a known cause."""
    if error.kind == "NotImplementedError":
        return Problem(name, _("not implemented yet: replace `raise NotImplementedError()` with your code"),
                       Hint("not_implemented", _("write your code where the cell says YOUR CODE HERE")))
    return Problem(name, _("your function raised {kind}: {message}").format(kind=error.kind, message=error.message)
                   + error.line, _exception_hint(error))


def local_call(fn: Callable, kwargs: dict, timeout: float):
    """Call the learner's function here with a wall-clock limit (where signals allow); returns
    (result, warnings); a learner's exception becomes ``LearnerError``."""
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def on_alarm(signum, frame):
        raise CallTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm) if use_alarm else None
    try:
        # A learner's print(..., file=sys.stderr) goes to stdout: nbgrader zeroes a test cell with stderr.
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(sys.stdout):
            warnings.simplefilter("always")
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                result = fn(*kwargs.values())
            except Exception as exc:
                raise LearnerError.from_exception(exc) from None
            finally:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        if use_alarm:
            signal.signal(signal.SIGALRM, previous)
    return result, caught


def _float_labels(kwargs):
    """The same arguments with every uint8 array turned into floats (to test the uint8-wrap diagnosis)."""
    return {k: v.astype(np.float64) if isinstance(v, np.ndarray) and v.dtype == np.uint8 else v
            for k, v in kwargs.items()}


def uint8_wrap():
    return Hint("uint8_wrap", _("it works with float labels but not uint8 ones: −Y or 1 − Y on uint8 wraps around "
                                "(−1 becomes 255); convert first, Y = Y.astype(float)"))


class Checker:
    """``check(name, fn, seed=None)`` over a dictionary of ``Exercise``s.

    ``call(fn, kwargs, timeout) -> (result, warnings)`` runs the learner's function and raises
    ``LearnerError`` or ``CallTimeout`` (default: ``local_call``, in this process). ``functions(name)`` is the
    learner's function of that name or None (default: looked up in the checked function's own module
    namespace, i.e. the notebook's).
    """

    def __init__(self, exercises: dict, timeout: float | None = None, call: Callable = local_call,
                 functions: Callable[[str], Callable | None] | None = None):
        self.exercises = exercises
        self.timeout = timeout or float(os.environ.get("NNCOURSE_CHECK_TIMEOUT", 20))
        self.call = call
        self.functions = functions

    def _run(self, exercise, fn, kwargs):
        """(result, warnings, None) of the learner's call, or (None, [], [Problem]) when it did not return."""
        try:
            return (*self.call(fn, kwargs, self.timeout), None)
        except CallTimeout:
            return None, [], [Problem(exercise.name, _("did not finish within {seconds} s").format(seconds=f"{self.timeout:g}"),
                                      Hint("endless_loop", _("an endless loop? check that every loop's condition "
                                                             "eventually changes")))]
        except LearnerError as error:
            return None, [], [exception_problem(exercise.name, error)]

    def problems(self, exercise, fn, case) -> list[Problem]:
        """Everything wrong with ``fn`` on one case (an empty list when it agrees with the reference)."""
        kwargs = copy.deepcopy(case.kwargs)
        got, caught, failed = self._run(exercise, fn, kwargs)
        if failed:
            return failed
        expected = exercise.expected(case)
        problems = mutations(case.kwargs, kwargs, list(kwargs))
        problems += self._compare_result(exercise, expected, got, case.m)
        if not problems:
            return []
        specific = self._specific_hint(exercise, case, got) or self._uint8_hint(exercise, fn, case, expected)
        if specific:
            problems.insert(0, Problem(exercise.name, _("likely cause"), specific))
        if caught:
            first = caught[0]
            problems.append(Problem(exercise.name, _("numpy warned: {warning}").format(
                warning=f"{first.category.__name__}: {first.message}")))
        return problems

    def _uint8_hint(self, exercise, fn, case, expected):
        """The uint8-wrap hint when ``fn`` fails on uint8 labels but passes once they are floats."""
        if not any(isinstance(v, np.ndarray) and v.dtype == np.uint8 for v in case.kwargs.values()):
            return None
        got, _, failed = self._run(exercise, fn, copy.deepcopy(_float_labels(case.kwargs)))
        return uint8_wrap() if not failed and not self._compare_result(exercise, expected, got, case.m) else None

    @staticmethod
    def _specific_hint(exercise, case, got):
        """The first exercise-specific hint that recognises this result (a hint that fails is skipped)."""
        for hint in exercise.hints:
            try:
                found = hint(case, got)
            except Exception:
                continue
            if found:
                return found
        return None

    @staticmethod
    def _compare_result(exercise, expected, got, m):
        names = exercise.returns
        if len(names) == 1:
            return compare(expected, got, names[0], m)
        if not isinstance(got, (tuple, list)) or len(got) != len(names):
            what = (_("{n} values").format(n=len(got)) if isinstance(got, (tuple, list))
                    else _("a single {type}").format(type=type(got).__name__))
            return [Problem(exercise.name, _("should return {n} values ({names}), returned {what}").format(
                n=len(names), names=", ".join(names), what=what),
                Hint("wrong_number_of_values", _("end with: return {names}").format(names=", ".join(names))))]
        problems = []
        for name, e, g in zip(names, expected, got):
            problems += compare(e, g, name, m)
        return problems

    def _learner_function(self, fn, name):
        if self.functions is not None:
            return self.functions(name)
        return getattr(fn, "__globals__", {}).get(name)

    def _failing_dependencies(self, exercise, fn):
        names = []
        for dep in exercise.uses:
            dep_fn = self._learner_function(fn, dep)
            if callable(dep_fn) and any(self.problems(self.exercises[dep], dep_fn, c) for c in self.exercises[dep].cases(0)):
                names.append(dep)
        return names

    def __call__(self, name: str, fn: Callable, seed: int | None = None) -> None:
        """Check the learner's ``fn`` against exercise ``name``; print a ✅ line or raise ``CheckFailure``."""
        __tracebackhide__ = True
        if name not in self.exercises:
            raise KeyError(_("no exercise called {name}; this notebook's exercises: {names}").format(
                name=repr(name), names=", ".join(self.exercises)))
        exercise = self.exercises[name]
        if not callable(fn):
            raise CheckFailure("❌ " + _("{name}: expected a function, got {type} — did you run the cell that defines "
                                        "it?").format(name=name, type=type(fn).__name__))
        cases = exercise.cases(0 if seed is None else seed)
        for i, case in enumerate(cases, 1):
            problems = self.problems(exercise, fn, case)
            if problems:
                lines = ["❌ " + _("{name} is not right yet — test case {i} of {n} ({label}):").format(
                    name=name, i=i, n=len(cases), label=case.label)]
                lines += [f"  {p}" for p in problems[:MAX_PROBLEMS]]
                for dep in self._failing_dependencies(exercise, fn):
                    lines.append("  " + _("note: {name} calls your {dep}, which does not pass its own check yet: fix "
                                          "{dep} first").format(name=name, dep=dep))
                raise CheckFailure("\n".join(lines), problems[:MAX_PROBLEMS])
        passes = _("{name} passes its {n} test cases") if seed is None else _("{name} passes another {n} test cases")
        print("✅ " + passes.format(name=name, n=len(cases)))
