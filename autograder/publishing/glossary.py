"""The course glossary, built from the "Glossary" table at the end of every assignment.

Each assignment ends with a markdown table ``| English | 中文 |`` of the terms it introduced; the
release gathers them into one bilingual page, each term linked to the assignment that first used it.
"""

import json
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

from nncore.i18n import _, in_language

PAGE = "glossary.ipynb"
_ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$")


def terms(notebook):
    """``[(english, chinese), …]`` from the table under the notebook's "Glossary" heading."""
    nb = nbformat.read(notebook, as_version=4)
    parts = [re.split(r"^#+\s*Glossary.*$", c.source, maxsplit=1, flags=re.M) for c in nb.cells if c.cell_type == "markdown"]
    rows = [_ROW.match(line) for part in parts if len(part) == 2 for line in part[1].splitlines()]
    pairs = [(r[1], r[2]) for r in rows if r]
    return [p for p in pairs if p != ("English", "中文") and not set(p[0]) <= set("-: ")]


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
