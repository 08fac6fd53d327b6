"""The start page links every assignment, in course order, and the glossary."""

import re

import nbformat
import pytest

from autograder.publishing.release import START_PAGE, assignments
from course_tools import REPO
from nncore.i18n import LANGUAGES


def test_start_page_links_every_assignment_in_order_and_the_glossary():
    page = nbformat.read(REPO / "course" / "welcome.ipynb", as_version=4).cells[0].source
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", page)
    notebooks = [f"{a}/{next((REPO / 'course' / 'source' / a).glob('*.ipynb')).name}"
                 for a in assignments(REPO / "course")]
    assert [link for link in links if link != "glossary.ipynb"] == notebooks
    assert "glossary.ipynb" in links


@pytest.mark.xdist_group("nbgrader")  # shares the session's release with test_pipeline.py
@pytest.mark.parametrize("lang", LANGUAGES)
def test_released_start_page_links_every_student_notebook_and_every_link_resolves(released_course, lang):
    """In each language's tree (English at the release's root, the others in a folder of their own)."""
    release = released_course / "release" / ("" if lang == "en" else lang)
    page = "\n".join(c.source for c in nbformat.read(release / START_PAGE, as_version=4).cells
                     if c.cell_type == "markdown")
    links = re.findall(r"\]\(([^)#\s]+\.ipynb)\)", page)
    assert [link for link in links if not (release / link).is_file()] == []
    students = sorted(str(p.relative_to(release)) for p in release.glob("*/*.ipynb") if p.parent.name not in LANGUAGES)
    assert students and [s for s in students if s not in links] == []
    weeks = [link for link in links if "/" in link and link.split("/")[0] not in (*LANGUAGES, "..")]
    assert weeks == sorted(weeks), "the weeks are listed in course order"
    for row in re.findall(r"^\|.*\]\([^)]+/[^)]+\.ipynb\).*$", page, re.M):   # a one-line goal for each week
        assert len([cell for cell in row.strip("|").split("|") if cell.strip()]) >= 3, row
