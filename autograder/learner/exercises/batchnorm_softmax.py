"""Assignment 10 "Hyperparameter search, batch normalization and softmax", checked against ``nncore``.

Softmax cases include columns of huge logits (±900), so an unstable softmax overflows on them; batch-norm
cases have units of very different spread and a visible ε, so ε placement matters; backward cases are built
by running nncore's ``batchnorm_forward``, so every cache is consistent. Each exercise-specific hint
recomputes the answer a known mistake would give and names the mistake when it matches.

Conventions checked here (the notebook states them): softmax and the cost work column by column (one column
per example); batch-norm statistics run over the examples (axis 1); dγ and dβ are averaged over the m
examples like dW and db, while dZ and dZ[L] = AL − Y carry no 1/m.
"""

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise, distinct_dims, examples
from nncore.i18n import _
from nncore import activations, layers, losses, training

# ---- contracts that nncore does not spell as one function ------------------------------------------------


def sample_log_uniform(low, high, n, seed):
    """n values spread uniformly on a log scale between ``low`` and ``high``: 10**r, r ~ U(log10 low, log10 high).

    ``seed``: an int or a ``numpy.random.Generator`` (``np.random.default_rng(seed)`` accepts both).
    Returns an array of shape (n,).
    """
    rng = np.random.default_rng(seed)
    r = rng.uniform(np.log10(low), np.log10(high), n)
    return 10.0 ** r


def softmax_cost_backward(AL, Y):
    """dZ[L] = AL − Y for a softmax output with the cross-entropy cost; ``AL, Y: (C, m)``.

    No 1/m here: as everywhere in the course, the 1/m lives in dW and db.
    """
    return AL - np.asarray(Y, dtype=np.float64)


def update_running_averages(running_mu, running_var, mu, var, momentum=0.9):
    """Exponentially weighted averages of the batch statistics, for prediction time.

    running ← momentum · running + (1 − momentum) · this batch's value, for μ and σ² (all ``(n[l], 1)``).
    Returns the new ``(running_mu, running_var)``.
    """
    return (momentum * running_mu + (1 - momentum) * mu,
            momentum * running_var + (1 - momentum) * var)


def _same_with_nans(expected, got):
    """True when ``got`` equals ``expected`` with NaN in the same places (for results a mistake makes non-finite)."""
    got = np.asarray(got, dtype=np.float64)
    with np.errstate(all="ignore"):
        return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=1e-5, atol=1e-7, equal_nan=True))


# ---- sample_log_uniform ------------------------------------------------------------------------------------

def _sample_case(rng, variant):
    low, high = [(1e-4, 1.0), (1e-3, 1e-1), (1e-5, 1e-2)][variant]
    n = 1 if variant == 2 else int(rng.integers(6, 12))
    seed = int(rng.integers(0, 100_000))
    return Case({"low": low, "high": high, "n": n, "seed": seed}, None,
                f"low = {low:g}, high = {high:g}, n = {n}, seed = {seed}")


def _sample_linear_hint(case, got):
    low, high, n, seed = case.kwargs.values()
    if matches(np.random.default_rng(seed).uniform(low, high, n), got):
        top = (high - high / 10) / (high - low)
        return Hint("sampled_on_linear_scale", _(
            "these are uniform draws between low and high on the linear scale: {share} of them land in the top factor "
            "of 10 (between high/10 and high) and the small values are almost never tried. Draw the exponent "
            "instead: r = rng.uniform(np.log10(low), np.log10(high), n), then return 10 ** r").format(
                share=f"{top:.0%}"))
    return None


def _sample_exponent_hint(case, got):
    low, high, n, seed = case.kwargs.values()
    if matches(10.0 ** np.random.default_rng(seed).uniform(low, high, n), got):
        return Hint("exponent_between_low_and_high", _(
            "you drew the exponent r between low and high themselves: r must run between their logarithms, r = "
            "rng.uniform(np.log10(low), np.log10(high), n), so that 10 ** r runs from low to high"))
    return None


def _sample_bases_hint(case, got):
    low, high, n, seed = case.kwargs.values()
    for draw, what in [
            (lambda u: np.exp(u(np.log10(low), np.log10(high))), _("e raised to an exponent drawn between "
                                                                   "log10 bounds")),
            (lambda u: 10.0 ** u(np.log(low), np.log(high)), _("10 raised to an exponent drawn between "
                                                                "natural-log bounds"))]:
        if matches(draw(lambda a, b: np.random.default_rng(seed).uniform(a, b, n)), got):
            return Hint("log_bases_mixed", _("two different bases: {what}. Any base works, but the same one both "
                                             "ways: 10 ** rng.uniform(np.log10(low), np.log10(high), n)").format(
                                                 what=what))
    return None


