"""Chapter 6: activation functions, thinned networks under dropout, and how a two-layer
network's hidden size and dropout shape its decision regions on the spirals."""

import matplotlib.pyplot as plt
import numpy as np

from ..plotting import COLUMN_WIDTH, plot_decision_regions
from ..reference.models import TwoLayerNet
from ..training import evaluate_accuracy, train
from ..i18n import _

ACTIVATIONS = {
    "sigmoid": (
        lambda z: 1 / (1 + np.exp(-z)),
        lambda z: (1 / (1 + np.exp(-z))) * (1 - 1 / (1 + np.exp(-z))),
    ),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "ReLU": (
        lambda z: np.maximum(0, z),
        lambda z: np.where(np.asarray(z) > 0, 1.0, 0.0),
    ),
    "leaky ReLU (α = 0.1)": (
        lambda z: np.where(z > 0, z, 0.1 * z),
        lambda z: np.where(z > 0, 1.0, 0.1),
    ),
}


def plot_activations(z_max=6.0):
    """Each activation (top row) above its derivative (bottom row) on [-z_max, z_max].
    Returns the figure."""
    z = np.linspace(-z_max, z_max, 601)
    # at most the site's text column (8.6 in at 80 dpi), so the labels are not shrunk
    fig, axes = plt.subplots(
        2,
        len(ACTIVATIONS),
        figsize=(min(3.0 * len(ACTIVATIONS), 8.6), 5.0),
        sharex=True,
    )
    for col, (name, (f, df)) in enumerate(ACTIVATIONS.items()):
        axes[0, col].plot(z, f(z), color="C0")
        axes[0, col].set_title(name, fontsize=10)
        axes[1, col].plot(z, df(z), color="C3")
        axes[1, col].set_ylim(-0.1, 1.1)
        axes[1, col].set_xlabel("z")
        for ax in axes[:, col]:
            ax.axhline(0, color="0.7", lw=0.8)
            ax.axvline(0, color="0.7", lw=0.8)
    axes[0, 0].set_ylabel("activation g(z)")
    axes[1, 0].set_ylabel("gradient g'(z)")
    fig.tight_layout()
    return fig


def draw_thinned_networks(p=0.5, layer_sizes=(4, 6, 3), num_masks=3, seed=0):
    """A small network drawn ``num_masks`` times, each with hidden units dropped with
    probability ``p`` (grey, with their connections removed). Returns the figure."""
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(
        1, num_masks, figsize=(min(3.2 * num_masks, COLUMN_WIDTH), 3.0)
    )
    axes = np.atleast_1d(axes)
    for ax, k in zip(axes, range(num_masks)):
        keep = [np.ones(layer_sizes[0], bool)]
        keep += [rng.random(n) >= p for n in layer_sizes[1:-1]]
        keep += [np.ones(layer_sizes[-1], bool)]
        pos = [
            np.column_stack([np.full(n, i), np.linspace(-(n - 1) / 2, (n - 1) / 2, n)])
            for i, n in enumerate(layer_sizes)
        ]
        for i in range(len(layer_sizes) - 1):
            for a, ka in zip(pos[i], keep[i]):
                for b, kb in zip(pos[i + 1], keep[i + 1]):
                    if ka and kb:
                        ax.plot(
                            [a[0], b[0]], [a[1], b[1]], color="0.55", lw=0.7, zorder=1
                        )
        for P, K in zip(pos, keep):
            ax.scatter(
                P[:, 0],
                P[:, 1],
                s=160,
                zorder=2,
                c=np.where(K, "C0", "white"),
                edgecolors=np.where(K, "C0", "0.6"),
                linewidths=1.2,
            )
            for (u, v), k_ in zip(P, K):
                if not k_:
                    ax.plot(
                        [u - 0.12, u + 0.12],
                        [v - 0.25, v + 0.25],
                        color="0.5",
                        lw=1,
                        zorder=3,
                    )
        ax.set_title(
            f"mask {k + 1}: {int(sum(~keep[1]))} of {layer_sizes[1]} dropped",
            fontsize=10,
        )
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def train_spiral_net(
    X, y, hidden_dim=100, dropout=0.0, reg=0.0, num_epochs=300, seed=0
):
    """Train a TwoLayerNet on 2-D data with Adam (full batch). Returns (net, training
    accuracy)."""
    net = TwoLayerNet(
        X.shape[1],
        hidden_dim,
        int(y.max()) + 1,
        weight_scale=0.1,
        reg=reg,
        dropout=dropout,
        seed=seed,
    )
    train(
        net,
        X,
        y,
        X,
        y,
        update_rule="adam",
        optim_config={"learning_rate": 2e-2},
        num_epochs=num_epochs,
        batch_size=X.shape[0],
        seed=seed,
    )
    return net, evaluate_accuracy(net, X, y)


def draw_network_regions(net, X, y, ax=None, title=None):
    """Decision regions of a trained network (argmax of ``net.loss(P)``)."""
    ax = plot_decision_regions(lambda P: np.argmax(net.loss(P), axis=1), X, y, ax=ax)
    if title:
        ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def spiral_capacity_grid(
    X, y, hidden_dims=(3, 10, 100), dropouts=(0.0,), num_epochs=300
):
    """Static version of the widget: one panel per (dropout, hidden size), each trained
    from seed 0. Returns (figure, {(dropout, hidden): training accuracy})."""
    fig, axes = plt.subplots(
        len(dropouts),
        len(hidden_dims),
        figsize=(min(2.8 * len(hidden_dims), COLUMN_WIDTH - 0.4), 2.8 * len(dropouts)),
        squeeze=False,
    )
    accs = {}
    for row, p in zip(axes, dropouts):
        for ax, H in zip(row, hidden_dims):
            net, acc = train_spiral_net(X, y, H, p, num_epochs=num_epochs)
            accs[(p, H)] = acc
            draw_network_regions(
                net, X, y, ax, f"H = {H}, p = {p:g}: train acc {acc:.2f}"
            )
    fig.tight_layout()
    return fig, accs


def spiral_network_widget(X, y):
    """Sliders for the hidden size and the dropout probability; trains (about a second)
    and redraws the decision regions."""
    import ipywidgets as widgets

    def redraw(hidden_dim=10, dropout=0.0):
        net, acc = train_spiral_net(X, y, hidden_dim, dropout)
        draw_network_regions(
            net,
            X,
            y,
            title=f"H = {hidden_dim}, p = {dropout:.2f}: training accuracy {acc:.3f}",
        )
        plt.show()

    return widgets.interactive(
        redraw,
        hidden_dim=widgets.SelectionSlider(
            options=[1, 2, 3, 5, 10, 20, 50, 100, 200],
            value=10,
            description=_("hidden H"),
        ),
        dropout=widgets.FloatSlider(
            min=0.0, max=0.8, step=0.1, value=0.0, description=_("dropout p")
        ),
    )
