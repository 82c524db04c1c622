"""Checks for chapter 4: gradient descent (numerical gradients, linear losses, update
rules, SGD)."""

import copy

import numpy as np

from .. import gradient_check
from ..reference import linear_classifier as ref
from ..reference import losses as ref_losses
from ..reference import optim as ref_optim
from .ch02_losses import loss_from_rounded_probabilities, rounded_probability_hint
from .core import (
    AnyOf,
    CheckFailed,
    catalogue,
    close,
    differs,
    exercise,
    expect_array,
    expect_number,
    expect_values,
    fail,
    is_single_number,
    mistake,
)
from ..i18n import _
from .numpy_errors import explains_numpy_errors, loops_in


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# numerical_gradient
# --------------------------------------------------------------------------------------


def _bumpy(x):
    """The test function: separable cubic + sine, plus a coupling term; works on any
    shape."""
    flat = x.ravel()
    return float(np.sum(x**3) / 3 + np.sum(np.sin(2 * x)) + flat[0] * flat[-1])


def _one_sided(f, x, h, forward=True):
    grad = np.zeros_like(x)
    fx = f(x)
    for ix in np.ndindex(x.shape):
        y = x.copy()
        y[ix] += h if forward else -h
        grad[ix] = (f(y) - fx) / h if forward else (fx - f(y)) / h
    return grad


def _centered(f, x, h):
    return gradient_check.eval_numerical_gradient(f, x.copy(), h)


def _numerical_gradient_cases():
    x = np.random.default_rng(40).uniform(-1.5, 1.5, size=(3, 4))
    return [(_bumpy, x, 1e-3)]


@catalogue(
    "numerical_gradient",
    inputs=_numerical_gradient_cases,
    right=lambda f, x, h: _centered(f, x, h),
)
def _gradient_mistakes(f, x, h):
    good = _centered(f, x, h)
    fwd, bwd = _one_sided(f, x, h), _one_sided(f, x, h, forward=False)
    return [
        (
            2 * good,
            _(
                "Your gradient is twice as large as it should be: the two points x + h "
                "and x - h are 2h apart, so divide by 2*h, not h."
            ),
        ),
        (
            -good,
            _(
                "Your gradient has the wrong sign: the centered difference is (f(x + "
                "h) - f(x - h)) / (2h), with f(x + h) first."
            ),
        ),
        (
            AnyOf(fwd, bwd),
            _(
                "You used a one-sided difference, (f(x + h) - f(x)) / h. Its error "
                "shrinks only like h; the centered difference (f(x + h) - f(x - h)) "
                "/ (2h) is accurate to h**2."
            ),
        ),
        (
            AnyOf(fwd / 2, bwd / 2),
            _(
                "You combined a one-sided difference, f(x + h) - f(x), with "
                "the 2h of the centered formula. Evaluate f at both x + h "
                "and x - h: (f(x + h) - f(x - h)) / (2h)."
            ),
        ),
        (
            np.zeros_like(x),
            _(
                "Your gradient is all zeros: no entry was filled in. Assign each "
                "partial derivative into the array you return, `grad[ix] = (f_plus "
                "- f_minus) / (2 * h)`, inside the loop."
            ),
        ),
    ]


@exercise(
    "numerical_gradient", reference=gradient_check.eval_numerical_gradient, chapter=4
)
@explains_numpy_errors
def check_numerical_gradient(call):
    rng = np.random.default_rng(40)
    x = rng.uniform(-1.5, 1.5, size=(3, 4))
    h = 1e-3  # large enough that the O(h) and O(h^2) errors are far apart

    # Before the Probe's generic "changed its input" message: was x left shifted by h,
    # or only in its last digits (adding and subtracting h does not give back the same
    # float)?
    probe_x = x.copy()
    if call.quietly(_bumpy, probe_x, h=h).finished:
        if not np.array_equal(probe_x, x) and probe_x.shape == x.shape:
            if np.allclose(probe_x, x, rtol=0, atol=1e-12):
                fail(
                    _(
                        "Your function changes x in its last digits: x + h - h is not "
                        "always exactly x in floating point. Save the entry first "
                        "(`old = x[ix]`) and restore it with `x[ix] = old` after the "
                        "two evaluations."
                    )
                )
            fail(
                _(
                    "Your function leaves x changed: after evaluating f at x + h and x "
                    "- h, put the original value back (`x[ix] = old`) before moving to "
                    "the next entry. Otherwise later entries are measured at the wrong "
                    "point, and the caller's array is silently corrupted."
                )
            )

    out = call(_bumpy, x.copy(), h=h)
    if is_single_number(out):
        fail(
            _(
                "You returned a single number. The gradient has one partial derivative "
                "per entry of x: an array shaped like x."
            )
        )
    out = expect_array(out, what=_("Your gradient"))
    if out.shape != x.shape and out.size == x.size:
        fail(
            _(
                "Your gradient has shape {got} but x has shape {expected}. Return it "
                "in x's shape: fill `np.zeros_like(x)` entry by entry (np.nditer or "
                "np.ndindex(x.shape)).",
                got=out.shape,
                expected=x.shape,
            )
        )
    expect_array(out, shape=x.shape, what=_("Your gradient"))
    _gradient_mistakes.match(out, _bumpy, x, h)
    good = _centered(_bumpy, x, h)
    mistake(
        np.allclose(out, out.flat[0])
        and np.isclose(out.flat[0], good.sum(), rtol=1e-4),
        _(
            "Every entry of your gradient is the same number: you moved all entries of "
            "x by h at once. Perturb one entry at a time, so that entry i measures "
            "df/dx_i alone."
        ),
    )
    mistake(
        close(out, _centered(_bumpy, x, 1e-5), rtol=1e-9)
        and not close(out, good, rtol=1e-9),
        _(
            "Your function ignores its argument h (it seems to always use 1e-5). Use "
            "the h it is given."
        ),
    )
    if not close(out, good, rtol=1e-7):
        differs(
            _(
                "Your gradient differs from the centered difference (f(x + h) - f(x - "
                "h)) / (2h) taken one entry at a time. Check that every entry is "
                "perturbed and measured."
            )
        )
    # The default step, on a 1-D input of another length.
    v = rng.uniform(-1, 1, size=5)
    out = expect_array(call(_bumpy, v.copy()), shape=v.shape, what=_("Your gradient"))
    if not close(out, _centered(_bumpy, v, 1e-5), rtol=1e-6, atol=1e-7):
        fail(
            _(
                "With the default h your gradient differs from the centered "
                "difference. Is the default h=1e-5?"
            )
        )
    exact = v**2 + 2 * np.cos(2 * v)
    exact[0] += v[-1]
    exact[-1] += v[0]
    if gradient_check.rel_error(out, exact) > 1e-7:
        fail(
            _(
                "Your gradient is not within 1e-7 (relative) of the exact derivative "
                "of a smooth test function."
            )
        )


# --------------------------------------------------------------------------------------
# linear_svm_loss and linear_softmax_loss
# --------------------------------------------------------------------------------------


def _linear_case(seed, N=8, D=5, C=4, scale=1.0):
    rng = np.random.default_rng(seed)
    X = scale * rng.standard_normal((N, D))
    W = rng.standard_normal((D, C))
    y = rng.integers(0, C, size=N)
    return W, X, y


