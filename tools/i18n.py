"""Catalogues of the course's translations (gettext ``.po`` files, for translators).

    python -m tools.i18n update                 # all of the three below
    python -m tools.i18n update-site            # the website's pages (locale/zh_CN)
    python -m tools.i18n update-outputs         # printed lines of the stored notebooks
    python -m tools.i18n update-messages [SOURCE...]# the package's messages
    python -m tools.i18n check [PO_FILE...]     # every message translated and faithful
    python -m tools.i18n update-figures [NN...] # figure text, Chinese twins of figures

The site's catalogues, ``locale/<lang>/LC_MESSAGES/<page>.po`` (one per page), come from
Sphinx's gettext builder (``jupyter-book build . --builder custom --custom-builder
gettext``, run here into a temporary folder); updating them merges each page's template
into its catalogue the way ``sphinx-intl update`` does (same Babel merge) and then gives
an exercise page and its solution page the same translation of every paragraph they
share (a translation made on either side fills the other's empty or fuzzy one). The
printed lines of the notebooks' outputs go to
``utils/locale/<lang>/LC_MESSAGES/outputs.po`` (see ``tools/zh_outputs.py``).

Each source gets its own catalogue, ``utils/locale/<lang>/LC_MESSAGES/<name>.po``: a
Python module ``utils/checks/ch01_linear.py`` -> ``checks.ch01_linear.po`` (strings in
``_()`` and ``N_()``), a quiz ``utils/quizzes/ch01.json`` -> ``quiz_ch01.po``
(questions, text answers, feedback). Updating keeps every translation whose English text
is unchanged, marks near matches fuzzy, and drops messages that are gone, like
``msgmerge``.
"""

import argparse
import ast
import json
import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "utils"
TRANSLATED = ("zh_CN",)
KEYWORDS = {"_": None, "N_": None}


def message_sources():
    """Every source of the package's messages: modules that call ``_``, and the
    quizzes."""
    modules = [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "i18n.py" and any(_marked_calls(path))
    ]
    return modules + sorted((PACKAGE / "quizzes").glob("ch*.json"))


def _marked_calls(path):
    """The calls ``_(...)`` and ``N_(...)`` in the module at ``path``."""
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in KEYWORDS
        ):
            yield node


def catalogue_name(source):
    """``utils/checks/ch01_linear.py`` -> ``checks.ch01_linear``; ``quizzes/ch01.json``
    -> ``quiz_ch01``."""
    source = Path(source).resolve()
    if source.suffix == ".json":
        return f"quiz_{source.stem}"
    return ".".join(source.relative_to(PACKAGE).with_suffix("").parts)


def quiz_messages(path):
    """The words of a jupyterquiz file: questions, text answers and feedback, in
    order."""
    for question in json.loads(Path(path).read_text(encoding="utf-8")):
        yield question["question"]
        for answer in question.get("answers", []):
            if isinstance(answer.get("answer"), str):
                yield answer["answer"]
            if answer.get("feedback"):
                yield answer["feedback"]


def extract(source):
    """The English messages of ``source`` in order of appearance, without repeats."""
    source = Path(source)
    if source.suffix == ".json":
        found = list(quiz_messages(source))
    else:
        found = [
            message
            for _, message, _, _ in extract_from_file(
                "python", source, keywords=KEYWORDS
            )
        ]
    return list(dict.fromkeys(m for m in found if isinstance(m, str) and m.strip()))


def update(source, lang):
    """Create or update ``source``'s catalogue of ``lang``; return its path."""
    template = Catalog(locale=lang, project="nn-foundations-course")
    for message in extract(source):
        template.add(message)
    path = PACKAGE / "locale" / lang / "LC_MESSAGES" / f"{catalogue_name(source)}.po"
    return merge(template, path, lang)


def merge(template, path, lang):
    """Merge the messages of ``template`` (a Catalog) into the catalogue at ``path``:
    kept translations, near matches fuzzy, gone messages dropped (like ``msgmerge``)."""
    path = Path(path)
    if path.exists():
        with path.open("rb") as file:
            catalog = read_po(file, locale=lang)
        catalog.update(
            template, update_header_comment=False, update_creation_date=False
        )
        catalog.obsolete.clear()
    else:
        catalog = Catalog(locale=lang, project="nn-foundations-course")
        for message in template:
            if message.id:
                catalog.add(
                    message.id,
                    locations=message.locations,
                    auto_comments=message.auto_comments,
                )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False, sort_output=False)
    return path


# --------------------------------------------------------------------------------------
# The website's catalogues (one per page) and the printed lines of the notebooks
# --------------------------------------------------------------------------------------

