"""The Chinese edition's catalogues: complete, faithful, glossary-consistent and in step
with the sources; the translated outputs (quizzes, printed lines) of the Chinese
site."""

import copy
import json

import nbformat
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from tests.helpers import ROOT
from tools import glossary, i18n, zh_outputs, zh_site

LANG = "zh_CN"


def _po(path):
    with open(path, "rb") as file:
        return read_po(file)


def _report(lines, limit=40):
    shown = "\n".join(lines[:limit])
    return f"{len(lines)} problem(s):\n{shown}" + (
        "\n..." if len(lines) > limit else ""
    )


def _write_catalogue(path, messages):
    """A .po file of (msgid, msgstr, fuzzy) rows."""
    catalog = Catalog(locale=LANG)
    for msgid, msgstr, fuzzy in messages:
        catalog.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False, sort_output=False)
    return path


# --------------------------------------------------------------------------------------
# Complete and faithful (fails until every translator's work is merged)
# --------------------------------------------------------------------------------------


def test_every_catalogue_is_translated_without_fuzzy_or_unfaithful_messages():
    files = i18n.all_catalogues()
    assert len(files) >= 27  # 19 pages + 7 quizzes + outputs, at least
    report = [line for path in files for line in i18n.check(path)]
    assert report == [], _report(report)


def test_the_completeness_check_names_the_file_and_each_bad_message(tmp_path):
    path = _write_catalogue(
        tmp_path / "chapters" / "09_x.po",
        [
            (
                "The **loss** is 2.04 on the cat image.",
                "猫图像上的**损失**为 2.04。",
                False,
            ),
            ("The learning rate was 0.1.", "", False),  # emptied
            ("Three epochs were run.", "运行了三轮。", True),  # fuzzy
        ],
    )
    report = i18n.check(path)
    assert len(report) == 2, report
    assert all(str(path) in line for line in report)
    assert any(
        "not translated" in line and "The learning rate was 0.1." in line
        for line in report
    )
    assert any("fuzzy" in line and "Three epochs were run." in line for line in report)


def test_the_glossarys_english_column_may_stay_english(tmp_path):
    rows = [
        ("linear score function", "linear score function", False),  # the English column
        ("the linear function of chapter 1", "the linear function of chapter 1", False),
    ]
    glossary_po = _write_catalogue(tmp_path / "appendices" / "glossary.po", rows)
    other_po = _write_catalogue(tmp_path / "chapters" / "01_x.po", rows)
    assert [line.split(": ")[-1] for line in i18n.check(glossary_po)] == [
        "'the linear function of chapter 1'"
    ]
    assert len(i18n.check(other_po)) == 2


def test_a_real_catalogue_with_one_msgstr_emptied_is_reported(tmp_path):
    """Empty one translated message of a real catalogue: the check names it."""
    source = next(
        (p for p in i18n.all_catalogues() if any(m.id and m.string for m in _po(p))),
        None,
    )
    if source is None:
        pytest.skip("no catalogue has a translation yet")
    catalog = _po(source)
    victim = next(m for m in catalog if m.id and m.string)
    victim.string = ""
    copy_path = tmp_path / source.name
    with copy_path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False, sort_output=False)
    report = i18n.check(copy_path)
    assert any("not translated" in line and victim.id[:100] in line for line in report)


# --------------------------------------------------------------------------------------
# The glossary is the authority
# --------------------------------------------------------------------------------------


def test_every_glossary_term_is_rendered_the_glossary_way():
    report = glossary.check(i18n.all_catalogues())
    assert report == [], _report(report)


def test_the_glossary_is_parsed_into_terms():
    terms = {term.english: term for term in glossary.terms()}
    assert len(terms) >= 100
    assert terms["backpropagation"].chinese == ("反向传播",)
    assert (
        "affine layer" in terms and "fully connected layer" not in terms
    )  # the note is not a term
    assert "凸" in terms["convex"].chinese  # 凸的 before a noun: 凸函数
    longest_first = [term.english for term in glossary.terms()]
    assert longest_first.index("bias correction") < longest_first.index("bias")


