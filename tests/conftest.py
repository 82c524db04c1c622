"""Shared fixtures."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def short_time_limit(monkeypatch):
    """Shrink every exercise's time limit so tests of the timeout path run fast."""
    from utils.checks.core import REGISTRY

    def shrink(name, seconds=0.5):
        monkeypatch.setattr(REGISTRY[name], "time_limit", seconds)
    return shrink


def assert_rejected(result, hint_fragment):
    """The check ran the learner's code, failed it, and the first message carries the hint."""
    assert result.attempted, result.messages
    assert not result.passed, f"a wrong implementation passed; messages: {result.messages}"
    assert hint_fragment.lower() in result.messages[0].lower(), result.messages[0]

