"""Checks for chapter 3: regularization penalties and choosing their strength."""

import numpy as np

from ..gradient_check import eval_numerical_gradient
from ..reference import losses as ch2
from ..reference import regularization as ref
from ..i18n import _
from .core import (
    AnyOf,
    catalogue,
    close,
    differs,
    exercise,
    expect_array,
    expect_number,
    expect_values,
    fail,
    mistake,
)

# The chapter's worked example: x = [1, 1, 1, 1] scores 1 with both weight vectors, but
# sum(w**2) is 1.0 for w1 and 0.25 for w2 (so l2_penalty(w, 2.0) gives exactly those
# numbers).
W1_EXAMPLE = np.array([1.0, 0.0, 0.0, 0.0])
W2_EXAMPLE = np.array([0.25, 0.25, 0.25, 0.25])

# A regularization strength whose multiples are all told apart: 0.5 * reg, reg, 2 * reg,
# reg**2.
REG = 0.3


def _weights(seed, shape=(4, 3), zeros=False):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal(shape)
    W[np.abs(W) < 0.2] += (
        0.5  # keep every entry away from zero (zeros get their own case)
    )
    if zeros:
        W.flat[::3] = 0.0
    return W


def _pair(out, name):
    """Unpack ``(penalty, dW)``, or fail with a diagnosis of what was returned
    instead."""
    penalty, dW = expect_values(out, name, "penalty, dW")
    if isinstance(penalty, np.ndarray) and penalty.ndim > 0 and np.ndim(dW) == 0:
        fail(
            _(
                "You returned `(dW, penalty)`: the penalty comes first, `return "
                "penalty, dW`."
            )
        )
    return penalty, dW


def _penalty_number(penalty, name):
    if isinstance(penalty, np.ndarray) and penalty.ndim > 0:
        fail(
            _(
                "The penalty of `{name}` is an array of shape {shape}, not a number. "
                "Sum over every entry of W (np.sum(...) without an axis): the penalty "
                "is one number.",
                name=name,
                shape=penalty.shape,
            )
        )
    return expect_number(penalty, what=_("Your penalty"))


def _penalty_and_gradient(call, W, reg, name):
    """Call a penalty exercise and check the form of its answer: a number and a dW
    shaped like W."""
    penalty, dW = _pair(call(W, reg), name)
    penalty = _penalty_number(penalty, name)
    dW = expect_array(dW, what=_("Your gradient dW"))
    if dW.shape != W.shape:
        fail(
            _(
                "Your gradient dW has shape {got}, but it must have W's shape "
                "{expected}: one partial derivative per weight.",
                got=dW.shape,
                expected=W.shape,
            )
        )
    return penalty, dW


def _number_close(out, wrong):
    return bool(np.isclose(out, wrong))


def _l2_cases():
    return [(_weights(0), REG)]


@catalogue(
    "l2_penalty",
    inputs=_l2_cases,
    right=lambda W, reg: ref.l2_penalty(W, reg)[0],
    compare=_number_close,
)
def _l2_penalty_mistakes(W, reg):
    squares = float(np.sum(W**2))
    absolute = float(np.sum(np.abs(W)))
    norm = np.sqrt(squares)
    return [
        (
            reg * squares,
            _(
                "Your penalty is twice too large: you left out the 1/2. The course's "
                "L2 penalty is 0.5 * reg * sum(W**2) (the 1/2 makes its gradient "
                "simply reg * W)."
            ),
        ),
        (
            AnyOf(0.5 * squares, squares),
            _(
                "Your penalty does not depend on reg: multiply by the "
                "regularization strength, 0.5 * reg * sum(W**2)."
            ),
        ),
        (
            AnyOf(0.5 * reg**2 * squares, reg**2 * squares),
            _(
                "Your penalty uses reg squared; only the weights are squared: 0.5 * "
                "reg * sum(W**2)."
            ),
        ),
        (
            AnyOf(*(k * absolute for k in (0.5 * reg, reg, 1.0))),
            _(
                "Your penalty sums the absolute values |W|: that is the L1 penalty. L2 "
                "sums the squares: 0.5 * reg * sum(W**2)."
            ),
        ),
        (
            AnyOf(*(k * norm for k in (0.5 * reg, reg, 1.0))),
            _(
                "Your penalty uses the L2 norm sqrt(sum(W**2)); the penalty is the "
                "*squared* norm, without the square root: 0.5 * reg * sum(W**2)."
            ),
        ),
        (
            AnyOf(*(k * squares / W.size for k in (0.5 * reg, reg))),
            _(
                "Your penalty is a mean over the weights; it is a sum: 0.5 * reg * "
                "np.sum(W**2). (With a mean, the penalty would shrink when the model "
                "gets more weights.)"
            ),
        ),
        (
            AnyOf(*(k * float(np.sum(W)) ** 2 for k in (0.5 * reg, reg))),
            _(
                "You squared the sum of the weights; square each weight first, then "
                "sum: np.sum(W**2), not np.sum(W)**2."
            ),
        ),
        (
            0.0,
            _(
                "Your penalty is 0 for nonzero weights. Is a factor an integer "
                "division, such as `1 // 2` (which is 0)? Write 0.5 * reg * "
                "np.sum(W**2)."
            ),
        ),
    ]


