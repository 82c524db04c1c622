"""Checks for chapter 1: the linear score function."""

import numpy as np

from ..reference import linear as ref
from .core import (
    call_with_advice,
    catalogue,
    close,
    describe,
    differs,
    exercise,
    expect_array,
    expect_number,
    fail,
    is_single_number,
    mistake,
)
from ..i18n import _

# The 4-pixel "cat" image of the chapter. In the math W is (C, D) = (3, 4); in code it
# is W.T.
FOUR_PIXELS = np.array([[56.0, 231.0, 24.0, 2.0]])
FOUR_PIXEL_W = np.array(
    [
        [0.2, -0.5, 0.1, 2.0],  # cat
        [1.5, 1.3, 2.1, 0.0],  # dog
        [0.0, 0.25, 0.2, -0.3],
    ]
).T  # ship
FOUR_PIXEL_B = np.array([1.1, 3.2, -1.2])
FOUR_PIXEL_SCORES = np.array([[-96.8, 437.9, 60.75]])


def _case(seed, N, D, C):
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((N, D)),
        rng.standard_normal((D, C)),
        rng.standard_normal(C) + 2.0,
    )


def _linear_cases():
    # A square case (N = D = C) runs first: it exposes W used the wrong way round, the
    # bias broadcast along the wrong axis and an elementwise product, which a non-square
    # case would turn into a crash.
    return [
        _case(1, 4, 4, 4),
        _case(0, 5, 4, 3),
        (FOUR_PIXELS, FOUR_PIXEL_W, FOUR_PIXEL_B),
    ]


@catalogue("linear_scores", inputs=_linear_cases)
def _linear_scores_mistakes(X, W, b):
    N, D = X.shape
    C = W.shape[1]
    wrong = [
        (X @ W, _("Your scores leave out the bias: add b to X @ W.")),
        (X @ W - b, _("You subtract the bias; the score function adds it: X @ W + b.")),
        (X @ W + 2 * b, _("You added the bias twice (once is enough): X @ W + b.")),
        (
            X @ (W + b),
            _(
                "You added b to W inside the product: X @ (W + b) adds b[j] times the "
                "sum of each example's features. The bias is added once, after the "
                "product: X @ W + b."
            ),
        ),
        (np.tile(b, (N, 1)), _("Your scores ignore the input X.")),
    ]
    if N == D == C:  # only the square case can hold these (elsewhere they raise)
        wrong += [
            (
                X @ W.T + b,
                _(
                    "You used W transposed. In code W has shape (D, C): column j holds "
                    "class j's weights, and the scores are X @ W + b."
                ),
            ),
            (
                X @ W + b[:, None],
                _(
                    "Your bias is added along the wrong axis: there is one bias "
                    "per class (per column of the scores), so b must broadcast "
                    "across rows: X @ W + b."
                ),
            ),
            (
                X * W + b,
                _(
                    "You multiplied elementwise (X * W). The scores need the matrix "
                    "product, `X @ W` (or np.dot(X, W)), which sums over the D "
                    "features."
                ),
            ),
            (
                W @ X + b,
                _(
                    "You multiplied in the order W @ X. In code X is (N, D) and W is "
                    "(D, C), so the product is X @ W (the math's Wx is its transpose)."
                ),
            ),
            (
                (X + b) @ W,
                _(
                    "You added b to X before multiplying. The bias is added to the "
                    "scores, after the product: X @ W + b."
                ),
            ),
        ]
    return wrong


def _matmul_advice(error):
    """Advice for the errors a wrongly ordered or elementwise product raises."""
    if isinstance(error, ValueError) and (
        "matmul" in str(error) or "broadcast" in str(error) or "aligned" in str(error)
    ):
        return _(
            "X is (N, D) and W is (D, C): the scores are the matrix product X @ W (not "
            "X * W, not W @ X), plus b of shape (C,), which broadcasts across the rows."
        )
    return None


