"""Datasets: the digits split is fixed and honest; generated data has the promised
shapes."""

import sys

import numpy as np
import pytest

from utils import data
from utils.data import load_digits_split, make_blobs, make_spirals


def test_digits_split_sizes_and_disjointness():
    s = load_digits_split()
    assert (s.X_train.shape, s.X_val.shape, s.X_test.shape) == (
        (1077, 64),
        (360, 64),
        (360, 64),
    )
    rows = [tuple(r) for X in (s.X_train, s.X_val, s.X_test) for r in X]
    # scikit-learn's digits contain no duplicate images, so disjoint splits have
    # distinct rows.
    assert len(set(rows)) == 1797
    assert s.X_train.dtype == np.float64 and s.y_train.dtype == np.int64
    assert s.X_train.min() == 0 and s.X_train.max() == 16


@pytest.mark.slow  # imports scikit-learn (about 2 s)
def test_the_stored_split_is_scikit_learns_and_the_digits_are_its_digits():
    """The stored indices are what ``train_test_split`` draws today, and the pixels
    read from scikit-learn's data file are ``load_digits()``'s."""
    from sklearn.datasets import load_digits

    with np.load(data.DIGITS_SPLIT_FILE) as stored:
        for part, drawn in zip(
            data.DIGITS_SPLIT_PARTS, data.scikit_learn_split_indices()
        ):
            assert np.array_equal(stored[part], drawn), (
                f"{part}: the stored split is not scikit-learn's; run "
                "`python -m tools.digits_split` (and regenerate every notebook)"
            )
    X, y = data._scikit_learn_digits()
    digits = load_digits()
    assert np.array_equal(X, digits.data) and np.array_equal(y, digits.target)
    assert X.dtype == np.float64 and y.dtype == np.int64


def test_loading_the_digits_does_not_import_scikit_learn(monkeypatch):
    """Importing scikit-learn takes over a second of every chapter's start."""
    for name in ("sklearn", "sklearn.datasets", "sklearn.model_selection"):
        monkeypatch.setitem(sys.modules, name, None)  # importing it would fail
    split = load_digits_split()
    assert split.X_train.shape == (1077, 64)


def test_without_the_data_file_the_digits_come_from_load_digits(monkeypatch):
    """A scikit-learn that keeps its data elsewhere still works, through its loader."""
    monkeypatch.setattr(data, "DIGITS_FILE_IN_SCIKIT_LEARN", "sklearn/nowhere.csv.gz")

    class Digits:  # what load_digits returns, in other dtypes
        data = np.zeros((3, 64), dtype=np.int32)
        target = np.array([0, 1, 2], dtype=np.int32)

    calls = []
    fake = type(sys)("sklearn.datasets")
    fake.load_digits = lambda: calls.append("load_digits") or Digits
    monkeypatch.setitem(sys.modules, "sklearn", type(sys)("sklearn"))
    monkeypatch.setitem(sys.modules, "sklearn.datasets", fake)
    X, y = data._scikit_learn_digits()
    assert calls == ["load_digits"] and X.shape == (3, 64)
    assert X.dtype == np.float64 and y.dtype == np.int64


def test_digits_split_is_stratified_and_fixed():
    a, b = load_digits_split(), load_digits_split()
    assert np.array_equal(a.y_val, b.y_val) and np.array_equal(a.X_test, b.X_test)
    for y in (a.y_train, a.y_val, a.y_test):
        counts = np.bincount(y, minlength=10)
        assert counts.min() >= 0.8 * counts.max()


def test_blobs_and_spirals():
    X, y = make_blobs(n_per_class=7, num_classes=4, seed=3)
    assert X.shape == (28, 2) and np.array_equal(np.bincount(y), [7] * 4)
    X2, _ = make_blobs(n_per_class=7, num_classes=4, seed=3)
    assert np.array_equal(X, X2)
    X, y = make_spirals(n_per_class=50, num_classes=3, seed=0)
    assert X.shape == (150, 2) and set(y) == {0, 1, 2}
    assert np.abs(X).max() <= 1.0 + 1e-12  # radii run from 0 to 1