@catalogue(
    "l2_penalty", inputs=_l2_cases, right=lambda W, reg: ref.l2_penalty(W, reg)[1]
)
def _l2_gradient_mistakes(W, reg):
    norm = np.sqrt(float(np.sum(W**2)))
    return [
        (
            2 * reg * W,
            _(
                "Your gradient is doubled (2 * reg * W). The derivative of 0.5 * reg * "
                "w**2 is reg * w: the 1/2 cancels the 2 from the square."
            ),
        ),
        (
            0.5 * reg * W,
            _(
                "Your gradient is half what it should be: the derivative of "
                "0.5 * reg * w**2 is reg * w (the 2 from the square cancels the 1/2)."
            ),
        ),
        (
            AnyOf(W, 2 * W),
            _(
                "Your gradient does not depend on reg: the derivative of "
                "0.5 * reg * w**2 is reg * w."
            ),
        ),
        (
            reg * np.sign(W),
            _(
                "Your gradient is reg * sign(W), the (sub)gradient of the L1 penalty; "
                "for L2 it is reg * W."
            ),
        ),
        (
            -reg * W,
            _(
                "Your gradient has the wrong sign: the penalty grows as |w| grows, so "
                "its gradient is +reg * W."
            ),
        ),
        (
            AnyOf(*(k * W**2 for k in (0.5 * reg, reg))),
            _(
                "Your dW holds each weight's share of the penalty, not the derivative: "
                "d/dw (0.5 * reg * w**2) = reg * w."
            ),
        ),
        (
            AnyOf(*(k * W / norm for k in (0.5 * reg, reg))),
            _(
                "Your gradient is that of the norm sqrt(sum(W**2)); the penalty is the "
                "squared norm, whose gradient is reg * W."
            ),
        ),
        (
            AnyOf(np.full(W.shape, reg), np.full(W.shape, 0.5 * reg)),
            _(
                "Your gradient is the same for every weight; the derivative of 0.5 * "
                "reg * w**2 depends on the weight: reg * w."
            ),
        ),
    ]


@exercise("l2_penalty", reference=ref.l2_penalty, chapter=3)
def check_l2_penalty(call):
    W, reg = _weights(0), REG
    penalty, dW = _penalty_and_gradient(call, W, reg, "l2_penalty")
    squares = float(np.sum(W**2))
    _l2_penalty_mistakes.match(penalty, W, reg)
    _l2_gradient_mistakes.match(dW, W, reg)
    # --- values on fixed cases, including the chapter's worked example ---
    if not np.isclose(penalty, 0.5 * reg * squares):
        differs(
            _(
                "For this W, 0.5 * reg * sum(W**2) = {expected}, you returned {got}.",
                expected=f"{0.5 * reg * squares:.4f}",
                got=f"{penalty:.4f}",
            )
        )
    if not close(dW, reg * W):
        differs(_("Your penalty is right but dW differs from reg * W."))
    for w, expected in ((W1_EXAMPLE, 1.0), (W2_EXAMPLE, 0.25)):
        p, g = _penalty_and_gradient(
            call, w, 2.0, "l2_penalty"
        )  # a 1-D W: any shape works
        if not np.isclose(p, expected) or not close(g, 2.0 * w):
            differs(
                _(
                    "On the chapter's example w = {w} with reg = 2 the penalty should "
                    "be {expected} and dW = {expected_dW}; you returned {got} and "
                    "{got_dW}.",
                    w=w.tolist(),
                    expected=expected,
                    expected_dW=(2.0 * w).tolist(),
                    got=f"{p:.4g}",
                    got_dW=np.asarray(g).tolist(),
                )
            )
    p0, g0 = _pair(call(W, 0.0), "l2_penalty")
    if not np.isclose(_penalty_number(p0, "l2_penalty"), 0.0) or not close(
        g0, np.zeros_like(W)
    ):
        fail(
            _(
                "With reg = 0 there is no regularization: the penalty and dW must both "
                "be 0."
            )
        )
    # --- property: the gradient is the gradient of the penalty ---
    W3 = _weights(5, shape=(3, 2))
    p3, g3 = _pair(call(W3, 1.7), "l2_penalty")
    numeric = eval_numerical_gradient(
        lambda V: 0.5 * 1.7 * float(np.sum(V**2)), W3.copy()
    )
    if not close(g3, numeric, rtol=1e-5, atol=1e-7):
        differs(_("Your dW does not match a numerical gradient of the penalty."))