@exercise("linear_scores", reference=ref.linear_scores, chapter=1)
def check_linear_scores(call):
    (Xs, Ws, bs), (X, W, b), _four_pixels = _linear_cases()
    square = expect_array(
        call_with_advice(call, Xs, Ws, bs, advise=_matmul_advice),
        shape=(4, 4),
        what=_("Your scores"),
    )
    _linear_scores_mistakes.match(square, Xs, Ws, bs)
    out = expect_array(
        call_with_advice(call, X, W, b, advise=_matmul_advice), what=_("Your scores")
    )
    if out.shape == (3, 5):
        fail(
            _(
                "Your scores have shape (C, N) = (3, 5) but should be (N, C) = (5, 3). "
                "In code each example is a row of X, so the scores are X @ W + b (the "
                "math's Wx is its transpose)."
            )
        )
    expect_array(out, shape=(5, 3), what=_("Your scores"))
    _linear_scores_mistakes.match(out, X, W, b)
    pixels = expect_array(
        call(FOUR_PIXELS, FOUR_PIXEL_W, FOUR_PIXEL_B),
        shape=(1, 3),
        what=_("Your scores for the 4-pixel example"),
    )
    _linear_scores_mistakes.match(pixels, FOUR_PIXELS, FOUR_PIXEL_W, FOUR_PIXEL_B)
    # float32 arithmetic (a learner's choice the statement allows) is right to about
    # 1e-7 of the largest product; every wrong answer above differs by far more
    if not close(pixels, FOUR_PIXEL_SCORES, rtol=1e-5, atol=1e-4):
        differs(
            _(
                "On the chapter's 4-pixel example you get {scores}, "
                "expected [[-96.8, 437.9, 60.75]] (cat, dog, ship).",
                scores=str(np.round(pixels, 2).tolist()),
            )
        )
    if not (
        close(out, ref.linear_scores(X, W, b), rtol=1e-5, atol=1e-5)
        and close(square, ref.linear_scores(Xs, Ws, bs), rtol=1e-5, atol=1e-5)
    ):
        differs(_("Your scores differ from X @ W + b on a random example."))


def _label_scores():
    return np.random.default_rng(2).standard_normal((6, 4))


@catalogue("predict_labels", inputs=lambda: [(_label_scores(),)])
def _predict_labels_mistakes(scores):
    order = np.argsort(scores, axis=1)
    return [
        (
            scores.max(axis=1),
            _(
                "You returned the highest score itself; the label is its index "
                "(np.argmax)."
            ),
        ),
        (
            scores.argmin(axis=1),
            _(
                "You picked the lowest score. The predicted class is the one "
                "with the highest score."
            ),
        ),
        (
            scores.argmax(axis=1) + 1,
            _("Your labels are off by one: class indices start at 0."),
        ),
        (
            order[:, -2],
            _(
                "You picked the second-highest score: np.argsort sorts in ascending "
                "order, so the highest is the LAST column, `[:, -1]` (or use "
                "np.argmax)."
            ),
        ),
        (
            np.argmax(np.abs(scores), axis=1),
            _(
                "You picked the score largest in absolute value; "
                "a very negative score is the least likely class. "
                "Use np.argmax(scores, axis=1)."
            ),
        ),
    ]


@exercise("predict_labels", reference=ref.predict_labels, chapter=1)
def check_predict_labels(call):
    scores = _label_scores()
    out = call(scores)
    if is_single_number(out):
        fail(
            _(
                "You returned a single number. np.argmax without `axis` looks at the "
                "flattened array; use axis=1 to get one label per row."
            )
        )
    out = expect_array(out, what=_("Your labels"))
    mistake(
        out.shape == (4,),
        _(
            "You took the argmax over the wrong axis: scores are (N, C), "
            "so the label of each example (row) is the argmax over "
            "axis=1."
        ),
    )
    expect_array(out, shape=(6,), what=_("Your labels"))
    _predict_labels_mistakes.match(out, scores)
    expect_array(out, kind="iu", what=_("Your labels"))
    if not np.array_equal(out, scores.argmax(axis=1)):
        differs(_("Some labels are not the index of the row's highest score."))


ACCURACY_CASE = (
    np.array([0, 1, 1, 2, 1, 2, 3, 0]),
    np.array([0, 1, 2, 2, 1, 0, 3, 3]),
)  # 5 of 8


