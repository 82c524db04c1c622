"""A pytest plugin (loaded by the root conftest.py) that makes nbval count figures.

nbval does not compare images, so a figure that silently vanished (as it does with some
matplotlib and IPython pairs) would pass: every executed cell must show as many figures
as it stores.
"""

import pytest


def _images(outputs):
    return sum("image/png" in output.get("data", {}) for output in outputs)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    if type(item).__name__ == "IPyNbCell" and item.test_outputs is not None:
        if "nbval-ignore-output" not in item.cell.metadata.get("tags", []):
            stored, fresh = _images(item.cell.outputs), _images(item.test_outputs)
            assert fresh == stored, (
                f"this cell stores {stored} figure(s) but showed {fresh} when "
                f"run:\n{item.cell.source}"
            )
    return result
