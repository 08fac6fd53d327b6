"""`nncourse release --edition DIR`: a self-contained student edition with no solution, no hidden test and
no instructor file, which runs with nothing but itself on the path."""

import json
import subprocess
import sys

import pytest

from autograder.publishing.edition import HIDDEN, MARKER, course_secrets, is_library, text_lines, write_edition
from autograder.learner.lab import START_PAGE
from autograder.publishing.release import REGIONS
from course_tools import REPO, free_port, http_get, isolated_python, lab_server, landing_page, page_config

# Shares the session's release (and its xdist worker) with test_pipeline.py.
pytestmark = pytest.mark.xdist_group("nbgrader")


# Session scope: xdist interleaves other modules' tests on this worker, which would tear a module
# fixture down and build it again.
@pytest.fixture(scope="session")
def edition(released_course, tmp_path_factory):
    return write_edition(released_course, tmp_path_factory.mktemp("edition") / "nncourse-student",
                         repository="ada/nncourse-student", log=lambda *_: None)


def edition_files(edition):
    return sorted(p for p in edition.rglob("*") if p.is_file())


def test_edition_has_the_student_notebooks_pages_data_package_and_binder(edition, released_course):
    names = {str(p.relative_to(edition)) for p in edition_files(edition)}
    release = released_course / "release"
    students = {str(p.relative_to(release)) for p in release.glob("*/*.ipynb")}
    assert students and students <= names
    assert {START_PAGE, "glossary.ipynb", "README.md", "pyproject.toml", "binder/requirements.txt",
            "binder/runtime.txt", "binder/postBuild", "data/digits.h5", "data/README.md",
            "nncore/__init__.py", "autograder/__init__.py", "autograder/learner/check.py"} <= names
    shipped = {n for n in names if n.startswith("autograder/")}
    learner = {str(p.relative_to(REPO)) for p in (REPO / "autograder" / "learner").rglob("*.py")}
    assert shipped == learner | {"autograder/__init__.py"}  # the learner's side, copied whole, and nothing else
    assert "https://mybinder.org/v2/gh/ada/nncourse-student/HEAD?urlpath=lab/tree/welcome.ipynb" in \
        (edition / "README.md").read_text()


def test_edition_holds_no_instructor_file(edition):
    names = [str(p.relative_to(edition)) for p in edition_files(edition)]
    for forbidden in ("nbgrader_config.py", "gradebook.db", "source/", "submitted/", "autograded/", "feedback/",
                      "tests/", "autograder/grading/", "autograder/publishing/", "autograder/cli.py",
                      "autograder/course.py", "build_data.py"):
        assert not [n for n in names if forbidden in n], forbidden


def test_edition_library_sources_are_unchanged_copies_of_the_repository(edition):
    library = [p for p in edition_files(edition) if is_library(p.relative_to(edition))]
    assert library
    for path in library:
        assert path.read_bytes() == (REPO / path.relative_to(edition)).read_bytes(), path


def test_whole_edition_holds_no_solution_line_and_no_hidden_test_line(edition, released_course):
    """Every file, line by line, against every source notebook. Solution lines may appear only inside the
    reference library's own sources (verbatim copies, test above; the documented trade-off of
    docs/instructors.md); hidden-test lines and region markers nowhere at all."""
    source = released_course / "source"
    secrets, hidden = course_secrets(source), course_secrets(source, HIDDEN)
    assert len(secrets) > 100 and len(hidden) >= 20 and hidden <= secrets
    markers = [m for pair in REGIONS for m in pair]
    found, disclosed, scanned = [], set(), 0
    for path in edition_files(edition):
        lines = text_lines(path)
        if lines is None:
            assert path.suffix == ".h5", f"unreadable file in the edition: {path}"
            continue
        scanned += 1
        relative = path.relative_to(edition)
        if is_library(relative):
            disclosed |= secrets & lines
            found += [f"{relative}: {line}" for line in sorted(hidden & lines)]
        else:
            found += [f"{relative}: {line}" for line in sorted(secrets & lines)]
        found += [f"{relative}: {line}" for line in sorted(lines) if line.startswith(tuple(markers))]
        found += [f"{relative}: {s}" for s in hidden if s.startswith("check(") and s in path.read_text(errors="ignore")]
    assert scanned > 20
    assert not found, "\n".join(found)
    print(f"\n{len(disclosed)} of {len(secrets)} solution lines also appear in the shipped reference library")


