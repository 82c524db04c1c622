"""The website: it builds without warnings, and a page renders math and figures with no network."""
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
    import re
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
