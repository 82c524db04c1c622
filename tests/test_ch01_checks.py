"""Chapter 1's checks: correct code in other styles passes, each classic mistake is
rejected with
the hint that names it.

Each rule an exercise statement states, and the rows of this module that test it (``WRONG[name]``
rows by the hint fragment they expect, ``CORRECT`` rows must pass):

=============== ================================================ ===================================
exercise        rule of the statement                            test rows
=============== ================================================ ===================================
linear_scores   result (N, C), one row per example               "(c, n)"
                W is (D, C): X @ W, not W transposed             "w transposed", "x * w", "w @ x"
                b (C,) added to every row, once                  "leave out", "subtract", "wrong
                                                                 axis", "twice", "inside the product"
                the scores X @ W + b (values)                    "4-pixel", "ignore the input"
                "no loops" is a hint, not a rule                 CORRECT: a triple loop passes
predict_labels  (N,) labels, one per row (axis=1)                "single number", "wrong axis"
                integer labels                                   "dtype", "python list"
                index of the highest score                       "highest score itself", "lowest",
                                                                 "off by one", "second"
accuracy        fraction of equal predictions                    "number of correct", "error rate",
                                                                 "n - 1", "rounded down"
                a number between 0 and 1                         "percentage", "single number",
                                                                 edges 1.0 / 0.0 in the check
bias_trick      returns (X_ext, W_ext)                           "two arrays"; CORRECT: a list passes
                X_ext (N, D+1), a LAST column of ones            "zeros", "all ones", "first column"
                W_ext (D+1, C) with b as its last row            "column", "missing", "same
                                                                 position", "(1, c) row"
                X_ext @ W_ext == X @ W + b                       "same position", "row of ones"
center_data     per-feature mean (axis=0)                        "each example's own", "overall",
                                                                 "median", "standard deviation"
                the mean of X_train only                         "its own mean", "together"
                subtracted from both sets                        "was not centered", "return both"
                inputs unchanged                                 "in place"
top_k_accuracy  fraction of rows, a float in [0, 1]              "number of examples", "percentage",
                                                                 "reduce", "rounded down"
                label among the k HIGHEST scores                 "smallest", "k-th *smallest*",
                                                                 "off-by-one", "ignores k", "sorted"
                ties count in the label's favour                 "ties"
                k = 1 is the accuracy, k = C gives 1             edge cases in the check; "k = c"
=============== ================================================ ===================================
"""  # noqa: E501 (a table of rules and tests, kept on one line per row)

import numpy as np
import pytest

