"""The course's messages in the learner's language: utils.i18n, the package's
catalogues, and hints and grading reports in Chinese."""

import ast
import json
import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT
from tools import i18n as catalogues
from utils import i18n
from utils.checks import run_check
from utils.i18n import _, set_language, translate

PACKAGE = ROOT / "utils"


@pytest.fixture
def chinese():
    set_language("zh_CN")
    yield
    set_language(None)


# --- utils.i18n
# ------------------------------------------------------------------------------


def test_english_is_the_default_and_needs_no_catalogue(monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    assert i18n.language() == "en"
    assert _("All tests passed.") == "All tests passed."
    assert _("{count} {status}", count=3, status="passed") == "3 passed"


def test_the_environment_variable_and_set_language_choose_chinese(monkeypatch):
    monkeypatch.setenv(i18n.ENV_VAR, "zh-CN.UTF-8")
    assert i18n.language() == "zh_CN"
    assert _("All tests passed.") == "全部测试通过。"
    set_language("en")
    try:
        assert _("All tests passed.") == "All tests passed.", (
            "set_language wins over the variable"
        )
    finally:
        set_language(None)


def test_an_unknown_language_is_named(monkeypatch):
    with pytest.raises(ValueError, match="Unknown language 'klingon'.*zh_CN"):
        set_language("klingon")
    monkeypatch.setenv(i18n.ENV_VAR, "klingon")
    with pytest.warns(UserWarning, match="Using English"):
        assert i18n.language() == "en"


def test_an_untranslated_message_stays_english(chinese):
    assert (
        _("A sentence nobody translated, {n}.", n=2)
        == "A sentence nobody translated, 2."
    )


def test_a_translation_with_a_broken_placeholder_falls_back_to_english(
    chinese, monkeypatch
):
    monkeypatch.setitem(i18n.catalogue("zh_CN"), "Hello {name}", "你好 {nmae}")
    assert _("Hello {name}", name="Ada") == "Hello Ada"


# --- the catalogues
# --------------------------------------------------------------------------


def _calls_of_underscore(tree):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "N_")
        ):
            yield node


