"""The class report as one self-contained page: ``report.html`` from ``templates/report.html.j2`` (jinja2,
autoescaped), its charts drawn by matplotlib as inline SVG (text kept as text), nothing fetched — it reads the same
offline, attached to an e-mail or opened from a USB stick.
"""

import io
import os
from pathlib import Path

import jinja2
from markupsafe import Markup

from autograder.grading.report import STATUSES

_TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("autograder.grading"), autoescape=True,
                                trim_blocks=True, lstrip_blocks=True)
COLOURS = {"passed": "#2e7d32", "failed": "#c62828", "error": "#ef6c00", "timeout": "#f9a825", "missing": "#9e9e9e",
           "tampered": "#6a1b9a", "borrowed": "#283593", "copied": "#00838f"}
WEAK_SEPARATION = 0.2   # below this a point-biserial correlation is commonly read as a weak item


def _svg(figure) -> Markup:
    """A matplotlib figure as an inline <svg> element (its text as text, in the page's font)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "nncourse"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return Markup(text[text.index("<svg"):])  # our own drawing: exercise names and numbers only


def _figure(width, height):
    from matplotlib.figure import Figure
    figure = Figure(figsize=(width, height))
    figure.patch.set_alpha(0)
    return figure, figure.add_subplot()


def score_chart(scores: dict) -> Markup:
    """The distribution of scores (after late penalties)."""
    figure, ax = _figure(7, 2.6)
    edges, counts = scores["histogram"]["edges"], scores["histogram"]["counts"]
    ax.bar(edges[:-1], counts, width=[b - a for a, b in zip(edges, edges[1:])], align="edge", color="#1565c0",
           edgecolor="white")
    ax.axvline(scores["mean"], color="#c62828", linestyle="--", label=f"mean {scores['mean']:.1f}")
    ax.set(xlabel=f"score (of {scores['max_points']:g} points)", ylabel="students")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def status_chart(exercises: list, students: int) -> Markup:
    """Per exercise, the share of the class in each status (passed first)."""
    figure, ax = _figure(6.2, 0.45 * len(exercises) + 1.0)
    names = [e["exercise"] for e in exercises][::-1]
    left = [0.0] * len(names)
    for status in STATUSES:
        shares = [e["statuses"][status] / students for e in exercises][::-1]
        if any(shares):
            ax.barh(names, shares, left=left, color=COLOURS[status], label=status)
            left = [a + b for a, b in zip(left, shares)]
    ax.set(xlim=(0, 1), xlabel="share of the class")
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def separation_chart(exercises: list) -> Markup:
    """Per exercise, the point-biserial correlation of passing it with the rest of the score."""
    figure, ax = _figure(7, 0.45 * len(exercises) + 1.0)
    names = [e["exercise"] for e in exercises][::-1]
    values = [e["point_biserial"] for e in exercises][::-1]
    ax.barh(names, [v or 0 for v in values],
            color=["#9e9e9e" if v is None else "#c62828" if v < WEAK_SEPARATION else "#2e7d32" for v in values])
    for y, v in enumerate(values):
        ax.annotate("n/a" if v is None else f"{v:.2f}", (max(v or 0, 0), y), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.axvline(WEAK_SEPARATION, color="#555", linestyle=":", linewidth=1)
    ax.axvline(0, color="#222", linewidth=0.8)
    ax.set(xlim=(min(-0.2, *(v or 0 for v in values)), 1),
           xlabel="point-biserial correlation with the rest of the score")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def report_html(report: dict, graded_dir: Path, out: Path, samples=()) -> str:
    """The page: ``report`` (``autograder.grading.report.class_report``) with its charts and, per similar group, the
    code of its first member (``samples``); links to the students' feedback pages under ``graded_dir`` are relative
    to ``out``, where the page is written."""
    charts = {"scores": score_chart(report["scores"]), "separation": separation_chart(report["exercises"]),
              "statuses": status_chart(report["exercises"], report["students"])}
    return _TEMPLATES.get_template("report.html.j2").render(
        r=report, statuses=STATUSES, colours=COLOURS, weak=WEAK_SEPARATION, charts=charts, samples=list(samples),
        feedback=Path(os.path.relpath(Path(graded_dir) / "feedback", out)).as_posix())


def write_page(out: Path, report: dict, graded_dir: Path, samples=()) -> Path:
    """report.html in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.html"
    path.write_text(report_html(report, graded_dir, out, samples), encoding="utf-8")
    return path
