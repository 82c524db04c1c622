"""Chapter 5's checks: the references pass, stubs are "not attempted", correct code in
other styles
passes, and every classic backpropagation mistake is rejected with a hint that names it.

Every rule of each exercise statement and the test that holds the check to it:

| exercise | rule of the statement | test (table entry or function) |
|---|---|---|
| Value | .data a number, .grad starts at 0.0 | VALUE_WRONG `_NoData`, `_GradStartsAtOne` |
| | `_prev` holds the inputs | `test_value_prev_is_checked` |
| | `_backward` passes out.grad back (leaf: nothing) | `test_value_backward_function_is_checked` |
| | + - * / with numbers on either side | VALUE_WRONG no_rmul, no_rsub, rsub_swapped, no_wrap, ... |
| | ** n, exp, tanh, relu, sigmoid and their gradients | VALUE_WRONG pow_*, exp_grad, tanh_grad, sigmoid_grad, relu_grad |
| | backward: topological order, seed 1, reversed | VALUE_WRONG order=recursive/bfs/not_reversed/no_seed; hang test |
| | every _backward adds (+=) local * out.grad | VALUE_WRONG assign, assign_add, no_chain, mul_no_swap |
| affine_forward | x of any number of dimensions, flattened per example | WRONG "reshape", "mixes numbers"; `x.shape =` test |
| | out = x_flat @ w + b | WRONG bias, transposed, wrong axis; STATED_RULES `*` |
| | cache = (x, w, b), x unflattened | WRONG "flattened x", "exactly (x, w, b)", "tuple" |
| affine_backward | dx shaped like x, dw (D, M), db (M,) | WRONG reshape(x.shape), wrong axis, keepdims, dw transposed |
| | the cached x is not changed | STATED_RULES `x.shape = ...` on the cache |
| relu_forward | max(0, x) elementwise, any shape, cache = x | WRONG relu_forward; STATED_RULES np.max / max |
| | x not changed in place | Probe (core), `test_relu_backward_in_place_is_rejected` |
| relu_backward | dout where x > 0, zero elsewhere, shaped like x | WRONG relu_backward; `>=` accepted |
| softmax_loss | mean cross-entropy (natural log) as a float | WRONG sum, base 10, sign, "single number" |
| | dscores = (p - onehot) / N | WRONG subtract 1, every entry, whole columns, batch size, axis |
| | finite and exact for scores thousands apart | `test_softmax_loss_shifted_but_log...`, without shift |

Beyond the rules (issue 15, "done when"): `CORRECT` holds at least two correct implementations per
exercise in another style than the reference (they must pass); every mistake table is gathered by
`_catalogue()` (at least five distinct named mistakes per exercise, checked by a test), and
`test_generic_hint_share_is_below_five_percent` counts the first messages that match one of the
checks' catch-all fragments (`GENERIC`: a value is wrong, no cause named).
"""  # noqa: E501 (a table of rules and tests, kept on one line per row)

import math
from collections import deque

import numpy as np
import pytest

from tests.helpers import GENERIC_KINDS, assert_rejected
from tests.helpers import checked_once as _checked
from utils.checks import run_check
from utils.reference import autograd


def test_value_stub_class_not_attempted():
    class Value:
        def __init__(self, data):
            raise NotImplementedError

    result = run_check(Value)
    assert not result.attempted and not result.passed


# --------------------------------------------------------------------------------------
# A learner-style Value whose mistakes are switched on by flags
# --------------------------------------------------------------------------------------


