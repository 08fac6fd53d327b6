"""nncore.conv and nncore.lenet: hand-computed examples, the fast path against the loop version, both against
numerical gradients (float64), for strides 1 and 2, paddings 0 to 2, several channel counts and m = 1."""

import itertools

import numpy as np
import pytest

from nncore import conv, data, gradcheck, lenet, losses

CONV_SETTINGS = [pytest.param(stride, pad, channels, m, id=f"stride{stride}-pad{pad}-{channels[0]}to{channels[1]}-m{m}")
                 for stride, pad, (channels, m) in itertools.product(
                     (1, 2), (0, 1, 2), (((1, 2), 1), ((3, 4), 2), ((2, 1), 3)))]
POOL_SETTINGS = [pytest.param(f, stride, mode, m, id=f"{mode}-f{f}-stride{stride}-m{m}")
                 for (f, stride), mode, m in itertools.product(((2, 2), (3, 2), (2, 1), (3, 3)), ("max", "average"),
                                                               (1, 3))]


def conv_inputs(stride, pad, channels, m, f=3, seed=0):
    rng = np.random.default_rng(seed)
    A_prev = rng.normal(size=(m, 7, 8, channels[0]))
    W = rng.normal(size=(f, f, *channels))
    b = rng.normal(size=(1, 1, 1, channels[1]))
    return A_prev, W, b, {"stride": stride, "pad": pad}


# ---- hand-computed examples ---------------------------------------------------------------------

def test_output_size_is_floor_plus_one():
    assert conv.output_size(28, 5, 2, 1) == 28       # LeNet's first layer keeps 28 × 28 ("same")
    assert conv.output_size(14, 5, 0, 1) == 10
    assert conv.output_size(7, 3, 1, 2) == 4         # (7 + 2 − 3)/2 = 3, + 1
    assert conv.output_size(8, 3, 1, 2) == 4         # (8 + 2 − 3)/2 = 3.5 → 3, + 1
    assert conv.output_size(10, 2, 0, 2) == 5


def test_zero_pad_pads_height_and_width_only():
    X = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5) + 1
    X_pad = conv.zero_pad(X, 2)
    assert X_pad.shape == (2, 7, 8, 5) and X_pad.dtype == np.float32
    assert np.array_equal(X_pad[:, 2:5, 2:6, :], X)
    assert X_pad.sum() == X.sum() and not X_pad[:, :2].any() and not X_pad[:, :, -2:].any()


def test_conv_single_step_and_conv_forward_by_hand():
    a = np.arange(9.0).reshape(3, 3, 1)             # 0 1 2 / 3 4 5 / 6 7 8
    W = np.array([[1.0, 0.0], [0.0, -1.0]]).reshape(2, 2, 1)
    assert conv.conv_single_step(a[:2, :2], W, np.array([[[0.5]]])) == 0 - 4 + 0.5
    # cross-correlation, not flipped: every window gives top-left − bottom-right = −4
    Z, cache = conv.conv_forward(a[None], W[..., None], np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 0})
    assert Z.shape == (1, 2, 2, 1) and np.array_equal(Z[0, :, :, 0], [[-4, -4], [-4, -4]])
    assert cache[0] is not None and cache[3] == {"stride": 1, "pad": 0}
    # pad 1, stride 2: windows at rows/cols 0 and 2 of the padded 5 × 5 picture P, each P[r, c] − P[r + 1, c + 1]
    # (P[1:4, 1:4] = a): (0, 0) → 0 − a[0, 0], (0, 2) → 0 − a[0, 2], (2, 0) → 0 − a[2, 0], (2, 2) → a[1, 1] − a[2, 2]
    Z, _ = conv.conv_forward(a[None], W[..., None], np.zeros((1, 1, 1, 1)), {"stride": 2, "pad": 1})
    assert np.array_equal(Z[0, :, :, 0], [[0 - 0, 0 - 2], [0 - 6, 4 - 8]])


def test_pooling_by_hand_ties_go_to_the_first_maximum():
    A = np.array([[3.0, 3.0, 1.0, 0.0], [3.0, 1.0, 2.0, 2.0]]).reshape(1, 2, 4, 1)
    hp = {"f": 2, "stride": 2}
    A_max, cache = conv.pool_forward(A, hp, "max")
    assert np.array_equal(A_max.ravel(), [3, 2])
    dA = np.array([10.0, 20.0]).reshape(1, 1, 2, 1)
    assert np.array_equal(conv.pool_backward(dA, cache, "max")[0, :, :, 0], [[10, 0, 0, 0], [0, 0, 20, 0]])
    A_avg, cache = conv.pool_forward(A, hp, "average")
    assert np.array_equal(A_avg.ravel(), [2.5, 1.25])
    assert np.array_equal(conv.pool_backward(dA, cache, "average")[0, :, :, 0], [[2.5, 2.5, 5, 5], [2.5, 2.5, 5, 5]])


