"""The trusted side of the grading sandbox: start it, run a notebook's cells in it, call its functions.

``Zygote`` starts ``autograder.grading.sandbox_server`` once per grading worker — inside bubblewrap when it works
here (``isolation()`` says what is guaranteed and why anything is not) — and ``Session`` asks it for one
forked child per notebook. A session runs the cells in order; when a cell hangs or kills the child, the
session starts a new child, replays the cells before it and goes on without that cell, so the other
exercises are still graded. ``Session.call`` calls one of the learner's functions with plain data
(``autograder.grading.wire``): the learner's exception becomes ``LearnerError``, a hang or crash
``CallTimeout`` or ``ProcessDied`` for that one call (``autograder.grading.remote`` wraps it as a function).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import autograder
import nncore
from autograder.grading import wire
from autograder.learner.calls import CallTimeout, LearnerError
from nncore.data import data_dir


@dataclass(frozen=True)
class Limits:
    """What one notebook may use: seconds per cell or call, seconds in all, memory, disk, processes."""
    timeout: float = 20.0
    budget: float = 600.0
    memory_gib: float = 2.0
    file_bytes: int = 64 * 2**20
    processes: int = 64

    def for_child(self):
        return {"memory_gib": self.memory_gib, "cpu_seconds": int(self.budget) + 1, "file_bytes": self.file_bytes,
                "processes": self.processes, "check_timeout": self.timeout}


class ProcessDied(Exception):
    """The sandboxed process stopped (or had to be stopped) while running the learner's code."""


class BudgetExhausted(BaseException):
    """The notebook used up its whole grading time; nothing more is run for it."""


class SandboxError(RuntimeError):
    """The sandbox itself could not be started: a problem of the grader, not of a submission."""


# ---------------------------------------------------------------------------------------------------
# Isolation: bubblewrap where it works, plain processes (with rlimits and user nobody) elsewhere

_SANDBOX_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
                "MPLCONFIGDIR": "/tmp", "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1",
                "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _bwrap_command(bwrap):
    """bwrap arguments showing the sandbox only the system, Python and this package (read-only)."""
    args = [bwrap, "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
            "--new-session", "--proc", "/proc", "--dev", "/dev", "--size", str(256 * 2**20), "--tmpfs", "/tmp",
            "--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for etc in ("/etc/ld.so.cache", "/etc/fonts", "/etc/localtime"):
        if os.path.exists(etc):
            args += ["--ro-bind", etc, etc]
    needed = {sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable)),
              os.path.dirname(autograder.__file__), os.path.dirname(nncore.__file__), str(data_dir())}
    binds = sorted({os.path.realpath(p) for p in needed if not os.path.realpath(p).startswith("/usr/")})
    parents = sorted({str(a) for p in binds for a in Path(p).parents if str(a) != "/"} - set(binds))
    for parent in parents:  # bwrap would create these 0700, unreadable once the child is nobody
        args += ["--dir", parent]
    for path in binds:
        args += ["--ro-bind", path, path]
    return args + ["--chdir", "/tmp"]


@dataclass(frozen=True)
class Isolation:
    """How sandboxes are started on this machine and what that guarantees (``notes`` says what degrades)."""
    prefix: tuple
    notes: tuple
    own_pid_namespace: bool

    def describe(self):
        how = "bubblewrap (no network, private /tmp, only the system, Python and nncore/autograder visible)" \
            if self.prefix else "plain processes"
        return "sandbox: " + how + "".join(f"\n  degraded: {n}" for n in self.notes)


def isolation():
    """Probe once: bubblewrap with a network and PID namespace if it runs here, else plain processes."""
    notes = []
    bwrap = shutil.which("bwrap")
    if bwrap:
        command = _bwrap_command(bwrap)
        probe = subprocess.run(command + [sys.executable, "-c", "pass"], capture_output=True, text=True,
                               env=_SANDBOX_ENV, check=False)
        if probe.returncode == 0:
            if os.getuid() != 0:
                notes.append("not run as root: learner code keeps the grader's user id inside the sandbox")
            return Isolation(tuple(command), tuple(notes), True)
        notes.append(f"bubblewrap does not work here ({probe.stderr.strip()[:200]})")
    else:
        notes.append("bubblewrap (bwrap) is not installed")
    notes.append("no network namespace: learner code can use the network")
    notes.append("no private file system: learner code can read every file its user can read, "
                 "including the course sources and gradebook when they are readable by that user")
    if os.getuid() == 0:
        notes[-1] += " (it runs as user nobody)"
    return Isolation((), tuple(notes), False)


# ---------------------------------------------------------------------------------------------------
# The zygote: one pre-loaded sandbox server per grading worker


