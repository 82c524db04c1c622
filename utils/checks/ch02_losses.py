"""Checks for chapter 2: the multiclass SVM (hinge) loss, softmax, cross-entropy and the
sigmoid.

Each known mistake is recognised by computing what the wrong implementation would return
on the same input and comparing it with the learner's output; test cases are chosen so
that all of these wrong answers differ from the right one (``tests/test_ch02_checks.py``
and the catalogue test in ``tests/test_checks_core.py`` verify that).
"""

import time

import numpy as np

from ..reference import losses as ref
from ..i18n import N_, _, translate
from .core import (
    AnyOf,
    CheckFailed,
    Probe,
    catalogue,
    close,
    differs,
    exercise,
    expect_array,
    expect_number,
    fail,
    mistake,
)

# The chapter's worked examples. Rows: a cat, a car and a frog image; columns: cat, car,
# frog scores.
CAT_CAR_FROG_SCORES = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
CAT_CAR_FROG_LABELS = np.array([0, 1, 2])
CAT_CAR_FROG_HINGE = 15.8 / 3  # per-example losses 2.9, 0 and 12.9
COMPARISON_SCORES = np.array(
    [[-2.85, 0.86, 0.28]]
)  # correct class 2: hinge 1.58, CE 1.04
COMPARISON_LABELS = np.array([2])


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _scores(seed, N, C, scale=2.0, positive=False):
    """A reproducible (N, C) score matrix and (N,) labels that are not the argmax of
    every row."""
    rng = np.random.default_rng(seed)
    S = (
        rng.uniform(0.5, 3.0, (N, C))
        if positive
        else scale * rng.standard_normal((N, C))
    )
    y = rng.integers(0, C, N)
    y[0] = int(np.argmin(S[0]))  # at least one badly wrong example
    return S, y


def _guarded(call, *args, warning_hint=None, broadcast_hint=None, **kwargs):
    """Call the learner's code; turn a numerical warning (or math.exp's OverflowError)
    or a broadcasting error into a hint.

    The Probe's own diagnosis stays first in the message when a broadcasting hint is
    added, since it names the shapes involved.
    """
    try:
        return call(*args, **kwargs)
    except CheckFailed as failure:
        numerical = failure.kind == "warning" or (
            failure.kind == "raised" and isinstance(failure.error, OverflowError)
        )
        if warning_hint and numerical:
            fail(
                warning_hint(failure.error) if callable(warning_hint) else warning_hint
            )
        if (
            broadcast_hint
            and failure.kind == "raised"
            and (
                isinstance(failure.error, IndexError)
                or (
                    isinstance(failure.error, ValueError)
                    and "broadcast" in str(failure.error)
                )
            )
        ):
            fail(f"{failure} {broadcast_hint}")  # broadcast_hint comes translated
        raise


def _is_overflow(error):
    """Whether a warning or error the learner's code raised is an overflow (NumPy's
    warning names it; math.exp raises OverflowError)."""
    return isinstance(error, OverflowError) or "overflow" in str(error).lower()


def _finite_probabilities(call, scores, hint, what=None):
    """softmax on extreme scores: NaN/inf in the result, or an overflow warning, fails
    with ``hint`` (the stability mistake) before the generic checks of the array."""
    what = _("Your probabilities") if what is None else what
    out = _guarded(call, scores, warning_hint=hint)
    if isinstance(out, np.ndarray) and not np.all(np.isfinite(out)):
        fail(hint)
    return expect_array(out, shape=scores.shape, what=what)


def loss_from_rounded_probabilities(scores, y):
    """The mean cross-entropy of a learner who subtracts each row's maximum (so nothing
    overflows) but then takes ``np.log`` of the probabilities: infinite once a correct
    class's probability rounds to 0. Used by later chapters to tell this apart from an
    overflow."""
    with np.errstate(all="ignore"):
        shifted = scores - scores.max(axis=1, keepdims=True)
        p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        return float(-np.log(p[np.arange(len(y)), y]).mean())


#: The ``scale`` words callers pass to :func:`rounded_probability_hint` (chapters 4 and
#: 5), translated where the hint is shown.
_SCALE_WORDS = (N_("hundreds"), N_("thousands"))


def rounded_probability_hint(name, scale):
    """The hint for a learner who shifted by the row maximum but took the log of a
    probability (``scale``: how far apart the scores are, "hundreds" or "thousands")."""
    return _(
        "Your `{name}` subtracts each row's maximum, so np.exp cannot overflow; but "
        "when a row's scores are {scale} apart, the correct class's probability "
        "rounds to exactly 0 and np.log(0) = -inf (adding a small epsilon only hides "
        "it). Compute the log-probabilities directly with log-sum-exp (chapter 2): "
        "log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)), then "
        "take -log_p[np.arange(N), y].mean(); p = np.exp(log_p) for the gradient.",
        name=name,
        scale=translate(scale),
    )


def _finite_loss(call, scores, y, hint, what):
    """cross_entropy_loss on extreme scores: an infinite or NaN loss, or an overflow
    warning, fails with ``hint`` before the generic checks of the number."""
    value = _guarded(call, scores, y, warning_hint=hint)
    if (
        value is not None
        and np.size(value) == 1
        and not np.isfinite(np.asarray(value, dtype=float))
    ):
        fail(hint)
    return expect_number(value, what=what)