def _svm_parts(
    W,
    X,
    y,
    delta=1.0,
    correct_grad="count",
    skip_last_class=False,
    skip_last_example=False,
):
    """Data loss and data gradient of the hinge loss, with some classic variants: how
    the correct class's column is filled (``correct_grad``), and loops that stop one
    short."""
    N = X.shape[0]
    rows = np.arange(N)
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + delta)
    margins[rows, y] = 0.0
    if skip_last_class:  # for j in range(C - 1)
        margins[:, -1] = 0.0
    if skip_last_example:  # for i in range(N - 1), still divided by N
        margins[-1] = 0.0
    positive = (margins > 0).astype(float)
    if (
        correct_grad == "all"
    ):  # (margins >= 0): every class counts, margins are never negative
        positive = np.ones_like(margins)
        positive[rows, y] = -float(margins.shape[1])
    elif correct_grad == "all_but_one":
        positive = np.ones_like(margins)
        positive[rows, y] = -float(margins.shape[1] - 1)
    elif (
        correct_grad == "plus_self"
    ):  # the correct class's own margin (delta) left in the count
        positive[rows, y] = -(positive.sum(axis=1) + 1)
    elif correct_grad == "count":
        positive[rows, y] = -positive.sum(axis=1)
    elif correct_grad == "one":
        positive[rows, y] = -(positive.sum(axis=1) > 0).astype(float)
    elif correct_grad == "minus_one":
        positive[rows, y] = -1.0
    elif correct_grad == "none":
        positive[rows, y] = 0.0
    return margins.sum() / N, X.T @ positive / N


def _softmax_parts(W, X, y, correct_grad="right"):
    """Data loss and gradient of the cross-entropy; ``correct_grad`` names a classic
    variant of the subtraction at the correct class."""
    N = X.shape[0]
    loss, dscores = ref_losses.softmax_loss(X @ W, y)
    dscores = dscores.copy()
    if correct_grad == "none":  # p alone
        dscores[np.arange(N), y] += 1.0 / N
    elif correct_grad == "columns":  # dS[:, y] -= 1: whole columns
        dscores[np.arange(N), y] += 1.0 / N
        dscores[:, y] -= 1.0 / N
    elif correct_grad == "every":  # p - 1 everywhere
        dscores[np.arange(N), y] += 1.0 / N
        dscores -= 1.0 / N
    return loss, X.T @ dscores


def _plus(wrong, term):
    """A wrong value (or each of an AnyOf's values) plus ``term``."""
    if isinstance(wrong, AnyOf):
        return AnyOf(*(v + term for v in wrong.values))
    return wrong + term


def _loss_mistakes(data, W, reg, N, kind, data_variants):
    """(wrong loss, hint) pairs: the penalty and averaging mistakes, then
    ``data_variants`` (wrong data losses, each plus the right penalty)."""
    penalty = 0.5 * reg * float(np.sum(W * W))
    kind = {"hinge": _("hinge"), "cross-entropy": _("cross-entropy")}[kind]
    return [
        (
            data + 2 * penalty,
            _(
                "Your penalty is reg * sum(W**2). The course's L2 penalty has a "
                "1/2 in front, 0.5 * reg * sum(W**2), so that its gradient is "
                "simply reg * W."
            ),
        ),
        (
            data,
            _(
                "Your loss leaves out the regularization penalty: add 0.5 * reg * "
                "sum(W**2)."
            ),
        ),
        (
            AnyOf(data * N + penalty, (data + penalty) * N),
            _(
                "Your {kind} loss is summed over the examples; the data loss is the "
                "mean over the N examples (divide by N).",
                kind=kind,
            ),
        ),
        (
            data / N + penalty,
            _(
                "Your {kind} data loss is divided by N twice (for instance a "
                "mean over the examples and then / N again). Average over the N "
                "examples exactly once.",
                kind=kind,
            ),
        ),
    ] + [(_plus(wrong, penalty), hint) for wrong, hint in data_variants]


def _gradient_mistakes_of(data_grad, W, reg, N, extra):
    """(wrong dW, hint) pairs for dW = data_grad + reg * W: the penalty's gradient, the
    sign, the averaging, then ``extra`` (wrong data gradients, each plus the right reg *
    W)."""
    rW = reg * W
    unaveraged = [
        factor * data_grad + r
        for factor in (N, 1.0 / N)
        for r in (rW, factor * rW, 0 * rW, 2 * rW)
    ]
    return [
        (
            data_grad,
            _(
                "Your dW leaves out the gradient of the regularization penalty: add "
                "reg * W."
            ),
        ),
        (
            data_grad + 2 * rW,
            _(
                "The gradient of 0.5 * reg * sum(W**2) is reg * W; your dW adds 2 "
                "* reg * W."
            ),
        ),
        (
            data_grad + 0.5 * rW,
            _(
                "Your dW adds 0.5 * reg * W: you copied the 1/2 of the penalty "
                "into its gradient. The derivative of 0.5 * reg * sum(W**2) is "
                "reg * W (the 2 of the square cancels the 1/2)."
            ),
        ),
        (
            AnyOf(-data_grad - rW, -data_grad + rW, data_grad - rW),
            _(
                "Your dW has a sign error: it points downhill. The gradient points in "
                "the direction in which the loss grows; the optimizer is the one that "
                "subtracts it."
            ),
        ),
        (
            AnyOf(*unaveraged),
            _(
                "Your dW is not averaged over the batch: like the loss, the data "
                "part of the gradient is a mean over the N examples, so divide "
                "the sum by N exactly once."
            ),
        ),
    ] + [(_plus(wrong, rW), hint) for wrong, hint in extra]


def _linear_loss_cases():
    W, X, y = _linear_case(41)
    return [(W, X, y, 0.3)]


def _check_linear_loss(call, name, loss_catalogue, gradient_catalogue, large_case_hint):
    W, X, y, reg = _linear_loss_cases()[0]
    out = expect_values(call(W, X, y, reg), name, "loss, dW")
    loss = expect_number(out[0], what=_("Your loss"))
    dW = expect_array(out[1], what=_("Your dW"))
    loss_catalogue.match(loss, W, X, y, reg)
    kind = "hinge" if name == "linear_svm_loss" else "cross-entropy"
    ref_loss, ref_dW = getattr(ref, name)(W, X, y, reg)
    if not np.isclose(loss, ref_loss, rtol=1e-7):
        kind_name = _("hinge") if kind == "hinge" else _("cross-entropy")
        differs(
            _(
                "Your loss is {loss}; expected {expected} (mean {kind} loss "
                "+ 0.5 * reg * sum(W**2)).",
                loss=f"{loss:.6g}",
                expected=f"{ref_loss:.6g}",
                kind=kind_name,
            )
        )
    if dW.shape == W.T.shape and W.shape != W.T.shape:
        fail(
            _(
                "Your dW has shape {got} but W has shape {expected}. dW must be shaped "
                "like W; the data part is X.T @ dscores, a (D, C) array.",
                got=dW.shape,
                expected=W.shape,
            )
        )
    expect_array(dW, shape=W.shape, what=_("Your dW"))
    gradient_catalogue.match(dW, W, X, y, reg)
    if not close(dW, ref_dW, rtol=1e-6, atol=1e-9):
        numeric = gradient_check.eval_numerical_gradient(
            lambda w: getattr(ref, name)(w, X, y, reg)[0], W.copy()
        )
        fail(
            _(
                "Your loss is right but dW is not its gradient: the largest relative "
                "error against the numerical gradient is {error}.",
                error=f"{gradient_check.rel_error(dW, numeric):.2g}",
            )
        )
    # A second case: no regularization, another size, and a batch of one.
    for seed, n, r in ((42, 13, 0.0), (43, 1, 1.5)):
        W2, X2, y2 = _linear_case(seed, N=n, D=6, C=3)
        out2 = expect_values(call(W2, X2, y2, r), name, "loss, dW")
        loss2 = expect_number(out2[0], what=_("Your loss"))
        dW2 = expect_array(out2[1], shape=W2.shape, what=_("Your dW"))
        ref_loss2, ref_dW2 = getattr(ref, name)(W2, X2, y2, r)
        if not (
            np.isclose(loss2, ref_loss2, rtol=1e-7)
            and close(dW2, ref_dW2, rtol=1e-6, atol=1e-9)
        ):
            fail(
                _(
                    "Your function is right on one example but wrong with N = {n} "
                    "examples and reg = {reg}. Does it use the shapes of its "
                    "arguments (not fixed numbers)?",
                    n=n,
                    reg=r,
                )
            )
    # Large inputs. First scores near 1000 but close together (exp overflows unless the
    # row maximum is subtracted), then scores hundreds apart (the correct class's
    # probability rounds to 0 unless the log-probabilities are computed with
    # log-sum-exp).
    W, X, y = _linear_case(45)
    W_near = np.vstack([W, np.ones((1, W.shape[1]))])
    X_near = np.hstack([X, np.full((X.shape[0], 1), 1000.0)])  # every score + 1000
    _large_case(call, name, W_near, X_near, y, large_case_hint)
    W3, X3, y3 = _linear_case(44, scale=300.0)
    rounded_hint = None
    if kind == "cross-entropy":
        rounded_hint = (
            loss_from_rounded_probabilities(X3 @ W3, y3),
            rounded_probability_hint(name, _("hundreds")),
        )
    _large_case(call, name, W3, X3, y3, large_case_hint, rounded_hint)


