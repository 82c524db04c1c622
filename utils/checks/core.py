"""The machinery of self-grading: a registry of exercises, a safe way to call a learner's code,
and the result a learner sees.

A chapter module registers one *checker* per exercise with ``@exercise(...)``. A checker receives
a ``Probe`` (the learner's function, wrapped so that calling it never raises anything but
``CheckFailed`` or ``NotAttempted``) and calls ``fail(hint)`` at the first problem it finds, in
the order: runs? -> types and shapes -> known mistakes -> values -> properties.
"""
import copy
import html
import inspect
import json
import os
import re
import signal
import sys
import threading
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

#: Set by ``python -m utils.grade``: every check appends its result to this file as a JSON line.
REPORT_ENV = "COURSE_GRADE_REPORT"


class CheckFailed(Exception):
    """Raised by a checker with the hint the learner should read."""


class NotAttempted(Exception):
    """The learner's function still raises ``NotImplementedError``."""


class UnknownExerciseError(ValueError):
    """``check`` was asked for an exercise that does not exist (a usage error, so it raises)."""


@dataclass
class Exercise:
    name: str
    checker: Callable
    reference: Callable
    chapter: int
    time_limit: float
    hint_on_timeout: str


REGISTRY: dict = {}


def exercise(name, reference, chapter, time_limit=10.0, hint_on_timeout=None):
    """Register the decorated ``checker(probe)`` as the check of exercise ``name``."""
    def register(checker):
        REGISTRY[name] = Exercise(name, checker, reference, chapter, time_limit,
                                  hint_on_timeout or _DEFAULT_TIMEOUT_HINT)
        return checker
    return register


_DEFAULT_TIMEOUT_HINT = ("look for a loop that never ends: a `while` whose condition never "
                         "changes, or an index that is never advanced")


def fail(hint):
    """Stop the check with ``hint`` as the message the learner sees."""
    raise CheckFailed(hint)


def mistake(condition, hint):
    """Fail with ``hint`` when ``condition`` (a recognised wrong answer) holds."""
    if condition:
        fail(hint)


# ---------------------------------------------------------------------------------------------
# Calling the learner's code safely
# ---------------------------------------------------------------------------------------------

class _TimeLimit(BaseException):
    """Raised inside the learner's function by the alarm; a BaseException so `except Exception`
    in the learner's code cannot swallow it."""


def _call_with_time_limit(fn, args, kwargs, seconds):
    """Run ``fn(*args, **kwargs)``; raise ``TimeoutError`` after ``seconds``.

    In the main thread on Unix (a Jupyter kernel runs cells there) a timer signal interrupts the
    call itself. Elsewhere the call runs in a daemon thread that is abandoned if it overruns.
    """
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        def on_alarm(signum, frame):
            raise _TimeLimit()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return fn(*args, **kwargs)
        except _TimeLimit:
            raise TimeoutError from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    outcome = {}

    def target():
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # handed back to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _same(a, b):
    """Whether an argument still equals its copy taken before the call (arrays, lists, dicts)."""
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.shape == b.shape
                and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return True  # scalars and other objects cannot be changed in place here


