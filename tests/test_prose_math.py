"""Inline math in the prose is well formed: every ``$`` opens or closes a formula.

A lost formula leaves a lone ``$`` behind (``take a lower point $: the chord from $ to
$``), and MyST then renders the text between two stray dollars as math, silently: only
this test notices.
"""

import re

import nbformat
import pytest

from tests.helpers import ROOT, solution_notebooks

PAGES = [ROOT / "intro.md", *sorted((ROOT / "appendices").glob("*.md"))]
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_CODE = re.compile(r"`[^`\n]*`")
_DISPLAY = re.compile(r"\$\$.*?\$\$", re.S)
_INLINE = re.compile(r"(?<!\\)\$([^$]*)(?<!\\)\$")


def math_problems(text):
    """Sentences describing each malformed inline formula of Markdown ``text``."""
    text = _DISPLAY.sub(" ", _CODE.sub(" ", _FENCE.sub(" ", text)))
    text = re.sub(r"\\\$", " ", text)  # an escaped dollar is a price, not math
    problems = []
    if text.count("$") % 2:
        problems.append(f"an odd number of $ ({text.count('$')})")
    for match in _INLINE.finditer(text):
        inner = match.group(1)
        if not inner.strip() or inner != inner.strip():
            problems.append(
                f"a formula that starts or ends with a space: {match.group(0)[:40]!r}"
            )
    return problems


def _markdown_of(path):
    if path.suffix == ".md":
        return [(path.name, path.read_text(encoding="utf-8"))]
    nb = nbformat.read(str(path), as_version=4)
    return [
        (f"{path.name} cell {i}", c.source)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown"
    ]


@pytest.mark.parametrize("path", [*solution_notebooks(), *PAGES], ids=lambda p: p.name)
def test_every_dollar_opens_or_closes_a_formula(path):
    bad = [
        f"{where}: {problem}"
        for where, text in _markdown_of(path)
        for problem in math_problems(text)
    ]
    assert not bad, "\n".join(bad)


def test_the_check_finds_a_lost_formula():
    broken = "take a lower point $: the chord from $ to $ lies below (x)$ everywhere"
    assert math_problems(broken)
    assert math_problems("one $x$ and a lone $ sign") == ["an odd number of $ (3)"]
    assert (
        math_problems("fine: $x$, $f(x) = Wx + b$ and $$\\sum_i x_i$$, `a $ b` in code")
        == []
    )
