"""Catalogues of the course's translations (gettext ``.po`` files, edited by translators).

    python -m tools.i18n update-messages [SOURCE...]   # the package's messages (checks, grader, quizzes)
    python -m tools.i18n check [PO_FILE...]            # every message translated and faithful
    python -m tools.i18n update-figures [NN...]        # figure text + Chinese twins of the figures

Each source gets its own catalogue, ``utils/locale/<lang>/LC_MESSAGES/<name>.po``: a Python module
``utils/checks/ch01_linear.py`` -> ``checks.ch01_linear.po`` (strings in ``_()`` and ``N_()``), a
quiz ``utils/quizzes/ch01.json`` -> ``quiz_ch01.po`` (questions, text answers, feedback). Updating
keeps every translation whose English text is unchanged, marks near matches fuzzy, and drops
messages that are gone, like ``msgmerge``.
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
    """Every source of the package's messages: modules that call ``_``, and the quizzes."""
    modules = [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "i18n.py" and any(_marked_calls(path))
    ]
    return modules + sorted((PACKAGE / "quizzes").glob("ch*.json"))


def _marked_calls(path):
    """The calls ``_(...)`` and ``N_(...)`` in the module at ``path``."""
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in KEYWORDS):
            yield node


def catalogue_name(source):
    """``utils/checks/ch01_linear.py`` -> ``checks.ch01_linear``; ``quizzes/ch01.json`` ->
    ``quiz_ch01``."""
    source = Path(source).resolve()
    if source.suffix == ".json":
        return f"quiz_{source.stem}"
    return ".".join(source.relative_to(PACKAGE).with_suffix("").parts)


def quiz_messages(path):
    """The words of a jupyterquiz file: questions, text answers and feedback, in order."""
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
            for _, message, _, _ in extract_from_file("python", source, keywords=KEYWORDS)
        ]
    return list(dict.fromkeys(m for m in found if isinstance(m, str) and m.strip()))


def update(source, lang):
    """Create or update ``source``'s catalogue of ``lang``; return its path."""
    template = Catalog(locale=lang, project="nn-foundations-course")
    for message in extract(source):
        template.add(message)
    path = PACKAGE / "locale" / lang / "LC_MESSAGES" / f"{catalogue_name(source)}.po"
    if path.exists():
        with path.open("rb") as file:
            catalog = read_po(file, locale=lang)
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()
    else:
        catalog = Catalog(locale=lang, project="nn-foundations-course")
        for message in template:
            if message.id:
                catalog.add(message.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False, sort_output=False)
    return path


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
    """What is wrong with ``msgstr`` as the translation of ``msgid`` (a list of sentences)."""
    if not msgstr:
        return ["not translated"]
    found = []
    for name, pattern in (("placeholders", _PLACEHOLDER), ("math", _MATH),
                          ("code spans", _CODE), ("link targets", _TARGET)):
        english, chinese = Counter(pattern.findall(msgid)), Counter(pattern.findall(msgstr))
        if pattern is _PLACEHOLDER:  # English grammar ({is_}, {s_}) may have no counterpart
            english = Counter(p for p in english.elements() if not p.rstrip("}").endswith("_"))
            chinese = Counter(p for p in chinese.elements() if not p.rstrip("}").endswith("_"))
        if english != chinese:
            missing = sorted((english - chinese).elements())
            extra = sorted((chinese - english).elements())
            found.append(f"{name} differ: missing {missing}, extra {extra}")
    prose = _CODE.sub("", _MATH.sub("", msgid))
    numbers_en = _numbers(prose)
    numbers_zh = _numbers(_CODE.sub("", _MATH.sub("", msgstr)))
    if numbers_en - numbers_zh:
        found.append(f"numbers missing: {sorted((numbers_en - numbers_zh).elements())}")
    if _WORDS.search(re.sub(r"\[[^\]]*\]\([^)]*\)|<[^>]+>", "", prose)) and not _CJK.search(msgstr):
        found.append("no Chinese in the translation of an English sentence")
    return found


def check(path):
    """Sentences naming every message of the ``.po`` file at ``path`` that is untranslated,
    fuzzy or unfaithful (see :func:`problems`)."""
    with Path(path).open("rb") as file:
        catalog = read_po(file)
    report = []
    for message in catalog:
        if not message.id:
            continue
        issues = problems(message.id, message.string)
        if message.fuzzy:
            issues.insert(0, "fuzzy")
        for issue in issues:
            report.append(f"{path}: {issue}: {message.id[:100]!r}")
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.i18n", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    messages = commands.add_parser("update-messages", help="update the package's catalogues")
    messages.add_argument("sources", nargs="*", type=Path, help="default: every source")
    checking = commands.add_parser("check", help="report untranslated or unfaithful messages")
    checking.add_argument("files", nargs="*", type=Path, help="default: every catalogue")
    figures = commands.add_parser("update-figures", help="execute the solution notebooks in "
                                  "Chinese: figure text into figures.po, the figures' twins")
    figures.add_argument("prefixes", nargs="*", help="notebook name prefixes, e.g. 01 (default: all)")
    args = parser.parse_args(argv)
    if args.command == "update-figures":
        return update_figures(args.prefixes)
    if args.command == "check":
        files = args.files or sorted((ROOT / "locale").rglob("*.po")) + sorted(
            (PACKAGE / "locale").rglob("*.po"))
        report = [line for path in files for line in check(path)]
        print("\n".join(report) or f"OK: {len(files)} catalogue(s)")
        return 1 if report else 0
    for source in args.sources or message_sources():
        for lang in TRANSLATED:
            print(update(source, lang).relative_to(ROOT), file=sys.stderr)


def update_figures(prefixes):
    """Regenerate the Chinese twins of the figures (tools/zh_figures.py); 1 when some figure
    text has no translation yet (the twins then show it in English)."""
    from tools.zh_figures import catalogue_path, update_figures as update

    for lang in TRANSLATED:
        untranslated = update(prefixes, lang)
        path = catalogue_path(lang).relative_to(ROOT)
        if untranslated:
            print(f"{path}: {len(untranslated)} figure text(s) to translate, then run again:\n  "
                  + "\n  ".join(map(repr, untranslated)), file=sys.stderr)
            return 1
        print(f"{path}: every figure text translated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