class Zygote:
    """A running ``sandbox_server``; ``spawn()`` forks a child for one notebook, ``kill(pid)`` ends it."""

    def __init__(self, limits, how):
        self.limits, self.how = limits, how
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.ctl = ours
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 — open for the sandbox's lifetime, closed in close()
        command = list(how.prefix) + [sys.executable, "-m", "autograder.grading.sandbox_server", str(theirs.fileno())]
        if how.own_pid_namespace:
            command.append("--reap")
        self.proc = subprocess.Popen(command, pass_fds=[theirs.fileno()], env=_SANDBOX_ENV,
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                     cwd="/" if how.prefix else tempfile.gettempdir())
        theirs.close()
        self._answer(timeout=120)

    def _answer(self, timeout=30):
        self.ctl.settimeout(timeout)
        try:
            data = self.ctl.recv(65536)
        except OSError as exc:
            data, error = b"", exc
        else:
            error = None
        if not data:
            self.log.seek(0)
            raise SandboxError(f"the sandbox server stopped ({error or 'no answer'}):\n"
                               f"{self.log.read().decode(errors='replace')[-2000:]}")
        return json.loads(data)

    def alive(self):
        return self.proc.poll() is None

    def spawn(self):
        """(socket, pid) of a fresh child with this zygote's limits."""
        ours, theirs = wire.socketpair()
        socket.send_fds(self.ctl, [json.dumps({"op": "spawn", "limits": self.limits.for_child()}).encode()],
                        [theirs.fileno()])
        theirs.close()
        return ours, self._answer()["pid"]

    def kill(self, pid):
        """Kill a child and whatever it left running; how it ended, in words."""
        socket.send_fds(self.ctl, [json.dumps({"op": "kill", "pid": pid}).encode()], [])
        ended = self._answer()
        if "signal" in ended:
            return f"killed by {ended['name']}" + (" (the CPU-time limit)" if ended["name"] == "SIGXCPU" else "")
        return f"exit code {ended['exit']}"

    def close(self):
        self.ctl.close()
        self.proc.kill()
        self.proc.wait()
        self.log.close()


# ---------------------------------------------------------------------------------------------------
# A session: one notebook in one (restartable) child


def _references(stand_ins):
    """The trusted side's answer to a stand-in's call from the sandbox: the reference on the plain arguments,
    for the names allowed in this call only."""
    def answer(request, blobs):
        name = request.get("name")
        if name not in stand_ins:
            return {"ok": False, "message": f"{name!r} is not standing in here"}, []
        try:
            args, kwargs = wire.decode(request.get("args"), blobs)
            doc, out = wire.encode(stand_ins[name](*args, **kwargs), trusted=True)
        except Exception as exc:  # the learner's arguments may be anything
            return {"ok": False, "message": f"{name}: {type(exc).__name__}: {exc}"[:500]}, []
        return {"ok": True, "value": doc}, out
    return answer


@dataclass
class CellResult:
    """How one cell ran: status is ok, error, timeout or crash; ``error`` is the sandbox's description."""
    status: str
    output: str = ""
    error: dict | None = None
    ended: str = ""
    borrowed: tuple = ()   # what the cell tried against the seal (reading the reference's files, …)


