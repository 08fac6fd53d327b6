"""What is graded: the assignment as the course's source notebook defines it, and a submission read defensively.

``AssignmentSpec.load(course, assignment)`` reads the *source* notebook (trusted): its setup cells (locked,
not graded), its answer cells and its test cells with their points. ``read_submission(content, spec)`` takes
from a student's notebook only the code of the answer cells, by grade id: invalid JSON, a missing
notebook, deleted cells, duplicated grade ids (the first one counts) and edited locked or test cells
never stop anything and never change which tests run. The student's file is only read.
"""

import ast
import importlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

TEST_PREFIX = "test_"
SELFCHECK_SEED = 2024  # the extra case a learner's self-check runs when the course's hidden tests are not at hand


@dataclass(frozen=True)
class SpecCell:
    """A code cell of the source notebook: kind is setup, answer or test."""
    kind: str
    grade_id: str
    source: str
    points: float = 0.0


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _meta(cell):
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    nbgrader = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return nbgrader if isinstance(nbgrader, dict) else {}


@dataclass(frozen=True)
class AssignmentSpec:
    """The graded structure of one assignment, from its source notebook."""
    assignment: str
    notebook: str  # file name, e.g. logistic_regression.ipynb
    cells: tuple   # SpecCell, in notebook order
    exercises_module: str

    @classmethod
    def load(cls, course, assignment):
        """The spec from the course's source notebook of ``assignment`` (hidden tests included)."""
        folder = Path(course) / "source" / assignment
        notebooks = sorted(folder.glob("*.ipynb"))
        if len(notebooks) != 1:
            raise SystemExit(f"nncourse: expected one source notebook in {folder}, found {len(notebooks)}")
        return cls.from_notebook(notebooks[0], assignment)

    @classmethod
    def for_learner(cls, notebook, course=None):
        """The spec for a learner's own notebook: the course's source notebook of the same name when the
        course is at hand (full tests), else the notebook's own cells, each test being the visible check
        plus one more seed from the exercise registry (no hidden tests exist without the course)."""
        notebook = Path(notebook)
        if course is not None:
            for source in sorted(Path(course).glob(f"source/*/{notebook.name}")):
                return cls.load(course, source.parent.name)
        spec = cls.from_notebook(notebook, "")
        match = re.search(r"from autograder\.exercises\.(\w+) import", "".join(c.source for c in spec.cells))
        if not match:
            raise SystemExit(f"nncourse: {notebook} is not one of the course's notebooks (no checker import found)")
        tests = [SpecCell("test", c.grade_id, _visible_and_one_more(c.source, cls.exercise_of(c)), c.points)
                 if c.kind == "test" else c for c in spec.cells]
        return cls(notebook.parent.name, notebook.name, tuple(tests), f"autograder.exercises.{match.group(1)}")

    @classmethod
    def from_notebook(cls, path, assignment):
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        cells = []
        for cell in nb["cells"]:
            meta = _meta(cell)
            if cell.get("cell_type") != "code" or "grade_id" not in meta:
                continue
            if meta.get("grade") and not meta.get("solution"):
                cells.append(SpecCell("test", meta["grade_id"], _source(cell), float(meta.get("points", 0))))
            elif meta.get("solution"):
                cells.append(SpecCell("answer", meta["grade_id"], _source(cell)))
            elif meta.get("locked"):
                cells.append(SpecCell("setup", meta["grade_id"], _source(cell)))
        return cls(assignment, Path(path).name, tuple(cells), f"autograder.exercises.{assignment.split('_', 1)[-1]}")

    def cell(self, grade_id):
        return next(c for c in self.cells if c.grade_id == grade_id)

    @property
    def tests(self):
        return [c for c in self.cells if c.kind == "test"]

    def trusted_imports(self):
        """The names the source's setup cells import (checker helpers, nncore functions), bound here from the
        real modules: a test cell may pass them to the learner's functions, and they must not come from
        the sandbox, where the learner's code could have replaced them."""
        scope = {}
        for cell in self.cells:
            if cell.kind == "setup":
                code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
                imports = [node for node in ast.parse(code).body if isinstance(node, (ast.Import, ast.ImportFrom))]
                exec(compile(ast.Module(imports, []), f"<{cell.grade_id} imports>", "exec"), scope)  # noqa: S102 — the course's own cell
        scope.pop("__builtins__", None)
        return scope

    def exercises(self):
        """The exercise registry whose ``check`` the test cells call."""
        return importlib.import_module(self.exercises_module).EXERCISES

    @staticmethod
    def exercise_of(test):
        """The exercise a test cell grades: its grade id without the ``test_`` prefix."""
        return test.grade_id.removeprefix(TEST_PREFIX)


