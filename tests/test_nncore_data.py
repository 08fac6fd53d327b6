"""Tests of nncore.data, nncore.plot, and two learning sanity checks.

Expected values are independent: the flower recipe is re-implemented here with numpy's legacy global RNG,
the digits layout is checked against its own raw images and digit labels, and the learning thresholds are
derived from a majority-class baseline computed in the test.
"""

import copy
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nncore import data, logistic, models, plot

GENERATOR_NAMES = sorted(data.GENERATORS)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def digits():
    return data.load_dataset("digits")


# ---- 9. 2-D generators -------------------------------------------------------------------------

@pytest.mark.parametrize("name", GENERATOR_NAMES)
@pytest.mark.parametrize("m", [10, 400, 1000])
def test_generator_layout(name, m):
    X, Y = data.GENERATORS[name](m=m)
    assert X.shape == (2, m) and X.dtype.kind == "f"
    assert Y.shape == (1, m) and Y.dtype == np.uint8
    assert set(np.unique(Y)) == {0, 1}                          # both classes present, nothing else
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", GENERATOR_NAMES)
@pytest.mark.parametrize("m", [1, 3])
def test_generator_tiny_m(name, m):
    X, Y = data.GENERATORS[name](m=m)
    assert X.shape == (2, m) and X.dtype.kind == "f" and np.all(np.isfinite(X))
    assert Y.shape == (1, m) and Y.dtype == np.uint8 and set(np.unique(Y)) <= {0, 1}