def make_value(**bug):
    """A micrograd-style Value class with the mistakes named in ``bug`` switched on."""
    on = bug.get

    class Value:
        def __init__(self, data, _children=()):
            self.data = float(data)
            self.grad = 0.0
            self._backward = lambda: None
            self._prev = tuple(_children)

        def _acc(self, g):
            if on("assign"):
                self.grad = g
            else:
                self.grad += g

        def __add__(self, other):
            if on("no_wrap") and not isinstance(other, Value):
                out = Value(self.data + other, (self,))

                def _backward():
                    self._acc(out.grad)
                    other.grad += out.grad  # fails: other is a number

                out._backward = _backward
                return out
            other = other if isinstance(other, Value) else Value(other)
            out = Value(self.data + other.data, (self, other))

            def _backward():
                if on("assign_add"):
                    self.grad = out.grad
                    other.grad = out.grad
                else:
                    self._acc(out.grad)
                    other._acc(out.grad)

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            out = Value(self.data * other.data, (self, other))

            def _backward():
                up = 1.0 if on("no_chain") else out.grad
                if on("mul_no_swap"):
                    self._acc(self.data * up)
                    other._acc(other.data * up)
                else:
                    self._acc(other.data * up)
                    other._acc(self.data * up)

            out._backward = _backward
            return out

        def __pow__(self, n):
            out = Value(self.data**n, (self,))

            def _backward():
                if on("pow_no_factor"):
                    self._acc(self.data ** (n - 1) * out.grad)
                elif on("pow_no_lower"):
                    self._acc(n * self.data**n * out.grad)
                else:
                    self._acc(n * self.data ** (n - 1) * out.grad)

            out._backward = _backward
            return out

        def exp(self):
            out = Value(math.exp(self.data), (self,))

            def _backward():
                local = {"input": self.data, "one": 1.0}.get(on("exp_grad"), out.data)
                self._acc(local * out.grad)

            out._backward = _backward
            return out

        def tanh(self):
            t = math.tanh(self.data)
            out = Value(t, (self,))

            def _backward():
                x = self.data
                local = {"input": 1 - x * x, "t": t}.get(on("tanh_grad"), 1 - t * t)
                self._acc(local * out.grad)

            out._backward = _backward
            return out

        def sigmoid(self):
            s = 1 / (1 + math.exp(-self.data))
            out = Value(s, (self,))

            def _backward():
                x = self.data
                local = {"input": x * (1 - x), "s": s}.get(
                    on("sigmoid_grad"), s * (1 - s)
                )
                self._acc(local * out.grad)

            out._backward = _backward
            return out

        def relu(self):
            out = Value(max(0.0, self.data), (self,))

            def _backward():
                if on("relu_grad") == "always":
                    local = 1.0
                elif on("relu_grad") == "input":
                    local = self.data
                else:
                    local = float(self.data > 0)
                self._acc(local * out.grad)

            out._backward = _backward
            return out

        def __neg__(self):
            return self * -1

        def __sub__(self, other):
            if on("sub_direct"):
                other = other if isinstance(other, Value) else Value(other)
                out = Value(self.data - other.data, (self, other))

                def _backward():
                    self._acc(out.grad)
                    other._acc(out.grad)  # the sign is missing

                out._backward = _backward
                return out
            return self + (-other)

        def __truediv__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return self * other**-1

        def __radd__(self, other):
            return self + other

        if not on("no_rmul"):

            def __rmul__(self, other):
                return self * other

        if not on("no_rsub"):

            def __rsub__(self, other):
                return self - other if on("rsub_swapped") else (-self) + other

        if not on("no_rtruediv"):

            def __rtruediv__(self, other):
                if on("rtruediv_swapped"):
                    return self / other
                return Value(other) / self

        def backward(self):
            how = on("order", "topo")
            while how == "hang":  # a topological sort that never marks nodes as visited
                pass
            if how == "no_seed":
                self.grad = 0.0
            else:
                self.grad = 1.0
            if (
                how == "recursive"
            ):  # each node passes on, then recurses: no topological sort

                def rec(node):
                    node._backward()
                    for child in node._prev:
                        rec(child)

                rec(self)
                return
            if how == "only_self":  # no traversal: only the output's own gate
                self._backward()
                return
            if how == "bfs":  # breadth first, each node once
                seen, queue = {id(self)}, deque([self])
                while queue:
                    node = queue.popleft()
                    node._backward()
                    for child in node._prev:
                        if id(child) not in seen:
                            seen.add(id(child))
                            queue.append(child)
                return
            order = autograd.topological_order(self)
            for node in order if how == "not_reversed" else reversed(order):
                node._backward()

    return Value


def test_flag_free_value_passes():
    assert run_check(make_value(), exercise="Value").passed


class _NoData:
    def __init__(self, x):
        self.value = x


class _GradStartsAtOne(autograd.Value):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.grad = 1.0


class _ReturnsFloat(autograd.Value):
    def __add__(self, other):
        return self.data + (other.data if isinstance(other, autograd.Value) else other)


class _WrongForward(autograd.Value):
    def tanh(self):
        return autograd.Value(math.tanh(self.data) + 0.1)


