"""``nncourse``: the course's command line.

  nncourse release                 build every assignment's student version into course/release (fails on any leak)
  nncourse release --edition DIR   ... and write the self-contained student edition into DIR
  nncourse lab                     copy the student versions into your workspace and open JupyterLab on the start page
  nncourse grade ASSIGNMENT DIR    grade every DIR/<student>/ASSIGNMENT/*.ipynb in sandboxes, in parallel
  nncourse report ASSIGNMENT       the class report of what grade wrote: a page, CSV/JSON tables, LMS grade files
  nncourse selfcheck NOTEBOOK      a learner's own score, per exercise, with hints
  nncourse validate NOTEBOOK       exit 0 when every exercise of NOTEBOOK passes, 1 otherwise
"""

import argparse
import dataclasses
import os
import sys
import unicodedata
from pathlib import Path

from autograder.course import find_course
from autograder.learner import lab
from autograder.learner.check import AS_WRITTEN
from autograder.learner.lab import START_PAGE
from nncore.i18n import LANGUAGES, _, in_language, notebook_language

# Each command imports what it needs when it runs: nbformat alone takes seconds to import here (jsonschema
# compiles a grammar), which `nncourse report` does not have to pay.


def cmd_release(args):
    from autograder.publishing.edition import write_edition
    from autograder.publishing.release import release

    course = find_course(args.course)
    release(course, lang=args.lang)
    if args.edition:
        write_edition(course, args.edition, repository=args.repository)


def cmd_lab(args):
    from autograder.publishing.release import release
    from autograder.publishing.workspace import sync_workspace

    course = find_course(args.course)
    if not (course / "release" / START_PAGE).exists():
        release(course)
    workspace = Path(args.workspace).resolve()
    sync_workspace(course / "release", workspace)
    lab.main([str(workspace), f"--port={args.port}", f"--lang={args.lang}",
              *(["--no-browser"] if args.no_browser else [])])


def cmd_translations(args):
    """Start or complete the translation files of a language, and say what is left to translate."""
    from autograder.publishing.languages import translation_status

    course = find_course(args.course)
    left = translation_status(course, args.lang, stub=args.stub, stamped=args.stamp)
    for path, (missing, stale) in left.items():
        if missing or stale:
            print(f"{path}: {len(missing)} to translate, {len(stale)} whose English changed since")
    total = sum(len(m) + len(s) for m, s in left.values())
    print(f"{args.lang}: " + (f"{total} cells to translate or update" if total else "every notebook is translated"))
    return 1 if total else 0


def _limits(args):
    from autograder.grading.sandbox import Limits
    return Limits(timeout=args.timeout, budget=args.budget, memory_gib=args.memory)


def _deadline(course, args):
    """The assignment's due date (``--duedate``, the course config or the gradebook) and the late policy."""
    from autograder.grading.gradebook import due_date
    from autograder.grading.lateness import LatePolicy, deadline

    known = None if args.no_gradebook and args.db else due_date(course, args.assignment, args.db)
    return deadline(course, args.assignment, args.duedate, known), LatePolicy(course)


def cmd_grade(args):
    from tqdm import tqdm

    from autograder.grading.feedback import write_feedback
    from autograder.grading.gradebook import record
    from autograder.grading.lateness import apply_lateness
    from autograder.grading.results import summary, write_answers, write_context, write_csv
    from autograder.grading.similarity import starter_code
    from autograder.grading.spec import AssignmentSpec
    from autograder.grading.workers import grade_class, students_in

    course = find_course(args.course)
    spec = AssignmentSpec.load(course, args.assignment)
    if args.as_written:
        spec = dataclasses.replace(spec, grading=AS_WRITTEN)
    students = students_in(args.submissions, args.assignment)
    if not students:
        raise SystemExit(f"nncourse: no {args.submissions}/<student>/{args.assignment}/ folders to grade")
    out = Path(args.out) if args.out else course / "graded" / args.assignment
    due, policy = _deadline(course, args)
    with tqdm(total=len(students), unit="student", desc=f"grading {args.assignment}", file=sys.stderr) as progress:
        progress.write(f"{due.describe()}; {policy.describe()}", file=sys.stderr)
        graded = grade_class(spec, args.submissions, students, _limits(args), args.workers, args.scheduler,
                             progress, log=lambda text: progress.write(text, file=sys.stderr))
    graded = apply_lateness(graded, args.submissions, args.assignment, due, policy)
    write_csv(out / "grades.csv", graded)
    write_answers(out / "answers.json", graded)
    write_context(out / "grading.json", due.describe(), policy.describe(), starter_code(course, spec))
    write_feedback(out, spec, graded, policy.describe())
    if not args.no_gradebook:
        record(course, spec, graded, args.db, due.duedate if due.source != "the gradebook" else None)
    summary(graded)
    print(f"grades: {out / 'grades.csv'}\nfeedback: {out / 'feedback'}/<student>/{args.assignment}.html")
    failed = {s: g.grader_error for s, g in graded.items() if g.grader_error}
    for student, error in failed.items():
        print(f"nncourse: the grader failed on {student}:\n{error}", file=sys.stderr)
    return 1 if failed else 0


