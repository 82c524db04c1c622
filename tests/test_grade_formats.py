"""Grading for a class without starting a kernel: points, the JSON and Gradescope
reports, the gradebook, the Gradescope archive, and the grader's one-line errors.

What the grader collects from a notebook run is built here by hand (the results of the
checks and what happened to the cells), so every status is covered in milliseconds;
tests/test_gradescope.py runs the real thing on small notebooks.
"""

import csv
import json
import stat
import subprocess
import sys
import zipfile
from types import SimpleNamespace

import nbformat
import pytest

from tests.conftest import ROOT
from tools import gradescope_archive
from utils import gradebook
from utils.checks.core import REGISTRY, exercise
from utils.grade import (
    GradingError,
    exercise_numbers,
    exercise_outcome,
    format_report,
    load_course_notebook,
    main,
)
from utils.grade_formats import course_document, error_document, gradescope_document

CHAPTER_1 = ROOT / "chapters" / "01_linear_score_function.ipynb"
CHAPTER_2 = ROOT / "chapters" / "02_svm_vs_softmax.ipynb"
NAMES = [
    "linear_scores",
    "predict_labels",
    "accuracy",
    "bias_trick",
    "center_data",
    "top_k_accuracy",
]
HINT = (
    "Your scores leave out the bias: compute `X @ W + b`, so that each class score "
    "gets its own offset."
)


def entry(name, passed, attempted, message):
    return {
        "exercise": name,
        "passed": passed,
        "attempted": attempted,
        "messages": [message],
    }


def a_run(errors=None, present=NAMES, stopped_why=None):
    """What the grader records about a chapter-1 run (cell errors, check cells
    present, ...)."""
    return SimpleNamespace(
        errors=errors or {},
        present=present,
        stopped_why=stopped_why,
        chapter=1,
        numbers={n: f"1.{i + 1}" for i, n in enumerate(NAMES)},
    )


def one_of_each():
    """Chapter 1 with every status: passed, failed (hint), not attempted, a definition
    cell that raised (failed), a deleted check cell (not checked), and one never
    reached."""
    results = {
        "linear_scores": entry("linear_scores", False, True, HINT),
        "predict_labels": entry("predict_labels", True, True, "All tests passed."),
        "accuracy": entry(
            "accuracy",
            False,
            False,
            "Not attempted yet: replace `raise NotImplementedError` with your code.",
        ),
    }
    run = a_run(
        errors={"bias_trick": ("definition", "SyntaxError", "invalid syntax")},
        present=[n for n in NAMES if n != "center_data"],
    )
    return results, run


# --- points
# ----------------------------------------------------------------------------------


def test_every_exercise_is_worth_one_point_unless_its_registration_says_otherwise():
    assert REGISTRY and all(ex.points == 1 for ex in REGISTRY.values())
    try:
        exercise("worth_three", reference=len, chapter=99, points=3)(lambda probe: None)
        assert REGISTRY["worth_three"].points == 3
    finally:
        REGISTRY.pop("worth_three", None)


@pytest.mark.parametrize("points", [0, -1, float("nan")])
def test_points_must_be_positive(points):
    with pytest.raises(ValueError, match="points must be positive"):
        exercise("worthless", reference=len, chapter=99, points=points)
    assert "worthless" not in REGISTRY


# --- statuses and the course's JSON
# -----------------------------------------------------------


def test_each_status_comes_with_the_learners_message():
    results, run = one_of_each()
    outcome = {n: exercise_outcome(n, results, run) for n in NAMES}
    assert outcome["linear_scores"] == ("failed", HINT)
    assert outcome["predict_labels"][0] == "passed"
    assert outcome["accuracy"][0] == "not attempted"
    assert (
        outcome["bias_trick"][0] == "failed"
        and "SyntaxError" in outcome["bias_trick"][1]
    )
    assert (
        outcome["center_data"][0] == "not checked"
        and "check(center_data)" in outcome["center_data"][1]
    )
    assert outcome["top_k_accuracy"][0] == "not reached"