VALUE_WRONG = [
    (make_value(assign=True), "+="),
    (make_value(assign_add=True), "+="),
    (make_value(order="recursive"), "topological"),
    (make_value(order="bfs"), "topological"),
    (make_value(order="not_reversed"), "reversed"),
    (make_value(order="no_seed"), "to 1"),
    (make_value(no_rmul=True), "__rmul__"),
    (make_value(no_rsub=True), "__rsub__"),
    (make_value(no_rtruediv=True), "__rtruediv__"),
    (make_value(rsub_swapped=True), "other way round"),
    (make_value(rtruediv_swapped=True), "other way round"),
    (make_value(no_wrap=True), "wrap it"),
    (make_value(mul_no_swap=True), "swaps"),
    (make_value(no_chain=True), "out.grad"),
    (make_value(sub_direct=True), "flips the sign"),
    (make_value(pow_no_factor=True), "keeps the exponent"),
    (make_value(pow_no_lower=True), "lowers the exponent"),
    (make_value(exp_grad="input"), "output's data"),
    (make_value(exp_grad="one"), "not 1"),
    (make_value(tanh_grad="input"), "you used the input"),
    (make_value(tanh_grad="t"), "not t"),
    (make_value(sigmoid_grad="input"), "you used the input"),
    (make_value(sigmoid_grad="s"), "not s"),
    (make_value(relu_grad="always"), "negative"),
    (make_value(relu_grad="input"), "input value"),
    (_NoData, "no attribute `.data`"),
    (_GradStartsAtOne, "start at 0.0"),
    (_ReturnsFloat, "not a value"),
    (_WrongForward, "expected"),
]


@pytest.mark.parametrize("wrong, hint", VALUE_WRONG)
def test_value_mistake_is_rejected(wrong, hint):
    assert_rejected(_checked(wrong, exercise="Value"), hint)


def test_value_backward_that_hangs_is_stopped(short_time_limit):
    short_time_limit("Value", 0.2)
    assert_rejected(
        run_check(make_value(order="hang"), exercise="Value"), "did not finish"
    )


def test_value_method_stub_is_a_diagnosis():
    class Value(autograd.Value):
        def relu(self):
            raise NotImplementedError

    assert_rejected(run_check(Value), "notimplementederror")


# --------------------------------------------------------------------------------------
# Layers and the loss
# --------------------------------------------------------------------------------------


def _flat(x):
    return x.reshape(x.shape[0], -1)


