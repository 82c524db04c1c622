"""The check machinery: it never crashes on a learner's code and always says what
went wrong."""

import json

import numpy as np
import pytest

from tests.helpers import assert_rejected
from utils import reference
from utils.checks import (
    UnknownExerciseError,
    check,
    known_exercises,
    run_check,
    use_or_reference,
)
from utils.checks.core import REPORT_ENV


@pytest.mark.parametrize("name", known_exercises())
def test_every_exercise_has_a_reference_that_passes(name):
    result = run_check(getattr(reference, name), exercise=name)
    assert result.passed, result.messages


@pytest.mark.parametrize("name", known_exercises())
def test_every_exercise_reports_a_stub_as_not_attempted(name):
    def stub(*args, **kwargs):
        raise NotImplementedError

    result = run_check(stub, exercise=name)
    assert (result.attempted, result.passed) == (False, False), result.messages


def test_stub_is_not_attempted():
    def linear_scores(X, W, b):
        raise NotImplementedError

    result = run_check(linear_scores)
    assert (result.passed, result.attempted) == (False, False)
    assert "not attempted" in str(result)


def test_calling_an_unfinished_exercise_is_not_mistaken_for_not_attempted():
    def predict_labels(scores):
        raise NotImplementedError

    def accuracy(y_pred, y_true):
        return float(np.mean(predict_labels(y_pred[:, None]) == y_true))

    result = run_check(accuracy)
    assert result.attempted and not result.passed
    assert "calls `predict_labels`, which is not written yet" in result.messages[0]


def test_exception_in_learner_code_is_diagnosed_not_raised():
    def linear_scores(X, W, b):
        return X @ W + b[:-1]  # shapes do not broadcast: ValueError

    assert_rejected(run_check(linear_scores), "raised ValueError")
    assert "X = an array of shape (4, 4)" in run_check(linear_scores).messages[0]


@pytest.mark.parametrize(
    "returned, fragment",
    [
        (lambda X, W: None, "forget a `return`"),
        (lambda X, W: [[1.0]], "python list"),
        (lambda X, W: "scores", "should be a numpy array"),
        (lambda X, W: np.full((X.shape[0], W.shape[1]), np.nan), "nan"),
        (lambda X, W: np.zeros((3, 5, 1)), "shape"),
    ],
)
def test_bad_return_values_are_diagnosed(returned, fragment):
    def linear_scores(X, W, b):
        return returned(X, W)

    assert_rejected(run_check(linear_scores), fragment)


def center_data_in_place(X_train, X_test):
    X_train -= X_train.mean(axis=0)
    return X_train, X_test - X_train.mean(axis=0)


def linear_scores_with_log_zero(X, W, b):
    return X @ W + b + np.log(np.zeros(1)) * 0  # log(0) warns


def accuracy_calling_itself(y_pred, y_true):
    return accuracy_calling_itself(y_pred, y_true)


# What the Probe and the shared assertions diagnose: (exercise, learner code, hint
# fragment)
DIAGNOSED = [
    ("accuracy", lambda p, t: p == t, "single number"),
    ("accuracy", lambda p, t: True, "should be a number"),
    ("center_data", center_data_in_place, "changed its input `X_train` in place"),
    ("linear_scores", linear_scores_with_log_zero, "numerical warning"),
    ("accuracy", accuracy_calling_itself, "calls itself"),
]


@pytest.mark.parametrize(
    "name, wrong, hint", DIAGNOSED, ids=[f"{n}-{h}" for n, _, h in DIAGNOSED]
)
def test_diagnosed(name, wrong, hint):
    assert_rejected(run_check(wrong, exercise=name), hint)


def test_function_that_never_returns_is_stopped(short_time_limit):
    short_time_limit("predict_labels", 0.2)

    def predict_labels(scores):
        i = 0
        while i < 10:
            pass
        return i

    result = run_check(predict_labels)
    assert_rejected(result, "did not finish within 0.2 seconds")
    assert "loop" in result.messages[0]


def test_time_limit_also_works_outside_the_main_thread(short_time_limit):
    import threading

    short_time_limit("predict_labels", 0.3)
    results = []
    # A thread cannot be killed: the check abandons the runaway call, so the test ends
    # the loop itself afterwards (else it would burn a core for the rest of the test
    # session).
    stop = threading.Event()

    def predict_labels(scores):
        while not stop.is_set():
            pass

    worker = threading.Thread(target=lambda: results.append(run_check(predict_labels)))
    worker.start()
    try:
        worker.join(5)
        assert results and "did not finish" in results[0].messages[0]
    finally:
        stop.set()


