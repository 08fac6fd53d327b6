"""Assignment 10 "Hyperparameter search, batch normalization and softmax": the solution passes, equivalent answers
pass, and every hint the checker gives on this assignment's functions is proven by planting that bug in a correct
answer. Expected values come from nncore or from independent math (a centred difference), never from the answer."""

import functools

import numpy as np
import pytest

from autograder.learner.exercises import batchnorm_softmax as bs
from learner import cell, plant_in
from learner import failure as report
from nncore import gradcheck, losses

check = bs.check

# The notebook's solution, as a learner would write it.
SOLUTION = '''
def sample_log_uniform(low, high, n, seed):
    rng = np.random.default_rng(seed)
    r = rng.uniform(np.log10(low), np.log10(high), n)
    samples = 10 ** r
    return samples

def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    A = E / np.sum(E, axis=0, keepdims=True)
    return A

def one_hot(labels, C):
    labels = np.asarray(labels).reshape(-1).astype(int)
    m = labels.shape[0]
    Y = np.zeros((C, m))
    Y[labels, np.arange(m)] = 1
    return Y

def compute_cost_softmax(AL, Y):
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL)) / m
    return float(cost)

def softmax_cost_backward(AL, Y):
    dZ = AL - Y
    return dZ

def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    mu = np.mean(Z, axis=1, keepdims=True)
    var = np.mean((Z - mu) ** 2, axis=1, keepdims=True)
    std = np.sqrt(var + epsilon)
    Z_norm = (Z - mu) / std
    Z_tilde = gamma * Z_norm + beta
    cache = (Z_norm, gamma, std, mu, var)
    return Z_tilde, cache

def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std, mu, var = cache
    m = dZ_tilde.shape[1]
    dbeta = np.sum(dZ_tilde, axis=1, keepdims=True) / m
    dgamma = np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True) / m
    dZ_norm = dZ_tilde * gamma
    dZ = (dZ_norm - np.mean(dZ_norm, axis=1, keepdims=True)
          - Z_norm * np.mean(dZ_norm * Z_norm, axis=1, keepdims=True)) / std
    return dZ, dgamma, dbeta

def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
    running_mu = momentum * running_mu + (1 - momentum) * mu
    running_var = momentum * running_var + (1 - momentum) * var
    return running_mu, running_var
'''

NAMES = ["softmax", "one_hot", "compute_cost_softmax", "softmax_cost_backward", "sample_log_uniform",
         "batchnorm_forward", "batchnorm_backward", "update_running_averages"]


def plant(name, old, new, source=SOLUTION):
    """``source`` with ``old`` replaced by ``new`` inside the definition of function ``name`` (a planted bug)."""
    return plant_in(source, name, old, new)


def learner(source=SOLUTION):
    return cell(source)


failure = functools.partial(report, check)


def planted(name, old, new):
    """The check's message for exercise ``name`` when ``old`` becomes ``new`` in its definition."""
    return failure(name, learner(plant(name, old, new))[name])


def passes(name, old, new):
    """The planted change is an equivalent formulation: it passes the visible and a hidden check."""
    fn = learner(plant(name, old, new))[name]
    check(name, fn)
    check(name, fn, seed=31337)


# ---- the solution and equivalent answers pass ---------------------------------------------------

def test_every_exercise_is_in_the_registry_and_the_solution_passes_visible_and_hidden(capsys):
    assert set(NAMES) == set(bs.EXERCISES)
    ns = learner()
    for name in NAMES:
        check(name, ns[name])
        check(name, ns[name], seed=52361)
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 * len(NAMES) and out.err == ""