def _softmax(s, axis=1):
    e = np.exp(s - s.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _onehot(y, C):
    out = np.zeros((len(y), C))
    out[np.arange(len(y)), y] = 1
    return out


def _sm_loss(s, y):
    return float(-np.log(_softmax(s)[np.arange(len(y)), y]).mean())


def _naive_softmax(s):
    e = np.exp(s)
    return e / e.sum(axis=1, keepdims=True)


def _cols(s, y):
    p = _softmax(s)
    p[:, y] -= 1
    return p / len(y)


WRONG = {
    "affine_forward": [
        (lambda x, w, b: (x @ w + b, (x, w, b)), "reshape"),
        (lambda x, w, b: (_flat(x) @ w, (x, w, b)), "left out the bias"),
        (lambda x, w, b: (_flat(x) @ w.T + b, (x, w, b)), "w transposed"),
        (
            lambda x, w, b: (
                _flat(x) @ w + (b[:, None] if x.shape[0] == b.shape[0] else b),
                (x, w, b),
            ),
            "wrong axis",
        ),
        (
            lambda x, w, b: (x.reshape(-1, x.shape[0]).T @ w + b, (x, w, b)),
            "mixes numbers",
        ),
        (lambda x, w, b: (_flat(x) @ w + b, (_flat(x), w, b)), "flattened x"),
        (lambda x, w, b: (_flat(x) @ w + b, (w, x, b)), "exactly (x, w, b)"),
        (lambda x, w, b: (_flat(x) @ w + b, x), "cache should be the tuple"),
        (lambda x, w, b: _flat(x) @ w + b, "return out, cache"),
    ],
    "affine_backward": [
        (lambda d, c: (d @ c[1].T, _flat(c[0]).T @ d, d.sum(0)), "reshape(x.shape)"),
        (
            lambda d, c: (
                (d @ c[1].T).reshape(c[0].shape),
                _flat(c[0]).T @ d,
                d.sum(1),
            ),
            "wrong axis",
        ),
        (
            lambda d, c: (
                (d @ c[1].T).reshape(c[0].shape),
                _flat(c[0]).T @ d,
                d.mean(0),
            ),
            "averages dout",
        ),
        (
            lambda d, c: (
                (d @ c[1].T).reshape(c[0].shape),
                _flat(c[0]).T @ d,
                d.sum(0, keepdims=True),
            ),
            "keepdims",
        ),
        (
            lambda d, c: (
                (d @ c[1].T).reshape(c[0].shape),
                d.T @ _flat(c[0]),
                d.sum(0),
            ),
            "dw is transposed",
        ),
        (
            lambda d, c: (
                (d @ c[1].T).reshape(c[0].shape),
                (_flat(c[0]).T @ d).T,
                d.sum(0),
            ),
            "dw is transposed",
        ),
        (
            lambda d, c: (
                (d @ c[1].T).reshape(c[0].shape),
                _flat(c[0]).T @ d / len(d),
                d.sum(0),
            ),
            "divided by n",
        ),
        (
            lambda d, c: ((d @ c[1]).reshape(c[0].shape), _flat(c[0]).T @ d, d.sum(0)),
            "without transposing",
        ),
        (
            lambda d, c: (
                (d @ c[1].T).T.reshape(c[0].shape),
                _flat(c[0]).T @ d,
                d.sum(0),
            ),
            "wrong places",
        ),
        (
            lambda d, c: ((d @ c[1].T).reshape(c[0].shape), _flat(c[0]).T @ d),
            "three values",
        ),
        (
            lambda d, c: (
                (d @ c[1].T).reshape(c[0].shape),
                _flat(c[0]).T @ d,
                2 * d.sum(0),
            ),
            "2 times the right one",
        ),
    ],
    "relu_forward": [
        (lambda x: (np.minimum(0, x), x), "keeps the negative"),
        (lambda x: (np.abs(x), x), "absolute value"),
        (lambda x: ((x > 0).astype(float), x), "mask"),
        (
            lambda x: (np.maximum(0, x), np.maximum(0, x) + 1),
            "cache should be the input",
        ),
        (lambda x: np.maximum(0, x), "return out, cache"),
        (lambda x: (np.clip(x, 0, 1), x), "caps the outputs at 1"),
    ],
    "relu_backward": [
        (lambda d, x: d.copy(), "negative"),
        (lambda d, x: d * (d > 0), "sign of dout"),
        (lambda d, x: np.maximum(0, d), "sign of dout"),
        (lambda d, x: (x > 0).astype(float), "multiply it by the upstream"),
        (lambda d, x: d * np.maximum(0, x), "relu's output"),
        (lambda d, x: d * (x < 0), "inverted"),
        (lambda d, x: np.where(x > 0, d, 0.0).reshape(-1), "shape"),
    ],
    "softmax_loss": [
        (
            lambda s, y: (
                -np.log(_softmax(s)[np.arange(len(y)), y]).sum(),
                (_softmax(s) - _onehot(y, s.shape[1])) / len(y),
            ),
            "sum over the batch",
        ),
        (
            lambda s, y: (
                -np.log10(_softmax(s)[np.arange(len(y)), y]).mean(),
                (_softmax(s) - _onehot(y, s.shape[1])) / len(y),
            ),
            "base 10",
        ),
        (
            lambda s, y: (
                -_sm_loss(s, y),
                (_softmax(s) - _onehot(y, s.shape[1])) / len(y),
            ),
            "wrong sign",
        ),
        (
            lambda s, y: (_sm_loss(s, y), _softmax(s) / len(y)),
            "subtract 1 at the correct class",
        ),
        (lambda s, y: (_sm_loss(s, y), (_softmax(s) - 1) / len(y)), "from every entry"),
        (lambda s, y: (_sm_loss(s, y), _cols(s, y)), "whole columns"),
        (
            lambda s, y: (_sm_loss(s, y), _softmax(s) - _onehot(y, s.shape[1])),
            "batch size",
        ),
        (
            lambda s, y: (
                _sm_loss(s, y),
                (_onehot(y, s.shape[1]) - _softmax(s)) / len(y),
            ),
            "wrong sign",
        ),
        (
            lambda s, y: (
                _sm_loss(s, y),
                (_softmax(s, 0) - _onehot(y, s.shape[1])) / len(y),
            ),
            "wrong axis",
        ),
        (
            lambda s, y: (
                float(-np.log(_naive_softmax(s)[np.arange(len(y)), y]).mean()),
                (_naive_softmax(s) - _onehot(y, s.shape[1])) / len(y),
            ),
            "row's maximum",
        ),
        (
            lambda s, y: (
                float(
                    -np.log(
                        np.maximum(_softmax(s)[np.arange(len(y)), y], 1e-300)
                    ).mean()
                ),
                (_softmax(s) - _onehot(y, s.shape[1])) / len(y),
            ),
            "log-sum-exp",
        ),
        (
            lambda s, y: (
                float(-np.log(_softmax(s)[:, y]).mean()),
                (_softmax(s) - _onehot(y, s.shape[1])) / len(y),
            ),
            "whole columns",
        ),
        (lambda s, y: (_sm_loss(s, y),), "return loss, dscores"),
        (
            lambda s, y: (
                np.array([_sm_loss(s, y)]),
                (_softmax(s) - _onehot(y, s.shape[1])) / len(y),
            ),
            "single number",
        ),
    ],
}


@pytest.mark.parametrize(
    "name, wrong, hint", [(n, fn, h) for n, cases in WRONG.items() for fn, h in cases]
)
def test_mistake_is_rejected_with_its_hint(name, wrong, hint):
    assert_rejected(_checked(wrong, exercise=name), hint)


def test_relu_with_greater_equal_is_accepted():
    assert run_check(lambda d, x: d * (x >= 0), exercise="relu_backward").passed
    assert run_check(
        lambda x: (np.where(x >= 0, x, 0.0), x), exercise="relu_forward"
    ).passed


def relu_backward_in_place(dout, cache):
    dout[cache <= 0] = 0
    return dout


def softmax_loss_shifting_in_place(scores, y):
    scores -= scores.max(axis=1, keepdims=True)
    return _sm_loss(scores, y), (_softmax(scores) - _onehot(y, scores.shape[1])) / len(
        y
    )


def affine_forward_reshaping_x_in_place(x, w, b):
    x.shape = (x.shape[0], -1)  # flattens, but the caller's array too
    return x @ w + b, (x, w, b)


def softmax_loss_without_shift(scores, y):
    e = np.exp(scores)
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(len(y)), y]).mean()
    p[np.arange(len(y)), y] -= 1
    return loss, p / len(y)


