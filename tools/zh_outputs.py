"""The stored outputs of the notebooks in another language, for that edition of the
website.

The stored notebooks are shared by both editions and never changed. When the Chinese
site reads a notebook (``tools/zh_site.py``, Sphinx's ``source-read``), it gets a
translated copy:

- a quiz cell (``show_quiz(N)``) gets the jupyterquiz output of the translated
  questions, rendered exactly as :func:`utils.quiz.show_quiz` renders them (same seed,
  so the same element ids);
- every printed line that carries words (:func:`readable`) is looked up, without its
  indentation, in the package catalogue ``utils/locale/<lang>/LC_MESSAGES/outputs.po``
  (``python -m tools.i18n update-outputs`` extracts it); so are the sentences of the
  checks' HTML results, outside their ``<code>``. Numbers, code and tables of numbers
  are left as they are, and so is a line without a translation.

Outputs of cells the site hides (``remove-output``, ``remove-cell``) and of cells whose
output changes at every run (``nbval-ignore-output``: timings) are not translated.
"""

import re
from functools import lru_cache
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIRS = ("solutions", "chapters")
UNTRANSLATED_TAGS = {"remove-output", "remove-cell", "nbval-ignore-output"}
QUIZ_CALL = re.compile(r"\bshow_quiz\((\d+)\)")

# A token of code or of numbers: identifiers with _ . ( [ =, digits, operators.
_CODE_TOKEN = re.compile(r"\S*[_.()\[\]{}=<>*/|\\`'\d@^~+-]\S*")
_ARRAY = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[A-Za-z]{2,}")
_NOT_WORDS = {"inf", "nan", "True", "False", "None", "e", "x"}
_REPR = re.compile(r"^(<[^>]*>|interactive\(.*)$")
_PYTHON = re.compile(
    r"^(?:from\s+[\w.]+\s+import\s|import\s+[\w.]+)"
)  # a printed statement


def readable(line):
    """Whether a printed line carries words for a reader ("validation accuracy 0.953")
    rather than only numbers, arrays, code or an object's repr ("X_ext: (360, 65)",
    "<Figure ...>")."""
    text = line.strip()
    if not text or _REPR.match(text) or _PYTHON.match(text):
        return False
    prose = _CODE_TOKEN.sub(" ", _ARRAY.sub(" ", text))
    return any(word not in _NOT_WORDS for word in _WORD.findall(prose))


def outputs_catalogue_path(lang):
    return ROOT / "utils" / "locale" / lang / "LC_MESSAGES" / "outputs.po"


@lru_cache(maxsize=None)
def _table(path, mtime):
    from babel.messages.pofile import read_po

    with open(path, "rb") as file:
        return {
            m.id: m.string for m in read_po(file) if m.id and m.string and not m.fuzzy
        }


def output_translations(lang):
    """{English line: translation} of ``outputs.po`` (fuzzy and empty ones left out)."""
    path = outputs_catalogue_path(lang)
    return _table(str(path), path.stat().st_mtime) if path.exists() else {}


def translate_line(line, table):
    """``line`` with its words translated, its indentation kept; unchanged when not in
    ``table``."""
    text = line.strip()
    if text not in table:
        return line
    return line[: len(line) - len(line.lstrip())] + table[text]


def translate_text(text, table):
    return "".join(
        translate_line(line.rstrip("\n"), table) + line[len(line.rstrip("\n")) :]
        for line in text.splitlines(keepends=True)
    )


_TAG = re.compile(r"(<[^>]+>)")


def html_sentences(html):
    """The text pieces of a check's HTML result outside ``<code>``, each with the index
    of its piece in ``_TAG.split(html)``."""
    pieces = _TAG.split(html)
    in_code = 0
    for index, piece in enumerate(pieces):
        if piece.startswith("<"):
            name = re.match(r"</?\s*(\w+)", piece)
            if name and name.group(1).lower() == "code":
                in_code += -1 if piece.startswith("</") else 1
        elif not in_code and readable(piece):
            yield index, piece


