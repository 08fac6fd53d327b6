"""The student-facing checker: run the learner's function on the exercise's cases, explain any mismatch.

``Checker(exercises)`` is what a notebook calls as ``check("propagate", propagate)``. It never writes to
stderr (nbgrader zeroes a test cell that does), never swallows the learner's exception (it shows the
learner's own line), stops an endless loop after ``timeout`` seconds (default ``$NNCOURSE_CHECK_TIMEOUT``
or 20), and raises ``CheckFailure`` with a plain-words report when something is wrong. In a notebook that
report is all the learner sees: no traceback into the checker.

Scores that mean something:
- **the reference is no answer key**: a function that calls the course's implementation of a graded function
  (``autograder.learner.borrowing``), or is a copy of it, fails with a message that says so;
- **each bug is charged once**: an exercise is judged with the reference standing in for the learner's other
  graded functions it calls (``Exercise.uses``); a broken dependency is reported, and charged to its own
  exercise only. ``$NNCOURSE_GRADING=as_written`` (the course option ``c.NNCourse.grading``) judges every
  exercise with the learner's own functions instead.

Two links to the outside world are passed in, never guessed: ``call`` runs the learner's function (in this
process by default, ``autograder.learner.calls.local_call``; in the grading sandbox for the trusted grader)
and ``functions`` finds the learner's other functions by name (in the notebook's namespace by default).
"""

import copy
import os
from collections.abc import Callable, Iterable
from functools import cached_property

import numpy as np

from autograder.learner.borrowing import BorrowedReference, graded_code, same_code
from autograder.learner.calls import CallTimeout, LearnerError, local_call
from autograder.learner.compare import Hint, Problem, compare, mutations, unchanged
from nncore.i18n import _

MAX_PROBLEMS = 3
AS_WRITTEN, EACH_BUG_ONCE = "as_written", "each_bug_once"
_RED, _BOLD, _RESET = "\x1b[31m", "\x1b[1m", "\x1b[0m"


def grading_mode() -> str:
    """How dependencies are judged: ``$NNCOURSE_GRADING`` (``each_bug_once``, the default, or ``as_written``)."""
    mode = os.environ.get("NNCOURSE_GRADING", "") or EACH_BUG_ONCE
    if mode not in (AS_WRITTEN, EACH_BUG_ONCE):
        raise ValueError(f"NNCOURSE_GRADING must be {EACH_BUG_ONCE!r} or {AS_WRITTEN!r}, not {mode!r}")
    return mode


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


def _exception_hint(error):
    """A hint for an exception with a known cause, or None."""
    if error.kind == "ValueError" and ("align" in error.message or "matmul" in error.message):
        return Hint("shapes_do_not_fit_product",
                    _("the matrix shapes do not fit a product: check the transposes (X is (n_x, m))"))
    if error.kind == "ValueError" and "broadcast" in error.message:
        return Hint("shapes_do_not_broadcast", _("two arrays' shapes do not line up element by element — often a "
                                                 "sum that lost its axis: keep it with "
                                                 "np.sum(..., axis=..., keepdims=True)"))
    if error.kind in ("NameError", "UnboundLocalError", "KeyError"):
        return Hint("uses_globals", _("use only your function's arguments, not global variables or keys it was "
                                      "not given"))
    return None


def borrowed(name: str, what: str) -> Problem:
    """The report for an answer that reached the course's reference implementation ``what``."""
    return Problem(name, _("your {name} uses the course's reference implementation ({what})").format(name=name,
                                                                                                   what=what),
                   Hint("borrowed_reference", _("the exercise is to write {name} yourself: nncore's implementations "
                                                "of this assignment's graded functions score nothing").format(
                                                    name=name)))


def copied(name: str, reference: Callable) -> Problem:
    """The report for an answer that is a copy of the reference's code."""
    what = f"{reference.__module__}.{reference.__qualname__}"
    return Problem(name, _("your {name} is the code of the course's reference ({what}) with other names").format(
        name=name, what=what), Hint("copied_reference", _("write {name} in your own words: a copy of the "
                                                          "reference scores nothing").format(name=name)))


def exception_problem(name: str, error: LearnerError) -> Problem:
    """The report for a learner's function that raised, with a hint when the exception has a known cause."""
    if error.kind == BorrowedReference.__name__:
        return borrowed(name, error.message)
    if error.kind == "NotImplementedError":
        return Problem(name, _("not implemented yet: replace `raise NotImplementedError()` with your code"),
                       Hint("not_implemented", _("write your code where the cell says YOUR CODE HERE")))
    return Problem(name, _("your function raised {kind}: {message}").format(kind=error.kind, message=error.message)
                   + error.line, _exception_hint(error))


def _float_labels(kwargs):
    """The same arguments with every uint8 array turned into floats (to test the uint8-wrap diagnosis)."""
    return {k: v.astype(np.float64) if isinstance(v, np.ndarray) and v.dtype == np.uint8 else v
            for k, v in kwargs.items()}


def uint8_wrap():
    return Hint("uint8_wrap", _("it works with float labels but not uint8 ones: −Y or 1 − Y on uint8 wraps around "
                                "(−1 becomes 255); convert first, Y = Y.astype(float)"))