from tests.helpers import assert_accepted, assert_rejected, generic_share, rows_of
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
        (
            lambda X, W, b: (
                X @ W + b[:, None] if X.shape[0] == W.shape[1] else X @ W + b
            ),
            "wrong axis",
        ),
        (lambda X, W, b: np.tile(b, (X.shape[0], 1)), "ignore the input"),
        (lambda X, W, b: X @ W + 2 * b, "twice"),
        (lambda X, W, b: X @ W + b if X.shape[0] > 1 else X @ W, "leave out the bias"),
        (
            lambda X, W, b: X @ W + b + 0.1 * (X.shape[0] == 1),
            "4-pixel",
        ),  # reaches the last stage
        (lambda X, W, b: X @ (W + b), "inside the product"),
        (
            lambda X, W, b: (X + b) @ W if X.shape[1] == b.shape[0] else X @ W,
            "before multiplying",
        ),
        (lambda X, W, b: X * W + b, "x * w"),
        (lambda X, W, b: W @ X + b, "w @ x"),
        (
            lambda X, W, b: (
                np.einsum("nd,dc->nc", X, W) + b[:, None] if len(X) == len(b) else None
            ),
            "wrong axis",
        ),
    ],
    "predict_labels": [
        (lambda s: np.argmax(s), "single number"),
        (lambda s: np.argmax(s, axis=0), "wrong axis"),
        (lambda s: s.max(axis=1), "highest score itself"),
        (lambda s: np.argmin(s, axis=1), "lowest score"),
        (lambda s: np.argmax(s, axis=1) + 1, "off by one"),
        (lambda s: np.argmax(s, axis=1).astype(float), "dtype"),
        (lambda s: list(np.argmax(s, axis=1)), "python list"),
        (lambda s: np.argsort(s, axis=1)[:, -2], "second-highest"),
        (lambda s: np.argmax(np.abs(s), axis=1), "absolute value"),
        (lambda s: np.array([list(r).index(max(r)) for r in s.T]), "wrong axis"),
    ],
    "accuracy": [
        (lambda p, t: np.sum(p == t), "number of correct predictions"),
        (lambda p, t: int((p == t).sum()), "number of correct predictions"),
        (lambda p, t: 100 * np.mean(p == t), "percentage"),
        (lambda p, t: np.mean(p != t), "error rate"),
        (lambda p, t: p == t, "single number"),
        (lambda p, t: np.mean(p == p), "with itself"),
        (lambda p, t: np.sum(p == t) / 10, "0.625"),
        (lambda p, t: np.sum(p == t) // len(t), "rounded down"),
        (lambda p, t: int(np.mean(p == t)), "rounded down"),
        (lambda p, t: np.sum(p == t) / (len(t) - 1), "n - 1"),
        (lambda p, t: round(float(np.mean(p == t)), 1), "rounded the accuracy"),
        (lambda p, t: [np.mean(p == t)], "should be a number"),
    ],
    "bias_trick": [
        (
            lambda X, W, b: (_with_ones(X), np.vstack([W, 0 * b])),
            "bias row of w_ext is missing",
        ),
        (
            lambda X, W, b: (
                np.hstack([X, np.zeros((X.shape[0], 1))]),
                np.vstack([W, b]),
            ),
            "zeros",
        ),
        (lambda X, W, b: (_with_ones(X), np.vstack([b, W])), "same position"),
        (
            lambda X, W, b: (_with_ones(X, first=True), np.vstack([W, b])),
            "same position",
        ),
        (
            lambda X, W, b: (
                _with_ones(X),
                np.hstack([W, np.r_[b, 0][: W.shape[0], None]]),
            ),
            "column",
        ),
        (lambda X, W, b: np.vstack([W, b]), "two arrays"),
        (
            lambda X, W, b: (
                np.hstack([X, 2 * np.ones((X.shape[0], 1))]),
                np.vstack([W, b]),
            ),
            "all ones",
        ),
        (
            lambda X, W, b: (_with_ones(X, first=True), np.vstack([b, W])),
            "first column",
        ),
        (
            lambda X, W, b: (_with_ones(X), np.vstack([W, np.ones(W.shape[1])])),
            "row of ones",
        ),
        (lambda X, W, b: (_with_ones(X), np.vstack([W, b[:, None]])), "(1, c) row"),
        (
            lambda X, W, b: (np.hstack([X, np.ones(X.shape[0])]), np.vstack([W, b])),
            "np.ones((n, 1))",
        ),
    ],
    "center_data": [
        (lambda a, b: (a - a.mean(axis=0), b - b.mean(axis=0)), "its own mean"),
        (
            lambda a, b: (
                a - a.mean(axis=1, keepdims=True),
                b - b.mean(axis=1, keepdims=True),
            ),
            "each example's own mean",
        ),
        (lambda a, b: (a - a.mean(), b - a.mean()), "one overall mean"),
        (
            lambda a, b: ((a - a.mean(0)) / a.std(0), (b - a.mean(0)) / a.std(0)),
            "standard deviation",
        ),
        (
            lambda a, b: (a - np.vstack([a, b]).mean(0), b - np.vstack([a, b]).mean(0)),
            "training and test data together",
        ),
        (lambda a, b: (a - a.mean(0), b), "was not centered"),
        (lambda a, b: a - a.mean(0), "return both"),
        (lambda a, b: (a - np.median(a, 0), b - np.median(a, 0)), "median"),
        (
            lambda a, b: (a - a.sum(0) / (len(a) - 1), b - a.sum(0) / (len(a) - 1)),
            "n - 1",
        ),
        (lambda a, b: ((a - a.mean(0)).T, (b - a.mean(0)).T), "swapped"),
        (
            lambda a, b: (a - a.mean(0), b - b.mean(1, keepdims=True)),
            "by its own mean (axis=1)",
        ),
    ],
}


@pytest.mark.parametrize(
    "name, wrong, hint", [(n, fn, h) for n, cases in WRONG.items() for fn, h in cases]
)
def test_mistake_is_rejected_with_its_hint(name, wrong, hint):
    assert_rejected(run_check(wrong, exercise=name), hint)


# Correct code in styles other than the reference's: loops, einsum, in-place updates of
# its own arrays, float32, another order of operations, lists of two results.


