"""Chapter 4: the numbers its prose and quiz quote, and its widget module."""

import numpy as np
import pytest

from utils import reference
from utils.data import load_digits_split
from utils.gradient_check import eval_numerical_gradient, rel_error
from utils.quiz import load_questions


def test_quiz_numeric_answer_is_the_cost_of_a_numerical_gradient():
    calls = []
    W = np.zeros((65, 10))
    eval_numerical_gradient(lambda w: calls.append(1) or 0.0, W)
    question = next(
        q for q in load_questions(4) if "centered-difference" in q["question"]
    )
    answer = next(a["value"] for a in question["answers"] if a["correct"])
    assert answer == len(calls) == 1300


def test_quiz_claims_about_h_momentum_and_adam():
    # centered error shrinks ~4x when h halves (truncation regime)
    err = [
        abs((np.sin(1 + h) - np.sin(1 - h)) / (2 * h) - np.cos(1)) for h in (1e-2, 5e-3)
    ]
    assert 3.9 < err[0] / err[1] < 4.1
    # momentum 0.9 with a constant gradient: velocity -> 10x the SGD step
    w, config = np.zeros(1), {"learning_rate": 1.0, "momentum": 0.9}
    for _ in range(500):
        w, config = reference.sgd_momentum(w, np.ones(1), config)
    assert np.isclose(config["velocity"][0], -10.0)
    # Adam's first step without bias correction would be 0.1 g / sqrt(0.001 g^2) = 3.16
    # lr
    assert np.isclose(0.1 / np.sqrt(0.001), 3.162, atol=1e-3)


@pytest.fixture(scope="module")
def digits():
    data = load_digits_split()
    mean = (data.X_train / 16).mean(axis=0)

    def prepare(X):
        return np.hstack([X / 16 - mean, np.ones((len(X), 1))])

    return data, prepare(data.X_train), prepare(data.X_test)


@pytest.mark.slow  # recomputes the chapter's numbers (seconds of CPU)
def test_softmax_on_digits_reaches_the_accuracy_the_chapter_quotes(digits):
    from sklearn.linear_model import LogisticRegression

    data, X_train, X_test = digits
    W, _ = reference.minibatch_sgd(
        lambda W, X, y: reference.linear_softmax_loss(W, X, y, 1e-4),
        np.zeros((65, 10)),
        X_train,
        data.y_train,
        1.0,
        64,
        800,
        seed=0,
    )
    ours = np.mean(np.argmax(X_test @ W, axis=1) == data.y_test)
    theirs = (
        LogisticRegression(max_iter=2000)
        .fit(X_train[:, :-1], data.y_train)
        .score(X_test[:, :-1], data.y_test)
    )
    assert ours >= 0.95 and abs(ours - theirs) <= 0.01


def test_softmax_gradient_check_below_1e_7_on_a_random_problem():
    rng = np.random.default_rng(1)
    W, X, y = (
        rng.standard_normal((8, 4)),
        rng.standard_normal((20, 8)),
        rng.integers(0, 4, 20),
    )
    analytic = reference.linear_softmax_loss(W, X, y, 0.1)[1]
    numeric = eval_numerical_gradient(
        lambda w: reference.linear_softmax_loss(w, X, y, 0.1)[0], W.copy()
    )
    assert rel_error(analytic, numeric) < 1e-7


def test_widget_functions_and_race():
    from utils.widgets import optimizers

    for fn in (optimizers.bowl, optimizers.himmelblau):
        p = np.array([0.7, -1.3])
        value, grad = fn(p)
        numeric = eval_numerical_gradient(lambda q: float(fn(q)[0]), p.copy())
        assert rel_error(grad, numeric) < 1e-7
    minima = [
        (3.0, 2.0),
        (-2.805118, 3.131312),
        (-3.779310, -3.283186),
        (3.584428, -1.848126),
    ]
    assert all(optimizers.himmelblau(np.array(m))[0] < 1e-9 for m in minima)
    results = optimizers.race(num_steps=60)
    for name, paths in results.items():
        fn = optimizers.FUNCTIONS[name][0]
        for path in paths.values():
            assert path.shape == (61, 2) and fn(path[-1])[0] < fn(path[0])[0]
    fig = optimizers.race_figure(results)
    assert len(fig.axes) == 2
    widget = optimizers.optimizer_widget()
    assert widget.children  # builds without a running kernel


