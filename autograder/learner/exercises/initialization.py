"""Assignment 06 "Initialization": normalizing inputs and three ways to start the weights, checked against ``nncore``.

The initializations are thin wrappers around ``nncore.init.initialize_parameters_deep``: the same draw order
(one generator ``default_rng(seed)``, layer 1 first, ``W{l} = rng.standard_normal((n[l], n[l-1])) * factor``,
``b{l} = 0``); ``normalize_inputs`` is ``nncore.data.normalize_inputs``.

Exercise-specific hints recompute what a known mistake would give — uniform draws, the legacy global generator,
a fresh generator per layer, weights drawn transposed or in reverse layer order, a wrong scale (×10 missing,
n[l] for n[l-1], integer division), the dev set's own statistics, σ² for σ — and name the mistake when it matches.
"""

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint
from autograder.learner.exercise import Case, Exercise, distinct_dims
from autograder.learner.exercises.deep_network_step_by_step import _got_weights, _layer_dims, _same_weights
from nncore.i18n import _
from nncore import data, init

RANDOM_SCALE = 10


# ---- the references -----------------------------------------------------------------------------

def initialize_parameters_zeros(layers_dims):
    """Every W{l}: (n[l], n[l-1]) and b{l}: (n[l], 1) all zeros."""
    return init.initialize_parameters_deep(layers_dims, "zeros")


def initialize_parameters_random(layers_dims, seed):
    """W{l} = 10·N(0, 1), drawn layer by layer from default_rng(seed); b{l} = 0."""
    return init.initialize_parameters_deep(layers_dims, "random", seed=seed, scale=RANDOM_SCALE)


def initialize_parameters_he(layers_dims, seed):
    """W{l} = N(0, 1)·√(2/n[l-1]), drawn layer by layer from default_rng(seed); b{l} = 0."""
    return init.initialize_parameters_deep(layers_dims, "he", seed=seed)


# ---- initialization: cases and hints ------------------------------------------------------------

def _zeros_case(rng, variant):
    layers_dims = _layer_dims(rng, variant)
    return Case({"layer_dims": layers_dims}, None, f"layers_dims = {layers_dims}")


def _init_case(rng, variant):
    """Assignment 4's cases (variant 0: two layers, 1: three, 2: three ending in one unit) and a seed."""
    layers_dims = _layer_dims(rng, variant)
    seed = int(rng.integers(0, 100_000))
    return Case({"layer_dims": layers_dims, "seed": seed}, None, f"layers_dims = {layers_dims}, seed = {seed}")


def _zeros_nonzero_hint(case, got):
    nonzero = [k for k, v in got.items() if np.any(np.asarray(v, dtype=np.float64))]
    if not nonzero:
        return None
    keys, one = ", ".join(nonzero), len(nonzero) == 1
    if all(np.all(np.asarray(got[k], dtype=np.float64) == 1) for k in nonzero):
        finding = (_("{keys} is all ones") if one else _("{keys} are all ones")).format(keys=keys)
        return Hint("ones_instead_of_zeros", _("{finding}: np.ones where np.zeros was meant").format(finding=finding))
    finding = (_("{keys} has non-zero entries") if one else _("{keys} have non-zero entries")).format(keys=keys)
    return Hint("zeros_init_not_zero", _(
        "{finding}: this initialization draws nothing, every W{{l}} and b{{l}} is np.zeros(shape) (np.empty is not "
        "zeros: it leaves whatever was in memory)").format(finding=finding))