# (exercise, wrong code, hint it must get, a hint it must not get: the fix already
# applied)
DIAGNOSED = [
    ("relu_backward", relu_backward_in_place, "in place", None),
    ("softmax_loss", softmax_loss_shifting_in_place, "in place", None),
    (
        "affine_forward",
        affine_forward_reshaping_x_in_place,
        "changed the shape of its input `x` in place",
        "Flatten each example first",
    ),
    (
        "softmax_loss",
        softmax_loss_without_shift,
        "Subtract each row's maximum score before np.exp",
        None,
    ),
]


@pytest.mark.parametrize(
    "name, wrong, hint, not_hint",
    DIAGNOSED,
    ids=[f"{n}-{w.__name__}" for n, w, _, _ in DIAGNOSED],
)
def test_changed_inputs_and_overflow_are_diagnosed(name, wrong, hint, not_hint):
    result = run_check(wrong, exercise=name)
    assert_rejected(result, hint)
    assert not_hint is None or not_hint not in result.messages[0]


def test_affine_backward_with_einsum_is_accepted():
    def affine_backward(dout, cache):
        x, w, _ = cache
        xf = x.reshape(len(x), -1)
        return (
            np.einsum("nm,dm->nd", dout, w).reshape(x.shape),
            np.einsum("nd,nm->dm", xf, dout),
            dout.sum(axis=0),
        )

    assert run_check(affine_backward).passed


# --------------------------------------------------------------------------------------
# The reference engine on the chapter's worked examples (the numbers the prose quotes)
# --------------------------------------------------------------------------------------


def test_reference_value_worked_examples():
    V = autograd.Value
    x, y, z = V(-2.0), V(5.0), V(-4.0)
    f = (x + y) * z
    f.backward()
    assert (f.data, x.grad, y.grad, z.grad) == (-12.0, -4.0, -4.0, 3.0)
    w0, x0, w1, x1, w2 = V(2.0), V(-1.0), V(-3.0), V(-2.0), V(-3.0)
    out = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
    out.backward()
    assert round(out.data, 2) == 0.73
    assert np.allclose(
        [w0.grad, x0.grad, w1.grad, x1.grad, w2.grad],
        [-0.20, 0.39, -0.39, -0.59, 0.20],
        atol=0.005,
    )
    x, y, z, w = V(3.0), V(-4.0), V(2.0), V(-1.0)
    f = 2 * (
        x * y + z.relu() + (w - z).relu()
    )  # max(z, w) = relu(z) + relu(w - z) for z > 0
    f.backward()
    assert (f.data, x.grad, y.grad, z.grad, w.grad) == (-20.0, -8.0, 6.0, 2.0, 0.0)
    inv = V(1.37) ** -1
    a = V(1.37)
    g = a**-1
    g.backward()
    assert round(a.grad, 2) == -0.53 and np.isclose(inv.data, 1 / 1.37)


def test_reference_value_reverse_operators():
    V = autograd.Value
    a = V(4.0)
    assert (2 - a).data == -2.0 and (2 / a).data == 0.5 and (2 * a).data == 8.0
    out = a * a
    out.backward()
    assert a.grad == 8.0