def test_checker_crash_on_weird_output_becomes_a_message():
    class Tuple3(tuple):
        """Looks like the expected 2-tuple to isinstance but breaks indexing."""

        def __len__(self):
            return 2

        def __getitem__(self, i):
            raise KeyError(i)

    result = run_check(lambda X, W, b: Tuple3(), exercise="bias_trick")
    assert result.attempted and not result.passed
    assert "could not use what `bias_trick` returned" in result.messages[0]


def test_unknown_exercise_lists_known_names():
    def not_an_exercise():
        pass

    with pytest.raises(UnknownExerciseError, match="linear_scores"):
        check(not_an_exercise)


def test_passing_a_call_instead_of_the_function():
    result = run_check(np.zeros((5, 3)), exercise="linear_scores")
    assert not result.passed and "without calling it" in result.messages[0]


def test_check_prints_a_text_report_outside_ipython(capsys):
    result = check(reference.linear_scores, exercise="linear_scores")
    assert result.passed
    assert "[PASS] linear_scores: passed" in capsys.readouterr().out


def test_html_report_escapes_messages():
    result = run_check(lambda X, W, b: "<b>", exercise="linear_scores")
    assert "<b>" not in result._repr_html_() and "&lt;b&gt;" not in result.exercise


def test_check_appends_to_the_grade_report(tmp_path, monkeypatch):
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv(REPORT_ENV, str(report))
    check(reference.accuracy, exercise="accuracy")
    entry = json.loads(report.read_text().splitlines()[-1])
    assert entry == {
        "exercise": "accuracy",
        "passed": True,
        "attempted": True,
        "messages": ["All tests passed."],
    }


def test_use_or_reference_keeps_a_passing_function(capsys):
    def accuracy(y_pred, y_true):
        return float(np.mean(y_pred == y_true))

    assert use_or_reference(accuracy) is accuracy
    assert capsys.readouterr().out == ""


def test_use_or_reference_falls_back_and_says_so(capsys):
    def accuracy(y_pred, y_true):
        raise NotImplementedError

    assert use_or_reference(accuracy) is reference.accuracy
    assert "not written yet" in capsys.readouterr().out

    def accuracy(y_pred, y_true):  # noqa: F811  (a wrong attempt)
        return 5

    assert use_or_reference(accuracy) is reference.accuracy
    assert "does not pass its check" in capsys.readouterr().out


# --------------------------------------------------------------------------------------
# Nothing the learner's code raises escapes; it leaves no trace
# --------------------------------------------------------------------------------------


def test_sys_exit_in_learner_code_is_diagnosed_not_raised():
    import sys

    def accuracy(y_pred, y_true):
        sys.exit("bye")

    assert_rejected(run_check(accuracy), "called sys.exit('bye')")
    assert "kernel keeps running" in run_check(accuracy).messages[0]


def test_exit_inside_use_or_reference_falls_back(capsys):
    import sys

    def accuracy(y_pred, y_true):
        sys.exit()

    assert use_or_reference(accuracy) is reference.accuracy
    assert "does not pass its check" in capsys.readouterr().out


@pytest.mark.parametrize("error", [GeneratorExit, BaseException])
def test_other_base_exceptions_are_diagnosed(error):
    def accuracy(y_pred, y_true):
        raise error("odd")

    assert_rejected(run_check(accuracy), f"raised {error.__name__}: odd")


def test_keyboard_interrupt_still_stops_the_cell():
    def accuracy(y_pred, y_true):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_check(accuracy)


def test_ipython_exit_is_stopped_and_undone():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:

        def accuracy(y_pred, y_true):
            shell.exiter()  # what exit() or quit() in a notebook cell calls
            return 1.0

        result = run_check(accuracy)
        assert_rejected(result, "called exit() or quit()")
        assert shell.exit_now is False
        assert "ask_exit" not in shell.__dict__  # the real method is back
        shell.exit_now = True  # a request that got through anyway is undone too

        def center_data(X_train, X_test):
            shell.exit_now = True
            m = X_train.mean(axis=0)
            return X_train - m, X_test - m

        shell.exit_now = False
        assert run_check(center_data).passed
        assert shell.exit_now is False
    finally:
        InteractiveShell.clear_instance()


