"""Chapter 3: the widget module, and the claims its prose makes about the
experiments."""

import numpy as np
import pytest

from utils import reference
from utils.data import make_blobs
from utils.widgets import regularization as w

LAMBDAS_2D = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0]


def test_polynomial_features_shape_and_terms():
    X = np.array([[1.75, -3.5], [0.0, 7.0]])
    F = w.polynomial_features(X, degree=3)
    assert F.shape == (2, 9)  # (3 + 1)(3 + 2)/2 - 1 monomials
    Z = X / 3.5
    assert np.allclose(F[:, 0], Z[:, 1]) and np.allclose(F[:, -1], Z[:, 0] ** 3)
    assert w.polynomial_features(X, degree=10).shape[1] == 65


@pytest.fixture(scope="module")
def fits():
    X, y = make_blobs(n_per_class=15, spread=1.5, seed=1)
    Xv, yv = make_blobs(n_per_class=200, spread=1.5, seed=2)
    table = {}
    for reg in LAMBDAS_2D:
        clf = w.PolynomialClassifier(reg).fit(X, y)
        assert clf.converged, f"the fit for reg={reg} did not reach its tolerance"
        table[reg] = (
            clf.accuracy(X, y),
            clf.accuracy(Xv, yv),
            float(np.linalg.norm(clf.W)),
        )
    return table


@pytest.mark.slow  # recomputes the chapter's fits (seconds of CPU)
def test_section_3_4_claims(fits):
    train = np.array([fits[r][0] for r in LAMBDAS_2D])
    val = np.array([fits[r][1] for r in LAMBDAS_2D])
    norms = np.array([fits[r][2] for r in LAMBDAS_2D])
    gap = train - val
    assert train[0] == 1.0  # every training point right at λ = 1e-6
    assert np.argmax(gap) == 0  # ... with the largest gap of the table
    assert (
        np.all(np.diff(norms) < 0) and norms[0] / norms[-1] > 1e3
    )  # orders of magnitude
    best = int(np.argmax(val))
    assert 0 < best < len(LAMBDAS_2D) - 1 and val[best] > val[0]  # a moderate λ is best
    assert train[-1] == train.min() and val[-1] == val.min()  # underfitting at the end


def test_fit_is_the_minimum_of_the_regularized_loss():
    X, y = make_blobs(n_per_class=5, spread=1.0, seed=3)
    clf = w.PolynomialClassifier(1e-2, degree=4).fit(X, y)
    assert clf.converged
    _, grads = clf.model.loss(w.polynomial_features(X, 4), y)
    assert max(np.abs(g).max() for g in grads.values()) < 1e-8  # a stationary point ...
    assert abs(clf.model.params["b"].sum()) < 1e-12  # ... with the biases centred
    loss = clf.model.loss(w.polynomial_features(X, 4), y)[0]
    clf.model.params["W"] = clf.W + 1e-3  # ... and any move costs loss
    assert clf.model.loss(w.polynomial_features(X, 4), y)[0] > loss


def test_no_penalty_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="no minimum"):
        w.PolynomialClassifier(0.0)


def test_soft_thresholding_and_shrinkage_formulas():
    grid = np.linspace(-4, 4, 80001)
    for a in (-2.5, -0.5, 0.3, 2.0):
        for lam in (0.5, 1.0):
            l2 = grid[np.argmin(0.5 * (grid - a) ** 2 + 0.5 * lam * grid**2)]
            l1 = grid[np.argmin(0.5 * (grid - a) ** 2 + lam * np.abs(grid))]
            assert np.isclose(l2, a / (1 + lam), atol=1e-3)
            assert np.isclose(l1, np.sign(a) * max(abs(a) - lam, 0.0), atol=1e-3)


def test_weight_decay_equals_l2_step():
    rng = np.random.default_rng(0)
    W, dW = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    eta, reg = 0.1, 0.5
    assert np.allclose(
        W - eta * (dW + reference.l2_penalty(W, reg)[1]), (1 - eta * reg) * W - eta * dW
    )


@pytest.mark.slow  # recomputes the chapter's fits (seconds of CPU)
def test_static_figure_and_widget_build():
    X, y = make_blobs(n_per_class=5, spread=1.0, seed=3)
    clfs = [w.PolynomialClassifier(r, degree=3).fit(X, y) for r in (1e-6, 1.0)]
    fig = w.regularization_row(clfs, X, y, X, y)
    assert len(fig.axes) == 4
    assert (
        "λ = 1e-06" in fig.axes[0].get_title() and "val acc" in fig.axes[0].get_title()
    )
    pytest.importorskip("ipywidgets")
    assert w.regularization_widget(X, y, lambdas=[1e-6, 1.0], degree=3) is not None


