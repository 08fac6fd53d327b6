"""Recurrent networks in the lecture's Course-5 notation: the basic RNN, the LSTM, clipping and sampling.

Shapes: inputs ``x: (n_x, m, T_x)`` (column ``x[:, :, t]`` is step t of every example), hidden states
``a: (n_a, m, T_x)``, outputs ``y_pred: (n_y, m, T_x)``. The basic RNN's parameters are ``Wax (n_a, n_x)``,
``Waa (n_a, n_a)``, ``Wya (n_y, n_a)``, ``ba (n_a, 1)``, ``by (n_y, 1)``:

    a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba),      ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by)   (softmax over axis 0).

The LSTM's gates act on the stacked ``[a⟨t−1⟩; x⟨t⟩]`` of shape ``(n_a + n_x, m)``: ``Wf, Wi, Wc, Wo
(n_a, n_a + n_x)`` with biases ``bf, bi, bc, bo (n_a, 1)``, and ``Wy (n_y, n_a)``, ``by (n_y, 1)``.

Two versions of the RNN live side by side. ``rnn_forward`` / ``rnn_backward`` are the loops the notebook
teaches, one cell call per step with Course 5's caches. ``rnn_sequence_forward`` / ``rnn_sequence_backward``
compute the same numbers faster: the products with ``Wax`` for all steps in one matrix product, only the
recurrence ``Waa a⟨t−1⟩`` in the per-step loop. Backward passes take ``da``, the gradient of the loss with
respect to each hidden state from above (the outputs), and return the gradients of that loss: no 1/m here
(a loss that averages over the examples puts its 1/m into ``da``).
"""

from collections.abc import Callable, Iterable, Iterator

import numpy as np

from nncore import optim
from nncore.activations import sigmoid, softmax, tanh
from nncore.init import rng_from

RNN_KEYS = ("Wax", "Waa", "ba")
LSTM_KEYS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")


# ---- the basic RNN, step by step (the loops the notebook teaches) --------------------------------------------

def rnn_cell_forward(xt: np.ndarray, a_prev: np.ndarray, parameters: dict) -> tuple:
    """One step: ``xt: (n_x, m)``, ``a_prev: (n_a, m)`` → ``(a_next (n_a, m), yt_pred (n_y, m), cache)``.

    a_next = tanh(Waa·a_prev + Wax·xt + ba), yt_pred = softmax(Wya·a_next + by) column by column;
    ``cache = (a_next, a_prev, xt, parameters)``.
    """
    p = parameters
    a_next = tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt_pred = softmax(p["Wya"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x: np.ndarray, a0: np.ndarray, parameters: dict) -> tuple:
    """The whole sequence: ``x: (n_x, m, T_x)``, ``a0: (n_a, m)`` → ``(a, y_pred, caches)``.

    ``a: (n_a, m, T_x)`` holds a⟨1⟩ … a⟨T_x⟩, ``y_pred: (n_y, m, T_x)``; ``caches = (list of the T_x cell
    caches, x)``.
    """
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches, a_next = [], a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def rnn_cell_backward(da_next: np.ndarray, cache: tuple) -> dict:
    """One step back: ``da_next: (n_a, m)`` is ∂L/∂a_next → ``{"dxt", "da_prev", "dWax", "dWaa", "dba"}``.

    dz = da_next ⊙ (1 − a_next²) (tanh' written with the cell's own output), then dxt = Waxᵀ·dz,
    da_prev = Waaᵀ·dz, dWax = dz·xtᵀ, dWaa = dz·a_prevᵀ, dba = Σ over the examples of dz.
    """
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next ** 2)
    return {"dxt": parameters["Wax"].T @ dz, "da_prev": parameters["Waa"].T @ dz, "dWax": dz @ xt.T,
            "dWaa": dz @ a_prev.T, "dba": np.sum(dz, axis=1, keepdims=True)}


def rnn_backward(da: np.ndarray, caches: tuple) -> dict:
    """Backpropagation through time: ``da: (n_a, m, T_x)`` (∂L/∂a⟨t⟩ from the outputs) → ``{"dx", "da0",
    "dWax", "dWaa", "dba"}``.

    Walking from t = T_x − 1 down to 0, step t receives da[:, :, t] plus the gradient its successor sent
    back; the parameter gradients add up over the steps.
    """
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    p = cell_caches[0][3]
    dx = np.zeros(x.shape)
    grads = {"dWax": np.zeros(p["Wax"].shape), "dWaa": np.zeros(p["Waa"].shape), "dba": np.zeros(p["ba"].shape)}
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = rnn_cell_backward(da[:, :, t] + da_prev, cell_caches[t])
        dx[:, :, t], da_prev = step["dxt"], step["da_prev"]
        for key in grads:
            grads[key] = grads[key] + step[key]
    return {"dx": dx, "da0": da_prev, **grads}


