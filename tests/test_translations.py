"""The Chinese edition, from one source: every notebook's prose and every learner-facing message translated,
and kept in step with the English. A changed English cell or message fails here until its translation is
updated (docs/translating.md says how)."""

import re

import nbformat
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from autograder.publishing import languages
from course_tools import REPO
from nncore.i18n import LOCALE_DIR

COURSE = REPO / "course"
NOTEBOOKS = languages.course_notebooks(COURSE)
FIELD = re.compile(r"\{[^{}]*\}")


def _id(path):
    return str(path.relative_to(COURSE))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=_id)
def test_every_markdown_cell_is_translated_and_up_to_date(notebook):
    nb = nbformat.read(notebook, as_version=4)
    sections = languages.read_sections(languages.translation_file(COURSE, notebook, "zh"))
    assert languages.missing(nb, sections) == [], "not translated yet (nncourse translations --stub lists them)"
    assert languages.stale(nb, sections) == [], "the English changed since these were translated"
    assert set(sections) <= {c.id for c in nb.cells if c.cell_type == "markdown"}, "sections of cells that are gone"


def test_an_edited_english_cell_makes_its_translation_stale(tmp_path):
    """The drift check, proven: translate a notebook, then change one English cell."""
    notebook = COURSE / "source" / "02_logistic_regression" / "logistic_regression.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    path = tmp_path / "translation.md"
    languages.write_stub(nb, path)
    text = path.read_text(encoding="utf-8")
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = text.replace(f"en {languages.TODO} -->", f"en {languages.english_hash(cell.source)} -->", 1)
    path.write_text(text, encoding="utf-8")
    sections = languages.read_sections(path)
    assert languages.missing(nb, sections) == [] and languages.stale(nb, sections) == []
    edited = next(c for c in nb.cells if c.cell_type == "markdown")
    edited.source += "\nOne more sentence."
    assert languages.stale(nb, sections) == [edited.id]


def _catalog():
    with open(LOCALE_DIR / "zh" / "LC_MESSAGES" / "nncourse.po", "rb") as handle:
        return read_po(handle)


def _extracted():
    mapping = [("nncore/**.py", "python"), ("autograder/**.py", "python"),
               ("autograder/grading/templates/**.j2", "jinja2")]
    return {message for _, _, message, _, _ in extract_from_dir(REPO, mapping, keywords={"_": None})
            if isinstance(message, str)}


def test_every_message_in_the_code_has_a_chinese_translation():
    catalog = {m.id: m for m in _catalog() if m.id}
    code = _extracted()
    assert len(code) > 400   # the extraction sees the checker, the registries, the grader and the Playground
    untranslated = sorted(m for m in code if m not in catalog or not catalog[m].string or catalog[m].fuzzy)
    assert untranslated == [], f"{len(untranslated)} messages need a translation (make messages, then translate)"
    assert sorted(set(catalog) - code) == [], "catalog entries no message in the code uses any more"


def test_translations_keep_every_field_of_their_message():
    wrong = [m.id for m in _catalog()
             if m.id and m.string and sorted(FIELD.findall(m.id)) != sorted(FIELD.findall(m.string))]
    assert wrong == []


def test_a_release_in_chinese_keeps_the_code_and_the_grading(released_course):
    """Only the prose differs: the Chinese notebook's code cells, grade ids and checksums are the English ones."""
    release = released_course / "release"
    for english in sorted(release.glob("*/*.ipynb")):
        if english.parent.name == "zh":
            continue
        chinese = release / "zh" / english.relative_to(release)
        a, b = nbformat.read(english, as_version=4), nbformat.read(chinese, as_version=4)
        assert [(c.cell_type, c.get("metadata", {}).get("nbgrader")) for c in a.cells] == \
               [(c.cell_type, c.get("metadata", {}).get("nbgrader")) for c in b.cells]
        assert ([c.source for c in a.cells if c.cell_type == "code"]
                == [c.source for c in b.cells if c.cell_type == "code"])
        assert b.metadata["nncourse"]["language"] == "zh"
    assert (release / "zh" / "welcome.ipynb").is_file() and (release / "zh" / "glossary.ipynb").is_file()


def test_the_start_pages_link_each_other(released_course):
    release = released_course / "release"
    english = nbformat.read(release / "welcome.ipynb", as_version=4).cells[0].source
    chinese = nbformat.read(release / "zh" / "welcome.ipynb", as_version=4).cells[0].source
    assert "(zh/welcome.ipynb)" in english and "(../welcome.ipynb)" in chinese


def test_stubs_for_new_cells_carry_the_english_and_count_as_missing(tmp_path):
    nb = nbformat.read(COURSE / "welcome.ipynb", as_version=4)
    path = tmp_path / "welcome.md"
    assert languages.write_stub(nb, path) == len([c for c in nb.cells if c.cell_type == "markdown"])
    assert languages.missing(nb, languages.read_sections(path)) == [c.id for c in nb.cells if c.cell_type == "markdown"]
    assert languages.write_stub(nb, path) == 0
