"""Checks for chapter 1: the linear score function."""
import numpy as np

from ..reference import linear as ref
from .core import describe, is_single_number, close, exercise, expect_array, expect_number, fail, mistake

# The 4-pixel "cat" image of the chapter. In the math W is (C, D) = (3, 4); in code it is W.T.
FOUR_PIXELS = np.array([[56.0, 231.0, 24.0, 2.0]])
FOUR_PIXEL_W = np.array([[0.2, -0.5, 0.1, 2.0],     # cat
                         [1.5, 1.3, 2.1, 0.0],      # dog
                         [0.0, 0.25, 0.2, -0.3]]).T  # ship
FOUR_PIXEL_B = np.array([1.1, 3.2, -1.2])
FOUR_PIXEL_SCORES = np.array([[-96.8, 437.9, 60.75]])


def _case(seed, N, D, C):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, D)), rng.standard_normal((D, C)), rng.standard_normal(C) + 2.0


@exercise("linear_scores", reference=ref.linear_scores, chapter=1)
def check_linear_scores(call):
    # A square case (N = D = C) runs first: it exposes W used the wrong way round and the
    # bias broadcast along the wrong axis, which a non-square case would turn into a crash.
    Xs, Ws, bs = _case(1, 4, 4, 4)
    square = expect_array(call(Xs, Ws, bs), shape=(4, 4), what="Your scores")
    mistake(close(square, Xs @ Ws.T + bs),
            "You used W transposed. In code W has shape (D, C): column j holds class j's "
            "weights, and the scores are X @ W + b.")
    mistake(close(square, Xs @ Ws + bs[:, None]),
            "Your bias is added along the wrong axis: there is one bias per class (per column "
            "of the scores), so b must broadcast across rows: X @ W + b.")
    X, W, b = _case(0, 5, 4, 3)
    out = expect_array(call(X, W, b), what="Your scores")
    if out.shape == (3, 5):
        fail("Your scores have shape (C, N) = (3, 5) but should be (N, C) = (5, 3). In code each "
             "example is a row of X, so the scores are X @ W + b (the math's Wx is its transpose).")
    expect_array(out, shape=(5, 3), what="Your scores")
    mistake(close(out, X @ W), "Your scores leave out the bias: add b to X @ W.")
    mistake(close(out, X @ W - b), "You subtract the bias; the score function adds it: X @ W + b.")
    mistake(close(out, np.tile(b, (5, 1))),
            "Your scores ignore the input X.")
    pixels = expect_array(call(FOUR_PIXELS, FOUR_PIXEL_W, FOUR_PIXEL_B), shape=(1, 3),
                          what="Your scores for the 4-pixel example")
    if not close(pixels, FOUR_PIXEL_SCORES):
        fail(f"On the chapter's 4-pixel example you get {np.round(pixels, 2).tolist()}, expected "
             "[[-96.8, 437.9, 60.75]] (cat, dog, ship).")
    if not close(out, ref.linear_scores(X, W, b)):
        fail("Your scores differ from X @ W + b on a random example.")


@exercise("predict_labels", reference=ref.predict_labels, chapter=1)
def check_predict_labels(call):
    rng = np.random.default_rng(2)
    scores = rng.standard_normal((6, 4))
    out = call(scores)
    if is_single_number(out):
        fail("You returned a single number. np.argmax without `axis` looks at the flattened "
             "array; use axis=1 to get one label per row.")
    out = expect_array(out, what="Your labels")
    mistake(out.shape == (4,), "You took the argmax over the wrong axis: scores are (N, C), so "
                               "the label of each example (row) is the argmax over axis=1.")
    expect_array(out, shape=(6,), what="Your labels")
    mistake(close(out, scores.max(axis=1)),
            "You returned the highest score itself; the label is its index (np.argmax).")
    expect_array(out, kind="iu", what="Your labels")
    mistake(np.array_equal(out, scores.argmin(axis=1)),
            "You picked the lowest score. The predicted class is the one with the highest score.")
    mistake(np.array_equal(out, scores.argmax(axis=1) + 1),
            "Your labels are off by one: class indices start at 0.")
    if not np.array_equal(out, scores.argmax(axis=1)):
        fail("Some labels are not the index of the row's highest score.")


@exercise("accuracy", reference=ref.accuracy, chapter=1)
def check_accuracy(call):
    y_true = np.array([0, 1, 2, 2, 1, 0, 3, 3])
    y_pred = np.array([0, 1, 1, 2, 1, 2, 3, 0])  # 5 of 8 right
    out = expect_number(call(y_pred, y_true), what="Your accuracy")
    mistake(np.isclose(out, 5), "You returned the number of correct predictions (5); accuracy "
                                "is a fraction: divide by the number of examples.")
    mistake(np.isclose(out, 62.5), "You returned a percentage (62.5); return a fraction in "
                                   "[0, 1] instead (0.625).")
    mistake(np.isclose(out, 3 / 8), "You returned the error rate (the fraction of wrong "
                                    "predictions); accuracy counts the right ones.")
    if not np.isclose(out, 0.625):
        fail(f"With 5 of 8 predictions right the accuracy is 0.625, you got {out:.4g}.")
    perfect = expect_number(call(y_true.copy(), y_true), what="Your accuracy")
    if not np.isclose(perfect, 1.0):
        fail(f"With every prediction right the accuracy must be 1.0, you got {perfect:.4g}.")
    none = expect_number(call(np.full(8, 9), y_true), what="Your accuracy")
    if not np.isclose(none, 0.0):
        fail(f"With every prediction wrong the accuracy must be 0.0, you got {none:.4g}.")


