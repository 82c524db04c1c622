"""Chapter 7's checks reject each classic mistake with its hint and accept correct code
written in other styles than the reference."""

import math

import numpy as np
import pytest

from tests.conftest import assert_rejected
from utils import reference
from utils.checks import run_check
from utils.reference.layers import (
    affine_backward,
    affine_forward,
    dropout_backward,
    dropout_forward,
    relu_backward,
    relu_forward,
)
from utils.reference.losses import softmax_loss


def assert_passes(fn, name):
    result = run_check(fn, exercise=name)
    assert result.passed, result.messages


# --------------------------------------------------------------------------------------
# init_weights
# --------------------------------------------------------------------------------------


def make_init(
    he=lambda i, o: math.sqrt(2 / i),
    xavier=lambda i, o: math.sqrt(2 / (i + o)),
    draw="normal",
    transpose=False,
    unknown="raise",
    rng_source="given",
):
    def init_weights(fan_in, fan_out, scheme, rng):
        if scheme == "he":
            std = he(fan_in, fan_out)
        elif scheme == "xavier":
            std = xavier(fan_in, fan_out)
        elif unknown == "raise":
            raise ValueError(scheme)
        elif unknown == "keyerror":
            raise KeyError(scheme)
        else:
            std = he(fan_in, fan_out)
        shape = (fan_out, fan_in) if transpose else (fan_in, fan_out)
        gen = {"given": rng, "fixed": np.random.default_rng(0)}.get(rng_source)
        if rng_source == "global":
            return std * np.random.randn(*shape)
        if draw == "uniform01":
            return std * gen.random(shape)
        if draw == "uniform":
            a = math.sqrt(3) * std
            return gen.uniform(-a, a, size=shape)
        return std * gen.standard_normal(shape)

    return init_weights


WRONG_INIT = [
    (make_init(he=lambda i, o: math.sqrt(2 / o)), "fan_out"),
    (make_init(he=lambda i, o: math.sqrt(1 / i)), "relu zeroes half"),
    (make_init(he=lambda i, o: 2 / i), "which is the variance"),
    (make_init(he=lambda i, o: math.sqrt(2 / (i + o))), "xavier variance"),
    (make_init(xavier=lambda i, o: math.sqrt(1 / (i + o))), "factor 2 is missing"),
    (make_init(xavier=lambda i, o: 2 / (i + o)), "which is the variance"),
    (make_init(xavier=lambda i, o: math.sqrt(2 / i)), "he's variance"),
    (make_init(xavier=lambda i, o: math.sqrt(6 / (i + o))), "bound"),
    (make_init(xavier=lambda i, o: math.sqrt(1 / i)), "lecun"),
    (make_init(draw="uniform"), "uniform or truncated"),
    (make_init(draw="uniform01"), "mean 0"),
    (make_init(transpose=True), "transposed"),
    (make_init(unknown="default"), "instead of raising valueerror"),
    (make_init(unknown="keyerror"), "raised keyerror"),
    (make_init(rng_source="global"), "global generator"),
    (make_init(rng_source="fixed"), "ignores its rng"),
    (lambda fan_in, fan_out, scheme, rng: np.zeros((fan_in, fan_out)), "symmetry"),
    (lambda fan_in, fan_out, scheme, rng: (fan_in, fan_out), "numpy array"),
]


@pytest.mark.parametrize("wrong, hint", WRONG_INIT)
def test_init_weights_mistakes(wrong, hint):
    assert_rejected(run_check(wrong, exercise="init_weights"), hint)


def init_with_normal_and_dict(fan_in, fan_out, scheme, rng):
    variances = {"he": 2 / fan_in, "xavier": 2 / (fan_in + fan_out)}
    if scheme not in variances:
        raise ValueError(f"unknown scheme {scheme}")
    return rng.normal(0.0, np.sqrt(variances[scheme]), size=(fan_in, fan_out))


def init_with_match(fan_in, fan_out, scheme, rng):
    match scheme:
        case "xavier":
            denominator = (fan_in + fan_out) / 2
        case "he":
            denominator = fan_in / 2
        case _:
            raise ValueError("scheme must be 'xavier' or 'he'")
    return rng.standard_normal(size=(fan_in, fan_out)) / np.sqrt(denominator)


