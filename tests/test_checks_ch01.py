"""Chapter 1's checks reject each classic mistake with its hint."""
import numpy as np
import pytest

from tests.conftest import assert_rejected
from utils.checks import run_check



def _with_ones(X, first=False):
    ones = np.ones((X.shape[0], 1))
    return np.hstack([ones, X] if first else [X, ones])


WRONG = {
    "linear_scores": [
        (lambda X, W, b: X @ W, "leave out the bias"),
        (lambda X, W, b: np.dot(X, W), "leave out the bias"),
        (lambda X, W, b: X @ W - b, "subtract the bias"),
        (lambda X, W, b: (X @ W + b).T, "(c, n)"),
        (lambda X, W, b: W.T @ X.T + b[:, None], "(c, n)"),
        (lambda X, W, b: X @ W.T + b, "w transposed"),
        (lambda X, W, b: X @ W + b[:, None] if X.shape[0] == W.shape[1] else X @ W + b,
         "wrong axis"),
        (lambda X, W, b: np.tile(b, (X.shape[0], 1)), "ignore the input"),
        (lambda X, W, b: X @ W + 2 * b, "4-pixel"),
        (lambda X, W, b: X @ W + b if X.shape[0] > 1 else X @ W, "4-pixel"),
    ],
    "predict_labels": [
        (lambda s: np.argmax(s), "single number"),
        (lambda s: np.argmax(s, axis=0), "wrong axis"),
        (lambda s: s.max(axis=1), "highest score itself"),
        (lambda s: np.argmin(s, axis=1), "lowest score"),
        (lambda s: np.argmax(s, axis=1) + 1, "off by one"),
        (lambda s: np.argmax(s, axis=1).astype(float), "dtype"),
        (lambda s: list(np.argmax(s, axis=1)), "python list"),
        (lambda s: np.argsort(s, axis=1)[:, -2], "highest score"),
    ],
    "accuracy": [
        (lambda p, t: np.sum(p == t), "number of correct predictions"),
        (lambda p, t: int((p == t).sum()), "number of correct predictions"),
        (lambda p, t: 100 * np.mean(p == t), "percentage"),
        (lambda p, t: np.mean(p != t), "error rate"),
        (lambda p, t: p == t, "single number"),
        (lambda p, t: np.mean(p == p), "0.625"),
        (lambda p, t: np.sum(p == t) / 10, "0.625"),
    ],
    "bias_trick": [
        (lambda X, W, b: (_with_ones(X), np.vstack([W, 0 * b])), "bias row of w_ext is missing"),
        (lambda X, W, b: (np.hstack([X, np.zeros((X.shape[0], 1))]), np.vstack([W, b])), "zeros"),
        (lambda X, W, b: (_with_ones(X), np.vstack([b, W])), "same position"),
        (lambda X, W, b: (_with_ones(X, first=True), np.vstack([W, b])), "same position"),
        (lambda X, W, b: (_with_ones(X), np.hstack([W, np.r_[b, 0][:W.shape[0], None]])), "column"),
        (lambda X, W, b: np.vstack([W, b]), "two arrays"),
        (lambda X, W, b: (np.hstack([X, 2 * np.ones((X.shape[0], 1))]), np.vstack([W, b])), "all ones"),
    ],
    "center_data": [
        (lambda a, b: (a - a.mean(axis=0), b - b.mean(axis=0)), "its own mean"),
        (lambda a, b: (a - a.mean(axis=1, keepdims=True), b - b.mean(axis=1, keepdims=True)),
         "each example's own mean"),
        (lambda a, b: (a - a.mean(), b - a.mean()), "one overall mean"),
        (lambda a, b: ((a - a.mean(0)) / a.std(0), (b - a.mean(0)) / a.std(0)), "standard deviation"),
        (lambda a, b: (a - np.vstack([a, b]).mean(0), b - np.vstack([a, b]).mean(0)),
         "training and test data together"),
        (lambda a, b: (a - a.mean(0), b), "was not centered"),
        (lambda a, b: a - a.mean(0), "return both"),
    ],
}


@pytest.mark.parametrize("name, wrong, hint",
                         [(n, fn, h) for n, cases in WRONG.items() for fn, h in cases])
def test_mistake_is_rejected_with_its_hint(name, wrong, hint):
    assert_rejected(run_check(wrong, exercise=name), hint)


def test_bias_first_is_also_accepted():
    def bias_trick(X, W, b):
        return _with_ones(X, first=True), np.vstack([b, W])
    assert run_check(bias_trick).passed


def test_accuracy_accepts_numpy_scalar_and_list_inputs():
    assert run_check(lambda p, t: np.mean(np.asarray(p) == np.asarray(t)), exercise="accuracy").passed


def test_a_generator_is_not_called_a_single_number():
    def predict_labels(scores):
        for row in scores:
            yield int(np.argmax(row))
    result = run_check(predict_labels)
    assert_rejected(result, "generator")
    assert "single number" not in result.messages[0]
