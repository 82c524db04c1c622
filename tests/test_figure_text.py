"""Figure text in Chinese: utils.figure_text (the lookup and the matplotlib hook), the
catalogue figures.po, and the Chinese twins of the stored figures (tools/zh_figures.py)
kept in step."""

import base64
import copy
import io
import json
import logging
import warnings

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.text
import nbformat
import pytest

from tests.helpers import ROOT
from tools import i18n as catalogues
from tools import zh_figures
from utils import figure_text
from utils.figure_text import FigureCatalogue, carries_words, template_of
from utils.i18n import set_language

CATALOGUE = FigureCatalogue(
    {
        "epoch": "轮",
        "chosen λ = {n1}": "选定的 λ = {n1}",
        "{name}: lr = {n1}": "{name}：学习率 = {n1}",
        "momentum": "动量",
        "squared: $\\frac{1}{2}r^2$": "平方：$\\frac{1}{2}r^2$",
        "class {n1}": "类别 {n1}",
    }
)


@pytest.fixture
def chinese(monkeypatch):
    """Chinese figures drawn through CATALOGUE; everything restored afterwards."""
    monkeypatch.setattr(figure_text, "figure_catalogue", lambda lang: CATALOGUE)
    monkeypatch.delenv(figure_text.STRICT_VAR, raising=False)
    set_language("zh_CN")
    with matplotlib.rc_context():
        assert figure_text.install()
        yield
        figure_text.uninstall()
    set_language(None)


def png_of(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def drawn_lines(text):
    """The lines matplotlib lays out (and draws) for a Text artist.

    ``_get_layout`` is private and its entries changed shape in Matplotlib 3.11
    (``(line, (w, h), x, y)`` before, three items after); each starts with the
    line's text, the only item read here."""
    renderer = text.figure.canvas.get_renderer()  # get_figure(root=) is 3.10+
    return [entry[0] for entry in text._get_layout(renderer)[1]]


def labelled_figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], label="chosen λ = 0.01")
    ax.plot([1, 0], label="momentum: lr = 0.1")
    ax.set_xlabel("epoch")
    ax.set_title("squared: $\\frac{1}{2}r^2$")
    ax.legend()
    return fig, ax


# --- which texts carry words, and their templates
# ---------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ("epoch", True),
        ("L2: $w^2$ penalty", True),
        ("0.5", False),
        ("−1.0", False),
        ("x", False),
        ("$\\sigma(z)$", False),
        ("L2: $\\frac{\\lambda}{2} w^2$", False),
        ("$10^{-3}$", False),
    ],
)
def test_only_texts_with_words_outside_math_are_translated(text, words):
    assert carries_words(text) is words


@pytest.mark.parametrize(
    "text, template",
    [
        ("chosen λ = 0.0001", "chosen λ = {n1}"),
        ("layer 3\nstd 0.93", "layer {n1}\nstd {n2}"),
        ("hidden 1: 49% zeros", "hidden {n1}: {n2} zeros"),
        ("Huber ($\\delta$ = 1)", "Huber ($\\delta$ = {n1})"),  # numbers in math stay
        ("$-\\ln p$ (label $t = 1$)", "$-\\ln p$ (label $t = 1$)"),
        ("gradient of W1", "gradient of W1"),  # part of a name stays
        ("other scores fixed at [5.1, -1.7]", "other scores fixed at [{n1}, {n2}]"),
        ("a {b} 3", "a {{b}} {n1}"),  # braces escaped
    ],
)
def test_an_untranslated_text_is_recorded_with_its_numbers_as_placeholders(
    text, template
):
    assert template_of(text) == template


