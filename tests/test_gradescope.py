"""Grading for a class, end to end: the Gradescope archive run as Gradescope runs it,
the JSON report on stdout, and a gradebook of several submissions graded in parallel.

Every test starts kernels, on the small chapter-1 notebooks of tests/test_grade.py (its
exercise and check cells only), so each run takes seconds.
"""

import csv
import json
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.test_grade import CHAPTER, EXERCISES, N, SOLUTION, STUB, small_notebook
from tests.test_grade_formats import _gradescope_folder, run_autograder

pytestmark = pytest.mark.slow


def exercise_of(test):
    """The exercise a Gradescope test is about: "Exercise 1.1: f (failed)" or "f
    (failed)" -> "f"."""
    return re.sub(r"^Exercise [\d.]+: ", "", test["name"]).split(" (")[0]


def test_gradescope_solved_notebook_scores_full_marks_with_the_archived_package(
    tmp_path,
):
    root = _gradescope_folder(tmp_path)
    where = tmp_path / "where.txt"  # the kernel says which `utils` it imported
    path = small_notebook(
        tmp_path,
        source=SOLUTION,
        before_first_check=f"import utils\nopen({str(where)!r}, 'w')"
        ".write(utils.__file__)",
    )
    path.rename(root / "submission" / "01_linear_score_function.ipynb")
    result, done = run_autograder(root)
    assert result["score"] == N and len(result["tests"]) == N
    assert all(
        t["status"] == "passed" and t["score"] == t["max_score"] == 1
        for t in result["tests"]
    )
    assert [exercise_of(t) for t in result["tests"]] == EXERCISES
    assert where.read_text().startswith(str(root / "source" / "utils")), (
        "the archive's package"
    )
    assert f"Total: {N}/{N} exercises passed" in done.stdout  # the instructor's log


def test_gradescope_unsolved_notebook_one_wrong_answer_and_the_rest_not_attempted(
    tmp_path,
):
    root = _gradescope_folder(tmp_path)

    def edit(cell):
        if cell.source.startswith("def linear_scores"):
            cell.source = cell.source.replace(STUB, "    return X @ W")

    small_notebook(tmp_path, edit=edit).rename(root / "submission" / "my_work.ipynb")
    result, _ = run_autograder(root)
    assert result["score"] == 0
    tests = {exercise_of(t): t for t in result["tests"]}
    wrong = tests.pop("linear_scores")
    assert (
        wrong["name"].endswith("(failed)") and "leave out the bias" in wrong["output"]
    )
    assert "return X @ W" not in wrong["output"] and "Traceback" not in wrong["output"]
    assert all(
        t["name"].endswith("(not attempted)")
        and "not count as a wrong answer" in t["output"]
        for t in tests.values()
    )
    assert f"1 failed, {N - 1} not attempted" in result["output"]


def test_json_on_stdout_progress_on_stderr(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "utils.grade",
            str(small_notebook(tmp_path)),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 1
    document = json.loads(done.stdout)  # nothing else on stdout
    assert [e["status"] for e in document["exercises"]] == ["not attempted"] * N
    assert document["score"] == 0 and document["max_score"] == N
    assert done.stderr.count("  checked ") == N


def test_gradebook_grades_in_parallel_and_survives_a_dead_kernel(tmp_path):
    solved = small_notebook(tmp_path, source=SOLUTION).rename(tmp_path / "ana.ipynb")
    dies = small_notebook(tmp_path, before_first_check="import os\nos._exit(1)")
    dies = dies.rename(tmp_path / "bo.ipynb")
    broken = tmp_path / "cy.ipynb"
    broken.write_text("{ not a notebook")
    book = tmp_path / "gradebook.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "utils.grade",
            str(solved),
            str(dies),
            str(broken),
            "--csv",
            str(book),
            "--jobs",
            "2",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "3 rows" in done.stdout and "2 with a problem" in done.stdout
    assert done.stderr.count("] ") == 3, "one progress line per submission"
    rows = {r["learner"]: r for r in csv.DictReader(open(book, encoding="utf-8"))}
    assert list(rows) == ["ana", "bo", "cy"]
    assert rows["ana"]["score"] == str(N) and all(
        rows["ana"][n] == "1" for n in EXERCISES
    )
    assert (
        rows["bo"]["score"] == "0" and "a cell exited Python" in rows["bo"]["problem"]
    )
    assert rows["bo"]["not passed"].count("not reached") == N
    assert "not a Jupyter notebook" in rows["cy"]["problem"]
    assert not CHAPTER.samefile(solved)