class Checker:
    """``check(name, fn, seed=None)`` over a dictionary of ``Exercise``s.

    ``call(fn, kwargs, timeout, stand_ins, graded) -> (result, warnings)`` runs the learner's function and raises
    ``LearnerError`` or ``CallTimeout`` (default: ``local_call``, in this process). ``functions(name)`` is the
    learner's function of that name or None (default: looked up in the checked function's own namespace, the
    notebook's). ``provided`` are the nncore functions the notebook hands the learner (they stay usable);
    ``sealed`` says that the learner's code runs where the references are already out of reach (the grading
    sandbox), so no guard is needed here. ``grading`` is ``each_bug_once`` or ``as_written`` (default: the
    environment's ``$NNCOURSE_GRADING``, read at each check).
    """

    def __init__(self, exercises: dict, timeout: float | None = None, call: Callable = local_call,
                 functions: Callable[[str], Callable | None] | None = None, provided: Iterable[Callable] = (),
                 sealed: bool = False, grading: str | None = None):
        self.exercises, self.grading = exercises, grading
        self.timeout = timeout or float(os.environ.get("NNCOURSE_CHECK_TIMEOUT", 20))
        self.call, self.functions = call, functions
        self.provided, self.sealed = tuple(provided), sealed

    @cached_property
    def graded(self) -> frozenset:
        """The nncore code the learner's functions may not enter (empty where the sandbox removed it)."""
        return frozenset() if self.sealed else graded_code(self.exercises, self.provided)

    def stand_ins(self, exercise) -> dict:
        """{name: reference} for the learner's other graded functions ``exercise`` calls (each bug once)."""
        if (self.grading or grading_mode()) == AS_WRITTEN:
            return {}
        return {dep: self.exercises[dep].reference for dep in exercise.uses}

    def _run(self, exercise, fn, kwargs):
        """(result, warnings, None) of the learner's call, or (None, [], [Problem]) when it did not return."""
        try:
            return (*self.call(fn, kwargs, self.timeout, self.stand_ins(exercise), self.graded), None)
        except CallTimeout:
            return None, [], [Problem(exercise.name, _("did not finish within {seconds} s").format(
                seconds=f"{self.timeout:g}"), Hint("endless_loop", _("an endless loop? check that every loop's "
                                                                     "condition eventually changes")))]
        except LearnerError as error:
            return None, [], [exception_problem(exercise.name, error)]

    def problems(self, exercise, fn, case) -> list[Problem]:
        """Everything wrong with ``fn`` on one case (an empty list when it agrees with the reference)."""
        expected = exercise.expected(case)
        kwargs = copy.deepcopy(case.kwargs)
        got, caught, failed = self._run(exercise, fn, kwargs)
        if failed:
            return failed
        problems = mutations(case.kwargs, kwargs, list(kwargs))
        problems += self._compare_result(exercise, expected, got, case.m)
        if not problems:
            return []
        specific = (self._uint8_hint(exercise, fn, case, expected) or self._specific_hint(exercise, case, got)
                    or unchanged(case.kwargs, expected, got))
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
            except Exception:  # a learner's odd result must not break the diagnosis
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

    def failing_dependencies(self, exercise, fn) -> list[str]:
        """The learner's functions that ``exercise`` calls and that do not pass their own check (seed 0)."""
        names = []
        for dep in exercise.uses:
            dep_fn = self._learner_function(fn, dep)
            if callable(dep_fn) and any(self.problems(self.exercises[dep], dep_fn, c)
                                        for c in self.exercises[dep].cases(0)):
                names.append(dep)
        return names

    def _failure(self, exercise, fn, cases, i, problems):
        lines = ["❌ " + _("{name} is not right yet — test case {i} of {n} ({label}):").format(
            name=exercise.name, i=i, n=len(cases), label=cases[i - 1].label)]
        lines += [f"  {p}" for p in problems[:MAX_PROBLEMS]]
        for dep in self.failing_dependencies(exercise, fn):
            lines.append("  " + _("note: {name} calls your {dep}, which does not pass its own check yet: fix {dep} "
                                  "as well").format(name=exercise.name, dep=dep))
        return CheckFailure("\n".join(lines), problems[:MAX_PROBLEMS])

    def __call__(self, name: str, fn: Callable, seed: int | None = None) -> None:
        """Check the learner's ``fn`` against exercise ``name``; print a ✅ line or raise ``CheckFailure``."""
        __tracebackhide__ = True  # pytest and IPython hide this frame
        if name not in self.exercises:
            raise KeyError(_("no exercise called {name}; this notebook's exercises: {names}").format(
                name=repr(name), names=", ".join(self.exercises)))
        exercise = self.exercises[name]
        if not callable(fn):
            raise CheckFailure("❌ " + _("{name}: expected a function, got {type} — did you run the cell that defines "
                                        "it?").format(name=name, type=type(fn).__name__))
        if getattr(fn, "__code__", None) is not None and same_code(fn.__code__, exercise.reference.__code__):
            problem = copied(name, exercise.reference)
            raise CheckFailure("❌ " + str(problem), (problem,))
        cases = exercise.cases(0 if seed is None else seed)
        for i, case in enumerate(cases, 1):
            problems = self.problems(exercise, fn, case)
            if problems:
                raise self._failure(exercise, fn, cases, i, problems)
        passes = _("{name} passes its {n} test cases") if seed is None else _("{name} passes another {n} test cases")
        print("✅ " + passes.format(name=name, n=len(cases)))
        self._report_stand_ins(exercise, fn)

    def _report_stand_ins(self, exercise, fn):
        """After a pass judged with stand-ins: say which of the learner's own dependencies still fail."""
        for dep in self.failing_dependencies(exercise, fn) if self.stand_ins(exercise) else []:
            print("   " + _("{name} is right when given a correct {dep} (the course's stood in for yours); your {dep} "
                            "itself does not pass its check yet").format(name=exercise.name, dep=dep))
