"""Checks for chapter 6: neural networks and dropout.

Dropout's randomness is checked statistically on large inputs (a fraction of zeros
within a few hundredths of ``p``) and exactly wherever the mask can be read back from
the output: survivors of ``x`` all positive are exactly ``x / (1 - p)``. ``TwoLayerNet``
is checked through its ``params`` and ``loss``; with one example and every hidden unit
active the dropout mask it used can be read back from its gradients (row ``j`` of dW2 is
``h_j * m_j * db2``).
"""

import numpy as np

from ..gradient_check import eval_numerical_gradient, rel_error
from ..i18n import _
from ..reference import layers as ref_layers
from ..reference import models as ref_models
from ..reference.losses import softmax_loss, svm_loss
from .core import (
    AnyOf,
    CheckFailed,
    NotAttempted,
    catalogue,
    close,
    differs,
    exercise,
    expect_array,
    expect_loss_and_grads,
    fail,
    mistake,
)
from .numpy_errors import explains_numpy_errors, original_error

P = 0.3  # the drop probability used by the checks (far from 0.5, so p and 1 - p differ)
FRACTION_TOL = 0.02


def _big_positive_input(seed=0, shape=(400, 500)):
    """Strictly positive entries: a zero in the output can only come from the mask."""
    return np.random.default_rng(seed).uniform(0.5, 2.0, size=shape)


def _forward_output(call, x, param, what):
    """Call dropout_forward and unpack ``(out, cache)``; fail with a diagnosis
    otherwise."""
    try:
        result = call(x, param)
    except CheckFailed as failure:
        error = original_error(failure)
        if (
            failure.kind == "raised"
            and isinstance(error, KeyError)
            and error.args
            and error.args[0] == "seed"
        ):
            fail(
                _(
                    "`dropout_forward` raised KeyError: 'seed' when dropout_param had "
                    "no seed. The seed is optional: read it with "
                    "dropout_param.get('seed') (None gives a fresh mask)."
                )
            )
        raise
    if not (isinstance(result, tuple) and len(result) == 2):
        fail(
            _(
                "`dropout_forward` should return a pair `(out, cache)`; {context} it "
                "returned {type}.",
                context=what,
                type=type(result).__name__,
            )
        )
    out = expect_array(
        result[0], shape=x.shape, what=_("`out` {context}", context=what)
    )
    return out, result[1]


def _zero_fraction(a):
    return float(np.mean(a == 0))


@catalogue(
    "dropout_forward",
    inputs=lambda: [(_big_positive_input(), {"p": P, "mode": "test"})],
    right=lambda x, param: ref_layers.dropout_forward(x, param)[0],
)
def _dropout_test_mistakes(x, param):
    p = param["p"]
    return [
        (
            x * (1 - p),
            _(
                "In test mode you multiply by (1 - p): that is the original, "
                "non-inverted dropout. With inverted dropout the scaling happens at "
                "train time and test mode returns x unchanged."
            ),
        ),
        (
            x / (1 - p),
            _(
                "In test mode you divide by (1 - p). The 1/(1 - p) scale belongs to "
                "train time only; test mode returns x unchanged."
            ),
        ),
    ]