def _similar(answers, context):
    """(groups of similar answers, how they were found) for the report."""
    from autograder.grading.similarity import MIN_SIMILAR_INSTRUCTIONS, similar_answers

    if not answers or "starter_code" not in context:
        return [], {"compared": False, "why": "answers.json or grading.json is missing next to grades.csv (grade the "
                                              "class again with this version of nncourse)"}
    groups = similar_answers(answers, context["starter_code"])
    return groups, {"compared": True, "min_instructions": MIN_SIMILAR_INSTRUCTIONS}


def cmd_report(args):
    from autograder.grading.exports import people, write_exports
    from autograder.grading.report import class_report, write_tables
    from autograder.grading.report_page import write_page
    from autograder.grading.results import read_answers, read_context, read_csv

    course = find_course(args.course)
    graded_dir = Path(args.graded) if args.graded else course / "graded" / args.assignment
    if not (graded_dir / "grades.csv").is_file():
        raise SystemExit(f"nncourse: no {graded_dir / 'grades.csv'}: run `nncourse grade {args.assignment} ...` first")
    out = Path(args.out) if args.out else graded_dir / "report"
    graded = read_csv(graded_dir / "grades.csv")
    answers, context = read_answers(graded_dir / "answers.json"), read_context(graded_dir / "grading.json")
    groups, similarity = _similar(answers, context)
    report = class_report(args.assignment, graded, groups, similarity, context)
    write_tables(out, report)
    write_exports(out, args.assignment, graded, {} if args.no_gradebook else people(course, args.db), args.lms_column)
    page = write_page(out, report, graded_dir, [answers[g.students[0]][g.grade_id] for g in groups])
    print(f"report: {page}\ntables and LMS files (canvas.csv, moodle.csv, questions.csv): {out}")
    return 0


def _learner_grade(args):
    from autograder.grading.workers import grade_here
    from autograder.grading.sandbox import isolation
    from autograder.grading.spec import AssignmentSpec

    try:
        course = find_course(args.course)
    except SystemExit:
        course = None
    spec = AssignmentSpec.for_learner(args.notebook, course)
    with in_language(notebook_language(str(Path(args.notebook).resolve()))):
        print(spec.describe_tests(), flush=True)
    return grade_here(spec, "you", Path(args.notebook), _limits(args), isolation())


def cmd_selfcheck(args):
    result = _learner_grade(args)
    with in_language(result.language):
        _print_table(result)
    return 1 if result.grader_error else 0


