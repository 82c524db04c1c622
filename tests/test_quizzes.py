"""Every quiz question is well formed and every wrong answer explains itself."""

import json

import pytest

from tests.helpers import notebook, solution_notebooks
from tools import notebooks
from utils.quiz import QUIZ_DIR, load_questions

QUIZZES = sorted(QUIZ_DIR.glob("ch*.json"))


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.name)
def test_quiz_is_well_formed(path):
    questions = json.loads(path.read_text(encoding="utf-8"))
    assert 4 <= len(questions) <= 6
    assert {q["type"] for q in questions} >= {"multiple_choice"}
    for q in questions:
        assert q["question"].strip()
        answers = q["answers"]
        assert sum(a["correct"] for a in answers) == 1, q["question"]
        assert all(a.get("feedback", "").strip() for a in answers), q["question"]
        if q["type"] == "multiple_choice":
            assert len(answers) >= 3 and len({a["answer"] for a in answers}) == len(
                answers
            )
        else:
            assert q["type"] == "numeric"
            assert any(a["type"] == "range" and not a["correct"] for a in answers), (
                "a numeric question needs a catch-all feedback for unexpected numbers"
            )


@pytest.mark.parametrize("solution", solution_notebooks(), ids=lambda p: p.name)
def test_every_chapter_ends_with_its_quiz(solution):
    chapter = int(solution.name[:2])
    sources = [
        c.source for c in notebooks.read(solution).cells if c.cell_type == "code"
    ]
    assert any(f"show_quiz({chapter})" in s for s in sources)
    assert load_questions(chapter)


def test_chapter_1_numeric_answers_are_computed():
    import numpy as np

    from utils.checks.ch01_linear import FOUR_PIXEL_B, FOUR_PIXEL_W, FOUR_PIXELS
    from utils.reference import LinearClassifier

    answers = {
        q["question"][:30]: next(a["value"] for a in q["answers"] if a["correct"])
        for q in load_questions(1)
        if q["type"] == "numeric"
    }
    params = sum(p.size for p in LinearClassifier(64, 10).params.values())
    ship = float((FOUR_PIXELS @ FOUR_PIXEL_W + FOUR_PIXEL_B)[0, 2])
    assert sorted(answers.values()) == sorted([params, round(ship, 2)])
    assert np.isclose(ship, 60.75)


def test_chapter_1_ship_question_agrees_with_the_notebook():
    """The quiz repeats the notebook's four-pixel example: edit the example and this
    test fails."""
    import re

    nb = notebooks.read(notebook(1))
    printed = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    bias, score = re.search(
        r"^ship: .* \+ \((-?[\d.]+)\) = (-?[\d.]+)$", printed, re.MULTILINE
    ).groups()
    question = next(q for q in load_questions(1) if "ship's score" in q["question"])
    correct = next(a for a in question["answers"] if a["correct"])
    assert f"bias {bias} " in question["question"], (
        "the quiz states another bias than the notebook"
    )
    assert correct["value"] == float(score) and score in correct["feedback"]