def test_equivalent_formulations_pass():
    # any base for the log scale: low·(high/low)^u is the same number
    passes("sample_log_uniform", "r = rng.uniform(np.log10(low), np.log10(high), n)\n    samples = 10 ** r",
           "samples = np.exp(rng.uniform(np.log(low), np.log(high), n))")
    passes("sample_log_uniform", "r = rng.uniform(np.log10(low), np.log10(high), n)\n    samples = 10 ** r",
           "samples = low * (high / low) ** rng.random(n)")
    # without keepdims, (m,) still broadcasts along the columns of (C, m)
    passes("softmax", "E = np.exp(Z - np.max(Z, axis=0, keepdims=True))\n    A = E / np.sum(E, axis=0, keepdims=True)",
           "E = np.exp(Z - Z.max(axis=0))\n    A = E / E.sum(axis=0)")
    passes("one_hot", "Y = np.zeros((C, m))\n    Y[labels, np.arange(m)] = 1", "Y = np.eye(C)[labels].T")
    passes("one_hot", "Y = np.zeros((C, m))\n    Y[labels, np.arange(m)] = 1",
           "Y = (np.arange(C)[:, None] == labels[None, :]).astype(int)")
    passes("compute_cost_softmax", "cost = -np.sum(Y * np.log(AL)) / m",
           "cost = -np.mean(np.sum(Y * np.log(AL), axis=0))")
    passes("compute_cost_softmax", "    return float(cost)", "    return np.array([[cost]])")
    # the long way round: dAL = −Y/AL through softmax's Jacobian gives AL − Y too
    passes("softmax_cost_backward", "dZ = AL - Y",
           "dA = -Y.astype(float) / AL\n    dZ = AL * (dA - np.sum(AL * dA, axis=0, keepdims=True))")
    passes("batchnorm_forward", "var = np.mean((Z - mu) ** 2, axis=1, keepdims=True)",
           "var = Z.var(axis=1, keepdims=True)")
    # the step-by-step computational graph (the cs231n way) gives the same dZ
    passes("batchnorm_backward", """dZ_norm = dZ_tilde * gamma
    dZ = (dZ_norm - np.mean(dZ_norm, axis=1, keepdims=True)
          - Z_norm * np.mean(dZ_norm * Z_norm, axis=1, keepdims=True)) / std""", """dZ_norm = dZ_tilde * gamma
    Z_centred = Z_norm * std
    dvar = np.sum(dZ_norm * Z_centred, axis=1, keepdims=True) * -0.5 * std ** -3
    dmu = np.sum(-dZ_norm / std, axis=1, keepdims=True) + dvar * np.mean(-2 * Z_centred, axis=1, keepdims=True)
    dZ = dZ_norm / std + dvar * 2 * Z_centred / m + dmu / m""")


def test_batchnorm_backward_contract_is_the_centred_difference():
    # Independent of nncore's formula: J = Σ G ⊙ Z_tilde has ∂J/∂Z = dZ and ∂J/∂γ = m·dγ, ∂J/∂β = m·dβ
    rng = np.random.default_rng(4)
    params = {"Z": rng.normal(size=(3, 5)) * [[0.1], [1.0], [3.0]], "gamma": rng.uniform(0.5, 2, (3, 1)),
              "beta": rng.normal(size=(3, 1))}
    G = rng.normal(size=(3, 5))
    ns = learner()
    cost = lambda p: float(np.sum(G * ns["batchnorm_forward"](p["Z"], p["gamma"], p["beta"], 1e-3)[0]))  # noqa: E731
    numerical = gradcheck.numerical_gradient(cost, params)
    cache = ns["batchnorm_forward"](params["Z"], params["gamma"], params["beta"], 1e-3)[1]
    dZ, dgamma, dbeta = ns["batchnorm_backward"](G, cache)
    assert gradcheck.relative_difference(dZ, numerical["dZ"]) < 1e-7
    assert gradcheck.relative_difference(5 * dgamma, numerical["dgamma"]) < 1e-7
    assert gradcheck.relative_difference(5 * dbeta, numerical["dbeta"]) < 1e-7