def test_edition_notebooks_run_with_only_the_edition_on_the_path(edition, tmp_path):
    python = isolated_python(tmp_path / "python")
    notebooks = sorted(edition.glob("*/*.ipynb"))
    preamble = tmp_path / "preamble.py"
    preamble.write_text(
        "import os, sys, nncore, nncore.data, autograder.learner.check\n"
        f"edition = {str(edition)!r}\n"
        "for where in (nncore.__file__, autograder.learner.check.__file__, str(nncore.data.data_dir())):\n"
        "    assert where.startswith(edition), where\n"
        "others = [p for p in sys.path if not p.startswith(edition) and\n"
        "          any(os.path.isfile(os.path.join(p or '.', f))"
        " for f in ('nncore/__init__.py', 'autograder/learner/check.py'))]\n"
        "assert not others, others\n")
    env = {"PATH": f"{python.parent}:/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(edition),
           "OPENBLAS_NUM_THREADS": "1"}
    result = subprocess.run([python, REPO / "tests" / "first_cells.py", f"--preamble={preamble}", *notebooks],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and len(reports) == len(notebooks), result.stdout + result.stderr[-3000:]


def test_rewriting_an_edition_keeps_git_and_refuses_a_foreign_folder(released_course, tmp_path):
    edition = write_edition(released_course, tmp_path / "edition", log=lambda *_: None)
    (edition / ".git").mkdir()
    (edition / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (edition / "stale.txt").write_text("from an older edition")
    write_edition(released_course, edition, log=lambda *_: None)
    assert (edition / ".git" / "HEAD").exists() and (edition / MARKER).exists()
    assert not (edition / "stale.txt").exists()
    foreign = tmp_path / "my-files"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    with pytest.raises(SystemExit, match="not empty"):
        write_edition(released_course, foreign, log=lambda *_: None)
    assert (foreign / "thesis.tex").read_text() == "precious"


def test_cli_release_takes_an_edition_folder_and_repository():
    from autograder.cli import build_parser

    args = build_parser().parse_args(["release", "--edition", "out", "--repository", "ada/nn"])
    assert (args.edition, args.repository) == ("out", "ada/nn")
    help_text = subprocess.run([sys.executable, "-m", "autograder", "release", "--help"],
                               capture_output=True, text=True, check=True).stdout
    assert "--edition" in help_text


def test_the_edition_starts_like_make_lab_with_one_command(edition, tmp_path):
    """`make lab` in the edition installs once, then runs the learner's lab from the edition itself: the start
    page first, no instructor menus, allowed as root — what Binder shows too."""
    assert "make lab" in (edition / "README.md").read_text()
    plan = subprocess.run(["make", "-n", "lab"], cwd=edition, capture_output=True, text=True, check=True).stdout
    assert ".venv/bin/python -m autograder.learner.lab --port 8888 --lang en" in plan
    python = isolated_python(tmp_path / "python")      # our installed packages, but not this checkout's
    port = free_port()
    env = {"PATH": f"{python.parent}:/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(edition)}
    command = [python, "-m", "autograder.learner.lab", str(edition), f"--port={port}"]
    with lab_server(command, env, port, tmp_path / "lab.log") as (base, token):
        assert landing_page(base, token) == f"/lab/tree/{START_PAGE}"
        assert "@jupyter/nbgrader" in page_config(base, token)["disabledExtensions"]
        assert http_get(f"{base}/formgrader?token={token}")[0] == 404
    assert (edition / ".nncourse-lab" / "workspaces").is_dir()     # its own layout, not ~/.jupyter's


def test_the_editions_requirements_are_the_tested_pins_without_the_repositorys_notes(edition):
    text = (edition / "binder" / "requirements.txt").read_text()
    pins = [line for line in (REPO / "binder" / "requirements.txt").read_text().splitlines()
            if line and not line.startswith("#")]
    assert [line for line in text.splitlines() if not line.startswith("#")] == pins
    assert "tests/" not in text and "test_binder" not in text


def test_an_edition_without_its_repository_warns_about_the_badge(released_course, tmp_path):
    said = []
    write_edition(released_course, tmp_path / "edition", log=said.append)
    assert any("OWNER/REPOSITORY" in line and "--repository" in line for line in said)