def _sample_legacy_hint(case, got):
    low, high, n, seed = case.kwargs.values()
    legacy = np.random.RandomState(seed)  # the stream of np.random.seed(seed); np.random.uniform(...)
    if matches(10.0 ** legacy.uniform(np.log10(low), np.log10(high), n), got):
        return Hint("legacy_random_seed", _(
            "right formula, but these are the numbers of the legacy np.random.seed(seed) + np.random.uniform. Draw "
            "from rng = np.random.default_rng(seed): rng.uniform(np.log10(low), np.log10(high), n)"))
    return None


# ---- softmax -----------------------------------------------------------------------------------------------

def _softmax_case(rng, variant):
    C, m = distinct_dims(rng, 2, low=3, high=8)
    if variant == 2:
        m = 1
    Z = rng.normal(scale=2.0, size=(C, m))
    label = f"Z: ({C}, {m})"
    if variant == 1:  # huge logits: columns shifted by +900, 0 or −900 (each at least once)
        shifts = np.resize(np.array([900.0, 0.0, -900.0]), m)
        Z = Z + rng.permutation(shifts)[None, :]
        label = _("{shape}, some columns of huge logits (around +900 or −900)").format(shape=label)
    return Case({"Z": Z}, m, label)


def _softmax_unstable_hint(case, got):
    Z = case.kwargs["Z"]
    with np.errstate(all="ignore"):
        naive = np.exp(Z) / np.sum(np.exp(Z), axis=0, keepdims=True)
        global_max = np.exp(Z - np.max(Z)) / np.sum(np.exp(Z - np.max(Z)), axis=0, keepdims=True)
    if not np.all(np.isfinite(naive)) and _same_with_nans(naive, got):
        return Hint("softmax_overflow", _(
            "NaN: np.exp overflows for logits above ~709 (inf / inf = NaN) and underflows to 0 far below (0 / 0 = "
            "NaN). Softmax does not change when you subtract a constant from a column, so subtract each column's "
            "maximum first: np.exp(Z - np.max(Z, axis=0, keepdims=True))"))
    if not np.all(np.isfinite(global_max)) and _same_with_nans(global_max, got):
        return Hint("softmax_global_max", _(
            "you subtracted the maximum of the whole matrix: a column whose logits are far below it underflows to 0 "
            "/ 0 = NaN. Subtract each column's own maximum, np.max(Z, axis=0, keepdims=True)"))
    finite = np.all(np.isfinite(np.asarray(got, dtype=np.float64)))
    if np.asarray(got).shape == Z.shape and not finite and np.max(np.abs(Z)) > 700:
        return Hint("softmax_unstable", _("NaN or inf on the huge logits: np.exp overflows above ~709. Subtract each "
                                          "column's maximum before np.exp: Z - np.max(Z, axis=0, keepdims=True)"))
    return None


def _softmax_axis_hint(case, got):
    Z = case.kwargs["Z"]
    with np.errstate(all="ignore"):
        rows = np.exp(Z - np.max(Z, axis=1, keepdims=True))
        rows = rows / np.sum(rows, axis=1, keepdims=True)
        everything = [E / np.sum(E) for E in (np.exp(Z - np.max(Z)), np.exp(Z - np.max(Z, axis=0, keepdims=True)))]
        row_max = np.exp(Z - np.max(Z, axis=1, keepdims=True))
        row_max = row_max / np.sum(row_max, axis=0, keepdims=True)
    if _same_with_nans(rows, got):
        return Hint("softmax_over_rows", _(
            "each *row* sums to 1: softmax ran over axis 1 (across the examples). One column is one example, so "
            "normalize over axis 0: np.sum(E, axis=0, keepdims=True)"))
    if any(_same_with_nans(E, got) for E in everything):
        return Hint("softmax_over_whole_matrix", _(
            "the whole matrix sums to 1: np.sum without axis= adds up every example's exponentials. Normalize each "
            "column on its own: np.sum(E, axis=0, keepdims=True)"))
    if _same_with_nans(row_max, got):
        return Hint("softmax_row_max_subtracted", _(
            "you subtracted each row's maximum (axis=1): that changes the numbers within a column, so the result is "
            "no longer the column's softmax. Subtract each column's maximum: np.max(Z, axis=0, keepdims=True)"))
    return None


