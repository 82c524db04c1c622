"""Chapter 3 reference: weight penalties and choosing their strength."""

import numpy as np


def l2_penalty(W, reg):
    """``0.5 * reg * sum(W**2)`` and its gradient ``reg * W`` (same shape as W)."""
    return 0.5 * reg * float(np.sum(W * W)), reg * W


def l1_penalty(W, reg):
    """``reg * sum(|W|)`` and the subgradient ``reg * sign(W)`` (0 where W == 0)."""
    return reg * float(np.sum(np.abs(W))), reg * np.sign(W)


def regularized_loss(W, X, y, reg, data_loss):
    """Data loss of the scores ``X @ W`` plus the L2 penalty.

    W: (D, C); X: (N, D), already carrying the bias column; data_loss(scores, y) ->
    float.
    """
    return float(data_loss(X @ W, y)) + l2_penalty(W, reg)[0]


def select_reg_strength(results):
    """The λ with the best validation accuracy; ties go to the larger λ (the simpler
    model).

    results: mapping λ -> (train_acc, val_acc).
    """
    return max(results, key=lambda reg: (results[reg][1], reg))