def test_text_report_is_unchanged_by_the_refactoring():
    results, run = one_of_each()
    lines = format_report(NAMES, results, run).splitlines()
    assert lines[0].split() == ["linear_scores", "failed:"] + HINT.split()
    assert lines[1].split() == ["predict_labels", "passed"]
    assert lines[2].split() == ["accuracy", "not", "attempted"]
    assert "failed: the cell that defines `bias_trick` raised SyntaxError" in lines[3]
    assert "not checked: the notebook has no `check(center_data)` cell" in lines[4]
    assert lines[5].endswith("not reached (an earlier cell failed or timed out)")
    assert lines[6] == "Total: 1/6 exercises passed"


def test_course_document_scores_passed_exercises_with_their_points(monkeypatch):
    results, run = one_of_each()
    monkeypatch.setattr(REGISTRY["predict_labels"], "points", 2.5)
    monkeypatch.setattr(REGISTRY["linear_scores"], "points", 4)
    doc = course_document("mine.ipynb", NAMES, results, run)
    assert doc["score"] == 2.5 and doc["max_score"] == 2.5 + 4 + 4 * 1
    assert [e["name"] for e in doc["exercises"]] == NAMES
    by_name = {e["name"]: e for e in doc["exercises"]}
    assert by_name["linear_scores"] == {
        "name": "linear_scores",
        "number": "1.1",
        "status": "failed",
        "score": 0,
        "max_score": 4,
        "message": HINT,
    }
    assert by_name["predict_labels"]["score"] == 2.5
    assert doc["chapter"] == 1 and doc["error"] is None and doc["stopped_early"] is None
    json.dumps(doc)  # JSON-ready


def test_exercises_follow_their_numbers_not_the_registry_order():
    results, run = one_of_each()
    run.numbers = {n: f"1.{len(NAMES) - i}" for i, n in enumerate(NAMES)}
    doc = course_document("mine.ipynb", NAMES, results, run)
    assert [e["name"] for e in doc["exercises"]] == NAMES[::-1]


def test_exercise_numbers_are_read_from_the_headings():
    numbers = exercise_numbers(nbformat.read(str(CHAPTER_1), as_version=4))
    assert numbers == {
        n: f"1.{i + 1}" for i, n in enumerate(NAMES)
    }  # 1.2 and 1.3 share a heading


# --- Gradescope's results.json
# ---------------------------------------------------------------


def test_gradescope_one_test_per_exercise_with_the_course_hint():
    results, run = one_of_each()
    doc = gradescope_document(course_document("mine.ipynb", NAMES, results, run))
    assert doc["score"] == 1 and len(doc["tests"]) == len(NAMES)
    assert sum(t["score"] for t in doc["tests"]) == doc["score"]
    assert all(
        t["max_score"] == 1 and t["visibility"] == "visible" for t in doc["tests"]
    )
    tests = {t["name"].split(": ")[1].split()[0]: t for t in doc["tests"]}
    assert (
        tests["predict_labels"]["status"] == "passed"
        and tests["predict_labels"]["score"] == 1
    )
    assert tests["predict_labels"]["name"] == "Exercise 1.2: predict_labels"
    failed = tests["linear_scores"]
    assert failed["status"] == "failed" and failed["output"].endswith(HINT)
    assert (
        failed["name"] == "Exercise 1.1: linear_scores (failed)"
        and failed["number"] == "1.1"
    )
    assert (
        "(1 passed, 2 failed, 1 not attempted, 1 not checked, 1 not reached)"
        in doc["output"]
    )
    for test in doc["tests"]:  # the course's words, never the checker's code
        assert not any(
            code in test["output"]
            for code in ("Traceback", "assert ", "def ", "probe", "REGISTRY")
        )