# ---- one_hot -----------------------------------------------------------------------------------------------

def _one_hot_case(rng, variant):
    C = int(rng.integers(3, 8))
    m = examples(rng, variant, low=4, high=10)
    while m == C:
        m = examples(rng, variant, low=4, high=10)
    labels = rng.integers(0, C, size=(1, m))
    labels[0, 0] = C - 1  # the last class is present: C rows, not max(label) + 1 by luck
    labels = labels.astype(np.uint8) if variant == 1 else labels
    return Case({"labels": labels, "C": C}, m, _("C = {C}, m = {m}, labels {dtype}").format(C=C, m=m,
                                                                                           dtype=labels.dtype))


def _one_hot_eye_hint(case, got):
    labels, C = case.kwargs.values()
    got = np.asarray(got)
    expected = losses.one_hot(labels, C)
    if got.ndim == 3 and got.size == expected.size and np.array_equal(got.reshape(-1, C).T, expected):
        return Hint("one_hot_classes_on_last_axis", _(
            "shape {shape}: np.eye(C)[labels] puts the classes on the last axis, one row per example. Flatten the "
            "labels and transpose: np.eye(C)[labels.reshape(-1)].T is (C, m), one column per example").format(
                shape=got.shape))
    return None


# ---- compute_cost_softmax ----------------------------------------------------------------------------------

def _probabilities_and_labels(rng, variant, C=None, m=None):
    C, m = distinct_dims(rng, 2, low=3, high=8)
    if variant == 2:
        m = 1
    AL = activations.softmax(rng.normal(scale=1.5, size=(C, m)))
    Y = losses.one_hot(rng.integers(0, C, size=m), C)
    return AL, (Y.astype(np.uint8) if variant == 1 else Y), C, m


def _cost_case(rng, variant):
    AL, Y, C, m = _probabilities_and_labels(rng, variant)
    return Case({"AL": AL, "Y": Y}, m, _classes_label(C, m, Y))


def _classes_label(C, m, Y):
    return _("C = {C} classes, m = {m}, Y one-hot {dtype}").format(C=C, m=m, dtype=Y.dtype)


def _cost_shape_hint(case, got):
    AL = case.kwargs["AL"]
    C, m = AL.shape
    shape = np.shape(got)
    if m > 1 and shape in ((m,), (1, m)):
        return Hint("cost_not_averaged_over_examples", _(
            "one loss per example: you summed over the classes (axis 0) but did not average over the examples. J = "
            "−(1/m) Σ_examples Σ_classes y·log(a): a single number"))
    if shape in ((C,), (C, 1)) and m != C:
        return Hint("cost_not_summed_over_classes", _(
            "one value per class: you summed over the examples (axis 1) only. Sum over the classes too (np.sum of the "
            "whole matrix Y * log(AL)) and divide by m: J is a single number"))
    return None


def _cost_value_hint(case, got):
    AL, Y = case.kwargs.values()
    Y = np.asarray(Y, dtype=np.float64)
    C, m = AL.shape
    expected = losses.softmax_cross_entropy(AL, Y)
    binary = float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)
    if matches(binary, got):
        return Hint("binary_cross_entropy_used", _(
            "this is the binary cross-entropy, with a (1 − y)·log(1 − a) term: with C classes and one-hot Y the cost "
            "keeps only the true class's term, J = −(1/m) Σ Σ y·log(a)"))
    if matches(expected / C, got):
        return Hint("cost_mean_over_classes", _(
            "the cost is C = {C} times too small: np.mean over the whole (C, m) matrix divides by C·m. Sum over the "
            "classes and average over the examples only: −np.sum(Y * np.log(AL)) / m").format(C=C))
    as_indices = float(-np.mean(np.log(AL[Y.astype(int), np.arange(m)])))
    if matches(as_indices, got) and not matches(expected, as_indices):
        return Hint("one_hot_used_as_indices", _(
            "you used Y as class indices (AL[Y, range(m)]), but Y is already one-hot, shape (C, m): each column has a "
            "1 in the true class's row. Use it as a mask: −np.sum(Y * np.log(AL)) / m"))
    return None


# ---- softmax_cost_backward ---------------------------------------------------------------------------------

