"""Shared fixtures, and the test session's Matplotlib setup (helpers are in
tests/helpers.py)."""

import sys

import matplotlib
import pytest

# Figures are drawn off screen in every test; set once here, before any test imports
# pyplot.
matplotlib.use("Agg")

# Re-exported for test modules that still import them from here; new code imports
# tests.helpers.
from tests.helpers import ROOT, assert_rejected  # noqa: E402,F401


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, also when it fails halfway."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")  # only if a test drew something
    if pyplot is not None:
        pyplot.close("all")


@pytest.fixture
def short_time_limit(monkeypatch):
    """Shrink every exercise's time limit so tests of the timeout path run fast."""
    from utils.checks.core import REGISTRY

    def shrink(name, seconds=0.5):
        monkeypatch.setattr(REGISTRY[name], "time_limit", seconds)

    return shrink
