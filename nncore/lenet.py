"""LeNet-5 built from ``nncore.conv`` and the dense layers, trained with mini-batch Adam.

The network of LeCun et al. (1998) as the lectures draw it, adapted to 28 × 28 grey pictures:

    X (m, 28, 28, 1) → conv 5×5, 6 filters, pad 2 (the 28 × 28 picture padded to LeNet's 32 × 32) → ReLU
      → max pool 2×2, stride 2 → conv 5×5, 16 filters → ReLU → max pool 2×2, stride 2 → (m, 5, 5, 16)
      → flatten to 16·5·5 = 400 features per column → dense 120 ReLU → dense 84 ReLU → dense 10 softmax.

Adaptations, as in most modern re-implementations: ReLU instead of the scaled tanh, max pooling instead of
the trainable average "subsampling", every second-layer filter sees all 6 maps (the original connected each
to a chosen subset), and a softmax with the cross-entropy instead of the RBF output units.

Parameters: ``W1: (5, 5, 1, 6)``, ``b1: (1, 1, 1, 6)``, ``W2: (5, 5, 6, 16)``, ``b2: (1, 1, 1, 16)`` (convolutions) and
``W3: (120, 400)``, ``b3: (120, 1)``, ``W4: (84, 120)``, ``b4``, ``W5: (10, 84)``, ``b5`` (dense). Other sizes
(pictures, channels, units, classes) follow from the parameters' shapes.
"""

import time

import numpy as np
from tqdm.auto import trange

from nncore import activations, conv, init, layers, losses, optim

CONV_HPARAMETERS = ({"stride": 1, "pad": 2}, {"stride": 1, "pad": 0})
POOL_HPARAMETERS = {"f": 2, "stride": 2}


def initialize_lenet(seed: int | np.random.Generator | None = None, image_shape: tuple = (28, 28, 1),
                     channels: tuple = (6, 16), hidden: tuple = (120, 84), classes: int = 10, f: int = 5,
                     dtype: type = np.float64) -> dict:
    """He-initialized LeNet parameters (zero biases), drawn in order from one generator seeded by ``seed``.

    A convolution's fan-in is f·f·n_C_prev; the dense part starts at the flattened size of the second pooling.
    """
    rng = init.rng_from(seed)
    parameters, n_H, n_W, n_C_prev = {}, *image_shape
    for l, (n_C, hp) in enumerate(zip(channels, CONV_HPARAMETERS), start=1):
        fan_in = f * f * n_C_prev
        parameters[f"W{l}"] = (rng.standard_normal((f, f, n_C_prev, n_C)) * np.sqrt(2 / fan_in)).astype(dtype)
        parameters[f"b{l}"] = np.zeros((1, 1, 1, n_C), dtype=dtype)
        pool_f, pool_stride = POOL_HPARAMETERS["f"], POOL_HPARAMETERS["stride"]
        n_H = conv.output_size(conv.output_size(n_H, f, hp["pad"], hp["stride"]), pool_f, 0, pool_stride)
        n_W = conv.output_size(conv.output_size(n_W, f, hp["pad"], hp["stride"]), pool_f, 0, pool_stride)
        n_C_prev = n_C
    dense = init.initialize_parameters_deep([n_H * n_W * n_C_prev, *hidden, classes], "he", rng, dtype=dtype)
    first = len(channels)
    parameters.update({f"{k[0]}{int(k[1:]) + first}": v for k, v in dense.items()})
    return parameters


def lenet_forward(X: np.ndarray, parameters: dict) -> tuple:
    """LeNet's forward pass on ``X: (m, n_H, n_W, n_C)``: returns ``AL: (classes, m)`` and ``caches``.

    ``caches`` is a dictionary with one entry per step: ``"conv1"`` and ``"conv2"`` hold
    ``(conv_cache, Z)`` (the convolution's cache and its output before the ReLU), ``"pool1"`` and ``"pool2"``
    the pooling caches, ``"flatten"`` the shape of the pooled maps that became columns, and ``"dense3"`` …
    ``"dense5"`` the caches of ``linear_activation_forward``.
    """
    caches, A = {}, X
    for l in (1, 2):
        Z, conv_cache = conv.conv_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], CONV_HPARAMETERS[l - 1])
        caches[f"conv{l}"] = (conv_cache, Z)
        A, caches[f"pool{l}"] = conv.pool_forward(activations.relu(Z), POOL_HPARAMETERS, "max")
    caches["flatten"] = A.shape
    A = conv.flatten(A)
    for l, activation in ((3, "relu"), (4, "relu"), (5, "softmax")):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        A, caches[f"dense{l}"] = layers.linear_activation_forward(A, W, b, activation)
    return A, caches


