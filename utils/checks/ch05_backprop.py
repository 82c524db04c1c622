"""Checks for chapter 5: backpropagation (a scalar autograd ``Value``, layer
forward/backward pairs, and the softmax loss with its gradient).

The backward exercises are graded on their own: their caches are built with the
*reference* forward functions, so ``affine_backward`` receives ``cache = (x, w, b)``
with ``x`` in its original shape, and ``relu_backward`` receives ``cache = x``. The
forward checks require the same format.
"""

import math

import numpy as np

from ..gradient_check import eval_numerical_gradient, eval_numerical_gradient_array
from ..i18n import N_, _, translate
from ..reference import autograd as ref_autograd
from ..reference import layers as ref
from ..reference import losses as ref_losses
from .ch02_losses import loss_from_rounded_probabilities, rounded_probability_hint
from .core import (
    AnyOf,
    CheckFailed,
    NotAttempted,
    catalogue,
    close,
    describe,
    differs,
    exercise,
    expect_array,
    expect_number,
    expect_values,
    fail,
    is_single_number,
    mistake,
)
from .numpy_errors import explains_numpy_errors

# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _kind(value):
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape}", shape=str(value.shape))
    return describe(value)


# --------------------------------------------------------------------------------------
# Value: running the learner's methods safely
# --------------------------------------------------------------------------------------


def _run(call, expr, fn, *args):
    """Run one piece of the learner's ``Value`` code (an operator or ``backward``)
    through the Probe, named ``expr`` (how the learner would write it, e.g. "Value(3.0)
    * Value(-2.0)"), and add what the failure's kind and error say about a Value's
    methods."""
    try:
        return call.expression(expr, lambda: fn(*args), allow_warnings=True)
    except NotAttempted:
        fail(
            _(
                "`{expr}` reaches code that still raises NotImplementedError: finish "
                "that method.",
                expr=expr,
            ),
            kind="unfinished",
        )
    except CheckFailed as failure:
        hint = _value_advice(call, expr, failure, args)
        if hint is None:
            raise
        # a raised error with its cause named is the checker's own finding (kind None);
        # a timeout, a recursion or an unfinished method keeps its kind
        fail(
            hint,
            kind=None if failure.kind == "raised" else failure.kind,
            error=failure.error,
        )


def _value_advice(call, expr, failure, args):
    """A Value-specific diagnosis of a Probe failure (decided on its kind and error),
    or None."""
    error = failure.error
    if failure.kind == "unfinished":
        return _(
            "`{expr}` reaches code that still raises NotImplementedError: finish that "
            "method.",
            expr=expr,
        )
    if failure.kind == "timeout":
        return _(
            "`{expr}` did not finish within {seconds} seconds. If it is `backward()`, "
            "make sure the topological sort marks each node as visited, so that no "
            "node is visited again and again.",
            expr=expr,
            seconds=f"{call.exercise.time_limit:g}",
        )
    if failure.kind == "recursion":
        return _(
            "`{expr}` recursed without end (RecursionError). Does a method call "
            "itself, e.g. `__sub__` written with `-` on the same types, or `__rmul__` "
            "calling `other * self` with a plain number on the left?",
            expr=expr,
        )
    if failure.kind != "raised":
        return None
    text = str(error)
    if isinstance(error, TypeError):
        if ("unsupported operand" in text or "not supported between" in text) and any(
            isinstance(a, (int, float)) and not isinstance(a, bool) for a in args[:1]
        ):
            return _(
                "`{expr}` raised TypeError: {error}. With a plain number on the LEFT, "
                "Python asks the Value on the right through the reflected methods "
                "`__radd__`, `__rsub__`, `__rmul__`, `__rtruediv__`; define them "
                "(careful: `2 - v` and `2 / v` are not `v - 2` and `v / 2`).",
                expr=expr,
                error=text,
            )
        return None
    if isinstance(error, AttributeError):
        return _(
            "`{expr}` raised AttributeError: {error}. If a plain number was involved, "
            "wrap it first: `other = other if isinstance(other, Value) else "
            "Value(other)`.",
            expr=expr,
            error=str(error),
        )
    return None


def _attr(v, name, expr):
    """The number ``v.<name>`` (``data`` or ``grad``) of the learner's Value,
    checked."""
    if not hasattr(v, name):
        fail(
            _(
                "`{expr}` has no attribute `.{name}`. Every Value stores its number in "
                "`.data` and its gradient in `.grad`.",
                expr=expr,
                name=name,
            )
        )
    value = getattr(v, name)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        fail(
            _(
                "`{expr}.{name}` should be a plain number but is {kind}.",
                expr=expr,
                name=name,
                kind=_kind(value),
            )
        )
    if not math.isfinite(value):
        fail(_("`{expr}.{name}` is {value}.", expr=expr, name=name, value=f"{value}"))
    return float(value)


def _is_value(v, cls, expr):
    if not (
        hasattr(v, "data")
        and hasattr(v, "grad")
        and callable(getattr(v, "backward", None))
    ):
        fail(
            _(
                "`{expr}` returned {kind}, not a Value. Every operation must return a "
                "new Value that remembers its inputs, so that backward() can reach "
                "them.",
                expr=expr,
                kind=_kind(v),
            )
        )
    return v


def _near(a, b):
    return abs(a - b) <= 1e-6 + 1e-5 * abs(b)


class _Builder:
    """Builds expressions with the learner's class, each step run safely."""

    def __init__(self, call):
        self.call, self.cls = call, None

    def run(self, expr, fn, *args):
        return _run(self.call, expr, fn, *args)

    def new(self, x):
        v = self.call(x)
        if v is None:
            fail(_("`Value(2.0)` returned None."))
        self.cls = type(v)
        return v

    def op(self, expr, fn, *args):
        return _is_value(self.run(expr, fn, *args), self.cls, expr)

    def backward(self, v, expr):
        if not callable(getattr(v, "backward", None)):
            fail(
                _(
                    "A Value needs a method `backward()` that fills the `.grad` of "
                    "every node."
                )
            )
        self.run(f"({expr}).backward()", v.backward)


_OPS = {  # name: (expression, forward, local derivative)
    "+": ("x + y", lambda x, y: x + y, lambda x, y: (1.0, 1.0)),
    "-": ("x - y", lambda x, y: x - y, lambda x, y: (1.0, -1.0)),
    "*": ("x * y", lambda x, y: x * y, lambda x, y: (y, x)),
    "/": ("x / y", lambda x, y: x / y, lambda x, y: (1 / y, -x / y**2)),
}


def _sig(x):
    return 1 / (1 + math.exp(-x))