#: Added to a hint when the wrong answer was also summed over the examples instead of
#: averaged.
_SUMMED_NOTE = N_("Also, average over the N examples instead of summing.")


def _summed(*inputs):
    """A catalogue's ``scale``: each wrong answer summed over the N examples (N =
    len(scores))."""
    return len(inputs[0]), translate(_SUMMED_NOTE)


def _margins(S, y, delta):
    """All margins s_j - s_y + delta, including the correct class's own (which equals
    delta)."""
    return S - S[np.arange(len(y)), y][:, None] + delta


# --------------------------------------------------------------------------------------
# The hinge loss: svm_loss_naive and svm_loss_vectorized
# --------------------------------------------------------------------------------------

_BROADCAST_HINT = N_(
    "`scores[np.arange(N), y]` has shape (N,); to subtract it from every column "
    "of its row make it a column, `[:, None]` (or use keepdims=True)."
)


def _hinge_wrong(S, y, delta, vectorized):
    N = len(y)
    rows = np.arange(N)
    M = _margins(S, y, delta)
    positive = np.maximum(0.0, M)
    not_y = np.ones_like(S, dtype=bool)
    not_y[rows, y] = False
    right = positive[not_y].sum() / N
    correct_hint = _(
        "Your hinge loss counts the correct class: each example's loss is off by "
        "delta, because the correct class's own margin is s_y - s_y + delta = delta. "
        "{fix}",
        fix=_(
            "Set the correct class's margin to zero, `margins[np.arange(N), y] = 0`, "
            "before summing."
        )
        if vectorized
        else _("Skip j == y[i] in the loop over classes."),
    )
    column_zeroed = positive.copy()
    column_zeroed[:, y] = 0.0
    predicted = S.argmax(axis=1)
    return [
        (positive.sum() / N, correct_hint),
        (
            right * N,
            _(
                "You summed the losses of the examples; the data loss is their "
                "average: divide the sum by N."
            ),
        ),
        (
            positive[not_y].sum() / S.size,
            _(
                "You divided by N * C (np.mean over the whole margin matrix). Sum over "
                "the classes, then average over the N examples only."
            ),
        ),
        (
            column_zeroed.sum() / N,
            _(
                "`margins[:, y] = 0` zeroes whole columns (every class that is some "
                "example's label). Zero one entry per row: `margins[np.arange(N), y] = "
                "0`."
            ),
        ),
        (
            M[not_y].sum() / N,
            _(
                "Your loss is missing the max(0, ·): a class whose score is already "
                "below s_y - delta must contribute 0, not a negative amount."
            ),
        ),
        (
            np.maximum(0.0, -M + 2 * delta)[not_y].sum() / N,
            _(
                "Your margin has the wrong sign: the loss for class j is max(0, s_j - "
                "s_y + delta), which grows when a wrong class scores high, not max(0, "
                "s_y - s_j + delta)."
            ),
        ),
        (
            np.maximum(0.0, M - 2 * delta)[not_y].sum() / N,
            _(
                "You subtract delta: the margin is max(0, s_j - s_y + delta). A wrong "
                "class must stay delta *below* the correct one before it costs "
                "nothing."
            ),
        ),
        (
            np.maximum(0.0, M - delta)[not_y].sum() / N,
            _(
                "Your loss leaves out delta: the margin is max(0, s_j - s_y + delta), "
                "so a wrong class costs something until it is at least delta below the "
                "correct class."
            ),
        ),
        (
            (positive[not_y] ** 2).sum() / N,
            _(
                "You squared the margins. This exercise is the plain hinge max(0, s_j "
                "- s_y + delta) (the squared hinge is a variant)."
            ),
        ),
        (
            np.where(not_y, positive, -np.inf).max(axis=1).sum() / N,
            _(
                "You kept only the largest margin of each example. The multiclass SVM "
                "loss sums max(0, s_j - s_y + delta) over all wrong classes j."
            ),
        ),
        (
            np.maximum(0.0, _margins(S, predicted, delta))[
                S != S.max(axis=1, keepdims=True)
            ].sum()
            / N,
            _(
                "You used the predicted class (the argmax of the scores) as the "
                "correct class. The loss compares every class with the true label "
                "y[i]."
            ),
        ),
        (
            (positive * not_y)[:, :-1].sum() / N,
            _(
                "Your loss leaves out the last class: a loop like `range(C - 1)` stops "
                "one short. Loop over every class, `range(C)`, skipping only j == "
                "y[i]."
            ),
        ),
        (
            (positive * not_y)[:, 1:].sum() / N,
            _(
                "Your loss leaves out class 0: a loop like `range(1, C)` starts one "
                "late. Class indices start at 0: loop over `range(C)`, skipping only j "
                "== y[i]."
            ),
        ),
        (
            right / N,
            _(
                "You divided by N twice (averaged twice): sum the margins of all "
                "examples, then divide once by N."
            ),
        ),
        (
            right * N / (N - 1),
            _(
                "You divided by N - 1; the data loss is the mean over the N "
                "examples: divide the sum by N."
            ),
        ),
        (
            np.floor(right),
            _(
                "Your loss was rounded down to a whole number: `total // N` is integer "
                "division. Divide with `/`."
            ),
        ),
    ]


