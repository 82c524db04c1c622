"""Concept-check quizzes that also work on the static website.

The questions of chapter N live in ``utils/quizzes/chNN.json`` in jupyterquiz's format; jupyterquiz
renders them with inline JavaScript that checks answers in the browser, so a quiz needs neither a kernel
nor a network. Each wrong answer carries feedback aimed at the misconception behind it.
"""
import json
import random
from pathlib import Path

QUIZ_DIR = Path(__file__).with_name("quizzes")


def load_questions(chapter):
    """The list of question dicts of a chapter (jupyterquiz format)."""
    return json.loads((QUIZ_DIR / f"ch{chapter:02d}.json").read_text(encoding="utf-8"))


def show_quiz(chapter):
    """Display chapter ``chapter``'s quiz.

    jupyterquiz names the quiz's HTML element with Python's ``random``; seeding it with the chapter
    number keeps the stored notebook output identical from run to run. The global random state is
    restored afterwards.
    """
    from jupyterquiz import display_quiz

    state = random.getstate()
    random.seed(chapter)
    try:
        display_quiz(load_questions(chapter), shuffle_answers=False, max_width=700)
    finally:
        random.setstate(state)
