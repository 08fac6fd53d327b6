"""Grading throughput: `nbgrader autograde` (serial, one command for the class) vs `nncourse grade`, one run.

Builds a temporary copy of the course, releases one assignment, writes N submissions (the real solution
and honest bugs: a missing 1/m, a flipped comparison, an untouched notebook, an in-place update), then
grades the same submissions both ways from two identical copies of the course, times each, checks that
every student gets identical per-test-cell scores from both, and prints wall time and students per minute.

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
from course_tools import copy_course, env, solution_code, submit  # noqa: E402

ASSIGNMENT = "02_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"


def variants(solution):
    """Honest submissions, correct and buggy, cycled over the class."""
    def bug(grade_id, old, new):
        assert old in solution[grade_id]
        return solution | {grade_id: solution[grade_id].replace(old, new)}
    return [
        ("correct", solution),
        ("missing_m", bug("propagate", "dw = np.dot(X, (A - Y).T) / m", "dw = np.dot(X, (A - Y).T)")),
        ("correct", solution),
        ("flipped_predict", bug("predict", "(A > 0.5)", "(A < 0.5)")),
        ("correct", solution),
        ("untouched", {}),
        ("in_place_update", bug("optimize", 'w = w - learning_rate * grads["dw"]', 'w -= learning_rate * grads["dw"]')),
        ("correct", solution),
    ]


def build(root, students):
    course = copy_course(root / "course")
    subprocess.run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=course, env=env(),
                   check=True, capture_output=True)
    kinds = variants(solution_code(course / "source" / ASSIGNMENT / NOTEBOOK))
    for i in range(students):
        name, answers = kinds[i % len(kinds)]
        submit(course, f"s{i:03d}_{name}", ASSIGNMENT, NOTEBOOK, answers)
    return course


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", help="also write the numbers to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = build(tmp / "base", args.students)
        ours, theirs = tmp / "ours", tmp / "theirs"
        shutil.copytree(base, ours)
        shutil.copytree(base, theirs)
        print(f"{args.students} students × {ASSIGNMENT}; load average {os.getloadavg()[0]:.2f}", flush=True)
        nbgrader_s = timed(["nbgrader", "autograde", ASSIGNMENT], theirs)
        nncourse_s = timed([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "submitted",
                            "--workers", str(args.workers)], ours)
        a, b = gradebook_scores(theirs), gradebook_scores(ours)
        with open(ours / "graded" / ASSIGNMENT / "grades.csv", newline="") as f:
            csv_scores = {(r["student"], f"test_{r['exercise']}"): float(r["points"]) for r in csv.DictReader(f)}
    same = a == b and all(b[k] == v for k, v in csv_scores.items()) and len(a) >= args.students
    rows = [("nbgrader autograde (serial)", nbgrader_s), (f"nncourse grade ({args.workers} workers)", nncourse_s)]
    print(f"\n| {'grader':<30} | {'wall s':>7} | {'students/min':>12} |\n|{'-' * 32}|{'-' * 9}|{'-' * 14}|")
    for name, seconds in rows:
        print(f"| {name:<30} | {seconds:7.1f} | {60 * args.students / seconds:12.1f} |")
    print(f"\nspeed-up: {nbgrader_s / nncourse_s:.1f}× (target ≥ 4×); identical scores for every student and "
          f"test cell: {'yes' if same else 'NO'}")
    if args.json:
        Path(args.json).write_text(json.dumps({"students": args.students, "nbgrader_s": nbgrader_s,
                                               "nncourse_s": nncourse_s, "identical": same}, indent=2))
    if not same:
        diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        raise SystemExit(f"scores differ: {diff[:10]}")


if __name__ == "__main__":
    main()