def _scores_loop(X, W, b):
    out = np.zeros((X.shape[0], W.shape[1]))
    for i in range(X.shape[0]):
        for j in range(W.shape[1]):
            out[i, j] = sum(X[i, d] * W[d, j] for d in range(X.shape[1])) + b[j]
    return out


def _scores_in_place(X, W, b):
    scores = X.dot(W)
    scores += b  # in place, but on its own array
    return scores


def _labels_loop(scores):
    return np.array([max(range(len(row)), key=lambda j: row[j]) for row in scores])


def _accuracy_loop(y_pred, y_true):
    hits = 0
    for p, t in zip(y_pred, y_true):
        hits += int(p == t)
    return hits / len(y_true)


def _center_loop(X_train, X_test):
    mean = np.array(
        [X_train[:, j].sum() / len(X_train) for j in range(X_train.shape[1])]
    )
    return X_train - mean, X_test - mean


def _center_copy_in_place(X_train, X_test):
    mean = np.mean(X_train, axis=0, keepdims=True)
    train, test = X_train.copy(), X_test.copy()
    train -= mean
    test -= mean
    return train, test


def _top_k_take_along(scores, y, k):
    correct = np.take_along_axis(scores, y[:, None], axis=1)
    return float(np.mean((scores > correct).sum(axis=1) < k))


CORRECT = [
    ("linear_scores", lambda X, W, b: np.einsum("nd,dc->nc", X, W) + b),
    ("linear_scores", _scores_loop),
    ("linear_scores", _scores_in_place),
    ("linear_scores", lambda X, W, b: (W.T @ X.T + b[:, None]).T),
    ("linear_scores", lambda X, W, b: X.astype(np.float32) @ W.astype(np.float32) + b),
    ("predict_labels", _labels_loop),
    ("predict_labels", lambda s: s.T.argmax(axis=0)),
    ("predict_labels", lambda s: np.argsort(-s, axis=1, kind="stable")[:, 0]),
    ("accuracy", _accuracy_loop),
    ("accuracy", lambda p, t: np.count_nonzero(np.equal(p, t)) / np.size(t)),
    ("accuracy", lambda p, t: np.mean(np.asarray(p) == np.asarray(t))),
    ("bias_trick", lambda X, W, b: (np.c_[X, np.ones(len(X))], np.r_[W, b[None, :]])),
    (
        "bias_trick",
        lambda X, W, b: (
            np.insert(X, X.shape[1], 1.0, axis=1),
            np.append(W, [b], axis=0),
        ),
    ),
    (
        "bias_trick",
        lambda X, W, b: (
            np.column_stack([X, np.ones(len(X), dtype=int)]),
            np.concatenate([W, b.reshape(1, -1)]),
        ),
    ),
    ("center_data", _center_loop),
    ("center_data", _center_copy_in_place),
    ("top_k_accuracy", _top_k_take_along),
    (
        "top_k_accuracy",
        lambda s, y, k: np.mean(
            s[np.arange(len(y)), y] >= -np.sort(-s, axis=1)[:, k - 1]
        ),
    ),
]


@pytest.mark.parametrize("name, fn", CORRECT)
def test_correct_variant_passes(name, fn):
    assert_accepted(name, fn)


def test_every_exercise_has_two_correct_variants_and_five_mistakes():
    names = {
        "linear_scores",
        "predict_labels",
        "accuracy",
        "bias_trick",
        "center_data",
        "top_k_accuracy",
    }
    for name in names:
        assert sum(n == name for n, _ in CORRECT) >= 2, name
    for name, cases in {**WRONG, "top_k_accuracy": TOP_K_WRONG}.items():
        assert len({hint for _, hint in cases}) >= 5, name


def test_generic_hint_share(capsys):
    """Issue 15's target: fewer than 5% of the rejected mistakes get a hint that
    names no cause."""
    rows = rows_of(WRONG) + [("top_k_accuracy", fn, hint) for fn, hint in TOP_K_WRONG]
    generic, total, which = generic_share(rows)
    with capsys.disabled():
        print(f"\nchapter 1: {generic} generic hints of {total} rejected mistakes")
    assert generic / total < 0.05, which


def test_bias_first_is_named_as_against_the_statement():
    def bias_trick(X, W, b):
        return _with_ones(X, first=True), np.vstack([b, W])

    assert_rejected(run_check(bias_trick), "first column")


def test_accuracy_accepts_numpy_scalar_and_list_inputs():
    assert run_check(
        lambda p, t: np.mean(np.asarray(p) == np.asarray(t)), exercise="accuracy"
    ).passed