def test_templates_match_numbers_and_translate_the_words_they_capture():
    assert CATALOGUE.lookup("chosen λ = 0.01") == "选定的 λ = 0.01"
    assert CATALOGUE.lookup("chosen λ = 1e-05") == "选定的 λ = 1e-05"
    assert CATALOGUE.lookup("momentum: lr = 0.1") == "动量：学习率 = 0.1"
    assert CATALOGUE.lookup("SGD: lr = 2") == "SGD：学习率 = 2", (
        "an unknown word is kept"
    )
    assert CATALOGUE.match("class 3") == ("class {n1}", "类别 3")
    # a number placeholder does not match words, a template does not match a longer text
    assert CATALOGUE.lookup("chosen λ = best") is None
    assert CATALOGUE.lookup("class 3 of 5") is None
    assert CATALOGUE.lookup("epochs") is None


def test_the_exact_message_wins_over_a_template():
    catalogue = FigureCatalogue({"class {n1}": "类别 {n1}", "class 0": "背景类"})
    assert catalogue.lookup("class 0") == "背景类"
    assert catalogue.lookup("class 1") == "类别 1"


# --- the matplotlib hook
# ------------------------------------------------------------------------

needs_cjk_font = pytest.mark.skipif(
    figure_text.cjk_font() is None, reason="no CJK font installed (e.g. fonts-noto-cjk)"
)


@needs_cjk_font
def test_chinese_figures_draw_the_translation_but_keep_the_english_text(chinese):
    fig, ax = labelled_figure()
    png_of(fig)
    legend = ax.get_legend().get_texts()
    assert drawn_lines(ax.xaxis.label) == ["轮"]
    assert [drawn_lines(t) for t in legend] == [
        ["选定的 λ = 0.01"],
        ["动量：学习率 = 0.1"],
    ]
    assert drawn_lines(ax.title) == ["平方：$\\frac{1}{2}r^2$"]
    # what code reads stays English (checks and tests compare labels)
    assert ax.get_xlabel() == "epoch" and legend[0].get_text() == "chosen λ = 0.01"
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", figure_text.cjk_font()]


@needs_cjk_font
def test_a_text_mixing_chinese_and_math_is_set_in_the_cjk_font(chinese, caplog):
    fig, ax = labelled_figure()
    with caplog.at_level(logging.WARNING, logger="matplotlib.mathtext"):
        png_of(fig)
    assert ax.title.get_fontfamily()[0] == figure_text.cjk_font()
    assert ax.xaxis.label.get_fontfamily() == matplotlib.rcParams["font.family"], (
        "a text without math keeps the course font with its fallback"
    )
    assert not [r for r in caplog.records if "does not have a glyph" in r.getMessage()]


def test_the_language_is_read_when_drawing(chinese):
    fig, ax = labelled_figure()
    set_language("en")
    png_of(fig)
    assert drawn_lines(ax.xaxis.label) == ["epoch"]


def test_english_installs_nothing_and_draws_the_same_bytes():
    set_language("en")
    try:
        before = matplotlib.text.Text._get_wrapped_text
        fig, _ = labelled_figure()
        untouched = png_of(fig)
        with matplotlib.rc_context():
            settings = dict(matplotlib.rcParams)
            assert figure_text.install() is False
            assert matplotlib.text.Text._get_wrapped_text is before
            assert dict(matplotlib.rcParams) == settings
            assert png_of(labelled_figure()[0]) == untouched
    finally:
        set_language(None)


def test_english_bytes_are_the_same_with_the_hook_installed(chinese):
    """Even a process that switched to Chinese and back draws English figures byte
    for byte."""
    set_language("en")
    with_hook = png_of(labelled_figure()[0])
    figure_text.uninstall()
    with matplotlib.rc_context({"font.family": ["sans-serif"]}):
        assert png_of(labelled_figure()[0]) == with_hook
        plt.close("all")
    figure_text.install("zh_CN")


def test_untranslated_texts_are_logged_with_the_message_they_need(
    chinese, tmp_path, monkeypatch
):
    log = tmp_path / "texts.jsonl"
    monkeypatch.setenv(figure_text.LOG_VAR, str(log))
    monkeypatch.setattr(figure_text, "_seen", set())
    fig, ax = plt.subplots()
    ax.set_xlabel("epoch")
    ax.set_ylabel("update / weight ratio 3")
    ax.set_title("0.5")
    png_of(fig)
    records = {r["text"]: r for r in map(json.loads, log.read_text().splitlines())}
    assert records["epoch"] == {"text": "epoch", "message": "epoch", "translated": True}
    assert records["update / weight ratio 3"] == {
        "text": "update / weight ratio 3",
        "message": "update / weight ratio {n1}",
        "translated": False,
    }
    assert "0.5" not in records, "numbers are not figure text"


