"""The one-click launch: binder/ as repo2docker reads it, the README's badge, and a fresh environment
built from exactly binder/ that runs postBuild and the first cells of every student notebook."""

import hashlib
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from autograder.publishing.edition import binder_url
from autograder.publishing.release import START_PAGE
from course_tools import BIN, REPO, clean_copy, run
from nncore.i18n import LANGUAGES

BINDER = REPO / "binder"
START = f"course/release/{START_PAGE}"


def pins():
    """{package: version} pinned in binder/requirements.txt."""
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    return dict(line.split("==") for line in map(str.strip, lines) if line and not line.startswith("#"))


def test_binder_pins_are_the_versions_the_tests_run_with():
    for package, pinned in pins().items():
        assert version(package) == pinned, (f"binder/requirements.txt pins {package}=={pinned}, "
                                            f"tests run {version(package)}")


def test_every_runtime_dependency_is_pinned_for_binder():
    # postBuild installs the package with --no-deps: binder/requirements.txt must carry every dependency.
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=!~ \[]", d, maxsplit=1)[0].lower() for d in deps}
    assert names == {p.lower() for p in pins()}


def test_runtime_is_the_python_the_tests_run_on():
    assert (BINDER / "runtime.txt").read_text().strip() == f"python-{sys.version_info.major}.{sys.version_info.minor}"


@pytest.mark.xdist_group("nbgrader")  # shares the session's release with test_pipeline.py
def test_readme_badge_opens_the_student_start_page(released_course):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    urls = re.findall(r"\]\((https://mybinder\.org/v2/gh/[^)]+)\)", readme)
    assert urls, "no Binder badge in the README"
    owner_repo = re.match(r"https://mybinder\.org/v2/gh/([^/]+/[^/]+)/", urls[0]).group(1)
    starts = [START, START.replace(START_PAGE, f"zh/{START_PAGE}")]   # English, and the Chinese edition's badge
    assert urls == [binder_url(owner_repo, start) for start in starts]
    for start in starts:
        assert (released_course.parent / start).is_file(), "the badge's page is not where `nncourse release` puts it"


def test_repo2docker_dry_run_installs_the_pins_and_runs_postbuild(tmp_path):
    repo = clean_copy(tmp_path / "repo")
    result = run([BIN / "repo2docker", "--no-build", "--no-run", "--user-id", "1000", "--user-name", "jovyan",
                  str(repo)], cwd=tmp_path)
    dockerfile = result.stdout
    (tmp_path / "Dockerfile").write_text(dockerfile)
    lines = [line.strip() for line in dockerfile.splitlines()]
    assert next(line for line in lines if line).startswith("FROM docker.io/library/buildpack-deps:")
    assert "Building conda environment for python=3.11" in result.stderr
    assert 'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"' in lines
    # the repository belongs to the learner's user, so postBuild's course/release is writable in the session
    assert "COPY --chown=1000:1000 src/ ${REPO_DIR}/" in lines
    assert lines.index("RUN ./binder/postBuild") > lines.index("COPY --chown=1000:1000 src/ ${REPO_DIR}/")


# ------------------------------------------------------------------------------------------ fresh Binder

def wheelhouse():
    """The wheels binder/requirements.txt resolves to (plus the build backend and what it needs for the
    editable install of postBuild), downloaded once per
    version of the file into this environment; the fresh environment then installs with no index."""
    key = hashlib.sha256((BINDER / "requirements.txt").read_bytes() + b"hatchling editables").hexdigest()[:12]
    house = Path(sys.prefix) / "binder-wheelhouse" / key
    if not (house / ".complete").exists():
        run([sys.executable, "-m", "pip", "download", "-q", "-d", str(house), "-r", str(BINDER / "requirements.txt"),
             "hatchling>=1.21", "editables"], cwd=REPO)
        (house / ".complete").touch()
    return house


def clean_env(venv, **extra):
    """An environment like a fresh login: no trace of the test venv, ``venv/bin`` first on PATH."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("PYTHON", "VIRTUAL_ENV", "NNCOURSE", "PIP_", "JUPYTER"))}
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if Path(p) != BIN)
    return keep | {"PATH": f"{venv / 'bin'}{os.pathsep}{path}", "VIRTUAL_ENV": str(venv),
                   "OPENBLAS_NUM_THREADS": "1", **extra}


def step(timings, name, args, cwd, env):
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    timings[name] = round(time.perf_counter() - start, 1)
    assert result.returncode == 0, f"{name} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.mark.xdist_group("fresh-binder")
def test_fresh_binder_environment_runs_postbuild_and_every_notebooks_first_cells(tmp_path):
    timings = {}
    start = time.perf_counter()
    house = wheelhouse()
    timings["wheel download (first run only)"] = round(time.perf_counter() - start, 1)
    repo, venv = clean_copy(tmp_path / "repo"), tmp_path / "binder-env"
    pip_offline = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(house), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env = clean_env(venv, **pip_offline)
    step(timings, "venv", [sys._base_executable, "-m", "venv", str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    step(timings, "pip install -r binder/requirements.txt", [python, "-m", "pip", "install", "-q", "--no-compile",
         "-r", "binder/requirements.txt"], repo, env)
    step(timings, "binder/postBuild", [repo / "binder" / "postBuild"], repo, env)

    release = repo / "course" / "release"
    assert (repo / START).is_file() and not (repo / "course" / "gradebook.db").exists()
    assert json.loads((venv / "share/jupyter/lab/settings/overrides.json").read_text())
    english = sorted(p for p in release.glob("*/*.ipynb") if p.parent.name not in LANGUAGES)
    chinese = sorted((release / "zh").glob("*/*.ipynb"))   # the Chinese edition's twins, same code
    assert len(english) == len(chinese) == len([p for p in (repo / "course" / "source").iterdir() if p.is_dir()])
    notebooks = english + chinese
    preamble = tmp_path / "preamble.py"
    preamble.write_text(f"import sys, nncore, autograder.learner.check\n"
                        f"assert sys.prefix == {str(venv)!r}, sys.prefix\n"
                        f"assert nncore.__file__.startswith({str(repo)!r}), nncore.__file__\n")
    result = step(timings, "first cells of every notebook", [python, REPO / "tests" / "first_cells.py",
                  f"--preamble={preamble}", *notebooks], tmp_path, clean_env(venv))
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["notebook"] for r in reports] == [str(n) for n in notebooks]
    # every assignment stops at its first check, "not implemented yet"; the Playground (no exercises) runs through
    # (first_cells.py: ok means exactly that; the detail is the report's last line, its hint)
    assert all(r["ok"] for r in reports), [r for r in reports if not r["ok"]]
    assert [Path(r["notebook"]).parent.name for r in reports if r["detail"] == "no exercises: every cell ran"] == \
        ["playground", "playground"]
    timings["total"] = round(time.perf_counter() - start, 1)
    print("\nfresh Binder environment, seconds:", json.dumps(timings, indent=1))