@exercise("dropout_forward", reference=ref_layers.dropout_forward, chapter=6)
@explains_numpy_errors
def check_dropout_forward(call):
    x = _big_positive_input()
    out, cache = _forward_output(
        call, x, {"p": P, "mode": "train", "seed": 0}, _("in train mode")
    )
    global_hint = _(
        "Your dropout_forward draws from (or reseeds) NumPy's global generator "
        "(np.random.seed, np.random.rand, ...). That generator is shared by all the "
        "code in the notebook, so reseeding it changes everyone's random numbers. "
        "Draw the mask from rng = np.random.default_rng(dropout_param.get('seed'))."
    )
    mistake(call.global_random_changed, global_hint)
    dropped = _zero_fraction(out)
    mistake(
        dropped == 0 and close(out, x),
        _(
            "In train mode your output equals the input: no unit was dropped. In train "
            "mode zero each unit with probability p (and scale the survivors by 1/(1 - "
            "p))."
        ),
    )
    mistake(
        dropped == 0,
        _(
            "In train mode none of your outputs is zero: dropout must set each "
            "unit to exactly 0 with probability p."
        ),
    )
    mistake(
        abs(dropped - (1 - P)) < FRACTION_TOL,
        _(
            "With p = {p} you dropped {fraction} of the units: you treated p as the "
            "probability of keeping a unit. In this course (as in torch.nn.Dropout) p "
            "is the probability of dropping one: keep a unit when rng.random(x.shape) "
            ">= p.",
            p=P,
            fraction=f"{dropped:.0%}",
        ),
    )
    zero = out == 0
    if np.all(zero == zero[0]) or np.all(zero == zero[:, :1]):
        fail(
            _(
                "Every example (row) got the same mask, or each row was kept or "
                "dropped as a whole. Draw an independent decision for every entry: a "
                "mask of shape x.shape."
            )
        )
    if abs(dropped - P) > FRACTION_TOL:
        fail(
            _(
                "With p = {p} you dropped {fraction} of the units on a large input; "
                "about {expected} should be dropped. Draw one uniform number per "
                "entry and drop it when the number is below p.",
                p=P,
                fraction=f"{dropped:.1%}",
                expected=f"{P:.0%}",
            )
        )
    kept = out != 0
    ratio = out[kept] / x[kept]
    mistake(
        np.allclose(ratio, 1.0),
        _(
            "You dropped units but did not scale the survivors: the mean activation "
            "shrinks by (1 - p). Inverted dropout divides the kept units by (1 - p) at "
            "train time, so that the test-time layer is the identity. (Multiplying by "
            "1 - p at test time instead is the original, non-inverted form; this "
            "course uses the inverted one.)"
        ),
    )
    mistake(
        np.allclose(ratio, 1 - P),
        _(
            "You multiplied the kept units by (1 - p); inverted "
            "dropout divides them by (1 - p), so that their mean is "
            "preserved."
        ),
    )
    mistake(
        np.allclose(ratio, 1 / P),
        _(
            "You divided the kept units by p; divide by (1 - p), the "
            "probability of keeping a unit."
        ),
    )
    if not np.allclose(ratio, 1 / (1 - P)):
        fail(
            _(
                "Each kept unit should equal its input divided by (1 - p); some of "
                "yours do not."
            )
        )
    if not (isinstance(cache, tuple) and len(cache) == 2):
        fail(
            _(
                "Return the cache as the pair `(dropout_param, mask)`, so that "
                "dropout_backward can reuse the mask."
            )
        )
    mask = cache[1]
    if mask is None or not isinstance(mask, np.ndarray) or mask.shape != x.shape:
        fail(
            _(
                "In train mode the cache's mask should be an array shaped like x "
                "{shape} (the array x was multiplied by), not {type}.",
                shape=x.shape,
                type=type(mask).__name__,
            )
        )
    if not close(x * mask, out):
        if close(x * mask / (1 - P), out):
            fail(
                _(
                    "Store the mask *with* its 1/(1 - p) scale in the cache (the array "
                    "x was multiplied by, holding 0 and 1/(1 - p)), so that backward "
                    "is simply dout * mask."
                )
            )
        fail(
            _(
                "The cache's mask is not the array x was multiplied by: out should "
                "equal x * mask."
            )
        )

    # Test mode: the identity, whatever p is, and no seed given.
    out_test, cache_test = _forward_output(
        call, x, {"p": P, "mode": "test"}, _("in test mode")
    )
    mistake(
        abs(_zero_fraction(out_test) - P) < FRACTION_TOL
        or abs(_zero_fraction(out_test) - (1 - P)) < FRACTION_TOL,
        _(
            "You also drop units in test mode. At test time every unit is used: with "
            "inverted dropout the test-time layer returns x unchanged."
        ),
    )
    _dropout_test_mistakes.match(out_test, x, {"p": P, "mode": "test"})
    if not close(out_test, x):
        fail(_("In test mode dropout_forward must return x unchanged."))
    if out_test is x or np.shares_memory(out_test, x):
        fail(
            _(
                "In test mode you return x itself (or a view of it); the statement "
                "asks for a copy, `x.copy()`, so that a caller who changes the output "
                "in place does not change x."
            )
        )
    if (
        isinstance(cache_test, tuple)
        and len(cache_test) == 2
        and cache_test[1] is not None
    ):
        mask_test = cache_test[1]
        if not (isinstance(mask_test, np.ndarray) and np.allclose(mask_test, 1)):
            fail(
                _(
                    "In test mode there is no mask: store None in the cache, "
                    "`(dropout_param, None)`."
                )
            )

    # p = 0 keeps everything.
    out_zero, _unused = _forward_output(
        call, x[:20], {"p": 0.0, "mode": "train", "seed": 1}, _("with p = 0")
    )
    if not close(out_zero, x[:20]):
        fail(_("With p = 0 nothing is dropped, so train mode must return x unchanged."))

    # Seeds: the same seed gives the same mask, different seeds and no seed give fresh
    # masks.
    small = _big_positive_input(1, (50, 40))
    a, _unused = _forward_output(
        call,
        small,
        {"p": 0.5, "mode": "train", "seed": 5},
        _("with seed {seed}", seed=5),
    )
    b, _unused = _forward_output(
        call,
        small,
        {"p": 0.5, "mode": "train", "seed": 5},
        _("with seed {seed}", seed=5),
    )
    mistake(
        not np.array_equal(a, b),
        _(
            "Two calls with the same seed gave different masks: you ignore "
            "dropout_param's seed. Draw the mask from "
            "np.random.default_rng(dropout_param.get('seed'))."
        ),
    )
    c, _unused = _forward_output(
        call,
        small,
        {"p": 0.5, "mode": "train", "seed": 6},
        _("with seed {seed}", seed=6),
    )
    mistake(
        np.array_equal(a, c),
        _(
            "Seeds 5 and 6 gave the same mask: your mask does not depend on the seed "
            "(a fixed seed inside the function?). Use "
            "np.random.default_rng(dropout_param.get('seed'))."
        ),
    )
    d, _unused = _forward_output(
        call, small, {"p": 0.5, "mode": "train"}, _("without a seed")
    )
    e, _unused = _forward_output(
        call, small, {"p": 0.5, "mode": "train"}, _("without a seed")
    )
    mistake(call.global_random_changed, global_hint)
    mistake(
        np.array_equal(d, e),
        _(
            "Without a seed, two calls gave the same mask: training would then drop "
            "the same units at every step. With no seed, default_rng(None) must give a "
            "fresh mask each call."
        ),
    )
    # Any shape: a 3-D input (a batch of feature maps).
    cube = _big_positive_input(2, (6, 5, 4))
    f, _unused = _forward_output(
        call, cube, {"p": P, "mode": "train", "seed": 7}, _("for a 3-D x")
    )
    # The draws of the generator the statement names.
    for got, shape, seed, p in (
        (out, x.shape, 0, P),
        (a, small.shape, 5, 0.5),
        (f, cube.shape, 7, P),
    ):
        draws = np.random.default_rng(seed).random(shape)
        if not np.array_equal(got != 0, draws >= p):
            fail(
                _(
                    "With seed {seed} your mask is not the one the statement's "
                    "generator gives: draw rng = "
                    "np.random.default_rng(dropout_param.get('seed')), then keep the "
                    "units where rng.random(x.shape) >= p. (Another generator, or "
                    "rng.binomial or rng.uniform, draws different numbers.)",
                    seed=seed,
                )
            )