_UNARY = {  # name: (call, forward, derivative, {wrong derivative: hint})
    "** 3": (
        lambda v: v**3,
        lambda x: x**3,
        lambda x: 3 * x**2,
        [
            (
                lambda x: x**2,
                N_(
                    "the power rule keeps the exponent as a factor: "
                    "d(x**n)/dx = n * x**(n - 1)"
                ),
            ),
            (
                lambda x: 3 * x**3,
                N_(
                    "the power rule lowers the exponent by one: "
                    "d(x**n)/dx = n * x**(n - 1)"
                ),
            ),
        ],
    ),
    ".exp()": (
        lambda v: v.exp(),
        math.exp,
        math.exp,
        [
            (
                lambda x: x,
                N_(
                    "the derivative of exp(x) is exp(x) itself, i.e. the "
                    "OUTPUT's data, not the input's"
                ),
            ),
            (
                lambda x: 1.0,
                N_("the derivative of exp(x) is exp(x) (the output's data), not 1"),
            ),
        ],
    ),
    ".tanh()": (
        lambda v: v.tanh(),
        math.tanh,
        lambda x: 1 - math.tanh(x) ** 2,
        [
            (
                lambda x: 1 - x**2,
                N_(
                    "tanh's derivative is 1 - t**2 with t = tanh(x), the "
                    "OUTPUT; you used the input x"
                ),
            ),
            (
                lambda x: math.tanh(x),
                N_("tanh's derivative is 1 - t**2 with t = tanh(x), not t"),
            ),
        ],
    ),
    ".sigmoid()": (
        lambda v: v.sigmoid(),
        _sig,
        lambda x: _sig(x) * (1 - _sig(x)),
        [
            (
                lambda x: x * (1 - x),
                N_(
                    "the sigmoid shortcut is s * (1 - s) with s = "
                    "sigmoid(x), the OUTPUT; you used the input x"
                ),
            ),
            (lambda x: _sig(x), N_("the sigmoid's derivative is s * (1 - s), not s")),
        ],
    ),
}


def _check_value_forward(b):
    x = b.new(2.0)
    if _attr(x, "data", "Value(2.0)") != 2.0:
        fail(_("`Value(2.0).data` is {got}, expected 2.0.", got=repr(x.data)))
    if _attr(x, "grad", "Value(2.0)") != 0.0:
        fail(
            _(
                "A new Value's `.grad` must start at 0.0 (nothing has flowed back "
                "yet); `Value(2.0).grad` is {got}.",
                got=repr(x.grad),
            )
        )
    for sym, (expr, f, _unused) in _OPS.items():
        x, y = b.new(3.0), b.new(-2.0)
        out = b.op(f"Value(3.0) {sym} Value(-2.0)", f, x, y)
        got = _attr(out, "data", f"Value(3.0) {sym} Value(-2.0)")
        if not _near(got, f(3.0, -2.0)):
            fail(
                _(
                    "`(Value(3.0) {sym} Value(-2.0)).data` is {got}, expected {want}.",
                    sym=sym,
                    got=f"{got:.4g}",
                    want=f"{f(3.0, -2.0):.4g}",
                )
            )
    for name, (g, f, _unused, _hints) in _UNARY.items():
        out = b.op(f"Value(0.5){name}", g, b.new(0.5))
        got = _attr(out, "data", f"Value(0.5){name}")
        if not _near(got, f(0.5)):
            fail(
                _(
                    "`(Value(0.5){name}).data` is {got}, expected {want}.",
                    name=name,
                    got=f"{got:.4g}",
                    want=f"{f(0.5):.4g}",
                )
            )
    for start, want in ((-1.5, 0.0), (2.5, 2.5)):
        out = b.op(f"Value({start}).relu()", lambda v: v.relu(), b.new(start))
        got = _attr(out, "data", f"Value({start}).relu()")
        if not _near(got, want):
            fail(
                _(
                    "`Value({start}).relu().data` is {got}, expected {want} (max(0, "
                    "x)).",
                    start=start,
                    got=f"{got:.4g}",
                    want=f"{want:.4g}",
                )
            )


def _children(b, v, expr):
    """The learner's ``v._prev`` as a list, or a failure naming what is wrong with
    it."""
    if not hasattr(v, "_prev"):
        fail(
            _(
                "`{expr}` has no attribute `._prev`. Keep the Values each result was "
                "made from in `_prev` (e.g. `self._prev = set(_children)`): "
                "backward() and the graph drawing walk the graph through it.",
                expr=expr,
            )
        )
    prev = v._prev
    try:
        return list(b.run(f"iterating ({expr})._prev", iter, prev))
    except CheckFailed:
        fail(
            _(
                "`({expr})._prev` should be a collection of Values (a set or tuple), "
                "not {type}.",
                expr=expr,
                type=type(prev).__name__,
            )
        )


def _check_value_prev(b):
    """``_prev`` holds the inputs each node was made from: a leaf has none, an
    operation's inputs are reached by walking ``_prev`` from its output."""
    leaf = b.new(2.0)
    if _children(b, leaf, "Value(2.0)"):
        fail(
            _(
                "`Value(2.0)._prev` should be empty: a Value created from a number was "
                "not made from other Values."
            )
        )
    x, y = b.new(3.0), b.new(-2.0)
    out = b.op("Value(3.0) * Value(-2.0)", lambda p, q: p * q, x, y)
    kids = _children(b, out, "Value(3.0) * Value(-2.0)")
    if {id(k) for k in kids} != {id(x), id(y)} or len(kids) != 2:
        fail(
            _(
                "`(x * y)._prev` should hold exactly the two Values x and y themselves "
                "(not copies, not their numbers); yours holds {count} item(s). Pass "
                "them when you create the result: `Value(self.data * other.data, "
                "(self, other))`.",
                count=len(kids),
            )
        )
    for sym, (expr, f, _unused) in _OPS.items():
        x, y = b.new(3.0), b.new(-2.0)
        out = b.op(f"Value(3.0) {sym} Value(-2.0)", f, x, y)
        if not _reaches(b, out, (x, y), f"Value(3.0) {sym} Value(-2.0)"):
            fail(
                _(
                    "Walking `_prev` back from `x {sym} y` does not reach both x and "
                    "y: every result must keep the Values it was made from in "
                    "`_prev`, or backward() cannot reach them.",
                    sym=sym,
                )
            )
    for name, (g, _f, _d, _hints) in _UNARY.items():
        v = b.new(0.5)
        out = b.op(f"Value(0.5){name}", g, v)
        if not _reaches(b, out, (v,), f"Value(0.5){name}"):
            fail(
                _(
                    "Walking `_prev` back from `v{name}` does not reach v: keep the "
                    "Value it was computed from in `_prev`.",
                    name=name,
                )
            )


def _reaches(b, out, targets, expr):
    """Whether walking ``_prev`` from ``out`` reaches every Value in ``targets``."""
    seen, stack = set(), [out]
    while stack and len(seen) < 1000:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(_children(b, node, f"a node of {expr}"))
    return {id(t) for t in targets} <= seen


