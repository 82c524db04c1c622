"""The machinery of self-grading: a registry of exercises, a safe way to call a
learner's code, and the result a learner sees.

A chapter module registers one *checker* per exercise with ``@exercise(...)``. A checker
receives a ``Probe`` (the learner's function, wrapped so that calling it never raises
anything but ``CheckFailed`` or ``NotAttempted``) and calls ``fail(hint)`` at the first
problem it finds, in the order: runs? -> types and shapes -> known mistakes -> values ->
properties.
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

from utils.i18n import N_, _, translate

#: Set by ``python -m utils.grade``: every check appends its result to this file as a
#: JSON line.
REPORT_ENV = "COURSE_GRADE_REPORT"


class CheckFailed(Exception):
    """Raised by a checker with the hint the learner should read.

    A chapter decides what to add to a Probe's diagnosis from these attributes, never
    from the message text (which may be reworded):

    ``kind``
        what went wrong: one of ``FAILURE_KINDS``, or None for a checker's own finding.
    ``error``
        the original exception the learner's code raised ("raised", "exit", "recursion",
        "unfinished"), or the ``RuntimeWarning`` it issued ("warning"); else None.
    ``argument``
        for "in place" and "reshaped": the name of the input that was changed.
    """

    def __init__(self, hint, kind=None, error=None, argument=None):
        super().__init__(hint)
        self.kind = kind
        self.error = error
        self.argument = argument


#: The kinds of CheckFailed: what a Probe saw, or a checker's own finding ("mismatch":
#: the values are wrong and no known misconception explains them, so the hint can only
#: report numbers).
FAILURE_KINDS = (
    "raised",
    "warning",
    "in place",
    "reshaped",
    "timeout",
    "recursion",
    "exit",
    "unfinished",
    "mismatch",
)


class NotAttempted(Exception):
    """The learner's function still raises ``NotImplementedError``."""


class UnknownExerciseError(ValueError):
    """``check`` was asked for an exercise that does not exist (a usage error, so it
    raises)."""


@dataclass
class Exercise:
    name: str
    checker: Callable
    reference: Callable
    chapter: int
    time_limit: float
    hint_on_timeout: str
    points: float = (
        1  # what the exercise is worth when graded for a class (utils.grade --format)
    )


REGISTRY: dict = {}


def exercise(name, reference, chapter, time_limit=10.0, hint_on_timeout=None, points=1):
    """Register the decorated ``checker(probe)`` as the check of exercise ``name``,
    worth ``points``."""
    if not points > 0:
        raise ValueError(f"exercise {name!r}: points must be positive, got {points!r}")

    def register(checker):
        REGISTRY[name] = Exercise(
            name,
            checker,
            reference,
            chapter,
            time_limit,
            hint_on_timeout or _DEFAULT_TIMEOUT_HINT,
            points,
        )
        return checker

    return register


_DEFAULT_TIMEOUT_HINT = N_(
    "look for a loop that never ends: a `while` whose condition never "
    "changes, or an index that is never advanced"
)


def fail(hint, kind=None, error=None, argument=None):
    """Stop the check with ``hint`` as the message the learner sees."""
    raise CheckFailed(hint, kind, error, argument)


def differs(hint):
    """Fail because the values are wrong and no known mistake explains them (kind
    "mismatch").

    Use it only for the last-resort comparison of a checker, after its catalogue of
    mistakes: tests count these generic hints."""
    fail(hint, kind="mismatch")


def mistake(condition, hint):
    """Fail with ``hint`` when ``condition`` (a recognised wrong answer) holds."""
    if condition:
        fail(hint)


# --------------------------------------------------------------------------------------
# Calling the learner's code safely
# --------------------------------------------------------------------------------------


class _TimeLimit(BaseException):
    """Raised inside the learner's function by the alarm; a BaseException so `except
    Exception` in the learner's code cannot swallow it."""


def _call_with_time_limit(fn, args, kwargs, seconds):
    """Run ``fn(*args, **kwargs)``; raise ``TimeoutError`` after ``seconds``.

    In the main thread on Unix (a Jupyter kernel runs cells there) a timer signal
    interrupts the call itself. Elsewhere the call runs in a daemon thread that is
    abandoned if it overruns.
    """
    if (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    ):

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


# --------------------------------------------------------------------------------------
# Leaving no trace: exits, printed output and NumPy's global state
# --------------------------------------------------------------------------------------


class _ExitRequested(SystemExit):
    """Raised instead of IPython's exit()/quit() while the learner's code runs under
    a check."""


_MAX_MESSAGE = 300  # characters of an exception message shown to the learner
_PRINTED_LINES = 3  # lines of the learner's printed output shown in a report
_PRINT_BUFFER = 20_000  # characters of printed output kept (the rest is only counted)


