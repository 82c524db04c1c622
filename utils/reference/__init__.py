"""Reference implementations of every exercise, and the models built from them.

A notebook falls back to these when an exercise is not finished yet, and the checks
compare a learner's function against them. Grouped by the chapter that introduces them.
"""

from ..gradient_check import eval_numerical_gradient as numerical_gradient
from .autograd import Value
from .fc_net import FullyConnectedNet
from .layers import (
    affine_backward,
    affine_forward,
    affine_relu_backward,
    affine_relu_forward,
    dropout_backward,
    dropout_forward,
    leaky_relu_backward,
    leaky_relu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)
from .linear import (
    accuracy,
    bias_trick,
    center_data,
    linear_scores,
    predict_labels,
    top_k_accuracy,
)
from .linear_classifier import linear_softmax_loss, linear_svm_loss, minibatch_sgd
from .losses import (
    cross_entropy_loss,
    log_softmax,
    sigmoid,
    softmax,
    softmax_loss,
    svm_loss,
    svm_loss_naive,
    svm_loss_vectorized,
)
from .models import LinearClassifier, TwoLayerNet
from .optim import adagrad, adam, rmsprop, sgd, sgd_momentum
from .practice import (
    cosine_schedule,
    exponential_schedule,
    init_weights,
    inverse_time_schedule,
    sample_log_uniform,
    step_schedule,
    update_ratio,
    with_schedule,
)
from .regularization import (
    l1_penalty,
    l2_penalty,
    regularized_loss,
    select_reg_strength,
)

__all__ = [name for name in dir() if not name.startswith("_")]
