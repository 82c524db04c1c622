"""The course's package as a distribution: its metadata, requirements and version
floors agree."""

import ast
import functools
import sys
from importlib.metadata import packages_distributions

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the suite's own Python

DISTRIBUTION = "nn-foundations-course"


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]


def requirement_lines(text):
    """The requirement lines of a requirements file (no comments, no options such as
    ``-e .``)."""
    lines = (line.split(" #", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith(("#", "-"))]


def declared(project):
    """``{name: Requirement}`` of the dependencies and every extra, the
    self-reference left out."""
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    reqs = [Requirement(s) for s in specs]
    return {
        canonicalize_name(r.name): r
        for r in reqs
        if canonicalize_name(r.name) != DISTRIBUTION
    }


def mismatches(pyproject_reqs, requirements_text):
    """Where requirements.txt and pyproject.toml disagree: a list of sentences
    (empty: in step)."""
    listed = {
        canonicalize_name(r.name): r
        for r in map(Requirement, requirement_lines(requirements_text))
    }
    problems = [
        f"{n} is in pyproject.toml but not in requirements.txt"
        for n in sorted(pyproject_reqs.keys() - listed.keys())
    ]
    problems += [
        f"{n} is in requirements.txt but not in pyproject.toml"
        for n in sorted(listed.keys() - pyproject_reqs.keys())
    ]
    problems += [
        f"{n}: requirements.txt says {listed[n].specifier}, pyproject.toml says "
        f"{pyproject_reqs[n].specifier}"
        for n in sorted(listed.keys() & pyproject_reqs.keys())
        if listed[n].specifier != pyproject_reqs[n].specifier
    ]
    return problems


def floor(requirement):
    """The lowest version a requirement allows (its ``>=`` or ``==`` bound), or None."""
    bounds = [
        Version(s.version) for s in requirement.specifier if s.operator in (">=", "==")
    ]
    return bounds[0] if len(bounds) == 1 else None


def floor_problems(requirements_text, constraints_text):
    pins = {}
    for line in requirement_lines(constraints_text):
        req = Requirement(line)
        pins[canonicalize_name(req.name)] = (
            floor(req) if str(req.specifier).startswith("==") else None
        )
    problems = []
    for line in requirement_lines(requirements_text):
        req = Requirement(line)
        name, lowest = canonicalize_name(req.name), floor(req)
        if lowest is None:
            problems.append(f"{name} has no single lower bound")
        elif pins.get(name) != lowest:
            problems.append(
                f"{name}: lowest allowed {lowest}, constraints-lowest.txt pins "
                f"{pins.get(name)}"
            )
    listed = {
        canonicalize_name(Requirement(line).name)
        for line in requirement_lines(requirements_text)
    }
    problems += [
        f"{n} is pinned but not required" for n in sorted(pins.keys() - listed)
    ]
    return problems


def test_distribution_has_a_distinctive_name_and_installs_the_utils_package():
    project = pyproject()
    assert project["name"] == DISTRIBUTION
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'include = ["utils*"]' in text
    assert set(project["optional-dependencies"]) == {"learner", "site", "dev"}
    dev = [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    assert any(r.name == DISTRIBUTION and r.extras == {"learner", "site"} for r in dev)


def test_requirements_txt_and_pyproject_list_the_same_ranges():
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert mismatches(declared(pyproject()), text) == []
    assert "-e ." in text.splitlines(), (
        "pip install -r requirements.txt must install the package"
    )


def test_the_comparison_catches_a_dropped_or_changed_range():
    reqs = declared(pyproject())
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert mismatches(reqs, text.replace("numpy>=1.26,<3", "numpy>=1.25,<3")) == [
        "numpy: requirements.txt says <3,>=1.25, pyproject.toml says <3,>=1.26"
    ]
    assert mismatches(reqs, text.replace("pooch>=1.8,<2\n", "")) == [
        "pooch is in pyproject.toml but not in requirements.txt"
    ]
    assert mismatches(reqs, text + "torch>=2\n") == [
        "torch is in requirements.txt but not in pyproject.toml"
    ]


def test_constraints_lowest_pins_the_floor_of_every_requirement():
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    constraints = (ROOT / "constraints-lowest.txt").read_text(encoding="utf-8")
    assert floor_problems(requirements, constraints) == []
    # ... and says so when a floor moves without its pin, or a pin goes missing.
    assert floor_problems(
        requirements.replace("scipy>=1.11.1", "scipy>=1.12"), constraints
    ) == ["scipy: lowest allowed 1.12, constraints-lowest.txt pins 1.11.1"]
    assert floor_problems(requirements, constraints.replace("pooch==1.8.0\n", "")) == [
        "pooch: lowest allowed 1.8, constraints-lowest.txt pins None"
    ]


@functools.cache  # a source is read twice by the test below
def imported_modules(source):
    """Top-level names of the absolute imports in Python source."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return frozenset(names)


def notebook_code(path):
    nb = nbformat.read(str(path), as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type == "code":  # IPython magics and shell escapes are not Python
            lines += [
                line
                for line in cell.source.splitlines()
                if not line.lstrip().startswith(("%", "!"))
            ]
    return "\n".join(lines)


@functools.cache
def _distributions_of_modules():
    """``{top-level module: [distribution, ...]}`` of what is installed (reading every
    distribution's file list takes most of a second, so once per session)."""
    return packages_distributions()


def undeclared_imports(sources, dependencies):
    """Third-party modules imported by ``sources`` whose distribution is not in
    ``dependencies``."""
    distributions = _distributions_of_modules()
    names = {canonicalize_name(Requirement(d).name) for d in dependencies}
    missing = set()
    for source in sources:
        for module in imported_modules(source):
            if module in sys.stdlib_module_names or module in (
                "utils",
                "tools",
                "tests",
            ):
                continue
            owners = {canonicalize_name(d) for d in distributions.get(module, [module])}
            if not owners & names:
                missing.add(module)
    return sorted(missing)


def test_dependencies_cover_every_import_of_the_package_and_the_notebooks():
    """A learner installs only ``dependencies``: whatever the package or a notebook
    imports must be in it, not only in an extra (IPython and ipywidgets come with them
    too)."""
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "utils").rglob("*.py")]
    sources += [notebook_code(p) for p in sorted((ROOT / "chapters").glob("*.ipynb"))]
    dependencies = pyproject()["dependencies"]
    assert undeclared_imports(sources, dependencies) == []
    dropped = [d for d in dependencies if not d.startswith("scikit-learn")]
    assert undeclared_imports(sources, dropped) == ["sklearn"]