def _l1_cases():
    return [(-_weights(1), REG)]  # a negative sum tells sum(W) and |sum(W)| apart


@catalogue(
    "l1_penalty",
    inputs=_l1_cases,
    right=lambda W, reg: ref.l1_penalty(W, reg)[0],
    compare=_number_close,
)
def _l1_penalty_mistakes(W, reg):
    absolute = float(np.sum(np.abs(W)))
    squares = float(np.sum(W**2))
    return [
        (
            0.5 * reg * absolute,
            _(
                "Your penalty is halved. The 1/2 belongs to the L2 penalty (where "
                "it cancels the 2 of the square); the L1 penalty is "
                "reg * sum(|W|)."
            ),
        ),
        (
            AnyOf(*(k * squares for k in (0.5 * reg, reg))),
            _(
                "Your penalty sums the squares W**2: that is the L2 penalty. L1 sums "
                "the absolute values: reg * np.sum(np.abs(W))."
            ),
        ),
        (
            AnyOf(*(k * float(np.sum(W)) for k in (0.5 * reg, reg, 1.0))),
            _(
                "Your penalty sums W itself, so negative weights cancel positive ones "
                "(and the penalty can be negative). Sum the absolute values: reg * "
                "np.sum(np.abs(W))."
            ),
        ),
        (
            AnyOf(*(k * abs(float(np.sum(W))) for k in (0.5 * reg, reg))),
            _(
                "You took the absolute value of the sum; take the absolute value of "
                "each weight first, then sum: np.sum(np.abs(W))."
            ),
        ),
        (
            AnyOf(absolute, 0.5 * absolute),
            _(
                "Your penalty does not depend on reg: multiply by the "
                "regularization strength, reg * np.sum(np.abs(W))."
            ),
        ),
        (
            AnyOf(*(k * absolute / W.size for k in (0.5 * reg, reg))),
            _(
                "Your penalty is a mean over the weights; it is a sum: reg * "
                "np.sum(np.abs(W))."
            ),
        ),
        (
            reg * np.sqrt(squares),
            _(
                "Your penalty is reg times the L2 norm sqrt(sum(W**2)); the L1 "
                "norm sums the absolute values: reg * np.sum(np.abs(W))."
            ),
        ),
        (
            AnyOf(reg * float(np.max(np.abs(W))), float(np.max(np.abs(W)))),
            _(
                "Your penalty is the largest |w| (np.max); the L1 penalty sums the "
                "absolute values of all weights: reg * np.sum(np.abs(W))."
            ),
        ),
    ]