def _dropout_backward_cases():
    x = _big_positive_input(2, (200, 100))
    dout = np.random.default_rng(3).standard_normal(x.shape)
    # No seed in the cache: a backward pass that draws its own mask cannot reproduce
    # this one.
    mask = (np.random.default_rng(4).random(x.shape) >= P) / (1 - P)
    return [(dout, ({"p": P, "mode": "train"}, mask))]


@catalogue("dropout_backward", inputs=_dropout_backward_cases)
def _dropout_backward_mistakes(dout, cache):
    param, mask = cache
    p = param["p"]
    return [
        (
            dout,
            _(
                "Your dx equals dout: the units dropped in the forward pass had no "
                "effect on the output, so their gradient must be 0: dx = dout * mask."
            ),
        ),
        (
            dout * (mask != 0),
            _(
                "Your dx has the right zeros but misses the 1/(1 - p) scale: the "
                "forward pass multiplied the kept units by 1/(1 - p), so their "
                "gradient is scaled the same way (dout * mask with the mask from "
                "the cache)."
            ),
        ),
        (
            dout * mask / (1 - p),
            _(
                "You scaled by 1/(1 - p) twice: the cached mask already holds "
                "0 and 1/(1 - p), so dx = dout * mask."
            ),
        ),
    ]


def _dropout_backward_test_cases():
    dout = _dropout_backward_cases()[0][0][:10]
    return [(dout, ({"p": P, "mode": "test"}, None))]


@catalogue("dropout_backward", inputs=_dropout_backward_test_cases)
def _dropout_backward_test_mistakes(dout, cache):
    p = cache[0]["p"]
    return [
        (
            AnyOf(dout * (1 - p), dout / (1 - p)),
            _(
                "In test mode you scale the gradient; the test-time forward pass was "
                "the identity, so dx = dout."
            ),
        )
    ]


@exercise("dropout_backward", reference=ref_layers.dropout_backward, chapter=6)
@explains_numpy_errors
def check_dropout_backward(call):
    dout, cache = _dropout_backward_cases()[0]
    mask = cache[1]
    x = _big_positive_input(
        2, (200, 100)
    )  # the input of the forward pass (shape, and below)
    dx = expect_array(call(dout, cache), shape=x.shape, what="dx")
    kept = mask != 0
    _dropout_backward_mistakes.match(dx, dout, cache)
    zeros = dx == 0
    mistake(
        np.array_equal(zeros, kept),
        _(
            "Your dx passes gradient through the dropped units and blocks the kept "
            "ones: the mask is inverted."
        ),
    )
    if not np.array_equal(zeros & (dout != 0), ~kept & (dout != 0)):
        zeros_among_kept = float(np.mean(zeros[kept]))
        if abs(zeros_among_kept - P) < 2.5 * FRACTION_TOL and np.allclose(
            dx[~zeros], dout[~zeros] / (1 - P)
        ):
            fail(
                _(
                    "Your dx is zero at different units than the ones the forward pass "
                    "dropped: you drew a new mask in the backward pass. Reuse the mask "
                    "stored in the cache."
                )
            )
        fail(
            _(
                "dx should be zero exactly where the forward pass dropped a unit (mask "
                "== 0)."
            )
        )
    if not close(dx, dout * mask):
        fail(_("dx should be dout * mask, with the mask from the cache."))
    # Property: agree with the numerical gradient of the forward pass with a fixed mask.
    xs, ds = x[:4, :5].copy(), dout[:4, :5]
    seeded = {"p": P, "mode": "train", "seed": 11}
    small_mask = ref_layers.dropout_forward(xs, seeded)[1][1]
    num = np.zeros_like(xs)
    for ix in np.ndindex(xs.shape):
        old = xs[ix]
        xs[ix] = old + 1e-5
        plus = ref_layers.dropout_forward(xs, seeded)[0]
        xs[ix] = old - 1e-5
        minus = ref_layers.dropout_forward(xs, seeded)[0]
        xs[ix] = old
        num[ix] = np.sum((plus - minus) * ds) / 2e-5
    dxs = expect_array(call(ds, (seeded, small_mask)), shape=xs.shape, what="dx")
    if rel_error(dxs, num) > 1e-7:
        fail(_("Your dx disagrees with a numerical gradient of the forward pass."))
    # Test mode: the forward pass was the identity.
    try:
        dx_test = call(dout[:10], ({"p": P, "mode": "test"}, None))
    except CheckFailed as failure:
        if failure.kind == "raised" and isinstance(
            original_error(failure), (TypeError, AttributeError)
        ):
            fail(
                _(
                    "In test mode the cache holds no mask (None): the forward pass was "
                    "the identity, so dx = dout. Handle `mask is None` (or check "
                    "dropout_param['mode'])."
                )
            )
        raise
    dx_test = expect_array(dx_test, shape=(10, 100), what=_("dx in test mode"))
    _dropout_backward_test_mistakes.match(dx_test, *_dropout_backward_test_cases()[0])
    if not close(dx_test, dout[:10]):
        fail(
            _("In test mode the forward pass was the identity, so dx must equal dout.")
        )