def test_a_generator_is_not_called_a_single_number():
    def predict_labels(scores):
        for row in scores:
            yield int(np.argmax(row))

    result = run_check(predict_labels)
    assert_rejected(result, "generator")
    assert "single number" not in result.messages[0]


# top_k_accuracy: the reference, two correct variants in other styles, a stub, and every
# mistake.
def _top_k_rank(scores, y, k):
    correct = scores[np.arange(len(y)), y]
    return float(np.mean((scores > correct[:, None]).sum(axis=1) < k))


def _top_k_partition(scores, y, k):
    kth = np.partition(scores, -k, axis=1)[:, -k]  # the k-th largest score of each row
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
    (
        lambda s, y, k: _in_top(np.argsort(s, axis=1)[:, :k], y),
        "smallest",
    ),  # ascending, not reversed
    (lambda s, y, k: _in_top(np.argpartition(s, k - 1, axis=1)[:, :k], y), "smallest"),
    (
        lambda s, y, k: float(
            np.mean(s[np.arange(len(y)), y] >= np.sort(s, axis=1)[:, k - 1])
        ),
        "k-th *smallest*",
    ),
    (lambda s, y, k: _in_top(np.argsort(s, axis=1)[:, -k - 1 :], y), "off-by-one"),
    (lambda s, y, k: _in_top(np.argsort(-s, axis=1)[:, : k - 1], y), "off-by-one"),
    (lambda s, y, k: _in_top(np.argsort(s, axis=1)[:, -(k - 1) :], y), "off-by-one"),
    (
        lambda s, y, k: _in_top(np.sort(s, axis=1)[:, -k:], y),
        "compared sorted *scores*",
    ),
    (lambda s, y, k: _in_top(np.argmax(s, axis=1)[:, None], y), "ignores k"),
    (
        lambda s, y, k: float(
            np.sum(np.any(np.argsort(s, axis=1)[:, -k:] == y[:, None], axis=1))
        ),
        "number of examples",
    ),
    (lambda s, y, k: 100 * _in_top(np.argsort(s, axis=1)[:, -k:], y), "percentage"),
    (
        lambda s, y, k: np.any(np.argsort(s, axis=1)[:, -k:] == y[:, None], axis=1),
        "reduce",
    ),
    # position-based selection of exactly k indices breaks the statement's tie rule
    (lambda s, y, k: _in_top(np.argsort(s, axis=1)[:, -k:], y), "ties"),
    (lambda s, y, k: _in_top(np.argsort(-s, axis=1, kind="stable")[:, :k], y), "ties"),
    (lambda s, y, k: _in_top(np.argpartition(s, -k, axis=1)[:, -k:], y), "ties"),
    (
        lambda s, y, k: float(
            np.mean((s >= s[np.arange(len(y)), y][:, None]).sum(axis=1) <= k)
        ),
        "ties",
    ),
    (
        lambda s, y, k: (
            int(np.sum((s > s[np.arange(len(y)), y][:, None]).sum(1) < k)) // len(y)
        ),
        "rounded down",
    ),
    (
        lambda s, y, k: float(
            np.mean(s[np.arange(len(y)), y] > np.sort(s, axis=1)[:, -k])
        ),
        "use `>=`",
    ),
    (lambda s, y, k: float(np.mean((s > s[:, y]).sum(axis=1) < k)), "np.arange(n), y]"),
]


@pytest.mark.parametrize("wrong, hint", TOP_K_WRONG)
def test_top_k_accuracy_mistake_is_rejected_with_its_hint(wrong, hint):
    assert_rejected(run_check(wrong, exercise="top_k_accuracy"), hint)


@pytest.mark.parametrize(
    "name, fn",
    [
        ("bias_trick", lambda X, W, b: [_with_ones(X), np.vstack([W, b])]),
        ("center_data", lambda a, b: [a - a.mean(axis=0), b - a.mean(axis=0)]),
    ],
)
def test_a_list_of_the_two_results_is_accepted(name, fn):
    result = run_check(fn, exercise=name)
    assert result.passed, result.messages


def test_top_k_integer_division_is_not_called_comparing_sorted_scores():
    def top_k_accuracy(scores, y, k):
        correct = scores[np.arange(len(y)), y][:, None]
        return int(np.sum((scores > correct).sum(axis=1) < k)) // len(y)

    assert_rejected(run_check(top_k_accuracy), "rounded down")