def _hinge_cases(vectorized):
    S, y = _scores(10, 6, 4)
    return [(S, y, delta, vectorized) for delta in (1.0, 2.5, 0.5)]


#: The hinge mistakes of each exercise (their hint for the correct class differs).
HINGE_MISTAKES = {
    vectorized: catalogue(
        name,
        inputs=lambda v=vectorized: _hinge_cases(v),
        scale=_summed,
        right=lambda S, y, delta, _vectorized: ref.svm_loss_vectorized(S, y, delta),
    )(_hinge_wrong)
    for vectorized, name in ((False, "svm_loss_naive"), (True, "svm_loss_vectorized"))
}


def _check_hinge(call, vectorized):
    S, y = _scores(10, 6, 4)
    broadcast_hint = translate(_BROADCAST_HINT)
    out = _guarded(call, S, y, broadcast_hint=broadcast_hint)
    if isinstance(out, np.ndarray) and out.shape == (6,):
        fail(
            _(
                "You returned one loss per example (shape (N,)). The loss is a single "
                "number: their mean over the N examples."
            )
        )
    out = expect_number(out, what=_("Your loss"))
    HINGE_MISTAKES[vectorized].match(out, S, y, 1.0, vectorized)
    Sq, yq = _scores(
        11, 4, 4
    )  # square: exposes the correct scores subtracted along rows
    square = expect_number(
        _guarded(call, Sq, yq, broadcast_hint=broadcast_hint), what=_("Your loss")
    )
    wrong_axis = Sq - Sq[np.arange(4), yq][None, :] + 1.0
    wrong_axis[np.arange(4), yq] = 0.0
    mistake(
        close(square, np.maximum(0.0, wrong_axis).sum() / 4)
        and not close(square, ref.svm_loss_vectorized(Sq, yq)),
        _(
            "You subtracted each example's correct-class score along the wrong axis. "
            "{fix}",
            fix=broadcast_hint,
        ),
    )
    if not close(out, ref.svm_loss_vectorized(S, y)):
        differs(
            _(
                "On a random 6 x 4 batch your loss is {got}, expected {expected}.",
                got=f"{out:.4g}",
                expected=f"{ref.svm_loss_vectorized(S, y):.4g}",
            )
        )
    if not close(square, ref.svm_loss_vectorized(Sq, yq)):
        differs(
            _(
                "On a random 4 x 4 batch your loss is {got}, expected {expected}.",
                got=f"{square:.4g}",
                expected=f"{ref.svm_loss_vectorized(Sq, yq):.4g}",
            )
        )
    # delta is an argument, not a constant.
    for delta in (2.5, 0.5):
        d_out = expect_number(
            call(S, y, delta=delta),
            what=_("Your loss with delta={delta}", delta=f"{delta}"),
        )
        mistake(
            close(d_out, out),
            _(
                "Your loss ignores its `delta` argument (it gives the same value "
                "for every delta). Use `delta` where the margin adds it."
            ),
        )
        HINGE_MISTAKES[vectorized].match(d_out, S, y, delta, vectorized)
        if not close(d_out, ref.svm_loss_vectorized(S, y, delta)):
            fail(
                _(
                    "With delta={delta} your loss is {got}, expected {expected}.",
                    delta=f"{delta}",
                    got=f"{d_out:.4g}",
                    expected=f"{ref.svm_loss_vectorized(S, y, delta):.4g}",
                )
            )
    # The chapter's worked example and the comparison example.
    ccf = expect_number(
        call(CAT_CAR_FROG_SCORES, CAT_CAR_FROG_LABELS), what=_("Your loss")
    )
    if not close(ccf, CAT_CAR_FROG_HINGE):
        fail(
            _(
                "On the cat/car/frog example your loss is {got}; the losses of the "
                "three images are 2.9, 0 and 12.9, so the mean is {expected}.",
                got=f"{ccf:.4g}",
                expected=f"{CAT_CAR_FROG_HINGE:.4g}",
            )
        )
    one = expect_number(call(COMPARISON_SCORES, COMPARISON_LABELS), what=_("Your loss"))
    if not close(one, 1.58):
        fail(
            _(
                "For the single example with scores [-2.85, 0.86, 0.28] and correct "
                "class 2 your loss is {got}, expected max(0, -2.85 - 0.28 + 1) + "
                "max(0, 0.86 - 0.28 + 1) = 1.58.",
                got=f"{one:.4g}",
            )
        )
    # Properties: zero when every margin is met, shift invariance, one class at a time.
    met = np.array([[5.0, 1.0, 3.9], [0.0, 2.0, -7.0]])
    zero = expect_number(call(met, np.array([0, 1])), what=_("Your loss"))
    if not close(zero, 0.0):
        fail(
            _(
                "When the correct class beats every other class by more than delta the "
                "loss must be 0, you got {got}.",
                got=f"{zero:.4g}",
            )
        )
    shifted = expect_number(call(S + 100.0, y), what=_("Your loss"))
    if not close(shifted, out):
        fail(
            _(
                "Adding the same constant to every score must not change the hinge "
                "loss (only differences of scores enter it), but yours changed."
            )
        )


