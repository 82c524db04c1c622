"""Checks for chapter 7: training in practice.

Random draws (``init_weights``, ``sample_log_uniform``) are checked by their statistics
on tens of thousands of values, with tolerances of several standard errors, and by
whether they come from the generator they were given. ``FullyConnectedNet``'s dropout
masks are reproduced exactly from the seed protocol its statement prescribes, so its
training-mode loss and gradients are compared with an exact computation.
"""

import math

import numpy as np

from ..gradient_check import eval_numerical_gradient, rel_error
from ..i18n import N_, _, translate
from ..reference import fc_net as ref_fc
from ..reference import practice as ref
from ..reference.losses import softmax_loss
from .core import (
    CheckFailed,
    NotAttempted,
    close,
    exercise,
    expect_array,
    expect_loss_and_grads,
    expect_number,
    fail,
    mistake,
)

# --------------------------------------------------------------------------------------
# init_weights
# --------------------------------------------------------------------------------------

#: std formulas a learner may write instead of the right one: name -> (std(fan_in,
#: fan_out), hint)
_STD_FORMULAS = {
    "he": lambda n_in, n_out: math.sqrt(2 / n_in),
    "xavier": lambda n_in, n_out: math.sqrt(2 / (n_in + n_out)),
    "he with fan_out": lambda n_in, n_out: math.sqrt(2 / n_out),
    "1/fan_in": lambda n_in, n_out: math.sqrt(1 / n_in),
    "1/(fan_in + fan_out)": lambda n_in, n_out: math.sqrt(1 / (n_in + n_out)),
    "variance as std (he)": lambda n_in, n_out: 2 / n_in,
    "variance as std (xavier)": lambda n_in, n_out: 2 / (n_in + n_out),
    "uniform bound": lambda n_in, n_out: math.sqrt(6 / (n_in + n_out)),
    "xavier with fan_out": lambda n_in, n_out: math.sqrt(2 / n_out),
}

#: Hints for a std that matches a wrong formula; translated where shown.
_INIT_HINTS = {
    ("he", "he with fan_out"): N_(
        "Your He weights use fan_out: their std is sqrt(2 / fan_out). He "
        "initialization keeps the variance of the forward signal, which sums fan_in "
        "inputs, so Var = 2 / fan_in."
    ),
    ("he", "1/fan_in"): N_(
        "Your He weights have variance 1 / fan_in (LeCun's). A ReLU zeroes half of its "
        "inputs, so He doubles it: Var = 2 / fan_in."
    ),
    ("he", "xavier"): N_(
        "Your He weights have the Xavier variance 2 / (fan_in + fan_out); He's is 2 / "
        "fan_in."
    ),
    ("he", "variance as std (he)"): N_(
        "Your He weights have standard deviation 2 / fan_in, which is the variance. "
        "Multiply the standard normal draws by sqrt(2 / fan_in)."
    ),
    ("xavier", "1/(fan_in + fan_out)"): N_(
        "Your Xavier weights have variance 1 / (fan_in + fan_out): the factor 2 is "
        "missing. Glorot's compromise averages fan_in and fan_out: Var = 1 / ((fan_in "
        "+ fan_out) / 2) = 2 / (fan_in + fan_out)."
    ),
    ("xavier", "variance as std (xavier)"): N_(
        "Your Xavier weights have standard deviation 2 / (fan_in + fan_out), which is "
        "the variance. Multiply the standard normal draws by sqrt(2 / (fan_in + "
        "fan_out))."
    ),
    ("xavier", "he"): N_(
        "Your Xavier weights have He's variance 2 / fan_in; Xavier's is 2 / (fan_in + "
        "fan_out)."
    ),
    ("xavier", "1/fan_in"): N_(
        "Your Xavier weights have variance 1 / fan_in (LeCun's, forward pass only); "
        "Xavier averages fan_in and fan_out: Var = 2 / (fan_in + fan_out)."
    ),
    ("xavier", "uniform bound"): N_(
        "Your Xavier weights have standard deviation sqrt(6 / (fan_in + fan_out)): "
        "that is the *bound* a of Glorot's uniform version U(-a, a), whose variance is "
        "a**2 / 3. For Gaussian weights the std is sqrt(2 / (fan_in + fan_out))."
    ),
    ("xavier", "xavier with fan_out"): N_(
        "Your Xavier weights have variance 2 / fan_out; Xavier's is 2 / (fan_in + "
        "fan_out)."
    ),
}

_SHAPES = ((400, 100), (100, 400))


def _weights(call, fan_in, fan_out, scheme, seed):
    W = call(fan_in, fan_out, scheme, np.random.default_rng(seed))
    W = expect_array(W, what=f"init_weights({fan_in}, {fan_out}, {scheme!r}, rng)")
    mistake(
        W.shape == (fan_out, fan_in),
        _(
            "init_weights({fan_in}, {fan_out}, ...) has shape {shape}: it is "
            "transposed. In code a layer computes x @ W with x (N, fan_in), so W is "
            "(fan_in, fan_out).",
            fan_in=fan_in,
            fan_out=fan_out,
            shape=W.shape,
        ),
    )
    if W.shape != (fan_in, fan_out):
        fail(
            _(
                "init_weights({fan_in}, {fan_out}, {scheme}, rng) has shape {shape}, "
                "expected ({fan_in}, {fan_out}).",
                fan_in=fan_in,
                fan_out=fan_out,
                scheme=repr(scheme),
                shape=W.shape,
            )
        )
    return W


