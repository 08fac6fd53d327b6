"""The class report on a synthetic class of 1,000 students, and how often it lists honest answers as similar.

    python benchmarks/report.py                      # 1,000 students, 3 timed runs
    python benchmarks/report.py --students 300 --runs 1 --json results.json

1. Writes grades.csv and answers.json for N synthetic students of 02_logistic_regression
   (``tests/synthetic_class.py``: statuses, diagnoses and late submissions drawn at fixed rates; every answer cell
   written the way one more honest student might, independently of the others).
2. Times ``nncourse report`` on them end to end — a fresh process: start-up, imports, reading, similar answers,
   the numbers, the page with its charts, the tables and the LMS files — and prints the median of the runs next to
   the 10 s target, with the time of each step measured in this process.
3. Similar answers: for each threshold on the length of what a student wrote (bytecode instructions), the rate at
   which two independently written honest answers are listed together, the share of honest students listed in
   classes of 30, 100 and N, and the share of disguised copies (every variable and parameter renamed, comments
   added, spacing changed) that are found.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from course_tools import REPO, env
from synthetic_class import ASSIGNMENT, disguised_copy, honest_answers, source_cells, synthetic_graded

THRESHOLDS = (30, 40, 50, 60, 70, 80)


def synthetic_class(n, seed, folder):
    """grades.csv and answers.json of ``n`` synthetic students in ``folder``; their answers."""
    from autograder.grading.results import write_answers, write_context, write_csv

    rng = np.random.default_rng(seed)
    graded = synthetic_graded(n, rng)
    sources = source_cells()
    for result in graded.values():
        result.answers = honest_answers(rng, sources)
    write_csv(folder / "grades.csv", graded)
    write_answers(folder / "answers.json", graded)
    write_context(folder / "grading.json", "due 2026-11-21 12:00:00 UTC (--duedate)",
                  "1 point(s) off per hour or part of an hour late", starters())
    return {s: g.answers for s, g in graded.items()}


def starters():
    """The answer cells of 02_logistic_regression as released."""
    from autograder.grading.similarity import starter_code
    from autograder.grading.spec import AssignmentSpec
    return starter_code(REPO / "course", AssignmentSpec.load(REPO / "course", ASSIGNMENT))


def end_to_end(folder, runs):
    """Wall seconds of each ``nncourse report`` run on ``folder``."""
    command = [sys.executable, "-m", "autograder", "--course", str(REPO / "course"), "report", ASSIGNMENT,
               "--graded", str(folder), "--out", str(folder / "report"), "--no-gradebook"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, env=env(), capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"nncourse report failed:\n{result.stdout}\n{result.stderr}")
    return times


def steps(folder):
    """Seconds of each step of the report, measured in this process (imports already paid)."""
    from autograder.grading.exports import write_exports
    from autograder.grading.report import class_report, write_tables
    from autograder.grading.report_page import write_page
    from autograder.grading.results import read_answers, read_context, read_csv
    from autograder.grading.similarity import MIN_SIMILAR_INSTRUCTIONS, similar_answers

    out, timings = folder / "in-process", {}

    def timed(name, call):
        start = time.perf_counter()
        value = call()
        timings[name] = time.perf_counter() - start
        return value

    graded = timed("read grades.csv", lambda: read_csv(folder / "grades.csv"))
    answers = timed("read answers.json", lambda: read_answers(folder / "answers.json"))
    context = read_context(folder / "grading.json")
    groups = timed("similar answers", lambda: similar_answers(answers, context["starter_code"]))
    similarity = {"compared": True, "min_instructions": MIN_SIMILAR_INSTRUCTIONS}
    report = timed("numbers", lambda: class_report(ASSIGNMENT, graded, groups, similarity, context))
    timed("tables", lambda: write_tables(out, report))
    timed("LMS files", lambda: write_exports(out, ASSIGNMENT, graded, {}))
    samples = [answers[g.students[0]][g.grade_id] for g in groups]
    timed("page and charts", lambda: write_page(out, report, folder, samples))
    return timings


def listed_share(written, students, minimum):
    """The share of ``students`` that some group of similar answers lists."""
    from autograder.grading.similarity import group_similar
    groups = group_similar({s: written[s] for s in students}, minimum)
    return len({s for g in groups for s in g.students}) / len(students)


def false_positives(answers, seed, classes=(30, 100)):
    """Per threshold: the rate per pair of honest students, the share listed in classes of each size, and the share
    of disguised copies found."""
    from autograder.grading.similarity import written, written_answers

    given = starters()
    found = written_answers(answers, given)
    rng, students = np.random.default_rng(seed), sorted(answers)
    copies = {(s, gid): written(disguised_copy(code, rng), given[gid]) for s in students[:200]
              for gid, code in answers[s].items()}
    rows = []
    for minimum in THRESHOLDS:
        same = Counter((gid, w.shape) for s in students for gid, w in found[s].items() if w.size >= minimum)
        together = sum(k * (k - 1) / 2 for k in same.values())   # pairs of students listed together
        pairs = len(students) * (len(students) - 1) / 2
        shares = {k: statistics.mean(listed_share(found, list(rng.choice(students, k, replace=False)), minimum)
                                     for _ in range(50)) for k in classes}
        eligible = [(key, w) for key, w in copies.items() if found[key[0]][key[1]].size >= minimum]
        caught = sum(w is not None and w.shape == found[s][gid].shape for (s, gid), w in eligible)
        rows.append({"min_instructions": minimum, "pairs_listed_per_pair": together / pairs,
                     **{f"listed_in_class_of_{k}": v for k, v in shares.items()},
                     f"listed_in_class_of_{len(students)}": listed_share(found, students, minimum),
                     "copies_found": caught / len(eligible) if eligible else None, "copies_compared": len(eligible)})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of `nncourse report` (the median is kept)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="nncourse-report-") as tmp:
        folder = Path(tmp)
        answers = synthetic_class(args.students, args.seed, folder)
        times = end_to_end(folder, args.runs)
        median = statistics.median(times)
        print(f"\n`nncourse report` on {args.students} students: {median:.2f} s (median of {len(times)}: "
              f"{', '.join(f'{t:.2f}' for t in times)}); target 10 s: {median / 10:.0%} of it")
        timings = steps(folder)
        for name, seconds in timings.items():
            print(f"  {name:<20} {seconds:6.2f} s")
        rows = false_positives(answers, args.seed)
    from autograder.grading.similarity import MIN_SIMILAR_INSTRUCTIONS
    print(f"\nsimilar answers (threshold in use: {MIN_SIMILAR_INSTRUCTIONS} written instructions)")
    header = list(rows[0])
    print("  ".join(f"{h:>24}" for h in header))
    for row in rows:
        print("  ".join(f"{'' if v is None else f'{v:.4g}':>24}" for v in row.values()))
    if args.json:
        Path(args.json).write_text(json.dumps({"students": args.students, "report_seconds": times,
                                               "steps": timings, "similarity": rows}, indent=1))
    if median > 10:
        raise SystemExit(f"the report took {median:.1f} s, more than 10 s")


if __name__ == "__main__":
    main()
