"""Helpers for tests that drive a temporary copy of the course through nbgrader for real."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def env(**extra):
    """The environment for nbgrader commands: this venv's bin/ first (nbgrader runs `alembic` by name)."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "OPENBLAS_NUM_THREADS": "1", **extra}


def run(args, cwd, **extra_env):
    """Run a command, failing the test with its output when it fails."""
    result = subprocess.run(args, cwd=cwd, env=env(**extra_env), capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    return result


def copy_course(target):
    """A fresh copy of course/ (sources and config only) at ``target``."""
    shutil.copytree(REPO / "course", target, ignore=shutil.ignore_patterns(
        "release", "submitted", "autograded", "feedback", "gradebook.db", "*.csv", ".ipynb_checkpoints"))
    return target


def nbgrader_cells(nb):
    """{grade_id: cell} for every cell with nbgrader metadata."""
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def points(source_notebook):
    """{test grade_id: points} from the source notebook's metadata."""
    nb = nbformat.read(source_notebook, as_version=4)
    return {gid: c.metadata["nbgrader"]["points"] for gid, c in nbgrader_cells(nb).items()
            if c.metadata["nbgrader"].get("grade")}


def solution_code(source_notebook):
    """{answer grade_id: source code with the solution markers removed}, i.e. what a perfect student writes."""
    nb = nbformat.read(source_notebook, as_version=4)
    return {gid: "\n".join(line for line in c.source.splitlines() if "### BEGIN SOLUTION" not in line
                           and "### END SOLUTION" not in line)
            for gid, c in nbgrader_cells(nb).items() if c.metadata["nbgrader"].get("solution")}


def submit(course, student, assignment, notebook_name, answers, edit=None):
    """Write ``submitted/<student>/<assignment>/<notebook>``: the release with ``answers`` pasted into
    the answer cells (``{grade_id: code}``); ``edit(nb)`` may change anything else."""
    nb = nbformat.read(Path(course) / "release" / assignment / notebook_name, as_version=4)
    cells = nbgrader_cells(nb)
    for gid, code in answers.items():
        cells[gid].source = code
    if edit:
        edit(nb)
    target = Path(course) / "submitted" / student / assignment / notebook_name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    (target.parent / "timestamp.txt").write_text("2026-11-21 12:00:00.000000 UTC")
    return target


COHORT_ASSIGNMENT, COHORT_NOTEBOOK = "02_logistic_regression", "logistic_regression.ipynb"


def cohort(target, students):
    """A copy of the course at ``target`` with 02 released and ``students`` honest submissions, correct
    and buggy in turn (a missing 1/m, a flipped comparison, an untouched notebook, an in-place update)."""
    course = copy_course(target)
    run(["nbgrader", "generate_assignment", COHORT_ASSIGNMENT, "--force"], course)
    solution = solution_code(course / "source" / COHORT_ASSIGNMENT / COHORT_NOTEBOOK)

    def bug(grade_id, old, new):
        assert old in solution[grade_id]
        return solution | {grade_id: solution[grade_id].replace(old, new)}

    kinds = [("correct", solution),
             ("missing_m", bug("propagate", "dw = np.dot(X, (A - Y).T) / m", "dw = np.dot(X, (A - Y).T)")),
             ("correct", solution),
             ("flipped_predict", bug("predict", "(A > 0.5)", "(A < 0.5)")),
             ("correct", solution),
             ("untouched", {}),
             ("in_place_update", bug("optimize", 'w = w - learning_rate * grads["dw"]',
                                     'w -= learning_rate * grads["dw"]')),
             ("correct", solution)]
    for i in range(students):
        name, answers = kinds[i % len(kinds)]
        submit(course, f"s{i:03d}_{name}", COHORT_ASSIGNMENT, COHORT_NOTEBOOK, answers)
    return course


def graded_from_csv(course, path):
    """{student: Graded} as a grades.csv of ``course`` has it: what that grading run recorded."""
    from autograder.grading.results import read_csv

    graded = read_csv(path)
    for student, result in graded.items():
        result.notebook = str(Path(course) / "submitted" / student / COHORT_ASSIGNMENT / COHORT_NOTEBOOK)
    return graded


@contextlib.contextmanager
def dask_cluster(folder, workers=2):
    """A real Dask scheduler and ``workers`` single-threaded workers on loopback, each its own ``dask worker``
    command in its own process group (so a test can kill one); yields (scheduler address, worker processes)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    info, procs = folder / "scheduler.json", []

    def start(name, *args):
        with open(folder / f"{name}.log", "wb") as log:
            procs.append(subprocess.Popen([str(BIN / "dask"), *args], env=env(), cwd=folder, stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True))
        return procs[-1]

    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
              "--scheduler-file", str(info))
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        started = [start(f"worker{i}", "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard",
                         "--name", f"worker{i}", "--local-directory", str(folder / f"worker{i}"))
                   for i in range(workers)]
        from distributed import Client
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=60)
        yield address, started
    finally:
        for proc in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def clean_copy(target):
    """The repository as a fresh clone would have it (tracked and new files, nothing git ignores: no .venv,
    no release, no caches) at ``target``, like the checkout repo2docker or Binder starts from."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def isolated_python(target):
    """A Python at ``target`` that imports this environment's installed packages but not this checkout:
    a venv whose site-packages points at ours, without running our .pth files (the editable install)."""
    import sysconfig

    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(target)], check=True)
    site = next((target / "lib").glob("python*/site-packages"))
    (site / "course-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return target / "bin" / "python"


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url):
    """(status, text) of a GET; (0, "") while nothing listens."""
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except urllib.error.URLError:
        return 0, ""


@contextlib.contextmanager
def lab_server(command, env, port, log_path, token=None):
    """A JupyterLab started by ``command`` (the learner's lab), on loopback with a token; yields (base, token)."""
    import secrets
    token = token or secrets.token_hex(8)
    with open(log_path, "w") as log:
        server = subprocess.Popen([*command, "--no-browser", f"--IdentityProvider.token={token}",
                                   "--ServerApp.ip=127.0.0.1"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while http_get(f"{base}/api/status?token={token}")[0] != 200:
            assert server.poll() is None and time.monotonic() < deadline, Path(log_path).read_text()
            time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=30)


def landing_page(base, token):
    """The path the server's root address redirects to (where a learner who opens the printed address lands)."""
    import urllib.request
    with urllib.request.urlopen(f"{base}/?token={token}", timeout=10) as response:
        return response.url.split("?")[0].removeprefix(base)


def page_config(base, token):
    """JupyterLab's page configuration, as the page the learner opens embeds it."""
    import re
    page = http_get(f"{base}/lab?token={token}")[1]
    return json.loads(re.search(r'id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)[1])