def test_quiz_numeric_answers_are_computed():
    from utils.quiz import load_questions

    numeric = [q for q in load_questions(5) if q["type"] == "numeric"]
    answers = [next(a["value"] for a in q["answers"] if a["correct"]) for q in numeric]
    x, y = -2.0, 5.0  # f = (x + y) z
    assert answers[0] == x + y  # df/dz
    assert answers[1] == round(-1 / 1.37**2, 2)


def softmax_loss_as_stated(scores, y):
    """The statement's hint followed literally: shift, then -np.log(p[range(N), y])."""
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(p[range(N), y]).mean()
    p[range(N), y] -= 1
    return loss, p / N


def softmax_loss_logaddexp(scores, y):
    N = scores.shape[0]
    lse = np.logaddexp.reduce(scores, axis=1)
    dscores = np.exp(scores - lse[:, None])
    dscores[np.arange(N), y] -= 1
    return float(np.mean(lse - scores[np.arange(N), y])), dscores / N


def test_softmax_loss_shifted_but_log_of_rounded_p_gets_the_log_sum_exp_hint():
    result = run_check(softmax_loss_as_stated, exercise="softmax_loss")
    assert_rejected(result, "so np.exp cannot overflow")
    assert "log-sum-exp" in result.messages[0]
    assert "Subtract each row's maximum score before np.exp" not in result.messages[0]


def test_softmax_loss_with_logaddexp_passes():
    result = run_check(softmax_loss_logaddexp, exercise="softmax_loss")
    assert result.passed, result.messages


def test_affine_forward_flattening_with_a_new_name_passes():
    def affine_forward(x, w, b):
        rows = np.reshape(x, (len(x), np.prod(x.shape[1:], dtype=int)))
        return np.dot(rows, w) + b, (x, w, b)

    assert run_check(affine_forward).passed


def test_sys_exit_in_a_value_method_is_diagnosed():
    import sys

    class Value:
        def __init__(self, data, _children=(), _op=""):
            self.data, self.grad, self._prev, self._op = data, 0.0, set(_children), _op

        def __add__(self, other):
            sys.exit(1)

    result = run_check(Value)
    assert_rejected(result, "called sys.exit(1)")


def _value_from_reference(*replacements):
    """The reference Value, its source edited: e.g. the graph kept under another
    name."""
    import inspect

    source = inspect.getsource(autograd)
    for old, new in replacements:
        assert old in source
        source = source.replace(old, new)
    namespace = {}
    exec(compile(source, "<learner>", "exec"), namespace)
    return namespace["Value"]


@pytest.mark.parametrize(
    "replacements, hint",
    [
        (
            [
                ("self._prev = tuple(_children)", "self._kids = tuple(_children)"),
                ("node._prev", "node._kids"),
            ],
            "no attribute `._prev`",
        ),
        (
            [
                (
                    "self._prev = tuple(_children)",
                    "self._kids = tuple(_children); self._prev = ()",
                ),
                ("node._prev", "node._kids"),
            ],
            "x * y",
        ),
        (
            [
                (
                    "self._prev = tuple(_children)",
                    "self._kids = tuple(_children); self._prev = tuple(c.data for c in "
                    "_children)",
                ),
                ("node._prev", "node._kids"),
            ],
            "the two values x and y themselves",
        ),
    ],
)
def test_value_prev_is_checked(replacements, hint):
    assert_rejected(run_check(_value_from_reference(*replacements)), hint)


def test_value_with_prev_as_a_set_passes():
    Value = _value_from_reference(
        ("self._prev = tuple(_children)", "self._prev = set(_children)")
    )
    result = run_check(Value)
    assert result.passed, result.messages


# --------------------------------------------------------------------------------------
# Rules of the statements that were not tested before, and raw NumPy errors given their
# cause
# --------------------------------------------------------------------------------------


def relu_forward_np_max(x):
    return np.max(0, x), x


def relu_forward_builtin_max(x):
    return max(0, x), x


def affine_backward_reshapes_cache(dout, cache):
    x, w, b = cache
    x.shape = (x.shape[0], -1)
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)


def affine_forward_star(x, w, b):
    return x.reshape(len(x), -1) * w + b, (x, w, b)


STATED_RULES = [
    (
        "relu_forward",
        relu_forward_np_max,
        "`np.maximum(0, x)`, which compares entry by entry",
    ),
    ("relu_forward", relu_forward_builtin_max, "python's `max` compares whole arrays"),
    (
        "affine_backward",
        affine_backward_reshapes_cache,
        "changed the shape of the cached x",
    ),
    ("affine_forward", affine_forward_star, "multiplies entry by entry"),
]


