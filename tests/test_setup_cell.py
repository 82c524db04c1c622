"""The set-up cell the build tool puts first in every notebook: where the course's
package is missing it says, in one paragraph and without a traceback, how to get it; on
Colab it installs it."""

import json
import subprocess
import sys
import textwrap

import nbformat
import pytest

from tests.conftest import ROOT
from tools import notebooks

SOLUTIONS = sorted(notebooks.SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))
URL = "https://github.com/example-org/nn-course"

# Runs in a fresh Python outside the repository: hides the course's package from it (the
# editable install's import hook, the repository on sys.path), optionally fakes Colab
# and records pip calls, then runs one cell in IPython exactly as a notebook would and
# reports what happened.
HARNESS = textwrap.dedent("""
    import importlib.util, json, subprocess, sys, types
    root, hide, colab, cell = json.loads(sys.stdin.read())
    if hide is True:
        sys.meta_path[:] = [
            f for f in sys.meta_path
            if "nn_foundations_course" not in getattr(f, "__module__", "")]
        sys.path[:] = [p for p in sys.path if p not in ("", ".", root)]
        assert importlib.util.find_spec("utils") is None, "the package is importable"
    for name in hide if isinstance(hide, list) else []:
        sys.modules[name] = None  # a requirement of the package that is missing
    calls = []
    if colab:
        sys.modules["google.colab"] = types.ModuleType("google.colab")
        subprocess.run = lambda args, **kw: calls.append(list(args))
    from IPython.core.interactiveshell import InteractiveShell
    result = InteractiveShell.instance().run_cell(cell)
    error = result.error_in_exec
    name = type(error).__name__ if error else None
    print("\\x00" + json.dumps({"error": name, "pip": calls}))
""")


#: Each run starts a fresh Python and IPython (about 0.6 s of CPU), so these tests are
#: left out of the fast command.
starts_python = pytest.mark.slow


def run_cell(source, tmp_path, hide=True, colab=False):
    """``(displayed text, error type name or None, pip calls)`` of ``source`` run in
    IPython."""
    done = subprocess.run(
        [sys.executable, "-c", HARNESS],
        cwd=tmp_path,
        text=True,
        input=json.dumps([str(ROOT), hide, colab, source]),
        capture_output=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )
    shown, _, report = done.stdout.rpartition("\x00")
    assert report, done.stdout + done.stderr
    report = json.loads(report)
    return shown + done.stderr, report["error"], report["pip"]


def first_code_cell(path):
    return next(c for c in notebooks.read(path).cells if c.cell_type == "code")


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_every_notebook_starts_with_the_set_up_cell(solution):
    expected = notebooks.setup_source(*notebooks.site_settings())
    for path in (solution, notebooks.chapter_path(solution)):
        cell = first_code_cell(path)
        assert cell.id == notebooks.SETUP_ID and cell.source == expected, path.name
        assert "remove-cell" in cell.metadata.tags  # not shown on the website
        assert cell.outputs == [], f"{path.name}: the set-up cell printed something"


@starts_python
def test_without_the_package_the_first_cell_explains_instead_of_a_traceback(tmp_path):
    source = (
        notebooks.setup_source()
    )  # what every stored notebook starts with (test above)
    shown, error, pip = run_cell(source, tmp_path)
    assert error == "CoursePackageMissing" and pip == []
    assert "Traceback" not in shown and "---->" not in shown and "File " not in shown
    paragraph = " ".join(shown.split())
    assert paragraph.startswith(
        "This notebook needs the course's Python package, `utils`"
    )
    for needed in (
        "nn-foundations-course",
        "Download the exercises",
        "%pip install",
        "restart the kernel",
        f"(This Python: {sys.executable})",
    ):
        assert needed in paragraph, needed
    assert "git+" not in paragraph, "no repository URL is set, so none is offered"
    assert len(paragraph) < 700, "one short paragraph"


@starts_python
def test_the_harness_sees_the_traceback_an_unguarded_notebook_shows(tmp_path):
    """What learners saw before: the notebook's own imports, without the set-up cell."""
    imports = next(
        c
        for c in notebooks.read(SOLUTIONS[0]).cells
        if c.cell_type == "code" and c.id != notebooks.SETUP_ID
    )
    shown, error, _ = run_cell(imports.source, tmp_path)
    assert error == "ModuleNotFoundError"
    assert "Traceback" in shown and "No module named 'utils'" in shown