def test_update_running_averages_matches_the_trainer():
    # the contract is what nncore.training.Trainer does after each mini-batch (momentum 0.9)
    from nncore import training
    rng = np.random.default_rng(0)
    X, labels = rng.normal(size=(4, 30)), rng.integers(0, 3, 30)
    trainer = training.Trainer([4, 5, 3], output="softmax", batchnorm=True, seed=0)
    before = dict(trainer.running)
    _, caches = training.forward(X, trainer.parameters, output="softmax", rng=np.random.default_rng(1))
    trainer.run_epochs(X, losses.one_hot(labels, 3))
    _, _, _, mu, var = caches[0]["bn"]
    ours = learner()["update_running_averages"](before["mu1"], before["var1"], mu, var, 0.9)
    assert np.allclose(ours[0], trainer.running["mu1"]) and np.allclose(ours[1], trainer.running["var1"])


# ---- sample_log_uniform -------------------------------------------------------------------------

R = "r = rng.uniform(np.log10(low), np.log10(high), n)"


def test_sample_linear_scale():
    message = planted("sample_log_uniform", R + "\n    samples = 10 ** r", "samples = rng.uniform(low, high, n)")
    assert message.hint == "sampled_on_linear_scale"
    assert "likely cause" in message and "linear scale" in message and "top factor of 10" in message


def test_sample_exponent_between_the_values():
    message = planted("sample_log_uniform", R, "r = rng.uniform(low, high, n)")
    assert message.hint == "exponent_between_low_and_high"
    assert "drew the exponent r between low and high themselves" in message


def test_sample_mixed_bases():
    message = planted("sample_log_uniform", "samples = 10 ** r", "samples = np.exp(r)")
    assert message.hint == "log_bases_mixed" and "two different bases: e raised to an exponent drawn" in message
    message = planted("sample_log_uniform", "np.log10(low), np.log10(high)", "np.log(low), np.log(high)")
    assert message.hint == "log_bases_mixed" and "10 raised to an exponent drawn between natural-log bounds" in message


def test_sample_legacy_generator():
    message = planted("sample_log_uniform", "rng = np.random.default_rng(seed)\n    r = rng.uniform",
                      "np.random.seed(seed)\n    r = np.random.uniform")
    assert message.hint == "legacy_random_seed"
    assert "legacy np.random.seed(seed)" in message


# ---- softmax -----------------------------------------------------------------------------------

def test_softmax_without_subtracting_the_max_overflows():
    message = planted("softmax", "np.exp(Z - np.max(Z, axis=0, keepdims=True))", "np.exp(Z)")
    assert "test case 2 of 3" in message and "huge logits" in message
    assert message.hint == "softmax_overflow"
    assert "np.exp overflows" in message and "subtract each column's maximum" in message


def test_softmax_subtracting_the_global_max():
    message = planted("softmax", "np.max(Z, axis=0, keepdims=True)", "np.max(Z)")
    assert "test case 2 of 3" in message and "maximum of the whole matrix" in message
    assert message.hint == "softmax_global_max"


def test_softmax_not_finite_on_huge_logits_in_another_way():
    # the maximum subtracted in the numerator only: inf where the denominator underflows, neither naive nor global
    fn = learner(plant("softmax", "A = E / np.sum(E, axis=0, keepdims=True)",
                       "A = E / np.sum(np.exp(Z), axis=0, keepdims=True)"))["softmax"]
    case = bs.EXERCISES["softmax"].cases(0)[1]
    with np.errstate(all="ignore"):
        hint = bs._softmax_unstable_hint(case, fn(**case.kwargs))
    assert hint.id == "softmax_unstable" and "NaN or inf on the huge logits" in hint.text


def test_softmax_over_the_wrong_axis():
    message = planted("softmax", """E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    A = E / np.sum(E, axis=0, keepdims=True)""", """E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    A = E / np.sum(E, axis=1, keepdims=True)""")
    assert message.hint == "softmax_over_rows"
    assert "each *row* sums to 1" in message and "axis 0" in message


def test_softmax_sum_without_axis():
    message = planted("softmax", "A = E / np.sum(E, axis=0, keepdims=True)", "A = E / np.sum(E)")
    assert message.hint == "softmax_over_whole_matrix" and "the whole matrix sums to 1" in message


