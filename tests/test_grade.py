"""The learner's grading command, run as a learner runs it.

Most tests grade a *small* course notebook made from chapter 1: its exercise cells and
check cells only, so each run takes seconds and no test depends on how fast the machine
is. One test grades the whole solved chapter, end to end.
"""

import subprocess
import sys

import nbformat
import pytest

from tests.conftest import ROOT
from utils.grade import chapter_exercises

pytestmark = pytest.mark.slow  # every test starts a kernel

CHAPTER = ROOT / "chapters" / "01_linear_score_function.ipynb"
SOLUTION = ROOT / "solutions" / "01_linear_score_function.ipynb"
#: Chapter 1's exercises, from the check registry, so a new exercise needs no edit here.
EXERCISES = chapter_exercises(nbformat.read(str(CHAPTER), as_version=4))
N = len(EXERCISES)
STUB = '    # YOUR CODE HERE\n    raise NotImplementedError("Exercise not written yet")'


def grade(path, *extra, env=None):
    done = subprocess.run(
        [sys.executable, "-m", "utils.grade", str(path), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )
    return done.returncode, done.stdout, done.stderr


def small_notebook(tmp_path, source=CHAPTER, before_first_check=None, edit=None):
    """Chapter 1 cut down to its title, an import cell, the exercise cells and the check
    cells.

    ``before_first_check``: source of a cell inserted before the first check cell.
    ``edit(cell)``: called on every kept cell, to fill in or break an exercise.
    """
    nb = nbformat.read(str(source), as_version=4)
    setup = nbformat.v4.new_code_cell(
        "import numpy as np\n\nfrom utils.checks import check"
    )
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


def test_untouched_exercises_are_all_not_attempted_and_the_file_is_left_as_it_was(
    tmp_path,
):
    path = small_notebook(tmp_path)
    before = path.read_bytes()
    code, out, err = grade(path)
    assert path.read_bytes() == before, "grading wrote into the learner's notebook"
    assert code == 1
    assert "Traceback" not in err and "kernel" not in err.lower(), "no kernel log"
    assert err.count("  checked ") == N, "one progress line per exercise, on stderr"
    for name in EXERCISES:
        assert f"{name}" in out
    assert out.count("not attempted") == N
    assert f"Total: 0/{N} exercises passed" in out


def test_whole_solution_chapter_passes_everything():
    code, out, _ = grade(SOLUTION)
    assert code == 0, out
    assert out.count("  passed\n") == N and f"Total: {N}/{N} exercises passed" in out


def test_one_solved_and_one_wrong_exercise(tmp_path):
    def edit(cell):
        if cell.source.startswith("def linear_scores"):
            cell.source = cell.source.replace(STUB, "    return X @ W")
        if cell.source.startswith("def predict_labels"):
            cell.source = cell.source.replace(
                STUB, "    return np.argmax(scores, axis=1)", 1
            )

    code, out, _ = grade(small_notebook(tmp_path, edit=edit))
    assert code == 1
    assert "linear_scores" in out and "failed: Your scores leave out the bias" in out
    assert f"Total: 1/{N} exercises passed" in out


def test_solved_small_notebook_passes_and_exits_0(tmp_path):
    code, out, _ = grade(small_notebook(tmp_path, source=SOLUTION))
    assert code == 0, out
    assert f"Total: {N}/{N} exercises passed" in out


def test_a_cell_that_never_ends_is_interrupted_and_grading_goes_on(tmp_path):
    # A loop that sleeps, so the wait leaves the CPU to the other tests.
    loop = "import time\nwhile True:\n    time.sleep(0.01)"
    path = small_notebook(tmp_path, before_first_check=loop)
    code, out, _ = grade(
        path, "--cell-timeout", "10"
    )  # generous: an import under load takes seconds
    assert code == 1
    assert f"Total: 0/{N} exercises passed" in out
    assert out.count("not attempted") == N


def test_a_kernel_that_dies_leaves_later_exercises_not_reached(tmp_path):
    path = small_notebook(tmp_path, before_first_check="import os\nos._exit(1)")
    code, out, err = grade(path)
    assert code == 1 and out.count("not reached") == N
    assert "a cell exited Python" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "content, message",
    [
        ("{ this is not json", "not a Jupyter notebook"),
        (
            nbformat.writes(
                nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
            ),
            "not a notebook of this course",
        ),
    ],
    ids=["not json", "another notebook"],
)  # fixed ids: a new cell's random id would differ per
# pytest-xdist worker, and xdist refuses workers that collect different tests
def test_bad_files_get_a_one_line_error(tmp_path, content, message):
    path = tmp_path / "bad.ipynb"
    path.write_text(content)
    code, out, err = grade(path)
    assert code == 2 and out == ""
    assert (
        message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    )