def _check_value_numbers(b):
    """Plain numbers on either side of an operator."""
    right = {
        "+": (lambda v: v + 1, 5.0),
        "-": (lambda v: v - 1, 3.0),
        "*": (lambda v: v * 2, 8.0),
        "/": (lambda v: v / 2, 2.0),
    }
    for sym, (g, want) in right.items():
        out = b.op(f"Value(4.0) {sym} {1 if sym in '+-' else 2}", g, b.new(4.0))
        got = _attr(out, "data", f"Value(4.0) {sym} number")
        if not _near(got, want):
            fail(
                _(
                    "`{expr}` gives {got}, expected {want}.",
                    expr=f"Value(4.0) {sym} {1 if sym in '+-' else 2}",
                    got=f"{got:.4g}",
                    want=f"{want:g}",
                )
            )
    left = {
        "+": (lambda n, v: n + v, 1, 5.0, 1.0),
        "-": (lambda n, v: n - v, 1, -3.0, -1.0),
        "*": (lambda n, v: n * v, 2, 8.0, 2.0),
        "/": (lambda n, v: n / v, 2, 0.5, -0.125),
    }
    for sym, (g, n, want, dwant) in left.items():
        expr = f"{n} {sym} Value(4.0)"
        v = b.new(4.0)
        out = b.run(expr, g, n, v)
        out = _is_value(out, b.cls, expr)
        got = _attr(out, "data", expr)
        if sym in "-/" and _near(got, g(4.0, n)):
            fail(
                _(
                    "`{expr}` gives {got}, which is `Value(4.0) {sym} {n}`: the "
                    "reflected method `{method}(self, other)` computes `other {sym} "
                    "self`, with the operands the other way round.",
                    expr=expr,
                    got=f"{got:.4g}",
                    sym=sym,
                    n=n,
                    method=f"__r{'sub' if sym == '-' else 'truediv'}__",
                )
            )
        if not _near(got, want):
            fail(
                _(
                    "`{expr}` gives {got}, expected {want}.",
                    expr=expr,
                    got=f"{got:.4g}",
                    want=f"{want:g}",
                )
            )


def _check_value_number_grads(b):
    """Gradients through operators with a plain number on the left."""
    left = {
        "+": (lambda n, v: n + v, 1, 1.0),
        "-": (lambda n, v: n - v, 1, -1.0),
        "*": (lambda n, v: n * v, 2, 2.0),
        "/": (lambda n, v: n / v, 2, -0.125),
    }
    for sym, (g, n, dwant) in left.items():
        expr = f"{n} {sym} Value(4.0)"
        v = b.new(4.0)
        out = b.op(expr, g, n, v)
        b.backward(out, expr)
        grad = _attr(v, "grad", "v")
        if not _near(grad, dwant):
            fail(
                _(
                    "For `out = {expr}` with v = Value(4.0), after out.backward() "
                    "v.grad is {got}, expected {want}.",
                    expr=expr,
                    got=f"{grad:.4g}",
                    want=f"{dwant:g}",
                )
            )


def _check_value_local_gradients(b):
    # The output's own gradient must be seeded with 1.
    x = b.new(3.0)
    out = b.op("x * 2", lambda v: v * 2, x)
    b.backward(out, "x * 2")
    if _attr(out, "grad", "out") == 0.0 and _attr(x, "grad", "x") == 0.0:
        fail(
            _(
                "After out.backward() every .grad is still 0. backward() must start by "
                "setting the output's own gradient to 1 (d out / d out = 1) before "
                "passing it back."
            )
        )
    if not _near(_attr(out, "grad", "out"), 1.0):
        fail(
            _(
                "After out.backward(), out.grad should be 1 (d out / d out) but is "
                "{got}.",
                got=f"{out.grad:.4g}",
            )
        )
    if _attr(x, "grad", "x") == 0.0:
        fail(
            _(
                "For out = x * 2, out.grad is 1 after out.backward() but x.grad stays "
                "0: the multiply's `_backward` never ran or never added to x.grad. "
                "Attach it to the result (`out._backward = _backward` before `return "
                "out`), and have backward() call `node._backward()` for every node, "
                "including the output itself."
            )
        )
    x = b.new(3.0)
    out = b.op("(x * 2) * 3", lambda v: (v * 2) * 3, x)
    b.backward(out, "(x * 2) * 3")
    if _attr(x, "grad", "x") == 0.0 and _attr(out, "grad", "out") != 0.0:
        fail(
            _(
                "For out = (x * 2) * 3, x.grad stays 0. backward() must call the gates "
                "from the output back to the inputs: build the topological order "
                "(inputs before outputs), then run the nodes' backward steps in "
                "REVERSED order."
            )
        )
    _binary_gradients(b, "+*")
    _unary_gradients(b)
    _binary_gradients(b, "-/")


def _binary_gradients(b, symbols):
    for sym in symbols:
        expr, f, d = _OPS[sym]
        for xv, yv in ((3.0, -2.0), (-1.5, 4.0)):
            x, y = b.new(xv), b.new(yv)
            out = b.op(f"Value({xv}) {sym} Value({yv})", f, x, y)
            b.backward(out, f"x {sym} y")
            gx, gy = _attr(x, "grad", "x"), _attr(y, "grad", "y")
            want = d(xv, yv)
            if _near(gx, want[0]) and _near(gy, want[1]):
                continue
            if sym == "*" and _near(gx, xv) and _near(gy, yv):
                fail(
                    _(
                        "Your multiply gate gives each input its own value as "
                        "gradient. The multiply gate swaps: in out = x * y, x.grad += "
                        "y.data * out.grad and y.grad += x.data * out.grad."
                    )
                )
            if sym == "-" and _near(gx, 1.0) and _near(gy, 1.0):
                fail(
                    _(
                        "In out = x - y, y.grad must be -out.grad: subtracting flips "
                        "the sign of the gradient that flows to y."
                    )
                )
            fail(
                _(
                    "For out = x {sym} y with x = {x}, y = {y}, after out.backward() "
                    "you get x.grad = {gx}, y.grad = {gy}; expected {want_x}, "
                    "{want_y}.",
                    sym=sym,
                    x=xv,
                    y=yv,
                    gx=f"{gx:.4g}",
                    gy=f"{gy:.4g}",
                    want_x=f"{want[0]:.4g}",
                    want_y=f"{want[1]:.4g}",
                )
            )


def _unary_gradients(b):
    for name, (g, f, d, wrongs) in _UNARY.items():
        for xv in (0.7, -1.3):
            x = b.new(xv)
            out = b.op(f"Value({xv}){name}", g, x)
            b.backward(out, f"x{name}")
            got = _attr(x, "grad", "x")
            if _near(got, d(xv)):
                continue
            for wrong, hint in wrongs:
                mistake(
                    _near(got, wrong(xv)),
                    _(
                        "In `{operation}`: {hint}.",
                        operation=name.strip(),
                        hint=translate(hint),
                    ),
                )
            fail(
                _(
                    "For out = {expr} at x = {x}, x.grad is {got}, expected {want}.",
                    expr=f"x{name}",
                    x=xv,
                    got=f"{got:.4g}",
                    want=f"{d(xv):.4g}",
                )
            )
    for xv, want in ((2.0, 1.0), (-2.0, 0.0)):
        x = b.new(xv)
        out = b.op(f"Value({xv}).relu()", lambda v: v.relu(), x)
        b.backward(out, "x.relu()")
        got = _attr(x, "grad", "x")
        if _near(got, want):
            continue
        mistake(
            xv < 0 and got != 0,
            _(
                "Your relu passes gradient back where its input was "
                "negative. The gate is closed there: x.grad += "
                "(x.data > 0) * out.grad."
            ),
        )
        mistake(
            xv > 0 and _near(got, xv),
            _(
                "Your relu's local gradient is the input value; it "
                "is 1 where the input was positive, 0 elsewhere."
            ),
        )
        fail(
            _(
                "For out = {expr} at x = {x}, x.grad is {got}, expected {want}.",
                expr="x.relu()",
                x=xv,
                got=f"{got:.4g}",
                want=f"{want:g}",
            )
        )


