"""The website: it builds without warnings in both editions, its pages render math,
figures, quizzes and search with no network (headless Chromium), and its one launch
setting adds launch buttons and nothing else."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tools import download_archive

pytestmark = pytest.mark.slow  # builds the whole site

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def build(book, out=None, env=None):
    """Build ``book`` from its stored outputs into ``out`` (default: the book's own
    folder), warnings as errors; ``env``: extra environment variables."""
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("jupyter-book")),
            *("build", str(book), "-W", "-n", "--keep-going"),
            *(["--path-output", str(out)] if out is not None else []),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return (book if out is None else out) / "_build" / "html"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Both editions as shipped (the launch setting empty)."""
    return build(ROOT, tmp_path_factory.mktemp("site"))


def test_site_builds_without_warnings_and_ships_mathjax(built_site):
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").exists()
    page = (built_site / "chapters" / "01_linear_score_function.html").read_text()
    assert 'src="../_static/mathjax/tex-chtml.js' in page
    # The .ipynb is downloadable from the page.
    assert (
        built_site / "_sources" / "chapters" / "01_linear_score_function.ipynb"
    ).exists()


def test_no_page_loads_anything_from_the_network(built_site):
    remote = re.compile(
        r"<(?:script|link|img)[^>]+(?:src|href)=\"(?:https?:)?//", re.IGNORECASE
    )
    offenders = [
        p.name for p in built_site.rglob("*.html") if remote.search(p.read_text())
    ]
    assert offenders == []


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """One headless Chromium for the module's browser tests (starting one takes about
    a second); each test gets it through ``browser``, reset as a fresh tab would be."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip(
            "Chromium is not installed (Debian: apt-get install chromium "
            "chromium-driver); the browser test of the website is skipped"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console messages
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium') / 'profile'}",
        # No network: every host fails to resolve and any proxy use goes nowhere.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(60)
    driver.course_window_size = driver.get_window_size()  # restored before each test
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium):
    """The shared Chromium at its first window size, on a blank page, with no console
    messages of earlier tests; afterwards the pages' stored state is cleared."""
    size = chromium.course_window_size
    chromium.set_window_size(size["width"], size["height"])
    chromium.get("about:blank")
    chromium.get_log("browser")  # the console messages of earlier tests
    yield chromium
    if chromium.current_url.startswith("file:"):
        chromium.execute_script("localStorage.clear(); sessionStorage.clear();")


def test_chapter_page_typesets_math_and_loads_figures_offline(built_site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((built_site / "chapters" / "01_linear_score_function.html").as_uri())
    WebDriverWait(browser, 60).until(
        lambda d: d.execute_script(
            "return !!(window.MathJax && MathJax.startup && MathJax.startup.promise)"
        )
    )
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "MathJax.startup.promise.then(() => done(true));"
    )
    typeset = browser.execute_script(
        "return document.querySelectorAll('mjx-container').length"
    )
    errors = browser.execute_script(
        "return document.querySelectorAll('mjx-merror').length"
    )
    text = browser.execute_script("return document.querySelector('main').innerText")
    assert typeset >= 20 and errors == 0
    for raw in ("$$", "\\[", "\\(", "\\begin{"):
        assert raw not in text, f"untypeset math {raw!r} is visible"
    images = browser.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output img'))"
        ".map(i => [i.complete, i.naturalWidth])"
    )
    assert len(images) >= 5
    assert all(complete and width > 0 for complete, width in images), images
    remote = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => !n.startsWith('file:') && !n.startsWith('data:'))"
    )
    assert remote == []


