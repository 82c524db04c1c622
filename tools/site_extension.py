"""Sphinx extension of the course's website (loaded by ``_config.yml``,
``local_extensions``).

- Launch buttons: when ``html_theme_options.repository_url`` (the one setting) is set,
  pages of notebooks get Binder and Colab buttons; when it is empty, nothing changes.
- The download: after a successful HTML build, the archive of the notebooks and the
  package (tools/download_archive.py) is written at the root of the built site, where
  the notebooks' banners and the home page link to it.
- Offline pages: font preloads that a browser refuses from disk are removed.
"""

import re
from pathlib import Path

from . import download_archive

#: The launch services; they open the notebook at ``repository_url`` (its
#: ``repository_branch``).
LAUNCH_BUTTONS = {
    "binderhub_url": "https://mybinder.org",
    "colab_url": "https://colab.research.google.com",
    "notebook_interface": "jupyterlab",
}


def add_launch_buttons(app, config):
    options = config.html_theme_options
    if (options.get("repository_url") or "").strip():
        options["launch_buttons"] = dict(LAUNCH_BUTTONS)
    else:  # sphinx-book-theme fails on launch buttons without a repository
        options.pop("launch_buttons", None)


def write_archive(app, exception):
    # One archive, at the root of the English site (the Chinese edition links to it
    # there).
    if (
        exception is None
        and app.builder.format == "html"
        and app.config.language in (None, "en")
    ):
        download_archive.build(Path(app.outdir) / download_archive.ARCHIVE_NAME)


#: pydata-sphinx-theme 0.15 (the newest that installs on Python 3.10) preloads
#: FontAwesome's webfonts with ``crossorigin``: opened from disk (file://), Chromium
#: refuses them with a console error on every page. FontAwesome's script draws the icons
#: anyway (as newer versions of the theme do), so the preloads go.
_FONT_PRELOAD = re.compile(r'[ \t]*<link rel="preload" as="font"[^>]*>\n?')


def drop_font_preloads(app, exception):
    if exception is None and app.builder.format == "html":
        for page in Path(app.outdir).rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            if _FONT_PRELOAD.search(text):
                page.write_text(_FONT_PRELOAD.sub("", text), encoding="utf-8")


def setup(app):
    app.connect("config-inited", add_launch_buttons)
    app.connect("build-finished", write_archive)
    app.connect("build-finished", drop_font_preloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
