"""Regenerating a notebook changes none of its stored outputs (shown here for chapter
1's solution; its exercise twin is generated from it by the same code and compared by
nbval)."""

import base64
import copy
import re

import matplotlib
import pytest

from tests.helpers import notebook, solution_notebooks
from tools import notebooks


def _drawn_by(png_base64):
    """The Matplotlib version a stored PNG names in its metadata ("Software" text
    chunk), or None."""
    found = re.search(
        rb"Matplotlib version([0-9][0-9a-z.+]*)", base64.b64decode(png_base64)[:512]
    )
    return found and found.group(1).decode()


def _without_images(outputs):
    """The outputs with every PNG replaced by a marker (so text, order and figure
    count still count)."""
    outputs = copy.deepcopy(outputs)
    for output in outputs:
        if "image/png" in output.get("data", {}):
            output["data"]["image/png"] = "<png>"
    return outputs


@pytest.mark.slow  # executes a whole chapter
def test_reexecuting_chapter_1_reproduces_every_stored_output():
    path = notebook(1)
    stored = notebooks.read(path)
    fresh = notebooks.execute(notebooks.read(path), path.parent)
    drawn_by = {
        _drawn_by(o["data"]["image/png"])
        for c in stored.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    }
    # Another Matplotlib version draws other pixels (and names itself in every PNG):
    # then images are compared by count and place only (the lowest-versions run, see
    # constraints-lowest.txt).
    same_drawing = drawn_by == {matplotlib.__version__}
    for before, after in zip(stored.cells, fresh.cells):
        if before.cell_type == "code":
            if same_drawing:
                assert after.outputs == before.outputs, (
                    f"output changed in cell:\n{before.source[:200]}"
                )
            else:
                assert _without_images(after.outputs) == _without_images(
                    before.outputs
                ), f"output changed in cell:\n{before.source[:200]}"
            assert after.execution_count == before.execution_count
    assert fresh.metadata == stored.metadata


def test_stored_figures_name_the_matplotlib_that_drew_them():
    """Guards the comparison above: if PNGs stopped naming their Matplotlib version, the
    test would silently compare images by count only."""
    nb = notebooks.read(notebook(1))
    pngs = [
        o["data"]["image/png"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    ]
    assert pngs and all(_drawn_by(png) for png in pngs)


def test_kernel_metadata_does_not_depend_on_the_python_that_ran_it():
    """A notebook executed on Python 3.12 must store the same metadata as on 3.11."""
    for path in solution_notebooks():
        nb = notebooks.read(path)
        assert "version" not in nb.metadata.get("language_info", {}), (
            f"{path.name} stores the Python version that executed it: run python -m "
            f"tools.build_notebooks"
        )
        nb.metadata["language_info"]["version"] = "3.12.1"
        assert (
            "version" not in notebooks.normalize_metadata(nb).metadata["language_info"]
        )