@pytest.mark.parametrize("correct", [init_with_normal_and_dict, init_with_match])
def test_init_weights_accepts_other_styles(correct):
    assert_passes(correct, "init_weights")


# --------------------------------------------------------------------------------------
# cosine_schedule
# --------------------------------------------------------------------------------------


def make_schedule(
    warm_num=lambda s: s,
    warm_den=lambda w: w,
    start=lambda w: w,
    den=lambda t, w: t - w,
    half=0.5,
    use_min=True,
    min_outside=False,
    clamp=True,
    use_pi=True,
    linear=False,
    warm_from_min=False,
):
    def cosine_schedule(lr0, step, total_steps, warmup_steps=0, lr_min=0.0):
        if step < warmup_steps:
            if warm_from_min:
                return lr_min + (lr0 - lr_min) * step / warmup_steps
            return lr0 * warm_num(step) / warm_den(warmup_steps)
        if clamp and step >= total_steps:
            return lr_min
        progress = (step - start(warmup_steps)) / den(total_steps, warmup_steps)
        low = lr_min if use_min else 0.0
        if linear:
            return lr0 + (low - lr0) * progress
        angle = math.pi * progress if use_pi else progress
        if min_outside:
            return low + half * lr0 * (1 + math.cos(angle))
        return low + half * (lr0 - low) * (1 + math.cos(angle))

    return cosine_schedule


def no_warmup_guard(lr0, step, total_steps, warmup_steps=0, lr_min=0.0):
    if step <= warmup_steps:
        return lr0 * step / warmup_steps
    return reference.cosine_schedule(lr0, step, total_steps, warmup_steps, lr_min)


WRONG_SCHEDULE = [
    (make_schedule(warm_num=lambda s: s + 1), "off by one"),
    (make_schedule(warm_den=lambda w: w - 1), "warmup_steps - 1"),
    (make_schedule(start=lambda w: 0, den=lambda t, w: t), "starts at step 0"),
    (make_schedule(den=lambda t, w: t), "instead of total_steps - warmup_steps"),
    (make_schedule(half=1.0), "factor 1/2 is missing"),
    (make_schedule(use_min=False), "ignores lr_min"),
    (make_schedule(min_outside=True), "added lr_min to the whole cosine"),
    (make_schedule(clamp=False), "rises again"),
    (make_schedule(use_pi=False), "cos(pi * progress)"),
    (make_schedule(linear=True), "straight line"),
    (make_schedule(warm_from_min=True), "warm-up starts at lr_min"),
    (
        lambda lr0, step, total_steps, warmup_steps=0, lr_min=0.0: (
            reference.cosine_schedule(lr0, step, total_steps, 0, lr_min)
        ),
        "skips the warm-up",
    ),
    (no_warmup_guard, "divides by zero"),
    (
        lambda lr0, step, total_steps, warmup_steps=0, lr_min=0.0: np.array([lr0]),
        "single number",
    ),
    (
        lambda lr0, step, total_steps, warmup_steps=0, lr_min=0.0: (
            reference.cosine_schedule(lr0, step, total_steps, warmup_steps, lr_min)
            * 1.01
        ),
        "should be",
    ),
]


@pytest.mark.parametrize("wrong, hint", WRONG_SCHEDULE)
def test_cosine_schedule_mistakes(wrong, hint):
    assert_rejected(run_check(wrong, exercise="cosine_schedule"), hint)


def schedule_with_numpy(lr0, step, total_steps, warmup_steps=0, lr_min=0.0):
    if warmup_steps > 0 and step < warmup_steps:
        return lr0 * (step / warmup_steps)
    t = np.clip((step - warmup_steps) / max(total_steps - warmup_steps, 1), 0.0, 1.0)
    return float(lr_min + (lr0 - lr_min) * (np.cos(np.pi * t) + 1) / 2)


def schedule_as_interpolation(lr0, step, total_steps, warmup_steps=0, lr_min=0.0):
    if step >= total_steps:
        return lr_min
    if step >= warmup_steps:
        weight = (
            1 - math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps))
        ) / 2
        return (1 - weight) * lr0 + weight * lr_min
    return step * lr0 / warmup_steps


