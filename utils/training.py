"""The one training loop every model in the course is trained with.

A model has ``params`` (dict of arrays) and ``loss(X, y=None)`` (see
``utils.reference.models``).
"""

from dataclasses import dataclass, field

import numpy as np

from .reference import optim


@dataclass
class TrainingHistory:
    """What happened during training: one loss per iteration, accuracies once per
    epoch."""

    loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    val_acc: list = field(default_factory=list)
    best_val_acc: float = -1.0
    best_epoch: int = 0


def evaluate_accuracy(model, X, y, batch_size=500):
    """Fraction of rows of X (N, ...) whose highest score is the label y (N,)."""
    correct = 0
    for start in range(0, X.shape[0], batch_size):
        scores = model.loss(X[start : start + batch_size])
        correct += int(
            np.sum(np.argmax(scores, axis=1) == y[start : start + batch_size])
        )
    return correct / X.shape[0]


def train(
    model,
    X_train,
    y_train,
    X_val,
    y_val,
    update_rule="sgd",
    optim_config=None,
    lr_decay=1.0,
    num_epochs=10,
    batch_size=100,
    seed=0,
    verbose=False,
    keep_best=True,
):
    """Minibatch training with an update rule from chapter 4.

    update_rule: a name in ``utils.reference.optim`` ("sgd", "sgd_momentum", "adagrad",
    "rmsprop", "adam") or a function ``rule(w, dw, config) -> (next_w, config)``. Each
    parameter keeps its own config copy. After every epoch the learning rate is
    multiplied by ``lr_decay`` and the parameters with the best validation accuracy so
    far are remembered (the first epoch reaching it); at the end the model is left
    holding them, or its final parameters if ``keep_best`` is False. Returns a
    ``TrainingHistory``.
    """
    rule = getattr(optim, update_rule) if isinstance(update_rule, str) else update_rule
    configs = {name: dict(optim_config or {}) for name in model.params}
    rng = np.random.default_rng(seed)
    history = TrainingHistory()
    best_params = {k: v.copy() for k, v in model.params.items()}
    N = X_train.shape[0]
    for epoch in range(1, num_epochs + 1):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            idx = order[start : start + batch_size]
            loss, grads = model.loss(X_train[idx], y_train[idx])
            history.loss.append(float(loss))
            for name, value in model.params.items():
                model.params[name], configs[name] = rule(
                    value, grads[name], configs[name]
                )
        for config in configs.values():
            if "learning_rate" in config:
                config["learning_rate"] *= lr_decay
        train_idx = rng.choice(N, size=min(N, 1000), replace=False)
        history.train_acc.append(
            evaluate_accuracy(model, X_train[train_idx], y_train[train_idx])
        )
        history.val_acc.append(evaluate_accuracy(model, X_val, y_val))
        if history.val_acc[-1] > history.best_val_acc:
            history.best_val_acc, history.best_epoch = history.val_acc[-1], epoch
            best_params = {k: v.copy() for k, v in model.params.items()}
        if verbose:
            print(
                f"epoch {epoch:3d}  loss {history.loss[-1]:.4f}  "
                f"train {history.train_acc[-1]:.3f}  val {history.val_acc[-1]:.3f}"
            )
    if keep_best:
        model.params = best_params
    return history
