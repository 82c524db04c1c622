"""Chapter 2's quiz: every numeric answer (and every number its feedback quotes) is
computed here from the reference losses and compared with utils/quizzes/ch02.json."""

import math

import numpy as np

from utils.quiz import load_questions
from utils.reference.losses import cross_entropy_loss, svm_loss_vectorized

SCORES = np.array(
    [
        [3.2, 5.1, -1.7],  # cat image
        [1.3, 4.9, 2.0],  # car image
        [2.2, 2.5, -3.1],
    ]
)  # frog image
Y = np.array([0, 1, 2])


def _question(start):
    matches = [q for q in load_questions(2) if q["question"].startswith(start)]
    assert len(matches) == 1, start
    return matches[0]


def _values(q):
    correct = [
        a["value"] for a in q["answers"] if a["type"] == "value" and a["correct"]
    ]
    wrong = {
        a["value"]: a["feedback"]
        for a in q["answers"]
        if a["type"] == "value" and not a["correct"]
    }
    assert len(correct) == 1
    return correct[0], wrong


def test_every_numeric_question_is_covered_here():
    numeric = [q["question"] for q in load_questions(2) if q["type"] == "numeric"]
    assert len(numeric) == 2
    assert numeric[0].startswith("The frog image") and numeric[1].startswith(
        "With tiny random weights"
    )


def test_frog_svm_loss_and_its_wrong_answers():
    q = _question("The frog image")
    frog = SCORES[2:]
    correct, wrong = _values(q)
    loss = svm_loss_vectorized(frog, Y[2:])
    assert math.isclose(correct, round(loss, 3))
    terms = np.maximum(
        0, frog[0] - frog[0, 2] + 1.0
    )  # with the correct class's own term
    assert math.isclose(
        wrong_value(wrong, "counted the correct class"), round(terms.sum(), 3)
    )
    assert math.isclose(
        wrong_value(wrong, "largest violation"), round(np.delete(terms, 2).max(), 3)
    )
    assert math.isclose(
        wrong_value(wrong, "average over the examples"), round(loss / 3, 3)
    )
    assert wrong_value(wrong, "lowest of all three") == 0
    feedback = next(a["feedback"] for a in q["answers"] if a["correct"])
    parts = np.delete(terms, 2)
    assert f"= {parts[0]:.1f} + {parts[1]:.1f}" in feedback  # 6.3 + 6.6


def wrong_value(wrong, phrase):
    matches = [v for v, feedback in wrong.items() if phrase in feedback]
    assert len(matches) == 1, phrase
    return matches[0]


def test_initial_cross_entropy_and_its_wrong_answers():
    q = _question("With tiny random weights")
    correct, wrong = _values(q)
    zeros, labels = np.zeros((10, 10)), np.arange(10)
    assert math.isclose(correct, round(cross_entropy_loss(zeros, labels), 3))
    assert math.isclose(round(math.log(10), 3), correct)
    assert wrong_value(wrong, "hinge loss at initialization") == svm_loss_vectorized(
        zeros, labels
    )
    assert wrong_value(wrong, "log base 10") == round(math.log10(10), 3)
    assert wrong_value(wrong, "probability of the correct class") == 0.1
    assert wrong_value(wrong, "log base 2") == round(math.log2(10), 3)


def test_margin_question_losses():
    scores, y = (
        np.array([[4.0, 1.0, 0.5]]),
        np.array([0]),
    )  # correct class ahead by 3 or more
    assert svm_loss_vectorized(scores, y) == 0.0
    assert 0 < cross_entropy_loss(scores, y) < 0.1


def test_margin_and_penalty_trade_off_as_the_prose_says():
    """L_{Δ,λ}(ΔV, Δc) = Δ L_{1,λΔ}(V, c) with the penalty ½λ‖W‖²."""
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 5)), rng.integers(0, 4, 20)
    V, c = rng.standard_normal((5, 4)), rng.standard_normal(4)

    def total(W, b, delta, lam):
        return svm_loss_vectorized(X @ W + b, y, delta) + 0.5 * lam * np.sum(W * W)

    for delta, lam in ((3.0, 0.1), (0.5, 2.0)):
        assert np.isclose(
            total(delta * V, delta * c, delta, lam),
            delta * total(V, c, 1.0, lam * delta),
        )


