"""Chapter 2: how the hinge loss and the cross-entropy respond to the scores, and
softmax's temperature.

Each widget has a static twin drawing the same idea, for the website (widgets are not
live there). All values come from the course's reference implementations, never from a
learner's code.
"""

import matplotlib.pyplot as plt
import numpy as np

from ..plotting import CLASS_COLOURS, COLUMN_WIDTH
from ..reference.losses import cross_entropy_loss, softmax, svm_loss_vectorized
from ..figure_text import translate_figure_text
from ..i18n import _

HINGE_COLOUR, SOFTMAX_COLOUR = CLASS_COLOURS[0], CLASS_COLOURS[1]


def both_losses(scores, correct, delta=1.0):
    """(hinge loss, cross-entropy) of one example with 1-D ``scores`` and label
    ``correct``."""
    s = np.asarray(scores, dtype=float)[None, :]
    y = np.array([correct])
    return svm_loss_vectorized(s, y, delta), cross_entropy_loss(s, y)


def plot_losses_vs_correct_score(
    scores, correct=0, delta=1.0, span=(-4.0, 8.0), ax=None
):
    """Hinge loss and cross-entropy of one example as the correct class's score moves
    over ``span`` with the other scores fixed. Marks where the hinge loss reaches 0
    (margin met)."""
    ax = ax or plt.gca()
    scores = np.asarray(scores, dtype=float)
    grid = np.linspace(*span, 241)
    hinge, ce = [], []
    for value in grid:
        s = scores.copy()
        s[correct] = value
        h, c = both_losses(s, correct, delta)
        hinge.append(h)
        ce.append(c)
    others = np.delete(scores, correct)
    met = others.max() + delta
    ax.plot(grid, hinge, color=HINGE_COLOUR, label="hinge (SVM) loss")
    ax.plot(grid, ce, color=SOFTMAX_COLOUR, label="cross-entropy (softmax)")
    ax.axvline(met, color="0.5", linestyle=":", linewidth=1)
    ax.annotate(
        "margin met:\nhinge = 0",
        (met, 0),
        xytext=(6, 30),
        textcoords="offset points",
        fontsize=8,
        color="0.3",
    )
    ax.set_xlabel(f"score of the correct class (class {correct})")
    ax.set_ylabel("loss")
    ax.set_title(f"other scores fixed at {np.round(others, 2).tolist()}", fontsize=10)
    ax.legend(fontsize=8)
    return ax


def _bars(ax, values, labels, title, colour, ylim=None):
    ax.bar(range(len(values)), values, color=colour, alpha=0.8)
    ax.set_xticks(range(len(values)))
    ax.set_xticklabels(labels)
    ax.axhline(0, color="0.3", linewidth=0.8)
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_title(title, fontsize=10)


def draw_loss_panels(
    scores, correct, class_names=("cat", "car", "frog"), delta=1.0, axes=None
):
    """Three panels for one example: its scores, its softmax probabilities, and both
    losses."""
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(10, 3))
    scores = np.asarray(scores, dtype=float)
    p = softmax(scores[None, :])[0]
    hinge, ce = both_losses(scores, correct, delta)
    names = [f"{n}*" if k == correct else n for k, n in enumerate(class_names)]
    _bars(axes[0], scores, names, "scores (* = correct class)", "0.55")
    _bars(axes[1], p, names, "softmax probabilities", SOFTMAX_COLOUR, ylim=(0, 1))
    axes[2].bar([0, 1], [hinge, ce], color=[HINGE_COLOUR, SOFTMAX_COLOUR])
    axes[2].set_xticks([0, 1])
    axes[2].set_xticklabels(["hinge", "cross-entropy"])
    axes[2].set_title(f"hinge = {hinge:.2f}, cross-entropy = {ce:.2f}", fontsize=10)
    return axes


def loss_comparison_widget(
    scores=(3.2, 5.1, -1.7), correct=0, class_names=("cat", "car", "frog")
):
    """Sliders for the three scores of one example: the hinge loss and cross-entropy
    side by side."""
    import ipywidgets as widgets

    def redraw(s0, s1, s2, correct):
        draw_loss_panels([s0, s1, s2], correct, class_names)
        plt.tight_layout()
        plt.show()

    # class names as the panels draw them (figures' catalogue: "cat" is 猫 in Chinese)
    names = [translate_figure_text(name) for name in class_names]
    sliders = {
        f"s{k}": widgets.FloatSlider(
            value=float(v),
            min=-6,
            max=10,
            step=0.1,
            description=_("{name} score", name=names[k]),
        )
        for k, v in enumerate(scores)
    }
    choice = widgets.Dropdown(
        options=[(name, k) for k, name in enumerate(names)],
        value=correct,
        description=_("correct"),
    )
    return widgets.interactive(redraw, correct=choice, **sliders)