@catalogue(
    "l1_penalty", inputs=_l1_cases, right=lambda W, reg: ref.l1_penalty(W, reg)[1]
)
def _l1_gradient_mistakes(W, reg):
    """Wrong gradients on weights that are all nonzero."""
    return [
        (
            AnyOf(*(k * W for k in (reg, 2 * reg, 1.0))),
            _(
                "Your gradient is proportional to W, which is the L2 gradient. The "
                "derivative of reg * |w| is reg * sign(w): the same size for every "
                "nonzero weight (np.sign)."
            ),
        ),
        (
            np.sign(W),
            _("Your gradient does not depend on reg: it is reg * np.sign(W)."),
        ),
        (
            0.5 * reg * np.sign(W),
            _("Your gradient is halved: the derivative of reg * |w| is reg * sign(w)."),
        ),
        (
            -reg * np.sign(W),
            _(
                "Your gradient has the wrong sign: |w| grows as w moves away from 0, "
                "so its derivative is +1 for positive and -1 for negative weights: "
                "reg * np.sign(W)."
            ),
        ),
        (
            AnyOf(np.full(W.shape, reg), reg * np.abs(W)),
            _(
                "Your gradient ignores the sign of the weights. The slope of |w| is -1 "
                "for negative weights and +1 for positive ones: reg * np.sign(W)."
            ),
        ),
    ]


@exercise("l1_penalty", reference=ref.l1_penalty, chapter=3)
def check_l1_penalty(call):
    W, reg = _l1_cases()[0]
    penalty, dW = _penalty_and_gradient(call, W, reg, "l1_penalty")
    absolute = float(np.sum(np.abs(W)))
    _l1_penalty_mistakes.match(penalty, W, reg)
    _l1_gradient_mistakes.match(dW, W, reg)
    mistake(
        dW.dtype.kind in "iub",
        _(
            "Your dW has dtype {dtype}: converting to integers truncates reg * sign(W) "
            "(reg = {reg}) to 0. Keep it float: reg * np.sign(W).",
            dtype=dW.dtype,
            reg=reg,
        ),
    )
    if not np.isclose(penalty, reg * absolute):
        differs(
            _(
                "For this W, reg * sum(|W|) = {expected}, you returned {got}.",
                expected=f"{reg * absolute:.4f}",
                got=f"{penalty:.4f}",
            )
        )
    if not close(dW, reg * np.sign(W)):
        differs(
            _(
                "Your penalty is right but dW differs from reg * sign(W) on weights "
                "that are all nonzero."
            )
        )
    # --- weights that are exactly zero: |w| has no slope there, so a subgradient is
    # chosen ---
    Wz = _weights(2, zeros=True)
    zero = Wz == 0
    pz, gz = _pair(call.call(Wz, reg, allow_warnings=True), "l1_penalty")
    gz = np.asarray(gz, dtype=float)
    if gz.shape == Wz.shape and np.any(~np.isfinite(gz[zero])):
        fail(
            _(
                "Your gradient is NaN where a weight is exactly 0: W / |W| divides 0 "
                "by 0 there. Use np.sign(W), which is 0 at 0."
            )
        )
    _penalty_number(pz, "l1_penalty")
    gz = expect_array(gz, shape=Wz.shape, what=_("Your gradient dW"))
    mistake(
        np.allclose(gz[zero], reg) or np.allclose(gz[zero], -reg),
        _(
            "Your gradient is ±reg where a weight is exactly 0 (a comparison like W >= "
            "0 or W > 0 puts 0 on one side). |w| has no slope at 0; this course uses "
            "the subgradient 0 there, which np.sign gives: a zero weight is not pushed "
            "either way."
        ),
    )
    if not close(gz, reg * np.sign(Wz)):
        fail(
            _(
                "With some weights exactly 0, dW should be reg * np.sign(W): 0 at the "
                "zero weights."
            )
        )
    if not np.isclose(float(pz), reg * np.sum(np.abs(Wz))):
        fail(_("Your penalty is wrong when some weights are exactly 0."))
    for w in (W1_EXAMPLE, W2_EXAMPLE):
        p = _pair(call(w, 1.0), "l1_penalty")[0]
        if not np.isclose(_penalty_number(p, "l1_penalty"), 1.0):
            fail(
                _(
                    "On the chapter's example w = {w} with reg = 1 the L1 penalty is "
                    "1.0 (L1 does not prefer spread-out weights); you returned {got}.",
                    w=w.tolist(),
                    got=f"{float(p):.4g}",
                )
            )


def _spy_loss(log, inner):
    """A data loss that records how it was called, and computes ``inner`` when it
    can."""

    def data_loss(scores, y):
        log.append((np.array(scores, dtype=float, copy=True), np.array(y, copy=True)))
        scores, y = np.asarray(scores), np.asarray(y)
        if (
            scores.ndim == 2
            and y.ndim == 1
            and y.dtype.kind in "iu"
            and scores.shape[0] == y.shape[0]
            and y.size
            and y.max() < scores.shape[1]
        ):
            return inner(scores.astype(float), y)
        return 0.0

    return data_loss