# --------------------------------------------------------------------------------------
# TwoLayerNet
# --------------------------------------------------------------------------------------

NAMES = ("W1", "b1", "W2", "b2")


def _loss(call, net, *args):
    loss_fn = getattr(net, "loss", None)
    if not callable(loss_fn):
        fail(_("Your TwoLayerNet has no method `loss(X, y=None)`."))
    probe = call.labelled("TwoLayerNet.loss", loss_fn)
    try:
        out = probe(*args)
        if probe.global_random_changed:
            fail(
                _(
                    "Your TwoLayerNet.loss draws from (or reseeds) NumPy's global "
                    "generator (np.random.seed, np.random.rand, ...). That generator "
                    "is shared by all the code in the notebook. Draw each dropout seed "
                    "from the network's own generator, "
                    "int(self._mask_rng.integers(2**31)), and pass it to "
                    "dropout_forward."
                )
            )
        return out
    except NotAttempted:
        fail(
            _(
                "`TwoLayerNet.loss` still raises NotImplementedError: write the "
                "forward pass (and, when y is given, the loss and gradients)."
            )
        )


def _build(call, *args, **kwargs):
    net = call(*args, **kwargs)
    if call.global_random_changed:
        fail(
            _(
                "Your TwoLayerNet draws its weights from (or reseeds) NumPy's global "
                "generator (np.random.seed, np.random.randn, ...). That generator is "
                "shared by all the code in the notebook, so reseeding it changes "
                "everyone's random numbers. Create your own, rng = "
                "np.random.default_rng(seed), and draw weight_scale * "
                "rng.standard_normal(shape)."
            )
        )
    params = getattr(net, "params", None)
    if not isinstance(params, dict):
        fail(
            _(
                "Your TwoLayerNet has no dict attribute `params`: store the weights "
                "and biases in self.params = {'W1': ..., 'b1': ..., 'W2': ..., 'b2': "
                "...}."
            )
        )
    missing = [k for k in NAMES if k not in params]
    if missing:
        fail(
            _(
                "self.params is missing {missing}; it should hold exactly 'W1', 'b1', "
                "'W2', 'b2'.",
                missing=missing,
            )
        )
    return net


def _fixed_params(D, H, C, seed, b1_shift=0.0, w2_scale=0.5):
    rng = np.random.default_rng(seed)
    return {
        "W1": 0.5 * rng.standard_normal((D, H)),
        "b1": 0.2 * rng.standard_normal(H) + b1_shift,
        "W2": w2_scale * rng.standard_normal((H, C)),
        "b2": 0.2 * rng.standard_normal(C),
    }


def _set_params(net, params):
    for k in NAMES:
        net.params[k] = params[k].copy()


def _ref_net(params, reg=0.0):
    net = ref_models.TwoLayerNet(1, 1, 1, reg=reg)
    net.params = {k: v.copy() for k, v in params.items()}
    return net


def _scores(call, net, X, what=None):
    what = _("the scores of loss(X)") if what is None else what
    out = _loss(call, net, X)
    if isinstance(out, tuple):
        fail(
            _(
                "loss(X) without labels returned a tuple; when y is None return the "
                "scores (N, C) only."
            )
        )
    return expect_array(out, shape=(X.shape[0], net.params["W2"].shape[1]), what=what)


def _loss_and_grads(call, net, X, y):
    return expect_loss_and_grads(_loss(call, net, X, y), net.params, NAMES)


def _forward_parts(params, X):
    pre = X @ params["W1"] + params["b1"]
    return pre, np.maximum(0, pre)


def _net_case(reg=0.0):
    """The fixed parameters, batch and labels that loss(X) and loss(X, y) are checked
    on."""
    D, H, C = 5, 7, 3
    rng = np.random.default_rng(7)
    X, y = rng.standard_normal((6, D)), rng.integers(0, C, size=6)
    return _fixed_params(D, H, C, 8), X, y, reg


