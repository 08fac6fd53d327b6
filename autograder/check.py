"""The student-facing checker: run the learner's function on the exercise's cases, explain any mismatch.

``Checker(exercises)`` is what a notebook calls as ``check("propagate", propagate)``. It never writes to
stderr (nbgrader zeroes a test cell that does), never swallows the learner's exception (it shows the
learner's own line), stops an endless loop after ``timeout`` seconds (default ``$NNCOURSE_CHECK_TIMEOUT`` or 20), and raises ``CheckFailure`` with a
plain-words report when something is wrong.
"""

import contextlib
import copy
import os
import signal
import sys
import threading
import traceback
import warnings
from pathlib import Path

import numpy as np

from autograder.compare import Hint, Problem, compare, mutations

MAX_PROBLEMS = 3
_PACKAGES = (Path(__file__).parent, Path(__file__).parents[1] / "nncore")
_LIBRARY_DIRS = tuple(str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, *_PACKAGES))


class CheckFailure(AssertionError):
    """The learner's function does not (yet) agree with the reference; the message says how."""


class CallTimeout(BaseException):
    """Raised inside the learner's call when it runs past the time limit."""


def _learner_line(exc):
    """'line N: <code>' for the deepest traceback frame in the learner's own code, or ''.

    An exception re-raised from the sandbox carries that line, found there, as ``exc.learner_line``.
    """
    if hasattr(exc, "learner_line"):
        return exc.learner_line
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not str(Path(f.filename).resolve()).startswith(_LIBRARY_DIRS)]
    if not frames:
        return ""
    f = frames[-1]
    return f"\n    in your code, line {f.lineno}" + (f": {f.line.strip()}" if f.line else "")


def _exception_report(exc):
    if isinstance(exc, NotImplementedError):
        return "not implemented yet: replace `raise NotImplementedError()` with your code"
    message = f"your function raised {type(exc).__name__}: {exc}{_learner_line(exc)}"
    if isinstance(exc, ValueError) and ("align" in str(exc) or "matmul" in str(exc)):
        message += "\n    hint: the matrix shapes do not fit a product: check the transposes (X is (n_x, m))"
    elif isinstance(exc, ValueError) and "broadcast" in str(exc):
        message += ("\n    hint: two arrays' shapes do not line up element by element — often a sum that lost its "
                    "axis: keep it with np.sum(..., axis=..., keepdims=True)")
    elif isinstance(exc, (NameError, KeyError)):
        message += "\n    hint: use only your function's arguments, not global variables or keys it was not given"
    return message


def local_call(fn, kwargs, timeout):
    """Call the learner's function with a wall-clock limit (where signals allow); returns (result, warnings)."""
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    def on_alarm(signum, frame):  # noqa: ARG001
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


class Checker:
    """``check(name, fn, seed=None)`` over a dictionary of ``Exercise``s.

    ``call(fn, kwargs, timeout) -> (result, warnings)`` runs the learner's function: by default in this
    process under a SIGALRM limit (``local_call``); the trusted grader passes one that calls into a sandbox
    and raises ``CallTimeout`` itself.
    """

    def __init__(self, exercises, timeout=None, call=local_call):
        self.exercises = exercises
        self.timeout = timeout or float(os.environ.get("NNCOURSE_CHECK_TIMEOUT", 20))
        self.call = call

    def problems(self, exercise, fn, case):
        """Everything wrong with ``fn`` on one case (an empty list when it agrees with the reference)."""
        kwargs = copy.deepcopy(case.kwargs)
        try:
            got, caught = self.call(fn, kwargs, self.timeout)
        except CallTimeout:
            return [Problem(exercise.name, f"did not finish within {self.timeout:g} s",
                            "an endless loop? check that every loop's condition eventually changes")]
        except Exception as exc:  # noqa: BLE001 — any learner error becomes a report
            return [Problem(exercise.name, _exception_report(exc))]
        problems = mutations(case.kwargs, kwargs, list(kwargs))
        problems += self._compare_result(exercise, exercise.expected(case), got, case.m)
        if problems:
            problems[:0] = [Problem(exercise.name, "likely cause", hint) for hint in self._specific_hints(exercise, case, got)]
        if problems and any(isinstance(v, np.ndarray) and v.dtype == np.uint8 for v in kwargs.values()):
            relaxed = copy.deepcopy(_float_labels(case.kwargs))
            try:
                fixed = not self._compare_result(exercise, exercise.expected(case), self.call(fn, relaxed, self.timeout)[0], case.m)
            except (Exception, CallTimeout):  # noqa: BLE001
                fixed = False
            if fixed:
                problems = [Problem(problems[0].where, problems[0].what,
                                    "it works with float labels but not uint8 ones: −Y or 1 − Y on uint8 wraps "
                                    "around (−1 becomes 255); convert first, Y = Y.astype(float)")]
        if problems and caught:
            first = caught[0]
            problems.append(Problem(exercise.name, f"numpy warned: {first.category.__name__}: {first.message}"))
        return problems

    @staticmethod
    def _specific_hints(exercise, case, got):
        """The first exercise-specific hint that recognises this result (a hint that fails is skipped)."""
        for hint in exercise.hints:
            try:
                found = hint(case, got)
            except Exception:  # noqa: BLE001 — a learner's odd result must not break the diagnosis
                continue
            if found:
                return [found.text if isinstance(found, Hint) else found]
        return []

    @staticmethod
    def _compare_result(exercise, expected, got, m):
        names = exercise.returns
        if len(names) == 1:
            return compare(expected, got, names[0], m)
        if not isinstance(got, (tuple, list)) or len(got) != len(names):
            what = f"{len(got)} values" if isinstance(got, (tuple, list)) else f"a single {type(got).__name__}"
            return [Problem(exercise.name, f"should return {len(names)} values ({', '.join(names)}), returned {what}",
                            f"end with: return {', '.join(names)}")]
        problems = []
        for name, e, g in zip(names, expected, got):
            problems += compare(e, g, name, m)
        return problems

    def _failing_dependencies(self, exercise, fn):
        names = []
        for dep in exercise.uses:
            dep_fn = getattr(fn, "__globals__", {}).get(dep)
            if callable(dep_fn) and any(self.problems(self.exercises[dep], dep_fn, c) for c in self.exercises[dep].cases(0)):
                names.append(dep)
        return names

    def __call__(self, name, fn, seed=None):
        """Check the learner's ``fn`` against exercise ``name``; print a ✅ line or raise ``CheckFailure``."""
        __tracebackhide__ = True  # noqa: F841 — IPython hides this frame
        if name not in self.exercises:
            raise KeyError(f"no exercise called {name!r}; this notebook's exercises: {', '.join(self.exercises)}")
        exercise = self.exercises[name]
        if not callable(fn):
            raise CheckFailure(f"❌ {name}: expected a function, got {type(fn).__name__} — did you run the cell that defines it?")
        cases = exercise.cases(0 if seed is None else seed)
        for i, case in enumerate(cases, 1):
            problems = self.problems(exercise, fn, case)
            if problems:
                lines = [f"❌ {name} is not right yet — test case {i} of {len(cases)} ({case.label}):"]
                lines += [f"  {p}" for p in problems[:MAX_PROBLEMS]]
                for dep in self._failing_dependencies(exercise, fn):
                    lines.append(f"  note: {name} calls your {dep}, which does not pass its own check yet: fix {dep} first")
                raise CheckFailure("\n".join(lines))
        print(f"✅ {name} passes {'its' if seed is None else 'another'} {len(cases)} test cases")
