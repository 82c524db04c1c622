"""Chapter 6's checks: correct code in other styles passes, and each classic dropout and
two-layer-network mistake is rejected with a hint that names it.

Every rule of each exercise statement and the test that holds the check to it:

| exercise | rule of the statement | test (table entry or function) |
|---|---|---|
| dropout_forward | p is the drop probability | WRONG_FORWARD keep_is_p, "dropped 50" |
| | rng = default_rng(dropout_param.get("seed")), mask from rng.random >= p | WRONG_FORWARD seed=*, strict_seed; binomial test; STATED_RULES 2-D only |
| | NumPy's global generator untouched | the reseeds-the-global-generator test |
| | mask = keep / (1 - p), out = x * mask, any shape | WRONG_FORWARD scale=*, shared_mask, no_drop; STATED_RULES 3-D |
| | test mode: a copy of x, mask None | WRONG_FORWARD test=*; STATED_RULES x itself |
| | cache = (dropout_param, mask) | WRONG_FORWARD cache_mask=*, "pair" |
| dropout_backward | dx = dout * the cached mask (never a new one) | WRONG_BACKWARD new mask, twice, scale, inverted |
| | test mode: dx = dout | WRONG_BACKWARD "holds no mask", "scale the gradient" |
| TwoLayerNet | rng = default_rng(seed), W = weight_scale * standard_normal, b = 0 | WRONG_NET scale, variance, uniform, bias_zero, seed_used; STATED_RULES global, two_generators |
| | W1 (D, H), W2 (H, C), b 1-D | WRONG_NET transpose_W1, bias_2d |
| | scores from self.params: affine, ReLU, affine | WRONG_NET local_weights, relu, tanh, relu_on_scores, b1/b2 |
| | y None: scores, dropout in test mode | WRONG_NET tuple_scores, test_dropout, test_scale, stay_in_train |
| | train: dropout with seed int(self._mask_rng.integers(2**31)) | WRONG_NET train_dropout, keep_is_p, fixed_mask; STATED_RULES fresh, global |
| | mean softmax loss + 0.5 reg (W1**2 + W2**2) | WRONG_NET mean_loss, svm, reg_* |
| | grads keyed like params, reg W on weights only | WRONG_NET reg_grad, reg_bias, relu_backward, backward_mask |

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
from utils.reference.layers import (
    affine_backward,
    affine_forward,
    relu_backward,
    relu_forward,
)
from utils.reference.losses import softmax_loss, svm_loss


def test_stub_class_not_attempted():
    class TwoLayerNet:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError

    result = run_check(TwoLayerNet)
    assert not result.attempted and not result.passed


# --------------------------------------------------------------------------------------
# dropout_forward
# --------------------------------------------------------------------------------------


def make_forward(
    keep_is_p=False,
    scale="inverted",
    test="identity",
    seed="use",
    cache_mask="scaled",
    shared_mask=False,
    no_drop=False,
    strict_seed=False,
    fixed_default_seed=False,
):
    """A dropout_forward with one configurable mistake."""

    def dropout_forward(x, dropout_param):
        p, mode = dropout_param["p"], dropout_param["mode"]
        if mode == "test":
            if test == "identity":
                return x.copy(), (dropout_param, None)
            if test == "scale":
                return x * (1 - p), (dropout_param, None)
            if test == "divide":
                return x / (1 - p), (dropout_param, None)
            mode = "train"  # test == "drop": behaves as in training
        s = dropout_param["seed"] if strict_seed else dropout_param.get("seed")
        if seed == "ignore":
            rng = np.random.default_rng()
        elif seed == "fixed":
            rng = np.random.default_rng(0)
        else:
            rng = np.random.default_rng(0 if (fixed_default_seed and s is None) else s)
        shape = (1, x.shape[1]) if shared_mask else x.shape
        keep = rng.random(shape) < p if keep_is_p else rng.random(shape) >= p
        if no_drop:
            keep = np.ones(shape, dtype=bool)
        factor = {
            "inverted": lambda: 1 / (1 - p),
            "none": lambda: 1.0,
            "times": lambda: 1 - p,
            "by_p": lambda: 1 / p,
        }[scale]()
        mask = keep * factor * np.ones(x.shape)
        stored = {"scaled": mask, "boolean": keep * np.ones(x.shape), "none": None}[
            cache_mask
        ]
        return x * mask, (dropout_param, stored)

    return dropout_forward


WRONG_FORWARD = [
    (make_forward(keep_is_p=True), "probability of keeping"),
    (make_forward(keep_is_p=True, scale="none"), "probability of keeping"),
    (make_forward(scale="none"), "did not scale the survivors"),
    (make_forward(scale="none", test="scale"), "did not scale the survivors"),
    (make_forward(scale="times"), "multiplied the kept units by (1 - p)"),
    (make_forward(scale="by_p"), "divided the kept units by p"),
    (make_forward(test="drop"), "also drop units in test mode"),
    (make_forward(test="scale"), "non-inverted"),
    (make_forward(test="divide"), "test mode you divide"),
    (make_forward(seed="ignore"), "ignore dropout_param's seed"),
    (make_forward(seed="fixed"), "does not depend on the seed"),
    (make_forward(fixed_default_seed=True), "fresh mask"),
    (make_forward(strict_seed=True), "seed is optional"),
    (make_forward(shared_mask=True), "same mask"),
    (make_forward(no_drop=True), "none of your outputs is zero"),
    (make_forward(no_drop=True, scale="none"), "no unit was dropped"),
    (make_forward(cache_mask="boolean"), "with* its 1/(1 - p) scale"),
    (make_forward(cache_mask="none"), "cache's mask should be an array"),
    (
        lambda x, param: (
            x
            * (np.random.default_rng(param.get("seed")).random(x.shape) >= param["p"])
            / (1 - param["p"])
        ),
        "pair `(out, cache)`",
    ),
    (lambda x, param: (x, (param, None)), "no unit was dropped"),
    (
        lambda x, param: (
            np.where(
                np.random.default_rng(param.get("seed")).random(x.shape) < 0.5, 0, 2 * x
            ),
            None,
        ),
        "dropped 50",
    ),
]


@pytest.mark.parametrize("wrong, hint", WRONG_FORWARD)
def test_dropout_forward_mistakes(wrong, hint):
    assert_rejected(_checked(wrong, exercise="dropout_forward"), hint)


def dropout_forward_doubling_x(x, dropout_param):
    out, cache = reference.dropout_forward(x, dropout_param)
    x *= 2
    return out, cache


# --------------------------------------------------------------------------------------
# dropout_backward
# --------------------------------------------------------------------------------------


def new_mask_backward(dout, cache):
    param, mask = cache
    if mask is None:
        return dout.copy()
    p = param["p"]
    return (
        dout
        * (np.random.default_rng(param.get("seed")).random(dout.shape) >= p)
        / (1 - p)
    )


def new_mask_backward_global(dout, cache):
    param, mask = cache
    if mask is None:
        return dout.copy()
    return dout * (np.random.rand(*dout.shape) >= param["p"]) / (1 - param["p"])


WRONG_BACKWARD = [
    (lambda dout, cache: dout.copy(), "equals dout"),
    (
        lambda dout, cache: (
            dout * (cache[1] != 0) if cache[1] is not None else dout.copy()
        ),
        "misses the 1/(1 - p) scale",
    ),
    (
        lambda dout, cache: (
            dout * cache[1] / (1 - cache[0]["p"])
            if cache[1] is not None
            else dout.copy()
        ),
        "twice",
    ),
    (new_mask_backward, "new mask"),
    (new_mask_backward_global, "new mask"),
    (lambda dout, cache: dout * cache[1], "holds no mask (none)"),
    (
        lambda dout, cache: (
            dout * cache[1] if cache[1] is not None else dout * (1 - cache[0]["p"])
        ),
        "in test mode you scale the gradient",
    ),
    (lambda dout, cache: (dout * cache[1] if cache[1] is not None else dout,), "tuple"),
    (
        lambda dout, cache: (
            dout * np.where(cache[1] == 0, 1 / (1 - cache[0]["p"]), 0)
            if cache[1] is not None
            else dout.copy()
        ),
        "inverted",
    ),
    (
        lambda dout, cache: (
            dout * cache[1] * (np.abs(dout) > 0.1)
            if cache[1] is not None
            else dout.copy()
        ),
        "zero exactly where",
    ),
]


@pytest.mark.parametrize("wrong, hint", WRONG_BACKWARD)
def test_dropout_backward_mistakes(wrong, hint):
    assert_rejected(_checked(wrong, exercise="dropout_backward"), hint)


# --------------------------------------------------------------------------------------
# TwoLayerNet: one configurable implementation, one mistake at a time
# --------------------------------------------------------------------------------------


def make_net(**mistakes):
    m = dict(
        relu=True,
        reg_loss=True,
        reg_half=True,
        reg_grad=1.0,
        reg_which=("W1", "W2"),
        reg_bias=False,
        bias_zero=True,
        scale_applied=True,
        variance=False,
        uniform=False,
        transpose_W1=False,
        seed_used=True,
        test_dropout=False,
        test_scale=False,
        train_dropout=True,
        keep_is_p=False,
        train_scale=True,
        backward_mask=True,
        backward_new_mask=False,
        fixed_mask=False,
        relu_backward=True,
        mean_loss=True,
        svm=False,
        b1_used=True,
        b2_used=True,
        tuple_scores=False,
        tanh=False,
        relu_on_scores=False,
        local_weights=False,
        bias_2d=False,
        b1_grad_wrong=False,
        stay_in_train=False,
    )
    unknown = set(mistakes) - set(m)
    assert not unknown, unknown
    m.update(mistakes)

    class TwoLayerNet:
        def __init__(
            self,
            input_dim,
            hidden_dim,
            num_classes,
            weight_scale=1e-3,
            reg=0.0,
            dropout=0.0,
            seed=None,
        ):
            rng = np.random.default_rng(seed if m["seed_used"] else None)
            self.rng = np.random.default_rng(None if seed is None else seed + 1)
            self.reg, self.dropout, self.seed, self.mode = reg, dropout, seed, "test"
            scale = (
                weight_scale**2
                if m["variance"]
                else (weight_scale if m["scale_applied"] else 1.0)
            )
            draw = rng.random if m["uniform"] else rng.standard_normal
            shape1 = (
                (hidden_dim, input_dim)
                if m["transpose_W1"]
                else (input_dim, hidden_dim)
            )
            bias = np.zeros if m["bias_zero"] else (lambda n: 0.1 * np.ones(n))
            self.params = {
                "W1": scale * draw(shape1),
                "b1": bias(hidden_dim),
                "W2": scale * draw((hidden_dim, num_classes)),
                "b2": bias(num_classes),
            }
            if m["bias_2d"]:
                self.params["b1"] = self.params["b1"][None, :]
            self._init = {k: v.copy() for k, v in self.params.items()}

        def _dropout(self, h, train):
            p = self.dropout
            if p == 0 or not (train or m["test_dropout"]):
                if not train and m["test_scale"] and p > 0:
                    return h * (1 - p), None
                return h, None
            if train and not m["train_dropout"]:
                return h, None
            seed = self.seed if m["fixed_mask"] else int(self.rng.integers(2**31))
            keep = np.random.default_rng(seed).random(h.shape)
            keep = keep < p if m["keep_is_p"] else keep >= p
            mask = keep / (1 - p) if m["train_scale"] else keep * 1.0
            return h * mask, mask

        def loss(self, X, y=None):
            P = self._init if m["local_weights"] else self.params
            b1 = P["b1"] if m["b1_used"] else 0 * P["b1"]
            b2 = P["b2"] if m["b2_used"] else 0 * P["b2"]
            W1 = P["W1"].T if m["transpose_W1"] else P["W1"]
            a, c1 = affine_forward(X, W1, b1)
            if m["tanh"]:
                h, rc = np.tanh(a), a
            elif m["relu"]:
                h, rc = relu_forward(a)
            else:
                h, rc = a, a
            train = y is not None or (m["stay_in_train"] and self.mode == "train")
            if y is not None:
                self.mode = "train"
            h, mask = self._dropout(h, train)
            scores, c2 = affine_forward(h, P["W2"], b2)
            if m["relu_on_scores"]:
                scores = np.maximum(0, scores)
            if y is None:
                return (scores,) if m["tuple_scores"] else scores
            loss, dscores = (svm_loss if m["svm"] else softmax_loss)(scores, y)
            if not m["mean_loss"]:
                loss, dscores = loss * X.shape[0], dscores * X.shape[0]
            weights = sum(float(np.sum(P[k] ** 2)) for k in m["reg_which"])
            if m["reg_bias"]:
                weights += float(np.sum(P["b1"] ** 2) + np.sum(P["b2"] ** 2))
            if m["reg_loss"]:
                loss += (0.5 if m["reg_half"] else 1.0) * self.reg * weights
            dh, dW2, db2 = affine_backward(dscores, c2)
            if mask is not None and m["backward_mask"]:
                if m["backward_new_mask"]:
                    p = self.dropout
                    dh = dh * (np.random.default_rng().random(dh.shape) >= p) / (1 - p)
                else:
                    dh = dh * mask
            if m["relu_backward"] and (m["relu"] or m["tanh"]):
                da = relu_backward(dh, rc) if not m["tanh"] else dh * (1 - h**2)
            else:
                da = dh
            _, dW1, db1 = affine_backward(da, c1)
            if m["b1_grad_wrong"]:
                db1 = 2 * db1
            grads = {
                "W1": dW1.T if m["transpose_W1"] else dW1,
                "b1": db1,
                "W2": dW2,
                "b2": db2,
            }
            for k in ("W1", "W2"):
                if k in m["reg_which"]:
                    grads[k] = grads[k] + m["reg_grad"] * self.reg * P[k]
            if m["reg_bias"]:
                grads["b1"] = grads["b1"] + self.reg * P["b1"]
                grads["b2"] = grads["b2"] + self.reg * P["b2"]
            return loss, grads

    return TwoLayerNet


def test_configurable_net_without_mistakes_passes():
    result = run_check(make_net())
    assert result.passed, result.messages


WRONG_NET = [
    ({"reg_loss": False}, "ignores reg"),
    ({"reg_half": False}, "without the 1/2"),
    ({"reg_grad": 0.0}, "leaves out the regularization gradient"),
    ({"reg_grad": 2.0}, "2 * reg"),
    ({"reg_grad": 0.5}, "0.5 * reg * w"),
    ({"reg_which": ("W1",)}, "only one weight matrix"),
    ({"reg_which": ("W2",)}, "only one weight matrix"),
    ({"reg_bias": True}, "also penalize the biases"),
    ({"relu": False}, "relu is missing"),
    ({"relu": False, "relu_backward": False}, "relu is missing"),
    ({"tanh": True}, "tanh or sigmoid"),
    ({"relu_on_scores": True}, "relu to the scores"),
    ({"relu_backward": False}, "ignores the relu in the backward pass"),
    ({"bias_zero": False}, "should start at zero"),
    ({"scale_applied": False}, "multiply the standard normal draws by weight_scale"),
    ({"variance": True}, "not the variance"),
    ({"uniform": True}, "mean 0"),
    ({"transpose_W1": True}, "transposed"),
    ({"bias_2d": True}, "biases are 1-d"),
    ({"seed_used": False}, "seed=0 have different weights"),
    ({"local_weights": True}, "read the weights from self.params"),
    ({"b1_used": False}, "leaves out b1"),
    ({"b2_used": False}, "leave out b2"),
    ({"tuple_scores": True}, "returned a tuple"),
    ({"mean_loss": False}, "summed over the batch"),
    ({"svm": True}, "hinge"),
    ({"b1_grad_wrong": True}, "grads['b1'] is 2 times the numerical gradient"),
    ({"test_dropout": True}, "dropout ran at test time"),
    ({"test_scale": True}, "original dropout"),
    ({"stay_in_train": True}, "must not drop units"),
    ({"train_dropout": False}, "drops no hidden unit"),
    ({"keep_is_p": True}, "probability of keeping"),
    ({"train_scale": False}, "does not scale the kept ones"),
    ({"fixed_mask": True}, "same units at every step"),
    ({"backward_mask": False}, "ignores dropout in the backward pass"),
    ({"backward_new_mask": True}, "same mask"),
]


NET_CASES = [make_net(**mistakes) for mistakes, _ in WRONG_NET]


@pytest.mark.parametrize(
    "index", range(len(WRONG_NET)), ids=[str(m) for m, _ in WRONG_NET]
)
def test_two_layer_net_mistakes(index):
    assert_rejected(
        _checked(NET_CASES[index], exercise="TwoLayerNet"), WRONG_NET[index][1]
    )


class NetWithoutParams:
    def __init__(self, *args, **kwargs):
        self.W1 = np.zeros((2, 2))


class NetWithLossStub(reference.TwoLayerNet):
    def loss(self, X, y=None):
        raise NotImplementedError


class NetWhoseLossRaises(reference.TwoLayerNet):
    def loss(self, X, y=None):
        return X @ self.params["W2"]


# --------------------------------------------------------------------------------------
# The reference itself (chapter 6 owns models.py and training.py)
# --------------------------------------------------------------------------------------


def test_reference_gradients_match_numerical_with_dropout_mask_fixed():
    from utils.gradient_check import eval_numerical_gradient, rel_error

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((5, 4)), rng.integers(0, 3, 5)
    for reg in (0.0, 0.3):
        net = reference.TwoLayerNet(4, 6, 3, weight_scale=0.5, reg=reg, seed=1)
        _, grads = net.loss(X, y)
        for k in net.params:
            num = eval_numerical_gradient(lambda _: net.loss(X, y)[0], net.params[k])
            assert rel_error(grads[k], num) < 1e-7


def test_reference_training_loop_is_deterministic_and_keeps_best_params():
    from utils.data import make_spirals
    from utils.training import evaluate_accuracy, train

    X, y = make_spirals(50, 3, seed=0)
    runs = []
    for _ in range(2):
        net = reference.TwoLayerNet(2, 20, 3, weight_scale=0.1, dropout=0.2, seed=0)
        hist = train(
            net,
            X,
            y,
            X,
            y,
            update_rule="adam",
            optim_config={"learning_rate": 1e-2},
            num_epochs=5,
            batch_size=50,
            seed=0,
        )
        runs.append((hist.loss, net.params["W1"].copy()))
        assert np.isclose(evaluate_accuracy(net, X, y), hist.best_val_acc)
        assert hist.val_acc[hist.best_epoch - 1] == hist.best_val_acc
    assert runs[0][0] == runs[1][0] and np.array_equal(runs[0][1], runs[1][1])


# --------------------------------------------------------------------------------------
# Correct alternatives must pass: the checks test behaviour, not one way of writing it
# --------------------------------------------------------------------------------------


def forward_with_global_seed(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "test":
        return x, (dropout_param, None)
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = (np.random.rand(*x.shape) > p) / (1 - p)
    return x * mask, (dropout_param, mask)


def forward_with_binomial(x, dropout_param):
    p = dropout_param["p"]
    if dropout_param["mode"] == "train":
        rng = np.random.default_rng(dropout_param.get("seed"))
        mask = rng.binomial(1, 1 - p, size=x.shape) / (1 - p)
        return x * mask, (dropout_param, mask)
    return x.copy(), (dropout_param, None)


def backward_by_mode(dout, cache):
    dropout_param, mask = cache
    return dout * mask if dropout_param["mode"] == "train" else dout


def forward_with_where(x, dropout_param):
    """The stated draws, written another way: np.where and a test mode that copies by
    np.array."""
    if dropout_param["mode"] != "train":
        return np.array(x), (dropout_param, None)
    p = dropout_param["p"]
    u = np.random.default_rng(dropout_param.get("seed")).random(np.shape(x))
    mask = np.where(u < p, 0.0, 1.0 / (1.0 - p))
    return mask * x, (dropout_param, mask)


def test_dropout_forward_alternative_passes():
    result = run_check(forward_with_where, exercise="dropout_forward")
    assert result.passed, result.messages


def test_dropout_forward_reseeding_the_global_generator_is_rejected_and_undone():
    np.random.seed(11)
    before = np.random.get_state()[1].copy()
    assert_rejected(
        run_check(forward_with_global_seed, exercise="dropout_forward"),
        "NumPy's global generator",
    )
    assert np.array_equal(np.random.get_state()[1], before)


def test_dropout_backward_alternative_passes():
    result = run_check(backward_by_mode, exercise="dropout_backward")
    assert result.passed, result.messages


def test_chapter_6_quiz_numeric_answers_are_computed():
    from utils.quiz import load_questions

    numeric = [q for q in load_questions(6) if q["type"] == "numeric"]
    correct = [next(a["value"] for a in q["answers"] if a["correct"]) for q in numeric]
    params = sum(v.size for v in reference.TwoLayerNet(64, 100, 10).params.values())
    _, (_, mask) = reference.dropout_forward(
        np.ones((50, 50)), {"p": 0.2, "mode": "train", "seed": 0}
    )
    assert correct == [params, round(float(mask.max()), 3)]


def test_chapter_6_quiz_sigmoid_answer():
    from utils.widgets.networks import ACTIVATIONS

    assert round(float(ACTIVATIONS["sigmoid"][1](6.0)), 4) == 0.0025


def test_train_keep_best_false_keeps_the_final_parameters():
    from utils.data import make_spirals
    from utils.training import train

    X, y = make_spirals(30, 3, seed=1)
    finals = []
    for keep_best in (True, False):
        net = reference.TwoLayerNet(2, 10, 3, weight_scale=0.1, seed=0)
        hist = train(
            net,
            X,
            y,
            X[:5],
            y[:5],
            update_rule="adam",
            optim_config={"learning_rate": 1e-2},
            num_epochs=6,
            batch_size=30,
            keep_best=keep_best,
        )
        finals.append(net.params["W1"].copy())
    # the same run: the final parameters differ from the best-epoch ones unless the best
    # is the last
    assert (hist.best_epoch == 6) == np.array_equal(finals[0], finals[1])
    assert (
        hist.best_epoch < 6
    )  # with this 5-example "validation" set the best comes early


def test_widgets_draw_and_build():

    from utils.data import make_spirals
    from utils.widgets import networks as w

    assert len(w.plot_activations().axes) == 8
    assert len(w.draw_thinned_networks(p=0.5, num_masks=2).axes) == 2
    X, y = make_spirals(20, 3, seed=0)
    fig, accs = w.spiral_capacity_grid(
        X, y, hidden_dims=(2, 20), dropouts=(0.0, 0.5), num_epochs=5
    )
    assert set(accs) == {(0.0, 2), (0.0, 20), (0.5, 2), (0.5, 20)}
    assert all(0 <= a <= 1 for a in accs.values())
    widget = w.spiral_network_widget(X, y)
    assert {c.description for c in widget.children[:2]} == {"hidden H", "dropout p"}


def test_spiral_numbers_of_the_chapter():
    from utils.data import make_spirals
    from utils.training import evaluate_accuracy, train
    from utils.widgets.networks import train_spiral_net

    X, y = make_spirals(100, 3, seed=0)
    linear = reference.LinearClassifier(2, 3, weight_scale=1e-2, reg=1e-3, seed=0)
    train(
        linear,
        X,
        y,
        X,
        y,
        update_rule="sgd",
        optim_config={"learning_rate": 1.0},
        num_epochs=200,
        batch_size=300,
    )
    assert 0.4 <= evaluate_accuracy(linear, X, y) <= 0.6
    assert train_spiral_net(X, y, hidden_dim=100, num_epochs=300)[1] >= 0.97


# --------------------------------------------------------------------------------------
# Rules of the statements that were not tested before
# --------------------------------------------------------------------------------------


def forward_returning_x_itself(x, dropout_param):
    if dropout_param["mode"] == "test":
        return x, (dropout_param, None)
    return reference.dropout_forward(x, dropout_param)


def forward_2d_only(x, dropout_param):
    if dropout_param["mode"] == "test":
        return x.copy(), (dropout_param, None)
    rng = np.random.default_rng(dropout_param.get("seed"))
    p = dropout_param["p"]
    mask = (rng.random((x.shape[0], x.shape[1])) >= p) / (1 - p)  # assumes x is 2-D
    return x * mask.reshape(x.shape[0], x.shape[1], *([1] * (x.ndim - 2))), (
        dropout_param,
        mask,
    )


def _net_subclass(init=None, dropout_seed=None):
    """The reference network with its weight draws or dropout seeds replaced."""

    class TwoLayerNet(reference.TwoLayerNet):
        def __init__(
            self,
            input_dim,
            hidden_dim,
            num_classes,
            weight_scale=1e-3,
            reg=0.0,
            dropout=0.0,
            seed=None,
        ):
            super().__init__(
                input_dim, hidden_dim, num_classes, weight_scale, reg, dropout, seed
            )
            if init == "global":
                np.random.seed(0 if seed is None else seed)
                self.params["W1"] = weight_scale * np.random.randn(
                    input_dim, hidden_dim
                )
                self.params["W2"] = weight_scale * np.random.randn(
                    hidden_dim, num_classes
                )
            elif init == "two_generators":
                self.params["W1"] = weight_scale * np.random.default_rng(
                    seed
                ).standard_normal((input_dim, hidden_dim))
                self.params["W2"] = weight_scale * np.random.default_rng(
                    seed
                ).standard_normal((hidden_dim, num_classes))
            if dropout_seed == "global":
                pass
            elif dropout_seed == "fresh":
                self._dropout_rng = np.random.default_rng(12345)

        def loss(self, X, y=None):
            if dropout_seed == "global" and y is not None:
                saved = self._dropout_rng
                self._dropout_rng = _GlobalIntegers()
                try:
                    return super().loss(X, y)
                finally:
                    self._dropout_rng = saved
            return super().loss(X, y)

    return TwoLayerNet


class _GlobalIntegers:
    def integers(self, high):
        return np.random.randint(high)


STATED_RULES = [
    ("dropout_forward", forward_returning_x_itself, "asks for a copy"),
    ("dropout_forward", forward_2d_only, "with seed 7 your mask is not the one"),
    ("TwoLayerNet", _net_subclass(init="global"), "global generator"),
    (
        "TwoLayerNet",
        _net_subclass(init="two_generators"),
        "not the ones the statement's generator",
    ),
    (
        "TwoLayerNet",
        _net_subclass(dropout_seed="global"),
        "loss draws from (or reseeds) numpy's global",
    ),
    (
        "TwoLayerNet",
        _net_subclass(dropout_seed="fresh"),
        "masks are not the ones the statement names",
    ),
]


@pytest.mark.parametrize("name, wrong, hint", STATED_RULES)
def test_stated_rules(name, wrong, hint):
    assert_rejected(_checked(wrong, exercise=name), hint)


# --------------------------------------------------------------------------------------
# The catalogue (issue 15, "done when"): for every exercise at least two correct
# implementations in another style than the reference, which must pass, and at least
# five classic mistakes, which must fail with a hint that names them; and the share of
# generic hints over all of them.
# --------------------------------------------------------------------------------------


def forward_where_scaled(x, dropout_param):
    p = dropout_param["p"]
    if dropout_param["mode"] == "test":
        return np.copy(x), (dropout_param, None)
    keep = np.random.default_rng(dropout_param.get("seed")).random(x.shape) >= p
    out = np.where(keep, x / (1 - p), 0.0)
    return out, (dropout_param, keep.astype(float) / (1 - p))


def backward_multiply(dout, cache):
    _, mask = cache
    return np.array(dout) if mask is None else np.multiply(dout, mask)


class InlineTwoLayerNet:
    """The whole network written out in NumPy, without the layer functions; dropout
    inline with the seed the statement names."""

    def __init__(
        self,
        input_dim,
        hidden_dim,
        num_classes,
        weight_scale=1e-3,
        reg=0.0,
        dropout=0.0,
        seed=None,
    ):
        self.reg, self.dropout = reg, dropout
        self._mask_rng = np.random.default_rng(None if seed is None else seed + 1)
        rng = np.random.default_rng(seed)
        W1 = rng.normal(0.0, weight_scale, size=(input_dim, hidden_dim))
        W2 = rng.normal(0.0, weight_scale, size=(hidden_dim, num_classes))
        self.params = dict(
            W1=W1, b1=np.zeros(hidden_dim), W2=W2, b2=np.zeros(num_classes)
        )

    def loss(self, X, y=None):
        P = self.params
        a = X @ P["W1"] + P["b1"]
        h = np.maximum(a, 0)
        mask = None
        if y is not None and self.dropout > 0:
            seed = int(self._mask_rng.integers(2**31))
            keep = np.random.default_rng(seed).random(h.shape) >= self.dropout
            mask = keep / (1 - self.dropout)
            h = h * mask
        S = h @ P["W2"] + P["b2"]
        if y is None:
            return S
        N = X.shape[0]
        S = S - S.max(axis=1, keepdims=True)
        log_p = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
        loss = -log_p[np.arange(N), y].mean()
        loss += 0.5 * self.reg * sum(np.sum(P[k] ** 2) for k in ("W1", "W2"))
        dS = np.exp(log_p)
        dS[np.arange(N), y] -= 1
        dS /= N
        dh = dS @ P["W2"].T
        if mask is not None:
            dh *= mask
        da = dh * (a > 0)
        return loss, {
            "W1": X.T @ da + self.reg * P["W1"],
            "b1": da.sum(axis=0),
            "W2": h.T @ dS + self.reg * P["W2"],
            "b2": dS.sum(axis=0),
        }


InlineTwoLayerNet.__name__ = "TwoLayerNet"


class W2FirstTwoLayerNet(InlineTwoLayerNet):
    """Draws W2 before W1 from the same generator (the statement does not fix the
    order)."""

    def __init__(
        self,
        input_dim,
        hidden_dim,
        num_classes,
        weight_scale=1e-3,
        reg=0.0,
        dropout=0.0,
        seed=None,
    ):
        super().__init__(
            input_dim, hidden_dim, num_classes, weight_scale, reg, dropout, seed
        )
        rng = np.random.default_rng(seed)
        self.params["W2"] = weight_scale * rng.standard_normal(
            (hidden_dim, num_classes)
        )
        self.params["W1"] = weight_scale * rng.standard_normal((input_dim, hidden_dim))


CORRECT = [
    ("dropout_forward", forward_with_where),
    ("dropout_forward", forward_where_scaled),
    ("dropout_backward", backward_by_mode),
    ("dropout_backward", backward_multiply),
    ("TwoLayerNet", make_net()),
    ("TwoLayerNet", InlineTwoLayerNet),
    ("TwoLayerNet", W2FirstTwoLayerNet),
]


@pytest.mark.parametrize(
    "name, fn", CORRECT, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CORRECT)]
)
def test_correct_code_in_another_style_passes(name, fn):
    result = run_check(fn, exercise=name)
    assert result.passed, result.messages


class AccumulatingGrads(InlineTwoLayerNet):
    """Keeps one grads dict on the network and adds to it at every call."""

    def loss(self, X, y=None):
        out = super().loss(X, y)
        if y is None:
            return out
        loss, grads = out
        if not hasattr(self, "grads"):
            self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        for k in grads:
            self.grads[k] += grads[k]
        return loss, self.grads


MORE_MISTAKES = [
    ("TwoLayerNet", AccumulatingGrads, "gradients grow from one call"),
]


@pytest.mark.parametrize("name, wrong, hint", MORE_MISTAKES)
def test_more_classic_mistakes(name, wrong, hint):
    assert_rejected(_checked(wrong, exercise=name), hint)


def _catalogue():
    rows = [("dropout_forward", w, h) for w, h in WRONG_FORWARD]
    rows += [("dropout_backward", w, h) for w, h in WRONG_BACKWARD]
    rows += [("TwoLayerNet", NET_CASES[i], h) for i, (_, h) in enumerate(WRONG_NET)]
    return rows + STATED_RULES + MORE_MISTAKES


#: Fragments of the checks' catch-all messages: a value is wrong, without a cause named.
GENERIC = [
    "differs from the correct gradient",
    "disagrees with the numerical gradient",
    "should be the mean softmax loss",
    "; yours is",
    "should have standard deviation",
    "dx should be dout * mask",
    "must return x unchanged",
]


def test_every_exercise_has_two_correct_variants_and_five_named_mistakes():
    from utils.checks.core import REGISTRY

    rows = _catalogue()
    for name in sorted(n for n, e in REGISTRY.items() if e.chapter == 6):
        assert sum(n == name for n, _ in CORRECT) >= 2, name
        assert len({h for n, _, h in rows if n == name}) >= 5, name


def test_generic_hint_share_is_below_five_percent():
    rows = _catalogue()
    generic = [
        (n, h)
        for n, w, h in rows
        if any(g in _checked(w, exercise=n).messages[0].lower() for g in GENERIC)
    ]
    print(
        f"chapter 6: {len(generic)} generic hints out of {len(rows)} mistakes: "
        f"{generic}"
    )
    assert len(generic) / len(rows) < 0.05, generic
    # and by the failure's kind: the last-resort comparison ("mismatch") or an error
    # passed on with no advice ("raised")
    by_kind = [n for n, w, _ in rows if _checked(w, exercise=n).kind in GENERIC_KINDS]
    assert len(by_kind) / len(rows) < 0.05, by_kind


# --------------------------------------------------------------------------------------
# One-line diagnoses: (exercise, wrong code, the hint it must get)
DIAGNOSED = [
    ("dropout_forward", dropout_forward_doubling_x, "changed its input"),
    ("TwoLayerNet", NetWithoutParams, "no dict attribute `params`"),
    ("TwoLayerNet", NetWithLossStub, "still raises notimplementederror"),
    ("TwoLayerNet", NetWhoseLossRaises, "raised valueerror"),
    (
        "dropout_forward",
        forward_with_binomial,
        "your mask is not the one the statement's generator gives",
    ),
]


@pytest.mark.parametrize(
    "name, wrong, hint", DIAGNOSED, ids=[f"{n}-{w.__name__}" for n, w, _ in DIAGNOSED]
)
def test_diagnosed(name, wrong, hint):
    assert_rejected(run_check(wrong, exercise=name), hint)
