"""Datasets. Nothing here downloads: digits ship inside scikit-learn, the rest is
generated.

Arrays follow the course convention: ``X`` (N, D) float64, ``y`` (N,) int64.
"""

import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The one fixed split of the digits, used in every chapter: a stratified 60/20/20 split
#: drawn with this seed. Changing it changes every number printed in the book.
DIGITS_SPLIT_SEED = 0
DIGITS_SPLIT_FRACTIONS = (0.6, 0.2, 0.2)


@dataclass(frozen=True)
class Split:
    """A train/validation/test split; ``X_*`` are (N, 64) pixel intensities in [0,
    16]."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


#: Where the split is stored: three index arrays into scikit-learn's digits, as drawn by
#: ``scikit_learn_split_indices`` (``python -m tools.digits_split`` rewrites the file; a
#: test checks that it is still scikit-learn's split).
DIGITS_SPLIT_FILE = Path(__file__).with_name("digits_split.npz")
#: The file's arrays, in the order ``scikit_learn_split_indices`` returns them.
DIGITS_SPLIT_PARTS = ("train", "val", "test")


def load_digits_split():
    """scikit-learn's 1,797 8×8 handwritten digits, split 1077 / 360 / 360
    (train/val/test).

    The split is stratified by class and fixed by ``DIGITS_SPLIT_SEED``, so every
    chapter and every learner sees the same examples. Pixels are float64 in [0, 16], not
    yet centered.
    """
    X, y = _scikit_learn_digits()
    with np.load(DIGITS_SPLIT_FILE) as split:
        train, val, test = (split[part].astype(np.intp) for part in DIGITS_SPLIT_PARTS)
    return Split(X[train], y[train], X[val], y[val], X[test], y[test])


#: The digits' data file inside scikit-learn's installation (64 pixels, then the label).
DIGITS_FILE_IN_SCIKIT_LEARN = "sklearn/datasets/data/digits.csv.gz"


def _scikit_learn_digits():
    """``X`` (1797, 64) float64 and ``y`` (1797,) int64, in scikit-learn's order.

    Read from the data file that scikit-learn ships: importing scikit-learn (which
    imports SciPy's statistics) takes over a second, most of a chapter's first cell.
    """
    try:
        distribution = importlib.metadata.distribution("scikit-learn")
        path = Path(distribution.locate_file(DIGITS_FILE_IN_SCIKIT_LEARN))
    except importlib.metadata.PackageNotFoundError:
        path = None
    if path is None or not path.is_file():  # not installed, or keeps it elsewhere
        from sklearn.datasets import load_digits

        digits = load_digits()
        return digits.data.astype(np.float64), digits.target.astype(np.int64)
    table = np.loadtxt(path, delimiter=",")
    return table[:, :-1], table[:, -1].astype(np.int64)


def scikit_learn_split_indices():
    """``(train, val, test)`` index arrays into the digits: scikit-learn's stratified
    60/20/20 split with ``DIGITS_SPLIT_SEED`` (what ``DIGITS_SPLIT_FILE`` stores)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    y = load_digits().target
    index = np.arange(len(y))
    _, val_frac, test_frac = DIGITS_SPLIT_FRACTIONS
    rest, test = train_test_split(
        index, test_size=test_frac, stratify=y, random_state=DIGITS_SPLIT_SEED
    )
    train, val = train_test_split(
        rest,
        test_size=val_frac / (1 - test_frac),
        stratify=y[rest],
        random_state=DIGITS_SPLIT_SEED,
    )
    return train, val, test


def make_blobs(n_per_class=50, num_classes=3, spread=0.8, seed=0):
    """Gaussian blobs in 2-D, centres evenly spaced on a circle of radius 2.

    Returns X (n_per_class * num_classes, 2), y (same N,).
    """
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(num_classes) / num_classes
    centres = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    X = np.concatenate(
        [c + spread * rng.standard_normal((n_per_class, 2)) for c in centres]
    )
    y = np.repeat(np.arange(num_classes), n_per_class)
    return X, y


def make_spirals(n_per_class=100, num_classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms (the classic non-linearly-separable toy problem).

    Arm k sweeps angles from 4k to 4(k+1) radians over radii 0 to 1, with Gaussian angle
    noise. Returns X (n_per_class * num_classes, 2), y (same N,).
    """
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.0, 1.0, n_per_class), num_classes)
    y = np.repeat(np.arange(num_classes), n_per_class)
    theta = (
        np.tile(np.linspace(0.0, 4.0, n_per_class), num_classes)
        + 4.0 * y
        + noise * rng.standard_normal(n_per_class * num_classes)
    )
    X = np.column_stack([radius * np.sin(theta), radius * np.cos(theta)])
    return X, y
