"""The Chinese edition of the website, built by the same command as the English one.

``jupyter-book build .`` builds the English site into ``_build/html``; when that build
has finished, this extension builds the same book again with Sphinx's ``language =
"zh_CN"`` in ``_build/zh_CN`` (its own doctrees and images) and copies the pages into
``_build/html/zh_CN`` (same page paths), with the same warnings-as-errors and keep-going
flags; the build fails when the Chinese one fails. The second build runs in its own
process (``python -m tools.zh_site``), so neither build sees the other's Sphinx and
docutils state.

On every page of both editions the article header carries a link to the same page in the
other edition (``templates/language-switch.html``). In the Chinese build only:

- every paragraph comes from ``locale/zh_CN/LC_MESSAGES/<page>.po`` (Sphinx's gettext
  workflow; an untranslated message shows its English text, the catalogue test enforces
  100%);
- the stored outputs of the notebooks are translated when a page is read
  (:mod:`tools.zh_outputs`): quizzes re-rendered from the translated questions, printed
  lines looked up in ``utils/locale/zh_CN/LC_MESSAGES/outputs.po``. The notebooks are
  not changed;
- search splits Chinese text into words with jieba, which learns the glossary's Chinese
  terms first (so 反向传播 is one word, not 反向 + 传播);
- links to the download archive point at the one archive at the root of the site;
- links to a heading of another page keep working although the heading is translated;
- the sidebar's part captions and page titles from ``_toc.yml`` are translated;
- the glossary's table lists the Chinese term first.
"""

import argparse
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parent.parent
#: The edition built second, and the folder of the site it is written to.
LANGUAGE = "zh_CN"
SUBDIR = "zh_CN"
TEMPLATES = Path(__file__).resolve().with_name("templates")
ARCHIVE_NAME = "nn-foundations-course.zip"


def is_chinese(config):
    return (config.language or "en") == LANGUAGE


# --------------------------------------------------------------------------------------
# The second build
# --------------------------------------------------------------------------------------


def english_config_file(srcdir):
    """The configuration file the running ``jupyter-book build`` reads: its
    ``--config FILE``, or the book's ``_config.yml``."""
    import click

    context = click.get_current_context(silent=True)
    given = context.params.get("config") if context is not None else None
    return Path(given).resolve() if given else Path(srcdir) / "_config.yml"


def build_command(
    srcdir,
    outdir,
    doctreedir,
    toc,
    *,
    warningiserror,
    keep_going,
    nitpicky,
    config=None,
):
    """The command line of the Chinese build (run by :func:`build_chinese_edition`);
    ``config`` is the English build's configuration file (default: the book's)."""
    command = [
        sys.executable,
        "-m",
        "tools.zh_site",
        str(srcdir),
        str(outdir),
        "--doctrees",
        str(doctreedir),
        "--toc",
        str(toc),
    ]
    if config is not None:
        command += ["--config", str(config)]
    command += (
        ["-W"] * warningiserror + ["--keep-going"] * keep_going + ["-n"] * nitpicky
    )
    return command


def build_chinese_edition(app, exception):
    """``build-finished`` of the English HTML build: build ``outdir/zh_CN``, or fail."""
    if exception is not None or app.builder.name != "html" or is_chinese(app.config):
        return
    if os.environ.get(
        "COURSE_SKIP_ZH_SITE"
    ):  # a quick English-only build (see the README)
        return
    # Built beside the English site, then copied into it: MyST-NB writes a build's
    # images next to its output folder (``<outdir>/../jupyter_execute``), which must not
    # be inside the English site.
    staging = Path(app.outdir).parent / SUBDIR
    command = build_command(
        app.srcdir,
        staging / "html",
        staging / ".doctrees",
        app.config.external_toc_path,
        warningiserror=app.warningiserror or app.keep_going,
        keep_going=app.keep_going,
        nitpicky=app.config.nitpicky,
        config=english_config_file(app.srcdir),  # the same launch settings and title
    )
    print(f"\nBuilding the Chinese edition ({LANGUAGE}) in {staging}", flush=True)
    done = subprocess.run(command, cwd=ROOT)
    if done.returncode != 0:
        raise ExtensionError(
            f"the Chinese edition ({staging}) did not build (exit status "
            f"{done.returncode}); "
            "its warnings and errors are printed above"
        )
    published = Path(app.outdir) / SUBDIR
    shutil.rmtree(published, ignore_errors=True)
    shutil.copytree(staging / "html", published)
    print(f"The Chinese edition is in {published}.", flush=True)


