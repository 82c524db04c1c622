"""Datasets. Nothing here downloads: digits ship inside scikit-learn, the rest is
generated.

Arrays follow the course convention: ``X`` (N, D) float64, ``y`` (N,) int64.
"""

from dataclasses import dataclass

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


def load_digits_split():
    """scikit-learn's 1,797 8×8 handwritten digits, split 1077 / 360 / 360
    (train/val/test).

    The split is stratified by class and fixed by ``DIGITS_SPLIT_SEED``, so every
    chapter and every learner sees the same examples. Pixels are float64 in [0, 16], not
    yet centered.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X, y = digits.data.astype(np.float64), digits.target.astype(np.int64)
    _, val_frac, test_frac = DIGITS_SPLIT_FRACTIONS
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=test_frac, stratify=y, random_state=DIGITS_SPLIT_SEED
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest,
        y_rest,
        test_size=val_frac / (1 - test_frac),
        stratify=y_rest,
        random_state=DIGITS_SPLIT_SEED,
    )
    return Split(X_train, y_train, X_val, y_val, X_test, y_test)


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
