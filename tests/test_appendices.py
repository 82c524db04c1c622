"""The appendices agree with the chapters: glossary terms are where the glossary says
they are."""

import functools
import re

import pytest

from tests.helpers import ROOT, SOLUTIONS

GLOSSARY = (ROOT / "appendices" / "glossary.md").read_text(encoding="utf-8")
ROW = re.compile(
    r"^\| (?P<en>[^|]+) \| (?P<zh>[^|]+) \| .+ \| "
    r"\[[^\]]+\]\(\.\./chapters/(?P<page>\w+)\.ipynb\) \|$",
    re.MULTILINE,
)
ROWS = [m.groupdict() for m in ROW.finditer(GLOSSARY)]


@functools.cache  # over a hundred glossary rows point to seven pages
def _prose(page):
    import nbformat

    nb = nbformat.read(str(SOLUTIONS / f"{page}.ipynb"), as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_glossary_is_a_table_of_many_terms():
    assert len(ROWS) >= 80
    table = [line for line in GLOSSARY.splitlines() if line.startswith("| ")]
    assert len(ROWS) == len(table) - 2, (
        "a glossary row does not parse (header and rule excluded)"
    )


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["en"])
def test_chinese_term_is_introduced_in_the_linked_chapter(row):
    assert row["zh"].strip() in _prose(row["page"]), (
        f"{row['en']}: the chapter {row['page']} never writes {row['zh']}"
    )


def test_every_toc_chapter_is_in_the_course_map():
    toc = (ROOT / "_toc.yml").read_text()
    intro = (ROOT / "intro.md").read_text()
    for page in re.findall(r"file: chapters/(\w+)", toc):
        assert f"(chapters/{page}.ipynb)" in intro
