"""Catalogues of the course's translations (gettext ``.po`` files, edited by translators).

    python -m tools.i18n update-messages [SOURCE...]   # the package's messages (checks, grader, quizzes)

Each source gets its own catalogue, ``utils/locale/<lang>/LC_MESSAGES/<name>.po``: a Python module
``utils/checks/ch01_linear.py`` -> ``checks.ch01_linear.po`` (strings in ``_()`` and ``N_()``), a
quiz ``utils/quizzes/ch01.json`` -> ``quiz_ch01.po`` (questions, text answers, feedback). Updating
keeps every translation whose English text is unchanged, marks near matches fuzzy, and drops
messages that are gone, like ``msgmerge``.
"""

import argparse
import json
import sys
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
        if path.name != "i18n.py" and "_(" in path.read_text(encoding="utf-8")
    ]
    return modules + sorted((PACKAGE / "quizzes").glob("ch*.json"))


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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.i18n", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    messages = commands.add_parser("update-messages", help="update the package's catalogues")
    messages.add_argument("sources", nargs="*", type=Path, help="default: every source")
    args = parser.parse_args(argv)
    for source in args.sources or message_sources():
        for lang in TRANSLATED:
            print(update(source, lang).relative_to(ROOT), file=sys.stderr)


if __name__ == "__main__":
    main()
