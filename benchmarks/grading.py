"""Grading throughput: `nbgrader autograde` (serial) vs `nncourse grade`, and how `nncourse grade` scales.

Builds a temporary copy of the course, releases one assignment, writes N submissions (the real solution
and honest bugs: a missing 1/m, a flipped comparison, an untouched notebook, an in-place update), then, in
one run and from identical copies of the course:

1. grades them with `nbgrader autograde` and with `nncourse grade`, checks that every student gets
   identical per-test-cell scores from both, and prints wall time and students per minute;
2. grades them with `nncourse grade` on 1, 2 and 4 local worker processes and on a Dask cluster of 2
   single-threaded workers started on loopback (`--scheduler`), checks that every grades.csv is the
   same bytes, and prints a scaling table;
3. prints a paper estimate for 10,000 submissions on N machines from the measured cost per notebook.

    python benchmarks/grading.py                 # 24 students of 02_logistic_regression
    python benchmarks/grading.py --students 40 --json results.json
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from course_tools import COHORT_ASSIGNMENT as ASSIGNMENT, cohort, dask_cluster, env, graded_from_csv


def timed(command, cwd):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed


def gradebook_scores(course):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {(s.student.id, g.name): g.score for s in gb.find_assignment(ASSIGNMENT).submissions
                for nb in s.notebooks for g in nb.grades}


def grades_csv(course):
    return (course / "graded" / ASSIGNMENT / "grades.csv").read_bytes()


def record_seconds(course):
    """Seconds per student the coordinator spends writing grades into the gradebook (serial whatever the
    workers), measured by recording the class again into the gradebook the run has just filled."""
    from autograder.grading.gradebook import record
    from autograder.grading.spec import AssignmentSpec
    graded = graded_from_csv(course, course / "graded" / ASSIGNMENT / "grades.csv")
    start = time.perf_counter()
    record(course, AssignmentSpec.load(course, ASSIGNMENT), graded)
    return (time.perf_counter() - start) / len(graded)


def scaling(base, tmp, students):
    """[(setup, wall s)] for 1, 2, 4 local workers and a 2-worker Dask cluster; every grades.csv the same."""
    command = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "submitted"]
    rows, outputs = [], []
    for workers in (1, 2, 4):
        course = shutil.copytree(base, tmp / f"local{workers}")
        rows.append((f"local, {workers} worker{'s' * (workers > 1)}",
                     timed([*command, "--workers", str(workers)], course)))
        outputs.append(grades_csv(course))
    course = shutil.copytree(base, tmp / "dask")
    with dask_cluster(tmp / "dask-cluster", workers=2) as (address, _):
        rows.append(("Dask, 2 workers (loopback)", timed([*command, "--scheduler", address], course)))
    outputs.append(grades_csv(course))
    return rows, all(o == outputs[0] for o in outputs), record_seconds(course)


def estimate(per_notebook, per_record, efficiency, submissions=10_000):
    """Paper estimate: minutes for ``submissions`` on N machines × C cores, one worker per core."""
    print(f"\n10,000 submissions on paper: {per_notebook:.2f} s per notebook per worker (1 local worker, start-up "
          f"included), parallel efficiency {efficiency:.0%} (Dask, 2 workers, this machine), "
          f"{1000 * per_record:.0f} ms per student to record on the coordinator (serial)\n")
    def span(seconds):
        return f"{seconds // 60:.0f} min {seconds % 60:.0f} s" if seconds >= 60 else f"{seconds:.0f} s"

    print("| machines × cores | grading | + gradebook (serial) | total |\n|---|---|---|---|")
    for machines, cores in ((1, 2), (1, 16), (10, 16), (50, 16), (100, 32)):
        grading = submissions * per_notebook / (machines * cores * efficiency)
        book = submissions * per_record
        print(f"| {machines} × {cores} | {span(grading)} | {span(book)} | {span(grading + book)} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", help="also write the numbers to this file")
    args = parser.parse_args()
    n = args.students
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = cohort(tmp / "base", n)
        ours, theirs = shutil.copytree(base, tmp / "ours"), shutil.copytree(base, tmp / "theirs")
        print(f"{n} students × {ASSIGNMENT}; load average {os.getloadavg()[0]:.2f}", flush=True)
        nbgrader_s = timed(["nbgrader", "autograde", ASSIGNMENT], theirs)
        nncourse_s = timed([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "submitted",
                            "--workers", str(args.workers)], ours)
        a, b = gradebook_scores(theirs), gradebook_scores(ours)
        with open(ours / "graded" / ASSIGNMENT / "grades.csv", newline="") as f:
            csv_scores = {(r["student"], f"test_{r['exercise']}"): float(r["points"]) for r in csv.DictReader(f)}
        scaled, identical_csv, per_record = scaling(base, tmp, n)
    same = a == b and all(b[k] == v for k, v in csv_scores.items()) and len(a) >= n
    rows = [("nbgrader autograde (serial)", nbgrader_s), (f"nncourse grade ({args.workers} workers)", nncourse_s)]
    print(f"\n| {'grader':<30} | {'wall s':>7} | {'students/min':>12} |\n|{'-' * 32}|{'-' * 9}|{'-' * 14}|")
    for name, seconds in rows:
        print(f"| {name:<30} | {seconds:7.1f} | {60 * n / seconds:12.1f} |")
    print(f"\nspeed-up: {nbgrader_s / nncourse_s:.1f}× (target ≥ 4×); identical scores for every student and "
          f"test cell: {'yes' if same else 'NO'}")
    one = scaled[0][1]
    print("\n| nncourse grade | wall s | students/min | speed-up vs 1 worker |\n|---|---|---|---|")
    for name, seconds in scaled:
        print(f"| {name} | {seconds:.1f} | {60 * n / seconds:.1f} | {one / seconds:.2f}× |")
    print(f"\nthe same grades.csv, byte for byte, from every setup: {'yes' if identical_csv else 'NO'} "
          f"({os.cpu_count()} cores: 4 local workers share them)")
    estimate(one / n, per_record, one / scaled[-1][1] / 2)
    if args.json:
        Path(args.json).write_text(json.dumps({"students": n, "nbgrader_s": nbgrader_s, "nncourse_s": nncourse_s,
                                               "identical": same, "scaling": dict(scaled),
                                               "identical_csv": identical_csv, "record_s_per_student": per_record},
                                              indent=2))
    if not same:
        diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        raise SystemExit(f"scores differ: {diff[:10]}")
    if not identical_csv:
        raise SystemExit("grades.csv differs between local and Dask grading")


if __name__ == "__main__":
    main()