@exercise("init_weights", reference=ref.init_weights, chapter=7)
def check_init_weights(call):
    for scheme in ("he", "xavier"):
        stds = []
        for n_in, n_out in _SHAPES:
            W = _weights(call, n_in, n_out, scheme, seed=0)
            mistake(
                call.global_random_changed,
                _(
                    "Your init_weights draws from NumPy's global generator "
                    "(np.random.randn, ...). Draw from the generator it is given: "
                    "rng.standard_normal((fan_in, fan_out))."
                ),
            )
            std = float(W.std())
            mistake(
                std == 0,
                _(
                    "All entries of your {scheme} weights are equal. Equal weights "
                    "make every unit of a layer compute the same thing for ever "
                    "(symmetry): draw them at random.",
                    scheme=repr(scheme),
                ),
            )
            right = _STD_FORMULAS[scheme](n_in, n_out)
            mistake(
                abs(float(W.mean())) > 0.2 * right,
                _(
                    "Your {scheme} weights have mean {mean}; they should have mean 0. "
                    "Draw rng.standard_normal (not rng.random, which is uniform on "
                    "[0, 1)).",
                    scheme=repr(scheme),
                    mean=f"{float(W.mean()):.3g}",
                ),
            )
            stds.append(std)
        for (owner, wrong), hint in _INIT_HINTS.items():
            if owner != scheme:
                continue
            if all(
                abs(s / _STD_FORMULAS[wrong](*shape) - 1) < 0.03
                for s, shape in zip(stds, _SHAPES)
            ):
                fail(translate(hint))
        for s, (n_in, n_out) in zip(stds, _SHAPES):
            right = _STD_FORMULAS[scheme](n_in, n_out)
            if abs(s / right - 1) > 0.03:
                formula = (
                    "sqrt(2 / fan_in)"
                    if scheme == "he"
                    else "sqrt(2 / (fan_in + fan_out))"
                )
                fail(
                    _(
                        "init_weights({fan_in}, {fan_out}, {scheme}, rng) should have "
                        "standard deviation {formula} = {right}; yours has {std}.",
                        fan_in=n_in,
                        fan_out=n_out,
                        scheme=repr(scheme),
                        formula=formula,
                        right=f"{right:.4f}",
                        std=f"{s:.4f}",
                    )
                )
        W = _weights(call, 400, 100, scheme, seed=0)
        tail = float(np.mean(np.abs(W) > 2 * W.std()))
        mistake(
            tail < 0.03,
            _(
                "Your {scheme} weights never (or rarely: {share}) lie beyond two "
                "standard deviations, where a Gaussian puts 4.6% of its draws: they "
                "come from a uniform or truncated distribution. The statement asks "
                "for Gaussian weights: std * rng.standard_normal((fan_in, fan_out)).",
                scheme=repr(scheme),
                share=f"{tail:.2%}",
            ),
        )
        again = _weights(call, 400, 100, scheme, seed=0)
        mistake(
            not np.array_equal(again, W),
            _(
                "Two calls with generators of the same seed gave different weights: "
                "draw from the rng argument, not from a generator of your own."
            ),
        )
        other = _weights(call, 400, 100, scheme, seed=1)
        mistake(
            np.array_equal(other, W),
            _(
                "Generators with seeds 0 and 1 gave the same weights: your "
                "init_weights ignores its rng argument (a fixed seed inside?). Draw "
                "from rng."
            ),
        )
    small = _weights(call, 3, 2, "he", seed=0)
    expect_array(small, shape=(3, 2), what="init_weights(3, 2, 'he', rng)", kind="f")
    _check_unknown_scheme(call)


def _check_unknown_scheme(call):
    try:
        out = call(10, 5, "lecun", np.random.default_rng(0))
    except CheckFailed as failure:
        # Decided from the attributes, not from the (translated) message text.
        if failure.kind == "raised" and isinstance(failure.error, ValueError):
            return
        if failure.kind == "raised":
            fail(
                _(
                    "An unknown scheme ('lecun') raised {raised}; raise ValueError "
                    "instead, with a "
                    'message naming the known schemes: raise ValueError(f"unknown '
                    "scheme "
                    '{{scheme!r}}").',
                    raised=type(failure.error).__name__,
                )
            )
        raise
    fail(
        _(
            "init_weights(10, 5, 'lecun', rng) returned {type} instead of raising "
            "ValueError. A typo in a scheme name must not silently give some other "
            "initialization: raise ValueError for any scheme other than 'xavier' and "
            "'he'.",
            type=type(out).__name__,
        )
    )


# --------------------------------------------------------------------------------------
# cosine_schedule
# --------------------------------------------------------------------------------------


def _cos(
    lr0,
    s,
    total,
    warm,
    lr_min,
    *,
    start=None,
    denom=None,
    half=0.5,
    clamp=True,
    use_pi=True,
):
    start = warm if start is None else start
    denom = (total - warm) if denom is None else denom
    progress = (s - start) / denom
    if clamp and s >= total:
        return lr_min
    angle = math.pi * progress if use_pi else progress
    return lr_min + half * (lr0 - lr_min) * (1 + math.cos(angle))


