"""Structuring a machine-learning project: metrics, choosing a model, diagnosing the biggest gap, error
analysis, multi-task learning with missing labels, and the small tools the lesson's experiments need.

Shapes follow the course: predictions and labels ``Y_hat, Y: (1, m)``, multi-task outputs and labels
``AL, Y: (n_labels, m)`` (one row per label, one column per example). Error rates are fractions in [0, 1].
"""

import time
from collections.abc import Callable

import numpy as np

from nncore import network, training

# ---- a single-number evaluation metric ------------------------------------------------------------------


def precision_recall_f1(Y_hat: np.ndarray, Y: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of 0/1 predictions ``Y_hat: (1, m)`` against 0/1 labels ``Y: (1, m)``.

    precision = TP / (TP + FP) (of the examples predicted positive, the fraction that are positive),
    recall = TP / (TP + FN) (of the positive examples, the fraction found), F1 = 2·P·R / (P + R) (their
    harmonic mean). The 0/0 cases are defined as 0: precision when nothing is predicted positive, recall
    when there is no positive example, F1 when P + R = 0. Labels may be uint8 (no arithmetic that wraps).
    Returns three floats ``(precision, recall, f1)``.
    """
    Y_hat = np.asarray(Y_hat, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    true_positives = float(np.sum(Y_hat * Y))
    predicted_positives, actual_positives = float(np.sum(Y_hat)), float(np.sum(Y))
    precision = true_positives / predicted_positives if predicted_positives else 0.0
    recall = true_positives / actual_positives if actual_positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# ---- optimizing and satisficing metrics ------------------------------------------------------------------


def choose_model(names: list[str], dev_f1: list[float], times: list[float], max_time: float) -> str | None:
    """The name of the model with the highest dev F1 among those whose prediction time is ≤ ``max_time``.

    ``names``, ``dev_f1`` and ``times`` are lists of the same length (times in any unit, ``max_time`` in the
    same one). F1 is the optimizing metric, time the satisficing one: a model exactly at the budget
    qualifies. Two qualifying models with the same F1: the faster one (then the first). No model within
    the budget: ``None``.
    """
    qualifying = [i for i, t in enumerate(times) if t <= max_time]
    if not qualifying:
        return None
    best = min(qualifying, key=lambda i: (-dev_f1[i], times[i], i))
    return names[best]


def prediction_time(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray, repeats: int = 20) -> float:
    """The time ``predict(X)`` takes, in milliseconds: the fastest of ``repeats`` calls (the least disturbed
    by whatever else the machine is doing), after one warm-up call."""
    predict(X)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        predict(X)
        best = min(best, time.perf_counter() - start)
    return 1000 * best


# ---- bias, variance, data mismatch -----------------------------------------------------------------------

GAPS = ("avoidable bias", "variance", "data mismatch", "overfitting to dev")

WHAT_TO_TRY = {
    "avoidable bias": "a bigger network, training longer or with a better optimizer (Adam), another architecture",
    "variance": "more training data, regularization (L2, dropout, data augmentation), another architecture",
    "data mismatch": "error analysis of train-dev vs dev, training data made more like the dev data "
                     "(collect it, or synthesize it), another architecture",
    "overfitting to dev": "a bigger dev set (the dev set was used so often that the choices fit its noise)",
}


def gaps(human: float, train: float, train_dev: float, dev: float, test: float) -> tuple[float, ...]:
    """The four gaps between neighbouring error levels, in the order of ``GAPS`` (a tuple of floats).

    avoidable bias = train − human (human-level error stands in for the Bayes error), variance =
    train-dev − train, data mismatch = dev − train-dev, overfitting to dev = test − dev.
    """
    return train - human, train_dev - train, dev - train_dev, test - dev


def diagnose(human: float, train: float, train_dev: float, dev: float, test: float) -> str:
    """The name (one of ``GAPS``) of the biggest gap between neighbouring error levels; the first on a tie.

    Errors are fractions: human-level, training, training-dev (unseen examples from the training
    distribution), dev and test error. ``WHAT_TO_TRY[name]`` says what to work on.
    """
    values = gaps(human, train, train_dev, dev, test)
    return GAPS[int(np.argmax(values))]


# ---- error analysis ------------------------------------------------------------------------------------


def error_analysis(tags: list[list[str]]) -> list[tuple[str, float]]:
    """The share of the examples that carry each tag, most frequent first.

    ``tags``: one list of (distinct) tag strings per misclassified example; an example may carry several
    tags or none. Returns a list of ``(tag, percent)`` pairs, percent = 100 · (examples with the tag) /
    (number of examples), sorted by percent, largest first, ties in alphabetical order of the tag. The
    percentages may add up to more than 100. No examples: an empty list.
    """
    m = len(tags)
    counts = {}
    for example in tags:
        for tag in set(example):
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(((tag, 100.0 * n / m) for tag, n in counts.items()), key=lambda pair: (-pair[1], pair[0]))


# ---- multi-task learning -------------------------------------------------------------------------------


MISSING = -1


def multitask_cost(AL: np.ndarray, Y: np.ndarray) -> float:
    """The multi-task cost J = (1/m) Σᵢ Σⱼ 𝓛(a_j⁽ⁱ⁾, y_j⁽ⁱ⁾), summed over the labels that are present.

    ``AL: (n_labels, m)`` sigmoid outputs; ``Y: (n_labels, m)`` labels 0/1, or ``MISSING`` (−1) where a label
    is missing (a missing label contributes nothing). 𝓛 is the logistic loss −[y·log a + (1 − y)·log(1 − a)];
    m counts every example, also one whose labels are all missing. Returns a float.
    """
    Y = np.asarray(Y, dtype=np.float64)
    AL = np.asarray(AL, dtype=np.float64)
    with np.errstate(divide="ignore"):
        loss = -(np.log(AL, where=Y == 1, out=np.zeros_like(AL)) + np.log(1 - AL, where=Y == 0, out=np.zeros_like(AL)))
    return float(np.sum(loss) / Y.shape[1])


def multitask_targets(AL: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """``Y`` with every missing label (``MISSING``) replaced by the network's own output ``AL``.

    Backprop starts from dZ = AL − Y, so a missing label then sends no gradient: training on these targets
    follows the gradient of ``multitask_cost`` exactly.
    """
    return np.where(Y == MISSING, AL, Y)


def train_multitask(X: np.ndarray, Y: np.ndarray, layer_dims: list[int], num_epochs: int, learning_rate: float = 0.01,
                    seed: int = 1, optimizer: str = "adam") -> training.Trainer:
    """Train one network with ``layer_dims[-1] = n_labels`` sigmoid outputs on labels ``Y: (n_labels, m)``
    with ``MISSING`` (−1) for missing ones (full batch); returns the ``training.Trainer`` (its ``predict_proba``
    gives AL)."""
    trainer = training.Trainer(layer_dims, optimizer=optimizer, learning_rate=learning_rate, seed=seed)
    for _ in range(num_epochs):
        AL, caches = network.forward(X, trainer.parameters)
        grads = network.backward(AL, multitask_targets(AL, Y), caches)
        trainer.parameters = trainer.optimizer.step(trainer.parameters, grads, learning_rate)
        trainer.epoch += 1
    return trainer


# ---- data from another distribution, transfer learning ---------------------------------------------------


def phone_camera(images: np.ndarray, seed: int | np.random.Generator = 0, shift: int = 1, contrast: float = 0.6,
                 noise: float = 0.15) -> np.ndarray:
    """Pictures as a cheap phone camera might take them: ``images: (m, h, w)`` with values in [0, 1], each
    moved by a random whole number of pixels (at most ``shift``, each way, wrapping around), its contrast
    scaled by ``contrast`` and Gaussian noise of standard deviation ``noise`` added, clipped to [0, 1].
    Returns the columns ``X: (h·w, m)``. ``seed`` may be a Generator."""
    rng = np.random.default_rng(seed)
    m, h, w = images.shape
    moves = rng.integers(-shift, shift + 1, size=(m, 2))
    rows = (np.arange(h)[None, :] - moves[:, :1]) % h
    cols = (np.arange(w)[None, :] - moves[:, 1:]) % w
    moved = images[np.arange(m)[:, None, None], rows[:, :, None], cols[:, None, :]]
    taken = contrast * moved + noise * rng.standard_normal(moved.shape)
    return np.clip(taken, 0, 1).reshape(m, -1).T


def hidden_features(parameters: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """The last hidden layer's activations of a ReLU network: ``X: (n[0], m)`` → ``A[L-1]: (n[L-1], m)``
    (all layers but the output one), the features a trained network passes to its output layer."""
    _, caches = network.forward(X, parameters)
    return caches[-1]["A_prev"]
