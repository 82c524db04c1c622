"""Chapter 4: optimizers racing on 2-D test functions, as a widget and as a static
figure."""

import matplotlib.pyplot as plt
import numpy as np

from ..reference import optim
from ..i18n import _


def bowl(p):
    """Ill-conditioned quadratic x**2 / 20 + y**2 (condition number 20); minimum 0 at
    (0, 0).

    p: array (..., 2). Returns (value, gradient) with value (...) and gradient (..., 2).
    """
    p = np.asarray(p, dtype=float)
    x, y = p[..., 0], p[..., 1]
    return x**2 / 20 + y**2, np.stack([x / 10, 2 * y], axis=-1)


def himmelblau(p):
    """Himmelblau's function (x**2 + y - 11)**2 + (x + y**2 - 7)**2: four minima, all of
    value 0.

    p: array (..., 2). Returns (value, gradient).
    """
    p = np.asarray(p, dtype=float)
    x, y = p[..., 0], p[..., 1]
    a, b = x**2 + y - 11, x + y**2 - 7
    return a**2 + b**2, np.stack([4 * x * a + 2 * b, 2 * a + 4 * y * b], axis=-1)


#: name -> (function, start point, plot limits (xmin, xmax, ymin, ymax), contour levels)
FUNCTIONS = {
    "bowl x²/20 + y²": (
        bowl,
        (-9.0, 2.0),
        (-10, 10, -3, 3),
        np.linspace(0.05, 6, 14) ** 1.6,
    ),
    "Himmelblau": (himmelblau, (0.0, -0.5), (-5, 5, -5, 5), np.geomspace(0.5, 800, 15)),
}

#: optimizer name -> (update rule name in utils.reference.optim, config for each
#: function)
RACE = {
    "SGD": (
        "sgd",
        {
            "bowl x²/20 + y²": {"learning_rate": 0.9},
            "Himmelblau": {"learning_rate": 0.01},
        },
    ),
    "momentum": (
        "sgd_momentum",
        {
            "bowl x²/20 + y²": {"learning_rate": 0.3, "momentum": 0.7},
            "Himmelblau": {"learning_rate": 0.01, "momentum": 0.5},
        },
    ),
    "Adagrad": (
        "adagrad",
        {
            "bowl x²/20 + y²": {"learning_rate": 2.0},
            "Himmelblau": {"learning_rate": 1.0},
        },
    ),
    "RMSProp": (
        "rmsprop",
        {
            "bowl x²/20 + y²": {"learning_rate": 0.3},
            "Himmelblau": {"learning_rate": 0.1},
        },
    ),
    "Adam": (
        "adam",
        {
            "bowl x²/20 + y²": {"learning_rate": 0.8},
            "Himmelblau": {"learning_rate": 0.2},
        },
    ),
}
#: the learning rates the race's grid search tries: 20 per decade, from 0.001 to 10
RATE_GRID = 10.0 ** (np.arange(-60, 21) / 20)
# Okabe-Ito colours (told apart by colour-blind readers) and a marker each, a second
# cue.
RACE_COLOURS = {
    "SGD": "#0072B2",
    "momentum": "#D55E00",
    "Adagrad": "#009E73",
    "RMSProp": "#CC79A7",
    "Adam": "#E69F00",
}
RACE_MARKERS = {
    "SGD": "o",
    "momentum": "s",
    "Adagrad": "^",
    "RMSProp": "D",
    "Adam": "v",
}


def run_optimizer(fn, start, rule, config=None, num_steps=50):
    """Follow ``rule(w, dw, config) -> (w, config)`` from ``start`` on ``fn`` (a
    function returning (value, gradient)). Returns the path, an array (num_steps + 1,
    2); stops early (repeating the last point) if the iterate leaves the finite
    range."""
    w = np.array(start, dtype=float)
    config = dict(config or {})
    path = [w.copy()]
    for _step in range(num_steps):
        _value, grad = fn(w)
        w, config = rule(w, grad, config)
        if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > 1e6:
            w = path[-1]
        path.append(np.array(w, dtype=float))
    return np.array(path)


def steps_to_reach(fn, path, level=1e-3):
    """Index of the first point of ``path`` where ``fn`` is below ``level`` (None if
    never)."""
    below = np.asarray(fn(path)[0]) < level
    return int(np.argmax(below)) if below.any() else None


def draw_contours(fn, limits, levels, ax):
    """Contour lines of ``fn`` over ``limits`` = (xmin, xmax, ymin, ymax)."""
    xmin, xmax, ymin, ymax = limits
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, 200), np.linspace(ymin, ymax, 200))
    values, _ = fn(np.stack([gx, gy], axis=-1))
    ax.contour(gx, gy, values, levels=levels, colors="0.7", linewidths=0.7)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    return ax


def draw_path(path, ax, label=None, colour=None, marker="o"):
    """An optimizer's path (steps, T+1) x 2 as a line with a marker at every point; a
    star ends it."""
    ax.plot(
        path[:, 0],
        path[:, 1],
        "-",
        marker=marker,
        ms=3,
        lw=1.2,
        label=label,
        color=colour,
    )
    ax.plot(*path[-1], marker="*", ms=11, color=colour, mec="black", mew=0.5)
    return ax