@catalogue("accuracy", inputs=lambda: [ACCURACY_CASE])
def _accuracy_mistakes(y_pred, y_true):
    hits, N = int(np.sum(y_pred == y_true)), len(y_true)
    return [
        (
            hits,
            _(
                "You returned the number of correct predictions ({hits}); accuracy is "
                "a fraction: divide by the number of examples.",
                hits=hits,
            ),
        ),
        (
            100 * hits / N,
            _(
                "You returned a percentage ({percent}); return a fraction in "
                "[0, 1] instead ({fraction}).",
                percent=f"{100 * hits / N:g}",
                fraction=f"{hits / N:g}",
            ),
        ),
        (
            1 - hits / N,
            _(
                "You returned the error rate (the fraction of wrong predictions); "
                "accuracy counts the right ones."
            ),
        ),
        (
            hits // N,
            _(
                "Your accuracy is 0 although {right} of {total} predictions are right: "
                "it was rounded down to a whole number, by `//` (integer division) or "
                "int(...). Divide with `/`, or take the mean of the booleans.",
                right=hits,
                total=N,
            ),
        ),
        (
            hits / (N - 1),
            _(
                "You divided by N - 1; accuracy divides the number of right "
                "predictions by the number of examples, N (len(y_true))."
            ),
        ),
        (
            round(hits / N, 1),
            _(
                "You rounded the accuracy; return it unrounded (round only when "
                "you print it)."
            ),
        ),
        (
            1.0,
            _(
                "Your accuracy is 1 although {wrong} of {total} predictions are wrong: "
                "compare y_pred with y_true (not an array with itself).",
                wrong=N - hits,
                total=N,
            ),
        ),
    ]


@exercise("accuracy", reference=ref.accuracy, chapter=1)
def check_accuracy(call):
    y_pred, y_true = ACCURACY_CASE
    out = expect_number(call(y_pred, y_true), what=_("Your accuracy"))
    _accuracy_mistakes.match(out, y_pred, y_true)
    if not np.isclose(out, 0.625):
        differs(
            _(
                "With 5 of 8 predictions right the accuracy is 0.625, you got {got}.",
                got=f"{out:.4g}",
            )
        )
    perfect = expect_number(call(y_true.copy(), y_true), what=_("Your accuracy"))
    if not np.isclose(perfect, 1.0):
        differs(
            _(
                "With every prediction right the accuracy must be 1.0, you got {got}.",
                got=f"{perfect:.4g}",
            )
        )
    none = expect_number(call(np.full(8, 9), y_true), what=_("Your accuracy"))
    if not np.isclose(none, 0.0):
        differs(
            _(
                "With every prediction wrong the accuracy must be 0.0, you got {got}.",
                got=f"{none:.4g}",
            )
        )


def _stack_advice(error):
    """Advice for the errors np.hstack/np.vstack raise on a 1-D ones vector or a (C,
    1) bias."""
    text = str(error)
    if isinstance(error, ValueError) and "dimension" in text:
        return _(
            "np.hstack and np.vstack need pieces with matching shapes: the column of "
            "ones must be (N, 1), `np.ones((N, 1))` (np.ones(N) is 1-D), and b must "
            "become a (1, C) row, `b.reshape(1, -1)` or `b[None, :]` (b[:, None] is a "
            "column)."
        )
    return None


@catalogue(
    "bias_trick", inputs=lambda: [_case(3, 5, 4, 3)], right=lambda X, W, b: X @ W + b
)
def _bias_trick_product_mistakes(X, W, b):
    """Wrong values of X_ext @ W_ext."""
    return [
        (
            X @ W,
            _(
                "The bias row of W_ext is missing or zero: X_ext @ W_ext equals X @ W, "
                "without b."
            ),
        ),
        (
            X @ W + 1.0,
            _(
                "You appended a row of ones to W; the column of ones belongs to X, and "
                "W's extra row is b: np.vstack([W, b])."
            ),
        ),
        (
            X @ W + b + 1.0,
            _(
                "Your X_ext @ W_ext is X @ W + b + 1: an extra one was added as well "
                "(check what np.vstack and np.hstack receive)."
            ),
        ),
    ]


