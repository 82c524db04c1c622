"""Chapter 4 reference: the linear classifier's losses with gradients, and minibatch
SGD.

``W`` is ``(D, C)`` and ``X`` is ``(N, D)`` (the bias may be folded in as a column of
ones). Both losses are the mean data loss plus ``0.5 * reg * sum(W**2)``.
"""

import numpy as np

from .losses import softmax_loss, svm_loss


def linear_svm_loss(W, X, y, reg):
    """Mean hinge loss (delta 1) plus L2. Returns (loss, dW) with dW shaped like W."""
    loss, dscores = svm_loss(X @ W, y)
    return loss + 0.5 * reg * float(np.sum(W * W)), X.T @ dscores + reg * W


def linear_softmax_loss(W, X, y, reg):
    """Mean cross-entropy plus L2. Returns (loss, dW) with dW shaped like W."""
    loss, dscores = softmax_loss(X @ W, y)
    return loss + 0.5 * reg * float(np.sum(W * W)), X.T @ dscores + reg * W


def minibatch_sgd(loss_fn, W0, X, y, learning_rate, batch_size, num_iters, seed=0):
    """Plain minibatch SGD.

    loss_fn(W, X_batch, y_batch) -> (loss, dW). Each epoch visits the data in a fresh
    random order drawn from ``np.random.default_rng(seed)``; a batch never straddles two
    epochs. W0 is not modified. Returns (W, loss_history) with one loss per iteration
    (the loss before the step).
    """
    rng = np.random.default_rng(seed)
    W = np.array(W0, dtype=float, copy=True)
    N = X.shape[0]
    order, cursor, history = rng.permutation(N), 0, []
    for _ in range(num_iters):
        if cursor + batch_size > N:
            order, cursor = rng.permutation(N), 0
        idx = order[cursor : cursor + batch_size]
        cursor += batch_size
        loss, dW = loss_fn(W, X[idx], y[idx])
        history.append(float(loss))
        W = W - learning_rate * dW
    return W, history
