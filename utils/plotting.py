"""Figures shared by the chapters, all in one style (``course.mplstyle``, colour-blind
safe).

Every function draws on a given ``ax`` (or a new one) and returns it, so notebooks can
combine them; none calls ``plt.show()``.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from . import figure_text

STYLE = Path(__file__).with_name("course.mplstyle")
#: the site's text column in inches at the style's 80 dpi (690 px): a wider figure is
#: shrunk, and its labels with it
COLUMN_WIDTH = 8.6
#: Class colours used by every 2-D plot (the first colours of the style's cycle).
CLASS_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]


def use_course_style():
    """Apply the course style to every figure that follows; in Chinese
    (``COURSE_LANG=zh_CN`` or ``utils.i18n.set_language("zh_CN")`` before this call)
    figure text is drawn in Chinese (:mod:`utils.figure_text`)."""
    plt.style.use(str(STYLE))
    figure_text.install()


def _axes(ax):
    return plt.subplots()[1] if ax is None else ax


def plot_points(X, y, ax=None, size=18):
    """Scatter 2-D points X (N, 2) coloured by label y (N,)."""
    ax = _axes(ax)
    for label in np.unique(y):
        ax.scatter(
            *X[y == label].T,
            s=size,
            color=CLASS_COLOURS[label % len(CLASS_COLOURS)],
            edgecolor="white",
            linewidth=0.5,
            label=f"class {label}",
            zorder=3,
        )
    ax.set_aspect("equal")
    return ax


def plot_decision_regions(predict, X, y, ax=None, resolution=200, padding=0.5):
    """Colour the plane by ``predict(points (M, 2)) -> labels (M,)`` and overlay the
    data X (N, 2)."""
    ax = _axes(ax)
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    xx, yy = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    labels = np.asarray(predict(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(
        xx.shape
    )
    num_classes = int(max(labels.max(), y.max())) + 1
    cmap = ListedColormap(CLASS_COLOURS[:num_classes])
    ax.contourf(
        xx, yy, labels, levels=np.arange(num_classes + 1) - 0.5, cmap=cmap, alpha=0.25
    )
    plot_points(X, y, ax)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    return ax


def plot_hyperplanes(W, b, ax, xlim, colours=CLASS_COLOURS):
    """Draw each class's zero-score line ``x @ W[:, k] + b[k] = 0`` for W (2, C), b
    (C,).

    An arrow from the line's point closest to the origin shows the direction in which
    class k's score grows.
    """
    xs = np.linspace(*xlim, 2)
    for k in range(W.shape[1]):
        w, c = W[:, k], colours[k % len(colours)]
        if abs(w[1]) > 1e-12:
            ax.plot(xs, -(w[0] * xs + b[k]) / w[1], color=c, linewidth=2)
        else:
            ax.axvline(-b[k] / w[0], color=c, linewidth=2)
        foot = -b[k] * w / (w @ w)
        ax.annotate(
            "",
            xy=foot + 0.6 * w / np.linalg.norm(w),
            xytext=foot,
            arrowprops={"arrowstyle": "->", "color": c, "linewidth": 2},
        )
    return ax


def show_templates(W, image_shape=(8, 8), class_names=None, axes=None, cmap="RdBu_r"):
    """Show each column of W (D, C) as an image: the template a linear classifier
    matches.

    Colours are symmetric around zero: red pixels raise the class's score, blue ones
    lower it.
    """
    C = W.shape[1]
    if axes is None:
        _, axes = plt.subplots(1, C, figsize=(min(1.2 * C, COLUMN_WIDTH), 1.6))
    for k, ax in enumerate(np.ravel(axes)[:C]):
        template = W[:, k].reshape(image_shape)
        limit = np.abs(template).max() or 1.0
        ax.imshow(template, cmap=cmap, vmin=-limit, vmax=limit)
        ax.set_title(str(k if class_names is None else class_names[k]))
        ax.axis("off")
    return axes


def show_images(X, labels=None, image_shape=(8, 8), axes=None, cmap="gray_r"):
    """Show rows of X (N, D) as small images, titled by ``labels`` if given."""
    N = X.shape[0]
    if axes is None:
        _, axes = plt.subplots(1, N, figsize=(min(1.2 * N, COLUMN_WIDTH), 1.6))
    for i, ax in enumerate(np.ravel(axes)[:N]):
        ax.imshow(X[i].reshape(image_shape), cmap=cmap)
        if labels is not None:
            ax.set_title(str(labels[i]))
        ax.axis("off")
    return axes


def plot_loss_curve(losses, ax=None, smooth=None, label=None, **line_kwargs):
    """Loss per iteration; with ``smooth=k`` also a moving average over k iterations."""
    ax = _axes(ax)
    losses = np.asarray(losses, dtype=float)
    line = ax.plot(
        losses,
        alpha=0.35 if smooth else 1.0,
        label=None if smooth else label,
        **line_kwargs,
    )
    if smooth:
        kernel = np.ones(smooth) / smooth
        ax.plot(
            np.arange(smooth - 1, len(losses)),
            np.convolve(losses, kernel, mode="valid"),
            color=line[0].get_color(),
            label=label,
        )
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    return ax


def plot_accuracy_curves(train_acc, val_acc, ax=None):
    """Training and validation accuracy per epoch."""
    ax = _axes(ax)
    epochs = np.arange(1, len(train_acc) + 1)
    ax.plot(epochs, train_acc, label="train")
    ax.plot(epochs, val_acc, label="validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    ax.legend()
    return ax
