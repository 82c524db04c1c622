"""The notebooks as files: chapters are in sync with solutions, and follow the
conventions."""

import ast
import re

import nbformat
import pytest

from tools import notebooks

SOLUTIONS = sorted(notebooks.SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))


def _sources(nb):
    return [(cell.cell_type, cell.source) for cell in nb.cells]


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_chapter_is_up_to_date_with_its_solution(solution):
    chapter = notebooks.chapter_path(solution)
    assert chapter.exists(), (
        f"{chapter.name} missing: run python -m tools.build_notebooks"
    )
    expected = notebooks.exercise_notebook(notebooks.read(solution), solution.name)
    assert _sources(notebooks.read(chapter)) == _sources(expected), (
        f"{chapter.name} is stale: run `python -m tools.build_notebooks "
        f"{solution.name[:2]}`"
    )


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_solution_has_fresh_navigation(solution):
    nb = notebooks.read(solution)
    fresh = notebooks.with_navigation(
        notebooks.read(solution), "solutions", solution.name
    )
    assert _sources(nb) == _sources(fresh), (
        f"run python -m tools.build_notebooks {solution.name[:2]}"
    )


def test_navigation_links_both_ways_per_exercise():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Chapter 9"),
            nbformat.v4.new_markdown_cell("### Exercise 9.1: `f`\nWrite f."),
            nbformat.v4.new_code_cell(
                "def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION"
            ),
            nbformat.v4.new_code_cell("check(f)"),
        ]
    )
    solution = notebooks.with_navigation(nb, "solutions", "09_x.ipynb")
    chapter = notebooks.exercise_notebook(solution, "09_x.ipynb")
    nav = [
        c.source
        for c in chapter.cells
        if notebooks.NAV_TAG in c.metadata.get("tags", [])
    ]
    assert "`f`" in nav[0] and "python -m utils.grade chapters/09_x.ipynb" in nav[0]
    assert nav[1] == "[See the solution →](../solutions/09_x.ipynb#exercise-91-f)"
    back = [
        c.source
        for c in solution.cells
        if notebooks.NAV_TAG in c.metadata.get("tags", [])
    ]
    assert back[1] == "[Back to the exercise →](../chapters/09_x.ipynb#exercise-91-f)"
    again = notebooks.with_navigation(solution, "solutions", "09_x.ipynb")
    assert len(again.cells) == len(solution.cells), "navigation must not pile up"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_notebooks_are_stored_executed_without_errors(solution):
    for path in (solution, notebooks.chapter_path(solution)):
        nb = notebooks.read(path)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            assert cell.execution_count is not None, (
                f"{path.name}: a cell was not executed"
            )
            for output in cell.outputs:
                assert output.output_type != "error", (
                    f"{path.name}: stored error {output.ename}"
                )
                assert output.get("name") != "stderr", (
                    f"{path.name}: stderr {output.text[:200]}"
                )


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_every_exercise_has_a_stub_and_a_check(solution):
    chapter = notebooks.read(notebooks.chapter_path(solution))
    stubbed, checked = set(), set()
    for cell in chapter.cells:
        if cell.cell_type != "code":
            continue
        assert "# BEGIN SOLUTION" not in cell.source
        checked |= set(re.findall(r"^check\((\w+)", cell.source, re.MULTILINE))
        for node in ast.parse(cell.source).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                if "NotImplementedError" in ast.get_source_segment(cell.source, node):
                    stubbed.add(node.name)
    assert checked, "no check cells"
    assert checked <= stubbed, (
        f"checked but with no stub to fill in: {checked - stubbed}"
    )
    assert chapter.metadata["course"]["kind"] == "exercises"


def test_stub_keeps_indentation_and_is_valid_python():
    source = (
        'def f(x):\n    """Doc."""\n    # BEGIN SOLUTION\n    y = x + 1\n    return y\n'
        "    # END SOLUTION\n\nf"
    )
    stripped = notebooks.strip_solutions(source)
    assert "x + 1" not in stripped and "    raise NotImplementedError" in stripped
    compile(stripped, "<cell>", "exec")


