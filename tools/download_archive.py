"""Build the archive a learner downloads: every notebook and the course's package.

    python -m tools.download_archive    # -> _build/html/nn-foundations-course.zip
    python -m tools.download_archive --output course.zip

The site build writes it too (tools/site_extension.py), at the root of the built site,
where the banner of every notebook and the home page link to it. It unpacks into one
folder, ``nn-foundations-course/``: the exercise notebooks (``chapters/``) and their
solved twins (``solutions/``, which the exercise notebooks link to), the appendices, the
``utils`` package with its ``pyproject.toml``, a ``requirements.txt`` for a learner's
machine, the licences and a short README with the two commands that set it up. ``pip
install`` also accepts the zip itself. The archive is byte-for-byte reproducible: fixed
timestamps, sorted entries.
"""

import argparse
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE_NAME = "nn-foundations-course.zip"
FOLDER = "nn-foundations-course"
_TIMESTAMP = (
    2024,
    1,
    1,
    0,
    0,
    0,
)  # zip needs one; a fixed one keeps the archive reproducible

README = """\
# Foundations of Neural Networks: the notebooks

The course's notebooks and its Python package, `utils` (installed as
`nn-foundations-course`). `chapters/` holds the exercise notebooks, the ones to work in;
`solutions/` their solved twins; `appendices/` the notation, the glossary, NumPy to
PyTorch and the references.

Two commands, from this folder (Python 3.10 or newer). Set up once:

```bash
python3 -m venv .venv && source .venv/bin/activate && pip install -r requirements.txt
```

(On Windows: `py -m venv .venv`, then `.venv\\Scripts\\activate`, then the `pip`
command.) Then, in every new terminal, `source .venv/bin/activate` and open the
notebooks:

```bash
jupyter lab chapters/01_linear_score_function.ipynb
```

`jupyter lab` refuses to start as `root` (containers, cloud machines): work as an
ordinary user, or where the machine is yours alone add `--allow-root`.

Each exercise is followed by a check cell. To grade a whole notebook (your file is not
changed):

```bash
python -m utils.grade chapters/01_linear_score_function.ipynb
```

It prints one line per exercise and a total; *not attempted* is reported apart from
*failed*.

Licences: the code under the MIT License, the prose and figures under CC BY 4.0 (see
`LICENSE`).
"""


def pyproject():
    """The ``[project]`` table of pyproject.toml."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: the TOML reader pip itself uses
        from pip._vendor import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]


def learner_requirements():
    """requirements.txt for a learner: the package's dependencies and its ``learner``
    extra (the ranges of pyproject.toml), then the package itself, editable, from this
    folder."""
    project = pyproject()
    lines = [*project["dependencies"], *project["optional-dependencies"]["learner"]]
    return (
        "# What the notebooks need, with JupyterLab to open them (the course's own "
        "ranges).\n# The last line installs the course's package, `utils`, from this "
        "folder.\n" + "\n".join(lines) + "\n-e .\n"
    )


def _files(folder, pattern):
    return [
        p
        for p in sorted((ROOT / folder).glob(pattern))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]


def archive_entries():
    """``{name inside the archive: bytes}``."""
    entries = {
        "README.md": README.encode(),
        "requirements.txt": learner_requirements().encode(),
    }
    for name in ("pyproject.toml", "LICENSE", "LICENSE-CC-BY-4.0.txt"):
        entries[name] = (ROOT / name).read_bytes()
    notebooks = _files("chapters", "[0-9][0-9]_*.ipynb") + _files(
        "solutions", "[0-9][0-9]_*.ipynb"
    )
    if not notebooks:
        raise SystemExit("error: no notebooks in chapters/ and solutions/")
    # The appendices too: the notebooks link to them, and the notation and glossary help
    # offline.
    for path in notebooks + _files("appendices", "*.md") + _files("utils", "**/*"):
        entries[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    return {f"{FOLDER}/{name}": data for name, data in entries.items()}


def build(output):
    """Write the archive to ``output``; return its path."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    entries = archive_entries()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_TIMESTAMP)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])
    return output


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.download_archive", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--output", help=f"the archive to write (default _build/html/{ARCHIVE_NAME})"
    )
    args = parser.parse_args(argv)
    path = build(args.output or ROOT / "_build" / "html" / ARCHIVE_NAME)
    print(f"Wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
