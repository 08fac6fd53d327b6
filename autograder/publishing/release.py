"""Build the student versions of every assignment and prove that nothing secret leaked into them."""

import shutil
from pathlib import Path

import nbformat

from autograder.course import nbgrader_api
from autograder.learner.lab import START_PAGE
from autograder.publishing import glossary

REGIONS = [("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")]


class LeakError(RuntimeError):
    """A student version contains solution code or hidden tests."""


def cell_sources(path):
    """The source text of every cell of the notebook at ``path``."""
    return [cell.source for cell in nbformat.read(path, as_version=4).cells]


def split_lines(source_notebook, regions=REGIONS):
    """(lines inside ``regions``, lines outside them) of a source notebook, stripped, markers left out."""
    inside_lines, outside_lines = set(), set()
    for text in cell_sources(source_notebook):
        inside = None
        for line in text.splitlines():
            stripped = line.strip()
            begin = next((end for b, end in regions if stripped.startswith(b)), None)
            if begin:
                inside = begin
            elif inside and stripped.startswith(inside):
                inside = None
            elif stripped:
                (inside_lines if inside else outside_lines).add(stripped)
    return inside_lines, outside_lines


def secret_lines(source_notebook, regions=REGIONS):
    """Lines that appear only inside ``regions`` (default: solution and hidden-test regions) of a source notebook."""
    inside, outside = split_lines(source_notebook, regions)
    return inside - outside


def leaks(source_notebook, release_notebook):
    """Secret lines of the source (and region markers) found in the student version."""
    released = {line.strip() for text in cell_sources(release_notebook) for line in text.splitlines()}
    markers = {marker for pair in REGIONS for marker in pair}
    found = sorted(secret_lines(source_notebook) & released)
    found += sorted(m for m in markers if any(line.startswith(m) for line in released))
    return found


def assignments(course):
    """The assignment folders under ``course/source``, in course order."""
    return sorted(p.name for p in (Path(course) / "source").iterdir() if p.is_dir() and not p.name.startswith("."))


def release(course, log=print):
    """Generate every student version into ``course/release`` and check it for leaks; returns the folder."""
    course = Path(course)
    api = nbgrader_api(course)
    for assignment in assignments(course):
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not generate {assignment}:\n{result.get('error') or result.get('log')}")
        log(f"released {assignment}")
    for source in sorted((course / "source").glob("*/*.ipynb")):
        student = course / "release" / source.relative_to(course / "source")
        found = leaks(source, student)
        if found:
            raise LeakError(f"{student} contains solution or hidden-test lines:\n  " + "\n  ".join(found))
    shutil.copy2(course / START_PAGE, course / "release" / START_PAGE)
    glossary.write(course / "source", course / "release" / glossary.PAGE)
    log(f"student versions in {course / 'release'}: no solution or hidden test leaked")
    return course / "release"
