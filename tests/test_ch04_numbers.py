"""Chapter 4: the numbers its prose and quiz quote, and its widget module."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import reference  # noqa: E402
from utils.data import load_digits_split  # noqa: E402
from utils.gradient_check import eval_numerical_gradient, rel_error  # noqa: E402
from utils.quiz import load_questions  # noqa: E402


def test_quiz_numeric_answer_is_the_cost_of_a_numerical_gradient():
    calls = []
    W = np.zeros((65, 10))
    eval_numerical_gradient(lambda w: calls.append(1) or 0.0, W)
    answers = [next(a["value"] for a in q["answers"] if a["correct"])
               for q in load_questions(4) if q["type"] == "numeric"]
    assert answers == [len(calls)] == [1300]


def test_quiz_claims_about_h_momentum_and_adam():
    # centered error shrinks ~4x when h halves (truncation regime)
    err = [abs((np.sin(1 + h) - np.sin(1 - h)) / (2 * h) - np.cos(1)) for h in (1e-2, 5e-3)]
    assert 3.9 < err[0] / err[1] < 4.1
    # momentum 0.9 with a constant gradient: velocity -> 10x the SGD step
    w, config = np.zeros(1), {"learning_rate": 1.0, "momentum": 0.9}
    for _ in range(500):
        w, config = reference.sgd_momentum(w, np.ones(1), config)
    assert np.isclose(config["velocity"][0], -10.0)
    # Adam's first step without bias correction would be 0.1 g / sqrt(0.001 g^2) = 3.16 lr
    assert np.isclose(0.1 / np.sqrt(0.001), 3.162, atol=1e-3)


@pytest.fixture(scope="module")
def digits():
    data = load_digits_split()
    mean = (data.X_train / 16).mean(axis=0)

    def prepare(X):
        return np.hstack([X / 16 - mean, np.ones((len(X), 1))])
    return data, prepare(data.X_train), prepare(data.X_test)


def test_softmax_on_digits_reaches_the_accuracy_the_chapter_quotes(digits):
    from sklearn.linear_model import LogisticRegression

    data, X_train, X_test = digits
    W, _ = reference.minibatch_sgd(
        lambda W, X, y: reference.linear_softmax_loss(W, X, y, 1e-4), np.zeros((65, 10)),
        X_train, data.y_train, 1.0, 64, 800, seed=0)
    ours = np.mean(np.argmax(X_test @ W, axis=1) == data.y_test)
    theirs = LogisticRegression(max_iter=2000).fit(X_train[:, :-1], data.y_train).score(
        X_test[:, :-1], data.y_test)
    assert ours >= 0.95 and abs(ours - theirs) <= 0.01


def test_softmax_gradient_check_below_1e_7_on_a_random_problem():
    rng = np.random.default_rng(1)
    W, X, y = rng.standard_normal((8, 4)), rng.standard_normal((20, 8)), rng.integers(0, 4, 20)
    analytic = reference.linear_softmax_loss(W, X, y, 0.1)[1]
    numeric = eval_numerical_gradient(lambda w: reference.linear_softmax_loss(w, X, y, 0.1)[0], W.copy())
    assert rel_error(analytic, numeric) < 1e-7


def test_widget_functions_and_race():
    from utils.widgets import optimizers

    for fn in (optimizers.bowl, optimizers.himmelblau):
        p = np.array([0.7, -1.3])
        value, grad = fn(p)
        numeric = eval_numerical_gradient(lambda q: float(fn(q)[0]), p.copy())
        assert rel_error(grad, numeric) < 1e-7
    minima = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
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
    matplotlib.pyplot.close("all")


def test_run_optimizer_stops_a_divergent_run():
    from utils.widgets import optimizers

    path = optimizers.run_optimizer(optimizers.bowl, (-9.0, 2.0), reference.sgd, {"learning_rate": 5.0}, 200)
    assert np.all(np.isfinite(path))
