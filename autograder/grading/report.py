"""The class at a glance: the numbers ``nncourse report`` computes from what ``nncourse grade`` wrote.

``class_report(assignment, graded, similar)`` turns ``{student: Graded}`` (``results.read_csv``) into one plain
dictionary — written as report.json, as CSV tables (``write_tables``) and as the page (``report_page``):

- the score distribution (after late penalties) and, per exercise, the pass rate and the count of each status;
- per exercise, the diagnoses that fired (the hint ids of grades.csv), with counts, shares of the class and the
  hint's words; and the failures no hint explains, counted, with a few anonymized got-vs-expected lines —
  where the next hint is worth writing;
- per exercise, the point-biserial correlation of passing it with the rest of the score (the points of the other
  exercises): near zero or negative, the exercise does not separate strong from weak students — unclear or broken;
- late submissions and their penalties, and the groups of similar answers (``autograder.grading.similarity``).
"""

import csv
import json
from pathlib import Path

import numpy as np

from nncore.i18n import _

STATUSES = ("passed", "failed", "error", "timeout", "missing", "tampered", "borrowed", "copied")
EXAMPLES = 5          # got-vs-expected lines shown per exercise for failures no hint explains
EXAMPLE_CHARS = 300


def point_biserial(passed: np.ndarray, points: np.ndarray) -> list:
    """Per exercise (column), the correlation of passing it (``passed``: students × exercises, bool) with the
    points of the other exercises; None where either is constant (everyone passed, or the rest is the same)."""
    x = passed.astype(np.float64)
    rest = points.sum(axis=1, keepdims=True) - points
    xc, yc = x - x.mean(axis=0), rest - rest.mean(axis=0)
    spread = np.sqrt((xc ** 2).sum(axis=0) * (yc ** 2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (xc * yc).sum(axis=0) / spread
    return [float(v) if s > 1e-12 else None for v, s in zip(r, spread)]


def hint_words(message: str) -> str:
    """The words of the first hint in a checker's message ("" when it has none)."""
    prefix = _("hint: {text}").format(text="")
    return next((line.strip()[len(prefix):] for line in message.splitlines() if line.strip().startswith(prefix)), "")


def got_vs_expected(message: str, student: str) -> str:
    """What differed, from a failing check's message, without its first line (the test case) or the student's id."""
    lines = [line.strip() for line in message.splitlines()[1:] if line.strip()] or [message.strip()]
    return " / ".join(lines[:2]).replace(student, "…")[:EXAMPLE_CHARS]


def _scores(graded: dict, students: list) -> dict:
    final = np.array([graded[s].final for s in students])
    best = max(graded[s].score[1] for s in students)
    bins = np.arange(0, best + 2) - 0.5 if best <= 40 else np.linspace(0, best, 21)
    counts, edges = np.histogram(final, bins=bins)
    return {"max_points": best, "mean": float(final.mean()), "median": float(np.median(final)),
            "min": float(final.min()), "max": float(final.max()),
            "histogram": {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]}}


def _diagnoses(rows: list, students: int) -> tuple[list, dict]:
    """(the diagnoses that fired among ``rows`` of one exercise, the failures no hint explains)."""
    fired, unexplained = {}, []
    for row in rows:
        if row.diagnosis:
            entry = fired.setdefault(row.diagnosis, {"id": row.diagnosis, "count": 0, "words": ""})
            entry["count"] += 1
            entry["words"] = entry["words"] or hint_words(row.message)
        elif row.status == "failed":
            unexplained.append(got_vs_expected(row.message, row.student))
    for entry in fired.values():
        entry["share"] = entry["count"] / students
    examples = list(dict.fromkeys(unexplained))[:EXAMPLES]
    ranked = sorted(fired.values(), key=lambda e: (-e["count"], e["id"]))
    return ranked, {"count": len(unexplained), "examples": examples}


def _exercises(graded: dict, students: list) -> list:
    names = [r.exercise for r in graded[students[0]].rows]
    rows = {e: [] for e in names}
    for s in students:
        for r in graded[s].rows:
            rows.setdefault(r.exercise, []).append(r)
    points = np.array([[r.points for r in rows[e]] for e in names]).T
    passed = np.array([[r.status == "passed" for r in rows[e]] for e in names]).T
    separation = point_biserial(passed, points)
    report = []
    for i, name in enumerate(names):
        fired, unexplained = _diagnoses(rows[name], len(students))
        statuses = {s: sum(r.status == s for r in rows[name]) for s in STATUSES}
        statuses |= {r.status: statuses.get(r.status, 0) + 1 for r in rows[name] if r.status not in STATUSES}
        report.append({"exercise": name, "max_points": rows[name][0].max_points,
                       "pass_rate": statuses["passed"] / len(students), "mean_points": float(points[:, i].mean()),
                       "statuses": statuses, "point_biserial": separation[i], "diagnoses": fired,
                       "unexplained": unexplained})
    return report


def _lateness(graded: dict, students: list, context: dict) -> dict:
    late = [{"student": s, "timestamp": graded[s].lateness.timestamp, "duedate": graded[s].lateness.duedate,
             "hours_late": graded[s].lateness.seconds_late / 3600, "penalty": graded[s].lateness.penalty}
            for s in students if graded[s].lateness.seconds_late > 0]
    return {"due": context.get("due", ""), "policy": context.get("late_policy", ""),
            "duedates": sorted({graded[s].lateness.duedate for s in students} - {""}),
            "submitted_with_time": sum(bool(graded[s].lateness.timestamp) for s in students), "late": len(late),
            "penalty_points": sum(x["penalty"] for x in late), "students": sorted(late, key=lambda x: -x["hours_late"])}


def class_report(assignment: str, graded: dict, similar=(), similarity: dict | None = None,
                 context: dict | None = None) -> dict:
    """Every number of the report, as plain data (``similar``: ``SimilarGroup``s; ``similarity``: how they were
    found — the threshold, or why answers were not compared; ``context``: what grading.json says)."""
    students = sorted(graded)
    if not students:
        raise ValueError("no students in grades.csv")
    return {"assignment": assignment, "students": len(students), "scores": _scores(graded, students),
            "exercises": _exercises(graded, students), "lateness": _lateness(graded, students, context or {}),
            "similar": [{"exercise": g.grade_id, "students": list(g.students), "instructions": g.size}
                        for g in similar],
            "similarity": similarity or {},
            "per_student": [{"student": s, "points": graded[s].score[0], "late_penalty": graded[s].lateness.penalty,
                             "score": graded[s].final, "max_points": graded[s].score[1]} for s in students]}


def _number(value) -> str:
    return "" if value is None else f"{value:.6g}"


def _tables(report: dict) -> dict:
    """{file name: (header, rows)}: the report's numbers as CSV tables."""
    exercises, n = report["exercises"], report["students"]
    return {
        "exercises.csv": (["exercise", "max_points", "students", "pass_rate", "mean_points", "point_biserial",
                           "unexplained", *STATUSES],
                          [[e["exercise"], f"{e['max_points']:g}", n, _number(e["pass_rate"]),
                            _number(e["mean_points"]), _number(e["point_biserial"]), e["unexplained"]["count"],
                            *(e["statuses"][s] for s in STATUSES)] for e in exercises]),
        "diagnoses.csv": (["exercise", "diagnosis", "count", "share", "hint"],
                          [[e["exercise"], d["id"], d["count"], _number(d["share"]), d["words"]]
                           for e in exercises for d in e["diagnoses"]]
                          + [[e["exercise"], "", e["unexplained"]["count"], _number(e["unexplained"]["count"] / n), ""]
                             for e in exercises if e["unexplained"]["count"]]),
        "unexplained.csv": (["exercise", "example"],
                            [[e["exercise"], x] for e in exercises for x in e["unexplained"]["examples"]]),
        "students.csv": (["student", "points", "late_penalty", "score", "max_points"],
                         [[p["student"], *(f"{p[k]:g}" for k in ("points", "late_penalty", "score", "max_points"))]
                          for p in report["per_student"]]),
        "similar.csv": (["exercise", "group", "student", "instructions"],
                        [[g["exercise"], i, s, g["instructions"]] for i, g in enumerate(report["similar"], 1)
                         for s in g["students"]]),
    }


def write_tables(out: Path, report: dict) -> list:
    """report.json and the same numbers as CSV tables in ``out``; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json"]
    paths[0].write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    for name, (header, rows) in _tables(report).items():
        with open(out / name, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
        paths.append(out / name)
    return paths
