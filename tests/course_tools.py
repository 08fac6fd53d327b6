"""Helpers for tests that drive a temporary copy of the course through nbgrader for real."""

import os
import shutil
import subprocess
import sys
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
