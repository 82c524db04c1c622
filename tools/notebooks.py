"""Turn a solution notebook into its exercise notebook, and execute notebooks in place.

Solution code sits between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` lines; in the exercise
notebook each such block becomes a stub that raises ``NotImplementedError``, indented like the
block it replaces. Everything else (prose, setup, checks) is copied unchanged.
"""
import copy
import re
import subprocess
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from utils.grade import checked_in

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CHAPTERS = ROOT / "chapters"

_BLOCK = re.compile(r"^([ \t]*)# BEGIN SOLUTION[^\n]*\n.*?^[ \t]*# END SOLUTION[^\n]*(\n|$)",
                    re.MULTILINE | re.DOTALL)


class NotebookFormatError(ValueError):
    """A solution notebook breaks the BEGIN/END SOLUTION convention."""


def strip_solutions(source):
    """Replace every solution block in one cell's source by a stub; returns the new source."""
    def stub(match):
        indent = match.group(1)
        return (f"{indent}# YOUR CODE HERE\n"
                f"{indent}raise NotImplementedError(\"Exercise not written yet\")" + match.group(2))

    stripped = _BLOCK.sub(stub, source)
    if "# BEGIN SOLUTION" in stripped or "# END SOLUTION" in stripped:
        raise NotebookFormatError("unmatched BEGIN/END SOLUTION marker in:\n" + source)
    return stripped


def exercise_notebook(solution, filename):
    """The exercise version of a solution notebook (a new NotebookNode, outputs cleared)."""
    nb = copy.deepcopy(solution)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            cell.outputs, cell.execution_count = [], None
    nb.metadata.setdefault("course", {})["kind"] = "exercises"
    return with_navigation(nb, "exercises", filename)


NAV_TAG = "course-navigation"
_TITLE = re.compile(r"^# (?:Chapter|Solutions) (\d+):", re.MULTILINE)
_EXERCISE_HEADING = re.compile(r"^###\s+(Exercise\s[^\n]+)$", re.MULTILINE)


def _slug(heading):
    from myst_parser.mdit_to_docutils.base import default_slugify  # the anchors MyST generates

    return default_slugify(heading)


def with_navigation(nb, kind, filename):
    """Regenerate the navigation cells (tagged ``course-navigation``) of a notebook in place.

    After the title cell: a banner saying which version this is, the chapter's exercises, how to check
    them, and a link to the other version. After each exercise statement: a link to the same exercise
    in the other version. Both versions link to each other, on the website and in Jupyter.
    """
    exercise_kind = kind == "exercises"
    other = f"../{'solutions' if exercise_kind else 'chapters'}/{filename}"
    cells = [c for c in nb.cells if NAV_TAG not in c.metadata.get("tags", [])]
    names = checked_in(nb)  # the same reading of check(...) cells as the grader's
    listed = ", ".join(f"`{n}`" for n in names)
    if exercise_kind:
        banner = (f"> **Exercise notebook.** You write {len(names)} functions here: {listed}. Fill in "
                  "each cell that says `raise NotImplementedError`, then run the check cell below it. "
                  f"To grade the whole notebook, run `python -m utils.grade chapters/{filename}` "
                  f"from the repository root. The [solved notebook]({other}) has every answer.")
    else:
        banner = (f"> **Solution notebook.** The exercises ({listed}) are solved here. The "
                  f"[exercise notebook]({other}) is the version to work in.")

    def nav(text):
        cell = nbformat.v4.new_markdown_cell(text, metadata={"tags": [NAV_TAG]})
        cell.id = f"nav-{sum(NAV_TAG in c.metadata.get('tags', []) for c in out)}"  # stable ids
        return cell

    # The page title says which version this is (search results, browser tabs, "next" links), so a
    # learner never opens a solution by mistake: "Chapter 2: ..." or "Solutions 2: ...".
    word = "Chapter" if exercise_kind else "Solutions"
    cells[0].source = _TITLE.sub(lambda m: f"# {word} {m.group(1)}:", cells[0].source, count=1)
    out = [cells[0]]
    out.append(nav(banner))
    for cell in cells[1:]:
        out.append(cell)
        if cell.cell_type == "markdown":
            for heading in _EXERCISE_HEADING.findall(cell.source):
                label = "See the solution" if exercise_kind else "Back to the exercise"
                out.append(nav(f"[{label} →]({other}#{_slug(heading)})"))
    nb.cells = out
    return nb


def chapter_path(solution_path):
    return CHAPTERS / Path(solution_path).name


def execute(nb, folder, timeout=120):
    """Execute ``nb`` in place with a fresh kernel whose working directory is ``folder``.

    Cell timing metadata and widget state are not kept: they change on every run and would make
    the stored outputs differ for no reason (and widget state would pull JavaScript from a CDN
    into the website). A widget's output keeps only its plain-text form.
    """
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(folder)}})
    client.execute(stderr=subprocess.DEVNULL)  # kernel log noise; cell output comes via messages
    normalize_metadata(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
            for output in cell.outputs:
                output.get("data", {}).pop(WIDGET_VIEW, None)
    return nb


def normalize_metadata(nb):
    """Drop what the executing machine writes into a notebook's metadata: widget state, and the
    Python version in ``language_info`` (3.11.7 here, 3.12.x elsewhere), so the stored notebooks are
    the same whichever Python 3.10-3.13 ran them. Returns ``nb``, changed in place."""
    nb.metadata.pop("widgets", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    return nb


def coalesce_streams(outputs):
    """Merge every stdout (and every stderr) chunk of a cell into its first chunk.

    The kernel sends printed text in chunks whose boundaries depend on timing; merging them, as
    nbval does before comparing, makes the stored outputs the same on every run.
    """
    merged, first = [], {}
    for output in outputs:
        if output.output_type == "stream":
            if output.name in first:
                first[output.name].text += output.text
                continue
            first[output.name] = output
        merged.append(output)
    return merged


def read(path):
    return nbformat.read(str(path), as_version=4)


def write(nb, path):
    nbformat.validate(nb)
    nbformat.write(nb, str(path))
