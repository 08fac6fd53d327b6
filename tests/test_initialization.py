"""Assignment 06 "Initialization": the solution passes, equivalent answers pass, every hint the checker gives on
this assignment's functions is proven by planting that bug in a correct answer, and the plot helper it adds works."""

import functools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from autograder.learner.exercise import Case
from autograder.learner.exercises import initialization
from learner import cell, plant
from learner import failure as report
from nncore import data, init, plot

check = initialization.check
failure = functools.partial(report, check)

# The notebook's solution, as a learner would write it.
SOLUTION = '''
def normalize_inputs(X_train, X_other):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma2 = np.mean((X_train - mu) ** 2, axis=1, keepdims=True)
    X_train_norm = (X_train - mu) / np.sqrt(sigma2)
    X_other_norm = (X_other - mu) / np.sqrt(sigma2)
    return X_train_norm, X_other_norm, mu, sigma2

def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters

def initialize_parameters_random(layers_dims, seed):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters

def initialize_parameters_he(layers_dims, seed):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(2 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
'''  # noqa: E501 — the notebook's solution line for line (the planted bugs anchor on it)

NAMES = ["normalize_inputs", "initialize_parameters_zeros", "initialize_parameters_random", "initialize_parameters_he"]
RANDN = "rng.standard_normal((layers_dims[l], layers_dims[l - 1]))"
HE_FACTOR = "np.sqrt(2 / layers_dims[l - 1])"


def planted(name, *replacements):
    """The check's report for exercise ``name`` after planting ``(old, new)`` replacements in its definition only."""
    start = SOLUTION.index(f"\ndef {name}(")
    end = SOLUTION.find("\ndef ", start + 1)
    end = len(SOLUTION) if end < 0 else end
    source = SOLUTION[:start] + plant(SOLUTION[start:end], *replacements) + SOLUTION[end:]
    return failure(name, cell(source)[name])


def hint_of(message):
    """The exercise-specific 'likely cause' line of a report (empty when there is none)."""
    lines = message.splitlines()
    found = [lines[i + 1] for i, line in enumerate(lines[:-1]) if line.endswith(": likely cause")]
    return found[0] if found else ""


# ---- the solution and equivalent answers pass ---------------------------------------------------

def test_every_exercise_is_in_the_registry_and_the_solution_passes_visible_and_hidden(capsys):
    assert set(NAMES) == set(initialization.EXERCISES)
    ns = cell(SOLUTION)
    for name in NAMES:
        check(name, ns[name])
        check(name, ns[name], seed=40961)
    out = capsys.readouterr()
    assert out.out.count("✅") == 2 * len(NAMES) and out.err == ""


def test_references_are_nncore_and_the_contracts_stated_in_the_notebook():
    # Independent of the checker: the learner's contracts are nncore's "zeros", "random" × 10 and "he".
    ns = cell(SOLUTION)
    dims = [5, 4, 3, 1]
    for mine, ref in [(ns["initialize_parameters_zeros"](dims), init.initialize_parameters_deep(dims, "zeros")),
                      (ns["initialize_parameters_random"](dims, 3),
                       init.initialize_parameters_deep(dims, "random", seed=3, scale=10)),
                      (ns["initialize_parameters_he"](dims, 3), init.initialize_parameters_deep(dims, "he", seed=3))]:
        assert list(mine) == list(ref) and all(np.array_equal(mine[k], ref[k]) for k in ref)


def test_normalize_inputs_reference_has_the_defining_properties():
    rng = np.random.default_rng(0)
    X_train = rng.uniform(-3, 9, size=(3, 40)) * np.array([[1], [100], [0.01]])
    X_other = rng.normal(size=(3, 7))
    train, other, mu, sigma2 = data.normalize_inputs(X_train, X_other)
    assert np.allclose(train.mean(axis=1), 0) and np.allclose(train.std(axis=1), 1)
    assert np.allclose(mu[:, 0], X_train.mean(axis=1)) and np.allclose(sigma2[:, 0], X_train.var(axis=1))
    # the other set goes through the same affine map x -> (x - mu) / sigma, whatever its own statistics
    assert np.allclose(other * np.sqrt(sigma2) + mu, X_other)