def test_numpy_global_state_is_restored():
    np.random.seed(123)
    state = np.random.get_state()
    settings = np.geterr()

    def accuracy(y_pred, y_true):
        np.seterr(all="ignore")
        np.random.seed(0)
        np.random.rand(10)
        return float(np.mean(y_pred == y_true))

    assert run_check(accuracy).passed
    assert np.geterr() == settings
    after = np.random.get_state()
    assert np.array_equal(after[1], state[1]) and after[2] == state[2]


def test_printed_output_is_captured_and_summarised(capsys):
    def accuracy(y_pred, y_true):
        for i in range(2000):  # about 120,000 characters, far beyond what is kept
            print("step", i, "x" * 50)
        return float(np.mean(y_pred == y_true))

    result = run_check(accuracy)
    assert capsys.readouterr().out == ""
    assert result.passed and result.messages[0] == "All tests passed."
    note = result.messages[1]
    assert "printed" in note and "step 0" in note and "step 3" not in note
    assert len(note) < 600


def test_printing_in_a_slow_loop_is_blamed_on_the_prints(short_time_limit):
    short_time_limit("accuracy", 0.3)

    def accuracy(y_pred, y_true):
        while True:
            print("still here")

    result = run_check(accuracy)
    assert_rejected(result, "printing is slow")


def test_huge_exception_messages_are_truncated():
    def accuracy(y_pred, y_true):
        raise ValueError("x" * 100_000)

    result = run_check(accuracy)
    assert_rejected(result, "raised ValueError")
    assert len(result.messages[0]) < 600 and "more characters" in result.messages[0]


@pytest.mark.parametrize(
    "argument, fragment",
    [
        ("accuracy", "not its name in quotes: write check(accuracy)"),
        (0.75, "without calling it"),
    ],
)
def test_check_of_a_name_or_a_result_gets_a_usage_hint(argument, fragment):
    with pytest.raises(UnknownExerciseError) as info:
        check(argument)
    assert fragment in str(info.value) and "None" not in str(info.value)


def test_html_report_shows_code_spans_as_code():
    from utils.checks.core import _html_with_code

    assert _html_with_code("replace `raise NotImplementedError` by <your code>") == (
        "replace <code>raise NotImplementedError</code> by &lt;your code&gt;"
    )
    assert _html_with_code("a lone ` backtick") == "a lone ` backtick"


# --------------------------------------------------------------------------------------
# Catalogues of wrong answers (issue 15, item 12)
# --------------------------------------------------------------------------------------


def _catalogue_cases():
    from utils.checks.core import CATALOGUES

    return [(name, table) for name in sorted(CATALOGUES) for table in CATALOGUES[name]]


@pytest.mark.parametrize(
    "name, table",
    _catalogue_cases(),
    ids=[f"{n}-{t.label}" for n, t in _catalogue_cases()],
)
def test_no_wrong_answer_in_a_catalogue_equals_the_right_one(name, table):
    from utils.checks.core import AnyOf

    for inputs in table.inputs():
        right = table.right(*inputs)
        for value, hint in table.candidates(*inputs):
            for wrong in value.values if isinstance(value, AnyOf) else (value,):
                assert not table.compare(right, wrong), f"{name}: {hint}"


@pytest.mark.parametrize("name", sorted({n for n, _ in _catalogue_cases()}))
def test_no_two_hints_of_an_exercise_coincide(name):
    from utils.checks.core import CATALOGUES

    hints = []
    for table in CATALOGUES[name]:
        inputs = table.inputs()[0]
        hints += [hint for _, hint in table.entries(*inputs)]
    assert len(hints) == len(set(hints)), [h for h in hints if hints.count(h) > 1]


def test_chapters_1_to_3_use_catalogues_for_their_value_mistakes():
    from utils.checks.core import CATALOGUES, REGISTRY

    with_catalogue = {name for name in CATALOGUES if REGISTRY[name].chapter <= 3}
    assert with_catalogue >= {
        "linear_scores",
        "predict_labels",
        "accuracy",
        "bias_trick",
        "center_data",
        "top_k_accuracy",
        "svm_loss_naive",
        "svm_loss_vectorized",
        "softmax",
        "cross_entropy_loss",
        "sigmoid",
        "l2_penalty",
        "l1_penalty",
        "regularized_loss",
    }


