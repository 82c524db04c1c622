"""Edge cases of the reference layers that no chapter's check exercises."""
import numpy as np

from utils.reference import dropout_backward, dropout_forward


def test_dropout_with_p_one_drops_everything_without_nan():
    x = np.ones((3, 4))
    out, cache = dropout_forward(x, {"p": 1.0, "mode": "train", "seed": 0})
    assert np.array_equal(out, np.zeros_like(x))
    assert np.array_equal(dropout_backward(np.ones_like(x), cache), np.zeros_like(x))


def test_dropout_is_identity_at_test_time_and_unbiased_at_train_time():
    x = np.ones((200, 500))
    out, _ = dropout_forward(x, {"p": 0.3, "mode": "test"})
    assert np.array_equal(out, x)
    out, _ = dropout_forward(x, {"p": 0.3, "mode": "train", "seed": 1})
    assert abs(out.mean() - 1) < 0.01 and abs((out == 0).mean() - 0.3) < 0.01
