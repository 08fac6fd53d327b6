"""Where a class is graded: local worker processes (``grade_batch``) or the workers of a Dask cluster
(``autograder.grading.cluster``), chosen by ``grade_class``; and one notebook in this process for a learner's
self-check (``grade_here``). Both kinds of worker run ``autograder.grading.tasks``.
"""

import concurrent.futures
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from autograder.grading.grader import grade_notebook
from autograder.grading.sandbox import Zygote, isolation
from autograder.grading.submission import collect
from autograder.grading.tasks import grade_task, stream

def students_in(submissions, assignment):
    """Students with a ``<student>/<assignment>/`` folder, sorted."""
    root = Path(submissions)
    return sorted(d.name for d in root.iterdir() if (d / assignment).is_dir()) if root.is_dir() else []


def grade_batch(spec, submissions, students, limits, how, workers, progress=None):
    """Grade every student in ``workers`` local processes (BLAS pinned to one thread); {student: Graded}."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"  # read by the spawned workers' numpy
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return stream(spec, submissions, students, lambda s: pool.submit(grade_task, spec, s, limits, how),
                      concurrent.futures.wait, lambda: 2 * workers, progress)


def grade_class(spec, submissions, students, limits, workers, scheduler=None, progress=None, log=print):
    """Grade every student on ``workers`` local processes, or on the Dask cluster at ``scheduler``; says
    through ``log`` what the sandboxes guarantee; {student: Graded}."""
    if scheduler:
        from autograder.grading.cluster import client_for, grade_on_cluster, workers_sandboxes
        with client_for(scheduler) as client:
            for worker, sandbox in sorted(workers_sandboxes(client).items()):
                log(f"{worker}: {sandbox}")
            return grade_on_cluster(client, spec, submissions, students, limits, progress)
    how = isolation()
    log(how.describe())
    return grade_batch(spec, submissions, students, limits, how, workers, progress)


def grade_here(spec, student, folder, limits, how):
    """One notebook in this process (``nncourse selfcheck`` / ``validate``)."""
    zygote = Zygote(limits, how)
    try:
        return grade_notebook(spec, collect(spec, student, folder), zygote, limits)
    finally:
        zygote.close()
