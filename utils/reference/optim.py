"""Chapter 4 reference: update rules.

Every rule has the signature ``rule(w, dw, config=None) -> (next_w, config)``. ``w`` and
``dw`` are arrays of the same shape; ``config`` holds the hyperparameters and the rule's
state (velocity, caches, moments) so that the next call can continue where this one
stopped.
"""

import numpy as np


def sgd(w, dw, config=None):
    """Vanilla step ``w - learning_rate * dw``. Config: learning_rate=1e-2."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    """Momentum: ``v = momentum * v - lr * dw; w += v``.

    Config: learning_rate=1e-2, momentum=0.9, velocity (zeros like w).
    """
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def adagrad(w, dw, config=None):
    """Adagrad: per-parameter rates from the accumulated squared gradient.

    Config: learning_rate=1e-2, epsilon=1e-8, cache (zeros like w).
    """
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache", np.zeros_like(w)) + dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (
        np.sqrt(cache) + config["epsilon"]
    ), config


def rmsprop(w, dw, config=None):
    """RMSProp: a leaky average of squared gradients instead of Adagrad's sum.

    Config: learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8, cache (zeros like w).
    """
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    decay = config["decay_rate"]
    cache = decay * config.get("cache", np.zeros_like(w)) + (1 - decay) * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (
        np.sqrt(cache) + config["epsilon"]
    ), config


def adam(w, dw, config=None):
    """Adam with bias correction; ``t`` is incremented before it is used.

    Config: learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, m, v (zeros like
    w), t=0.
    """
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    return w - config["learning_rate"] * m_hat / (
        np.sqrt(v_hat) + config["epsilon"]
    ), config
