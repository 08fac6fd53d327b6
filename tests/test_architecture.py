"""The house rules of docs/architecture.md, read from the code itself (every import, function-level ones too).

- no import cycle among the project's modules;
- ``nncore`` imports nothing of ``autograder``;
- the learner's side (``autograder.learner``, shipped to students) imports nothing of the instructor's sides;
- no function in ``nncore/`` or ``autograder/`` is longer than 45 lines.
"""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("nncore", "autograder")
MAX_FUNCTION_LINES = 45


def _module_name(path):
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for package in PACKAGES for p in sorted((REPO / package).rglob("*.py"))}


def _resolve(name):
    """The project module ``name`` refers to (a module, or the module holding an imported attribute), or None."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module):
    """The project modules ``module`` imports anywhere in its code (module level or inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:  # a submodule, else the module
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                     for a in node.names]
        else:
            continue
        found |= {m for m in map(_resolve, names) if m and m != module}
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def _cycle_from(start):
    """A cycle through ``start`` as a list of modules, or None (depth-first search)."""
    stack, seen = [(start, [start])], set()
    while stack:
        module, path = stack.pop()
        for nxt in GRAPH[module]:
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_the_import_graph_is_read():
    assert "autograder.learner.check" in GRAPH["autograder.grading.grader"]
    assert "nncore.layers" in GRAPH["nncore.network"]
    assert "autograder.grading.sandbox_server" in GRAPH["autograder.grading.remote"]  # a function-level import


def test_no_import_cycle():
    cycles = [c for c in map(_cycle_from, sorted(GRAPH)) if c]
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_nncore_imports_nothing_of_the_autograder():
    wrong = {m: sorted(i for i in GRAPH[m] if i.startswith("autograder")) for m in GRAPH if m.startswith("nncore")}
    assert not {m: i for m, i in wrong.items() if i}


def test_the_learners_side_imports_nothing_of_the_instructors_side():
    learner = [m for m in GRAPH if m.startswith("autograder.learner")]
    assert len(learner) > 10
    allowed = ("autograder.learner", "nncore")
    wrong = {m: sorted(i for i in GRAPH[m] if not i.startswith(allowed) and i != "autograder") for m in learner}
    assert not {m: i for m, i in wrong.items() if i}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_function_is_longer_than_45_lines(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    long = [f"{node.name}: {node.end_lineno - node.lineno + 1} lines" for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, long
