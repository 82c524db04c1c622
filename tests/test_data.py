"""Datasets: the digits split is fixed and honest; generated data has the promised
shapes."""

import numpy as np

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
