"""Similar answers, for the instructor's review — never a score.

Two answer cells are *the same* when the code their authors wrote compiles to the same normal form
(``autograder.learner.borrowing.code_shape``: the bytecode without names, literals, comments, line numbers or
formatting — the normal form the copy-of-the-reference check uses). What the author wrote is the answer cell
minus the starter code the release put there (``starter_code``: the answer cell as nbgrader's ``ClearSolutions``
releases it): every statement of the starter is removed where it still stands, and the blocks it opened
(``def propagate(...)``, ``for i in range(num_iterations)``) keep only what was written inside them.

Short answers are written the same way by many honest students (a one-line sigmoid is everybody's), so an
answer counts only when the author wrote at least ``MIN_SIMILAR_INSTRUCTIONS`` bytecode instructions of it.
That threshold was chosen on a synthetic class of independently varied honest answers
(``benchmarks/report.py`` prints the false-positive rate at each threshold; ``docs/instructors.md`` states it).
"""

import ast
import functools
import keyword
import re
from collections import defaultdict
from dataclasses import dataclass

from autograder.learner.borrowing import code_shape, instructions

# Fewer written instructions than this and honest answers coincide too often to mean anything.
MIN_SIMILAR_INSTRUCTIONS = 60
_BLOCKS = ("body", "orelse", "finalbody")
_COMMENT = re.compile(rb"#[^\n]*")
_WORD = re.compile(rb'"[^"]*"|[A-Za-z_][A-Za-z0-9_]*')    # a string (left as it is) or a name
_FIELD = re.compile(rb"\{[^{}]*\}")
_SPACE = re.compile(rb"\s|,(?=\s*[)\]}])")
_KEYWORDS = frozenset(k.encode() for k in keyword.kwlist)


@dataclass(frozen=True)
class Written:
    """What an author wrote in one answer cell: its normal form and its length in bytecode instructions."""
    shape: tuple
    size: int


@dataclass(frozen=True)
class SimilarGroup:
    """Students whose answer cell ``grade_id`` is the same code once normalized; ``size`` is its written length."""
    grade_id: str
    students: tuple
    size: int


def starter_code(course, spec) -> dict:
    """{answer grade id: the answer cell as released} — the source notebook through nbgrader's ``ClearSolutions``
    with the course's configuration, as ``nbgrader generate_assignment`` releases it."""
    import nbformat
    from nbgrader.preprocessors import ClearSolutions

    from autograder.course import course_config

    nb = nbformat.read(course / "source" / spec.assignment / spec.notebook, as_version=4)
    nb, _ = ClearSolutions(config=course_config(course)).preprocess(nb, {})
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade_id") in spec.answer_ids}


