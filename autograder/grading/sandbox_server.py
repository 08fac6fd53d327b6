"""The inside of the grading sandbox: a pre-loaded zygote that forks one limited child per notebook.

``python -m autograder.grading.sandbox_server FD`` is started by ``autograder.grading.sandbox`` (inside bubblewrap where
available). It imports numpy, matplotlib (Agg), IPython and the course's exercise modules once, says
``ready`` on the control socket FD (a SOCK_SEQPACKET), then serves two requests:

- ``spawn`` (with a stream socket passed along): fork a child that starts its own session, dies with the
  zygote, works in a fresh scratch folder, sets its rlimits (address space, CPU seconds, file size,
  processes), drops to user ``nobody`` when it is root, and then serves the trusted side on that socket;
- ``kill`` (a child's pid): kill the child's process group and every process left behind by the
  learner (as ``nobody``, ``kill(-1)``), remove its scratch folder, and say how the child ended.

A child executes cells in an IPython shell (so magics and input transformers behave as in a kernel) and
answers ``cell``, ``names``, ``call`` and ``test`` requests with plain data only (``autograder.grading.wire``).
Everything the learner prints is captured, capped at ``OUTPUT_LIMIT`` characters per request. Nothing in
here is trusted by the grader: the child runs the learner's code, which may rewrite any of it.
"""

import contextlib
import ctypes
import importlib
import json
import os
import pkgutil
import resource
import shutil
import signal
import socket
import sys
import tempfile
import warnings

from autograder.grading import seal, wire

OUTPUT_LIMIT = 20_000
NOBODY = 65534
PR_SET_PDEATHSIG = 1


def _preload():
    """Import everything a notebook's setup cell needs, once, before any fork."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot
    import numpy  # noqa: F401
    from IPython.core.interactiveshell import InteractiveShell

    import autograder.learner
    import nncore
    for package in (nncore, autograder.learner):  # every module now: once sealed, their files cannot be read
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(info.name)

    class GradingShell(InteractiveShell):
        """A kernel-less IPython shell: ``%matplotlib inline`` is accepted and draws nothing."""

        def enable_gui(self, gui=None):
            pass

        @contextlib.contextmanager
        def _tee(self, channel):
            """IPython ≥ 9 copies every write into its history (unbounded, and slow per write): not here."""
            yield

    from traitlets.config import Config
    config = Config()
    config.HistoryManager.enabled = False  # no history database: children must not share one
    return GradingShell.instance(config=config, colors="NoColor")


def learner_function(name):
    """The learner's own function ``name``: what a trusted ``RemoteFunction`` unpickles to in the sandbox,
    when a grader's object that holds one (a cost built on the learner's forward pass) is sent here."""
    from IPython.core.interactiveshell import InteractiveShell
    return InteractiveShell.instance().user_ns[name]


class CappedOutput:
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit=OUTPUT_LIMIT):
        self.limit, self.parts, self.size, self.dropped = limit, [], 0, 0

    def write(self, text):
        text = str(text)
        if self.size >= self.limit:
            self.dropped += len(text)
            return len(text)
        keep = text[:max(0, self.limit - self.size)]
        self.parts.append(keep)
        self.size += len(keep)
        self.dropped += len(text) - len(keep)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def text(self):
        tail = f"\n… {self.dropped} more characters of output were cut" if self.dropped else ""
        return "".join(self.parts) + tail


def _error(exc, memory_gib):
    """A plain description of an exception: type, args when they are plain, message, learner's line."""
    from autograder.learner.calls import learner_line
    if isinstance(exc, MemoryError):
        return {"type": "MemoryError", "args": [f"used more than {memory_gib:g} GiB of memory"],
                "message": f"used more than {memory_gib:g} GiB of memory", "line": ""}
    if isinstance(exc, SyntaxError):
        line = f"\n    line {exc.lineno}: {(exc.text or '').strip()}"
        args = [str(exc.msg)]
    else:
        line = learner_line(exc)
        args = list(exc.args) if all(type(a) in (str, int, float) for a in exc.args) else [str(exc)]
    return {"type": type(exc).__name__, "args": [a[:2000] if isinstance(a, str) else a for a in args],
            "message": str(exc)[:2000], "line": line[:2000]}


class StandIn:
    """In place of one of the learner's graded functions while another is judged: each call asks the trusted
    side, which computes the course's reference on the plain arguments (only the names it allowed)."""

    def __init__(self, sock, name):
        self.sock, self.__name__ = sock, name

    def __call__(self, *args, **kwargs):
        doc, blobs = wire.encode([list(args), kwargs])   # learners call their functions by keyword too
        wire.send(self.sock, {"op": "reference", "name": self.__name__, "args": doc}, blobs)
        reply, reply_blobs = wire.recv(self.sock)
        if not reply.get("ok"):
            raise ValueError(str(reply.get("message", "")))
        return wire.decode(reply["value"], reply_blobs, allow_pickled=True)