@exercise("svm_loss_naive", reference=ref.svm_loss_naive, chapter=2)
def check_svm_loss_naive(call):
    _check_hinge(call, vectorized=False)


def _best_time(fn, args, repeats):
    best = np.inf
    for _repeat in range(repeats):
        start = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - start)
    return best


#: A vectorized hinge loss is flagged as looping only when it is both this many times
#: slower than the reference (timed the same way, best of several runs) and slower than
#: MIN_LOOP_SECONDS. A Python loop over 2000 examples is about 25-100x slower than
#: whole-array code, so noise from a busy machine cannot push a vectorized version past
#: these bounds.
SLOWDOWN_FACTOR = 10.0
MIN_LOOP_SECONDS = 0.002


@exercise("svm_loss_vectorized", reference=ref.svm_loss_vectorized, chapter=2)
def check_svm_loss_vectorized(call):
    _check_hinge(call, vectorized=True)
    S, y = _scores(12, 2000, 10)
    reference = Probe(ref.svm_loss_vectorized, call.exercise)
    learner, baseline = np.inf, np.inf
    for _round in range(2):  # interleaved, so a burst of load hits both
        learner = min(learner, _best_time(call, (S, y), 3))
        baseline = min(baseline, _best_time(reference, (S, y), 3))
    if learner > MIN_LOOP_SECONDS and learner > SLOWDOWN_FACTOR * baseline:
        fail(
            _(
                "Your values are right, but on a 2000 x 10 batch your function takes "
                "{milliseconds} ms, about {times} times as long as whole-array code: "
                "it probably still loops in Python over examples or classes. Compute "
                "all margins at once: `scores - correct[:, None] + delta`, then "
                "np.maximum, zero the correct classes and sum.",
                milliseconds=f"{learner * 1e3:.1f}",
                times=f"{learner / baseline:.0f}",
            )
        )


# --------------------------------------------------------------------------------------
# softmax
# --------------------------------------------------------------------------------------

_OVERFLOW_HINT = N_(
    "Your softmax overflows on large scores (exp(1000) is infinite, and inf / inf "
    "is NaN). Subtract each row's maximum before np.exp: softmax is unchanged when a "
    "row is shifted, and afterwards every exponent is <= 0, so nothing overflows."
)


def _spread_overflow_hint(what):
    """For code that handles scores in the thousands but overflows when a row's scores
    lie about 1000 apart: it shifts each row, but not by its maximum. ``what``:
    "softmax", or the (translated) word for the loss."""
    return _(
        "Your {what} overflows when a row's scores lie about 1000 apart, although it "
        "handles scores in the thousands: you shift each row by something other than "
        "its maximum (after subtracting the row's minimum or mean an exponent can "
        "still be near +1000). Subtract each row's maximum, so every exponent is <= "
        "0.",
        what=what,
    )


@catalogue("softmax", inputs=lambda: [(_scores(20, 5, 3)[0],), (_scores(21, 4, 4)[0],)])
def _softmax_mistakes(S):
    e = np.exp(S - S.max(axis=1, keepdims=True))
    row = e / e.sum(axis=1, keepdims=True)
    return [
        (
            S / S.sum(axis=1, keepdims=True),
            _(
                "You normalized the raw scores without exponentiating them first; "
                "softmax is exp(s_j) / sum_k exp(s_k)."
            ),
        ),
        (
            2.0**S / (2.0**S).sum(axis=1, keepdims=True),
            _("You used powers of 2 instead of e: use np.exp."),
        ),
        (
            10.0**S / (10.0**S).sum(axis=1, keepdims=True),
            _("You used powers of 10 instead of e: use np.exp."),
        ),
        (1.0 - row, _("You returned 1 - p instead of the probabilities p.")),
        (
            np.exp(-S) / np.exp(-S).sum(axis=1, keepdims=True),
            _(
                "Sign error: you exponentiated -s, so the lowest score gets the "
                "highest probability."
            ),
        ),
    ]


def _softmax_shape_of_mistake(out, S):
    """Recognise a wrong normalization from what it does, whatever shift was used
    before exp."""
    N, C = S.shape
    rows_ok = close(out.sum(axis=1), np.ones(N))
    mistake(
        not rows_ok and close(out.sum(axis=0), np.ones(C)),
        _(
            "You normalized over the wrong axis: each column sums to 1. Scores are (N, "
            "C); each example's probabilities (a row) must sum to 1: sum over axis=1 "
            "with keepdims=True."
        ),
    )
    mistake(
        not rows_ok and close(out.sum(), 1.0),
        _(
            "You divided by the sum over the whole array, so all N * C entries "
            "together sum to 1. Normalize each row on its own: e.sum(axis=1, "
            "keepdims=True)."
        ),
    )
    mistake(
        np.all(out <= 0) and close(np.exp(out).sum(axis=1), np.ones(N)),
        _(
            "You returned log-probabilities (they are negative). softmax returns the "
            "probabilities themselves: exp(s) / sum(exp(s)) per row."
        ),
    )
    mistake(
        not rows_ok and np.all(out > 0) and close(out.max(axis=1), np.ones(N)),
        _(
            "Each row's largest entry is exactly 1, so your rows do not sum to 1: you "
            "did not normalize after subtracting the row maximum (exp(0) = 1), or "
            "divided by the row maximum. Divide by the row SUM, `e / e.sum(axis=1, "
            "keepdims=True)`."
        ),
    )
    if not rows_ok and np.all(out > 0):
        offset = (
            np.log(out) - S
        )  # constant along each row iff out is exp(S) times a row factor
        mistake(
            close(offset, offset[:, :1] * np.ones((1, C))),
            _(
                "You exponentiated but did not normalize: divide each row by its sum "
                "(e.sum(axis=1, keepdims=True))."
            ),
        )