class Scheme:
    """One initialization contract, W{l} = N(0, 1) × factor(n[l], n[l-1]): its reference, the formula and the code
    that hints quote, the known wrong factors ``scales()``, ``[(factor(n, n_prev), Hint)]``, and whether an
    integer division can turn its factor into 0."""

    def __init__(self, reference, factor, formula, code, scales, integer_division_trap=False):
        self.reference, self.factor, self.formula, self.code, self.scales = reference, factor, formula, code, scales
        self.integer_division_trap = integer_division_trap

    def factors(self, layers_dims):
        return [self.factor(layers_dims[l], layers_dims[l - 1]) for l in range(1, len(layers_dims))]

    def weights(self, layers_dims, draw):
        """Each layer's ``draw(l, n, n_prev)`` (standard normals) times this scheme's factor."""
        return [draw(l, layers_dims[l], layers_dims[l - 1]) * f
                for l, f in zip(range(1, len(layers_dims)), self.factors(layers_dims))]


def _random_scales():
    """The wrong factors recognised in initialize_parameters_random (messages in the learner's language)."""
    return [
        (lambda n, n_prev: 1.0, Hint("init_scale_missing", _(
            "the right random numbers, but scaled by 1 (nothing): the × 10 is missing; this function's weights are "
            "10·N(0, 1)"))),
        (lambda n, n_prev: 0.01, Hint("init_scale_0_01_used", _(
            "the right random numbers, but scaled by 0.01, assignment 4's small initialization: this one is the large "
            "10·N(0, 1); this function's weights are 10·N(0, 1)"))),
        (lambda n, n_prev: np.sqrt(2 / n_prev), Hint("init_he_scaling_used", _(
            "the right random numbers, but scaled by √(2/n[l-1]) (He initialization), which is the next exercise; "
            "this function's weights are 10·N(0, 1)"))),
        (lambda n, n_prev: np.sqrt(1 / n_prev), Hint("init_xavier_scaling_used", _(
            "the right random numbers, but scaled by √(1/n[l-1]) (Xavier initialization); this function's weights "
            "are 10·N(0, 1)"))),
    ]


def _he_scales():
    """The wrong factors recognised in initialize_parameters_he (messages in the learner's language)."""
    return [
        (lambda n, n_prev: 1.0, Hint("init_scale_missing", _(
            "the right random numbers, but scaled by 1 (nothing): the factor √(2/n[l-1]) is missing; this function's "
            "weights are N(0, 1)·√(2/n[l-1])"))),
        (lambda n, n_prev: np.sqrt(2 / n), Hint("he_fan_out_instead_of_fan_in", _(
            "the right random numbers, but scaled by √(2/n[l]): n[l] is this layer's size, but the variance is set by "
            "the number of inputs of each unit, n[l-1] (the number of columns of W[l]); this function's weights are "
            "N(0, 1)·√(2/n[l-1])"))),
        (lambda n, n_prev: np.sqrt(1 / n_prev), Hint("init_xavier_scaling_used", _(
            "the right random numbers, but scaled by √(1/n[l-1]) (Xavier initialization): He uses 2, not 1, in the "
            "numerator; this function's weights are N(0, 1)·√(2/n[l-1])"))),
        (lambda n, n_prev: 2 / n_prev, Hint("he_variance_not_square_rooted", _(
            "the right random numbers, but scaled by 2/n[l-1], without the square root: 2/n[l-1] is the variance, "
            "the factor is its square root √(2/n[l-1]); this function's weights are N(0, 1)·√(2/n[l-1])"))),
        (lambda n, n_prev: np.sqrt(2) / n_prev, Hint("he_root_of_numerator_only", _(
            "the right random numbers, but scaled by √2/n[l-1]: the whole fraction goes under the root, "
            "√(2/n[l-1]); this function's weights are N(0, 1)·√(2/n[l-1])"))),
        (lambda n, n_prev: 10.0, Hint("init_scale_10_used", _(
            "the right random numbers, but scaled by 10: that is the previous exercise's factor; this function's "
            "weights are N(0, 1)·√(2/n[l-1])"))),
    ]


RANDOM = Scheme(initialize_parameters_random, lambda n, n_prev: RANDOM_SCALE, "10·N(0, 1)",
                "rng.standard_normal((n[l], n[l-1])) * 10", _random_scales)