def main(argv=None):
    """``python -m tools.zh_site SRCDIR OUTDIR --doctrees DIR --toc _toc.yml [-W]
    ...``"""
    parser = argparse.ArgumentParser(
        prog="python -m tools.zh_site",
        description="Build the Chinese edition of the book.",
    )
    parser.add_argument("srcdir", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--doctrees", type=Path, required=True)
    parser.add_argument("--toc", type=Path, required=True)
    parser.add_argument(
        "--config",
        type=Path,
        help="the configuration file (default: SRCDIR/_config.yml)",
    )
    parser.add_argument("-W", dest="warningiserror", action="store_true")
    parser.add_argument("--keep-going", action="store_true")
    parser.add_argument("-n", dest="nitpicky", action="store_true")
    args = parser.parse_args(argv)

    from jupyter_book.sphinx import build_sphinx

    overrides = {
        "external_toc_path": args.toc.as_posix(),
        "latex_individualpages": False,
        "language": LANGUAGE,
    }
    if args.nitpicky:
        overrides["nitpicky"] = True
    result = build_sphinx(
        args.srcdir,
        args.outdir,
        noconfig=True,
        path_config=args.config or args.srcdir / "_config.yml",
        confoverrides=overrides,
        doctreedir=args.doctrees,
        builder="html",
        warningiserror=args.warningiserror,
        keep_going=args.keep_going,
    )
    return 1 if isinstance(result, Exception) else int(result or 0)


# --------------------------------------------------------------------------------------
# The language switch
# --------------------------------------------------------------------------------------


def switch_target(pagename, chinese, suffix=".html"):
    """The relative URL of page ``pagename`` in the other edition, from that page.

    English ``chapters/01_x`` -> ``../zh_CN/chapters/01_x.html``; Chinese
    ``chapters/01_x`` (at ``zh_CN/chapters/01_x.html``) -> ``../../chapters/01_x.html``.
    """
    to_root = "../" * pagename.count("/")
    if chinese:
        return f"{to_root}../{pagename}{suffix}"
    return f"{to_root}{SUBDIR}/{pagename}{suffix}"


def add_language_switch(app, pagename, templatename, context, doctree):
    chinese = is_chinese(app.config)
    context["course_language_switch"] = {
        "url": switch_target(pagename, chinese, context.get("file_suffix", ".html")),
        "label": "English" if chinese else "中文",
        "lang": "en" if chinese else "zh-CN",
        "title": "Read this page in English" if chinese else "阅读本页的中文版",
    }
    if chinese and "body" in context:
        context["body"] = point_at_root_archive(context["body"], pagename)


def point_at_root_archive(body, pagename):
    """Links to the download archive (``../nn-foundations-course.zip`` from a chapter)
    point at the English site's root, where the one archive is, one folder above the
    Chinese root."""
    to_root = "../" * pagename.count("/")
    return re.sub(
        rf'href="{re.escape(to_root)}{re.escape(ARCHIVE_NAME)}"',
        f'href="{to_root}../{ARCHIVE_NAME}"',
        body,
    )


def register_switch(app, config):
    """The switch's template goes at the end of the article header (next to the download
    and search buttons), which the theme shows at every width."""
    config.templates_path.append(str(TEMPLATES))
    options = config.html_theme_options
    items = options.get("article_header_end") or ["article-header-buttons.html"]
    if isinstance(items, str):
        items = [item.strip() for item in items.split(",") if item.strip()]
    if "language-switch.html" not in items:
        items = ["language-switch.html", *items]
    options["article_header_end"] = items


# --------------------------------------------------------------------------------------
# Chinese search
# --------------------------------------------------------------------------------------

#: Head nouns that Chinese text often leaves out (交叉熵损失 is also just 交叉熵): a
#: glossary
#: term ending in one is also a word without it.
HEAD_NOUNS = ("损失", "函数", "矩阵", "网络", "方法", "技巧")


def search_words():
    """The glossary's Chinese terms, and each without its head noun
    (交叉熵损失 -> 交叉熵)."""
    from .glossary import chinese_terms

    words = []
    for term in chinese_terms():
        words.append(term)
        for head in HEAD_NOUNS:
            if term.endswith(head) and len(term) - len(head) >= 2:
                words.append(term[: -len(head)])
    return list(dict.fromkeys(words))


def write_search_dictionary(path):
    """A jieba user dictionary of :func:`search_words` (one word and a high count a
    line)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(f"{word} 100000\n" for word in search_words()), encoding="utf-8"
    )
    return path


class _Terms(set):
    """A set with the list method Sphinx's Chinese search calls (``extend``)."""

    def extend(self, words):
        self.update(words)


def chinese_search_language():
    """Sphinx's Chinese search language (jieba), made fast: Sphinx 7.4 keeps its Latin
    words in a list that grows with every text it splits and searches it for every word
    it stems (15 of the Chinese build's 40 seconds); here a set, and each stem is
    computed once. Same index, same words."""
    from sphinx.search.zh import SearchChinese

    class ChineseSearch(SearchChinese):
        def init(self, options):
            super().init(options)
            self.latin_terms = _Terms()
            self._stems = {}

        def stem(self, word):
            key = (word, word in self.latin_terms)  # the two inputs of Sphinx's stem
            if key not in self._stems:
                self._stems[key] = super().stem(word)
            return self._stems[key]

    return ChineseSearch


def configure_search(app, config):
    if not is_chinese(config):
        return
    try:
        import jieba
    except (
        ImportError
    ):  # Sphinx then indexes whole runs of Chinese text: searches find little
        from sphinx.util import logging as sphinx_logging

        sphinx_logging.getLogger(__name__).warning(
            "jieba is not installed: the Chinese edition's search cannot split words "
            "(pip install -r requirements.txt)"
        )
        return
    jieba.setLogLevel(logging.WARNING)
    words = write_search_dictionary(Path(app.doctreedir) / "search_words.txt")
    config.html_search_options = {
        **(config.html_search_options or {}),
        "dict": str(words),
    }


# --------------------------------------------------------------------------------------


def translate_outputs(app, docname, source):
    if not is_chinese(app.config) or not str(app.env.doc2path(docname)).endswith(
        ".ipynb"
    ):
        return
    from . import zh_outputs

    source[0], used = zh_outputs.translate_notebook_source(
        source[0], LANGUAGE, app.env.doc2path(docname)
    )
    for catalogue in used:  # a changed catalogue rebuilds the page
        app.env.note_dependency(str(catalogue))


def keep_english_heading_slugs(app, doctree):
    """Links between pages (``solutions/01_x.ipynb#exercise-11-linear_scores``) name
    headings by the slugs of their English text. Sphinx translates a heading by parsing
    its translation as a small document of its own, and MyST then replaces the page's
    slug table (``env.metadata[page]["myst_slugs"]``) with that one heading's: restore
    the page's own."""
    slugs = getattr(doctree, "myst_slugs", None)
    if is_chinese(app.config) and slugs:
        app.env.metadata[app.env.docname]["myst_slugs"] = slugs


def _po_table(path):
    from babel.messages.pofile import read_po

    if not Path(path).exists():
        return {}
    with open(path, "rb") as file:
        return {
            m.id: m.string for m in read_po(file) if m.id and m.string and not m.fuzzy
        }


def translate_toc(app, config):
    """The sidebar's words: the site's title (``_config.yml``) and the part captions
    from ``locale/zh_CN/LC_MESSAGES/_toc.po``, and the titles ``_toc.yml`` gives to
    pages ("Solutions 1: ...") from those pages' catalogues."""
    site_map = getattr(config, "external_site_map", None)
    if not is_chinese(config) or site_map is None:
        return
    folder = Path(app.srcdir) / "locale" / LANGUAGE / "LC_MESSAGES"
    captions = _po_table(folder / "_toc.po")
    config.html_title = captions.get(
        config.html_title, config.html_title
    )  # the site's title
    for docname in list(site_map):
        document = site_map[docname]
        if document.title:
            document.title = _po_table(folder / f"{docname}.po").get(
                document.title, document.title
            )
        for tree in document.subtrees:
            if tree.caption:
                tree.caption = captions.get(tree.caption, tree.caption)


GLOSSARY_PAGE = "appendices/glossary"


def glossary_chinese_first(app, doctree):
    """The Chinese glossary lists the Chinese term first: its table's first two columns
    (English | 中文) change places."""
    from docutils import nodes

    if not is_chinese(app.config) or app.env.docname != GLOSSARY_PAGE:
        return
    for table in doctree.findall(nodes.table):
        for group in table.findall(nodes.tgroup):
            specs = [
                child for child in group.children if isinstance(child, nodes.colspec)
            ]
            if len(specs) >= 2:
                first, second = group.index(specs[0]), group.index(specs[1])
                group.children[first], group.children[second] = specs[1], specs[0]
        for row in table.findall(nodes.row):
            if len(row.children) >= 2:
                row.children[0], row.children[1] = row.children[1], row.children[0]


def setup(app):
    app.add_search_language(chinese_search_language())
    app.connect("doctree-read", glossary_chinese_first)
    app.connect(
        "config-inited", translate_toc, priority=950
    )  # after sphinx-external-toc's
    app.connect("doctree-read", keep_english_heading_slugs)
    app.connect("config-inited", register_switch)
    app.connect("config-inited", configure_search)
    app.connect("source-read", translate_outputs)
    app.connect("html-page-context", add_language_switch)
    app.connect("build-finished", build_chinese_edition)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.exit(main())