def _large_case(call, name, W, X, y, hint, rounded=None):
    """The loss on large scores: finite, right and without a warning. ``rounded`` is
    ``(loss of the log-of-rounded-probabilities mistake, its hint)``, checked first."""
    out = expect_values(call.call(W, X, y, 0.1, allow_warnings=True), name, "loss, dW")
    ref_loss, ref_dW = getattr(ref, name)(W, X, y, 0.1)
    if rounded is not None:
        try:
            loss = float(out[0])
        except (TypeError, ValueError):
            loss = None
        wrong_loss, rounded_hint = rounded
        mistake(
            loss is not None
            and not np.isclose(loss, ref_loss, rtol=1e-6)
            and (
                not np.isfinite(loss)
                or np.isclose(loss, wrong_loss, rtol=1e-3)
                or loss < ref_loss
            ),
            rounded_hint,
        )
    finite = all(np.all(np.isfinite(np.asarray(v, dtype=float))) for v in out)
    mistake(not finite, hint)
    if not (
        np.isclose(float(out[0]), ref_loss, rtol=1e-6)
        and close(out[1], ref_dW, rtol=1e-6, atol=1e-6)
    ):
        fail(hint)
    call(W, X, y, 0.1)  # and without a numerical warning


@catalogue(
    "linear_svm_loss",
    inputs=_linear_loss_cases,
    right=lambda W, X, y, reg: ref.linear_svm_loss(W, X, y, reg)[0],
)
def _svm_loss_mistakes(W, X, y, reg):
    C = W.shape[1]
    data = _svm_parts(W, X, y)[0]
    return _loss_mistakes(
        data,
        W,
        reg,
        X.shape[0],
        "hinge",
        [
            (
                data + 1.0,
                _(
                    "Your hinge loss counts the correct class: each example adds "
                    "max(0, s_y - s_y + 1) = 1. Skip j == y_i (or zero those margins)."
                ),
            ),
            (
                _svm_parts(W, X, y, delta=0.0)[0],
                _(
                    "Your hinge loss uses a margin of 0; the course's "
                    "margin delta is 1: max(0, s_j - s_y + 1)."
                ),
            ),
            (
                _svm_parts(W, X, y, skip_last_class=True)[0],
                _(
                    "Your loss leaves out the last class (index C - 1 = {last}): a "
                    "loop `for j in range(C - 1)` stops one class early, since "
                    "range(C) already ends at C - 1.",
                    last=C - 1,
                ),
            ),
            (
                _svm_parts(W, X, y, skip_last_example=True)[0],
                _(
                    "Your loss leaves out the last example: a loop `for i in range(N - "
                    "1)` stops one example early, since range(N) already ends at N - "
                    "1."
                ),
            ),
        ],
    )


@catalogue(
    "linear_svm_loss",
    inputs=_linear_loss_cases,
    right=lambda W, X, y, reg: ref.linear_svm_loss(W, X, y, reg)[1],
)
def _svm_gradient_mistakes(W, X, y, reg):
    C = W.shape[1]

    def svm_grad(variant, **loops):
        return _svm_parts(W, X, y, correct_grad=variant, **loops)[1]

    return _gradient_mistakes_of(
        _svm_parts(W, X, y)[1],
        W,
        reg,
        X.shape[0],
        [
            (
                svm_grad("none"),
                _(
                    "In your dW the correct class gets no gradient. Each class j with "
                    "a positive margin pushes s_y down too: column y_i gets -x_i once "
                    "per such class."
                ),
            ),
            (
                AnyOf(svm_grad("all"), svm_grad("all_but_one")),
                _(
                    "Your dW counts every class as violating the margin: `margins >= "
                    "0` is true everywhere, since the margins are never negative after "
                    "max(0, ...). Count the positive margins only: `margins > 0`."
                ),
            ),
            (
                svm_grad("plus_self"),
                _(
                    "In your dW the correct class is counted among the classes "
                    "with a positive margin (its own margin is max(0, s_y - s_y + "
                    "1) = 1). Zero the correct classes' margins before counting "
                    "them."
                ),
            ),
            (
                svm_grad("count", skip_last_class=True),
                _(
                    "Your dW leaves out the last class (index C - 1 = {last}): a loop "
                    "`for j in range(C - 1)` stops one class early, since range(C) "
                    "already ends at C - 1.",
                    last=C - 1,
                ),
            ),
            (
                svm_grad("count", skip_last_example=True),
                _(
                    "Your dW leaves out the last example: a loop `for i in range(N - "
                    "1)` stops one example early, since range(N) already ends at N - "
                    "1."
                ),
            ),
            (
                AnyOf(svm_grad("one"), svm_grad("minus_one")),
                _(
                    "In your dW the correct class gets -x_i only once; it should get "
                    "-x_i once for every class with a positive margin (count them)."
                ),
            ),
        ],
    )


@exercise("linear_svm_loss", reference=ref.linear_svm_loss, chapter=4)
@explains_numpy_errors
def check_linear_svm_loss(call):
    _check_linear_loss(
        call,
        "linear_svm_loss",
        _svm_loss_mistakes,
        _svm_gradient_mistakes,
        _(
            "With large scores your loss or dW is wrong or not finite. The hinge "
            "loss needs no exp; check that nothing else depends on the size of the "
            "scores."
        ),
    )
    # The statement's last rule: no loops (checked last, so a loop with a mistake gets
    # the mistake named first).
    loops = loops_in(call.fn)
    if loops:
        fail(
            _(
                "Your linear_svm_loss computes the right numbers, but the exercise "
                "asks for no loops and yours has {loops}. Work on whole arrays: "
                "margins = np.maximum(0, scores - scores[np.arange(N), y][:, None] + "
                "1), then the mask (margins > 0) for dS; a Python loop over examples "
                "is hundreds of times slower on a real dataset.",
                loops=", ".join(loops[:3]),
            )
        )