def _loss_case(seed, N=6, D=5, C=3):
    rng = np.random.default_rng(seed)
    X = np.hstack(
        [rng.standard_normal((N, D - 1)), np.ones((N, 1))]
    )  # bias column last
    return X, rng.integers(0, C, size=N), _weights(seed + 10, shape=(D, C))


@catalogue(
    "regularized_loss",
    inputs=lambda: [_loss_case(0) + (REG,)],
    compare=_number_close,
    right=lambda X, y, W, reg: ref.regularized_loss(
        W, X, y, reg, ch2.cross_entropy_loss
    ),
)
def _total_loss_mistakes(X, y, W, reg):
    data = ch2.cross_entropy_loss(X @ W, y)
    squares = float(np.sum(W**2))
    penalty = 0.5 * reg * squares
    N = len(y)
    return [
        (
            data,
            _(
                "Your total is only the data loss: add the L2 penalty 0.5 * reg * "
                "sum(W**2)."
            ),
        ),
        (
            penalty,
            _(
                "Your total is only the penalty: add the data loss, data_loss(X @ W, "
                "y)."
            ),
        ),
        (
            data + reg * squares,
            _(
                "Your penalty is twice too large: it is 0.5 * reg * sum(W**2), with "
                "the 1/2."
            ),
        ),
        (
            AnyOf(data + 0.5 * squares, data + squares),
            _(
                "Your penalty does not depend on reg: multiply it by the "
                "regularization strength."
            ),
        ),
        (
            AnyOf(
                data + reg * penalty, reg * (data + penalty), data + reg * reg * squares
            ),
            _(
                "You applied reg twice (or to the data loss as well). reg scales the "
                "penalty exactly once: data_loss(X @ W, y) + 0.5 * reg * sum(W**2)."
            ),
        ),
        (
            data - penalty,
            _(
                "You subtracted the penalty; regularization adds it: large weights "
                "must cost more."
            ),
        ),
        (
            AnyOf(*(data + k * float(np.sum(np.abs(W))) for k in (reg, 0.5 * reg))),
            _("You added an L1 penalty; this exercise uses L2: 0.5 * reg * sum(W**2)."),
        ),
        (
            AnyOf(*(data + 0.5 * reg * float(np.sum(V**2)) for V in (W[:-1], W[1:]))),
            _(
                "You left the bias row of W out of the penalty. Usually biases are not "
                "regularized, but in this exercise X already carries the bias column "
                "and the penalty covers all of W: 0.5 * reg * np.sum(W**2)."
            ),
        ),
        (
            data / N + penalty,
            _(
                "You divided the data loss by N, but data_loss already returns the "
                "mean over the examples (averaged twice): add it as it is."
            ),
        ),
        (
            data * N + penalty,
            _(
                "You multiplied the data loss by N (a sum over the examples); "
                "data_loss returns the mean, and the total is data_loss(X @ W, y) + "
                "penalty."
            ),
        ),
        (
            data + penalty / N,
            _(
                "You divided the penalty by N. The penalty depends on the weights "
                "only, not on the number of examples: 0.5 * reg * sum(W**2)."
            ),
        ),
        (
            AnyOf(
                data + 0.5 * reg * float(np.sum(reg * W)), data + float(np.sum(reg * W))
            ),
            _(
                "You added the gradient reg * W (summed) instead of the penalty: "
                "l2_penalty returns (penalty, dW); add its first output, 0.5 * reg * "
                "sum(W**2)."
            ),
        ),
    ]


