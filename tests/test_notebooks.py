"""Every source notebook executes top to bottom, is stored clean, and every check in it passes."""

from pathlib import Path

import nbclient
import nbformat
import pytest

SOURCES = sorted((Path(__file__).resolve().parents[1] / "course" / "source").glob("*/*.ipynb"))


def test_there_are_source_notebooks():
    assert SOURCES


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_source_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert not [c for c in nb.cells if c.cell_type == "code" and (c.outputs or c.execution_count)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_solution_notebook_runs_top_to_bottom(path):
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    for cell in tests:
        text = "".join(o.get("text", "") for o in cell.outputs)
        assert text.count("✅") == 2 and not [o for o in cell.outputs if o.get("name") == "stderr"], cell.source
