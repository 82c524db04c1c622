"""Chapter 3's checks: correct code in other styles passes, each classic regularization
mistake
is rejected with the hint that names it.

Each rule an exercise statement states, and the rows of ``WRONG[name]`` that test it (by the hint
fragment they expect; ``CORRECT`` rows must pass):

=================== ============================================ ====================================
exercise            rule of the statement                        test rows
=================== ============================================ ====================================
l2_penalty          returns (penalty, dW)                        "return two values", "tuple of length 3",
                                                                 "(dw, penalty)"; CORRECT: a list
                    penalty 0.5 * reg * sum(W**2), a number      "left out the 1/2", "does not depend
                                                                 on reg", "reg squared", "absolute
                                                                 values", "square root", "mean",
                                                                 "squared the sum", "every entry",
                                                                 "integer division"
                    dW its gradient, shaped like W               "doubled", "half", "l1", "wrong
                                                                 sign", "share of the penalty",
                                                                 "norm", "same for every weight",
                                                                 "shape", "should be a numpy array"
                    W of any shape                               "chapter's example" (1-D W)
l1_penalty          penalty reg * sum(|W|), no 1/2               "halved", "squares", "negative
                                                                 weights cancel", "absolute value of
                                                                 the sum", "mean", "l2 norm",
                                                                 "largest", "does not depend on reg"
                    dW = reg * sign(W)                           "proportional to w", "wrong sign",
                                                                 "ignores the sign", "integer dtype"
                    0 where a weight is exactly 0                "exactly 0", "nan where a weight"
regularized_loss    a float                                      "not a tuple", "single number"
                    data_loss of the scores X @ W, the           "never calls", "other way round",
                    data_loss that is passed in                  "pass the class scores", "differ
                                                                 from x @ w", "labels y unchanged"
                    plus the L2 penalty of ALL of W              "only the data loss", "only the
                                                                 penalty", "twice too large", "reg
                                                                 twice", "subtracted", "l1", "bias
                                                                 row", "divided the data loss",
                                                                 "summed", "gradient"
                    reuse l2_penalty: a stub is named            test_unfinished_l2_penalty_is_named
select_reg_strength a key of results (a λ)                       "returned an accuracy", "pair",
                                                                 "only the λ", "position", "whole
                                                                 number", "not list", "one λ"
                    highest VALIDATION accuracy                  "training", "lowest", "smallest
                                                                 gap", "largest λ", "smallest λ"
                    ties go to the largest λ                     "smaller one"
                    results unchanged                            "in place"
=================== ============================================ ====================================
"""  # noqa: E501 (a table of rules and tests, kept on one line per row)

import numpy as np
import pytest

from tests.helpers import assert_accepted, assert_rejected, generic_share, rows_of
from utils import reference
from utils.checks import run_check
from utils.reference import losses


# --------------------------------------------------------------------------------------
# Correct variants written differently must pass
# --------------------------------------------------------------------------------------


def _l2_loop(W, reg):
    total, dW = 0.0, np.zeros_like(W, dtype=float)
    for idx in np.ndindex(W.shape):
        total += W[idx] ** 2
        dW[idx] = reg * W[idx]
    return 0.5 * reg * total, dW


def _l1_where(W, reg):
    return reg * np.abs(W).sum(), reg * np.where(W > 0, 1.0, np.where(W < 0, -1.0, 0.0))


def _select_loop(results):
    best = None
    for lam in sorted(results):
        if best is None or results[lam][1] >= results[best][1]:
            best = lam
    return best


def _l1_loop(W, reg):
    dW, total = np.zeros_like(W, dtype=float), 0.0
    for idx in np.ndindex(W.shape):
        total += abs(W[idx])
        dW[idx] = reg * (1 if W[idx] > 0 else -1 if W[idx] < 0 else 0)
    return reg * total, dW


def _select_sorted_desc(results):
    best, best_acc = None, -1.0
    for lam in sorted(results, reverse=True):  # larger λ first: a tie keeps it
        if results[lam][1] > best_acc:
            best, best_acc = lam, results[lam][1]
    return best


def _select_numpy(results):
    keys = np.array(list(results))
    val = np.array([results[k][1] for k in keys])
    return float(keys[val == val.max()].max())


