"""Concept-check quizzes that also work on the static website.

The questions of chapter N live in ``utils/quizzes/chNN.json`` in jupyterquiz's format;
jupyterquiz renders them with inline JavaScript that checks answers in the browser, so a
quiz needs neither a kernel nor a network. Each wrong answer carries feedback aimed at
the misconception behind it.

The words of a quiz (questions, text answers, feedback) are translated through the
catalogue ``utils/locale/<language>/LC_MESSAGES/quiz_chNN.po``; numbers, ranges and
which answer is correct are the same in every language.
"""

import copy
import json
import random
from pathlib import Path

from .i18n import language, normalize, translate

QUIZ_DIR = Path(__file__).with_name("quizzes")


def load_questions(chapter, lang="en"):
    """The list of question dicts of a chapter (jupyterquiz format), in ``lang``
    (English by default; ``None``: the current language, see
    :func:`utils.i18n.language`)."""
    questions = json.loads(
        (QUIZ_DIR / f"ch{chapter:02d}.json").read_text(encoding="utf-8")
    )
    lang = language() if lang is None else normalize(lang)
    return questions if lang == "en" else translate_questions(questions, lang)


def translate_questions(questions, lang):
    """A copy of ``questions`` whose question texts, text answers and feedback are in
    ``lang`` (untranslated ones stay English)."""
    questions = copy.deepcopy(questions)
    for question in questions:
        question["question"] = translate(question["question"], lang)
        for answer in question.get("answers", []):
            if isinstance(answer.get("answer"), str):
                answer["answer"] = translate(answer["answer"], lang)
            if answer.get("feedback"):
                answer["feedback"] = translate(answer["feedback"], lang)
    return questions


def show_quiz(chapter, lang=None):
    """Display chapter ``chapter``'s quiz in ``lang`` (default: the current language,
    English unless ``COURSE_LANG`` or :func:`utils.i18n.set_language` says otherwise).

    jupyterquiz names the quiz's HTML element with Python's ``random``; seeding it with
    the chapter number keeps the stored notebook output identical from run to run. The
    global random state is restored afterwards.
    """
    from jupyterquiz import display_quiz

    questions = load_questions(chapter, lang)
    state = random.getstate()
    random.seed(chapter)
    try:
        display_quiz(questions, shuffle_answers=False, max_width=700)
    finally:
        random.setstate(state)