def _backward_case(rng, variant):
    AL, Y, C, m = _probabilities_and_labels(rng, variant)
    return Case({"AL": AL, "Y": Y}, m, _classes_label(C, m, Y))


def _softmax_backward_hint(case, got):
    AL, Y = case.kwargs.values()
    Y = np.asarray(Y, dtype=np.float64)
    m = AL.shape[1]
    if m > 1 and matches((AL - Y) / m, got):
        return Hint("softmax_dz_divided_by_m", _(
            "dZ[L] divided by m: in this course dZ[L] = AL − Y carries no 1/m — the 1/m comes later, in dW = "
            "dZ·A_prevᵀ / m and db (exactly as for the sigmoid output)"))
    if matches((AL - Y) * AL * (1 - AL), got):
        return Hint("softmax_derivative_applied_twice", _(
            "AL − Y is already ∂J/∂Z[L] (the softmax's derivative is folded into it): do not multiply by AL·(1 − AL) "
            "again"))
    return None


# ---- batchnorm_forward -------------------------------------------------------------------------------------

def _bn_inputs(rng, variant):
    n = int(rng.integers(3, 7))
    m = examples(rng, variant, low=4, high=9)
    while m == n:
        m = examples(rng, variant, low=4, high=9)
    spread = np.geomspace(0.03, 3.0, n)[rng.permutation(n)][:, None]  # units of very different spread
    Z = rng.normal(size=(n, 1)) + spread * rng.normal(size=(n, m))
    gamma = rng.uniform(0.5, 2.0, size=(n, 1))
    beta = rng.normal(size=(n, 1))
    epsilon = float(10 ** rng.uniform(-3, -2))
    return Z, gamma, beta, epsilon, f"Z: ({n}, {m}), ε = {epsilon:.2g}"


def _bn_forward_case(rng, variant):
    Z, gamma, beta, epsilon, label = _bn_inputs(rng, variant)
    return Case({"Z": Z, "gamma": gamma, "beta": beta, "epsilon": epsilon}, Z.shape[1], label)


def bn_forward_variant(Z, gamma, beta, epsilon, axis=1, eps="inside", ddof=0):
    """batchnorm_forward as a known mistake computes it: statistics over ``axis`` (None: the whole matrix),
    ε ``"inside"`` the root, ``"outside"`` it or ``"none"``, variance with ``ddof``. Returns (Z_tilde, cache)."""
    mu = np.mean(Z, axis=axis, keepdims=True)
    var = np.var(Z, axis=axis, keepdims=True, ddof=ddof)
    std = {"inside": np.sqrt(var + epsilon), "outside": np.sqrt(var) + epsilon, "none": np.sqrt(var)}[eps]
    with np.errstate(all="ignore"):
        Z_norm = (Z - mu) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std, mu, var)


def _bn_forward_mistakes():
    """``(options of bn_forward_variant, Hint)`` for each known wrong batch-norm forward pass."""
    return [
        ({"axis": 0}, Hint("bn_statistics_per_example", _(
            "your Z_tilde is what you get when the statistics are per example (axis 0, down each column): batch norm "
            "averages each unit over the examples of the mini-batch, np.mean(Z, axis=1, keepdims=True)"))),
        ({"axis": None}, Hint("bn_statistics_over_whole_matrix", _(
            "your Z_tilde is what you get when one mean and one variance are taken over the whole matrix (np.mean / "
            "np.var without axis=): each unit (row) gets its own, over the examples: axis=1, keepdims=True"))),
        ({"eps": "outside"}, Hint("bn_epsilon_outside_root", _(
            "your Z_tilde is what you get when ε is outside the square root, (Z − μ)/(√σ² + ε): it belongs inside, "
            "(Z − μ)/√(σ² + ε)"))),
        ({"eps": "none"}, Hint("bn_epsilon_missing", _(
            "your Z_tilde is what you get when ε is missing: Z_norm = (Z − μ)/√(σ² + ε). The ε keeps a unit whose "
            "values are (almost) all equal in a mini-batch from a division by (almost) zero"))),
        ({"ddof": 1}, Hint("sample_variance_used", _(
            "your Z_tilde is what you get when the variance divides by m − 1: batch norm uses σ² = (1/m) Σ (z − μ)², "
            "which is np.var's default (ddof=0)"))),
    ]


