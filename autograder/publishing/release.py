"""Build the student versions of every assignment and prove that nothing secret leaked into them."""

import shutil
from pathlib import Path

import nbformat

from autograder.course import nbgrader_api
from autograder.learner.lab import START_PAGE
from autograder.publishing import glossary, languages
from nncore.i18n import LANGUAGES

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


def release(course, lang="en", log=print):
    """Generate every student version into ``course/release`` and check it for leaks; returns the folder.

    ``course/release``'s own notebooks are in ``lang`` (what nbgrader's exchange hands out); every other language
    the course has translations for goes under ``course/release/<language>/``, and each start page links to the
    others. Only the prose differs between languages: code cells, grade ids and checksums are the same.
    """
    course = Path(course)
    api = nbgrader_api(course)
    for assignment in assignments(course):
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not generate {assignment}:\n{result.get('error') or result.get('log')}")
        log(f"released {assignment}")
    target = course / "release"
    shutil.copy2(course / START_PAGE, target / START_PAGE)
    others = _release_languages(course, target, lang)
    _check_leaks(course, target)
    log(f"student versions in {target} ({', '.join([lang, *others])}): no solution or hidden test leaked")
    return target


def _release_languages(course, target, lang):
    """Put ``lang`` at the root of the release and the other languages under it; write each language's glossary
    and link the start pages. Returns the other languages."""
    others = [other for other in ["en", *languages.translated_languages(course)] if other != lang]
    for old in LANGUAGES:   # an earlier release's language folders
        shutil.rmtree(target / old, ignore_errors=True)
    english = target / "en" if lang != "en" else target
    if lang != "en":
        languages.swap_root_language(target, lang, course, START_PAGE)
    for other in others:
        if other != "en":
            languages.write_language_tree(course, english, other, target / other, START_PAGE)
    for here, folder in [(lang, target), *((other, target / other) for other in others)]:
        glossary.write(course / "source", folder / glossary.PAGE, here)
        up = "" if folder == target else "../"
        links = {other: f"{up}{'' if other == lang else other + '/'}{START_PAGE}" for other in [lang, *others]
                 if other != here}
        if links:
            languages.link_languages(folder / START_PAGE, links)
    return others


def _check_leaks(course, target):
    """Every released notebook, in every language, against its source notebook."""
    for student in sorted(target.rglob("*/*.ipynb")):
        relative = student.relative_to(target)
        relative = relative.relative_to(relative.parts[0]) if relative.parts[0] in LANGUAGES else relative
        source = course / "source" / relative
        if not source.is_file():
            continue
        found = leaks(source, student)
        if found:
            raise LeakError(f"{student} contains solution or hidden-test lines:\n  " + "\n  ".join(found))
