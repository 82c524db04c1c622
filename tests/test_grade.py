"""The learner's grading command, run as a learner runs it."""
import subprocess
import sys

import nbformat
import pytest

from tests.conftest import ROOT

CHAPTER = ROOT / "chapters" / "01_linear_score_function.ipynb"
SOLUTION = ROOT / "solutions" / "01_linear_score_function.ipynb"
EXERCISES = ["linear_scores", "predict_labels", "accuracy", "bias_trick", "center_data"]


def grade(path, *extra):
    done = subprocess.run([sys.executable, "-m", "utils.grade", str(path), *extra],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


def _chapter_with_cell_before_first_check(tmp_path, source):
    nb = nbformat.read(str(CHAPTER), as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "check(linear_scores)" in c.source)
    nb.cells.insert(index, nbformat.v4.new_code_cell(source))
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_untouched_exercise_notebook_is_all_not_attempted():
    code, out, err = grade(CHAPTER)
    assert code == 1
    assert err == "", "the learner sees nothing but the report (no kernel log)"
    for name in EXERCISES:
        assert f"{name}" in out
    assert out.count("not attempted") == 5
    assert "Total: 0/5 exercises passed" in out


def test_solution_notebook_passes_everything():
    code, out, _ = grade(SOLUTION)
    assert code == 0, out
    assert out.count("  passed\n") == 5 and "Total: 5/5 exercises passed" in out


def test_one_solved_and_one_wrong_exercise(tmp_path):
    stub = '    # YOUR CODE HERE\n    raise NotImplementedError("Exercise not written yet")'
    nb = nbformat.read(str(CHAPTER), as_version=4)
    for cell in nb.cells:
        if cell.source.startswith("def linear_scores"):
            cell.source = cell.source.replace(stub, "    return X @ W")
        if cell.source.startswith("def predict_labels"):
            cell.source = cell.source.replace(stub, "    return np.argmax(scores, axis=1)", 1)
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, str(path))
    code, out, _ = grade(path)
    assert code == 1
    assert "linear_scores" in out and "failed: Your scores leave out the bias" in out
    assert "Total: 1/5 exercises passed" in out


def test_a_cell_that_never_ends_is_interrupted_and_grading_goes_on(tmp_path):
    path = _chapter_with_cell_before_first_check(tmp_path, "while True:\n    pass")
    code, out, _ = grade(path, "--cell-timeout", "3")
    assert "Total: 0/5 exercises passed" in out
    assert out.count("not attempted") == 5


def test_a_kernel_that_dies_leaves_later_exercises_not_reached(tmp_path):
    path = _chapter_with_cell_before_first_check(tmp_path, "import os\nos._exit(1)")
    code, out, err = grade(path)
    assert code == 1 and out.count("not reached") == 5
    assert "a cell exited Python" in err and "Traceback" not in err


def test_original_notebook_is_not_modified(tmp_path):
    before = CHAPTER.read_bytes()
    grade(CHAPTER)
    assert CHAPTER.read_bytes() == before


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