@exercise("bias_trick", reference=ref.bias_trick, chapter=1)
def check_bias_trick(call):
    X, W, b = _case(3, 5, 4, 3)
    out = call_with_advice(call, X, W, b, advise=_stack_advice)
    if not (
        isinstance(out, (tuple, list)) and len(out) == 2
    ):  # a list of two unpacks the same
        fail(
            _(
                "Return two arrays, `return X_ext, W_ext`; you returned {returned}.",
                returned=describe(out),
            )
        )
    X_ext = expect_array(out[0], what="X_ext")
    W_ext = expect_array(out[1], what="W_ext")
    if W_ext.shape == (4, 4):
        fail(
            _(
                "W_ext has shape (4, 4): you appended b as a column. The bias must "
                "become an extra row of W (shape (D + 1, C)), matching the extra "
                "column of ones in X."
            )
        )
    expect_array(X_ext, shape=(5, 5), what="X_ext")
    expect_array(W_ext, shape=(5, 3), what="W_ext")
    first, last = np.allclose(X_ext[:, 1:], X), np.allclose(X_ext[:, :4], X)
    if not (first or last):
        fail(
            _(
                "X_ext should be X with one extra column (first or last); the original "
                "features changed."
            )
        )
    ones = X_ext[:, 4] if last else X_ext[:, 0]
    mistake(
        np.allclose(ones, 0),
        _(
            "The extra column of X_ext is zeros; it must be ones, so "
            "that it multiplies the bias row of W_ext."
        ),
    )
    mistake(not np.allclose(ones, 1), _("The extra column of X_ext must be all ones."))
    _bias_trick_product_mistakes.match(X_ext @ W_ext, X, W, b)
    if not close(X_ext @ W_ext, X @ W + b):
        fail(
            _(
                "X_ext @ W_ext differs from X @ W + b. The column of ones and the bias "
                "row must sit at the same position (both last or both first)."
            )
        )
    mistake(
        not last,
        _(
            "X_ext @ W_ext equals X @ W + b, but your column of ones is the first "
            "column. The statement puts it last (and b as the last row of W_ext), the "
            "order chapters 3 and 4 rely on (the bias row is W[-1]): use np.hstack([X, "
            "ones]) and np.vstack([W, b])."
        ),
    )


def _center_case():
    rng = np.random.default_rng(4)
    X_train = rng.normal(5.0, 2.0, size=(20, 3)) * np.array([1.0, 3.0, 0.5])
    X_test = rng.normal(
        8.0, 2.0, size=(6, 3)
    )  # deliberately shifted: its own mean differs
    return X_train, X_test


def _both_mean(X_train, X_test):
    return np.vstack([X_train, X_test]).mean(axis=0)


@catalogue(
    "center_data",
    inputs=lambda: [_center_case()],
    right=lambda X_train, X_test: X_train - X_train.mean(axis=0),
)
def _centered_train_mistakes(X_train, X_test):
    mu = X_train.mean(axis=0)
    return [
        (
            X_train - X_train.mean(axis=1, keepdims=True),
            _(
                "You subtracted each example's own mean (axis=1). Centering subtracts "
                "each feature's mean over the training examples: X_train.mean(axis=0)."
            ),
        ),
        (
            X_train - X_train.mean(),
            _(
                "You subtracted one overall mean. Subtract one mean per feature "
                "(column): X_train.mean(axis=0)."
            ),
        ),
        (
            (X_train - mu) / X_train.std(axis=0),
            _(
                "You also divided by the standard deviation. This exercise only "
                "centers: subtract the training mean and nothing else."
            ),
        ),
        (
            X_train - _both_mean(X_train, X_test),
            _(
                "You used the mean of training and test data together. The test set "
                "must not influence preprocessing: use the training mean only."
            ),
        ),
        (
            X_train - np.median(X_train, axis=0),
            _(
                "You subtracted the median; centering subtracts the mean, "
                "X_train.mean(axis=0)."
            ),
        ),
        (
            X_train - X_train.sum(axis=0) / (len(X_train) - 1),
            _(
                "You divided the sum by N - 1; the mean divides by the number of "
                "examples N (X_train.mean(axis=0))."
            ),
        ),
    ]