@catalogue(
    "TwoLayerNet",
    inputs=lambda: [_net_case()[:2]],
    right=lambda params, X: _ref_net(params).loss(X),
)
def _score_mistakes(params, X):
    pre, hidden = _forward_parts(params, X)
    W2, b2 = params["W2"], params["b2"]
    return [
        (
            np.maximum(0, X @ params["W1"]) @ W2 + b2,
            _("Your hidden layer leaves out b1: h = max(0, X @ W1 + b1)."),
        ),
        (
            AnyOf(np.maximum(0, pre @ W2 + b2), np.maximum(0, hidden @ W2 + b2)),
            _(
                "You applied the ReLU to the scores. The ReLU goes on the hidden layer "
                "only: scores = max(0, X @ W1 + b1) @ W2 + b2."
            ),
        ),
        (
            AnyOf(np.tanh(pre) @ W2 + b2, 1 / (1 + np.exp(-pre)) @ W2 + b2),
            _(
                "Your hidden layer uses tanh or sigmoid; this network uses ReLU: "
                "max(0, X @ W1 + b1)."
            ),
        ),
        (hidden @ W2, _("Your scores leave out b2: scores = h @ W2 + b2.")),
    ]


@catalogue(
    "TwoLayerNet",
    inputs=lambda: [_net_case()[:3]],
    right=lambda params, X, y: _ref_net(params).loss(X, y)[0],
)
def _loss_mistakes(params, X, y):
    right = _ref_net(params).loss(X, y)[0]
    return [
        (
            right * X.shape[0],
            _(
                "Your loss is summed over the batch; average it (divide by N), "
                "and the gradients too."
            ),
        ),
        (
            svm_loss(_ref_net(params).loss(X), y)[0],
            _(
                "Your loss is the hinge (SVM) loss; this network uses the softmax "
                "(cross-entropy) loss."
            ),
        ),
    ]


def _regularized_case():
    return [_net_case(reg=0.7)]


@catalogue(
    "TwoLayerNet",
    inputs=_regularized_case,
    right=lambda params, X, y, reg: _ref_net(params, reg).loss(X, y)[0],
)
def _penalty_mistakes(params, X, y, reg):
    data = _ref_net(params).loss(X, y)[0]
    sq1, sq2 = float(np.sum(params["W1"] ** 2)), float(np.sum(params["W2"] ** 2))
    sqb = float(np.sum(params["b1"] ** 2) + np.sum(params["b2"] ** 2))
    return [
        (
            data,
            _(
                "Your loss ignores reg: add the L2 penalty "
                "0.5 * reg * (sum(W1**2) + sum(W2**2))."
            ),
        ),
        (
            data + reg * (sq1 + sq2),
            _(
                "Your penalty is reg * sum(W**2) without the 1/2. The "
                "course's L2 penalty is 0.5 * reg * sum(W**2), whose "
                "gradient is simply reg * W."
            ),
        ),
        (
            AnyOf(data + 0.5 * reg * sq1, data + 0.5 * reg * sq2),
            _("Your penalty covers only one weight matrix; regularize both W1 and W2."),
        ),
        (
            data + 0.5 * reg * (sq1 + sq2 + sqb),
            _(
                "You also penalize the biases; L2 regularization applies to the "
                "weights W1 and W2 only."
            ),
        ),
    ]


def _same_entries(grads, wrong):
    """Whether ``grads`` (a dict) equals ``wrong`` (a dict of some of its keys) on
    those keys."""
    return all(
        k in grads and close(grads[k], wrong[k], rtol=1e-7, atol=1e-9) for k in wrong
    )


@catalogue(
    "TwoLayerNet",
    inputs=_regularized_case,
    compare=_same_entries,
    right=lambda params, X, y, reg: _ref_net(params, reg).loss(X, y)[1],
)
def _penalty_gradient_mistakes(params, X, y, reg):
    data_grads = _ref_net(params).loss(X, y)[1]
    table = []
    for k in ("W1", "W2"):
        table += [
            (
                {k: data_grads[k]},
                _(
                    "grads['{name}'] leaves out the regularization gradient: "
                    "add reg * {name} (the derivative of "
                    "0.5 * reg * sum(W**2)).",
                    name=k,
                ),
            ),
            (
                {k: data_grads[k] + 2 * reg * params[k]},
                _(
                    "grads['{name}'] adds 2 * reg * {name}; the derivative of 0.5 * "
                    "reg * sum(W**2) is reg * {name}.",
                    name=k,
                ),
            ),
            (
                {k: data_grads[k] + 0.5 * reg * params[k]},
                _(
                    "grads['{name}'] adds 0.5 * reg * {name}; the derivative of "
                    "0.5 * reg * sum(W**2) is reg * {name}.",
                    name=k,
                ),
            ),
        ]
    for k in ("b1", "b2"):
        table.append(
            (
                {k: data_grads[k] + reg * params[k]},
                _(
                    "grads['{name}'] has a regularization term, but the biases are not "
                    "regularized.",
                    name=k,
                ),
            )
        )
    return table


