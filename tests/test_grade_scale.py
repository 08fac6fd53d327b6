"""Grading at scale for real: a Dask scheduler and worker processes on loopback, and a PostgreSQL gradebook
served by Debian's PostgreSQL on loopback.

The cohort is 02_logistic_regression's honest mix (correct, a missing 1/m, a flipped comparison, untouched,
an in-place update). Local grading with the process pool is the reference: the cluster's grades.csv must be
the same bytes.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from autograder.grading.results import write_csv
from autograder.grading.workers import students_in
from autograder.grading.sandbox import Limits
from autograder.grading.spec import AssignmentSpec
from course_tools import (BIN, COHORT_ASSIGNMENT as ASSIGNMENT, cohort, dask_cluster, graded_from_csv, run,
                          solution_code, submit)

pytestmark = pytest.mark.xdist_group("scale")  # one cohort for the module; the clusters take both cores in turn

STUDENTS = 10


def nncourse(course, *args, **extra_env):
    return run([str(BIN / "nncourse"), "--course", str(course), *args], course, **extra_env)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return cohort(tmp_path_factory.mktemp("scale") / "course", STUDENTS)


@pytest.fixture(scope="module")
def local_csv(course):
    nncourse(course, "grade", ASSIGNMENT, "submitted", "--workers", "2", "--no-gradebook", "--out", "graded-local")
    return (course / "graded-local" / "grades.csv").read_bytes()


def test_a_dask_cluster_grades_every_student_exactly_as_local_processes_do(course, local_csv, tmp_path):
    with dask_cluster(tmp_path / "dask", workers=2) as (address, _):
        result = nncourse(course, "grade", ASSIGNMENT, "submitted", "--scheduler", address, "--out", "graded-dask")
    sandboxes = [line for line in result.stderr.splitlines() if line.startswith("tcp://127.0.0.1")]
    assert len(sandboxes) == 2, result.stderr  # each worker says what its own sandbox guarantees
    assert (course / "graded-dask" / "grades.csv").read_bytes() == local_csv
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submissions = gb.find_assignment(ASSIGNMENT).submissions
        assert sorted(s.student.id for s in submissions) == students_in(course / "submitted", ASSIGNMENT)


def test_killing_a_worker_in_the_middle_of_a_batch_loses_no_student(course, local_csv, tmp_path):
    from distributed import Client

    from autograder.grading.cluster import grade_on_cluster
    from autograder.grading.lateness import LatePolicy, apply_lateness, deadline

    spec = AssignmentSpec.load(course, ASSIGNMENT)
    students = students_in(course / "submitted", ASSIGNMENT)
    with dask_cluster(tmp_path / "dask", workers=2) as (address, workers), Client(address) as client:
        names = {addr: info["name"] for addr, info in client.scheduler_info(n_workers=-1)["workers"].items()}
        killed = {}

        class KillABusyWorker:
            """The progress bar's stand-in: after the first result, SIGKILL a worker while it grades."""
            def update(self, n):
                if killed:
                    return
                busy = {addr: keys for addr, keys in client.processing().items() if keys}
                addr, keys = sorted(busy.items())[0]
                killed.update(address=addr, keys=list(keys))
                os.killpg(workers[int(names[addr].removeprefix("worker"))].pid, signal.SIGKILL)

        graded = grade_on_cluster(client, spec, course / "submitted", students, Limits(), KillABusyWorker())
        assert killed["address"] not in client.nthreads()  # the worker really is gone
    assert killed["keys"], "the killed worker was grading someone"
    assert sorted(graded) == students
    assert [s for s, g in graded.items() if g.grader_error] == []
    graded = apply_lateness(graded, course / "submitted", ASSIGNMENT, deadline(course, ASSIGNMENT), LatePolicy(course))
    write_csv(tmp_path / "grades.csv", graded)   # as `nncourse grade` writes it, with the submission times
    assert (tmp_path / "grades.csv").read_bytes() == local_csv  # every student once, scores as local grading


# ---------------------------------------------------------------------------------------------------
# PostgreSQL

