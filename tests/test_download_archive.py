"""The "Download the exercises" archive: what it holds, that its links resolve, and
(slow) that it unpacks into a course that installs into a fresh environment and
grades."""

import json
import re
import subprocess
import venv
import zipfile

import pytest

from tests.conftest import ROOT
from tools import download_archive, notebooks


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return download_archive.build(
        tmp_path_factory.mktemp("archive") / download_archive.ARCHIVE_NAME
    )


def names_in(path):
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def test_archive_unpacks_into_one_folder_with_the_notebooks_package_and_readme(archive):
    names = names_in(archive)
    assert {n.split("/")[0] for n in names} == {"nn-foundations-course"}
    inside = {n.split("/", 1)[1] for n in names}
    for needed in (
        "README.md",
        "requirements.txt",
        "pyproject.toml",
        "LICENSE",
        "LICENSE-CC-BY-4.0.txt",
        "utils/__init__.py",
        "utils/grade.py",
        "utils/checks/core.py",
        "utils/course.mplstyle",
        "utils/digits_split.npz",
        "utils/quizzes/ch01.json",
        "appendices/notation.md",
    ):
        assert needed in inside, needed
    for solution in sorted(notebooks.SOLUTIONS.glob("[0-9][0-9]_*.ipynb")):
        assert (
            f"chapters/{solution.name}" in inside
            and f"solutions/{solution.name}" in inside
        )
    assert not [n for n in inside if "__pycache__" in n or n.endswith(".pyc")]
    assert not [
        n for n in inside if n.startswith(("tests/", "tools/", "_build/", ".venv"))
    ]
    with zipfile.ZipFile(archive) as zf:
        stored = zf.read(
            "nn-foundations-course/chapters/01_linear_score_function.ipynb"
        )
    assert stored == (ROOT / "chapters" / "01_linear_score_function.ipynb").read_bytes()


def test_archive_requirements_are_the_learners_and_install_the_package(archive):
    with zipfile.ZipFile(archive) as zf:
        lines = zf.read("nn-foundations-course/requirements.txt").decode().splitlines()
        readme = zf.read("nn-foundations-course/README.md").decode()
    project = download_archive.pyproject()
    wanted = project["dependencies"] + project["optional-dependencies"]["learner"]
    assert [line for line in lines if line and not line.startswith("#")] == wanted + [
        "-e ."
    ]
    ours = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert all(line in ours for line in wanted), "the same ranges as the repository's"
    assert not {"pytest", "jupyter-book", "nbval", "selenium"} & {
        re.split(r"[<>=]", line)[0] for line in lines
    }
    assert "pip install -r requirements.txt" in readme and "jupyter lab" in readme
    assert "python -m utils.grade chapters/01_linear_score_function.ipynb" in readme


def relative_links(text):
    return re.findall(r"\]\((?!https?:|#|mailto:)([^)\s#]+)", text) + re.findall(
        r'href="(?!https?:|#)([^"#]+)', text
    )


def test_every_link_in_the_archive_resolves_inside_it_but_the_archive_link(archive):
    """A learner working from the archive can follow every link (the one to the archive
    itself points at the website, where the archive lives)."""
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        dead = []
        for name in sorted(names):
            if not name.endswith((".ipynb", ".md")):
                continue
            text = zf.read(name).decode()
            if name.endswith(".ipynb"):
                text = "\n".join(
                    c["source"]
                    if isinstance(c["source"], str)
                    else "".join(c["source"])
                    for c in json.loads(text)["cells"]
                    if c["cell_type"] == "markdown"
                )
            for link in relative_links(text):
                target = "/".join(_normalise(name.rsplit("/", 1)[0] + "/" + link))
                if link.endswith(download_archive.ARCHIVE_NAME):
                    continue
                if target not in names:
                    dead.append(f"{name}: {link}")
    assert dead == []


def _normalise(path):
    parts = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return parts


def test_the_link_check_finds_a_dead_link():
    assert relative_links('see [x](../nowhere/x.ipynb) and <a href="y.zip">') == [
        "../nowhere/x.ipynb",
        "y.zip",
    ]
    assert _normalise("f/chapters/../solutions/a.ipynb") == [
        "f",
        "solutions",
        "a.ipynb",
    ]


def test_archive_is_reproducible(archive, tmp_path):
    assert (
        download_archive.build(tmp_path / "again.zip").read_bytes()
        == archive.read_bytes()
    )


# a fresh virtual environment, a full install and a graded notebook
@pytest.mark.slow
def test_archive_installs_into_a_fresh_environment_and_grades_solved_chapter_1(
    archive, tmp_path
):
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path)
    course = tmp_path / "nn-foundations-course"
    venv.create(tmp_path / "env", with_pip=True, system_site_packages=False)
    python = tmp_path / "env" / "bin" / "python"
    # The README's command (pip may use its cache and the configured package index),
    # without compiling the installed files to bytecode: a third of the install's time,
    # and what is imported gets compiled anyway.
    done = subprocess.run(
        [
            str(python),
            *("-m", "pip", "install", "-q", "--no-compile", "-r", "requirements.txt"),
        ],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # The package comes from the installed distribution, not from this repository.
    where = subprocess.run(
        [str(python), "-c", "import utils; print(utils.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.strip() == str(course / "utils" / "__init__.py")

    def grade(notebook):
        # From outside the course folder: the grader and its kernel find the installed
        # package.
        return subprocess.run(
            [str(python), "-m", "utils.grade", str(course / notebook)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=900,
        )

    # (The exercise notebook in the archive is the repository's, byte for byte: see
    # the first test; tests/test_grade.py grades its untouched exercises.)
    solved = grade("solutions/01_linear_score_function.ipynb")
    assert "Total: 6/6 exercises passed" in solved.stdout, (
        solved.stdout + solved.stderr[-2000:]
    )