# ---- the basic RNN, fast: every input product at once, only the recurrence in the loop -------------------------

def rnn_sequence_forward(x: np.ndarray, a0: np.ndarray, parameters: dict) -> tuple:
    """The hidden states of ``rnn_forward`` (no outputs): ``x: (n_x, m, T_x)`` → ``(a (n_a, m, T_x), cache)``.

    Works in the dtype of ``x`` (float32 stays float32). Internally time sits in the middle, ``(n, T_x, m)``,
    so that every step's slice is a matrix BLAS can use in place.
    """
    Wax, Waa, ba = (parameters[k] for k in RNN_KEYS)
    n_x, m, T_x = x.shape
    n_a = Waa.shape[0]
    x_tm = np.ascontiguousarray(x.transpose(0, 2, 1))                   # (n_x, T_x, m)
    z = (Wax @ x_tm.reshape(n_x, T_x * m)).reshape(n_a, T_x, m)
    z += ba[:, :, None]
    states = np.empty((n_a, T_x + 1, m), dtype=z.dtype)                 # states[:, t] is a⟨t⟩, a⟨0⟩ = a0
    states[:, 0] = a0
    for t in range(T_x):
        step = Waa @ states[:, t]
        step += z[:, t]
        np.tanh(step, out=states[:, t + 1])
    return states[:, 1:].transpose(0, 2, 1), (x_tm, states, parameters)


def rnn_sequence_backward(da: np.ndarray, cache: tuple) -> dict:
    """``rnn_backward`` for the cache of ``rnn_sequence_forward``: the same ``{"dx", "da0", "dWax", "dWaa",
    "dba"}``, with the parameter gradients as single matrix products over all steps."""
    x_tm, states, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    n_a, T_plus_1, m = states.shape
    T_x, n_x = T_plus_1 - 1, x_tm.shape[0]
    dz = 1 - np.square(states[:, 1:])                                   # tanh' at every step, (n_a, T_x, m)
    da_tm = da.transpose(0, 2, 1)
    carried = np.zeros((n_a, m), dtype=dz.dtype)
    for t in reversed(range(T_x)):
        carried += da_tm[:, t]
        np.multiply(dz[:, t], carried, out=dz[:, t])
        carried = Waa.T @ dz[:, t]
    dz_flat = dz.reshape(n_a, T_x * m)
    return {"dx": (Wax.T @ dz_flat).reshape(n_x, T_x, m).transpose(0, 2, 1), "da0": carried,
            "dWax": dz_flat @ x_tm.reshape(n_x, T_x * m).T,
            "dWaa": dz_flat @ states[:, :T_x].reshape(n_a, T_x * m).T,
            "dba": dz_flat.sum(axis=1, keepdims=True)}


# ---- outputs and the per-step loss -----------------------------------------------------------------------------

def output_forward(a: np.ndarray, Wya: np.ndarray, by: np.ndarray) -> np.ndarray:
    """ŷ⟨t⟩ = softmax(Wya·a⟨t⟩ + by) for every step at once: ``a: (n_a, m, T_x)`` → ``(n_y, m, T_x)``."""
    n_a, m, T_x = a.shape
    z = (Wya @ np.ascontiguousarray(a).reshape(n_a, m * T_x)).reshape(-1, m, T_x) + by[:, :, None]
    return softmax(z)


def sequence_cross_entropy(y_pred: np.ndarray, y: np.ndarray) -> float:
    """The mean cross-entropy per target: ``y: (n_y, m, T_x)`` one-hot, with all-zero columns where a
    sequence has ended (padding, not counted)."""
    count = max(float(np.sum(y)), 1.0)
    return float(-np.sum(y * np.log(np.where(y > 0, y_pred, 1.0))) / count)


