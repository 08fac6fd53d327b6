"""Grading on a Dask distributed cluster (``nncourse grade --scheduler ADDRESS``).

The same ``grade_task`` as the local process pool runs on each Dask worker: the sandbox, the trusted test
cells and the comparison with ``nncore`` are the worker's own, so a student's rows are identical to local
grading. The coordinator reads each notebook and sends its bytes with the task (the workers need the
course's Python package, not the submissions folder), keeps a few tasks per worker thread in flight, and
collects one result per student. When a worker dies mid-task, Dask's scheduler runs that task again on
another worker; a task whose workers keep dying (``distributed.scheduler.allowed-failures``) becomes
that student's grader-error row instead of stopping the batch. Nothing is written to the gradebook until
every result is in, and then once per student, by the coordinator.

Dask unpickles what it is sent: run the cluster for grading only, on a private network or with TLS
(``distributed.comm.require-encryption``), never shared with untrusted clients.
"""

import uuid

from autograder.grading.tasks import grade_task, stream

TASKS_PER_THREAD = 2


def client_for(scheduler):
    """A ``distributed.Client`` connected to ``scheduler`` (e.g. ``tcp://10.0.0.5:8786``), with a clear
    message when Dask is not installed or the scheduler does not answer."""
    try:
        from distributed import Client
    except ImportError:
        raise SystemExit("nncourse: --scheduler needs Dask: pip install 'nncourse[scale]'") from None
    try:
        return Client(scheduler, timeout="30s")
    except OSError as exc:
        raise SystemExit(f"nncourse: no Dask scheduler answers at {scheduler}: {exc}") from None


def workers_sandboxes(client):
    """{worker address: what its sandbox guarantees}, probed on each worker."""
    from autograder.grading.sandbox import isolation
    return client.run(lambda: isolation().describe())


def grade_on_cluster(client, spec, submissions, students, limits, progress=None):
    """Grade every student on the cluster behind ``client``; {student: Graded}, like ``grade_batch``."""
    from distributed import wait

    [shared_spec] = client.scatter([spec], broadcast=True)  # sent to each worker once, not once per student

    def submit(submitted):
        return client.submit(grade_task, shared_spec, submitted, limits,
                             key=f"grade-{spec.assignment}-{submitted.student}-{uuid.uuid4().hex[:8]}")

    def window():  # asked again as results come in: workers may join or leave during the batch
        return TASKS_PER_THREAD * max(sum(client.nthreads().values()), 1)

    return stream(spec, submissions, students, submit, wait, window, progress)