def _check_value_chain(b):
    """Local gradients must be multiplied by the upstream gradient out.grad."""
    cases = [
        (
            "(x * 3).tanh()",
            lambda v: (v * 3).tanh(),
            0.2,
            3 * (1 - math.tanh(0.6) ** 2),
        ),
        ("(x + 1) * 5", lambda v: (v + 1) * 5, 0.5, 5.0),
        ("(x * 2).exp() * 3", lambda v: (v * 2).exp() * 3, 0.1, 6 * math.exp(0.2)),
    ]
    for expr, g, xv, want in cases:
        x = b.new(xv)
        out = b.op(expr, g, x)
        b.backward(out, expr)
        got = _attr(x, "grad", "x")
        if not _near(got, want):
            fail(
                _(
                    "For out = {expr} at x = {x}, x.grad is {got}, expected {want}. "
                    "The chain rule: each gate adds (local gradient) * out.grad to "
                    "its inputs' .grad; do not forget the factor out.grad (the "
                    "gradient arriving from above).",
                    expr=expr,
                    x=xv,
                    got=f"{got:.4g}",
                    want=f"{want:.4g}",
                )
            )


def _check_value_accumulation(b):
    cases = [
        ("x * x", lambda v: v * v, 3.0, 6.0, 3.0),
        ("x + x", lambda v: v + v, 3.0, 2.0, 1.0),
        ("x * x * x", lambda v: v * v * v, 2.0, 12.0, None),
        ("x * 2 + x.exp()", lambda v: v * 2 + v.exp(), 0.5, 2 + math.exp(0.5), None),
    ]
    for expr, g, xv, want, overwritten in cases:
        x = b.new(xv)
        out = b.op(expr, g, x)
        b.backward(out, expr)
        got = _attr(x, "grad", "x")
        if _near(got, want):
            continue
        fail(
            _(
                "For out = {expr} at x = {x}, x.grad is {got}, expected {want}. A node "
                "used more than once receives gradient along every path, and the "
                "pieces add up: use `+=` (not `=`) in every gate's backward, e.g. "
                "self.grad += other.data * out.grad.",
                expr=expr,
                x=xv,
                got=f"{got:.4g}",
                want=f"{want:.4g}",
            )
        )


def _check_value_order(b):
    """A diamond: x feeds a, a feeds two branches that meet again."""
    cases = [
        (
            "a = x * 2; out = (a * 3) * (a + 1)",
            lambda v: (lambda a: (a * 3) * (a + 1))(v * 2),
            0.5,
            18.0,
        ),
        (
            "a = x.tanh(); out = (a + 2).exp() * (a * a + 1) + a * 4",
            lambda v: (lambda a: (a + 2).exp() * (a * a + 1) + a * 4)(v.tanh()),
            0.3,
            None,
        ),
    ]
    for expr, g, xv, want in cases:
        if want is None:
            t = math.tanh(xv)
            want = (1 - t * t) * (
                math.exp(t + 2) * (t * t + 1) + math.exp(t + 2) * 2 * t + 4
            )
        x = b.new(xv)
        out = b.op(expr, g, x)
        b.backward(out, "out")
        got = _attr(x, "grad", "x")
        if _near(got, want):
            continue
        if got == 0.0:
            fail(
                _(
                    "For {expr} at x = {x}, x.grad stays 0. backward() must call the "
                    "gates from the output back to the inputs: build the topological "
                    "order (inputs before outputs), then run the nodes' backward "
                    "steps in REVERSED order.",
                    expr=expr,
                    x=xv,
                )
            )
        fail(
            _(
                "For {expr} at x = {x}, x.grad is {got}, expected {want}. backward() "
                "is not visiting the nodes in reverse topological order: a node (here "
                "`a`, which feeds two branches) passed its gradient on before every "
                "use of it had added its share, or it passed it on twice. Sort the "
                "graph topologically once, then call each node's backward step "
                "exactly once, in reverse order.",
                expr=expr,
                x=xv,
                got=f"{got:.4g}",
                want=f"{want:.4g}",
            )
        )


_NEURON_W, _NEURON_X = [2.0, -3.0, -3.0], [-1.0, -2.0]


def _neuron_expected():
    z = _NEURON_W[0] * _NEURON_X[0] + _NEURON_W[1] * _NEURON_X[1] + _NEURON_W[2]
    s = _sig(z)
    d = s * (1 - s)
    return s, [
        _NEURON_X[0] * d,
        _NEURON_W[0] * d,
        _NEURON_X[1] * d,
        _NEURON_W[1] * d,
        d,
    ]


def _check_value_examples(b):
    # f = (x + y) * z at x = -2, y = 5, z = -4.
    x, y, z = b.new(-2.0), b.new(5.0), b.new(-4.0)
    f = b.op("(x + y) * z", lambda x, y, z: (x + y) * z, x, y, z)
    b.backward(f, "(x + y) * z")
    got = [_attr(v, "grad", n) for v, n in ((x, "x"), (y, "y"), (z, "z"))]
    if not (
        _near(_attr(f, "data", "f"), -12.0) and all(map(_near, got, [-4.0, -4.0, 3.0]))
    ):
        fail(
            _(
                "On the chapter's first example f = (x + y) * z at x = -2, y = 5, z = "
                "-4 you get f = {f} and gradients {gradients}; expected f = -12 and "
                "[-4, -4, 3].",
                f=f"{f.data:.4g}",
                gradients=str(np.round(got, 4).tolist()),
            )
        )
    # The sigmoid neuron, once with the 1 / (1 + exp(-z)) gates and once with
    # .sigmoid().
    s_want, g_want = _neuron_expected()
    for how in ("gates", "sigmoid"):
        w0, x0, w1, x1, w2 = (
            b.new(v)
            for v in (
                _NEURON_W[0],
                _NEURON_X[0],
                _NEURON_W[1],
                _NEURON_X[1],
                _NEURON_W[2],
            )
        )
        expr = (
            "1 / (1 + (-1 * (w0*x0 + w1*x1 + w2)).exp())"
            if how == "gates"
            else "(w0*x0 + w1*x1 + w2).sigmoid()"
        )

        def neuron(w0, x0, w1, x1, w2, how=how):
            zz = w0 * x0 + w1 * x1 + w2
            return 1 / (1 + (-1 * zz).exp()) if how == "gates" else zz.sigmoid()

        out = b.op(expr, neuron, w0, x0, w1, x1, w2)
        b.backward(out, expr)
        grads = [
            _attr(v, "grad", n)
            for v, n in zip((w0, x0, w1, x1, w2), ("w0", "x0", "w1", "x1", "w2"))
        ]
        if not (
            _near(_attr(out, "data", "out"), s_want) and all(map(_near, grads, g_want))
        ):
            fail(
                _(
                    "On the chapter's sigmoid neuron {expr} with w = [2, -3, -3], x = "
                    "[-1, -2] you get output {output} and gradients (w0, x0, w1, x1, "
                    "w2) = {gradients}; expected 0.73 and [-0.2, 0.39, -0.39, -0.59, "
                    "0.2].",
                    expr=expr,
                    output=f"{out.data:.4g}",
                    gradients=str(np.round(grads, 2).tolist()),
                )
            )