CORRECT = [
    ("l2_penalty", _l2_loop),
    (
        "l2_penalty",
        lambda W, reg: [0.5 * reg * float(W.ravel() @ W.ravel()), reg * W.copy()],
    ),
    (
        "l2_penalty",
        lambda W, reg: (
            0.5 * reg * np.tensordot(W, W, axes=W.ndim),
            np.multiply(reg, W),
        ),
    ),
    ("l1_penalty", _l1_loop),
    (
        "l1_penalty",
        lambda W, reg: (reg * np.abs(W).sum(), reg * (W > 0) - reg * (W < 0)),
    ),
    (
        "regularized_loss",
        lambda W, X, y, reg, dl: (
            dl(np.einsum("nd,dc->nc", X, W), y) + 0.5 * reg * (W * W).sum()
        ),
    ),
    ("select_reg_strength", _select_sorted_desc),
    ("select_reg_strength", _select_numpy),
]


@pytest.mark.parametrize(
    "name, fn",
    CORRECT
    + [
        ("l2_penalty", _l2_loop),
        (
            "l2_penalty",
            lambda W, reg: (np.float64(0.5 * reg * np.linalg.norm(W) ** 2), reg * W),
        ),
        ("l2_penalty", lambda W, reg: (np.array(0.5 * reg * np.sum(W * W)), W * reg)),
        ("l1_penalty", _l1_where),
        (
            "l1_penalty",
            lambda W, reg: (reg * np.linalg.norm(W.ravel(), 1), reg * np.sign(W)),
        ),
        (
            "regularized_loss",
            lambda W, X, y, reg, dl: dl(X.dot(W), y) + reg * 0.5 * np.sum(W**2),
        ),
        (
            "regularized_loss",
            lambda W, X, y, reg, dl: (
                dl(scores=X @ W, y=y) + reference.l2_penalty(W, reg)[0]
            ),
        ),
        ("select_reg_strength", _select_loop),
        (
            "select_reg_strength",
            lambda r: max(r.items(), key=lambda kv: (kv[1][1], kv[0]))[0],
        ),
        ("select_reg_strength", lambda r: sorted(r, key=lambda k: (-r[k][1], -k))[0]),
    ],
)
def test_correct_variants_pass(name, fn):
    assert_accepted(name, fn)


# --------------------------------------------------------------------------------------
# Wrong implementations and the hint each must get
# --------------------------------------------------------------------------------------


def _l1_grad_ge(W, reg):
    return reg * np.abs(W).sum(), reg * np.where(W >= 0, 1.0, -1.0)


def _l1_grad_gt(W, reg):
    return reg * np.abs(W).sum(), reg * np.where(W > 0, 1.0, -1.0)


def _l1_grad_divide(W, reg):
    with np.errstate(invalid="ignore"):
        return reg * np.abs(W).sum(), reg * W / np.abs(W)


def _l1_grad_divide_warns(W, reg):
    return reg * np.abs(W).sum(), reg * W / np.abs(W)


def _l1_mutates(W, reg):
    W[W == 0] = 0.0
    np.abs(W, out=W)
    return reg * W.sum(), reg * np.sign(W)


def _reg_loss_swapped(W, X, y, reg, data_loss):
    return data_loss(y, X @ W) + 0.5 * reg * np.sum(W**2)


def _reg_loss_swapped_real(W, X, y, reg, data_loss):
    return data_loss(y, X @ W) + 0.5 * reg * np.sum(W**2)


def _reg_loss_no_bias(W, X, y, reg, data_loss):
    return data_loss(X @ W, y) + 0.5 * reg * np.sum(W[:-1] ** 2)


def _reg_loss_own_softmax(W, X, y, reg, data_loss):
    return losses.cross_entropy_loss(X @ W, y) + 0.5 * reg * np.sum(W**2)


def _select_first_max(results):
    return max(results, key=lambda k: results[k][1])


def _select_last_max(results):
    best, best_acc = None, -1.0
    for lam, (_, val) in results.items():
        if val >= best_acc:
            best, best_acc = lam, val
    return best


def _select_smallest_on_tie(results):
    return max(results, key=lambda k: (results[k][1], -k))