def _shorten(text, limit=_MAX_MESSAGE):
    """``text`` on one line, cut to ``limit`` characters with a note of how much was
    left out."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return _(
        "{start}... ({count} more characters)",
        start=text[:limit],
        count=len(text) - limit,
    )


class _PrintedOutput:
    """A stand-in for sys.stdout/sys.stderr that keeps the first characters and
    counts the rest."""

    def __init__(self):
        self.kept, self.chars, self.lines = [], 0, 0

    def write(self, text):
        text = str(text)
        room = _PRINT_BUFFER - self.chars
        if room > 0:
            self.kept.append(text[:room])
        self.chars += len(text)
        self.lines += text.count("\n")
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def summary(self, name):
        """One message about what was printed, or None if nothing was."""
        if not self.chars:
            return None
        text = "".join(self.kept)
        lines = [_shorten(line, 120) for line in text.splitlines() if line.strip()][
            :_PRINTED_LINES
        ]
        count = max(self.lines, 1)
        shown = " | ".join(lines) if lines else _("(only blank lines)")
        return _(
            "While being checked, `{name}` printed {count} line{s_} ({chars} "
            "characters); the first: {shown}. The check hides them; remove the prints "
            "once the function works, since a print in a loop floods the notebook.",
            name=name,
            count=count,
            s_="s" if count != 1 else "",
            chars=self.chars,
            shown=shown,
        )


def _ipython_shell():
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get() if get is not None else None


class _LearnerSandbox:
    """Runs the learner's code so that it leaves no trace.

    * IPython's ``exit()``/``quit()`` raise ``_ExitRequested`` instead of asking the
      kernel to shut down (``shell.ask_exit`` sets ``shell.exit_now`` and writes an
      ``ask_exit`` payload that makes the front end close the kernel); any such request
      that still gets through is undone.
    * What the code prints goes to a ``_PrintedOutput`` (``capture_output=True``).
    * NumPy's error settings, print options and legacy global random state are restored.
    """

    def __init__(self, capture_output=False):
        self.capture_output = capture_output
        self.printed = _PrintedOutput() if capture_output else None
        self.global_random_changed = False

    def __enter__(self):
        self._err = np.geterr()
        self._printoptions = np.get_printoptions()
        self._random_state = np.random.get_state()
        self._shell = _ipython_shell()
        if self._shell is not None:
            shell = self._shell
            self._exit_state = (
                getattr(shell, "exit_now", False),
                getattr(shell, "keepkernel_on_exit", None),
            )
            self._own_ask_exit = shell.__dict__.get("ask_exit")

            def ask_exit(*args, **kwargs):
                raise _ExitRequested()

            try:
                shell.ask_exit = ask_exit
            except Exception:  # an unusual shell that refuses the attribute
                pass
        if self.capture_output:
            self._streams = sys.stdout, sys.stderr
            sys.stdout = sys.stderr = self.printed
        return self

    def __exit__(self, *exc_info):
        if self.capture_output:
            sys.stdout, sys.stderr = self._streams
        shell = self._shell
        if shell is not None:
            if self._own_ask_exit is None:
                shell.__dict__.pop("ask_exit", None)
            else:
                shell.ask_exit = self._own_ask_exit
            exit_now, keepkernel = self._exit_state
            try:
                if getattr(shell, "exit_now", False) != exit_now:
                    shell.exit_now = exit_now
                if hasattr(shell, "keepkernel_on_exit"):
                    shell.keepkernel_on_exit = keepkernel
                payloads = getattr(shell, "payload_manager", None)
                if payloads is not None:
                    payloads._payload = [
                        p
                        for p in payloads.read_payload()
                        if not (isinstance(p, dict) and p.get("source") == "ask_exit")
                    ]
            except Exception:  # never let the clean-up itself break a check
                pass
        np.seterr(**self._err)
        np.set_printoptions(**self._printoptions)
        now = np.random.get_state()
        self.global_random_changed = not (
            now[0] == self._random_state[0]
            and np.array_equal(now[1], self._random_state[1])
            and now[2:] == self._random_state[2:]
        )
        if self.global_random_changed:  # restoring costs as much as reading
            np.random.set_state(self._random_state)
        return False


def _same(a, b):
    """Whether an argument still equals its copy taken before the call (arrays,
    lists, dicts)."""
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        )
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return True  # scalars and other objects cannot be changed in place here


def _describe(value):
    """A short description of a value for messages: type and shape, never the full
    contents."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return _(
            "an array of shape {shape} and dtype {dtype}",
            shape=value.shape,
            dtype=value.dtype,
        )
    if isinstance(value, (bool, int, float, np.number)):
        return _("the number {value}", value=repr(value))
    if isinstance(value, (list, tuple)):
        return _(
            "a {type} of length {length}", type=type(value).__name__, length=len(value)
        )
    if inspect.isgenerator(value):
        return _(
            "a generator (a function containing `yield` returns a generator instead of "
            "a result: build the result and `return` it)"
        )
    return _("an object of type {type}", type=type(value).__name__)


