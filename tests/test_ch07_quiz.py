"""Chapter 7: the numeric answers of the quiz, computed from the reference code."""

import json

import numpy as np

from tests.conftest import ROOT
from utils.reference import FullyConnectedNet, cosine_schedule, init_weights

QUIZ = json.loads(
    (ROOT / "utils" / "quizzes" / "ch07.json").read_text(encoding="utf-8")
)


def _question(start):
    return next(q for q in QUIZ if q["question"].startswith(start))


def _answers(question):
    return {
        a["value"]: a["correct"] for a in question["answers"] if a["type"] == "value"
    }


def test_first_loss_of_a_100_class_network_is_ln_100():
    answers = _answers(_question("A new network for a 100-class problem"))
    rng = np.random.default_rng(0)
    net = FullyConnectedNet([50], 20, 100, weight_scale=1e-4, seed=0)
    loss, _ = net.loss(rng.standard_normal((500, 20)), rng.integers(0, 100, size=500))
    assert (
        [v for v, ok in answers.items() if ok]
        == [round(float(loss), 2)]
        == [round(np.log(100), 2)]
    )
    assert (
        1 / 100 in answers
        and round(np.log(10), 1) in answers
        and np.log10(100) in answers
    )


def test_he_std_of_a_200_to_50_layer():
    answers = _answers(_question("A ReLU layer has 200 inputs and 50 outputs"))
    W = init_weights(200, 50, "he", np.random.default_rng(0))
    assert [v for v, ok in answers.items() if ok] == [round(np.sqrt(2 / 200), 2)]
    assert abs(W.std() - 0.1) < 0.005
    wrong = {round(np.sqrt(2 / 50), 2), round(2 / 200, 2), round(np.sqrt(2 / 250), 2)}
    assert wrong <= {v for v, ok in answers.items() if not ok}


def test_cosine_rate_at_step_60():
    answers = _answers(_question("A cosine schedule with lr0 = 0.1"))
    right = cosine_schedule(0.1, 60, 110, 10, 0.0)
    assert [v for v, ok in answers.items() if ok] == [round(right, 4)] == [0.05]
    from_zero = 0.5 * 0.1 * (1 + np.cos(np.pi * 60 / 110))
    assert round(from_zero, 4) in answers and not answers[round(from_zero, 4)]


def test_uniform_share_below_1e_2():
    question = _question("You sample learning rates uniformly")
    share = np.mean(np.random.default_rng(0).uniform(1e-5, 1e-1, 200_000) < 1e-2)
    right = next(a["answer"] for a in question["answers"] if a["correct"])
    assert abs(share - 0.1) < 0.005 and right == "About 10%"


def test_ensemble_loss_numbers_are_jensen():
    question = _question("Three networks give the correct class")
    members = np.array([0.9, 0.6, 0.3])
    ensemble_loss, mean_loss = -np.log(members.mean()), np.mean(-np.log(members))
    assert ensemble_loss < mean_loss
    right = [a["answer"] for a in question["answers"] if a["correct"]]
    assert right == [
        f"It is lower: -ln(0.6) ≈ {ensemble_loss:.2f} against a mean of about "
        f"{mean_loss:.2f}"
    ]
    feedback = " ".join(a["feedback"] for a in question["answers"])
    for loss in -np.log(members):
        assert f"{loss:.2f}" in feedback