@exercise("bias_trick", reference=ref.bias_trick, chapter=1)
def check_bias_trick(call):
    X, W, b = _case(3, 5, 4, 3)
    out = call(X, W, b)
    if not (isinstance(out, (tuple, list)) and len(out) == 2):  # a list of two unpacks the same
        fail(f"Return two arrays, `return X_ext, W_ext`; you returned {describe(out)}.")
    X_ext = expect_array(out[0], what="X_ext")
    W_ext = expect_array(out[1], what="W_ext")
    if W_ext.shape == (4, 4):
        fail("W_ext has shape (4, 4): you appended b as a column. The bias must become an extra "
             "row of W (shape (D + 1, C)), matching the extra column of ones in X.")
    expect_array(X_ext, shape=(5, 5), what="X_ext")
    expect_array(W_ext, shape=(5, 3), what="W_ext")
    first, last = np.allclose(X_ext[:, 1:], X), np.allclose(X_ext[:, :4], X)
    if not (first or last):
        fail("X_ext should be X with one extra column (first or last); the original features "
             "changed.")
    ones = X_ext[:, 4] if last else X_ext[:, 0]
    mistake(np.allclose(ones, 0), "The extra column of X_ext is zeros; it must be ones, so that "
                                  "it multiplies the bias row of W_ext.")
    mistake(not np.allclose(ones, 1), "The extra column of X_ext must be all ones.")
    mistake(close(X_ext @ W_ext, X @ W),
            "The bias row of W_ext is missing or zero: X_ext @ W_ext equals X @ W, without b.")
    if not close(X_ext @ W_ext, X @ W + b):
        fail("X_ext @ W_ext differs from X @ W + b. The column of ones and the bias row must sit "
             "at the same position (both last or both first).")
    mistake(not last,
            "X_ext @ W_ext equals X @ W + b, but your column of ones is the first column. The "
            "statement puts it last (and b as the last row of W_ext), the order chapters 3 and 4 "
            "rely on (the bias row is W[-1]): use np.hstack([X, ones]) and np.vstack([W, b]).")


@exercise("center_data", reference=ref.center_data, chapter=1)
def check_center_data(call):
    rng = np.random.default_rng(4)
    X_train = rng.normal(5.0, 2.0, size=(20, 3)) * np.array([1.0, 3.0, 0.5])
    X_test = rng.normal(8.0, 2.0, size=(6, 3))  # deliberately shifted: its own mean differs
    out = call(X_train, X_test)
    if not (isinstance(out, (tuple, list)) and len(out) == 2):  # a list of two unpacks the same
        fail("Return both centered sets: `return X_train_centered, X_test_centered`; you "
             f"returned {describe(out)}.")
    tr = expect_array(out[0], shape=X_train.shape, what="The centered training set")
    te = expect_array(out[1], shape=X_test.shape, what="The centered test set")
    mu = X_train.mean(axis=0)
    mistake(close(tr, X_train - X_train.mean(axis=1, keepdims=True)),
            "You subtracted each example's own mean (axis=1). Centering subtracts each "
            "feature's mean over the training examples: X_train.mean(axis=0).")
    mistake(close(tr, X_train - X_train.mean()),
            "You subtracted one overall mean. Subtract one mean per feature (column): "
            "X_train.mean(axis=0).")
    mistake(close(tr, (X_train - mu) / X_train.std(axis=0)),
            "You also divided by the standard deviation. This exercise only centers: subtract the "
            "training mean and nothing else.")
    both = np.vstack([X_train, X_test]).mean(axis=0)
    mistake(close(te, X_test - both) or close(tr, X_train - both),
            "You used the mean of training and test data together. The test set must not "
            "influence preprocessing: use the training mean only.")
    if not close(tr, X_train - mu):
        fail("The centered training set should be X_train - X_train.mean(axis=0).")
    mistake(close(te, X_test - X_test.mean(axis=0)),
            "You centered the test set with its own mean. Use the training mean for both sets, "
            "as if the test data arrived one example at a time after training.")
    mistake(close(te, X_test), "The test set was not centered: subtract the training mean from "
                               "it too.")
    if not close(te, X_test - mu):
        fail("The centered test set should be X_test - X_train.mean(axis=0).")


def _top_k_case():
    """60 examples, 10 classes: the correct class gets a head start, so that the top-k accuracy
    and the values of the classic mistakes (k smallest, k - 1, k + 1, top-1) all differ."""
    rng = np.random.default_rng(7)
    y = rng.integers(0, 10, size=60)
    scores = rng.standard_normal((60, 10)) + 1.5 * np.eye(10)[y]
    return scores, y


