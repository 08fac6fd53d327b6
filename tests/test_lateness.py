"""Deadlines and late penalties mean what they mean in nbgrader: the expected penalties come from nbgrader's own
``AssignLatePenalties`` preprocessor, run on a real gradebook with the same course config (the whole pipeline —
``nncourse grade`` and then ``nbgrader autograde`` on the same late notebooks — is in tests/test_report.py)."""

import datetime
import os
import warnings

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.preprocessors import AssignLatePenalties

from autograder.course import course_config
from autograder.grading.lateness import Deadline, LatePolicy, SubtractPerHour, deadline, lateness, timestamp
from course_tools import BIN, copy_course

DUE = datetime.datetime(2026, 11, 21, 12, 0, 0)
SUBMARKS = '''from nbgrader.plugins import BasePlugin


class SubMarks(BasePlugin):
    def late_submission_penalty(self, student_id, score, total_seconds_late):
        """Penalty of 1 mark per hour late (nbgrader's documented example)"""
        return round(total_seconds_late / 3600, 0)
'''
POLICIES = {
    "none": "",
    "zero": "c.LateSubmissionPlugin.penalty_method = 'zero'\n",
    "per_hour": "c.AssignLatePenalties.plugin_class = 'autograder.grading.lateness.SubtractPerHour'\n"
                "c.SubtractPerHour.points_per_hour = 0.5\n",
    "own_plugin": "c.AssignLatePenalties.plugin_class = 'late.SubMarks'\n",
}


@pytest.fixture(scope="module", params=sorted(POLICIES))
def course(request, tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp(request.param) / "course")
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\n" + POLICIES[request.param])
    (course / "late.py").write_text(SUBMARKS)
    return course


CASES = [(7, 0), (7, 1), (7, 1800), (7, 3600), (7, 3601), (7, 5 * 3600 + 1), (2, 30 * 3600), (0, 7200)]


@pytest.fixture(scope="module")
def recorded_by_nbgrader(course, tmp_path_factory):
    """{(score, seconds late): the penalty nbgrader's AssignLatePenalties records} for a notebook of each case,
    with the course's nbgrader_config.py, run from the course folder as nbgrader runs it (it imports a plugin
    module from there)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('gradebook') / 'gradebook.db'}"
    with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings():
        warnings.simplefilter("ignore")   # nbgrader's add_submission trips an SQLAlchemy autoflush warning
        patch.chdir(course)
        patch.syspath_prepend(str(course))   # as nbgrader's apps put their working folder on sys.path
        patch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ['PATH']}")   # nbgrader runs `alembic` by name
        with Gradebook(url) as gb:
            gb.add_assignment("a", duedate=DUE)
            gb.add_notebook("nb", "a")
            gb.add_grade_cell("test", "nb", "a", max_score=10, cell_type="code")
            for i, (score, seconds) in enumerate(CASES):
                gb.add_student(f"s{i}")
                gb.add_submission("a", f"s{i}", timestamp=DUE + datetime.timedelta(seconds=seconds))
                gb.find_grade("test", "nb", "a", f"s{i}").auto_score = score
            gb.db.commit()
        for i in range(len(CASES)):
            resources = {"nbgrader": {"notebook": "nb", "assignment": "a", "student": f"s{i}", "db_url": url}}
            AssignLatePenalties(config=course_config(course)).preprocess(nbformat.v4.new_notebook(), resources)
        with Gradebook(url) as gb:
            return {case: gb.find_submission_notebook("nb", "a", f"s{i}").late_submission_penalty or 0.0
                    for i, case in enumerate(CASES)}


def test_the_penalty_is_the_one_nbgrader_records(course, recorded_by_nbgrader, monkeypatch):
    monkeypatch.chdir(course)
    policy = LatePolicy(course)
    assert {(score, late): policy.penalty("s", score, late) for score, late in CASES} == recorded_by_nbgrader
    assert any(recorded_by_nbgrader.values()) == (course.parent.name.split("0")[0] != "none")


def test_subtract_per_hour_takes_points_for_every_started_hour():
    plugin = SubtractPerHour(points_per_hour=2)
    assert [plugin.late_submission_penalty("s", 10, s) for s in (1, 3599, 3600, 3601, 7200)] == [2, 2, 2, 4, 4]


def test_the_policy_says_in_words_what_it_costs(course):
    words = LatePolicy(course).describe()
    name = course.parent.name
    expected = {"none": "no late penalty", "zero": "a late submission scores zero",
                "per_hour": "0.5 point(s) off per hour or part of an hour late",
                "own_plugin": "the course's late policy (late.SubMarks)"}
    assert words == next(v for k, v in expected.items() if name.startswith(k))


def test_the_due_date_comes_from_the_option_else_the_config_else_the_gradebook(tmp_path):
    course = copy_course(tmp_path / "course")
    extension = {"late_student": datetime.timedelta(hours=6)}
    from_gradebook = deadline(course, "02_logistic_regression", None, (DUE, extension))
    assert (from_gradebook.duedate, from_gradebook.source) == (DUE, "the gradebook")
    assert from_gradebook.of("late_student") == DUE + datetime.timedelta(hours=6)
    assert from_gradebook.of("anyone") == DUE
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nc.NNCourse.duedates = {'02_logistic_regression': '2026-11-21 13:00:00 Europe/Paris'}\n")
    configured = deadline(course, "02_logistic_regression", None, (DUE, extension))
    assert (configured.duedate, configured.source) == (DUE, "the course config")   # 13:00 in Paris is 12:00 UTC
    assert configured.of("late_student") == DUE + datetime.timedelta(hours=6)      # the extension still counts
    option = deadline(course, "02_logistic_regression", "2026-11-22 08:00:00 UTC", None)
    assert (option.duedate, option.source) == (datetime.datetime(2026, 11, 22, 8), "--duedate")
    assert deadline(course, "03_shallow_network", None, None) == Deadline()


def test_timestamps_are_read_as_nbgrader_reads_them(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    assert timestamp(folder) == (None, "")                                          # no timestamp.txt: not late
    (folder / "timestamp.txt").write_text("2026-11-21 14:30:00.000000 America/New_York\n")
    assert timestamp(folder) == (datetime.datetime(2026, 11, 21, 19, 30), "")
    (folder / "timestamp.txt").write_text("yesterday-ish")
    when, note = timestamp(folder)
    assert when is None and "not a time" in note


def test_lateness_of_a_submission(tmp_path, course):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "timestamp.txt").write_text("2026-11-21 14:30:00 UTC")
    late = lateness("s", folder, 7.0, Deadline(DUE, "--duedate"), LatePolicy(course))
    assert (late.timestamp, late.duedate, late.seconds_late) == ("2026-11-21 14:30:00", "2026-11-21 12:00:00", 9000)
    on_time = lateness("s", folder, 7.0, Deadline(DUE, "x", {"s": datetime.timedelta(hours=3)}), LatePolicy(course))
    assert (on_time.seconds_late, on_time.penalty) == (0, 0)
    assert lateness("s", folder, 7.0, Deadline(), LatePolicy(course)).seconds_late == 0     # no due date