def lenet_backward(AL: np.ndarray, Y: np.ndarray, caches: dict) -> dict:
    """Gradients of the softmax cross-entropy for LeNet, from ``AL, Y: (classes, m)`` (Y one-hot) and ``caches``.

    Starts from dZ5 = AL − Y; dense layers as in the earlier assignments; the gradient of the flattened
    columns is reshaped back to the pooled maps; then pool, ReLU and convolution backward, twice. Returns
    ``{"dW1", "db1", …, "dW5", "db5"}`` averaged over the m examples like every dW and db of the course.
    """
    grads = {}
    dA, grads["dW5"], grads["db5"] = layers.linear_backward(AL - Y, caches["dense5"][0])
    for l in (4, 3):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = layers.linear_activation_backward(dA, caches[f"dense{l}"], "relu")
    dA = conv.unflatten(dA, caches["flatten"])
    for l in (2, 1):
        conv_cache, Z = caches[f"conv{l}"]
        dZ = activations.relu_backward(conv.pool_backward(dA, caches[f"pool{l}"], "max"), Z)
        dA, grads[f"dW{l}"], grads[f"db{l}"] = conv.conv_backward(dZ, conv_cache, need_dA_prev=l > 1)
    return dict(sorted(grads.items(), key=lambda item: (int(item[0][2:]), item[0])))


def count_parameters(parameters: dict) -> int:
    """The number of learnt numbers in ``parameters``."""
    return int(sum(np.size(v) for v in parameters.values()))


def predict(X: np.ndarray, parameters: dict, batch: int = 250) -> np.ndarray:
    """The most probable class ``(1, m)`` for pictures ``X: (m, n_H, n_W, n_C)``, ``batch`` pictures at a time."""
    return np.concatenate([np.argmax(lenet_forward(X[k:k + batch], parameters)[0], axis=0)
                           for k in range(0, len(X), batch)])[None, :]


def train_lenet(X: np.ndarray, Y: np.ndarray, epochs: int, X_dev: np.ndarray | None = None,
                labels_dev: np.ndarray | None = None, learning_rate: float = 0.001, mini_batch_size: int = 64,
                seed: int | np.random.Generator = 1, progress: bool = False) -> tuple:
    """Mini-batch Adam on LeNet for ``X: (m, n_H, n_W, n_C)`` and one-hot ``Y: (classes, m)``.

    One generator seeded by ``seed`` draws the initial weights and then every epoch's shuffle. Returns
    ``(parameters, history)``; ``history`` has per epoch the training ``cost`` (mini-batch costs averaged over
    the examples), the elapsed training ``seconds`` and, with a dev set (class labels ``(1, m_dev)``),
    ``dev_accuracy``.
    """
    rng = init.rng_from(seed)
    parameters = initialize_lenet(rng, X.shape[1:], classes=Y.shape[0], dtype=X.dtype)
    v, s = optim.initialize_adam(parameters)
    history, t, seconds = {"cost": [], "seconds": [], "dev_accuracy": []}, 0, 0.0
    for _ in trange(epochs, disable=not progress, desc="LeNet epochs"):
        start, total, order = time.perf_counter(), 0.0, rng.permutation(len(X))
        for k in range(0, len(X), mini_batch_size):
            batch = order[k:k + mini_batch_size]
            AL, caches = lenet_forward(X[batch], parameters)
            total += losses.softmax_cross_entropy(AL, Y[:, batch]) * len(batch)
            t += 1
            parameters, v, s, _, _ = optim.update_parameters_with_adam(
                parameters, lenet_backward(AL, Y[:, batch], caches), v, s, t, learning_rate)
        seconds += time.perf_counter() - start
        history["cost"].append(total / len(X))
        history["seconds"].append(seconds)
        if X_dev is not None:
            history["dev_accuracy"].append(float(np.mean(predict(X_dev, parameters) == labels_dev)))
    return parameters, history