def test_quiz_gives_feedback_on_wrong_answers_without_a_kernel(built_site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    from utils.quiz import load_questions

    browser.get((built_site / "chapters" / "01_linear_score_function.html").as_uri())
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".MCButton")
    )

    def feedback():
        return browser.execute_script(
            "return Array.from(document.querySelectorAll('.Feedback'))"
            ".map(f => f.innerText.trim()).filter(t => t)"
        )

    questions = load_questions(1)
    choice = next(q for q in questions if q["type"] == "multiple_choice")
    wrong = next(a for a in choice["answers"] if not a["correct"])
    button = next(
        b
        for b in browser.find_elements(By.CSS_SELECTOR, ".MCButton")
        if b.text.strip() == wrong["answer"]
    )
    # a script's click: older themes (the newest that installs on Python 3.10) scroll
    # the page in a way WebDriver's hit test misreads as "click intercepted"
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", button
    )
    assert wrong["feedback"] in feedback()

    numeric = next(q for q in questions if q["type"] == "numeric")
    wrong_value = next(
        a for a in numeric["answers"] if a["type"] == "value" and not a["correct"]
    )
    box = browser.find_elements(By.CSS_SELECTOR, ".Quiz input")[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.send_keys(str(wrong_value["value"]), Keys.ENTER)
    assert wrong_value["feedback"] in feedback()


# --------------------------------------------------------------------------------------
# Reading at any width, and what the build must not publish (issue 16)
# --------------------------------------------------------------------------------------

CHAPTER_PAGES = sorted(
    f"{kind}/{p.stem}.html"
    for kind in ("chapters", "solutions")
    for p in (ROOT / kind).glob("0*.ipynb")
)


def _visible_text(html):
    """The page's text: tags removed, scripts and styles dropped, entities left as
    they are."""
    html = re.sub(
        r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE
    )
    return re.sub(r"<[^>]+>", " ", html)


def test_every_page_writes_sphinx_thebes_script_at_most_once(built_site):
    # The cause of "Identifier 'THEBE_JS_URL' has already been declared": the
    # declaration twice.
    pages = list(built_site.rglob("*.html"))
    assert len(pages) >= 15
    twice = [p.name for p in pages if p.read_text().count("const THEBE_JS_URL") > 1]
    assert twice == []


@pytest.mark.parametrize(
    "page",
    [
        "intro.html",
        "chapters/01_linear_score_function.html",
        "solutions/05_backpropagation.html",
    ],
)
def test_pages_log_no_console_errors(built_site, browser, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((built_site / page).as_uri())
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.readyState === 'complete'")
    )
    if page != "intro.html":  # the quiz is the last script to run
        WebDriverWait(browser, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".Quiz")
        )
    errors = [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE"
    ]
    assert errors == []


# Elements whose content a reader must see whole: code, outputs, tables, figures.
OVERFLOW_JS = """
const width = document.documentElement.clientWidth;
const found = [];
for (const el of document.querySelectorAll(
        '.bd-article .cell_input pre, .bd-article .cell_output pre, .bd-article table,'
        + ' .bd-article .cell_output img')) {
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 || box.right > width + 1) {
        found.push(el.tagName + ': ' + el.textContent.trim().slice(0, 60));
    }
}
if (document.documentElement.scrollWidth > width + 1) {
    found.push('the page scrolls sideways');
}
return found;
"""


@pytest.mark.parametrize("width", [400, 1280])
@pytest.mark.parametrize(
    "page",
    [
        "intro.html",
        "chapters/01_linear_score_function.html",
        "solutions/04_gradient_descent.html",
        "solutions/05_backpropagation.html",
    ],
)
def test_code_outputs_and_tables_fit_the_window(built_site, browser, page, width):
    browser.set_window_size(width, 1000)
    browser.get((built_site / page).as_uri())
    measured = browser.execute_script("return document.documentElement.clientWidth")
    assert measured <= width
    assert browser.execute_script(OVERFLOW_JS) == []


def test_overflow_probe_sees_an_unwrapped_line(built_site, browser):
    """The probe above can fail: a 200-character output line without wrapping is
    reported."""
    browser.set_window_size(400, 1000)
    browser.get((built_site / "chapters/01_linear_score_function.html").as_uri())
    browser.execute_script(
        "const pre = document.querySelector('.bd-article .cell_output pre');"
        "pre.style.whiteSpace = 'pre'; pre.style.overflowX = 'auto';"
        "pre.textContent = 'x'.repeat(200);"
    )
    assert browser.execute_script(OVERFLOW_JS) != []


def _section(html, anchor):
    match = re.search(rf'<section id="{anchor}">(.*?)</section>', html, re.DOTALL)
    assert match, f"no section #{anchor}"
    return match.group(1)


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_further_reading_addresses_are_links(built_site, page):
    reading = _section((built_site / page).read_text(), "further-reading")
    assert "<a " in reading
    outside_links = _visible_text(re.sub(r"<a\b.*?</a>", " ", reading, flags=re.DOTALL))
    assert re.findall(r"https?://\S+", outside_links) == []


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_one_pitfalls_title_and_one_quiz_heading(built_site, page):
    html = (built_site / page).read_text()
    assert '<p class="admonition-title">Common pitfalls</p>' in html
    assert '<p class="admonition-title">Warning</p>' not in html
    assert 'id="concept-check"' in html


