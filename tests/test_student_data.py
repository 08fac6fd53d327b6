"""What grading and the learner's lab write must never be committed by accident: every output that holds
student data (submissions, grades, feedback, the gradebook and its lock, exports) or a learner's own work
and lab state is ignored by git, and nothing the course ships is."""

import subprocess

from course_tools import REPO

WRITTEN = [
    "course/submitted/ada/02_logistic_regression/logistic_regression.ipynb",   # nbgrader collect / the exchange
    "course/autograded/ada/02_logistic_regression/logistic_regression.ipynb",  # graded notebooks
    "course/feedback/ada/02_logistic_regression/logistic_regression.html",     # nbgrader generate_feedback
    "course/graded/02_logistic_regression/grades.csv",                         # nncourse grade's default --out
    "course/graded/02_logistic_regression/feedback/ada/02_logistic_regression.html",
    "course/graded/02_logistic_regression/answers.json",                       # what the report compares
    "course/graded/02_logistic_regression/grading.json",
    "course/graded/02_logistic_regression/report/report.html",                 # nncourse report's default --out
    "course/graded/02_logistic_regression/report/canvas.csv",
    "course/gradebook.db", "course/gradebook.db.lock",                         # the gradebook and its writers' lock
    "course/grades.csv",                                                       # nbgrader export
    "course/release/02_logistic_regression/logistic_regression.ipynb",         # rebuilt by nncourse release
    "workspace/02_logistic_regression/logistic_regression.ipynb",              # the learner's own copies
    "workspace/.nncourse-lab/workspaces/default-37a8.jupyterlab-workspace",    # the learner's lab state
]


def ignored(paths):
    result = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=REPO, capture_output=True, text=True)
    return set(result.stdout.split())


def test_everything_grading_and_the_lab_write_is_ignored():
    assert ignored(WRITTEN) == set(WRITTEN)


def test_nothing_the_course_ships_is_ignored():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    assert tracked and not ignored(tracked)