def _describe(value):
    """A short description of a value for messages: type and shape, never the full contents."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (bool, int, float, np.number)):
        return f"the number {value!r}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"an object of type {type(value).__name__}"


def _unfinished_helper(fn, exc):
    """Name of another function whose stub raised ``exc`` inside the learner's ``fn``, if any.

    A stub that raises in ``fn`` itself means "not attempted"; one raised deeper, in a function
    ``fn`` calls (say an earlier exercise), means ``fn`` was written but depends on an unfinished one.
    """
    code = getattr(fn, "__code__", None)
    if code is None:  # a class or builtin: its own methods count as itself
        return None
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code)
        tb = tb.tb_next
    if code not in frames or frames[-1] is code:
        return None
    return frames[-1].co_name


class Probe:
    """The learner's callable, wrapped for checking.

    ``probe(*args)`` calls it on deep copies' originals, under the exercise's time limit, and turns
    every way it can go wrong into ``CheckFailed`` with a plain-words diagnosis (or
    ``NotAttempted``). It also fails when the call changes one of its input arguments.
    """

    def __init__(self, fn, exercise):
        self.fn = fn
        self.name = exercise.name
        self.exercise = exercise

    def _argument_names(self, args, kwargs):
        try:
            bound = inspect.signature(self.fn).bind(*args, **kwargs)
            return list(bound.arguments)
        except (TypeError, ValueError):
            return [f"argument {i + 1}" for i in range(len(args))] + list(kwargs)

    def __call__(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def call(self, *args, allow_warnings=False, **kwargs):
        """Call the learner's function; return its output or fail with a diagnosis.

        Numerical warnings (overflow, division by zero, invalid value) raised during the call fail
        the check unless ``allow_warnings`` is true, because a learner's notebook would show them.
        """
        before = copy.deepcopy((args, kwargs))
        with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", divide="warn", invalid="warn"):
            warnings.simplefilter("always")
            try:
                out = _call_with_time_limit(self.fn, args, kwargs, self.exercise.time_limit)
            except NotImplementedError as exc:
                unfinished = _unfinished_helper(self.fn, exc)
                if unfinished is None:
                    raise NotAttempted() from None
                fail(f"`{self.name}` calls `{unfinished}`, which is not written yet (it still "
                     f"raises NotImplementedError). Finish `{unfinished}` first, or compute that "
                     "part directly.")
            except TimeoutError:
                fail(f"`{self.name}` did not finish within {self.exercise.time_limit:g} seconds "
                     f"on a small input: {self.exercise.hint_on_timeout}.")
            except RecursionError:
                fail(f"`{self.name}` calls itself without end (RecursionError). Does it call "
                     "itself, or a name that now refers to itself?")
            except Exception as exc:  # any error in the learner's code becomes a diagnosis
                where = ", ".join(f"{n} = {_describe(v)}" for n, v in
                                  zip(self._argument_names(args, kwargs),
                                      list(args) + list(kwargs.values())))
                fail(f"`{self.name}` raised {type(exc).__name__}: {exc} "
                     f"(it was called with {where}).")
        numeric = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if numeric and not allow_warnings:
            fail(f"`{self.name}` produced a numerical warning: \"{numeric[0].message}\". "
                 "Some operation overflowed or divided by zero; rewrite it so it stays finite.")
        names = self._argument_names(args, kwargs)
        for name, now, then in zip(names, list(args) + list(kwargs.values()),
                                   list(before[0]) + list(before[1].values())):
            if not _same(now, then):
                fail(f"`{self.name}` changed its input `{name}` in place. Work on a copy, or use "
                     "operations that return a new array (`a = a - m` rather than `a -= m`).")
        return out


# ---------------------------------------------------------------------------------------------
# Assertions on what the learner returned
# ---------------------------------------------------------------------------------------------

def _verbs(what):
    """("is", "has", "contains") or their plurals, agreeing with the head noun of ``what``
    ("Your labels are ...", "Your loss is ...", "Your scores for the example have ...")."""
    head = re.split(r" (?:for|of|in|on|from) ", what)[0].split()[-1]
    plural = head.endswith("s") and not head.endswith("ss")
    return ("are", "have", "contain") if plural else ("is", "has", "contains")


def expect_array(value, shape=None, what="the result", kind=None):
    """Fail unless ``value`` is a finite NumPy array of ``shape`` (and dtype kind, e.g. "iu", "f")."""
    is_, has, contains = _verbs(what)
    if value is None:
        fail(f"{what} {is_} None. Did you forget a `return` statement?")
    if not isinstance(value, np.ndarray):
        if isinstance(value, (list, tuple)):
            fail(f"{what} {is_} a Python {type(value).__name__}; return a NumPy array instead.")
        fail(f"{what} should be a NumPy array but {is_} {_describe(value)}.")
    if shape is not None and value.shape != tuple(shape):
        fail(f"{what} {has} shape {value.shape}, expected {tuple(shape)}.")
    if kind is not None and value.dtype.kind not in kind:
        names = {"i": "integers", "u": "integers", "f": "floats", "b": "booleans"}
        wanted = " or ".join(sorted({names.get(k, k) for k in kind}))
        fail(f"{what} {has} dtype {value.dtype}; expected {wanted}.")
    if value.dtype.kind in "fc" and not np.all(np.isfinite(value)):
        fail(f"{what} {contains} NaN or infinity. Look for a division by zero, log(0) or an "
             "overflowing exp.")
    return value


def expect_number(value, what="the result"):
    """Fail unless ``value`` is a single finite real number (Python or NumPy scalar, or 0-d array)."""
    if value is None:
        fail(f"{what} is None. Did you forget a `return` statement?")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, np.ndarray):
        fail(f"{what} should be a single number but is an array of shape {value.shape}. "
             "Did you forget to reduce (sum or mean) it?")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        fail(f"{what} should be a number but is {_describe(value)}.")
    if not np.isfinite(value):
        fail(f"{what} is {value}. Look for a division by zero, log(0) or an overflowing exp.")
    return float(value)


def close(actual, expected, rtol=1e-6, atol=1e-8):
    """Whether two numbers or arrays agree within tolerance (False on a shape mismatch)."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    return actual.shape == expected.shape and bool(np.allclose(actual, expected, rtol, atol))


