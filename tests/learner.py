"""Define 'learner' code the way a notebook cell does: source text compiled under its own file name."""

import linecache
import textwrap

import numpy as np

_counter = iter(range(10**6))


def cell(source, **namespace):
    """Run ``source`` as a learner's cell and return its namespace (functions keep it as __globals__)."""
    source = textwrap.dedent(source)
    filename = f"<learner-cell-{next(_counter)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    ns = {"np": np, **namespace}
    exec(compile(source, filename, "exec"), ns)  # noqa: S102 — test fixture: the learner's code
    return ns
