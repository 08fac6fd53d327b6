"""The start page links every assignment, in course order, and the glossary."""

import re

import nbformat

from autograder.release import assignments
from course_tools import REPO


def test_start_page_links_every_assignment_in_order_and_the_glossary():
    page = nbformat.read(REPO / "course" / "welcome.ipynb", as_version=4).cells[0].source
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", page)
    notebooks = [f"{a}/{next((REPO / 'course' / 'source' / a).glob('*.ipynb')).name}"
                 for a in assignments(REPO / "course")]
    assert [link for link in links if link != "glossary.ipynb"] == notebooks
    assert "glossary.ipynb" in links
