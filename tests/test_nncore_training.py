"""Tests of nncore's Course 2 core: dropout and batch-norm layers, softmax cross-entropy, the optimizers,
schedules, mini-batches, exponentially weighted averages and the Trainer.

Expected values come from independent mathematics: closed forms written here and the fourth-order
numerical gradients of ``numerics.py`` (never ``nncore.gradcheck``).
"""

import numpy as np
import pytest

from nncore import data, layers, losses, optim, training
from numerics import TOL, num_grad, rel_diff

RNG = np.random.default_rng(2026)


# ---- layers ---------------------------------------------------------------------------------------

def test_dropout_keeps_a_fraction_and_preserves_the_expected_activation():
    A = np.ones((200, 500))
    A_drop, (D, keep_prob) = layers.dropout_forward(A, 0.8, np.random.default_rng(0))
    assert D.dtype == bool and D.shape == A.shape and keep_prob == 0.8
    assert abs(D.mean() - 0.8) < 0.01
    assert abs(A_drop.mean() - 1.0) < 0.01          # inverted dropout: E[A_drop] = A
    np.testing.assert_array_equal(A_drop[~D], 0)
    np.testing.assert_allclose(A_drop[D], 1 / 0.8)


def test_dropout_draws_a_fresh_mask_each_call_and_backward_uses_the_same_mask():
    rng = np.random.default_rng(1)
    A = RNG.normal(size=(4, 6))
    _, (D1, _) = layers.dropout_forward(A, 0.5, rng)
    _, (D2, _) = layers.dropout_forward(A, 0.5, rng)
    assert (D1 != D2).any()
    dA = RNG.normal(size=A.shape)
    np.testing.assert_allclose(layers.dropout_backward(dA, (D1, 0.5)), dA * D1 * 2)


def test_batchnorm_normalizes_each_unit_over_the_examples():
    Z = RNG.normal(3.0, 5.0, size=(4, 50))
    Z_tilde, (Z_norm, _, _, mu, var) = layers.batchnorm_forward(Z, np.ones((4, 1)), np.zeros((4, 1)))
    np.testing.assert_allclose(Z_tilde.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Z_tilde.var(axis=1), 1, atol=1e-5)      # ε = 1e-5 shrinks it a hair
    np.testing.assert_allclose(mu[:, 0], Z.mean(axis=1))
    np.testing.assert_allclose(var[:, 0], Z.var(axis=1))
    gamma, beta = np.full((4, 1), 2.0), np.full((4, 1), -1.0)
    Z_tilde, _ = layers.batchnorm_forward(Z, gamma, beta)
    np.testing.assert_allclose(Z_tilde, 2.0 * Z_norm - 1.0)


def test_batchnorm_backward_matches_numerical_gradients():
    m = 7
    Z, gamma, beta = RNG.normal(size=(3, m)), RNG.normal(size=(3, 1)), RNG.normal(size=(3, 1))
    G = RNG.normal(size=(3, m))                                 # J = (1/m) Σ G ⊙ Z̃, so dZ̃ = G (course scaling)
    _, cache = layers.batchnorm_forward(Z, gamma, beta)
    dZ, dgamma, dbeta = layers.batchnorm_backward(G, cache)

    def J(Z_, g_, b_):
        return float(np.sum(G * layers.batchnorm_forward(Z_, g_, b_)[0])) / m

    assert rel_diff(dZ / m, num_grad(lambda v: J(v, gamma, beta), Z)) < TOL
    assert rel_diff(dgamma, num_grad(lambda v: J(Z, v, beta), gamma)) < TOL
    assert rel_diff(dbeta, num_grad(lambda v: J(Z, gamma, v), beta)) < TOL


def test_batchnorm_inference_uses_the_given_statistics():
    Z = RNG.normal(size=(2, 5))
    mu, var = np.array([[1.0], [-2.0]]), np.array([[4.0], [0.25]])
    out = layers.batchnorm_inference(Z, np.ones((2, 1)), np.zeros((2, 1)), mu, var, epsilon=0.0)
    np.testing.assert_allclose(out, (Z - mu) / np.sqrt(var))


# ---- losses ---------------------------------------------------------------------------------------