GLOSSARY_CASES = [
    # (English, translation, the terms reported)
    ("The learning rate is too high.", "学习率太高。", []),
    ("Both learning rates are too high.", "两个学习速率都太高。", ["learning rate"]),
    ("Shuffle the minibatches.", "打乱各个批次。", ["minibatch"]),
    (
        "Probabilities sum to one; the Learning Rate does not.",
        "概率之和为一，学习率则不然。",
        [],
    ),
    (
        "Adam's bias correction divides by $1 - \\beta^t$.",
        "Adam 的偏差修正除以 $1 - \\beta^t$。",
        [],
    ),  # not 偏置: the longer term wins
    ("Add the bias after the product.", "在乘积之后加上偏差。", ["bias"]),
    (
        "Call `dropout_forward(x, p)` with data_loss(scores, y).",
        "用 data_loss(scores, y) 调用 `dropout_forward(x, p)`。",
        [],
    ),  # code is not prose
    (
        'See "Dropout: A Simple Way to Prevent Neural Networks from Overfitting".',
        '见 "Dropout: A Simple Way to Prevent Neural Networks from Overfitting"。',
        [],
    ),  # a title
    (
        "The ReLU zeroes negative inputs.",
        "ReLU 把负的输入置零。",
        [],
    ),  # standard in Chinese text
    ("The dropout layer is off at test time.", "测试时关闭 dropout 层。", ["dropout"]),
    ("The scores of the cat image are high.", "猫图像的分数很高。", ["score"]),
    (
        "The sum of absolute values (L1) scores both 1.0.",
        "绝对值之和（L1）给两者的分数都是 1.0。",
        [],
    ),  # a documented exception: a verb
]


@pytest.mark.parametrize("english, chinese, reported", GLOSSARY_CASES)
def test_the_glossary_check_catches_other_renderings_and_spares_code_and_titles(
    english, chinese, reported
):
    problems = glossary.problems(english, chinese, glossary.terms())
    assert [p.split("'")[1] for p in problems] == reported, problems


def test_the_glossary_check_reports_file_and_message(tmp_path):
    path = _write_catalogue(
        tmp_path / "x.po",
        [("Backpropagation computes every gradient.", "反传算法计算每个梯度。", False)],
    )
    report = glossary.check([path])
    assert (
        len(report) == 1 and str(path) in report[0] and "Backpropagation" in report[0]
    )


# --------------------------------------------------------------------------------------
# Kept in step: catalogues match the sources
# --------------------------------------------------------------------------------------


def test_the_outputs_catalogue_holds_exactly_the_printed_lines_of_the_notebooks():
    lines = zh_outputs.all_readable_lines()
    catalogue = zh_outputs.outputs_catalogue_path(LANG)
    ids = {m.id for m in _po(catalogue) if m.id}
    missing, gone = sorted(set(lines) - ids), sorted(ids - set(lines))
    assert (missing, gone) == ([], []), (
        f"{catalogue}: run `python -m tools.i18n update-outputs`; lines missing "
        f"{missing[:10]} (in {[lines[m] for m in missing[:3]]}), lines no notebook "
        f"prints {gone[:10]}"
    )


@pytest.mark.slow
def test_the_site_catalogues_hold_exactly_the_messages_of_their_pages(tmp_path):
    templates = i18n.site_templates(tmp_path)
    assert len(templates) >= 20 and "_toc" in templates
    report = i18n.site_drift(templates, LANG)
    assert report == [], _report(report)


def test_the_drift_check_names_missing_and_stale_messages():
    page = "chapters/01_linear_score_function"
    catalogue = _po(i18n.site_catalogue(page, LANG))
    template = Catalog()
    kept = [m.id for m in catalogue if m.id][1:]  # the page lost its first message
    for msgid in kept + ["A paragraph added to the page."]:
        template.add(msgid)
    report = i18n.site_drift({page: template, "chapters/99_new": Catalog()}, LANG)
    first = next(m.id for m in catalogue if m.id)
    assert any(
        "message missing" in line and "A paragraph added" in line for line in report
    )
    assert any(
        "no longer on the page" in line and first[:60] in line for line in report
    )
    assert any("99_new.po: missing" in line for line in report)
    assert len(report) == 3


