"""The learner's functions as the trusted grader sees them: proxies into the sandbox.

``LearnerFunctions(session)`` finds the learner's functions by name, in the sandbox, on first use; each is a
``RemoteFunction``: arguments go in and results come back as plain data (``autograder.grading.wire``), the
arguments' post-call state is written back into the caller's objects (so the checker sees in-place
mutation), warnings are re-issued here, and an exception of the learner's arrives as ``LearnerError``
(raised by the session).
``remote_call`` is the checker's ``call`` for them: the session enforces the time limit itself.
"""

import builtins
import warnings

import numpy as np

from autograder.grading.sandbox import ProcessDied
from autograder.learner.calls import LearnerError

def _write_back(sent, after):
    """Make ``sent`` look like the sandbox's object after the call (in-place changes become visible)."""
    if isinstance(sent, np.ndarray) and isinstance(after, np.ndarray) and sent.shape == after.shape:
        np.copyto(sent, after, casting="unsafe")
    elif isinstance(sent, dict) and isinstance(after, dict):
        sent.clear()
        sent.update(after)
    elif isinstance(sent, list) and isinstance(after, list):
        sent[:] = after


def _warning_class(name):
    cls = getattr(builtins, name, None)
    return cls if isinstance(cls, type) and issubclass(cls, Warning) else UserWarning


class RemoteFunction:
    """Calls the learner's function ``name`` in the sandbox with plain data, as if it were local."""

    def __init__(self, session, name):
        self.session, self.__name__ = session, name

    def __call__(self, *args):
        return self.call(args)

    def call(self, args, stand_ins=None):
        """``self(*args)``, with the references standing in for the learner's functions named in ``stand_ins``."""
        try:
            result, after, warned = self.session.call(self.__name__, args, stand_ins)
        except ProcessDied as exc:  # the learner's code ended the process: a report like any error of theirs
            raise LearnerError("ProcessDied", str(exc)) from None
        if isinstance(after, list) and len(after) == len(args):
            for sent, back in zip(args, after):
                _write_back(sent, back)
        for category, text in warned:
            warnings.warn(str(text), _warning_class(str(category)), stacklevel=2)
        return result

    def __repr__(self):
        return f"<your function {self.__name__}>"

    def __reduce__(self):
        """Sent to the sandbox inside a grader's object, a proxy becomes the learner's function again."""
        from autograder.grading.sandbox_server import learner_function
        return learner_function, (self.__name__,)


class LearnerFunctions:
    """The learner's functions in one session, by name: a ``RemoteFunction`` each, or None when the notebook
    defines no function of that name."""

    def __init__(self, session):
        self.session, self.found = session, {}

    def get(self, name):
        if name not in self.found:
            is_function = self.session.kinds([name])[name] == "function"
            self.found[name] = RemoteFunction(self.session, name) if is_function else None
        return self.found[name]


def remote_call(fn, kwargs, timeout, stand_ins=None, graded=frozenset()):
    """The checker's ``call`` for proxies: the session enforces the time limit itself (``CallTimeout``), and the
    sealed sandbox holds no ``graded`` code to guard."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn.call(list(kwargs.values()), stand_ins) if isinstance(fn, RemoteFunction) else fn(*kwargs.values())
    return result, caught
