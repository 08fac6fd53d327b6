"""The reference is not an answer key: which of nncore's implementations an assignment grades, how a learner's
call into them is caught, and how a copy of one is recognised.

- ``graded_code(exercises, provided)``: the code objects of ``nncore`` that compute the assignment's expected
  values (found by tracing each reference on its cases), minus what the notebook hands the
  learner (``provided``: the functions its setup cell imports, and everything they call).
- ``guard(graded)``: while the learner's function runs in a notebook, a call into graded code raises
  ``BorrowedReference`` naming it. Best effort — a notebook is the learner's own process; the grading sandbox
  removes those implementations from its process altogether (``autograder.grading.sandbox_server``).
- ``code_shape(code)``: the normal form of compiled code — its bytecode without names, literals, comments,
  line numbers or formatting — and ``instructions(code)``, its length. ``same_code(a, b)``: whether two functions
  have the same normal form and are long enough that honest answers do not coincide. The class report's
  similar answers (``autograder.grading.similarity``) use the same normal form.
"""

import contextlib
import dis
import functools
import sys
import types
from collections.abc import Callable, Iterable
from pathlib import Path

import nncore

NNCORE_DIR = str(Path(nncore.__file__).resolve().parent)
REGISTRY_DIR = str(Path(__file__).resolve().parent / "exercises")
# Shorter functions than this (in bytecode instructions) are written the same way by many honest learners: a
# one-line sigmoid is 12, the course's shortest solutions 5 to 25. None of the course's own solutions is the
# code of its reference at any size (tests/test_borrowing.py).
MIN_COPY_INSTRUCTIONS = 30
_CACHE = dis.opmap["CACHE"]


class BorrowedReference(PermissionError):
    """The learner's code reached the reference implementation of a graded function (its name is the message)."""


def _is_nncore(code: types.CodeType) -> bool:
    return _in(code.co_filename, NNCORE_DIR)


def _is_course(code: types.CodeType) -> bool:
    """nncore's code or the exercise registries' (whose fixtures may call their own helpers)."""
    return _in(code.co_filename, NNCORE_DIR) or _in(code.co_filename, REGISTRY_DIR)


@functools.lru_cache(maxsize=4096)
def _in(filename: str, folder: str) -> bool:
    return str(Path(filename).resolve()).startswith(folder)


def traced_code(call: Callable[[], object]) -> set[types.CodeType]:
    """The nncore code objects that run while ``call()`` runs (Python frames only)."""
    seen = set()

    def tracer(frame, event, arg):  # Python calls only, and no line events
        if event == "call" and _is_nncore(frame.f_code):
            seen.add(frame.f_code)

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(previous)
    return seen


def _functions_in(value, depth=2):
    """The Python functions ``value`` is or holds: a function, a bound method or partial's function, a callable
    object's ``__call__``, or the functions inside a dict, list or tuple of them (two levels deep: a table of
    (forward, backward) pairs)."""
    value = getattr(value, "func", getattr(value, "__func__", value))
    if callable(value) and not isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType)):
        value = type(value).__call__
    if isinstance(value, types.FunctionType):
        return [value]
    if depth and isinstance(value, dict):
        value = list(value.values())
    if depth and isinstance(value, (list, tuple)):
        return [f for v in value for f in _functions_in(v, depth - 1)]
    return []


def _callees(function, seen):
    """Every nncore function ``function`` may call: names its code (and nested code) uses, looked up in its
    module — functions, tables of functions, and attributes of nncore modules it names. An over-approximation,
    which only ever allows more."""
    codes = [function.__code__]
    for code in codes:
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    names = {n for code in codes for n in code.co_names}
    found = []
    for name in names:
        value = function.__globals__.get(name)
        if isinstance(value, types.ModuleType) and value.__name__.startswith("nncore"):
            found += [f for n in names for f in _functions_in(getattr(value, n, None))]
        else:
            found += _functions_in(value)
    return codes, [f for f in found if _is_course(f.__code__) and f.__code__ not in seen]


def reachable_code(functions: Iterable[Callable]) -> set[types.CodeType]:
    """The code of ``functions`` (or classes: their methods) and of every nncore function they may call."""
    seen, todo = set(), [f for v in functions for f in _functions_in(vars(v) if isinstance(v, type) else v)]
    while todo:
        function = todo.pop()
        if function.__code__ in seen:
            continue
        codes, callees = _callees(function, seen)
        seen.update(codes)
        todo += callees
    return seen


def handed_code(exercises: dict) -> set[types.CodeType]:
    """The code the cases hand the learner's functions (a cost function to differentiate, a function whose graph
    is built) and all the course code it calls: the test's, not an answer."""
    handed = [f for e in exercises.values() for case in e.cases(0)
              for v in case.kwargs.values() for f in _functions_in(v)]
    return reachable_code(handed)


def graded_code(exercises: dict, provided: Iterable[Callable] = ()) -> frozenset[types.CodeType]:
    """The nncore code that computes ``exercises``' expected values, minus what the notebook provides and what
    the cases hand the learner's functions."""
    run = set()
    for exercise in exercises.values():
        for case in exercise.cases(0):
            with contextlib.suppress(Exception):
                run |= traced_code(lambda e=exercise, c=case: e.expected(c))
    return frozenset(run - reachable_code(provided) - handed_code(exercises))


def qualified_name(code: types.CodeType) -> str:
    """``nncore.logistic.propagate`` for a code object of nncore (or of a registry)."""
    relative = Path(code.co_filename).resolve().relative_to(Path(NNCORE_DIR).parent).with_suffix("")
    module = ".".join(relative.parts).removesuffix(".__init__")
    return f"{module}.{code.co_qualname}"


@contextlib.contextmanager
def guard(graded: frozenset[types.CodeType]):
    """While the block runs, entering any of ``graded`` raises ``BorrowedReference``; ``allowed()`` lifts it."""
    state = {"allowed": 0}
    if not graded:
        yield state
        return

    def tracer(frame, event, arg):
        if event == "call" and frame.f_code in graded and not state["allowed"]:
            raise BorrowedReference(qualified_name(frame.f_code))

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        yield state
    finally:
        sys.settrace(previous)


def instructions(code: types.CodeType) -> int:
    """The number of bytecode instructions of ``code`` and its nested code, as ``dis`` lists them (inline caches
    not counted): one two-byte code unit each, counted without disassembling."""
    nested = sum(instructions(c) for c in code.co_consts if isinstance(c, types.CodeType))
    return len(code.co_code) // 2 - code.co_code[::2].count(_CACHE) + nested


def code_shape(code: types.CodeType) -> tuple:
    """A code object's bytecode and that of its nested code, without names, constants or line numbers: two pieces
    of code have the same shape when they differ only in names, literals, comments and formatting."""
    nested = tuple(code_shape(c) for c in code.co_consts if isinstance(c, types.CodeType))
    return code.co_code, code.co_argcount, nested


def same_code(a: types.CodeType, b: types.CodeType, minimum: int = MIN_COPY_INSTRUCTIONS) -> bool:
    """Whether ``a`` and ``b`` are the same code up to names, literals, comments and formatting, and at least
    ``minimum`` instructions long."""
    return instructions(a) >= minimum and code_shape(a) == code_shape(b)


def function_code(source: str, name: str) -> types.CodeType | None:
    """The code object of function ``name`` defined at the top level of ``source`` (compiled, never run)."""
    try:
        module = compile(source, "<answer>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return next((c for c in module.co_consts if isinstance(c, types.CodeType) and c.co_name == name), None)
