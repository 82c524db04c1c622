"""Chapter 6: the numeric answers of the quiz, computed from the reference code."""

import numpy as np

from tests.helpers import quiz
from utils.reference import TwoLayerNet, dropout_forward

QUIZ = quiz(6)


def _question(start):
    return next(q for q in QUIZ if q["question"].startswith(start))


def _values(question):
    return {a["value"]: a for a in question["answers"] if a["type"] == "value"}


def test_quiz_parameter_count_of_a_64_100_10_network():
    answers = _values(_question("A network for the digits has D = 64"))
    net = TwoLayerNet(64, 100, 10, seed=0)
    total = sum(v.size for v in net.params.values())
    weights = net.params["W1"].size + net.params["W2"].size
    assert [v for v, a in answers.items() if a["correct"]] == [total] == [7510]
    assert weights in answers and not answers[weights]["correct"]  # 7400: weights only
    assert 64 * 10 + 10 in answers  # 650: the linear model
    assert 64 + 100 + 10 in answers  # 174: the units
    feedback = answers[7510]["feedback"]
    for part in (
        net.params["W1"].size,
        net.params["b1"].size,
        net.params["W2"].size,
        net.params["b2"].size,
    ):
        assert f"{part:,}" in feedback


def test_quiz_inverted_dropout_mask_value():
    answers = _values(_question("Inverted dropout with p = 0.2"))
    x = np.ones((50, 50))
    _, (_, mask) = dropout_forward(x, {"p": 0.2, "mode": "train", "seed": 0})
    kept = np.unique(mask[mask > 0])
    assert kept.size == 1
    assert (
        [v for v, a in answers.items() if a["correct"]]
        == [round(float(kept[0]), 4)]
        == [1.25]
    )
    assert {round(1 - 0.2, 4), round(1 / 0.2, 4), 1} <= set(answers)


def test_quiz_saturated_sigmoid_numbers():
    from utils.widgets.networks import ACTIVATIONS

    question = _question("A sigmoid hidden unit receives the pre-activation z = 6")
    sig, dsig = ACTIVATIONS["sigmoid"]
    right = next(a for a in question["answers"] if a["correct"])
    assert f"{float(dsig(6.0)):.2g}" == "0.0025" and "about 0.0025" in right["answer"]
    assert any(
        f"σ(6) ≈ {float(sig(6.0)):.4f}" in a["answer"] for a in question["answers"]
    )
    assert float(dsig(0.0)) == 0.25
