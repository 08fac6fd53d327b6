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


def test_no_term_is_named_two_ways_across_the_course():
    named_twice = glossary.conflicts(SOURCE)
    assert named_twice == {}, "one Chinese name per term; these have more: " + "; ".join(
        f"{term}: " + ", ".join(f"{name} in {' '.join(places)}" for name, places in names.items())
        for term, names in named_twice.items())


_TABLE = "## Glossary\n\n| English | 中文 |\n|---|---|\n"


def _notebook(path, *markdown):
    path.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(m) for m in markdown]), path)


def test_conflicts_finds_a_term_named_two_ways_in_prose_or_glossary(tmp_path):
    _notebook(tmp_path / "01_a" / "a.ipynb", "A **saddle point (鞍点)** and **inverted dropout (倒置随机失活)**.",
              _TABLE + "| saddle point | 鞍点 |\n| running average | 指数加权平均 |")
    _notebook(tmp_path / "02_b" / "b.ipynb", "**Saddle points** (马鞍点，saddle), **Inverted dropout** (倒置随机失活).",
              _TABLE + "| running average (of a statistic) | 滑动平均 |")
    assert glossary.conflicts(tmp_path) == {"saddle point": {"鞍点": ["01_a"], "马鞍点": ["02_b"]},
                                            "running average": {"指数加权平均": ["01_a"], "滑动平均": ["02_b"]}}