@pytest.mark.parametrize("correct", [schedule_with_numpy, schedule_as_interpolation])
def test_cosine_schedule_accepts_other_styles(correct):
    assert_passes(correct, "cosine_schedule")


# --------------------------------------------------------------------------------------
# update_ratio
# --------------------------------------------------------------------------------------

n = np.linalg.norm
WRONG_RATIO = [
    (lambda w, dw, learning_rate: float(n(dw) / n(w)), "leaves out the learning rate"),
    (lambda w, dw, learning_rate: float(n(w) / n(learning_rate * dw)), "upside down"),
    (
        lambda w, dw, learning_rate: float(
            np.sum((learning_rate * dw) ** 2) / np.sum(w**2)
        ),
        "squared norms",
    ),
    (
        lambda w, dw, learning_rate: float(np.mean(np.abs(learning_rate * dw / w))),
        "entrywise ratios",
    ),
    (
        lambda w, dw, learning_rate: float(
            np.sum(np.abs(learning_rate * dw)) / np.sum(np.abs(w))
        ),
        "l1 norms",
    ),
    (
        lambda w, dw, learning_rate: float(n(learning_rate * dw, 2) / n(w, 2)),
        "spectral norm",
    ),
    (
        lambda w, dw, learning_rate: float(n(w - learning_rate * dw) / n(w)),
        "updated weights",
    ),
    (lambda w, dw, learning_rate: float(learning_rate**2 * n(dw) / n(w)), "twice"),
    (
        lambda w, dw, learning_rate: n(learning_rate * dw, axis=0) / n(w, axis=0),
        "per-row or per-column",
    ),
    (
        lambda w, dw, learning_rate: float(
            n(learning_rate * dw.reshape(dw.shape[0], -1)[:, :1])
            / n(w.reshape(w.shape[0], -1)[:, :1])
        ),
        "should be",
    ),
]


@pytest.mark.parametrize("wrong, hint", WRONG_RATIO)
def test_update_ratio_mistakes(wrong, hint):
    assert_rejected(run_check(wrong, exercise="update_ratio"), hint)


def ratio_by_hand(w, dw, learning_rate):
    step = learning_rate * dw
    return math.sqrt(float((step * step).sum())) / math.sqrt(float((w * w).sum()))


def ratio_with_vdot(w, dw, learning_rate):
    return abs(learning_rate) * np.sqrt(np.vdot(dw, dw) / np.vdot(w, w))


@pytest.mark.parametrize("correct", [ratio_by_hand, ratio_with_vdot])
def test_update_ratio_accepts_other_styles(correct):
    assert_passes(correct, "update_ratio")


# --------------------------------------------------------------------------------------
# sample_log_uniform
# --------------------------------------------------------------------------------------

WRONG_SAMPLE = [
    (
        lambda low, high, size, rng: rng.uniform(low, high, size),
        "instead of log-uniformly",
    ),
    (
        lambda low, high, size, rng: rng.uniform(np.log(low), np.log(high), size),
        "logarithms",
    ),
    (
        lambda low, high, size, rng: rng.uniform(np.log10(low), np.log10(high), size),
        "exponents",
    ),
    (
        lambda low, high, size, rng: np.exp(rng.uniform(low, high, size)),
        "exp(low) and exp(high)",
    ),
    (
        lambda low, high, size, rng: np.exp(
            np.random.uniform(np.log(low), np.log(high), size)
        ),
        "global generator",
    ),
    (
        lambda low, high, size, rng: np.exp(
            np.random.default_rng(0).uniform(np.log(low), np.log(high), size)
        ),
        "ignores its rng",
    ),
    (
        lambda low, high, size, rng: np.clip(
            np.exp(rng.normal((np.log(low) + np.log(high)) / 2, 2.0, size)), low, high
        ),
        "not uniform",
    ),
    (
        lambda low, high, size, rng: np.exp(rng.uniform(np.log(low), np.log(high), 10)),
        "shape",
    ),
    (
        lambda low, high, size, rng: np.exp(
            rng.uniform(np.log(low), np.log(high), int(np.prod(size)))
        ),
        "shape (3, 4)",
    ),
    (
        lambda low, high, size, rng: list(
            np.exp(rng.uniform(np.log(low), np.log(high), size))
        ),
        "python list",
    ),
]


