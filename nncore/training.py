"""Training an L-layer network with everything Course 2 adds: mini-batches, an optimizer, a learning-rate
schedule, L2 regularization, inverted dropout, batch norm and a softmax output.

``Trainer`` trains in chunks of epochs and lets α, λ, keep_prob, the mini-batch size and the schedule
change between chunks (the Playground turns its knobs this way); ``train`` runs a whole training and
records train and dev curves. The network itself, its forward and backward pass and its cost, is
``nncore.network``'s (``training.forward``, ``training.backward`` and ``training.cost`` are those functions).

Shapes: ``X: (n[0], m)``; ``Y: (1, m)`` 0/1 labels for a sigmoid output, one-hot ``(C, m)`` for softmax.
Parameters are ``W{l}, b{l}``; a batch-norm layer has ``W{l}, gamma{l}, beta{l}`` instead (β replaces b,
which the normalization would cancel), with running averages ``mu{l}, var{l}`` kept for prediction.
"""

from collections.abc import Callable

import numpy as np
from tqdm.auto import trange

from nncore import init, optim
from nncore.network import backward, cost, forward


class Trainer:
    """An L-layer network and its training state: parameters, optimizer, running averages, epoch count.

    ``learning_rate`` (α₀), ``schedule``, ``lambd``, ``keep_prob`` and ``mini_batch_size`` are plain
    attributes that may change between calls to ``run_epochs``. One generator seeded by ``seed`` draws the
    initial weights, then every shuffle and dropout mask, so a run is reproducible and every mini-batch
    gets a fresh mask.
    """

    def __init__(self, layer_dims: list[int], hidden: str = "relu", output: str = "sigmoid", init_method: str = "he",
                 scale: float = 0.01, optimizer: str = "gd", learning_rate: float = 0.01,
                 schedule: str | Callable[[float, int], float] = "constant", lambd: float = 0.0,
                 keep_prob: float = 1.0, mini_batch_size: int | None = None, batchnorm: bool = False,
                 seed: int | np.random.Generator | None = 1, dtype: type = np.float64, **optimizer_options):
        self.hidden, self.output = hidden, output
        self.learning_rate, self.schedule = learning_rate, schedule
        self.lambd, self.keep_prob, self.mini_batch_size = lambd, keep_prob, mini_batch_size
        self.rng = init.rng_from(seed)
        self.parameters = init.initialize_parameters_deep(layer_dims, init_method, self.rng, scale, dtype)
        self.running = {}
        if batchnorm:
            for l in range(1, len(layer_dims) - 1):
                n = (layer_dims[l], 1)
                del self.parameters[f"b{l}"]
                self.parameters[f"gamma{l}"], self.parameters[f"beta{l}"] = np.ones(n, dtype), np.zeros(n, dtype)
                self.running[f"mu{l}"], self.running[f"var{l}"] = np.zeros(n, dtype), np.ones(n, dtype)
        self.optimizer = optim.Optimizer(optimizer, **optimizer_options)
        self.epoch = 0

    def current_learning_rate(self) -> float:
        """α for the current epoch: the schedule (a name in ``optim.SCHEDULES`` or ``f(α₀, epoch)``) of α₀."""
        schedule = optim.SCHEDULES[self.schedule] if isinstance(self.schedule, str) else self.schedule
        return schedule(self.learning_rate, self.epoch)

    def run_epochs(self, X: np.ndarray, Y: np.ndarray, n: int = 1, momentum: float = 0.9) -> float:
        """Train ``n`` epochs (one pass over shuffled mini-batches each, or one full-batch step).

        Returns the last epoch's training cost: the mini-batch costs (with dropout and the L2 term)
        averaged over the examples. Batch-norm running averages move with ``momentum`` per mini-batch.
        """
        m = X.shape[1]
        keep_prob = self.keep_prob if self.keep_prob < 1 else None
        for _ in range(n):
            batches = (optim.random_mini_batches(X, Y, self.mini_batch_size, self.rng)
                       if self.mini_batch_size and self.mini_batch_size < m else [(X, Y)])
            learning_rate, total = self.current_learning_rate(), 0.0
            for X_batch, Y_batch in batches:
                AL, caches = forward(X_batch, self.parameters, self.hidden, self.output, keep_prob, self.rng)
                total += cost(AL, Y_batch, self.parameters, self.output, self.lambd, caches[-1]["Z"]) * X_batch.shape[1]
                grads = backward(AL, Y_batch, caches, self.hidden, self.lambd)
                self.parameters = self.optimizer.step(self.parameters, grads, learning_rate)
                self._update_running_averages(caches, momentum, X_batch.shape[1] / batches[0][0].shape[1])
            self.epoch += 1
        return total / m

    def _update_running_averages(self, caches: list[dict], momentum: float, weight: float) -> None:
        """Move each batch-norm layer's running μ and σ² towards this batch's, by (1 − momentum)·weight.

        ``weight`` is the batch's size relative to a full mini-batch: the statistics of a small last
        batch (8 examples after 78 batches of 64) are noisy and would otherwise count as much as any other.
        """
        step = (1 - momentum) * weight
        for l, cache in enumerate(caches, start=1):
            if "bn" in cache:
                _, _, _, mu, var = cache["bn"]
                self.running[f"mu{l}"] = self.running[f"mu{l}"] + step * (mu - self.running[f"mu{l}"])
                self.running[f"var{l}"] = self.running[f"var{l}"] + step * (var - self.running[f"var{l}"])

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """The network's output ``AL: (n[L], m)`` in prediction mode (no dropout, running BN averages)."""
        return forward(X, self.parameters, self.hidden, self.output, running=self.running)[0]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predicted labels ``(1, m)``: AL > 0.5 for a sigmoid output, the most probable class for softmax."""
        AL = self.predict_proba(X)
        return np.argmax(AL, axis=0)[None, :] if self.output == "softmax" else (AL > 0.5).astype(int)

    def evaluate(self, X: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
        """``(cost, accuracy)`` on a whole set in prediction mode: cross-entropy without the L2 term."""
        AL, caches = forward(X, self.parameters, self.hidden, self.output, running=self.running)
        labels = np.argmax(Y, axis=0) if self.output == "softmax" else Y
        predicted = np.argmax(AL, axis=0) if self.output == "softmax" else AL > 0.5
        accuracy = float(np.mean(predicted.reshape(-1) == np.reshape(labels, -1)))
        return cost(AL, Y, self.parameters, self.output, ZL=caches[-1]["Z"]), accuracy


def train(X: np.ndarray, Y: np.ndarray, layer_dims: list[int], num_epochs: int, X_dev: np.ndarray | None = None,
          Y_dev: np.ndarray | None = None, record_every: int = 1, progress: bool = False,
          **options) -> tuple[Trainer, dict[str, list]]:
    """Train a ``Trainer(layer_dims, **options)`` for ``num_epochs`` epochs; returns ``(trainer, history)``.

    ``history`` holds lists recorded every ``record_every`` epochs and after the last: ``epoch``,
    ``learning_rate``, ``cost`` (the training cost as the optimizer saw it), ``train_cost`` and
    ``train_accuracy`` (whole training set, prediction mode) and, with a dev set, ``dev_cost`` and
    ``dev_accuracy``.
    """
    trainer = Trainer(layer_dims, **options)
    history = {k: [] for k in ("epoch", "learning_rate", "cost", "train_cost", "train_accuracy")}
    if X_dev is not None:
        history.update(dev_cost=[], dev_accuracy=[])
    for epoch in trange(num_epochs, disable=not progress, desc="training"):
        learning_rate = trainer.current_learning_rate()
        training_cost = trainer.run_epochs(X, Y)
        if epoch % record_every == 0 or epoch == num_epochs - 1:
            history["epoch"].append(epoch + 1)
            history["learning_rate"].append(learning_rate)
            history["cost"].append(training_cost)
            for name, X_set, Y_set in (("train", X, Y), ("dev", X_dev, Y_dev)):
                if X_set is not None:
                    set_cost, set_accuracy = trainer.evaluate(X_set, Y_set)
                    history[f"{name}_cost"].append(set_cost)
                    history[f"{name}_accuracy"].append(set_accuracy)
    return trainer, history