def _postgres_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.skip("no PostgreSQL server: install Debian's `postgresql` package (make system-deps does, as root)")
    return found[-1].parent


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server of our own on loopback (a free port, trust auth, its own data folder); yields
    ``database(name)``, which creates an empty database and returns its SQLAlchemy URL. As root, the server
    runs as the `postgres` user, which it demands."""
    pg = _postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="nncourse-pg-"))
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(root, "postgres")
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = root / "data"
    pg_ctl = [*as_user, str(pg / "pg_ctl"), "-D", str(data)]
    run([*as_user, str(pg / "initdb"), "-D", str(data), "-U", "grader", "--auth=trust", "-E", "UTF8"], root)
    run([*pg_ctl, "-w", "-l", str(root / "server.log"), "-o", f"-h 127.0.0.1 -p {port} -k {root}", "start"], root)

    def database(name):
        run([str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "grader", name], root)
        return f"postgresql+psycopg://grader@127.0.0.1:{port}/{name}"

    try:
        yield database
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def test_two_concurrent_grade_runs_record_every_score_once_in_postgresql(course, postgres):
    url = postgres("course")
    other, notebook = "01_numpy_vectorization", "numpy_vectorization.ipynb"
    run(["nbgrader", "generate_assignment", other, "--force"], course)
    answers = solution_code(course / "source" / other / notebook)
    for student in students_in(course / "submitted", ASSIGNMENT)[:4]:
        submit(course, student, other, notebook, answers)
    command = [str(BIN / "nncourse"), "--course", str(course), "grade"]
    runs = {a: subprocess.Popen([*command, a, "submitted", "--workers", "1", "--db", url, "--out", f"graded-pg/{a}"],
                                cwd=course, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for a in (ASSIGNMENT, other)}
    for assignment, proc in runs.items():
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{assignment}:\n{out}\n{err}"

    import csv

    from sqlalchemy import create_engine, text
    expected = {}
    for assignment in runs:
        with open(course / "graded-pg" / assignment / "grades.csv", newline="") as f:
            for row in csv.DictReader(f):
                expected[(row["student"], assignment, f"test_{row['exercise']}")] = float(row["points"])
    engine = create_engine(url)
    with engine.connect() as db:
        recorded = db.execute(text(
            "SELECT st.id, a.name, cell.name, g.auto_score FROM grade g "
            "JOIN grade_cells gc ON gc.id = g.cell_id JOIN base_cell cell ON cell.id = gc.id "
            "JOIN submitted_notebook sn ON sn.id = g.notebook_id "
            "JOIN submitted_assignment sa ON sa.id = sn.assignment_id JOIN assignment a ON a.id = sa.assignment_id "
            "JOIN student st ON st.id = sa.student_id")).all()
        students = db.execute(text("SELECT id FROM student")).scalars().all()
    engine.dispose()
    keys = [(student, assignment, cell) for student, assignment, cell, _ in recorded]
    assert len(keys) == len(set(keys)), "a score was recorded twice"
    assert {(s, a, c): score for s, a, c, score in recorded} == expected
    assert sorted(students) == sorted(set(students)) == students_in(course / "submitted", ASSIGNMENT)


def test_an_unreachable_scheduler_is_a_clear_message(course):
    result = subprocess.run([str(BIN / "nncourse"), "--course", str(course), "grade", ASSIGNMENT, "submitted",
                             "--scheduler", "tcp://127.0.0.1:9", "--no-gradebook"],
                            cwd=course, capture_output=True, text=True,
                            env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"})
    assert result.returncode != 0
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def _record_at_once(barrier, course, graded, url):
    from autograder.grading.gradebook import record
    spec = AssignmentSpec.load(course, ASSIGNMENT)
    barrier.wait()
    record(course, spec, graded, url)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_gradebook_writers_that_start_at_the_same_instant_take_turns(course, local_csv, request, tmp_path, backend):
    """Three writers on a fresh gradebook at once (overlapping students): without the lock they race to
    create the tables, the course, the assignment and the same students."""
    import multiprocessing

    from nbgrader.api import Gradebook
    url = (request.getfixturevalue("postgres")("race") if backend == "postgresql"
           else f"sqlite:///{tmp_path / 'gradebook.db'}")
    (tmp_path / "grades.csv").write_bytes(local_csv)
    graded = graded_from_csv(course, tmp_path / "grades.csv")
    students = sorted(graded)
    shares = [students[:5], students[3:8], students[6:]]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(shares))
    writers = [context.Process(target=_record_at_once, args=(barrier, course, {s: graded[s] for s in share}, url))
               for share in shares]
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=300)
    assert [w.exitcode for w in writers] == [0] * len(writers)
    with Gradebook(url) as gb:
        recorded = {(s.student.id, g.name): g.auto_score for s in gb.find_assignment(ASSIGNMENT).submissions
                    for nb in s.notebooks for g in nb.grades}
    assert recorded == {(s, r.grade_id): r.points for s in students for r in graded[s].rows}
