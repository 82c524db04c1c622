"""Helpers shared by the tests: the repository's paths, and assertions on what a check
says.

Import them from here (``from tests.helpers import assert_rejected, SOLUTIONS``);
fixtures live in ``tests/conftest.py``.

A hint is *generic* when it names no cause: the checker's last-resort value comparison
(a failure of kind "mismatch", "you got X, expected Y") or a learner's error passed on
with no advice (kind "raised"). ``generic_share`` measures them over a table of
mistakes.
"""

import json
from pathlib import Path

from utils.checks import run_check

# --------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"  # the source notebooks (solved exercises)
CHAPTERS = ROOT / "chapters"  # the generated exercise notebooks
QUIZZES = ROOT / "utils" / "quizzes"


def solution_notebooks():
    """Every chapter's solution notebook, in chapter order."""
    return sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))


def notebook(chapter, folder=SOLUTIONS):
    """The notebook of ``chapter`` (a number) in ``folder`` (SOLUTIONS or CHAPTERS)."""
    found = sorted(Path(folder).glob(f"{chapter:02d}_*.ipynb"))
    assert len(found) == 1, (chapter, folder, found)
    return found[0]


def quiz(chapter):
    """The quiz of ``chapter`` as stored in utils/quizzes/chNN.json."""
    return json.loads((QUIZZES / f"ch{chapter:02d}.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------
# What a check says
# --------------------------------------------------------------------------------------

GENERIC_KINDS = ("mismatch", "raised")


def assert_rejected(result, hint_fragment):
    """The check ran the learner's code, failed it, and the first message carries the
    hint."""
    assert result.attempted, result.messages
    assert not result.passed, (
        f"a wrong implementation passed; messages: {result.messages}"
    )
    assert hint_fragment.lower() in result.messages[0].lower(), result.messages[0]


def assert_accepted(name, fn):
    """Correct code in another style than the reference passes the check."""
    result = run_check(fn, exercise=name)
    assert result.passed, result.messages


def generic_share(rows):
    """For rows ``(exercise, wrong_fn, hint_fragment)``: (number of generic hints,
    number of rejected mistakes, the generic rows' messages)."""
    generic = []
    for name, fn, _ in rows:
        result = run_check(fn, exercise=name)
        assert not result.passed, (name, fn)
        if result.kind in GENERIC_KINDS:
            generic.append((name, result.messages[0]))
    return len(generic), len(rows), generic


def rows_of(table):
    """``{exercise: [(fn, hint), ...]}`` as rows ``(exercise, fn, hint)``."""
    return [(name, fn, hint) for name, cases in table.items() for fn, hint in cases]


_RESULTS = {}


def checked_once(fn, exercise):
    """run_check, once per (function, exercise) in this process: a chapter's hint-share
    test reads the same results as its rejection tests (``fn`` is kept alive, so its id
    stays unique)."""
    key = (id(fn), exercise)
    if key not in _RESULTS:
        _RESULTS[key] = (fn, run_check(fn, exercise=exercise))
    return _RESULTS[key][1]