def test_softmax_row_max():
    message = planted("softmax", "np.max(Z, axis=0, keepdims=True)", "np.max(Z, axis=1, keepdims=True)")
    assert message.hint == "softmax_row_max_subtracted" and "each row's maximum (axis=1)" in message


# ---- one_hot -----------------------------------------------------------------------------------

def test_one_hot_eye_on_2d_labels():
    source = SOLUTION.replace("""    labels = np.asarray(labels).reshape(-1).astype(int)
    m = labels.shape[0]
    Y = np.zeros((C, m))
    Y[labels, np.arange(m)] = 1""", """    Y = np.eye(C)[np.asarray(labels).astype(int)]""")
    message = failure("one_hot", learner(source)["one_hot"])
    assert message.hint == "one_hot_classes_on_last_axis"
    assert "np.eye(C)[labels] puts the classes on the last axis" in message


def test_one_hot_examples_as_rows_uses_the_generic_hint():
    message = planted("one_hot", "Y = np.zeros((C, m))\n    Y[labels, np.arange(m)] = 1",
                      "Y = np.zeros((m, C))\n    Y[np.arange(m), labels] = 1")
    assert "the result is transposed" in message and message.hint == "transposed"


# ---- compute_cost_softmax ----------------------------------------------------------------------

COST = "cost = -np.sum(Y * np.log(AL)) / m"


def test_cost_not_averaged():
    message = planted("compute_cost_softmax", COST, "cost = -np.sum(Y * np.log(AL))")
    assert "times too large: the 1/m" in message and message.hint == "missing_1_over_m"


def test_cost_per_example():
    message = planted("compute_cost_softmax", COST + "\n    return float(cost)",
                      "cost = -np.sum(Y * np.log(AL), axis=0)\n    return cost")
    assert message.hint == "cost_not_averaged_over_examples"
    assert "one loss per example" in message


def test_cost_summed_over_the_examples_only():
    message = planted("compute_cost_softmax", COST + "\n    return float(cost)",
                      "cost = -np.sum(Y * np.log(AL), axis=1) / m\n    return cost")
    assert message.hint == "cost_not_summed_over_classes"
    assert "one value per class" in message


def test_cost_mean_over_the_whole_matrix():
    message = planted("compute_cost_softmax", COST, "cost = -np.mean(Y * np.log(AL))")
    assert message.hint == "cost_mean_over_classes"
    assert "times too small: np.mean over the whole (C, m) matrix divides by C·m" in message


def test_cost_binary_cross_entropy():
    message = planted("compute_cost_softmax", COST,
                      "Y = Y.astype(float)\n    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m")
    assert message.hint == "binary_cross_entropy_used" and "binary cross-entropy" in message


def test_cost_labels_used_as_indices():
    message = planted("compute_cost_softmax", COST, "cost = -np.mean(np.log(AL[Y.astype(int), np.arange(m)]))")
    assert message.hint == "one_hot_used_as_indices"
    assert "you used Y as class indices" in message and "already one-hot" in message


def test_cost_sign():
    message = planted("compute_cost_softmax", COST, "cost = np.sum(Y * np.log(AL)) / m")
    assert "sign is flipped" in message and message.hint == "sign_flipped"


# ---- softmax_cost_backward ---------------------------------------------------------------------

def test_backward_divided_by_m():
    message = planted("softmax_cost_backward", "dZ = AL - Y", "dZ = (AL - Y) / Y.shape[1]")
    assert message.hint == "softmax_dz_divided_by_m" and "carries no 1/m" in message


def test_backward_extra_derivative():
    message = planted("softmax_cost_backward", "dZ = AL - Y", "dZ = (AL - Y) * AL * (1 - AL)")
    assert message.hint == "softmax_derivative_applied_twice" and "AL − Y is already ∂J/∂Z[L]" in message


def test_backward_sign():
    message = planted("softmax_cost_backward", "dZ = AL - Y", "dZ = Y - AL")
    assert "sign is flipped" in message and message.hint == "sign_flipped"


