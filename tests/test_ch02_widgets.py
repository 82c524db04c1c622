"""Chapter 2's figures and widgets build without errors and show the right numbers."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from utils.widgets import losses as w


def test_both_losses_of_the_cat_example():
    hinge, ce = w.both_losses([3.2, 5.1, -1.7], 0)
    assert np.isclose(hinge, 2.9) and round(ce, 2) == 2.04


def test_static_figures_draw():
    fig, ax = plt.subplots()
    w.plot_losses_vs_correct_score([3.2, 5.1, -1.7], correct=0, ax=ax)
    hinge_line, ce_line = ax.get_lines()[:2]
    assert hinge_line.get_ydata()[-1] == 0.0  # margin met at the right end
    assert np.all(np.diff(ce_line.get_ydata()) < 0)  # cross-entropy keeps decreasing
    w.plot_softmax_temperatures([3.2, 5.1, -1.7])
    w.draw_loss_panels([3.2, 5.1, -1.7], 0)
    fig, ax = plt.subplots()
    w.plot_regression_losses(ax)
    assert len(ax.get_lines()) == 3


def test_widgets_build():
    pytest.importorskip("ipywidgets")
    assert w.loss_comparison_widget() is not None
    assert w.softmax_temperature_widget() is not None


def test_positive_example_loss_figure_marks_both_points():
    fig, ax = plt.subplots()
    w.plot_positive_example_loss((0.4, 0.98), ax=ax)
    curve, first, second = ax.get_lines()
    assert np.all(np.diff(curve.get_ydata()) < 0)  # -ln p falls as p rises
    assert round(float(first.get_ydata()[0]), 3) == 0.916
    assert round(float(second.get_ydata()[0]), 2) == 0.02


def test_entropy_figure_titles():
    uniform = np.full(10, 0.1)
    peaked = np.r_[0.91, np.full(9, 0.01)]
    axes = w.plot_entropy_examples([uniform, peaked], ["uniform", "peaked"])
    assert axes[0].get_title() == "uniform: H = 2.303"
    assert axes[1].get_title() == "peaked: H = 0.500"
