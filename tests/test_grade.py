"""The learner's grading command, run as a learner runs it.

Most tests grade a *small* course notebook made from chapter 1: its exercise cells and check cells
only, so each run takes seconds and no test depends on how fast the machine is. One test grades the
whole solved chapter, end to end.
"""
import subprocess
import sys

import nbformat
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # every test starts a kernel

CHAPTER = ROOT / "chapters" / "01_linear_score_function.ipynb"
SOLUTION = ROOT / "solutions" / "01_linear_score_function.ipynb"
EXERCISES = ["linear_scores", "predict_labels", "accuracy", "bias_trick", "center_data"]
STUB = '    # YOUR CODE HERE\n    raise NotImplementedError("Exercise not written yet")'


def grade(path, *extra):
    done = subprocess.run([sys.executable, "-m", "utils.grade", str(path), *extra],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


def small_notebook(tmp_path, source=CHAPTER, before_first_check=None, edit=None):
    """Chapter 1 cut down to its title, an import cell, the exercise cells and the check cells.

    ``before_first_check``: source of a cell inserted before the first check cell.
    ``edit(cell)``: called on every kept cell, to fill in or break an exercise.
    """
    nb = nbformat.read(str(source), as_version=4)
    setup = nbformat.v4.new_code_cell("import numpy as np\n\nfrom utils.checks import check")
    kept = [nb.cells[0], setup]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.source.startswith("def ") or cell.source.startswith("check("):
            cell.outputs, cell.execution_count = [], None
            kept.append(cell)
    if before_first_check is not None:
        first = next(i for i, c in enumerate(kept) if c.source.startswith("check("))
        kept.insert(first, nbformat.v4.new_code_cell(before_first_check))
    for cell in kept:
        if edit is not None:
            edit(cell)
    nb.cells = kept
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_untouched_exercises_are_all_not_attempted(tmp_path):
    code, out, err = grade(small_notebook(tmp_path))
    assert code == 1
    assert err == "", "the learner sees nothing but the report (no kernel log)"
    for name in EXERCISES:
        assert f"{name}" in out
    assert out.count("not attempted") == 5
    assert "Total: 0/5 exercises passed" in out


def test_whole_solution_chapter_passes_everything():
    code, out, _ = grade(SOLUTION)
    assert code == 0, out
    assert out.count("  passed\n") == 5 and "Total: 5/5 exercises passed" in out


def test_one_solved_and_one_wrong_exercise(tmp_path):
    def edit(cell):
        if cell.source.startswith("def linear_scores"):
            cell.source = cell.source.replace(STUB, "    return X @ W")
        if cell.source.startswith("def predict_labels"):
            cell.source = cell.source.replace(STUB, "    return np.argmax(scores, axis=1)", 1)
    code, out, _ = grade(small_notebook(tmp_path, edit=edit))
    assert code == 1
    assert "linear_scores" in out and "failed: Your scores leave out the bias" in out
    assert "Total: 1/5 exercises passed" in out


def test_solved_small_notebook_passes_and_exits_0(tmp_path):
    code, out, _ = grade(small_notebook(tmp_path, source=SOLUTION))
    assert code == 0, out
    assert "Total: 5/5 exercises passed" in out


def test_a_cell_that_never_ends_is_interrupted_and_grading_goes_on(tmp_path):
    path = small_notebook(tmp_path, before_first_check="while True:\n    pass")
    code, out, _ = grade(path, "--cell-timeout", "10")  # generous: an import under load takes seconds
    assert code == 1
    assert "Total: 0/5 exercises passed" in out
    assert out.count("not attempted") == 5


def test_a_kernel_that_dies_leaves_later_exercises_not_reached(tmp_path):
    path = small_notebook(tmp_path, before_first_check="import os\nos._exit(1)")
    code, out, err = grade(path)
    assert code == 1 and out.count("not reached") == 5
    assert "a cell exited Python" in err and "Traceback" not in err


def test_original_notebook_is_not_modified(tmp_path):
    path = small_notebook(tmp_path)
    before = path.read_bytes()
    grade(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content, message", [
    ("{ this is not json", "not a Jupyter notebook"),
    (nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])),
     "not a notebook of this course"),
])
def test_bad_files_get_a_one_line_error(tmp_path, content, message):
    path = tmp_path / "bad.ipynb"
    path.write_text(content)
    code, out, err = grade(path)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_missing_file(tmp_path):
    code, _, err = grade(tmp_path / "nope.ipynb")
    assert code == 2 and "no such file" in err
