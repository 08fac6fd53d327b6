"""The student edition: a self-contained folder, ready to publish as its own repository, that holds what a
learner needs and nothing an instructor must keep.

    nncourse release --edition DIR [--repository OWNER/NAME]

writes, from the student versions in ``course/release``:

    README.md            for students: the Binder badge, how to run it on a laptop (`make lab`)
    Makefile             `make lab`: install once, then open JupyterLab on the start page
    welcome.ipynb        the start page; glossary.ipynb; <assignment>/<notebook>.ipynb (student versions)
    data/                the HDF5 data sets and their provenance and licence
    nncore/              the reference library (the notebooks import it; the checker computes expected values with it)
    autograder/learner/  the learner's side of the checker (``check`` and the exercise registries), as it is
    pyproject.toml       installs nncore + autograder (no command line: there is no instructor tool in here)
    binder/              requirements.txt and runtime.txt as tested, a postBuild for the edition

and nothing else: no ``source/`` (solutions, hidden tests), no gradebook, no ``nbgrader_config.py``, no
submissions, no tests. Every file is scanned afterwards: a single solution or hidden-test line of the
sources outside the reference library, or a hidden-test line anywhere, aborts with ``LeakError``.
"""

import shutil
import tomllib
from pathlib import Path

from autograder.learner.lab import START_PAGE
from nncore.i18n import LANGUAGES
from autograder.publishing.release import REGIONS, LeakError, assignments, cell_sources, split_lines

ROOT = Path(__file__).resolve().parents[2]
MARKER = ".nncourse-edition"
PLACEHOLDER_REPOSITORY = "OWNER/REPOSITORY"
LIBRARY = ("nncore", "autograder")
HIDDEN = [REGIONS[1]]
TEXT_SUFFIXES = {".py", ".ipynb", ".md", ".txt", ".toml", ".cfg", ".json", ".po", ""}


def binder_url(repository, path):
    """The mybinder.org launch URL that opens JupyterLab on ``path`` of ``repository`` (OWNER/NAME on GitHub)."""
    return f"https://mybinder.org/v2/gh/{repository}/HEAD?urlpath=lab/tree/{path}"


def badge(repository, path):
    return f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder_url(repository, path)})"


# ---------------------------------------------------------------------------------------------- the files

def _pyproject():
    """The edition's pyproject.toml: the same runtime dependencies, only the two libraries, no scripts."""
    main = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = "".join(f'    "{d}",\n' for d in main["dependencies"])
    return f'''[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "nncourse-student-edition"
version = "{main["version"]}"
description = "nncourse, student edition: neural networks from scratch in numpy, with instant feedback."
requires-python = "{main["requires-python"]}"
license = "MIT"
dependencies = [
{deps}]

[tool.hatch.build.targets.wheel]
packages = ["nncore", "autograder"]

[tool.hatch.build.targets.wheel.force-include]
"data" = "nncore/_data"
'''


def _postbuild():
    return """#!/bin/bash
# repo2docker (Binder) runs this once at image build, in the repository folder, after binder/requirements.txt.
set -euo pipefail
python -m pip install --no-deps -e .
# The learner's JupyterLab: no instructor (nbgrader) menus, no "fetch news?" pop-up over the start page.
python -m autograder.learner.lab --environment
"""