@exercise("softmax", reference=ref.softmax, chapter=2)
def check_softmax(call):
    S, _labels = _scores(20, 5, 3)
    broadcast = _(
        "Divide each row by its own sum with keepdims=True, `e / e.sum(axis=1, "
        "keepdims=True)`, so the (N, 1) sums broadcast across the columns."
    )
    out = expect_array(
        _guarded(call, S, broadcast_hint=broadcast), what=_("Your probabilities")
    )
    mistake(
        out.shape == (5,) or out.shape == (3,),
        _(
            "You returned an array of shape {shape}: softmax keeps the shape of the "
            "scores, (N, C), one probability per class per example.",
            shape=f"{out.shape}",
        ),
    )
    expect_array(out, shape=(5, 3), what=_("Your probabilities"))
    _softmax_shape_of_mistake(out, S)
    _softmax_mistakes.match(out, S)
    Sq, _labels = _scores(21, 4, 4)
    square = expect_array(
        _guarded(call, Sq, broadcast_hint=broadcast),
        shape=(4, 4),
        what=_("Your probabilities"),
    )
    e = np.exp(Sq - Sq.max(axis=1, keepdims=True))
    mistake(
        close(square, e / e.sum(axis=1)[None, :])
        and not close(square, ref.softmax(Sq)),
        _(
            "Without keepdims the row sums have shape (N,) and divide along the wrong "
            "axis. {fix}",
            fix=broadcast,
        ),
    )
    _softmax_shape_of_mistake(square, Sq)
    _softmax_mistakes.match(square, Sq)
    if not close(out, ref.softmax(S)):
        differs(
            _(
                "Your probabilities differ from exp(s) / sum(exp(s)) on each row of a "
                "random batch."
            )
        )
    example = expect_array(
        call(CAT_CAR_FROG_SCORES[:1]), shape=(1, 3), what=_("Your probabilities")
    )
    if not close(example, ref.softmax(CAT_CAR_FROG_SCORES[:1])):
        fail(
            _(
                "For the scores [3.2, 5.1, -1.7] you get {got}, expected "
                "about [[0.13, 0.869, 0.001]].",
                got=f"{np.round(example, 4).tolist()}",
            )
        )
    # Stability: scores in the thousands, first all large, then rows far apart.
    big = np.array([[1000.0, 1001.0, 999.0], [1002.0, 995.0, 1003.0]])
    out_big = _finite_probabilities(
        call, big, translate(_OVERFLOW_HINT), _("Your probabilities for large scores")
    )
    if not close(out_big, ref.softmax(big)):
        fail(
            _(
                "For scores in the thousands your probabilities are wrong, although "
                "smaller scores work. Softmax is unchanged when each row is shifted: "
                "subtract the row maximum."
            )
        )
    apart = np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1001.0, -999.0]])
    global_hint = _(
        "Subtract each row's own maximum (`scores.max(axis=1, keepdims=True)`), not "
        "the maximum of the whole array: a row far below the global maximum underflows "
        "to 0 / 0."
    )
    out_apart = _finite_probabilities(call, apart, global_hint)
    mistake(not close(out_apart, ref.softmax(apart)), global_hint)
    spread = np.array([[-800.0, 0.0, 5.0], [3.0, -900.0, 2.0], [1000.0, -1000.0, 0.0]])
    out_spread = _finite_probabilities(call, spread, _spread_overflow_hint("softmax"))
    if not close(out_spread, ref.softmax(spread)):
        fail(
            _(
                "For rows with a spread of hundreds your probabilities are wrong. "
                "Subtract the row maximum (not the minimum or the mean), so every "
                "exponent is <= 0."
            )
        )
    # Properties.
    if not close(out.sum(axis=1), np.ones(5)):
        fail(_("Each row of probabilities must sum to 1."))
    shifted = expect_array(call(S + 7.0), shape=(5, 3), what=_("Your probabilities"))
    if not close(shifted, out):
        fail(
            _(
                "Adding a constant to every score of a row must not change its "
                "probabilities."
            )
        )


# --------------------------------------------------------------------------------------
# cross_entropy_loss
# --------------------------------------------------------------------------------------


def _ce_cases():
    # positive scores, so wrong formulas on raw scores stay finite; then a general batch
    return [_scores(30, 6, 4, positive=True), _scores(31, 5, 3)]


