"""Chapter 1: move one class's weights and bias and watch its hyperplane and the regions move."""
import matplotlib.pyplot as plt
import numpy as np

from ..plotting import plot_decision_regions, plot_hyperplanes


def draw_linear_classifier(X, y, W, b, ax=None, title=None):
    """Decision regions of the scores ``X @ W + b`` (W (2, C), b (C,)) with each class's
    zero-score line and an arrow along its weight vector."""
    ax = plot_decision_regions(lambda P: np.argmax(P @ W + b, axis=1), X, y, ax=ax)
    plot_hyperplanes(W, b, ax, ax.get_xlim())
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def linear_classifier_grid(X, y, W, b, cls=0, angles=(-60, 0, 60), biases=(-2.0, 0.0, 2.0)):
    """Static version of the widget: rows rotate class ``cls``'s weight vector by ``angles``
    (degrees), columns set its bias to ``biases``. Returns the figure."""
    fig, axes = plt.subplots(len(angles), len(biases), figsize=(3.2 * len(biases), 3.2 * len(angles)))
    for row, angle in zip(axes, angles):
        for ax, bias in zip(row, biases):
            W2, b2 = _moved(W, b, cls, angle, bias)
            draw_linear_classifier(X, y, W2, b2, ax, f"rotate {angle}°, bias {bias:+.1f}")
            ax.set_xticks([])
            ax.set_yticks([])
    fig.tight_layout()
    return fig


def _moved(W, b, cls, angle_degrees, bias):
    """Copy of (W, b) with class ``cls``'s weight vector rotated and its bias replaced."""
    t = np.deg2rad(angle_degrees)
    rotation = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    W2, b2 = W.copy(), b.copy()
    W2[:, cls] = rotation @ W[:, cls]
    b2[cls] = bias
    return W2, b2


def linear_classifier_widget(X, y, W, b):
    """Sliders for one class's weight angle, weight length and bias; redraws the regions."""
    import ipywidgets as widgets

    def redraw(cls=0, angle=0.0, scale=1.0, bias=0.0):
        W2, b2 = _moved(W, b, cls, angle, bias)
        W2[:, cls] *= scale
        draw_linear_classifier(X, y, W2, b2, title=f"class {cls}: |w| = {np.linalg.norm(W2[:, cls]):.2f}, "
                                                   f"b = {bias:+.2f}")
        plt.show()

    return widgets.interactive(
        redraw,
        cls=widgets.Dropdown(options=list(range(W.shape[1])), description="class"),
        angle=widgets.FloatSlider(min=-180, max=180, step=5, value=0.0, description="rotate (°)"),
        scale=widgets.FloatSlider(min=0.2, max=3.0, step=0.1, value=1.0, description="|w| ×"),
        bias=widgets.FloatSlider(min=-4, max=4, step=0.25, value=float(b[0]), description="bias"))