def _bn_forward_hint(case, got):
    Z, gamma, beta, epsilon = case.kwargs.values()
    Z_tilde = got[0]
    for options, hint in _bn_forward_mistakes():
        if matches(bn_forward_variant(Z, gamma, beta, epsilon, **options)[0], Z_tilde):
            return hint
    if matches(beta * layers.batchnorm_forward(Z, gamma, beta, epsilon)[1][0] + gamma, Z_tilde):
        return Hint("bn_gamma_beta_swapped", _("γ and β are swapped: γ scales and β shifts, Z_tilde = gamma * Z_norm "
                                               "+ beta"))
    return None


def _bn_cache_hint(case, got):
    Z, gamma, beta, epsilon = case.kwargs.values()
    Z_tilde, cache = layers.batchnorm_forward(Z, gamma, beta, epsilon)
    got_tilde, got_cache = got
    if not matches(Z_tilde, got_tilde) or len(got_cache) != len(cache):
        return None
    if matches((cache[0], cache[1], np.sqrt(cache[4]), cache[3], cache[4]), tuple(got_cache)):
        return Hint("bn_cache_std_without_epsilon", _(
            "Z_tilde is right, but the std in the cache is √σ², without ε: store the number you divided by, std = "
            "np.sqrt(var + epsilon) (batchnorm_backward divides by it again)"))
    names = ("Z_norm", "gamma", "std", "mu", "var")
    for order in _permutations(len(cache)):
        if list(order) != list(range(len(cache))) and matches(tuple(cache[i] for i in order), tuple(got_cache)):
            return Hint("bn_cache_in_another_order", _(
                "the cache holds the right arrays in another order ({order}): the contract is cache = "
                "({names})").format(order=", ".join(names[i] for i in order), names=", ".join(names)))
    return None


def _permutations(k):
    import itertools
    return itertools.permutations(range(k))


# ---- batchnorm_backward ------------------------------------------------------------------------------------

def _bn_backward_case(rng, variant):
    Z, gamma, beta, epsilon, label = _bn_inputs(rng, variant)
    cache = layers.batchnorm_forward(Z, gamma, beta, epsilon)[1]
    return Case({"dZ_tilde": rng.normal(size=Z.shape), "cache": cache}, Z.shape[1], label)


def _both(names):
    """'dgamma' or 'dgamma and dbeta', for messages."""
    return names[0] if len(names) == 1 else _("{first} and {second}").format(first=names[0], second=names[1])


def _bn_backward_averaging_hint(case, got):
    dZ_tilde, cache = case.kwargs.values()
    m = dZ_tilde.shape[1]
    dZ, dgamma, dbeta = layers.batchnorm_backward(dZ_tilde, cache)
    if m == 1:
        return None
    summed = [name for name, e, g in [("dgamma", dgamma, got[1]), ("dbeta", dbeta, got[2])] if matches(m * e, g)]
    if summed:
        finding = (_("{names} is m = {m} times too large") if len(summed) == 1
                   else _("{names} are m = {m} times too large")).format(names=_both(summed), m=m)
        return Hint("bn_parameter_gradients_not_averaged", _(
            "{finding}: dγ and dβ are averaged over the m examples, like dW and db — dbeta = np.sum(dZ_tilde, axis=1, "
            "keepdims=True) / m, dgamma = np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True) / m (dZ itself has no "
            "1/m)").format(finding=finding))
    if matches(dZ / m, got[0]):
        return Hint("bn_dz_divided_by_m", _(
            "dZ is m = {m} times too small: the 1/m belongs to the parameter gradients dγ, dβ (and later dW, db), not "
            "to dZ, which flows on to the layer below").format(m=m))
    return None


def _bn_backward_terms_hint(case, got):
    dZ_tilde, cache = case.kwargs.values()
    Z_norm, gamma, std = cache[:3]
    mean = lambda A: np.mean(A, axis=1, keepdims=True)  # noqa: E731
    right = "dZ = γ/σ · (dZ_tilde − mean(dZ_tilde) − Z_norm · mean(dZ_tilde · Z_norm))"
    for dZ, hint in [
            (gamma / std * dZ_tilde, Hint("bn_backward_statistics_constant", _(
                "your dZ is what you get when μ and σ² were treated as constants (dZ = γ/σ · dZ_tilde). They are "
                "computed from every example of the batch, so moving one z moves μ and σ² too: {right}").format(
                    right=right))),
            (gamma / std * (dZ_tilde - mean(dZ_tilde)), Hint("bn_backward_variance_term_missing", _(
                "your dZ is what you get when the term from σ² is missing: {right}").format(right=right))),
            (gamma / std * (dZ_tilde - Z_norm * mean(dZ_tilde * Z_norm)), Hint("bn_backward_mean_term_missing", _(
                "your dZ is what you get when the term from μ is missing: {right}").format(right=right)))]:
        if matches(dZ, got[0]) and not matches(layers.batchnorm_backward(dZ_tilde, cache)[0], got[0]):
            return hint
    return None


