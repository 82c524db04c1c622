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


# Published reference values: the layer tests of CS231n's assignment 2
# (FullyConnectedNets), which fix their inputs with np.linspace so that the expected
# outputs can be printed in the assignment.


def test_affine_forward_matches_the_published_values():
    from utils.reference import affine_forward

    input_shape, output_dim = (4, 5, 6), 3
    x = np.linspace(-0.1, 0.5, num=2 * 120).reshape(2, *input_shape)
    w = np.linspace(-0.2, 0.3, num=120 * output_dim).reshape(120, output_dim)
    b = np.linspace(-0.3, 0.1, num=output_dim)
    out, _ = affine_forward(x, w, b)
    assert np.allclose(
        out,
        [[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]],
        rtol=1e-7,
    )


def test_relu_forward_matches_the_published_values():
    from utils.reference import relu_forward

    out, _ = relu_forward(np.linspace(-0.5, 0.5, num=12).reshape(3, 4))
    assert np.allclose(
        out,
        [
            [0, 0, 0, 0],
            [0, 0, 0.04545455, 0.13636364],
            [0.22727273, 0.31818182, 0.40909091, 0.5],
        ],
        rtol=1e-6,
    )


def test_two_layer_net_matches_the_published_scores_and_losses():
    from utils.reference import TwoLayerNet

    N, D, H, C = 3, 5, 50, 7
    model = TwoLayerNet(input_dim=D, hidden_dim=H, num_classes=C, weight_scale=1e-3)
    model.params["W1"] = np.linspace(-0.7, 0.3, num=D * H).reshape(D, H)
    model.params["b1"] = np.linspace(-0.1, 0.9, num=H)
    model.params["W2"] = np.linspace(-0.3, 0.4, num=H * C).reshape(H, C)
    model.params["b2"] = np.linspace(-0.9, 0.1, num=C)
    X = np.linspace(-5.5, 4.5, num=N * D).reshape(D, N).T
    scores = model.loss(X)
    assert np.allclose(
        scores,
        [
            [
                11.53165108,
                12.2917344,
                13.05181771,
                13.81190102,
                14.57198434,
                15.33206765,
                16.09215096,
            ],
            [
                12.05769098,
                12.74614105,
                13.43459113,
                14.1230412,
                14.81149128,
                15.49994135,
                16.18839143,
            ],
            [
                12.58373087,
                13.20054771,
                13.81736455,
                14.43418138,
                15.05099822,
                15.66781506,
                16.2846319,
            ],
        ],
        rtol=1e-7,
    )
    y = np.array([0, 5, 1])
    assert np.isclose(model.loss(X, y)[0], 3.4702243556, rtol=1e-9)
    model.reg = 1.0
    assert np.isclose(model.loss(X, y)[0], 26.5948426952, rtol=1e-9)
