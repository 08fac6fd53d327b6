"""nbgrader preprocessors that keep hidden tests hidden in the feedback students receive.

``ClearHiddenTests`` removes the hidden region from test cells' source; ``HideTestTracebacks`` replaces
the traceback of a failing test cell with its one-line message, because IPython's traceback quotes the
source line that failed, which may be a hidden test. The checker's message already says what went wrong.
"""

from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution


class HideTestTracebacks(NbGraderPreprocessor):
    """In every autograder test cell, show ``ErrorName: message`` instead of the full traceback."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