@exercise("TwoLayerNet", reference=ref_models.TwoLayerNet, chapter=6, time_limit=20.0)
@explains_numpy_errors
def check_two_layer_net(call):
    D, H, C = 5, 7, 3
    # --- construction: shapes, zero biases, scale, seed
    # ---------------------------------------
    net = _build(call, D, H, C, weight_scale=1e-2, seed=0)
    p = net.params
    for k in NAMES:
        expect_array(p[k], what=f"params['{k}']")
    mistake(
        p["W1"].shape == (H, D),
        _(
            "params['W1'] has shape {shape}: it is transposed. In code each example is "
            "a row of X (N, D), so W1 is (D, H) = (input_dim, hidden_dim).",
            shape=p["W1"].shape,
        ),
    )
    mistake(
        p["W2"].shape == (C, H),
        _(
            "params['W2'] has shape {shape}: it is transposed; W2 is (H, C) = "
            "(hidden_dim, num_classes).",
            shape=p["W2"].shape,
        ),
    )
    expected = {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}
    for k in NAMES:
        if p[k].shape != expected[k]:
            sizes = dict(name=k, shape=p[k].shape, expected=expected[k], D=D, H=H, C=C)
            if k[0] == "b":
                fail(
                    _(
                        "params['{name}'] has shape {shape}, expected {expected} for "
                        "input_dim={D}, hidden_dim={H}, num_classes={C}. Biases are "
                        "1-D arrays.",
                        **sizes,
                    )
                )
            fail(
                _(
                    "params['{name}'] has shape {shape}, expected {expected} for "
                    "input_dim={D}, hidden_dim={H}, num_classes={C}.",
                    **sizes,
                )
            )
    for k in ("b1", "b2"):
        mistake(
            not np.all(p[k] == 0),
            _(
                "params['{name}'] should start at zero; only the weights are random.",
                name=k,
            ),
        )
    big = _build(call, 200, 100, 10, weight_scale=0.05, seed=0)
    for k in ("W1", "W2"):
        w = expect_array(
            big.params[k],
            shape=(200, 100) if k == "W1" else (100, 10),
            what=f"params['{k}']",
        )
        std = float(w.std())
        mistake(
            std == 0,
            _(
                "All entries of params['{name}'] are equal. Identical weights make "
                "every hidden unit compute the same thing (symmetry): draw them at "
                "random.",
                name=k,
            ),
        )
        mistake(
            abs(std - 1) < 0.15,
            _(
                "params['{name}'] has standard deviation {std} with weight_scale=0.05: "
                "multiply the standard normal draws by weight_scale.",
                name=k,
                std=f"{std:.2f}",
            ),
        )
        mistake(
            abs(std - 0.05**2) < 0.3 * 0.05**2,
            _(
                "params['{name}'] has standard deviation {std} = weight_scale**2: "
                "weight_scale is the standard deviation, not the variance; multiply "
                "the draws by weight_scale.",
                name=k,
                std=f"{std:.4f}",
            ),
        )
        mistake(
            abs(float(w.mean())) > 0.3 * 0.05,
            _(
                "params['{name}'] has mean {mean}: draw the weights from a normal with "
                "mean 0 (rng.standard_normal), not a uniform on [0, 1).",
                name=k,
                mean=f"{float(w.mean()):.3f}",
            ),
        )
        if abs(std - 0.05) > 0.15 * 0.05:
            fail(
                _(
                    "params['{name}'] should have standard deviation weight_scale = "
                    "0.05; yours has {std}.",
                    name=k,
                    std=f"{std:.4f}",
                )
            )
    again = _build(call, D, H, C, weight_scale=1e-2, seed=0)
    mistake(
        not all(np.array_equal(again.params[k], p[k]) for k in NAMES),
        _(
            "Two networks built with seed=0 have different weights: your generator "
            "does not use the seed argument (np.random.default_rng() without it draws "
            "new numbers every time). Create rng = np.random.default_rng(seed) and "
            "draw the weights from it."
        ),
    )
    other = _build(call, D, H, C, weight_scale=1e-2, seed=1)
    mistake(
        np.array_equal(other.params["W1"], p["W1"]),
        _(
            "Networks built with seed=0 and seed=1 have the same weights: your weights "
            "ignore the seed argument."
        ),
    )

    _check_stated_draws(p, D, H, C, weight_scale=1e-2, seed=0)

    # --- scores: loss(X) with fixed parameters
    # ------------------------------------------------
    params, X, y = _net_case()[:3]
    _set_params(net, params)
    scores = _scores(call, net, X)
    pre, hidden = _forward_parts(params, X)
    right = hidden @ params["W2"] + params["b2"]
    init_hidden = _forward_parts(again.params, X)[1]
    mistake(
        close(scores, init_hidden @ again.params["W2"] + again.params["b2"])
        and not close(scores, right),
        _(
            "loss(X) ignores the parameters the check set in net.params; read the "
            "weights from self.params in loss (the training loop updates them there)."
        ),
    )
    negated = _scores(call, net, -X)
    zero = _scores(call, net, np.zeros_like(X))
    mistake(
        close(scores + negated, 2 * zero),
        _(
            "Your scores are a linear (affine) function of X: the ReLU is missing. The "
            "hidden layer is h = max(0, X @ W1 + b1); without it two layers collapse "
            "into one linear classifier."
        ),
    )
    _score_mistakes.match(scores, params, X)
    if not close(scores, right):
        differs(
            _(
                "loss(X) should return the scores max(0, X @ W1 + b1) @ W2 + b2; yours "
                "differ."
            )
        )

    # --- loss and gradients without regularization
    # --------------------------------------------
    value, grads = _loss_and_grads(call, net, X, y)
    first = {k: np.array(grads[k], dtype=float) for k in NAMES}
    again_grads = _loss_and_grads(call, net, X, y)[1]
    mistake(
        all(close(again_grads[k], 2 * first[k]) for k in NAMES if np.any(first[k])),
        _(
            "Your gradients grow from one call of loss(X, y) to the next: the second "
            "call returned twice the first. They accumulate in a dict kept on the "
            "network (like autograd's `.grad` that is never zeroed). Build a new grads "
            "dict in every call."
        ),
    )
    grads = first
    ref_value, ref_grads = _ref_net(params).loss(X, y)
    _loss_mistakes.match(value, params, X, y)
    if not np.isclose(value, ref_value, rtol=1e-6):
        differs(
            _(
                "With reg = 0 the loss should be the mean softmax loss of the scores, "
                "{expected}; yours is {got}.",
                expected=f"{ref_value:.4f}",
                got=f"{value:.4f}",
            )
        )
    dscores = softmax_loss(right, y)[1]
    no_relu_grad = X.T @ (dscores @ params["W2"].T)
    mistake(
        close(grads["W1"], no_relu_grad),
        _(
            "grads['W1'] ignores the ReLU in the backward pass: the gradient flows "
            "back only through hidden units whose input X @ W1 + b1 was positive "
            "(relu_backward)."
        ),
    )
    _gradient_check(net, grads, X, y, reg=0.0)

    # --- regularization
    # ------------------------------------------------------------------------
    reg = _regularized_case()[0][3]
    rnet = _build(call, D, H, C, weight_scale=1e-2, reg=reg, seed=0)
    _set_params(rnet, params)
    rvalue, rgrads = _loss_and_grads(call, rnet, X, y)
    r_ref_value, r_ref_grads = _ref_net(params, reg).loss(X, y)
    _penalty_mistakes.match(rvalue, params, X, y, reg)
    if not np.isclose(rvalue, r_ref_value, rtol=1e-6):
        differs(
            _(
                "With reg = {reg} the loss should be {expected} (data loss plus "
                "0.5 * reg * (sum(W1**2) + sum(W2**2))); yours is {got}.",
                reg=reg,
                expected=f"{r_ref_value:.4f}",
                got=f"{rvalue:.4f}",
            )
        )
    _penalty_gradient_mistakes.match(rgrads, params, X, y, reg)
    _gradient_check(rnet, rgrads, X, y, reg=reg)
    for k in NAMES:
        if not close(rgrads[k], r_ref_grads[k], rtol=1e-5, atol=1e-8):
            differs(_("grads['{name}'] differs from the correct gradient.", name=k))

    _check_dropout(call, D, C)