@pytest.mark.parametrize("wrong, hint", WRONG_SAMPLE)
def test_sample_log_uniform_mistakes(wrong, hint):
    assert_rejected(run_check(wrong, exercise="sample_log_uniform"), hint)


def sample_base_10(low, high, size, rng):
    return 10.0 ** rng.uniform(math.log10(low), math.log10(high), size=size)


def sample_by_interpolation(low, high, size, rng):
    u = rng.random(size)
    return low * (high / low) ** u


@pytest.mark.parametrize("correct", [sample_base_10, sample_by_interpolation])
def test_sample_log_uniform_accepts_other_styles(correct):
    assert_passes(correct, "sample_log_uniform")


# --------------------------------------------------------------------------------------
# FullyConnectedNet: one configurable implementation, one mistake at a time
# --------------------------------------------------------------------------------------


def make_net(**mistakes):
    m = dict(
        count_layers=1,
        transpose=False,
        bias_zero=True,
        scale=True,
        ignore_init=False,
        scale_times_init=False,
        fan_out=False,
        seed_used=True,
        reseed_layers=False,
        relu=True,
        relu_last=False,
        biases=True,
        local=False,
        mean=True,
        reg_loss=True,
        reg_half=True,
        reg_grad=1.0,
        reg_bias=False,
        reg_last=True,
        dropout_train=True,
        dropout_test=False,
        test_scale=False,
        fixed_mask=False,
        keep_is_p=False,
        first_only=False,
        backward_mask=True,
        b1_grad_wrong=False,
    )
    unknown = set(mistakes) - set(m)
    assert not unknown, unknown
    m.update(mistakes)

    class FullyConnectedNet:
        def __init__(
            self,
            hidden_dims,
            input_dim,
            num_classes,
            dropout=0.0,
            reg=0.0,
            weight_scale=1e-2,
            init=None,
            seed=None,
        ):
            self.reg, self.dropout, self.seed = reg, dropout, seed
            self._mask_rng = np.random.default_rng(None if seed is None else seed + 1)
            dims = [input_dim, *hidden_dims, num_classes]
            if m["count_layers"] == 0:
                dims = [input_dim, *hidden_dims]
            self.num_layers = len(dims) - 1
            rng = np.random.default_rng(seed if m["seed_used"] else None)
            self.params = {}
            for i, (a, b) in enumerate(zip(dims[:-1], dims[1:]), start=1):
                if m["reseed_layers"]:
                    rng = np.random.default_rng(seed)
                if init is None or m["ignore_init"]:
                    W = (weight_scale if m["scale"] else 1.0) * rng.standard_normal(
                        (a, b)
                    )
                else:
                    fan = b if m["fan_out"] else a
                    W = reference.init_weights(fan, a + b - fan, init, rng)
                    if m["fan_out"]:
                        W = W.reshape(a, b)
                    if m["scale_times_init"]:
                        W = weight_scale * W
                self.params[f"W{i}"] = W.T.copy() if m["transpose"] and i == 1 else W
                self.params[f"b{i}"] = (
                    np.zeros(b) if m["bias_zero"] else np.full(b, 0.1)
                )
            self._init = {k: v.copy() for k, v in self.params.items()}

        def loss(self, X, y=None):
            P = self._init if m["local"] else self.params
            L = self.num_layers
            train = y is not None
            out, caches = X, []
            for i in range(1, L):
                b = P[f"b{i}"] if m["biases"] else 0 * P[f"b{i}"]
                out, fc = affine_forward(out, P[f"W{i}"], b)
                if m["relu"]:
                    out, rc = relu_forward(out)
                else:
                    rc = np.ones_like(out)
                p = self.dropout
                use = p > 0 and (i == 1 or not m["first_only"])
                dc = ({"p": p, "mode": "test"}, None)
                if use and train and m["dropout_train"]:
                    s = (
                        self.seed
                        if m["fixed_mask"]
                        else int(self._mask_rng.integers(2**31))
                    )
                    keep = np.random.default_rng(s).random(out.shape)
                    keep = keep < p if m["keep_is_p"] else keep >= p
                    mask = keep / (1 - p)
                    out, dc = out * mask, ({"p": p}, mask)
                elif use and not train and m["dropout_test"]:
                    out = (
                        out * (np.random.default_rng().random(out.shape) >= p) / (1 - p)
                    )
                elif use and not train and m["test_scale"]:
                    out = out * (1 - p)
                caches.append((fc, rc, dc))
            b = P[f"b{L}"] if m["biases"] else 0 * P[f"b{L}"]
            scores, last = affine_forward(out, P[f"W{L}"], b)
            if m["relu_last"]:
                scores = np.maximum(0, scores)
            if not train:
                return scores
            loss, d = softmax_loss(scores, y)
            if not m["mean"]:
                loss, d = loss * X.shape[0], d * X.shape[0]
            penalized = [f"W{i}" for i in range(1, L + (1 if m["reg_last"] else 0))]
            if m["reg_bias"]:
                penalized += [f"b{i}" for i in range(1, L + 1)]
            if m["reg_loss"]:
                loss += (
                    (0.5 if m["reg_half"] else 1.0)
                    * self.reg
                    * sum(float(np.sum(P[k] ** 2)) for k in penalized)
                )
            grads = {}
            dout, grads[f"W{L}"], grads[f"b{L}"] = affine_backward(d, last)
            for i in range(L - 1, 0, -1):
                fc, rc, dc = caches[i - 1]
                if m["backward_mask"]:
                    dout = dropout_backward(dout, dc)
                dout = relu_backward(dout, rc) if m["relu"] else dout
                dout, grads[f"W{i}"], grads[f"b{i}"] = affine_backward(dout, fc)
            if m["b1_grad_wrong"]:
                grads["b1"] = 2 * grads["b1"]
            for k in penalized:
                grads[k] = grads[k] + m["reg_grad"] * self.reg * P[k]
            return loss, grads

    return FullyConnectedNet


