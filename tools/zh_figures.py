"""The Chinese twins of the notebooks' figures, and the catalogue of figure text.

The stored notebooks keep their English figures. ``python -m tools.i18n update-figures
[NN...]`` executes each solution notebook again with ``COURSE_LANG=zh_CN`` (so
:mod:`utils.figure_text` draws every text through
``utils/locale/zh_CN/LC_MESSAGES/figures.po``) and

- stores each image output as ``locale/zh_CN/figures/<notebook stem>/<cell id>-<n>.png``
  (``n``: the index among that cell's image outputs), the Chinese twin of the stored
  English figure;
- records in ``locale/zh_CN/figures/manifest.json`` the SHA-256 of the English PNG each
  twin was made from, for the solution notebook and for its exercise version in
  ``chapters/`` (whose figures are drawn by the reference code, so the same; when one
  differs, the exercise notebook is executed too and its twins go to
  ``<stem>/exercises/``);
- adds every drawn text with words that has no translation to ``figures.po`` (extraction
  by running: numbers become ``{n1}``, ``{n2}`` placeholders), and drops messages no
  figure draws;
- records in ``translations.json`` a hash of the translations each notebook's figures
  use, so that editing a translation without regenerating the twins is noticed too.

A character missing from the fonts fails the run (no box is ever stored), and so does a
cell whose number of figures differs from the stored English notebook's. The Chinese
site replaces each stored figure by :func:`chinese_figure`.
"""

import base64
import copy
import hashlib
import json
import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from nbclient.exceptions import CellExecutionError

from utils import figure_text

from . import notebooks

ROOT = notebooks.ROOT
LANG = "zh_CN"
NOTEBOOK_DIRS = ("solutions", "chapters")
PNG = "image/png"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def figures_dir(lang=LANG):
    return ROOT / "locale" / lang / "figures"


def manifest_path(lang=LANG):
    return figures_dir(lang) / "manifest.json"


def catalogue_path(lang=LANG):
    return figure_text.catalogue_path(lang)


def png_bytes(output):
    """The PNG of an image output, as bytes."""
    data = output["data"][PNG]
    return base64.b64decode(data if isinstance(data, str) else "".join(data))


def _image_output_nodes(notebook):
    """``(cell id, n, output)`` of every image output of ``notebook`` (a NotebookNode),
    n counting the cell's image outputs from 0."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        images = [
            output
            for output in cell.get("outputs", [])
            if PNG in output.get("data", {})
        ]
        for n, output in enumerate(images):
            yield cell.id, n, output


def image_outputs(notebook):
    """``(cell id, n, PNG bytes)`` of every image output of ``notebook`` (a
    NotebookNode), n counting the cell's image outputs from 0."""
    for cell_id, n, output in _image_output_nodes(notebook):
        yield cell_id, n, png_bytes(output)


def digest(png):
    return hashlib.sha256(png).hexdigest()


def figure_key(notebook_path, cell_id, index):
    """``solutions/01_linear_score_function/94eb64ed-0``: a figure's key in the
    manifest."""
    path = Path(notebook_path)
    return f"{path.parent.name}/{path.stem}/{cell_id}-{index}"


def read_manifest(lang=LANG):
    path = manifest_path(lang)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def chinese_figure(notebook_path, cell_id, index, lang=LANG):
    """The Chinese twin (a PNG's path) of image output ``index`` of cell ``cell_id`` of
    the stored notebook at ``notebook_path`` (``solutions/`` or ``chapters/``), or
    ``None`` when it has none."""
    entry = read_manifest(lang).get(figure_key(notebook_path, cell_id, index))
    if entry is None:
        return None
    path = figures_dir(lang) / entry["png"]
    return path if path.exists() else None


def substitute_figures(notebook, notebook_path, lang=LANG):
    """Replace, in place, every stored figure of ``notebook`` (read from
    ``notebook_path``) by its Chinese twin when it has one whose English original is the
    figure stored there (a stale twin is not shown). Returns the number of figures
    replaced."""
    manifest = read_manifest(lang)
    replaced = 0
    for cell_id, n, output in _image_output_nodes(notebook):
        entry = manifest.get(figure_key(notebook_path, cell_id, n))
        twin = figures_dir(lang) / entry["png"] if entry else None
        if (
            twin is None
            or not twin.exists()
            or entry["english"] != digest(png_bytes(output))
        ):
            continue
        output["data"][PNG] = base64.b64encode(twin.read_bytes()).decode("ascii")
        replaced += 1
    return replaced


# --------------------------------------------------------------------------------------
# Keeping the twins in step
# --------------------------------------------------------------------------------------


def stored_notebooks(root=ROOT):
    return [
        path
        for folder in NOTEBOOK_DIRS
        for path in sorted((Path(root) / folder).glob("*.ipynb"))
    ]


