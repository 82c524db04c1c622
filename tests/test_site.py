"""The website: it builds without warnings, and a page renders math and figures with no network."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # builds the whole site

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Build the book from the stored outputs into a temporary folder, warnings as errors."""
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--path-output",
         str(out), "-W", "-n", "--keep-going"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out / "_build" / "html"


def test_site_builds_without_warnings_and_ships_mathjax(built_site):
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").exists()
    page = (built_site / "chapters" / "01_linear_score_function.html").read_text()
    assert 'src="../_static/mathjax/tex-chtml.js' in page
    # The .ipynb is downloadable from the page.
    assert (built_site / "_sources" / "chapters" / "01_linear_score_function.ipynb").exists()


def test_no_page_loads_anything_from_the_network(built_site):
    remote = re.compile(r"<(?:script|link|img)[^>]+(?:src|href)=\"(?:https?:)?//", re.IGNORECASE)
    offenders = [p.name for p in built_site.rglob("*.html") if remote.search(p.read_text())]
    assert offenders == []


@pytest.fixture
def browser(tmp_path):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium chromium-driver); "
                    "the browser test of the website is skipped")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console messages
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}",
                # No network: every host fails to resolve and any proxy use goes nowhere.
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def test_chapter_page_typesets_math_and_loads_figures_offline(built_site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((built_site / "chapters" / "01_linear_score_function.html").as_uri())
    WebDriverWait(browser, 60).until(lambda d: d.execute_script(
        "return !!(window.MathJax && MathJax.startup && MathJax.startup.promise)"))
    browser.execute_async_script("const done = arguments[arguments.length - 1];"
                                 "MathJax.startup.promise.then(() => done(true));")
    typeset = browser.execute_script("return document.querySelectorAll('mjx-container').length")
    errors = browser.execute_script("return document.querySelectorAll('mjx-merror').length")
    text = browser.execute_script("return document.querySelector('main').innerText")
    assert typeset >= 20 and errors == 0
    for raw in ("$$", "\\[", "\\(", "\\begin{"):
        assert raw not in text, f"untypeset math {raw!r} is visible"
    images = browser.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output img'))"
        ".map(i => [i.complete, i.naturalWidth])")
    assert len(images) >= 5
    assert all(complete and width > 0 for complete, width in images), images
    remote = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => !n.startsWith('file:') && !n.startsWith('data:'))")
    assert remote == []