def test_an_exercise_page_and_its_solution_share_their_translations(tmp_path):
    folder = tmp_path / "LC_MESSAGES"
    _write_catalogue(
        folder / "chapters" / "01_x.po",
        [
            ("Shared paragraph.", "共享的段落。", False),
            ("Only here.", "", False),
            ("Fuzzy here.", "旧译文。", True),
        ],
    )
    _write_catalogue(
        folder / "solutions" / "01_x.po",
        [
            ("Shared paragraph.", "", False),
            ("Fuzzy here.", "新译文。", False),
            ("Solution only.", "只有解答页有。", False),
        ],
    )
    assert i18n.share_twin_translations(LANG, folder) == 2
    exercise = {m.id: (m.string, m.fuzzy) for m in _po((folder / "chapters/01_x.po"))}
    solution = {m.id: (m.string, m.fuzzy) for m in _po((folder / "solutions/01_x.po"))}
    assert solution["Shared paragraph."] == ("共享的段落。", False)
    assert exercise["Fuzzy here."] == ("新译文。", False)
    assert exercise["Only here."] == ("", False) and "Solution only." not in exercise


# --------------------------------------------------------------------------------------
# Outputs of the Chinese site
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, readable",
    [
        ("validation accuracy after training: 0.953", True),
        ("label: 7", True),
        ("lambda    train acc   val acc   gap        |W|  largest |w|", True),
        ("  ... on entries with |gradient| > 1e-3: True", True),
        ("Note: your `softmax` is not written yet, so the cells below use ...", True),
        ("X_ext: (360, 65)  W_ext: (65, 10)", False),
        ("np.exp(710) = inf", False),
        ("[ 0.6 -0.8]", False),
        ("<Figure size 688x128 with 10 Axes>", False),
        ("<IPython.core.display.Javascript object>", False),
        (
            "    from utils.fashion_mnist import load_fashion_mnist; "
            "load_fashion_mnist()",
            False,
        ),
        (
            "interactive(children=(Dropdown(description='class', options=(0, 1, 2)",
            False,
        ),
        ("reg 0.0 W1: 2.1e-08  reg 0.0 b1: 4.2e-10", True),
        ("", False),
    ],
)
def test_lines_with_words_are_translated_numbers_and_code_are_not(line, readable):
    assert zh_outputs.readable(line) is readable


@pytest.mark.parametrize("folder", ["solutions", "chapters"])
def test_quiz_outputs_rendered_in_english_are_the_stored_ones(folder):
    """The Chinese site re-renders each quiz the way show_quiz does: in English, byte
    for byte what the notebooks store (so the Chinese one differs only in its words)."""
    checked = 0
    for path in sorted((ROOT / folder).glob("0*.ipynb")):
        for cell in nbformat.read(path, 4).cells:
            call = (
                zh_outputs.QUIZ_CALL.search(cell.source)
                if cell.cell_type == "code"
                else None
            )
            if call:
                assert (
                    zh_outputs.quiz_outputs(int(call.group(1)), "en") == cell.outputs
                ), path
                checked += 1
    assert checked == 7


@pytest.fixture
def fake_chinese(monkeypatch):
    """Translations for a few messages, in place of the catalogues."""
    import utils.i18n

    table = {}
    real = utils.i18n.catalogue
    monkeypatch.setattr(
        utils.i18n, "catalogue", lambda lang: table if lang == LANG else real(lang)
    )
    monkeypatch.setattr(zh_outputs, "output_translations", lambda lang: table)
    return table


