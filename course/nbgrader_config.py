"""nbgrader configuration for the nncourse course root (run nbgrader commands from this folder)."""

import os

c = get_config()  # noqa: F821 — provided by nbgrader

c.CourseDirectory.course_id = "nncourse"

# What a student sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# An endless loop costs at most this many seconds per cell (the checker itself stops a learner's
# function after 20 s, with a message).
c.ExecutePreprocessor.timeout = 60

# Feedback returned to students: no hidden test source, and no traceback that could quote it.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "autograder.grading.feedback.HideTestTracebacks",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Each bug is charged once: an exercise is judged with the course's reference standing in for the student's
# other graded functions it calls, so a wrong sigmoid costs the sigmoid exercise only. "as_written" judges
# every exercise with the student's own functions instead. `nncourse grade` reads this setting; the checker in
# nbgrader's kernels reads the environment variable, set here so that both grade alike.
c.NNCourse.grading = "each_bug_once"
os.environ["NNCOURSE_GRADING"] = c.NNCourse.grading