def test_positive_example_question_and_its_answers():
    q = _question("A positive example (t = 1)")
    by_feedback = {a["feedback"]: a for a in q["answers"]}

    def answer(phrase):
        matches = [a for f, a in by_feedback.items() if phrase in f]
        assert len(matches) == 1, phrase
        return matches[0]

    assert (
        answer("Right:")["answer"] == f"{-math.log(0.98):.3g}"
        and answer("Right:")["correct"]
    )
    assert answer("loss before training")["answer"] == f"{-math.log(0.4):.3f}"
    assert answer("negative example")["answer"] == f"{-math.log(1 - 0.98):.3f}"
    assert answer("log base 10")["answer"] == f"{-math.log10(0.98):.3g}"
    right = answer("Right:")["feedback"]
    assert (
        f"-ln 0.98 = {-math.log(0.98):.4f}" in right
        and f"-ln 0.4 = {-math.log(0.4):.3f}" in right
    )
    # the binary cross-entropy of t = 1 is the two-class softmax loss with scores [0,
    # logit(p)]
    for p in (0.4, 0.98):
        z = math.log(p / (1 - p))
        assert math.isclose(
            cross_entropy_loss(np.array([[0.0, z]]), np.array([1])), -math.log(p)
        )


def test_margin_question_cross_entropy_keeps_pushing():
    """Scaling the scores of a correctly classified example lowers its cross-entropy,
    for ever, while the hinge loss stays 0 once the margin is met."""
    car = SCORES[1:2]
    losses = [cross_entropy_loss(c * car, Y[1:2]) for c in (1.0, 2.0, 4.0, 8.0)]
    assert all(a > b > 0 for a, b in zip(losses, losses[1:]))
    assert np.argmax(car) == 1
    assert all(
        svm_loss_vectorized(c * np.array([[4.0, 1.0, 0.5]]), np.array([0])) == 0.0
        for c in (1, 2, 4)
    )


def test_accuracy_piecewise_constant_numbers():
    """The five-example numbers of section 2.7: 0.4 -> 0.45 keeps accuracy 0.6; 0.499
    -> 0.501 makes it 0.8."""

    def acc(p):
        return float(np.mean(np.asarray(p) > 0.5))

    assert acc([0.9, 0.7, 0.6, 0.499, 0.4]) == 0.6
    assert acc([0.9, 0.7, 0.6, 0.499, 0.45]) == 0.6
    assert acc([0.9, 0.7, 0.6, 0.501, 0.4]) == 0.8


def test_indexing_example():
    y_hat = np.array([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    y = np.array([0, 2])
    picked = y_hat[[0, 1], y]
    assert picked.tolist() == [0.1, 0.5]
    assert np.round(-np.log(picked), 3).tolist() == [2.303, 0.693]
    assert np.mean(y_hat.argmax(axis=1) == y) == 0.5


def _entropy(p):
    p = np.asarray(p, dtype=float)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum()) + 0.0


def test_entropy_is_highest_for_the_uniform_distribution():
    """Section 2.4: uniform over 10 classes has entropy ln 10, the peaked example 0.500,
    and no distribution over 10 classes exceeds ln 10."""
    uniform, peaked = np.full(10, 0.1), np.r_[0.91, np.full(9, 0.01)]
    assert round(_entropy(uniform), 3) == round(math.log(10), 3) == 2.303
    assert round(_entropy(peaked), 3) == 0.5 and abs(_entropy(peaked) - 0.5005) > 1e-4
    rng = np.random.default_rng(0)
    assert all(
        _entropy(rng.dirichlet(np.ones(10))) < _entropy(uniform) for _ in range(200)
    )
