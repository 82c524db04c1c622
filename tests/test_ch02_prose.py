"""Chapter 2's quiz: every numeric answer (and every number its feedback quotes) is computed here
from the reference losses and compared with utils/quizzes/ch02.json."""
import math

import numpy as np

from utils.quiz import load_questions
from utils.reference.losses import cross_entropy_loss, svm_loss_vectorized

SCORES = np.array([[3.2, 5.1, -1.7],    # cat image
                   [1.3, 4.9, 2.0],     # car image
                   [2.2, 2.5, -3.1]])   # frog image
Y = np.array([0, 1, 2])


def _question(start):
    matches = [q for q in load_questions(2) if q["question"].startswith(start)]
    assert len(matches) == 1, start
    return matches[0]


def _values(q):
    correct = [a["value"] for a in q["answers"] if a["type"] == "value" and a["correct"]]
    wrong = {a["value"]: a["feedback"] for a in q["answers"] if a["type"] == "value" and not a["correct"]}
    assert len(correct) == 1
    return correct[0], wrong


def test_every_numeric_question_is_covered_here():
    numeric = [q["question"] for q in load_questions(2) if q["type"] == "numeric"]
    assert len(numeric) == 2
    assert numeric[0].startswith("The frog image") and numeric[1].startswith("With tiny random weights")


def test_frog_svm_loss_and_its_wrong_answers():
    q = _question("The frog image")
    frog = SCORES[2:]
    correct, wrong = _values(q)
    loss = svm_loss_vectorized(frog, Y[2:])
    assert math.isclose(correct, round(loss, 3))
    terms = np.maximum(0, frog[0] - frog[0, 2] + 1.0)          # with the correct class's own term
    assert math.isclose(wrong_value(wrong, "counted the correct class"), round(terms.sum(), 3))
    assert math.isclose(wrong_value(wrong, "largest violation"), round(np.delete(terms, 2).max(), 3))
    assert math.isclose(wrong_value(wrong, "average over the examples"), round(loss / 3, 3))
    assert wrong_value(wrong, "lowest of all three") == 0
    feedback = next(a["feedback"] for a in q["answers"] if a["correct"])
    parts = np.delete(terms, 2)
    assert f"= {parts[0]:.1f} + {parts[1]:.1f}" in feedback            # 6.3 + 6.6


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
    assert wrong_value(wrong, "hinge loss at initialization") == svm_loss_vectorized(zeros, labels)
    assert wrong_value(wrong, "log base 10") == round(math.log10(10), 3)
    assert wrong_value(wrong, "probability of the correct class") == 0.1
    assert wrong_value(wrong, "log base 2") == round(math.log2(10), 3)


def test_log10_question_quotes_computed_numbers():
    q = _question("Your cross_entropy_loss returns")
    cat = cross_entropy_loss(SCORES[:1], Y[:1])
    assert f"returns {cat / math.log(10):.3f}" in q["question"]
    assert f"reference gives {cat:.2f}" in q["question"]
    right = next(a["feedback"] for a in q["answers"] if a["correct"])
    assert f"{cat:.2f} / ln 10 = {cat / math.log(10):.3f}" in right


def test_margin_question_losses():
    scores, y = np.array([[4.0, 1.0, 0.5]]), np.array([0])      # correct class ahead by 3 or more
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
        assert np.isclose(total(delta * V, delta * c, delta, lam), delta * total(V, c, 1.0, lam * delta))