def test_solution_pages_hide_the_solution_markers(built_site):
    pages = sorted((built_site / "solutions").glob("0*.html"))
    assert len(pages) >= 6
    for page in pages:
        text = _visible_text(page.read_text())
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, page.name
    # the solution code itself is still there (whitespace aside: the highlighter splits
    # lines into tokens), and the downloadable notebook keeps the markers
    import nbformat

    notebook = nbformat.read(ROOT / "solutions" / "01_linear_score_function.ipynb", 4)
    blocks = re.findall(
        r"# BEGIN SOLUTION\n(.*?)# END SOLUTION",
        "\n".join(c.source for c in notebook.cells if c.cell_type == "code"),
        re.DOTALL,
    )
    plain = [
        line
        for block in blocks
        for line in block.splitlines()
        if re.fullmatch(r"[\w .,=()\[\]:+*-]{12,}", line.strip())
    ]
    assert len(plain) >= 5
    page = re.sub(
        r"\s+",
        "",
        _visible_text(
            (built_site / "solutions" / "01_linear_score_function.html").read_text()
        ),
    )
    assert [line for line in plain if re.sub(r"\s+", "", line) not in page] == []
    source = built_site / "_sources" / "solutions" / "01_linear_score_function.ipynb"
    assert "# BEGIN SOLUTION" in source.read_text()


def test_the_marker_hook_drops_only_marker_lines():
    """tools/course_site.py on a code block: marker lines go, the code and its
    indentation stay."""
    import importlib.util

    from docutils import nodes

    spec = importlib.util.spec_from_file_location(
        "course_site", ROOT / "tools" / "course_site.py"
    )
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    code = (
        "def f(x):\n    # BEGIN SOLUTION\n    y = x + 1  # not a marker: SOLUTION\n"
        "    return y\n    # END SOLUTION\n"
    )
    block = nodes.literal_block(code, code)
    tree = nodes.section()
    tree += block
    hook.drop_solution_markers(None, tree)
    assert (
        block.astext()
        == block.rawsource
        == ("def f(x):\n    y = x + 1  # not a marker: SOLUTION\n    return y\n")
    )


# --------------------------------------------------------------------------------------
# The Chinese edition (issue 17): built by the same command into _build/html/zh_CN
# --------------------------------------------------------------------------------------

ZH = "zh_CN"
LANG_ATTR = re.compile(r'<html[^>]*\blang="([^"]+)"')
SWITCH = re.compile(r'<a class="btn btn-sm course-language-switch" href="([^"]+)"')