def test_missing_file(tmp_path):
    code, _, err = grade(tmp_path / "nope.ipynb")
    assert code == 2 and "no such file" in err


def test_directory_is_not_a_file(tmp_path):
    code, out, err = grade(tmp_path)
    assert code == 2 and out == "" and "a directory, not a file" in err


def test_deleted_check_cells_do_not_make_a_pass(tmp_path):
    def edit(cell):
        if cell.source.startswith("check(") and "linear_scores" not in cell.source:
            cell.source = "pass"

    code, out, _ = grade(small_notebook(tmp_path, source=SOLUTION, edit=edit))
    assert code == 1, out
    assert f"Total: 1/{N} exercises passed" in out
    assert out.count("not checked: the notebook has no `check(") == N - 1


def test_assigned_check_counts_and_learner_cell_errors_are_named(tmp_path):
    def edit(cell):
        if cell.source.startswith("check(linear_scores)"):
            cell.source = "r = check(linear_scores)\nr"
        if "def accuracy(" in cell.source:
            cell.source = cell.source.replace("def accuracy", "def my_accuracy", 1)
        if cell.source.startswith("def bias_trick"):
            cell.source = cell.source.replace("):", ")", 1)  # a syntax error
        if cell.source.startswith("check(center_data)"):
            cell.source = "del check\ncheck(center_data)"

    code, out, err = grade(small_notebook(tmp_path, source=SOLUTION, edit=edit))
    assert code == 1, out
    lines = {
        line.split()[0]: line for line in out.splitlines() if line.startswith("  ")
    }
    assert lines["linear_scores"].endswith("passed")
    assert "Keep the name `accuracy`" in lines["accuracy"]
    assert "defines `bias_trick` raised SyntaxError" in lines["bias_trick"]
    assert "`check` is not defined" in lines["center_data"]
    assert "earlier cell" not in out


def test_report_survives_a_console_that_is_not_utf8(tmp_path):
    import os

    def edit(cell):
        if cell.source.startswith("def linear_scores"):
            cell.source = cell.source.replace(
                STUB, '    print("\u03bb =", 1)\n    return X @ W'
            )

    env = dict(os.environ, PYTHONIOENCODING="ascii")
    code, out, err = grade(small_notebook(tmp_path, edit=edit), env=env)
    assert code == 1 and "UnicodeEncodeError" not in err, err
    assert "\\u03bb" in out and f"Total: 0/{N}" in out


def test_cells_cannot_write_into_the_notebooks_folder(tmp_path):
    path = small_notebook(
        tmp_path, before_first_check="open('written.txt', 'w').write('x')"
    )
    grade(path)
    assert not (tmp_path / "written.txt").exists()


def test_a_cell_that_ignores_the_interrupt_is_stopped(tmp_path):
    loop = (
        "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n"
        "    except:\n        pass"
    )
    path = small_notebook(tmp_path, before_first_check=loop)
    code, out, err = grade(path, "--cell-timeout", "2", "--interrupt-grace", "2")
    assert code == 1 and out.count("not reached") == N
    assert "ignored the interrupt" in err


def test_whole_notebook_time_limit(tmp_path):
    path = small_notebook(tmp_path, before_first_check="import time\ntime.sleep(60)")
    code, out, err = grade(path, "--time-limit", "5")
    assert code == 1 and "time limit of 5 s" in err


def test_sigterm_reports_what_was_graded_and_stops_the_kernel(tmp_path):
    import signal
    import time

    path = small_notebook(tmp_path, source=SOLUTION)
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import os, time\n"
            "open('kernel.pid', 'w').write(str(os.getpid()))\n"
            "time.sleep(120)"
        )
    )
    # the kernel writes its pid in the temporary copy: have it write here instead
    nb.cells[-1].source = nb.cells[-1].source.replace(
        "'kernel.pid'", repr(str(tmp_path / "kernel.pid"))
    )
    nbformat.write(nb, str(path))
    proc = subprocess.Popen(
        [sys.executable, "-m", "utils.grade", str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not (tmp_path / "kernel.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert f"Total: {N}/{N} exercises passed" in out and "Grading was stopped" in out
    pid = int((tmp_path / "kernel.pid").read_text())
    time.sleep(0.5)
    import os

    try:
        os.kill(pid, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive, "the kernel was left running"


def test_the_small_notebook_holds_every_exercise_of_chapter_1():
    """Guards the counts above: the registry lists chapter 1's exercises and the
    notebook checks each."""
    assert (
        EXERCISES[:2] == ["linear_scores", "predict_labels"]
        and "top_k_accuracy" in EXERCISES
    )
    from utils.grade import checked_in

    assert set(checked_in(nbformat.read(str(CHAPTER), as_version=4))) == set(EXERCISES)