@catalogue(
    "center_data",
    inputs=lambda: [_center_case()],
    right=lambda X_train, X_test: X_test - X_train.mean(axis=0),
)
def _centered_test_mistakes(X_train, X_test):
    return [
        (
            X_test - X_test.mean(axis=0),
            _(
                "You centered the test set with its own mean. Use the training mean "
                "for both sets, as if the test data arrived one example at a time "
                "after training."
            ),
        ),
        (
            X_test - _both_mean(X_train, X_test),
            _(
                "You used the mean of training and test data together for the test "
                "set. The test set must not influence preprocessing: use the training "
                "mean only."
            ),
        ),
        (
            X_test,
            _("The test set was not centered: subtract the training mean from it too."),
        ),
        (
            X_test - X_test.mean(axis=1, keepdims=True),
            _(
                "You centered each test example by its own mean (axis=1). Subtract the "
                "training set's per-feature mean, X_train.mean(axis=0)."
            ),
        ),
    ]


@exercise("center_data", reference=ref.center_data, chapter=1)
def check_center_data(call):
    X_train, X_test = _center_case()
    out = call(X_train, X_test)
    if not (
        isinstance(out, (tuple, list)) and len(out) == 2
    ):  # a list of two unpacks the same
        fail(
            _(
                "Return both centered sets: `return X_train_centered, "
                "X_test_centered`; you returned {returned}.",
                returned=describe(out),
            )
        )
    tr = expect_array(out[0], shape=X_train.shape, what=_("The centered training set"))
    te = expect_array(out[1], shape=X_test.shape, what=_("The centered test set"))
    _centered_train_mistakes.match(tr, X_train, X_test)
    if not close(tr, X_train - X_train.mean(axis=0)):
        differs(
            _("The centered training set should be X_train - X_train.mean(axis=0).")
        )
    _centered_test_mistakes.match(te, X_train, X_test)
    if not close(te, X_test - X_train.mean(axis=0)):
        differs(_("The centered test set should be X_test - X_train.mean(axis=0)."))


def _top_k_case():
    """60 examples, 10 classes: the correct class gets a head start, so that the top-k
    accuracy and the values of the classic mistakes (k smallest, k - 1, k + 1, top-1)
    all differ."""
    rng = np.random.default_rng(7)
    y = rng.integers(0, 10, size=60)
    scores = rng.standard_normal((60, 10)) + 1.5 * np.eye(10)[y]
    return scores, y


def _rank_fraction(scores, y, test):
    """Fraction of rows where ``test(higher, lower)`` holds, with higher/lower the
    number of classes scoring strictly above/below the label."""
    correct = scores[np.arange(len(y)), y][:, None]
    return float(
        np.mean(test((scores > correct).sum(axis=1), (scores < correct).sum(axis=1)))
    )


# Three identical rows with a three-way tie for the top, one per tied label, k = 2:
# every tied label counts (the statement's rule), so a rule that keeps exactly k indices
# by position (argsort, argpartition) gets at most two of the three rows right.
TIE_SCORES = np.array([[3.0, 3.0, 3.0, 0.0, 1.0]] * 3 + [[0.5, 2.0, 1.0, 2.0, 0.0]])
TIE_Y = np.array(
    [0, 1, 2, 0]
)  # the last row: 3 classes score higher, so not in the top 2


def _exact(out, wrong):
    return abs(float(out) - float(wrong)) < 1e-9  # fractions of 60: exact