def output_backward(y_pred: np.ndarray, y: np.ndarray, a: np.ndarray, Wya: np.ndarray) -> tuple:
    """Gradients of ``sequence_cross_entropy``: ``(da (n_a, m, T_x), dWya, dby)``.

    dz⟨t⟩ = (ŷ⟨t⟩ − y⟨t⟩)/count on the counted columns (0 on padding), then da⟨t⟩ = Wyaᵀ·dz⟨t⟩,
    dWya = Σ_t dz⟨t⟩·a⟨t⟩ᵀ, dby = Σ_t Σ_examples dz⟨t⟩.
    """
    n_y, m, T_x = y.shape
    counted = np.sum(y, axis=0, keepdims=True)
    dz = ((y_pred - y) * counted / max(float(np.sum(counted)), 1.0)).reshape(n_y, m * T_x)
    a_flat = np.ascontiguousarray(a).reshape(-1, m * T_x)
    da = (Wya.T @ dz).reshape(-1, m, T_x)
    return da, dz @ a_flat.T, dz.sum(axis=1, keepdims=True)


# ---- the LSTM -----------------------------------------------------------------------------------------------------

def lstm_cell_forward(xt: np.ndarray, a_prev: np.ndarray, c_prev: np.ndarray, parameters: dict) -> tuple:
    """One LSTM step → ``(a_next, c_next, yt_pred, cache)``; ``xt: (n_x, m)``, ``a_prev, c_prev: (n_a, m)``.

    On the stacked ``concat = [a_prev; xt]``: forget gate ft = σ(Wf·concat + bf), update gate
    it = σ(Wi·concat + bi), candidate cct = tanh(Wc·concat + bc), output gate ot = σ(Wo·concat + bo);
    c_next = ft ⊙ c_prev + it ⊙ cct, a_next = ot ⊙ tanh(c_next), yt_pred = softmax(Wy·a_next + by).
    ``cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)``.
    """
    p = parameters
    concat = np.concatenate([a_prev, xt], axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = tanh(p["Wc"] @ concat + p["bc"])
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    c_next = ft * c_prev + it * cct
    a_next = ot * tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


def lstm_cell_backward(da_next: np.ndarray, dc_next: np.ndarray, cache: tuple) -> dict:
    """One LSTM step back: ∂L/∂a_next and ∂L/∂c_next → ``{"dxt", "da_prev", "dc_prev", "dWf", "dbf", "dWi",
    "dbi", "dWc", "dbc", "dWo", "dbo"}``.

    dc = dc_next + da_next ⊙ ot ⊙ (1 − tanh²(c_next)) is everything that reaches c_next; the gates'
    pre-activations get dot = da_next ⊙ tanh(c_next) ⊙ ot(1 − ot), dcct = dc ⊙ it ⊙ (1 − cct²),
    dit = dc ⊙ cct ⊙ it(1 − it), dft = dc ⊙ c_prev ⊙ ft(1 − ft); dc_prev = dc ⊙ ft.
    """
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    tanh_c = tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tanh_c ** 2)
    dz = {"f": dc * c_prev * ft * (1 - ft), "i": dc * cct * it * (1 - it), "c": dc * it * (1 - cct ** 2),
          "o": da_next * tanh_c * ot * (1 - ot)}
    concat = np.concatenate([a_prev, xt], axis=0)
    dconcat = sum(p[f"W{g}"].T @ dz[g] for g in dz)
    grads = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for g in dz:
        grads[f"dW{g}"] = dz[g] @ concat.T
        grads[f"db{g}"] = np.sum(dz[g], axis=1, keepdims=True)
    return grads


def lstm_forward(x: np.ndarray, a0: np.ndarray, parameters: dict) -> tuple:
    """The LSTM over a sequence, from c⟨0⟩ = 0: → ``(a, y_pred, c, caches)`` with ``a, c: (n_a, m, T_x)``,
    ``y_pred: (n_y, m, T_x)`` and ``caches = (list of the cell caches, x)``."""
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y_pred = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    a_next, c_next, caches = a0, np.zeros((n_a, m)), []
    for t in range(T_x):
        a_next, c_next, yt_pred, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t], c[:, :, t], y_pred[:, :, t] = a_next, c_next, yt_pred
        caches.append(cache)
    return a, y_pred, c, (caches, x)


def lstm_backward(da: np.ndarray, caches: tuple) -> dict:
    """Backpropagation through time for the LSTM: ``da: (n_a, m, T_x)`` → ``{"dx", "da0", "dWf", "dbf", …,
    "dWo", "dbo"}``; both the state's and the cell's gradient are carried back from step to step."""
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    p = cell_caches[0][-1]
    dx = np.zeros(x.shape)
    grads = {"d" + k: np.zeros(p[k].shape) for k in LSTM_KEYS}
    da_prev, dc_prev = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, cell_caches[t])
        dx[:, :, t], da_prev, dc_prev = step["dxt"], step["da_prev"], step["dc_prev"]
        for key in grads:
            grads[key] = grads[key] + step[key]
    return {"dx": dx, "da0": da_prev, **grads}