WRONG = {
    "l2_penalty": [
        (lambda W, reg: (reg * np.sum(W**2), 2 * reg * W), "left out the 1/2"),
        (lambda W, reg: (reg * np.sum(W**2), reg * W), "left out the 1/2"),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), 2 * reg * W), "doubled"),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), W), "does not depend on reg"),
        (lambda W, reg: (0.5 * np.sum(W**2), W), "does not depend on reg"),
        (lambda W, reg: (np.sum(W**2), 2 * W), "does not depend on reg"),
        (lambda W, reg: (0.5 * reg * np.sum(np.abs(W)), reg * W), "absolute values"),
        (lambda W, reg: (reg * np.sum(np.abs(W)), reg * np.sign(W)), "absolute values"),
        (lambda W, reg: (0.5 * reg * np.linalg.norm(W), reg * W), "square root"),
        (lambda W, reg: (reg * np.sqrt(np.sum(W**2)), reg * W), "square root"),
        (lambda W, reg: (0.5 * reg * np.mean(W**2), reg * W), "mean"),
        (lambda W, reg: (reg * np.mean(W**2), reg * W / W.size), "mean"),
        (lambda W, reg: (0.5 * reg**2 * np.sum(W**2), reg * W), "reg squared"),
        (lambda W, reg: (0.5 * reg * np.sum(W) ** 2, reg * W), "squared the sum"),
        (lambda W, reg: (0.5 * reg * np.sum(W**2, axis=0), reg * W), "every entry"),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), 0.5 * reg * W), "half"),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), reg * np.sign(W)), "l1"),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), -reg * W), "wrong sign"),
        (
            lambda W, reg: (0.5 * reg * np.sum(W**2), 0.5 * reg * W**2),
            "share of the penalty",
        ),
        (
            lambda W, reg: (0.5 * reg * np.sum(W**2), reg * W / np.linalg.norm(W)),
            "norm",
        ),
        (
            lambda W, reg: (0.5 * reg * np.sum(W**2), reg * np.sum(W)),
            "should be a numpy array",
        ),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), reg * W.T), "shape"),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), list(reg * W)), "python list"),
        (lambda W, reg: (reg * W, 0.5 * reg * np.sum(W**2)), "(dw, penalty)"),
        (lambda W, reg: 0.5 * reg * np.sum(W**2), "should return two values"),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), reg * W, W), "tuple of length 3"),
        (lambda W, reg: (None, reg * W), "none"),
        (
            lambda W, reg: (0.5 * reg * np.sum(W**2) + 1e-3, reg * W),
            "0.5 * reg * sum(w**2) =",
        ),
        (
            lambda W, reg: (0.5 * reg * np.sum(W**2), reg * W + 1e-3),
            "differs from reg * w",
        ),
        (
            lambda W, reg: (
                (0.5 * reg * np.sum(W**2), reg * W) if W.ndim == 2 else (0.0, 0 * W)
            ),
            "chapter's example",
        ),
        (
            lambda W, reg: (0.5 * max(reg, 1e-3) * np.sum(W**2), max(reg, 1e-3) * W),
            "reg = 0",
        ),
        (lambda W, reg: (1 // 2 * reg * np.sum(W**2), reg * W), "integer division"),
        (
            lambda W, reg: (0.5 * reg * np.sum(W**2), reg * np.ones_like(W)),
            "same for every weight",
        ),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), np.atleast_2d(reg * W)), "shape"),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), reg * W.sum(axis=0)), "shape"),
    ],
    "l1_penalty": [
        (lambda W, reg: (0.5 * reg * np.sum(np.abs(W)), reg * np.sign(W)), "halved"),
        (lambda W, reg: (0.5 * reg * np.sum(W**2), reg * W), "squares"),
        (lambda W, reg: (reg * np.sum(W**2), reg * np.sign(W)), "squares"),
        (lambda W, reg: (reg * np.sum(W), reg * np.sign(W)), "negative weights cancel"),
        (lambda W, reg: (np.sum(W), np.sign(W)), "negative weights cancel"),
        (
            lambda W, reg: (reg * np.abs(np.sum(W)), reg * np.sign(W)),
            "absolute value of the sum",
        ),
        (lambda W, reg: (np.sum(np.abs(W)), np.sign(W)), "does not depend on reg"),
        (lambda W, reg: (reg * np.mean(np.abs(W)), reg * np.sign(W)), "mean"),
        (lambda W, reg: (reg * np.linalg.norm(W), reg * np.sign(W)), "l2 norm"),
        (lambda W, reg: (reg * np.sum(np.abs(W)), reg * W), "proportional to w"),
        (lambda W, reg: (reg * np.sum(np.abs(W)), W), "proportional to w"),
        (lambda W, reg: (reg * np.sum(np.abs(W)), 2 * reg * W), "proportional to w"),
        (
            lambda W, reg: (reg * np.sum(np.abs(W)), np.sign(W)),
            "does not depend on reg",
        ),
        (lambda W, reg: (reg * np.sum(np.abs(W)), 0.5 * reg * np.sign(W)), "halved"),
        (lambda W, reg: (reg * np.sum(np.abs(W)), -reg * np.sign(W)), "wrong sign"),
        (
            lambda W, reg: (reg * np.sum(np.abs(W)), reg * np.ones_like(W)),
            "ignores the sign",
        ),
        (lambda W, reg: (reg * np.sum(np.abs(W)), reg * np.abs(W)), "ignores the sign"),
        (
            lambda W, reg: (reg * np.sum(np.abs(W), axis=1), reg * np.sign(W)),
            "every entry",
        ),
        (_l1_grad_ge, "exactly 0"),
        (_l1_grad_gt, "exactly 0"),
        (_l1_grad_divide, "nan where a weight is exactly 0"),
        (_l1_grad_divide_warns, "nan where a weight is exactly 0"),
        (_l1_mutates, "in place"),
        (
            lambda W, reg: (
                reg * np.sum(np.abs(W)),
                reg * np.sign(W) + (W == 0) * 0.5 * reg,
            ),
            "should be reg * np.sign(w)",
        ),
        (lambda W, reg: reg * np.sign(W), "should return two values"),
        (
            lambda W, reg: (
                (reg * np.sum(np.abs(W)), reg * np.sign(W))
                if W.ndim == 2
                else (0.5, np.sign(W))
            ),
            "chapter's example",
        ),
        (lambda W, reg: (reg * np.abs(W).max(), reg * np.sign(W)), "largest"),
        (
            lambda W, reg: (reg * np.abs(W).sum(), (reg * np.sign(W)).astype(int)),
            "integer",
        ),
        (
            lambda W, reg: (reg * np.abs(W).sum(), reg * np.sign(W) * np.abs(W)),
            "proportional to w",
        ),
    ],
    "regularized_loss": [
        (lambda W, X, y, reg, dl: dl(X @ W, y), "only the data loss"),
        (
            lambda W, X, y, reg, dl: 0.5 * reg * np.sum(W**2) + 0 * dl(X @ W, y),
            "only the penalty",
        ),
        (lambda W, X, y, reg, dl: dl(X @ W, y) + reg * np.sum(W**2), "twice too large"),
        (
            lambda W, X, y, reg, dl: dl(X @ W, y) + 0.5 * np.sum(W**2),
            "does not depend on reg",
        ),
        (
            lambda W, X, y, reg, dl: dl(X @ W, y) + reg * 0.5 * reg * np.sum(W**2),
            "reg twice",
        ),
        (
            lambda W, X, y, reg, dl: reg * (dl(X @ W, y) + 0.5 * reg * np.sum(W**2)),
            "reg twice",
        ),
        (
            lambda W, X, y, reg, dl: (
                dl(X @ W, y) + reg * reference.l2_penalty(W, reg)[0]
            ),
            "reg twice",
        ),
        (
            lambda W, X, y, reg, dl: dl(X @ W, y) - 0.5 * reg * np.sum(W**2),
            "subtracted",
        ),
        (lambda W, X, y, reg, dl: dl(X @ W, y) + reg * np.sum(np.abs(W)), "l1"),
        (_reg_loss_swapped, "other way round"),
        (_reg_loss_no_bias, "bias row"),
        (
            lambda W, X, y, reg, dl: dl(X @ W, y) + 0.5 * reg * np.sum(W[1:] ** 2),
            "bias row",
        ),
        (
            lambda W, X, y, reg, dl: dl(X, y) + 0.5 * reg * np.sum(W**2),
            "pass the class scores",
        ),
        (
            lambda W, X, y, reg, dl: dl(X @ W + 1.0, y) + 0.5 * reg * np.sum(W**2),
            "differ from x @ w",
        ),
        (
            lambda W, X, y, reg, dl: (
                dl(X[:, :-1] @ W[:-1], y) + 0.5 * reg * np.sum(W**2)
            ),
            "differ from x @ w",
        ),
        (
            lambda W, X, y, reg, dl: (
                dl((X @ W)[:-1], y[:-1]) + 0.5 * reg * np.sum(W**2)
            ),
            "shape",
        ),
        (_reg_loss_own_softmax, "never calls"),
        (
            lambda W, X, y, reg, dl: (dl(X @ W, y), 0.5 * reg * np.sum(W**2)),
            "not a tuple",
        ),
        (
            lambda W, X, y, reg, dl: (
                dl(X @ W, y) + reference.l2_penalty(W, reg)[0],
                0,
            ),
            "not a tuple",
        ),
        (lambda W, X, y, reg, dl: reference.l2_penalty(W, reg), "not a tuple"),
        (
            lambda W, X, y, reg, dl: dl(X @ W, y) + 0.5 * reg * np.sum(W**2, axis=0),
            "single number",
        ),
        (
            lambda W, X, y, reg, dl: dl(X @ W, np.sort(y)) + 0.5 * reg * np.sum(W**2),
            "labels y unchanged",
        ),
        (
            lambda W, X, y, reg, dl: dl(X @ W, y) + 0.5 * reg * np.sum(W**2) + 0.1,
            "should be",
        ),
        (
            lambda W, X, y, reg, dl: dl(X @ W, y) / len(y) + 0.5 * reg * np.sum(W**2),
            "averaged twice",
        ),
        (
            lambda W, X, y, reg, dl: dl(X @ W, y) * len(y) + 0.5 * reg * np.sum(W**2),
            "multiplied the data loss",
        ),
        (
            lambda W, X, y, reg, dl: dl(X @ W, y) + 0.5 * reg * np.sum(W**2) / len(y),
            "divided the penalty",
        ),
        (
            lambda W, X, y, reg, dl: dl(X @ W, y) + 0.5 * reg * np.sum(reg * W),
            "gradient",
        ),
        (lambda W, X, y, reg, dl: dl(W.T @ X.T, y) + 0.5 * reg * np.sum(W**2), "shape"),
    ],
    "select_reg_strength": [
        (lambda r: max(r, key=lambda k: r[k][0]), "training"),
        (lambda r: max(r, key=lambda k: (r[k][0], k)), "training"),
        (lambda r: min(r, key=lambda k: r[k][1]), "lowest"),
        (lambda r: min(r, key=lambda k: (r[k][1], k)), "lowest"),
        (lambda r: max(r.values(), key=lambda v: v[1])[1], "returned an accuracy"),
        (lambda r: max(v[1] for v in r.values()), "returned an accuracy"),
        (lambda r: max(r.values(), key=lambda v: v[1]), "pair"),
        (lambda r: max(r.items(), key=lambda kv: kv[1][1]), "only the λ"),
        (lambda r: int(np.argmax([v[1] for v in r.values()])), "position"),
        (lambda r: None, "none"),
        (lambda r: [max(r, key=lambda k: r[k][1])], "not list"),
        (lambda r: max(r), "largest λ"),
        (lambda r: min(r), "smallest λ"),
        (lambda r: min(r, key=lambda k: abs(r[k][0] - r[k][1])), "smallest gap"),
        (lambda r: min(r, key=lambda k: r[k][0] - r[k][1]), "smallest gap"),
        (_select_first_max, "smaller one"),
        (_select_last_max, "smaller one"),
        (_select_smallest_on_tie, "smaller one"),
        (lambda r: max(r, key=lambda k: r[k][0] + r[k][1]), "best validation accuracy"),
        (lambda r: 0.123, "not one of the λ"),
        (lambda r: "0.01", "one λ"),
        (lambda r: int(max(r, key=lambda k: (r[k][1], k))), "whole number"),
        (lambda r: str(max(r, key=lambda k: (r[k][1], k))), "the string"),
        (lambda r: list(r)[int(np.argmax([v[1] for v in r.values()]))], "smaller one"),
    ],
}


