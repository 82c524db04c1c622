"""Plugins for every test the repository collects, the notebooks' nbval cells
included."""

pytest_plugins = ["tests.nbval_figures"]