def translate_check_html(html, table):
    pieces = _TAG.split(html)
    for index, piece in html_sentences(html):
        if piece.strip() in table:
            pieces[index] = (
                translate_line(piece.rstrip(), table) + piece[len(piece.rstrip()) :]
            )
    return "".join(pieces)


def is_check_result(output):
    return "course-check" in output.get("data", {}).get("text/html", "")


def shown_cells(notebook):
    """The code cells whose outputs the site shows and that are the same at every
    run."""
    for cell in notebook.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type == "code" and not tags & UNTRANSLATED_TAGS:
            yield cell


def readable_lines(notebook):
    """The lines with words of the notebook's shown outputs (stripped, in order), the
    sentences of its checks' results included; quizzes excluded."""
    for cell in shown_cells(notebook):
        if QUIZ_CALL.search(cell.source):
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts = [output.text]
            elif is_check_result(output):
                yield from (
                    piece.strip()
                    for _, piece in html_sentences(output.data["text/html"])
                )
                continue
            elif output.output_type in ("execute_result", "display_data") and set(
                output.get("data", {})
            ) == {"text/plain"}:
                texts = [output.data["text/plain"]]
            else:
                continue
            for text in texts:
                yield from (
                    line.strip() for line in text.splitlines() if readable(line)
                )


def quiz_outputs(chapter, lang):
    """The outputs of ``show_quiz(chapter)`` in ``lang``, as a notebook stores them."""
    import jupyterquiz.dynamic.display as quiz_display

    from utils.quiz import show_quiz

    shown = []
    original = quiz_display.display
    quiz_display.display = lambda *objects, **_: shown.extend(objects)
    try:
        show_quiz(chapter, lang)
    finally:
        quiz_display.display = original
    mimes = {"HTML": "text/html", "Javascript": "application/javascript"}
    return [
        nbformat.v4.new_output(
            "display_data",
            data={
                mimes[type(obj).__name__]: obj.data,
                "text/plain": f"<IPython.core.display.{type(obj).__name__} object>",
            },
        )
        for obj in shown
    ]


def translate_notebook(notebook, lang):
    """Translate the shown outputs of ``notebook`` (a NotebookNode) in place; return the
    catalogues used."""
    table = output_translations(lang)
    used = {outputs_catalogue_path(lang)}
    for cell in shown_cells(notebook):
        quiz = QUIZ_CALL.search(cell.source)
        if quiz:
            chapter = int(quiz.group(1))
            cell.outputs = quiz_outputs(chapter, lang)
            used.add(
                ROOT
                / "utils"
                / "locale"
                / lang
                / "LC_MESSAGES"
                / f"quiz_ch{chapter:02d}.po"
            )
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                output.text = translate_text(output.text, table)
            elif is_check_result(output):
                output.data["text/html"] = translate_check_html(
                    output.data["text/html"], table
                )
            elif "data" in output and set(output.data) == {"text/plain"}:
                output.data["text/plain"] = translate_text(
                    output.data["text/plain"], table
                )
    return used


def translate_notebook_source(source, lang, path=None):
    """The JSON text of a notebook with its outputs in ``lang``; and the catalogues
    used. With the stored notebook's ``path``, its figures are replaced by their
    translated twins too (``tools/zh_figures.py``)."""
    notebook = nbformat.reads(source, as_version=4)
    used = translate_notebook(notebook, lang)
    if path is not None:
        from . import zh_figures

        zh_figures.substitute_figures(notebook, path, lang)
        used = {*used, zh_figures.manifest_path(lang)}
    return nbformat.writes(notebook), used


def all_readable_lines(root=ROOT):
    """{line: [notebook paths]} over every stored notebook, in order of first
    appearance."""
    found = {}
    for folder in NOTEBOOK_DIRS:
        for path in sorted((Path(root) / folder).glob("*.ipynb")):
            notebook = nbformat.read(path, as_version=4)
            for line in readable_lines(notebook):
                found.setdefault(line, [])
                name = path.relative_to(root).as_posix()
                if name not in found[line]:
                    found[line].append(name)
    return found