def _schedule_variants(lr0, total, warm, lr_min):
    """Wrong schedules a learner may write: (function of step, hint)."""
    right = lambda s: ref.cosine_schedule(lr0, s, total, warm, lr_min)  # noqa: E731
    decay = lambda s, **kw: _cos(lr0, s, total, warm, lr_min, **kw)  # noqa: E731
    return [
        (
            lambda s: lr0 * (s + 1) / warm if s < warm else decay(s),
            _(
                "Your warm-up is off by one step: it gives lr0 * (step + 1) / "
                "warmup_steps, so step 0 already has a nonzero rate and lr0 is reached "
                "one step early. The statement's warm-up is lr0 * step / warmup_steps: "
                "0 at step 0, lr0 at step warmup_steps."
            ),
        ),
        (
            lambda s: lr0 * s / (warm - 1) if s < warm else decay(s),
            _(
                "Your warm-up reaches lr0 at step warmup_steps - 1 (it divides by "
                "warmup_steps - 1). The statement's warm-up is lr0 * step / "
                "warmup_steps."
            ),
        ),
        (
            lambda s: right(s) if s < warm else decay(s, start=0, denom=total),
            _(
                "Your cosine starts at step 0 instead of at the end of the warm-up: "
                "after warm-up the rate should be lr0 at step warmup_steps and fall to "
                "lr_min at total_steps, with progress = (step - warmup_steps) / "
                "(total_steps - warmup_steps)."
            ),
        ),
        (
            lambda s: right(s) if s < warm else decay(s, denom=total),
            _(
                "Your cosine divides by total_steps instead of total_steps - "
                "warmup_steps, so it has not reached lr_min at total_steps. Use "
                "progress = (step - warmup_steps) / (total_steps - warmup_steps)."
            ),
        ),
        (
            lambda s: right(s) if s < warm else decay(s, half=1.0),
            _(
                "Your cosine starts at 2 * lr0 - lr_min: the factor 1/2 is missing. "
                "The half cosine is lr_min + 0.5 * (lr0 - lr_min) * (1 + cos(pi * "
                "progress))."
            ),
        ),
        (
            lambda s: right(s) if s < warm else _cos(lr0, s, total, warm, 0.0),
            _(
                "Your schedule ignores lr_min: it decays to 0. Decay from lr0 to "
                "lr_min: lr_min + 0.5 * (lr0 - lr_min) * (1 + cos(pi * progress))."
            ),
        ),
        (
            lambda s: (
                right(s) if s < warm or s >= total else _cos(lr0, s, total, warm, 0.0)
            ),
            _(
                "Your schedule ignores lr_min until total_steps: its cosine decays to "
                "0, then jumps to lr_min. Decay from lr0 to lr_min: lr_min + 0.5 * "
                "(lr0 - lr_min) * (1 + cos(pi * progress))."
            ),
        ),
        (
            lambda s: (
                right(s)
                if s < warm
                else (
                    lr_min
                    + 0.5
                    * lr0
                    * (1 + math.cos(math.pi * min(1.0, (s - warm) / (total - warm))))
                )
            ),
            _(
                "Your schedule starts its cosine at lr0 + lr_min: you added lr_min to "
                "the whole cosine of lr0. Scale the cosine by the range: lr_min + 0.5 "
                "* (lr0 - lr_min) * (1 + cos(...))."
            ),
        ),
        (
            lambda s: right(s) if s < total else decay(s, clamp=False),
            _(
                "After total_steps your rate rises again: cos keeps going past pi. "
                "After total_steps the rate stays at lr_min."
            ),
        ),
        (
            lambda s: right(s) if s < warm else decay(s, use_pi=False),
            _(
                "Your cosine is cos(progress), in radians from 0 to 1, so it hardly "
                "decays; the half cosine runs from 0 to pi: cos(pi * progress)."
            ),
        ),
        (
            lambda s: (
                right(s)
                if s < warm
                else (lr0 + (lr_min - lr0) * min(1.0, (s - warm) / (total - warm)))
            ),
            _(
                "Your decay after warm-up is a straight line; the statement asks for a "
                "half cosine: lr_min + 0.5 * (lr0 - lr_min) * (1 + cos(pi * "
                "progress))."
            ),
        ),
        (
            lambda s: _cos(lr0, s, total, 0, lr_min),
            _(
                "Your schedule skips the warm-up: during the first warmup_steps steps "
                "the rate should rise linearly from 0, lr0 * step / warmup_steps."
            ),
        ),
        (
            lambda s: lr_min + (lr0 - lr_min) * s / warm if s < warm else decay(s),
            _(
                "Your warm-up starts at lr_min; the statement's warm-up rises from 0: "
                "lr0 * step / warmup_steps."
            ),
        ),
    ]


_STEPS = (0, 1, 4, 9, 10, 11, 30, 55, 80, 99, 100, 101, 150)


def _rates(call, lr0, total, warm, lr_min, steps=_STEPS):
    out = []
    for s in steps:
        value = call(lr0, s, total, warm, lr_min)
        out.append(
            expect_number(
                value, what=f"cosine_schedule({lr0}, {s}, {total}, {warm}, {lr_min})"
            )
        )
    return np.array(out)


@exercise("cosine_schedule", reference=ref.cosine_schedule, chapter=7)
def check_cosine_schedule(call):
    lr0, total, warm, lr_min = 0.1, 100, 10, 0.002
    got = _rates(call, lr0, total, warm, lr_min)
    right = np.array([ref.cosine_schedule(lr0, s, total, warm, lr_min) for s in _STEPS])
    if not close(got, right, rtol=1e-9, atol=1e-12):
        for variant, hint in _schedule_variants(lr0, total, warm, lr_min):
            mistake(
                close(got, [variant(s) for s in _STEPS], rtol=1e-9, atol=1e-12), hint
            )
        bad = int(np.argmax(~np.isclose(got, right, rtol=1e-9, atol=1e-12)))
        fail(
            _(
                "cosine_schedule({lr0}, step={step}, total_steps={total}, "
                "warmup_steps={warm}, lr_min={lr_min}) should be {right}; yours gives "
                "{got}.",
                lr0=lr0,
                step=_STEPS[bad],
                total=total,
                warm=warm,
                lr_min=lr_min,
                right=f"{right[bad]:.6g}",
                got=f"{got[bad]:.6g}",
            )
        )
    # No warm-up (the default), called with keywords and with the defaults left out.
    try:
        no_warm = [
            expect_number(call(0.5, s, 20), what=f"cosine_schedule(0.5, {s}, 20)")
            for s in (0, 5, 10, 20)
        ]
    except CheckFailed as failure:
        if isinstance(failure.error, ZeroDivisionError):
            fail(
                _(
                    "With warmup_steps = 0 (the default) your schedule divides by "
                    "zero. Without a warm-up, the first step already has lr0: the "
                    "warm-up branch applies only while step < warmup_steps."
                )
            )
        raise
    expected = [ref.cosine_schedule(0.5, s, 20) for s in (0, 5, 10, 20)]
    if not close(no_warm, expected, rtol=1e-9, atol=1e-12):
        fail(
            _(
                "Without warm-up and lr_min = 0, cosine_schedule(0.5, step, 20) should "
                "be {expected} at steps 0, 5, 10, 20; yours gives {got}.",
                expected=[round(v, 4) for v in expected],
                got=[round(v, 4) for v in no_warm],
            )
        )
    keyword = expect_number(
        call(lr0=1.0, step=3, total_steps=8, warmup_steps=4, lr_min=0.1),
        what="cosine_schedule(lr0=1.0, step=3, ...)",
    )
    if not np.isclose(keyword, 0.75):
        fail(
            _(
                "cosine_schedule(lr0=1.0, step=3, total_steps=8, warmup_steps=4, "
                "lr_min=0.1) should be 0.75 (3/4 of the way through the warm-up); "
                "yours gives {got}.",
                got=f"{keyword:.6g}",
            )
        )


# --------------------------------------------------------------------------------------
# update_ratio
# --------------------------------------------------------------------------------------