def _check_stated_draws(params, D, H, C, weight_scale, seed):
    """The weights are the draws of the generator the statement names (W1 drawn before
    W2, or W2 before W1: the statement does not fix the order)."""

    def draws(first_w1):
        rng = np.random.default_rng(seed)
        shapes = [("W1", (D, H)), ("W2", (H, C))]
        return {
            k: weight_scale * rng.standard_normal(shape)
            for k, shape in (shapes if first_w1 else shapes[::-1])
        }

    if any(
        all(close(params[k], want[k]) for k in ("W1", "W2"))
        for want in (draws(True), draws(False))
    ):
        return
    fail(
        _(
            "With seed={seed} your weights are not the ones the statement's generator "
            "gives: rng = np.random.default_rng(seed), then params['W1'] = "
            "weight_scale * rng.standard_normal((input_dim, hidden_dim)) and "
            "params['W2'] likewise, from the same rng. (Another generator, one "
            "generator per matrix, or rng.random/rng.uniform draws different "
            "numbers.)",
            seed=seed,
        )
    )


def _gradient_check(net, grads, X, y, reg):
    """Compare every analytic gradient with a centered-difference one (rel. error <
    1e-5)."""
    for k in NAMES:

        def f(_params):
            return float(net.loss(X, y)[0])

        num = eval_numerical_gradient(f, net.params[k])
        err = rel_error(grads[k], num)
        if err > 1e-5 and np.any(num):
            factor = float(np.sum(grads[k] * num) / np.sum(num * num))
            mistake(
                rel_error(grads[k], factor * num) < 1e-5 and abs(factor - 1) > 1e-3,
                _(
                    "grads['{name}'] is {factor} times the numerical gradient: its "
                    "direction is right but its scale is not. Look for a constant "
                    "factor applied twice or missing (a division by N done in the "
                    "loss and again in a layer, a stray 2).",
                    name=k,
                    factor=f"{factor:.3g}",
                ),
            )
        if err > 1e-5:
            if reg:
                fail(
                    _(
                        "grads['{name}'] disagrees with the numerical gradient with "
                        "regularization (relative error {error}, it should be below "
                        "1e-5). Retrace the backward pass for {name}: affine -> ReLU "
                        "-> affine -> softmax, in reverse.",
                        name=k,
                        error=f"{err:.1e}",
                    )
                )
            fail(
                _(
                    "grads['{name}'] disagrees with the numerical gradient without "
                    "regularization (relative error {error}, it should be below "
                    "1e-5). Retrace the backward pass for {name}: affine -> ReLU -> "
                    "affine -> softmax, in reverse.",
                    name=k,
                    error=f"{err:.1e}",
                )
            )