def twin_problems(lang=LANG, root=ROOT):
    """Sentences naming every stored figure without a Chinese twin, every twin made from
    an English figure that has changed since, and every twin of a figure that is
    gone."""
    manifest = read_manifest(lang)
    problems, current = [], set()
    for path in stored_notebooks(root):
        notebook = nbformat.read(path, as_version=4)
        for cell_id, n, png in image_outputs(notebook):
            key = figure_key(path, cell_id, n)
            current.add(key)
            entry = manifest.get(key)
            where = f"{path.parent.name}/{path.name}, cell {cell_id!r}, figure {n}"
            if entry is None or not (figures_dir(lang) / entry["png"]).exists():
                problems.append(f"{where}: no Chinese twin")
            elif entry["english"] != digest(png):
                problems.append(
                    f"{where}: the English figure changed since its Chinese twin "
                    f"({entry['png']}) was made"
                )
    problems += [
        f"{key}: a Chinese twin of a figure no notebook stores"
        for key in manifest
        if key not in current
    ]
    digests = read_translation_digests(lang)
    for stem in sorted({key.split("/")[1] for key in current}):
        if digests.get(stem) != translations_digest(stem, lang):
            problems.append(
                f"{stem}: the translations of its figure text in figures.po changed "
                "since its Chinese twins were made"
            )
    return problems


# --------------------------------------------------------------------------------------
# update-figures
# --------------------------------------------------------------------------------------


class FigureGenerationError(RuntimeError):
    """Executing a notebook in Chinese did not give a usable figure."""


@contextmanager
def _environment(**values):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def execute_in(notebook, folder, lang, log):
    """A copy of ``notebook`` executed in ``lang`` (figure text logged to ``log``);
    fails on a cell that raises or writes to stderr (a missing glyph does)."""
    executed = copy.deepcopy(notebook)
    # The kernel imports this repository's package (not another copy installed
    # elsewhere).
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    with _environment(
        COURSE_LANG=lang,
        PYTHONHASHSEED="0",
        PYTHONPATH=path,
        **{figure_text.LOG_VAR: str(log), figure_text.STRICT_VAR: "1"},
    ):
        try:
            notebooks.execute(executed, folder)
        except (
            CellExecutionError
        ) as error:  # e.g. "Glyph 57344 (\ue000) missing from font(s)"
            lines = [
                line for line in _ANSI.sub("", str(error)).splitlines() if line.strip()
            ]
            raise FigureGenerationError(
                f"a cell failed in {lang}: {lines[-1] if lines else error}"
            ) from error
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error" or (
                output.output_type == "stream" and output.name == "stderr"
            ):
                text = output.get("text") or "\n".join(output.get("traceback", []))
                raise FigureGenerationError(
                    f"cell {cell.id!r} failed in {lang}:\n{text[-2000:]}"
                )
    return executed


def _matching_figures(english, chinese, name):
    """{(cell id, n): (English PNG, Chinese PNG)}; fails when a cell's figures differ
    in number."""
    english = {(c, n): png for c, n, png in image_outputs(english)}
    chinese = {(c, n): png for c, n, png in image_outputs(chinese)}
    if set(english) != set(chinese):
        raise FigureGenerationError(
            f"{name}: the figures of the Chinese run {sorted(chinese)} are not those "
            f"of the "
            f"stored notebook {sorted(english)}; regenerate the notebook first "
            "(python -m tools.build_notebooks)"
        )
    return {key: (english[key], chinese[key]) for key in english}


def update_notebook_figures(solution_path, lang=LANG, log=None):
    """Execute one solution notebook (and its exercise version if its figures differ) in
    ``lang`` (drawn texts appended to ``log``); store the twins and their manifest
    entries."""
    solution_path = Path(solution_path)
    chapter_path = notebooks.chapter_path(solution_path)
    stem = solution_path.stem
    manifest = {
        key: entry
        for key, entry in read_manifest(lang).items()
        if key.split("/")[1] != stem
    }
    solution = nbformat.read(solution_path, as_version=4)
    pairs = [("solutions", solution_path, solution, stem)]
    chapter = (
        nbformat.read(chapter_path, as_version=4) if chapter_path.exists() else None
    )
    solution_figures = {(c, n): digest(png) for c, n, png in image_outputs(solution)}
    if chapter is not None:
        differs = any(
            solution_figures.get((c, n)) != digest(png)
            for c, n, png in image_outputs(chapter)
        )
        if differs:
            pairs.append(("chapters", chapter_path, chapter, f"{stem}/exercises"))
    runs = []
    for (
        folder,
        path,
        english,
        subdir,
    ) in pairs:  # every run first: a failure keeps the old twins
        start = time.perf_counter()
        chinese = execute_in(english, path.parent, lang, log)
        runs.append((path, subdir, _matching_figures(english, chinese, path.name)))
        print(
            f"{folder}/{path.name} executed in {lang} in "
            f"{time.perf_counter() - start:.0f} s",
            flush=True,
        )
    for old in (figures_dir(lang) / stem).rglob("*.png"):
        old.unlink()
    for path, subdir, figures in runs:
        for (cell_id, n), (english_png, chinese_png) in figures.items():
            png = f"{subdir}/{cell_id}-{n}.png"
            (figures_dir(lang) / png).parent.mkdir(parents=True, exist_ok=True)
            (figures_dir(lang) / png).write_bytes(chinese_png)
            manifest[figure_key(path, cell_id, n)] = {
                "english": digest(english_png),
                "png": png,
            }
    if (
        chapter is not None and len(pairs) == 1
    ):  # the exercise version shows the same figures
        for cell_id, n in solution_figures:
            manifest[figure_key(chapter_path, cell_id, n)] = dict(
                manifest[figure_key(solution_path, cell_id, n)]
            )
    write_manifest(manifest, lang)