SITE_LOCALE = ROOT / "locale"
#: Pages whose exercise version (chapters/) and solution version (solutions/) share
#: paragraphs.
TWIN_FOLDERS = ("chapters", "solutions")


def site_catalogue(page, lang):
    """``chapters/01_linear_score_function`` ->
    ``locale/zh_CN/LC_MESSAGES/chapters/...po``."""
    return SITE_LOCALE / lang / "LC_MESSAGES" / f"{page}.po"


def site_templates(workdir):
    """{page: Catalog of its English messages}, from Sphinx's gettext builder run on the
    book into ``workdir`` (the same configuration as the site: ``_config.yml``,
    ``_toc.yml``)."""
    from jupyter_book.sphinx import build_sphinx

    workdir = Path(workdir)
    result = build_sphinx(
        ROOT,
        workdir / "gettext",
        noconfig=True,
        path_config=ROOT / "_config.yml",
        confoverrides={
            "external_toc_path": (ROOT / "_toc.yml").as_posix(),
            "latex_individualpages": False,
        },
        doctreedir=workdir / "doctrees",
        builder="gettext",
        quiet=True,
    )
    if isinstance(result, Exception) or result:
        raise RuntimeError(f"the gettext build of the site failed ({result!r})")
    templates = {"_toc": toc_template()}
    for pot in sorted((workdir / "gettext").rglob("*.pot")):
        page = pot.relative_to(workdir / "gettext").with_suffix("").as_posix()
        if page == "sphinx":  # the themes' own words: their packages translate them
            continue
        with pot.open("rb") as file:
            templates[page] = read_po(file)
    return templates


def toc_template(path=ROOT / "_toc.yml", config=ROOT / "_config.yml"):
    """The site's title (``_config.yml``) and the sidebar's part captions of
    ``_toc.yml`` ("Chapters", ...): catalogue ``_toc.po``. (The titles ``_toc.yml``
    gives to pages are their pages' titles, translated in the pages' catalogues.)"""
    import yaml

    template = Catalog(project="nn-foundations-course")
    title = yaml.safe_load(Path(config).read_text(encoding="utf-8")).get("title")
    if title:
        template.add(title)
    for part in yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("parts", []):
        if part.get("caption"):
            template.add(part["caption"])
    return template


def update_site(lang, workdir=None):
    """Merge every page's current English messages into its catalogue, then share the
    translations of an exercise page and its solution page. Returns the catalogues'
    paths."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        templates = site_templates(workdir or tmp)
        paths = [
            merge(template, site_catalogue(page, lang), lang)
            for page, template in templates.items()
        ]
    share_twin_translations(lang)
    return paths


def site_drift(templates, lang):
    """Sentences naming each page catalogue that is missing, each message of a page that
    its catalogue lacks and each message of a catalogue that its page no longer has."""
    report = []
    for page, template in templates.items():
        path = site_catalogue(page, lang)
        if not path.exists():
            report.append(f"{path}: missing (run `python -m tools.i18n update-site`)")
            continue
        expected = {m.id for m in template if m.id}
        have = {m.id for m in _read(path) if m.id}
        report += [
            f"{path}: message missing (run `python -m tools.i18n update-site`): "
            f"{m[:100]!r}"
            for m in sorted(expected - have)
        ]
        report += [
            f"{path}: message no longer on the page: {m[:100]!r}"
            for m in sorted(have - expected)
        ]
    return report


def _read(path):
    with Path(path).open("rb") as file:
        return read_po(file)


def _write(catalog, path):
    with Path(path).open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False, sort_output=False)


def share_twin_translations(lang, folder=None):
    """Fill each empty or fuzzy translation of a chapter page from its solution page's
    translation of the same paragraph, and the other way round. Returns how many were
    filled."""
    folder = Path(folder or SITE_LOCALE / lang / "LC_MESSAGES")
    filled = 0
    for exercise_path in sorted((folder / TWIN_FOLDERS[0]).glob("*.po")):
        solution_path = folder / TWIN_FOLDERS[1] / exercise_path.name
        if not solution_path.exists():
            continue
        pair = [_read(exercise_path), _read(solution_path)]
        changed = [False, False]
        for side in (0, 1):
            done = {
                m.id: m.string
                for m in pair[1 - side]
                if m.id and m.string and not m.fuzzy
            }
            for message in pair[side]:
                if (
                    message.id
                    and (not message.string or message.fuzzy)
                    and message.id in done
                ):
                    message.string = done[message.id]
                    message.flags.discard("fuzzy")
                    changed[side] = True
                    filled += 1
        for catalog, path, was_changed in zip(
            pair, (exercise_path, solution_path), changed
        ):
            if was_changed:
                _write(catalog, path)
    return filled


def update_outputs(lang):
    """Extract the printed lines with words of every stored notebook into
    ``outputs.po``; an empty translation of a line that a package message prints is
    filled from that message's translation (see
    :func:`translations_of_printed_messages`)."""
    from tools.zh_outputs import all_readable_lines, outputs_catalogue_path

    template = Catalog(locale=lang, project="nn-foundations-course")
    for line, notebooks in all_readable_lines().items():
        template.add(line, auto_comments=notebooks)
    path = merge(template, outputs_catalogue_path(lang), lang)
    catalog = _read(path)
    filled = 0
    for message in catalog:
        if message.id and not message.string:
            translation = translations_of_printed_messages(lang).get(
                message.id
            ) or translate_printed_message(message.id, lang)
            if translation:
                message.string, filled = translation, filled + 1
    if filled:
        _write(catalog, path)
    return path


def _package_translations(lang):
    """(English, translation) of every translated package message, outputs.po
    excepted."""
    for path in sorted((PACKAGE / "locale" / lang / "LC_MESSAGES").glob("*.po")):
        if path.name != "outputs.po":
            yield from (
                (m.id, m.string)
                for m in _read(path)
                if m.id and m.string and not m.fuzzy
            )


def translations_of_printed_messages(lang):
    """{English: translation} of the package's messages without placeholders."""
    return {
        english: chinese
        for english, chinese in _package_translations(lang)
        if not _PLACEHOLDER.search(english)
    }


