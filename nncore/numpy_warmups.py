"""Numpy warm-ups of the first week (assignment 01): the derivative of σ, an image as a column, rows scaled to length 1.

σ itself and the column-wise softmax live in ``nncore.activations``; the L1 and L2 losses in ``nncore.losses``.
"""

import numpy as np

from nncore.activations import sigmoid


def sigmoid_derivative(x: float | np.ndarray) -> float | np.ndarray:
    """σ'(x) = σ(x)(1 − σ(x)), element-wise for a number or an array of any shape."""
    s = sigmoid(x)
    return s * (1 - s)


def image2vector(image: np.ndarray) -> np.ndarray:
    """An image ``(height, width, channels)`` as one column ``(height·width·channels, 1)``.

    numpy's default (C) order: the channel changes fastest, so the first entries are the first pixel's
    R, G, B. ``image2vector(image).reshape(image.shape)`` gives the image back.
    """
    return np.reshape(image, (-1, 1))


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """Each row of ``x: (n, d)`` divided by its Euclidean (L2) norm, so every row has length 1.

    A row of zeros has no direction: it becomes NaN.
    """
    return x / np.linalg.norm(x, axis=1, keepdims=True)
