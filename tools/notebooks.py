"""Turn a solution notebook into its exercise notebook, and execute notebooks in place.

Solution code sits between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` lines; in the
exercise notebook each such block becomes a stub that raises ``NotImplementedError``,
indented like the block it replaces. Everything else (prose, setup, checks) is copied
unchanged.
"""

import copy
import re
import subprocess
import textwrap
from pathlib import Path

import nbformat
from utils.notebook_client import NotebookClient

from utils.grade import checked_in

from .download_archive import ARCHIVE_NAME, pyproject

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CHAPTERS = ROOT / "chapters"

_BLOCK = re.compile(
    r"^([ \t]*)# BEGIN SOLUTION[^\n]*\n.*?^[ \t]*# END SOLUTION[^\n]*(\n|$)",
    re.MULTILINE | re.DOTALL,
)


class NotebookFormatError(ValueError):
    """A solution notebook breaks the BEGIN/END SOLUTION convention."""


def strip_solutions(source):
    """Replace every solution block in one cell's source by a stub; returns the new
    source."""

    def stub(match):
        indent = match.group(1)
        return (
            f"{indent}# YOUR CODE HERE\n"
            f'{indent}raise NotImplementedError("Exercise not written yet")'
            + match.group(2)
        )

    stripped = _BLOCK.sub(stub, source)
    if "# BEGIN SOLUTION" in stripped or "# END SOLUTION" in stripped:
        raise NotebookFormatError("unmatched BEGIN/END SOLUTION marker in:\n" + source)
    return stripped


def exercise_notebook(solution, filename, config=None):
    """The exercise version of a solution notebook (a new NotebookNode, outputs
    cleared). ``config``: the book's configuration file (default ``_config.yml``), see
    ``with_navigation``."""
    nb = copy.deepcopy(solution)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            cell.outputs, cell.execution_count = [], None
    nb.metadata.setdefault("course", {})["kind"] = "exercises"
    return with_navigation(nb, "exercises", filename, config)


NAV_TAG = "course-navigation"
SETUP_ID = "course-setup"
#: The distribution that installs the course's package (imported as ``utils``).
DISTRIBUTION = "nn-foundations-course"
CONFIG = ROOT / "_config.yml"
#: Requirements Colab lacks; it has the rest (NumPy, SciPy, Matplotlib, scikit-learn,
#: ...).
COLAB_MISSING = ("jupyterquiz", "pooch")
_TITLE = re.compile(r"^# (?:Chapter|Solutions) (\d+):", re.MULTILINE)
_EXERCISE_HEADING = re.compile(r"^###\s+(Exercise\s[^\n]+)$", re.MULTILINE)


def _slug(heading):
    from myst_parser.mdit_to_docutils.base import (
        default_slugify,
    )  # the anchors MyST generates

    return default_slugify(heading)


def site_settings(config=None):
    """``(repository_url, branch)`` from the book's ``_config.yml`` (``config``: another
    file).

    ``repository_url`` (sphinx-book-theme's ``html_theme_options.repository_url``) is
    the one setting of launch buttons: empty, the site has none and the notebooks
    install nothing; set, the site shows Binder and Colab buttons
    (tools/site_extension.py) and each notebook's set-up cell installs the course's
    package when it runs on Colab.
    """
    import yaml

    settings = yaml.safe_load(Path(config or CONFIG).read_text(encoding="utf-8")) or {}
    options = (settings.get("sphinx", {}).get("config", {}) or {}).get(
        "html_theme_options", {}
    ) or {}
    return (options.get("repository_url") or "").strip().rstrip("/"), (
        options.get("repository_branch") or "main"
    ).strip()


def _pinned(names):
    """The pyproject.toml dependencies named ``names``, as written there (e.g.
    ``pooch>=1.8,<2``)."""
    deps = pyproject()["dependencies"]
    found = [d for d in deps if re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0] in names]
    if len(found) != len(names):
        raise ValueError(f"pyproject.toml's dependencies lack one of {names}")
    return found


_SETUP = """\
# Set-up written by the course's build tool: finds the course's package `utils`, and
# says how to get it where this Python does not have it.
import sys
{colab}
try:
    import utils.checks  # noqa: F401 (is the package there?)
except ModuleNotFoundError as missing:
    if missing.name not in ("utils", "utils.checks"):
        raise  # the package is there but one of its requirements is not

    class CoursePackageMissing(ModuleNotFoundError):
        def _render_traceback_(self):  # IPython shows this instead of a traceback
            return [str(self)]

    raise CoursePackageMissing(
{message}
        f"\\n(This Python: {{sys.executable}})"
    ) from None"""

_COLAB = """
if "google.colab" in sys.modules:  # Colab starts without the course's package
    import importlib
    import subprocess

    # --no-deps keeps Colab's own IPython and NumPy; these are all it lacks.
    packages = [
{packages}
    ]
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    subprocess.run([*pip, *packages])
    importlib.invalidate_caches()
"""


def _string_lines(text, indent, width=88):
    """``text`` as implicitly concatenated double-quoted literals, one per line,
    within ``width``."""
    room = width - indent - 2  # the two quotes
    pieces = textwrap.wrap(
        text.replace('"', "'"),
        room,
        drop_whitespace=False,
        break_on_hyphens=False,
        break_long_words=False,
    )
    return "\n".join(" " * indent + f'"{piece}"' for piece in pieces)