def _ratio_cases():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((30, 20))
    dw = 0.5 * rng.standard_normal((30, 20)) + 0.3
    return w, dw, 1e-3


@exercise("update_ratio", reference=ref.update_ratio, chapter=7)
def check_update_ratio(call):
    w, dw, lr = _ratio_cases()
    raw = call(w, dw, lr)
    if isinstance(raw, np.ndarray) and raw.ndim == 1:
        fail(
            _(
                "Your update_ratio returned an array of shape {shape}: per-row or "
                "per-column norms. The ratio is one number for the whole array: the "
                "norms run over every entry (np.linalg.norm(x) with no axis, or "
                "np.sqrt(np.sum(x ** 2))).",
                shape=raw.shape,
            )
        )
    got = expect_number(raw, what="update_ratio(w, dw, learning_rate)")
    n = np.linalg.norm
    right = ref.update_ratio(w, dw, lr)
    variants = [
        (
            n(dw) / n(w),
            _(
                "Your ratio leaves out the learning rate: it is ||dw|| / ||w||. What "
                "changes the weights is the update learning_rate * dw, so the ratio is "
                "||learning_rate * dw|| / ||w||."
            ),
        ),
        (
            n(w) / n(lr * dw),
            _(
                "Your ratio is upside down: ||w|| / ||learning_rate * dw||. Divide "
                "the size of the update by the size of the weights."
            ),
        ),
        (
            n(lr * dw) ** 2 / n(w) ** 2,
            _(
                "Your ratio uses squared norms (sums of squares); take "
                "the square roots: ||x|| = sqrt(sum(x ** 2))."
            ),
        ),
        (
            float(np.mean(np.abs(lr * dw / w))),
            _(
                "Your ratio is the mean of the entrywise ratios |learning_rate * dw / "
                "w|, which a single tiny weight can blow up. Divide the norms of the "
                "whole arrays: ||learning_rate * dw|| / ||w||."
            ),
        ),
        (
            np.sum(np.abs(lr * dw)) / np.sum(np.abs(w)),
            _(
                "Your ratio uses sums of absolute values (L1 norms); the statement's "
                "norm is the Euclidean (Frobenius) one: sqrt(sum(x ** 2))."
            ),
        ),
        (
            n(lr * dw, 2) / n(w, 2),
            _(
                "Your ratio uses the spectral norm of the matrices (np.linalg.norm(x, "
                "2)); the statement's norm is the Frobenius norm over all entries: "
                "np.linalg.norm(x) without an ord."
            ),
        ),
        (
            n(w - lr * dw) / n(w),
            _(
                "Your ratio compares the updated weights with the weights, ||w - "
                "learning_rate * dw|| / ||w||, which is close to 1 for any small step. "
                "Measure the update itself: ||learning_rate * dw|| / ||w||."
            ),
        ),
        (lr**2 * n(dw) / n(w), _("Your ratio multiplies by learning_rate twice.")),
    ]
    if not np.isclose(got, right, rtol=1e-6):
        for value, hint in variants:
            mistake(np.isclose(got, value, rtol=1e-6), hint)
        fail(
            _(
                "update_ratio(w, dw, {lr}) should be ||{lr} * dw|| / ||w|| = {right}; "
                "yours gives {got}.",
                lr=lr,
                right=f"{right:.6g}",
                got=f"{got:.6g}",
            )
        )
    # Any shape: a bias vector and a 3-D array.
    rng = np.random.default_rng(1)
    for shape in ((7,), (2, 3, 4)):
        a, da = rng.standard_normal(shape), rng.standard_normal(shape)
        value = expect_number(
            call(a, da, 0.05),
            what=_("update_ratio on arrays of shape {shape}", shape=shape),
        )
        if not np.isclose(value, ref.update_ratio(a, da, 0.05), rtol=1e-6):
            fail(
                _(
                    "On arrays of shape {shape} your ratio is {got}, expected {right}: "
                    "the norms run over every entry, whatever the shape.",
                    shape=shape,
                    got=f"{value:.6g}",
                    right=f"{ref.update_ratio(a, da, 0.05):.6g}",
                )
            )


# --------------------------------------------------------------------------------------
# sample_log_uniform
# --------------------------------------------------------------------------------------


