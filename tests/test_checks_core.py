"""The check machinery: it never crashes on a learner's code and always says what went wrong."""
import json

import numpy as np
import pytest

from tests.conftest import assert_rejected
from utils import reference
from utils.checks import UnknownExerciseError, check, known_exercises, run_check, use_or_reference
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


@pytest.mark.parametrize("returned, fragment", [
    (lambda X, W: None, "forget a `return`"),
    (lambda X, W: [[1.0]], "python list"),
    (lambda X, W: "scores", "should be a numpy array"),
    (lambda X, W: np.full((X.shape[0], W.shape[1]), np.nan), "nan"),
    (lambda X, W: np.zeros((3, 5, 1)), "shape"),
])
def test_bad_return_values_are_diagnosed(returned, fragment):
    def linear_scores(X, W, b):
        return returned(X, W)
    assert_rejected(run_check(linear_scores), fragment)


def test_scalar_exercise_rejects_array_and_bool():
    assert_rejected(run_check(lambda p, t: p == t, exercise="accuracy"), "single number")
    assert_rejected(run_check(lambda p, t: True, exercise="accuracy"), "should be a number")


def test_mutating_an_input_is_diagnosed():
    def center_data(X_train, X_test):
        X_train -= X_train.mean(axis=0)
        return X_train, X_test - X_train.mean(axis=0)
    assert_rejected(run_check(center_data), "changed its input `X_train` in place")


def test_numerical_warning_is_diagnosed():
    def linear_scores(X, W, b):
        return X @ W + b + np.log(np.zeros(1)) * 0  # log(0) warns
    assert_rejected(run_check(linear_scores), "numerical warning")


def test_function_that_never_returns_is_stopped(short_time_limit):
    short_time_limit("predict_labels", 0.5)

    def predict_labels(scores):
        i = 0
        while i < 10:
            pass
        return i
    assert_rejected(run_check(predict_labels), "did not finish within 0.5 seconds")
    assert "loop" in run_check(predict_labels).messages[0]


def test_time_limit_also_works_outside_the_main_thread(short_time_limit):
    import threading
    short_time_limit("predict_labels", 0.3)
    results = []

    def predict_labels(scores):
        while True:
            pass
    worker = threading.Thread(target=lambda: results.append(run_check(predict_labels)))
    worker.start()
    worker.join(5)
    assert results and "did not finish" in results[0].messages[0]


def test_recursion_is_diagnosed():
    def accuracy(y_pred, y_true):
        return accuracy(y_pred, y_true)
    assert_rejected(run_check(accuracy), "calls itself")


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
    assert entry == {"exercise": "accuracy", "passed": True, "attempted": True,
                     "messages": ["All tests passed."]}


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


# ---------------------------------------------------------------------------------------------
# Nothing the learner's code raises escapes; it leaves no trace
# ---------------------------------------------------------------------------------------------

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
        for i in range(20000):
            print("step", i, "x" * 50)
        return float(np.mean(y_pred == y_true))
    result = run_check(accuracy)
    assert capsys.readouterr().out == ""
    assert result.passed and result.messages[0] == "All tests passed."
    note = result.messages[1]
    assert "printed" in note and "step 0" in note and "step 3" not in note
    assert len(note) < 600


def test_printing_in_a_slow_loop_is_blamed_on_the_prints(short_time_limit):
    short_time_limit("accuracy", 0.5)

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


@pytest.mark.parametrize("argument, fragment", [
    ("accuracy", "not its name in quotes: write check(accuracy)"),
    (0.75, "without calling it"),
])
def test_check_of_a_name_or_a_result_gets_a_usage_hint(argument, fragment):
    with pytest.raises(UnknownExerciseError) as info:
        check(argument)
    assert fragment in str(info.value) and "None" not in str(info.value)


def test_html_report_shows_code_spans_as_code():
    from utils.checks.core import _html_with_code

    assert _html_with_code("replace `raise NotImplementedError` by <your code>") == (
        "replace <code>raise NotImplementedError</code> by &lt;your code&gt;")
    assert _html_with_code("a lone ` backtick") == "a lone ` backtick"
