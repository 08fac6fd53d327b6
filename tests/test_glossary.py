"""The course glossary gathers every assignment's key terms."""

import nbformat

from autograder.publishing import glossary
from course_tools import REPO

SOURCE = REPO / "course" / "source"


def test_every_assignment_ends_with_a_glossary_of_its_terms():
    for notebook in sorted(SOURCE.glob("*/*.ipynb")):
        pairs = glossary.terms(notebook)
        assert len(pairs) >= 3, notebook
        assert all(english and chinese for english, chinese in pairs)


def test_glossary_page_lists_every_term_with_its_first_assignment(tmp_path):
    glossary.write(SOURCE, tmp_path / glossary.PAGE)
    nb = nbformat.read(tmp_path / glossary.PAGE, as_version=4)
    page = nb.cells[0].source
    for notebook in sorted(SOURCE.glob("*/*.ipynb")):
        for english, chinese in glossary.terms(notebook):
            assert f"| {english} | {chinese} |" in page
    first = sorted(SOURCE.glob("*/*.ipynb"))[0]
    english, chinese = glossary.terms(first)[0]
    assert f"| {english} | {chinese} | [{first.parent.name}]({first.parent.name}/{first.name}) |" in page