@exercise("sample_log_uniform", reference=ref.sample_log_uniform, chapter=7)
def check_sample_log_uniform(call):
    low, high, size = 1e-4, 1.0, 40_000
    values = call(low, high, size, np.random.default_rng(0))
    values = expect_array(
        values, what=f"sample_log_uniform({low}, {high}, {size}, rng)"
    )
    mistake(
        call.global_random_changed,
        _(
            "Your sample_log_uniform draws from NumPy's global generator; draw from "
            "the rng it is given (rng.uniform), so that a search can be repeated "
            "exactly."
        ),
    )
    if values.shape != (size,):
        fail(
            _(
                "sample_log_uniform({low}, {high}, {size}, rng) has shape {shape}, "
                "expected ({size},): pass size on to rng.uniform.",
                low=low,
                high=high,
                size=size,
                shape=values.shape,
            )
        )
    logs_low, logs_high = math.log(low), math.log(high)
    mistake(
        values.min() >= math.log10(low) - 1e-9 and values.max() <= 1e-9,
        _(
            "Your values lie between log10(low) and log10(high): they are the "
            "exponents. Return 10 ** exponent (or np.exp of draws between ln(low) and "
            "ln(high))."
        ),
    )
    mistake(
        values.min() >= logs_low - 1e-9 and values.max() <= 1e-9,
        _(
            "Your values lie between ln(low) and ln(high): they are the logarithms. "
            "Return np.exp of the uniform draws."
        ),
    )
    mistake(
        values.min() >= math.exp(low) - 1e-9 and values.max() <= math.exp(high) + 1e-9,
        _(
            "Your values lie between exp(low) and exp(high): you exponentiated draws "
            "from [low, high]. Draw uniformly between the logarithms of the bounds, "
            "rng.uniform(np.log(low), np.log(high), size), then take np.exp."
        ),
    )
    if values.min() < low * (1 - 1e-9) or values.max() > high * (1 + 1e-9):
        fail(
            _(
                "Every value should lie in [low, high] = [{low}, {high}]; yours range "
                "from {smallest} to {largest}.",
                low=low,
                high=high,
                smallest=f"{values.min():.3g}",
                largest=f"{values.max():.3g}",
            )
        )
    decades = np.histogram(np.log10(values), bins=4, range=(-4, 0))[0] / size
    mistake(
        decades[-1] > 0.8,
        _(
            "{share} of your values lie in the top decade [0.1, 1]: you sampled "
            "uniformly on [low, high] instead of log-uniformly. A uniform draw puts "
            "90% of the values within a factor of 10 of high; log-uniform gives each "
            "decade an equal share. Draw the *logarithm* uniformly: "
            "np.exp(rng.uniform(np.log(low), np.log(high), size)).",
            share=f"{decades[-1]:.0%}",
        ),
    )
    # Each of 20 equal bins of the logarithm holds 5% of 40,000 draws, +-0.11 points (1
    # s.e.).
    bins = np.histogram(np.log(values), bins=20, range=(logs_low, logs_high))[0] / size
    if np.max(np.abs(bins - 0.05)) > 0.006:
        fail(
            _(
                "The logarithms of your values are not uniform on [ln low, ln high]: "
                "the share in 20 equal bins ranges from {smallest} to {largest} (each "
                "should be 0.05). Draw the logarithm uniformly and exponentiate it.",
                smallest=f"{bins.min():.3f}",
                largest=f"{bins.max():.3f}",
            )
        )
    again = call(low, high, size, np.random.default_rng(0))
    mistake(
        not np.array_equal(again, values),
        _(
            "Two calls with generators of the same seed gave different values: draw "
            "from the rng argument."
        ),
    )
    other = call(low, high, size, np.random.default_rng(1))
    mistake(
        np.array_equal(other, values),
        _(
            "Generators with seeds 0 and 1 gave the same values: your function ignores "
            "its rng argument."
        ),
    )
    grid = expect_array(
        call(0.01, 10.0, (3, 4), np.random.default_rng(2)),
        what="sample_log_uniform(0.01, 10.0, (3, 4), rng)",
    )
    if grid.shape != (3, 4):
        fail(
            _(
                "With size = (3, 4) the result should have shape (3, 4), like "
                "rng.uniform's; yours has {shape}.",
                shape=grid.shape,
            )
        )
    if grid.min() < 0.01 or grid.max() > 10.0:
        fail(
            _(
                "sample_log_uniform(0.01, 10.0, (3, 4), rng) returned values outside "
                "[0.01, 10]."
            )
        )


# --------------------------------------------------------------------------------------
# FullyConnectedNet
# --------------------------------------------------------------------------------------

P_DROP = 0.3


def _names(L):
    return [f"{kind}{i}" for i in range(1, L + 1) for kind in ("W", "b")]


def _loss(call, net, *args):
    loss_fn = getattr(net, "loss", None)
    if not callable(loss_fn):
        fail(_("Your FullyConnectedNet has no method `loss(X, y=None)`."))
    probe = call.labelled("FullyConnectedNet.loss", loss_fn)
    try:
        return probe(*args)
    except NotAttempted:
        fail(
            _(
                "`FullyConnectedNet.loss` still raises NotImplementedError: write the "
                "forward pass (and, when y is given, the loss and gradients)."
            )
        )


def _build(call, hidden_dims, input_dim, num_classes, **kwargs):
    net = call(list(hidden_dims), input_dim, num_classes, **kwargs)
    params = getattr(net, "params", None)
    if not isinstance(params, dict):
        fail(
            _(
                "Your FullyConnectedNet has no dict attribute `params`: store the "
                "weights and biases in self.params = {'W1': ..., 'b1': ..., ..., 'WL': "
                "..., 'bL': ...}."
            )
        )
    L = len(hidden_dims) + 1
    expected = _names(L)
    missing = [k for k in expected if k not in params]
    extra = sorted(set(params) - set(expected))
    if missing or extra:
        count = sum(1 for k in params if str(k).startswith("W"))
        fail(
            _(
                "With hidden_dims = {hidden_dims} the network has L = len(hidden_dims) "
                "+ 1 = {L} affine layers, so params should hold {expected}; yours "
                "holds {got} ({count} weight matrices). The last affine layer maps "
                "the last hidden layer to the num_classes scores.",
                hidden_dims=list(hidden_dims),
                L=L,
                expected=expected,
                got=sorted(params),
                count=count,
            )
        )
    dims = [input_dim, *hidden_dims, num_classes]
    for i in range(1, L + 1):
        W = expect_array(params[f"W{i}"], what=f"params['W{i}']")
        b = expect_array(params[f"b{i}"], what=f"params['b{i}']")
        mistake(
            W.shape == (dims[i], dims[i - 1]) and dims[i] != dims[i - 1],
            _(
                "params['W{i}'] has shape {shape}: it is transposed. With one example "
                "per row, W{i} is (fan_in, fan_out) = {expected}.",
                i=i,
                shape=W.shape,
                expected=(dims[i - 1], dims[i]),
            ),
        )
        if W.shape != (dims[i - 1], dims[i]):
            fail(
                _(
                    "params['W{i}'] has shape {shape}, expected {expected} for "
                    "input_dim = {input_dim}, hidden_dims = {hidden_dims}, "
                    "num_classes = {num_classes}.",
                    i=i,
                    shape=W.shape,
                    expected=(dims[i - 1], dims[i]),
                    input_dim=input_dim,
                    hidden_dims=list(hidden_dims),
                    num_classes=num_classes,
                )
            )
        if b.shape != (dims[i],):
            fail(
                _(
                    "params['b{i}'] has shape {shape}, expected {expected}. Biases are "
                    "1-D.",
                    i=i,
                    shape=b.shape,
                    expected=(dims[i],),
                )
            )
        mistake(
            not np.all(b == 0),
            _("params['b{i}'] should start at zero; only the weights are random.", i=i),
        )
    return net


def _set(net, params):
    for k, v in params.items():
        net.params[k] = v.copy()


