"""The words of the course's figures in the learner's language, without changing the
code.

Notebooks and :mod:`utils.plotting` write figure text in English
(``ax.set_xlabel("epoch")``). When the language is Chinese (:func:`utils.i18n.language`
is ``zh_CN``), :func:`install` (called by :func:`utils.plotting.use_course_style`) makes
matplotlib draw each text in Chinese:

- every text matplotlib lays out (titles, axis labels, tick labels, legend entries,
  annotations, suptitles, colorbar labels) is looked up by its English text in the
  catalogue ``utils/locale/zh_CN/LC_MESSAGES/figures.po``: first exactly, then through
  templates with ``{name}`` placeholders ("chosen λ = {n1}" matches "chosen λ = 0.01"; a
  placeholder ``{nK}`` matches a number, any other name any text, which is itself looked
  up);
- the text is swapped only while matplotlib lays it out, so ``get_text()`` and every
  check that reads a label still see the English text;
- fonts fall back from DejaVu Sans (the Latin letters, digits and math stay as in
  English) to a CJK font for Chinese characters; a text that mixes Chinese and
  ``$math$`` is set in the CJK font, since mathtext has no font fallback.

In English nothing is installed and every figure stays byte-for-byte the same.

``python -m tools.i18n update-figures`` runs the notebooks with two environment
variables: ``COURSE_FIGURE_TEXT_LOG`` (a file to which every drawn text with words is
appended, with the message it matched or the template it would need) and
``COURSE_FIGURES_STRICT`` (a glyph missing from the fonts raises instead of drawing a
box, and the CJK font must be installed).
"""

import json
import logging
import os
import re
import warnings
from functools import lru_cache

from .i18n import LOCALE_DIR, language

#: The catalogue of figure text, per language.
CATALOGUE_NAME = "figures.po"
#: Fonts with Chinese glyphs, in order of preference; the first installed one is the
#: fallback.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)
#: The font of the course's figures (matplotlib's default) and of their Latin text in
#: Chinese.
LATIN_FONT = "DejaVu Sans"
LOG_VAR = "COURSE_FIGURE_TEXT_LOG"
STRICT_VAR = "COURSE_FIGURES_STRICT"

_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$", re.S)
_WORD = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# A number as a figure prints it: 3, -0.25, 1e-05, 1,797, 40%, with an ASCII or a true
# minus.
_NUMBER = r"[-−+]?\d+(?:[.,]\d+)*(?:[eE][-+−]?\d+)?%?"
_FREE_NUMBER = re.compile(r"(?<![A-Za-z_\d.])" + _NUMBER)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NUMBER_NAME = re.compile(r"n\d+$")


def outside_math(text):
    """``text`` with its ``$...$`` formulas removed."""
    return _MATH.sub(" ", text)


def carries_words(text):
    """Whether ``text`` has a word outside its formulas ("epoch", "L2: $w^2$"), as
    opposed to numbers, single letters and math ("0.5", "x", "$\\sigma(z)$")."""
    return bool(_WORD.search(outside_math(text)))


def _split_math(text):
    """``text`` cut into (is_math, piece) runs."""
    pieces, start = [], 0
    for match in _MATH.finditer(text):
        pieces.append((False, text[start : match.start()]))
        pieces.append((True, match.group()))
        start = match.end()
    pieces.append((False, text[start:]))
    return [(is_math, piece) for is_math, piece in pieces if piece]


def template_of(text):
    """The message under which an untranslated ``text`` is recorded: each number outside
    the formulas becomes a placeholder ``{n1}``, ``{n2}``, ... ("chosen λ = 0.01" ->
    "chosen λ = {n1}"), so one message serves every value a figure prints. Braces
    already in the text are doubled, as in Python's ``str.format``."""
    count = 0

    def placeholder(match):
        nonlocal count
        count += 1
        return f"{{n{count}}}"

    out = []
    for is_math, piece in _split_math(text):
        if is_math:
            out.append(piece)
        else:
            piece = piece.replace("{", "{{").replace("}", "}}")
            out.append(_FREE_NUMBER.sub(placeholder, piece))
    return "".join(out)