def test_equivalent_spellings_pass():
    # np.std, np.var, rng.normal(size=...), an int zero bias, a list for a shape: all fine.
    ns = cell(plant(SOLUTION, "sigma2 = np.mean((X_train - mu) ** 2, axis=1, keepdims=True)",
                    "sigma2 = np.var(X_train, axis=1, keepdims=True)",
                    "X_other_norm = (X_other - mu) / np.sqrt(sigma2)",
                    "X_other_norm = (X_other - mu) / np.std(X_train, axis=1, keepdims=True)",
                    f"{RANDN} * 10", "10 * rng.normal(size=(layers_dims[l], layers_dims[l - 1]))"))
    check("normalize_inputs", ns["normalize_inputs"])
    check("initialize_parameters_random", ns["initialize_parameters_random"])
    tail = "\n    return parameters\n\ndef initialize_parameters_random"
    ns = cell(plant(SOLUTION, 'parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))' + tail,
                    'parameters["b" + str(l)] = np.zeros([layers_dims[l], 1], dtype=int)' + tail))
    check("initialize_parameters_zeros", ns["initialize_parameters_zeros"])
    ns = cell(plant(SOLUTION, f"{RANDN} * {HE_FACTOR}", f"{RANDN} / np.sqrt(layers_dims[l - 1] / 2)"))
    check("initialize_parameters_he", ns["initialize_parameters_he"])


# ---- normalize_inputs ---------------------------------------------------------------------------

def test_normalize_with_the_other_sets_own_statistics():
    message = planted("normalize_inputs", "X_other_norm = (X_other - mu) / np.sqrt(sigma2)",
                      "X_other_norm = (X_other - X_other.mean(axis=1, keepdims=True)) / "
                      "X_other.std(axis=1, keepdims=True)")
    assert message.hint == "normalized_with_own_statistics"
    assert "X_other was normalized with its own mean and variance" in hint_of(message) and "same map" in message


def test_normalize_divides_by_the_variance():
    message = planted("normalize_inputs",
                      "X_train_norm = (X_train - mu) / np.sqrt(sigma2)", "X_train_norm = (X_train - mu) / sigma2",
                      "X_other_norm = (X_other - mu) / np.sqrt(sigma2)", "X_other_norm = (X_other - mu) / sigma2")
    assert message.hint == "divided_by_variance"
    assert "you divided by σ² (the variance) instead of σ" in hint_of(message)


def test_normalize_with_the_sample_variance():
    message = planted("normalize_inputs", "sigma2 = np.mean((X_train - mu) ** 2, axis=1, keepdims=True)",
                      "sigma2 = np.var(X_train, axis=1, keepdims=True, ddof=1)")
    assert message.hint == "sample_variance_used" and "1/(m−1) (ddof=1)" in hint_of(message)


def test_normalize_without_dividing_or_without_centring():
    message = planted("normalize_inputs",
                      "X_train_norm = (X_train - mu) / np.sqrt(sigma2)", "X_train_norm = X_train - mu",
                      "X_other_norm = (X_other - mu) / np.sqrt(sigma2)", "X_other_norm = X_other - mu")
    assert message.hint == "not_divided_by_sigma" and "centred but not divided by σ" in hint_of(message)
    message = planted("normalize_inputs",
                      "X_train_norm = (X_train - mu) / np.sqrt(sigma2)", "X_train_norm = X_train / np.sqrt(sigma2)",
                      "X_other_norm = (X_other - mu) / np.sqrt(sigma2)", "X_other_norm = X_other / np.sqrt(sigma2)")
    assert message.hint == "not_centred" and "divided by σ but not centred" in hint_of(message)


def test_normalize_returns_sigma_instead_of_sigma2():
    message = planted("normalize_inputs", "return X_train_norm, X_other_norm, mu, sigma2",
                      "return X_train_norm, X_other_norm, mu, np.sqrt(sigma2)")
    assert message.hint == "returned_sigma_not_variance"
    assert "you returned σ, the standard deviation" in hint_of(message)


def test_normalize_statistics_per_example():
    message = planted("normalize_inputs",
                      "mu = np.mean(X_train, axis=1, keepdims=True)", "mu = np.mean(X_train, axis=0, keepdims=True)",
                      "sigma2 = np.mean((X_train - mu) ** 2, axis=1, keepdims=True)",
                      "sigma2 = np.mean((X_train - mu) ** 2, axis=0, keepdims=True)",
                      "X_other_norm = (X_other - mu) / np.sqrt(sigma2)", "X_other_norm = X_other")
    assert message.hint == "statistics_per_example"
    assert "μ has one value per example" in hint_of(message) and "axis=1" in message


def test_normalize_generic_hints_fire():
    # mean over everything: one number instead of one per feature
    message = planted("normalize_inputs", "mu = np.mean(X_train, axis=1, keepdims=True)", "mu = np.mean(X_train)",
                      "sigma2 = np.mean((X_train - mu) ** 2, axis=1, keepdims=True)",
                      "sigma2 = np.mean((X_train - mu) ** 2)")
    assert "a single number instead of one value per unit" in message and message.hint == "summed_over_units"
    # without keepdims the (n,) mean does not broadcast against (n, m)
    message = planted("normalize_inputs", "mu = np.mean(X_train, axis=1, keepdims=True)",
                      "mu = np.mean(X_train, axis=1)")
    assert "ValueError" in message and "keepdims=True" in message and message.hint == "shapes_do_not_broadcast"
    # in place: the learner's X_train changes
    message = planted("normalize_inputs", "X_train_norm = (X_train - mu) / np.sqrt(sigma2)",
                      "X_train -= mu\n    X_train /= np.sqrt(sigma2)\n    X_train_norm = X_train",
                      "X_other_norm = (X_other - mu) / np.sqrt(sigma2)",
                      "X_other_norm = (X_other - mu) / np.sqrt(sigma2)")
    assert "changed its input in place" in message and message.hint == "mutated_input"


