"""What grading leaves behind: feedback pages for students, graded notebooks and gradebook scores for nbgrader.

``write_feedback`` makes ``<out>/feedback/<student>/<ASSIGNMENT>.html``: the per-exercise table with the
checker's messages and hints, and the student's own answer code — never a test cell's source, so hidden
tests stay hidden, and never solution code. ``record`` writes each student's scores into the course's
nbgrader gradebook through nbgrader's own API (so formgrader and ``nbgrader export`` see them) and a graded
notebook under ``autograded/<student>/<ASSIGNMENT>/`` built from the source notebook, as ``nbgrader
autograde`` would leave it.
"""

import copy
import html
import json
import shutil
import warnings
from pathlib import Path

from autograder.course import gradebook_lock, nbgrader_api

_STYLE = """body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}
pre{white-space:pre-wrap;margin:0;font-size:.9em}.passed{color:#176117}.failed,.error,.tampered,.timeout,.missing{color:#a01515}"""


# The files nbgrader keeps next to a submitted notebook and carries into autograded/ and feedback/.
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


def feedback_html(spec, graded):
    """One student's feedback page (a complete HTML document)."""
    esc = html.escape
    rows = graded.rows
    total, best = sum(r.points for r in rows), sum(r.max_points for r in rows)
    table = "".join(
        f"<tr><td>{esc(r.exercise)}</td><td>{r.points:g} / {r.max_points:g}</td>"
        f"<td class='{esc(r.status)}'>{esc(r.status)}</td><td><pre>{esc(r.message)}</pre></td></tr>" for r in rows)
    answers = "".join(
        f"<h3>{esc(gid)}</h3><pre>{esc(code)}</pre>"
        + (f"<p>printed:</p><pre>{esc(graded.outputs[gid])}</pre>" if graded.outputs.get(gid) else "")
        for gid, code in graded.answers.items())
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{esc(spec.assignment)}: {esc(graded.student)}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{esc(spec.assignment)}</h1>"
            f"<p>Student: {esc(graded.student)} — score: <b>{total:g} / {best:g}</b></p>"
            f"<table><tr><th>exercise</th><th>points</th><th>status</th><th>what the checker says</th></tr>{table}</table>"
            f"<h2>Your answers</h2>{answers or '<p>(no answer cells were found)</p>'}</body></html>")


def write_feedback(out, spec, graded):
    """Write every student's feedback page; returns their paths."""
    paths = []
    for student, result in sorted(graded.items()):
        path = Path(out) / "feedback" / student / f"{spec.assignment}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(feedback_html(spec, result), encoding="utf-8")
        paths.append(path)
    return paths


def _graded_notebook(source_nb, result):
    """The source notebook with the student's answers and the grader's outputs (what formgrader shows)."""
    nb = copy.deepcopy(source_nb)
    by_id = {r.grade_id: r for r in result.rows}
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell["cell_type"] != "code" or gid is None:
            continue
        cell["outputs"], cell["execution_count"] = [], None
        if gid in result.answers or cell["metadata"]["nbgrader"].get("solution"):
            cell["source"] = result.answers.get(gid, "# (this answer cell is missing from the submission)")
            if result.outputs.get(gid):
                cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": result.outputs[gid]}]
        elif gid in by_id:
            row = by_id[gid]
            cell["outputs"] = ([{"output_type": "stream", "name": "stdout", "text": row.message}] if row.status == "passed"
                               else [{"output_type": "error", "ename": row.status, "evalue": row.message,
                                      "traceback": [f"{row.status}: {row.message}"]}])
    return nb


def record(course, spec, graded, db_url=None):
    """Scores into the nbgrader gradebook (``db_url``, else the course's; the assignment is created there if
    needed) and graded notebooks. Concurrent runs take turns (``gradebook_lock``)."""
    api = nbgrader_api(course, db_url)
    with gradebook_lock(api.coursedir.db_url):
        _record(api, course, spec, graded)


def _record(api, course, spec, graded):
    from nbgrader.api import MissingEntry
    notebook_id = spec.notebook.removesuffix(".ipynb")
    source_path = Path(course) / "source" / spec.assignment / spec.notebook
    with api.gradebook as gb:
        known = any(n.name == notebook_id for a in gb.assignments if a.name == spec.assignment for n in a.notebooks)
    if not known:  # what `nbgrader generate_assignment` does: put the assignment and its cells in the gradebook
        result = api.generate_assignment(spec.assignment, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not add {spec.assignment} to the gradebook:\n{result.get('log')}")
    source_nb = json.loads(source_path.read_text(encoding="utf-8"))
    with api.gradebook as gb:
        for student, result in sorted(graded.items()):
            gb.update_or_create_student(student)
            timestamp = Path(result.notebook).parent / "timestamp.txt" if result.notebook else None
            kwargs = {"timestamp": timestamp.read_text().strip()} if timestamp and timestamp.is_file() else {}
            try:
                gb.find_submission(spec.assignment, student)
            except MissingEntry:
                with warnings.catch_warnings():  # nbgrader's own add_submission trips an SQLAlchemy autoflush warning
                    warnings.simplefilter("ignore")
                    gb.add_submission(spec.assignment, student, **kwargs)
            for row in result.rows:
                grade = gb.find_grade(row.grade_id, notebook_id, spec.assignment, student)
                grade.auto_score = row.points
                grade.needs_manual_grade = grade.manual_score is not None
            gb.db.commit()
            target = Path(course) / "autograded" / student / spec.assignment
            target.mkdir(parents=True, exist_ok=True)
            (target / spec.notebook).write_text(json.dumps(_graded_notebook(source_nb, result), indent=1), encoding="utf-8")
            for name in SUBMISSION_FILES:  # as nbgrader's autograde does: feedback and its release need them
                kept = Path(result.notebook).parent / name if result.notebook else None
                if kept and kept.is_file():
                    shutil.copy2(kept, target / name)
