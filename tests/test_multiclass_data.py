"""K-class 2-D sets for the Playground: K spiral arms and K blobs (``nncore.data``), checked by geometry."""

import numpy as np
import pytest

from nncore import data


@pytest.mark.parametrize("arms", [2, 3, 5])
def test_each_spiral_arm_is_the_first_arm_turned_by_2_pi_k_over_K(arms):
    turns = 1.5
    X, Y = data.make_spirals(m=301, noise=0.0, seed=3, arms=arms, turns=turns)
    assert X.shape == (2, 301) and Y.dtype == np.uint8
    assert list(np.bincount(Y[0])) == [301 // arms] * (arms - 1) + [301 - (arms - 1) * (301 // arms)]
    r = np.hypot(*X)
    t = r * turns * np.pi                                   # the generator's parameter, read back from the radius
    angle = np.arctan2(X[1], X[0]) - 2 * np.pi * Y[0] / arms
    assert np.allclose(np.cos(angle), np.cos(t)) and np.allclose(np.sin(angle), np.sin(t))


def test_two_spirals_are_point_symmetric_as_before():
    X, Y = data.make_spirals(m=400, noise=0.0, seed=0)
    first, second = X[:, Y[0] == 0], X[:, Y[0] == 1]
    rng = np.random.default_rng(0)
    t = np.sqrt(rng.random(400)) * 3 * np.pi
    assert np.allclose(first, np.stack([t * np.cos(t), t * np.sin(t)])[:, :200] / (1.5 * np.pi))
    assert np.allclose(second, -np.stack([t * np.cos(t), t * np.sin(t)])[:, 200:] / (1.5 * np.pi))


@pytest.mark.parametrize("classes", [3, 4, 6])
def test_k_blobs_sit_around_a_circle_of_radius_3(classes):
    X, Y = data.make_blobs(m=600 * classes, noise=0.3, seed=1, classes=classes)
    means = np.stack([X[:, Y[0] == k].mean(axis=1) for k in range(classes)])
    assert np.allclose(np.hypot(*means.T), 3, atol=0.05)
    gaps = np.diff(np.unwrap(np.arctan2(means[:, 1], means[:, 0])))
    assert np.allclose(np.abs(gaps), 2 * np.pi / classes, atol=0.03)


def test_two_blobs_stay_where_they_were():
    X, Y = data.make_blobs(m=4000, noise=0.3, seed=2)
    assert X[:, Y[0] == 0].mean(axis=1) == pytest.approx([-2, -2], abs=0.03)
    assert X[:, Y[0] == 1].mean(axis=1) == pytest.approx([2, 2], abs=0.03)


def test_make_2d_gives_k_classes_only_where_a_set_has_them():
    X, Y = data.make_2d("spirals", m=90, seed=1, classes=3)
    assert set(Y[0]) == {0, 1, 2}
    with pytest.raises(ValueError, match="two classes"):
        data.make_2d("flower", classes=3)
