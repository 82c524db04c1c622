"""Chapter 7 reference: initialization, learning-rate schedules, the update-to-weight
ratio and log-uniform sampling for hyperparameter search."""

import math

import numpy as np

INIT_SCHEMES = ("xavier", "he")


def init_weights(fan_in, fan_out, scheme, rng):
    """Gaussian weights of shape (fan_in, fan_out) with mean 0 and the scheme's
    variance.

    scheme: "xavier" (Glorot), Var = 2 / (fan_in + fan_out), for tanh-like layers; or
    "he", Var = 2 / fan_in, for ReLU layers. rng: a np.random.Generator. Raises
    ValueError otherwise.
    """
    if scheme == "xavier":
        std = math.sqrt(2.0 / (fan_in + fan_out))
    elif scheme == "he":
        std = math.sqrt(2.0 / fan_in)
    else:
        raise ValueError(
            f"unknown initialization scheme {scheme!r}; expected one of {INIT_SCHEMES}"
        )
    return std * rng.standard_normal((fan_in, fan_out))


def cosine_schedule(lr0, step, total_steps, warmup_steps=0, lr_min=0.0):
    """The learning rate (a float) at ``step`` = 0, 1, 2, ...

    Linear warm-up ``lr0 * step / warmup_steps`` while step < warmup_steps, then a half
    cosine from lr0 (at step = warmup_steps) down to lr_min (at step = total_steps), and
    lr_min after that.
    """
    if step < warmup_steps:
        return lr0 * step / warmup_steps
    if step >= total_steps:
        return float(lr_min)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + math.cos(math.pi * progress))


def step_schedule(lr0, step, drop_every, factor=0.5):
    """``lr0 * factor ** (step // drop_every)``: the rate is cut by ``factor`` every
    ``drop_every`` steps."""
    return lr0 * factor ** (step // drop_every)


def exponential_schedule(lr0, step, decay):
    """``lr0 * decay ** step``: a constant factor per step (chapter 6's lr_decay
    applies it per epoch)."""
    return lr0 * decay**step


def inverse_time_schedule(lr0, step, k):
    """``lr0 / (1 + k * step)``: the 1/t decay of the stochastic approximation
    literature."""
    return lr0 / (1.0 + k * step)


def with_schedule(rule, schedule):
    """An update rule that sets ``config["learning_rate"] = schedule(t)`` before every
    step.

    rule: an update rule ``rule(w, dw, config) -> (next_w, config)`` (chapter 4).
    schedule: a function of the step count t = 0, 1, 2, ... Each parameter keeps its own
    config, so each counts its own steps, and all of them advance once per minibatch.
    Use it as ``train(..., update_rule=with_schedule(optim.sgd_momentum, lambda t:
    cosine_schedule(0.1, t, 500)))``.
    """

    def scheduled(w, dw, config=None):
        config = {} if config is None else config
        t = config.get("schedule_step", 0)
        config["learning_rate"] = schedule(t)
        config["schedule_step"] = t + 1
        return rule(w, dw, config)

    return scheduled


def update_ratio(w, dw, learning_rate):
    """``||learning_rate * dw|| / ||w||`` (Frobenius norms) as a float: how large an SGD
    step is relative to the weights it changes. w, dw: arrays of the same shape, w not
    all zero."""
    return float(np.linalg.norm(learning_rate * dw) / np.linalg.norm(w))


def sample_log_uniform(low, high, size, rng):
    """``size`` values (an array of shape (size,) or ``size``) whose natural logarithm
    is uniform on [ln low, ln high]; 0 < low < high. rng: a np.random.Generator."""
    return np.exp(rng.uniform(np.log(low), np.log(high), size=size))
