"""Training an L-layer network with everything Course 2 adds: mini-batches, an optimizer, a learning-rate
schedule, L2 regularization, inverted dropout, batch norm and a softmax output.

``Trainer`` trains in chunks of epochs and lets α, λ, keep_prob, the mini-batch size and the schedule
change between chunks (the Playground turns its knobs this way); ``train`` runs a whole training and
records train and dev curves.

Shapes: ``X: (n[0], m)``; ``Y: (1, m)`` 0/1 labels for a sigmoid output, one-hot ``(C, m)`` for softmax.
Parameters are ``W{l}, b{l}``; a batch-norm layer has ``W{l}, gamma{l}, beta{l}`` instead (β replaces b,
which the normalization would cancel), with running averages ``mu{l}, var{l}`` kept for prediction.
"""

import numpy as np
from tqdm.auto import trange

from nncore import activations, init, layers, losses, optim


def forward(X, parameters, hidden="relu", output="sigmoid", keep_prob=1.0, rng=None, running=None):
    """Forward propagation; returns ``(AL: (n[L], m), caches)``.

    Training mode is ``rng`` given: dropout (when ``keep_prob < 1``) masks every hidden layer's
    activations with draws from ``rng``, and batch-norm layers use this batch's statistics. Prediction
    mode (``rng=None``) uses no dropout and the running averages in ``running`` for batch norm.
    """
    L = sum(1 for k in parameters if k.startswith("W"))
    A, caches = X, []
    for l in range(1, L + 1):
        W = parameters[f"W{l}"]
        cache = {"A_prev": A, "W": W}
        if f"gamma{l}" in parameters:
            gamma, beta = parameters[f"gamma{l}"], parameters[f"beta{l}"]
            if rng is None:
                Z = layers.batchnorm_inference(W @ A, gamma, beta, running[f"mu{l}"], running[f"var{l}"])
            else:
                Z, cache["bn"] = layers.batchnorm_forward(W @ A, gamma, beta)
        else:
            Z, _ = layers.linear_forward(A, W, parameters[f"b{l}"])
        g, _ = activations.get(hidden if l < L else output)
        A, cache["Z"] = g(Z), Z
        if l < L and rng is not None and keep_prob < 1:
            A, cache["dropout"] = layers.dropout_forward(A, keep_prob, rng)
        caches.append(cache)
    return A, caches


def backward(AL, Y, caches, hidden="relu", lambd=0.0):
    """Gradients ``dW{l}`` and ``db{l}`` (or ``dgamma{l}``, ``dbeta{l}``) for every layer.

    The output layer starts from dZ[L] = AL − Y, the derivative of sigmoid + binary cross-entropy and of
    softmax + cross-entropy alike. L2 adds (λ/m)·W[l] to each dW[l].
    """
    m = AL.shape[1]
    dZ, grads = AL - Y, {}
    for l in range(len(caches), 0, -1):
        cache = caches[l - 1]
        if l < len(caches):
            if "dropout" in cache:
                dA = layers.dropout_backward(dA, cache["dropout"])
            dZ = activations.get(hidden)[1](dA, cache["Z"])
            if "bn" in cache:
                dZ, grads[f"dgamma{l}"], grads[f"dbeta{l}"] = layers.batchnorm_backward(dZ, cache["bn"])
        dA, dW, db = layers.linear_backward(dZ, (cache["A_prev"], cache["W"], None), need_dA_prev=l > 1)
        grads[f"dW{l}"] = dW + (lambd / m) * cache["W"] if lambd else dW
        if "bn" not in cache:
            grads[f"db{l}"] = db
    return grads


def cost(AL, Y, parameters, output="sigmoid", lambd=0.0, ZL=None):
    """The cross-entropy of ``AL`` against ``Y`` plus the L2 term (λ/2m)·Σ‖W[l]‖²_F.

    Given the output layer's ``ZL`` too, the cross-entropy is computed from it (``losses.*_from_logits``):
    exact where AL rounds to 0 or 1, so a confidently wrong prediction never makes the cost inf.
    """
    if ZL is None:
        loss = losses.softmax_cross_entropy(AL, Y) if output == "softmax" else losses.binary_cross_entropy(AL, Y)
    else:
        loss = (losses.softmax_cross_entropy_from_logits if output == "softmax"
                else losses.binary_cross_entropy_from_logits)(ZL, Y)
    return loss + (losses.l2_penalty(parameters, lambd, Y.shape[1]) if lambd else 0.0)