def _check_value_numerical(b):
    """A random-looking expression against centered differences."""

    def f_value(a, c):
        h = (a * c + a**2 / (c + 3)).tanh()
        return (h * a - c.sigmoid() + (a - c).relu() * 2) / (1 + c.exp())

    def f_float(p):
        a, c = p
        h = math.tanh(a * c + a**2 / (c + 3))
        return (h * a - _sig(c) + max(0.0, a - c) * 2) / (1 + math.exp(c))

    point = np.array([0.8, -0.6])
    want = eval_numerical_gradient(f_float, point.copy())
    a, c = b.new(point[0]), b.new(point[1])
    out = b.op(_("a longer expression"), f_value, a, c)
    b.backward(out, "out")
    got = [_attr(a, "grad", "a"), _attr(c, "grad", "c")]
    if not np.allclose(got, want, rtol=1e-5, atol=1e-7):
        fail(
            _(
                "On a longer expression using every operation your gradients {got} "
                "differ from the numerical gradient {want}.",
                got=str(np.round(got, 4)),
                want=str(np.round(want, 4)),
            )
        )


def _check_value_backward_fn(b):
    """The statement names ``_backward``: a leaf's does nothing, an operation's passes
    ``out.grad`` (whatever it is at the time of the call) back to its inputs."""
    leaf = b.new(2.0)
    if not callable(getattr(leaf, "_backward", None)):
        fail(
            _(
                "`Value(2.0)` has no callable `._backward`. The statement keeps this "
                "name: every Value has a function `_backward` (a do-nothing `lambda: "
                "None` for a leaf), and an operation replaces it on the Value it "
                "returns."
            )
        )
    b.run("Value(2.0)._backward()", leaf._backward)
    if _attr(leaf, "grad", "Value(2.0)") != 0.0:
        fail(
            _(
                "Calling a leaf's `_backward()` changed its .grad: a Value created "
                "from a number has nobody to pass a gradient to, so its `_backward` "
                "does nothing."
            )
        )
    x, y = b.new(3.0), b.new(-2.0)
    out = b.op("Value(3.0) * Value(-2.0)", lambda p, q: p * q, x, y)
    if not callable(getattr(out, "_backward", None)):
        fail(
            _(
                "`(x * y)._backward` is not callable: store the function that passes "
                "out.grad back as `out._backward = _backward`."
            )
        )
    out.grad = 2.0
    b.run("(x * y)._backward()", out._backward)
    got = (_attr(x, "grad", "x"), _attr(y, "grad", "y"))
    if not (_near(got[0], -4.0) and _near(got[1], 6.0)):
        fail(
            _(
                "For out = x * y with x = 3, y = -2, setting out.grad = 2 and calling "
                "`out._backward()` gives x.grad = {gx}, y.grad = {gy}; expected -4 "
                "and 6. `_backward` must use the current out.grad (read it inside the "
                "function, when it is called), times the local gradient.",
                gx=f"{got[0]:.4g}",
                gy=f"{got[1]:.4g}",
            )
        )


@exercise("Value", reference=ref_autograd.Value, chapter=5, time_limit=5.0)
def check_value(call):
    b = _Builder(call)
    _check_value_forward(b)
    _check_value_prev(b)
    _check_value_numbers(b)
    _check_value_local_gradients(b)
    _check_value_chain(b)
    _check_value_accumulation(b)
    _check_value_order(b)
    _check_value_number_grads(b)
    _check_value_examples(b)
    _check_value_numerical(b)
    _check_value_backward_fn(b)


# --------------------------------------------------------------------------------------
# affine_forward / affine_backward
# --------------------------------------------------------------------------------------


def _affine_case(seed, shape, M):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    D = int(np.prod(shape[1:]))
    return x, rng.standard_normal((D, M)), rng.standard_normal(M) + 1.0


def _affine_square_cases():
    return [_affine_case(10, (4, 4), 4)]


@catalogue(
    "affine_forward",
    inputs=_affine_square_cases,
    right=lambda x, w, b: ref.affine_forward(x, w, b)[0],
)
def _affine_forward_mistakes(x, w, b):
    """On a square case (N = D = M), where transposition mistakes give values, not
    crashes."""
    return [
        (
            x @ w.T + b,
            _(
                "You used w transposed: w has shape (D, M) and the scores are x @ w + "
                "b."
            ),
        ),
        (
            x @ w + b[:, None],
            _(
                "Your bias is added along the wrong axis: b has one entry per "
                "output (column): x @ w + b."
            ),
        ),
        (x @ w, _("You left out the bias: out = x @ w + b.")),
        (
            x * w + b,
            _(
                "You used `*`, which multiplies entry by entry (it only ran because x "
                "and w happen to be square here). The affine layer is a matrix "
                "product: x_flat @ w + b."
            ),
        ),
    ]


def _affine_4d_cases():
    return [_affine_case(11, (2, 3, 2, 2), 5)]


@catalogue(
    "affine_forward",
    inputs=_affine_4d_cases,
    right=lambda x, w, b: ref.affine_forward(x, w, b)[0],
)
def _affine_reshape_mistakes(x, w, b):
    """On a 4-D x: reshapes that mix the numbers of different examples."""
    N = x.shape[0]
    return [
        (
            AnyOf(x.reshape(-1, N).T @ w + b, x.T.reshape(N, -1) @ w + b),
            _(
                "Your reshape mixes numbers from different examples: "
                "x.reshape(x.shape[0], -1) keeps each example's numbers together in "
                "one row (do not reshape to (D, N) and transpose)."
            ),
        )
    ]


@exercise("affine_forward", reference=ref.affine_forward, chapter=5)
@explains_numpy_errors
def check_affine_forward(call):
    # Square first (N = D = M): transposition mistakes show as wrong values instead of
    # crashes.
    xs, ws, bs = _affine_case(10, (4, 4), 4)
    out, cache = expect_values(call(xs, ws, bs), "affine_forward", "out, cache")
    out = expect_array(out, shape=(4, 4), what="out")
    _affine_forward_mistakes.match(out, xs, ws, bs)
    x, w, b = _affine_case(11, (2, 3, 2, 2), 5)
    try:
        res = call(x, w, b)
    except CheckFailed as failure:
        if (
            failure.kind != "raised"
        ):  # e.g. it changed x's shape in place: that diagnosis stands
            raise
        fail(
            _(
                "With a 4-D input x of shape (2, 3, 2, 2) and w of shape (12, 5) your "
                "function fails. Flatten each example first: x.reshape(x.shape[0], "
                "-1) has shape (N, D). (The error was: {error})",
                error=f"{failure}",
            )
        )
    out, cache = expect_values(res, "affine_forward", "out, cache")
    out = expect_array(out, what="out")
    if out.shape != (2, 5):
        fail(
            _(
                "For x of shape (2, 3, 2, 2) and w of shape (12, 5), out should have "
                "shape (2, 5) (N, M) but has shape {shape}. Flatten each example: "
                "x.reshape(x.shape[0], -1).",
                shape=str(out.shape),
            )
        )
    _affine_reshape_mistakes.match(out, x, w, b)
    if not close(out, ref.affine_forward(x, w, b)[0]):
        differs(_("Your out differs from x.reshape(N, -1) @ w + b on a 4-D example."))
    if not (isinstance(cache, (tuple, list)) and len(cache) == 3):
        fail(
            _(
                "The cache should be the tuple (x, w, b): affine_backward unpacks it "
                "as `x, w, b = cache`."
            )
        )
    cx = cache[0]
    if isinstance(cx, np.ndarray) and cx.shape == (2, 12):
        fail(
            _(
                "Your cache holds the flattened x. Keep the original x (shape (2, 3, "
                "2, 2)) in the cache, so that affine_backward can return dx in x's "
                "original shape."
            )
        )
    if not (
        isinstance(cx, np.ndarray)
        and cx.shape == x.shape
        and np.array_equal(cx, x)
        and isinstance(cache[1], np.ndarray)
        and np.array_equal(cache[1], w)
        and isinstance(cache[2], np.ndarray)
        and np.array_equal(cache[2], b)
    ):
        fail(
            _("The cache should be exactly (x, w, b), the three inputs, in that order.")
        )