def plot_softmax_temperatures(
    scores, temperatures=(0.25, 1.0, 4.0), class_names=None, axes=None
):
    """Softmax of ``scores / T`` for each temperature T, one bar panel per T."""
    scores = np.asarray(scores, dtype=float)
    if axes is None:
        _, axes = plt.subplots(
            1,
            len(temperatures),
            figsize=(min(3.3 * len(temperatures), COLUMN_WIDTH), 2.8),
        )
    names = class_names or [str(k) for k in range(len(scores))]
    for ax, T in zip(np.atleast_1d(axes), temperatures):
        p = softmax(scores[None, :] / T)[0]
        _bars(
            ax,
            p,
            names,
            f"T = {T:g}: max p = {p.max():.2f}",
            SOFTMAX_COLOUR,
            ylim=(0, 1),
        )
    return axes


def softmax_temperature_widget(
    scores=(3.2, 5.1, -1.7), class_names=("cat", "car", "frog")
):
    """A temperature slider (log scale) on softmax(scores / T)."""
    import ipywidgets as widgets

    def redraw(T):
        fig, ax = plt.subplots(figsize=(4, 2.8))
        plot_softmax_temperatures(scores, (T,), class_names, axes=[ax])
        plt.show()

    return widgets.interactive(
        redraw,
        T=widgets.FloatLogSlider(
            value=1.0,
            base=10,
            min=-1.5,
            max=1.5,
            step=0.05,
            description=_("temperature"),
        ),
    )


def plot_regression_losses(ax=None, huber_delta=1.0, span=3.0):
    """Squared error, absolute error and the Huber loss as functions of the residual."""
    ax = ax or plt.gca()
    r = np.linspace(-span, span, 301)
    huber = np.where(
        np.abs(r) <= huber_delta,
        0.5 * r**2,
        huber_delta * (np.abs(r) - 0.5 * huber_delta),
    )
    ax.plot(r, 0.5 * r**2, color=CLASS_COLOURS[0], label=r"squared: $\frac{1}{2}r^2$")
    ax.plot(r, np.abs(r), color=CLASS_COLOURS[1], label=r"absolute: $|r|$")
    ax.plot(
        r,
        huber,
        color=CLASS_COLOURS[2],
        linestyle="--",
        label=rf"Huber ($\delta$ = {huber_delta:g})",
    )
    ax.set_xlabel("residual r = prediction - target")
    ax.set_ylabel("loss")
    ax.legend(fontsize=8)
    return ax


def plot_positive_example_loss(probabilities=(0.4, 0.98), ax=None):
    """The binary cross-entropy of a positive example (t = 1), -ln p, as a function of
    the predicted probability p, with the loss at each of ``probabilities`` marked and
    labelled."""
    ax = ax or plt.gca()
    p = np.linspace(0.01, 1.0, 300)
    ax.plot(p, -np.log(p), color=SOFTMAX_COLOUR, label=r"$-\ln p$ (label $t = 1$)")
    markers = ("o", "s", "^", "D")
    for k, pk in enumerate(probabilities):
        loss = -np.log(pk)
        ax.plot(
            [pk],
            [loss],
            marker=markers[k % len(markers)],
            color=HINGE_COLOUR,
            linestyle="none",
            markersize=7,
        )
        right = pk > 0.7  # label on the side with room
        ax.annotate(
            f"p = {pk:g}: loss {loss:.3f}",
            (pk, loss),
            xytext=(-8 if right else 8, 12),
            textcoords="offset points",
            fontsize=9,
            ha="right" if right else "left",
        )
    ax.set_xlabel("predicted probability p of the positive class")
    ax.set_ylabel("binary cross-entropy")
    ax.set_xlim(0, 1.05)
    ax.legend(fontsize=8)
    return ax


def plot_entropy_examples(distributions, names, axes=None):
    """One bar chart per distribution (each a 1-D array summing to 1), titled with
    its entropy in nats."""
    if axes is None:
        _, axes = plt.subplots(
            1, len(distributions), figsize=(3.2 * len(distributions), 2.6), sharey=True
        )
    hatches = ("", "//", "..", "xx")
    for k, (ax, p, name) in enumerate(zip(np.atleast_1d(axes), distributions, names)):
        p = np.asarray(p, dtype=float)
        nz = p[p > 0]
        entropy = float(-(nz * np.log(nz)).sum()) + 0.0
        ax.bar(
            np.arange(len(p)),
            p,
            color=CLASS_COLOURS[k % len(CLASS_COLOURS)],
            hatch=hatches[k % len(hatches)],
            edgecolor="0.2",
        )
        ax.set_xticks(np.arange(len(p)))
        ax.set_xlabel("class")
        ax.set_title(f"{name}: H = {entropy:.3f}", fontsize=10)
    np.atleast_1d(axes)[0].set_ylabel("probability")
    return axes
