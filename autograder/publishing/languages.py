"""The course in other languages, from one source: each notebook's prose translated, kept in step with English.

English is the source. For each notebook there is a translation file per language,
``course/translations/<lang>/<path of the notebook under the course, .md>`` (the start page:
``course/translations/zh/welcome.md``), with one section per markdown cell:

    <!-- cell 3f2a1b-4c5d en 5d41402abc4b2a76 -->
    …the cell's markdown in that language…

``cell`` is the cell's id in the source notebook; ``en`` is a hash of the English text the translation was made
from. When the English cell changes, its hash no longer matches: the section is *outdated* and
``tests/test_translations.py`` fails until a translator updates it (``stale`` lists such cells, ``missing`` the
cells with no section). Code cells, grade ids, points and nbgrader's checksums are never touched: a translated
notebook is graded with the same source and the same gradebook as its English twin.

``translate(nb, lang, sections)`` gives a notebook in ``lang``; ``write_stub`` starts or completes a translation
file with the English text of every missing cell, marked ``en TODO`` so that it counts as not translated yet.
"""

import hashlib
import re
import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell

from nncore.i18n import LANGUAGES

SECTION = re.compile(r"^<!-- cell (\S+) en (\S+) -->\n", re.M)
TODO = "TODO"


def english_hash(text: str) -> str:
    """A short hash of an English cell's text (whitespace at its ends ignored)."""
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16]


def translation_file(course: Path, notebook: Path, lang: str) -> Path:
    """Where the ``lang`` translation of ``notebook`` (a path inside ``course``) lives."""
    relative = Path(notebook).resolve().relative_to(Path(course).resolve())
    relative = relative.relative_to("source") if relative.parts[0] == "source" else relative
    return Path(course) / "translations" / lang / relative.with_suffix(".md")


def read_sections(path: Path) -> dict[str, tuple[str, str]]:
    """{cell id: (hash of the English it translates, translated text)} of a translation file ({} if none)."""
    if not Path(path).is_file():
        return {}
    text = Path(path).read_text(encoding="utf-8")
    marks = list(SECTION.finditer(text))
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return {m[1]: (m[2], text[m.end():end].strip("\n")) for m, end in zip(marks, ends)}


def _prose(nb):
    """The markdown cells of a notebook, in order."""
    return [c for c in nb.cells if c.cell_type == "markdown"]


def missing(nb, sections) -> list[str]:
    """Ids of markdown cells without a translated section (a ``TODO`` stub counts as missing)."""
    return [c.id for c in _prose(nb) if c.id not in sections or sections[c.id][0] == TODO]


def stale(nb, sections) -> list[str]:
    """Ids of markdown cells whose English changed since their translation was made."""
    return [c.id for c in _prose(nb)
            if c.id in sections and sections[c.id][0] not in (TODO, english_hash(c.source))]


def translate(nb, lang: str, sections):
    """A copy of ``nb`` with its markdown cells in ``lang`` (where translated) and ``metadata.nncourse.language``
    set, so that the checker in its kernel speaks ``lang`` too."""
    out = nbformat.from_dict(nb)
    for cell in _prose(out):
        if cell.id in sections and sections[cell.id][0] != TODO:
            cell.source = sections[cell.id][1]
    out.metadata.setdefault("nncourse", {})["language"] = lang
    return out


def write_stub(nb, path: Path) -> int:
    """Add a ``TODO`` section with the English text for every markdown cell ``path`` lacks; returns how many."""
    sections = read_sections(path)
    new = [c for c in _prose(nb) if c.id not in sections]
    if new:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as out:
            for cell in new:
                out.write(f"<!-- cell {cell.id} en {TODO} -->\n{cell.source}\n\n")
    return len(new)


NAMES = {"en": "English", "zh": "中文"}


def translated_languages(course: Path) -> list[str]:
    """The languages other than English that the course has translation files for."""
    folder = Path(course) / "translations"
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name in LANGUAGES) if folder.is_dir() else []


def _translate_file(course, english, target, lang, source):
    """Write ``english`` (a released notebook) translated into ``lang`` to ``target``, using the translation of
    ``source`` (its notebook under the course)."""
    nb = nbformat.read(english, as_version=4)
    sections = read_sections(translation_file(course, source, lang))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(translate(nb, lang, sections), target)


def write_language_tree(course: Path, release: Path, lang: str, target: Path, start_page: str):
    """The released notebooks and start page of ``release`` (English) translated into ``lang`` under ``target``."""
    for english in sorted(release.glob("*/*.ipynb")):
        if english.parent.name in LANGUAGES:
            continue
        source = Path(course) / "source" / english.relative_to(release)
        _translate_file(course, english, Path(target) / english.relative_to(release), lang, source)
    _translate_file(course, release / start_page, Path(target) / start_page, lang, Path(course) / start_page)


def link_languages(page: Path, links: dict[str, str]):
    """Put a line of links to the start page in other languages ({language: relative path}) at the top of
    ``page`` (a start page)."""
    nb = nbformat.read(page, as_version=4)
    line = " · ".join(f"[{NAMES[lang]}]({path})" for lang, path in links.items())
    nb.cells.insert(0, new_markdown_cell(f"**{line}**", id="languages"))
    nbformat.write(nb, page)


def swap_root_language(release: Path, lang: str, course: Path, start_page: str):
    """Make ``lang`` the language of ``release``'s own notebooks (what nbgrader's exchange hands out), keeping the
    English ones under ``release/en``."""
    english = release / "en"
    shutil.rmtree(english, ignore_errors=True)
    for path in sorted(release.glob("*/*.ipynb")) + [release / start_page]:
        if path.parent.name not in LANGUAGES:
            (english / path.relative_to(release)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, english / path.relative_to(release))
    write_language_tree(course, english, lang, release, start_page)


def course_notebooks(course: Path) -> list[Path]:
    """Every notebook of the course that is translated: the source notebooks and the start page."""
    return [*sorted((Path(course) / "source").glob("*/*.ipynb")), Path(course) / "welcome.ipynb"]


def stamp(nb, path: Path) -> int:
    """Mark every ``TODO`` section whose text is no longer the English (it has been translated) with the hash of
    the English it translates; returns how many. A section marked TODO again after an English change is renewed
    the same way once updated."""
    if not Path(path).is_file():
        return 0
    english = {c.id: c.source for c in _prose(nb)}
    text, count = Path(path).read_text(encoding="utf-8"), 0
    for cell_id, (mark, translated) in read_sections(path).items():
        if mark == TODO and cell_id in english and translated.strip() != english[cell_id].strip():
            text = text.replace(f"<!-- cell {cell_id} en {TODO} -->",
                                f"<!-- cell {cell_id} en {english_hash(english[cell_id])} -->")
            count += 1
    Path(path).write_text(text, encoding="utf-8")
    return count


def translation_status(course: Path, lang: str, stub: bool = False, stamped: bool = False):
    """{translation file: (cells missing, cells stale)} for every course notebook; ``stub`` first adds the English
    text of missing cells, marked TODO, and ``stamped`` marks the translated TODO sections done."""
    status = {}
    for notebook in course_notebooks(course):
        nb = nbformat.read(notebook, as_version=4)
        path = translation_file(course, notebook, lang)
        if stub:
            write_stub(nb, path)
        if stamped:
            stamp(nb, path)
        sections = read_sections(path)
        status[path] = (missing(nb, sections), stale(nb, sections))
    return status
