"""Plugins for every test the repository collects, the notebooks' nbval cells
included.

nbval is loaded here rather than by pytest's plugin autoload (``-p no:nbval`` in
pytest.ini) so that the line below runs before anything imports nbformat.
"""

import sys

# nbformat imports jsonschema, and jsonschema imports rfc3987-syntax (if installed),
# which builds about 35 Earley parsers for IRIs at import: over 2 s in every pytest
# process and xdist worker. No notebook schema uses an IRI format, so the test
# processes do without that checker (python-jsonschema/jsonschema#1428).
sys.modules.setdefault("rfc3987_syntax", None)

pytest_plugins = ["nbval.plugin", "tests.nbval_figures"]
