"""Grading that does not trust the submission: ``grade_notebook`` for one student.

The answer cells run in a sandbox (``autograder.grading.sandbox``) after the source's own setup cells; then
the *source's* test cells run here, in the trusted process, with ``check`` from the assignment's exercise
registry, every learner function a proxy into the sandbox (``autograder.grading.remote``) so that only plain
arrays and numbers come back, and every name the setup cells import bound here from the real modules. A
test cell scores its points when it runs without an exception, as in nbgrader. For every test that fails
here, the same source test cell is also run inside the sandbox, as nbgrader would run it; if it passes
there, the notebook changed how tests behave (numpy, the checker, IPython's input transformers, …) and
the row says ``tampered`` (that second run happens in a fresh child: see below).

The learner's code cannot reach the course's reference: before the first answer cell the sandbox child is
sealed (``autograder.grading.seal``) — the nncore implementations of this assignment's graded functions
are removed from it, their files made unreadable. An answer that reached for them anyway is ``borrowed``;
an answer whose code is the reference's with other names is ``copied``; both score nothing. Unless the
course grades "as written", an exercise is judged with the reference standing in for the learner's other
graded functions it calls (computed here, on plain data), so each bug is charged once.
"""

import builtins
import contextlib
import functools
import importlib
import io
from dataclasses import dataclass

import numpy as np

from autograder.grading.remote import LearnerFunctions, remote_call
from autograder.grading.results import Graded, empty_rows
from autograder.grading.sandbox import BudgetExhausted, Session
from autograder.grading.submission import defined_functions, read_submission
from autograder.learner.borrowing import (BorrowedReference, function_code, graded_code, handed_code, qualified_name,
                                         same_code)
from autograder.learner.calls import CallTimeout, LearnerError
from autograder.learner.check import Checker, CheckFailure, borrowed, copied, exception_problem
from nncore.i18n import _, in_language

# The status a failed check records when its most specific diagnosis is one of these.
_STATUS_OF = {"borrowed_reference": "borrowed", "copied_reference": "copied"}


@dataclass(frozen=True)
class Verdict:
    """How one test cell went: a status, the message the student reads, and the id of the diagnosis."""
    status: str
    message: str
    diagnosis: str = ""


def _cell_failure(name, cell, limits):
    """The verdict for an answer cell that did not define its function."""
    error = cell.error or {}
    what = _("your answer cell for {name}").format(name=name)
    if cell.status == "timeout":
        return Verdict("timeout", _("{what} did not finish within {seconds} s (an endless loop at the top level?)")
                       .format(what=what, seconds=f"{limits.timeout:g}"))
    if error.get("type") == BorrowedReference.__name__ or cell.borrowed:
        tried = "; ".join(cell.borrowed) or error.get("message", "")
        return Verdict("borrowed", "❌ " + str(borrowed(name, tried)), "borrowed_reference")
    if cell.status == "crash" or error.get("type") == "MemoryError":
        return Verdict("error", _("{what}: {message}").format(what=what, message=error.get("message", "")))
    if error.get("type") == "SyntaxError":
        return Verdict("error", _("{what} has a syntax error: {message}").format(
            what=what, message=(error.get("args") or [""])[0]) + error.get("line", ""))
    return Verdict("error", _("{what} raised {kind}: {message}").format(
        what=what, kind=error.get("type"), message=error.get("message", "")) + error.get("line", ""))


@functools.lru_cache(maxsize=64)
def registry(module):
    """(exercises, provided, the seal) of an exercise registry module: the seal names the reference functions
    to remove from the sandbox, and the registry functions to keep there (the fixtures the cases hand over)."""
    check = importlib.import_module(module).check
    graded = {qualified_name(c) for c in graded_code(check.exercises, check.provided) if "<" not in c.co_qualname}
    handed = {qualified_name(c) for c in handed_code(check.exercises) if "<" not in c.co_qualname}
    return check.exercises, check.provided, (tuple(sorted(graded)), tuple(sorted(handed)))   # nested code goes along