def write_manifest(manifest, lang=LANG):
    path = manifest_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(dict(sorted(manifest.items())), indent=1) + "\n", encoding="utf-8"
    )


def translations_path(lang=LANG):
    return figures_dir(lang) / "translations.json"


def translations_digest(stem, lang=LANG):
    """SHA-256 of the (message, translation) pairs of ``figures.po`` that notebook
    ``stem``'s figures draw: when it changes, that notebook's twins show outdated
    words."""
    path = catalogue_path(lang)
    pairs = []
    if path.exists():
        with path.open("rb") as file:
            pairs = sorted(
                (m.id, m.string, m.fuzzy)
                for m in read_po(file)
                if m.id and NOTEBOOK_COMMENT + stem in m.auto_comments
            )
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()


def read_translation_digests(lang=LANG):
    path = translations_path(lang)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def record_translations(stems, lang=LANG):
    """Store the :func:`translations_digest` of each notebook whose twins were just
    made."""
    digests = read_translation_digests(lang)
    digests.update({stem: translations_digest(stem, lang) for stem in stems})
    translations_path(lang).write_text(
        json.dumps(dict(sorted(digests.items())), indent=1) + "\n", encoding="utf-8"
    )


def read_log(path):
    """{message: first example text} and the untranslated messages of a text log."""
    found, untranslated = {}, set()
    if Path(path).exists():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            found.setdefault(record["message"], record["text"])
            if not record["translated"]:
                untranslated.add(record["message"])
    return found, untranslated


NOTEBOOK_COMMENT = "drawn by "
EXAMPLE_COMMENT = "e.g. "


def merge_catalogue(seen, lang=LANG):
    """Merge ``seen`` ({notebook stem: {message: example text}}) into ``figures.po``: a
    message of a re-run notebook that its run no longer draws loses that notebook, a
    message no notebook draws is dropped, new messages are added untranslated (each
    message's comments name the notebooks that draw it, and an example text for a
    template). Returns the catalogue's path."""
    path = catalogue_path(lang)
    old = Catalog(locale=lang, project="nn-foundations-course")
    if path.exists():
        with path.open("rb") as file:
            old = read_po(file, locale=lang)
    drawn_by, examples = {}, {}
    for message in old:
        if not message.id:
            continue
        drawn_by[message.id] = [
            c[len(NOTEBOOK_COMMENT) :]
            for c in message.auto_comments
            if c.startswith(NOTEBOOK_COMMENT) and c[len(NOTEBOOK_COMMENT) :] not in seen
        ]
        examples[message.id] = [
            c for c in message.auto_comments if c.startswith(EXAMPLE_COMMENT)
        ]
    order = [message.id for message in old if message.id]
    for stem, messages in seen.items():
        for message_id, text in messages.items():
            if message_id not in drawn_by:
                order.append(message_id)
                drawn_by[message_id], examples[message_id] = [], []
            drawn_by[message_id].append(stem)
            if (
                text != message_id
            ):  # a template: one text it stands for (short, on one line)
                example = repr(text if len(text) <= 60 else text[:57] + "...")
                examples[message_id] = [f"{EXAMPLE_COMMENT}{example}"]
    catalog = Catalog(locale=lang, project="nn-foundations-course")
    if path.exists():
        catalog.mime_headers = old.mime_headers
    for message_id in dict.fromkeys(order):
        if not drawn_by[message_id]:
            continue  # no figure draws it any more
        previous = old.get(message_id)
        comments = [
            NOTEBOOK_COMMENT + stem for stem in sorted(set(drawn_by[message_id]))
        ]
        catalog.add(
            message_id,
            previous.string if previous else "",
            auto_comments=comments + examples[message_id],
            flags=previous.flags if previous else (),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False, sort_output=False)
    return path


def update_figures(prefixes=(), lang=LANG):
    """``python -m tools.i18n update-figures [NN...]``: regenerate the twins of the
    solution notebooks whose names start with a prefix (all when none) and update
    ``figures.po``. Returns the untranslated messages (the twins then show them in
    English)."""
    solutions = sorted(notebooks.SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))
    if prefixes:
        solutions = [p for p in solutions if p.name.startswith(tuple(prefixes))]
    seen, untranslated = {}, set()
    with tempfile.TemporaryDirectory() as tmp:
        for path in solutions:
            log = Path(tmp) / f"{path.stem}.jsonl"
            update_notebook_figures(path, lang, log)
            seen[path.stem], missing = read_log(log)
            untranslated |= missing
    merge_catalogue(seen, lang)
    record_translations(seen, lang)
    return sorted(untranslated)