def test_unmatched_marker_is_an_error():
    with pytest.raises(notebooks.NotebookFormatError):
        notebooks.strip_solutions("# BEGIN SOLUTION\nx = 1\n")


def test_exercise_notebook_clears_outputs_and_keeps_prose():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Title"),
            nbformat.v4.new_code_cell(
                "# BEGIN SOLUTION\nx = 1\n# END SOLUTION",
                execution_count=3,
                outputs=[nbformat.v4.new_output("stream", text="hi")],
            ),
        ]
    )
    out = notebooks.exercise_notebook(nb, "00_test.ipynb")
    assert out.cells[0].source == "# Title"
    assert out.cells[1].metadata["tags"] == [notebooks.NAV_TAG]
    assert out.cells[2].outputs == [] and out.cells[2].execution_count is None
    assert nb.cells[1].outputs, "the solution itself must not be modified"


def test_stream_chunks_are_merged_in_first_position():
    new = nbformat.v4.new_output
    outputs = [
        new("stream", name="stdout", text="a\n"),
        new("display_data", data={"text/plain": "fig"}),
        new("stream", name="stdout", text="b\n"),
        new("stream", name="stderr", text="w\n"),
    ]
    merged = notebooks.coalesce_streams(outputs)
    assert [o.output_type for o in merged] == ["stream", "display_data", "stream"]
    assert merged[0].text == "a\nb\n" and merged[2].text == "w\n"


@pytest.mark.slow  # starts a kernel
def test_nbval_fails_a_cell_whose_figure_vanished(tmp_path):
    """The cell prints the stored text output but no image: nbval alone would pass
    it."""
    import subprocess
    import sys

    figure = nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "from IPython.display import display\ndisplay({'text/plain': "
                "'<Figure>'}, raw=True)",
                execution_count=1,
                outputs=[figure],
            )
        ]
    )
    path = tmp_path / "vanished.ipynb"
    nbformat.write(nb, str(path))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-o",
            "addopts=",
            "--nbval",
            "--nbval-current-env",
            "-p",
            "tests.nbval_figures",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        cwd=notebooks.ROOT,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout[-2000:]
    assert "stores 1 figure(s) but showed 0" in done.stdout


def test_solution_pages_are_titled_as_solutions_and_exercise_pages_as_chapters():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Chapter 9: Topic\nIntro."),
            nbformat.v4.new_code_cell("check(f)"),
        ]
    )
    solution = notebooks.with_navigation(nb, "solutions", "09_x.ipynb")
    assert solution.cells[0].source == "# Solutions 9: Topic\nIntro."
    chapter = notebooks.exercise_notebook(solution, "09_x.ipynb")
    assert chapter.cells[0].source == "# Chapter 9: Topic\nIntro."
    again = notebooks.with_navigation(solution, "solutions", "09_x.ipynb")
    assert again.cells[0].source == "# Solutions 9: Topic\nIntro."


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_stored_titles_say_which_version_it_is(solution):
    number = int(solution.name[:2])
    assert notebooks.read(solution).cells[0].source.startswith(f"# Solutions {number}:")
    chapter = notebooks.read(notebooks.chapter_path(solution))
    assert chapter.cells[0].source.startswith(f"# Chapter {number}:")


#: The site's text column at full width, in pixels (the course's figures are drawn at 80
#: dpi, utils/course.mplstyle): a wider figure is shrunk and its labels fall below the
#: body text size.
COLUMN_PIXELS = 690


def _png_width(data):
    import base64
    import struct

    return struct.unpack(">I", base64.b64decode(data)[16:20])[0]


@pytest.mark.parametrize(
    "path",
    [*SOLUTIONS, *sorted(notebooks.CHAPTERS.glob("[0-9]*.ipynb"))],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_stored_figure_fits_the_text_column(path):
    nb = nbformat.read(str(path), as_version=4)
    wide = [
        f"cell {cell.get('id')}: {_png_width(out.data['image/png'])} px"
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if "image/png" in out.get("data", {})
        if _png_width(out.data["image/png"]) > COLUMN_PIXELS
    ]
    assert not wide, f"figures wider than the {COLUMN_PIXELS}-px column: {wide}"