HE = Scheme(initialize_parameters_he, lambda n, n_prev: np.sqrt(2 / n_prev), "N(0, 1)·√(2/n[l-1])",
            "rng.standard_normal((n[l], n[l-1])) * np.sqrt(2 / n[l-1])", _he_scales, integer_division_trap=True)


def _uniform_hint(scheme):
    def hint(case, got):
        weights = _got_weights(case, got)
        if all(np.all(W >= 0) for W in weights) and any(np.any(W > 0) for W in weights):
            return Hint("init_uniform_weights", _(
                "every weight is positive: that is the uniform distribution on [0, 1) (np.random.rand, rng.random). "
                "Draw from the normal distribution N(0, 1), which has both signs: {code}").format(code=scheme.code))
        return None
    return hint


def _zero_weights_hint(scheme):
    def hint(case, got):
        if all(not np.any(W) for W in _got_weights(case, got)):
            text = _("every weight is 0: all units of a layer would then compute the same thing and learn the same "
                     "thing (symmetry is never broken). Draw them: {code}").format(code=scheme.code)
            if scheme.integer_division_trap:
                text += " " + _("(np.sqrt(2 // n) also gives 0: // is integer division, and 2 // n is 0 for every "
                                "n > 2)")
            return Hint("init_zero_weights", text)
        return None
    return hint


