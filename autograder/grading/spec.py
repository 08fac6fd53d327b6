"""What is graded: one assignment as the course's source notebook defines it.

``AssignmentSpec.load(course, assignment)`` reads the *source* notebook (trusted, hidden tests included) with
nbformat and sorts its graded cells with nbgrader's own predicates: setup cells (locked, not graded), answer
cells (solutions) and test cells with their points. ``AssignmentSpec.for_learner(notebook)`` builds the spec
a learner's self-check uses when the course's sources are not at hand. A spec is plain data: it names the
exercise registry whose ``check`` the test cells call and keeps the setup cells' import statements as text;
the grader (``autograder.grading.grader``) decides what to do with them.
"""

import ast
import dataclasses
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course import grading_policy
from nncore.i18n import _

TEST_PREFIX = "test_"
SELFCHECK_SEED = 2024  # the extra case a learner's self-check runs when the course's hidden tests are not at hand


@dataclass(frozen=True)
class SpecCell:
    """A code cell of the source notebook: ``kind`` is setup, answer or test."""
    kind: str
    grade_id: str
    source: str
    points: float = 0.0


@dataclass(frozen=True)
class AssignmentSpec:
    """The graded structure of one assignment, from its source notebook."""
    assignment: str
    notebook: str   # file name, e.g. logistic_regression.ipynb
    cells: tuple    # SpecCell, in notebook order
    registry: str   # the module whose ``check`` the test cells call (autograder.learner.exercises.…)
    imports: str    # the setup cells' import statements, as source
    grading: str = "each_bug_once"  # the course's policy for calls to other graded functions (or "as_written")
    visible_only: bool = False      # the tests are the notebook's own visible checks plus one seed (no course)

    @classmethod
    def load(cls, course: Path | str, assignment: str) -> "AssignmentSpec":
        """The spec from the course's source notebook of ``assignment`` (hidden tests included)."""
        folder = Path(course) / "source" / assignment
        notebooks = sorted(folder.glob("*.ipynb"))
        if len(notebooks) != 1:
            raise SystemExit(f"nncourse: expected one source notebook in {folder}, found {len(notebooks)}")
        return dataclasses.replace(cls.from_notebook(notebooks[0], assignment), grading=grading_policy(course))

    @classmethod
    def for_learner(cls, notebook: Path | str, course: Path | None = None) -> "AssignmentSpec":
        """The spec for a learner's own notebook: the course's source notebook of the same name when the
        course is at hand (full tests), else the notebook's own cells, each test being its visible checks
        plus the same checks with one more seed (no hidden tests exist without the course)."""
        notebook = Path(notebook)
        if course is not None:
            for source in sorted(Path(course).glob(f"source/*/{notebook.name}")):
                return cls.load(course, source.parent.name)
        own = cls.from_notebook(notebook, notebook.parent.name)
        tests = tuple(SpecCell("test", c.grade_id, _visible_and_one_more(c.source, own.exercise_of(c)), c.points)
                      if c.kind == "test" else c for c in own.cells)
        return dataclasses.replace(own, cells=tests, visible_only=True)

    @classmethod
    def from_notebook(cls, path: Path | str, assignment: str) -> "AssignmentSpec":
        """The spec of the notebook at ``path``; raises ``SystemExit`` when it is not one of the course's."""
        from nbgrader.utils import is_grade, is_locked, is_solution  # nbgrader's own reading of a cell's role

        nb = nbformat.read(path, as_version=4)
        cells = []
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.cell_type != "code" or grade_id is None:
                continue
            if is_grade(cell) and not is_solution(cell):
                cells.append(SpecCell("test", grade_id, cell.source, float(cell.metadata.nbgrader.get("points", 0))))
            elif is_solution(cell):
                cells.append(SpecCell("answer", grade_id, cell.source))
            elif is_locked(cell):
                cells.append(SpecCell("setup", grade_id, cell.source))
        imports = _import_statements(c.source for c in cells if c.kind == "setup")
        registry = _registry(imports)
        if registry is None:
            raise SystemExit(f"nncourse: {path} is not one of the course's notebooks: "
                             "no setup cell imports `check` from an exercise registry")
        return cls(assignment, Path(path).name, tuple(cells), registry, imports)

    def cell(self, grade_id: str) -> SpecCell:
        return next(c for c in self.cells if c.grade_id == grade_id)

    def describe_tests(self) -> str:
        """Which tests a learner's self-check ran, in a sentence (the first line of selfcheck and validate)."""
        if self.visible_only:
            return _("Checked with your notebook's own visible checks, plus one more case each (the course's "
                     "hidden tests are not at hand: run from the course folder, or pass --course, for those).")
        return _("Checked with the course's full tests for {assignment} (the visible checks and the hidden "
                 "ones).").format(assignment=self.assignment)

    @property
    def tests(self) -> list[SpecCell]:
        return [c for c in self.cells if c.kind == "test"]

    @property
    def answer_ids(self) -> set[str]:
        return {c.grade_id for c in self.cells if c.kind == "answer"}

    @staticmethod
    def exercise_of(test: SpecCell) -> str:
        """The exercise a test cell grades: its grade id without the ``test_`` prefix."""
        return test.grade_id.removeprefix(TEST_PREFIX)


def _import_statements(sources):
    """The top-level import statements of some cells' code, as source (IPython magics and shell lines dropped)."""
    statements = []
    for source in sources:
        code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        statements += [ast.unparse(node) for node in ast.parse(code).body
                       if isinstance(node, (ast.Import, ast.ImportFrom))]
    return "\n".join(statements)


def _registry(imports):
    """The module that ``imports`` takes ``check`` from, or None."""
    for node in ast.parse(imports).body:
        if isinstance(node, ast.ImportFrom) and any(alias.name == "check" and alias.asname is None
                                                    for alias in node.names):
            return node.module
    return None


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