def _pages(site):
    """The site's pages (relative paths), the Chinese edition's and the redirect
    ``index.html`` excluded."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] not in (ZH, "_static", "_sources")
        and p.name != "index.html"
    )


def test_both_editions_have_the_same_pages_each_in_its_language(built_site):
    english, chinese = _pages(built_site), _pages(built_site / ZH)
    assert len(english) >= 19 and chinese == english
    assert (built_site / ZH / "index.html").exists()
    for page in english:
        assert LANG_ATTR.search((built_site / page).read_text()).group(1) == "en", page
        assert (
            LANG_ATTR.search((built_site / ZH / page).read_text()).group(1) == "zh-CN"
        ), page
    # one download archive, at the root; the Chinese build keeps its images to itself
    assert (built_site / "nn-foundations-course.zip").exists()
    assert not (built_site / ZH / "nn-foundations-course.zip").exists()
    assert not (built_site / "jupyter_execute").exists()


def test_every_page_of_both_editions_switches_to_the_same_page_in_the_other(built_site):
    for page in _pages(built_site):
        for here, there in (
            (built_site, built_site / ZH),
            (built_site / ZH, built_site),
        ):
            found = SWITCH.findall((here / page).read_text())
            assert len(found) == 1, f"{here / page}: {len(found)} language switches"
            target = ((here / page).parent / found[0]).resolve()
            assert target == (there / page).resolve(), (here / page, found[0])


def _local_links(page):
    """(target file, fragment) of each relative link of a page."""
    for href in re.findall(
        r'<a [^>]*href="([^"#:?]*\.html)(?:#([^"]*))?"', page.read_text()
    ):
        yield (page.parent / href[0]).resolve(), href[1]


@pytest.mark.parametrize("edition", ["", ZH])
def test_links_between_pages_and_their_anchors_resolve(built_site, edition):
    """Exercise and solution pages link each other's headings; in the Chinese edition
    the headings are translated, and the anchors must still be there."""
    site = built_site / edition if edition else built_site
    broken = []
    for page in CHAPTER_PAGES + ["intro.html"]:
        for target, fragment in _local_links(site / page):
            if not target.exists():
                broken.append(f"{page} -> {target.name} (no such page)")
            elif fragment and f'id="{fragment}"' not in target.read_text():
                broken.append(f"{page} -> {target.name}#{fragment}")
    assert broken == []


def test_the_chinese_glossary_lists_the_chinese_term_first(built_site):
    def first_cells(page):
        html = page.read_text()
        header = re.search(r"<thead>.*?<th[^>]*>(.*?)</th>", html, re.DOTALL).group(1)
        row = re.search(r"<tbody>.*?<td[^>]*>(.*?)</td>", html, re.DOTALL).group(1)
        return _visible_text(header).strip(), _visible_text(row).strip()

    english = first_cells(built_site / "appendices" / "glossary.html")
    chinese = first_cells(built_site / ZH / "appendices" / "glossary.html")
    assert english == ("English", "absolute error")
    assert chinese == ("中文", "绝对误差")


def test_chinese_pages_link_the_one_download_archive(built_site):
    links = [
        (page, href)
        for page in (built_site / ZH).rglob("*.html")
        for href in re.findall(
            r'href="([^"]*nn-foundations-course\.zip)"', page.read_text()
        )
    ]
    assert len(links) >= 15  # the home page and every notebook's banner
    missing = [
        (p.name, h)
        for p, h in links
        if (p.parent / h).resolve()
        != (built_site / "nn-foundations-course.zip").resolve()
    ]
    assert missing == []


@pytest.mark.parametrize("width", [400, 1280])
def test_the_language_switch_opens_the_same_page_in_the_browser(
    built_site, browser, width
):
    from selenium.webdriver.common.by import By

    browser.set_window_size(width, 900)
    page = "appendices/glossary.html"  # a page one folder down, light to load
    browser.get((built_site / page).as_uri())
    for lang, expected in (
        ("zh-CN", built_site / ZH / page),
        ("en", built_site / page),
    ):
        switch = browser.find_element(By.CSS_SELECTOR, ".course-language-switch")
        box = browser.execute_script(
            "const b = arguments[0].getBoundingClientRect();"
            "return [b.left, b.top, b.right, b.bottom, innerWidth, getComputedStyle("
            "arguments[0]).visibility];",
            switch,
        )
        assert box[0] >= 0 and box[1] >= 0 and box[2] <= box[4] and box[3] > box[1], box
        assert box[5] == "visible" and switch.is_displayed()
        switch.click()
        assert browser.current_url == expected.as_uri()
        assert browser.execute_script("return document.documentElement.lang") == lang


def _search(browser, site, query):
    """The pages the site's own search lists for ``query`` (offline, from file://)."""
    from urllib.parse import quote

    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{(site / 'search.html').as_uri()}?q={quote(query)}")
    # the summary stays empty until the search has listed every result
    WebDriverWait(browser, 60).until(
        lambda d: d.execute_script(
            "const summary = document.querySelector('#search-results .search-summary');"
            "return !!summary && summary.innerText.trim() !== ''"
        )
    )
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#search-results ul.search li a'))"
        ".map(a => a.getAttribute('href'))"
    )


@pytest.mark.parametrize(
    "edition, query, chapter",
    [
        (ZH, "反向传播", "05_backpropagation"),
        (ZH, "交叉熵", "02_svm_vs_softmax"),
        ("", "backpropagation", "05_backpropagation"),
        ("", "cross-entropy", "02_svm_vs_softmax"),
    ],
)
def test_search_finds_the_chapter_offline(built_site, browser, edition, query, chapter):
    site = built_site / edition if edition else built_site
    found = _search(browser, site, query)
    assert any(f"chapters/{chapter}.html" in href for href in found), (
        query,
        found[:10],
    )


def test_search_of_a_word_no_page_has_finds_nothing(built_site, browser):
    assert _search(browser, built_site / ZH, "量子色动力学") == []