def translate_printed_message(line, lang):
    """The translation of ``line`` when it is a package message with its placeholders
    filled in ("Note: your `softmax` is not written yet, ..." from "Note: your `{name}`
    ..."), else None."""

    def literal(english):
        return re.sub(r"\{[A-Za-z_]\w*\}", "", english)

    # templates with the most words of their own first; a template of placeholders
    # joined by punctuation ("{diagnosis} {advice}") is no evidence of anything
    templates = sorted(
        (
            (e, c)
            for e, c in _package_translations(lang)
            if "{" in e and len(re.findall(r"[A-Za-z]{2,}", literal(e))) >= 3
        ),
        key=lambda pair: -len(literal(pair[0])),
    )
    for english, chinese in templates:
        pieces = re.split(r"(\{\{|\}\}|\{[A-Za-z_]\w*\})", english)
        pattern, names = "", []
        for piece in pieces:
            if piece in ("{{", "}}"):
                pattern += re.escape(piece[0])
            elif re.fullmatch(r"\{[A-Za-z_]\w*\}", piece):
                name = piece[1:-1]
                pattern += f"(?P={name})" if name in names else f"(?P<{name}>.+?)"
                names.append(name)
            else:
                pattern += re.escape(piece)
        match = re.fullmatch(pattern, line)
        if match:
            try:
                return chinese.format(**match.groupdict())
            except (KeyError, IndexError, ValueError):
                continue
    return None