def _bn_backward_axis_hint(case, got):
    dZ_tilde = case.kwargs["dZ_tilde"]
    n, m = dZ_tilde.shape
    bad = [name for name, g in [("dgamma", got[1]), ("dbeta", got[2])] if np.shape(g) == (1, m)]
    if bad and n != 1:
        return Hint("bn_parameter_gradients_over_units", _(
            "{names} has shape (1, {m}): the sum ran over the units (axis 0). dγ and dβ have one value per unit, (n, "
            "1) = ({n}, 1): sum over the examples, axis=1, keepdims=True").format(names=_both(bad), m=m, n=n))
    return None


# ---- update_running_averages -------------------------------------------------------------------------------

def _running_case(rng, variant):
    n = 1 if variant == 2 else int(rng.integers(3, 8))
    running_mu, running_var = rng.normal(size=(n, 1)), rng.uniform(0.5, 2.0, size=(n, 1))
    mu, var = rng.normal(size=(n, 1)), rng.uniform(0.5, 2.0, size=(n, 1))
    momentum = [0.9, 0.99, 0.8][variant]
    return Case({"running_mu": running_mu, "running_var": running_var, "mu": mu, "var": var, "momentum": momentum},
                None, f"n[l] = {n}, momentum = {momentum}")


def _running_hint(case, got):
    running_mu, running_var, mu, var, momentum = case.kwargs.values()
    if matches(update_running_averages(mu, var, running_mu, running_var, momentum), tuple(got)):
        return Hint("running_average_weights_swapped", _(
            "the weights are swapped: the old running value keeps the large weight momentum = {momentum}, this batch "
            "gets 1 − momentum: running_mu = momentum * running_mu + (1 - momentum) * mu").format(momentum=momentum))
    if matches((mu, var), tuple(got)):
        return Hint("running_average_is_batch_statistics", _(
            "you returned this batch's statistics: a running average remembers the earlier batches too, running_mu = "
            "momentum * running_mu + (1 - momentum) * mu"))
    if matches(update_running_averages(running_mu, np.sqrt(running_var), mu, np.sqrt(var), momentum)[1], got[1]):
        return Hint("running_var_of_std", _("running_var averaged standard deviations: average the variances var "
                                            "themselves"))
    return None


EXERCISES = {e.name: e for e in [
    Exercise("softmax", activations.softmax, _softmax_case, ("A",),
             hints=(_softmax_unstable_hint, _softmax_axis_hint)),
    Exercise("one_hot", losses.one_hot, _one_hot_case, ("Y",), hints=(_one_hot_eye_hint,)),
    Exercise("compute_cost_softmax", losses.softmax_cross_entropy, _cost_case, ("cost",),
             hints=(_cost_shape_hint, _cost_value_hint)),
    Exercise("softmax_cost_backward", softmax_cost_backward, _backward_case, ("dZ",),
             hints=(_softmax_backward_hint,)),
    Exercise("sample_log_uniform", sample_log_uniform, _sample_case, ("samples",),
             hints=(_sample_linear_hint, _sample_exponent_hint, _sample_bases_hint, _sample_legacy_hint)),
    Exercise("batchnorm_forward", layers.batchnorm_forward, _bn_forward_case, ("Z_tilde", "cache"),
             hints=(_bn_forward_hint, _bn_cache_hint)),
    Exercise("batchnorm_backward", layers.batchnorm_backward, _bn_backward_case, ("dZ", "dgamma", "dbeta"),
             hints=(_bn_backward_axis_hint, _bn_backward_averaging_hint, _bn_backward_terms_hint)),
    Exercise("update_running_averages", update_running_averages, _running_case, ("running_mu", "running_var"),
             hints=(_running_hint,)),
]}

# What the notebook's setup cell hands the learner: usable in answers, never counted as borrowing.
check = Checker(EXERCISES, provided=(training.train, training.forward))