#: Public name for chapters: a short description of a value (type and shape, never
#: contents).
describe = _describe


def is_single_number(value):
    """Whether ``value`` is one number: a Python or NumPy scalar or a 0-d array (not,
    say, a generator or another object that ``np.ndim`` also calls 0-dimensional)."""
    return (
        isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
    ) or (isinstance(value, np.ndarray) and value.ndim == 0)


def _unfinished_helper(fn, exc):
    """Name of another function whose stub raised ``exc`` inside the learner's ``fn``,
    if any.

    A stub that raises in ``fn`` itself means "not attempted"; one raised deeper, in a
    function ``fn`` calls (say an earlier exercise), means ``fn`` was written but
    depends on an unfinished one.
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


@dataclass
class Attempt:
    """What a quiet call did: ``finished`` (it returned), its ``value``, else the
    ``error``."""

    finished: bool
    value: object = None
    error: BaseException = None


class Probe:
    """The learner's callable, wrapped for checking.

    ``probe(*args)`` calls it on deep copies' originals, under the exercise's time
    limit, and turns every way it can go wrong into ``CheckFailed`` with a plain-words
    diagnosis (or ``NotAttempted``). It also fails when the call changes one of its
    input arguments.

    Options a chapter may need, so that it never has to swap ``fn`` or edit attributes:

    * ``label``: how messages name the callable, e.g. "net.loss" or "Value(2) * 3"
      (messages put it in backticks); default the exercise's name.
      ``probe.labelled(label, fn)`` wraps another callable of the same exercise (a
      method of the learner's object) with its own label.
    * ``probe.call(..., may_change=("config",))``: arguments (names or positions) the
      function is meant to change in place; the others must stay as they were.
    * ``probe.quietly(*args)``: call it only to look at what it does to its arguments;
      returns an ``Attempt`` and never fails (errors, warnings and prints are left for a
      proper call).
    * ``probe.expression(text, thunk)``: evaluate ``thunk()`` (an operator expression on
      the learner's objects, e.g. ``lambda: a * b``) with every protection, named
      ``text``.
    """

    def __init__(self, fn, exercise, label=None):
        self.fn = fn
        self.global_random_changed = False
        self.name = label or exercise.name
        self.exercise = exercise

    def labelled(self, label, fn=None):
        """A Probe of the same exercise around ``fn`` (default: this one's), named
        ``label``."""
        return Probe(self.fn if fn is None else fn, self.exercise, label)

    def expression(self, text, thunk, allow_warnings=False):
        """Evaluate ``thunk()`` (e.g. ``lambda: a * b`` on the learner's objects) like a
        call, naming it ``text`` in every message; return its value."""
        return self.labelled(text, thunk).call(allow_warnings=allow_warnings)

    def quietly(self, *args, **kwargs):
        """Call the function only to see what it does (say, to its arguments): no
        diagnosis, no warnings, no prints. Returns an ``Attempt``; Ctrl-C still stops
        the check."""
        try:
            with (
                warnings.catch_warnings(),
                np.errstate(all="ignore"),
                _LearnerSandbox(capture_output=True),
            ):
                warnings.simplefilter("ignore")
                value = _call_with_time_limit(
                    self.fn, args, kwargs, self.exercise.time_limit
                )
            return Attempt(True, value)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - a proper call diagnoses it
            return Attempt(False, error=exc)

    def _argument_names(self, args, kwargs):
        try:
            bound = inspect.signature(self.fn).bind(*args, **kwargs)
            return list(bound.arguments)
        except (TypeError, ValueError):
            return [
                _("argument {number}", number=i + 1) for i in range(len(args))
            ] + list(kwargs)

    def __call__(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def call(self, *args, allow_warnings=False, may_change=(), **kwargs):
        """Call the learner's function; return its output or fail with a diagnosis.

        Numerical warnings (overflow, division by zero, invalid value) raised during the
        call fail the check unless ``allow_warnings`` is true, because a learner's
        notebook would show them. Arguments named (or numbered from 0) in ``may_change``
        may be changed in place. NumPy's global state is restored after the call;
        ``self.global_random_changed`` says whether the call drew from (or reseeded)
        NumPy's legacy global generator.
        """
        before = copy.deepcopy((args, kwargs))
        sandbox = _LearnerSandbox()
        with (
            warnings.catch_warnings(record=True) as caught,
            np.errstate(over="warn", divide="warn", invalid="warn"),
        ):
            warnings.simplefilter("always")
            try:
                with sandbox:
                    out = _call_with_time_limit(
                        self.fn, args, kwargs, self.exercise.time_limit
                    )
            except NotImplementedError as exc:
                unfinished = _unfinished_helper(self.fn, exc)
                if unfinished is None:
                    raise NotAttempted() from None
                fail(
                    _(
                        "`{name}` calls `{unfinished}`, which is not written yet (it "
                        "still raises NotImplementedError). Finish `{unfinished}` "
                        "first, or compute that part directly.",
                        name=self.name,
                        unfinished=unfinished,
                    ),
                    kind="unfinished",
                    error=exc,
                )
            except TimeoutError:
                printed = _PRINTING.printed if _PRINTING is not None else None
                if printed is not None and printed.lines > 1000:
                    fail(
                        _(
                            "`{name}` did not finish within {seconds} seconds on a "
                            "small input, and it printed {lines} lines on the way: "
                            "printing is slow. Remove the print calls (or print far "
                            "less often).",
                            name=self.name,
                            seconds=f"{self.exercise.time_limit:g}",
                            lines=printed.lines,
                        ),
                        kind="timeout",
                    )
                fail(
                    _(
                        "`{name}` did not finish within {seconds} seconds on a small "
                        "input: {hint}.",
                        name=self.name,
                        seconds=f"{self.exercise.time_limit:g}",
                        hint=translate(self.exercise.hint_on_timeout),
                    ),
                    kind="timeout",
                )
            except RecursionError as exc:
                fail(
                    _(
                        "`{name}` calls itself without end (RecursionError). Does it "
                        "call itself, or a name that now refers to itself?",
                        name=self.name,
                    ),
                    kind="recursion",
                    error=exc,
                )
            except KeyboardInterrupt:
                # the learner pressed Ctrl-C (or the grader interrupted): stop the cell
                raise
            except SystemExit as exc:
                fail(_exit_message(self.name, exc), kind="exit", error=exc)
            except (
                Exception
            ) as exc:  # any error in the learner's code becomes a diagnosis
                where = ", ".join(
                    f"{n} = {_describe(v)}"
                    for n, v in zip(
                        self._argument_names(args, kwargs),
                        list(args) + list(kwargs.values()),
                    )
                )
                called = (
                    _(" (it was called with {where})", where=where) if where else ""
                )
                fail(
                    _(
                        "`{name}` raised {error}: {message}{called}.",
                        name=self.name,
                        error=type(exc).__name__,
                        message=_shorten(exc),
                        called=called,
                    ),
                    kind="raised",
                    error=exc,
                )
            except (
                BaseException
            ) as exc:  # GeneratorExit and other BaseExceptions raised by hand
                fail(
                    _(
                        "`{name}` raised {error}{message}. Only errors derived from "
                        "Exception are meant to be raised by a function; return the "
                        "result instead.",
                        name=self.name,
                        error=type(exc).__name__,
                        message=f": {_shorten(exc)}" if str(exc) else "",
                    ),
                    kind="raised",
                    error=exc,
                )
        self.global_random_changed = sandbox.global_random_changed
        numeric = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if numeric and not allow_warnings:
            fail(
                _(
                    '`{name}` produced a numerical warning: "{warning}". Some '
                    "operation "
                    "overflowed or divided by zero; rewrite it so it stays finite.",
                    name=self.name,
                    warning=_shorten(numeric[0].message),
                ),
                kind="warning",
                error=numeric[0].message,
            )
        names = self._argument_names(args, kwargs)
        for position, (name, now, then) in enumerate(
            zip(
                names,
                list(args) + list(kwargs.values()),
                list(before[0]) + list(before[1].values()),
            )
        ):
            if name in may_change or position in may_change:
                continue
            if (
                isinstance(now, np.ndarray)
                and isinstance(then, np.ndarray)
                and now.shape != then.shape
            ):
                fail(
                    _(
                        "`{name}` changed the shape of its input `{argument}` in place "
                        "(from {before} to {after}): `{argument}.shape = ...` or "
                        "`{argument}.resize(...)` reshapes the caller's own array. "
                        "Use a new name for the reshaped view, e.g. `{argument}_flat "
                        "= {argument}.reshape({argument}.shape[0], -1)`.",
                        name=self.name,
                        argument=name,
                        before=then.shape,
                        after=now.shape,
                    ),
                    kind="reshaped",
                    argument=name,
                )
            if not _same(now, then):
                fail(
                    _(
                        "`{name}` changed its input `{argument}` in place. Work on a "
                        "copy, or use operations that return a new array (`a = a - m` "
                        "rather than `a -= m`).",
                        name=self.name,
                        argument=name,
                    ),
                    kind="in place",
                    argument=name,
                )
        return out


def _exit_message(name, exc):
    how = (
        _("exit() or quit()")
        if isinstance(exc, _ExitRequested)
        else f"sys.exit({'' if exc.code is None else repr(exc.code)})"
    )
    return _(
        "`{name}` called {how}, which stops Python itself (in Jupyter it shuts down "
        "the kernel). The check stopped it, so your kernel keeps running. A function "
        "should `return` its result, or raise an error such as ValueError for bad "
        "input.",
        name=name,
        how=how,
    )


#: The sandbox of the check that is running (its printed output is shown in the report).
_PRINTING = None


# --------------------------------------------------------------------------------------
# Assertions on what the learner returned
# --------------------------------------------------------------------------------------


def _verbs(what):
    """("is", "has", "contains") or their plurals, agreeing with the head noun of
    ``what`` ("Your labels are ...", "Your loss is ...", "Your scores for the example
    have ...")."""
    head = re.split(r" (?:for|of|in|on|from) ", what)[0].split()[-1]
    plural = head.endswith("s") and not head.endswith("ss")
    return ("are", "have", "contain") if plural else ("is", "has", "contains")


_THE_RESULT = N_("the result")
_DTYPE_NAMES = {
    "i": N_("integers"),
    "u": N_("integers"),
    "f": N_("floats"),
    "b": N_("booleans"),
}


def expect_array(value, shape=None, what=_THE_RESULT, kind=None):
    """Fail unless ``value`` is a finite NumPy array of ``shape`` (and dtype kind, e.g.
    "iu", "f").

    ``what`` names the value in messages ("Your scores"; a chapter passes it through
    ``_``)."""
    is_, has_, contains_ = _verbs(what)
    what = translate(what)
    if value is None:
        fail(
            _(
                "{what} {is_} None. Did you forget a `return` statement?",
                what=what,
                is_=is_,
            )
        )
    if not isinstance(value, np.ndarray):
        if isinstance(value, (list, tuple)):
            fail(
                _(
                    "{what} {is_} a Python {type}; return a NumPy array instead.",
                    what=what,
                    is_=is_,
                    type=type(value).__name__,
                )
            )
        fail(
            _(
                "{what} should be a NumPy array but {is_} {value}.",
                what=what,
                is_=is_,
                value=_describe(value),
            )
        )
    if shape is not None and value.shape != tuple(shape):
        if len(shape) == 2 and value.shape == tuple(shape)[::-1]:
            fail(
                _(
                    "{what} {has_} shape {shape}, expected {expected}: rows and "
                    "columns are swapped (a transpose too many, a product in the "
                    "wrong order, or a sum over the wrong axis).",
                    what=what,
                    has_=has_,
                    shape=value.shape,
                    expected=tuple(shape),
                )
            )
        fail(
            _(
                "{what} {has_} shape {shape}, expected {expected}.",
                what=what,
                has_=has_,
                shape=value.shape,
                expected=tuple(shape),
            )
        )
    if kind is not None and value.dtype.kind not in kind:
        wanted = _(" or ").join(
            sorted({translate(_DTYPE_NAMES.get(k, k)) for k in kind})
        )
        fail(
            _(
                "{what} {has_} dtype {dtype}; expected {wanted}.",
                what=what,
                has_=has_,
                dtype=value.dtype,
                wanted=wanted,
            )
        )
    if value.dtype.kind in "fc" and not np.all(np.isfinite(value)):
        fail(
            _(
                "{what} {contains_} NaN or infinity. Look for a division by zero, "
                "log(0) or an overflowing exp.",
                what=what,
                contains_=contains_,
            )
        )
    return value


#: How many values a function should return, spelled out in messages.
_COUNTS = {2: N_("two"), 3: N_("three")}


def expect_values(out, what, names):
    """``out`` as a tuple of as many values as ``names`` lists (``"loss, dW"``: two),
    or a failure that says what came back instead. A list of that length unpacks the
    same, so it passes too. ``what`` names the function in the messages."""
    count = len(names.split(","))
    if out is None:
        fail(
            _(
                "`{what}` returned None. Did you forget `return {names}`?",
                what=what,
                names=names,
            )
        )
    if not (isinstance(out, (tuple, list)) and len(out) == count):
        fail(
            _(
                "`{what}` should return {count} values, `return {names}`, but returned "
                "{kind}.",
                what=what,
                count=translate(_COUNTS[count]) if count in _COUNTS else count,
                names=names,
                kind=_describe(out),
            )
        )
    return tuple(out)


def expect_loss_and_grads(out, params, names):
    """What a network's ``loss(X, y)`` returned, checked: a pair ``(loss, grads)`` whose
    loss is one finite number and whose ``grads`` dict has, for each name in ``names``,
    an array shaped like ``params[name]``. Returns ``(loss, grads)``."""
    value, grads = expect_values(out, "loss(X, y)", "loss, grads")
    value = expect_number(value, what=_("The loss"))
    if not isinstance(grads, dict):
        fail(
            _(
                "grads should be a dict keyed like params, not {type}.",
                type=type(grads).__name__,
            )
        )
    for k in names:
        if k not in grads:
            fail(
                _(
                    "grads has no entry '{name}': return a gradient for every "
                    "parameter.",
                    name=k,
                )
            )
        expect_array(grads[k], shape=params[k].shape, what=f"grads['{k}']")
    return value, grads


def expect_number(value, what=_THE_RESULT):
    """Fail unless ``value`` is a single finite real number (Python or NumPy scalar,
    or 0-d array)."""
    what = translate(what)
    if value is None:
        fail(_("{what} is None. Did you forget a `return` statement?", what=what))
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, np.ndarray):
        fail(
            _(
                "{what} should be a single number but is an array of shape {shape}. "
                "Did you forget to reduce (sum or mean) it?",
                what=what,
                shape=value.shape,
            )
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.number)
    ):
        fail(
            _(
                "{what} should be a number but is {value}.",
                what=what,
                value=_describe(value),
            )
        )
    if not np.isfinite(value):
        fail(
            _(
                "{what} is {value}. Look for a division by zero, log(0) or an "
                "overflowing exp.",
                what=what,
                value=value,
            )
        )
    return float(value)


def close(actual, expected, rtol=1e-6, atol=1e-8):
    """Whether two numbers or arrays agree within tolerance (False on a shape
    mismatch)."""
    actual, expected = (
        np.asarray(actual, dtype=float),
        np.asarray(expected, dtype=float),
    )
    return actual.shape == expected.shape and bool(
        np.allclose(actual, expected, rtol, atol)
    )


def call_with_advice(call, *args, advise, **kwargs):
    """``call(*args, **kwargs)``; if the learner's code raised an error,
    ``advise(error)`` (a sentence, or None) is added to the Probe's diagnosis, so a raw
    NumPy error ("operands could not be broadcast together ...") comes with what
    probably caused it."""
    try:
        return call(*args, **kwargs)
    except CheckFailed as failure:
        extra = advise(failure.error) if failure.kind == "raised" else None
        if extra:
            fail(_("{diagnosis} {advice}", diagnosis=failure, advice=extra))
        raise


# --------------------------------------------------------------------------------------
# Catalogues of wrong answers
# --------------------------------------------------------------------------------------


class AnyOf:
    """Several wrong values that share one hint (say, a penalty with 0.5 * reg, reg
    or 1)."""

    def __init__(self, *values):
        self.values = values


def _close_wrong(out, wrong):
    return close(out, wrong, rtol=1e-7, atol=1e-9)


class Catalogue:
    """A table of classic wrong answers of one exercise, each with the hint that names
    its misconception, recognised by comparing the learner's output with what the wrong
    code returns.

    ``build(*inputs)`` returns a list of ``(wrong_value, hint)`` for the inputs the
    checker used; a ``wrong_value`` may be ``AnyOf(...)``. ``inputs()`` returns the
    argument tuples the checker matches against (``tests/test_checks_core.py`` verifies
    on each of them that no wrong answer equals the right one, ``right(*inputs)``, and
    that no two hints coincide). ``compare(out, wrong)`` says whether an output equals a
    wrong answer.
    """

    def __init__(
        self, exercise, build, inputs, right=None, compare=_close_wrong, scale=None
    ):
        self.exercise, self.build, self.inputs = exercise, build, inputs
        self._right, self.compare, self.scale = right, compare, scale
        self.label = build.__name__

    def entries(self, *inputs):
        """The (wrong_value, hint) pairs for ``inputs`` (a wrong formula may warn or
        divide by zero on some inputs; that is expected, so warnings are silenced
        here)."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return list(self.build(*inputs))

    def right(self, *inputs):
        """The right answer on ``inputs``: ``right(*inputs)``, by default the
        exercise's reference."""
        if self._right is not None:
            return self._right(*inputs)
        return REGISTRY[self.exercise].reference(*inputs)

    def candidates(self, *inputs):
        """Every (wrong_value, hint) recognised on ``inputs``: the entries, then, if the
        catalogue has a ``scale(*inputs) -> (factor, note)``, each entry times
        ``factor`` (say, summed instead of averaged over N examples) with ``note`` added
        to its hint."""
        entries = self.entries(*inputs)
        scaled = self.scale(*inputs) if self.scale is not None else None
        if scaled is None:
            return entries
        factor, note = scaled
        right = self.right(*inputs)
        extra = []
        for value, hint in entries:
            # a scaled wrong answer can be the right one (averaged twice, then summed):
            # skip it
            values = [
                v
                for v in _scale(value, factor).values
                if not _safe_compare(self.compare, right, v)
            ]
            if values:
                extra.append(
                    (
                        AnyOf(*values) if len(values) > 1 else values[0],
                        _("{hint} {note}", hint=hint, note=note),
                    )
                )
        return entries + extra

    def find(self, out, *inputs):
        """The hint of the first wrong answer ``out`` equals, or None."""
        for value, hint in self.candidates(*inputs):
            values = value.values if isinstance(value, AnyOf) else (value,)
            if any(_safe_compare(self.compare, out, v) for v in values):
                return hint
        return None

    def match(self, out, *inputs):
        """Fail with the hint of the first wrong answer ``out`` equals (see
        ``find``)."""
        hint = self.find(out, *inputs)
        if hint is not None:
            fail(hint)


def _scale(value, factor):
    """``value`` (or each of an AnyOf's values) times ``factor``, as an AnyOf."""
    values = value.values if isinstance(value, AnyOf) else (value,)
    return AnyOf(*(factor * np.asarray(v, dtype=float) for v in values))


def _safe_compare(compare, out, wrong):
    try:
        with np.errstate(all="ignore"):
            return bool(compare(out, wrong))
    except (
        TypeError,
        ValueError,
    ):  # a wrong answer of another shape or type cannot match
        return False


#: Every exercise's catalogues, by exercise name (filled by ``catalogue``).
CATALOGUES: dict = {}


def catalogue(exercise, inputs, right=None, compare=None, scale=None):
    """Register the decorated ``build(*inputs) -> [(wrong_value, hint), ...]`` as a
    catalogue of wrong answers of ``exercise``; returns the ``Catalogue`` (use its
    ``match``). See ``Catalogue`` for ``inputs``, ``right``, ``compare`` and
    ``scale``."""

    def register(build):
        table = Catalogue(
            exercise, build, inputs, right, compare or _close_wrong, scale
        )
        CATALOGUES.setdefault(exercise, []).append(table)
        return table

    return register


# --------------------------------------------------------------------------------------
# The result and the entry point
# --------------------------------------------------------------------------------------

#: The statuses as the learner reads them (translated by ``CheckResult.status_text``).
_STATUS_WORDS = (N_("passed"), N_("failed"), N_("not attempted"))


@dataclass
class CheckResult:
    """Outcome of one check: ``passed``, ``attempted`` and the ``messages`` for the
    learner; ``kind`` is the failure's kind (see ``CheckFailed``), None when it passed
    or was a checker's own named finding."""

    exercise: str
    passed: bool
    attempted: bool
    messages: list = field(default_factory=list)
    kind: str = None

    @property
    def status(self):
        return (
            "passed"
            if self.passed
            else ("failed" if self.attempted else "not attempted")
        )

    @property
    def status_text(self):
        """The status in the learner's language (``status`` itself is the grader's
        key)."""
        return translate(self.status)

    def __str__(self):
        mark = {"passed": "[PASS]", "failed": "[FAIL]", "not attempted": "[TODO]"}[
            self.status
        ]
        lines = [f"{mark} {self.exercise}: {self.status_text}"]
        lines += [f"       {m}" for m in self.messages]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        colour = {"passed": "#1a7f37", "failed": "#cf222e", "not attempted": "#9a6700"}[
            self.status
        ]
        icon = {"passed": "&#10004;", "failed": "&#10008;", "not attempted": "&#9998;"}[
            self.status
        ]
        items = "".join(f"<li>{_html_with_code(m)}</li>" for m in self.messages)
        return (
            f'<div class="course-check" style="border-left:4px solid {colour};'
            f'padding:0.3em 0.8em;margin:0.3em 0">'
            f'<strong style="color:{colour}">{icon} '
            f"<code>{html.escape(self.exercise)}</code>"
            f": {html.escape(self.status_text)}</strong>"
            + (f'<ul style="margin:0.2em 0">{items}</ul>' if items else "")
            + "</div>"
        )

    def to_json(self):
        return {
            "exercise": self.exercise,
            "passed": self.passed,
            "attempted": self.attempted,
            "messages": self.messages,
        }


def _html_with_code(message):
    """A message as HTML, its Markdown code spans (`like this`) shown as code."""
    parts = html.escape(message).split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: show the text as it is
        return html.escape(message)
    return "".join(
        f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts)
    )


def known_exercises():
    """Names of all registered exercises, sorted by chapter then name."""
    return sorted(REGISTRY, key=lambda n: (REGISTRY[n].chapter, n))


def _lookup(fn, exercise_name):
    if exercise_name is None and isinstance(fn, str):
        raise UnknownExerciseError(
            _(
                "check needs the function itself, not its name in quotes: write "
                "check({name}) rather than check({quoted}).",
                name=fn,
                quoted=repr(fn),
            )
        )
    if exercise_name is None and not callable(fn):
        raise UnknownExerciseError(
            _(
                "check needs the function itself, but got {value}: write "
                "check(accuracy), the function's name without calling it, not "
                "check(accuracy(...)).",
                value=_describe(fn),
            )
        )
    name = exercise_name or getattr(fn, "__name__", None)
    if name not in REGISTRY:
        raise UnknownExerciseError(
            _(
                "There is no exercise called {name}. Pass exercise=... with one of: "
                "{known}",
                name=repr(name),
                known=", ".join(known_exercises()),
            )
        )
    return REGISTRY[name]


def run_check(fn, exercise=None):
    """Run the check without displaying or recording anything; returns a
    ``CheckResult``.

    Nothing the learner's code raises escapes (except ``KeyboardInterrupt``, so Ctrl-C
    still stops the cell), what it prints is captured and summarised in the report, and
    NumPy's global state is left as it was.
    """
    global _PRINTING
    ex = _lookup(fn, exercise)
    if not callable(fn):
        return CheckResult(
            ex.name,
            False,
            True,
            [
                _(
                    "check needs the function itself, but got {value}. Write "
                    "check({name}) without calling it.",
                    value=_describe(fn),
                    name=ex.name,
                )
            ],
        )
    outer, sandbox = _PRINTING, _LearnerSandbox(capture_output=True)
    _PRINTING = sandbox
    try:
        with sandbox:
            result = _run_checker(ex, fn)
    finally:
        _PRINTING = outer
    note = sandbox.printed.summary(ex.name)
    if note is not None:
        result.messages.append(note)
    return result


def _run_checker(ex, fn):
    try:
        ex.checker(Probe(fn, ex))
    except NotAttempted:
        return CheckResult(
            ex.name,
            False,
            False,
            [
                _(
                    "Not attempted yet: replace `raise NotImplementedError` with "
                    "your code."
                )
            ],
        )
    except CheckFailed as failure:
        return CheckResult(ex.name, False, True, [str(failure)], kind=failure.kind)
    except KeyboardInterrupt:
        raise
    except (
        SystemExit
    ) as exc:  # learner code the checker ran outside a Probe (e.g. a method)
        return CheckResult(ex.name, False, True, [_exit_message(ex.name, exc)])
    except (
        BaseException
    ) as exc:  # the learner returned something the checker could not use
        return CheckResult(
            ex.name,
            False,
            True,
            [
                _(
                    "The check could not use what `{name}` returned ({error}: "
                    "{message}). Compare its type and shape with the exercise "
                    "statement.",
                    name=ex.name,
                    error=type(exc).__name__,
                    message=_shorten(exc),
                )
            ],
        )
    return CheckResult(ex.name, True, True, [_("All tests passed.")])


def _in_ipython():
    return (
        "IPython" in sys.modules
        and getattr(sys.modules["IPython"], "get_ipython", lambda: None)() is not None
    )


def check(fn, exercise=None):
    """Check a learner's function (or class) against its exercise and report in plain
    words.

    The exercise is found by ``fn.__name__`` unless ``exercise`` names it. Returns a
    ``CheckResult``; as the last line of a notebook cell it shows as a short report, and
    outside IPython the report is printed. Never raises because of the learner's code;
    an unknown exercise name raises ``UnknownExerciseError`` listing the known ones.
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
    """Return the learner's ``fn`` if it passes its check, else the reference, saying
    so.

    Cells that build on an earlier exercise call this, so an unfinished exercise never
    breaks the rest of the notebook.
    """
    ex = _lookup(fn, exercise)
    result = run_check(fn, exercise)
    if result.passed:
        return fn
    if result.attempted:
        print(
            _(
                "Note: your `{name}` does not pass its check yet, so the cells below "
                "use the course's reference implementation (utils.reference.{name}) "
                "instead.",
                name=ex.name,
            )
        )
    else:
        print(
            _(
                "Note: your `{name}` is not written yet, so the cells below use the "
                "course's reference implementation (utils.reference.{name}) instead.",
                name=ex.name,
            )
        )
    return ex.reference