@catalogue(
    "linear_softmax_loss",
    inputs=_linear_loss_cases,
    right=lambda W, X, y, reg: ref.linear_softmax_loss(W, X, y, reg)[0],
)
def _softmax_loss_mistakes(W, X, y, reg):
    data = _softmax_parts(W, X, y)[0]
    N = X.shape[0]
    short = ref_losses.softmax_loss((X @ W)[:-1], y[:-1])[0] * (N - 1) / N
    S = X @ W
    batch_p = (
        np.exp(S - S.max()) / np.exp(S - S.max()).sum()
    )  # normalized over the whole batch
    return _loss_mistakes(
        data,
        W,
        reg,
        N,
        "cross-entropy",
        [
            (
                data / np.log(10),
                _("Your cross-entropy uses log10; it uses the natural log, np.log."),
            ),
            (
                data / np.log(2),
                _("Your cross-entropy uses log2; it uses the natural log, np.log."),
            ),
            (
                -np.mean(np.log(batch_p[np.arange(N), y])),
                _(
                    "Your probabilities are normalized over the whole batch: np.sum "
                    "without an axis adds the exponentials of every example. Each row "
                    "is one example's distribution: sum over axis=1 with "
                    "keepdims=True."
                ),
            ),
            (
                short,
                _(
                    "Your loss leaves out the last example: a loop `for i in range(N - "
                    "1)` stops one example early, since range(N) already ends at N - "
                    "1."
                ),
            ),
        ],
    )


@catalogue(
    "linear_softmax_loss",
    inputs=_linear_loss_cases,
    right=lambda W, X, y, reg: ref.linear_softmax_loss(W, X, y, reg)[1],
)
def _softmax_gradient_mistakes(W, X, y, reg):
    return _gradient_mistakes_of(
        _softmax_parts(W, X, y)[1],
        W,
        reg,
        X.shape[0],
        [
            (
                _softmax_parts(W, X, y, correct_grad="none")[1],
                _(
                    "Your dW uses the probabilities p alone. The gradient of the "
                    "cross-entropy with respect to the scores is p - onehot(y): "
                    "subtract 1 at each example's correct class."
                ),
            ),
            (
                _softmax_parts(W, X, y, correct_grad="columns")[1],
                _(
                    "Your dS subtracts 1 in whole columns: `dS[:, y] -= 1` selects "
                    "every row of each column listed in y. Subtract it once per row, "
                    "at that row's label: `dS[np.arange(N), y] -= 1`."
                ),
            ),
            (
                _softmax_parts(W, X, y, correct_grad="every")[1],
                _(
                    "Your dS subtracts 1 from every entry; subtract it only at each "
                    "row's correct class: `dS[np.arange(N), y] -= 1`."
                ),
            ),
        ],
    )


@exercise("linear_softmax_loss", reference=ref.linear_softmax_loss, chapter=4)
@explains_numpy_errors
def check_linear_softmax_loss(call):
    _check_linear_loss(
        call,
        "linear_softmax_loss",
        _softmax_loss_mistakes,
        _softmax_gradient_mistakes,
        _(
            "With large scores (in the hundreds) your loss or dW overflows. "
            "Subtract each row's maximum score before np.exp: softmax does not "
            "change, and exp never sees a large number."
        ),
    )


# --------------------------------------------------------------------------------------
# Update rules
# --------------------------------------------------------------------------------------