# What a translation must keep from its English message.
_PLACEHOLDER = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*(?:[:!][^{}]*)?\}(?!\})")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)
_CODE = re.compile(r"(?<![}`])`([^`]+)`(?!`)")
_TARGET = re.compile(r"\]\(([^)\s]+)\)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORDS = re.compile(r"[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){2,}")


def _numbers(text):
    return Counter(n.replace(",", "") for n in _NUMBER.findall(text))


def problems(msgid, msgstr):
    """What is wrong with ``msgstr`` as the translation of ``msgid`` (a list of
    sentences)."""
    if not msgstr:
        return ["not translated"]
    found = []
    for name, pattern in (
        ("placeholders", _PLACEHOLDER),
        ("math", _MATH),
        ("code spans", _CODE),
        ("link targets", _TARGET),
    ):
        english, chinese = (
            Counter(pattern.findall(msgid)),
            Counter(pattern.findall(msgstr)),
        )
        if (
            pattern is _PLACEHOLDER
        ):  # English grammar ({is_}, {s_}) may have no counterpart
            english = Counter(
                p for p in english.elements() if not p.rstrip("}").endswith("_")
            )
            chinese = Counter(
                p for p in chinese.elements() if not p.rstrip("}").endswith("_")
            )
        if english != chinese:
            missing = sorted((english - chinese).elements())
            extra = sorted((chinese - english).elements())
            found.append(f"{name} differ: missing {missing}, extra {extra}")
    prose = _CODE.sub("", _MATH.sub("", msgid))
    numbers_en = _numbers(prose)
    numbers_zh = _numbers(_CODE.sub("", _MATH.sub("", msgstr)))
    if numbers_en - numbers_zh:
        found.append(f"numbers missing: {sorted((numbers_en - numbers_zh).elements())}")
    if _WORDS.search(
        re.sub(r"\[[^\]]*\]\([^)]*\)|<[^>]+>", "", prose)
    ) and not _CJK.search(msgstr):
        found.append("no Chinese in the translation of an English sentence")
    half_width = _HALF_WIDTH.findall(_not_prose(msgstr))
    if half_width:
        found.append(
            f"half-width punctuation in Chinese text: {half_width[:3]} "
            "(use ，；：？！（）)"
        )
    return found


# ASCII punctuation touching a Chinese character: Chinese text takes full-width
# ，；：？！（） (an opening parenthesis that follows a name or a brace is a call, as in
# p(正确类别): it
# stays)
_HALF_WIDTH = re.compile(
    r"[\u3400-\u9fff][,;:?!(]|[,;:?!)](?=[\u3400-\u9fff])"
    r"|[\u3400-\u9fff]\.(?=\s|$)|(?<![\w\\{|])\((?=[\u3400-\u9fff])"
)


def _not_prose(text):
    """``text`` without what keeps its ASCII punctuation: math, code, links, HTML,
    URLs."""
    text = _CODE.sub(" ", _MATH.sub(" ", text))
    return re.sub(r"\]\([^)]*\)|<[^>]+>|https?://\S+|`[^`]*`", " ", text)


def _glossary_english_cells():
    from tools.glossary import english_cells

    return english_cells()


def check(path):
    """Sentences naming every message of the ``.po`` file at ``path`` that is
    untranslated, fuzzy or unfaithful (see :func:`problems`)."""
    with Path(path).open("rb") as file:
        catalog = read_po(file)
    report = []
    for message in catalog:
        if not message.id:
            continue
        issues = problems(message.id, message.string)
        if message.fuzzy:
            issues.insert(0, "fuzzy")
        if Path(path).name == "glossary.po" and message.id in _glossary_english_cells():
            # the glossary's English column stays English next to the Chinese one
            issues = [i for i in issues if not i.startswith("no Chinese")]
        for issue in issues:
            report.append(f"{path}: {issue}: {message.id[:100]!r}")
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.i18n", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "update", help="update every catalogue (site, outputs, messages)"
    )
    commands.add_parser("update-site", help="update the website's catalogues (locale/)")
    commands.add_parser(
        "update-outputs", help="update the catalogue of printed output lines"
    )
    messages = commands.add_parser(
        "update-messages", help="update the package's catalogues"
    )
    messages.add_argument("sources", nargs="*", type=Path, help="default: every source")
    checking = commands.add_parser(
        "check", help="report untranslated or unfaithful messages"
    )
    checking.add_argument(
        "files", nargs="*", type=Path, help="default: every catalogue"
    )
    figures = commands.add_parser(
        "update-figures",
        help="execute the solution notebooks in "
        "Chinese: figure text into figures.po, the figures' twins",
    )
    figures.add_argument(
        "prefixes", nargs="*", help="notebook name prefixes, e.g. 01 (default: all)"
    )
    args = parser.parse_args(argv)
    if args.command == "update-figures":
        return update_figures(args.prefixes)
    if args.command == "check":
        files = args.files or all_catalogues()
        report = [line for path in files for line in check(path)]
        print("\n".join(report) or f"OK: {len(files)} catalogue(s)")
        return 1 if report else 0
    for lang in TRANSLATED:
        written = []
        if args.command in ("update", "update-site"):
            written += update_site(lang)
        if args.command in ("update", "update-outputs"):
            written.append(update_outputs(lang))
        if args.command in ("update", "update-messages"):
            written += [
                update(source, lang)
                for source in getattr(args, "sources", None) or message_sources()
            ]
        for path in written:
            print(Path(path).relative_to(ROOT), file=sys.stderr)
    return 0


def all_catalogues():
    """Every catalogue of the course: the site's pages and the package's."""
    return sorted(SITE_LOCALE.rglob("*.po")) + sorted(
        (PACKAGE / "locale").rglob("*.po")
    )


def update_figures(prefixes):
    """Regenerate the Chinese twins of the figures (tools/zh_figures.py); 1 when some
    figure text has no translation yet (the twins then show it in English)."""
    from tools.zh_figures import catalogue_path, update_figures as update

    for lang in TRANSLATED:
        untranslated = update(prefixes, lang)
        path = catalogue_path(lang).relative_to(ROOT)
        if untranslated:
            print(
                f"{path}: {len(untranslated)} figure text(s) to translate, then run "
                f"again:\n  " + "\n  ".join(map(repr, untranslated)),
                file=sys.stderr,
            )
            return 1
        print(f"{path}: every figure text translated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