# ---- the LSTM, fast: the four gates stacked, every input product at once ---------------------------------------

GATE_ORDER = "fioc"   # stacked rows: the three sigmoid gates first, then the tanh candidate


def _stacked_gates(parameters):
    """``(W (4n_a, n_a + n_x), b (4n_a, 1))``: the gates' weights one above the other, in ``GATE_ORDER``."""
    return (np.vstack([parameters[f"W{g}"] for g in GATE_ORDER]),
            np.vstack([parameters[f"b{g}"] for g in GATE_ORDER]))


def lstm_sequence_forward(x: np.ndarray, a0: np.ndarray, parameters: dict) -> tuple:
    """The hidden states of ``lstm_forward`` (no outputs) → ``(a (n_a, m, T_x), cache)``: one product with the
    stacked gate weights per step, the input half of it for all steps at once. Works in the dtype of ``x``."""
    W, b = _stacked_gates(parameters)
    n_x, m, T_x = x.shape
    n_a = W.shape[0] // 4
    x_tm = np.ascontiguousarray(x.transpose(0, 2, 1))                    # (n_x, T_x, m)
    gates = (W[:, n_a:] @ x_tm.reshape(n_x, T_x * m)).reshape(4 * n_a, T_x, m)
    gates += b[:, :, None]                                                # pre-activations, made gates in place
    states, cells = np.empty((n_a, T_x + 1, m), dtype=gates.dtype), np.zeros((n_a, T_x + 1, m), dtype=gates.dtype)
    states[:, 0] = a0
    tanh_cells = np.empty((n_a, T_x, m), dtype=gates.dtype)
    for t in range(T_x):
        g = gates[:, t]
        g += W[:, :n_a] @ states[:, t]
        np.tanh(g[:3 * n_a] * 0.5, out=g[:3 * n_a])                        # σ(z) = (1 + tanh(z/2)) / 2
        g[:3 * n_a] += 1
        g[:3 * n_a] *= 0.5
        np.tanh(g[3 * n_a:], out=g[3 * n_a:])
        np.multiply(g[:n_a], cells[:, t], out=cells[:, t + 1])
        cells[:, t + 1] += g[n_a:2 * n_a] * g[3 * n_a:]
        np.tanh(cells[:, t + 1], out=tanh_cells[:, t])
        np.multiply(g[2 * n_a:3 * n_a], tanh_cells[:, t], out=states[:, t + 1])
    return states[:, 1:].transpose(0, 2, 1), (x_tm, states, cells, gates, tanh_cells, parameters)


def lstm_sequence_backward(da: np.ndarray, cache: tuple) -> dict:
    """``lstm_backward`` for the cache of ``lstm_sequence_forward``: the same gradients, with the weights' as
    single matrix products over all steps."""
    x_tm, states, cells, gates, tanh_cells, parameters = cache
    W, _ = _stacked_gates(parameters)
    n_a, T_x, m = tanh_cells.shape
    n_x = x_tm.shape[0]
    dgates = np.empty_like(gates)
    da_tm = da.transpose(0, 2, 1)
    da_next, dc_next = np.zeros((n_a, m), dtype=gates.dtype), np.zeros((n_a, m), dtype=gates.dtype)
    for t in reversed(range(T_x)):
        f, i, o, cc = (gates[k * n_a:(k + 1) * n_a, t] for k in range(4))
        da_next += da_tm[:, t]
        dc = dc_next + da_next * o * (1 - tanh_cells[:, t] ** 2)
        dgates[:n_a, t] = dc * cells[:, t] * f * (1 - f)
        dgates[n_a:2 * n_a, t] = dc * cc * i * (1 - i)
        dgates[2 * n_a:3 * n_a, t] = da_next * tanh_cells[:, t] * o * (1 - o)
        dgates[3 * n_a:, t] = dc * i * (1 - cc ** 2)
        dc_next = dc * f
        da_next = W[:, :n_a].T @ dgates[:, t]
    flat = dgates.reshape(4 * n_a, T_x * m)
    dW = np.hstack([flat @ states[:, :T_x].reshape(n_a, T_x * m).T, flat @ x_tm.reshape(n_x, T_x * m).T])
    db = flat.sum(axis=1, keepdims=True)
    grads = {"dx": (W[:, n_a:].T @ flat).reshape(n_x, T_x, m).transpose(0, 2, 1), "da0": da_next}
    for k, g in enumerate(GATE_ORDER):
        grads[f"dW{g}"], grads[f"db{g}"] = dW[k * n_a:(k + 1) * n_a], db[k * n_a:(k + 1) * n_a]
    return grads


