"""The website in both states of its one launch setting (``repository_url`` in
_config.yml), and the download archive it ships: a build with a temporary configuration
for each state. The state with the setting set is built in both editions; the empty one
is the shipped configuration, whose Chinese pages tests/test_site.py checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tools import download_archive

pytestmark = pytest.mark.slow  # builds the site twice

URL = "https://github.com/example-org/nn-course"
PAGE = "chapters/01_linear_score_function"


def build(tmp_path, repository_url, chinese=True):
    """Build the book with ``_config.yml`` but for ``repository_url``, warnings as
    errors; without the Chinese edition if not ``chinese``."""
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert 'repository_url: ""' in text and "tools.site_extension: ./" in text
    text = text.replace('repository_url: ""', f'repository_url: "{repository_url}"')
    # The extension's folder is given relative to the configuration file: point it at
    # the book.
    text = text.replace("tools.site_extension: ./", f"tools.site_extension: {ROOT}")
    config = tmp_path / "_config.yml"
    config.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("jupyter-book")),
            "build",
            str(ROOT),
            "--config",
            str(config),
            "--path-output",
            str(tmp_path),
            "-W",
            "-n",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "COURSE_SKIP_ZH_SITE": "" if chinese else "1"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return tmp_path / "_build" / "html"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    return {
        "empty": build(tmp_path_factory.mktemp("empty"), "", chinese=False),
        "set": build(tmp_path_factory.mktemp("set"), URL),
    }


LAUNCH = re.compile(
    r"mybinder\.org|colab\.research\.google\.com|launch-buttons|logo_binder"
)


def test_with_the_setting_empty_no_page_has_a_launch_button(sites):
    pages = sorted(sites["empty"].rglob("*.html"))
    assert len(pages) > 15
    assert [p.name for p in pages if LAUNCH.search(p.read_text(encoding="utf-8"))] == []


def test_with_the_setting_set_notebook_pages_launch_on_binder_and_colab(sites):
    for page in (PAGE, "solutions/03_regularization"):
        html = (sites["set"] / f"{page}.html").read_text(encoding="utf-8")
        binder = f"https://mybinder.org/v2/gh/example-org/nn-course/main?urlpath=lab/tree/{page}.ipynb"
        colab = f"https://colab.research.google.com/github/example-org/nn-course/blob/main/{page}.ipynb"
        assert binder in html and colab in html, page
        # The Chinese edition is built from the same configuration file.
        html = (sites["set"] / "zh_CN" / f"{page}.html").read_text(encoding="utf-8")
        assert binder in html and colab in html, f"zh_CN/{page}"
    # Pages that are not notebooks get none.
    assert not LAUNCH.search(
        (sites["set"] / "appendices" / "glossary.html").read_text()
    )


def test_the_setting_changes_nothing_else(sites):
    """Apart from the launch buttons, the two builds are the same page for page."""

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

    for page in (f"{PAGE}.html", "intro.html", "appendices/glossary.html"):
        assert text(sites["empty"], page) == text(sites["set"], page), page


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
