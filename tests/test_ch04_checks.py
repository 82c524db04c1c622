"""Chapter 4's checks: the references pass, stubs are "not attempted", correct code in
other styles
passes, and each classic mistake is rejected with a hint that names it.

Every rule of each exercise statement and the test that holds the check to it:

| exercise | rule of the statement | test (table entry or function) |
|---|---|---|
| numerical_gradient | returns an array shaped like x | WRONG_NUMERICAL `_ng_flat`, `_ng_scalar`; generator test |
| | centered difference, one entry at a time | WRONG_NUMERICAL one-sided, 2h, sign, all at once |
| | x restored exactly before returning | WRONG_NUMERICAL restore none / incremental / drift |
| | uses its h, default 1e-5 | WRONG_NUMERICAL fixed_h; `test_numerical_gradient_default_h_checked` |
| linear_svm_loss | returns (loss, dW), dW shaped like W | WRONG_SVM "two values"; COMMON_LINEAR transposed |
| | mean hinge loss, margin 1, correct class skipped | WRONG_SVM; COMMON_LINEAR summed; loop bounds C - 1 |
| | + 0.5 * reg * sum(W * W), gradient reg * W | COMMON_LINEAR no_half, no_reg, two_reg; half_reg_grad |
| | dW is the gradient (margins > 0, count) | WRONG_SVM; RULES_AND_NAMED_MISTAKES `margins >= 0` |
| | no loops | RULES_AND_NAMED_MISTAKES `_svm_with_loops()` |
| | any N, D, C (shapes from the arguments) | WRONG_SVM `_fixed_size` |
| linear_softmax_loss | mean cross-entropy, natural log | WRONG_SOFTMAX log10/log2; mean_twice |
| | log-sum-exp: finite and exact for large scores | `test_shifted_but_log_of_rounded...`, `_softmax_naive*` |
| | dS = p - onehot, / N | WRONG_SOFTMAX p only; columns `dS[:, y]` |
| minibatch_sgd | rng = default_rng(seed), permutation per epoch | WRONG_SGD no_shuffle, ignore_seed, unseeded, same_order, legacy_rng |
| | NumPy's global generator untouched | WRONG_SGD global, reseed_global; the leaves-it-alone test |
| | next batch_size indices; new order when too few left | WRONG_SGD replacement, per_iter_*, straddle |
| | loss_fn once per iteration, history of its losses | WRONG_SGD once, history_after, mismatch |
| | W = W - lr * dW; W0 not modified | WRONG_SGD ascent, no_assign, return_W0, in place |
| sgd_momentum | defaults lr 1e-2, momentum 0.9 | WRONG_MOMENTUM default; RULE_MISTAKES default momentum |
| | hyperparameters read from config | WRONG_MOMENTUM hard_lr; RULE_MISTAKES read_momentum |
| | v = mu v - lr dw, then w + v; velocity stored | WRONG_MOMENTUM flipped, ignore_v, old_v, no_decay, nesterov, store_* |
| | w not changed in place; returns (next_w, config) | WRONG_MOMENTUM in place, two values, None |
| adagrad | defaults lr 1e-2, epsilon 1e-8 | WRONG_ADAGRAD default; RULE_MISTAKES no epsilon (0 / 0) |
| | cache += dw**2, stored; divide by sqrt(cache) + eps | WRONG_ADAGRAD replace, rmsprop, no_sqrt, old_cache, no_store |
| adam | defaults lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8 | WRONG_ADAM default lr; RULE_MISTAKES read_betas, no epsilon |
| | t incremented first; m, v updated then corrected | WRONG_ADAM t_after, stale, no_correction; RULE_MISTAKES t_step=2, one moment |
| | m, v (uncorrected) and t stored | WRONG_ADAM no_store, t_not_stored; RULE_MISTAKES store_hat |
| update rules | config=None works | RULE_MISTAKES `none_ok=False` |

Beyond the rules (issue 15, "done when"): `CORRECT` holds at least two correct implementations per
exercise in another style than the reference (they must pass); every mistake table is gathered by
`_catalogue()` (at least five distinct named mistakes per exercise, checked by a test), and
`test_generic_hint_share_is_below_five_percent` counts the first messages that match one of the
checks' catch-all fragments (`GENERIC`: a value is wrong, no cause named).
"""  # noqa: E501 (a table of rules and tests, kept on one line per row)

import numpy as np
import pytest

from tests.helpers import GENERIC_KINDS, assert_rejected
from tests.helpers import checked_once as _checked
from utils import reference
from utils.checks import run_check
from utils.gradient_check import eval_numerical_gradient, rel_error
from utils.reference import losses


# --------------------------------------------------------------------------------------
# Reference values (published in cs231n's assignment 2 optim tests) and reference unit
# tests
# --------------------------------------------------------------------------------------


def _cs231n_arrays():
    N, D = 4, 5
    w = np.linspace(-0.4, 0.6, num=N * D).reshape(N, D)
    dw = np.linspace(-0.6, 0.4, num=N * D).reshape(N, D)
    return w, dw, N, D


def test_reference_momentum_matches_published_values():
    w, dw, N, D = _cs231n_arrays()
    v = np.linspace(0.6, 0.9, num=N * D).reshape(N, D)
    next_w, config = reference.sgd_momentum(
        w, dw, {"learning_rate": 1e-3, "velocity": v}
    )
    assert (
        rel_error(next_w[0], [0.1406, 0.20738947, 0.27417895, 0.34096842, 0.40775789])
        < 1e-7
    )
    assert (
        rel_error(
            config["velocity"][0],
            [0.5406, 0.55475789, 0.56891579, 0.58307368, 0.59723158],
        )
        < 1e-7
    )


def test_reference_adam_matches_published_values():
    w, dw, N, D = _cs231n_arrays()
    m = np.linspace(0.6, 0.9, num=N * D).reshape(N, D)
    v = np.linspace(0.7, 0.5, num=N * D).reshape(N, D)
    next_w, config = reference.adam(
        w, dw, {"learning_rate": 1e-2, "m": m, "v": v, "t": 5}
    )
    assert (
        rel_error(
            next_w[0], [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977]
        )
        < 1e-7
    )
    assert (
        rel_error(
            config["v"][0], [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853]
        )
        < 1e-7
    )
    assert (
        rel_error(
            config["m"][0], [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474]
        )
        < 1e-7
    )
    assert config["t"] == 6


def test_reference_rmsprop_matches_published_values():
    w, dw, N, D = _cs231n_arrays()
    cache = np.linspace(0.6, 0.9, num=N * D).reshape(N, D)
    next_w, _ = reference.rmsprop(w, dw, {"learning_rate": 1e-2, "cache": cache})
    assert (
        rel_error(
            next_w[0], [-0.39223849, -0.34037513, -0.28849239, -0.23659121, -0.18467247]
        )
        < 1e-7
    )