def test_backward_uint8_labels():
    message = planted("softmax_cost_backward", "dZ = AL - Y", "dZ = AL + (-Y)")  # −Y wraps on uint8
    assert "test case 2 of 3" in message and "not uint8 ones" in message and message.hint == "uint8_wrap"


# ---- batchnorm_forward -------------------------------------------------------------------------

def test_bn_forward_statistics_per_example():
    message = planted("batchnorm_forward", """mu = np.mean(Z, axis=1, keepdims=True)
    var = np.mean((Z - mu) ** 2, axis=1, keepdims=True)""", """mu = np.mean(Z, axis=0, keepdims=True)
    var = np.mean((Z - mu) ** 2, axis=0, keepdims=True)""")
    assert message.hint == "bn_statistics_per_example"
    assert "the statistics are per example (axis 0" in message


def test_bn_forward_statistics_without_axis():
    message = planted("batchnorm_forward", """mu = np.mean(Z, axis=1, keepdims=True)
    var = np.mean((Z - mu) ** 2, axis=1, keepdims=True)""", """mu = np.mean(Z)
    var = np.mean((Z - mu) ** 2)""")
    assert message.hint == "bn_statistics_over_whole_matrix"
    assert "one mean and one variance are taken over the whole matrix" in message


def test_bn_forward_missing_keepdims():
    message = planted("batchnorm_forward", "mu = np.mean(Z, axis=1, keepdims=True)", "mu = np.mean(Z, axis=1)")
    assert "broadcast" in message and "keepdims=True" in message and message.hint == "shapes_do_not_broadcast"


def test_bn_forward_epsilon_outside_the_root():
    message = planted("batchnorm_forward", "std = np.sqrt(var + epsilon)", "std = np.sqrt(var) + epsilon")
    assert message.hint == "bn_epsilon_outside_root" and "ε is outside the square root" in message


def test_bn_forward_missing_epsilon():
    message = planted("batchnorm_forward", "std = np.sqrt(var + epsilon)", "std = np.sqrt(var)")
    assert message.hint == "bn_epsilon_missing" and "ε is missing" in message


def test_bn_forward_std_in_the_cache_without_epsilon():
    message = planted("batchnorm_forward", "cache = (Z_norm, gamma, std, mu, var)",
                      "cache = (Z_norm, gamma, np.std(Z, axis=1, keepdims=True), mu, var)")
    assert message.hint == "bn_cache_std_without_epsilon" and "the std in the cache is √σ², without ε" in message


def test_bn_forward_unbiased_variance():
    message = planted("batchnorm_forward", "var = np.mean((Z - mu) ** 2, axis=1, keepdims=True)",
                      "var = np.var(Z, axis=1, keepdims=True, ddof=1)")
    assert message.hint == "sample_variance_used" and "divides by m − 1" in message


def test_bn_forward_gamma_beta_swapped():
    message = planted("batchnorm_forward", "Z_tilde = gamma * Z_norm + beta", "Z_tilde = beta * Z_norm + gamma")
    assert message.hint == "bn_gamma_beta_swapped" and "γ and β are swapped" in message


def test_bn_forward_cache_order():
    message = planted("batchnorm_forward", "cache = (Z_norm, gamma, std, mu, var)",
                      "cache = (Z_norm, gamma, std, var, mu)")
    assert message.hint == "bn_cache_in_another_order" and "in another order (Z_norm, gamma, std, var, mu)" in message


# ---- batchnorm_backward ------------------------------------------------------------------------

DZ = """dZ = (dZ_norm - np.mean(dZ_norm, axis=1, keepdims=True)
          - Z_norm * np.mean(dZ_norm * Z_norm, axis=1, keepdims=True)) / std"""


