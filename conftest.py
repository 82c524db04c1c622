"""Plugins for every test the repository collects, the notebooks' nbval cells
included.

nbval is loaded here rather than by pytest's plugin autoload (``-p no:nbval`` in
pytest.ini) so that the line below runs before anything imports nbformat.
"""

import collections

from utils.startup import skip_iri_format_checker

skip_iri_format_checker()  # over 2 s of every test process's start (utils/startup.py)

pytest_plugins = ["nbval.plugin", "tests.nbval_figures"]

#: The test files that take longest (35 to 165 s each on the 2-core reference machine).
#: Under ``pytest -n 2 --dist loadfile`` they are handed out first, then the notebooks,
#: then the other files, most tests first (``--no-loadscope-reorder`` in pytest.ini
#: makes pytest-xdist keep this order): no worker is left finishing a long file alone
#: while the other waits. A stale list costs only time.
LONGEST_FIRST = (
    "tests/test_site.py",
    "tests/test_download_archive.py",
    "tests/test_grade.py",
    "tests/test_i18n_messages.py",
)


def _file_of(item):
    return item.nodeid.split("::")[0]


def pytest_collection_modifyitems(items):
    tests_in = collections.Counter(_file_of(item) for item in items)

    def dispatch_rank(item):
        path = _file_of(item)
        if path in LONGEST_FIRST:
            return (LONGEST_FIRST.index(path), 0)
        if path.endswith(".ipynb"):
            return (len(LONGEST_FIRST), 0)
        return (len(LONGEST_FIRST) + 1, -tests_in[path])

    items.sort(key=dispatch_rank)  # stable: a file's tests and a notebook's cells keep
    # their order
