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


# top_k_accuracy: the reference, two correct variants in other styles, a stub, and every mistake.
def _top_k_rank(scores, y, k):
    correct = scores[np.arange(len(y)), y]
    return float(np.mean((scores > correct[:, None]).sum(axis=1) < k))


def _top_k_partition(scores, y, k):
    kth = np.partition(scores, -k, axis=1)[:, -k]          # the k-th largest score of each row
    return float(np.mean(scores[np.arange(len(y)), y] >= kth))


def _top_k_sort_loop(scores, y, k):
    hits = 0
    for row, label in zip(scores, y):
        hits += row[label] >= sorted(row, reverse=True)[k - 1]
    return hits / len(y)


@pytest.mark.parametrize("fn", [_top_k_rank, _top_k_partition, _top_k_sort_loop])
def test_top_k_accuracy_accepts_correct_variants(fn):
    result = run_check(fn, exercise="top_k_accuracy")
    assert result.passed, result.messages


def test_top_k_accuracy_reference_passes_and_stub_is_not_attempted():
    from utils.reference.linear import top_k_accuracy
    assert run_check(top_k_accuracy, exercise="top_k_accuracy").passed

    def stub(scores, y, k):
        raise NotImplementedError
    result = run_check(stub, exercise="top_k_accuracy")
    assert not result.attempted and not result.passed


def _in_top(idx, y):
    return float(np.mean(np.any(idx == y[:, None], axis=1)))


TOP_K_WRONG = [
    (lambda s, y, k: _in_top(np.argsort(s, axis=1)[:, :k], y), "smallest"),        # ascending, not reversed
    (lambda s, y, k: _in_top(np.argpartition(s, k - 1, axis=1)[:, :k], y), "smallest"),
    (lambda s, y, k: float(np.mean(s[np.arange(len(y)), y] >= np.sort(s, axis=1)[:, k - 1])),
     "k-th *smallest*"),
    (lambda s, y, k: _in_top(np.argsort(s, axis=1)[:, -k - 1:], y), "off-by-one"),
    (lambda s, y, k: _in_top(np.argsort(-s, axis=1)[:, :k - 1], y), "off-by-one"),
    (lambda s, y, k: _in_top(np.argsort(s, axis=1)[:, -(k - 1):], y), "off-by-one"),
    (lambda s, y, k: _in_top(np.sort(s, axis=1)[:, -k:], y), "compared sorted *scores*"),
    (lambda s, y, k: _in_top(np.argmax(s, axis=1)[:, None], y), "ignores k"),
    (lambda s, y, k: float(np.sum(np.any(np.argsort(s, axis=1)[:, -k:] == y[:, None], axis=1))),
     "number of examples"),
    (lambda s, y, k: 100 * _in_top(np.argsort(s, axis=1)[:, -k:], y), "percentage"),
    (lambda s, y, k: np.any(np.argsort(s, axis=1)[:, -k:] == y[:, None], axis=1), "reduce"),
    # position-based selection of exactly k indices breaks the statement's tie rule
    (lambda s, y, k: _in_top(np.argsort(s, axis=1)[:, -k:], y), "ties"),
    (lambda s, y, k: _in_top(np.argsort(-s, axis=1, kind="stable")[:, :k], y), "ties"),
    (lambda s, y, k: _in_top(np.argpartition(s, -k, axis=1)[:, -k:], y), "ties"),
    (lambda s, y, k: float(np.mean((s >= s[np.arange(len(y)), y][:, None]).sum(axis=1) <= k)), "ties"),
]


@pytest.mark.parametrize("wrong, hint", TOP_K_WRONG)
def test_top_k_accuracy_mistake_is_rejected_with_its_hint(wrong, hint):
    assert_rejected(run_check(wrong, exercise="top_k_accuracy"), hint)