@exercise("regularized_loss", reference=ref.regularized_loss, chapter=3)
def check_regularized_loss(call):
    X, y, W = _loss_case(0)
    reg = REG
    log = []
    out = call(W, X, y, reg, _spy_loss(log, ch2.cross_entropy_loss))
    if isinstance(out, tuple):
        fail(
            _(
                "Return a single number, the total loss (data loss + penalty), not a "
                "tuple. If you used l2_penalty, keep only its first output: `penalty, "
                "_ = l2_penalty(W, reg)`."
            )
        )
    if not log:
        fail(
            _(
                "Your function never calls `data_loss`. Compute the scores X @ W and "
                "pass them to the data_loss function you are given: data_loss(scores, "
                "y)."
            )
        )
    first, second = log[0]
    if first.ndim == 1 and second.ndim == 2:
        fail(
            _(
                "You called data_loss(y, scores): the arguments are the other way "
                "round, data_loss(scores, y)."
            )
        )
    if first.shape != (X.shape[0], W.shape[1]):
        if first.shape == X.shape and np.allclose(first, X):
            fail(_("You passed X to data_loss; pass the class scores X @ W."))
        fail(
            _(
                "data_loss received scores of shape {got}; the scores X @ W have shape "
                "{expected} (N, C).",
                got=first.shape,
                expected=(X.shape[0], W.shape[1]),
            )
        )
    if not close(first, X @ W):
        fail(
            _(
                "The scores you passed to data_loss differ from X @ W (X already "
                "carries the bias column, so there is no separate b)."
            )
        )
    if not np.array_equal(second, y):
        fail(
            _(
                "Pass the labels y unchanged as the second argument: data_loss(scores, "
                "y)."
            )
        )
    total = expect_number(out, what=_("Your total loss"))
    _total_loss_mistakes.match(total, X, y, W, reg)
    data = ch2.cross_entropy_loss(X @ W, y)
    if not np.isclose(total, data + 0.5 * reg * float(np.sum(W**2))):
        differs(
            _(
                "The total loss should be data_loss(X @ W, y) + 0.5 * reg * sum(W**2) "
                "= {expected}; you returned {got}.",
                expected=f"{data + 0.5 * reg * float(np.sum(W**2)):.4f}",
                got=f"{total:.4f}",
            )
        )
    # Another data loss, another case, and reg = 0.
    X2, y2, W2 = _loss_case(3, N=8, D=4, C=4)
    for reg2 in (0.0, 2.5):
        out2 = expect_number(
            call(W2, X2, y2, reg2, ch2.svm_loss_vectorized), what=_("Your total loss")
        )
        expected = ref.regularized_loss(W2, X2, y2, reg2, ch2.svm_loss_vectorized)
        if not np.isclose(out2, expected):
            fail(
                _(
                    "With the hinge loss as data_loss and reg = {reg} the total should "
                    "be {expected}; you returned {got}. Use whichever data_loss is "
                    "passed in.",
                    reg=reg2,
                    expected=f"{expected:.4f}",
                    got=f"{out2:.4f}",
                )
            )


def _kind(value):
    if isinstance(value, str):
        return _("the string {text}", text=repr(value))
    return _("a {type}", type=type(value).__name__)


def _describe_choice(results, out):
    """The learner's answer as a λ key, or fail with what was returned instead."""
    values = list(results.values())
    if (
        isinstance(out, tuple)
        and len(out) == 2
        and tuple(out) in [tuple(v) for v in values]
    ):
        fail(
            _(
                "You returned the (train_acc, val_acc) pair; return its key, the λ "
                "itself."
            )
        )
    if (
        isinstance(out, tuple)
        and len(out) == 2
        and any(np.isclose(out[0], k) for k in results)
    ):
        fail(
            _(
                "You returned a (λ, accuracies) pair, such as an item of "
                "results.items(); return only the λ."
            )
        )
    if out is None:
        fail(_("Your function returned None. Did you forget a `return` statement?"))
    if isinstance(out, (list, tuple, dict, np.ndarray)) and np.ndim(out) > 0:
        fail(_("Return one λ (a key of results), not {type}.", type=type(out).__name__))
    if isinstance(out, (bool, np.bool_)) or not isinstance(
        out, (int, float, np.number)
    ):
        fail(
            _(
                "Return one λ, a key of results (a number); you returned {what}.",
                what=_kind(out),
            )
        )
    value = float(out)
    keys = list(results)
    matches = [k for k in keys if np.isclose(value, k, rtol=1e-9, atol=0)]
    if matches:
        return matches[0]
    if any(np.isclose(value, v[1]) for v in values) or any(
        np.isclose(value, v[0]) for v in values
    ):
        fail(
            _(
                "You returned an accuracy; return the λ (the key of results) that "
                "achieves it."
            )
        )
    truncated = [k for k in keys if float(int(k)) != k and int(k) == value]
    if float(value).is_integer() and truncated:
        fail(
            _(
                "You returned {value}, a λ cut to a whole number (int(0.01) is 0): do "
                "not convert λ with int() or round it; return the key as it is.",
                value=repr(value),
            )
        )
    if float(value).is_integer() and 0 <= value < len(keys):
        fail(
            _(
                "You returned a position in the list of λ values; return the λ itself "
                "(the key)."
            )
        )
    fail(
        _(
            "You returned {value}, which is not one of the λ values in results.",
            value=repr(value),
        )
    )


