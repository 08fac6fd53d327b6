"""Sealing a sandbox child before the learner's code runs in it: the course's reference implementations of the
assignment's graded functions are gone from the process, and nothing can bring them back.

``seal(names)`` (run inside the child, after the notebook's setup cells and before its first answer cell):

- replaces the code of every named nncore function, and of every function of the exercise registries (whose
  helpers recompute answers) but the fixtures the tests hand over, by one that raises ``BorrowedReference``.
  The original code objects are dropped, so no reference to them is left to find;
- installs an audit hook (which cannot be removed) that refuses to open nncore's and the checker's source
  and bytecode files (so no ``importlib.reload``, ``exec`` of the source, ``inspect.getsource`` or
  ``marshal``), to start a process (no ``cat`` of those files) and to load native code through ctypes;
  every refusal is recorded in ``attempts`` and reported to the grader;
- empties ``linecache``, which may hold lines of those files.
"""

import builtins
import importlib
import linecache
import os
import sys
import types
from pathlib import Path

from autograder.learner.borrowing import BorrowedReference

attempts: list[str] = []   # what the learner's code tried, in order (read by the sandbox server)
_SOURCE_SUFFIXES = (".py", ".pyc", ".pyi", "__pycache__")
_REFUSED_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                   "os.forkpty", "pty.spawn", "ctypes.dlopen", "ctypes.dlsym", "ctypes.addressof",
                   "ctypes.cdata", "ctypes.string_at", "ctypes.wstring_at")


def _refuse(what):
    attempts.append(what)
    raise BorrowedReference(what)


def _stub_code(name):
    """A function body that raises ``BorrowedReference(name)``, with no free variables and no globals of its own
    (``BorrowedReference`` is found in builtins, where ``seal`` puts it)."""
    namespace = {}
    exec(compile(f"def stub(*args, **kwargs):\n    raise __nncourse_borrowed__({name!r})\n", "<the course's reference>",
                 "exec"), namespace)  # our own two lines
    return namespace["stub"].__code__


def _functions(module):
    """(qualified name, function) for a module's own functions and its own classes' methods."""
    for value in list(vars(module).values()):
        if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            yield f"{module.__name__}.{value.__qualname__}", value
        elif isinstance(value, type) and value.__module__ == module.__name__:
            for member in vars(value).values():
                member = getattr(member, "__func__", getattr(member, "fget", member))
                if isinstance(member, types.FunctionType):
                    yield f"{module.__name__}.{member.__qualname__}", member


def _replace(function, name):
    if not function.__code__.co_freevars:
        function.__code__ = _stub_code(name)


def _hidden_dirs():
    import autograder.learner
    import nncore
    return tuple(str(Path(m.__file__).resolve().parent) for m in (nncore, autograder.learner))


def _audit(hidden):
    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.fsdecode(args[0])
            if os.path.abspath(path).startswith(hidden) and path.endswith(_SOURCE_SUFFIXES):
                _refuse(f"reading {os.path.basename(path)}")
        elif event.startswith(_REFUSED_EVENTS):
            _refuse(f"{event} while graded")
    return hook


def seal(names, keep=()):
    """Remove the named nncore functions and every exercise-registry function but ``keep`` (the fixtures the
    tests hand to the learner's functions) from this process, and refuse access to their files from now on.
    Names are qualified, such as ``nncore.logistic.propagate``."""
    builtins.__nncourse_borrowed__ = BorrowedReference
    wanted, kept = set(names), set(keep)
    for module_name in [m for m in sys.modules if m.startswith(("nncore", "autograder.learner.exercises"))]:
        module = sys.modules[module_name]
        registry = module_name.startswith("autograder.learner.exercises")
        for name, function in _functions(module):
            if (registry and name not in kept) or name in wanted:
                _replace(function, name)
    linecache.clearcache()
    importlib.invalidate_caches()
    sys.addaudithook(_audit(_hidden_dirs()))
