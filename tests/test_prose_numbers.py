"""A number quoted in prose is a number some cell prints.

Every decimal number in a markdown cell of a solution notebook (the exercise notebook
has the same prose) must appear in a stored output of the same notebook, be a literal of
its code (a value the author typed, such as a learning rate), or be rounded from such a
number, e.g. 0.97 from a printed 0.9722. Otherwise the prose and the code can drift
apart silently: change a bias in chapter 1, regenerate, and the prose would still quote
the old score. The short allow-list below holds the numbers that are true by mathematics
or convention, each with its reason.
"""

import html
import re

import pytest

from tests.helpers import solution_notebooks
from tools import notebooks

SOLUTIONS = solution_notebooks()

# number -> why it needs no cell to print it
ALLOWED = {}

_NUMBER = re.compile(
    r"(?<![\w.])\d+\.\d+(?:[eE][-+]?\d+)?(?!\w|\.\d)|(?<![\w.])\d+[eE]-?\d+(?![\w.])"
)
_NOT_CLAIMS = [
    re.compile(r"^#+ .*$", re.MULTILINE),  # headings: section numbers
    re.compile(
        r"\b(?:[Ss]ections?|[Ee]xercises?|[Cc]hapters?|§)\s+\d+(?:\.\d+)*"
        r"(?:\s*(?:,|and|or|–|-)\s*\d+(?:\.\d+)*)*"
    ),  # cross-references
    re.compile(r"<?https?://\S+>?"),  # links
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(
        r"\b(?:Python|NumPy|MyST-NB|Sphinx|version|v)\s*\d+(?:\.\d+)+"
    ),  # versions
]


def _numbers(text):
    return [m.group(0) for m in _NUMBER.finditer(text)]


def claims(markdown):
    """(number, sentence) for every decimal number the prose of one markdown cell
    quotes."""
    text = re.split(r"^#+ Further reading", markdown, flags=re.MULTILINE)[
        0
    ]  # book sections, years
    for pattern in _NOT_CLAIMS:
        text = pattern.sub(" ", text)
    found = []
    for sentence in re.split(r"(?<=[.!?:])\s+(?=[A-Z$`*(])|\n\n", text):
        found += [(n, " ".join(sentence.split())) for n in _numbers(sentence)]
    return found


def _output_text(output):
    if output.output_type == "stream":
        return output.text
    data = output.get("data", {})
    parts = [data.get("text/plain", ""), data.get("text/markdown", "")]
    if "text/html" in data:
        parts.append(html.unescape(re.sub(r"<[^>]+>", " ", data["text/html"])))
    return "\n".join(parts)


def printed_numbers(nb):
    """Every number written by a stored output or typed in the code of a notebook."""
    text = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            text.append(cell.source)
            text += [_output_text(o) for o in cell.outputs]
    return set(re.findall(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", "\n".join(text)))


def is_backed(number, printed):
    if number in printed or number in ALLOWED:
        return True
    decimals = (
        len(number.split(".")[1])
        if "." in number and "e" not in number.lower()
        else None
    )
    if decimals is None:
        return any(_same_float(number, p) for p in printed)
    value = float(number)
    return any(
        "." in p
        and "e" not in p.lower()
        and len(p.split(".")[1]) > decimals
        and round(float(p), decimals) == value
        for p in printed
    )


def _same_float(a, b):
    try:
        return float(a) == float(b)
    except ValueError:
        return False


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_every_number_in_the_prose_is_printed_by_the_notebook(solution):
    nb = notebooks.read(solution)
    printed = printed_numbers(nb)
    stale = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and notebooks.NAV_TAG not in cell.metadata.get(
            "tags", []
        ):
            stale += [
                f"  {n}  in: {sentence[:160]}"
                for n, sentence in claims(cell.source)
                if not is_backed(n, printed)
            ]
    assert not stale, (
        f"{solution.name}: numbers in the prose that no cell prints (print them, or "
        "fix the prose after a change of the code):\n" + "\n".join(stale)
    )


def test_the_test_catches_a_stale_number():
    nb = notebooks.nbformat.v4.new_notebook(
        cells=[
            notebooks.nbformat.v4.new_markdown_cell(
                "The ship scores 60.75, and 0.97 of images are right."
            ),
            notebooks.nbformat.v4.new_code_cell(
                "print(ship)",
                outputs=[
                    notebooks.nbformat.v4.new_output(
                        "stream", text="ship score 60.0\naccuracy 0.9722\n"
                    )
                ],
            ),
        ]
    )
    printed = printed_numbers(nb)
    verdicts = {n: is_backed(n, printed) for n, _ in claims(nb.cells[0].source)}
    assert verdicts == {"60.75": False, "0.97": True}
    assert claims("## 3.4 Overfitting\nSee section 3.1 and <https://x.org/1.2>.") == []
    assert claims("Read 6.2.2.\n## Further reading\n- Chapter 7.1, 2016") == []
