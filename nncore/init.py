"""Parameter initialization for an L-layer network described by ``layer_dims = [n[0], …, n[L]]``."""

import numpy as np

METHODS = ("zeros", "random", "xavier", "he")


def rng_from(seed: int | np.random.Generator | None) -> np.random.Generator:
    """A ``numpy.random.Generator`` from a seed, ``None`` (fresh entropy) or an existing Generator."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def initialize_parameters_deep(layer_dims: list[int], method: str = "he", seed: int | np.random.Generator | None = None,
                               scale: float = 0.01, dtype: type = np.float64) -> dict[str, np.ndarray]:
    """Weights ``W{l}: (n[l], n[l-1])`` and zero biases ``b{l}: (n[l], 1)`` for l = 1 … L.

    method:
      ``"zeros"``  every weight 0 (shows why symmetry must be broken),
      ``"random"`` N(0, 1) × ``scale`` (the lecture's 0.01·randn; try ``scale=10`` to explode),
      ``"xavier"`` N(0, 1) × √(1/n[l-1]),
      ``"he"``     N(0, 1) × √(2/n[l-1]) (suits ReLU).
    Weights are drawn layer by layer, in order, from one generator seeded by ``seed``.
    """
    if method not in METHODS:
        raise ValueError(f"unknown initialization {method!r}; choose one of {METHODS}")
    rng = rng_from(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        if method == "zeros":
            parameters[f"W{l}"] = np.zeros((n, n_prev), dtype=dtype)
        else:
            factor = {"random": scale, "xavier": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[method]
            parameters[f"W{l}"] = (rng.standard_normal((n, n_prev)) * factor).astype(dtype, copy=False)
        parameters[f"b{l}"] = np.zeros((n, 1), dtype=dtype)
    return parameters
