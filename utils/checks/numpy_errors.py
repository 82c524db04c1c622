"""What a raw NumPy error in a learner's function usually means, in plain words.

A Probe turns an exception in the learner's code into "`f` raised ValueError: operands
could not be broadcast together ..."; that names the symptom. ``explains_numpy_errors``
wraps a checker so that the classic causes behind such errors (``np.max(0, x)`` for an
elementwise maximum, ``X * W`` for a matrix product, a missing or extra transpose,
``config=None`` not handled) are named first, with the fix. The cause is read from the
original exception (its type) and the learner's source code, never from the wording of
the check's own messages.
"""

import ast
import functools
import inspect
import re
import textwrap

from utils.i18n import N_, _, translate

from .core import CheckFailed, fail


def original_error(failure):
    """The exception the learner's code raised behind a Probe's ``CheckFailed``, if
    any."""
    for name in ("error", "exception", "original"):
        found = getattr(failure, name, None)
        if isinstance(found, BaseException):
            return found
    return failure.__cause__ or failure.__context__


def learner_source(fn):
    """The source code of the learner's function or class ('' when it cannot be
    read)."""
    try:
        return textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return ""


def _names(source, pattern):
    return re.search(pattern, source) is not None


# Each rule: (exception types, predicate on (message, source), advice). The first that
# applies wins.
_MAX_CALL = r"(?<![\w.])(?:np\.|numpy\.)?(?:max|amax)\(\s*0(?:\.0*)?\s*,"
_STAR_PRODUCT = r"\b(?:X|x|x_flat|X_flat|h|hidden|X_batch)\s*\*\s*(?:W|w|W1|W2|w1|w2)\b"
_ADVICE = [
    (
        (TypeError, ValueError),
        lambda msg, src: _names(src, _MAX_CALL),
        N_(
            "`np.max(0, x)` and `max(0, x)` are not an elementwise maximum: `np.max(a, "
            "axis)` reduces one array (its second argument is an axis), and Python's "
            "`max` compares whole arrays. Use `np.maximum(0, x)`, which compares entry "
            "by entry."
        ),
    ),
    (
        (ValueError,),
        lambda msg, src: "broadcast" in msg and _names(src, _STAR_PRODUCT),
        N_(
            "`*` multiplies entry by entry, so it needs arrays of matching shapes. The "
            "scores are a matrix product: `X @ W` (or `np.dot(X, W)`), shapes (N, D) @ "
            "(D, C) -> (N, C)."
        ),
    ),
    (
        (ValueError,),
        lambda msg, src: "matmul" in msg or "not aligned" in msg,
        N_(
            "A matrix product got factors whose inner sizes differ: (N, D) @ (D, M) "
            "needs the two D's equal. Write the shape beside each factor: usually a "
            "transpose is missing or one too many, or an array was flattened whole "
            "instead of to one row per example."
        ),
    ),
    (
        (ValueError,),
        lambda msg, src: "broadcast" in msg,
        N_(
            "Two arrays whose shapes do not broadcast were combined entry by entry. "
            "Print the shapes of both operands; a matrix product is `@`, and a per-row "
            "quantity needs `keepdims=True` (or `[:, None]`) to line up with an (N, C) "
            "array."
        ),
    ),
]


def advice_for(failure, fn):
    """Plain-words advice for the error behind ``failure``, or None."""
    if getattr(failure, "kind", None) != "raised":
        return None
    error = original_error(failure)
    if error is None:
        return None
    message, source = str(error), learner_source(fn)
    for types, applies, advice in _ADVICE:
        if isinstance(error, types) and applies(message, source):
            return translate(advice)
    return None


def explains_numpy_errors(checker):
    """Wrap a checker ``checker(call)``: a failure caused by a classic NumPy error gets
    its cause named in front of the Probe's report."""

    @functools.wraps(checker)
    def wrapped(call):
        try:
            return checker(call)
        except CheckFailed as failure:
            advice = advice_for(failure, call.fn)
            if advice is None:
                raise
            # a named cause is the checker's own finding (kind None), as with core's
            # call_with_advice; the learner's error stays attached
            fail(
                _(
                    "{advice} (What happened: {failure})",
                    advice=advice,
                    failure=failure,
                ),
                error=original_error(failure),
            )

    return wrapped


def loops_in(fn):
    """The ``for``/``while`` loops and comprehensions written in ``fn``'s own body, as a
    list of short descriptions (empty if there are none or the source cannot be
    read)."""
    source = learner_source(fn)
    try:
        tree = ast.parse(source)
    except SyntaxError:  # e.g. a lambda cut out of a longer line
        return []
    kinds = {
        ast.For: _("a `for` loop"),
        ast.While: _("a `while` loop"),
        ast.ListComp: _("a list comprehension"),
        ast.GeneratorExp: _("a generator expression"),
        ast.SetComp: _("a set comprehension"),
        ast.DictComp: _("a dict comprehension"),
    }
    return [
        _("{loop} (line {line})", loop=kinds[type(node)], line=node.lineno)
        for node in ast.walk(tree)
        if type(node) in kinds
    ]
