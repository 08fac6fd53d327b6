"""Tests of nncore's maths: activations, layers, losses, init, models, logistic, optim, gradcheck (the network
core behind models: test_nncore_network.py).

Every expected value comes from independent mathematics: closed forms written here, or the fourth-order
centred-difference numerical gradients of ``numerics.py`` (never ``nncore.gradcheck``, which is itself under
test). Data, plotting and learning sanity checks are in ``test_nncore_data.py``.

Gradient scaling convention of the course (checked numerically below):
  * ``*_backward(dA, Z)`` returns dZ = ∂S/∂Z for S = Σ dA ⊙ g(Z)  (a plain chain rule, no 1/m).
  * ``linear_backward(dZ, cache)`` treats dZ as ∂(m·J)/∂Z, i.e. J = (1/m) Σ dZ ⊙ Z. It returns
    dW = ∂J/∂W and db = ∂J/∂b (the 1/m enters here) but dA_prev = Wᵀ·dZ = ∂(m·J)/∂A_prev (no 1/m).
  * Hence in ``L_model_backward`` (J the *averaged* cross-entropy) dW{l}, db{l} are ∂J/∂W, ∂J/∂b while
    every dA{l} is m·∂J/∂A[l] = ∂(Σ_i loss_i)/∂A[l] (each column's own loss derivative).
"""

import copy
import warnings

import numpy as np
import pytest

from nncore import activations, gradcheck, init, layers, logistic, losses, models, network, optim
from numerics import TOL, num_grad, num_grad_dict, rel_diff

MARGIN = 5e-3       # keep ReLU / leaky-ReLU pre-activations this far from the kink at 0 (≫ 2·numerics.EPS·|A|)


# ---- independent helpers ------------------------------------------------------------------------

def ref_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def ref_tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def ref_relu(z):
    return z * (z > 0)


def ref_leaky(z):
    return np.where(z > 0, z, 0.01 * z)


def ref_softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=0, keepdims=True)


def ref_linear(z):
    return 1.0 * z


REF = {"sigmoid": ref_sigmoid, "tanh": ref_tanh, "relu": ref_relu, "leaky_relu": ref_leaky,
       "softmax": ref_softmax, "linear": ref_linear}
ACT_NAMES = ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "linear"]
KINKED = {"relu", "leaky_relu"}


def ref_bce(a, y):
    y = np.asarray(y, dtype=np.float64)
    return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))


