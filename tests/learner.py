"""Define 'learner' code the way a notebook cell does: source text compiled under its own file name."""

import linecache
import re
import textwrap

import numpy as np

_counter = iter(range(10**6))
_CHINESE = re.compile("[\u4e00-\u9fff]")


def cell(source, **namespace):
    """Run ``source`` as a learner's cell and return its namespace (functions keep it as __globals__)."""
    source = textwrap.dedent(source)
    filename = f"<learner-cell-{next(_counter)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    ns = {"np": np, **namespace}
    exec(compile(source, filename, "exec"), ns)  # a test fixture: the learner's code
    return ns


def plant(source, *replacements):
    """``source`` with a bug planted by ``(old, new)`` replacement pairs; each anchor must be there,
    so a test can never pass because its bug was not actually planted."""
    for old, new in zip(replacements[::2], replacements[1::2]):
        assert old in source, f"the planted bug's anchor {old!r} is not in the correct answer"
        source = source.replace(old, new)
    return source


def plant_in(source, name, old, new):
    """``source`` with ``old`` replaced by ``new`` inside the definition of function ``name`` only; the anchor
    must occur exactly once there, so the bug lands where the test says it does."""
    start = source.index(f"\ndef {name}(")
    end = source.find("\ndef ", start + 1)
    end = len(source) if end < 0 else end
    body = source[start:end]
    assert body.count(old) == 1, f"the planted bug's anchor {old!r} must occur exactly once in {name}"
    return source[:start] + body.replace(old, new) + source[end:]


class Report(str):
    """The checker's report, as the learner reads it, with ``hint_ids``: the ids of its diagnoses, most specific
    first (``CheckFailure.hint_ids``, what a class report counts)."""

    hint_ids: tuple[str, ...] = ()

    @property
    def hint(self):
        """The id of the most specific diagnosis (an exercise-specific one when there is one), or None."""
        return self.hint_ids[0] if self.hint_ids else None


def _report(check, name, fn, lang):
    """The checker's ``CheckFailure`` for ``fn`` with its messages in ``lang``; fails the test if ``fn`` passes."""
    from autograder.learner.check import CheckFailure
    from nncore.i18n import in_language

    try:
        with in_language(lang):
            check(name, fn)
    except CheckFailure as error:
        return error
    raise AssertionError(f"{name}: the planted bug passed the check")


def failure(check, name, fn):
    """The checker's ``Report`` for ``fn``, which must fail exercise ``name`` — in English, and with the same
    diagnoses in Chinese, where every hint must read in Chinese (the catalog translates it)."""
    english, chinese = _report(check, name, fn, "en"), _report(check, name, fn, "zh")
    assert chinese.hint_ids == english.hint_ids, (chinese.hint_ids, english.hint_ids)
    untranslated = [p.hint.text for p in chinese.problems if p.hint and not _CHINESE.search(p.hint.text)]
    assert not untranslated, f"hints not in Chinese: {untranslated}"
    report = Report(str(english))
    report.hint_ids = english.hint_ids
    return report


def passes_visible_and_hidden(check, answers, capsys):
    """Every answer of ``answers`` (``{exercise: source}``) passes its visible checks and a hidden seed's, quietly."""
    for name, source in answers.items():
        fn = cell(source)[name]
        check(name, fn)
        check(name, fn, seed=2024)
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 * len(answers) and out.err == ""


def charged_once(check, name, fn, dependency, capsys, monkeypatch):
    """Assert that ``fn``, a right answer to exercise ``name`` that calls the learner's broken ``dependency``, is
    charged nothing for it by default (judged with the course's ``dependency`` standing in, it passes and the output
    names the failing dependency) and fails, saying why, when graded as written (the instructor's option).
    Returns (what the pass printed, the report as written)."""
    check(name, fn)
    passed = capsys.readouterr().out
    assert f"✅ {name} passes its" in passed, passed
    assert f"{name} is right when given a correct {dependency}" in passed, passed
    assert f"your {dependency} itself does not pass its check yet" in passed, passed
    with monkeypatch.context() as env:
        env.setenv("NNCOURSE_GRADING", "as_written")
        written = failure(check, name, fn)
    assert f"{name} calls your {dependency}, which does not pass its own check yet" in written, written
    return passed, written
