"""The glossary's terms (``appendices/glossary.md``: English | 中文 | Meaning | Where),
and the check that every translation renders a glossary term the glossary's way.

    python -m tools.glossary            # every message that renders a term otherwise

A message whose English text uses a term (whole words, any case, plural too: "learning
rates", "minibatches", "probabilities") must carry the term's Chinese in its
translation. A term inside a longer term of the message counts as the longer one ("bias"
in "bias correction" is 偏差修正, not 偏置). Code spans, math, link targets and HTML
tags are not prose and are skipped.
"""

import re
import sys
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "appendices" / "glossary.md"
_CJK = re.compile(r"[\u3400-\u9fff]")

#: Terms whose English name is itself standard in Chinese text (《动手学深度学习》
#: writes "ReLU 函数", "sigmoid 函数", "softmax 函数"): the translation may keep the
#: English name.
ENGLISH_ALSO_STANDARD = {
    "ReLU",
    "leaky ReLU",
    "sigmoid",
    "tanh",
    "softmax function",
    "Jacobian",
}

#: Documented exceptions: (term, a piece of the English message or the catalogue's name)
#: where the English word is not the glossary's concept, so the glossary's Chinese would
#: be wrong.
EXCEPTIONS = {
    ("score", "(L1) scores both"): "a verb: L1 gives both the value 1.0",
    (
        "bias",
        "two biases of different sizes",
    ): "Adam's statistical bias (偏差), not a bias vector",
    (
        "momentum",
        "the momentum in config",
    ): "the key 'momentum' of the update rule's config",
    (
        "cache",
        "checks.ch04_optimization",
    ): "Adagrad's variable `cache` (a running sum), not a forward pass's cache",
}


@dataclass(frozen=True)
class Term:
    english: str  # the glossary's English term, without its parenthesized note
    chinese: tuple  # the accepted Chinese renderings (the 中文 cell's alternatives)

    @cached_property
    def key(self):
        """A piece of every match (lower case): a cheap test before the pattern."""
        return self.english.split()[0][:3].lower()

    @cached_property
    def pattern(self):
        """Whole words, any case, with a plural on the last word."""
        words = self.english.split()
        last = words[-1]
        if last.endswith("y") and not last.endswith(("ey", "ay", "oy")):
            last = re.escape(last[:-1]) + "(?:y|ies)"
        elif last.endswith("s") and not last.endswith("ss"):
            last = re.escape(last[:-1]) + "s?"
        else:
            last = re.escape(last) + "(?:s|es)?"
        body = r"[\s-]+".join([*map(re.escape, words[:-1]), last])
        return re.compile(rf"(?<![\w.-]){body}(?![\w-])", re.IGNORECASE)


def english_cells(path=GLOSSARY):
    """The glossary's English cells as written ("affine layer (fully connected layer)"):
    the translated glossary keeps them English, next to the Chinese."""
    return {cells[0] for cells in _rows(path)}


def _rows(path):
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and _CJK.search(cells[1]) and cells[0] != "English":
            yield cells


def terms(path=GLOSSARY):
    """The glossary's rows as :class:`Term`, longest English term first."""
    found = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not _CJK.search(cells[1]):
            continue
        english = re.sub(r"\s*\([^)]*\)", "", cells[0]).strip()
        chinese = [
            part.strip()
            for part in re.split(r"[/／、；;（）()]", cells[1])
            if part.strip()
        ]
        # an adjective's 的 is dropped before a noun: 凸的 -> 凸函数
        chinese += [
            part[:-1] for part in chinese if part.endswith("的") and len(part) >= 2
        ]
        if english.lower() != "english":
            found.append(Term(english, tuple(dict.fromkeys(chinese))))
    return sorted(found, key=lambda term: -len(term.english))


def chinese_terms(path=GLOSSARY):
    """The Chinese words of the glossary (for the search's word splitter)."""
    return list(
        dict.fromkeys(
            word
            for term in terms(path)
            for word in term.chinese
            if re.fullmatch(r"[\u3400-\u9fff]{2,}", word)
        )
    )


# Not prose: code, math, link targets, tags, addresses; and titles of papers and books,
# which stay English ("Dropout: A Simple Way ...", *Dive into Deep Learning*).
_NOT_PROSE = re.compile(
    r"`[^`]*`|\$\$.+?\$\$|\$[^$]*\$|\]\([^)]*\)|<[^>]+>|https?://\S+"
    r'|"[^"]*"|“[^”]*”|(?<!\*)\*(?!\*)[^*]+(?<!\*)\*(?!\*)'
    # placeholders of package messages, and code written without backticks in them:
    # quoted keys, calls, expressions ("softmax(scores)", "v = momentum * v", "mask ==
    # 0")
    r"|\{[^{}]*\}|'[^'\s]*'|[\w.]+\([^()]*\)"
    r"|[\w.\[\]'(){}]+(?:(?:\s*(?:==|<=|>=|\*\*|[=<>])\s*|\s+[*+/-]\s+)[\w.\[\]'(){}]+)+",
    re.S,
)


def terms_used(msgid, glossary_terms):
    """The glossary terms that the English message uses, longer terms masking shorter
    ones."""
    prose = _NOT_PROSE.sub(" ¤ ", msgid)  # ¤: words around code are not one phrase
    lower = prose.lower()
    used = []
    for term in glossary_terms:  # longest first
        if term.key not in lower:
            continue
        found = False
        for match in term.pattern.finditer(prose):
            found = True
            prose = (
                prose[: match.start()] + " " * len(match.group()) + prose[match.end() :]
            )
        if found:
            used.append(term)
    return used


@lru_cache(maxsize=1)
def _english_cells():
    return frozenset(english_cells())


def renders(term, msgstr):
    if any(chinese in msgstr for chinese in term.chinese):
        return True
    return (
        term.english in ENGLISH_ALSO_STANDARD
        and term.pattern.search(msgstr) is not None
    )


def problems(msgid, msgstr, glossary_terms, catalogue=""):
    """Sentences naming each glossary term of ``msgid`` that ``msgstr`` does not
    render."""
    if not msgstr or msgid in _english_cells():
        return []
    found = []
    for term in terms_used(msgid, glossary_terms):
        if renders(term, msgstr):
            continue
        if any(
            term.english == t and (piece in msgid or piece == catalogue)
            for t, piece in EXCEPTIONS
        ):
            continue
        found.append(f"{term.english!r} is not rendered as {' / '.join(term.chinese)}")
    return found


def check(paths, glossary_terms=None):
    """One line per message of the catalogues at ``paths`` that renders a term
    otherwise."""
    from babel.messages.pofile import read_po

    glossary_terms = glossary_terms or terms()
    report = []
    for path in paths:
        with Path(path).open("rb") as file:
            catalog = read_po(file)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            for problem in problems(
                message.id, message.string, glossary_terms, Path(path).stem
            ):
                report.append(
                    f"{path}: {problem}: {message.id[:100]!r} -> "
                    f"{message.string[:60]!r}"
                )
    return report


def main():
    from tools.i18n import all_catalogues

    report = check(sys.argv[1:] or all_catalogues())
    print("\n".join(report) or "OK")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