def test_chapters_4_to_6_use_catalogues_for_their_value_mistakes():
    """Every exercise of chapters 4-6 whose check compares outputs with wrong
    implementations does it through catalogues (Value's wrong derivatives and
    minibatch_sgd's batches are judged per operation and per recorded step instead)."""
    from utils.checks.core import CATALOGUES, REGISTRY

    with_catalogue = {name for name in CATALOGUES if 4 <= REGISTRY[name].chapter <= 6}
    assert with_catalogue >= {
        "numerical_gradient",
        "linear_svm_loss",
        "linear_softmax_loss",
        "sgd_momentum",
        "adagrad",
        "adam",
        "affine_forward",
        "affine_backward",
        "relu_forward",
        "relu_backward",
        "softmax_loss",
        "dropout_forward",
        "dropout_backward",
        "TwoLayerNet",
    }


def test_a_catalogue_matches_scaled_and_any_of_answers_and_skips_a_scaled_right_one():
    from utils.checks.core import AnyOf, CheckFailed, Catalogue

    table = Catalogue(
        "accuracy",
        lambda x: [(AnyOf(x + 1, x + 2), "plus one or two"), (x / 4, "averaged twice")],
        inputs=lambda: [(1.0,)],
        right=lambda x: x,
        scale=lambda x: (4, "Summed."),
    )
    assert table.find(3.0, 1.0) == "plus one or two"
    assert table.find(8.0, 1.0) == "plus one or two Summed."  # (1 + 1) * 4
    assert table.find(1.0, 1.0) is None  # (1 / 4) * 4 is the right one
    assert table.find(np.array([1.0, 2.0]), 1.0) is None  # another shape never matches
    with pytest.raises(CheckFailed, match="averaged twice"):
        table.match(0.25, 1.0)


def test_the_inline_mistake_api_still_works():
    from utils.checks.core import CheckFailed, mistake

    mistake(False, "not raised")
    with pytest.raises(CheckFailed, match="named") as info:
        mistake(True, "named")
    assert info.value.kind is None


# --------------------------------------------------------------------------------------
# Structured failures and the Probe's options (issue 15, item 11)
# --------------------------------------------------------------------------------------


def _probe(fn, name="accuracy"):
    from utils.checks.core import REGISTRY, Probe

    return Probe(fn, REGISTRY[name])


def _failure(thunk):
    from utils.checks.core import CheckFailed

    with pytest.raises(CheckFailed) as info:
        thunk()
    return info.value


def test_a_failure_carries_its_kind_and_the_original_error():
    def raises(a):
        raise KeyError("seed")

    failure = _failure(lambda: _probe(raises)(1))
    assert failure.kind == "raised" and isinstance(failure.error, KeyError)

    def warns(a):
        return np.log(np.zeros(1))

    failure = _failure(lambda: _probe(warns)(1))
    assert failure.kind == "warning" and "divide by zero" in str(failure.error)

    def mutates(a):
        a[0] = 5

    failure = _failure(lambda: _probe(mutates)(np.zeros(3)))
    assert (failure.kind, failure.argument) == ("in place", "a")

    def reshapes(a):
        a.shape = (3, 1)

    assert _failure(lambda: _probe(reshapes)(np.zeros(3))).kind == "reshaped"

    def exits(a):
        raise SystemExit(2)

    failure = _failure(lambda: _probe(exits)(1))
    assert failure.kind == "exit" and failure.error.code == 2


def test_a_timeout_and_a_recursion_have_their_kinds(short_time_limit):
    short_time_limit("accuracy", 0.2)

    def spins(a):
        while True:
            pass

    assert _failure(lambda: _probe(spins)(1)).kind == "timeout"

    def recurses(a):
        return recurses(a)

    assert _failure(lambda: _probe(recurses)(1)).kind == "recursion"


def test_a_check_result_reports_the_failure_kind():
    result = run_check(lambda p, t: 0.3, exercise="accuracy")
    assert result.kind == "mismatch" and not result.passed
    assert (
        run_check(lambda p, t: 5, exercise="accuracy").kind is None
    )  # a named mistake