def test_a_translated_quiz_keeps_numbers_and_correct_answers(fake_chinese):
    from utils.quiz import load_questions

    english = load_questions(1)
    question = english[0]["question"]
    feedback = next(a["feedback"] for a in english[0]["answers"])
    fake_chinese.update(
        {question: "一个线性分类器有多少个参数？", feedback: "对：640 加 10。"}
    )
    chinese = load_questions(1, LANG)
    assert chinese[0]["question"] == "一个线性分类器有多少个参数？"
    assert chinese[0]["answers"][0]["feedback"] == "对：640 加 10。"
    for q, c in zip(
        english, chinese
    ):  # numbers, ranges and which answer is right: unchanged
        assert [
            (a.get("value"), a.get("range"), a["correct"]) for a in q["answers"]
        ] == [(a.get("value"), a.get("range"), a["correct"]) for a in c["answers"]]
    assert load_questions(1) == english  # the English quiz is untouched
    shown, stored = zh_outputs.quiz_outputs(1, LANG), zh_outputs.quiz_outputs(1, "en")
    script = shown[1]["data"]["application/javascript"]
    assert json.dumps("一个线性分类器有多少个参数？")[1:-1] in script
    assert json.dumps(question)[1:-1] not in script
    assert (
        shown[0]["data"]["text/html"] == stored[0]["data"]["text/html"]
    )  # same element id