def _fixed_params(dims, seed, bias_shift=0.0):
    rng = np.random.default_rng(seed)
    params = {}
    for i, (a, b) in enumerate(zip(dims[:-1], dims[1:]), start=1):
        params[f"W{i}"] = rng.standard_normal((a, b)) / np.sqrt(a)
        params[f"b{i}"] = 0.2 * rng.standard_normal(b) + (
            bias_shift if i < len(dims) - 1 else 0
        )
    return params


def _protocol_masks(seed, shapes, p, keep_is_p=False, scale=True):
    """The masks the statement's seed protocol gives: one seed per hidden layer, in
    order, from default_rng(seed + 1)."""
    rng = np.random.default_rng(seed + 1)
    masks = []
    for shape in shapes:
        draws = np.random.default_rng(int(rng.integers(2**31))).random(shape)
        keep = draws < p if keep_is_p else draws >= p
        masks.append(keep / (1 - p) if scale else keep * 1.0)
    return masks


def _manual(params, X, y, reg=0.0, masks=None, backward_masks=True, reg_biases=False):
    """The architecture computed directly, with given dropout masks (None: no dropout).

    Returns scores, or (loss, grads) when y is given."""
    L = len(params) // 2
    h, saved = X, []
    for i in range(1, L):
        a = h @ params[f"W{i}"] + params[f"b{i}"]
        m = None if masks is None else masks[i - 1]
        out = np.maximum(0, a) * (1 if m is None else m)
        saved.append((h, a, m))
        h = out
    scores = h @ params[f"W{L}"] + params[f"b{L}"]
    if y is None:
        return scores
    loss, d = softmax_loss(scores, y)
    penalized = [k for k in params if k.startswith("W") or reg_biases]
    loss += 0.5 * reg * sum(float(np.sum(params[k] ** 2)) for k in penalized)
    grads = {f"W{L}": h.T @ d, f"b{L}": d.sum(axis=0)}
    dh = d @ params[f"W{L}"].T
    for i in range(L - 1, 0, -1):
        h_in, a, m = saved[i - 1]
        if m is not None and backward_masks:
            dh = dh * m
        da = dh * (a > 0)
        grads[f"W{i}"], grads[f"b{i}"] = h_in.T @ da, da.sum(axis=0)
        dh = da @ params[f"W{i}"].T
    for k in penalized:
        grads[k] = grads[k] + reg * params[k]
    return loss, grads


def _scores(call, net, X, C, what=None):
    out = _loss(call, net, X)
    if isinstance(out, tuple):
        fail(
            _(
                "loss(X) without labels returned a tuple; when y is None return the "
                "scores (N, C) only."
            )
        )
    if what is None:
        what = _("the scores of loss(X)")
    return expect_array(out, shape=(X.shape[0], C), what=what)


def _loss_and_grads(call, net, X, y, names):
    return expect_loss_and_grads(_loss(call, net, X, y), net.params, names)


def _check_init(call):
    hidden, D, C = (100, 200), 300, 10
    dims = [D, *hidden, C]
    plain = _build(call, hidden, D, C, weight_scale=0.05, seed=0)
    for i in range(1, 4):
        std = float(plain.params[f"W{i}"].std())
        mistake(
            std == 0,
            _(
                "All entries of params['W{i}'] are equal: identical weights make "
                "every unit of a layer compute the same thing for ever (symmetry).",
                i=i,
            ),
        )
        mistake(
            abs(std - 1) < 0.1,
            _(
                "params['W{i}'] has standard deviation {std} with weight_scale = 0.05 "
                "and init = None: multiply the standard normal draws by weight_scale.",
                i=i,
                std=f"{std:.2f}",
            ),
        )
        if abs(std / 0.05 - 1) > 0.1:
            fail(
                _(
                    "With init = None, params['W{i}'] should have standard deviation "
                    "weight_scale = 0.05; yours has {std}.",
                    i=i,
                    std=f"{std:.4f}",
                )
            )
    again = _build(call, hidden, D, C, weight_scale=0.05, seed=0)
    mistake(
        not all(np.array_equal(again.params[k], plain.params[k]) for k in plain.params),
        _(
            "Two networks built with seed=0 have different weights: draw them from "
            "np.random.default_rng(seed), not from the global generator."
        ),
    )
    other = _build(call, hidden, D, C, weight_scale=0.05, seed=1)
    mistake(
        np.array_equal(other.params["W1"], plain.params["W1"]),
        _(
            "Networks built with seed=0 and seed=1 have the same weights: your weights "
            "ignore the seed argument."
        ),
    )
    w1, w2 = plain.params["W1"].ravel(), plain.params["W2"].ravel()
    mistake(
        np.array_equal(w2, w1[: w2.size]),
        _(
            "Your layers start from the same random numbers: every layer makes a new "
            "generator with the same seed. Create one rng = "
            "np.random.default_rng(seed) and draw every layer from it in turn."
        ),
    )
    for scheme in ("he", "xavier"):
        net = _build(call, hidden, D, C, init=scheme, seed=0)
        for i in range(1, 4):
            n_in, n_out = dims[i - 1], dims[i]
            right = _STD_FORMULAS[scheme](n_in, n_out)
            std = float(net.params[f"W{i}"].std())
            tol = 0.1 if i == 3 else 0.05
            if abs(std / right - 1) <= tol:
                continue
            mistake(
                abs(std / 1e-2 - 1) < 0.1,
                _(
                    "With init = {scheme}, params['W{i}'] has standard deviation "
                    "{std}, the default weight_scale: your network ignores init. Draw "
                    "the weights with init_weights(fan_in, fan_out, {scheme}, rng) "
                    "when init is given.",
                    scheme=repr(scheme),
                    i=i,
                    std=f"{std:.4f}",
                ),
            )
            mistake(
                abs(std / (1e-2 * right) - 1) < tol,
                _(
                    "With init = {scheme}, params['W{i}'] also carries the factor "
                    "weight_scale. When init is given, the scheme alone sets the "
                    "scale: weight_scale is unused.",
                    scheme=repr(scheme),
                    i=i,
                ),
            )
            other_scheme = "xavier" if scheme == "he" else "he"
            mistake(
                abs(std / _STD_FORMULAS[other_scheme](n_in, n_out) - 1) < tol,
                _(
                    "With init = {scheme}, params['W{i}'] has the {other} scale: pass "
                    "init on to init_weights.",
                    scheme=repr(scheme),
                    i=i,
                    other=other_scheme,
                ),
            )
            mistake(
                abs(std / _STD_FORMULAS[f"{scheme} with fan_out"](n_in, n_out) - 1)
                < tol,
                _(
                    "With init = {scheme}, params['W{i}'] uses fan_out where fan_in "
                    "belongs: W{i} is (fan_in, fan_out) = {dims}, and init_weights "
                    "takes (fan_in, fan_out, scheme, rng) in that order.",
                    scheme=repr(scheme),
                    i=i,
                    dims=(n_in, n_out),
                ),
            )
            fail(
                _(
                    "With init = {scheme}, params['W{i}'] {dims} should have standard "
                    "deviation {right}; yours has {std}.",
                    scheme=repr(scheme),
                    i=i,
                    dims=(n_in, n_out),
                    right=f"{right:.4f}",
                    std=f"{std:.4f}",
                )
            )