def test_every_marked_message_is_a_literal_the_extraction_can_read():
    """``_(f"...")`` or ``_(text)`` would never reach a catalogue: the learner reads
    English."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for call in _calls_of_underscore(ast.parse(path.read_text(encoding="utf-8"))):
            first = call.args[0] if call.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                bad.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert not bad, (
        f"_() and N_() need a string literal, not an f-string or a name: {bad}"
    )


@pytest.mark.parametrize(
    "source", catalogues.message_sources(), ids=lambda p: catalogues.catalogue_name(p)
)
def test_each_package_catalogue_holds_exactly_its_source_messages(source):
    from babel.messages.pofile import read_po

    name = catalogues.catalogue_name(source)
    path = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / f"{name}.po"
    assert path.exists(), (
        f"no catalogue {path}: run `python -m tools.i18n update-messages {source}`"
    )
    with path.open("rb") as file:
        held = {m.id for m in read_po(file) if m.id}
    wanted = set(catalogues.extract(source))
    assert not wanted - held, (
        f"{path.name} lacks {sorted(wanted - held)[:3]}: run `python -m "
        f"tools.i18n update-messages {source}` and translate them"
    )
    assert not held - wanted, (
        f"{path.name} holds messages its source no longer has: "
        f"{sorted(held - wanted)[:3]}"
    )


def test_the_check_tool_rejects_unfaithful_translations():
    assert catalogues.problems("Shape {shape}.", "") == ["not translated"]
    assert catalogues.problems("Shape {shape}.", "形状 {shpe}。")[0].startswith(
        "placeholders"
    )
    assert catalogues.problems(
        "Use `np.argmax` on $s_j$ for 650 weights.",
        "对 $s_j$ 使用 argmax，共 650 个权重。",
    )[0].startswith("code spans")
    assert catalogues.problems(
        "There are 650 weights in W here.", "W 里有 640 个权重。"
    ) == ["numbers missing: ['650']"]
    assert (
        "no Chinese"
        in catalogues.problems(
            "This is an English sentence.", "This is an English sentence."
        )[0]
    )
    assert catalogues.problems("{what} {is_} None.", "{what}是 None。") == [], (
        "grammar may go"
    )
    assert catalogues.problems("The scores, then the loss.", "得分,然后是损失.")[
        0
    ].startswith("half-width punctuation")
    assert catalogues.problems("Use X (the data).", "使用 X (数据)。")[0].startswith(
        "half-width"
    )
    assert (
        catalogues.problems("still p(correct) < 0.01", "仍有 p(正确类别) < 0.01") == []
    ), "a function's parentheses stay ASCII"
    assert (
        catalogues.problems(
            "Use `np.argmax` on $s_j$ (650 weights).",
            "对 $s_j$ 使用 `np.argmax`（650 个权重）。",
        )
        == []
    )


# --- hints and reports in Chinese
# ------------------------------------------------------------


def test_core_hints_are_chinese(chinese):
    def accuracy(predicted, labels):
        raise NotImplementedError

    def predict_labels(scores):
        return None

    assert run_check(accuracy).messages == [
        "尚未作答：请用你的代码替换 `raise NotImplementedError`。"
    ]
    assert str(run_check(accuracy)).startswith("[TODO] accuracy: 尚未作答")
    message = run_check(predict_labels).messages[0]
    assert "是 None。是否忘了写 `return` 语句？" in message


@pytest.mark.slow
def test_every_hint_the_check_tests_provoke_is_translated(tmp_path):
    """The chapters' check tests feed the checks hundreds of wrong implementations;
    rerun each failing check in Chinese (tests/i18n_sweep.py) and collect what is still
    English."""
    report = tmp_path / "sweep.json"
    env = dict(os.environ, COURSE_I18N_SWEEP=str(report))
    modules = sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_ch0*_checks.py")
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.i18n_sweep",
            "-p",
            "no:cacheprovider",
            "-x",
            *modules,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    found = json.loads(report.read_text(encoding="utf-8"))
    assert found["checked"] > 300, (
        "the sweep saw too few failing checks to mean anything"
    )
    assert not found["missing"], (
        f"{len(found['missing'])} messages have no Chinese translation, "
        f"e.g. {found['missing'][:5]}"
    )
    assert not found["english"], (
        f"{len(found['english'])} hints read as English in Chinese, "
        f"e.g. {list(found['english'].items())[:5]}"
    )


@pytest.mark.slow
def test_the_grader_reports_in_chinese(tmp_path):
    from tests.test_grade import N, grade, small_notebook

    code, out, err = grade(small_notebook(tmp_path), "--lang", "zh_CN")
    assert code == 1
    assert err.count("  已检查 ") == N, err
    assert out.count("尚未作答") == N and f"合计：0/{N} 个练习通过" in out, out
    code, out, err = grade(small_notebook(tmp_path), "--lang", "klingon")
    assert code == 2 and "Unknown language 'klingon'" in err


def test_status_words_and_gradescope_leads_are_translated(chinese):
    from utils.grade_formats import gradescope_document

    document = {
        "chapter": 1,
        "score": 0,
        "max_score": 1,
        "stopped_early": None,
        "error": None,
        "exercises": [
            {
                "name": "accuracy",
                "number": "1.3",
                "status": "not attempted",
                "score": 0,
                "max_score": 1,
                "message": "",
            }
        ],
    }
    result = gradescope_document(document)
    assert result["output"] == "第 1 章：1 分中得 0 分（1 个尚未作答）。"
    assert result["tests"][0]["name"] == "练习 1.3：accuracy（尚未作答）"
    assert result["tests"][0]["output"].startswith("尚未作答：函数仍然抛出")
    assert translate("not reached") == "未执行到"


def test_the_gradebook_says_what_went_wrong_in_the_learners_language(chinese):
    """The CSV's header and status keys stay English (a learning platform imports them);
    the sentences in its `problem` column follow the language."""
    from utils.gradebook import gradebook_rows

    document = {
        "notebook": "ada.ipynb",
        "chapter": 1,
        "score": 0,
        "max_score": 1,
        "error": None,
        "stopped_early": "评分被中止（终止信号）",
        "exercises": [
            {
                "name": "accuracy",
                "number": "1.3",
                "status": "failed",
                "score": 0,
                "max_score": 1,
                "message": "",
            }
        ],
    }
    header, rows = gradebook_rows(["ada"], [document])
    assert header[-2:] == ["not passed", "problem"]
    assert rows[0][-2] == "accuracy: failed"
    assert rows[0][-1] == "提前停止：评分被中止（终止信号）"


#: Widget labels that read the same in every language (a symbol, a formula).
SAME_IN_EVERY_LANGUAGE = {"λ", "log10(lr)"}


def test_every_live_widget_label_is_marked_for_translation():
    """A slider's ``description=`` is ``_("...")`` (translated where the notebook runs
    in Chinese), unless it is a symbol or a formula."""
    unmarked = []
    for path in sorted((PACKAGE / "widgets").glob("*.py")):
        calls = [
            node
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call)
        ]
        for call in calls:
            for keyword in call.keywords:
                if keyword.arg != "description":
                    continue
                value = keyword.value
                marked = (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Name)
                    and value.func.id == "_"
                )
                same = (
                    isinstance(value, ast.Constant)
                    and value.value in SAME_IN_EVERY_LANGUAGE
                )
                if not (marked or same):
                    unmarked.append(f"{path.name}:{call.lineno}")
    assert unmarked == [], f"labels not marked with _(): {unmarked}"


def test_a_live_widget_speaks_chinese(chinese):
    pytest.importorskip("ipywidgets")
    from utils.widgets import losses

    widget = losses.loss_comparison_widget()
    labels = {child.description for child in widget.children[:-1]}
    # the class names as the panels draw them (the figures' catalogue)
    assert labels == {"猫得分", "汽车得分", "青蛙得分", "正确类别"}
    assert [label for label, _ in widget.children[3].options] == ["猫", "汽车", "青蛙"]
