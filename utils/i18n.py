"""The language of the course's messages: checks, grader, quizzes and printed lines.

English is the source language. Another language's translations live in gettext
catalogues, ``utils/locale/<language>/LC_MESSAGES/*.po`` (one file per module, read with
Babel, so no compile
step), and are looked up by the English text itself::

    from utils.i18n import _
    fail(_("Your scores have shape {got}; expected {expected}.", got=..., expected=...))

The language is the one given to :func:`set_language`, else the ``COURSE_LANG``
environment variable (``zh_CN`` for Chinese), else English. A message without a
translation stays English.
"""

import os
import warnings
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
ENV_VAR = "COURSE_LANG"
#: The languages of the course; the first is the source language.
LANGUAGES = ("en", "zh_CN")
_ALIASES = {
    "zh": "zh_CN",
    "zh-cn": "zh_CN",
    "zh_cn": "zh_CN",
    "chinese": "zh_CN",
    "": "en",
}

_chosen = None
#: Catalogues read by their own module, not by :func:`_`: figure text
#: (utils/figure_text.py), whose short labels ("loss") may be rendered differently in a
#: sentence of a hint.
SEPARATE_CATALOGUES = ("figures.po",)


def normalize(lang):
    """``lang`` as one of :data:`LANGUAGES` ("zh", "zh-CN", "zh_CN.UTF-8" ->
    "zh_CN")."""
    name = str(lang).strip().split(".")[0]
    name = _ALIASES.get(name.lower(), name)
    if name.lower() == "en" or name.lower().startswith("en_"):
        return "en"
    if name not in LANGUAGES:
        raise ValueError(
            f"Unknown language {lang!r}: the course speaks {', '.join(LANGUAGES)} "
            "(e.g. set_language('zh_CN'), or COURSE_LANG=zh_CN)."
        )
    return name


def set_language(lang):
    """Use ``lang`` ("en" or "zh_CN") for every message from now on; ``None`` restores
    the default (the ``COURSE_LANG`` environment variable, else English)."""
    global _chosen
    _chosen = None if lang is None else normalize(lang)


def language():
    """The language of messages now: :func:`set_language`'s, else ``COURSE_LANG``'s,
    else "en"."""
    if _chosen is not None:
        return _chosen
    setting = os.environ.get(ENV_VAR, "")
    try:
        return normalize(setting)
    except ValueError as error:
        warnings.warn(f"{error} Using English.", stacklevel=2)
        return "en"


@lru_cache(maxsize=None)
def catalogue(lang):
    """{English message: translation} of ``lang``, from every ``.po`` file of the
    language; fuzzy and empty translations are left out (they would show unchecked
    text)."""
    try:
        from babel.messages.pofile import read_po
    except (
        ImportError
    ):  # messages stay English rather than fail (the grader names the package)
        warnings.warn(
            "The package `babel` is missing, so messages stay in English: "
            "`pip install -r requirements.txt`.",
            stacklevel=2,
        )
        return {}
    table = {}
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        if path.name in SEPARATE_CATALOGUES:
            continue
        with path.open("rb") as file:
            for message in read_po(file):
                if message.id and message.string and not message.fuzzy:
                    table[message.id] = message.string
    return table


#: When a set, every message looked up without a translation is added to it (tests use
#: it to find hints that a learner would read in English).
missing = None


def translate(message, lang=None):
    """``message`` in ``lang`` (default: the current language); English when
    untranslated."""
    lang = language() if lang is None else normalize(lang)
    if lang == "en":
        return message
    table = catalogue(lang)
    if missing is not None and message not in table:
        missing.add(message)
    return table.get(message, message)


def _(message, /, **values):
    """The translation of ``message``, formatted with ``values`` when any are given.

    ``message`` must be a plain string literal (so that the extraction finds it), with
    ``{name}`` placeholders for the values; write a literal brace as ``{{`` when values
    are given. A translation whose placeholders do not fit falls back to the English
    message.
    """
    text = translate(message)
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return message.format(**values)


def N_(message):
    """Mark ``message`` for translation without translating it yet (for module-level
    constants, translated with :func:`translate` when they are shown)."""
    return message