def setup_source(repository_url="", branch="main"):
    """The source of the set-up cell the build tool puts before a notebook's first code
    cell.

    It imports the course's package; where the package is missing it raises an error
    whose whole display (IPython's ``_render_traceback_``) is one paragraph saying how
    to get the package, so "Run all" stops there instead of showing a traceback at every
    cell. With a repository URL it first installs the package on Colab, and only there.
    """
    online = f"{DISTRIBUTION} @ git+{repository_url}@{branch}"
    paragraph = (
        "This notebook needs the course's Python package, `utils` (distribution "
        f"`{DISTRIBUTION}`), and this Python cannot import it. Get the course from its "
        "website ('Download the exercises': one archive with every notebook and the "
        "package), unpack it and follow its README; or install the package from a copy "
        "of "
        "the course into this notebook's Python with `%pip install "
        "/path/to/the/course` "
        "and restart the kernel. "
        + (
            f"Online: `%pip install '{online}'`, then restart the kernel. "
            if repository_url
            else ""
        )
        + "(`pip install utils` would install an unrelated package.)"
    )
    colab = ""
    if repository_url:
        packages = [online, *_pinned(COLAB_MISSING)]
        colab = _COLAB.format(packages="\n".join(f'        "{p}",' for p in packages))
    return _SETUP.format(colab=colab, message=_string_lines(paragraph, 8))


def with_navigation(nb, kind, filename, config=None):
    """Regenerate the cells the build tool writes (tagged ``course-navigation``), in
    place.

    After the title cell: a banner saying which version this is, the chapter's
    exercises, how to check them, and links to the other version and to the course's
    archive. Before the first code cell: the set-up cell (``setup_source``, hidden on
    the website). After each exercise statement: a link to the same exercise in the
    other version. Both versions link to each other, on the website and in Jupyter.
    ``config``: the book's configuration file (default ``_config.yml``).
    """
    exercise_kind = kind == "exercises"
    other = f"../{'solutions' if exercise_kind else 'chapters'}/{filename}"
    cells = [c for c in nb.cells if NAV_TAG not in c.metadata.get("tags", [])]
    names = checked_in(nb)  # the same reading of check(...) cells as the grader's
    listed = ", ".join(f"`{n}`" for n in names)
    # Raw HTML, not a Markdown link: the archive exists only in the built site, so
    # Sphinx must not look for it among the sources.
    download = (
        f'<a href="../{ARCHIVE_NAME}" download>Download the exercises</a> (one archive '
        "with every notebook and the course's package) to work on your own machine."
    )
    if exercise_kind:
        banner = (
            f"> **Exercise notebook.** You write {len(names)} functions here: "
            f"{listed}. Fill in "
            "each cell that says `raise NotImplementedError`, then run the check cell "
            "below it. "
            f"To grade the whole notebook, run `python -m utils.grade "
            f"chapters/{filename}` "
            f"from the repository root. The [solved notebook]({other}) has every "
            f"answer. " + download
        )
    else:
        banner = (
            f"> **Solution notebook.** The exercises ({listed}) are solved here. The "
            f"[exercise notebook]({other}) is the version to work in. " + download
        )

    def nav(text):
        cell = nbformat.v4.new_markdown_cell(text, metadata={"tags": [NAV_TAG]})
        cell.id = (
            f"nav-{sum(c.get('id', '').startswith('nav-') for c in out)}"  # stable ids
        )
        return cell

    # The page title says which version this is (search results, browser tabs, "next"
    # links), so a learner never opens a solution by mistake: "Chapter 2: ..." or
    # "Solutions 2: ...".
    word = "Chapter" if exercise_kind else "Solutions"
    cells[0].source = _TITLE.sub(
        lambda m: f"# {word} {m.group(1)}:", cells[0].source, count=1
    )
    out = [cells[0]]
    out.append(nav(banner))
    setup = nbformat.v4.new_code_cell(
        setup_source(*site_settings(config)),
        metadata={"tags": [NAV_TAG, "remove-cell"]},
    )
    setup.id = SETUP_ID
    for cell in cells[1:]:
        if setup and cell.cell_type == "code":
            out.append(setup)
            setup = None
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
    """Execute ``nb`` in place with a fresh kernel whose working directory is
    ``folder``.

    Cell timing metadata and widget state are not kept: they change on every run and
    would make the stored outputs differ for no reason (and widget state would pull
    JavaScript from a CDN into the website). A widget's output keeps only its plain-text
    form.
    """
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute(
        stderr=subprocess.DEVNULL
    )  # kernel log noise; cell output comes via messages
    normalize_metadata(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
            for output in cell.outputs:
                output.get("data", {}).pop(WIDGET_VIEW, None)
    return nb


def normalize_metadata(nb):
    """Drop what the executing machine writes into a notebook's metadata: widget state,
    and the Python version in ``language_info`` (3.11.7 here, 3.12.x elsewhere), so the
    stored notebooks are the same whichever Python 3.10-3.13 ran them. Returns ``nb``,
    changed in place."""
    nb.metadata.pop("widgets", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    return nb


def coalesce_streams(outputs):
    """Merge every stdout (and every stderr) chunk of a cell into its first chunk.

    The kernel sends printed text in chunks whose boundaries depend on timing; merging
    them, as nbval does before comparing, makes the stored outputs the same on every
    run.
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