class Template:
    """A message with ``{name}`` placeholders (outside its formulas), matched against
    texts."""

    def __init__(self, message, translation):
        self.message, self.translation = message, translation
        parts, self.names = [], []
        for is_math, piece in _split_math(message):
            if is_math:
                parts.append(re.escape(piece))
                continue
            last = 0
            for match in _PLACEHOLDER.finditer(piece):
                if match.start() and piece[match.start() - 1] == "{":
                    continue  # "{{name}}" is a literal brace
                parts.append(re.escape(_unescape(piece[last : match.start()])))
                name = match.group(1)
                group = _NUMBER if _NUMBER_NAME.match(name) else ".+?"
                parts.append(
                    f"(?P<{name}>{group})" if name not in self.names else f"(?P={name})"
                )
                self.names.append(name)
                last = match.end()
            parts.append(re.escape(_unescape(piece[last:])))
        self.pattern = re.compile("".join(parts), re.S)
        #: literal characters: a longer literal part is a more specific template
        self.specificity = len(_PLACEHOLDER.sub("", message))

    def fill(self, text, lookup):
        """The translation of ``text`` if it matches, else ``None``; words captured by a
        placeholder are translated with ``lookup``, numbers kept."""
        match = self.pattern.fullmatch(text)
        if match is None:
            return None
        values = {
            name: (value if _NUMBER_NAME.match(name) else lookup(value) or value)
            for name, value in match.groupdict().items()
        }
        out = []
        for is_math, piece in _split_math(self.translation):
            if is_math:
                out.append(piece)
            else:
                out.append(
                    _unescape(
                        _PLACEHOLDER.sub(
                            lambda m: values.get(m.group(1), m.group(0)), piece
                        )
                    )
                )
        return "".join(out)


def _unescape(piece):
    return piece.replace("{{", "{").replace("}}", "}")


def is_template(message):
    return any(
        _PLACEHOLDER.search(piece)
        for is_math, piece in _split_math(message)
        if not is_math
    )


class FigureCatalogue:
    """The translations of figure text of one language: exact messages and templates."""

    def __init__(self, translations):
        self.exact = {m: t for m, t in translations.items() if not is_template(m)}
        self.templates = sorted(
            (Template(m, t) for m, t in translations.items() if is_template(m)),
            key=lambda template: -template.specificity,
        )
        self._cache = {}

    def match(self, text):
        """``(message, translation)`` for ``text``: the catalogue's message it matched
        (exact or template) and its translation; ``(None, None)`` when none matches."""
        if text in self._cache:
            return self._cache[text]
        found = (None, None)
        if text in self.exact:
            found = (text, self.exact[text])
        else:
            for template in self.templates:
                filled = template.fill(text, self.lookup)
                if filled is not None:
                    found = (template.message, filled)
                    break
        self._cache[text] = found
        return found

    def lookup(self, text):
        return self.match(text)[1]


def catalogue_path(lang):
    return LOCALE_DIR / lang / "LC_MESSAGES" / CATALOGUE_NAME


@lru_cache(maxsize=None)
def _catalogue(path, mtime):
    from babel.messages.pofile import read_po

    with open(path, "rb") as file:
        return FigureCatalogue(
            {m.id: m.string for m in read_po(file) if m.id and m.string and not m.fuzzy}
        )


def figure_catalogue(lang):
    """The :class:`FigureCatalogue` of ``lang`` (empty when it has none); re-read when
    the file changes."""
    path = catalogue_path(lang)
    if not path.exists():
        return FigureCatalogue({})
    return _catalogue(str(path), path.stat().st_mtime)


def translate_figure_text(text, lang=None):
    """``text`` as a figure in ``lang`` (default: the current language) shows it."""
    lang = language() if lang is None else lang
    if lang == "en" or not carries_words(text):
        return text
    return figure_catalogue(lang).lookup(text) or text


