"""Finding the course and talking to nbgrader from Python (one process, no per-command start-up)."""

import os
import sys
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"


def find_course(course=None):
    """The course root: ``course`` if given, else the current folder when it holds nbgrader_config.py,
    else the ``course/`` folder of this checkout."""
    candidates = [Path(course)] if course else [Path.cwd(), Path(__file__).resolve().parents[1] / "course"]
    for path in candidates:
        if (path / CONFIG_FILE).is_file():
            return path.resolve()
    where = " or ".join(str(p) for p in candidates)
    raise SystemExit(f"nncourse: no {CONFIG_FILE} in {where}; run from the course folder or pass --course DIR")


def course_config(course):
    """The course's configuration, as nbgrader_config.py sets it (a traitlets ``Config``)."""
    config = Config()
    config.merge(PyFileConfigLoader(CONFIG_FILE, path=str(course)).load_config())
    return config


def grading_policy(course):
    """How an exercise's calls to the learner's other graded functions are judged: ``each_bug_once`` (the
    reference stands in for them) unless the course config says ``c.NNCourse.grading = "as_written"``."""
    return str(course_config(course).NNCourse.get("grading", "each_bug_once"))


def gradebook_url(course, db_url=None):
    """The gradebook's SQLAlchemy URL: ``db_url``, else the course config's ``CourseDirectory.db_url``, else
    nbgrader's default ``COURSE/gradebook.db`` — found without importing nbgrader."""
    configured = course_config(course).CourseDirectory.get("db_url")
    return db_url or configured or f"sqlite:///{(Path(course) / 'gradebook.db').resolve()}"


def nbgrader_api(course, db_url=None):
    """An ``NbGraderAPI`` configured by the course's nbgrader_config.py, rooted at ``course``; ``db_url``
    (any SQLAlchemy URL) replaces the config's gradebook."""
    # nbgrader runs `alembic` by name when it opens the gradebook: make this environment's bin/ findable.
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = course_config(course)
    config.CourseDirectory.root = str(course)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
