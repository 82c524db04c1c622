"""Plugins for every test the repository collects, the notebooks' nbval cells
included.

nbval is loaded here rather than by pytest's plugin autoload (``-p no:nbval`` in
pytest.ini) so that the line below runs before anything imports nbformat.
"""

from utils.startup import skip_iri_format_checker

skip_iri_format_checker()  # over 2 s of every test process's start (utils/startup.py)

pytest_plugins = ["nbval.plugin", "tests.nbval_figures"]

#: The test files that take longest (35 to 165 s each on the 2-core reference machine).
#: They run first, then the notebooks, then the rest: under ``pytest -n 2 --dist
#: loadfile`` (``--no-loadscope-reorder`` in pytest.ini keeps this order) no worker is
#: left finishing one of them alone while the other waits. A stale list costs only time.
LONGEST_FIRST = (
    "tests/test_site.py",
    "tests/test_download_archive.py",
    "tests/test_grade.py",
    "tests/test_i18n_messages.py",
)


def _dispatch_rank(item):
    path = item.nodeid.split("::")[0]
    if path in LONGEST_FIRST:
        return LONGEST_FIRST.index(path)
    return len(LONGEST_FIRST) + (not path.endswith(".ipynb"))


def pytest_collection_modifyitems(items):
    items.sort(key=_dispatch_rank)  # stable: a notebook's cells keep their order