@pytest.mark.parametrize("title", ["\ue000 private use", "平方：$\\frac{1}{2}$ \ue000"])
def test_a_missing_glyph_fails_in_strict_mode(chinese, title, monkeypatch):
    """update-figures runs strict: a character no font draws raises instead of storing a
    box (plain text: matplotlib's warning; text with math: mathtext's log record)."""
    logger = logging.getLogger("matplotlib.mathtext")
    filters = list(logger.filters)
    with warnings.catch_warnings():
        figure_text.make_glyphs_strict()
        fig, ax = plt.subplots()
        ax.set_title(title)
        with pytest.raises((UserWarning, figure_text.MissingGlyphError), match="lyph"):
            png_of(fig)
    logger.filters[:] = filters
    # and the same title without strictness draws (a box) with no error
    fig, ax = plt.subplots()
    ax.set_title(title)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        png_of(fig)


def test_strict_mode_requires_the_cjk_font(monkeypatch):
    monkeypatch.setenv(figure_text.STRICT_VAR, "1")
    monkeypatch.setattr(figure_text, "cjk_font", lambda: None)
    with (
        matplotlib.rc_context(),
        pytest.raises(figure_text.MissingGlyphError, match="fonts-noto-cjk"),
    ):
        figure_text.install("zh_CN")
    figure_text.uninstall()


# --- the catalogue and the twins, kept in step
# ------------------------------------------------


def test_every_stored_figure_has_a_chinese_twin_made_from_the_current_english_figure():
    problems = zh_figures.twin_problems()
    assert not problems, (
        "Chinese figures are missing or stale; run `python -m tools.i18n "
        "update-figures NN` for the chapters named:\n" + "\n".join(problems)
    )


def test_the_figure_catalogue_is_complete_and_faithful():
    path = zh_figures.catalogue_path()
    assert path.exists()
    assert catalogues.check(path) == []


def test_the_twins_are_the_size_of_the_english_figures():
    """Drawn by the same code at the same dpi: only the words differ (a Chinese title
    may be narrower than the English one, so the tight bounding box may shrink, never
    grow much)."""
    from PIL import Image

    for path in zh_figures.stored_notebooks():
        for cell_id, n, png in zh_figures.image_outputs(
            nbformat.read(path, as_version=4)
        ):
            english = Image.open(io.BytesIO(png)).size
            twin = Image.open(zh_figures.chinese_figure(path, cell_id, n)).size
            assert twin[0] <= english[0] + 8 and abs(twin[1] - english[1]) <= 8, (
                path.name,
                cell_id,
                english,
                twin,
            )


@pytest.fixture
def fake_figures(tmp_path, monkeypatch):
    """A repository with one notebook of two figures (and its exercise copy), and
    their twins."""
    pngs = [png_of(plt.subplots(figsize=(1, 1))[0]) for _ in range(2)]
    plt.close("all")
    cell = nbformat.v4.new_code_cell("plot()", id="c1")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "image/png": base64.b64encode(png).decode(),
                "text/plain": "<Figure>",
            },
        )
        for png in pngs
    ]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    for folder in zh_figures.NOTEBOOK_DIRS:
        (tmp_path / folder).mkdir()
        nbformat.write(notebook, tmp_path / folder / "01_x.ipynb")
    figures = tmp_path / "figures"
    (figures / "01_x").mkdir(parents=True)
    manifest = {}
    for n, png in enumerate(pngs):
        (figures / "01_x" / f"c1-{n}.png").write_bytes(b"chinese" + bytes([n]))
        for folder in zh_figures.NOTEBOOK_DIRS:
            manifest[f"{folder}/01_x/c1-{n}"] = {
                "english": zh_figures.digest(png),
                "png": f"01_x/c1-{n}.png",
            }
    monkeypatch.setattr(zh_figures, "figures_dir", lambda lang=None: figures)
    catalogue = tmp_path / "figures.po"
    monkeypatch.setattr(zh_figures, "catalogue_path", lambda lang=None: catalogue)
    zh_figures.merge_catalogue({"01_x": {"epoch": "epoch"}})
    zh_figures.write_manifest(manifest)
    zh_figures.record_translations(["01_x"])
    return tmp_path, figures, notebook