def _rank_fraction(scores, y, test):
    """Fraction of rows where ``test(higher, lower)`` holds, with higher/lower the number of
    classes scoring strictly above/below the label."""
    correct = scores[np.arange(len(y)), y][:, None]
    return float(np.mean(test((scores > correct).sum(axis=1), (scores < correct).sum(axis=1))))


# Three identical rows with a three-way tie for the top, one per tied label, k = 2: every tied
# label counts (the statement's rule), so a rule that keeps exactly k indices by position
# (argsort, argpartition) gets at most two of the three rows right.
TIE_SCORES = np.array([[3.0, 3.0, 3.0, 0.0, 1.0]] * 3 + [[0.5, 2.0, 1.0, 2.0, 0.0]])
TIE_Y = np.array([0, 1, 2, 0])   # the last row: 3 classes score higher, so not in the top 2


@exercise("top_k_accuracy", reference=ref.top_k_accuracy, chapter=1)
def check_top_k_accuracy(call):
    scores, y = _top_k_case()
    N, k = len(y), 3
    right = _rank_fraction(scores, y, lambda hi, lo: hi < k)
    out = expect_number(call(scores, y, k), what="Your top-3 accuracy")
    same = lambda value: abs(out - value) < 1e-9  # noqa: E731  (fractions of 60: exact)
    mistake(same(right * N) and not same(right),
            f"You returned the number of examples whose label is in the top {k} "
            f"({round(right * N)}); the accuracy is a fraction: divide by N.")
    mistake(same(100 * right), "You returned a percentage; return a fraction in [0, 1].")
    mistake(same(_rank_fraction(scores, y, lambda hi, lo: lo < k)),
            "You took the k *smallest* scores. np.argsort and np.sort sort in ascending order, so "
            "the k highest are the last k columns (`[:, -k:]`), or sort `-scores`.")
    mistake(same(_rank_fraction(scores, y, lambda hi, lo: lo >= k - 1)),
            "You compared with the k-th *smallest* score. np.partition and np.sort put the "
            "smallest first: the k-th largest of a row of C scores sits at position C - k "
            "(`np.partition(scores, -k, axis=1)[:, -k]`).")
    mistake(same(_rank_fraction(scores, y, lambda hi, lo: hi < k + 1)),
            f"Your top-{k} accuracy counts the top {k + 1} classes: an off-by-one in k (a slice "
            "like `[:, -k - 1:]`, or `<= k` where fewer than k classes may score higher).")
    mistake(same(_rank_fraction(scores, y, lambda hi, lo: hi < k - 1)),
            f"Your top-{k} accuracy counts only the top {k - 1} classes: an off-by-one in k "
            "(a slice like `[:, :k - 1]` or `[:, -(k - 1):]`).")
    mistake(same(_rank_fraction(scores, y, lambda hi, lo: hi < 1)),
            "Your result ignores k: it is the top-1 accuracy (the argmax) for every k.")
    if same(0.0):  # rounded down to an integer, or labels compared with sorted scores?
        all_k = expect_number(call(scores, y, scores.shape[1]), what="Your top-10 accuracy")
        mistake(abs(all_k - 1.0) < 1e-9,
                "Your result is 0 for k = 3 but 1 for k = C: it is rounded down to a whole number. "
                "`hits // N` is integer division (and int(...) truncates); divide with `/`, or "
                "take the mean of the booleans.")
    mistake(same(0.0),
            "Your result is 0: you probably compared sorted *scores* with the labels. The labels "
            "are class indices, so compare them with the indices of the top k (np.argsort or "
            "np.argpartition), not with the values np.sort returns.")
    if not same(right):
        fail(f"On a test case with 60 examples and 10 classes the top-3 accuracy is {right:.4f}, "
             f"you got {out:.4f}.")
    for k_edge, expected, why in ((1, _rank_fraction(scores, y, lambda hi, lo: hi < 1),
                                   "with k = 1 it must equal the accuracy of the argmax"),
                                  (10, 1.0, "with k = C every label is in the top k")):
        got = expect_number(call(scores, y, k_edge), what=f"Your top-{k_edge} accuracy")
        if abs(got - expected) > 1e-9:
            fail(f"Your top-{k_edge} accuracy is {got:.4f}, expected {expected:.4f}: {why}.")
    tied = expect_number(call(TIE_SCORES, TIE_Y, 2), what="Your top-2 accuracy with ties")
    if abs(tied - 0.75) > 1e-9:
        fail("With ties your result is wrong. Three classes share a row's highest score and k = 2: "
             "the statement counts a tie in the label's favour, so each of the three tied labels is "
             f"in the top 2 (expected 0.75, you got {tied:.4f}). Selecting exactly k indices "
             "(argsort, argpartition) drops one tied class; count the classes that score strictly "
             "higher than the label instead, or compare with the k-th largest score (np.partition).")