_DB_SCALAR = N_(
    "Your db is a single number: dout.sum() summed over every axis. The bias has one "
    "entry per output unit, so sum over the examples only: db = dout.sum(axis=0)."
)


def _db_shape(db, N, M):
    mistake(
        db.shape == (N,),
        _(
            "Your db is summed over the wrong axis: it has one entry per "
            "example but needs one per output unit, like b. Sum over the "
            "examples: db = dout.sum(axis=0)."
        ),
    )
    mistake(
        db.shape in ((1, M), (M, 1)),
        _(
            "Your db has shape {shape}; b has shape ({M},). "
            "Sum without keepdims: dout.sum(axis=0).",
            shape=str(db.shape),
            M=M,
        ),
    )
    expect_array(db, shape=(M,), what="db")


def _no_reshape_in_place(call, dout, shape, M):
    """Flattening the cached x through `x.shape = ...` reshapes the forward pass's own
    array (the Probe would only see "changed `cache`"): name it."""
    x, w, b = _affine_case(24, (3,) + shape, M)
    cache, shape = ref.affine_forward(x, w, b)[1], x.shape
    if call.quietly(dout.copy(), cache).finished:
        if cache[0].shape != shape:
            fail(
                _(
                    "`affine_backward` changed the shape of the cached x in place "
                    "(from {old} to {new}): `x.shape = ...` or `x.resize(...)` "
                    "reshapes the array the forward pass stored, not a copy. Use a "
                    "new name for the flattened view: `x_flat = x.reshape(x.shape[0], "
                    "-1)`.",
                    old=str(shape),
                    new=str(cache[0].shape),
                )
            )


def _affine_backward_cases():
    """Square weights (D = M = 4, N = 3): a missing transpose gives a wrong value,
    not a crash."""
    x, w, b = _affine_case(20, (3, 4), 4)
    dout = np.random.default_rng(21).standard_normal((3, 4))
    return [(dout, ref.affine_forward(x, w, b)[1])]


def _part(k):
    return lambda dout, cache: ref.affine_backward(dout, cache)[k]


@catalogue("affine_backward", inputs=_affine_backward_cases, right=_part(0))
def _affine_dx_mistakes(dout, cache):
    x, w, _b = cache
    return [
        (
            dout @ w,
            _(
                "Your dx uses w without transposing. dx = dout @ w.T: shapes (N, M) @ "
                "(M, D) give (N, D), like x."
            ),
        ),
        (
            AnyOf(dout @ w.T * x, x),
            _("Your dx should not involve x: in out = x @ w, dx = dout @ w.T."),
        ),
        ((dout @ w.T).T.reshape(x.shape), translate(_DX_PLACES)),
    ]


@catalogue("affine_backward", inputs=_affine_backward_cases, right=_part(1))
def _affine_dw_mistakes(dout, cache):
    x = cache[0]
    return [
        (
            dout.T @ x,
            _(
                "Your dw is transposed: dw must have w's shape (D, M), so dw = x.T @ "
                "dout ((D, N) @ (N, M))."
            ),
        ),
        (
            x.T @ dout / len(x),
            _(
                "Your dw is divided by N. Do not average here: the loss already "
                "divided by the batch size, so dw = x.T @ dout."
            ),
        ),
    ]


@catalogue("affine_backward", inputs=_affine_backward_cases, right=_part(2))
def _affine_db_mistakes(dout, cache):
    return [
        (
            dout.mean(axis=0),
            _(
                "Your db averages dout. The bias is used by every example, so "
                "its gradient is the SUM over examples: db = dout.sum(axis=0)."
            ),
        )
    ]


_DX_PLACES = N_(
    "Your dx puts the numbers back in the wrong places: reshape dx straight back with "
    "dx.reshape(x.shape), without transposing."
)


@exercise("affine_backward", reference=ref.affine_backward, chapter=5)
@explains_numpy_errors
def check_affine_backward(call):
    dout, cache = _affine_backward_cases()[0]
    x = cache[0]
    _no_reshape_in_place(call, dout, (2, 2, 2), 4)
    dx, dw, db = expect_values(call(dout, cache), "affine_backward", "dx, dw, db")
    dx = expect_array(dx, what="dx")
    dw = expect_array(dw, what="dw")
    mistake(is_single_number(db), translate(_DB_SCALAR))
    db = expect_array(db, what="db")
    expect_array(dx, shape=(3, 4), what="dx")
    _affine_dx_mistakes.match(dx, dout, cache)
    expect_array(dw, shape=(4, 4), what="dw")
    _affine_dw_mistakes.match(dw, dout, cache)
    _db_shape(db, N=3, M=4)
    _affine_db_mistakes.match(db, dout, cache)
    ref_dx, ref_dw, ref_db = ref.affine_backward(dout, cache)
    for name, got, right in (
        ("dx", dx, ref_dx),
        ("dw", dw, ref_dw),
        ("db", db, ref_db),
    ):
        factor = float(np.sum(got * right) / np.sum(right * right))
        mistake(
            not np.isclose(factor, 1.0) and close(got, factor * right),
            _(
                "Your {name} is {factor} times the right one: the directions are "
                "right, the scale is not. Look for a constant factor applied twice or "
                "one too many (a division by N belongs to the loss only; an affine "
                "layer adds no factor).",
                name=name,
                factor=f"{factor:.3g}",
            ),
        )
    if not close(dx, ref_dx):
        differs(_("Your dx differs from dout @ w.T on a small example."))
    if not close(dw, ref_dw):
        differs(_("Your dw differs from x.T @ dout on a small example."))
    if not close(db, ref_db):
        differs(_("Your db differs from dout.sum(axis=0) on a small example."))

    # 4-D input: dx must come back in x's shape; N != M so a wrong sum axis shows in the
    # shape.
    x, w, b = _affine_case(22, (2, 3, 2, 2), 5)
    _out, cache = ref.affine_forward(x, w, b)
    dout = np.random.default_rng(23).standard_normal((2, 5))
    try:
        res = call(dout, cache)
    except CheckFailed as failure:
        if failure.kind != "raised":
            raise
        fail(
            _(
                "With a 4-D x of shape (2, 3, 2, 2) your function fails. Work with the "
                "flattened x_flat = x.reshape(x.shape[0], -1) for dw, and reshape dx "
                "back at the end: dx.reshape(x.shape). (The error was: {error})",
                error=f"{failure}",
            )
        )
    dx, dw, db = expect_values(res, "affine_backward", "dx, dw, db")
    dx, dw, db = (
        expect_array(v, what=n) for v, n in ((dx, "dx"), (dw, "dw"), (db, "db"))
    )
    if dx.shape == (2, 12):
        fail(
            _(
                "Your dx has the flattened shape (2, 12). The gradient must have the "
                "input's shape (2, 3, 2, 2): return dx.reshape(x.shape)."
            )
        )
    expect_array(dx, shape=x.shape, what="dx")
    mistake(
        dw.shape == (5, 12),
        _(
            "Your dw is transposed: dw must have w's shape (D, M) = "
            "(12, 5), so dw = x_flat.T @ dout."
        ),
    )
    expect_array(dw, shape=(12, 5), what="dw")
    _db_shape(db, N=2, M=5)
    ref_dx, ref_dw, ref_db = ref.affine_backward(dout, cache)
    mistake(close(dx, ref_dx.reshape(2, -1).T.reshape(x.shape)), translate(_DX_PLACES))
    # Properties: against the numerical gradient of out = affine(x, w, b) summed against
    # dout.
    num_dx = eval_numerical_gradient_array(
        lambda v: ref.affine_forward(v, w, b)[0], x.copy(), dout
    )
    num_dw = eval_numerical_gradient_array(
        lambda v: ref.affine_forward(x, v, b)[0], w.copy(), dout
    )
    num_db = eval_numerical_gradient_array(
        lambda v: ref.affine_forward(x, w, v)[0], b.copy(), dout
    )
    for name, got, num in (("dx", dx, num_dx), ("dw", dw, num_dw), ("db", db, num_db)):
        if not close(got, num, rtol=1e-5, atol=1e-7):
            fail(
                _(
                    "Your {name} differs from the numerical gradient on a 4-D example.",
                    name=name,
                )
            )