def test_twins_in_step_pass(fake_figures):
    root, _, _ = fake_figures
    assert zh_figures.twin_problems(root=root) == []


def test_a_missing_twin_is_named(fake_figures):
    root, figures, _ = fake_figures
    (figures / "01_x" / "c1-1.png").unlink()
    assert zh_figures.twin_problems(root=root) == [
        f"{folder}/01_x.ipynb, cell 'c1', figure 1: no Chinese twin"
        for folder in zh_figures.NOTEBOOK_DIRS
    ]


def test_an_english_figure_edited_without_regenerating_its_twin_is_named(fake_figures):
    root, _, notebook = fake_figures
    edited = copy.deepcopy(notebook)
    edited.cells[0].outputs[0]["data"]["image/png"] = base64.b64encode(
        png_of(plt.subplots(figsize=(2, 1))[0])
    ).decode()
    nbformat.write(edited, root / "chapters" / "01_x.ipynb")
    problems = zh_figures.twin_problems(root=root)
    assert len(problems) == 1
    assert problems[0].startswith(
        "chapters/01_x.ipynb, cell 'c1', figure 0: the English figure changed"
    )


def test_a_figure_no_notebook_stores_any_more_is_named(fake_figures):
    root, _, notebook = fake_figures
    shorter = copy.deepcopy(notebook)
    shorter.cells[0].outputs.pop()
    nbformat.write(shorter, root / "solutions" / "01_x.ipynb")
    assert zh_figures.twin_problems(root=root) == [
        "solutions/01_x/c1-1: a Chinese twin of a figure no notebook stores"
    ]


def test_a_translation_edited_without_regenerating_the_twins_is_named(fake_figures):
    from babel.messages.pofile import read_po, write_po

    root, _, _ = fake_figures
    path = zh_figures.catalogue_path()
    catalog = read_po(path.open("rb"))
    catalog["epoch"].string = "轮"
    with path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False)
    assert zh_figures.twin_problems(root=root) == [
        "01_x: the translations of its figure text in figures.po changed since its "
        "Chinese twins were made"
    ]
    zh_figures.record_translations(["01_x"])  # what update-figures does after its run
    assert zh_figures.twin_problems(root=root) == []


def test_the_site_replaces_each_figure_by_its_twin_unless_stale(fake_figures):
    root, figures, notebook = fake_figures
    path = root / "chapters" / "01_x.ipynb"
    assert zh_figures.chinese_figure(path, "c1", 1) == figures / "01_x" / "c1-1.png"
    assert zh_figures.chinese_figure(path, "c1", 2) is None
    assert zh_figures.chinese_figure(root / "chapters" / "02_y.ipynb", "c1", 0) is None
    shown = copy.deepcopy(notebook)
    shown.cells[0].outputs[1]["data"]["image/png"] = base64.b64encode(
        b"edited"
    ).decode()
    assert zh_figures.substitute_figures(shown, path) == 1
    images = [base64.b64decode(o["data"]["image/png"]) for o in shown.cells[0].outputs]
    assert images == [b"chinese\x00", b"edited"], "a stale twin is not shown"


def test_the_site_substitution_covers_every_real_figure():
    for path in zh_figures.stored_notebooks():
        notebook = nbformat.read(path, as_version=4)
        count = sum(1 for _ in zh_figures.image_outputs(notebook))
        assert zh_figures.substitute_figures(notebook, path) == count, path.name