@catalogue("cross_entropy_loss", inputs=_ce_cases, scale=_summed)
def _ce_wrong_answers(S, y):
    N, C = S.shape
    rows = np.arange(N)
    log_p = ref.log_softmax(S)
    right = -log_p[rows, y].mean()
    e0 = np.exp(S - S.max(axis=0, keepdims=True))
    log_p0 = np.log(e0 / e0.sum(axis=0, keepdims=True))
    p = np.exp(log_p)
    onehot = np.zeros_like(S)
    onehot[rows, y] = 1.0
    return [
        (
            right / np.log(10.0),
            _("You used log base 10. Cross-entropy uses the natural log: np.log."),
        ),
        (
            right / np.log(2.0),
            _(
                "You used log base 2 (bits). This course's cross-entropy uses the "
                "natural log: np.log."
            ),
        ),
        (
            right * N,
            _(
                "You summed the losses of the examples; the data loss is their "
                "average: divide by N (or use .mean())."
            ),
        ),
        (
            right / C,
            _(
                "You divided by N * C (a mean over the whole matrix). Average -log p_y "
                "over the N examples only."
            ),
        ),
        (
            -right,
            _(
                "Your loss has the wrong sign: it is MINUS the mean log-probability of "
                "the correct class, so it is >= 0."
            ),
        ),
        (
            -log_p.mean(),
            _(
                "You averaged -log p over every class. Only the correct class's "
                "probability enters: -log p[np.arange(N), y]."
            ),
        ),
        (
            -log_p.sum() / N,
            _(
                "You summed -log p over every class. Only the correct class's "
                "probability enters: -log p[np.arange(N), y]."
            ),
        ),
        (
            -log_p0[rows, y].mean(),
            _(
                "Your softmax normalizes over the wrong axis: each example's "
                "probabilities (a row) must sum to 1, sum over axis=1."
            ),
        ),
        (
            -log_p[:, y].mean(),
            _(
                "`p[:, y]` picks N whole columns for every example. Pick one entry "
                "per row: `p[np.arange(N), y]`."
            ),
        ),
        (
            -np.log(S[rows, y] / S.sum(axis=1)).mean(),
            _(
                "You normalized the raw scores without exponentiating them. "
                "Cross-entropy needs the softmax probabilities: exp(s_j) / sum_k "
                "exp(s_k)."
            ),
        ),
        (
            -np.log(S[rows, y]).mean(),
            _(
                "You took the log of raw scores. Cross-entropy is computed on softmax "
                "probabilities: -log(exp(s_y) / sum_k exp(s_k)) = -s_y + log sum_k "
                "exp(s_k)."
            ),
        ),
        (
            -S[rows, y].mean(),
            _(
                "Your loss is -s_y only: the log-sum-exp term log sum_k exp(s_k), "
                "which normalizes the scores into probabilities, is missing."
            ),
        ),
        ((1.0 - p[rows, y]).mean(), _("You returned 1 - p_y; the loss is -log p_y.")),
        (
            -p[rows, y].mean(),
            _("You left out the log: the loss is -log p_y, not -p_y."),
        ),
        (
            -(onehot * log_p + (1 - onehot) * np.log1p(-p)).sum() / N,
            _(
                "You used the binary cross-entropy of every class. The multiclass loss "
                "is only -log p_y of the correct class (the other classes enter "
                "through the softmax)."
            ),
        ),
        (
            -log_p[rows, S.argmax(axis=1)].mean(),
            _("You used the predicted class (argmax) instead of the true label y."),
        ),
        (
            AnyOf(-log_p[rows, (y + 1) % C].mean(), -log_p[rows, (y - 1) % C].mean()),
            _(
                "You picked the log-probability of the class next to the label (an "
                "off-by-one such as y - 1 or y + 1): class indices start at 0, so pick "
                "`log_p[np.arange(N), y]`."
            ),
        ),
        (
            right / N,
            _(
                "You divided by N twice (averaged twice): take the mean of -log p_y "
                "over the examples once."
            ),
        ),
        (
            right * N / (N - 1),
            _("You divided by N - 1; the loss is the mean over the N examples."),
        ),
        (
            -(S[rows, y] - S.max() - np.log(np.exp(S - S.max()).sum())).mean(),
            _(
                "Your log-sum-exp sums over the whole array. Each example's "
                "probabilities are normalized over its own row: "
                "np.exp(shifted).sum(axis=1, keepdims=True)."
            ),
        ),
    ]