@pytest.mark.parametrize(
    "rule, lr",
    [
        ("sgd", 1e-2),
        ("sgd_momentum", 1e-2),
        ("adagrad", 1e-2),
        ("rmsprop", 1e-2),
        ("adam", 1e-3),
    ],
)
def test_reference_defaults(rule, lr):
    _, config = getattr(reference, rule)(np.zeros(3), np.ones(3))
    assert config["learning_rate"] == lr


def test_adam_first_step_moves_each_weight_by_learning_rate():
    w1, config = reference.adam(np.zeros(4), np.array([1e-3, -2.0, 5.0, -1e2]))
    assert np.allclose(np.abs(w1), 1e-3, rtol=1e-4) and config["t"] == 1


@pytest.mark.parametrize("name", ["linear_svm_loss", "linear_softmax_loss"])
def test_reference_linear_loss_gradients(name):
    rng = np.random.default_rng(0)
    W, X, y = (
        rng.standard_normal((6, 4)),
        rng.standard_normal((9, 6)),
        rng.integers(0, 4, 9),
    )
    loss_fn = getattr(reference, name)
    loss, dW = loss_fn(W, X, y, 0.7)
    numeric = eval_numerical_gradient(lambda w: loss_fn(w, X, y, 0.7)[0], W.copy())
    assert rel_error(dW, numeric) < 1e-7
    assert dW.shape == W.shape and isinstance(loss, float)


def test_numerical_gradient_restores_x_exactly():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4))
    before = x.copy()
    grad = eval_numerical_gradient(lambda z: float(np.sum(z**2)), x)
    assert np.array_equal(x, before)
    assert rel_error(grad, 2 * before) < 1e-8


def test_minibatch_sgd_reference_does_not_modify_W0_and_lowers_loss():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((60, 5))
    y = np.argmax(X @ rng.standard_normal((5, 3)), axis=1)  # linearly separable labels
    W0 = np.zeros((5, 3))
    W, history = reference.minibatch_sgd(
        lambda W, Xb, yb: reference.linear_softmax_loss(W, Xb, yb, 0.0),
        W0,
        X,
        y,
        0.5,
        10,
        60,
    )
    assert np.all(W0 == 0) and len(history) == 60
    assert np.mean(history[-6:]) < 0.5 * history[0]


# --------------------------------------------------------------------------------------
# numerical_gradient: wrong implementations
# --------------------------------------------------------------------------------------


def _num_grad(
    step, restore="old", divide=2.0, sign=1.0, all_at_once=False, fixed_h=None
):
    """Build a numerical gradient with one deliberate flaw."""

    def numerical_gradient(f, x, h=1e-5):
        h = fixed_h if fixed_h is not None else h
        grad = np.zeros_like(x)
        if all_at_once:
            return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))
        for ix in np.ndindex(x.shape):
            old = x[ix]
            if step == "centered":
                x[ix] = old + h
                plus = f(x)
                x[ix] = old - h if restore != "incremental" else x[ix] - 2 * h
                minus = f(x)
            elif step == "forward":
                base = f(x)
                x[ix] = old + h
                plus, minus = f(x), base
            else:  # backward
                base = f(x)
                x[ix] = old - h
                plus, minus = base, f(x)
            if restore == "old":
                x[ix] = old
            elif restore == "incremental":
                x[ix] = x[ix] + h
            grad[ix] = (
                sign
                * (plus - minus)
                / (divide * h if step == "centered" else divide / 2 * h)
            )
        return grad

    return numerical_gradient