@pytest.mark.parametrize(
    "name, wrong, hint", [(n, fn, h) for n, cases in WRONG.items() for fn, h in cases]
)
def test_mistake_is_rejected_with_its_hint(name, wrong, hint):
    assert_rejected(run_check(wrong, exercise=name), hint)


def test_every_exercise_has_two_correct_variants_and_five_mistakes():
    for name in WRONG:
        assert sum(n == name for n, _ in CORRECT) >= 1, (
            name
        )  # plus the table's older rows
        assert len({hint for _, hint in WRONG[name]}) >= 5, name


def test_generic_hint_share(capsys):
    """Issue 15's target: fewer than 5% of the rejected mistakes get a hint that
    names no cause."""
    generic, total, which = generic_share(rows_of(WRONG))
    with capsys.disabled():
        print(f"\nchapter 3: {generic} generic hints of {total} rejected mistakes")
    assert generic / total < 0.05, which


def test_select_reg_strength_mutating_input_is_rejected():
    def pops(results):
        best = max(results, key=lambda k: (results[k][1], k))
        results.pop(best)
        return best

    assert_rejected(run_check(pops, exercise="select_reg_strength"), "in place")


def test_regularized_loss_includes_the_bias_row():
    """The spec regularizes all of W (X already carries the bias column): not a
    mistake here."""
    rng = np.random.default_rng(0)
    X = np.hstack([rng.standard_normal((4, 2)), np.ones((4, 1))])
    y = np.array([0, 1, 2, 1])
    W = rng.standard_normal((3, 3))
    total = reference.regularized_loss(W, X, y, 0.7, losses.cross_entropy_loss)
    assert np.isclose(total, losses.cross_entropy_loss(X @ W, y) + 0.35 * np.sum(W**2))


