"""Chapter 7 reference: a fully connected network of any depth.

``{affine - ReLU - [dropout]} x (L - 1) - affine - softmax``, with the layers of
chapters 5 and 6 and the initializations of chapter 7; same interface as the other
models (``params`` and ``loss(X, y=None)``), so the course's one training loop trains
it.
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
from .losses import softmax_loss
from .practice import init_weights


class FullyConnectedNet:
    """L = len(hidden_dims) + 1 affine layers.

    params: 'W1' (input_dim, hidden_dims[0]), 'b1', ..., 'WL' (hidden_dims[-1],
    num_classes), 'bL'; biases zero. ``init=None`` draws every weight as ``weight_scale
    * standard_normal``; ``init="he"`` or ``"xavier"`` uses ``init_weights``
    (weight_scale is then unused). The weights are drawn layer by layer from
    ``np.random.default_rng(seed)``. ``dropout`` is the drop probability after every
    hidden ReLU, with masks from a generator seeded with ``seed + 1`` (fresh masks in
    ``loss(X, y)``, none in ``loss(X)``). ``reg`` adds ``0.5 * reg * sum(W**2)`` over
    the weight matrices (never the biases).
    """

    def __init__(
        self,
        hidden_dims,
        input_dim,
        num_classes,
        dropout=0.0,
        reg=0.0,
        weight_scale=1e-2,
        init=None,
        seed=None,
    ):
        rng = np.random.default_rng(seed)
        self.reg = reg
        self.dropout = dropout
        self.num_layers = len(hidden_dims) + 1
        self._mask_rng = np.random.default_rng(None if seed is None else seed + 1)
        dims = [input_dim, *hidden_dims, num_classes]
        self.params = {}
        for i, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:]), start=1):
            if init is None:
                W = weight_scale * rng.standard_normal((fan_in, fan_out))
            else:
                W = init_weights(fan_in, fan_out, init, rng)
            self.params[f"W{i}"] = W
            self.params[f"b{i}"] = np.zeros(fan_out)

    def loss(self, X, y=None):
        """X: (N, D); y: (N,) or None. Scores (N, C) if y is None, else (loss,
        grads)."""
        train = y is not None
        caches = []
        out = X
        for i in range(1, self.num_layers):
            out, fc_cache = affine_forward(
                out, self.params[f"W{i}"], self.params[f"b{i}"]
            )
            out, relu_cache = relu_forward(out)
            param = {"p": self.dropout, "mode": "train" if train else "test"}
            if train:
                param["seed"] = int(self._mask_rng.integers(2**31))
            out, drop_cache = dropout_forward(out, param)
            caches.append((fc_cache, relu_cache, drop_cache))
        L = self.num_layers
        scores, last_cache = affine_forward(
            out, self.params[f"W{L}"], self.params[f"b{L}"]
        )
        if not train:
            return scores
        loss, dscores = softmax_loss(scores, y)
        weights = [self.params[f"W{i}"] for i in range(1, L + 1)]
        loss += 0.5 * self.reg * sum(float(np.sum(W * W)) for W in weights)
        grads = {}
        dout, grads[f"W{L}"], grads[f"b{L}"] = affine_backward(dscores, last_cache)
        for i in range(L - 1, 0, -1):
            fc_cache, relu_cache, drop_cache = caches[i - 1]
            dout = relu_backward(dropout_backward(dout, drop_cache), relu_cache)
            dout, grads[f"W{i}"], grads[f"b{i}"] = affine_backward(dout, fc_cache)
        for i in range(1, L + 1):
            grads[f"W{i}"] = grads[f"W{i}"] + self.reg * self.params[f"W{i}"]
        return loss, grads