def test_softmax_cross_entropy_is_the_mean_negative_log_probability_of_the_true_class():
    labels = np.array([2, 0, 1, 2])
    AL = RNG.dirichlet(np.ones(3), size=4).T
    Y = losses.one_hot(labels, 3)
    assert Y.shape == (3, 4) and (Y.sum(axis=0) == 1).all() and (np.argmax(Y, axis=0) == labels).all()
    expected = -np.mean(np.log(AL[labels, np.arange(4)]))
    assert losses.softmax_cross_entropy(AL, Y) == pytest.approx(expected)


def test_softmax_cross_entropy_ignores_zero_probabilities_of_wrong_classes():
    AL = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert losses.softmax_cross_entropy(AL, np.eye(2)) == 0.0


# ---- optimizers -----------------------------------------------------------------------------------

def _params_grads():
    parameters = {"W1": RNG.normal(size=(3, 2)), "b1": RNG.normal(size=(3, 1))}
    grads = {"dW1": RNG.normal(size=(3, 2)), "db1": RNG.normal(size=(3, 1))}
    return parameters, grads


def test_momentum_with_beta_zero_is_gradient_descent_and_carries_its_velocity():
    parameters, grads = _params_grads()
    v = optim.initialize_velocity(parameters)
    assert set(v) == {"dW1", "db1"} and all((x == 0).all() for x in v.values())
    new, _ = optim.update_parameters_with_momentum(parameters, grads, v, beta=0.0, learning_rate=0.1)
    np.testing.assert_allclose(new["W1"], parameters["W1"] - 0.1 * grads["dW1"])
    _, v1 = optim.update_parameters_with_momentum(parameters, grads, v, beta=0.9, learning_rate=0.1)
    _, v2 = optim.update_parameters_with_momentum(parameters, grads, v1, beta=0.9, learning_rate=0.1)
    np.testing.assert_allclose(v2["dW1"], 0.1 * grads["dW1"] + 0.9 * 0.1 * grads["dW1"])


def test_rmsprop_first_step_divides_by_the_root_mean_square():
    parameters, grads = _params_grads()
    s = optim.initialize_velocity(parameters)
    new, s1 = optim.update_parameters_with_rmsprop(parameters, grads, s, beta2=0.9, learning_rate=0.01, epsilon=0)
    np.testing.assert_allclose(s1["dW1"], 0.1 * grads["dW1"] ** 2)
    np.testing.assert_allclose(new["W1"], parameters["W1"] - 0.01 * np.sign(grads["dW1"]) / np.sqrt(0.1))


def test_adam_first_step_moves_every_parameter_by_alpha_against_the_gradient_sign():
    parameters, grads = _params_grads()
    v, s = optim.initialize_adam(parameters)
    new, v1, s1, v_hat, s_hat = optim.update_parameters_with_adam(parameters, grads, v, s, t=1,
                                                                   learning_rate=0.01, epsilon=0)
    np.testing.assert_allclose(new["W1"], parameters["W1"] - 0.01 * np.sign(grads["dW1"]))
    np.testing.assert_allclose(v1["dW1"], 0.1 * grads["dW1"])          # uncorrected averages carry over
    np.testing.assert_allclose(s1["dW1"], 0.001 * grads["dW1"] ** 2)
    np.testing.assert_allclose(v_hat["dW1"], grads["dW1"])
    np.testing.assert_allclose(s_hat["dW1"], grads["dW1"] ** 2)
    assert (v["dW1"] == 0).all() and (parameters["W1"] != new["W1"]).all()   # inputs untouched


def test_adam_second_step_uses_t_two_in_the_bias_correction():
    parameters, grads = _params_grads()
    v, s = optim.initialize_adam(parameters)
    p1, v1, s1, _, _ = optim.update_parameters_with_adam(parameters, grads, v, s, 1, 0.01)
    _, _, _, v_hat, s_hat = optim.update_parameters_with_adam(p1, grads, v1, s1, 2, 0.01)
    np.testing.assert_allclose(v_hat["dW1"], grads["dW1"])             # a constant gradient is unbiased
    np.testing.assert_allclose(s_hat["dW1"], grads["dW1"] ** 2)