def _check_dropout(call, D, C):
    H = 2000
    params = _fixed_params(
        D, H, C, 9, b1_shift=5.0, w2_scale=0.005
    )  # every hidden unit active
    X = np.random.default_rng(10).standard_normal((1, D))
    y = np.array([1])
    plain = _ref_net(params)
    net = _build(call, D, H, C, weight_scale=1e-2, dropout=P, seed=0)
    _set_params(net, params)
    # Train mode first: a network that stays in "train" mode afterwards is caught below.
    value, grads = _loss_and_grads(call, net, X, y)
    value2 = _loss_and_grads(call, net, X, y)[0]
    scores = _scores(call, net, X, _("the scores of loss(X) with dropout"))
    clean = plain.loss(X)
    hidden = _forward_parts(params, X)[1]
    mistake(
        close(scores, (hidden * (1 - P)) @ params["W2"] + params["b2"]),
        _(
            "loss(X) scales the hidden layer by (1 - p): that is the original dropout. "
            "With inverted dropout, prediction (y is None) uses every unit unscaled: "
            "mode 'test'."
        ),
    )
    if not close(scores, clean):
        again = _scores(call, net, X, _("the scores of loss(X) with dropout"))
        if not close(again, scores):
            fail(
                _(
                    "loss(X) without labels is prediction and must not drop units: two "
                    "calls gave different scores, so dropout ran at test time. Run "
                    "dropout in mode 'test' when y is None (and in mode 'train' only "
                    "when y is given)."
                )
            )
        fail(
            _(
                "loss(X) without labels is prediction and must not drop units: Run "
                "dropout in mode 'test' when y is None (and in mode 'train' only when "
                "y is given)."
            )
        )
    ds = grads["b2"]
    if abs(ds[0]) < 1e-12:
        fail(
            _(
                "grads['b2'] is zero for a misclassified example; the gradient of the "
                "softmax loss with respect to b2 is the mean of softmax(scores) - "
                "one_hot(y)."
            )
        )
    mask = grads["W2"][:, 0] / (hidden[0] * ds[0])
    dropped = float(np.mean(np.abs(mask) < 1e-9))
    mistake(
        dropped == 0,
        _(
            "With dropout > 0 your loss(X, y) drops no hidden unit: apply "
            "dropout_forward in mode 'train' after the ReLU when y is given (and "
            "dropout_backward in the backward pass)."
        ),
    )
    mistake(
        abs(dropped - (1 - P)) < 2 * FRACTION_TOL,
        _(
            "With dropout = {p} your network dropped {fraction} of the hidden units: "
            "the dropout probability was used as the probability of keeping a unit.",
            p=P,
            fraction=f"{dropped:.0%}",
        ),
    )
    if abs(dropped - P) > 2 * FRACTION_TOL:
        fail(
            _(
                "With dropout = {p} your network dropped {fraction} of the hidden "
                "units during training; about {expected} should be dropped.",
                p=P,
                fraction=f"{dropped:.1%}",
                expected=f"{P:.0%}",
            )
        )
    kept = mask[np.abs(mask) > 1e-9]
    mistake(
        np.allclose(kept, 1.0),
        _(
            "During training your network drops hidden units but does "
            "not scale the kept ones by 1/(1 - p) (inverted "
            "dropout)."
        ),
    )
    if not np.allclose(kept, 1 / (1 - P), rtol=1e-6):
        fail(
            _(
                "During training the kept hidden units should be scaled by exactly "
                "1/(1 - p)."
            )
        )
    mistake(
        np.isclose(value, value2),
        _(
            "Two training calls of loss(X, y) gave the same loss: your network drops "
            "the same units at every step (a fixed dropout seed?). Give each call a "
            "fresh mask, e.g. a new seed drawn from a generator created in __init__."
        ),
    )
    # Backward through the mask that the forward pass used.
    dhidden = ds[None, :] @ params["W2"].T
    right = X.T @ (dhidden * mask[None, :])
    mistake(
        close(grads["W1"], X.T @ dhidden),
        _(
            "grads['W1'] ignores dropout in the backward pass: dropped units had no "
            "effect on the loss, so their gradient must be zero (dropout_backward with "
            "the forward cache)."
        ),
    )
    mistake(
        close(grads["W1"], X.T @ (dhidden * (mask[None, :] != 0))),
        _(
            "grads['W1'] passes the dropout gradient without its 1/(1 - p) scale: use "
            "dropout_backward with the cache from the forward pass."
        ),
    )
    if not close(grads["W1"], right, rtol=1e-6):
        fail(
            _(
                "grads['W1'] does not match the dropout mask used in the forward pass: "
                "backpropagate through the same mask (pass the forward cache to "
                "dropout_backward; never draw a new mask in the backward pass)."
            )
        )
    if not close(grads["b1"], (dhidden * mask[None, :])[0], rtol=1e-6):
        fail(_("grads['b1'] does not match the dropout mask used in the forward pass."))
    # The mask of the statement: the first seed of the network's _mask_rng (seed + 1 = 1
    # here).
    stated_seed = int(np.random.default_rng(1).integers(2**31))
    stated = np.random.default_rng(stated_seed).random(H) >= P
    if not np.array_equal(np.abs(mask) > 1e-9, stated):
        fail(
            _(
                "Your training-mode dropout masks are not the ones the statement "
                "names: give dropout_forward the mode 'train' and a fresh seed drawn "
                "from the network's own generator, {'p': self.dropout, 'mode': "
                "'train', 'seed': int(self._mask_rng.integers(2**31))}, one draw per "
                "call of loss(X, y)."
            )
        )