def test_gradescope_says_not_attempted_is_not_a_wrong_answer():
    results, run = one_of_each()
    doc = gradescope_document(course_document("mine.ipynb", NAMES, results, run))
    tests = {t["name"].split(": ")[1].split()[0]: t for t in doc["tests"]}
    todo, wrong = tests["accuracy"], tests["linear_scores"]
    assert todo["name"].endswith("(not attempted)") and todo["score"] == 0
    assert "does not count as a wrong answer" in todo["output"]
    assert "Not right yet" not in todo["output"] and "Not right yet" in wrong["output"]
    assert "does not count as a wrong answer" not in wrong["output"]
    assert doc["extra_data"]["statuses"]["accuracy"] == "not attempted"
    assert tests["top_k_accuracy"]["output"].startswith("Not reached")
    assert tests["center_data"]["output"].startswith("Not checked")


def test_gradescope_summary_says_when_the_notebook_stopped_early():
    results, run = one_of_each()
    run.stopped_why = (
        "the notebook ran over its time limit of 5 s, so its kernel was stopped"
    )
    doc = gradescope_document(course_document("mine.ipynb", NAMES, results, run))
    assert "time limit of 5 s" in doc["output"] and "not reached" in doc["output"]


def test_a_notebook_that_cannot_be_graded_scores_zero_and_says_why():
    doc = gradescope_document(
        error_document("x.ipynb", "not a Jupyter notebook", NAMES, 1)
    )
    assert doc["score"] == 0 and len(doc["tests"]) == len(NAMES)
    assert all(t["score"] == 0 and t["max_score"] == 1 for t in doc["tests"])
    assert "could not be graded: not a Jupyter notebook" in doc["output"]
    assert all("not a Jupyter notebook" in t["output"] for t in doc["tests"])


