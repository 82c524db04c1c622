"""Chapter 3: move the regularization strength λ and watch the decision regions and the
weights.

The model is a linear softmax classifier on polynomial features of 2-D points: flexible
enough to wrap a boundary around single training points when nothing stops it, and
simple enough to train in a fraction of a second, so the widget can retrain it whenever
the slider moves.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..plotting import plot_decision_regions
from ..reference import LinearClassifier


def polynomial_features(X, degree, scale=3.5):
    """All monomials x1**i * x2**j with 1 <= i + j <= degree of the points X / scale.

    X: (N, 2). Returns (N, F) with F = (degree + 1) * (degree + 2) / 2 - 1. Dividing by
    ``scale`` keeps the high powers of coordinates of a few units from exploding.
    """
    Z = np.asarray(X, dtype=float) / scale
    return np.column_stack(
        [
            Z[:, 0] ** i * Z[:, 1] ** j
            for i in range(degree + 1)
            for j in range(degree + 1 - i)
            if i + j > 0
        ]
    )


class PolynomialClassifier:
    """A ``LinearClassifier`` (softmax, L2 strength ``reg``) on ``polynomial_features``
    of 2-D points.

    ``fit`` minimizes the regularized loss with L-BFGS (SciPy) as far as float64 allows,
    and sets ``converged`` when the largest gradient entry is then below ``tolerance``.
    For ``reg > 0`` the loss is strongly convex in W and the biases start at zero and
    keep summing to zero, so the fit is the one minimum of the loss: the same on every
    machine and BLAS kernel, up to rounding. (With ``reg = 0`` and separable data there
    is no minimum at all: the loss keeps falling as W grows, so ``fit`` refuses it.)
    ``W`` (F, C) is the weight matrix, ``predict(P)`` labels points.
    """

    def __init__(
        self, reg, degree=10, num_classes=3, tolerance=1e-8, max_iterations=20000
    ):
        if reg <= 0:
            raise ValueError(
                f"reg must be positive (got {reg}): without a penalty the loss on "
                "separable points has no minimum, so there is no fit to compute"
            )
        self.reg, self.degree, self.num_classes = reg, degree, num_classes
        self.tolerance, self.max_iterations = tolerance, max_iterations
        self.model = None

    def fit(self, X, y):
        from scipy.optimize import minimize

        F = polynomial_features(X, self.degree)
        D, C = F.shape[1], self.num_classes
        self.model = LinearClassifier(D, C, weight_scale=0.0, reg=self.reg)

        def loss_and_gradient(theta):
            self.model.params["W"], self.model.params["b"] = (
                theta[: D * C].reshape(D, C),
                theta[D * C :],
            )
            loss, grads = self.model.loss(F, y)
            return loss, np.concatenate([grads["W"].ravel(), grads["b"]])

        result = minimize(
            loss_and_gradient,
            np.zeros(D * C + C),
            jac=True,
            method="L-BFGS-B",
            options={
                "maxiter": self.max_iterations,
                "gtol": self.tolerance / 100,
                "ftol": 0.0,
            },
        )
        loss_and_gradient(result.x)
        self.converged = bool(np.max(np.abs(result.jac)) < self.tolerance)
        return self

    @property
    def W(self):
        return self.model.params["W"]

    def predict(self, P):
        return np.argmax(self.model.loss(polynomial_features(P, self.degree)), axis=1)

    def accuracy(self, X, y):
        return float(np.mean(self.predict(X) == y))


def draw_fit(clf, X, y, ax_regions, ax_hist, X_val=None, y_val=None):
    """Decision regions of a fitted ``PolynomialClassifier`` over the training points X,
    y, and a histogram of its weights below them."""
    plot_decision_regions(clf.predict, X, y, ax=ax_regions, resolution=120)
    title = f"λ = {clf.reg:g}\ntrain acc {clf.accuracy(X, y):.2f}"
    if X_val is not None:
        title += f"\nval acc {clf.accuracy(X_val, y_val):.2f}"
    ax_regions.set_title(title, fontsize=10)
    ax_regions.set_xticks([])
    ax_regions.set_yticks([])
    W = clf.W.ravel()
    ax_hist.hist(W, bins=31, color="#4c72b0")
    ax_hist.set_title(f"‖W‖ = {np.linalg.norm(W):.3g}", fontsize=10)
    ax_hist.set_xlabel("weight value")
    ax_hist.xaxis.set_major_locator(
        MaxNLocator(3)
    )  # tick labels of narrow panels never collide
    return ax_regions, ax_hist


def regularization_row(classifiers, X, y, X_val=None, y_val=None):
    """Static version of the widget: one column per fitted classifier (a row of λ
    values), regions on top, weight histograms below. Returns the figure."""
    n = len(classifiers)
    # at most the site's text column (8.6 in at 80 dpi), so the labels are not shrunk
    fig, axes = plt.subplots(
        2, n, figsize=(min(3.0 * n, 8.6), 6.2), gridspec_kw={"height_ratios": [3, 2]}
    )
    for column, clf in zip(axes.T, classifiers):
        draw_fit(clf, X, y, column[0], column[1], X_val, y_val)
    axes[1, 0].set_ylabel("count")
    fig.tight_layout()
    return fig


def regularization_widget(
    X, y, X_val=None, y_val=None, lambdas=None, **classifier_kwargs
):
    """A λ slider (log-spaced values) that retrains the polynomial classifier and
    redraws its decision regions and weight histogram. Fits are cached, so moving back
    is instant."""
    import ipywidgets as widgets

    lambdas = list(lambdas if lambdas is not None else [10.0**k for k in range(-6, 2)])
    cache = {}

    def redraw(reg):
        if reg not in cache:
            cache[reg] = PolynomialClassifier(reg, **classifier_kwargs).fit(X, y)
        fig, (ax_regions, ax_hist) = plt.subplots(1, 2, figsize=(8, 3.6))
        draw_fit(cache[reg], X, y, ax_regions, ax_hist, X_val, y_val)
        fig.tight_layout()
        plt.show()

    return widgets.interactive(
        redraw,
        reg=widgets.SelectionSlider(
            options=[(f"{v:g}", v) for v in lambdas], value=lambdas[0], description="λ"
        ),
    )