def _padded(text, width, right=False):
    """``text`` padded to ``width`` columns of a terminal, where a Chinese character takes two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    space = " " * max(width - columns, 0)
    return space + text if right else text + space


def _print_table(result):
    from autograder.grading.results import status_label

    exercise, points, status, total_label = _("exercise"), _("points"), _("status"), _("total")
    print(f"{_padded(exercise, 28)} {_padded(points, 8, right=True)}  {status}")
    for r in result.rows:
        print(f"{_padded(r.exercise, 28)} {_padded(f'{r.points:g}/{r.max_points:g}', 8, right=True)}  "
              f"{status_label(r.status)}")
    total, best = result.score
    print(f"{_padded(total_label, 28)} {_padded(f'{total:g}/{best:g}', 8, right=True)}")
    for r in result.rows:
        if r.status != "passed":
            print(f"\n{r.exercise} — {status_label(r.status)}:\n{r.message}")


def cmd_validate(args):
    result = _learner_grade(args)
    from autograder.grading.results import status_label

    failing = [r for r in result.rows if r.status != "passed"]
    with in_language(result.language):
        for r in failing:
            print(f"{r.exercise}: {status_label(r.status)}\n{r.message}\n")
        verdict = (_("{failing} of {n} exercises do not pass") if failing else _("all {n} exercises pass"))
        print(f"{args.notebook}: " + verdict.format(failing=len(failing), n=len(result.rows)))
    return 1 if failing or result.grader_error else 0


def _sandbox_options(parser, timeout):
    parser.add_argument("--timeout", type=float, default=timeout,
                        help=f"seconds a cell or one call of a learner's function may run (default {timeout:g})")
    parser.add_argument("--budget", type=float, default=600,
                        help="seconds one notebook may take in all; the rest then scores as timeout (default 600)")
    parser.add_argument("--memory", type=float, default=2, help="GiB of memory the learner's code may use (default 2)")


def _release_parser(sub):
    rel = sub.add_parser("release", help="generate the student versions into COURSE/release and check them for leaks")
    rel.add_argument("--edition", metavar="DIR",
                     help="also write the self-contained student edition (no solutions, hidden tests or "
                          "instructor files) into DIR, ready to publish as its own repository")
    rel.add_argument("--repository", metavar="OWNER/NAME", default="OWNER/REPOSITORY",
                     help="the GitHub repository the edition will be published as (for its Binder badge)")
    rel.add_argument("--lang", choices=LANGUAGES, default="en",
                     help="the language of COURSE/release's own notebooks, the ones nbgrader's exchange hands out "
                          "(default en); the other languages go under COURSE/release/<language>/")
    rel.set_defaults(run=cmd_release)


def _lab_parser(sub):
    lab = sub.add_parser("lab", help="open the course in JupyterLab (student versions, in your workspace)")
    lab.add_argument("--workspace", default="workspace",
                     help="your own copies of the notebooks; existing files are never overwritten "
                          "(default: ./workspace)")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")
    lab.add_argument("--lang", choices=LANGUAGES, default="en",
                     help="open the course in this language: its start page, and the checker's messages (default en)")
    lab.set_defaults(run=cmd_lab)


def _translations_parser(sub):
    tr = sub.add_parser("translations", help="say which notebook cells are not translated yet (exit 1 if any)",
                        description="Check the translation files under COURSE/translations/LANG: cells with no "
                                    "translation, and cells whose English changed since they were translated. "
                                    "--stub adds the missing cells' English text, marked TODO, for a translator; "
                                    "--stamp marks the translated TODO sections done.")
    tr.add_argument("--lang", choices=[lang for lang in LANGUAGES if lang != "en"], default="zh")
    tr.add_argument("--stub", action="store_true", help="add a TODO section with the English text for each new cell")
    tr.add_argument("--stamp", action="store_true",
                    help="mark the TODO sections that have been translated as done (with the hash of their English)")
    tr.set_defaults(run=cmd_translations)


def _grade_parser(sub):
    grade = sub.add_parser(
        "grade", help="grade SUBMISSIONS/<student>/ASSIGNMENT/*.ipynb in sandboxes, in parallel",
        description="Grade every student's notebook. Each notebook's answer cells run in a sandbox (no network, "
                    "time, CPU, memory and output limits, the course folder out of sight where bubblewrap works); "
                    "the course's own tests run outside it on the functions' plain results. Writes OUT/grades.csv "
                    "(student, assignment, exercise, points, max_points, status, message, diagnosis, timestamp, "
                    "duedate, seconds_late, late_penalty), OUT/feedback/<student>/ASSIGNMENT.html (in the language "
                    "of the student's notebook), OUT/answers.json and OUT/grading.json (for `nncourse report`), "
                    "graded notebooks in COURSE/autograded/ and the scores in the nbgrader gradebook. Exits non-zero "
                    "only when the grader itself failed.")
    grade.add_argument("assignment", help="an assignment folder of COURSE/source, e.g. 02_logistic_regression")
    grade.add_argument("submissions", help="the folder holding <student>/ASSIGNMENT/*.ipynb (nbgrader's submitted/)")
    grade.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                       help="parallel grading processes on this machine (default: one per core; ignored with "
                            "--scheduler)")
    grade.add_argument("--out", help="where grades.csv and feedback/ go (default: COURSE/graded/ASSIGNMENT)")
    grade.add_argument("--scheduler", metavar="ADDRESS",
                       help="grade on the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://10.0.0.5:8786) "
                            "instead of local processes; its workers need nncourse installed "
                            "(pip install 'nncourse[scale]'), not the submissions folder")
    grade.add_argument("--db", metavar="URL",
                       help="the gradebook's SQLAlchemy URL, e.g. postgresql+psycopg://grader@db/course (default: the "
                            "course config's CourseDirectory.db_url, else COURSE/gradebook.db)")
    grade.add_argument("--no-gradebook", action="store_true", help="do not write scores into the nbgrader gradebook")
    grade.add_argument("--duedate", metavar="TIME",
                       help="the due date, e.g. '2026-11-21 23:59:00 Europe/Paris' (default: the course config's "
                            "c.NNCourse.duedates, else the gradebook's, as `nbgrader db assignment add --duedate` "
                            "sets it); late notebooks (their timestamp.txt) get the course's nbgrader late-submission "
                            "penalty, and the gradebook gets this due date")
    grade.add_argument("--as-written", action="store_true",
                       help="judge each exercise with the student's own other functions, so that one bug costs every "
                            "exercise that calls it (default: the course config's c.NNCourse.grading, normally "
                            "each bug charged once — the reference stands in for the student's other functions)")
    _sandbox_options(grade, 20)
    grade.set_defaults(run=cmd_grade)


def _report_parser(sub):
    report = sub.add_parser(
        "report", help="the class report of a graded assignment: one HTML page, CSV/JSON tables, LMS grade files",
        description="Read what `nncourse grade` wrote (GRADED/grades.csv and answers.json) and write into OUT: "
                    "report.html (score distribution, pass rates, the checker's diagnoses per exercise, failures no "
                    "hint explains, how well each exercise separates strong from weak students, late submissions, "
                    "similar answers for review; self-contained, readable offline), report.json and CSV tables of the "
                    "same numbers, and canvas.csv, moodle.csv and questions.csv for the LMS.")
    report.add_argument("assignment", help="the graded assignment, e.g. 02_logistic_regression")
    report.add_argument("--graded", metavar="DIR", help="where `nncourse grade` wrote grades.csv (default: "
                                                        "COURSE/graded/ASSIGNMENT, its default --out)")
    report.add_argument("--out", metavar="DIR", help="where the report goes (default: GRADED/report)")
    report.add_argument("--db", metavar="URL", help="the gradebook whose students' names, e-mails and LMS ids go "
                                                    "into the LMS files (default: the course's)")
    report.add_argument("--no-gradebook", action="store_true", help="do not read the gradebook: the LMS files "
                                                                    "identify students by their nbgrader id only")
    report.add_argument("--lms-column", metavar="NAME", default="",
                        help="the grade column's title in canvas.csv and moodle.csv (default: the assignment); for "
                             "an existing Canvas assignment use its name and id, e.g. 'Week 2 (12345)'")
    report.set_defaults(run=cmd_report)


def _learner_parsers(sub):
    for name, run, text in [
            ("selfcheck", cmd_selfcheck, "score your own notebook: a table per exercise, with hints"),
            ("validate", cmd_validate, "exit 0 when every exercise of NOTEBOOK passes, 1 otherwise (and say why)")]:
        learner = sub.add_parser(name, help=text, description=text + ". Uses the course's tests when the course "
                                 "is found (--course, the current folder, or this checkout's course/), else the "
                                 "notebook's own checks plus one more case per exercise; the first line says which.")
        learner.add_argument("notebook", help="your notebook, e.g. "
                             "workspace/02_logistic_regression/logistic_regression.ipynb")
        _sandbox_options(learner, 20)
        learner.set_defaults(run=run)


def build_parser():
    parser = argparse.ArgumentParser(prog="nncourse", description="Run and grade the nncourse deep-learning course.")
    parser.add_argument("--course", help="the course folder (default: the current folder if it holds "
                                         "nbgrader_config.py, else this checkout's course/)")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_release_parser, _lab_parser, _grade_parser, _report_parser, _learner_parsers, _translations_parser):
        add(sub)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    sys.exit(args.run(args) or 0)