# ---- clipping and sampling --------------------------------------------------------------------------------------

def clip(gradients: dict, max_value: float) -> dict:
    """Every gradient clipped element-wise into [−max_value, max_value], in a new dictionary (the caller's
    arrays are left as they are)."""
    return {key: np.clip(g, -max_value, max_value) for key, g in gradients.items()}


def sample(parameters: dict, end_index: int, seed, max_length: int = 50) -> list:
    """Sample a sequence of indices from a trained RNN, one character at a time.

    Starts from x⟨1⟩ = 0 and a⟨0⟩ = 0; at each step runs ``rnn_cell_forward`` on one column, draws the next
    index with ``rng.choice(n_y, p=ŷ.ravel())`` from ``rng = np.random.default_rng(seed)`` (one generator
    for the whole sequence; ``seed`` may be a Generator), and feeds its one-hot vector back as the next input.
    Stops after drawing ``end_index`` (which is included) or after ``max_length`` indices.
    """
    rng = rng_from(seed)
    n_y, n_a = parameters["Wya"].shape
    x, a_prev = np.zeros((parameters["Wax"].shape[1], 1)), np.zeros((n_a, 1))
    indices = []
    while len(indices) < max_length and (not indices or indices[-1] != end_index):
        a_prev, y, _ = rnn_cell_forward(x, a_prev, parameters)
        index = int(rng.choice(n_y, p=y.ravel()))
        indices.append(index)
        x = np.zeros_like(x)
        x[index] = 1
    return indices


# ---- initialization and training ------------------------------------------------------------------------------

def initialize_rnn(n_x: int, n_a: int, n_y: int, seed=None, recurrent_scale: float = 1.0) -> dict:
    """Wax ~ N(0, 1/n_x), Waa ~ N(0, recurrent_scale²/n_a) (its largest eigenvalues then have a size of about
    ``recurrent_scale``), Wya ~ N(0, 1/n_a), zero biases; drawn in that order from one generator."""
    rng = rng_from(seed)
    Wax = rng.standard_normal((n_a, n_x)) / np.sqrt(n_x)
    Waa = rng.standard_normal((n_a, n_a)) * (recurrent_scale / np.sqrt(n_a))
    Wya = rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "ba": np.zeros((n_a, 1)), "by": np.zeros((n_y, 1))}


def initialize_lstm(n_x: int, n_a: int, n_y: int, seed=None, forget_bias: float = 1.0) -> dict:
    """Gate weights ~ N(0, 1/(n_a + n_x)), Wy ~ N(0, 1/n_a), zero biases except bf = ``forget_bias`` (a
    forget gate that starts mostly open, so the cell remembers from the first step of training)."""
    rng = rng_from(seed)
    parameters = {}
    for gate in "fico":
        parameters[f"W{gate}"] = rng.standard_normal((n_a, n_a + n_x)) / np.sqrt(n_a + n_x)
        parameters[f"b{gate}"] = np.full((n_a, 1), forget_bias if gate == "f" else 0.0)
    parameters["Wy"] = rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)
    parameters["by"] = np.zeros((n_y, 1))
    return parameters


def language_model_gradients(parameters: dict, batch: tuple) -> tuple:
    """A character-level language model's loss and gradients on ``batch = (x, y)``, both ``(n_y, m, T_x)``
    one-hot: y⟨t⟩ = x⟨t+1⟩ is the character to predict, all-zero columns are padding. Returns
    ``(mean cross-entropy per character, {"dWax", "dWaa", "dba", "dWya", "dby"})``."""
    x, y = batch
    a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))
    a, cache = rnn_sequence_forward(x, a0, parameters)
    y_pred = output_forward(a, parameters["Wya"], parameters["by"])
    da, dWya, dby = output_backward(y_pred, y, a, parameters["Wya"])
    grads = rnn_sequence_backward(da, cache)
    return sequence_cross_entropy(y_pred, y), {**{"d" + k: grads["d" + k] for k in RNN_KEYS}, "dWya": dWya, "dby": dby}


def _output_keys(parameters):
    return ("Wy", "by") if "Wy" in parameters else ("Wya", "by")


