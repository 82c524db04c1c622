"""Plugins for every test the repository collects, the notebooks' nbval cells
included.

nbval is loaded here rather than by pytest's plugin autoload (``-p no:nbval`` in
pytest.ini) so that the line below runs before anything imports nbformat.
"""

from utils.startup import skip_iri_format_checker

skip_iri_format_checker()  # over 2 s of every test process's start (utils/startup.py)

pytest_plugins = ["nbval.plugin", "tests.nbval_figures"]
