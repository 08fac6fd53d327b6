"""The course glossary, built from the "Glossary" table at the end of every assignment.

Each assignment ends with a markdown table ``| English | 中文 |`` of the terms it introduced; the
release gathers them into one bilingual page, each term linked to the assignment that first used it.
A term has one Chinese name across the course: ``conflicts`` lists every term that is named in two ways,
in the glossary tables or where the prose first uses it — **term (中文)**.
"""

import json
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

from nncore.i18n import _, in_language

PAGE = "glossary.ipynb"
_ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$")
_CJK = "\u3400-\u9fff"
_FIRST_USE = re.compile(rf"\*\*([^*()]+?)\s*\(([^()*]*[{_CJK}][^()*]*)\)\*\*"
                        rf"|\*\*([^*()]+?)\*\*\s*\(([^()]*[{_CJK}][^()]*)\)")
_ASIDE = re.compile(r"[(（][^()（）]*[)）]")


def terms(notebook):
    """``[(english, chinese), …]`` from the table under the notebook's "Glossary" heading."""
    parts = _split_at_glossary(notebook)
    rows = [_ROW.match(line) for part in parts if len(part) == 2 for line in part[1].splitlines()]
    pairs = [(r[1], r[2]) for r in rows if r]
    return [p for p in pairs if p != ("English", "中文") and not set(p[0]) <= set("-: ")]


def first_uses(notebook):
    """``[(english, chinese), …]`` where the prose names a term, ``**term (中文)**`` or ``**term** (中文)``."""
    prose = [part[0] for part in _split_at_glossary(notebook)]
    return [(m[1] or m[3], m[2] or m[4]) for text in prose for m in _FIRST_USE.finditer(text)]


def _split_at_glossary(notebook):
    """Each markdown cell as ``[prose]``, or ``[prose, table]`` when it holds the "Glossary" heading."""
    markdown = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown"]
    return [re.split(r"^#+\s*Glossary.*$", source, maxsplit=1, flags=re.M) for source in markdown]


def _names(english, chinese):
    """One row or first use as ``[(key, chinese name)]``: ``a / b | 甲 / 乙`` is two terms; the key is the English
    in lower case without asides in parentheses or a plural s, the name is the first Chinese part without asides."""
    en, zh = re.split(r"\s*/\s*", english), re.split(r"\s*/\s*", chinese)
    pairs = zip(en, zh) if len(en) == len(zh) else [(english, chinese)]
    named = []
    for e, z in pairs:
        key = " ".join(_ASIDE.sub("", e).lower().split())
        key = key[:-1] if key.endswith("s") and not key.endswith("ss") and len(key) > 3 else key
        parts = [_ASIDE.sub("", part).strip() for part in re.split(r"[,，;]", z)]
        name = next((part for part in parts if re.search(f"[{_CJK}]", part)), z.strip())
        named.append((key, name))
    return named


def conflicts(source_dir):
    """``{term: {chinese name: [assignments]}}`` for every term named in more than one way across the course."""
    seen = {}
    for notebook in sorted(Path(source_dir).glob("*/*.ipynb")):
        for english, chinese in terms(notebook) + first_uses(notebook):
            for key, name in _names(english, chinese):
                places = seen.setdefault(key, {}).setdefault(name, [])
                places += [] if notebook.parent.name in places else [notebook.parent.name]
    return {key: names for key, names in seen.items() if len(names) > 1}


def collect(source_dir):
    """``{english: (chinese, assignment, notebook path)}`` in course order, first use wins."""
    found = {}
    for notebook in sorted(Path(source_dir).glob("*/*.ipynb")):
        for english, chinese in terms(notebook):
            found.setdefault(english, (chinese, notebook.parent.name, notebook.relative_to(source_dir).as_posix()))
    return found


def write(source_dir, target, lang="en"):
    """Write the glossary notebook (one markdown table, alphabetical in English) to ``target``, its prose in
    ``lang``."""
    rows = [f"| {english} | {chinese} | [{assignment}]({path}) |"
            for english, (chinese, assignment, path) in sorted(collect(source_dir).items(), key=lambda t: t[0].lower())]
    with in_language(lang):
        intro = _("Every key term of the course so far, with the assignment that introduces it.")
        header = "| English | 中文 | " + _("first used in") + " |"
    text = "\n".join(["# Glossary · 术语表", "", intro, "", header, "|---|---|---|", *rows])
    nb = new_notebook(cells=[new_markdown_cell(text, id="glossary")])
    nb.metadata["nncourse"] = {"language": lang}
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    Path(target).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