def _fresh_problem(seed):
    """A (3, 2) starting point and three gradients, for running a rule from
    config=None."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((3, 2)), [rng.standard_normal((3, 2)) for _ in range(3)]


def _rule_probe(call):
    """A caller ``step(w, dw, config)`` -> (next_w, config as a dict) that runs the
    learner's rule through the Probe. The rule stores its state in ``config`` (that is
    the API), so the Probe lets that argument change; the check hands it a deep copy, so
    its own dicts stay as they are.
    """

    def invoke(w, dw, config, allow_warnings=False):
        given = None if config is None else copy.deepcopy(config)
        return call.call(w, dw, given, allow_warnings=allow_warnings, may_change=(2,))

    def step(w, dw, config=None):
        try:
            out = invoke(w, dw, config)
        except CheckFailed as failure:
            if (
                config is None
                and failure.kind == "raised"
                and call.quietly(w.copy(), dw.copy(), {}).finished
            ):
                fail(
                    _(
                        "`{name}(w, dw)` fails when config is None (the default), "
                        "though it works with a dict: the first call of a training "
                        "run passes no config. Keep the line `config = {{}} if config "
                        "is None else config` at the top. (What happened: {failure})",
                        name=call.name,
                        failure=failure,
                    ),
                    error=failure.error,
                )
            raise
        next_w, new_config = expect_values(out, call.name, "next_w, config")
        next_w = expect_array(next_w, shape=w.shape, what="next_w")
        if new_config is None:
            fail(
                _(
                    "The config you return is None. Return the config dict (with your "
                    "rule's state in it) so that the next call can continue: `return "
                    "next_w, config`."
                )
            )
        if not hasattr(new_config, "get"):
            fail(
                _(
                    "The config you return should be a dict, but it is {type}.",
                    type=type(new_config).__name__,
                )
            )
        return next_w, dict(new_config)

    def quiet(w, dw, config=None):
        """``step`` with numerical warnings allowed: for inputs whose right answer is
        judged by value (a 0 / 0 is then reported as the NaN it produced, with its
        cause)."""
        out = invoke(w, dw, config, allow_warnings=True)
        next_w, new_config = expect_values(out, call.name, "next_w, config")
        if not isinstance(next_w, np.ndarray) or next_w.shape != w.shape:
            next_w = expect_array(next_w, shape=w.shape, what="next_w")
        return next_w, new_config

    step.quiet = quiet
    return step


def _test_arrays():
    """The inputs of the classic cs231n tests of the update rules."""
    N, D = 4, 5
    w = np.linspace(-0.4, 0.6, num=N * D).reshape(N, D)
    dw = np.linspace(-0.6, 0.4, num=N * D).reshape(N, D)
    return w, dw


def _require_state(config, key, rule, what, given=None):
    """Fail unless ``config`` holds ``key``, changed from the ``given`` value if
    there was one."""
    if key not in config or (given is not None and close(config[key], given)):
        fail(
            _(
                "Your `{rule}` never stores {what} in config: after a step, config has "
                "no new '{key}', so every call starts again from the same state. Save "
                "it: `config['{key}'] = ...`.",
                rule=rule,
                what=what,
                key=key,
            )
        )


def _wrong_default_momentum(next_w, w, v, lr, dw):
    """Fail if ``next_w`` is a momentum step w + mu * v - lr * dw with a default mu
    other than 0.9 (mu is solved for by least squares, then the step is checked
    exactly)."""
    used = float(np.sum((next_w - w + lr * dw) * v) / np.sum(v * v))
    mistake(
        not np.isclose(used, 0.9) and close(next_w, w + used * v - lr * dw),
        _(
            "Your default momentum is {used}; the statement's default is 0.9 "
            "(config.setdefault('momentum', 0.9) when the key is missing).",
            used=f"{used:.3g}",
        ),
    )


def _first_step(rule):
    """A catalogue's ``right``: next_w of the reference ``rule`` on a copy of the
    config."""
    return lambda w, dw, config: getattr(ref_optim, rule)(w, dw, copy.deepcopy(config))[
        0
    ]


def _momentum_cases():
    w, dw = _test_arrays()
    v = np.linspace(0.6, 0.9, num=w.size).reshape(w.shape)
    return [(w, dw, {"learning_rate": 1e-3, "velocity": v})]


@catalogue("sgd_momentum", inputs=_momentum_cases, right=_first_step("sgd_momentum"))
def _momentum_mistakes(w, dw, config):
    lr, v, mu = config["learning_rate"], config["velocity"], 0.9
    return [
        (
            w - mu * v - lr * dw,
            _(
                "You flipped the velocity's sign convention. In this course the "
                "velocity is the step itself: v = momentum * v - learning_rate "
                "* dw, then w = w + v."
            ),
        ),
        (
            w - lr * dw,
            _(
                "Your step ignores the velocity: update v = momentum * v - "
                "learning_rate * dw, then move by it, w = w + v."
            ),
        ),
        (
            w + v,
            _(
                "You step with the old velocity. First update v = momentum * v - "
                "learning_rate * dw, then move by the new v."
            ),
        ),
        (
            w + v - lr * dw,
            _(
                "Your velocity does not decay: multiply the old velocity by "
                "`momentum` (v = momentum * v - learning_rate * dw)."
            ),
        ),
        (
            w - mu * v + (1 + mu) * (mu * v - lr * dw),
            _(
                "That is Nesterov momentum. This exercise is classical momentum: v = "
                "momentum * v - learning_rate * dw; w = w + v."
            ),
        ),
        (
            w + mu * v - 1e-2 * dw,
            _(
                "Your rule ignores the learning_rate in config. Read the "
                "hyperparameters from config (config.setdefault supplies the "
                "defaults only when a key is missing)."
            ),
        ),
    ]


@exercise("sgd_momentum", reference=ref_optim.sgd_momentum, chapter=4)
@explains_numpy_errors
def check_sgd_momentum(call):
    step = _rule_probe(call)
    w, dw, given = _momentum_cases()[0]
    v, lr, mu = given["velocity"], given["learning_rate"], 0.9
    next_w, config = step(w, dw, given)
    expected = w + mu * v - lr * dw
    _momentum_mistakes.match(next_w, w, dw, given)
    _wrong_default_momentum(next_w, w, v, lr, dw)
    if not close(next_w, expected):
        differs(
            _(
                "next_w differs from w + v with v = momentum * v - learning_rate * dw "
                "(on a fixed example with learning_rate=1e-3, momentum=0.9 and a given "
                "velocity)."
            )
        )
    _require_state(config, "velocity", "sgd_momentum", _("the velocity"), given=v)
    if not close(config["velocity"], mu * v - lr * dw):
        fail(
            _(
                "next_w is right, but the velocity stored in config is not the new "
                "velocity momentum * v - learning_rate * dw."
            )
        )
    # The hyperparameters come from config: another momentum than the default.
    next_w, _config = step(w, dw, {"learning_rate": lr, "momentum": 0.5, "velocity": v})
    mistake(
        close(next_w, expected),
        _(
            "Your rule ignores the momentum in config (it always uses 0.9). Read it "
            "from config; config.setdefault('momentum', 0.9) supplies 0.9 only when "
            "the key is missing."
        ),
    )
    if not close(next_w, w + 0.5 * v - lr * dw):
        fail(
            _(
                "With config['momentum'] = 0.5, next_w should be w + v with v = 0.5 * "
                "v - learning_rate * dw; yours differs."
            )
        )
    # From scratch: the defaults, then state carried over three steps.
    w0, grads = _fresh_problem(45)
    w1, config = step(w0, grads[0])
    if not close(w1, w0 - 1e-2 * grads[0]):
        fail(
            _(
                "Starting from config=None, the first step should be w - 0.01 * dw: "
                "the default learning_rate is 1e-2 and the velocity starts at zeros."
            )
        )
    mistake(
        "velocity" not in config and any(k in config for k in ("v", "vel", "m")),
        _(
            "Store the velocity under the key 'velocity' (the training loop and the "
            "next call look for that name)."
        ),
    )
    _require_state(config, "velocity", "sgd_momentum", _("the velocity"))
    w2, config = step(w1, grads[1], config)
    mistake(
        close(w2, w1 - 1e-2 * grads[1]),
        _(
            "Your second step behaves like plain SGD: the velocity from the first step "
            "is lost. Keep it in config['velocity'] and start from it on the next "
            "call."
        ),
    )
    wr, cr = ref_optim.sgd_momentum(w0, grads[0])
    wr, cr = ref_optim.sgd_momentum(wr, grads[1], cr)
    _wrong_default_momentum(
        w2, w1, w1 - w0, 1e-2, grads[1]
    )  # the first velocity is w1 - w0
    if not close(w2, wr):
        fail(
            _(
                "After two steps from config=None your weights differ from classical "
                "momentum with the defaults learning_rate=1e-2 and momentum=0.9."
            )
        )


def _adagrad_cases():
    w, dw = _test_arrays()
    cache = np.linspace(0.3, 0.6, num=w.size).reshape(w.shape)
    return [(w, dw, {"learning_rate": 1e-2, "cache": cache})]


@catalogue("adagrad", inputs=_adagrad_cases, right=_first_step("adagrad"))
def _adagrad_mistakes(w, dw, config):
    lr, cache, eps = config["learning_rate"], config["cache"], 1e-8
    summed = cache + dw * dw
    rms = 0.99 * cache + 0.01 * dw * dw
    return [
        (
            w - lr * dw / (np.abs(dw) + eps),
            _(
                "Your cache is not accumulated: Adagrad adds the "
                "squared gradient to the running sum, cache = cache "
                "+ dw**2, instead of replacing it with dw**2."
            ),
        ),
        (
            w + lr * dw / (np.sqrt(summed) + eps),
            _(
                "Your step goes up the gradient: Adagrad moves "
                "w by minus learning_rate * dw / (sqrt(cache) "
                "+ epsilon)."
            ),
        ),
        (
            w - lr * dw / (summed + eps),
            _(
                "You divide by the cache itself; divide by its square "
                "root, sqrt(cache) + epsilon."
            ),
        ),
        (
            w - lr * dw / (np.sqrt(cache) + eps),
            _(
                "You divide by the old cache. Add dw**2 to the "
                "cache first, then divide by sqrt(cache) + "
                "epsilon."
            ),
        ),
        (
            w - lr * dw / (np.sqrt(rms) + eps),
            _(
                "That is RMSProp (a decaying average). Adagrad "
                "keeps the plain sum: cache = cache + dw**2."
            ),
        ),
        (
            AnyOf(
                w - 1e-3 * dw / (np.sqrt(summed) + eps),
                w - 1e-1 * dw / (np.sqrt(summed) + eps),
            ),
            _("Your rule ignores the learning_rate in config. Read it from config."),
        ),
    ]


@exercise("adagrad", reference=ref_optim.adagrad, chapter=4)
@explains_numpy_errors
def check_adagrad(call):
    step = _rule_probe(call)
    w, dw, given = _adagrad_cases()[0]
    cache, lr, eps = given["cache"], given["learning_rate"], 1e-8
    next_w, config = step(w, dw, given)
    summed = cache + dw * dw
    expected = w - lr * dw / (np.sqrt(summed) + eps)
    _adagrad_mistakes.match(next_w, w, dw, given)
    # epsilon inside the square root is a common, harmless variant: the tolerance
    # accepts it.
    if not close(next_w, expected, rtol=1e-6):
        differs(
            _(
                "next_w differs from w - learning_rate * dw / (sqrt(cache) + epsilon) "
                "with cache = cache + dw**2 (on a fixed example with a given cache)."
            )
        )
    _require_state(
        config, "cache", "adagrad", _("the accumulated squared gradient"), given=cache
    )
    if not close(config["cache"], summed):
        fail(_("next_w is right, but config['cache'] should now hold cache + dw**2."))
    rng = np.random.default_rng(46)
    w0 = rng.standard_normal((3, 2))
    grads = [rng.standard_normal((3, 2)) for _ in range(3)]
    w1, config = step(w0, grads[0])
    mistake(
        close(w1, w0 - 1e-3 * np.sign(grads[0]), rtol=1e-5),
        _("Your default learning_rate is 1e-3; Adagrad's default here is 1e-2."),
    )
    if not close(w1, w0 - 1e-2 * grads[0] / (np.abs(grads[0]) + 1e-8), rtol=1e-6):
        fail(
            _(
                "Starting from config=None the first step should use the defaults "
                "learning_rate=1e-2, epsilon=1e-8 and a cache of zeros."
            )
        )
    _require_state(config, "cache", "adagrad", _("the accumulated squared gradient"))
    w2, config = step(w1, grads[1], config)
    w3, config = step(w2, grads[2], config)
    wr, cr = w0, None
    for g in grads:
        wr, cr = ref_optim.adagrad(wr, g, cr)
    mistake(
        close(w2 - w1, -1e-2 * grads[1] / (np.abs(grads[1]) + 1e-8), rtol=1e-6),
        _(
            "Your cache is not carried over between calls: the second step ignores the "
            "first gradient. Keep the running sum in config['cache']."
        ),
    )
    if not close(w3, wr, rtol=1e-6):
        fail(
            _("After three steps from config=None your weights differ from Adagrad's.")
        )
    _check_zero_gradient(step, "adagrad", "np.sqrt(cache) + epsilon")


def _check_zero_gradient(step, rule, denominator):
    """From config=None, a weight whose gradient is exactly 0 (a dead unit, an unused
    feature) must stay where it is: 0 / (sqrt(0) + epsilon) = 0. Without epsilon it is 0
    / 0 = nan."""
    w0, grads = _fresh_problem(49)
    dw = grads[0].copy()
    dw[0, :] = 0.0
    w1, _config = step.quiet(w0, dw)
    ref_w1, _ref_config = getattr(ref_optim, rule)(w0, dw)
    if not (isinstance(w1, np.ndarray) and np.all(np.isfinite(w1))):
        fail(
            _(
                "When an entry of dw is exactly 0 on the first step your `{rule}` "
                "gives NaN there: 0 / 0. That is what epsilon is for: divide by "
                "`{denominator}`, so the step is 0 / epsilon = 0.",
                rule=rule,
                denominator=denominator,
            )
        )
    # epsilon inside the square root changes the other entries slightly: a loose
    # tolerance
    if not (close(w1[0], w0[0], rtol=0, atol=1e-12) and close(w1, ref_w1, rtol=1e-3)):
        fail(
            _(
                "When an entry of dw is exactly 0 that weight must not move (its step "
                "is 0 / ({denominator}) = 0), and the other weights move as usual; "
                "yours differ.",
                denominator=denominator,
            )
        )


def _adam_variant(
    w,
    dw,
    m,
    v,
    t,
    lr,
    b1=0.9,
    b2=0.999,
    eps=1e-8,
    correct=True,
    t_used=None,
    square=True,
    update_first=True,
    sign=-1.0,
    b_of_v=None,
    sqrt=True,
    correct_only=None,
):
    """Adam's step with one classic variant; ``b_of_v`` is the beta used for v (beta1 by
    mistake), ``correct_only`` ("m" or "v") corrects only one of the two moments."""
    bv = b2 if b_of_v is None else b_of_v
    m_new = b1 * m + (1 - b1) * dw
    v_new = bv * v + (1 - bv) * (dw * dw if square else np.abs(dw))
    mm, vv = (m_new, v_new) if update_first else (m, v)
    if correct:
        tt = t + 1 if t_used is None else t_used
        if correct_only != "v":
            mm = mm / (1 - b1**tt)
        if correct_only != "m":
            vv = vv / (1 - b2**tt)
    return w + sign * lr * mm / ((np.sqrt(vv) if sqrt else vv) + eps)


def _adam_cases():
    w, dw = _test_arrays()
    m = np.linspace(0.6, 0.9, num=w.size).reshape(w.shape)
    v = np.linspace(0.7, 0.5, num=w.size).reshape(w.shape)
    return [(w, dw, {"learning_rate": 1e-2, "m": m, "v": v, "t": 5})]


@catalogue("adam", inputs=_adam_cases, right=_first_step("adam"))
def _adam_mistakes(w, dw, config):
    m, v, t, lr = config["m"], config["v"], config["t"], config["learning_rate"]
    args = (w, dw, m, v, t, lr)
    return [
        (
            _adam_variant(*args, correct=False),
            _(
                "Your Adam has no bias correction. m and v start at zero, so early on "
                "they are too small: divide them by (1 - beta1**t) and (1 - beta2**t)."
            ),
        ),
        (
            _adam_variant(*args, t_used=t),
            _(
                "You increment t after using it. Increment t first (t = t + 1), then "
                "correct with 1 - beta1**t and 1 - beta2**t, so the very first step "
                "uses t = 1."
            ),
        ),
        (
            _adam_variant(*args, sign=1.0),
            _(
                "Your step goes up the gradient: Adam moves w by minus learning_rate * "
                "m_hat / (sqrt(v_hat) + epsilon)."
            ),
        ),
        (
            _adam_variant(*args, square=False),
            _(
                "Your second moment averages |dw|; it averages the squared gradient, "
                "dw**2."
            ),
        ),
        (
            _adam_variant(*args, b1=0.999, b2=0.9),
            _(
                "You swapped beta1 and beta2: beta1 = 0.9 goes with the first moment "
                "m, beta2 = 0.999 with the second moment v."
            ),
        ),
        (
            _adam_variant(*args, update_first=False),
            _(
                "You use m and v before updating them with the current gradient. "
                "Update m and v first, then take the step."
            ),
        ),
        (
            _adam_variant(*args, b_of_v=0.9),
            _(
                "Your second moment v is averaged with beta1: v = beta2 * v + (1 - "
                "beta2) * dw**2 uses beta2 = 0.999 (beta1 belongs to the first moment "
                "m)."
            ),
        ),
        (
            _adam_variant(*args, t_used=t + 2),
            _(
                "Your bias correction is one step ahead: you increment t twice (or use "
                "t + 1 after already incrementing). Increment t once, then use that t "
                "in 1 - beta**t."
            ),
        ),
        (
            _adam_variant(*args, sqrt=False),
            _(
                "You divide by v_hat itself; Adam divides by its square root, "
                "np.sqrt(v_hat) + epsilon (v is an average of squared gradients)."
            ),
        ),
        (
            AnyOf(
                _adam_variant(*args, correct_only="m"),
                _adam_variant(*args, correct_only="v"),
            ),
            _(
                "You bias-correct only one of the two moments. Both start at zero: "
                "divide m by (1 - beta1**t) and v by (1 - beta2**t)."
            ),
        ),
        (
            _adam_variant(w, dw, m, v, t, 1e-3),
            _("Your rule ignores the learning_rate in config. Read it from config."),
        ),
    ]


@exercise("adam", reference=ref_optim.adam, chapter=4)
@explains_numpy_errors
def check_adam(call):
    step = _rule_probe(call)
    w, dw, given = _adam_cases()[0]
    m, v, t, lr = given["m"], given["v"], given["t"], given["learning_rate"]
    next_w, config = step(w, dw, given)
    expected = _adam_variant(w, dw, m, v, t, lr)
    _adam_mistakes.match(next_w, w, dw, given)
    # epsilon inside the square root is harmless here: the tolerance accepts it.
    if not close(next_w, expected, rtol=1e-6):
        differs(
            _(
                "next_w differs from Adam's update with bias correction (on a fixed "
                "example with learning_rate=1e-2, given m and v, and t=5 before the "
                "step)."
            )
        )
    for key, what, given in (
        ("m", _("the first moment m"), m),
        ("v", _("the second moment v"), v),
    ):
        _require_state(config, key, "adam", what, given)
    _require_state(config, "t", "adam", _("the step counter t"))
    mistake(
        np.isclose(config["t"], t),
        _(
            "Your t is not incremented in config: store t + 1 so "
            "that the next step's bias correction is right."
        ),
    )
    m_new, v_new = 0.9 * m + 0.1 * dw, 0.999 * v + 0.001 * dw * dw
    mistake(
        np.isclose(config["t"], t + 1)
        and (
            close(config["m"], m_new / (1 - 0.9 ** (t + 1)))
            or close(config["v"], v_new / (1 - 0.999 ** (t + 1)))
        ),
        _(
            "next_w is right, but config holds the bias-corrected m_hat or v_hat. "
            "Store m and v without the correction: it is applied only for the step, "
            "and correcting a corrected moment again at the next step inflates it."
        ),
    )
    if not (
        np.isclose(config["t"], t + 1)
        and close(config["m"], m_new)
        and close(config["v"], v_new)
    ):
        fail(
            _(
                "next_w is right, but config should now hold the updated m, v and t = "
                "t + 1 (m and v without bias correction: that is applied only for the "
                "step)."
            )
        )
    # The hyperparameters come from config: other betas than the defaults.
    other = {"learning_rate": lr, "beta1": 0.5, "beta2": 0.9, "m": m, "v": v, "t": t}
    next_w, _config = step(w, dw, other)
    mistake(
        close(next_w, expected),
        _(
            "Your rule ignores beta1 and beta2 in config (it always uses 0.9 and "
            "0.999). Read them from config; config.setdefault supplies the defaults "
            "only when a key is missing."
        ),
    )
    if not close(next_w, _adam_variant(w, dw, m, v, t, lr, b1=0.5, b2=0.9)):
        fail(
            _(
                "With config['beta1'] = 0.5 and config['beta2'] = 0.9 your next_w "
                "differs from Adam's; read beta1, beta2 and epsilon from config."
            )
        )
    # From scratch: defaults and carried state.
    w0, grads = _fresh_problem(47)
    w1, config = step(w0, grads[0])
    ref_w1, _ref_config = ref_optim.adam(w0, grads[0])
    ratio = (w1 - w0) / (ref_w1 - w0)  # the same in every entry if only the rate is off
    wrong_lr = float(np.mean(ratio)) * 1e-3
    mistake(
        not np.isclose(wrong_lr, 1e-3) and np.allclose(ratio, ratio.flat[0], rtol=1e-6),
        _(
            "Your default learning_rate is {rate}; Adam's default is 1e-3 "
            "(the value Kingma and Ba recommend).",
            rate=f"{wrong_lr:.3g}",
        ),
    )
    if not close(w1, ref_w1, rtol=1e-6):
        fail(
            _(
                "Starting from config=None the first step should use the defaults "
                "learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, and m = v = "
                "0, t = 0. With bias correction, that first step moves each weight by "
                "about learning_rate."
            )
        )
    for key, what in (
        ("m", _("the first moment m")),
        ("v", _("the second moment v")),
        ("t", _("the step counter t")),
    ):
        _require_state(config, key, "adam", what)
    w2, config = step(w1, grads[1], config)
    w3, config = step(w2, grads[2], config)
    wr, cr = w0, None
    for g in grads:
        wr, cr = ref_optim.adam(wr, g, cr)
    if not close(w3, wr, rtol=1e-6):
        fail(
            _(
                "After three steps from config=None your weights differ from Adam's. "
                "Is all of m, v and t carried over in config?"
            )
        )
    _check_zero_gradient(step, "adam", "np.sqrt(v_hat) + epsilon")


# --------------------------------------------------------------------------------------
# minibatch_sgd
# --------------------------------------------------------------------------------------


class _Recorder:
    """A least-squares loss_fn that records every call: the W it saw, the batch, what
    it returned."""

    def __init__(self, X, y, target):
        self.X, self.y, self.target = X, y, target
        self.calls = []

    def __call__(self, W, X_batch, y_batch):
        W = np.asarray(W, dtype=float)
        residual = X_batch @ W - self.target[np.asarray(y_batch, dtype=int)]
        loss = 0.5 * float(np.mean(np.sum(residual**2, axis=1)))
        dW = X_batch.T @ residual / max(len(X_batch), 1)
        self.calls.append(
            {
                "W": W.copy(),
                "idx": np.asarray(X_batch[:, 0], dtype=int).copy(),
                "y": np.asarray(y_batch).copy(),
                "loss": loss,
                "dW": dW.copy(),
            }
        )
        return loss, dW

    def __deepcopy__(self, memo):
        # the Probe copies arguments to detect changes; share the record instead
        return self


def _sgd_case(N=20, D=3, C=2, seed=48):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    X[:, 0] = np.arange(
        N
    )  # column 0 names the example, so a batch tells which rows it holds
    y = np.arange(N)  # and so does y (labels are example indices into `target`)
    target = rng.standard_normal((N, C))
    W0 = 0.01 * rng.standard_normal((D, C))
    return X, y, target, W0


def _run_sgd(call, lr, batch_size, num_iters, seed, N=20):
    X, y, target, W0 = _sgd_case(N)
    recorder = _Recorder(X, y, target)
    out = expect_values(
        call(recorder, W0, X, y, lr, batch_size, num_iters, seed=seed),
        "minibatch_sgd",
        "W, loss_history",
    )
    W = expect_array(out[0], shape=W0.shape, what=_("The W you return"))
    history = out[1]
    if not hasattr(history, "__len__"):
        fail(
            _(
                "loss_history should be a list of numbers, one per iteration, but is "
                "{type}.",
                type=type(history).__name__,
            )
        )
    return W, list(history), recorder.calls


@exercise("minibatch_sgd", reference=ref.minibatch_sgd, chapter=4)
@explains_numpy_errors
def check_minibatch_sgd(call):
    lr, bs, iters, N = (
        1e-3,
        4,
        12,
        20,
    )  # 5 batches per epoch, so 12 iterations cross two epochs
    W, history, calls = _run_sgd(call, lr, bs, iters, seed=0)
    mistake(
        len(calls) == 1 and iters > 1,
        _(
            "Your loop calls loss_fn only once. Each of the num_iters iterations "
            "computes the loss and gradient on a new minibatch."
        ),
    )
    if len(calls) != iters:
        fail(
            _(
                "loss_fn was called {calls} times for num_iters = {iters}: call it "
                "exactly once per iteration.",
                calls=len(calls),
                iters=iters,
            )
        )
    sizes = {len(c["idx"]) for c in calls}
    mistake(
        sizes == {N},
        _(
            "Every iteration uses the full training set. Minibatch SGD takes "
            "batch_size examples per step: X[idx], y[idx] with len(idx) == "
            "batch_size."
        ),
    )
    mistake(
        sizes != {bs},
        _(
            "Your batches have sizes {sizes}; each should hold "
            "batch_size = {batch_size} examples.",
            sizes=sorted(sizes),
            batch_size=bs,
        ),
    )
    mistake(
        any(not np.array_equal(c["idx"], c["y"]) for c in calls),
        _(
            "Your X and y batches do not match: index both with the same idx (X[idx], "
            "y[idx])."
        ),
    )
    # The steps themselves.
    for k in range(iters - 1):
        now, nxt = calls[k], calls[k + 1]
        mistake(
            close(nxt["W"], now["W"] + lr * now["dW"]),
            _(
                "Your update steps up the gradient (W + learning_rate * dW), which "
                "increases the loss. Gradient descent steps against it: W = W - "
                "learning_rate * dW."
            ),
        )
        mistake(
            close(nxt["W"], now["W"]),
            _(
                "W does not change between iterations. Assign the update back: W = W - "
                "learning_rate * dW."
            ),
        )
        if not close(nxt["W"], now["W"] - lr * now["dW"]):
            fail(
                _(
                    "Between two iterations W should change by exactly -learning_rate "
                    "* dW, with dW the gradient loss_fn returned for the current "
                    "batch."
                )
            )
    last = calls[-1]
    if not close(W, last["W"] - lr * last["dW"]):
        fail(
            _(
                "The W you return is not the result of the last step: return W after "
                "the final update."
            )
        )
    if len(history) != iters:
        fail(
            _(
                "loss_history has {entries} entries for num_iters = {iters}: append "
                "one loss per iteration.",
                entries=len(history),
                iters=iters,
            )
        )
    losses = np.array([c["loss"] for c in calls])
    try:
        hist = np.asarray(history, dtype=float)
    except (TypeError, ValueError):
        fail(
            _(
                "loss_history should hold numbers: append the float loss that loss_fn "
                "returns."
            )
        )
    if not close(hist, losses):
        fail(
            _(
                "loss_history should hold, in order, the loss that loss_fn returned at "
                "each iteration (the loss of the batch before the step)."
            )
        )
    # Shuffling: the batches the statement's rules give, with the generator it names;
    # first on N divisible by the batch size, then on N = 22 (two examples left over in
    # every epoch).
    if call.global_random_changed:
        fail(
            _(
                "Your minibatch_sgd draws from (or reseeds) NumPy's global generator "
                "(np.random.seed, np.random.permutation, ...). That generator is "
                "shared by all the code in the notebook, so reseeding it changes "
                "everyone's random numbers. Create your own: rng = "
                "np.random.default_rng(seed), and shuffle with rng.permutation(N)."
            )
        )
    mistake(
        np.array_equal(
            np.concatenate([c["idx"] for c in calls[: N // bs]]), np.arange(N)
        ),
        _(
            "Your batches walk through the data in its stored order. Shuffle the "
            "examples at the start of every epoch (rng.permutation(N)), so that "
            "batches are random samples."
        ),
    )
    _W, _history, calls_again = _run_sgd(call, lr, bs, iters, seed=0)
    mistake(
        not all(np.array_equal(a["idx"], b["idx"]) for a, b in zip(calls, calls_again)),
        _(
            "Two runs with the same seed used different batches. Draw every random "
            "number from rng = np.random.default_rng(seed)."
        ),
    )
    _W, _history, calls_other = _run_sgd(call, lr, bs, iters, seed=1)
    mistake(
        all(np.array_equal(a["idx"], b["idx"]) for a, b in zip(calls, calls_other)),
        _(
            "Runs with seed=0 and seed=1 used the same batches: your function ignores "
            "its seed. Create rng = np.random.default_rng(seed) and shuffle with it."
        ),
    )
    _check_batches(call, [c["idx"] for c in calls], N, bs, iters, seed=0)
    _check_batches(call, [c["idx"] for c in calls_other], N, bs, iters, seed=1)
    N_odd = 22  # 5 batches of 4 per epoch, 2 examples left over
    _W, _history, calls_odd = _run_sgd(call, lr, bs, iters, seed=3, N=N_odd)
    _check_batches(call, [c["idx"] for c in calls_odd], N_odd, bs, iters, seed=3)


def _stated_batches(N, batch_size, num_iters, seed, straddle=False):
    """The batches the statement's rules give; ``straddle``: the mistake of walking on
    into the next permutation, so that one batch holds the end of one epoch and the
    start of the next."""
    rng = np.random.default_rng(seed)
    order, cursor, batches = rng.permutation(N), 0, []
    for _iteration in range(num_iters):
        if straddle:
            while cursor + batch_size > len(order):
                order = np.concatenate([order, rng.permutation(N)])
        elif cursor + batch_size > N:
            order, cursor = rng.permutation(N), 0
        batches.append(order[cursor : cursor + batch_size])
        cursor += batch_size
    return batches


def _check_batches(call, got, N, bs, iters, seed):
    """Fail with the misconception behind batches that differ from the stated rules."""

    def same(batches):
        return len(batches) == len(got) and all(
            np.array_equal(a, b) for a, b in zip(batches, got)
        )

    if same(_stated_batches(N, bs, iters, seed)):
        return
    per_epoch = N // bs
    first_epoch = np.concatenate(got[:per_epoch])
    mistake(
        np.array_equal(first_epoch, np.arange(per_epoch * bs)),
        _(
            "Your batches walk through the data in its stored order. Shuffle the "
            "examples at the start of every epoch (rng.permutation(N)), so that "
            "batches are random samples."
        ),
    )
    mistake(
        any(len(np.unique(b)) != len(b) for b in got),
        _(
            "Some of your batches hold the same example twice: you sample with "
            "replacement (rng.choice or rng.integers). Shuffle once per epoch with "
            "rng.permutation(N) and walk through the permutation in batch_size steps."
        ),
    )
    legacy = np.random.RandomState(seed)
    legacy_order, legacy_batches, cursor = legacy.permutation(N), [], 0
    for _iteration in range(iters):
        if cursor + bs > N:
            legacy_order, cursor = legacy.permutation(N), 0
        legacy_batches.append(legacy_order[cursor : cursor + bs])
        cursor += bs
    mistake(
        same(legacy_batches),
        _(
            "Your batches follow the rules but come from the legacy generator "
            "np.random.RandomState(seed). The statement names rng = "
            "np.random.default_rng(seed), the generator NumPy recommends; its draws "
            "differ, so your runs cannot be compared with the course's."
        ),
    )
    fresh = [np.random.default_rng(seed).permutation(N)[:bs] for _ in range(iters)]
    rng = np.random.default_rng(seed)
    drawn = [rng.permutation(N)[:bs] for _ in range(iters)]
    mistake(
        same(fresh) or same(drawn) or len(np.unique(first_epoch)) != len(first_epoch),
        _(
            "Within one epoch some examples come back before others have been used: "
            "you draw a new permutation (or a new sample) for every batch. Draw order "
            "= rng.permutation(N) once, take the next batch_size indices of it at each "
            "iteration, and draw a new permutation only when fewer than batch_size are "
            "left."
        ),
    )
    mistake(
        same(_stated_batches(N, bs, iters, seed, straddle=True)),
        _(
            "With N = {N} and batch_size = {batch_size}, {left} examples are left at "
            "the end of each permutation, and your next batch takes them together "
            "with the start of a new permutation: a batch straddles two epochs. When "
            "fewer than batch_size indices are left, draw a new order = "
            "rng.permutation(N) and start from its beginning.",
            N=N,
            batch_size=bs,
            left=N % bs,
        ),
    )
    if len(got) > per_epoch:
        second = np.concatenate(got[per_epoch : 2 * per_epoch])
        mistake(
            np.array_equal(second, first_epoch),
            _(
                "Every epoch visits the examples in the same order: draw a new "
                "permutation for each epoch."
            ),
        )
    fail(
        _(
            "With N = {N}, batch_size = {batch_size} and seed = {seed} your batches "
            "are not the ones the rules give: rng = np.random.default_rng(seed), "
            "order = rng.permutation(N), the next batch_size indices of order at each "
            "iteration, and a new rng.permutation(N) when fewer than batch_size are "
            "left. (Another generator, or rng.choice instead of rng.permutation, "
            "draws different numbers.)",
            N=N,
            batch_size=bs,
            seed=seed,
        )
    )