# ---- initialize_parameters_zeros ----------------------------------------------------------------

def test_zeros_with_ones_or_random_weights():
    message = planted("initialize_parameters_zeros", "np.zeros((layers_dims[l], layers_dims[l - 1]))",
                      "np.ones((layers_dims[l], layers_dims[l - 1]))")
    assert message.hint == "ones_instead_of_zeros"
    assert "W1, W2 are all ones: np.ones where np.zeros was meant" in hint_of(message)
    message = planted("initialize_parameters_zeros", "np.zeros((layers_dims[l], layers_dims[l - 1]))",
                      "np.random.default_rng(0).standard_normal((layers_dims[l], layers_dims[l - 1]))")
    assert message.hint == "zeros_init_not_zero"
    assert "have non-zero entries: this initialization draws nothing" in hint_of(message)


def test_zeros_transposed_and_flat_bias_use_the_generic_hints():
    message = planted("initialize_parameters_zeros", "np.zeros((layers_dims[l], layers_dims[l - 1]))",
                      "np.zeros((layers_dims[l - 1], layers_dims[l]))")
    assert "the result is transposed" in message and message.hint == "transposed"
    message = planted("initialize_parameters_zeros", "np.zeros((layers_dims[l], 1))", "np.zeros(layers_dims[l])")
    assert "flat vector of shape (n,)" in message and message.hint == "flat_vector"


# ---- initialize_parameters_random ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["initialize_parameters_random", "initialize_parameters_he"])
def test_init_uniform_rand_instead_of_randn(name):
    message = planted(name, RANDN, "rng.random((layers_dims[l], layers_dims[l - 1]))")
    assert message.hint == "init_uniform_weights"
    assert "every weight is positive" in hint_of(message) and "np.random.rand" in message


@pytest.mark.parametrize("name", ["initialize_parameters_random", "initialize_parameters_he"])
def test_init_legacy_global_random_state(name):
    message = planted(name, "rng = np.random.default_rng(seed)", "np.random.seed(seed)",
                      RANDN, "np.random.randn(layers_dims[l], layers_dims[l - 1])")
    assert message.hint == "legacy_random_seed"
    assert "legacy np.random.seed(seed) + np.random.randn" in hint_of(message)


@pytest.mark.parametrize("name", ["initialize_parameters_random", "initialize_parameters_he"])
def test_init_generator_created_inside_the_loop(name):
    message = planted(name, 'parameters["W" + str(l)] = rng.',
                      'rng = np.random.default_rng(seed)\n        parameters["W" + str(l)] = rng.')
    assert message.hint == "generator_recreated_per_layer"
    assert "every layer starts the same random stream again" in hint_of(message)


@pytest.mark.parametrize("name", ["initialize_parameters_random", "initialize_parameters_he"])
def test_init_weights_drawn_transposed_then_transposed_back(name):
    message = planted(name, RANDN, "rng.standard_normal((layers_dims[l - 1], layers_dims[l])).T")
    assert message.hint == "weights_drawn_transposed"
    assert "drawn with shape (n[l-1], n[l]) and then transposed" in hint_of(message)


@pytest.mark.parametrize("name", ["initialize_parameters_random", "initialize_parameters_he"])
def test_init_layers_drawn_in_reverse_order(name):
    message = planted(name, "for l in range(1, len(layers_dims)):", "for l in range(len(layers_dims) - 1, 0, -1):")
    assert message.hint == "layers_drawn_in_reverse_order" and "drawn in reverse order" in hint_of(message)


@pytest.mark.parametrize("name", ["initialize_parameters_random", "initialize_parameters_he"])
def test_init_random_bias(name):
    message = planted(name, "np.zeros((layers_dims[l], 1))", "rng.standard_normal((layers_dims[l], 1))")
    assert message.hint == "init_bias_not_zero"
    assert "are not zero: the biases start at 0" in hint_of(message) and "shifts every later draw" in message


@pytest.mark.parametrize("name", ["initialize_parameters_random", "initialize_parameters_he"])
def test_init_zero_weights(name):
    message = planted(name, "parameters[\"W\" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) *",
                      "parameters[\"W\" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1])) *")
    assert message.hint == "init_zero_weights"
    assert "every weight is 0" in hint_of(message) and "symmetry is never broken" in message