def test_flatten_gives_one_column_per_example_and_unflatten_undoes_it():
    A = np.random.default_rng(0).normal(size=(3, 5, 5, 16))
    columns = conv.flatten(A)
    assert columns.shape == (400, 3) and np.array_equal(columns[:, 1], A[1].ravel())
    assert np.array_equal(conv.unflatten(columns, A.shape), A)


# ---- fast path = loop version = numerical gradients -------------------------------------------------

@pytest.mark.parametrize("stride, pad, channels, m", CONV_SETTINGS)
def test_conv_fast_path_agrees_with_the_loops(stride, pad, channels, m):
    A_prev, W, b, hp = conv_inputs(stride, pad, channels, m)
    Z, cache = conv.conv_forward(A_prev, W, b, hp)
    Z_loops, cache_loops = conv.conv_forward_loops(A_prev, W, b, hp)
    assert Z.shape == (m, conv.output_size(7, 3, pad, stride), conv.output_size(8, 3, pad, stride), channels[1])
    assert np.allclose(Z, Z_loops, rtol=1e-12, atol=1e-12)
    dZ = np.random.default_rng(1).normal(size=Z.shape)
    fast, loops = conv.conv_backward(dZ, cache), conv.conv_backward_loops(dZ, cache_loops)
    for got, want in zip(fast, loops):
        assert got.shape == want.shape and np.allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("stride, pad, channels, m", CONV_SETTINGS)
def test_conv_backward_agrees_with_numerical_gradients(stride, pad, channels, m):
    """J = Σ G ⊙ Z, so dZ = G; dA_prev = ∂J/∂A_prev, and dW, db are ∂J/∂W, ∂J/∂b averaged over the m examples."""
    A_prev, W, b, hp = conv_inputs(stride, pad, channels, m, seed=2)
    G = np.random.default_rng(3).normal(size=conv.conv_forward(A_prev, W, b, hp)[0].shape)
    def cost(p):
        return float(np.sum(G * conv.conv_forward(p["A"], p["W"], p["b"], hp)[0]))

    numerical = gradcheck.numerical_gradient(cost, {"A": A_prev, "W": W, "b": b})
    _, cache = conv.conv_forward(A_prev, W, b, hp)
    for backward in (conv.conv_backward, conv.conv_backward_loops):
        dA_prev, dW, db = backward(G, cache)
        assert gradcheck.relative_difference(dA_prev, numerical["dA"]) < 1e-8
        assert gradcheck.relative_difference(m * dW, numerical["dW"]) < 1e-8
        assert gradcheck.relative_difference(m * db, numerical["db"]) < 1e-8