CJK_FONT_INSTALLED = bool(shutil.which("fc-list")) and bool(
    subprocess.run(
        ["fc-list", ":lang=zh"], capture_output=True, text=True
    ).stdout.strip()
)

GLYPHS_JS = """
const font = getComputedStyle(arguments[0]).fontFamily;
const draw = (ch) => {
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 64;
  const context = canvas.getContext('2d'); context.font = '48px ' + font;
  context.fillText(ch, 4, 52); return canvas.toDataURL();
};
const text = Array.from(new Set(Array.from(arguments[1])));
const drawn = text.map(draw);
const tofu = [draw('\\u0378'), draw('\\u0379'), draw('\\u0380')];
return {font: font, distinct: new Set(drawn).size, count: drawn.length,
        tofu: drawn.filter(d => tofu.includes(d)).length,
        blank: drawn.includes(draw(' '))};
"""


def _glyph_probe(browser, element, text):
    return browser.execute_script(GLYPHS_JS, element, text)


@pytest.mark.skipif(
    not CJK_FONT_INSTALLED,
    reason="no CJK font is installed (fc-list :lang=zh "
    "finds none; Debian: apt-get install fonts-wqy-microhei or fonts-noto-cjk), "
    "so Chinese cannot render on this machine",
)
def test_chinese_heading_renders_with_real_glyphs(built_site, browser):
    from selenium.webdriver.common.by import By

    browser.get((built_site / ZH / "chapters" / "05_backpropagation.html").as_uri())
    heading = browser.find_element(By.CSS_SELECTOR, "main h1")
    chinese = "".join(re.findall(r"[\u3400-\u9fff]", heading.text))[:8] or "搜索目录"
    probe = _glyph_probe(browser, heading, chinese)
    assert probe["count"] >= 2 and probe["distinct"] == probe["count"], probe
    assert probe["tofu"] == 0 and not probe["blank"], probe
    # the CJK stack of course.css is the font of the Chinese edition
    assert "WenQuanYi Micro Hei" in probe["font"] or "Noto Sans CJK SC" in probe["font"]


@pytest.mark.skipif(not CJK_FONT_INSTALLED, reason="no CJK font is installed")
def test_the_glyph_probe_sees_tofu(built_site, browser):
    """The probe above can fail: code points no font has all draw the same box."""
    from selenium.webdriver.common.by import By

    browser.get((built_site / ZH / "intro.html").as_uri())
    heading = browser.find_element(By.CSS_SELECTOR, "main h1")
    probe = _glyph_probe(browser, heading, "\u0378\u0379\u0380")
    assert probe["distinct"] < probe["count"] or probe["tofu"] == probe["count"], probe


def test_chinese_chapter_typesets_math_offline(built_site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((built_site / ZH / "chapters" / "02_svm_vs_softmax.html").as_uri())
    WebDriverWait(browser, 60).until(
        lambda d: d.execute_script(
            "return !!(window.MathJax && MathJax.startup && MathJax.startup.promise)"
        )
    )
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "MathJax.startup.promise.then(() => done(true));"
    )
    assert (
        browser.execute_script(
            "return document.querySelectorAll('mjx-container').length"
        )
        >= 20
    )
    assert (
        browser.execute_script("return document.querySelectorAll('mjx-merror').length")
        == 0
    )
    remote = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => !n.startsWith('file:') && !n.startsWith('data:'))"
    )
    assert remote == []


def test_chinese_pages_show_the_translated_quiz_and_printed_lines(built_site):
    import html
    import json

    from tools.zh_outputs import output_translations
    from utils.quiz import load_questions

    page = (built_site / ZH / "chapters" / "01_linear_score_function.html").read_text()
    english = (built_site / "chapters" / "01_linear_score_function.html").read_text()
    for question in load_questions(
        1, ZH
    ):  # the catalogue's words (English where untranslated)
        assert json.dumps(question["question"])[1:-1] in page
    for question in load_questions(1):
        assert json.dumps(question["question"])[1:-1] in english
    lines = {
        en: zh
        for en, zh in output_translations(ZH).items()
        if html.escape(en, quote=False) in english
    }
    if not lines:
        pytest.skip("outputs.po translates no line of chapter 1 yet")
    missing = [zh for zh in lines.values() if html.escape(zh, quote=False) not in page]
    assert missing == []


