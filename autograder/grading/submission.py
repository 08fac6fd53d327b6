"""What a student handed in, read defensively.

``collect(spec, student, folder)`` finds the notebook in nbgrader's layout and reads its bytes (they travel
with the grading task, so a worker on another machine needs no access to the submissions folder).
``read_submission(content, spec)`` takes from it only the code of the answer cells, by grade id: invalid
JSON, deleted cells, duplicated grade ids (the first one counts) and edited locked or test cells never stop
anything and never change which tests run. The student's files are only read.
"""

import ast
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from nncore.i18n import LANGUAGES, _, in_language

# The files nbgrader keeps next to a submitted notebook and carries into autograded/ and feedback/.
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


@dataclass(frozen=True)
class Submitted:
    """One student's notebook as the coordinator found it: its path and bytes, or why there is none."""
    student: str
    path: str = ""        # where the notebook was found ("" when there is none)
    content: bytes = b""
    note: str = ""        # why there is no notebook, or which other file name was graded


@dataclass
class Submission:
    """The answer cells' code by grade id, notes about the notebook, or the reason it could not be read."""
    answers: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)  # grade id (or "") -> [text]
    unreadable: str = ""
    language: str = "en"                       # the notebook's language (metadata.nncourse.language)

    def note(self, grade_id, text):
        self.notes.setdefault(grade_id, []).append(text)

    def notes_for(self, *grade_ids):
        """The notes about the whole notebook and about any of ``grade_ids``, in that order."""
        return [text for gid in ("", *grade_ids) for text in self.notes.get(gid, [])]


def find_notebook(folder, notebook_name):
    """(path, note): ``folder`` itself if it is a file, else ``notebook_name`` in it, else the only notebook
    there; (None, why) when there is none."""
    folder = Path(folder)
    if folder.is_file():
        return folder, ""
    expected = folder / notebook_name
    if expected.is_file():
        return expected, ""
    others = sorted(p for p in folder.glob("*.ipynb") if p.is_file()) if folder.is_dir() else []
    if len(others) == 1:
        return others[0], _("graded {found} (expected the name {name})").format(found=others[0].name,
                                                                                name=notebook_name)
    return None, _("no notebook {name} in the submission").format(name=notebook_name)


def collect(spec, student, folder):
    """The student's notebook in ``folder`` (a ``<student>/<ASSIGNMENT>`` folder, or the notebook itself), read."""
    path, where = find_notebook(folder, spec.notebook)
    if path is None:
        return Submitted(student, note=where)
    try:
        return Submitted(student, str(path), path.read_bytes(), where)
    except OSError as exc:
        return Submitted(student, str(path), b"", f"reading {path.name} failed: {exc}")


def _read(content):
    """(the notebook's cells, its language): nbformat's reading, validation errors captured, not printed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nb = nbformat.reads(content.decode("utf-8", errors="replace"), as_version=4, capture_validation_error={})
    if not isinstance(nb.get("cells"), list):
        raise TypeError("'cells' is not a list")
    meta = nb.get("metadata", {}).get("nncourse", {}) if isinstance(nb.get("metadata"), dict) else {}
    language = meta.get("language") if isinstance(meta, dict) else None
    return [c for c in nb.cells if isinstance(c, dict)], language if language in LANGUAGES else "en"


def read_submission(content, spec):
    """Read a student's notebook (its file's bytes) without trusting it; never raises for a bad notebook."""
    sub = Submission()
    try:
        cells, sub.language = _read(content)
    except Exception as exc:  # any malformed file is that student's error, never the batch's
        sub.unreadable = _("the notebook could not be read as a Jupyter notebook ({error})").format(
            error=f"{type(exc).__name__}: {exc}")
        return sub
    with in_language(sub.language):
        _take_answers(sub, cells, spec)
    return sub


def _take_answers(sub, cells, spec):
    """The answer cells' code into ``sub``, by grade id; notes about duplicated ids and edited locked cells."""
    kinds = {c.grade_id: c.kind for c in spec.cells}
    seen = set()
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if not isinstance(grade_id, str) or grade_id not in kinds:
            continue
        source = cell.get("source", "")
        source = source if isinstance(source, str) else str(source)
        if grade_id in seen:
            sub.note(grade_id, _("your notebook has more than one cell with grade id {grade_id}: the first one was "
                                 "graded").format(grade_id=repr(grade_id)))
            continue
        seen.add(grade_id)
        if kinds[grade_id] == "answer":
            sub.answers[grade_id] = source
        elif kinds[grade_id] == "setup" and source.strip() != spec.cell(grade_id).source.strip():
            sub.note("", _("your copy of the locked cell {grade_id} was changed: the original was run instead")
                     .format(grade_id=repr(grade_id)))


def defined_functions(code):
    """Names of the functions a cell defines at top level (empty when it does not parse)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
