"""The chapters' code follows the notation appendix."""

import re

import pytest

from tests.helpers import solution_notebooks
from tools import notebooks

SOLUTIONS = solution_notebooks()


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_regularization_strength_is_called_reg_in_code(solution):
    code = "\n".join(
        c.source for c in notebooks.read(solution).cells if c.cell_type == "code"
    )
    assert not re.findall(
        r"\b(?:lam|lmbda|lambda_\w*|reg_strength|alpha_reg)\s*=", code
    ), "the notation appendix writes the regularization strength λ as `reg` in code"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_batches_are_rows_of_X_in_code(solution):
    code = "\n".join(
        c.source for c in notebooks.read(solution).cells if c.cell_type == "code"
    )
    assert not re.findall(r"\bW\w*\s*@\s*X\b", code), (
        "in code, examples are rows of X and scores are X @ W (the math's Wx is its "
        "transpose)"
    )