def _notebook():
    cells = [
        nbformat.v4.new_code_cell(
            "print(...)",
            outputs=[
                nbformat.v4.new_output(
                    "stream",
                    name="stdout",
                    text="validation accuracy 0.953\n  ... on entries: True\n"
                    "X: (3, 4)\nnot in the table\n",
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "timing()",
            metadata={"tags": ["nbval-ignore-output"]},
            outputs=[
                nbformat.v4.new_output(
                    "stream", name="stdout", text="validation accuracy 0.953\n"
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "check(f)",
            outputs=[
                nbformat.v4.new_output(
                    "execute_result",
                    execution_count=1,
                    data={
                        "text/html": '<div class="course-check"><strong>&#9998; '
                        "<code>f</code>: not attempted</strong><ul><li>Not attempted "
                        "yet: replace <code>raise NotImplementedError</code> with "
                        "your code.</li></ul></div>",
                        "text/plain": "[TODO] f: not attempted",
                    },
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "1 + 1",
            outputs=[
                nbformat.v4.new_output(
                    "execute_result",
                    execution_count=2,
                    data={"text/plain": "validation accuracy 0.953"},
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "from utils.quiz import show_quiz\n\nshow_quiz(1)",
            metadata={"tags": ["remove-input"]},
        ),
    ]
    return nbformat.v4.new_notebook(cells=cells)


def test_printed_lines_and_check_results_are_translated_line_by_line(fake_chinese):
    fake_chinese.update(
        {
            "validation accuracy 0.953": "验证准确率 0.953",
            "... on entries: True": "……在这些元素上：True",
            ": not attempted": "：未作答",
            "Not attempted yet: replace": "尚未作答：请把",
            "with your code.": "替换为你的代码。",
        }
    )
    notebook = _notebook()
    before = copy.deepcopy(notebook)
    zh_outputs.translate_notebook(notebook, LANG)
    stream, timing, check, result, quiz = (cell.outputs for cell in notebook.cells)
    assert stream[0].text == (
        "验证准确率 0.953\n  ……在这些元素上：True\nX: (3, 4)\nnot in the table\n"
    )  # indentation kept, rest untouched
    assert timing == before.cells[1].outputs  # changes at every run: not touched
    assert check[0].data["text/html"] == (
        '<div class="course-check"><strong>&#9998; <code>f</code>：未作答</strong>'
        "<ul><li>尚未作答：请把 <code>raise NotImplementedError</code> "
        "替换为你的代码。</li></ul></div>"
    )
    assert (
        check[0].data["text/plain"] == "[TODO] f: not attempted"
    )  # the site shows the HTML
    assert result[0].data["text/plain"] == "验证准确率 0.953"
    assert [o.output_type for o in quiz] == ["display_data", "display_data"]


def test_the_stored_notebooks_are_read_not_changed():
    path = ROOT / "chapters" / "01_linear_score_function.ipynb"
    before = path.read_bytes()
    text, used = zh_outputs.translate_notebook_source(before.decode(), LANG)
    assert path.read_bytes() == before
    assert zh_outputs.outputs_catalogue_path(LANG) in used
    assert (
        nbformat.reads(text, 4).cells[0].source
        == nbformat.reads(before.decode(), 4).cells[0].source
    )


# --------------------------------------------------------------------------------------
# The build of the Chinese edition (units; tests/test_site.py builds the site)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page, chinese, target",
    [
        ("intro", False, "zh_CN/intro.html"),
        (
            "chapters/01_linear_score_function",
            False,
            "../zh_CN/chapters/01_linear_score_function.html",
        ),
        ("intro", True, "../intro.html"),
        (
            "solutions/05_backpropagation",
            True,
            "../../solutions/05_backpropagation.html",
        ),
    ],
)
def test_the_switch_opens_the_same_page_in_the_other_edition(page, chinese, target):
    assert zh_site.switch_target(page, chinese) == target


def test_chinese_pages_link_the_one_download_archive_at_the_root():
    body = (
        '<a href="../nn-foundations-course.zip" download>x</a> '
        '<a href="../other.zip">y</a>'
    )
    assert zh_site.point_at_root_archive(body, "chapters/01_x") == (
        '<a href="../../nn-foundations-course.zip" download>x</a> <a '
        'href="../other.zip">y</a>'
    )
    assert (
        zh_site.point_at_root_archive('href="nn-foundations-course.zip"', "intro")
        == 'href="../nn-foundations-course.zip"'
    )


def _chinese_build_command(strict, **options):
    """:func:`zh_site.build_command` for placeholder folders, all three strictness
    options ``strict``."""
    return zh_site.build_command(
        "src",
        "out",
        "doctrees",
        "_toc.yml",
        warningiserror=strict,
        keep_going=strict,
        nitpicky=strict,
        **options,
    )


def test_the_chinese_build_takes_the_english_builds_strictness():
    assert _chinese_build_command(True)[-3:] == ["-W", "--keep-going", "-n"]
    assert not {"-W", "--keep-going", "-n"} & set(_chinese_build_command(False))


def test_the_chinese_build_reads_the_english_builds_configuration_file(tmp_path):
    """``jupyter-book build --config FILE`` (e.g. with the launch setting set) builds
    both editions from FILE; without it, from the book's _config.yml."""
    import click

    assert zh_site.english_config_file(ROOT) == ROOT / "_config.yml"
    given = tmp_path / "other.yml"
    with click.Context(click.Command("build"), info_name="build") as context:
        context.params["config"] = str(given)
        assert zh_site.english_config_file(ROOT) == given.resolve()
        command = _chinese_build_command(
            False, config=zh_site.english_config_file(ROOT)
        )
    assert command[command.index("--config") + 1] == str(given.resolve())


def test_the_chinese_build_builds_from_the_configuration_file_it_is_given(monkeypatch):
    import jupyter_book.sphinx

    calls = []
    monkeypatch.setattr(
        jupyter_book.sphinx, "build_sphinx", lambda *a, **kw: calls.append(kw)
    )
    args = ["src", "out", "--doctrees", "d", "--toc", "_toc.yml"]
    assert zh_site.main([*args, "--config", "/books/set.yml"]) == 0
    assert zh_site.main(args) == 0
    assert [str(call["path_config"]) for call in calls] == [
        "/books/set.yml",
        "src/_config.yml",
    ]
    assert all(call["confoverrides"]["language"] == "zh_CN" for call in calls)


class _FakeApp:
    def __init__(self, tmp_path, language="en", builder="html"):
        from types import SimpleNamespace

        self.outdir, self.srcdir = str(tmp_path / "html"), str(ROOT)
        self.builder = SimpleNamespace(name=builder)
        self.config = SimpleNamespace(
            language=language, external_toc_path="_toc.yml", nitpicky=True
        )
        self.warningiserror, self.keep_going = False, True


def test_a_failing_chinese_build_fails_the_english_one(tmp_path, monkeypatch):
    from subprocess import CompletedProcess

    from sphinx.errors import ExtensionError

    calls = []
    monkeypatch.setattr(
        zh_site.subprocess,
        "run",
        lambda command, **kw: calls.append(command) or CompletedProcess(command, 1),
    )
    with pytest.raises(ExtensionError, match="Chinese edition"):
        zh_site.build_chinese_edition(_FakeApp(tmp_path), None)
    assert "-W" in calls[0] and "--keep-going" in calls[0]
    # no second build after a failed English one, from the Chinese build, or for other
    # builders
    zh_site.build_chinese_edition(_FakeApp(tmp_path), RuntimeError("English failed"))
    zh_site.build_chinese_edition(_FakeApp(tmp_path, language=LANG), None)
    zh_site.build_chinese_edition(_FakeApp(tmp_path, builder="gettext"), None)
    assert len(calls) == 1


def test_search_words_include_the_glossarys_terms():
    words = zh_site.search_words()
    assert {"反向传播", "交叉熵损失", "交叉熵", "正则化"} <= set(words)


@pytest.mark.slow  # jieba loads its dictionary (over 1 s)
def test_search_splits_text_at_the_glossarys_words(tmp_path):
    jieba = pytest.importorskip("jieba")
    jieba.load_userdict(str(zh_site.write_search_dictionary(tmp_path / "words.txt")))
    assert {"反向传播", "交叉熵"} <= set(
        jieba.cut_for_search("反向传播计算交叉熵损失的梯度")
    )


def test_update_outputs_fills_printed_package_messages_from_their_translation(
    monkeypatch,
):
    pairs = [
        ("{diagnosis} {advice}", "{diagnosis}{advice}"),  # no words: never a match
        (
            "Note: your `{name}` is not written yet, so the cells below use the "
            "course's reference implementation (utils.reference.{name}) instead.",
            "注意：你的 `{name}` 还没有写，因此下面的单元格改用课程的参考实现"
            "（utils.reference.{name}）。",
        ),
        ("All tests passed.", "全部测试通过。"),
    ]
    monkeypatch.setattr(i18n, "_package_translations", lambda lang: iter(pairs))
    line = (
        "Note: your `softmax` is not written yet, so the cells below use the course's "
        "reference implementation (utils.reference.softmax) instead."
    )
    assert i18n.translate_printed_message(line, LANG) == (
        "注意：你的 `softmax` 还没有写，因此下面的单元格改用课程的参考实现"
        "（utils.reference.softmax）。"
    )
    # the same name twice, or the words differ: no translation
    assert (
        i18n.translate_printed_message(
            line.replace("reference.softmax", "reference.relu"), LANG
        )
        is None
    )
    assert i18n.translate_printed_message("validation accuracy 0.953", LANG) is None
    assert i18n.translations_of_printed_messages(LANG) == {
        "All tests passed.": "全部测试通过。"
    }


# --- one rendering of what recurs
# ------------------------------------------------------------


def _page_translations():
    """{English message: {translation: [catalogue names]}} over every page catalogue
    except the glossary (whose English column keeps its English on purpose)."""
    found = {}
    for path in sorted((ROOT / "locale" / "zh_CN" / "LC_MESSAGES").rglob("*.po")):
        if path.name == "glossary.po":
            continue
        with path.open("rb") as file:
            for message in read_po(file):
                if message.id and message.string:
                    name = path.relative_to(ROOT / "locale").as_posix()
                    found.setdefault(message.id, {}).setdefault(
                        message.string, []
                    ).append(name)
    return found


def test_a_message_on_several_pages_is_translated_the_same_way_everywhere():
    """Page furniture ("Concept check", "Common pitfalls", the quiz instructions) recurs
    on every chapter: a reader should not meet 概念自测 on one page and 概念检查 on the
    next."""
    differing = {
        english: renderings
        for english, renderings in _page_translations().items()
        if len(renderings) > 1
    }
    assert not differing, "\n".join(
        f"{english[:60]!r}: "
        + "; ".join(f"{zh[:30]!r} in {pages[0]}" for zh, pages in r.items())
        for english, r in list(differing.items())[:10]
    )


def test_solution_pages_are_titled_alike():
    titles = {
        english: next(iter(r))
        for english, r in _page_translations().items()
        if english.startswith("Solutions ") and english[10:11].isdigit()
    }
    assert len(titles) == 7
    for english, chinese in titles.items():
        assert chinese.startswith(f"第 {english[10]} 章解答："), (english, chinese)
