"""Shared helpers for the tables of correct variants and classic mistakes in tests/test_checks_*.

A hint is *generic* when it names no cause: the checker's last-resort value comparison (a
failure of kind "mismatch", "you got X, expected Y") or a learner's error passed on with no advice
(kind "raised"). ``generic_share`` measures them over a table of mistakes.
"""
from utils.checks import run_check

GENERIC_KINDS = ("mismatch", "raised")


def assert_accepted(name, fn):
    """Correct code in another style than the reference passes the check."""
    result = run_check(fn, exercise=name)
    assert result.passed, result.messages


def generic_share(rows):
    """For rows ``(exercise, wrong_fn, hint_fragment)``: (number of generic hints, number of
    rejected mistakes, the generic rows' messages)."""
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