@exercise("cross_entropy_loss", reference=ref.cross_entropy_loss, chapter=2)
def check_cross_entropy_loss(call):
    S, y = _scores(
        30, 6, 4, positive=True
    )  # positive, so wrong formulas on raw scores stay finite
    out = call(S, y)
    if isinstance(out, np.ndarray) and out.shape == (6,):
        fail(
            _(
                "You returned one loss per example (shape (N,)). The loss is a single "
                "number: their mean over the N examples."
            )
        )
    out = expect_number(out, what=_("Your loss"))
    _ce_wrong_answers.match(out, S, y)
    S2, y2 = _scores(31, 5, 3)
    out2 = expect_number(call(S2, y2), what=_("Your loss"))
    _ce_wrong_answers.match(out2, S2, y2)
    if not (
        close(out, ref.cross_entropy_loss(S, y))
        and close(out2, ref.cross_entropy_loss(S2, y2))
    ):
        differs(
            _(
                "Your loss differs from the mean of -log softmax(scores)[i, y_i] on a "
                "random batch."
            )
        )
    example = expect_number(
        call(CAT_CAR_FROG_SCORES[:1], np.array([0])), what=_("Your loss")
    )
    if not close(
        example, ref.cross_entropy_loss(CAT_CAR_FROG_SCORES[:1], np.array([0]))
    ):
        fail(
            _(
                "For scores [3.2, 5.1, -1.7] with correct class cat your loss is "
                "{got}, expected -ln(0.13) = 2.04.",
                got=f"{example:.4g}",
            )
        )
    one = expect_number(call(COMPARISON_SCORES, COMPARISON_LABELS), what=_("Your loss"))
    if not close(one, ref.cross_entropy_loss(COMPARISON_SCORES, COMPARISON_LABELS)):
        fail(
            _(
                "For scores [-2.85, 0.86, 0.28] with correct class 2 your loss is "
                "{got}, expected 1.04.",
                got=f"{one:.4g}",
            )
        )
    # Stability. Large scores close together: exp overflows unless the maximum is
    # subtracted.
    overflow = _(
        "Your loss overflows for scores in the thousands (exp(1000) is infinite). Use "
        "log-sum-exp: subtract each row's maximum m, then -log p_y = -(s_y - m) + "
        "log sum_k exp(s_k - m)."
    )
    big = np.array([[1000.0, 1001.0, 999.0], [1002.0, 995.0, 1003.0]])
    big_y = np.array([0, 2])
    value = _finite_loss(call, big, big_y, overflow, _("Your loss for large scores"))
    if not close(value, ref.cross_entropy_loss(big, big_y)):
        fail(
            _(
                "For scores in the thousands your loss is wrong, although smaller "
                "scores work. Subtract each row's maximum before exponentiating."
            )
        )
    # Rows far apart: subtracting the maximum of the whole array leaves log(0) in the
    # low row.
    global_hint = _(
        "Subtract each row's own maximum (`scores.max(axis=1, keepdims=True)`), not "
        "the maximum of the whole array: in a row far below the global maximum every "
        "exp underflows to 0, and log(0) = -inf."
    )
    apart = np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1001.0, -999.0]])
    apart_y = np.array([1, 2])
    value = _finite_loss(
        call, apart, apart_y, global_hint, _("Your loss for rows far apart")
    )
    mistake(not close(value, ref.cross_entropy_loss(apart, apart_y)), global_hint)
    # A very wrong example: p_y underflows to 0, so log(softmax) gives -inf.
    underflow = _(
        "Your loss is infinite (or warns) when the correct class's probability is "
        "tiny: softmax gives exactly 0 for a class 1000 below the best, and log(0) = "
        "-inf. Do not take the log of the probabilities; compute the log-probability "
        "directly with log-sum-exp: s_y - m - log sum_k exp(s_k - m)."
    )
    wrong = np.array([[0.0, 1000.0, 2.0], [1.0, 0.0, -3.0], [1000.0, -1000.0, 0.0]])
    wrong_y = np.array([0, 0, 1])
    value = _guarded(
        call,
        wrong,
        wrong_y,
        warning_hint=lambda error: (
            _spread_overflow_hint(_("loss")) if _is_overflow(error) else underflow
        ),
    )
    if (
        value is not None
        and np.size(value) == 1
        and not np.isfinite(np.asarray(value, dtype=float))
    ):
        fail(underflow)
    value = expect_number(value, what=_("Your loss for a very wrong example"))
    if not close(value, ref.cross_entropy_loss(wrong, wrong_y)):
        fail(
            _(
                "For very wrong examples (the correct class 1000 or 2000 below the "
                "best) your mean loss is {got}, expected {expected}: such an example "
                "costs about 1000 or 2000. Use log-sum-exp rather than clipping the "
                "probabilities.",
                got=f"{value:.4g}",
                expected=f"{ref.cross_entropy_loss(wrong, wrong_y):.4g}",
            )
        )
    # Properties: shift invariance; equal scores cost ln C.
    shifted = expect_number(call(S2 - 50.0, y2), what=_("Your loss"))
    if not close(shifted, out2):
        fail(
            _(
                "Adding a constant to every score must not change the cross-entropy, "
                "but yours changed."
            )
        )
    uniform = expect_number(
        call(np.zeros((4, 10)), np.array([0, 3, 5, 9])), what=_("Your loss")
    )
    if not close(uniform, np.log(10)):
        fail(
            _(
                "With all scores equal (10 classes) the loss must be ln 10 = 2.303, "
                "you got {got}.",
                got=f"{uniform:.4g}",
            )
        )


# --------------------------------------------------------------------------------------
# sigmoid
# --------------------------------------------------------------------------------------

_SIGMOID_OVERFLOW = N_(
    "Your sigmoid overflows for large |z| (1 / (1 + exp(-z)) needs exp(1000) "
    "when z = -1000). Compute with e = np.exp(-np.abs(z)), which is never above "
    "1: sigma(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0. Note that "
    "np.where evaluates both branches on every element, so each branch must be "
    "safe on its own."
)