def trusted_imports(statements):
    """The names that the setup cells' import ``statements`` bind, bound here from the real modules: a test cell
    may pass them to the learner's functions, and they must not come from the sandbox, where the learner's
    code could have replaced them."""
    scope = {}
    exec(compile(statements, "<setup cells' imports>", "exec"), scope)
    scope.pop("__builtins__", None)
    return scope


class Grader:
    """Grades one notebook's tests against an open session."""

    def __init__(self, spec, session, sub, limits):
        self.spec, self.session, self.sub, self.limits = spec, session, sub, limits
        self.functions = LearnerFunctions(session)
        self.imports = trusted_imports(spec.imports)
        self.learners_names = {name for code in sub.answers.values() for name in defined_functions(code)}
        exercises, provided, _ = registry(spec.registry)
        self.checker = Checker(exercises, timeout=limits.timeout, call=remote_call, functions=self.functions.get,
                               provided=provided, sealed=True, grading=spec.grading)

    def _scope(self, code):
        """The globals a test cell runs with: the checker, numpy, trusted imports and the learner's proxies."""
        scope = {"__builtins__": builtins, "np": np, "check": self.checker}
        for name in code.co_names:
            if name in scope or hasattr(builtins, name):
                continue
            if name in self.imports and name not in self.learners_names:
                scope[name] = self.imports[name]
            elif self.functions.get(name) is not None:
                scope[name] = self.functions.get(name)
        return scope

    def trusted(self, test):
        """The verdict of the source's test cell run here against the learner's functions."""
        code = compile(test.source, f"<test cell {test.grade_id}>", "exec")
        before = len(self.session.incidents)
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(code, self._scope(code))
        except CheckFailure as exc:
            hint_id = next(iter(exc.hint_ids), "")
            verdict = Verdict(_STATUS_OF.get(hint_id, "failed"), str(exc), hint_id)
        except CallTimeout:
            verdict = Verdict("timeout", _("your function did not finish within {seconds} s").format(
                seconds=f"{self.limits.timeout:g}"))
        except LearnerError as exc:
            problem = exception_problem(self.spec.exercise_of(test), exc)
            verdict = Verdict("failed", str(problem), problem.hint.id if problem.hint else "")
        except NameError as exc:
            verdict = Verdict("failed", _("{error}: the test calls a function your notebook does not define").format(
                error=exc))
        else:
            return Verdict("passed", printed.getvalue().strip())
        incidents = self.session.incidents[before:]
        kinds = {kind for kind, _ in incidents}
        tried = [text for kind, text in incidents if kind == "borrowed"]
        if tried and verdict.status == "failed":
            return Verdict("borrowed", f"{verdict.message}\n{borrowed(self.spec.exercise_of(test), '; '.join(tried))}",
                           "borrowed_reference")
        if "timeout" in kinds:
            return Verdict("timeout", verdict.message, verdict.diagnosis)
        if kinds & {"crash", "memory"}:
            return Verdict("error", verdict.message, verdict.diagnosis)
        return verdict

    def judge(self, test, cells):
        """The verdict for one test cell."""
        name = self.spec.exercise_of(test)
        if name in self.spec.answer_ids and name not in self.sub.answers:
            return Verdict("missing", _("the answer cell for {name} (grade id {grade_id}) is not in your notebook")
                           .format(name=name, grade_id=repr(name)))
        copy = self._copied(name)
        if copy:
            return copy
        called = name in compile(test.source, f"<test cell {test.grade_id}>", "exec").co_names
        if called and name in self.spec.answer_ids and self.functions.get(name) is None:
            cell = cells.get(name)
            if cell is not None and cell.status != "ok":
                return _cell_failure(name, cell, self.limits)
            others = [f for f in defined_functions(self.sub.answers[name]) if f != name]
            instead = _("; your answer cell defines {names} instead").format(names=", ".join(others)) if others else ""
            return Verdict("failed", _("your notebook defines no function named {name}{instead} — the tests call "
                                       "{name}(...), keep that name").format(name=name, instead=instead))
        return self.trusted(test)

    def _copied(self, name):
        """A ``copied`` verdict when the answer cell's function ``name`` is the reference's code renamed."""
        reference = self.checker.exercises.get(name)
        answer = function_code(self.sub.answers.get(name, ""), name)
        if reference is None or answer is None or not same_code(answer, reference.reference.__code__):
            return None
        return Verdict("copied", "❌ " + str(copied(name, reference.reference)), "copied_reference")