@catalogue("top_k_accuracy", inputs=lambda: [_top_k_case() + (3,)], compare=_exact)
def _top_k_mistakes(scores, y, k):
    N = len(y)
    right = _rank_fraction(scores, y, lambda hi, lo: hi < k)
    return [
        (
            right * N,
            _(
                "You returned the number of examples whose label is in the top {k} "
                "({count}); the accuracy is a fraction: divide by N.",
                k=k,
                count=round(right * N),
            ),
        ),
        (100 * right, _("You returned a percentage; return a fraction in [0, 1].")),
        (
            _rank_fraction(scores, y, lambda hi, lo: lo < k),
            _(
                "You took the k *smallest* scores. np.argsort and np.sort sort in "
                "ascending order, so the k highest are the last k columns (`[:, "
                "-k:]`), or sort `-scores`."
            ),
        ),
        (
            _rank_fraction(scores, y, lambda hi, lo: lo >= k - 1),
            _(
                "You compared with the k-th *smallest* score. np.partition and np.sort "
                "put the smallest first: the k-th largest of a row of C scores sits at "
                "position C - k (`np.partition(scores, -k, axis=1)[:, -k]`)."
            ),
        ),
        (
            _rank_fraction(scores, y, lambda hi, lo: hi < k + 1),
            _(
                "Your top-{k} accuracy counts the top {more} classes: an off-by-one in "
                "k (a slice like `[:, -k - 1:]`, or `<= k` where fewer than k classes "
                "may score higher).",
                k=k,
                more=k + 1,
            ),
        ),
        (
            _rank_fraction(scores, y, lambda hi, lo: hi < k - 1),
            _(
                "Your top-{k} accuracy counts only the top {fewer} classes: an "
                "off-by-one in k (a slice like `[:, :k - 1]` or `[:, -(k - 1):]`, or "
                "`>` where the label's score may equal the k-th largest: use `>=`).",
                k=k,
                fewer=k - 1,
            ),
        ),
        (
            _rank_fraction(scores, y, lambda hi, lo: hi < 1),
            _(
                "Your result ignores k: it is the top-1 accuracy (the argmax) for "
                "every k."
            ),
        ),
        (
            0.0,
            _(
                "Your result is 0: you probably compared sorted *scores* with the "
                "labels. The labels are class indices, so compare them with the "
                "indices of the top k (np.argsort or np.argpartition), not with the "
                "values np.sort returns."
            ),
        ),
    ]


def _label_column_advice(error):
    if isinstance(error, ValueError) and "broadcast" in str(error):
        return _(
            "`scores[:, y]` picks N whole columns, an (N, N) array; the label's score "
            "of each row is `scores[np.arange(N), y]` (shape (N,), or [:, None] for a "
            "column)."
        )
    return None


@exercise("top_k_accuracy", reference=ref.top_k_accuracy, chapter=1)
def check_top_k_accuracy(call):
    scores, y = _top_k_case()
    k = 3
    right = _rank_fraction(scores, y, lambda hi, lo: hi < k)
    out = expect_number(
        call_with_advice(call, scores, y, k, advise=_label_column_advice),
        what=_("Your top-3 accuracy"),
    )
    if _exact(
        out, 0.0
    ):  # rounded down to an integer, or labels compared with sorted scores?
        all_k = expect_number(
            call(scores, y, scores.shape[1]), what=_("Your top-10 accuracy")
        )
        mistake(
            abs(all_k - 1.0) < 1e-9,
            _(
                "Your result is 0 for k = 3 but 1 for k = C: it is rounded down to a "
                "whole number. `hits // N` is integer division (and int(...) "
                "truncates); divide with `/`, or take the mean of the booleans."
            ),
        )
    _top_k_mistakes.match(out, scores, y, k)
    if not _exact(out, right):
        differs(
            _(
                "On a test case with 60 examples and 10 classes the top-3 accuracy is "
                "{expected}, you got {got}.",
                expected=f"{right:.4f}",
                got=f"{out:.4f}",
            )
        )
    for k_edge, expected, why in (
        (
            1,
            _rank_fraction(scores, y, lambda hi, lo: hi < 1),
            _("with k = 1 it must equal the accuracy of the argmax"),
        ),
        (10, 1.0, _("with k = C every label is in the top k")),
    ):
        got = expect_number(
            call(scores, y, k_edge), what=_("Your top-{k} accuracy", k=k_edge)
        )
        if abs(got - expected) > 1e-9:
            differs(
                _(
                    "Your top-{k} accuracy is {got}, expected {expected}: {why}.",
                    k=k_edge,
                    got=f"{got:.4f}",
                    expected=f"{expected:.4f}",
                    why=why,
                )
            )
    tied = expect_number(
        call(TIE_SCORES, TIE_Y, 2), what=_("Your top-2 accuracy with ties")
    )
    if abs(tied - 0.75) > 1e-9:
        fail(
            _(
                "With ties your result is wrong. Three classes share a row's highest "
                "score and k = 2: the statement counts a tie in the label's favour, "
                "so each of the three tied labels is in the top 2 (expected 0.75, you "
                "got {got}). Selecting exactly k indices (argsort, argpartition) "
                "drops one tied class; count the classes that score strictly higher "
                "than the label instead, or compare with the k-th largest score "
                "(np.partition).",
                got=f"{tied:.4f}",
            )
        )
