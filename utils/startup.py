"""Faster start of the processes that read notebooks: the grader and the test runs.

nbformat imports jsonschema, and jsonschema imports rfc3987-syntax when it is installed
(Jupyter's ``jsonschema[format-nongpl]`` installs it). That package builds about 35
Earley parsers for IRIs at import: over 2 s of every such process's start, paid once
per graded notebook in a class's gradebook. No notebook schema uses an IRI format, so
these processes do without that one format checker
(python-jsonschema/jsonschema#1428).
"""

import sys


def skip_iri_format_checker():
    """Make ``import rfc3987_syntax`` fail, so jsonschema leaves out its IRI checker.

    Call before anything imports nbformat or jsonschema; afterwards it changes nothing.
    Only command-line programs and test processes call it, never a library import.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
