"""The leak scan behind `nncourse release`, and the command line itself."""

import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.cli import build_parser
from autograder.publishing.workspace import sync_workspace
from autograder.publishing.release import leaks, secret_lines

SOURCE = new_notebook(cells=[
    new_markdown_cell("Convert the labels first:\n\n    Y = Y.astype(float)\n"),
    new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    y = x * 2\n    Y = Y.astype(float)\n"
                  "    ### END SOLUTION\n    return y"),
    new_code_cell('check("f", f)\n### BEGIN HIDDEN TESTS\ncheck("f", f, seed=7)\n### END HIDDEN TESTS'),
])


def write(tmp_path, name, cells):
    path = tmp_path / name
    nbformat.write(new_notebook(cells=cells), path)
    return path


def test_secret_lines_are_those_only_inside_regions(tmp_path):
    # "Y = Y.astype(float)" is a solution line, but the prose shows it too — so it is no secret.
    source = tmp_path / "source.ipynb"
    nbformat.write(SOURCE, source)
    assert secret_lines(source) == {"y = x * 2", 'check("f", f, seed=7)'}


@pytest.mark.parametrize("student_code, found", [
    ("def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n    return y", []),
    ("def f(x):\n    y = x * 2\n    return y", ["y = x * 2"]),
    ('check("f", f)\ncheck("f", f, seed=7)', ['check("f", f, seed=7)']),
    ('check("f", f)\n### BEGIN HIDDEN TESTS', ["### BEGIN HIDDEN TESTS"]),
])
def test_leaks_finds_solution_and_hidden_lines(tmp_path, student_code, found):
    source = tmp_path / "source.ipynb"
    nbformat.write(SOURCE, source)
    student = write(tmp_path, "student.ipynb", [new_code_cell(student_code)])
    assert leaks(source, student) == found


def test_sync_workspace_never_overwrites_a_learners_notebook(tmp_path):
    release, workspace = tmp_path / "release", tmp_path / "workspace"
    (release / "week1").mkdir(parents=True)
    (release / "week1" / "a.ipynb").write_text("new version")
    (release / "welcome.ipynb").write_text("start")
    (workspace / "week1").mkdir(parents=True)
    (workspace / "week1" / "a.ipynb").write_text("my work")
    sync_workspace(release, workspace)
    assert (workspace / "week1" / "a.ipynb").read_text() == "my work"
    assert (workspace / "welcome.ipynb").read_text() == "start"


def test_cli_help_names_every_command():
    out = subprocess.run([sys.executable, "-m", "autograder", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "release" in out and "lab" in out
    assert build_parser().parse_args(["lab", "--port", "9000"]).port == 9000


def test_cli_without_a_course_says_where_it_looked(tmp_path):
    result = subprocess.run([sys.executable, "-m", "autograder", "--course", str(tmp_path), "release"],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "no nbgrader_config.py" in result.stderr
