"""Run the first cells of student notebooks as a learner who just opened them, in *this* interpreter.

    python first_cells.py NOTEBOOK.ipynb ...

For each notebook: execute the cells in order (imports, data loading, the first explanations) up to and
including the first autograder test cell, which must fail with the checker's "not implemented yet" report
(the learner has not written anything). A notebook without exercises (the Playground) must run through.
Prints one JSON object per notebook; exits 1 if any notebook did not behave so. Standalone on purpose
(nbformat + nbclient only): the tests run it with the interpreter of a freshly built environment, so that
nothing of the test environment leaks in.
"""

import asyncio
import contextlib
import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

EXPECTED = "not implemented yet"


def is_test_cell(cell):
    return cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade", False)


@contextlib.asynccontextmanager
async def started_kernel(nb, folder, attempts=3):
    """A client with a running kernel for ``nb`` in ``folder``. A kernel that dies before answering its first
    request is started again (kernels started side by side can race for the same TCP port); a kernel that
    dies later, while running a cell, is the notebook's failure and is not retried."""
    for attempt in range(1, attempts + 1):
        client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
        setup = client.async_setup_kernel()
        try:
            await setup.__aenter__()
        except RuntimeError:  # "Kernel died before replying to kernel_info"
            if attempt == attempts:
                raise
            continue
        try:
            yield client
        finally:
            await setup.__aexit__(None, None, None)
        return


async def first_cells(path, preamble=None):
    """{notebook, cells, seconds, ok, detail}: run the cells up to the first test cell of ``path``."""
    nb = nbformat.read(path, as_version=4)
    end = next((i for i, c in enumerate(nb.cells) if is_test_cell(c)), None)
    report = {"notebook": str(path), "cells": 0, "ok": False}
    first = [nbformat.v4.new_code_cell(preamble)] if preamble else []
    nb.cells = first + nb.cells[: None if end is None else end + 1]
    start = time.perf_counter()
    async with started_kernel(nb, Path(path).parent) as client:
        for index, cell in enumerate(nb.cells if end is None else nb.cells[:-1]):
            try:
                await client.async_execute_cell(cell, index)
            except CellExecutionError as error:
                return report | {"cells": index, "detail": f"cell {index} failed before the first check:\n{error}"}
        if end is None:
            return report | {"cells": len(nb.cells), "seconds": round(time.perf_counter() - start, 2), "ok": True,
                             "detail": "no exercises: every cell ran"}
        try:
            await client.async_execute_cell(nb.cells[-1], len(nb.cells) - 1)
            detail, ok = "the first check passed on an untouched notebook", False
        except CellExecutionError as error:
            detail, ok = str(error).strip().splitlines()[-1].strip(), EXPECTED in str(error)
    return report | {"cells": len(nb.cells), "seconds": round(time.perf_counter() - start, 2), "ok": ok,
                     "first_check": nb.cells[-1].source.splitlines()[0], "detail": detail}


async def run_all(paths, preamble, parallel=3):
    """Notebooks ``parallel`` at a time (each in its own kernel)."""
    slots = asyncio.Semaphore(parallel)

    async def one(path):
        async with slots:
            return await first_cells(path, preamble)
    return await asyncio.gather(*(one(p) for p in paths))


def main(paths):
    preamble = None
    if paths and paths[0].startswith("--preamble="):
        preamble, paths = Path(paths[0].split("=", 1)[1]).read_text(), paths[1:]
    reports = asyncio.run(run_all(paths, preamble))
    for report in reports:
        print(json.dumps(report))
    return 0 if reports and all(r["ok"] for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
