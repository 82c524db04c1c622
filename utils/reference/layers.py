"""Chapters 5-6 reference: layers as forward/backward pairs with caches.

``*_forward(...) -> (out, cache)`` and ``*_backward(dout, cache) -> gradients``;
``dout`` is the upstream gradient, shaped like ``out``.
"""

import numpy as np

from .losses import sigmoid, softmax_loss, svm_loss  # noqa: F401  (loss layers live with the losses)


def affine_forward(x, w, b):
    """x: (N, d1, ..., dk) reshaped to (N, D); w: (D, M); b: (M,). Returns out (N,
    M), cache."""
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    """dout: (N, M). Returns dx (shaped like the original x), dw (D, M), db (M,)."""
    x, w, _ = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    """Elementwise max(0, x). Returns out (shaped like x), cache = x."""
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    """Gradient passes only where the input was positive."""
    return dout * (cache > 0)


def sigmoid_forward(x):
    """Elementwise logistic function; the output itself is cached (σ' = σ(1 - σ))."""
    out = sigmoid(x)
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1 - cache)


def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    return dout * (1 - cache**2)


def leaky_relu_forward(x, alpha=0.01):
    return np.where(x > 0, x, alpha * x), (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha)


def dropout_forward(x, dropout_param):
    """Inverted dropout.

    dropout_param: ``p`` = probability of *dropping* a unit (as in torch.nn.Dropout),
    ``mode`` = "train" or "test", optional ``seed``. At train time units are zeroed with
    probability p and the survivors scaled by 1/(1-p), so that test time is the
    identity. Returns out, cache=(param, mask).
    """
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "test" or p == 0:
        return x.copy(), (dropout_param, None)
    if p >= 1:  # everything is dropped; 1/(1-p) would divide by zero
        return np.zeros_like(x), (dropout_param, np.zeros_like(x))
    rng = np.random.default_rng(dropout_param.get("seed"))
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, (dropout_param, mask)


def dropout_backward(dout, cache):
    """Reuses the forward pass's mask: the same units that were dropped get no
    gradient."""
    _, mask = cache
    return dout.copy() if mask is None else dout * mask


def affine_relu_forward(x, w, b):
    a, fc_cache = affine_forward(x, w, b)
    out, relu_cache = relu_forward(a)
    return out, (fc_cache, relu_cache)


def affine_relu_backward(dout, cache):
    fc_cache, relu_cache = cache
    return affine_backward(relu_backward(dout, relu_cache), fc_cache)