def test_bn_backward_parameters_not_averaged():
    source = plant("batchnorm_backward", "dbeta = np.sum(dZ_tilde, axis=1, keepdims=True) / m",
                   "dbeta = np.sum(dZ_tilde, axis=1, keepdims=True)")
    source = plant("batchnorm_backward", "dgamma = np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True) / m",
                   "dgamma = np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True)", source)
    message = failure("batchnorm_backward", learner(source)["batchnorm_backward"])
    assert message.hint == "bn_parameter_gradients_not_averaged"
    assert "dgamma and dbeta are m = " in message and "averaged over the m examples, like dW and db" in message
    message = planted("batchnorm_backward", "dbeta = np.sum(dZ_tilde, axis=1, keepdims=True) / m",
                      "dbeta = np.sum(dZ_tilde, axis=1, keepdims=True)")
    assert message.hint == "bn_parameter_gradients_not_averaged" and "dbeta is m = " in message


def test_bn_backward_dZ_divided_by_m():
    message = planted("batchnorm_backward", ")) / std", ")) / std / m")
    assert message.hint == "bn_dz_divided_by_m" and "dZ is m = " in message and "times too small" in message


def test_bn_backward_mu_and_sigma_as_constants():
    message = planted("batchnorm_backward", DZ, "dZ = dZ_norm / std")
    assert message.hint == "bn_backward_statistics_constant" and "μ and σ² were treated as constants" in message


def test_bn_backward_missing_the_variance_term():
    message = planted("batchnorm_backward", DZ, "dZ = (dZ_norm - np.mean(dZ_norm, axis=1, keepdims=True)) / std")
    assert message.hint == "bn_backward_variance_term_missing" and "the term from σ² is missing" in message


def test_bn_backward_missing_the_mean_term():
    message = planted("batchnorm_backward", DZ,
                      "dZ = (dZ_norm - Z_norm * np.mean(dZ_norm * Z_norm, axis=1, keepdims=True)) / std")
    assert message.hint == "bn_backward_mean_term_missing" and "the term from μ is missing" in message


def test_bn_backward_sums_over_the_units():
    message = planted("batchnorm_backward", "dbeta = np.sum(dZ_tilde, axis=1, keepdims=True) / m",
                      "dbeta = np.sum(dZ_tilde, axis=0, keepdims=True) / m")
    assert message.hint == "bn_parameter_gradients_over_units"
    assert "dbeta has shape (1, " in message and "the sum ran over the units (axis 0)" in message


# ---- update_running_averages -------------------------------------------------------------------

def test_running_weights_swapped():
    message = planted("update_running_averages", "running_mu = momentum * running_mu + (1 - momentum) * mu",
                      "running_mu = (1 - momentum) * running_mu + momentum * mu")
    # only running_mu is swapped: the generic comparison names it; swap both for the hint
    assert "running_mu" in message
    source = plant("update_running_averages", "running_var = momentum * running_var + (1 - momentum) * var",
                   "running_var = (1 - momentum) * running_var + momentum * var",
                   plant("update_running_averages", "running_mu = momentum * running_mu + (1 - momentum) * mu",
                         "running_mu = (1 - momentum) * running_mu + momentum * mu"))
    message = failure("update_running_averages", learner(source)["update_running_averages"])
    assert message.hint == "running_average_weights_swapped" and "the weights are swapped" in message


def test_running_returns_the_batch_statistics():
    message = planted("update_running_averages", "    return running_mu, running_var", "    return mu, var")
    assert message.hint == "running_average_is_batch_statistics" and "you returned this batch's statistics" in message


def test_running_averages_std():
    message = planted("update_running_averages", "running_var = momentum * running_var + (1 - momentum) * var",
                      "running_var = (momentum * np.sqrt(running_var) + (1 - momentum) * np.sqrt(var))")
    assert message.hint == "running_var_of_std" and "averaged standard deviations" in message


def test_running_in_place_update_is_reported():
    message = planted("update_running_averages", "running_mu = momentum * running_mu + (1 - momentum) * mu",
                      "running_mu *= momentum\n    running_mu += (1 - momentum) * mu")
    assert "changed its input in place" in message and message.hint == "mutated_input"


@pytest.mark.parametrize("name", NAMES)
def test_not_implemented_is_reported(name):
    fn = cell(f"def {name}(*args):\n    raise NotImplementedError()\n")[name]
    message = failure(name, fn)
    assert "not implemented yet" in message and message.hint == "not_implemented"