@pytest.mark.parametrize("name", optim.OPTIMIZERS)
def test_optimizer_object_matches_the_update_functions_and_counts_t(name):
    parameters, grads = _params_grads()
    optimizer = optim.Optimizer(name)
    p = optimizer.step(parameters, grads, 0.01)
    p = optimizer.step(p, grads, 0.01)
    assert optimizer.t == 2
    expected, v, s = parameters, *optim.initialize_adam(parameters)
    for t in (1, 2):
        if name == "gd":
            expected = optim.update_parameters(expected, grads, 0.01)
        elif name == "momentum":
            expected, v = optim.update_parameters_with_momentum(expected, grads, v, 0.9, 0.01)
        elif name == "rmsprop":
            expected, s = optim.update_parameters_with_rmsprop(expected, grads, s, 0.9, 0.01)
        else:
            expected, v, s, _, _ = optim.update_parameters_with_adam(expected, grads, v, s, t, 0.01)
    for k in parameters:
        np.testing.assert_allclose(p[k], expected[k])


def test_unknown_optimizer_is_named():
    with pytest.raises(ValueError, match="adam"):
        optim.Optimizer("adamw")


@pytest.mark.parametrize("m, size", [(10, 3), (9, 3), (5, 64), (1, 2)])
def test_random_mini_batches_cover_every_example_once_and_keep_pairs(m, size):
    X = np.arange(2 * m).reshape(2, m).astype(float)
    Y = np.arange(m).reshape(1, m)
    batches = optim.random_mini_batches(X, Y, size, seed=0)
    assert [b[0].shape[1] for b in batches] == [size] * (m // size) + ([m % size] if m % size else [])
    seen = np.concatenate([b[1].ravel() for b in batches])
    assert sorted(seen) == list(range(m))
    for X_b, Y_b in batches:
        np.testing.assert_array_equal(X_b[0], Y_b[0])          # column j of X belongs with label j
    if m >= 9:
        assert list(seen) != list(range(m))                    # shuffled


def test_exponentially_weighted_average_closed_form():
    theta = RNG.normal(size=20)
    beta = 0.8
    raw = optim.exponentially_weighted_average(theta, beta, bias_correction=False)
    t = np.arange(1, 21)
    closed = np.array([sum((1 - beta) * beta ** (k - j) * theta[j - 1] for j in range(1, k + 1)) for k in t])
    np.testing.assert_allclose(raw, closed)
    np.testing.assert_allclose(optim.exponentially_weighted_average(theta, beta), closed / (1 - beta ** t))
    np.testing.assert_allclose(optim.exponentially_weighted_average(np.full(5, 3.0), 0.9), 3.0)


def test_schedules():
    assert optim.constant(0.1, 7) == 0.1
    assert optim.inverse_time_decay(0.1, 4, decay_rate=0.5) == pytest.approx(0.1 / 3)
    assert optim.inverse_time_decay(0.1, 2500, decay_rate=0.3, time_interval=1000) == pytest.approx(0.1 / 1.6)
    assert optim.exponential_decay(0.1, 3) == pytest.approx(0.1 * 0.95 ** 3)
    assert optim.sqrt_decay(0.1, 3, k=2) == pytest.approx(0.1)
    assert optim.step_decay(0.1, 250, drop=0.5, every=100) == pytest.approx(0.025)
    assert set(optim.SCHEDULES) == {"constant", "inverse_time", "exponential", "sqrt", "step"}


# ---- the Trainer (the network it trains: test_nncore_network.py) ---------------------------------

def test_cost_adds_the_l2_term():
    trainer = training.Trainer([2, 3, 1], seed=0)
    AL, Y = np.array([[0.8, 0.3]]), np.array([[1, 0]])
    W = [trainer.parameters["W1"], trainer.parameters["W2"]]
    l2 = 0.5 / (2 * 2) * sum(np.sum(w ** 2) for w in W)
    expected = -np.mean(np.log([0.8, 0.7]))
    assert training.cost(AL, Y, trainer.parameters, lambd=0.5) == pytest.approx(expected + l2)


def test_prediction_uses_no_dropout():
    X = RNG.normal(size=(2, 8))
    trainer = training.Trainer([2, 6, 1], keep_prob=0.5, seed=0)
    np.testing.assert_array_equal(trainer.predict_proba(X), trainer.predict_proba(X))


def test_trainer_learns_xor_and_is_reproducible_by_seed():
    X, Y = data.make_2d("xor", 200, seed=0)
    runs = []
    for _ in range(2):
        trainer = training.Trainer([2, 8, 1], hidden="tanh", optimizer="adam", learning_rate=0.02,
                                   mini_batch_size=32, seed=3)
        trainer.run_epochs(X, Y, 100)
        runs.append(trainer.predict_proba(X))
    np.testing.assert_array_equal(runs[0], runs[1])
    assert trainer.evaluate(X, Y)[1] > 0.9 and trainer.epoch == 100


def test_live_changes_take_effect_without_a_reset():
    X, Y = data.make_2d("moons", 100, seed=0)
    trainer = training.Trainer([2, 4, 1], learning_rate=0.1, seed=0)
    trainer.run_epochs(X, Y, 5)
    before = {k: v.copy() for k, v in trainer.parameters.items()}
    trainer.learning_rate = 0.0
    trainer.run_epochs(X, Y, 3)
    for k in before:
        np.testing.assert_array_equal(trainer.parameters[k], before[k])
    assert trainer.epoch == 8
    trainer.schedule, trainer.learning_rate = "inverse_time", 1.0
    assert trainer.current_learning_rate() == pytest.approx(1 / 9)
    trainer.schedule = lambda alpha0, epoch: alpha0 / 2
    assert trainer.current_learning_rate() == 0.5


def test_batchnorm_running_averages_approach_the_data_statistics():
    X = RNG.normal(4.0, 2.0, size=(1, 400))
    Y = (X > 4).astype(float)
    trainer = training.Trainer([1, 3, 1], batchnorm=True, learning_rate=0.0, mini_batch_size=50, seed=0)
    trainer.run_epochs(X, Y, 10)           # α = 0: W1 fixed, so Z1 = W1·X has known statistics
    W1 = trainer.parameters["W1"]
    np.testing.assert_allclose(trainer.running["mu1"], W1 * X.mean(), rtol=0.05, atol=0.05)
    np.testing.assert_allclose(trainer.running["var1"], W1 ** 2 * X.var(), rtol=0.1)


def test_softmax_trainer_predicts_classes_and_train_records_curves():
    X, labels = data.make_2d("blobs", 150, seed=1)
    Y = losses.one_hot(labels, 2)
    trainer, history = training.train(X, Y, [2, 4, 2], 30, X_dev=X, Y_dev=Y, record_every=10,
                                      output="softmax", optimizer="adam", learning_rate=0.05, seed=0)
    assert history["epoch"] == [1, 11, 21, 30]
    assert set(history) == {"epoch", "learning_rate", "cost", "train_cost", "train_accuracy", "dev_cost",
                            "dev_accuracy"}
    assert trainer.predict(X).shape == (1, 150)
    assert history["dev_accuracy"][-1] == pytest.approx(np.mean(trainer.predict(X) == labels))
    assert history["dev_accuracy"][-1] > 0.9


@pytest.mark.parametrize("output, C", [("sigmoid", 1), ("softmax", 3)])
def test_cost_from_logits_equals_the_cost_from_probabilities_and_stays_finite(output, C):
    ZL = RNG.normal(size=(C, 5))
    Y = losses.one_hot(RNG.integers(0, 3, 5), 3) if output == "softmax" else (RNG.random((1, 5)) > 0.5) * 1.0
    g = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=0)}[output]
    assert training.cost(g(ZL), Y, {}, output, ZL=ZL) == pytest.approx(training.cost(g(ZL), Y, {}, output))
    wrong = 800.0 * (1 - 2 * Y)            # every prediction confidently wrong: σ or softmax rounds to 0
    with np.errstate(divide="raise", invalid="raise", over="raise"):
        confident_cost = training.cost(None, Y, {}, output, ZL=wrong)
    # sigmoid: −log σ(−800) = 800; softmax over (−800, 800, 800): −log(e⁻⁸⁰⁰ / 2e⁸⁰⁰) = 1600 + log 2
    assert confident_cost == pytest.approx(800.0 if output == "sigmoid" else 1600.0 + np.log(2))


def test_a_small_last_batch_moves_the_running_averages_in_proportion_to_its_size():
    trainer = training.Trainer([2, 3, 1], batchnorm=True, seed=0)
    mu = np.full((3, 1), 10.0)
    cache = {"bn": (None, None, None, mu, mu)}
    trainer._update_running_averages([cache, {}], momentum=0.9, weight=8 / 64)
    np.testing.assert_allclose(trainer.running["mu1"], 0.1 * 8 / 64 * 10.0)
    np.testing.assert_allclose(trainer.running["var1"], 1 + 0.1 * 8 / 64 * (10.0 - 1))