def _readme(repository, weeks, languages):
    listing = "\n".join(f"- `{w}`" for w in weeks)
    other = "".join(f"\n\n**中文版** {badge(repository, f'{lang}/{START_PAGE}')} · "
                    f"在自己的电脑上：`make lab COURSE_LANG={lang}`"
                    for lang in languages if lang == "zh")
    return f"""# nncourse · student edition

{badge(repository, START_PAGE)}{other}

**Neural networks from scratch, in your browser.** Click the badge: JupyterLab opens on the course's
start page, `{START_PAGE}`, which lists the weeks in order. In each notebook you implement the functions it
asks for and run the `check(...)` cell under each exercise; it compares your function with the course's
reference and tells you in plain words what differs and why it probably happened. Binder sessions are
temporary: download your notebooks (File → Download) before you close the tab.

## On your own computer

You need Python 3.11 or newer (with its `venv` module) and `make`. From this folder:

```bash
make lab            # installs into ./.venv once, then opens JupyterLab on {START_PAGE}
make lab PORT=8890  # if 8888 is taken
```

It prints the address to open. Without `make`: `python3 -m venv .venv`, then
`.venv/bin/pip install -r binder/requirements.txt -e .` and `.venv/bin/python -m autograder.learner.lab`.

## What is here

{listing}

- `{START_PAGE}` the start page, `glossary.ipynb` the bilingual glossary (术语表)
- `data/` the data sets (see `data/README.md` for where they come from and their licences)
- `nncore/` the course's reference library, which the notebooks and the checker use. It contains worked
  implementations of many of the functions you are asked to write: you learn far more by writing your own
  first — and a graded course may test you on new cases, so your own code is what counts.
- `autograder/` the `check(...)` feedback
"""


GITIGNORE = ".ipynb_checkpoints/\n__pycache__/\n*.egg-info/\n.venv/\n.nncourse-lab/\n"

MAKEFILE = """# `make lab`: install into ./.venv once, then open JupyterLab on the start page (as Binder does).
PYTHON ?= python3
PORT   ?= 8888
COURSE_LANG ?= en

.PHONY: lab
lab: .venv/.installed
\t.venv/bin/python -m autograder.learner.lab --port $(PORT) --lang $(COURSE_LANG)

.venv/.installed: binder/requirements.txt pyproject.toml
\ttest -x .venv/bin/python || $(PYTHON) -m venv .venv
\t.venv/bin/pip install -q -r binder/requirements.txt -e .
\ttouch $@
"""