def test_run_optimizer_stops_a_divergent_run():
    from utils.widgets import optimizers

    path = optimizers.run_optimizer(
        optimizers.bowl, (-9.0, 2.0), reference.sgd, {"learning_rate": 5.0}, 200
    )
    assert np.all(np.isfinite(path))


def test_quiz_numeric_feedback_numbers():
    """The wrong answers of the numeric question: 650 entries, 651 for forward
    differences."""
    calls = []
    W = np.zeros((65, 10))
    eval_numerical_gradient(lambda w: calls.append(1) or 0.0, W)
    question = next(
        q for q in load_questions(4) if "centered-difference" in q["question"]
    )
    wrong = sorted(
        a["value"]
        for a in question["answers"]
        if a["type"] == "value" and not a["correct"]
    )
    assert wrong == sorted([W.size, W.size + 1, 2]) and len(calls) == 2 * W.size


def test_momentum_velocity_points_downhill():
    """v -> -eta * grad / (1 - mu): opposite to the gradient, ten times the SGD step
    for mu = 0.9."""
    w, config = np.zeros(2), {"learning_rate": 0.1, "momentum": 0.9}
    grad = np.array([2.0, -3.0])
    for _ in range(600):
        w, config = reference.sgd_momentum(w, grad, config)
    assert np.allclose(config["velocity"], -0.1 * grad / (1 - 0.9))


def test_adam_first_step_biases():
    b1, b2 = 0.9, 0.999
    g = np.array([1e-3, -2.0, 5.0, -100.0])
    step, state = reference.adam(np.zeros(4), g)
    assert np.allclose(state["m"], (1 - b1) * g) and np.allclose(
        state["v"], (1 - b2) * g * g
    )
    assert np.allclose(np.abs(step), 1e-3)
    assert round((1 - b1) / np.sqrt(1 - b2), 2) == 3.16  # no correction at all
    assert np.allclose(
        np.abs((1 - b1) * g / np.sqrt(g * g)), 0.1
    )  # v corrected, m not: 10x too small