# --- the command line, without kernels
# --------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "gradescope"])
def test_bad_file_still_gets_a_json_report_on_stdout(tmp_path, capsys, fmt):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{ not json")
    assert main([str(bad), "--format", fmt, "--chapter", "1"]) == 2
    out, err = capsys.readouterr()
    doc = json.loads(out)  # stdout holds the JSON and nothing else
    assert doc["score"] == 0 and "not a Jupyter notebook" in json.dumps(doc)
    assert err.strip().startswith("error:") and len(err.strip().splitlines()) == 1


def test_json_report_to_a_file_keeps_stdout_for_the_text(tmp_path, capsys):
    out_file = tmp_path / "results" / "results.json"  # the folder is created
    assert (
        main(
            [
                str(tmp_path / "nope.ipynb"),
                "--format",
                "gradescope",
                "--output",
                str(out_file),
            ]
        )
        == 2
    )
    out, err = capsys.readouterr()
    assert out == "" and "no such file" in err
    assert json.loads(out_file.read_text())["score"] == 0


def test_the_wrong_chapter_is_named():
    with pytest.raises(
        GradingError, match="notebook of chapter 2, but chapter 1 is being graded"
    ):
        load_course_notebook(CHAPTER_2, chapter=1)
    assert load_course_notebook(CHAPTER_1, chapter=1).metadata["course"]["chapter"] == 1


def test_a_notebook_without_course_metadata_is_graded_by_its_check_cells(tmp_path):
    nb = nbformat.read(str(CHAPTER_1), as_version=4)
    del nb.metadata["course"]
    path = tmp_path / "resaved.ipynb"
    nbformat.write(nb, str(path))
    assert load_course_notebook(path, chapter=1) is not None
    with pytest.raises(GradingError, match="not a notebook of this course"):
        load_course_notebook(path)
    with pytest.raises(GradingError, match="checks none of that chapter's exercises"):
        load_course_notebook(path, chapter=2)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["a.ipynb", "b.ipynb"], "add --csv gradebook.csv"),
        (
            ["a.ipynb", "--csv", "g.csv", "--format", "json"],
            "--format and --output are for one",
        ),
        (["a.ipynb", "--jobs", "2"], "--jobs is for grading several notebooks"),
        (["a.ipynb", "--csv", "g.csv", "--jobs", "0"], "--jobs must be at least 1"),
    ],
)
def test_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_a_missing_dependency_is_a_one_line_hint():
    """`python -S` has no site-packages: what a Python without the course's packages
    looks like."""
    done = subprocess.run(
        [sys.executable, "-S", "-m", "utils.grade", str(CHAPTER_1)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    err = done.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert (
        "needs the Python package `nbformat`" in err
        and "source .venv/bin/activate" in err
    )


# --- the gradebook
# ----------------------------------------------------------------------------


def test_learner_names_come_from_files_or_their_folders(tmp_path):
    from pathlib import Path

    assert gradebook.learner_names([Path("s/ana.ipynb"), Path("s/bo.ipynb")]) == [
        "ana",
        "bo",
    ]
    same = [Path("s/ana/01_x.ipynb"), Path("s/bo/01_x.ipynb")]
    assert gradebook.learner_names(same) == ["ana", "bo"]
    clash = [Path("a/x/n.ipynb"), Path("b/x/n.ipynb")]
    assert gradebook.learner_names(clash) == [str(p) for p in clash]


def test_a_folder_stands_for_the_notebooks_inside_it(tmp_path):
    for name in (
        "b/n.ipynb",
        "a/n.ipynb",
        "a/.ipynb_checkpoints/n-checkpoint.ipynb",
        "a/x.txt",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = gradebook.expand([tmp_path, tmp_path / "a" / "x.txt"])
    assert found == [
        tmp_path / "a/n.ipynb",
        tmp_path / "b/n.ipynb",
        tmp_path / "a/x.txt",
    ]


def test_gradebook_rows_one_per_learner_one_column_per_exercise():
    results, run = one_of_each()
    graded = course_document("ana.ipynb", NAMES, results, run)
    solved = course_document(
        "bo.ipynb",
        NAMES,
        {n: entry(n, True, True, "All tests passed.") for n in NAMES},
        a_run(),
    )
    broken = error_document("cy.ipynb", "cy.ipynb: not a Jupyter notebook")
    header, rows = gradebook.gradebook_rows(
        ["ana", "bo", "cy"], [graded, solved, broken]
    )
    assert header == [
        "learner",
        "submission",
        "chapter",
        "score",
        "max_score",
        *NAMES,
        "not passed",
        "problem",
    ]
    ana, bo, cy = (dict(zip(header, row)) for row in rows)
    assert ana["score"] == 1 and ana["max_score"] == 6 and ana["predict_labels"] == 1
    assert ana["linear_scores"] == 0 and ana["problem"] == ""
    assert ana["not passed"] == (
        "linear_scores: failed; accuracy: not attempted; bias_trick: "
        "failed; center_data: not checked; top_k_accuracy: not reached"
    )
    assert bo["score"] == 6 and bo["not passed"] == ""
    assert cy["score"] == 0 and all(cy[n] == "" for n in NAMES)
    assert cy["problem"] == "cy.ipynb: not a Jupyter notebook"


@pytest.mark.slow  # starts grader processes
def test_broken_and_crashing_submissions_get_a_row_that_says_why(tmp_path, monkeypatch):
    """Three processes, no kernel: a file that is not a notebook, a grader that dies, a
    grader that hangs. Every submission gets its row; none stops the others."""
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{ not json")
    learners, docs = gradebook.grade_many([bad, tmp_path / "missing.ipynb"], jobs=2)
    assert (
        "not a Jupyter notebook" in docs[0]["error"]
        and "no such file" in docs[1]["error"]
    )

    fake = tmp_path / "fake_python"
    fake.write_text(
        '#!/bin/sh\ncase "$*" in *hang*) exec sleep 60;; esac\n'
        "echo 'Segmentation fault' >&2\nexit 139\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    monkeypatch.setattr(gradebook, "SLACK", 1)
    learners, docs = gradebook.grade_many(
        [tmp_path / "dies.ipynb", tmp_path / "hang.ipynb"], jobs=2, time_limit=1
    )
    assert docs[0]["error"] == "the grader failed: Segmentation fault"
    assert docs[1]["error"] == "grading did not finish within 2 s and was stopped"
    csv_path = tmp_path / "book.csv"
    gradebook.write_gradebook(csv_path, learners, docs)
    rows = list(csv.DictReader(open(csv_path, encoding="utf-8")))
    assert [r["learner"] for r in rows] == ["dies", "hang"] and rows[1]["score"] == "0"


# --- the Gradescope archive
# -------------------------------------------------------------------


def test_archive_has_what_gradescope_needs_at_its_root(tmp_path):
    path = gradescope_archive.build(
        1, tmp_path / "ch1.zip", cell_timeout=60, time_limit=600
    )
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
        run = archive.read("run_autograder").decode()
        requirements = archive.read("requirements.txt").decode()
    for needed in (
        "setup.sh",
        "run_autograder",
        "requirements.txt",
        "README.md",
        "utils/grade.py",
        "utils/gradescope.py",
        "utils/grade_formats.py",
        "utils/checks/core.py",
        "utils/checks/ch01_linear.py",
        "utils/reference/__init__.py",
        "utils/course.mplstyle",
        "utils/digits_split.npz",
        "utils/quizzes/ch01.json",
    ):
        assert needed in names, needed
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR
    assert not modes["utils/grade.py"] & stat.S_IXUSR
    assert "--chapter 1 " in run and "--cell-timeout 60 --time-limit 600" in run
    for script in ("setup.sh", "run_autograder"):  # both parse as bash
        with zipfile.ZipFile(path) as archive:
            (tmp_path / script).write_bytes(archive.read(script))
        assert subprocess.run(["bash", "-n", str(tmp_path / script)]).returncode == 0
    lines = [line for line in requirements.splitlines() if not line.startswith("#")]
    ours = (ROOT / "requirements.txt").read_text().splitlines()
    assert lines and all(line in ours for line in lines), "the course's own pins"
    names_only = {line.split("=")[0].split("<")[0].split(">")[0] for line in lines}
    assert {
        "numpy",
        "nbclient",
        "nbformat",
        "ipykernel",
        "jupyterquiz==2.9.6.4",
    } & names_only
    assert {"numpy", "nbclient", "nbformat", "ipykernel", "matplotlib"} <= names_only
    assert not names_only & {
        "pytest",
        "jupyter-book",
        "nbval",
        "selenium",
        "jupyterlab",
    }
    assert "-e ." not in lines


def test_archive_is_reproducible(tmp_path):
    first = gradescope_archive.build(1, tmp_path / "a.zip").read_bytes()
    assert gradescope_archive.build(1, tmp_path / "b.zip").read_bytes() == first


def test_grading_requirements_drop_tools_comments_and_options():
    text = (
        "# pins\nnumpy>=1.26,<3  # arrays\npytest>=8,<10\nJupyter_Book>=1\n-e .\n"
        "jupyterquiz==2.9.6.4\n\nselenium>=4.20,<5\n"
    )
    kept = [
        line
        for line in gradescope_archive.grading_requirements(text).splitlines()
        if not line.startswith("#")
    ]
    assert kept == ["numpy>=1.26,<3", "jupyterquiz==2.9.6.4"]


def _gradescope_folder(tmp_path, chapter=1):
    """/autograder as Gradescope lays it out: source (the archive unpacked),
    submission, results."""
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "results").mkdir()
    with zipfile.ZipFile(
        gradescope_archive.build(chapter, tmp_path / "a.zip")
    ) as archive:
        archive.extractall(root / "source")
    run = root / "run_autograder"
    run.write_bytes((root / "source" / "run_autograder").read_bytes())
    run.chmod(0o755)
    return root


def run_autograder(root):
    import os

    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    done = subprocess.run(
        [str(root / "run_autograder")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text()), done


@pytest.mark.slow  # starts grader processes
def test_autograder_without_a_notebook_or_with_another_chapters_notebook(tmp_path):
    """No kernel starts: the submission is refused before anything runs."""
    root = _gradescope_folder(tmp_path)
    result, _ = run_autograder(root)
    assert result["score"] == 0 and len(result["tests"]) == len(NAMES)
    assert "holds no notebook" in result["output"]
    (root / "submission" / "02_svm_vs_softmax.ipynb").write_bytes(
        CHAPTER_2.read_bytes()
    )
    result, _ = run_autograder(root)
    assert (
        result["score"] == 0
        and "notebook of chapter 2, but chapter 1" in result["output"]
    )
