"""Regenerating a notebook changes none of its stored outputs (shown here for chapter 1)."""
import pytest

from tools import notebooks

WIDGET = notebooks.WIDGET_VIEW


@pytest.mark.parametrize("folder", [notebooks.SOLUTIONS, notebooks.CHAPTERS], ids=["solution", "chapter"])
def test_reexecuting_chapter_1_reproduces_every_stored_output(folder):
    path = folder / "01_linear_score_function.ipynb"
    stored = notebooks.read(path)
    fresh = notebooks.execute(notebooks.read(path), path.parent)
    for before, after in zip(stored.cells, fresh.cells):
        if before.cell_type == "code":
            assert after.outputs == before.outputs, f"output changed in cell:\n{before.source[:200]}"
            assert after.execution_count == before.execution_count
    assert fresh.metadata == stored.metadata