def test_configurable_net_without_mistakes_passes():
    assert_passes(make_net(), "FullyConnectedNet")


WRONG_NET = [
    ({"count_layers": 0}, "l = len(hidden_dims) + 1"),
    ({"transpose": True}, "transposed"),
    ({"bias_zero": False}, "should start at zero"),
    ({"scale": False}, "multiply the standard normal draws by weight_scale"),
    ({"seed_used": False}, "seed=0 have different weights"),
    ({"reseed_layers": True}, "same random numbers"),
    ({"ignore_init": True}, "ignores init"),
    ({"scale_times_init": True}, "weight_scale is unused"),
    ({"fan_out": True}, "fan_out where fan_in belongs"),
    ({"local": True}, "read the weights from self.params"),
    ({"relu": False}, "relus are missing"),
    ({"relu_last": True}, "relu to the scores"),
    ({"biases": False}, "leave out the biases"),
    ({"mean": False}, "summed over the batch"),
    ({"reg_loss": False}, "ignores reg"),
    ({"reg_half": False}, "without the 1/2"),
    ({"reg_bias": True}, "also penalize the biases"),
    ({"reg_last": False}, "leaves out the last layer"),
    ({"reg_grad": 0.0}, "leaves out the regularization gradient"),
    ({"reg_grad": 2.0}, "2 * reg"),
    ({"b1_grad_wrong": True}, "numerical gradient"),
    ({"dropout_test": True}, "dropout ran at test time"),
    ({"test_scale": True}, "original dropout"),
    ({"dropout_train": False}, "drops no unit"),
    ({"fixed_mask": True}, "same units at every step"),
    ({"keep_is_p": True}, "probability of *dropping*"),
    ({"first_only": True}, "first hidden layer only"),
    ({"backward_mask": False}, "ignores dropout in the backward pass"),
]


@pytest.mark.parametrize(
    "mistakes, hint", WRONG_NET, ids=[str(m) for m, _ in WRONG_NET]
)
def test_fully_connected_net_mistakes(mistakes, hint):
    assert_rejected(run_check(make_net(**mistakes), exercise="FullyConnectedNet"), hint)