def test_a_failing_cell_or_stderr_fails_the_generation(monkeypatch, tmp_path):
    cell = nbformat.v4.new_code_cell("plt.title('x')", id="bad")
    notebook = nbformat.v4.new_notebook(cells=[cell])

    def run_with_missing_glyph(nb, folder):
        nb.cells[0].outputs = [
            nbformat.v4.new_output(
                "stream",
                name="stderr",
                text="MissingGlyphError: Font 'default' does not have a glyph",
            )
        ]

    monkeypatch.setattr(zh_figures.notebooks, "execute", run_with_missing_glyph)
    with pytest.raises(
        zh_figures.FigureGenerationError, match="(?s)cell 'bad'.*does not have a glyph"
    ):
        zh_figures.execute_in(notebook, tmp_path, "zh_CN", tmp_path / "log")


def test_a_chinese_run_with_other_figures_than_the_stored_ones_fails(fake_figures):
    _, _, notebook = fake_figures
    fewer = copy.deepcopy(notebook)
    fewer.cells[0].outputs.pop()
    with pytest.raises(
        zh_figures.FigureGenerationError, match="not those of the stored"
    ):
        zh_figures._matching_figures(notebook, fewer, "01_x.ipynb")


def test_the_catalogue_keeps_other_notebooks_messages_and_drops_what_no_figure_draws(
    tmp_path, monkeypatch
):
    path = tmp_path / "figures.po"
    monkeypatch.setattr(zh_figures, "catalogue_path", lambda lang=None: path)
    zh_figures.merge_catalogue(
        {
            "01_a": {"epoch": "epoch", "gone {n1}": "gone 3"},
            "02_b": {"epoch": "epoch", "loss": "loss"},
        }
    )
    from babel.messages.pofile import read_po, write_po

    catalog = read_po(path.open("rb"))
    catalog["epoch"].string = "轮"
    with path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False)
    zh_figures.merge_catalogue(
        {"01_a": {"epoch": "epoch", "new {n1}": "new 4"}}
    )  # 01 re-run
    messages = {
        m.id: (m.string, [c for c in m.auto_comments])
        for m in read_po(path.open("rb"))
        if m.id
    }
    assert messages == {
        "epoch": ("轮", ["drawn by 01_a", "drawn by 02_b"]),
        "loss": ("", ["drawn by 02_b"]),
        "new {n1}": ("", ["drawn by 01_a", "e.g. 'new 4'"]),
    }


def test_figure_messages_do_not_leak_into_the_hint_catalogue():
    from utils import i18n

    i18n.catalogue.cache_clear()
    try:
        assert "chosen λ = {n1}" not in i18n.catalogue("zh_CN")
    finally:
        i18n.catalogue.cache_clear()


def test_stored_twins_are_real_chinese_pngs():
    manifest = zh_figures.read_manifest()
    assert len(manifest) >= 2 * 58
    for entry in manifest.values():
        assert (zh_figures.figures_dir() / entry["png"]).read_bytes()[
            :8
        ] == b"\x89PNG\r\n\x1a\n"
    assert (
        ROOT / "locale" / "zh_CN" / "figures" / "manifest.json"
    ) == zh_figures.manifest_path()


def test_a_cell_raising_a_missing_glyph_fails_the_generation_with_the_glyph_named(
    monkeypatch, tmp_path
):
    from nbclient.exceptions import CellExecutionError

    def run_raising(nb, folder):
        raise CellExecutionError(
            "Traceback ...\n\x1b[31mUserWarning\x1b[39m: Glyph 57344 "
            "(\\ue000) missing from font(s) DejaVu Sans.\n",
            "UserWarning",
            "Glyph 57344",
        )

    monkeypatch.setattr(zh_figures.notebooks, "execute", run_raising)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", id="c")])
    with pytest.raises(
        zh_figures.FigureGenerationError,
        match=r"zh_CN: UserWarning: Glyph 57344 \(\\ue000\) missing",
    ):
        zh_figures.execute_in(notebook, tmp_path, "zh_CN", tmp_path / "log")