# --------------------------------------------------------------------------------------
# relu_forward / relu_backward
# --------------------------------------------------------------------------------------


def _relu_input():
    x = np.random.default_rng(30).standard_normal((4, 5))
    x[0, 0], x[2, 3] = 0.0, 0.0  # exact zeros: > and >= are both accepted there
    return x


@catalogue(
    "relu_forward",
    inputs=lambda: [(_relu_input(),)],
    right=lambda x: ref.relu_forward(x)[0],
)
def _relu_forward_mistakes(x):
    return [
        (
            np.minimum(0, x),
            _(
                "Your ReLU keeps the negative part. ReLU is max(0, x): negatives "
                "become 0, positives pass unchanged."
            ),
        ),
        (np.abs(x), _("Your ReLU takes the absolute value; negatives must become 0.")),
        (
            (x > 0).astype(float),
            _(
                "You returned the mask x > 0 (zeros and ones); ReLU returns the "
                "values: max(0, x)."
            ),
        ),
        (
            np.clip(x, 0, 1),
            _(
                "Your ReLU caps the outputs at 1. ReLU is unbounded above: "
                "max(0, x), e.g. np.clip(x, 0, None)."
            ),
        ),
    ]


@exercise("relu_forward", reference=ref.relu_forward, chapter=5)
@explains_numpy_errors
def check_relu_forward(call):
    x = _relu_input()
    out, cache = expect_values(call(x), "relu_forward", "out, cache")
    out = expect_array(out, shape=x.shape, what="out")
    _relu_forward_mistakes.match(out, x)
    if not close(out, np.maximum(0, x)):
        differs(_("Your out differs from np.maximum(0, x)."))
    if not (
        isinstance(cache, np.ndarray) and cache.shape == x.shape and close(cache, x)
    ):
        fail(
            _(
                "The cache should be the input x itself (relu_backward needs to know "
                "where x was positive): return out, x."
            )
        )
    x3 = np.random.default_rng(31).standard_normal((2, 3, 4))
    out3, _cache = expect_values(call(x3), "relu_forward", "out, cache")
    if not close(
        expect_array(out3, shape=x3.shape, what=_("out for a 3-D input")),
        np.maximum(0, x3),
    ):
        fail(
            _(
                "Your ReLU is wrong on a 3-D input; it must work elementwise on any "
                "shape."
            )
        )


def _relu_backward_cases():
    x = _relu_input()
    # dout has both signs where x > 0 and where x < 0, so every mask mistake shows.
    dout = np.random.default_rng(32).standard_normal(x.shape)
    dout[x > 0] = np.where(np.arange((x > 0).sum()) % 2 == 0, -1.0, 1.0) * (
        1 + np.abs(dout[x > 0])
    )
    return [(dout, x)]


def _same_where_decided(out, wrong):
    """Equal wherever x != 0 (at x == 0 both > and >= are accepted)."""
    decided = _relu_input() != 0
    out, wrong = np.asarray(out, dtype=float), np.asarray(wrong, dtype=float)
    return out.shape == wrong.shape == decided.shape and close(
        out[decided], wrong[decided]
    )


@catalogue("relu_backward", inputs=_relu_backward_cases, compare=_same_where_decided)
def _relu_backward_mistakes(dout, x):
    return [
        (
            dout,
            _(
                "Your ReLU passes gradient back where its input was negative. The gate "
                "was closed there in the forward pass, so dx = dout * (x > 0)."
            ),
        ),
        (
            dout * (dout > 0),
            _(
                "Your mask looks at the sign of dout. Whether the gradient passes "
                "depends on the forward input x (the cache), not on the gradient: "
                "dx = dout * (x > 0)."
            ),
        ),
        (
            (x > 0).astype(float),
            _(
                "You returned the local gradient (the mask) alone. Multiply "
                "it by the upstream gradient: dx = dout * (x > 0)."
            ),
        ),
        (
            dout * np.maximum(0, x),
            _(
                "You multiplied dout by the ReLU's output; the local gradient "
                "is 1 where x > 0 and 0 elsewhere."
            ),
        ),
        (
            dout * (x < 0),
            _(
                "Your mask is inverted: the gradient flows where x > 0, not where "
                "x < 0."
            ),
        ),
    ]


@exercise("relu_backward", reference=ref.relu_backward, chapter=5)
@explains_numpy_errors
def check_relu_backward(call):
    dout, x = _relu_backward_cases()[0]
    dx = expect_array(call(dout, x), shape=x.shape, what="dx")
    decided = x != 0
    _relu_backward_mistakes.match(dx, dout, x)
    if not _same_where_decided(dx, dout * (x > 0)):
        differs(_("Your dx differs from dout * (x > 0)."))
    at_zero = dx[~decided]
    if not (np.allclose(at_zero, 0) or np.allclose(at_zero, dout[~decided])):
        fail(_("Where x is exactly 0, dx should be 0 (or dout, if you use x >= 0)."))
    x3 = np.random.default_rng(33).standard_normal((2, 3, 4))
    d3 = np.random.default_rng(34).standard_normal(x3.shape)
    got = expect_array(call(d3, x3), shape=x3.shape, what=_("dx for a 3-D input"))
    if not close(got, d3 * (x3 > 0)):
        fail(
            _("Your dx is wrong on a 3-D input; it must work elementwise on any shape.")
        )


# --------------------------------------------------------------------------------------
# softmax_loss
# --------------------------------------------------------------------------------------


