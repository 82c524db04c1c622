"""Chapter 1: move one class's weights and bias and watch its zero-score line, the
borders between the classes and the regions move.

Two kinds of line are drawn, told apart by their style (not only by colour):

- solid, in a class's colour: the class's **zero-score line** ``x @ W[:, k] + b[k] =
  0``, with an arrow along ``W[:, k]`` (the direction in which the score grows);
- dashed, dark: a **border between two classes** j and k, where their scores are equal,
  ``x @ (W[:, j] - W[:, k]) + (b[j] - b[k]) = 0``, drawn only where j and k tie for the
  highest score (the edges of the coloured argmax regions).
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from ..plotting import COLUMN_WIDTH, plot_decision_regions, plot_hyperplanes
from ..i18n import _

BORDER_STYLE = {"color": "0.15", "linestyle": "--", "linewidth": 1.6}


def zero_line_distance(W, b, cls):
    """Distance from the origin to class ``cls``'s zero-score line: |b_k| / ||w_k||
    (W (2, C), b (C,))."""
    return abs(float(b[cls])) / float(np.linalg.norm(W[:, cls]))


def border_segments(W, b, xlim, ylim):
    """The borders between the argmax regions of the scores ``x @ W + b`` (W (2, C), b
    (C,)).

    For each pair j < k, the line where scores j and k are equal, cut to the part where
    no other class scores higher (there j and k tie for the top). Returns a list of
    ``(j, k, p, q)`` with the segment's end points p, q (each (2,)), cut to the box
    ``xlim`` x ``ylim``; pairs that never tie for the top inside the box are left out.
    """
    C = W.shape[1]
    size = np.hypot(xlim[1] - xlim[0], ylim[1] - ylim[0])
    centre = np.array([np.mean(xlim), np.mean(ylim)])
    segments = []
    for j in range(C):
        for k in range(j + 1, C):
            d, c = W[:, j] - W[:, k], b[j] - b[k]
            if np.linalg.norm(d) < 1e-12:
                continue  # parallel scores: they never tie on a line
            u = np.array([-d[1], d[0]]) / np.linalg.norm(d)  # direction along the line
            p0 = -c * d / (d @ d)  # the line's point closest to the origin
            t0 = u @ (centre - p0)  # parameter of the point closest to the box centre
            lo, hi = t0 - size, t0 + size  # long enough to cross the whole box
            for m in range(C):  # keep s_j >= s_m: alpha + beta * t >= 0
                if m in (j, k):
                    continue
                g, e = W[:, j] - W[:, m], b[j] - b[m]
                alpha, beta = g @ p0 + e, g @ u
                if abs(beta) < 1e-12:
                    if alpha < 0:
                        lo, hi = 1.0, 0.0
                elif beta > 0:
                    lo = max(lo, -alpha / beta)
                else:
                    hi = min(hi, -alpha / beta)
            for axis, (a, z) in enumerate((xlim, ylim)):  # cut to the box
                if abs(u[axis]) < 1e-12:
                    if not a <= p0[axis] <= z:
                        lo, hi = 1.0, 0.0
                    continue
                t1, t2 = sorted(((a - p0[axis]) / u[axis], (z - p0[axis]) / u[axis]))
                lo, hi = max(lo, t1), min(hi, t2)
            if hi > lo:
                segments.append((j, k, p0 + lo * u, p0 + hi * u))
    return segments


def draw_linear_classifier(X, y, W, b, ax=None, title=None, legend=True):
    """Decision regions of the scores ``X @ W + b`` (W (2, C), b (C,)), each class's
    zero-score line (solid) with an arrow along its weight vector, and the borders
    between the regions (dashed)."""
    ax = plot_decision_regions(lambda P: np.argmax(P @ W + b, axis=1), X, y, ax=ax)
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    plot_hyperplanes(W, b, ax, xlim)
    for _j, _k, p, q in border_segments(W, b, xlim, ylim):  # (j, k): the two classes
        ax.plot([p[0], q[0]], [p[1], q[1]], **BORDER_STYLE)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    if legend:
        ax.legend(
            handles=[
                Line2D(
                    [], [], color="0.45", linewidth=2, label="zero score of a class"
                ),
                Line2D([], [], label="border: two scores equal", **BORDER_STYLE),
            ],
            fontsize=7,
            loc="lower left",
            framealpha=0.9,
        )
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def linear_classifier_grid(
    X, y, W, b, cls=0, angles=(-60, 0, 60), biases=(-2.0, 0.0, 2.0)
):
    """Static version of the widget's rotation and bias: rows rotate class ``cls``'s
    weight vector by ``angles`` (degrees), columns set its bias to ``biases``. Returns
    the figure."""
    size = min(
        3.2, (COLUMN_WIDTH - 0.4) / len(biases)
    )  # panels shrink to fit the text column
    fig, axes = plt.subplots(
        len(angles), len(biases), figsize=(size * len(biases), size * len(angles))
    )
    for r, (row, angle) in enumerate(zip(axes, angles)):
        for c, (ax, bias) in enumerate(zip(row, biases)):
            W2, b2 = _moved(W, b, cls, angle, bias)
            draw_linear_classifier(
                X,
                y,
                W2,
                b2,
                ax,
                f"rotate {angle}°, bias {bias:+.1f}",
                legend=(r, c) == (0, 0),
            )
            ax.set_xticks([])
            ax.set_yticks([])
    fig.tight_layout()
    return fig


def scaled(W, b, cls, scale, scale_bias=False):
    """Copy of (W, b) with class ``cls``'s weight vector multiplied by ``scale`` (and
    its bias too if ``scale_bias``)."""
    W2, b2 = W.copy(), b.copy()
    W2[:, cls] *= scale
    if scale_bias:
        b2[cls] *= scale
    return W2, b2


def linear_classifier_scaling(X, y, W, b, cls=0, scale=3.0):
    """Static version of the widget's length slider: class ``cls`` as given, with its
    weight vector times ``scale`` (bias kept), and with weights and bias both times
    ``scale``. Returns the figure."""
    cases = [
        ("as given", W, b),
        (f"w × {scale:g}, b kept", *scaled(W, b, cls, scale)),
        (f"w and b × {scale:g}", *scaled(W, b, cls, scale, scale_bias=True)),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(COLUMN_WIDTH, 3.4))
    for i, (ax, (name, W2, b2)) in enumerate(zip(axes, cases)):
        draw_linear_classifier(
            X,
            y,
            W2,
            b2,
            ax,
            legend=i == 0,
            title=f"class {cls}: {name}\n"
            f"|b|/|w| = {zero_line_distance(W2, b2, cls):.3f}",
        )
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def _moved(W, b, cls, angle_degrees, bias):
    """Copy of (W, b) with class ``cls``'s weight vector rotated and its bias
    replaced."""
    t = np.deg2rad(angle_degrees)
    rotation = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    W2, b2 = W.copy(), b.copy()
    W2[:, cls] = rotation @ W[:, cls]
    b2[cls] = bias
    return W2, b2


def linear_classifier_widget(X, y, W, b):
    """Sliders for one class's weight angle, weight length and bias (and whether the
    length slider scales the bias too); redraws the regions, the zero-score lines and
    the borders."""
    import ipywidgets as widgets

    def redraw(cls=0, angle=0.0, scale=1.0, bias=0.0, scale_bias=False):
        W2, b2 = _moved(W, b, cls, angle, bias)
        W2, b2 = scaled(W2, b2, cls, scale, scale_bias)
        draw_linear_classifier(
            X,
            y,
            W2,
            b2,
            title=f"class {cls}: |w| = {np.linalg.norm(W2[:, cls]):.2f}, "
            f"b = {b2[cls]:+.2f}, line at |b|/|w| = "
            f"{zero_line_distance(W2, b2, cls):.3f} from the origin",
        )
        plt.show()

    return widgets.interactive(
        redraw,
        cls=widgets.Dropdown(options=list(range(W.shape[1])), description=_("class")),
        angle=widgets.FloatSlider(
            min=-180, max=180, step=5, value=0.0, description=_("rotate (°)")
        ),
        scale=widgets.FloatSlider(
            min=0.2, max=3.0, step=0.1, value=1.0, description=_("|w| ×")
        ),
        bias=widgets.FloatSlider(
            min=-4, max=4, step=0.25, value=float(b[0]), description=_("bias")
        ),
        scale_bias=widgets.Checkbox(value=False, description=_("scale b with w")),
    )
