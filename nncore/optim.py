"""Parameter updates and what feeds them: gradient descent, momentum, RMSprop, Adam, learning-rate
schedules, mini-batches and exponentially weighted averages.

Every update returns new dictionaries and leaves its inputs untouched. Optimizer state (``v``, ``s``)
uses the gradients' keys: ``v["dW1"]`` is the moving average of ``dW1``.
"""

import math

import numpy as np

from nncore.init import rng_from

Arrays = dict[str, np.ndarray]  # parameters ("W1", "b1", …), gradients and optimizer state ("dW1", "db1", …)


def update_parameters(parameters: Arrays, grads: Arrays, learning_rate: float) -> Arrays:
    """One step of gradient descent: θ ← θ − α·dθ for every key θ of ``parameters`` (``dθ`` in ``grads``).

    α takes each parameter's dtype, so float32 parameters stay float32 even for a numpy float64 α.
    """
    return {k: _step(v, grads["d" + k], learning_rate) for k, v in parameters.items()}


def _step(theta, d_theta, learning_rate):
    """θ − α·dθ in θ's float dtype (an integer θ such as a bias of 0 becomes float64).

    Computed as (−α·dθ) + θ into one new array: a second temporary of a large W costs fresh pages
    (measured 1.9 ms against 0.09 ms for a 20 × 12288 W).
    """
    dtype = _float_dtype(theta)
    step = np.multiply(d_theta, -dtype.type(learning_rate), dtype=dtype)
    step += theta
    return step


def _float_dtype(theta):
    """θ's dtype when it is a float type, else float64."""
    dtype = np.asarray(theta).dtype
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


def initialize_velocity(parameters: Arrays) -> Arrays:
    """Zeros shaped like each parameter, keyed by its gradient's name (``"dW1"``, ``"db1"``, …)."""
    return {"d" + k: np.zeros(np.shape(v), dtype=_float_dtype(v)) for k, v in parameters.items()}


def _average(state, grads, beta, square=False):
    """The exponentially weighted average β·state + (1 − β)·g (or g²) for every key of ``state``."""
    return {k: beta * s + (1 - beta) * (np.square(grads[k]) if square else grads[k]) for k, s in state.items()}


def update_parameters_with_momentum(parameters: Arrays, grads: Arrays, v: Arrays, beta: float = 0.9,
                                    learning_rate: float = 0.01) -> tuple[Arrays, Arrays]:
    """Gradient descent with momentum: v ← β·v + (1 − β)·dθ, θ ← θ − α·v. Returns ``(parameters, v)``."""
    v = _average(v, grads, beta)
    return update_parameters(parameters, v, learning_rate), v


def update_parameters_with_rmsprop(parameters: Arrays, grads: Arrays, s: Arrays, beta2: float = 0.999,
                                   learning_rate: float = 0.01, epsilon: float = 1e-8) -> tuple[Arrays, Arrays]:
    """RMSprop: s ← β₂·s + (1 − β₂)·dθ², θ ← θ − α·dθ/(√s + ε). Returns ``(parameters, s)``."""
    s = _average(s, grads, beta2, square=True)
    steps = {k: grads[k] / (np.sqrt(s[k]) + epsilon) for k in s}
    return update_parameters(parameters, steps, learning_rate), s


def initialize_adam(parameters: Arrays) -> tuple[Arrays, Arrays]:
    """Adam's two moving averages ``(v, s)``, both zeros (see ``initialize_velocity``)."""
    return initialize_velocity(parameters), initialize_velocity(parameters)


def update_parameters_with_adam(parameters: Arrays, grads: Arrays, v: Arrays, s: Arrays, t: int,
                                learning_rate: float = 0.01, beta1: float = 0.9, beta2: float = 0.999,
                                epsilon: float = 1e-8) -> tuple[Arrays, Arrays, Arrays, Arrays, Arrays]:
    """One Adam update; ``t`` counts the updates made so far *including this one* (1 for the first).

    v ← β₁·v + (1 − β₁)·dθ, s ← β₂·s + (1 − β₂)·dθ²; bias correction v̂ = v/(1 − β₁ᵗ), ŝ = s/(1 − β₂ᵗ);
    θ ← θ − α·v̂/(√ŝ + ε) with ε outside the root. The uncorrected v and s are what carry over.
    Returns ``(parameters, v, s, v_corrected, s_corrected)``.
    """
    v = _average(v, grads, beta1)
    s = _average(s, grads, beta2, square=True)
    v_corrected = {k: v[k] / (1 - beta1 ** t) for k in v}
    s_corrected = {k: s[k] / (1 - beta2 ** t) for k in s}
    steps = {k: v_corrected[k] / (np.sqrt(s_corrected[k]) + epsilon) for k in v}
    return update_parameters(parameters, steps, learning_rate), v, s, v_corrected, s_corrected