@pytest.mark.slow  # recomputes the chapter's fits (seconds of CPU)
def test_section_3_5_claims_on_digits():
    """The digits search of the notebook: small train/validation gaps, large λ costs
    accuracy."""
    from utils.data import load_digits_split
    from utils.training import evaluate_accuracy, train

    data = load_digits_split()
    mean = data.X_train.mean(axis=0)
    X_train, X_val = (data.X_train - mean) / 16, (data.X_val - mean) / 16
    results = {}
    for reg in 10.0 ** np.arange(-5, 1):
        model = reference.LinearClassifier(64, 10, reg=reg, seed=0)
        train(
            model,
            X_train,
            data.y_train,
            X_val,
            data.y_val,
            update_rule="adam",
            optim_config={"learning_rate": 1e-2},
            num_epochs=40,
            batch_size=100,
            seed=0,
        )
        results[reg] = (
            evaluate_accuracy(model, X_train, data.y_train),
            evaluate_accuracy(model, X_val, data.y_val),
        )
    assert sum(p.size for p in model.params.values()) == 65 * 10
    assert all(abs(tr - va) < 0.03 for tr, va in results.values())
    best = reference.select_reg_strength(results)
    larger = [r for r in results if r >= best]
    assert all(results[a][1] >= results[b][1] for a, b in zip(larger, larger[1:]))
    smallest, largest = results[min(results)], results[max(results)]
    assert largest[0] < smallest[0] and largest[1] < smallest[1]


def _numeric_answers(chapter):
    from utils.quiz import load_questions

    return {
        q["question"]: q["answers"]
        for q in load_questions(chapter)
        if q["type"] == "numeric"
    }


def _value(answers, correct=True):
    return [
        a["value"] for a in answers if a["type"] == "value" and a["correct"] == correct
    ]


def test_quiz_numeric_answers_are_computed():
    """Every numeric answer of chapter 3's quiz, right and wrong, from the reference
    code."""
    questions = _numeric_answers(3)
    assert len(questions) == 2
    W, reg = np.array([[1.0, -2.0], [3.0, 0.0]]), 0.1
    penalty = next(
        a
        for q, a in questions.items()
        if q.startswith("W = [[1, -2], [3, 0]] and reg = 0.1")
    )
    assert np.isclose(_value(penalty)[0], reference.l2_penalty(W, reg)[0])
    assert np.allclose(
        sorted(_value(penalty, False)),
        sorted(
            [
                reg * np.sum(W**2),  # no 1/2
                0.5 * reg * np.sum(np.abs(W)),  # absolute values
                reference.l1_penalty(W, reg)[0],  # L1
                0.5 * reg * np.mean(W**2),
            ]
        ),
    )  # mean instead of sum
    decay = next(
        a
        for q, a in questions.items()
        if q.startswith("Plain gradient descent with learning rate")
    )
    eta, lam = 0.01, 0.1
    W0, dW_data = np.ones((2, 2)), np.zeros((2, 2))
    factor = (W0 - eta * (dW_data + reference.l2_penalty(W0, lam)[1]))[
        0, 0
    ]  # one step, no data gradient
    assert np.isclose(_value(decay)[0], factor) and np.isclose(factor, 0.999)
    assert np.allclose(
        sorted(_value(decay, False)), sorted([1 - lam, 1 - eta, eta * lam])
    )


def test_quiz_margin_question_answers_are_computed():
    """The Δ–λ question (multiple choice): its options are λΔ (right), λ, λ/Δ and
    λΔ²."""
    from utils.quiz import load_questions

    question = next(
        q
        for q in load_questions(3)
        if q["question"].startswith("An SVM is trained with margin")
    )
    delta, lam = 2.0, 0.05
    values = {
        float(a["answer"].removeprefix("λ = ")): a["correct"]
        for a in question["answers"]
    }
    assert values == {
        lam * delta: True,
        lam: False,
        lam / delta: False,
        lam * delta**2: False,
    }


def test_margin_and_strength_enter_only_through_their_product():
    """L_{Δ,λ}(ΔV) = Δ L_{1,λΔ}(V) for any V, so the minimizers are W*(Δ, λ) = Δ
    W*(1, λΔ)."""
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((30, 4)), rng.integers(0, 3, 30)

    def loss(W, delta, reg):
        return (
            reference.svm_loss_vectorized(X @ W, y, delta)
            + reference.l2_penalty(W, reg)[0]
        )

    for delta, reg in [(2.0, 0.05), (0.5, 0.3), (3.0, 1e-3)]:
        for _ in range(5):
            V = rng.standard_normal((4, 3))
            assert np.isclose(
                loss(delta * V, delta, reg), delta * loss(V, 1.0, reg * delta)
            )