@pytest.mark.parametrize("f, stride, mode, m", POOL_SETTINGS)
def test_pool_fast_path_agrees_with_the_loops_ties_included(f, stride, mode, m):
    A_prev = np.random.default_rng(4).integers(0, 3, size=(m, 7, 8, 3)).astype(np.float64)   # many ties
    hp = {"f": f, "stride": stride}
    A, cache = conv.pool_forward(A_prev, hp, mode)
    assert A.shape == (m, conv.output_size(7, f, 0, stride), conv.output_size(8, f, 0, stride), 3)
    assert np.array_equal(A, conv.pool_forward_loops(A_prev, hp, mode)[0])
    dA = np.random.default_rng(5).normal(size=A.shape)
    assert np.allclose(conv.pool_backward(dA, cache, mode), conv.pool_backward_loops(dA, cache, mode),
                       rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("f, stride, mode, m", POOL_SETTINGS)
def test_pool_backward_agrees_with_numerical_gradients(f, stride, mode, m):
    A_prev = np.random.default_rng(6).normal(size=(m, 7, 8, 2))   # distinct values: the max is differentiable
    hp = {"f": f, "stride": stride}
    A, cache = conv.pool_forward(A_prev, hp, mode)
    G = np.random.default_rng(7).normal(size=A.shape)
    numerical = gradcheck.numerical_gradient(lambda p: float(np.sum(G * conv.pool_forward(p["A"], hp, mode)[0])),
                                             {"A": A_prev})
    assert gradcheck.relative_difference(conv.pool_backward(G, cache, mode), numerical["dA"]) < 1e-8


def test_float32_stays_float32_and_inputs_are_not_changed():
    A_prev, W, b, hp = (x.astype(np.float32) if isinstance(x, np.ndarray) else x for x in conv_inputs(2, 1, (3, 4), 2))
    copies = [A_prev.copy(), W.copy(), b.copy()]
    Z, cache = conv.conv_forward(A_prev, W, b, hp)
    grads = conv.conv_backward(np.ones_like(Z), cache)
    P, pool_cache = conv.pool_forward(Z, {"f": 2, "stride": 2})
    dZ = conv.pool_backward(np.ones_like(P), pool_cache)
    assert {x.dtype for x in (Z, *grads, P, dZ)} == {np.dtype(np.float32)}
    assert all(np.array_equal(x, y) for x, y in zip((A_prev, W, b), copies))


@pytest.mark.parametrize("shape, n_C, pad, column_major", [((28, 28, 1), 6, 2, True), ((14, 14, 6), 16, 0, False)],
                         ids=["conv1", "conv2"])
def test_lenet_layers_in_float32_agree_with_the_loops(shape, n_C, pad, column_major):
    """LeNet's two convolutions as benchmarks/conv.py times them, in float32: the first copies its im2col columns
    column-major (one input channel), the second row-major; both against the float64 loops to float32 precision."""
    rng = np.random.default_rng(9)
    A_prev, W = rng.normal(size=(2, *shape)), rng.normal(size=(5, 5, shape[2], n_C)) * 0.2
    b, hp, n = rng.normal(size=(1, 1, 1, n_C)), {"stride": 1, "pad": pad}, conv.output_size(shape[0], 5, pad, 1)
    assert conv._columns(conv.zero_pad(A_prev, pad), 5, 1, n, n).flags.f_contiguous == column_major
    Z, cache = conv.conv_forward(*(x.astype(np.float32) for x in (A_prev, W, b)), hp)
    Z_loops, cache_loops = conv.conv_forward_loops(A_prev, W, b, hp)
    assert Z.dtype == np.float32 and np.allclose(Z, Z_loops, rtol=1e-4, atol=1e-4)
    dZ = rng.normal(size=Z.shape)
    for got, want in zip(conv.conv_backward(dZ.astype(np.float32), cache), conv.conv_backward_loops(dZ, cache_loops)):
        assert got.dtype == np.float32 and np.allclose(got, want, rtol=1e-4, atol=1e-4)


def test_a_first_layer_can_skip_dA_prev():
    A_prev, W, b, hp = conv_inputs(1, 2, (1, 6), 3)
    Z, cache = conv.conv_forward(A_prev, W, b, hp)
    dA_prev, dW, db = conv.conv_backward(Z, cache, need_dA_prev=False)
    assert dA_prev is None
    assert np.array_equal(dW, conv.conv_backward(Z, cache)[1]) and np.array_equal(db, conv.conv_backward(Z, cache)[2])


# ---- LeNet ----------------------------------------------------------------------------------------------

def test_lenet5_has_the_lecture_shapes_and_parameter_count():
    parameters = lenet.initialize_lenet(seed=0)
    assert {k: v.shape for k, v in parameters.items()} == {
        "W1": (5, 5, 1, 6), "b1": (1, 1, 1, 6), "W2": (5, 5, 6, 16), "b2": (1, 1, 1, 16), "W3": (120, 400),
        "b3": (120, 1), "W4": (84, 120), "b4": (84, 1), "W5": (10, 84), "b5": (10, 1)}
    # (5·5·1 + 1)·6 + (5·5·6 + 1)·16 + (400 + 1)·120 + (120 + 1)·84 + (84 + 1)·10
    assert lenet.count_parameters(parameters) == 156 + 2416 + 48120 + 10164 + 850 == 61706
    AL, caches = lenet.lenet_forward(np.random.default_rng(0).random((3, 28, 28, 1)), parameters)
    assert AL.shape == (10, 3) and np.allclose(AL.sum(axis=0), 1)
    assert caches["conv1"][1].shape == (3, 28, 28, 6) and caches["conv2"][1].shape == (3, 10, 10, 16)
    assert caches["flatten"] == (3, 5, 5, 16) and caches["dense3"][0][0].shape == (400, 3)


def test_lenet_backward_agrees_with_numerical_gradients():
    """A small LeNet (16 × 16 pictures, 2 and 3 channels): every gradient against the centred difference of
    the softmax cross-entropy, which averages over m like dW and db."""
    rng = np.random.default_rng(8)
    parameters = lenet.initialize_lenet(rng, (16, 16, 1), (2, 3), (6, 5), 4)
    parameters = {k: v + rng.normal(size=v.shape) * 0.1 for k, v in parameters.items()}
    X, Y = rng.random((3, 16, 16, 1)), np.eye(4)[:, [0, 3, 1]]

    def cost(p):
        return losses.softmax_cross_entropy(lenet.lenet_forward(X, p)[0], Y)

    AL, caches = lenet.lenet_forward(X, parameters)
    grads = lenet.lenet_backward(AL, Y, caches)
    assert list(grads) == [f"d{k}" for k in parameters]
    numerical = gradcheck.numerical_gradient(cost, parameters)
    differences = {k: gradcheck.relative_difference(grads[f"d{k}"], numerical[f"d{k}"]) for k in parameters}
    assert max(differences.values()) < 1e-6, differences


def test_training_lowers_the_cost_and_predicts_classes():
    fashion = data.load_dataset("fashion_mnist")
    X = (fashion.images_train[:256] / 255.0)[..., None]
    Y = losses.one_hot(fashion.Y_train[:, :256], 10)
    parameters, history = lenet.train_lenet(X, Y, 2, X[:64], fashion.Y_train[:, :64], learning_rate=0.003, seed=0)
    assert history["cost"][1] < history["cost"][0]
    assert len(history["dev_accuracy"]) == 2 and history["seconds"][1] > history["seconds"][0] > 0
    assert lenet.predict(X[:70], parameters, batch=32).shape == (1, 70)