class Child:
    """Serves one notebook: runs its cells and calls its functions for the trusted side."""

    def __init__(self, shell, sock, memory_gib):
        self.shell, self.sock, self.memory_gib = shell, sock, memory_gib

    def _capture(self, action):
        """Run ``action()`` with stdout/stderr captured; returns (value, error or None, output text)."""
        out = CappedOutput()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = out
        try:
            return action(), None, out.text()
        except BaseException as exc:
            return None, _error(exc, self.memory_gib), out.text()
        finally:
            sys.stdout, sys.stderr = saved

    def _run_cell(self, source):
        result = self.shell.run_cell(source, store_history=True)
        exc = result.error_before_exec or result.error_in_exec
        if exc is not None:
            raise exc
        return None

    def cell(self, msg, blobs):
        _, error, output = self._capture(lambda: self._run_cell(msg["source"]))
        wire.send(self.sock, {"ok": error is None, "error": error, "output": output, "borrowed": seal.attempts})

    def names(self, msg, blobs):
        ns = self.shell.user_ns
        kinds = {name: ("function" if callable(ns[name]) else type(ns[name]).__name__) if name in ns else "missing"
                 for name in msg["names"]}
        wire.send(self.sock, {"kinds": kinds})

    def call(self, msg, blobs):
        """Call the learner's function; the trusted side's references stand in for ``stand_ins`` meanwhile."""
        args = wire.decode(msg["args"], blobs, allow_pickled=True)
        ns = self.shell.user_ns
        fn = ns.get(msg["name"])
        own = {name: ns.get(name) for name in msg.get("stand_ins", [])}
        ns.update({name: StandIn(self.sock, name) for name in own})
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result, error, output = self._capture(lambda: fn(*args))
        finally:
            ns.update(own)
        warned = [[w.category.__name__, str(w.message)[:500]] for w in caught[:3]]
        reply = {"ok": error is None, "error": error, "output": output, "warnings": warned, "borrowed": seal.attempts}
        doc, out_blobs = wire.encode([result, args] if error is None else None)
        wire.send(self.sock, {**reply, "value": doc}, out_blobs)

    def seal(self, msg, blobs):
        seal.seal(msg["functions"], msg.get("keep", ()))
        wire.send(self.sock, {"ok": True})

    def test(self, msg, blobs):
        _, error, _ = self._capture(lambda: self._run_cell(msg["source"]))
        wire.send(self.sock, {"ok": error is None})

    def serve(self):
        handlers = {"cell": self.cell, "names": self.names, "call": self.call, "test": self.test, "seal": self.seal}
        while True:
            try:
                msg, blobs = wire.recv(self.sock)
            except EOFError:
                os._exit(0)
            handlers[msg["op"]](msg, blobs)


def _limit_and_drop(limits, scratch):
    """Resource limits, then (as root) user nobody with no capabilities; returns the memory limit in GiB."""
    memory = int(limits["memory_gib"] * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"] + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_bytes"], limits["file_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.getuid() == 0:
        os.chown(scratch, NOBODY, NOBODY)
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"], limits["processes"]))
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)


def _child(shell, sock, limits):
    os.setsid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    scratch = limits["scratch"]
    os.chdir(scratch)
    os.environ.update(HOME=scratch, TMPDIR=scratch, NNCOURSE_CHECK_TIMEOUT=str(limits["check_timeout"]))
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _limit_and_drop(limits, scratch)
    Child(shell, sock, limits["memory_gib"]).serve()


def _reap_leftovers():
    """Kill every process the learner left behind (all of user nobody's), as nobody, from a fresh fork."""
    if os.getuid() != 0:
        return
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _how_it_ended(status):
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return {"signal": sig, "name": name}
    return {"exit": os.WEXITSTATUS(status)}


def zygote(control_fd, reap):
    """Pre-load, then fork a limited child per ``spawn`` request until the control socket closes."""
    ctl = socket.socket(fileno=control_fd)
    shell = _preload()
    scratch_root = tempfile.mkdtemp(prefix="nncourse-scratch-")
    os.chmod(scratch_root, 0o755)
    ctl.send(json.dumps({"ready": True, "pid": os.getpid()}).encode())
    children = {}
    while True:
        data, fds, _, _ = socket.recv_fds(ctl, 65536, 1)
        if not data:
            return
        request = json.loads(data)
        if request["op"] == "spawn":
            scratch = tempfile.mkdtemp(dir=scratch_root)
            pid = os.fork()
            if pid == 0:
                ctl.close()
                try:
                    _child(shell, socket.socket(fileno=fds[0]), {**request["limits"], "scratch": scratch})
                finally:
                    os._exit(70)
            os.close(fds[0])
            children[pid] = scratch
            ctl.send(json.dumps({"pid": pid}).encode())
        elif request["op"] == "kill":
            pid = request["pid"]
            for kill in (os.killpg, os.kill):
                with contextlib.suppress(ProcessLookupError):
                    kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            if reap:  # only inside our own PID namespace: elsewhere nobody's processes are not all ours
                _reap_leftovers()
            shutil.rmtree(children.pop(pid), ignore_errors=True)
            ctl.send(json.dumps(_how_it_ended(status)).encode())


if __name__ == "__main__":
    zygote(int(sys.argv[1]), reap="--reap" in sys.argv)