@exercise(
    "FullyConnectedNet", reference=ref_fc.FullyConnectedNet, chapter=7, time_limit=20.0
)
def check_fully_connected_net(call):
    hidden, D, C = (7, 6), 5, 3
    dims = [D, *hidden, C]
    names = _names(3)
    net = _build(call, hidden, D, C, weight_scale=1e-2, seed=0)
    _check_init(call)

    # --- scores with fixed parameters
    # --------------------------------------------------------
    rng = np.random.default_rng(7)
    X, y = rng.standard_normal((6, D)), rng.integers(0, C, size=6)
    params = _fixed_params(dims, 8)
    _set(net, params)
    scores = _scores(call, net, X, C)
    right = _manual(params, X, None)
    initial = _manual(
        {
            k: v
            for k, v in _build(
                call, hidden, D, C, weight_scale=1e-2, seed=0
            ).params.items()
        },
        X,
        None,
    )
    mistake(
        close(scores, initial) and not close(scores, right),
        _(
            "loss(X) ignores the parameters the check set in net.params; read the "
            "weights from self.params in loss (the training loop updates them there)."
        ),
    )
    negated, zero = _scores(call, net, -X, C), _scores(call, net, np.zeros_like(X), C)
    mistake(
        close(scores + negated, 2 * zero),
        _(
            "Your scores are an affine function of X: the ReLUs are missing. Every "
            "hidden layer is affine -> ReLU; without them the layers collapse into one "
            "linear classifier."
        ),
    )
    mistake(
        close(scores, np.maximum(0, right)),
        _(
            "You applied a ReLU to the scores. The last affine layer has no "
            "activation: its output goes straight into the softmax."
        ),
    )
    no_bias = {k: (v if k.startswith("W") else 0 * v) for k, v in params.items()}
    mistake(
        close(scores, _manual(no_bias, X, None)),
        _("Your layers leave out the biases: every affine layer computes x @ W + b."),
    )
    if not close(scores, right):
        fail(
            _(
                "loss(X) should return the scores of affine -> ReLU -> affine -> ReLU "
                "-> affine with the weights in self.params; yours differ."
            )
        )

    # --- loss and gradients, without and with regularization
    # ---------------------------------
    value, grads = _loss_and_grads(call, net, X, y, names)
    ref_value, ref_grads = _manual(params, X, y)
    mistake(
        np.isclose(value, ref_value * X.shape[0]),
        _(
            "Your loss is summed over the batch; average it (divide by N), and the "
            "gradients too."
        ),
    )
    if not np.isclose(value, ref_value, rtol=1e-6):
        fail(
            _(
                "With reg = 0 the loss should be the mean softmax loss of the scores, "
                "{right}; yours is {got}.",
                right=f"{ref_value:.4f}",
                got=f"{value:.4f}",
            )
        )
    _gradient_check(net, grads, X, y, names, reg=0.0)

    reg = 0.7
    rnet = _build(call, hidden, D, C, weight_scale=1e-2, reg=reg, seed=0)
    _set(rnet, params)
    rvalue, rgrads = _loss_and_grads(call, rnet, X, y, names)
    r_ref_value, r_ref_grads = _manual(params, X, y, reg=reg)
    squares = {k: float(np.sum(v**2)) for k, v in params.items()}
    weights = sum(v for k, v in squares.items() if k.startswith("W"))
    mistake(
        np.isclose(rvalue, ref_value),
        _("Your loss ignores reg: add 0.5 * reg * sum(W**2) over every weight matrix."),
    )
    mistake(
        np.isclose(rvalue, ref_value + reg * weights),
        _(
            "Your penalty is reg * sum(W**2) without the 1/2. The course's L2 penalty "
            "is 0.5 * reg * sum(W**2), whose gradient is reg * W."
        ),
    )
    mistake(
        np.isclose(rvalue, ref_value + 0.5 * reg * sum(squares.values())),
        _(
            "You also penalize the biases; L2 regularization applies to the weight "
            "matrices W1, ..., WL only."
        ),
    )
    for k in ("W1", "W3"):
        mistake(
            np.isclose(rvalue, ref_value + 0.5 * reg * squares[k]),
            _(
                "Your penalty covers only {name}; regularize every weight matrix W1, "
                "..., WL.",
                name=k,
            ),
        )
    mistake(
        np.isclose(rvalue, ref_value + 0.5 * reg * (squares["W1"] + squares["W2"])),
        _(
            "Your penalty leaves out the last layer's weights WL; regularize every "
            "weight matrix."
        ),
    )
    if not np.isclose(rvalue, r_ref_value, rtol=1e-6):
        fail(
            _(
                "With reg = {reg} the loss should be {right} (data loss plus 0.5 * reg "
                "* sum of W**2 over every weight matrix); yours is {got}.",
                reg=reg,
                right=f"{r_ref_value:.4f}",
                got=f"{rvalue:.4f}",
            )
        )
    for k in names:
        if k.startswith("W"):
            mistake(
                close(rgrads[k], ref_grads[k]),
                _(
                    "grads['{name}'] leaves out the regularization gradient: add reg * "
                    "{name}.",
                    name=k,
                ),
            )
            mistake(
                close(rgrads[k], ref_grads[k] + 2 * reg * params[k]),
                _(
                    "grads['{name}'] adds 2 * reg * {name}; the derivative of "
                    "0.5 * reg * sum(W**2) is reg * {name}.",
                    name=k,
                ),
            )
        else:
            mistake(
                close(rgrads[k], ref_grads[k] + reg * params[k]),
                _(
                    "grads['{name}'] has a regularization term, but the biases are not "
                    "regularized.",
                    name=k,
                ),
            )
    _gradient_check(rnet, rgrads, X, y, names, reg=reg)

    _check_dropout(call, hidden, D, C)