@exercise("select_reg_strength", reference=ref.select_reg_strength, chapter=3)
def check_select_reg_strength(call):
    # A typical search: training accuracy falls as λ grows; validation peaks in the
    # middle.
    results = {
        1e-4: (0.99, 0.86),
        1e-3: (0.995, 0.90),
        1e-2: (0.97, 0.95),
        1e-1: (0.93, 0.93),
        1.0: (0.85, 0.84),
        10.0: (0.61, 0.60),
    }
    chosen = _describe_choice(results, call(results))
    mistake(
        chosen == 1e-3,
        _(
            "You chose the λ with the best *training* accuracy. Training accuracy "
            "favours the weakest regularization (the model that memorizes best); "
            "choose by validation accuracy (the second number of each pair)."
        ),
    )
    mistake(
        chosen == 1e-4,
        _(
            "You returned the smallest λ. Look at the accuracies: return the λ whose "
            "validation accuracy is highest."
        ),
    )
    if chosen == 10.0:
        # The largest λ also has the worst validation accuracy here; a second case tells
        # which.
        other = {0.001: (0.80, 0.70), 0.01: (0.95, 0.90), 0.1: (0.90, 0.85)}
        worst = _describe_choice(other, call(other)) == 0.001
        mistake(
            worst,
            _(
                "You chose the λ with the *lowest* validation accuracy: use max, not "
                "min."
            ),
        )
        fail(
            _(
                "You returned the largest λ. Ties go to the larger λ, but only among "
                "the λ values with the best validation accuracy: find the best "
                "validation accuracy first."
            )
        )
    mistake(
        chosen == 1e-1,
        _(
            "You chose the λ with the smallest gap between training and validation "
            "accuracy. A small gap alone is not the goal (a useless model has no gap); "
            "choose the best validation accuracy."
        ),
    )
    if chosen != 1e-2:
        fail(
            _(
                "The best validation accuracy (0.95) is at λ = 0.01; you chose λ = "
                "{chosen}.",
                chosen=f"{chosen:g}",
            )
        )
    # The dictionary order must not matter, and ties go to the larger λ (the simpler
    # model).
    tied = {0.0: (0.99, 0.90), 0.01: (0.97, 0.94), 0.1: (0.95, 0.94), 1.0: (0.80, 0.79)}
    for mapping in (tied, dict(reversed(list(tied.items())))):
        chosen = _describe_choice(mapping, call(mapping))
        mistake(
            chosen == 0.01,
            _(
                "Two λ values tie for the best validation accuracy and you chose the "
                "smaller one. On a tie, prefer the larger λ: the more strongly "
                "regularized, simpler model."
            ),
        )
        if chosen != 0.1:
            fail(
                _(
                    "For {results} the answer is λ = 0.1 (best validation accuracy, "
                    "tie broken towards the larger λ); you chose {chosen}.",
                    results=mapping,
                    chosen=f"{chosen:g}",
                )
            )
    # Keys in any order, including a single entry.
    single = {3.0: (0.5, 0.4)}
    if _describe_choice(single, call(single)) != 3.0:
        fail(_("With a single λ in results, return that λ."))
    shuffled = {
        0.5: (0.90, 0.88),
        5e-3: (0.98, 0.86),
        50.0: (0.4, 0.41),
        0.05: (0.95, 0.91),
    }
    chosen = _describe_choice(shuffled, call(shuffled))
    if chosen != 0.05:
        fail(
            _(
                "For {results} the best validation accuracy is at λ = 0.05; you chose "
                "{chosen}. Do not rely on the order of the keys.",
                results=shuffled,
                chosen=f"{chosen:g}",
            )
        )