def _requirements():
    """binder/requirements.txt as tested, under a header for the edition (the original's comments are about
    the instructor's repository and its tests)."""
    pins = [line for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    return "# The versions this course was tested with; Binder and `make lab` install exactly these.\n" + \
        "\n".join(pins) + "\n"


def _clear(target):
    """Empty ``target`` for a new edition, keeping ``.git``; refuse a folder that is not an edition."""
    target.mkdir(parents=True, exist_ok=True)
    entries = [p for p in target.iterdir() if p.name != ".git"]
    if entries and not (target / MARKER).exists():
        raise SystemExit(f"nncourse: {target} is not empty and holds no earlier edition ({MARKER}); "
                         "give an empty or new folder")
    for path in entries:
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def _copy(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def _copy_course_files(course, target):
    """The student versions, the start page and glossary, the data, nncore and the learner's side of the
    checker; returns the notebooks' paths."""
    from nncore.data import data_dir

    release_dir, notebooks = course / "release", []
    for week in assignments(course):
        for notebook in sorted((release_dir / week).glob("*.ipynb")):
            _copy(notebook, target / week / notebook.name)
            notebooks.append(target / week / notebook.name)
    for page in sorted(release_dir.glob("*.ipynb")):                 # the start page and the glossary
        _copy(page, target / page.name)
    for lang in LANGUAGES:                                           # the course in other languages
        for page in sorted((release_dir / lang).rglob("*.ipynb")) if (release_dir / lang).is_dir() else []:
            _copy(page, target / page.relative_to(release_dir))
    for path in sorted(data_dir().glob("*.h5")) + [data_dir() / "README.md"]:
        if path.exists():
            _copy(path, target / "data" / path.name)
    for path in [ROOT / "autograder" / "__init__.py", *sorted((ROOT / "nncore").rglob("*.py")),
                 *sorted((ROOT / "nncore" / "locale").rglob("*.po")),
                 *sorted((ROOT / "autograder" / "learner").rglob("*.py"))]:
        _copy(path, target / path.relative_to(ROOT))
    return notebooks


def _write_edition_files(target, repository, weeks):
    """README, Makefile, pyproject.toml, binder/ and the edition's marker."""
    (target / "binder").mkdir(parents=True, exist_ok=True)
    (target / "binder" / "requirements.txt").write_text(_requirements())
    _copy(ROOT / "binder" / "runtime.txt", target / "binder" / "runtime.txt")
    (target / "binder" / "postBuild").write_text(_postbuild())
    (target / "binder" / "postBuild").chmod(0o755)
    (target / "pyproject.toml").write_text(_pyproject())
    present = [lang for lang in LANGUAGES if (target / lang / START_PAGE).is_file()]
    (target / "README.md").write_text(_readme(repository, weeks, present))
    (target / "Makefile").write_text(MAKEFILE)
    (target / ".gitignore").write_text(GITIGNORE)
    (target / MARKER).write_text("written by `nncourse release --edition`; the whole folder is rewritten each time\n")


def write_edition(course, target, repository=PLACEHOLDER_REPOSITORY, log=print):
    """Write the student edition of ``course`` (whose ``release/`` is already built) into ``target``."""
    course, target = Path(course), Path(target).resolve()
    if not (course / "release" / START_PAGE).exists():
        raise SystemExit(f"nncourse: no student versions in {course / 'release'}; run `nncourse release` first")
    _clear(target)
    notebooks = _copy_course_files(course, target)
    _write_edition_files(target, repository, assignments(course))
    found = edition_leaks(course / "source", target)
    if found:
        raise LeakError("the student edition contains solution or hidden-test lines:\n  " + "\n  ".join(found))
    log(f"student edition in {target}: {len(notebooks)} notebooks, no solution or hidden test leaked")
    if repository == PLACEHOLDER_REPOSITORY:
        log(f"warning: the Binder badge in {target / 'README.md'} points at {PLACEHOLDER_REPOSITORY}: pass "
            "--repository OWNER/NAME (the GitHub repository you will publish the edition as) to make it work")
    return target


# ------------------------------------------------------------------------------------------- the leak scan

def text_lines(path):
    """The stripped lines of a text file (a notebook: of its cells' sources); None for binary files."""
    path = Path(path)
    if path.suffix == ".ipynb":
        return {line.strip() for text in cell_sources(path) for line in text.splitlines()}
    if path.suffix not in TEXT_SUFFIXES:
        return None
    try:
        return {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    except UnicodeDecodeError:
        return None


def is_library(relative):
    """Whether ``relative`` (a path inside the edition) is a copied source of the reference library or checker."""
    return relative.parts[0] in LIBRARY and relative.suffix == ".py"


def course_secrets(source_dir, regions=REGIONS):
    """Lines inside ``regions`` of some source notebook and shown openly in none (a line one notebook shows
    as worked code is public, even when another notebook asks for it as an exercise)."""
    parts = [split_lines(nb, regions) for nb in sorted(Path(source_dir).glob("*/*.ipynb"))]
    return set().union(*(i for i, _ in parts)) - set().union(*(o for _, o in parts))


def edition_leaks(source_dir, edition):
    """``file: line`` for every secret found in the edition. Solution lines count everywhere except in the
    library sources, which are copied verbatim from this repository (nncore *is* the worked reference: see
    docs/instructors.md); hidden-test lines and region markers count everywhere."""
    secrets, hidden = course_secrets(source_dir), course_secrets(source_dir, HIDDEN)
    markers = {m for pair in REGIONS for m in pair}
    found = []
    for path in sorted(p for p in Path(edition).rglob("*") if p.is_file() and ".git" not in p.parts):
        lines = text_lines(path)
        if lines is None:
            continue
        relative = path.relative_to(edition)
        shown = (hidden if is_library(relative) else secrets) & lines
        shown |= {line for line in lines if any(line.startswith(m) for m in markers)}
        found += [f"{relative}: {line}" for line in sorted(shown)]
    return found