def _ng_incremental_tiny_drift(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        x[ix] += h
        plus = f(x)
        x[ix] -= 2 * h
        minus = f(x)
        x[ix] += h  # float round-off: not always exactly the old value
        grad[ix] = (plus - minus) / (2 * h)
    return grad


def _ng_flat(f, x, h=1e-5):
    grad = np.zeros(x.size)
    flat = x.ravel()  # a view for contiguous x
    for i in range(x.size):
        old = flat[i]
        flat[i] = old + h
        plus = f(x)
        flat[i] = old - h
        minus = f(x)
        flat[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def _ng_copy_forward(f, x, h=1e-5):
    grad = np.zeros_like(x)
    fx = f(x)
    for ix in np.ndindex(x.shape):
        xp = x.copy()
        xp[ix] += h
        grad[ix] = (f(xp) - fx) / h
    return grad


def _ng_forward_over_2h(f, x, h=1e-5):
    grad = np.zeros_like(x)
    fx = f(x)
    for ix in np.ndindex(x.shape):
        xp = x.copy()
        xp[ix] += h
        grad[ix] = (f(xp) - fx) / (2 * h)
    return grad


def _ng_scalar(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


WRONG_NUMERICAL = [
    (_num_grad("forward"), "one-sided"),
    (_num_grad("backward"), "one-sided"),
    (_ng_copy_forward, "one-sided"),
    (_ng_forward_over_2h, "one-sided difference, f(x + h) - f(x)"),
    (_num_grad("centered", divide=1.0), "divide by 2*h"),
    (_num_grad("centered", sign=-1.0), "wrong sign"),
    (_num_grad("centered", restore="none"), "leaves x changed"),
    (_num_grad("centered", restore="incremental"), "last digits"),
    (_ng_incremental_tiny_drift, "last digits"),
    (_num_grad("centered", all_at_once=True), "one entry at a time"),
    (_ng_scalar, "single number"),
    (_ng_flat, "shape"),
    (_num_grad("centered", fixed_h=1e-5), "ignores its argument h"),
    (lambda f, x, h=1e-5: np.zeros_like(x), "all zeros"),
    (lambda f, x, h=1e-5: None, "return"),
]


@pytest.mark.parametrize("wrong, hint", WRONG_NUMERICAL)
def test_numerical_gradient_rejects(wrong, hint):
    assert_rejected(_checked(wrong, exercise="numerical_gradient"), hint)


# --------------------------------------------------------------------------------------
# linear_svm_loss and linear_softmax_loss: wrong implementations
# --------------------------------------------------------------------------------------


def _svm_scores_grad(S, y, variant="right", delta=1.0):
    N = S.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0, S - S[rows, y][:, None] + delta)
    if variant != "count_correct":
        margins[rows, y] = 0
    positive = (margins > 0).astype(float)
    if variant == "no_correct_grad":
        positive[rows, y] = 0
    elif variant == "one_correct_grad":
        positive[rows, y] = -1.0
    else:
        positive[rows, y] = 0
        positive[rows, y] = -positive.sum(axis=1)
    return margins.sum() / N, positive / N


def _linear(scores_grad, loss_mode="right", grad_mode="right"):
    """A linear loss built from a (loss, dscores) function, with one deliberate flaw."""

    def fn(W, X, y, reg):
        N = X.shape[0]
        data, dS = scores_grad(X @ W, y)
        loss = {
            "right": data + 0.5 * reg * np.sum(W * W),
            "no_half": data + reg * np.sum(W * W),
            "no_reg": data,
            "summed": data * N + 0.5 * reg * np.sum(W * W),
            "all_summed": (data + 0.5 * reg * np.sum(W * W)) * N,
        }[loss_mode]
        dW = {
            "right": X.T @ dS + reg * W,
            "no_reg": X.T @ dS,
            "two_reg": X.T @ dS + 2 * reg * W,
            "sign": -(X.T @ dS + reg * W),
            "data_sign": -(X.T @ dS) + reg * W,
            "reg_sign": X.T @ dS - reg * W,
            "not_averaged": X.T @ dS * N + reg * W,
            "not_averaged_all": (X.T @ dS + reg * W) * N,
            "averaged_twice": X.T @ dS / N + reg * W,
            "transposed": (X.T @ dS + reg * W).T,
            "scaled": 1.1 * (X.T @ dS) + reg * W,
        }[grad_mode]
        return float(loss), dW

    return fn


def _softmax_naive(S, y):
    """Cross-entropy without the max shift: overflows for large scores."""
    N = S.shape[0]
    with np.errstate(all="ignore"):
        e = np.exp(S)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -np.log(p[np.arange(N), y]).mean()
    d = p.copy()
    d[np.arange(N), y] -= 1
    return loss, d / N


def _softmax_naive_warns(S, y):
    N = S.shape[0]
    e = np.exp(S)
    p = e / e.sum(axis=1, keepdims=True)
    d = p.copy()
    d[np.arange(N), y] -= 1
    return -np.log(p[np.arange(N), y]).mean(), d / N


def _softmax_log(base):
    def scores_grad(S, y):
        loss, d = losses.softmax_loss(S, y)
        return loss / np.log(base), d

    return scores_grad


def _softmax_p_only(S, y):
    loss, d = losses.softmax_loss(S, y)
    d = d.copy()
    d[np.arange(S.shape[0]), y] += 1.0 / S.shape[0]
    return loss, d


def _svm(variant="right", delta=1.0):
    return lambda S, y: _svm_scores_grad(S, y, variant, delta)


def _loss_only(W, X, y, reg):
    return reference.linear_softmax_loss(W, X, y, reg)[0]


def _fixed_size(name):
    """Right on the first case only (as if it used a fixed N = 8 somewhere)."""

    def fn(W, X, y, reg):
        loss, dW = getattr(reference, name)(W, X, y, reg)
        return (loss, dW) if X.shape[0] == 8 else (loss + 1.0, dW)

    return fn


COMMON_LINEAR = [
    ({"loss_mode": "no_half"}, "1/2 in front"),
    ({"loss_mode": "no_reg"}, "leaves out the regularization penalty"),
    ({"loss_mode": "summed"}, "summed over the examples"),
    ({"loss_mode": "all_summed"}, "summed over the examples"),
    ({"grad_mode": "no_reg"}, "gradient of the regularization"),
    ({"grad_mode": "two_reg"}, "2 * reg * w"),
    ({"grad_mode": "sign"}, "sign error"),
    ({"grad_mode": "data_sign"}, "sign error"),
    ({"grad_mode": "reg_sign"}, "sign error"),
    ({"grad_mode": "not_averaged"}, "not averaged over the batch"),
    ({"grad_mode": "not_averaged_all"}, "not averaged over the batch"),
    ({"grad_mode": "averaged_twice"}, "not averaged over the batch"),
    ({"grad_mode": "transposed"}, "shaped like w"),
    ({"grad_mode": "scaled"}, "not its gradient"),
]


COMMON_LINEAR_CASES = [
    (
        name,
        _linear(_svm() if name == "linear_svm_loss" else losses.softmax_loss, **kwargs),
        hint,
    )
    for name in ("linear_svm_loss", "linear_softmax_loss")
    for kwargs, hint in COMMON_LINEAR
]


@pytest.mark.parametrize("name, wrong, hint", COMMON_LINEAR_CASES)
def test_linear_losses_reject_common_mistakes(name, wrong, hint):
    assert_rejected(_checked(wrong, exercise=name), hint)


WRONG_SVM = [
    (_linear(_svm("count_correct")), "counts the correct class"),
    (_linear(_svm(delta=0.0)), "margin of 0"),
    (_linear(_svm("no_correct_grad")), "correct class gets no gradient"),
    (_linear(_svm("one_correct_grad")), "only once"),
    (lambda W, X, y, reg: reference.linear_svm_loss(W, X, y, reg)[0], "two values"),
    (_fixed_size("linear_svm_loss"), "n = 13"),
]


@pytest.mark.parametrize("wrong, hint", WRONG_SVM)
def test_linear_svm_loss_rejects(wrong, hint):
    assert_rejected(_checked(wrong, exercise="linear_svm_loss"), hint)


WRONG_SOFTMAX = [
    (_linear(_softmax_naive), "subtract each row's maximum"),
    (_linear(_softmax_naive_warns), "subtract each row's maximum"),
    (_linear(_softmax_log(10)), "log10"),
    (_linear(_softmax_log(2)), "log2"),
    (_linear(_softmax_p_only), "p - onehot(y)"),
    (_loss_only, "two values"),
    (_fixed_size("linear_softmax_loss"), "n = 13"),
]


@pytest.mark.parametrize("wrong, hint", WRONG_SOFTMAX)
def test_linear_softmax_loss_rejects(wrong, hint):
    assert_rejected(_checked(wrong, exercise="linear_softmax_loss"), hint)


# --------------------------------------------------------------------------------------
# Update rules: wrong implementations
# --------------------------------------------------------------------------------------


def _momentum(variant):
    def sgd_momentum(w, dw, config=None):
        config = {} if config is None else config
        config.setdefault("learning_rate", 1e-2)
        config.setdefault("momentum", 0.9)
        lr, mu = config["learning_rate"], config["momentum"]
        v = config.get("velocity", np.zeros_like(w))
        if variant == "no_store":
            v = mu * v - lr * dw
            return w + v, config
        if variant == "flipped":
            v = mu * v + lr * dw
            config["velocity"] = v
            return w - v, config
        if variant == "ignore_v":
            config["velocity"] = mu * v - lr * dw
            return w - lr * dw, config
        if variant == "old_v":
            config["velocity"] = mu * v - lr * dw
            return w + v, config
        if variant == "no_decay":
            v = v - lr * dw
        elif variant == "nesterov":
            v_prev = v
            v = mu * v - lr * dw
            config["velocity"] = v
            return w - mu * v_prev + (1 + mu) * v, config
        elif variant == "hard_lr":
            v = mu * v - 1e-2 * dw
        else:
            v = mu * v - lr * dw
        if variant == "wrong_key":
            config["v"] = v
        elif variant == "stale_store":
            config["velocity"] = config.get("velocity", np.zeros_like(w))
        elif variant == "store_step":
            config["velocity"] = -lr * dw
        else:
            config["velocity"] = v
        return w + v, config

    return sgd_momentum


def _momentum_default(lr_default):
    def sgd_momentum(w, dw, config=None):
        config = {} if config is None else dict(config)
        lr = config.get("learning_rate", lr_default)
        v = (
            config.get("momentum", 0.9) * config.get("velocity", np.zeros_like(w))
            - lr * dw
        )
        config["velocity"] = v
        return w + v, config

    return sgd_momentum


def _momentum_in_place(w, dw, config=None):
    config = {} if config is None else config
    v = (
        0.9 * config.get("velocity", np.zeros_like(w))
        - config.get("learning_rate", 1e-2) * dw
    )
    config["velocity"] = v
    w += v
    return w, config


WRONG_MOMENTUM = [
    (_momentum("no_store"), "never stores the velocity"),
    (_momentum("wrong_key"), "never stores the velocity"),
    (_momentum("flipped"), "sign convention"),
    (_momentum("ignore_v"), "ignores the velocity"),
    (_momentum("old_v"), "old velocity"),
    (_momentum("no_decay"), "does not decay"),
    (_momentum("nesterov"), "nesterov"),
    (_momentum("hard_lr"), "ignores the learning_rate"),
    (_momentum("stale_store"), "never stores the velocity"),
    (_momentum("store_step"), "not the new velocity"),
    (_momentum_default(1e-3), "default learning_rate is 1e-2"),
    (_momentum_in_place, "in place"),
    (lambda w, dw, config=None: w - 1e-2 * dw, "two values"),
    (lambda w, dw, config=None: (w - 1e-2 * dw, None), "none"),
]


@pytest.mark.parametrize("wrong, hint", WRONG_MOMENTUM)
def test_sgd_momentum_rejects(wrong, hint):
    assert_rejected(_checked(wrong, exercise="sgd_momentum"), hint)


def _adagrad(variant, lr_default=1e-2):
    def adagrad(w, dw, config=None):
        config = {} if config is None else config
        config.setdefault("learning_rate", lr_default)
        config.setdefault("epsilon", 1e-8)
        lr, eps = config["learning_rate"], config["epsilon"]
        old = config.get("cache", np.zeros_like(w))
        cache = {"replace": dw * dw, "rmsprop": 0.99 * old + 0.01 * dw * dw}.get(
            variant, old + dw * dw
        )
        if variant != "no_store":
            config["cache"] = cache
        if variant == "eps_inside":
            return w - lr * dw / np.sqrt(cache + eps), config
        if variant == "no_sqrt":
            return w - lr * dw / (cache + eps), config
        if variant == "old_cache":
            return w - lr * dw / (np.sqrt(old) + eps), config
        if variant == "ascent":
            return w + lr * dw / (np.sqrt(cache) + eps), config
        if variant == "hard_lr":
            return w - 1e-1 * dw / (np.sqrt(cache) + eps), config
        return w - lr * dw / (np.sqrt(cache) + eps), config

    return adagrad


def test_adagrad_accepts_epsilon_inside_sqrt():
    assert run_check(_adagrad("eps_inside"), exercise="adagrad").passed


WRONG_ADAGRAD = [
    (_adagrad("replace"), "not accumulated"),
    (_adagrad("rmsprop"), "rmsprop"),
    (_adagrad("no_sqrt"), "square root"),
    (_adagrad("old_cache"), "old cache"),
    (_adagrad("ascent"), "up the gradient"),
    (_adagrad("hard_lr"), "ignores the learning_rate"),
    (_adagrad("no_store"), "never stores"),
    (_adagrad("right", lr_default=1e-3), "default learning_rate is 1e-3"),
]


@pytest.mark.parametrize("wrong, hint", WRONG_ADAGRAD)
def test_adagrad_rejects(wrong, hint):
    assert_rejected(_checked(wrong, exercise="adagrad"), hint)


def _adam(variant, lr_default=1e-3):
    def adam(w, dw, config=None):
        config = {} if config is None else config
        config.setdefault("learning_rate", lr_default)
        config.setdefault("beta1", 0.9)
        config.setdefault("beta2", 0.999)
        config.setdefault("epsilon", 1e-8)
        b1, b2 = config["beta1"], config["beta2"]
        if variant == "swapped":
            b1, b2 = b2, b1
        eps, lr = config["epsilon"], config["learning_rate"]
        m, v, t = (
            config.get("m", np.zeros_like(w)),
            config.get("v", np.zeros_like(w)),
            config.get("t", 0),
        )
        if variant != "t_after":
            t = t + 1
        m_new = b1 * m + (1 - b1) * dw
        v_new = b2 * v + (1 - b2) * (np.abs(dw) if variant == "abs" else dw * dw)
        mm, vv = (m, v) if variant == "stale" else (m_new, v_new)
        if variant != "no_correction":
            with np.errstate(all="ignore"):
                mm, vv = mm / (1 - b1**t), vv / (1 - b2**t)
        if variant == "t_after":
            t = t + 1
        step = (
            lr
            * mm
            / ((np.sqrt(vv + eps)) if variant == "eps_inside" else (np.sqrt(vv) + eps))
        )
        if variant == "no_store":
            return w - step, config
        config["m"], config["v"] = m_new, v_new
        config["t"] = config.get("t", 0) if variant == "t_not_stored" else t
        if variant == "hard_lr":
            step = step / lr * 1e-3
        return (w + step if variant == "ascent" else w - step), config

    return adam


def test_adam_accepts_epsilon_inside_sqrt():
    assert run_check(_adam("eps_inside"), exercise="adam").passed


WRONG_ADAM = [
    (_adam("no_correction"), "no bias correction"),
    (_adam("t_after"), "increment t after using it"),
    (_adam("ascent"), "up the gradient"),
    (_adam("abs"), "squared gradient"),
    (_adam("swapped"), "swapped beta1 and beta2"),
    (_adam("stale"), "before updating them"),
    (_adam("hard_lr"), "ignores the learning_rate"),
    (_adam("no_store"), "never stores"),
    (_adam("t_not_stored"), "t is not incremented"),
    (_adam("right", lr_default=1e-2), "default learning_rate is 0.01"),
    (_adam("right", lr_default=1e-1), "default learning_rate is 0.1"),
    (_adam("right", lr_default=5e-3), "default learning_rate is 0.005"),
]


@pytest.mark.parametrize("wrong, hint", WRONG_ADAM)
def test_adam_rejects(wrong, hint):
    assert_rejected(_checked(wrong, exercise="adam"), hint)


# --------------------------------------------------------------------------------------
# minibatch_sgd: wrong implementations
# --------------------------------------------------------------------------------------


def _sgd(variant):
    def minibatch_sgd(loss_fn, W0, X, y, learning_rate, batch_size, num_iters, seed=0):
        rng = np.random.default_rng(0 if variant == "ignore_seed" else seed)
        if variant == "global":
            rng = np.random  # the global, unseeded state
        if variant == "reseed_global":
            np.random.seed(seed)
            rng = np.random
        if variant == "unseeded":
            rng = np.random.default_rng()
        if variant == "legacy_rng":
            rng = np.random.RandomState(seed)
        W = W0.copy()
        N = X.shape[0]
        history = []
        order, cursor = rng.permutation(N), 0
        if variant == "no_shuffle":
            order = np.arange(N)
        for it in range(num_iters):
            if variant == "straddle":
                if cursor + batch_size > len(order):
                    order, cursor = (
                        np.concatenate([order[cursor:], rng.permutation(N)]),
                        0,
                    )
            elif cursor + batch_size > N:
                cursor = 0
                if variant not in ("no_shuffle", "same_order"):
                    order = rng.permutation(N)
            idx = order[cursor : cursor + batch_size]
            cursor += batch_size
            if variant == "replacement":
                idx = rng.choice(N, batch_size)
            elif variant == "full":
                idx = np.arange(N)
            elif variant == "per_iter_perm":
                idx = rng.permutation(N)[:batch_size]
            elif variant == "per_iter_choice":
                idx = rng.choice(N, batch_size, replace=False)
            yb = y[idx] if variant != "mismatch" else y[np.sort(idx)]
            loss, dW = loss_fn(W, X[idx], yb)
            history.append(loss)
            if variant == "ascent":
                W = W + learning_rate * dW
            elif variant == "no_assign":
                W - learning_rate * dW
            else:
                W = W - learning_rate * dW
        if variant == "return_W0":
            return W0.copy(), history
        if variant == "history_after":
            history = history[1:] + history[-1:]
        return W, history

    return minibatch_sgd


def _sgd_in_place(loss_fn, W0, X, y, learning_rate, batch_size, num_iters, seed=0):
    rng = np.random.default_rng(seed)
    W, history = W0, []
    for _ in range(num_iters):
        idx = rng.permutation(X.shape[0])[:batch_size]
        loss, dW = loss_fn(W, X[idx], y[idx])
        history.append(loss)
        W -= learning_rate * dW
    return W, history


def _sgd_once(loss_fn, W0, X, y, learning_rate, batch_size, num_iters, seed=0):
    loss, dW = loss_fn(W0, X[:batch_size], y[:batch_size])
    return W0 - learning_rate * dW, [loss]


WRONG_SGD = [
    (_sgd("ascent"), "steps up the gradient"),
    (_sgd("full"), "full training set"),
    (_sgd("no_shuffle"), "stored order"),
    (_sgd("ignore_seed"), "ignores its seed"),
    (_sgd("global"), "NumPy's global generator"),
    (_sgd("unseeded"), "same seed used different batches"),
    (_sgd("replacement"), "with replacement"),
    (_sgd("per_iter_perm"), "new permutation (or a new sample) for every batch"),
    (_sgd("per_iter_choice"), "new permutation (or a new sample) for every batch"),
    (_sgd("straddle"), "a batch straddles two epochs"),
    (_sgd("reseed_global"), "NumPy's global generator"),
    (_sgd("legacy_rng"), "legacy generator np.random.randomstate(seed)"),
    (_sgd("same_order"), "same order"),
    (_sgd("mismatch"), "do not match"),
    (_sgd("no_assign"), "does not change"),
    (_sgd("return_W0"), "last step"),
    (_sgd("history_after"), "loss_fn returned"),
    (_sgd_in_place, "in place"),
    (_sgd_once, "only once"),
]


@pytest.mark.parametrize("wrong, hint", WRONG_SGD)
def test_minibatch_sgd_rejects(wrong, hint):
    assert_rejected(_checked(wrong, exercise="minibatch_sgd"), hint)


def test_minibatch_sgd_accepts_the_stated_rules_written_another_way():
    def minibatch_sgd(loss_fn, W0, X, y, learning_rate, batch_size, num_iters, seed=0):
        rng = np.random.default_rng(seed)
        N = len(X)
        W, history = W0, []

        def batches():
            while True:
                order = rng.permutation(N)
                for k in range(N // batch_size):
                    yield order[k * batch_size : (k + 1) * batch_size]

        for _, idx in zip(range(num_iters), batches()):
            loss, dW = loss_fn(W, X[idx], y[idx])
            history += [loss]
            W = W - learning_rate * dW
        return W, history

    result = run_check(minibatch_sgd)
    assert result.passed, result.messages


def test_minibatch_sgd_reseeding_the_global_generator_is_rejected_and_leaves_it_alone():
    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    assert_rejected(
        run_check(_sgd("reseed_global"), exercise="minibatch_sgd"), "global generator"
    )
    assert np.array_equal(np.random.get_state()[1], before)


# --------------------------------------------------------------------------------------
# Large scores: an overflow and a log of a rounded probability get different hints
# --------------------------------------------------------------------------------------


def linear_softmax_loss_as_stated(W, X, y, reg):
    """What the statement's words describe: shift by the row maximum, then log of p."""
    N = X.shape[0]
    scores = X @ W
    shifted = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = -np.mean(np.log(p[range(N), y])) + 0.5 * reg * np.sum(W * W)
    dS = p.copy()
    dS[range(N), y] -= 1
    return loss, X.T @ dS / N + reg * W


def linear_softmax_loss_epsilon(W, X, y, reg):
    N = X.shape[0]
    scores = X @ W
    shifted = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = -np.mean(np.log(p[range(N), y] + 1e-12)) + 0.5 * reg * np.sum(W * W)
    dS = p.copy()
    dS[range(N), y] -= 1
    return loss, X.T @ dS / N + reg * W


def linear_softmax_loss_logaddexp(W, X, y, reg):
    """Right, in another style: no explicit shift, NumPy's logaddexp does the stable
    sum."""
    N = X.shape[0]
    scores = X @ W
    lse = np.logaddexp.reduce(scores, axis=1)
    loss = np.mean(lse - scores[np.arange(N), y]) + 0.5 * reg * (W**2).sum()
    dS = np.exp(scores - lse[:, None])
    dS[np.arange(N), y] -= 1
    return loss, X.T @ (dS / N) + reg * W


@pytest.mark.parametrize(
    "wrong", [linear_softmax_loss_as_stated, linear_softmax_loss_epsilon]
)
def test_shifted_but_log_of_rounded_probability_gets_the_log_sum_exp_hint(wrong):
    result = run_check(wrong, exercise="linear_softmax_loss")
    assert_rejected(result, "subtracts each row's maximum, so np.exp cannot overflow")
    assert "log-sum-exp" in result.messages[0]
    assert "Subtract each row's maximum score before np.exp" not in result.messages[0]


def test_log_sum_exp_in_another_style_passes():
    result = run_check(linear_softmax_loss_logaddexp, exercise="linear_softmax_loss")
    assert result.passed, result.messages


def test_numerical_gradient_as_a_generator_is_not_called_a_single_number():
    def numerical_gradient(f, x, h=1e-5):
        for ix in np.ndindex(x.shape):
            yield 0.0

    result = run_check(numerical_gradient)
    assert_rejected(result, "generator")
    assert "single number" not in result.messages[0]


# --------------------------------------------------------------------------------------
# Rules of the statements that were not tested before, and classic mistakes named by
# issue 15
# --------------------------------------------------------------------------------------


def _svm_with_loops(bound="C"):
    """The half-vectorized loop most learners write first; ``bound="C - 1"`` stops
    one class short."""

    def linear_svm_loss(W, X, y, reg):
        N, C = X.shape[0], W.shape[1]
        loss, dW = 0.0, np.zeros_like(W)
        for i in range(N):
            scores = X[i] @ W
            for j in range(C if bound == "C" else C - 1):
                if j == y[i]:
                    continue
                margin = scores[j] - scores[y[i]] + 1
                if margin > 0:
                    loss += margin
                    dW[:, j] += X[i]
                    dW[:, y[i]] -= X[i]
        return loss / N + 0.5 * reg * np.sum(W * W), dW / N + reg * W

    return linear_svm_loss


def _svm_times(W, X, y, reg):
    scores = X * W  # elementwise: raises for (N, D) and (D, C)
    return float(scores.sum()), W


def _svm_grad_variant(variant):
    def linear_svm_loss(W, X, y, reg):
        N = X.shape[0]
        rows = np.arange(N)
        S = X @ W
        margins = np.maximum(0, S - S[rows, y][:, None] + 1)
        if variant != "plus_self":
            margins[rows, y] = 0
        loss = (
            margins[margins > 0].sum() / N
            if variant != "plus_self"
            else ((margins.sum() - N) / N)
        )
        dS = ((margins >= 0) if variant == "ge" else (margins > 0)).astype(float)
        dS[rows, y] = -dS.sum(axis=1)
        return loss + 0.5 * reg * np.sum(W * W), X.T @ dS / N + reg * W

    return linear_svm_loss


def _softmax_variant(variant):
    def linear_softmax_loss(W, X, y, reg):
        N = X.shape[0]
        S = X @ W
        shifted = S - S.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        data = -log_p[np.arange(N), y].mean()
        if variant == "mean_twice":
            data = data / N
        dS = np.exp(log_p)
        if variant == "columns":
            dS[:, y] -= 1
        else:
            dS[np.arange(N), y] -= 1
        dW = X.T @ dS / N + (0.5 * reg * W if variant == "half_reg_grad" else reg * W)
        return float(data + 0.5 * reg * np.sum(W * W)), dW

    return linear_softmax_loss


RULES_AND_NAMED_MISTAKES = [
    ("linear_svm_loss", _svm_with_loops(), "asks for no loops"),
    ("linear_svm_loss", _svm_with_loops("C - 1"), "range(c - 1)"),
    ("linear_svm_loss", _svm_grad_variant("ge"), "`margins >= 0` is true everywhere"),
    ("linear_svm_loss", _svm_grad_variant("plus_self"), "correct class is counted"),
    ("linear_svm_loss", _svm_times, "`*` multiplies entry by entry"),
    (
        "linear_softmax_loss",
        _softmax_variant("columns"),
        "`dS[:, y] -= 1` selects every row",
    ),
    ("linear_softmax_loss", _softmax_variant("half_reg_grad"), "copied the 1/2"),
    ("linear_softmax_loss", _softmax_variant("mean_twice"), "divided by n twice"),
]


@pytest.mark.parametrize("name, wrong, hint", RULES_AND_NAMED_MISTAKES)
def test_rules_and_named_mistakes_of_the_linear_losses(name, wrong, hint):
    assert_rejected(_checked(wrong, exercise=name), hint)


def _adam_with(
    b_of_v="beta2",
    sqrt=True,
    correct=("m", "v"),
    store_hat=False,
    read_betas=True,
    eps=True,
    none_ok=True,
    t_step=1,
):
    """An Adam in another style than the reference (no setdefault, locals first), with
    one flaw switched on by the arguments."""

    def adam(w, dw, config=None):
        if none_ok:
            config = {} if config is None else config
        lr = config.get("learning_rate", 1e-3)
        b1 = config.get("beta1", 0.9) if read_betas else 0.9
        b2 = config.get("beta2", 0.999) if read_betas else 0.999
        t = config.get("t", 0) + t_step
        m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
        bv = b1 if b_of_v == "beta1" else b2
        v = bv * config.get("v", np.zeros_like(w)) + (1 - bv) * dw**2
        m_hat = m / (1 - b1**t) if "m" in correct else m
        v_hat = v / (1 - b2**t) if "v" in correct else v
        with np.errstate(all="ignore"):
            denom = (np.sqrt(v_hat) if sqrt else v_hat) + (
                config.get("epsilon", 1e-8) if eps else 0
            )
            next_w = w - lr * m_hat / denom
        config["m"], config["v"], config["t"] = (
            (m_hat, v_hat, t) if store_hat else (m, v, t)
        )
        return next_w, config

    return adam


def _momentum_with(read_momentum=True, default_momentum=0.9):
    def sgd_momentum(w, dw, config=None):
        config = dict(config or {})
        mu = config.get("momentum", default_momentum) if read_momentum else 0.9
        v = (
            mu * config.get("velocity", np.zeros_like(w))
            - config.get("learning_rate", 1e-2) * dw
        )
        return w + v, {**config, "velocity": v}

    return sgd_momentum


def _adagrad_no_eps(w, dw, config=None):
    config = {} if config is None else config
    cache = config.get("cache", np.zeros_like(w)) + dw * dw
    config["cache"] = cache
    with np.errstate(all="ignore"):
        return w - config.get("learning_rate", 1e-2) * dw / np.sqrt(cache), config


RULE_MISTAKES = [
    ("adam", _adam_with(b_of_v="beta1"), "averaged with beta1"),
    ("adam", _adam_with(sqrt=False), "square root"),
    ("adam", _adam_with(correct=("m",)), "only one of the two moments"),
    ("adam", _adam_with(correct=("v",)), "only one of the two moments"),
    ("adam", _adam_with(store_hat=True), "holds the bias-corrected"),
    ("adam", _adam_with(read_betas=False), "ignores beta1 and beta2 in config"),
    ("adam", _adam_with(t_step=2), "one step ahead"),
    ("adam", _adam_with(eps=False), "that is what epsilon is for"),
    ("adam", _adam_with(none_ok=False), "fails when config is none"),
    ("adagrad", _adagrad_no_eps, "that is what epsilon is for"),
    (
        "sgd_momentum",
        _momentum_with(read_momentum=False),
        "ignores the momentum in config",
    ),
    ("sgd_momentum", _momentum_with(default_momentum=0.5), "default momentum is 0.5"),
    ("sgd_momentum", _momentum_with(default_momentum=0.99), "default momentum is 0.99"),
]


@pytest.mark.parametrize("name, wrong, hint", RULE_MISTAKES)
def test_update_rule_rules_and_named_mistakes(name, wrong, hint):
    assert_rejected(_checked(wrong, exercise=name), hint)


def test_adam_written_another_way_passes():
    result = run_check(_adam_with(), exercise="adam")
    assert result.passed, result.messages


# --------------------------------------------------------------------------------------
# The catalogue (issue 15, "done when"): for every exercise at least two correct
# implementations in another style than the reference, which must pass, and at least
# five classic mistakes, which must fail with a hint that names them; and the share of
# generic hints over all of them.
# --------------------------------------------------------------------------------------


def numerical_gradient_on_copies(f, x, h=1e-5):
    """nditer with multi_index, a fresh copy per evaluation: x is never touched."""
    grad = np.empty(x.shape)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        ix = it.multi_index
        plus, minus = x.astype(float), x.astype(float)
        plus[ix] += h
        minus[ix] -= h
        grad[ix] = (f(plus) - f(minus)) / (2 * h)
    return grad


def numerical_gradient_flat_index(f, x, h=1e-5):
    """A flat counter with np.unravel_index, the entry saved and restored in place."""
    grad = np.zeros(x.shape, dtype=float)
    for k in range(x.size):
        ix = np.unravel_index(k, x.shape)
        saved = float(x[ix])
        x[ix] = saved + h
        up = f(x)
        x[ix] = saved - h
        down = f(x)
        x[ix] = saved
        grad[ix] = 0.5 * (up - down) / h
    return grad


def linear_svm_loss_one_hot(W, X, y, reg):
    """One-hot matrix instead of fancy indexing."""
    N, C = X.shape[0], W.shape[1]
    Y = np.eye(C)[y]
    S = X.dot(W)
    correct = (S * Y).sum(axis=1, keepdims=True)
    margins = np.maximum(0, S - correct + 1) * (1 - Y)
    active = (margins > 0).astype(float)
    dS = active - Y * active.sum(axis=1, keepdims=True)
    return margins.sum() / N + reg / 2 * (W**2).sum(), X.T.dot(dS) / N + reg * W


def linear_svm_loss_einsum(W, X, y, reg):
    """einsum for the products, take_along_axis for the correct scores, np.where for
    the mask."""
    N = len(y)
    S = np.einsum("nd,dc->nc", X, W)
    s_y = np.take_along_axis(S, y[:, None], axis=1)
    margins = np.where(
        np.arange(W.shape[1])[None, :] == y[:, None],
        0.0,
        np.maximum(0.0, S - s_y + 1.0),
    )
    dS = np.where(margins > 0, 1.0, 0.0)
    np.put_along_axis(dS, y[:, None], -dS.sum(axis=1, keepdims=True), axis=1)
    return float(
        np.sum(margins) / N + 0.5 * reg * np.einsum("dc,dc->", W, W)
    ), np.einsum("nd,nc->dc", X, dS) / N + reg * W


def linear_softmax_loss_one_hot(W, X, y, reg):
    N, C = X.shape[0], W.shape[1]
    Y = np.eye(C)[y]
    S = X @ W
    shifted = S - np.max(S, axis=1, keepdims=True)
    lse = np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    log_p = shifted - lse
    loss = -np.sum(Y * log_p) / N + 0.5 * reg * np.sum(np.square(W))
    return loss, X.T @ ((np.exp(log_p) - Y) / N) + reg * W


def minibatch_sgd_batch_list(
    loss_fn, W0, X, y, learning_rate, batch_size, num_iters, seed=0
):
    """A list of the epoch's full batches, refilled from a new permutation; in-place
    steps on a copy of W0."""
    rng = np.random.default_rng(seed)
    N = len(y)
    W, history, batches = np.array(W0, dtype=float), [], []
    for _ in range(num_iters):
        if not batches:
            order = rng.permutation(N)
            batches = [
                order[k : k + batch_size]
                for k in range(0, N - batch_size + 1, batch_size)
            ]
        idx = batches.pop(0)
        loss, dW = loss_fn(W, X[idx], y[idx])
        history.append(loss)
        W -= learning_rate * dW
    return W, history


def minibatch_sgd_while(
    loss_fn, W0, X, y, learning_rate, batch_size, num_iters, seed=0
):
    rng = np.random.default_rng(seed)
    N, it, W, history = X.shape[0], 0, W0, []
    while it < num_iters:
        order = rng.permutation(N)
        start = 0
        while start + batch_size <= N and it < num_iters:
            idx = order[start : start + batch_size]
            loss, dW = loss_fn(W, X[idx], y[idx])
            history.append(float(loss))
            W = W - learning_rate * dW
            start, it = start + batch_size, it + 1
    return W, history


def sgd_momentum_in_place_velocity(w, dw, config=None):
    config = {} if config is None else config
    lr = config.setdefault("learning_rate", 1e-2)
    mu = config.setdefault("momentum", 0.9)
    v = config.setdefault("velocity", np.zeros_like(w))
    v *= mu
    v -= lr * dw
    return w + v, config


def adagrad_in_place_cache(w, dw, config=None):
    config = {} if config is None else config
    cache = config.setdefault("cache", np.zeros_like(w))
    cache += np.square(dw)
    step = np.divide(dw, np.sqrt(cache) + config.get("epsilon", 1e-8))
    return w - config.get("learning_rate", 1e-2) * step, config


def adagrad_new_dict(w, dw, config=None):
    old = dict(config) if config else {}
    cache = old.get("cache", 0 * w) + dw**2
    lr, eps = old.get("learning_rate", 1e-2), old.get("epsilon", 1e-8)
    return w - lr * dw / (cache**0.5 + eps), {**old, "cache": cache}


def adam_kingma_form(w, dw, config=None):
    """Algorithm 1's last lines in Kingma and Ba's efficient form: the corrections
    folded into the step size (epsilon then sits slightly differently, which the
    tolerance accepts)."""
    config = {} if config is None else config
    for key, value in (
        ("learning_rate", 1e-3),
        ("beta1", 0.9),
        ("beta2", 0.999),
        ("epsilon", 1e-8),
    ):
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] = config.get("t", 0) + 1
    t = config["t"]
    config["m"] = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    config["v"] = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw * dw
    lr_t = config["learning_rate"] * np.sqrt(1 - b2**t) / (1 - b1**t)
    return w - lr_t * config["m"] / (np.sqrt(config["v"]) + config["epsilon"]), config


CORRECT = [
    ("numerical_gradient", numerical_gradient_on_copies),
    ("numerical_gradient", numerical_gradient_flat_index),
    ("linear_svm_loss", linear_svm_loss_one_hot),
    ("linear_svm_loss", linear_svm_loss_einsum),
    ("linear_softmax_loss", linear_softmax_loss_logaddexp),
    ("linear_softmax_loss", linear_softmax_loss_one_hot),
    ("minibatch_sgd", minibatch_sgd_batch_list),
    ("minibatch_sgd", minibatch_sgd_while),
    ("sgd_momentum", _momentum_with()),
    ("sgd_momentum", sgd_momentum_in_place_velocity),
    ("adagrad", _adagrad("eps_inside")),
    ("adagrad", adagrad_in_place_cache),
    ("adagrad", adagrad_new_dict),
    ("adam", _adam("eps_inside")),
    ("adam", _adam_with()),
    ("adam", adam_kingma_form),
]


@pytest.mark.parametrize(
    "name, fn", CORRECT, ids=[f"{n}-{f.__name__}" for n, f in CORRECT]
)
def test_correct_code_in_another_style_passes(name, fn):
    result = run_check(fn, exercise=name)
    assert result.passed, result.messages


def _svm_missing_keepdims(W, X, y, reg):
    N = X.shape[0]
    S = X @ W
    margins = np.maximum(0, S - S[np.arange(N), y] + 1)  # (N, C) - (N,): no [:, None]
    return margins.sum() / N, X.T @ margins


def _softmax_whole_batch(W, X, y, reg):
    N = X.shape[0]
    S = X @ W
    e = np.exp(S - S.max())
    p = e / e.sum()  # no axis
    dS = p.copy()
    dS[np.arange(N), y] -= 1
    return float(
        -np.mean(np.log(p[np.arange(N), y])) + 0.5 * reg * np.sum(W * W)
    ), X.T @ dS / N + reg * W


def _softmax_loop_short(W, X, y, reg):
    N = X.shape[0]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(N - 1):  # one example short
        s = X[i] @ W
        s = s - s.max()
        p = np.exp(s) / np.exp(s).sum()
        loss -= np.log(p[y[i]])
        p[y[i]] -= 1
        dW += np.outer(X[i], p)
    return loss / N + 0.5 * reg * np.sum(W * W), dW / N + reg * W


MORE_MISTAKES = [
    ("linear_svm_loss", _svm_missing_keepdims, "[:, none]"),
    ("linear_softmax_loss", _softmax_whole_batch, "normalized over the whole batch"),
    ("linear_softmax_loss", _softmax_loop_short, "range(n - 1)"),
]


@pytest.mark.parametrize("name, wrong, hint", MORE_MISTAKES)
def test_more_classic_mistakes(name, wrong, hint):
    assert_rejected(_checked(wrong, exercise=name), hint)


def _catalogue():
    """Every (exercise, wrong implementation, hint) in this module's tables."""
    rows = [("numerical_gradient", w, h) for w, h in WRONG_NUMERICAL]
    rows += COMMON_LINEAR_CASES
    rows += [("linear_svm_loss", w, h) for w, h in WRONG_SVM]
    rows += [("linear_softmax_loss", w, h) for w, h in WRONG_SOFTMAX]
    rows += [("sgd_momentum", w, h) for w, h in WRONG_MOMENTUM]
    rows += [("adagrad", w, h) for w, h in WRONG_ADAGRAD]
    rows += [("adam", w, h) for w, h in WRONG_ADAM]
    rows += [("minibatch_sgd", w, h) for w, h in WRONG_SGD]
    return rows + RULES_AND_NAMED_MISTAKES + RULE_MISTAKES + MORE_MISTAKES


#: Fragments of the checks' catch-all messages: they say that a value is wrong (a
#: formula, the numbers, a relative error) without naming a cause.
GENERIC = [
    "differs from the centered difference",
    "is not within 1e-7",
    "; expected",
    "is not its gradient",
    "next_w differs from",
    "after three steps",
    "after two steps",
    "should use the defaults",
    "should change by exactly",
    "not the ones the rules give",
    "your next_w differs from adam's",
    "next_w should be w + v",
]


def generic_share(rows, checked, generic=GENERIC):
    """(number of generic first messages, number of rows) over a catalogue."""
    count = sum(
        any(g in checked(w, n).messages[0].lower() for g in generic) for n, w, _ in rows
    )
    return count, len(rows)


def test_every_exercise_has_two_correct_variants_and_five_named_mistakes():
    from utils.checks.core import REGISTRY

    chapter = sorted(n for n, e in REGISTRY.items() if e.chapter == 4)
    rows = _catalogue()
    for name in chapter:
        assert sum(n == name for n, _ in CORRECT) >= 2, name
        assert len({h for n, _, h in rows if n == name}) >= 5, name


def test_generic_hint_share_is_below_five_percent():
    generic, total = generic_share(_catalogue(), lambda w, n: _checked(w, exercise=n))
    print(f"chapter 4: {generic} generic hints out of {total} mistakes")
    assert generic / total < 0.05, (generic, total)
    rows = _catalogue()
    # and by the failure's kind: the last-resort comparison ("mismatch") or an error
    # passed on with no advice ("raised")
    by_kind = [n for n, w, _ in rows if _checked(w, exercise=n).kind in GENERIC_KINDS]
    assert len(by_kind) / len(rows) < 0.05, by_kind


def test_robust_code_that_silences_warnings_is_judged_by_its_values():
    """np.errstate hides warnings; the large-score cases compare values, so silenced
    overflow is still rejected and right code inside np.errstate still passes (issue 15,
    item 6)."""

    def linear_softmax_loss(W, X, y, reg):
        with np.errstate(all="ignore"):
            return linear_softmax_loss_logaddexp(W, X, y, reg)

    assert run_check(linear_softmax_loss).passed
    assert_rejected(
        run_check(_linear(_softmax_naive), exercise="linear_softmax_loss"),
        "Subtract each row's maximum",
    )
    assert_rejected(run_check(_adagrad_no_eps, exercise="adagrad"), "0 / 0")


# One-line diagnoses: (exercise, wrong code, the hint it must get)
DIAGNOSED = [
    (
        "numerical_gradient",
        _num_grad("centered", fixed_h=1e-2),
        "differs",
    ),  # default h ignored
    (
        "linear_softmax_loss",
        _linear(_softmax_naive),
        "Subtract each row's maximum score before np.exp",
    ),  # no shift at all
]


@pytest.mark.parametrize(
    "name, wrong, hint", DIAGNOSED, ids=[n for n, _, _ in DIAGNOSED]
)
def test_diagnosed(name, wrong, hint):
    assert_rejected(run_check(wrong, exercise=name), hint)