def ref_forward(X, params, hidden):
    """The L-layer forward pass written out independently (sigmoid output)."""
    L = len(params) // 2
    A = X
    for l in range(1, L + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = REF[hidden](Z) if l < L else ref_sigmoid(Z)
    return A


def assert_tree_equal(a, b, path="input"):
    """Deep equality of nested dicts / tuples / lists of arrays and scalars (values, shapes, dtypes)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), f"{path}: keys changed"
        for k in a:
            assert_tree_equal(a[k], b[k], f"{path}[{k!r}]")
    elif isinstance(a, (tuple, list)):
        assert type(a) is type(b) and len(a) == len(b), f"{path}: structure changed"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_tree_equal(x, y, f"{path}[{i}]")
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray), f"{path}: type changed"
        assert a.dtype == b.dtype and a.shape == b.shape, f"{path}: dtype/shape changed"
        assert np.array_equal(a, b, equal_nan=True), f"{path}: values changed"
    elif callable(a):
        pass
    else:
        assert a == b, f"{path}: {a!r} became {b!r}"


def kink_free_z(rng, shape):
    """Z with |Z| ≥ 0.1 everywhere, random signs."""
    return rng.choice([-1.0, 1.0], size=shape) * (0.1 + np.abs(rng.standard_normal(shape)))


def random_layer(rng, n, n_prev, m, activation):
    """A_prev, W, b for one layer; for ReLU-like activations redrawn until |Z| ≥ MARGIN."""
    for _ in range(1000):
        A_prev = rng.standard_normal((n_prev, m))
        W = rng.standard_normal((n, n_prev)) / np.sqrt(n_prev)
        b = 0.5 * rng.standard_normal((n, 1))
        if activation not in KINKED or np.min(np.abs(W @ A_prev + b)) >= MARGIN:
            return A_prev, W, b
    raise AssertionError("could not draw a kink-free layer")


def random_network(rng, layer_dims, m, hidden):
    """X, Y (float 0/1, both classes when m > 1), parameters with non-zero biases.

    For ReLU-like hidden layers the draw is repeated until every hidden |Z| ≥ MARGIN and no layer is dead
    for any example (a dead ReLU net has exactly-zero gradients, where a relative difference means nothing).
    """
    for _ in range(1000):
        X = rng.standard_normal((layer_dims[0], m))
        Y = (rng.random((1, m)) < 0.5).astype(np.float64)
        if m > 1:
            Y[0, 0], Y[0, 1] = 0.0, 1.0
        params = {}
        for l in range(1, len(layer_dims)):
            params[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
            params[f"b{l}"] = 0.3 * rng.standard_normal((layer_dims[l], 1))
        if hidden not in KINKED:
            return X, Y, params
        A, ok = X, True
        for l in range(1, len(layer_dims) - 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            ok &= bool(np.min(np.abs(Z)) >= MARGIN)
            ok &= bool(np.all(np.any(Z > 0, axis=0)))   # no dead layer: every example keeps a live path
            A = REF[hidden](Z)
        if ok:
            return X, Y, params
    raise AssertionError("could not draw a kink-free network")


SHAPES = [(1, 1), (3, 1), (4, 5), (2, 7)]                      # (n, m), m = 1 included


def shape_id(shape):
    return "x".join(map(str, shape))
LAYER_SHAPES = [(1, 1, 1), (3, 4, 1), (2, 5, 6), (4, 3, 10)]   # (n, n_prev, m)


# ---- 1. activations: forward closed forms, backward vs numerical gradients -----------------------

@pytest.mark.parametrize("name", ACT_NAMES)
@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_activation_forward_matches_closed_form(name, shape):
    rng = np.random.default_rng([ACT_NAMES.index(name), *shape])
    Z = 3 * rng.standard_normal(shape)
    g, _ = activations.get(name)
    np.testing.assert_allclose(g(Z), REF[name](Z), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ACT_NAMES)
@pytest.mark.parametrize("shape", SHAPES + [(5, 3)], ids=shape_id)
def test_activation_backward_matches_numerical_gradient(name, shape):
    rng = np.random.default_rng(sum(map(ord, name)) * 100 + shape[0] * 10 + shape[1])
    if name == "softmax" and shape[0] == 1:
        shape = (3, shape[1])          # a 1-class softmax is the constant 1
    Z = kink_free_z(rng, shape) if name in KINKED else rng.standard_normal(shape)
    dA = rng.standard_normal(shape)
    g, g_backward = activations.get(name)
    dZ = g_backward(dA, Z)
    assert dZ.shape == Z.shape
    expected = num_grad(lambda z: np.sum(dA * g(z)), Z)       # ∂(Σ dA ⊙ g(Z)) / ∂Z
    assert rel_diff(dZ, expected) < TOL


def test_unknown_activation_raises():
    with pytest.raises(ValueError, match="relu"):
        activations.get("swish")


# ---- 6. numerical stability and input types -----------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES + [(10, 4)], ids=shape_id)
def test_softmax_columns_sum_to_one(shape):
    rng = np.random.default_rng(shape[0] * 31 + shape[1])
    A = activations.softmax(5 * rng.standard_normal(shape))
    assert A.shape == shape and np.all(A >= 0)
    np.testing.assert_allclose(A.sum(axis=0), 1.0, rtol=0, atol=1e-12)


@pytest.mark.parametrize("big", [1000.0, -1000.0, 1e5])
def test_softmax_stable_for_large_inputs(big):
    Z = np.array([[big, big], [big - 1.0, big], [big - 2.0, big - 50.0]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        A = activations.softmax(Z)
    assert np.all(np.isfinite(A))
    # shift invariance: softmax(Z) = softmax(Z − c) computed on small numbers
    np.testing.assert_allclose(A, ref_softmax(Z - big), rtol=1e-12)
    np.testing.assert_allclose(A.sum(axis=0), 1.0, atol=1e-12)


def test_softmax_backward_stable_for_large_inputs():
    Z = np.array([[1000.0], [999.0], [-1000.0]])
    dA = np.array([[1.0], [2.0], [3.0]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        dZ = activations.softmax_backward(dA, Z)
    assert np.all(np.isfinite(dZ))
    np.testing.assert_allclose(dZ.sum(axis=0), 0.0, atol=1e-12)   # softmax's Jacobian kills constants


def test_sigmoid_stable_for_huge_inputs():
    Z = np.array([[1000.0, -1000.0, 0.0, 745.0, -745.0]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        A = activations.sigmoid(Z)
        dZ = activations.sigmoid_backward(np.ones_like(Z), Z)
    assert np.all(np.isfinite(A)) and np.all(np.isfinite(dZ))
    assert A[0, 0] == 1.0 and A[0, 1] == 0.0 and A[0, 2] == 0.5
    assert np.all((A >= 0) & (A <= 1))
    np.testing.assert_allclose(dZ, [[0.0, 0.0, 0.25, 0.0, 0.0]], atol=1e-300)


def test_sigmoid_symmetry_and_closed_form_float32():
    Z = np.linspace(-20, 20, 41, dtype=np.float32).reshape(1, -1)
    A = activations.sigmoid(Z)
    assert A.dtype == np.float32
    np.testing.assert_allclose(A + activations.sigmoid(-Z), 1.0, rtol=1e-6)
    np.testing.assert_allclose(A, ref_sigmoid(Z.astype(np.float64)), rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, bool])
def test_sigmoid_of_integer_input(dtype):
    Z = np.array([[0, 1, 2, 3]], dtype=dtype) if dtype is not bool else np.array([[False, True]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A = activations.sigmoid(Z)
    assert A.dtype.kind == "f"
    np.testing.assert_allclose(A, ref_sigmoid(Z.astype(np.float64)), rtol=1e-14)
    assert activations.sigmoid(0) == 0.5


def test_sigmoid_of_negative_integers():
    Z = np.array([[-3, -1, 0, 1, 3]])
    np.testing.assert_allclose(activations.sigmoid(Z), ref_sigmoid(Z.astype(float)), rtol=1e-14)


# ---- 1. layers --------------------------------------------------------------------------------

@pytest.mark.parametrize("n, n_prev, m", LAYER_SHAPES)
def test_linear_forward_closed_form(n, n_prev, m):
    rng = np.random.default_rng(n * 100 + n_prev * 10 + m)
    A_prev, W, b = random_layer(rng, n, n_prev, m, "tanh")
    Z, cache = layers.linear_forward(A_prev, W, b)
    expected = np.array([[sum(W[i, k] * A_prev[k, j] for k in range(n_prev)) + b[i, 0] for j in range(m)]
                         for i in range(n)])
    np.testing.assert_allclose(Z, expected, rtol=1e-12, atol=1e-14)
    assert cache[0] is A_prev and cache[1] is W and cache[2] is b


@pytest.mark.parametrize("n, n_prev, m", LAYER_SHAPES)
def test_linear_backward_matches_numerical_gradient(n, n_prev, m):
    rng = np.random.default_rng(1000 + n * 100 + n_prev * 10 + m)
    A_prev, W, b = random_layer(rng, n, n_prev, m, "tanh")
    dZ = rng.standard_normal((n, m))
    _, cache = layers.linear_forward(A_prev, W, b)
    dA_prev, dW, db = layers.linear_backward(dZ, cache)
    assert (dA_prev.shape, dW.shape, db.shape) == (A_prev.shape, W.shape, b.shape)

    def S(A, W_, b_):          # S = m·J = Σ dZ ⊙ (W·A + b)
        return np.sum(dZ * (W_ @ A + b_))

    assert rel_diff(dA_prev, num_grad(lambda a: S(a, W, b), A_prev)) < TOL
    assert rel_diff(dW, num_grad(lambda w: S(A_prev, w, b), W) / m) < TOL
    assert rel_diff(db, num_grad(lambda c: S(A_prev, W, c), b) / m) < TOL


@pytest.mark.parametrize("activation", ACT_NAMES)
@pytest.mark.parametrize("n, n_prev, m", LAYER_SHAPES)
def test_linear_activation_backward_matches_numerical_gradient(activation, n, n_prev, m):
    if activation == "softmax" and n == 1:
        n = 3
    rng = np.random.default_rng(sum(map(ord, activation)) + n * 100 + n_prev * 10 + m)
    A_prev, W, b = random_layer(rng, n, n_prev, m, activation)
    dA = rng.standard_normal((n, m))
    A, cache = layers.linear_activation_forward(A_prev, W, b, activation)
    np.testing.assert_allclose(A, REF[activation](W @ A_prev + b), rtol=1e-12, atol=1e-15)
    dA_prev, dW, db = layers.linear_activation_backward(dA, cache, activation)
    assert (dA_prev.shape, dW.shape, db.shape) == (A_prev.shape, W.shape, b.shape)
    g = REF[activation]

    def S(A_, W_, b_):         # S = m·J = Σ dA ⊙ g(W·A + b)
        return np.sum(dA * g(W_ @ A_ + b_))

    assert rel_diff(dA_prev, num_grad(lambda a: S(a, W, b), A_prev)) < TOL
    assert rel_diff(dW, num_grad(lambda w: S(A_prev, w, b), W) / m) < TOL
    assert rel_diff(db, num_grad(lambda c: S(A_prev, W, c), b) / m) < TOL


# ---- 1 & 2. the L-layer model ------------------------------------------------------------------

DEPTH_DIMS = {1: [4, 1], 2: [3, 5, 1], 3: [5, 4, 3, 1], 5: [3, 6, 4, 5, 2, 1]}


def _random_dims(rng, L):
    return [int(rng.integers(1, 7)) for _ in range(L)] + [1]


@pytest.mark.parametrize("L", [1, 2, 3, 5])
@pytest.mark.parametrize("m", [1, 4, 9])
@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid", "leaky_relu"])
def test_L_model_forward_and_grads_any_depth(L, m, hidden):
    rng = np.random.default_rng(L * 1000 + m * 10 + len(hidden))
    dims = _random_dims(rng, L)
    X, Y, params = random_network(rng, dims, m, hidden)
    AL, caches = models.L_model_forward(X, params, hidden)
    assert AL.shape == (1, m) and len(caches) == L
    np.testing.assert_allclose(AL, ref_forward(X, params, hidden), rtol=1e-12)
    grads = models.L_model_backward(AL, Y, caches, hidden)
    expected_keys = ({f"dW{l}" for l in range(1, L + 1)} | {f"db{l}" for l in range(1, L + 1)}
                     | {f"dA{l}" for l in range(L)})
    assert set(grads) == expected_keys
    A_shapes = [X.shape] + [(dims[l], m) for l in range(1, L)]
    for l in range(1, L + 1):
        assert grads[f"dW{l}"].shape == params[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert grads[f"db{l}"].shape == params[f"b{l}"].shape == (dims[l], 1)
        assert grads[f"dA{l - 1}"].shape == A_shapes[l - 1]


@pytest.mark.parametrize("L", [1, 2, 3, 5])
@pytest.mark.parametrize("m", [1, 3, 8])
@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid", "leaky_relu"])
def test_L_model_backward_matches_numerical_gradient(L, m, hidden):
    rng = np.random.default_rng(50_000 + L * 1000 + m * 10 + len(hidden))
    dims = DEPTH_DIMS[L]
    X, Y, params = random_network(rng, dims, m, hidden)
    AL, caches = models.L_model_forward(X, params, hidden)
    grads = models.L_model_backward(AL, Y, caches, hidden)

    def J(p, X_=X):             # the averaged cross-entropy, written independently
        return ref_bce(models.L_model_forward(X_, p, hidden)[0], Y)

    approx = num_grad_dict(J, params)
    for l in range(1, L + 1):
        assert rel_diff(grads[f"dW{l}"], approx[f"dW{l}"]) < TOL, f"dW{l}"
        assert rel_diff(grads[f"db{l}"], approx[f"db{l}"]) < TOL, f"db{l}"
    # dA0 = m · ∂J/∂X (the lecture's dZ[L] = AL − Y carries no 1/m)
    assert rel_diff(grads["dA0"], m * num_grad(lambda x: J(params, x), X)) < TOL
    # every dA{l} likewise: differentiate J through layers l+1 … L only, starting from A[l]
    A_ref = X
    for l in range(1, L):
        A_ref = REF[hidden](params[f"W{l}"] @ A_ref + params[f"b{l}"])
        A = caches[l][0][0]                    # A[l], the input of layer l+1
        np.testing.assert_allclose(A, A_ref, rtol=1e-12)
        sub = {f"{k[0]}{int(k[1:]) - l}": v for k, v in params.items() if int(k[1:]) > l}
        expected = m * num_grad(lambda a, sub=sub: ref_bce(models.L_model_forward(a, sub, hidden)[0], Y), A)
        assert rel_diff(grads[f"dA{l}"], expected) < TOL, f"dA{l}"


def test_L_model_hidden_activations_are_as_documented():
    rng = np.random.default_rng(7)
    X, Y, params = random_network(rng, [3, 4, 2, 1], 5, "tanh")
    _, caches = models.L_model_forward(X, params, "tanh")
    A1 = caches[1][0][0]
    np.testing.assert_allclose(A1, ref_tanh(params["W1"] @ X + params["b1"]), rtol=1e-12)


def test_compute_cost_predict_accuracy_closed_form():
    rng = np.random.default_rng(3)
    X, Y, params = random_network(rng, [3, 4, 1], 20, "relu")
    AL = ref_forward(X, params, "relu")
    assert models.compute_cost(AL, Y) == pytest.approx(ref_bce(AL, Y), rel=1e-12)
    pred = models.predict(X, params, "relu")
    assert pred.shape == (1, 20)
    np.testing.assert_array_equal(pred, (AL > 0.5).astype(int))
    assert models.accuracy(pred, Y) == pytest.approx(np.mean(pred == Y))
    assert models.accuracy([[1, 0, 1, 1]], np.array([[1, 1, 1, 0]], dtype=np.uint8)) == 0.5
    assert network.n_layers(params) == 2


def test_train_step_is_one_gradient_descent_step():
    rng = np.random.default_rng(11)
    X, Y, params = random_network(rng, [2, 3, 1], 6, "tanh")
    new, cost = models.train_step(X, Y, params, 0.1, "tanh")
    approx = num_grad_dict(lambda p: ref_bce(ref_forward(X, p, "tanh"), Y), params)
    assert cost == pytest.approx(ref_bce(ref_forward(X, params, "tanh"), Y), rel=1e-12)
    for k in params:
        np.testing.assert_allclose(new[k], params[k] - 0.1 * approx["d" + k], rtol=1e-7, atol=1e-9)


# ---- 1. binary cross-entropy and logistic regression -------------------------------------------

@pytest.mark.parametrize("m", [1, 2, 9])
def test_binary_cross_entropy_value(m):
    rng = np.random.default_rng(m)
    AL = rng.uniform(0.05, 0.95, (1, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    assert losses.binary_cross_entropy(AL, Y) == pytest.approx(ref_bce(AL, Y), rel=1e-13)
    assert isinstance(losses.binary_cross_entropy(AL, Y), float)


def test_l2_penalty_closed_form():
    params = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[100.0]]), "W2": np.array([[3.0]])}
    assert losses.l2_penalty(params, 0.7, 5) == pytest.approx(0.7 / 10 * (1 + 4 + 9))


@pytest.mark.parametrize("n_x, m", [(1, 1), (4, 1), (3, 7), (6, 12)])
def test_logistic_propagate_matches_numerical_gradient(n_x, m):
    rng = np.random.default_rng(n_x * 10 + m)
    w = rng.standard_normal((n_x, 1))
    b = float(rng.standard_normal())
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    grads, cost = logistic.propagate(w, b, X, Y)

    def J(w_, b_):
        return ref_bce(ref_sigmoid(w_.T @ X + b_), Y)

    assert cost == pytest.approx(J(w, b), rel=1e-12)
    assert grads["dw"].shape == (n_x, 1)
    assert isinstance(grads["db"], float)
    assert rel_diff(grads["dw"], num_grad(lambda v: J(v, b), w)) < TOL
    assert rel_diff(grads["db"], num_grad(lambda c: J(w, float(c)), np.array(b))) < TOL


def test_logistic_optimize_follows_gradient_descent():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((3, 10))
    Y = (rng.random((1, 10)) < 0.5).astype(float)
    w, b = logistic.initialize_with_zeros(3)
    assert w.shape == (3, 1) and np.all(w == 0) and b == 0.0
    params, grads, costs = logistic.optimize(w, b, X, Y, num_iterations=201, learning_rate=0.3)
    # the same descent, with independent gradients
    w_ref, b_ref = w.copy(), b
    ref_costs = []
    for i in range(201):
        if i % 100 == 0:
            ref_costs.append(ref_bce(ref_sigmoid(w_ref.T @ X + b_ref), Y))
        A = ref_sigmoid(w_ref.T @ X + b_ref)
        w_ref, b_ref = w_ref - 0.3 * X @ (A - Y).T / 10, b_ref - 0.3 * np.mean(A - Y)
    np.testing.assert_allclose(params["w"], w_ref, rtol=1e-10)
    assert params["b"] == pytest.approx(b_ref, rel=1e-10)
    np.testing.assert_allclose(costs, ref_costs, rtol=1e-12)
    np.testing.assert_array_equal(logistic.predict(params["w"], params["b"], X),
                                  (ref_sigmoid(params["w"].T @ X + params["b"]) > 0.5).astype(float))


# ---- 1 & 8. gradcheck --------------------------------------------------------------------------

def _gradcheck_setup(hidden="tanh", dims=(3, 4, 3, 1), m=5, seed=0):
    rng = np.random.default_rng(seed)
    X, Y, params = random_network(rng, list(dims), m, hidden)
    AL, caches = models.L_model_forward(X, params, hidden)
    grads = models.L_model_backward(AL, Y, caches, hidden)

    def cost(p):
        return ref_bce(models.L_model_forward(X, p, hidden)[0], Y)

    return cost, params, grads


@pytest.mark.parametrize("hidden, dims, m", [("tanh", (3, 4, 3, 1), 5), ("relu", (2, 5, 1), 1),
                                              ("sigmoid", (4, 1), 3), ("leaky_relu", (3, 3, 2, 2, 1), 6)])
def test_gradient_check_accepts_correct_gradients(hidden, dims, m):
    cost, params, grads = _gradcheck_setup(hidden, dims, m, seed=len(dims) + m)
    assert gradcheck.gradient_check(cost, params, grads) < 1e-7


@pytest.mark.parametrize("key", ["dW1", "db1", "dW2", "db2", "dW3", "db3"])
def test_gradient_check_flags_a_corrupted_gradient(key):
    cost, params, grads = _gradcheck_setup()
    bad = {k: v.copy() for k, v in grads.items()}
    total = np.linalg.norm(np.concatenate([grads["d" + k].ravel() for k in params]))
    bad[key].flat[0] += 0.1 * total
    assert gradcheck.gradient_check(cost, params, bad) > 1e-3


def test_gradient_check_on_logistic_regression_with_scalar_bias():
    rng = np.random.default_rng(9)
    X, Y = rng.standard_normal((3, 6)), (rng.random((1, 6)) < 0.5).astype(float)
    params = {"w": rng.standard_normal((3, 1)), "b": 0.3}
    grads, _ = logistic.propagate(params["w"], params["b"], X, Y)
    cost = lambda p: logistic.propagate(p["w"], p["b"], X, Y)[1]   # noqa: E731
    assert gradcheck.gradient_check(cost, params, grads) < 1e-7


def test_numerical_gradient_of_a_quadratic():
    rng = np.random.default_rng(2)
    C = {"W1": rng.standard_normal((2, 3)), "b1": rng.standard_normal((2, 1)), "W2": rng.standard_normal((1, 2))}
    params = {k: rng.standard_normal(v.shape) for k, v in C.items()}

    def cost(p):                                                    # ∇ = 2·C⊙θ
        return float(sum(np.sum(C[k] * p[k] ** 2) for k in p))

    approx = gradcheck.numerical_gradient(cost, params)
    assert set(approx) == {"dW1", "db1", "dW2"}
    for k in params:
        assert approx["d" + k].shape == params[k].shape
        np.testing.assert_allclose(approx["d" + k], 2 * C[k] * params[k], rtol=1e-6, atol=1e-7)


ROUND_TRIP_TEMPLATES = [
    {"W1": (4, 3), "b1": (4, 1), "W2": (1, 4), "b2": (1, 1)},
    {"W1": (1, 1), "b1": (1, 1)},
    {"W1": (7, 2), "b1": (7, 1), "W2": (5, 7), "b2": (5, 1), "W3": (3, 5), "b3": (3, 1), "W4": (1, 3), "b4": (1, 1)},
    {"w": (5, 1), "b": ()},
    {"kernel": (2, 3, 4), "bias": (4,), "gamma": (1,), "scalar": ()},
]


@pytest.mark.parametrize("shapes", ROUND_TRIP_TEMPLATES)
def test_dictionary_vector_round_trip(shapes):
    rng = np.random.default_rng(len(shapes))
    d = {k: rng.standard_normal(s) for k, s in shapes.items()}
    theta = gradcheck.dictionary_to_vector(d)
    n = sum(int(np.prod(s)) for s in shapes.values())
    assert theta.shape == (n, 1)
    # the column is the arrays' entries in dict order, C order
    np.testing.assert_array_equal(theta.ravel(), np.concatenate([np.ravel(d[k]) for k in d]))
    back = gradcheck.vector_to_dictionary(theta, d)
    assert list(back) == list(d)
    for k in d:
        assert np.shape(back[k]) == np.shape(d[k])
        np.testing.assert_array_equal(back[k], d[k])
    # and the other way round
    new_theta = rng.standard_normal((n, 1))
    np.testing.assert_array_equal(gradcheck.dictionary_to_vector(gradcheck.vector_to_dictionary(new_theta, d)),
                                  new_theta)


def test_dictionary_to_vector_keys_order_and_gradients_to_vector():
    d = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[3.0]])}
    np.testing.assert_array_equal(gradcheck.dictionary_to_vector(d, keys=["b1", "W1"]).ravel(), [3, 1, 2])
    grads = {"db1": np.array([[30.0]]), "dA0": np.array([[9.0]]), "dW1": np.array([[10.0, 20.0]])}
    np.testing.assert_array_equal(gradcheck.gradients_to_vector(grads, d).ravel(), [10, 20, 30])


@pytest.mark.parametrize("delta", [-3, -1, 1, 5])
def test_vector_to_dictionary_rejects_wrong_length(delta):
    template = {"W1": np.zeros((3, 2)), "b1": np.zeros((3, 1)), "W2": np.zeros((1, 3)), "b2": np.zeros((1, 1))}
    with pytest.raises(ValueError):
        gradcheck.vector_to_dictionary(np.zeros((13 + delta, 1)), template)


def test_relative_difference_closed_forms():
    assert gradcheck.relative_difference(np.zeros((4, 1)), np.zeros((4, 1))) == 0.0
    assert gradcheck.relative_difference(np.zeros(3), np.zeros((3, 1))) == 0.0
    g = np.array([[1.0], [-2.0], [3.0]])
    assert gradcheck.relative_difference(g, g) == 0.0
    assert gradcheck.relative_difference([3.0, 4.0], [0.0, 0.0]) == pytest.approx(1.0)
    assert gradcheck.relative_difference([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2) / 2)
    assert gradcheck.relative_difference(g, -g) == pytest.approx(1.0)


# ---- 5. init -----------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["zeros", "random", "xavier", "he"])
@pytest.mark.parametrize("dims", [[3, 1], [5, 4, 1], [2, 7, 3, 6, 1], [12288, 20, 7, 5, 1]])
def test_init_shapes_and_zero_biases(method, dims):
    p = init.initialize_parameters_deep(dims, method, seed=0)
    L = len(dims) - 1
    assert set(p) == {f"W{l}" for l in range(1, L + 1)} | {f"b{l}" for l in range(1, L + 1)}
    for l in range(1, L + 1):
        assert p[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert p[f"b{l}"].shape == (dims[l], 1)
        assert np.all(p[f"b{l}"] == 0)
        assert p[f"W{l}"].dtype == np.float64


@pytest.mark.parametrize("method, expected_std", [
    ("zeros", lambda n_prev: 0.0),
    ("random", lambda n_prev: 0.01),
    ("xavier", lambda n_prev: np.sqrt(1 / n_prev)),
    ("he", lambda n_prev: np.sqrt(2 / n_prev)),
], ids=["zeros", "random", "xavier", "he"])
def test_init_statistics(method, expected_std):
    dims = [800, 400, 250]
    p = init.initialize_parameters_deep(dims, method, seed=123)
    for l in (1, 2):
        W = p[f"W{l}"]
        std = expected_std(dims[l - 1])
        if std == 0:
            assert np.all(W == 0)
            continue
        # ~10⁵ samples: the sample std is within ≈ 0.3 % of σ, the mean within ≈ 0.003 σ
        assert np.std(W) == pytest.approx(std, rel=0.02)
        assert abs(np.mean(W)) < 0.02 * std


def test_init_random_scale_argument():
    p = init.initialize_parameters_deep([500, 400], "random", seed=1, scale=10.0)
    assert np.std(p["W1"]) == pytest.approx(10.0, rel=0.02)


@pytest.mark.parametrize("method", ["random", "xavier", "he"])
def test_init_seeding(method):
    dims = [6, 5, 3, 1]
    a = init.initialize_parameters_deep(dims, method, seed=42)
    b = init.initialize_parameters_deep(dims, method, seed=42)
    c = init.initialize_parameters_deep(dims, method, seed=43)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    assert any(not np.array_equal(a[k], c[k]) for k in a if k.startswith("W"))
    gen = init.initialize_parameters_deep(dims, method, seed=np.random.default_rng(42))
    for k in a:
        np.testing.assert_array_equal(a[k], gen[k])


@pytest.mark.parametrize("method", ["zeros", "random", "xavier", "he"])
def test_init_dtype_float32(method):
    p = init.initialize_parameters_deep([4, 3, 1], method, seed=0, dtype=np.float32)
    assert all(v.dtype == np.float32 for v in p.values())


@pytest.mark.parametrize("method", ["glorot", "", "He", None])
def test_init_unknown_method_raises(method):
    with pytest.raises(ValueError):
        init.initialize_parameters_deep([3, 2, 1], method)


# ---- 7. optim ----------------------------------------------------------------------------------

@pytest.mark.parametrize("alpha", [0.0, 0.01, 1.5])
def test_update_parameters(alpha):
    rng = np.random.default_rng(4)
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1)),
              "W2": rng.standard_normal((1, 3)), "b2": rng.standard_normal((1, 1))}
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}
    grads["dA0"] = rng.standard_normal((2, 4))
    params0, grads0 = copy.deepcopy(params), copy.deepcopy(grads)
    new = optim.update_parameters(params, grads, alpha)
    assert set(new) == set(params)
    for k in params:
        np.testing.assert_allclose(new[k], params0[k] - alpha * grads0["d" + k], rtol=1e-15, atol=0)
        assert not np.shares_memory(new[k], params[k])      # editing the result cannot edit the input
    assert_tree_equal(params0, params)
    assert_tree_equal(grads0, grads)


# ---- 3. no function mutates its inputs ---------------------------------------------------------

def _net(hidden="relu", dims=(3, 4, 2, 1), m=5, seed=0):
    rng = np.random.default_rng(seed)
    return random_network(rng, list(dims), m, hidden)


def _mutation_cases():
    rng = np.random.default_rng(0)
    cases = []
    Z = kink_free_z(rng, (3, 4))
    dA = rng.standard_normal((3, 4))
    for name in ACT_NAMES:
        g, gb = activations.get(name)
        cases.append((f"activations.{name}", g, (Z,)))
        cases.append((f"activations.{name}_backward", gb, (dA, Z)))
    A_prev, W, b = random_layer(rng, 3, 2, 4, "relu")
    Zl, lin_cache = layers.linear_forward(A_prev, W, b)
    cases.append(("layers.linear_forward", layers.linear_forward, (A_prev, W, b)))
    cases.append(("layers.linear_backward", layers.linear_backward, (dA, lin_cache)))
    for name in ACT_NAMES:
        _, cache = layers.linear_activation_forward(A_prev, W, b, name)
        cases.append((f"layers.linear_activation_forward[{name}]", layers.linear_activation_forward,
                      (A_prev, W, b, name)))
        cases.append((f"layers.linear_activation_backward[{name}]", layers.linear_activation_backward,
                      (dA, cache, name)))
    X, Y, params = _net()
    AL, caches = models.L_model_forward(X, params)
    grads = models.L_model_backward(AL, Y, caches)
    Y8 = Y.astype(np.uint8)
    cases += [
        ("losses.binary_cross_entropy", losses.binary_cross_entropy, (AL, Y8)),
        ("losses.l2_penalty", losses.l2_penalty, (params, 0.1, 5)),
        ("init.initialize_parameters_deep", init.initialize_parameters_deep, ([3, 4, 1], "he", 0)),
        ("models.L_model_forward", models.L_model_forward, (X, params)),
        ("models.L_model_backward", models.L_model_backward, (AL, Y8, caches)),
        ("models.compute_cost", models.compute_cost, (AL, Y8)),
        ("models.predict", models.predict, (X, params)),
        ("models.accuracy", models.accuracy, (Y8, Y)),
        ("models.train_step", models.train_step, (X, Y8, params, 0.1)),
        ("models.L_layer_model", models.L_layer_model, (X, Y8, [3, 4, 2, 1], 0.1, 3)),
        ("optim.update_parameters", optim.update_parameters, (params, grads, 0.1)),
    ]
    core_AL, core_caches = network.forward(X, params, keep_prob=0.8, rng=np.random.default_rng(0))
    cases += [
        ("network.forward", network.forward, (X, params)),
        ("network.backward", network.backward, (core_AL, Y8, core_caches, "relu", 0.1, True)),
        ("network.cost", network.cost, (core_AL, Y8, params, "sigmoid", 0.1)),
    ]
    w, bb = rng.standard_normal((3, 1)), 0.2
    Xd, Yd = rng.standard_normal((3, 6)), np.array([[0, 1, 1, 0, 1, 0]], dtype=np.uint8)
    cases += [
        ("logistic.initialize_with_zeros", logistic.initialize_with_zeros, (3,)),
        ("logistic.propagate", logistic.propagate, (w, bb, Xd, Yd)),
        ("logistic.optimize", logistic.optimize, (w, bb, Xd, Yd, 5, 0.1)),
        ("logistic.predict", logistic.predict, (w, bb, Xd)),
        ("logistic.model", logistic.model, (Xd, Yd, Xd[:, :2], Yd[:, :2], 5, 0.1)),
    ]
    theta = gradcheck.dictionary_to_vector(params)
    cost = lambda p: ref_bce(models.L_model_forward(X, p)[0], Y)   # noqa: E731
    cases += [
        ("gradcheck.dictionary_to_vector", gradcheck.dictionary_to_vector, (params,)),
        ("gradcheck.vector_to_dictionary", gradcheck.vector_to_dictionary, (theta, params)),
        ("gradcheck.gradients_to_vector", gradcheck.gradients_to_vector, (grads, params)),
        ("gradcheck.numerical_gradient", gradcheck.numerical_gradient, (cost, params)),
        ("gradcheck.relative_difference", gradcheck.relative_difference, (theta, 2 * theta)),
        ("gradcheck.gradient_check", gradcheck.gradient_check, (cost, params, grads)),
    ]
    return cases


MUTATION_CASES = _mutation_cases()


@pytest.mark.parametrize("name, fn, args", MUTATION_CASES, ids=[c[0] for c in MUTATION_CASES])
def test_no_function_mutates_its_inputs(name, fn, args):
    before = copy.deepcopy(args)
    fn(*args)
    assert_tree_equal(before, args, name)


# ---- 4. uint8 and bool labels ------------------------------------------------------------------

LABEL_TYPES = [np.uint8, bool, np.int64]


@pytest.mark.parametrize("dtype", LABEL_TYPES)
def test_bce_with_integer_or_bool_labels(dtype):
    rng = np.random.default_rng(1)
    AL = rng.uniform(0.05, 0.95, (1, 8))
    Y = np.array([[0, 1, 1, 0, 1, 0, 0, 1]], dtype=float)
    assert losses.binary_cross_entropy(AL, Y.astype(dtype)) == losses.binary_cross_entropy(AL, Y)
    assert losses.binary_cross_entropy(AL, Y) == pytest.approx(ref_bce(AL, Y), rel=1e-13)


@pytest.mark.parametrize("dtype", LABEL_TYPES)
@pytest.mark.parametrize("hidden", ["relu", "tanh"])
def test_L_model_backward_with_integer_or_bool_labels(dtype, hidden):
    X, Y, params = _net(hidden, (3, 4, 1), 7, seed=2)
    AL, caches = models.L_model_forward(X, params, hidden)
    ref = models.L_model_backward(AL, Y, caches, hidden)
    got = models.L_model_backward(AL, Y.astype(dtype), caches, hidden)
    assert set(got) == set(ref)
    for k in ref:
        np.testing.assert_array_equal(got[k], ref[k], err_msg=k)
    # and the float result itself is the true gradient (so "same" means "right")
    approx = num_grad_dict(lambda p: ref_bce(models.L_model_forward(X, p, hidden)[0], Y), params)
    assert rel_diff(got["dW1"], approx["dW1"]) < TOL


@pytest.mark.parametrize("dtype", LABEL_TYPES)
def test_logistic_with_integer_or_bool_labels(dtype):
    rng = np.random.default_rng(8)
    X = rng.standard_normal((4, 12))
    Y = (rng.random((1, 12)) < 0.5).astype(float)
    Y[0, :2] = 0, 1
    Yt = Y.astype(dtype)
    w, b = rng.standard_normal((4, 1)), -0.3
    g_ref, c_ref = logistic.propagate(w, b, X, Y)
    g, c = logistic.propagate(w, b, X, Yt)
    assert c == c_ref
    np.testing.assert_array_equal(g["dw"], g_ref["dw"])
    assert g["db"] == g_ref["db"]
    assert c_ref == pytest.approx(ref_bce(ref_sigmoid(w.T @ X + b), Y), rel=1e-12)

    p_ref, _, costs_ref = logistic.optimize(w, b, X, Y, 150, 0.2)
    p, _, costs = logistic.optimize(w, b, X, Yt, 150, 0.2)
    np.testing.assert_array_equal(p["w"], p_ref["w"])
    assert p["b"] == p_ref["b"]
    assert costs == costs_ref

    r_ref = logistic.model(X, Y, X[:, :5], Y[:, :5], 150, 0.2)
    r = logistic.model(X, Yt, X[:, :5], Yt[:, :5], 150, 0.2)
    for k in ("w", "Y_prediction_train", "Y_prediction_dev"):
        np.testing.assert_array_equal(r[k], r_ref[k])
    assert r["b"] == r_ref["b"] and r["costs"] == r_ref["costs"]
    assert all(np.isfinite(r["costs"])) and r["costs"][-1] < r["costs"][0]


@pytest.mark.parametrize("dtype", LABEL_TYPES)
def test_train_step_with_integer_or_bool_labels(dtype):
    X, Y, params = _net("relu", (3, 4, 1), 6, seed=4)
    new_ref, cost_ref = models.train_step(X, Y, params, 0.5)
    new, cost = models.train_step(X, Y.astype(dtype), params, 0.5)
    assert cost == cost_ref
    for k in new_ref:
        np.testing.assert_array_equal(new[k], new_ref[k])


def test_update_keeps_float32_with_a_numpy_learning_rate_and_handles_an_int_bias():
    params = {"W1": np.ones((2, 3), dtype=np.float32), "b1": 0}
    grads = {"dW1": np.full((2, 3), 2, dtype=np.float32), "db1": np.float64(0.5)}
    new = optim.update_parameters(params, grads, np.float64(0.25))
    assert new["W1"].dtype == np.float32 and np.all(new["W1"] == 0.5)
    assert new["b1"] == -0.125