def _he_integer_division_hint(case, got):
    """√(2 // n[l-1]); told apart from all-zero weights when some layer has n[l-1] ≤ 2 (2 // 2 = 1)."""
    dims = case.kwargs["layer_dims"]
    if all(not np.any(W) for W in _got_weights(case, got)):
        return None
    rng = np.random.default_rng(case.kwargs["seed"])
    reference = [rng.standard_normal((dims[l], dims[l - 1])) * np.sqrt(2 // dims[l - 1]) for l in range(1, len(dims))]
    if _same_weights(case, got, reference):
        return Hint("he_integer_division", _(
            "these are He's random numbers scaled by √(2 // n[l-1]): // is integer division, so 2 // n is 0 for every "
            "n > 2 (and those layers' weights are all 0). Use 2 / n[l-1]"))
    return None


def _nonzero_bias_hint(case, got):
    L = len(case.kwargs["layer_dims"]) - 1
    drawn = [f"b{l}" for l in range(1, L + 1) if f"b{l}" in got and np.any(np.asarray(got[f"b{l}"], dtype=np.float64))]
    if drawn:
        finding = (_("{keys} is not zero") if len(drawn) == 1 else _("{keys} are not zero")).format(
            keys=", ".join(drawn))
        return Hint("init_bias_not_zero", _(
            "{finding}: the biases start at 0, np.zeros((n[l], 1)) — the random weights already break the symmetry. "
            "(Drawing b from the generator also shifts every later draw, so the next layers' weights change "
            "too.)").format(finding=finding))
    return None


def _draw_order_hint(scheme):
    """The right scale, but the random numbers come from another generator or in another order."""
    def hint(case, got):
        dims, seed = case.kwargs["layer_dims"], case.kwargs["seed"]
        L = len(dims) - 1
        legacy = np.random.RandomState(seed)
        shared = np.random.default_rng(seed)
        reverse_rng = np.random.default_rng(seed)
        reverse = {l: reverse_rng.standard_normal((dims[l], dims[l - 1])) for l in range(L, 0, -1)}
        candidates = [
            (lambda l, n, n_prev: legacy.randn(n, n_prev), Hint("legacy_random_seed", _(
                "these are the numbers of the legacy np.random.seed(seed) + np.random.randn(...). This course draws "
                "from one generator: rng = np.random.default_rng(seed), then {code}").format(code=scheme.code))),
            (lambda l, n, n_prev: np.random.default_rng(seed).standard_normal((n, n_prev)), Hint(
                "generator_recreated_per_layer", _(
                    "every layer starts the same random stream again: np.random.default_rng(seed) is created inside "
                    "the loop. Create the generator once, before the loop, and draw every layer from it in order"))),
            (lambda l, n, n_prev: shared.standard_normal((n_prev, n)).T, Hint("weights_drawn_transposed", _(
                "each W[l] was drawn with shape (n[l-1], n[l]) and then transposed: the shape is right but the "
                "numbers land in other places. Draw the shape you need directly: rng.standard_normal((n[l], "
                "n[l-1]))"))),
            (lambda l, n, n_prev: reverse[l], Hint("layers_drawn_in_reverse_order", _(
                "the layers were drawn in reverse order (layer L first): draw layer 1 first, then 2, …, L, from the "
                "one generator"))),
        ]
        for draw, found in candidates:
            if _same_weights(case, got, scheme.weights(dims, draw)):
                return found
        return None
    return hint


def _scale_hint(scheme):
    """The right random numbers with another factor: one of ``scheme.scales()``, or another one."""
    def hint(case, got):
        dims = case.kwargs["layer_dims"]
        expected = scheme.reference(dims, case.kwargs["seed"])
        factors = []
        for l, W in enumerate(_got_weights(case, got), 1):
            E = expected[f"W{l}"]
            if W.shape != E.shape:
                return None
            c = float(np.sum(W * E) / np.sum(E * E))
            if not np.allclose(W, c * E, rtol=1e-5, atol=1e-12):
                return None
            factors.append(c * scheme.factors(dims)[l - 1])
        factors = np.array(factors)
        if np.allclose(factors, scheme.factors(dims), rtol=1e-4):
            return None
        for factor, found in scheme.scales():
            if np.allclose(factors, [factor(dims[l], dims[l - 1]) for l in range(1, len(dims))], rtol=1e-4):
                return found
        if np.allclose(factors, factors[0], rtol=1e-4):
            return Hint("init_wrong_scale", _("the right random numbers, but scaled by {factor}; this function's "
                                              "weights are {formula}").format(factor=f"{factors[0]:.4g}",
                                                                             formula=scheme.formula))
        return Hint("init_scale_varies_by_layer", _(
            "the right random numbers, but scaled by {factors} (layer 1 first); this function's weights are "
            "{formula}").format(factors=", ".join(f"{f:.4g}" for f in factors), formula=scheme.formula))
    return hint


def _hints(scheme, extra=()):
    return (*extra, _nonzero_bias_hint, _zero_weights_hint(scheme), _uniform_hint(scheme),
            _draw_order_hint(scheme), _scale_hint(scheme))


# ---- normalize_inputs: cases and hints ----------------------------------------------------------

def _normalize_case(rng, variant):
    """Features on very different scales and offsets; variant 1 looks like pixel values, variant 2 has one other
    example."""
    n, m_train, m_other = distinct_dims(rng, 3, low=3, high=12)
    if variant == 2:
        m_other = 1
    if variant == 1:
        X_train, X_other = (np.floor(rng.uniform(0, 256, size=(n, m))) for m in (m_train, m_other))
    else:
        loc = rng.uniform(-50, 50, size=(n, 1))
        scale = 10 ** rng.uniform(-2, 2, size=(n, 1))
        X_train, X_other = (loc + scale * rng.normal(size=(n, m)) for m in (m_train, m_other))
    label = (_("n_x = {n}, {m_train} training and {m_other} other example") if m_other == 1
             else _("n_x = {n}, {m_train} training and {m_other} other examples")).format(
        n=n, m_train=m_train, m_other=m_other)
    return Case({"X_train": X_train, "X_other": X_other}, None, label)


def _normalize_variant(X_train, X_other, ddof=0, divide=lambda s2: np.sqrt(s2), centre=True, stats_of_other=False):
    """What ``normalize_inputs`` returns with one choice changed (the hints compare against these)."""
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma2 = np.var(X_train, axis=1, keepdims=True, ddof=ddof)
    with np.errstate(all="ignore"):
        train = ((X_train - mu) if centre else X_train) / divide(sigma2)
        if stats_of_other:
            mu_o = np.mean(X_other, axis=1, keepdims=True)
            sigma2_o = np.var(X_other, axis=1, keepdims=True, ddof=ddof)
            other = ((X_other - mu_o) if centre else X_other) / divide(sigma2_o)
        else:
            other = ((X_other - mu) if centre else X_other) / divide(sigma2)
    return train, other, mu, sigma2


def _close(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-7, equal_nan=True)


def _normalize_mistakes():
    """``(choice, Hint)``: a wrong way to normalize (options of ``_normalize_variant``) and its diagnosis."""
    return [
        ({"divide": lambda s2: s2}, Hint("divided_by_variance", _(
            "you divided by σ² (the variance) instead of σ = √σ² (the standard deviation): dividing by σ gives every "
            "feature variance 1"))),
        ({"ddof": 1}, Hint("sample_variance_used", _(
            "you used the sample variance with 1/(m−1) (ddof=1); this course's σ² is the plain average (1/m) Σ (x − "
            "μ)², np.var's default"))),
        ({"divide": lambda s2: 1}, Hint("not_divided_by_sigma", _(
            "the features were centred but not divided by σ: after subtracting μ, divide by σ = √σ²"))),
        ({"centre": False}, Hint("not_centred", _(
            "the features were divided by σ but not centred: subtract μ first, (X − μ) / σ"))),
    ]


def _normalize_hint(case, got):
    X_train, X_other = case.kwargs["X_train"], case.kwargs["X_other"]
    if len(got) != 4:
        return None
    got_train, got_other, got_mu, got_sigma2 = got
    expected = data.normalize_inputs(X_train, X_other)
    if _close(got_train, expected[0]) and not _close(got_other, expected[1]):
        own = _normalize_variant(X_train, X_other, stats_of_other=True)
        if _close(got_other, own[1]) or X_other.shape[1] == 1 and np.all(np.isnan(np.asarray(got_other, dtype=float))):
            return Hint("normalized_with_own_statistics", _(
                "X_other was normalized with its own mean and variance: use the training set's μ and σ² for every "
                "set. The model learnt on inputs transformed by one fixed map, so new inputs must go through the "
                "same map — and a single example has no variance of its own (0/0)"))
    if np.asarray(got_mu).shape == (1, X_train.shape[1]):
        return Hint("statistics_per_example", _(
            "μ has one value per example: the statistics are per feature, averaged over the examples, so use axis=1 "
            "(rows are features, columns are examples) and keepdims=True"))
    for choice, found in _normalize_mistakes():
        variant = _normalize_variant(X_train, X_other, **choice)
        if _close(got_train, variant[0]) and _close(got_other, variant[1]):
            return found
    if _close(got_sigma2, np.sqrt(expected[3])):
        return Hint("returned_sigma_not_variance", _("the fourth value is σ², the variance; you returned σ, the "
                                                     "standard deviation"))
    return None


EXERCISES = {e.name: e for e in [
    Exercise("normalize_inputs", data.normalize_inputs, _normalize_case,
             ("X_train_norm", "X_other_norm", "mu", "sigma2"), hints=(_normalize_hint,)),
    Exercise("initialize_parameters_zeros", initialize_parameters_zeros, _zeros_case, ("parameters",),
             hints=(_zeros_nonzero_hint,)),
    Exercise("initialize_parameters_random", initialize_parameters_random, _init_case, ("parameters",),
             hints=_hints(RANDOM)),
    Exercise("initialize_parameters_he", initialize_parameters_he, _init_case, ("parameters",),
             hints=_hints(HE, extra=(_he_integer_division_hint,))),
]}

check = Checker(EXERCISES)