class LayerListNet:
    """A correct network in another style: a list of layer sizes and a loop over (W,
    b) pairs."""

    def __init__(
        self,
        hidden_dims,
        input_dim,
        num_classes,
        dropout=0.0,
        reg=0.0,
        weight_scale=1e-2,
        init=None,
        seed=None,
    ):
        self.reg, self.dropout = reg, dropout
        self._mask_rng = np.random.default_rng(None if seed is None else seed + 1)
        sizes = [input_dim] + list(hidden_dims) + [num_classes]
        rng = np.random.default_rng(seed)
        self.params = {}
        for layer, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
            if init in ("he", "xavier"):
                W = reference.init_weights(fan_in, fan_out, init, rng)
            else:
                W = rng.normal(0.0, weight_scale, size=(fan_in, fan_out))
            self.params["W%d" % (layer + 1)] = W
            self.params["b%d" % (layer + 1)] = np.zeros(fan_out)
        self.L = len(sizes) - 1

    def loss(self, X, y=None):
        mode = "test" if y is None else "train"
        h, tape = X, []
        for k in range(1, self.L):
            z = h @ self.params[f"W{k}"] + self.params[f"b{k}"]
            r = np.maximum(z, 0.0)
            param = {"p": self.dropout, "mode": mode}
            if mode == "train":
                param["seed"] = int(self._mask_rng.integers(2**31))
            d, dcache = dropout_forward(r, param)
            tape.append((h, z, dcache))
            h = d
        scores = h @ self.params[f"W{self.L}"] + self.params[f"b{self.L}"]
        if mode == "test":
            return scores
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        N = X.shape[0]
        loss = -log_p[np.arange(N), y].mean()
        dscores = np.exp(log_p)
        dscores[np.arange(N), y] -= 1
        dscores /= N
        Ws = [self.params[f"W{k}"] for k in range(1, self.L + 1)]
        loss += 0.5 * self.reg * sum(np.vdot(W, W) for W in Ws)
        grads = {
            f"W{self.L}": h.T @ dscores + self.reg * Ws[-1],
            f"b{self.L}": dscores.sum(0),
        }
        g = dscores @ Ws[-1].T
        for k in range(self.L - 1, 0, -1):
            h_in, z, dcache = tape[k - 1]
            g = dropout_backward(g, dcache) * (z > 0)
            grads[f"W{k}"] = h_in.T @ g + self.reg * self.params[f"W{k}"]
            grads[f"b{k}"] = g.sum(axis=0)
            g = g @ self.params[f"W{k}"].T
        return loss, grads


def test_fully_connected_net_accepts_other_styles():
    assert_passes(LayerListNet, "FullyConnectedNet")
    assert_passes(make_net(), "FullyConnectedNet")


def test_stub_class_not_attempted():
    class FullyConnectedNet:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError

    result = run_check(FullyConnectedNet)
    assert not result.attempted and not result.passed


def test_reference_net_passes_a_gradient_check_with_dropout_and_a_fixed_seed():
    """The issue's 'done when': with and without reg and dropout, masks fixed by
    reseeding."""
    from utils.gradient_check import eval_numerical_gradient

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((8, 5)), rng.integers(0, 3, size=8)
    for reg in (0.0, 0.5):
        for p in (0.0, 0.4):
            net = reference.FullyConnectedNet(
                [6, 7, 4], 5, 3, dropout=p, reg=reg, init="he", seed=1
            )
            for k in ("b1", "b2", "b3", "b4"):  # off the ReLU kink of an all-zero layer
                net.params[k] = 0.1 * rng.standard_normal(net.params[k].shape)

            def f(_):
                net._mask_rng = np.random.default_rng(99)
                return net.loss(X, y)[0]

            f(None)
            net._mask_rng = np.random.default_rng(99)
            _, grads = net.loss(X, y)
            for k, v in net.params.items():
                num = eval_numerical_gradient(f, v)
                err = np.linalg.norm(grads[k] - num) / (
                    np.linalg.norm(grads[k]) + np.linalg.norm(num)
                )
                assert err < 1e-7, (reg, p, k)