class _Code:
    """A cell's statements and its lines (as bytes: the parser's column offsets count bytes)."""

    def __init__(self, source: str):
        self.body = ast.parse(source).body
        self.lines = source.encode("utf-8").splitlines(keepends=True)

    def key(self, node: ast.stmt) -> bytes:
        """A statement as the starter's statements are recognised: a function or class by its name, any other by
        its text (only its header for a block: up to the first statement nested in it) without comments, white space
        or trailing commas, one kind of quotes, and names numbered in order of appearance — so a starter statement
        is found however the answer formatted it or renamed its variables."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return f"{type(node).__name__} {node.name}".encode()
        nested = next((getattr(node, f)[0] for f in _BLOCKS if getattr(node, f, None)), None)
        end_line, end_col = (nested.lineno, nested.col_offset) if nested else (node.end_lineno, node.end_col_offset)
        lines = self.lines[node.lineno - 1:end_line]
        lines[-1] = lines[-1][:end_col]
        lines[0] = lines[0][node.col_offset:]
        names = {}

        def numbered(match):
            word = match[0]
            if word[:1] == b'"':   # a string: only the names in an f-string's {fields} are the code's
                return _FIELD.sub(lambda field: _WORD.sub(numbered, field[0]), word)
            return word if word in _KEYWORDS else names.setdefault(word, b"\0%d" % len(names))

        text = _WORD.sub(numbered, _COMMENT.sub(b"", b"".join(lines)).replace(b"'", b'"'))
        return _SPACE.sub(b"", text)


@functools.lru_cache(maxsize=64)
def _starter(source: str) -> _Code:
    return _Code(source)


def _rebuilt(statement: ast.stmt, blocks: dict) -> ast.stmt:
    """``statement`` with other nested blocks (``pass`` for an empty body)."""
    empty = [ast.Pass(**{a: getattr(statement, a) for a in statement._attributes})]
    return type(statement)(**{**vars(statement), **blocks, "body": blocks["body"] or empty})


def _strip(body: list, mine: _Code, starter: list, given: _Code) -> tuple[list, list]:
    """(what was written, the skeleton): ``body`` without the statements of ``starter`` — a block the starter opened
    keeps what was written inside it — and the starter's blocks alone, emptied, which every answer shares."""
    twins = defaultdict(list)
    for statement in starter:
        twins[given.key(statement)].append(statement)
    kept, skeleton = [], []
    for statement in body:
        same = twins.get(mine.key(statement))
        if not same:
            kept.append(statement)
            continue
        twin = same.pop(0)
        if any(getattr(statement, f, None) for f in _BLOCKS):
            parts = {f: _strip(getattr(statement, f), mine, getattr(twin, f, []), given)
                     for f in _BLOCKS if hasattr(statement, f)}
            kept.append(_rebuilt(statement, {f: part[0] for f, part in parts.items()}))
            skeleton.append(_rebuilt(statement, {f: part[1] for f, part in parts.items()}))
    return kept, skeleton


def _compiled(statements: list):
    return compile(ast.Module(body=statements, type_ignores=[]), "<answer>", "exec")


def written(answer: str, starter: str = "") -> Written | None:
    """The normal form and length of what the author wrote in ``answer`` beyond ``starter`` (None when the answer
    does not compile)."""
    try:
        mine, given = _Code(answer), _starter(starter)
        kept, skeleton = _strip(mine.body, mine, given.body, given)
        code = _compiled(kept)
        size = instructions(code) - instructions(_compiled(skeleton))
    except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError):
        return None
    return Written(code_shape(code), size)


def written_answers(answers: dict, starters: dict) -> dict:
    """{student: {grade id: Written}} for ``answers`` ({student: {grade id: code}}); answers that do not compile are
    left out. The same code is normalized once."""
    seen, found = {}, {}
    for student, cells in answers.items():
        for grade_id, code in cells.items():
            if (grade_id, code) not in seen:
                seen[(grade_id, code)] = written(code, starters.get(grade_id, ""))
            if seen[(grade_id, code)] is not None:
                found.setdefault(student, {})[grade_id] = seen[(grade_id, code)]
    return found


def group_similar(written_by_student: dict, minimum: int = MIN_SIMILAR_INSTRUCTIONS) -> list[SimilarGroup]:
    """Groups of two or more students whose answer cell has the same normal form, among answers of at least
    ``minimum`` written instructions; the largest answers first."""
    groups = defaultdict(list)
    for student in sorted(written_by_student):
        for grade_id, found in written_by_student[student].items():
            if found.size >= minimum:
                groups[(grade_id, found.shape)].append((student, found.size))
    similar = [SimilarGroup(grade_id, tuple(s for s, _ in members), max(n for _, n in members))
               for (grade_id, _), members in groups.items() if len(members) > 1]
    return sorted(similar, key=lambda g: (-g.size, g.grade_id, g.students))


def similar_answers(answers: dict, starters: dict, minimum: int = MIN_SIMILAR_INSTRUCTIONS) -> list[SimilarGroup]:
    """The groups of similar answers among ``answers`` ({student: {grade id: code}}), the release's ``starters``
    ({grade id: code}) removed."""
    return group_similar(written_answers(answers, starters), minimum)
