"""Chapter 1's widget geometry: zero-score lines, borders between classes, and the
numbers the prose quotes."""

import numpy as np
import pytest

from utils.data import make_blobs
from utils.widgets import linear as w

ANGLES = 2 * np.pi * np.arange(3) / 3
W_BLOBS = np.vstack([np.cos(ANGLES), np.sin(ANGLES)])
B_BLOBS = np.array([-0.5, -0.5, -0.5])


def test_stretching_w_alone_moves_the_line_and_stretching_w_and_b_does_not():
    assert np.isclose(w.zero_line_distance(W_BLOBS, B_BLOBS, 0), 0.5)
    W3, b3 = w.scaled(W_BLOBS, B_BLOBS, 0, 3.0)
    assert round(w.zero_line_distance(W3, b3, 0), 3) == 0.167  # quoted in the prose
    W3, b3 = w.scaled(W_BLOBS, B_BLOBS, 0, 3.0, scale_bias=True)
    assert np.isclose(w.zero_line_distance(W3, b3, 0), 0.5)
    assert np.array_equal(W_BLOBS[:, 1:], W3[:, 1:]) and np.array_equal(
        B_BLOBS[1:], b3[1:]
    )


def test_borders_are_where_two_scores_tie_for_the_top():
    rng = np.random.default_rng(0)
    for _ in range(20):
        W, b = rng.standard_normal((2, 4)), rng.standard_normal(4)
        segments = w.border_segments(W, b, (-3, 3), (-3, 3))
        assert segments
        for j, k, p, q in segments:
            for t in np.linspace(0, 1, 7):
                s = (p + t * (q - p)) @ W + b
                assert np.isclose(s[j], s[k]) and s[j] >= s.max() - 1e-9
                assert np.all(np.abs(p + t * (q - p)) <= 3 + 1e-9)
        # every change of the argmax along a random horizontal line lies on a drawn
        # border
        xs = np.linspace(-3, 3, 2001)
        y0 = rng.uniform(-3, 3)
        labels = np.argmax(np.column_stack([xs, np.full_like(xs, y0)]) @ W + b, axis=1)
        for i in np.flatnonzero(np.diff(labels)):
            pair = tuple(sorted((labels[i], labels[i + 1])))
            assert any((j, k) == pair for j, k, _, _ in segments)


def test_the_blob_borders_meet_where_the_prose_says():
    def meet(W, b):
        return np.linalg.solve(
            np.stack([W[:, 0] - W[:, 1], W[:, 1] - W[:, 2]]),
            -np.array([b[0] - b[1], b[1] - b[2]]),
        )

    assert np.allclose(meet(W_BLOBS, B_BLOBS), 0)
    assert np.allclose(
        meet(*w.scaled(W_BLOBS, B_BLOBS, 0, 3.0, scale_bias=True)), [2 / 7, 0]
    )
    assert np.allclose(W_BLOBS[:, 0] - W_BLOBS[:, 1], [1.5, -np.sqrt(3) / 2])


def test_static_figures_draw_both_line_styles():
    X, y = make_blobs(n_per_class=10, num_classes=3, seed=1)
    ax = w.draw_linear_classifier(X, y, W_BLOBS, B_BLOBS)
    styles = {line.get_linestyle() for line in ax.get_lines()}
    assert {"-", "--"} <= styles
    w.linear_classifier_grid(X, y, W_BLOBS, B_BLOBS)
    w.linear_classifier_scaling(X, y, W_BLOBS, B_BLOBS)


def test_widget_builds():
    pytest.importorskip("ipywidgets")
    X, y = make_blobs(n_per_class=10, num_classes=3, seed=1)
    assert w.linear_classifier_widget(X, y, W_BLOBS, B_BLOBS) is not None