class Session:
    """One notebook's cells in a sandbox child; restarts the child without a cell that hangs or kills it."""

    def __init__(self, zygote, cells, limits, seal=None):
        """``cells`` are (grade id, source) pairs, run in that order. ``seal`` = (index, (remove, keep)): before
        cell ``index`` the child removes the reference functions ``remove`` and every exercise-registry function
        but ``keep`` (``autograder.grading.seal``)."""
        self.zygote, self.limits, self.seal = zygote, limits, seal
        self.grade_ids, self.cells = [gid for gid, _ in cells], [source for _, source in cells]
        self.deadline = time.monotonic() + limits.budget
        self.results = [None] * len(self.cells)
        self.sock = self.pid = None
        self.incidents = []  # (kind, text) for every timeout, crash or memory error, in order

    # -- the child ------------------------------------------------------------------------------------
    def _kill(self):
        ended = self.zygote.kill(self.pid) if self.pid else ""
        if self.sock:
            self.sock.close()
        self.sock = self.pid = None
        return ended

    def _request(self, message, blobs=(), timeout=None, answer=None):
        """Send a request and return (reply, blobs); on a hang or crash kill the child and raise. While the
        child asks back (``{"op": "reference"}``: a stand-in's call), ``answer(request, blobs)`` replies."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise BudgetExhausted
        limit = min(timeout or self.limits.timeout, left)
        until = time.monotonic() + limit
        try:
            wire.send(self.sock, message, blobs)
            while True:
                self.sock.settimeout(max(until - time.monotonic(), 1e-3))
                reply, reply_blobs = wire.recv(self.sock)
                if not (answer and reply.get("op") == "reference"):
                    return reply, reply_blobs
                wire.send(self.sock, *answer(reply, reply_blobs))
        except TimeoutError:
            self._kill()
            if limit < (timeout or self.limits.timeout):
                raise BudgetExhausted from None
            self.incidents.append(("timeout", f"did not finish within {limit:g} s"))
            raise CallTimeout from None
        except (EOFError, OSError, wire.WireError) as exc:
            ended = self._kill()
            what = (f"sent malformed data ({exc})" if isinstance(exc, wire.WireError) else f"stopped: {ended}"
                    + (" — os._exit() or sys.exit() in your code?" if ended.startswith("exit") else ""))
            self.incidents.append(("crash", what))
            raise ProcessDied(f"the Python process running your code {what}") from None

    def _ensure_child(self):
        """A live child with every cell so far replayed (except those that hung or crashed it)."""
        if self.sock is not None:
            return
        self.sock, self.pid = self.zygote.spawn()
        for i, result in enumerate(self.results):
            if result is not None:
                self._seal_before(i)
                if result.status not in ("timeout", "crash"):
                    self._cell(i)

    def _seal_before(self, i):
        """Seal the child before cell ``i`` when that is where the learner's code begins."""
        if self.seal and i == self.seal[0]:
            remove, keep = self.seal[1]
            self._request({"op": "seal", "functions": list(remove), "keep": list(keep)})

    def _cell(self, i):
        try:
            reply, _ = self._request({"op": "cell", "source": self.cells[i]})
        except CallTimeout:
            return CellResult("timeout", error={"type": "Timeout",
                                                "message": f"did not finish within {self.limits.timeout:g} s"})
        except ProcessDied as exc:
            return CellResult("crash", error={"type": "ProcessDied", "message": str(exc)})
        error = reply.get("error")
        if error and error.get("type") == "MemoryError":
            self.incidents.append(("memory", error["message"]))
        before = len(self.incidents)
        self._note_borrowing(reply)
        borrowed = tuple(text for _, text in self.incidents[before:])
        return CellResult("ok" if reply.get("ok") else "error", str(reply.get("output", "")), error, borrowed=borrowed)

    def run(self):
        """Run every cell once, in order; returns a ``CellResult`` per cell."""
        for i in range(len(self.cells)):
            self._ensure_child()
            self._seal_before(i)
            self.results[i] = self._cell(i)
        return self.results

    # -- requests -------------------------------------------------------------------------------------
    def kinds(self, names):
        """{name: "function" | "missing" | type name} in the notebook's namespace."""
        self._ensure_child()
        try:
            reply, _ = self._request({"op": "names", "names": list(names)})
        except (CallTimeout, ProcessDied):
            return dict.fromkeys(names, "missing")
        kinds = reply.get("kinds", {})
        return {name: str(kinds.get(name, "missing")) for name in names}

    def call(self, name, args, stand_ins=None):
        """(result, arguments after the call, [(warning class name, text)]) of ``name(*args)`` in the sandbox.

        ``stand_ins`` ({name: reference}): while the call runs, the learner's functions of those names are
        replaced in the sandbox by proxies whose calls are computed here by the references, on plain data.
        """
        self._ensure_child()
        doc, blobs = wire.encode(list(args), trusted=True)
        message = {"op": "call", "name": name, "args": doc, "stand_ins": list(stand_ins or {})}
        reply, reply_blobs = self._request(message, blobs, answer=_references(stand_ins or {}))
        self._note_borrowing(reply)
        if not reply.get("ok"):
            error = reply.get("error") or {}
            if error.get("type") == "MemoryError":
                self.incidents.append(("memory", error.get("message", "")))
            raise LearnerError(str(error.get("type", "Exception"))[:80], str(error.get("message", "")),
                               str(error.get("line", "")))
        try:
            result, after = wire.decode(reply["value"], reply_blobs)
        except (wire.WireError, KeyError, TypeError, ValueError) as exc:
            self.incidents.append(("crash", f"sent malformed data ({exc})"))
            raise ProcessDied(f"the Python process running your code sent malformed data ({exc})") from None
        return result, after, [w for w in reply.get("warnings", []) if isinstance(w, list) and len(w) == 2]

    def _note_borrowing(self, reply):
        """Record what the child reports the learner's code tried against the seal (informative only)."""
        tried = reply.get("borrowed")
        if isinstance(tried, list):
            self.incidents += [("borrowed", str(t)[:200]) for t in tried[:10]
                               if ("borrowed", str(t)[:200]) not in self.incidents]

    def in_kernel(self, source):
        """Whether a test cell passes when run inside the notebook's own namespace (as nbgrader does)."""
        self._ensure_child()
        try:
            reply, _ = self._request({"op": "test", "source": source}, timeout=3 * self.limits.timeout)
        except (CallTimeout, ProcessDied):
            return False
        return reply.get("ok") is True

    def close(self):
        if self.pid:
            self._kill()