def _softmax_rows(s, axis=1):
    e = np.exp(s - s.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# The classic cat/car/frog scores of one image whose correct class is cat.
CAT_SCORES, CAT_LABEL = np.array([[3.2, 5.1, -1.7]]), np.array([0])


def _softmax_loss_cases():
    scores = np.random.default_rng(40).standard_normal((5, 4)) * 2
    return [
        (scores, np.array([0, 2, 2, 1, 0]))
    ]  # class 3 is never correct: p[:, y] shows


@catalogue(
    "softmax_loss",
    inputs=_softmax_loss_cases,
    right=lambda scores, y: ref_losses.softmax_loss(scores, y)[0],
)
def _softmax_loss_value_mistakes(scores, y):
    N = len(y)
    right = ref_losses.softmax_loss(scores, y)[0]
    p = _softmax_rows(scores)
    return [
        (
            right * N,
            _("Your loss is the sum over the batch; take the mean (divide by N)."),
        ),
        (
            right / np.log(10),
            _(
                "Your loss uses log base 10; cross-entropy uses the natural log, "
                "np.log."
            ),
        ),
        (
            -np.log(p[:, y]).mean(),
            _(
                "Your loss uses p[:, y], which selects whole columns (every "
                "example's probability of every label in y). Pick one entry "
                "per row: p[np.arange(N), y]."
            ),
        ),
        (
            -right,
            _(
                "Your loss has the wrong sign: it is the mean of -log p[correct "
                "class], a positive number."
            ),
        ),
        (
            -np.log(p[np.arange(N), y].mean()),
            _(
                "Your loss is the log of the mean probability, -log(mean(p_correct)). "
                "Cross-entropy is the mean of the logs: take -log of each example's "
                "p_correct, then average."
            ),
        ),
    ]


@catalogue(
    "softmax_loss",
    inputs=_softmax_loss_cases,
    right=lambda scores, y: ref_losses.softmax_loss(scores, y)[1],
)
def _softmax_loss_gradient_mistakes(scores, y):
    N, C = scores.shape
    p = _softmax_rows(scores)
    onehot = np.zeros((N, C))
    onehot[np.arange(N), y] = 1
    wrong_cols = p.copy()
    wrong_cols[:, y] -= 1
    return [
        (
            p / N,
            _(
                "You forgot to subtract 1 at the correct class: dscores = (p - "
                "onehot(y)) / N, i.e. p[np.arange(N), y] -= 1."
            ),
        ),
        (
            (p - 1) / N,
            _(
                "You subtracted 1 from every entry; subtract it only at the correct "
                "class of each row: p[np.arange(N), y] -= 1."
            ),
        ),
        (
            wrong_cols / N,
            _(
                "p[:, y] selects whole columns, so you subtracted 1 in every row; "
                "select one entry per row with p[np.arange(N), y]."
            ),
        ),
        (
            p - onehot,
            _(
                "You forgot to divide dscores by the batch size N: the loss is a mean, "
                "so each example's gradient carries a factor 1/N."
            ),
        ),
        (
            (onehot - p) / N,
            _("Your dscores has the wrong sign: it is (p - onehot) / N."),
        ),
        (
            (_softmax_rows(scores, axis=0) - onehot) / N,
            _(
                "Your softmax normalizes over the wrong axis: each row (one example's "
                "scores) must sum to 1, so use axis=1."
            ),
        ),
    ]


@exercise("softmax_loss", reference=ref_losses.softmax_loss, chapter=5)
@explains_numpy_errors
def check_softmax_loss(call):
    scores, y = _softmax_loss_cases()[0]
    N, C = scores.shape
    loss, ds = expect_values(call(scores, y), "softmax_loss", "loss, dscores")
    loss = expect_number(loss, what=_("The loss"))
    ds = expect_array(ds, shape=(N, C), what="dscores")
    ref_loss, ref_ds = ref_losses.softmax_loss(scores, y)
    _softmax_loss_value_mistakes.match(loss, scores, y)
    _softmax_loss_gradient_mistakes.match(ds, scores, y)
    if not np.isclose(loss, ref_loss):
        differs(
            _(
                "Your loss is {got}, expected {want} on a small example.",
                got=f"{loss:.4g}",
                want=f"{ref_loss:.4g}",
            )
        )
    if not close(ds, ref_ds):
        differs(_("Your dscores differs from (softmax(scores) - onehot(y)) / N."))
    cat_loss, cat_ds = expect_values(
        call(CAT_SCORES, CAT_LABEL), "softmax_loss", "loss, dscores"
    )
    cat_loss = expect_number(cat_loss, what=_("The loss"))
    if not np.isclose(cat_loss, ref_losses.softmax_loss(CAT_SCORES, CAT_LABEL)[0]):
        fail(
            _(
                "For the cat/car/frog scores [3.2, 5.1, -1.7] with cat correct the "
                "loss is 2.04, you got {got}.",
                got=f"{cat_loss:.4g}",
            )
        )
    # Scores in the thousands. Close together, exp overflows unless the row maximum is
    # subtracted first; thousands apart, the correct class's probability also rounds to
    # 0, so np.log of it is -inf unless the log-probabilities come from log-sum-exp.
    stable = _(
        "With scores in the thousands your softmax_loss overflows (exp(1000) is "
        "infinite). Subtract each row's maximum score before np.exp: it leaves the "
        "probabilities unchanged and keeps every exponent <= 0."
    )
    _large_softmax_case(call, scores + 1000, y, stable)
    big = scores * 500 + 1000
    _large_softmax_case(
        call,
        big,
        y,
        _(
            "With scores thousands apart your loss or dscores is wrong. Compute "
            "log p as shifted - log(sum(exp(shifted))) (log-sum-exp) rather than "
            "the log of a probability that rounded to 0."
        ),
        rounded=(
            loss_from_rounded_probabilities(big, y),
            rounded_probability_hint("softmax_loss", _("thousands")),
        ),
    )
    num = eval_numerical_gradient(
        lambda s: ref_losses.softmax_loss(s, y)[0], scores.copy()
    )
    if not close(ds, num, rtol=1e-5, atol=1e-8):
        fail(_("Your dscores differs from the numerical gradient of your loss."))


def _large_softmax_case(call, scores, y, hint, rounded=None):
    """softmax_loss on large scores: finite, right and without a warning. ``rounded`` is
    ``(loss of the log-of-rounded-probabilities mistake, its hint)``, checked first."""
    N, C = scores.shape
    loss, ds = expect_values(
        call.call(scores, y, allow_warnings=True), "softmax_loss", "loss, dscores"
    )
    want_loss, want_ds = ref_losses.softmax_loss(scores, y)
    try:
        loss = float(loss)
        finite = math.isfinite(loss) and bool(
            np.all(np.isfinite(np.asarray(ds, dtype=float)))
        )
    except (TypeError, ValueError):
        loss, finite = None, False
    if rounded is not None and loss is not None:
        wrong_loss, rounded_hint = rounded
        mistake(
            not np.isclose(loss, want_loss)
            and (
                not math.isfinite(loss)
                or np.isclose(loss, wrong_loss, rtol=1e-3)
                or loss < want_loss
            ),
            rounded_hint,
        )
    mistake(not finite, hint)
    loss, ds = expect_values(call(scores, y), "softmax_loss", "loss, dscores")
    if not (
        np.isclose(expect_number(loss, what=_("The loss")), want_loss)
        and close(expect_array(ds, shape=(N, C), what="dscores"), want_ds)
    ):
        fail(hint)