@pytest.mark.parametrize("name, wrong, hint", STATED_RULES)
def test_stated_rules_and_raw_numpy_errors(name, wrong, hint):
    assert_rejected(_checked(wrong, exercise=name), hint)


def test_value_backward_function_is_checked():
    """The statement names `_backward`; a Value that keeps it under another name is
    told so."""
    Value = _value_from_reference(("_backward", "_pass_back"))
    assert_rejected(run_check(Value), "no callable `._backward`")


# --------------------------------------------------------------------------------------
# The catalogue (issue 15, "done when"): for every exercise at least two correct
# implementations in another style than the reference, which must pass, and at least
# five classic mistakes, which must fail with a hint that names them; and the share of
# generic hints over all of them.
# --------------------------------------------------------------------------------------


class ValueWithHelpers:
    """Another design: one helper builds every unary gate from (f, f'), - and / have
    their own gates, an iterative topological sort, and backward() zeroes every .grad
    before it starts."""

    def __init__(self, data, _children=()):
        self.data, self.grad = float(data), 0.0
        self._prev = set(_children)
        self._backward = lambda: None

    @staticmethod
    def _wrap(v):
        return v if isinstance(v, ValueWithHelpers) else ValueWithHelpers(v)

    def _unary(self, value, local):
        out = ValueWithHelpers(value, (self,))

        def _backward():
            self.grad += local * out.grad

        out._backward = _backward
        return out

    def _binary(self, other, value, d_self, d_other):
        out = ValueWithHelpers(value, (self, other))

        def _backward():
            self.grad += d_self * out.grad
            other.grad += d_other * out.grad

        out._backward = _backward
        return out

    def __add__(self, other):
        o = self._wrap(other)
        return self._binary(o, self.data + o.data, 1.0, 1.0)

    def __sub__(self, other):
        o = self._wrap(other)
        return self._binary(o, self.data - o.data, 1.0, -1.0)

    def __mul__(self, other):
        o = self._wrap(other)
        return self._binary(o, self.data * o.data, o.data, self.data)

    def __truediv__(self, other):
        o = self._wrap(other)
        return self._binary(o, self.data / o.data, 1 / o.data, -self.data / o.data**2)

    def __radd__(self, other):
        return self._wrap(other) + self

    def __rsub__(self, other):
        return self._wrap(other) - self

    def __rmul__(self, other):
        return self._wrap(other) * self

    def __rtruediv__(self, other):
        return self._wrap(other) / self

    def __neg__(self):
        return self * -1

    def __pow__(self, n):
        return self._unary(self.data**n, n * self.data ** (n - 1))

    def exp(self):
        e = math.exp(self.data)
        return self._unary(e, e)

    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
        return self._unary(t, 1 - t**2)

    def relu(self):
        return self._unary(
            self.data if self.data > 0 else 0.0, 1.0 if self.data > 0 else 0.0
        )

    def sigmoid(self):
        s = 0.5 * (1 + math.tanh(self.data / 2))
        return self._unary(s, s * (1 - s))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


ValueWithHelpers.__name__ = "Value"


def affine_forward_einsum(x, w, b):
    return np.einsum("nd,dm->nm", x.reshape(len(x), -1), w) + b[None, :], (x, w, b)


def affine_backward_tensordot(dout, cache):
    x, w, b = cache
    flat = np.reshape(x, (x.shape[0], w.shape[0]))
    return (
        np.dot(dout, w.T).reshape(*x.shape),
        np.tensordot(flat, dout, axes=([0], [0])),
        np.sum(dout, axis=0),
    )


def relu_forward_mask(x):
    return x * (x > 0), x


def relu_forward_clip(x):
    return np.clip(x, 0, None), x


def relu_backward_where(dout, cache):
    return np.where(cache > 0, dout, 0.0)


def relu_backward_copy(dout, cache):
    dx = dout.copy()
    dx[cache <= 0] = 0
    return dx


def softmax_loss_rows(scores, y):
    """One example at a time (the statement allows loops), each row with its own
    log-sum-exp."""
    N = len(y)
    total, dscores = 0.0, np.zeros_like(scores, dtype=float)
    for i in range(N):
        row = scores[i] - np.max(scores[i])
        log_z = np.log(np.sum(np.exp(row)))
        total += log_z - row[y[i]]
        dscores[i] = np.exp(row - log_z)
        dscores[i, y[i]] -= 1
    return total / N, dscores / N


