"""Chapter 7: what initialization does to a deep stack of layers, forward (activation
statistics) and backward (gradient norm per layer), and the learning-rate schedules.

A "stack" here is ``depth`` fully connected layers of ``width`` units with one
activation, no training: it shows the state a network starts from.
"""

import matplotlib.pyplot as plt
import numpy as np

from ..plotting import COLUMN_WIDTH
from ..reference.losses import sigmoid, softmax_loss
from ..reference.practice import init_weights
from ..i18n import _

ACTIVATIONS = {
    "tanh": (np.tanh, lambda out: 1 - out**2),
    "relu": (lambda z: np.maximum(0, z), lambda out: (out > 0).astype(float)),
    "sigmoid": (sigmoid, lambda out: out * (1 - out)),
}
#: Initializations compared in the chapter: a fixed std, or a scheme of
#: ``init_weights``.
INITS = {"small (0.01)": 0.01, "xavier": "xavier", "he": "he", "large (1.0)": 1.0}


def stack_weights(dims, init, seed=0):
    """Weights (dims[i], dims[i+1]) for every layer; ``init`` a std (float) or
    "xavier"/"he"."""
    rng = np.random.default_rng(seed)
    if isinstance(init, str):
        return [init_weights(a, b, init, rng) for a, b in zip(dims[:-1], dims[1:])]
    return [init * rng.standard_normal((a, b)) for a, b in zip(dims[:-1], dims[1:])]


def stack_forward(X, weights, activation):
    """Activations of every layer, a list of arrays (N, width): h_l = g(h_{l-1} @
    W_l)."""
    g = ACTIVATIONS[activation][0]
    outs, h = [], X
    for W in weights:
        h = g(h @ W)
        outs.append(h)
    return outs


def stack_gradient_norms(X, y, depth, width, activation, init, num_classes=10, seed=0):
    """Frobenius norm of dL/dW_l for each of the ``depth`` hidden layers (index 0 =
    first layer) of an untrained stack topped by a linear softmax classifier, on the
    batch X (N, D), y (N,). The classifier's weights are drawn with the same
    ``init``."""
    dims = [X.shape[1]] + [width] * depth + [num_classes]
    weights = stack_weights(dims, init, seed)
    hidden = stack_forward(X, weights[:-1], activation)
    _, dscores = softmax_loss(hidden[-1] @ weights[-1], y)
    derivative = ACTIVATIONS[activation][1]
    dh, norms = dscores @ weights[-1].T, []
    for layer in range(depth - 1, -1, -1):
        dz = dh * derivative(hidden[layer])
        h_in = X if layer == 0 else hidden[layer - 1]
        norms.append(float(np.linalg.norm(h_in.T @ dz)))
        dh = dz @ weights[layer].T
    return norms[::-1]


def plot_activation_histograms(
    X, activation="tanh", init="xavier", depth=8, width=100, seed=0, axes=None
):
    """CS231n's picture: a histogram of every layer's activations (one panel per layer).
    Returns the axes."""
    dims = [X.shape[1]] + [width] * depth
    outs = stack_forward(
        X, stack_weights(dims, INITS.get(init, init), seed), activation
    )
    if axes is None:  # rows of at most 4 panels, so the figure fits the text column
        columns = min(depth, 4)
        rows = -(-depth // columns)
        _, axes = plt.subplots(
            rows,
            columns,
            figsize=(min(2.1 * columns, COLUMN_WIDTH - 0.4), 2.1 * rows),
            sharey=True,
            squeeze=False,
        )
        for ax in axes.ravel()[depth:]:
            ax.remove()
    limits = (
        (-1, 1) if activation == "tanh" else (0, 1) if activation == "sigmoid" else None
    )
    for layer, (ax, h) in enumerate(zip(np.ravel(axes), outs), start=1):
        ax.hist(h.ravel(), bins=30, range=limits, color="C0")
        ax.set_title(f"layer {layer}\nstd {h.std():.2g}", fontsize=9)
        ax.tick_params(labelsize=8)
        ax.set_yticks([])
    np.ravel(axes)[
        0
    ].figure.tight_layout()  # titles of the second row clear the first's ticks
    return axes


def plot_activation_grid(
    X, activations=("tanh", "relu"), inits=tuple(INITS), depth=8, width=100, seed=0
):
    """Static figure of the widget: the standard deviation of each layer's activations,
    one panel per activation, one line per initialization. Returns (figure,
    {(activation, init): stds})."""
    fig, axes = plt.subplots(
        1,
        len(activations),
        figsize=(min(4.3 * len(activations), COLUMN_WIDTH - 0.4), 3.4),
    )
    stds = {}
    dims = [X.shape[1]] + [width] * depth
    for ax, act in zip(np.ravel(axes), activations):
        for name in inits:
            outs = stack_forward(X, stack_weights(dims, INITS[name], seed), act)
            stds[(act, name)] = [float(h.std()) for h in outs]
            ax.plot(
                range(1, depth + 1), stds[(act, name)], marker="o", ms=3, label=name
            )
        ax.set_yscale("log")
        ax.set_xlabel("layer")
        ax.set_ylabel("std of activations")
        ax.set_title(f"{act}, {depth} layers of {width} units", fontsize=10)
    np.ravel(axes)[0].legend(fontsize=8)
    fig.tight_layout()
    return fig, stds


def deep_stack_widget(X):
    """Sliders for the activation, the initialization and the depth; redraws the
    per-layer histograms of the activations."""
    import ipywidgets as widgets

    def redraw(activation="tanh", init="xavier", depth=8):
        plot_activation_histograms(X, activation, init, depth)
        plt.show()

    return widgets.interactive(
        redraw,
        activation=widgets.Dropdown(options=list(ACTIVATIONS), value="tanh"),
        init=widgets.Dropdown(options=list(INITS), value="xavier"),
        depth=widgets.IntSlider(min=2, max=10, value=8, description=_("depth")),
    )


def plot_schedules(schedules, total_steps, ax=None):
    """Each schedule ``name -> f(step)`` drawn over ``range(total_steps + 1)``.
    Returns the axes."""
    ax = plt.subplots(figsize=(6, 3.4))[1] if ax is None else ax
    steps = np.arange(total_steps + 1)
    for name, f in schedules.items():
        ax.plot(steps, [f(int(s)) for s in steps], label=name)
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    ax.legend(fontsize=8)
    return ax
