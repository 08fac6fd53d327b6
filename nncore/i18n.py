"""The course's messages in the learner's language: English is the source, Simplified Chinese (zh) a catalog.

Every message a learner reads — the checker's reports and hints, the grader's feedback, the Playground's labels
— is written ``_("text with {named} fields").format(named=...)``, so that Babel extracts it and a translator can
reorder the fields. The catalog is ``nncore/locale/<lang>/LC_MESSAGES/nncourse.po`` (read with Babel; see
``docs/translating.md``). The language, looked up at each message:

1. ``in_language(lang)`` for a block of code (the grader, which grades each student in their notebook's
   language);
2. ``$NNCOURSE_LANG`` (``en`` or ``zh``);
3. the language of the notebook this kernel runs (``metadata.nncourse.language``, found through the
   ``JPY_SESSION_NAME`` that Jupyter gives the kernel): a Chinese notebook gets Chinese feedback;
4. English.
"""

import contextlib
import contextvars
import functools
import json
import os
from pathlib import Path

DOMAIN = "nncourse"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh")
_override: contextvars.ContextVar[str | None] = contextvars.ContextVar("nncourse_language", default=None)


@functools.lru_cache(maxsize=64)
def notebook_language(path: str) -> str | None:
    """The language a notebook declares in ``metadata.nncourse.language``, or None."""
    try:
        metadata = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return None
    language = metadata.get("nncourse", {}).get("language") if isinstance(metadata, dict) else None
    return language if language in LANGUAGES else None


def language() -> str:
    """The learner's language now (see the module's documentation for the order)."""
    chosen = _override.get() or os.environ.get("NNCOURSE_LANG", "")
    if not chosen and os.environ.get("JPY_SESSION_NAME", "").endswith(".ipynb"):
        chosen = notebook_language(os.environ["JPY_SESSION_NAME"]) or ""
    return chosen if chosen in LANGUAGES else "en"


@contextlib.contextmanager
def in_language(lang: str | None):
    """Messages in ``lang`` (when it is one of ``LANGUAGES``) for the block."""
    token = _override.set(lang if lang in LANGUAGES else None)
    try:
        yield
    finally:
        _override.reset(token)


@functools.lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> dict[str, str]:
    """{English message: translation} of a language's catalog (empty for English or a missing catalog)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        messages = read_po(handle)
    return {m.id: m.string for m in messages if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


def _(message: str) -> str:
    """``message`` in the learner's language (itself when there is no translation)."""
    return catalog(language()).get(message, message)