def test_quiz_gives_feedback_on_wrong_answers_without_a_kernel(built_site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    from utils.quiz import load_questions

    browser.get((built_site / "chapters" / "01_linear_score_function.html").as_uri())
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".MCButton"))

    def feedback():
        return browser.execute_script(
            "return Array.from(document.querySelectorAll('.Feedback'))"
            ".map(f => f.innerText.trim()).filter(t => t)")

    questions = load_questions(1)
    choice = next(q for q in questions if q["type"] == "multiple_choice")
    wrong = next(a for a in choice["answers"] if not a["correct"])
    button = next(b for b in browser.find_elements(By.CSS_SELECTOR, ".MCButton")
                  if b.text.strip() == wrong["answer"])
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    assert wrong["feedback"] in feedback()

    numeric = next(q for q in questions if q["type"] == "numeric")
    wrong_value = next(a for a in numeric["answers"] if a["type"] == "value" and not a["correct"])
    box = browser.find_elements(By.CSS_SELECTOR, ".Quiz input")[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.send_keys(str(wrong_value["value"]), Keys.ENTER)
    assert wrong_value["feedback"] in feedback()


# ------------------------------------------------------------------------------------------
# Reading at any width, and what the build must not publish (issue 16)
# ------------------------------------------------------------------------------------------

CHAPTER_PAGES = sorted(f"{kind}/{p.stem}.html" for kind in ("chapters", "solutions")
                       for p in (ROOT / kind).glob("0*.ipynb"))


def _visible_text(html):
    """The page's text: tags removed, scripts and styles dropped, entities left as they are."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    return re.sub(r"<[^>]+>", " ", html)


def test_every_page_writes_sphinx_thebes_script_at_most_once(built_site):
    # The cause of "Identifier 'THEBE_JS_URL' has already been declared": the declaration twice.
    pages = list(built_site.rglob("*.html"))
    assert len(pages) >= 15
    twice = [p.name for p in pages if p.read_text().count("const THEBE_JS_URL") > 1]
    assert twice == []


@pytest.mark.parametrize("page", ["intro.html", "chapters/01_linear_score_function.html",
                                  "solutions/05_backpropagation.html"])
def test_pages_log_no_console_errors(built_site, browser, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((built_site / page).as_uri())
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "return document.readyState === 'complete'"))
    if page != "intro.html":  # the quiz is the last script to run
        WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".Quiz"))
    errors = [entry["message"] for entry in browser.get_log("browser")
              if entry["level"] == "SEVERE"]
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
if (document.documentElement.scrollWidth > width + 1) found.push('the page scrolls sideways');
return found;
"""


@pytest.mark.parametrize("width", [400, 1280])
@pytest.mark.parametrize("page", ["intro.html", "chapters/01_linear_score_function.html",
                                  "solutions/04_gradient_descent.html",
                                  "solutions/05_backpropagation.html"])
def test_code_outputs_and_tables_fit_the_window(built_site, browser, page, width):
    browser.set_window_size(width, 1000)
    browser.get((built_site / page).as_uri())
    measured = browser.execute_script("return document.documentElement.clientWidth")
    assert measured <= width
    assert browser.execute_script(OVERFLOW_JS) == []


def test_overflow_probe_sees_an_unwrapped_line(built_site, browser):
    """The probe above can fail: a 200-character output line without wrapping is reported."""
    browser.set_window_size(400, 1000)
    browser.get((built_site / "chapters/01_linear_score_function.html").as_uri())
    browser.execute_script(
        "const pre = document.querySelector('.bd-article .cell_output pre');"
        "pre.style.whiteSpace = 'pre'; pre.style.overflowX = 'auto';"
        "pre.textContent = 'x'.repeat(200);")
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
    # the solution code itself is still there (whitespace aside: the highlighter splits lines
    # into tokens), and the downloadable notebook keeps the markers
    import nbformat

    notebook = nbformat.read(ROOT / "solutions" / "01_linear_score_function.ipynb", 4)
    blocks = re.findall(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION",
                        "\n".join(c.source for c in notebook.cells if c.cell_type == "code"),
                        re.DOTALL)
    plain = [line for block in blocks for line in block.splitlines()
             if re.fullmatch(r"[\w .,=()\[\]:+*-]{12,}", line.strip())]
    assert len(plain) >= 5
    page = re.sub(r"\s+", "", _visible_text(
        (built_site / "solutions" / "01_linear_score_function.html").read_text()))
    assert [line for line in plain if re.sub(r"\s+", "", line) not in page] == []
    source = built_site / "_sources" / "solutions" / "01_linear_score_function.ipynb"
    assert "# BEGIN SOLUTION" in source.read_text()


def test_the_marker_hook_drops_only_marker_lines():
    """tools/course_site.py on a code block: marker lines go, the code and its indentation stay."""
    import importlib.util

    from docutils import nodes

    spec = importlib.util.spec_from_file_location("course_site", ROOT / "tools" / "course_site.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    code = ("def f(x):\n    # BEGIN SOLUTION\n    y = x + 1  # not a marker: SOLUTION\n"
            "    return y\n    # END SOLUTION\n")
    block = nodes.literal_block(code, code)
    tree = nodes.section()
    tree += block
    hook.drop_solution_markers(None, tree)
    assert block.astext() == block.rawsource == (
        "def f(x):\n    y = x + 1  # not a marker: SOLUTION\n    return y\n")
