"""The instructor's grading side: what is graded (the spec from the source notebook, the submissions), how
(the sandbox, its wire protocol, the trusted grader, local and Dask workers) and what it leaves behind
(grades.csv, feedback pages, the nbgrader gradebook). Never shipped to students."""