# ---------------------------------------------------------------------------------------------
# The result and the entry point
# ---------------------------------------------------------------------------------------------

@dataclass
class CheckResult:
    """Outcome of one check: ``passed``, ``attempted`` and the ``messages`` for the learner."""

    exercise: str
    passed: bool
    attempted: bool
    messages: list = field(default_factory=list)

    @property
    def status(self):
        return "passed" if self.passed else ("failed" if self.attempted else "not attempted")

    def __str__(self):
        mark = {"passed": "[PASS]", "failed": "[FAIL]", "not attempted": "[TODO]"}[self.status]
        lines = [f"{mark} {self.exercise}: {self.status}"]
        lines += [f"       {m}" for m in self.messages]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        colour = {"passed": "#1a7f37", "failed": "#cf222e", "not attempted": "#9a6700"}[self.status]
        icon = {"passed": "&#10004;", "failed": "&#10008;", "not attempted": "&#9998;"}[self.status]
        items = "".join(f"<li>{html.escape(m)}</li>" for m in self.messages)
        return (f'<div class="course-check" style="border-left:4px solid {colour};'
                f'padding:0.3em 0.8em;margin:0.3em 0">'
                f'<strong style="color:{colour}">{icon} <code>{html.escape(self.exercise)}</code>'
                f': {self.status}</strong>'
                + (f'<ul style="margin:0.2em 0">{items}</ul>' if items else "") + "</div>")

    def to_json(self):
        return {"exercise": self.exercise, "passed": self.passed, "attempted": self.attempted,
                "messages": self.messages}


def known_exercises():
    """Names of all registered exercises, sorted by chapter then name."""
    return sorted(REGISTRY, key=lambda n: (REGISTRY[n].chapter, n))


def _lookup(fn, exercise_name):
    name = exercise_name or getattr(fn, "__name__", None)
    if name not in REGISTRY:
        raise UnknownExerciseError(
            f"There is no exercise called {name!r}. Pass exercise=... with one of: "
            + ", ".join(known_exercises()))
    return REGISTRY[name]


def run_check(fn, exercise=None):
    """Run the check without displaying or recording anything; returns a ``CheckResult``."""
    ex = _lookup(fn, exercise)
    if not callable(fn):
        return CheckResult(ex.name, False, True,
                           [f"check needs the function itself, but got {_describe(fn)}. "
                            f"Write check({ex.name}) without calling it."])
    try:
        ex.checker(Probe(fn, ex))
    except NotAttempted:
        return CheckResult(ex.name, False, False,
                           ["Not attempted yet: replace `raise NotImplementedError` with your code."])
    except CheckFailed as failure:
        return CheckResult(ex.name, False, True, [str(failure)])
    except Exception as exc:  # the learner returned something the checker itself could not use
        return CheckResult(ex.name, False, True,
                           [f"The check could not use what `{ex.name}` returned "
                            f"({type(exc).__name__}: {exc}). Compare its type and shape with the "
                            "exercise statement."])
    return CheckResult(ex.name, True, True, ["All tests passed."])


def _in_ipython():
    return "IPython" in sys.modules and getattr(sys.modules["IPython"], "get_ipython", lambda: None)() is not None


def check(fn, exercise=None):
    """Check a learner's function (or class) against its exercise and report in plain words.

    The exercise is found by ``fn.__name__`` unless ``exercise`` names it. Returns a
    ``CheckResult``; as the last line of a notebook cell it shows as a short report, and outside
    IPython the report is printed. Never raises because of the learner's code; an unknown
    exercise name raises ``UnknownExerciseError`` listing the known ones.
    """
    result = run_check(fn, exercise)
    report = os.environ.get(REPORT_ENV)
    if report:
        with open(report, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(result.to_json()) + "\n")
    if not _in_ipython():
        print(result)
    return result


def use_or_reference(fn, exercise=None):
    """Return the learner's ``fn`` if it passes its check, else the reference, saying so.

    Cells that build on an earlier exercise call this, so an unfinished exercise never breaks the
    rest of the notebook.
    """
    ex = _lookup(fn, exercise)
    result = run_check(fn, exercise)
    if result.passed:
        return fn
    reason = "is not written yet" if not result.attempted else "does not pass its check yet"
    print(f"Note: your `{ex.name}` {reason}, so the cells below use the course's reference "
          f"implementation (utils.reference.{ex.name}) instead.")
    return ex.reference