@pytest.mark.parametrize("name", GENERATOR_NAMES)
def test_generator_seeding(name):
    gen = data.GENERATORS[name]
    X1, Y1 = gen(m=200, seed=3)
    X2, Y2 = gen(m=200, seed=3)
    X3, _ = gen(m=200, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", GENERATOR_NAMES)
def test_generators_leave_global_rng_alone(name):
    state = np.random.get_state()
    try:
        np.random.seed(12345)
        expected = np.random.random(3)
        np.random.seed(12345)
        data.GENERATORS[name](m=50, seed=1)
        np.testing.assert_array_equal(np.random.random(3), expected)
    finally:
        np.random.set_state(state)


@pytest.mark.parametrize("name", GENERATOR_NAMES)
def test_make_2d_by_name(name):
    X, Y = data.make_2d(name, m=60, seed=2)
    X_ref, Y_ref = data.GENERATORS[name](m=60, seed=2)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(Y, Y_ref)


def test_make_2d_unknown_name_raises():
    with pytest.raises(ValueError, match="moons"):
        data.make_2d("bananas")


def _public_flower_recipe():
    """The lecture's planar data set, written out with numpy's legacy global RNG (state restored after)."""
    state = np.random.get_state()
    try:
        np.random.seed(1)
        N = 400
        half = N // 2
        X = np.zeros((N, 2))
        Y = np.zeros((N, 1), dtype="uint8")
        a = 4
        for j in range(2):
            ix = range(half * j, half * (j + 1))
            t = np.linspace(j * 3.12, (j + 1) * 3.12, half) + np.random.randn(half) * 0.2
            r = a * np.sin(4 * t) + np.random.randn(half) * 0.2
            X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
            Y[ix] = j
        return X.T, Y.T
    finally:
        np.random.set_state(state)


def test_make_flower_reproduces_the_public_recipe():
    X_ref, Y_ref = _public_flower_recipe()
    X, Y = data.make_flower()
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(Y, Y_ref)


@pytest.mark.parametrize("m", [7, 401])
def test_make_flower_odd_m_has_no_phantom_point(m):
    # Every column must be a genuine draw of the recipe: an odd m once left the last column undrawn at
    # exactly (0, 0) with label 0 (a probability-zero point). The classes split m as evenly as possible.
    X, Y = data.make_flower(m=m)
    assert X.shape == (2, m) and Y.shape == (1, m)
    assert not np.any(np.all(X == 0, axis=0)), "a column of X is exactly (0, 0): it was never drawn"
    assert sorted([int(np.sum(Y == 0)), int(np.sum(Y == 1))]) == [m // 2, m - m // 2]


@pytest.mark.parametrize("m, dev_fraction", [(10, 0.3), (101, 0.25), (400, 0.5), (2, 0.5)])
def test_train_dev_split_partitions_columns(m, dev_fraction):
    X = np.vstack([np.arange(m), -2.0 * np.arange(m)])       # column i is identified by X[0, i] = i
    Y = (np.arange(m) % 3 == 0).astype(np.uint8).reshape(1, m)
    X_before, Y_before = X.copy(), Y.copy()
    X_tr, Y_tr, X_dev, Y_dev = data.train_dev_split(X, Y, dev_fraction=dev_fraction, seed=5)
    n_dev = int(round(dev_fraction * m))
    assert X_dev.shape == (2, n_dev) and X_tr.shape == (2, m - n_dev)
    assert Y_dev.shape == (1, n_dev) and Y_tr.shape == (1, m - n_dev)
    ids_tr, ids_dev = X_tr[0].astype(int), X_dev[0].astype(int)
    assert set(ids_tr).isdisjoint(ids_dev)
    assert sorted(np.concatenate([ids_tr, ids_dev])) == list(range(m))
    for Xs, Ys in ((X_tr, Y_tr), (X_dev, Y_dev)):               # labels travel with their columns
        np.testing.assert_array_equal(Xs[1], -2.0 * Xs[0])
        np.testing.assert_array_equal(Ys[0], (Xs[0].astype(int) % 3 == 0).astype(np.uint8))
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(Y, Y_before)
    again = data.train_dev_split(X, Y, dev_fraction=dev_fraction, seed=5)
    np.testing.assert_array_equal(again[0], X_tr)


# ---- 9. shipped data sets ----------------------------------------------------------------------

@pytest.mark.parametrize("split, m", [("train", 209), ("dev", 588), ("test", 1000)])
def test_load_digits_layout(digits, split, m):
    X, Y = getattr(digits, f"X_{split}"), getattr(digits, f"Y_{split}")
    images = getattr(digits, f"images_{split}")
    assert X.shape == (64, m) and X.dtype == np.float64
    assert X.min() >= 0 and X.max() <= 1 and X.max() == 1.0  # scaled by the raw maximum 16
    assert Y.shape == (1, m) and set(np.unique(Y)) == {0, 1}
    assert images.shape == (m, 8, 8)
    # column i is image i, flattened row by row and divided by 16
    np.testing.assert_array_equal(X, images.reshape(m, 64).T / 16.0)
    np.testing.assert_array_equal(X[:, 3].reshape(8, 8), images[3] / 16.0)
    digit = digits.extra[f"Y_{split}_digit"]
    assert digit.shape == (1, m) and set(np.unique(digit)) <= set(range(10))
    np.testing.assert_array_equal(Y == 1, digit >= 5)


def test_load_digits_metadata(digits):
    assert isinstance(digits.classes, list) and len(digits.classes) == 2
    assert all(isinstance(c, str) for c in digits.classes)
    assert digits.image_shape == (8, 8)
    # the three splits are disjoint examples: no image of dev or test appears in train
    train = {im.tobytes() for im in digits.images_train}
    dup = sum(im.tobytes() in train for im in digits.images_test)
    assert dup < 0.05 * len(digits.images_test)   # (a few digits are pixel-identical by chance)


def test_load_dataset_float32(digits):
    d32 = data.load_dataset("digits", dtype=np.float32)
    assert d32.X_train.dtype == np.float32 and d32.Y_train.dtype == np.float32
    np.testing.assert_allclose(d32.X_dev, digits.X_dev, rtol=1e-7)


def test_load_dataset_unknown_name_lists_available_sets():
    with pytest.raises(FileNotFoundError) as info:
        data.load_dataset("no_such_set")
    message = str(info.value)
    assert "no_such_set" in message and "digits" in message


def test_load_photo():
    photo = data.load_photo()
    assert photo.shape == (64, 64, 3) and photo.dtype == np.uint8
    assert photo.std() > 10                                       # an actual picture, not a flat fill


# ---- 10. learning sanity checks ----------------------------------------------------------------

def test_logistic_regression_learns_digits(digits):
    result = logistic.model(digits.X_train, digits.Y_train, digits.X_dev, digits.Y_dev,
                            num_iterations=2000, learning_rate=0.5)
    majority = float(np.mean(digits.Y_train) >= 0.5)              # the training set's majority class
    baseline = float(np.mean(digits.Y_dev == majority))
    dev_acc = float(np.mean(result["Y_prediction_dev"] == digits.Y_dev))
    train_acc = float(np.mean(result["Y_prediction_train"] == digits.Y_train))
    assert dev_acc > baseline + 0.25, (dev_acc, baseline)
    assert train_acc > baseline + 0.25
    assert result["Y_prediction_dev"].shape == digits.Y_dev.shape
    costs = result["costs"]
    assert len(costs) == 20 and all(np.diff(costs) < 0)           # every 100 its, steadily down


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_layer_tanh_network_learns_the_flower(seed):
    X, Y = data.make_flower()
    majority = float(np.mean(Y) >= 0.5)
    baseline = float(np.mean(np.equal(Y, majority)))              # 0.5 for the balanced flower
    params, costs = models.L_layer_model(X, Y, [2, 8, 1], learning_rate=1.0, num_iterations=3000,
                                         init_method="xavier", seed=seed, hidden="tanh")
    acc = models.accuracy(models.predict(X, params, "tanh"), Y)
    assert acc > 0.8 and acc > baseline + 0.25, acc
    assert len(costs) == 31 and costs[-1] < 0.5 * costs[0]


def test_logistic_regression_cannot_learn_the_flower():
    # The flower is the lecture's example of a set no linear boundary separates: a control for the above.
    X, Y = data.make_flower()
    result = logistic.model(X, Y, X, Y, num_iterations=1000, learning_rate=1.0)
    assert float(np.mean(result["Y_prediction_train"] == Y)) < 0.7


# ---- 11. plots ---------------------------------------------------------------------------------

def _probability(P):
    return 1 / (1 + np.exp(-(P[0:1] - 0.5 * P[1:2])))


@pytest.mark.parametrize("with_dev", [False, True])
def test_decision_boundary(with_dev):
    X, Y = data.make_moons(m=80, seed=1)
    X_tr, Y_tr, X_dev, Y_dev = data.train_dev_split(X, Y, 0.25, seed=0)
    kwargs = {"X_dev": X_dev, "Y_dev": Y_dev} if with_dev else {}
    ax = plot.decision_boundary(_probability, X_tr, Y_tr, title="moons", resolution=40, **kwargs)
    assert isinstance(ax, Axes)
    assert ax.get_title() == "moons"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    expected = ["train y=0", "dev y=0", "train y=1", "dev y=1"] if with_dev else ["train y=0", "train y=1"]
    assert labels == expected
    assert len(ax.get_images()) == 1                              # the shaded probability map


def test_decision_boundary_on_given_axes_with_network_predictions():
    X, Y = data.make_flower(m=60)
    params, _ = models.L_layer_model(X, Y, [2, 3, 1], learning_rate=0.5, num_iterations=5, hidden="tanh")
    fig, ax = plt.subplots()
    out = plot.decision_boundary(lambda P: models.predict(P, params, "tanh"), X, Y, ax=ax, resolution=20)
    assert out is ax


@pytest.mark.parametrize("log", [False, True])
def test_cost_curves(log):
    curves = {"lr=0.1": [0.7, 0.5, 0.4], "lr=1": [0.7, 0.3, 0.2, 0.15], 0.01: [0.7, 0.69]}
    ax = plot.cost_curves(curves, every=50, log=log, title="costs")
    assert isinstance(ax, Axes)
    assert len(ax.get_lines()) == 3
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [0, 50, 100, 150])
    assert ax.get_yscale() == ("log" if log else "linear")


@pytest.mark.parametrize("with_predictions", [False, True])
def test_image_grid_digits(digits, with_predictions):
    k = 10
    predicted = (1 - digits.Y_dev[:, :k]) if with_predictions else None      # all wrong, floats
    fig = plot.image_grid(digits.images_dev[:k], digits.Y_dev[:, :k], predicted, classes=digits.classes,
                          columns=4)
    assert isinstance(fig, Figure)
    axes = fig.get_axes()
    assert len(axes) == 12                                        # 3 rows × 4 columns
    titles = [a.get_title() for a in axes[:k]]
    true_names = [digits.classes[int(y)] for y in digits.Y_dev[0, :k]]
    if with_predictions:
        assert all(t.endswith(" / " + name) for t, name in zip(titles, true_names))
    else:
        assert titles == true_names
    assert all(a.get_title() == "" for a in axes[k:])


def test_image_grid_colour_images_without_classes():
    photo = data.load_photo()
    images = np.stack([photo, photo[::-1], photo[:, ::-1]])
    fig = plot.image_grid(images, [0, 1, 1], predicted=np.array([[0, 0, 1]]))
    assert isinstance(fig, Figure)
    assert [a.get_title() for a in fig.get_axes()[:3]] == ["0 / 0", "0 / 1", "1 / 1"]


def test_plots_do_not_mutate_inputs():
    X, Y = data.make_moons(m=40, seed=0)
    curves = {"a": [1.0, 0.5]}
    before = copy.deepcopy((X, Y, curves))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        plot.decision_boundary(_probability, X, Y, X_dev=X[:, :5], Y_dev=Y[:, :5], resolution=20)
        plot.cost_curves(curves)
    np.testing.assert_array_equal(X, before[0])
    np.testing.assert_array_equal(Y, before[1])
    assert curves == before[2]