@dataclass
class Submission:
    """The answer cells' code by grade id, notes about the notebook, or the reason it could not be read."""
    answers: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)  # grade id (or "") -> [text]
    unreadable: str = ""
    cells: list = field(default_factory=list)  # the notebook's cells as read (for the graded copy)

    def note(self, grade_id, text):
        self.notes.setdefault(grade_id, []).append(text)


def find_notebook(folder, spec):
    """The submitted notebook: ``folder`` itself if it is a file, else the source's file name in it, else
    the only notebook there."""
    folder = Path(folder)
    if folder.is_file():
        return folder, ""
    expected = folder / spec.notebook
    if expected.is_file():
        return expected, ""
    others = sorted(p for p in folder.glob("*.ipynb") if p.is_file()) if folder.is_dir() else []
    if len(others) == 1:
        return others[0], f"graded {others[0].name} (expected the name {spec.notebook})"
    return None, f"no notebook {spec.notebook} in the submission"


def read_submission(content, spec):
    """Read a student's notebook (its file's bytes) without trusting it; never raises for a bad notebook."""
    sub = Submission()
    try:
        nb = json.loads(content.decode("utf-8", errors="replace"))
        cells = nb["cells"]
        if not isinstance(cells, list):
            raise TypeError("'cells' is not a list")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        sub.unreadable = f"the notebook could not be read as a Jupyter notebook ({type(exc).__name__}: {exc})"
        return sub
    sub.cells = [c for c in cells if isinstance(c, dict)]
    kinds = {c.grade_id: c.kind for c in spec.cells}
    seen = set()
    for cell in sub.cells:
        grade_id = _meta(cell).get("grade_id")
        if not isinstance(grade_id, str) or grade_id not in kinds:
            continue
        if grade_id in seen:
            sub.note(grade_id, f"your notebook has more than one cell with grade id {grade_id!r}: the first one was graded")
            continue
        seen.add(grade_id)
        if kinds[grade_id] == "answer":
            sub.answers[grade_id] = _source(cell)
        elif kinds[grade_id] == "setup" and _source(cell).strip() != spec.cell(grade_id).source.strip():
            sub.note("", f"your copy of the locked cell {grade_id!r} was changed: the original was run instead")
    return sub


def _visible_and_one_more(source, name):
    """A learner-side test cell: the cell's own ``check(...)`` calls (which may pass an adapter from a
    locked cell rather than the function itself, e.g. ``check("backward", gradients)``), each followed by
    the same call with ``seed=SELFCHECK_SEED``; ``check(name, name)`` when the cell holds no such call."""
    try:
        calls = [node.value for node in ast.parse(source).body if isinstance(node, ast.Expr)
                 and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") == "check"
                 and not any(k.arg == "seed" for k in node.value.keywords)]
    except SyntaxError:
        calls = []
    visible = [ast.unparse(call) for call in calls] or [f"check({name!r}, {name})"]
    return "\n".join(f"{call}\n{call[:-1]}, seed={SELFCHECK_SEED})" for call in visible)


def defined_functions(code):
    """Names of the functions a cell defines at top level (empty when it does not parse)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