CORRECT = [
    ("Value", make_value()),
    ("Value", ValueWithHelpers),
    (
        "Value",
        _value_from_reference(
            ("self._prev = tuple(_children)", "self._prev = set(_children)")
        ),
    ),
    ("affine_forward", affine_forward_einsum),
    (
        "affine_forward",
        lambda x, w, b: (np.dot(np.reshape(x, (len(x), -1)), w) + b, (x, w, b)),
    ),
    ("affine_backward", affine_backward_tensordot),
    (
        "affine_backward",
        lambda d, c: (
            np.einsum("nm,dm->nd", d, c[1]).reshape(c[0].shape),
            np.einsum("nd,nm->dm", c[0].reshape(len(c[0]), -1), d),
            d.sum(axis=0),
        ),
    ),
    ("relu_forward", relu_forward_mask),
    ("relu_forward", relu_forward_clip),
    ("relu_forward", lambda x: (np.where(x >= 0, x, 0.0), x)),
    ("relu_backward", relu_backward_where),
    ("relu_backward", relu_backward_copy),
    ("relu_backward", lambda d, x: d * (x >= 0)),
    ("softmax_loss", softmax_loss_rows),
    ("softmax_loss", softmax_loss_logaddexp),
]


@pytest.mark.parametrize(
    "name, fn", CORRECT, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CORRECT)]
)
def test_correct_code_in_another_style_passes(name, fn):
    result = run_check(fn, exercise=name)
    assert result.passed, result.messages


def _value_no_attach():
    """The multiply's _backward written but never attached to its result."""
    return _value_from_reference(
        (
            "            other.grad += self.data * out.grad\n\n"
            "        out._backward = _backward\n",
            "            other.grad += self.data * out.grad\n\n",
        )
    )


def softmax_log_of_mean(scores, y):
    N = len(y)
    p = _softmax(scores)
    return float(-np.log(p[np.arange(N), y].mean())), (
        p - _onehot(y, scores.shape[1])
    ) / N


def affine_backward_db_scalar(dout, cache):
    x, w, _ = cache
    return (dout @ w.T).reshape(x.shape), x.reshape(len(x), -1).T @ dout, dout.sum()


MORE_MISTAKES = [
    ("Value", make_value(order="only_self"), "from the output back to the inputs"),
    ("Value", _value_no_attach(), "`_backward` never ran"),
    ("softmax_loss", softmax_log_of_mean, "log of the mean"),
    ("affine_backward", affine_backward_db_scalar, "summed over every axis"),
]


@pytest.mark.parametrize("name, wrong, hint", MORE_MISTAKES)
def test_more_classic_mistakes(name, wrong, hint):
    assert_rejected(_checked(wrong, exercise=name), hint)


def _catalogue():
    rows = [("Value", w, h) for w, h in VALUE_WRONG]
    rows += [(n, w, h) for n, cases in WRONG.items() for w, h in cases]
    return rows + STATED_RULES + MORE_MISTAKES


#: Fragments of the checks' catch-all messages: a value is wrong, without a cause named.
GENERIC = [
    "; expected",
    "differs from",
    "differ from the numerical gradient",
    "is wrong on a 3-d input",
    "expected f = -12",
    "expected 0.73",
]


def test_every_exercise_has_two_correct_variants_and_five_named_mistakes():
    from utils.checks.core import REGISTRY

    rows = _catalogue()
    for name in sorted(n for n, e in REGISTRY.items() if e.chapter == 5):
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
        f"chapter 5: {len(generic)} generic hints out of {len(rows)} mistakes: "
        f"{generic}"
    )
    assert len(generic) / len(rows) < 0.05, generic
    # and by the failure's kind: the last-resort comparison ("mismatch") or an error
    # passed on with no advice ("raised")
    by_kind = [n for n, w, _ in rows if _checked(w, exercise=n).kind in GENERIC_KINDS]
    assert len(by_kind) / len(rows) < 0.05, by_kind


def test_robust_code_that_silences_warnings_is_judged_by_its_values():
    """np.errstate hides warnings: silenced overflow is rejected by its values, right
    code inside np.errstate passes (issue 15, item 6)."""

    def softmax_loss(scores, y):
        with np.errstate(all="ignore"):
            return softmax_loss_logaddexp(scores, y)

    def softmax_loss_naive_silenced(scores, y):
        with np.errstate(all="ignore"):
            e = np.exp(scores)
            p = e / e.sum(axis=1, keepdims=True)
            loss = -np.log(p[np.arange(len(y)), y]).mean()
        return float(loss), (p - _onehot(y, scores.shape[1])) / len(y)

    assert run_check(softmax_loss).passed
    assert_rejected(
        run_check(softmax_loss_naive_silenced, exercise="softmax_loss"), "row's maximum"
    )
