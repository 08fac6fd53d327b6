"""What students get back: the feedback page of ``nncourse grade`` and the nbgrader preprocessor that keeps
hidden tests out of nbgrader's own feedback.

``write_feedback`` makes ``<out>/feedback/<student>/<ASSIGNMENT>.html`` (a jinja2 template, autoescaped):
when the notebook came in and any late penalty, the per-exercise table with the checker's messages and hints, and
the student's own answer code — never a
test cell's source, so hidden tests stay hidden, and never solution code.

``HideTestTracebacks`` (listed in the course's ``nbgrader_config.py`` for ``nbgrader generate_feedback``)
replaces the traceback of a failing test cell with its one-line message, because IPython's traceback quotes
the source line that failed, which may be a hidden test. The checker's message already says what went wrong.
"""

import math
from pathlib import Path

import jinja2
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution

from autograder.grading.results import status_label
from nncore.i18n import _, in_language

_TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("autograder.grading"), autoescape=True,
                                trim_blocks=True, lstrip_blocks=True)
_TEMPLATES.globals["_"] = _


def late_by(seconds):
    """``2 h 30 min``: how late, in words a student reads at a glance."""
    minutes = math.ceil(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    units = ((days, _("{n} d")), (hours, _("{n} h")), (minutes, _("{n} min")))
    return " ".join(unit.format(n=n) for n, unit in units if n) or _("{n} min").format(n=0)


def feedback_html(spec, graded, late_policy=""):
    """One student's feedback page (a complete HTML document), in the language of their notebook;
    ``late_policy`` says in words what lateness costs."""
    points, max_points = graded.score
    with in_language(graded.language):
        return _TEMPLATES.get_template("feedback.html.j2").render(
            assignment=spec.assignment, student=graded.student, points=points, max_points=max_points,
            final=graded.final, late=graded.lateness, late_by=late_by(graded.lateness.seconds_late),
            late_policy=late_policy, rows=graded.rows, answers=graded.answers, outputs=graded.outputs,
            language=graded.language, status_label=status_label)


def write_feedback(out, spec, graded, late_policy=""):
    """Write every student's feedback page; returns their paths."""
    paths = []
    for student, result in sorted(graded.items()):
        path = Path(out) / "feedback" / student / f"{spec.assignment}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(feedback_html(spec, result, late_policy), encoding="utf-8")
        paths.append(path)
    return paths


class HideTestTracebacks(NbGraderPreprocessor):
    """In every autograder test cell, show ``ErrorName: message`` instead of the full traceback."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
