"""Chapter 1's reference and the numbers its prose quotes."""

import numpy as np

from utils.checks.ch01_linear import (
    FOUR_PIXEL_B,
    FOUR_PIXEL_SCORES,
    FOUR_PIXEL_W,
    FOUR_PIXELS,
)
from utils.reference import bias_trick, center_data, linear_scores


def test_four_pixel_example_and_the_figure_without_bias():
    assert np.allclose(
        linear_scores(FOUR_PIXELS, FOUR_PIXEL_W, FOUR_PIXEL_B), FOUR_PIXEL_SCORES
    )
    # The classic figure's 61.95 for "ship" is the score without the bias of -1.2.
    assert np.isclose((FOUR_PIXELS @ FOUR_PIXEL_W)[0, 2], 61.95)


def test_bias_trick_and_centering_do_not_touch_inputs():
    rng = np.random.default_rng(0)
    X, W, b = (
        rng.standard_normal((4, 3)),
        rng.standard_normal((3, 2)),
        rng.standard_normal(2),
    )
    X0 = X.copy()
    X_ext, W_ext = bias_trick(X, W, b)
    assert np.allclose(X_ext @ W_ext, X @ W + b) and np.array_equal(X, X0)
    tr, te = center_data(X, X[:2] + 5)
    assert np.allclose(tr.mean(axis=0), 0) and np.allclose(
        te, X[:2] + 5 - X.mean(axis=0)
    )


def test_linear_classifier_parameter_count_quoted_in_the_quiz():
    from utils.reference import LinearClassifier

    model = LinearClassifier(64, 10)
    assert sum(p.size for p in model.params.values()) == 650