@starts_python
def test_with_the_package_the_first_cell_is_silent(tmp_path):
    shown, error, pip = run_cell(
        first_code_cell(SOLUTIONS[0]).source, tmp_path, hide=False
    )
    assert (shown.strip(), error, pip) == ("", None, [])


@starts_python
def test_a_missing_requirement_of_the_package_is_not_called_a_missing_package(tmp_path):
    source = notebooks.setup_source()
    shown, error, _ = run_cell(source, tmp_path, hide=["numpy"])
    assert error == "ModuleNotFoundError" and "numpy" in shown
    assert "Download the exercises" not in shown


@starts_python
def test_set_up_cell_installs_the_package_on_colab_only_when_a_repository_is_set(
    tmp_path,
):
    source = notebooks.setup_source(URL, "main")
    compile(source, "<cell>", "exec")
    _, error, pip = run_cell(source, tmp_path, hide=False, colab=True)
    assert error is None and len(pip) == 1
    assert pip[0][:6] == [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
    ]
    assert pip[0][6:] == [
        f"nn-foundations-course @ git+{URL}@main",
        "jupyterquiz==2.9.6.4",
        "pooch>=1.8,<2",
    ]
    # Elsewhere it installs nothing, and the paragraph offers the repository too.
    shown, error, pip = run_cell(source, tmp_path)
    assert error == "CoursePackageMissing" and pip == []
    assert f"git+{URL}@main" in " ".join(shown.split())
    # With the setting empty there is no Colab step at all, even on Colab.
    assert "google.colab" not in notebooks.setup_source()
    _, error, pip = run_cell(notebooks.setup_source(), tmp_path, hide=False, colab=True)
    assert (error, pip) == (None, [])


def test_the_setting_is_read_from_the_book_configuration(tmp_path):
    assert notebooks.site_settings() == ("", "main"), (
        "_config.yml ships with the setting empty"
    )
    config = tmp_path / "_config.yml"
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert 'repository_url: ""' in text
    config.write_text(text.replace('repository_url: ""', f'repository_url: "{URL}/"'))
    assert notebooks.site_settings(config) == (URL, "main")
    nb = notebooks.with_navigation(
        notebooks.read(SOLUTIONS[0]), "solutions", SOLUTIONS[0].name, config
    )
    setup = next(c for c in nb.cells if c.cell_type == "code")
    assert (
        setup.source == notebooks.setup_source(URL, "main")
        and "google.colab" in setup.source
    )
    again = notebooks.with_navigation(nb, "solutions", SOLUTIONS[0].name)
    assert sum(c.id == notebooks.SETUP_ID for c in again.cells) == 1, (
        "regenerated, not piled up"
    )
    assert (
        "google.colab"
        not in next(c for c in again.cells if c.cell_type == "code").source
    )


@pytest.mark.slow  # starts a kernel
def test_in_a_kernel_outside_the_repository_the_error_output_is_the_paragraph(tmp_path):
    """The notebook downloaded alone, run in Jupyter with "Run all": the set-up cell's
    error output carries the paragraph as its whole traceback, and execution stops
    there."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = tmp_path / "downloaded.ipynb"
    nb = notebooks.read(notebooks.chapter_path(SOLUTIONS[0]))
    hide = nbformat.v4.new_code_cell(
        "import sys\nsys.meta_path[:] = [f for f in sys.meta_path\n"
        "                    if 'nn_foundations_course' not in getattr(f, "
        "'__module__', '')]\n"
        f"sys.path[:] = [p for p in sys.path if p not in ('', {str(ROOT)!r})]"
    )
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.cells.insert(0, hide)
    nbformat.write(nb, str(path))
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    with pytest.raises(CellExecutionError):
        client.execute()
    setup = next(c for c in nb.cells if c.get("id") == notebooks.SETUP_ID)
    [output] = setup.outputs
    assert output.output_type == "error" and output.ename == "CoursePackageMissing"
    text = "\n".join(output.traceback)
    assert (
        text.startswith("This notebook needs the course's Python package")
        and "Traceback" not in text
    )
    later = [c for c in nb.cells[nb.cells.index(setup) + 1 :] if c.cell_type == "code"]
    assert all(not c.outputs for c in later), "execution stops at the set-up cell"