class Trainer:
    """An L-layer network and its training state: parameters, optimizer, running averages, epoch count.

    ``learning_rate`` (α₀), ``schedule``, ``lambd``, ``keep_prob`` and ``mini_batch_size`` are plain
    attributes that may change between calls to ``run_epochs``. One generator seeded by ``seed`` draws the
    initial weights, then every shuffle and dropout mask, so a run is reproducible and every mini-batch
    gets a fresh mask.
    """

    def __init__(self, layer_dims, hidden="relu", output="sigmoid", init_method="he", scale=0.01,
                 optimizer="gd", learning_rate=0.01, schedule="constant", lambd=0.0, keep_prob=1.0,
                 mini_batch_size=None, batchnorm=False, seed=1, dtype=np.float64, **optimizer_options):
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

    def current_learning_rate(self):
        """α for the current epoch: the schedule (a name in ``optim.SCHEDULES`` or ``f(α₀, epoch)``) of α₀."""
        schedule = optim.SCHEDULES[self.schedule] if isinstance(self.schedule, str) else self.schedule
        return schedule(self.learning_rate, self.epoch)

    def run_epochs(self, X, Y, n=1, momentum=0.9):
        """Train ``n`` epochs (one pass over shuffled mini-batches each, or one full-batch step).

        Returns the last epoch's training cost: the mini-batch costs (with dropout and the L2 term)
        averaged over the examples. Batch-norm running averages move with ``momentum`` per mini-batch.
        """
        m = X.shape[1]
        for _ in range(n):
            batches = (optim.random_mini_batches(X, Y, self.mini_batch_size, self.rng)
                       if self.mini_batch_size and self.mini_batch_size < m else [(X, Y)])
            learning_rate, total = self.current_learning_rate(), 0.0
            for X_batch, Y_batch in batches:
                AL, caches = forward(X_batch, self.parameters, self.hidden, self.output, self.keep_prob, self.rng)
                total += cost(AL, Y_batch, self.parameters, self.output, self.lambd, caches[-1]["Z"]) * X_batch.shape[1]
                grads = backward(AL, Y_batch, caches, self.hidden, self.lambd)
                self.parameters = self.optimizer.step(self.parameters, grads, learning_rate)
                self._update_running_averages(caches, momentum, X_batch.shape[1] / batches[0][0].shape[1])
            self.epoch += 1
        return total / m

    def _update_running_averages(self, caches, momentum, weight):
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

    def predict_proba(self, X):
        """The network's output ``AL: (n[L], m)`` in prediction mode (no dropout, running BN averages)."""
        return forward(X, self.parameters, self.hidden, self.output, running=self.running)[0]

    def predict(self, X):
        """Predicted labels ``(1, m)``: AL > 0.5 for a sigmoid output, the most probable class for softmax."""
        AL = self.predict_proba(X)
        return np.argmax(AL, axis=0)[None, :] if self.output == "softmax" else (AL > 0.5).astype(int)

    def evaluate(self, X, Y):
        """``(cost, accuracy)`` on a whole set in prediction mode: cross-entropy without the L2 term."""
        AL, caches = forward(X, self.parameters, self.hidden, self.output, running=self.running)
        labels = np.argmax(Y, axis=0) if self.output == "softmax" else Y
        predicted = np.argmax(AL, axis=0) if self.output == "softmax" else AL > 0.5
        accuracy = float(np.mean(predicted.reshape(-1) == np.reshape(labels, -1)))
        return cost(AL, Y, self.parameters, self.output, ZL=caches[-1]["Z"]), accuracy


def train(X, Y, layer_dims, num_epochs, X_dev=None, Y_dev=None, record_every=1, progress=False, **options):
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