def test_probe_label_names_the_callable_in_messages():
    probe = _probe(lambda a: 1 / 0).labelled("net.loss")
    assert "`net.loss` raised ZeroDivisionError" in str(_failure(lambda: probe(1)))


def test_probe_may_change_lets_named_arguments_change_only():
    def update(w, config):
        config["t"] = config.get("t", 0) + 1
        return w + 1

    probe = _probe(update)
    assert probe.call(np.zeros(2), {}, may_change=("config",))[0] == 1
    assert probe.call(np.zeros(2), {}, may_change=(1,))[0] == 1
    assert _failure(lambda: probe(np.zeros(2), {})).argument == "config"


def test_probe_quietly_never_fails_and_reports_what_happened():
    x = np.zeros(3)

    def shifts(a):
        print("noise")
        a += 1
        return np.log(np.zeros(1))

    attempt = _probe(shifts).quietly(x)
    assert attempt.finished and np.all(x == 1)  # the change is visible to the checker
    attempt = _probe(lambda a: 1 / 0).quietly(1)
    assert not attempt.finished and isinstance(attempt.error, ZeroDivisionError)


def test_probe_expression_evaluates_an_operator_under_protection():
    class Broken:
        def __mul__(self, other):
            raise TypeError("no")

    a, b = Broken(), Broken()
    failure = _failure(lambda: _probe(None).expression("a * b", lambda: a * b))
    assert "`a * b` raised TypeError: no" in str(failure) and failure.kind == "raised"
    assert "called with" not in str(failure)  # an expression has no arguments to list
    assert _probe(None).expression("2 + 3", lambda: 2 + 3) == 5


def test_advice_is_added_to_a_raised_error_only():
    from utils.checks.core import call_with_advice

    probe = _probe(lambda a: np.zeros(2) + np.zeros(3))
    failure = _failure(
        lambda: call_with_advice(probe, 1, advise=lambda e: "Use keepdims.")
    )
    assert str(failure).endswith("Use keepdims.") and "raised ValueError" in str(
        failure
    )
    assert call_with_advice(_probe(lambda a: a), 4, advise=lambda e: "never") == 4


def test_a_transposed_shape_is_named():
    def center_data(X_train, X_test):
        m = X_train.mean(axis=0)
        return (X_train - m).T, X_test - m

    assert_rejected(run_check(center_data), "rows and columns are swapped")


def test_chapters_use_only_the_public_check_api():
    """Chapters call the Probe and core's public names; none reaches into core's private
    helpers, swaps a Probe's function or renames one (issue 15, item 11)."""
    import re
    from pathlib import Path

    checks = Path(__file__).resolve().parents[1] / "utils" / "checks"
    for path in sorted(checks.glob("ch[0-9][0-9]_*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"from \.core import[^)]*\b_[a-z]", text, re.S), path.name
        assert not re.search(r"from \.ch\d\d_\w+ import[^)\n]*\b_[a-z]", text), (
            path.name
        )
        assert not re.search(r"\.fn\s*=[^=]|\.name\s*=[^=]|__name__\s*=[^=]", text), (
            path.name
        )
        assert "_call_with_time_limit" not in text and "_LearnerSandbox" not in text, (
            path.name
        )


@pytest.mark.parametrize(
    "returned, fragment",
    [
        (None, "returned None. Did you forget `return loss, dW`?"),
        (1.5, "should return two values, `return loss, dW`, but returned the number"),
        ((1.0, 2.0, 3.0), "but returned a tuple of length 3"),
        (np.zeros(2), "but returned an array of shape (2,)"),
    ],
)
def test_expect_values_says_what_came_back_instead(returned, fragment):
    from utils.checks.core import CheckFailed, expect_values

    with pytest.raises(CheckFailed) as failure:
        expect_values(returned, "linear_svm_loss", "loss, dW")
    assert fragment in str(failure.value)


def test_expect_values_accepts_a_list_and_counts_any_number_of_names():
    from utils.checks.core import CheckFailed, expect_values

    assert expect_values([1, 2], "f", "a, b") == (1, 2)  # a list unpacks the same
    assert expect_values((1, 2, 3), "f", "dx, dw, db") == (1, 2, 3)
    with pytest.raises(CheckFailed) as failure:
        expect_values((1, 2, 3), "f", "a, b, c, d")
    assert "should return 4 values" in str(failure.value)
