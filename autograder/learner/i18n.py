"""Learner-facing messages in the learner's language, through gettext.

Every message a learner reads (the checker's reports and hints, the grader's feedback) is written as
``_("text with {named} fields").format(named=...)`` so that Babel can extract it and a translator can
reorder the fields. The language is ``$NNCOURSE_LANG`` (``en``, the default, or ``zh``), read at the time
of the message, so a notebook can switch it; catalogs live in ``autograder/learner/locale``.
"""

import gettext
import os
from pathlib import Path

DOMAIN = "nncourse"
LOCALE_DIR = Path(__file__).parent / "locale"


def language() -> str:
    """The learner's language: ``$NNCOURSE_LANG``, else English."""
    return os.environ.get("NNCOURSE_LANG", "en") or "en"


def _(message: str) -> str:
    """``message`` in the learner's language (itself when there is no translation)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language()], fallback=True).gettext(message)
