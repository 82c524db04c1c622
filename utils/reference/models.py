"""Models with one interface: ``params`` dict and ``loss(X, y=None)``.

``loss`` returns class scores (N, C) when ``y`` is None, else ``(loss, grads)`` with
``grads`` keyed like ``params``. L2 regularization is ``0.5 * reg * sum(W**2)`` on the
weight matrices only.
"""

import numpy as np

from .layers import (
    affine_backward,
    affine_forward,
    dropout_backward,
    dropout_forward,
    relu_backward,
    relu_forward,
)
from .losses import softmax_loss, svm_loss

_DATA_LOSSES = {"softmax": softmax_loss, "svm": svm_loss}


class LinearClassifier:
    """Scores ``X @ W + b``; ``loss`` is "softmax" (cross-entropy) or "svm" (hinge).

    params: 'W' (D, C) drawn from N(0, weight_scale**2), 'b' (C,) zeros.
    """

    def __init__(
        self,
        input_dim,
        num_classes,
        loss="softmax",
        weight_scale=1e-3,
        reg=0.0,
        seed=None,
    ):
        rng = np.random.default_rng(seed)
        self.data_loss = _DATA_LOSSES[loss]
        self.reg = reg
        self.params = {
            "W": weight_scale * rng.standard_normal((input_dim, num_classes)),
            "b": np.zeros(num_classes),
        }

    def loss(self, X, y=None):
        W, b = self.params["W"], self.params["b"]
        scores, cache = affine_forward(X, W, b)
        if y is None:
            return scores
        loss, dscores = self.data_loss(scores, y)
        _, dW, db = affine_backward(dscores, cache)
        loss += 0.5 * self.reg * float(np.sum(W * W))
        return loss, {"W": dW + self.reg * W, "b": db}


class TwoLayerNet:
    """affine -> ReLU -> (dropout) -> affine -> softmax.

    params: 'W1' (D, H), 'b1' (H,), 'W2' (H, C), 'b2' (C,); weights from N(0,
    weight_scale**2), biases zero. ``dropout`` is the drop probability p (0 disables
    it). ``loss(X, y)`` (training) runs dropout in "train" mode with a fresh mask per
    call, drawn from a generator seeded with ``seed + 1``; ``loss(X)`` without labels
    (prediction) runs it in "test" mode, the identity.
    """

    def __init__(
        self,
        input_dim,
        hidden_dim,
        num_classes,
        weight_scale=1e-3,
        reg=0.0,
        dropout=0.0,
        seed=None,
    ):
        rng = np.random.default_rng(seed)
        self.reg = reg
        self.dropout = dropout
        self._dropout_rng = np.random.default_rng(None if seed is None else seed + 1)
        self.params = {
            "W1": weight_scale * rng.standard_normal((input_dim, hidden_dim)),
            "b1": np.zeros(hidden_dim),
            "W2": weight_scale * rng.standard_normal((hidden_dim, num_classes)),
            "b2": np.zeros(num_classes),
        }

    def loss(self, X, y=None):
        p = self.params
        hidden, cache1 = affine_forward(X, p["W1"], p["b1"])
        hidden, relu_cache = relu_forward(hidden)
        mode = "test" if y is None else "train"
        drop_param = {
            "p": self.dropout,
            "mode": mode,
            "seed": int(self._dropout_rng.integers(2**31)) if mode == "train" else None,
        }
        hidden, drop_cache = dropout_forward(hidden, drop_param)
        scores, cache2 = affine_forward(hidden, p["W2"], p["b2"])
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * float(np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2))
        dhidden, dW2, db2 = affine_backward(dscores, cache2)
        dhidden = relu_backward(dropout_backward(dhidden, drop_cache), relu_cache)
        _, dW1, db1 = affine_backward(dhidden, cache1)
        return loss, {
            "W1": dW1 + self.reg * p["W1"],
            "b1": db1,
            "W2": dW2 + self.reg * p["W2"],
            "b2": db2,
        }