# --------------------------------------------------------------------------------------
# The one launch setting (``repository_url`` in _config.yml) in both states: as shipped
# (empty: built_site, both editions) and set. The second build is of a copy of the book
# without locale/, in English only, so it also shows that the English edition does not
# depend on the translations. (That the Chinese build reads the same configuration file
# is tested in tests/test_translation.py.)


URL = "https://github.com/example-org/nn-course"
PAGE = "chapters/01_linear_score_function"


LAUNCH = re.compile(
    r"mybinder\.org|colab\.research\.google\.com|launch-buttons|logo_binder"
)


def _book_copy_ignores(folder, names):
    """What the copy of the book leaves out: build products, and the site's translations
    (``locale/`` at the top; the package's own catalogues in ``utils/locale/`` stay)."""
    left_out = shutil.ignore_patterns(
        ".venv*", "_build", ".git", "__pycache__", "*.egg-info"
    )(folder, names)
    if Path(folder) == ROOT:
        left_out.add("locale")
    return left_out


@pytest.fixture(scope="module")
def sites(built_site, tmp_path_factory):
    copy = tmp_path_factory.mktemp("launch-set") / "book"
    shutil.copytree(
        ROOT,
        copy,
        ignore=_book_copy_ignores,
    )
    config = copy / "_config.yml"
    text = config.read_text(encoding="utf-8")
    assert 'repository_url: ""' in text
    config.write_text(
        text.replace('repository_url: ""', f'repository_url: "{URL}"'), encoding="utf-8"
    )
    return {"empty": built_site, "set": build(copy, env={"COURSE_SKIP_ZH_SITE": "1"})}


def test_with_the_setting_empty_no_page_of_either_edition_has_a_launch_button(sites):
    pages = sorted(sites["empty"].rglob("*.html"))
    assert sum(p.parent.name == "chapters" for p in pages) == 14  # both editions
    assert [p.name for p in pages if LAUNCH.search(p.read_text(encoding="utf-8"))] == []


def test_with_the_setting_set_notebook_pages_launch_on_binder_and_colab(sites):
    for page in (PAGE, "solutions/03_regularization"):
        html = (sites["set"] / f"{page}.html").read_text(encoding="utf-8")
        binder = f"https://mybinder.org/v2/gh/example-org/nn-course/main?urlpath=lab/tree/{page}.ipynb"
        colab = f"https://colab.research.google.com/github/example-org/nn-course/blob/main/{page}.ipynb"
        assert binder in html and colab in html, page
    # Pages that are not notebooks get none.
    assert not LAUNCH.search(
        (sites["set"] / "appendices" / "glossary.html").read_text()
    )


def test_the_setting_and_the_catalogues_change_nothing_else_in_english(sites):
    """Apart from the launch buttons, the English pages built with the setting set and
    without locale/ are the shipped ones, line for line."""

    def text(site, page):
        html = (site / page).read_text(encoding="utf-8")
        html = re.sub(r"\?digest=[0-9a-f]+", "", html)
        # Drop the launch-button dropdown the theme inserts (an element with its own
        # markup).
        html = re.sub(
            r'<div class="dropdown dropdown-launch-buttons">.*?</ul>\s*</div>',
            "",
            html,
            flags=re.DOTALL,
        )
        return [line for line in html.splitlines() if line.strip()]

    for page in (
        "intro.html",
        f"{PAGE}.html",
        "solutions/05_backpropagation.html",
        "appendices/glossary.html",
    ):
        assert text(sites["empty"], page) == text(sites["set"], page), page
    assert not (sites["set"] / ZH).exists()


def test_the_archive_is_in_the_site_and_linked_from_the_home_page_and_every_chapter(
    sites,
):
    for site in sites.values():
        archive = site / download_archive.ARCHIVE_NAME
        assert (
            archive.read_bytes()
            == download_archive.build(archive.with_suffix(".check")).read_bytes()
        )
        archive.with_suffix(".check").unlink()
        pages = (
            [site / "intro.html"]
            + sorted((site / "chapters").glob("*.html"))
            + sorted((site / "solutions").glob("*.html"))
        )
        assert len(pages) == 15
        for page in pages:
            hrefs = re.findall(
                r'<a href="([^"]*'
                + re.escape(download_archive.ARCHIVE_NAME)
                + r')" download>Download the exercises</a>',
                page.read_text(),
            )
            assert hrefs, f"{page.name} does not link the archive"
            assert all(
                (page.parent / h).resolve() == archive.resolve() for h in hrefs
            ), page.name