def tune_learning_rates(rules=None, rates=RATE_GRID, num_steps=60, level=1e-3):
    """Grid search on the race's own criterion: for every function and optimizer of
    RACE, run ``num_steps`` steps with each learning rate of ``rates`` (the other
    settings keep their RACE values) and count the steps until f < ``level``
    (``steps_to_reach``).

    rules: optional {rule name: callable}, as in ``race``. Returns {function name:
    {optimizer name: (best rate, its steps, counts)}}: the best rate is the one with the
    fewest steps (ties go to the smallest rate), or None with steps None if no rate
    reaches the level; counts lists the steps for every rate (None where it never gets
    there).
    """
    rules = rules or {}
    tuned = {}
    for fname, (fn, start, _limits, _levels) in FUNCTIONS.items():
        tuned[fname] = {}
        for oname, (rule_name, configs) in RACE.items():
            rule = rules.get(rule_name, getattr(optim, rule_name))
            counts = [
                steps_to_reach(
                    fn,
                    run_optimizer(
                        fn,
                        start,
                        rule,
                        {**configs[fname], "learning_rate": rate},
                        num_steps,
                    ),
                    level,
                )
                for rate in rates
            ]
            reached = [(n, rate) for n, rate in zip(counts, rates) if n is not None]
            best_steps, best_rate = min(reached) if reached else (None, None)
            tuned[fname][oname] = (best_rate, best_steps, counts)
    return tuned


def race(rules=None, num_steps=60, learning_rates=None):
    """Run every optimizer of RACE on every function of FUNCTIONS.

    rules: optional {rule name: callable} to use instead of the reference (e.g. a
    learner's adam). learning_rates: optional {function name: {optimizer name: rate}}
    replacing RACE's rates (e.g. the rates ``tune_learning_rates`` found); a missing
    entry or None keeps RACE's rate. Returns {function name: {optimizer name: path}}.
    """
    rules = rules or {}
    learning_rates = learning_rates or {}
    results = {}
    for fname, (fn, start, _limits, _levels) in FUNCTIONS.items():
        results[fname] = {}
        for oname, (rule_name, configs) in RACE.items():
            rule = rules.get(rule_name, getattr(optim, rule_name))
            config = dict(configs[fname])
            if learning_rates.get(fname, {}).get(oname) is not None:
                config["learning_rate"] = learning_rates[fname][oname]
            results[fname][oname] = run_optimizer(fn, start, rule, config, num_steps)
    return results


def race_figure(results=None, num_steps=60):
    """Static version of the widget: all optimizers' paths over the contours of both
    functions."""
    results = results or race(num_steps=num_steps)
    # at most the site's text column (8.6 in at 80 dpi), so the labels are not shrunk
    fig, axes = plt.subplots(
        1, len(results), figsize=(min(4.3 * len(results), 8.6), 4.0)
    )
    for ax, (fname, paths) in zip(np.atleast_1d(axes), results.items()):
        fn, _, limits, levels = FUNCTIONS[fname]
        draw_contours(fn, limits, levels, ax)
        for oname, path in paths.items():
            draw_path(path, ax, oname, RACE_COLOURS[oname], RACE_MARKERS[oname])
        ax.set_title(
            f"{fname}: {len(next(iter(paths.values()))) - 1} steps", fontsize=10
        )
        ax.set_aspect("equal" if fname == "Himmelblau" else "auto")
    np.atleast_1d(axes)[0].legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig


def optimizer_widget():
    """Pick a function and an optimizer, move the learning rate (log scale), the
    momentum and the number of steps; the path is redrawn over the contours."""
    import ipywidgets as widgets

    def redraw(
        function="bowl x²/20 + y²",
        optimizer="momentum",
        log10_lr=-1.0,
        momentum=0.9,
        steps=60,
    ):
        fn, start, limits, levels = FUNCTIONS[function]
        rule_name = RACE[optimizer][0]
        config = {"learning_rate": 10.0**log10_lr}
        if rule_name == "sgd_momentum":
            config["momentum"] = momentum
        if rule_name == "adam":
            config["beta1"] = momentum
        path = run_optimizer(fn, start, getattr(optim, rule_name), config, steps)
        fig, ax = plt.subplots(figsize=(6, 4.4))
        draw_contours(fn, limits, levels, ax)
        draw_path(path, ax, optimizer, RACE_COLOURS[optimizer], RACE_MARKERS[optimizer])
        value, _ = fn(path[-1])
        ax.set_title(
            f"{optimizer}, learning rate {10.0**log10_lr:.3g}: "
            f"f = {float(value):.3g} after {steps} steps",
            fontsize=10,
        )
        plt.show()

    return widgets.interactive(
        redraw,
        function=widgets.Dropdown(options=list(FUNCTIONS), description=_("function")),
        optimizer=widgets.Dropdown(
            options=list(RACE), value="momentum", description=_("optimizer")
        ),
        log10_lr=widgets.FloatSlider(
            min=-4, max=0.5, step=0.1, value=-1.0, description="log10(lr)"
        ),
        momentum=widgets.FloatSlider(
            min=0.0, max=0.99, step=0.01, value=0.9, description=_("momentum/β1")
        ),
        steps=widgets.IntSlider(
            min=5, max=200, step=5, value=60, description=_("steps")
        ),
    )