def test_reference_penalties_worked_example():
    w1, w2 = np.array([1.0, 0, 0, 0]), np.full(4, 0.25)
    x = np.ones(4)
    assert x @ w1 == x @ w2 == 1.0
    assert (
        reference.l2_penalty(w1, 2.0)[0] == 1.0
        and reference.l2_penalty(w2, 2.0)[0] == 0.25
    )
    assert reference.l1_penalty(w1, 1.0)[0] == reference.l1_penalty(w2, 1.0)[0] == 1.0


def test_reference_select_reg_strength_ties_and_order():
    tied = {1e-3: (0.9, 0.8), 1e-2: (0.8, 0.8), 1e-4: (0.95, 0.7)}
    assert reference.select_reg_strength(tied) == 1e-2
    assert reference.select_reg_strength(dict(reversed(list(tied.items())))) == 1e-2


def test_quiz_numeric_answers_are_computed():
    from utils.quiz import load_questions

    answers = [
        next(a["value"] for a in q["answers"] if a["correct"])
        for q in load_questions(3)
        if q["type"] == "numeric"
    ]
    W = np.array([[1.0, -2.0], [3.0, 0.0]])
    penalty = reference.l2_penalty(W, 0.1)[0]
    eta, reg = 0.01, 0.1
    step = W - eta * (0 + reference.l2_penalty(W, reg)[1])
    factor = float(step[0, 0] / W[0, 0])
    assert np.allclose(answers, [round(penalty, 3), round(factor, 4)])
    wrong = [
        a["value"]
        for q in load_questions(3)
        if q["type"] == "numeric"
        for a in q["answers"]
        if a["type"] == "value" and not a["correct"]
    ]
    assert np.allclose(wrong[:4], [0.1 * 14, 0.05 * 6, 0.1 * 6, 0.05 * 14 / 4])


def test_unfinished_l2_penalty_is_named():
    """The statement: while l2_penalty still raises NotImplementedError the check
    says so."""

    def l2_penalty(W, reg):
        raise NotImplementedError

    def regularized_loss(W, X, y, reg, data_loss):
        penalty, _ = l2_penalty(W, reg)
        return data_loss(X @ W, y) + penalty

    assert_rejected(
        run_check(regularized_loss), "calls `l2_penalty`, which is not written yet"
    )


@pytest.mark.parametrize(
    "name, fn",
    [
        ("l2_penalty", lambda W, reg: [0.5 * reg * np.sum(W**2), reg * W]),
        ("l1_penalty", lambda W, reg: [reg * np.sum(np.abs(W)), reg * np.sign(W)]),
    ],
)
def test_a_list_of_penalty_and_gradient_is_accepted(name, fn):
    result = run_check(fn, exercise=name)
    assert result.passed, result.messages


def test_a_lambda_cut_to_an_int_is_not_called_a_position():
    result = run_check(
        lambda r: int(max(r, key=lambda k: (r[k][1], k))),
        exercise="select_reg_strength",
    )
    assert_rejected(result, "whole number")
