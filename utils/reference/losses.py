"""Chapter 2 reference: losses on class scores.

``scores`` is ``(N, C)``, ``y`` is ``(N,)`` ints in ``[0, C)``. Every loss is the mean
over the N examples. The ``*_loss`` pair at the end also returns the gradient with
respect to the scores (chapter 5), in the ``(loss, dscores)`` convention of the layer
functions.
"""

import numpy as np


def svm_loss_naive(scores, y, delta=1.0):
    """Mean multiclass hinge loss with explicit loops (the lesson is the loop)."""
    N, C = scores.shape
    total = 0.0
    for i in range(N):
        correct = scores[i, y[i]]
        for j in range(C):
            if j == y[i]:
                continue  # the correct class is never compared with itself
            total += max(0.0, scores[i, j] - correct + delta)
    return total / N


def svm_loss_vectorized(scores, y, delta=1.0):
    """Mean multiclass hinge loss, no Python loops."""
    N = scores.shape[0]
    correct = scores[np.arange(N), y][:, None]
    margins = np.maximum(0.0, scores - correct + delta)
    margins[np.arange(N), y] = 0.0
    return float(margins.sum() / N)


def softmax(scores):
    """Row-wise probabilities; shifting by the row maximum keeps exp from
    overflowing."""
    shifted = scores - np.max(scores, axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def log_softmax(scores):
    """Row-wise log-probabilities via log-sum-exp. (N, C) -> (N, C)."""
    shifted = scores - np.max(scores, axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def cross_entropy_loss(scores, y):
    """Mean cross-entropy (natural log) of the softmax of raw scores, computed
    stably."""
    N = scores.shape[0]
    return float(-log_softmax(scores)[np.arange(N), y].mean())


def sigmoid(z):
    """Elementwise logistic function, written so that no exp ever overflows."""
    z = np.asarray(z, dtype=float)
    ez = np.exp(-np.abs(z))  # always in (0, 1]
    return np.where(z >= 0, 1.0 / (1.0 + ez), ez / (1.0 + ez))


def svm_loss(scores, y, delta=1.0):
    """Mean hinge loss and its gradient. Returns (loss, dscores) with dscores (N, C)."""
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + delta)
    margins[rows, y] = 0.0
    loss = margins.sum() / N
    positive = (margins > 0).astype(float)
    positive[rows, y] = -positive.sum(axis=1)
    return float(loss), positive / N


def softmax_loss(scores, y):
    """Mean cross-entropy and its gradient ``(p - onehot(y)) / N``. Returns (loss,
    dscores)."""
    N = scores.shape[0]
    rows = np.arange(N)
    log_p = log_softmax(scores)
    loss = -log_p[rows, y].mean()
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1.0
    return float(loss), dscores / N