SIGMOID_CASE = np.array([-3.0, -0.5, 0.8, 2.5])


@catalogue("sigmoid", inputs=lambda: [(SIGMOID_CASE,)])
def _sigmoid_mistakes(z):
    s = 1.0 / (1.0 + np.exp(-z))
    return [
        (
            1.0 - s,
            _(
                "Sign error: you computed 1 / (1 + exp(z)) = 1 - sigma(z). The sigmoid "
                "1 / (1 + exp(-z)) increases with z, and sigma(2.5) is about 0.92."
            ),
        ),
        (
            1.0 / (1.0 - np.exp(-z)),
            _("Your denominator is 1 - exp(-z); the sigmoid is 1 / (1 + exp(-z))."),
        ),
        (
            np.tanh(z),
            _(
                "That is tanh(z), which lies in (-1, 1). The sigmoid is 1 / (1 + "
                "exp(-z)), in (0, 1)."
            ),
        ),
        (
            0.5 + 0.5 * np.tanh(z),
            _(
                "You computed 0.5 * (1 + tanh(z)); the identity is "
                "sigma(z) = 0.5 * (1 + tanh(z / 2)): halve z inside tanh."
            ),
        ),
        (np.exp(-z), _("You returned exp(-z); the sigmoid is 1 / (1 + exp(-z)).")),
        (
            1.0 / (1.0 + 10.0**-z),
            _(
                "You used 10 ** -z; the sigmoid uses the natural exponential, "
                "np.exp(-z)."
            ),
        ),
        (
            s * (1 - s),
            _(
                "You returned the derivative sigma(z) (1 - sigma(z)); the exercise "
                "asks for sigma(z) itself."
            ),
        ),
        (
            1.0 / (1.0 + np.exp(-np.abs(z))),
            _(
                "For negative z you return sigma(|z|), which is above 0.5: with e = "
                "exp(-|z|) the sigmoid is 1 / (1 + e) for z >= 0 but e / (1 + e) for z "
                "< 0."
            ),
        ),
        (
            AnyOf(*(np.round(s, d) for d in range(1, 7))),
            _(
                "You rounded the result; return sigma(z) unrounded (round only when "
                "you print)."
            ),
        ),
    ]


@exercise("sigmoid", reference=ref.sigmoid, chapter=2)
def check_sigmoid(call):
    z = np.array([-3.0, -0.5, 0.8, 2.5])
    out = expect_array(call(z), what=_("Your sigmoid"))
    if out.shape != z.shape:
        fail(
            _(
                "sigmoid works elementwise: for an input of shape {shape} return the "
                "same shape, got {got}.",
                shape=f"{z.shape}",
                got=f"{out.shape}",
            )
        )
    _sigmoid_mistakes.match(out, z)
    s = ref.sigmoid(z)
    if not close(out, s):
        differs(
            _(
                "For z = {z} your sigmoid gives {got}, expected {expected}.",
                z=f"{z.tolist()}",
                got=f"{out.tolist()}",
                expected=f"{s.tolist()}",
            )
        )
    grid = np.array([[-2.0, 0.0], [1.0, 4.0]])
    out2 = expect_array(call(grid), what=_("Your sigmoid"))
    if out2.shape != grid.shape or not close(out2, 1.0 / (1.0 + np.exp(-grid))):
        fail(
            _(
                "sigmoid works elementwise on arrays of any shape (and sigma(0) = "
                "0.5); on the 2 x 2 array [[-2, 0], [1, 4]] yours does not."
            )
        )
    # Stability: z = -1000 and +1000 must give 0 and 1 without an overflow warning.
    extreme = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    overflow = translate(_SIGMOID_OVERFLOW)
    out3 = _guarded(call, extreme, warning_hint=overflow)
    if isinstance(out3, np.ndarray) and not np.all(np.isfinite(out3)):
        fail(overflow)
    out3 = expect_array(out3, shape=(5,), what=_("Your sigmoid of large inputs"))
    if not close(out3, ref.sigmoid(extreme), rtol=1e-9, atol=1e-15):
        fail(
            _(
                "For z = {z} your sigmoid gives {got}, expected about "
                "[0, 1.9e-22, 0.5, 1, 1]. Clipping z too much loses the tiny values.",
                z=f"{extreme.tolist()}",
                got=f"{out3.tolist()}",
            )
        )
    # Integer input: an output array copied from an int z would truncate every value to
    # 0 or 1.
    ints = np.array([-2, 0, 3])
    out4 = expect_array(
        call(ints), shape=(3,), what=_("Your sigmoid of an integer array")
    )
    if not close(out4, ref.sigmoid(ints)):
        fail(
            _(
                "For the integer array [-2, 0, 3] your sigmoid gives {got}. An output "
                "made with np.empty_like(z) or z.copy() inherits z's integer dtype "
                "and truncates the results: create it with dtype=float.",
                got=f"{out4.tolist()}",
            )
        )
    symmetric = expect_array(call(-z), shape=z.shape, what=_("Your sigmoid"))
    if not close(symmetric, 1.0 - out):
        fail(_("The sigmoid must satisfy sigma(-z) = 1 - sigma(z); yours does not."))