# --------------------------------------------------------------------------------------
# Hooking matplotlib
# --------------------------------------------------------------------------------------

_installed = None  # the original Text._get_wrapped_text once installed
_seen = set()


def _record(text, message, translated):
    """Append a drawn text, the catalogue message it matched (or, untranslated, the
    template it needs) to the file named by ``LOG_VAR``."""
    path = os.environ.get(LOG_VAR)
    if not path or (text, message) in _seen:
        return
    _seen.add((text, message))
    with open(path, "a", encoding="utf-8") as log:
        log.write(
            json.dumps(
                {"text": text, "message": message, "translated": translated},
                ensure_ascii=False,
            )
            + "\n"
        )


def _translated_layout_text(original):
    def _get_wrapped_text(self):
        english = self._text
        lang = language()
        if lang == "en" or not isinstance(english, str) or not carries_words(english):
            return original(self)
        message, translation = figure_catalogue(lang).match(english)
        _record(english, message or template_of(english), translation is not None)
        if translation is None:
            return original(self)
        if _MATH.search(translation) and _CJK.search(translation):
            _set_in_cjk_font(self)
        self._text = translation  # swapped only while matplotlib lays the text out
        try:
            return original(self)
        finally:
            self._text = english

    _get_wrapped_text.__wrapped__ = original
    return _get_wrapped_text


def _set_in_cjk_font(text):
    """Set ``text`` (a matplotlib Text mixing Chinese and math) in the CJK font:
    mathtext draws the words around a formula in one font, with no fallback."""
    cjk = cjk_font()
    if cjk and text.get_fontfamily()[:1] != [cjk]:
        text.set_fontfamily([cjk, LATIN_FONT])


@lru_cache(maxsize=None)
def cjk_font():
    """The first installed font of :data:`CJK_FONTS`, or ``None``."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


class _MissingGlyph(logging.Filter):
    """Turn mathtext's "Font ... does not have a glyph" log record into an error."""

    def filter(self, record):
        if "does not have a glyph" in record.getMessage():
            raise MissingGlyphError(record.getMessage())
        return True


class MissingGlyphError(RuntimeError):
    """A figure text has a character no installed font draws (it would show as a
    box)."""


def make_glyphs_strict():
    """From now on a character missing from the fonts raises instead of drawing a
    box."""
    warnings.filterwarnings(
        "error", message=r"Glyph .* missing from font", category=UserWarning
    )
    logger = logging.getLogger("matplotlib.mathtext")
    if not any(isinstance(f, _MissingGlyph) for f in logger.filters):
        logger.addFilter(_MissingGlyph())


def install(lang=None):
    """In Chinese (``lang`` or the current language), draw figure text translated and
    with a CJK font fallback; in English do nothing. Returns whether it installed
    anything."""
    lang = language() if lang is None else lang
    if lang == "en":
        return False
    import matplotlib as mpl
    import matplotlib.text

    global _installed
    if _installed is None:
        _installed = matplotlib.text.Text._get_wrapped_text
        matplotlib.text.Text._get_wrapped_text = _translated_layout_text(_installed)
    strict = bool(os.environ.get(STRICT_VAR))
    cjk = cjk_font()
    if strict:
        if cjk != CJK_FONTS[0]:
            raise MissingGlyphError(
                f"The Chinese figures are drawn with the font {CJK_FONTS[0]!r}, which "
                f"is not "
                f"installed (found: {cjk!r}); install it (Debian/Ubuntu: `apt-get "
                f"install "
                "fonts-noto-cjk`) and delete matplotlib's font cache "
                "(`~/.cache/matplotlib`)."
            )
        make_glyphs_strict()
    if cjk:
        mpl.rcParams["font.family"] = [LATIN_FONT, cjk]
    return True


def uninstall():
    """Undo :func:`install`'s hook (the rc settings are left to ``plt.style``)."""
    import matplotlib.text

    global _installed
    if _installed is not None:
        matplotlib.text.Text._get_wrapped_text = _installed
        _installed = None