@pytest.mark.parametrize("name", ["initialize_parameters_random", "initialize_parameters_he"])
def test_init_transposed_shape_uses_the_generic_hint(name):
    message = planted(name, RANDN, "rng.standard_normal((layers_dims[l - 1], layers_dims[l]))")
    assert "the result is transposed" in message and message.hint == "transposed"


@pytest.mark.parametrize("factor, hint, expected", [
    ("1", "init_scale_missing", "the × 10 is missing"),
    ("0.01", "init_scale_0_01_used", "0.01, assignment 4's small initialization"),
    (HE_FACTOR, "init_he_scaling_used", "(He initialization), which is the next exercise"),
    ("np.sqrt(1 / layers_dims[l - 1])", "init_xavier_scaling_used", "(Xavier initialization)"),
    ("100", "init_wrong_scale", "scaled by 100;"),
    ("l", "init_scale_varies_by_layer", "scaled by 1, 2"),
])
def test_random_wrong_scale(factor, hint, expected):
    message = planted("initialize_parameters_random", f"{RANDN} * 10", f"{RANDN} * {factor}")
    assert message.hint == hint
    assert expected in hint_of(message) and "10·N(0, 1)" in message


@pytest.mark.parametrize("factor, hint, expected", [
    ("1", "init_scale_missing", "the factor √(2/n[l-1]) is missing"),
    ("np.sqrt(2 / layers_dims[l])", "he_fan_out_instead_of_fan_in", "√(2/n[l]): n[l] is this layer's size"),
    ("np.sqrt(1 / layers_dims[l - 1])", "init_xavier_scaling_used", "(Xavier initialization): He uses 2, not 1"),
    ("2 / layers_dims[l - 1]", "he_variance_not_square_rooted", "without the square root"),
    ("np.sqrt(2) / layers_dims[l - 1]", "he_root_of_numerator_only", "the whole fraction goes under the root"),
    ("10", "init_scale_10_used", "the previous exercise's factor"),
    ("0.5", "init_wrong_scale", "scaled by 0.5;"),
])
def test_he_wrong_scale(factor, hint, expected):
    message = planted("initialize_parameters_he", f"{RANDN} * {HE_FACTOR}", f"{RANDN} * {factor}")
    assert message.hint == hint
    assert expected in hint_of(message) and "N(0, 1)·√(2/n[l-1])" in message


def test_he_with_integer_division():
    # all weights 0 when every n[l-1] > 2 (the visible cases) ...
    message = planted("initialize_parameters_he", HE_FACTOR, "np.sqrt(2 // layers_dims[l - 1])")
    assert message.hint == "init_zero_weights"
    assert "every weight is 0" in hint_of(message) and "// is integer division" in hint_of(message)
    # ... and recognised as such when a layer with n[l-1] = 2 keeps factor 1
    ns = cell(plant(SOLUTION, HE_FACTOR, "np.sqrt(2 // layers_dims[l - 1])"))
    case = Case({"layer_dims": [2, 5, 3], "seed": 11}, None, "")
    got = ns["initialize_parameters_he"]([2, 5, 3], 11)
    hint = initialization._he_integer_division_hint(case, got)
    assert hint.id == "he_integer_division" and "these are He's random numbers scaled by √(2 // n[l-1])" in hint.text


# ---- nncore.plot.layer_histograms ---------------------------------------------------------------

def test_layer_histograms_place_each_layer_by_its_order_of_magnitude_and_leave_out_exact_zeros():
    rng = np.random.default_rng(0)
    values = [rng.normal(size=(20, 30)) * 10.0 ** -k for k in range(4)]
    values[0][:10] = 0.0                                    # ReLU-like exact zeros in layer 1
    fig, ax = plt.subplots()
    returned = plot.layer_histograms(values, ax=ax, title="t", value_range=(-8, 3), bins=110)
    assert returned is ax and ax.get_title() == "t" and ax.get_xlabel().startswith("log")
    assert [p.get_label() for p in ax.patches] == ["layer 1", "layer 2", "layer 3", "layer 4"]
    centres = []
    for patch in ax.patches:
        density, edges = patch.get_data()[:2]
        assert np.isclose(np.sum(density * np.diff(edges)), 1.0)    # a density over the non-zero entries
        centres.append(np.sum(density * np.diff(edges) * (edges[:-1] + edges[1:]) / 2))
    # log10|N(0,1)| averages about -0.25: layer k sits one decade left of layer k-1
    assert np.allclose(np.diff(centres), -1.0, atol=0.1) and abs(centres[0] + 0.25) < 0.1
    plt.close(fig)
    fig, ax = plt.subplots()
    plot.layer_histograms(values[:2], ax=ax, log_magnitude=False)
    assert ax.get_xlabel() == "value" and len(ax.patches) == 2
    plt.close(fig)