def _tampered(message):
    return _("this test passes when run inside your notebook, but your functions fail it when the grader calls "
             "them from outside: something in the notebook changes how tests behave (numpy, the checker, IPython, "
             "…). The grader's check says:") + "\n" + message


def _grade_tests(spec, sub, session, graded, limits):
    """Run the session's cells (``graded.outputs`` keeps what the answer cells printed), then judge every test
    here; fills ``graded.rows``."""
    cells = dict(zip(session.grade_ids, session.run()))
    graded.outputs = {gid: cell.output for gid, cell in cells.items() if gid in sub.answers}
    grader = Grader(spec, session, sub, limits)
    for row, test in zip(graded.rows, spec.tests):
        verdict = grader.judge(test, cells)
        row.status, row.message, row.diagnosis = verdict.status, verdict.message, verdict.diagnosis
        row.points = test.points if verdict.status == "passed" else 0.0


def _look_for_tampering(spec, rows, zygote, program, limits):
    """Run each failed test inside the notebook, as nbgrader would, in a fresh child that is not sealed (the
    score is already decided: this can only turn ``failed`` into ``tampered``)."""
    failed = [(row, test) for row, test in zip(rows, spec.tests) if row.status == "failed"]
    if not failed:
        return
    kernel = Session(zygote, program, limits)
    try:
        kernel.run()
        for row, test in failed:
            if kernel.in_kernel(test.source):
                row.status, row.message = "tampered", _tampered(row.message)
    finally:
        kernel.close()


def grade_notebook(spec, submitted, zygote, limits):
    """Grade one student's ``Submitted`` notebook, in its language; never raises for a bad submission."""
    rows = empty_rows(spec, submitted.student)
    graded = Graded(submitted.student, rows, notebook=submitted.path)
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
    graded.answers, graded.language = dict(sub.answers), sub.language
    with in_language(sub.language):
        _run_and_judge(spec, sub, zygote, limits, graded)
    return graded


def _run_and_judge(spec, sub, zygote, limits, graded):
    """The sealed session for ``sub``, every test judged, then the look for tampering; notes appended."""
    cells = [c for c in spec.cells if c.kind == "setup" or (c.kind == "answer" and c.grade_id in sub.answers)]
    program = [(c.grade_id, c.source if c.kind == "setup" else sub.answers[c.grade_id]) for c in cells]
    first_answer = next((i for i, c in enumerate(cells) if c.kind == "answer"), len(cells))
    session = Session(zygote, program, limits, seal=(first_answer, registry(spec.registry)[2]))
    try:
        _grade_tests(spec, sub, session, graded, limits)
        session.close()
        _look_for_tampering(spec, graded.rows, zygote, program, limits)
    except BudgetExhausted:
        for row in graded.rows:
            if not row.status:
                row.status = "timeout"
                row.message = _("the grading time for this notebook ({seconds} s) ran out").format(
                    seconds=f"{limits.budget:g}")
    finally:
        session.close()
    for row in graded.rows:
        notes = sub.notes_for(row.exercise, row.grade_id)
        if notes:
            row.message = "\n".join([row.message, *(_("note: {text}").format(text=n) for n in notes)]).strip()
