"""Interactive widgets. Each module pairs a widget (live in Jupyter) with a plain
function that draws the same idea as a static figure for the website, where no kernel
runs the sliders.

In a notebook, the widget cell carries the tags ``remove-output`` (the site shows the
static figure instead) and ``nbval-ignore-output`` (widget reprs are not course
content).
"""