def test_minibatch_epoch_skips_the_partial_batch():
    """1077 = 33 * 32 + 21: an epoch is 33 batches and sees 1056 distinct images."""
    data = load_digits_split()
    N = len(data.X_train)
    assert (N, N // 32, N % 32) == (1077, 33, 21)
    seen = []
    X = np.arange(N, dtype=float)[:, None]

    def record(W, Xb, yb):
        seen.append(Xb[:, 0].astype(int))
        return 0.0, np.zeros_like(W)

    reference.minibatch_sgd(
        record, np.zeros((1, 1)), X, np.zeros(N, int), 0.1, 32, 34, seed=0
    )
    first_epoch = np.concatenate(seen[:33])
    assert len(set(first_epoch)) == len(first_epoch) == 1056
    assert len(seen[33]) == 32


def test_divergent_run_is_the_weight_decay_factor():
    """With learning rate 3000 and reg 1e-3, W is multiplied by 1 - 3 = -2 per step:
    loss x4."""
    data, X_train, _ = _digits()
    _, history = reference.minibatch_sgd(
        lambda W, X, y: reference.linear_softmax_loss(W, X, y, 1e-3),
        np.zeros((65, 10)),
        X_train,
        data.y_train,
        3000.0,
        64,
        150,
        seed=0,
    )
    assert round(history[-1] / history[-2], 2) == 4.00 and np.isfinite(history[-1])


def test_worse_local_minimum_of_the_quartic():
    roots = np.sort(np.roots([4, 0, -6, 1]).real)
    assert np.allclose(np.round(roots, 2), [-1.30, 0.17, 1.13])
    ends = {}
    for x0 in (-2.0, 2.0):
        x = x0
        for _ in range(100):
            x -= 0.02 * (4 * x**3 - 6 * x + 1)
        ends[x0] = x**4 - 3 * x**2 + x
    assert round(ends[2.0] - ends[-2.0], 2) == 2.44


@pytest.mark.slow  # recomputes the chapter's numbers (seconds of CPU)
def test_race_tuned_rates_and_hand_picked_counts():
    """The numbers section 4.7's prose quotes from its grid search."""
    from utils.widgets import optimizers as o

    assert (
        len(o.RATE_GRID) == 81
        and np.isclose(o.RATE_GRID[0], 1e-3)
        and np.isclose(o.RATE_GRID[-1], 10)
    )
    tuned = o.tune_learning_rates()
    steps = {f: {name: v[1] for name, v in table.items()} for f, table in tuned.items()}
    bowl, himmel = "bowl x²/20 + y²", "Himmelblau"
    assert steps[bowl] == {
        "SGD": 45,
        "momentum": 16,
        "Adagrad": 5,
        "RMSProp": 4,
        "Adam": 36,
    }
    assert steps[himmel] == {
        "SGD": 16,
        "momentum": 17,
        "Adagrad": 6,
        "RMSProp": 6,
        "Adam": 58,
    }
    assert sum(n is not None for n in tuned[bowl]["SGD"][2]) == 3
    assert sum(n is not None for n in tuned[himmel]["Adam"][2]) == 1
    counts = tuned[bowl]["Adam"][2]
    best = counts.index(36)
    assert (
        counts[best - 1] is None and counts[best + 1] is None
    )  # its neighbours never get there
    hand = o.race(num_steps=60)
    assert o.steps_to_reach(o.bowl, hand[bowl]["Adam"]) == 53
    assert o.steps_to_reach(o.himmelblau, hand[himmel]["Adam"]) is None
    tuned_paths = o.race(
        learning_rates={f: {n: v[0] for n, v in t.items()} for f, t in tuned.items()}
    )
    assert o.steps_to_reach(o.bowl, tuned_paths[bowl]["Adam"]) == 36


def _digits():
    data = load_digits_split()
    mean = (data.X_train / 16).mean(axis=0)

    def prepare(X):
        return np.hstack([X / 16 - mean, np.ones((len(X), 1))])

    return data, prepare(data.X_train), prepare(data.X_test)


@pytest.mark.slow  # recomputes the chapter's numbers (seconds of CPU)
def test_sklearn_regularization_scale_and_seed_spread():
    """C = 1 is lambda = 1 / (C N) in the course's convention; our softmax over 5 seeds
    is within one test image of LogisticRegression."""
    from sklearn.linear_model import LogisticRegression

    data, X_train, X_test = _digits()
    clf = LogisticRegression(max_iter=2000).fit(X_train[:, :-1], data.y_train)
    lam = 1 / (clf.C * len(X_train))
    assert f"{lam:.2g}" == "0.00093"
    W = np.vstack([clf.coef_.T, clf.intercept_[None, :]])
    _, grad = reference.linear_softmax_loss(W, X_train, data.y_train, lam)
    grad[-1] -= lam * W[-1]
    assert np.abs(grad).max() < 1e-3
    theirs = round(clf.score(X_test[:, :-1], data.y_test) * 360)
    ours = []
    for seed in range(5):
        Ws, _ = reference.minibatch_sgd(
            lambda W, X, y: reference.linear_softmax_loss(W, X, y, 1e-4),
            np.zeros((65, 10)),
            X_train,
            data.y_train,
            1.0,
            64,
            800,
            seed=seed,
        )
        ours.append(int(np.sum(np.argmax(X_test @ Ws, axis=1) == data.y_test)))
    assert theirs == 347 and set(ours) == {346, 347}
    assert (
        round(100 / 360, 2) == 0.28
        and round(100 * np.sqrt(0.96 * 0.04 / 360), 1) == 1.0
    )


def _numeric_answers(word):
    question = next(q for q in load_questions(4) if word in q["question"])
    right = [
        a["value"] for a in question["answers"] if a["type"] == "value" and a["correct"]
    ]
    wrong = [
        a["value"]
        for a in question["answers"]
        if a["type"] == "value" and not a["correct"]
    ]
    return right, wrong


def test_huber_quiz_and_regression_loss_numbers():
    """Section 4.2: Huber's constant force; the quiz's right and wrong answers; MSE
    vs L2 norm."""
    delta, r = 1.0, 5.0
    huber = lambda r: 0.5 * r**2 if abs(r) <= delta else delta * (abs(r) - 0.5 * delta)  # noqa: E731
    slope = (huber(r + 1e-6) - huber(r - 1e-6)) / 2e-6
    right, wrong = _numeric_answers("Huber")
    assert right == [round(slope, 6)] == [1]
    assert sorted(wrong) == sorted([r, huber(r)]) == [4.5, 5]
    residuals = np.array([0.5, -1.5, 4.0])
    assert (
        f"{np.mean(residuals**2):.4f}" == "6.1667"
        and f"{np.linalg.norm(residuals):.4f}" == "4.3012"
    )
    assert residuals[2] / residuals[0] == 8  # "eight times the pull on the near one"


def test_batch_size_quiz_and_spread_law():
    """The spread of a mean of B independent gradients falls like 1/sqrt(B): batch 16
    -> 64 halves it."""
    right, wrong = _numeric_answers("batch size becomes 64")
    assert right == [np.sqrt(64 / 16)] == [2] and wrong == [64 / 16]
    rng = np.random.default_rng(0)
    population = rng.standard_normal(5000)
    spread = {
        B: np.sqrt(
            np.mean(
                (rng.choice(population, (4000, B)).mean(axis=1) - population.mean())
                ** 2
            )
        )
        for B in (16, 64)
    }
    assert 1.8 < spread[16] / spread[64] < 2.2


def test_batch_size_updates_per_epoch():
    data = load_digits_split()
    N = len(data.X_train)
    assert [N // B for B in (1, 4, 16, 64, 256)] == [1077, 269, 67, 16, 4]
    assert (2 * (N // 1), 2 * (N // 32)) == (2154, 66)


def test_adagrad_effective_rate_follows_the_curvature():
    """On 0.5*(x^2 + 10 y^2) Adagrad's effective rates differ by exactly the
    curvature ratio 10."""
    curvature = np.array([1.0, 10.0])
    p, cache = np.ones(2), np.zeros(2)
    for _ in range(30):
        g = curvature * p
        cache += g * g
        rate = 0.5 / np.sqrt(cache)
        assert np.isclose(rate[0] / rate[1], 10.0)
        p = p - rate * g
    assert np.isclose(p[0], p[1], rtol=1e-9) and abs(p[0]) < 1e-7
    assert f"{rate[0]:.4f}" == "0.4283"


def test_momentum_escapes_the_shallow_minimum_robustly():
    """Plain GD from +2 stops at 1.13; momentum (0.02, 0.9) ends at -1.30, and so
    does a grid around it."""
    grad = lambda x: 4 * x**3 - 6 * x + 1  # noqa: E731
    for mu in [0.87, 0.9, 0.93]:
        for rate in [0.016, 0.02, 0.024]:
            x, v = 2.0, 0.0
            for _ in range(1000):
                v = mu * v - rate * grad(x)
                x = x + v
            assert round(x, 2) == -1.30 and abs(grad(x)) < 1e-6, (mu, rate)


def test_gradient_perpendicular_to_contours():
    t = np.linspace(0, 2 * np.pi, 50)
    for c in [0.5, 2, 8]:
        px, py = np.sqrt(20 * c) * np.cos(t), np.sqrt(c) * np.sin(t)
        tangent = np.stack([-np.sqrt(20 * c) * np.sin(t), np.sqrt(c) * np.cos(t)])
        gradient = np.stack([px / 10, 2 * py])
        assert np.allclose(np.sum(gradient * tangent, axis=0), 0)
