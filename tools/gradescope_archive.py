"""Build a Gradescope autograder archive for one chapter.

    python -m tools.gradescope_archive 1  # _build/gradescope/chapter_01_autograder.zip
    python -m tools.gradescope_archive 4 --output ch4.zip --time-limit 900

The archive holds what Gradescope asks for at its root: ``setup.sh`` (run once, as root,
when Gradescope builds the autograder's image: installs Python and the grading
requirements), ``run_autograder`` (run for every submission: grades it with ``python -m
utils.gradescope`` and writes ``/autograder/results/results.json``), the course's
``utils`` package, ``requirements.txt`` (the course's pins without the site, test and
editor tools) and a README for the instructor. The archive is byte-for-byte
reproducible: fixed timestamps, sorted entries.
"""

import argparse
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Requirements that build the site, run the test suite or edit notebooks; grading needs
#: none.
NOT_FOR_GRADING = {
    "jupyter-book",
    "sphinx-mathjax-offline",
    "pytest",
    "pytest-timeout",
    "pytest-xdist",
    "nbval",
    "selenium",
    "jupyterlab",
}
_TIMESTAMP = (
    2024,
    1,
    1,
    0,
    0,
    0,
)  # zip needs one; a fixed one keeps the archive reproducible

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
    python3 python3-venv python3-pip
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
/autograder/venv/bin/pip install -r /autograder/source/requirements.txt
# Fail now, while the instructor watches the build, rather than at the first submission.
cd /autograder/source
/autograder/venv/bin/python -c \\
    "import ipykernel, nbclient, utils.checks, utils.gradescope"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission (copied to /autograder/run_autograder).
# It grades the notebook in /autograder/submission and writes
# /autograder/results/results.json. AUTOGRADER_ROOT and AUTOGRADER_PYTHON let a test
# run it in another folder with another Python.
set -u
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
# The course's package comes from the archive, for the grader and the notebook's kernel.
export PYTHONPATH="$ROOT/source${{PYTHONPATH:+:$PYTHONPATH}}"
export MPLBACKEND=Agg PYTHONHASHSEED=0
cd "$ROOT/source"
exec "$PYTHON" -m utils.gradescope --root "$ROOT" --chapter {chapter} \\
    --cell-timeout {cell_timeout} --time-limit {time_limit}
"""

README = """# Autograder for chapter {chapter}: {title}

Built by `python -m tools.gradescope_archive {chapter}` from the course's repository.

On Gradescope, create a *Programming Assignment*, choose *Zip file upload* as the
autograder configuration and upload this archive (Ubuntu base image, the default).
Learners submit their exercise notebook, `{notebook}` (any file name works; with several
notebooks the one of chapter {chapter} is graded).

Each exercise is one test worth the points the course's check registry gives it
({points}; total {total}). A learner sees, for each exercise, *passed*, *not right yet*
with the course's hint (which names the likely misconception and never shows test code),
*not attempted* (a function still raising `NotImplementedError`: reported as not
attempted, not as a wrong answer), or why the check did not run. Each cell may run
{cell_timeout} s and the whole notebook {time_limit} s; set Gradescope's own autograder
timeout a little above that.

Contents: `setup.sh` (installs Python and `requirements.txt`), `run_autograder` (runs
`python -m utils.gradescope`), `utils/` (the course's package), `requirements.txt`.
"""


def grading_requirements(text):
    """The lines of a requirements file that grading needs (no comments, options or
    dev tools)."""
    kept = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        name = re.split(r"[<>=!~\[;@ ]", line, maxsplit=1)[0].lower().replace("_", "-")
        if name not in NOT_FOR_GRADING:
            kept.append(line)
    return (
        "# What grading a course notebook needs: the course's pins without the tools "
        "that\n# build the site, run the test suite or edit notebooks.\n"
        + "\n".join(kept)
        + "\n"
    )


def chapter_notebook(chapter):
    """The exercise notebook of ``chapter`` (``chapters/NN_topic.ipynb``)."""
    found = sorted((ROOT / "chapters").glob(f"{chapter:02d}_*.ipynb"))
    if not found:
        raise SystemExit(f"error: chapter {chapter} has no notebook in chapters/")
    return found[0]


def package_files():
    """``(archive name, path)`` of every file of the ``utils`` package, sorted."""
    files = []
    for path in sorted((ROOT / "utils").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files.append((path.relative_to(ROOT).as_posix(), path))
    return files


def archive_entries(chapter, cell_timeout=120, time_limit=900):
    """``{name: (bytes, executable)}`` of the autograder archive of ``chapter``."""
    import nbformat

    from utils.checks.core import REGISTRY

    names = [n for n, ex in REGISTRY.items() if ex.chapter == chapter]
    if not names:
        raise SystemExit(f"error: chapter {chapter} has no exercises")
    notebook = chapter_notebook(chapter)
    title = nbformat.read(str(notebook), as_version=4).cells[0].source.splitlines()[0]
    title = re.sub(r"^#\s*(Chapter \d+:\s*)?", "", title)
    points = ", ".join(f"`{n}` {REGISTRY[n].points:g}" for n in names)
    total = sum(REGISTRY[n].points for n in names)
    entries = {
        "setup.sh": (SETUP_SH.encode(), True),
        "run_autograder": (
            RUN_AUTOGRADER.format(
                chapter=chapter, cell_timeout=cell_timeout, time_limit=time_limit
            ).encode(),
            True,
        ),
        "requirements.txt": (
            grading_requirements(
                (ROOT / "requirements.txt").read_text(encoding="utf-8")
            ).encode(),
            False,
        ),
        "README.md": (
            README.format(
                chapter=chapter,
                title=title,
                notebook=notebook.name,
                points=points,
                total=f"{total:g}",
                cell_timeout=cell_timeout,
                time_limit=time_limit,
            ).encode(),
            False,
        ),
    }
    for name, path in package_files():
        entries[name] = (path.read_bytes(), False)
    return entries


def build(chapter, output, cell_timeout=120, time_limit=900):
    """Write the archive of ``chapter`` to ``output``; return its path."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    entries = archive_entries(chapter, cell_timeout, time_limit)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            data, executable = entries[name]
            info = zipfile.ZipInfo(name, date_time=_TIMESTAMP)
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return output


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.gradescope_archive", description=__doc__.splitlines()[0]
    )
    parser.add_argument("chapter", type=int, help="the chapter to grade, e.g. 1")
    parser.add_argument(
        "--output",
        help="the archive to write (default "
        "_build/gradescope/chapter_NN_autograder.zip)",
    )
    parser.add_argument(
        "--cell-timeout", type=int, default=120, help="seconds per cell"
    )
    parser.add_argument(
        "--time-limit",
        type=int,
        default=900,
        help="seconds for the whole notebook (default 900)",
    )
    args = parser.parse_args(argv)
    output = (
        args.output
        or ROOT / "_build" / "gradescope" / f"chapter_{args.chapter:02d}_autograder.zip"
    )
    path = build(args.chapter, output, args.cell_timeout, args.time_limit)
    print(
        f"Wrote {path}: upload it as the autograder of chapter {args.chapter}'s "
        f"assignment"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
