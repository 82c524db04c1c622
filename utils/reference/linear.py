"""Chapter 1 reference: the linear score function and what surrounds it.

Shapes follow the course convention: ``X`` is ``(N, D)`` with one example per row,
``W`` is ``(D, C)``, ``b`` is ``(C,)`` and scores are ``(N, C)``.
"""

import numpy as np


def linear_scores(X, W, b):
    """Class scores ``X @ W + b``.

    X: (N, D) inputs; W: (D, C) weights; b: (C,) biases. Returns (N, C) scores.
    """
    return X @ W + b


def predict_labels(scores):
    """Index of the highest score in each row. scores: (N, C). Returns (N,) ints."""
    return np.argmax(scores, axis=1)


def accuracy(y_pred, y_true):
    """Fraction of predictions equal to the labels, a float in [0, 1]. Both (N,)."""
    return float(np.mean(np.asarray(y_pred) == np.asarray(y_true)))


def bias_trick(X, W, b):
    """Fold the bias into the weights.

    Appends a column of ones to X (N, D) -> (N, D+1) and the bias as a last row of
    W (D, C) -> (D+1, C), so that ``X_ext @ W_ext == X @ W + b``.
    """
    X_ext = np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])
    W_ext = np.vstack([W, np.reshape(b, (1, -1))])
    return X_ext, W_ext


def center_data(X_train, X_test):
    """Subtract the *training* mean (per feature) from both sets.

    X_train: (N_train, D); X_test: (N_test, D). Returns two new arrays of the same
    shapes; the inputs are not modified. The test set must never influence
    preprocessing.
    """
    mean = X_train.mean(axis=0)
    return X_train - mean, X_test - mean


def top_k_accuracy(scores, y, k):
    """Fraction of examples whose label is among the k highest scores of its row.

    scores: (N, C); y: (N,) ints in [0, C); k: int in [1, C]. Returns a float in [0, 1].
    Ties count in the label's favour: y[i] is in the top k when fewer than k classes
    score strictly higher than it (equivalently, when its score is >= the row's k-th
    largest score).
    """
    scores = np.asarray(scores)
    y = np.asarray(y)
    correct = scores[np.arange(scores.shape[0]), y]
    higher = (scores > correct[:, None]).sum(axis=1)
    return float(np.mean(higher < k))