def last_step_forward(x: np.ndarray, parameters: dict) -> tuple:
    """An RNN or LSTM (told apart by its parameters' names) read at its last step only, from a⟨0⟩ = 0:
    → ``(ŷ⟨T_x⟩ (n_y, m), a, cache)``."""
    a0 = np.zeros((parameters["Wf" if "Wf" in parameters else "Waa"].shape[0], x.shape[1]))
    forward = lstm_sequence_forward if "Wf" in parameters else rnn_sequence_forward
    a, cache = forward(x, a0, parameters)
    W, b = (parameters[k] for k in _output_keys(parameters))
    return softmax(W @ a[:, :, -1] + b), a, cache


def last_step_backward(y: np.ndarray, y_last: np.ndarray, a: np.ndarray, cache: tuple, parameters: dict) -> dict:
    """Gradients of the mean cross-entropy of ``last_step_forward``'s answer (one-hot ``y: (n_y, m)``): every
    parameter's, and ``"dx"`` (how much the loss feels each input) and ``"da0"``."""
    W_key, b_key = _output_keys(parameters)
    dz = (y_last - y) / y.shape[1]
    da = np.zeros(a.shape, dtype=a.dtype)
    da[:, :, -1] = parameters[W_key].T @ dz
    grads = (lstm_sequence_backward if "Wf" in parameters else rnn_sequence_backward)(da, cache)
    grads["d" + W_key], grads["d" + b_key] = dz @ a[:, :, -1].T, np.sum(dz, axis=1, keepdims=True)
    return grads


def last_step_gradients(parameters: dict, batch: tuple) -> tuple:
    """Loss and parameter gradients of a sequence classifier that answers at the last step: ``batch = (x, y)``
    with ``x: (n_x, m, T_x)`` and one-hot ``y: (n_y, m)``; the loss is the mean cross-entropy over the m examples."""
    x, y = batch
    y_last, a, cache = last_step_forward(x, parameters)
    grads = last_step_backward(y, y_last, a, cache, parameters)
    loss = float(-np.sum(y * np.log(np.maximum(y_last, 1e-300))) / y.shape[1])
    return loss, {"d" + k: grads["d" + k] for k in parameters}


def adam_steps(gradients: Callable, parameters: dict, batches: Iterable, learning_rate: float = 0.01,
               max_value: float | None = 5.0) -> Iterator:
    """Train with Adam, one update per batch: ``gradients(parameters, batch) -> (loss, grads)``, each gradient
    clipped to ±``max_value`` first (``None``: no clipping). Yields ``(parameters, loss)`` after every update,
    so the caller decides when to stop, record or sample."""
    v, s = optim.initialize_adam(parameters)
    for t, batch in enumerate(batches, start=1):
        loss, grads = gradients(parameters, batch)
        if max_value is not None:
            grads = clip(grads, max_value)
        parameters, v, s, _, _ = optim.update_parameters_with_adam(parameters, grads, v, s, t, learning_rate)
        yield parameters, loss


def train(gradients: Callable, parameters: dict, batches: Iterable, learning_rate: float = 0.01,
          max_value: float | None = 5.0) -> tuple:
    """``adam_steps`` run to the end: returns ``(the trained parameters, the loss of every step)``."""
    trained, losses = parameters, []
    for trained, loss in adam_steps(gradients, parameters, batches, learning_rate, max_value):  # noqa: B007
        losses.append(loss)
    return trained, losses


# ---- characters -------------------------------------------------------------------------------------------------

END = "\n"
LETTERS = END + "abcdefghijklmnopqrstuvwxyz"


def one_hot_names(names: list, chars: str = LETTERS) -> tuple:
    """A batch of words as a language model reads them: ``(x, y)``, both ``(len(chars), m, T_x)`` one-hot with
    T_x = the longest word + 1. x⟨1⟩ = 0 (nothing read yet), x⟨t+1⟩ = the word's t-th character; the target
    y⟨t⟩ = x⟨t+1⟩, and the last target of each word is ``END``. Columns past a word's end are all zero."""
    index = {ch: i for i, ch in enumerate(chars)}
    T_x = max(map(len, names)) + 1
    x, y = np.zeros((len(chars), len(names), T_x)), np.zeros((len(chars), len(names), T_x))
    for i, word in enumerate(names):
        codes = [index[ch] for ch in word]
        x[codes, i, np.arange(1, len(codes) + 1)] = 1
        y[codes + [index[END]], i, np.arange(len(codes) + 1)] = 1
    return x, y