def _gradient_check(net, grads, X, y, names, reg):
    for k in names:
        num = eval_numerical_gradient(lambda _: float(net.loss(X, y)[0]), net.params[k])
        err = rel_error(grads[k], num)
        if err > 1e-5:
            if reg:
                fail(
                    _(
                        "grads['{name}'] disagrees with the numerical gradient with "
                        "regularization (relative error {error}, it should be below "
                        "1e-5). Retrace the backward pass: the last affine layer "
                        "first, then for each hidden layer dropout, ReLU and affine "
                        "backward, each with its own cache.",
                        name=k,
                        error=f"{err:.1e}",
                    )
                )
            fail(
                _(
                    "grads['{name}'] disagrees with the numerical gradient without "
                    "regularization (relative error {error}, it should be below "
                    "1e-5). Retrace the backward pass: the last affine layer first, "
                    "then for each hidden layer dropout, ReLU and affine backward, "
                    "each with its own cache.",
                    name=k,
                    error=f"{err:.1e}",
                )
            )


def _check_dropout(call, hidden, D, C):
    dims = [D, *hidden, C]
    params = _fixed_params(dims, 9, bias_shift=1.0)
    rng = np.random.default_rng(10)
    X, y = rng.standard_normal((40, D)), rng.integers(0, C, size=40)
    seed = 3
    net = _build(call, hidden, D, C, dropout=P_DROP, seed=seed)
    _set(net, params)
    names = _names(3)
    value, grads = _loss_and_grads(call, net, X, y, names)
    value2 = _loss_and_grads(call, net, X, y, names)[0]
    shapes = [(X.shape[0], h) for h in hidden]
    masks = _protocol_masks(seed, shapes, P_DROP)
    right_value, right_grads = _manual(params, X, y, masks=masks)
    clean_value = _manual(params, X, y)[0]

    # Prediction first: it must use every unit, unscaled, whatever training did before.
    scores = _scores(call, net, X, C, _("the scores of loss(X) with dropout"))
    clean = _manual(params, X, None)
    if not close(scores, clean):
        scaled = {k: v for k, v in params.items()}
        for i in range(
            2, 4
        ):  # scaling layer i-1's output by (1 - p) scales W_i's input
            scaled[f"W{i}"] = (1 - P_DROP) * params[f"W{i}"]
        mistake(
            close(scores, _manual(scaled, X, None)),
            _(
                "loss(X) scales the hidden layers by (1 - p): that is the original "
                "dropout. With inverted dropout, prediction (y is None) uses every "
                "unit unscaled: mode 'test'."
            ),
        )
        again = _scores(call, net, X, C, _("the scores of loss(X) with dropout"))
        if not close(again, scores):
            fail(
                _(
                    "loss(X) without labels is prediction and must not drop units: two "
                    "calls gave different scores, so dropout ran at test time. Run "
                    "dropout in mode 'test' when y is None (mode 'train' only when y "
                    "is given)."
                )
            )
        fail(
            _(
                "loss(X) without labels is prediction and must not drop units: Run "
                "dropout in mode 'test' when y is None (mode 'train' only when y is "
                "given)."
            )
        )

    if not np.isclose(value, right_value, rtol=1e-9):
        mistake(
            np.isclose(value, clean_value, rtol=1e-9),
            _(
                "With dropout > 0 your loss(X, y) drops no unit: apply dropout_forward "
                "in mode 'train' after every hidden ReLU when y is given."
            ),
        )
        mistake(
            np.isclose(value, value2, rtol=1e-12),
            _(
                "Two training calls of loss(X, y) gave the same loss: your network "
                "drops the same units at every step (a fixed dropout seed?). Draw each "
                "layer's seed from self._mask_rng at every call: "
                "int(self._mask_rng.integers(2**31))."
            ),
        )
        keep_p = _protocol_masks(seed, shapes, P_DROP, keep_is_p=True)
        mistake(
            np.isclose(value, _manual(params, X, y, masks=keep_p)[0], rtol=1e-9),
            _(
                "With dropout = {p} your network keeps units with probability {p}: the "
                "dropout probability is the probability of *dropping* a unit (as in "
                "torch.nn.Dropout).",
                p=P_DROP,
            ),
        )
        one_layer = _protocol_masks(seed, shapes[:1], P_DROP)
        mistake(
            np.isclose(
                value, _manual(params, X, y, masks=[one_layer[0], None])[0], rtol=1e-9
            ),
            _(
                "Your network applies dropout after the first hidden layer only; apply "
                "it after every hidden ReLU."
            ),
        )
        fail(
            _(
                "Your training-mode loss does not match the statement's dropout masks. "
                "For each hidden layer, in order, call dropout_forward with {'p': "
                "self.dropout, 'mode': 'train', 'seed': "
                "int(self._mask_rng.integers(2**31))} after the ReLU (one seed per "
                "layer and per call), and nothing else may draw from self._mask_rng."
            )
        )
    no_mask_back = _manual(params, X, y, masks=masks, backward_masks=False)[1]
    for k in names:
        if close(grads[k], right_grads[k], rtol=1e-6, atol=1e-9):
            continue
        mistake(
            close(grads[k], no_mask_back[k], rtol=1e-6, atol=1e-9),
            _(
                "grads['{name}'] ignores dropout in the backward pass: units dropped "
                "in the forward pass had no effect on the loss, so their gradient "
                "must be zero. Pass each layer's dropout cache to dropout_backward.",
                name=k,
            ),
        )
        fail(
            _(
                "With dropout, grads['{name}'] does not match the masks used in the "
                "forward pass: backpropagate through the same masks (dropout_backward "
                "with each layer's own cache; never draw a new mask in the backward "
                "pass).",
                name=k,
            )
        )
