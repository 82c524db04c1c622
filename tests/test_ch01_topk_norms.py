"""Chapter 1, section 1.5: the top-k reference and the numbers the questions quote."""

import numpy as np


def test_top_k_reference_tie_rule_and_edges():
    from utils.reference.linear import accuracy, top_k_accuracy

    rng = np.random.default_rng(0)
    scores, y = rng.standard_normal((50, 7)), rng.integers(0, 7, 50)
    assert top_k_accuracy(scores, y, 1) == accuracy(scores.argmax(axis=1), y)
    assert top_k_accuracy(scores, y, 7) == 1.0
    assert all(
        top_k_accuracy(scores, y, k) <= top_k_accuracy(scores, y, k + 1)
        for k in range(1, 7)
    )
    tie = np.array([[1.0, 1.0, 0.0]] * 2)
    assert (
        top_k_accuracy(tie, np.array([0, 1]), 1) == 1.0
    )  # ties count in the label's favour


def test_questions_to_think_about_numbers():
    s = np.array([0.2, 1.5, -0.3, 0.9])
    assert np.argsort(s)[:2].tolist() == [2, 0] and np.argsort(-s)[:2].tolist() == [
        1,
        3,
    ]
    x = np.array([3.0, -4.0, 12.0])
    assert (np.abs(x).sum(), np.linalg.norm(x)) == (19.0, 13.0)
    assert np.allclose(x / np.linalg.norm(x), [3 / 13, -4 / 13, 12 / 13])
