"""Numerical gradients, the checker every analytic gradient in the course is held
against."""

import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    """Centered-difference gradient of a scalar function.

    f: callable taking the array ``x`` and returning a float. x: float array of any
    shape; it is perturbed in place one entry at a time and always restored. Returns an
    array shaped like x.
    """
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    for _ in it:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        f_plus = f(x)
        x[ix] = old - h
        f_minus = f(x)
        x[ix] = old  # restore before the next entry
        grad[ix] = (f_plus - f_minus) / (2 * h)
    return grad


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """Numerical gradient of ``sum(f(x) * df)`` for an array-valued f (a layer's forward
    pass).

    df: upstream gradient shaped like f(x). Returns an array shaped like x.
    """
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    for _ in it:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        pos = np.array(f(x), dtype=float, copy=True)
        x[ix] = old - h
        neg = np.array(f(x), dtype=float, copy=True)
        x[ix] = old
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
    return grad


def rel_error(a, b):
    """Largest relative error ``|a - b| / max(1e-8, |a| + |b|)`` over all entries."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
