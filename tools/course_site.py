"""Sphinx hook of the course site: published code shows no author markers.

Solution notebooks keep ``# BEGIN SOLUTION`` / ``# END SOLUTION`` lines (the build tool
cuts the exercise versions out between them); on the site they are noise, so they are
dropped from every code block when the page is read. The stored notebooks and the
downloadable copies keep them.
"""

import re

from docutils import nodes

MARKER = re.compile(r"^[ \t]*# (?:BEGIN|END) SOLUTION\b[^\n]*\n?", re.MULTILINE)


def drop_solution_markers(app, doctree):
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if "SOLUTION" not in text:
            continue
        cleaned = MARKER.sub("", text)
        if cleaned != text:
            block.children = [nodes.Text(cleaned)]
            block.rawsource = cleaned


def setup(app):
    app.connect("doctree-read", drop_solution_markers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