class Optimizer:
    """One of ``OPTIMIZERS`` with its state: ``step(parameters, grads, learning_rate) -> parameters``.

    The state starts at zeros on the first step and ``t`` (Adam's bias correction) counts every update,
    so in mini-batch training it advances once per mini-batch. β₂ defaults to 0.999 for Adam and 0.9 for
    RMSprop: without bias correction, RMSprop's first steps are 1/√(1 − β₂) times α (≈ 32× at 0.999).
    """

    def __init__(self, name: str = "gd", beta: float = 0.9, beta1: float = 0.9, beta2: float | None = None,
                 epsilon: float = 1e-8):
        if name not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {name!r}; choose one of {OPTIMIZERS}")
        beta2 = (0.9 if name == "rmsprop" else 0.999) if beta2 is None else beta2
        self.name, self.beta, self.beta1, self.beta2, self.epsilon = name, beta, beta1, beta2, epsilon
        self.t, self.v, self.s = 0, None, None

    def step(self, parameters: Arrays, grads: Arrays, learning_rate: float) -> Arrays:
        self.t += 1
        if self.name == "gd":
            return update_parameters(parameters, grads, learning_rate)
        if self.v is None:
            self.v, self.s = initialize_adam(parameters)
        if self.name == "momentum":
            parameters, self.v = update_parameters_with_momentum(parameters, grads, self.v, self.beta, learning_rate)
        elif self.name == "rmsprop":
            parameters, self.s = update_parameters_with_rmsprop(parameters, grads, self.s, self.beta2, learning_rate,
                                                                self.epsilon)
        else:
            parameters, self.v, self.s, _, _ = update_parameters_with_adam(
                parameters, grads, self.v, self.s, self.t, learning_rate, self.beta1, self.beta2, self.epsilon)
        return parameters


OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")


def random_mini_batches(X: np.ndarray, Y: np.ndarray, mini_batch_size: int = 64,
                        seed: int | np.random.Generator | None = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffle the m columns of ``X: (n_x, m)`` and ``Y: (C, m)`` together and cut them into mini-batches.

    Returns a list of ``(X_batch, Y_batch)``: ⌊m / size⌋ full batches, then the last partial batch of the
    remaining m mod size examples when there is one (no example is dropped). ``seed`` may be a Generator.
    """
    m = X.shape[1]
    order = rng_from(seed).permutation(m)
    X, Y = X[:, order], np.asarray(Y).reshape(-1, m)[:, order]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]


def exponentially_weighted_average(theta: np.ndarray, beta: float = 0.9, bias_correction: bool = True) -> np.ndarray:
    """v_t = β·v_{t−1} + (1 − β)·θ_t with v_0 = 0, for each t = 1 … T of the series ``theta: (T,)``.

    With ``bias_correction`` each v_t is divided by (1 − βᵗ), which lifts the early averages that
    start from 0. Returns an array ``(T,)``.
    """
    v, out = 0.0, np.empty(len(theta))
    for t, value in enumerate(theta, start=1):
        v = beta * v + (1 - beta) * value
        out[t - 1] = v / (1 - beta ** t) if bias_correction else v
    return out


def constant(learning_rate0: float, epoch: int) -> float:
    """No decay: α = α₀."""
    return learning_rate0


def inverse_time_decay(learning_rate0: float, epoch: int, decay_rate: float = 1.0, time_interval: int = 1) -> float:
    """α = α₀ / (1 + decay_rate · ⌊epoch / time_interval⌋) (every epoch when ``time_interval`` is 1)."""
    return learning_rate0 / (1 + decay_rate * (epoch // time_interval))


def exponential_decay(learning_rate0: float, epoch: int, base: float = 0.95) -> float:
    """α = base^epoch · α₀."""
    return base ** epoch * learning_rate0


def sqrt_decay(learning_rate0: float, epoch: int, k: float = 1.0) -> float:
    """α = k / √(epoch + 1) · α₀ (epochs count from 0 here, from 1 in the lecture's k/√t)."""
    return k / math.sqrt(epoch + 1) * learning_rate0


def step_decay(learning_rate0: float, epoch: int, drop: float = 0.5, every: int = 100) -> float:
    """α = α₀ · drop^⌊epoch / every⌋: the rate falls by a factor ``drop`` every ``every`` epochs."""
    return learning_rate0 * drop ** (epoch // every)


SCHEDULES = {"constant": constant, "inverse_time": inverse_time_decay, "exponential": exponential_decay,
             "sqrt": sqrt_decay, "step": step_decay}
