"""Assignment "Optimization algorithms": mini-batches, moving averages, momentum, RMSprop, Adam and
learning-rate schedules, checked against ``nncore.optim``.

The references are nncore's functions of the same names, called positionally with each case's
arguments in the order of the notebook's signatures. Cases are built so that every known mistake
changes the answer: the optimizer state ``v``/``s`` is mid-training (not zeros), ε is large enough
for "ε inside the square root" to show, Adam's ``t`` is small enough for the bias correction to
matter, and a schedule's epoch sits just before a drop. Exercise-specific hints recompute what a
known mistake would give and name it when it matches the learner's answer.
"""

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise, distinct_dims, labels
from nncore.i18n import _
from nncore import init, optim


# ---- mini-batches ---------------------------------------------------------------------------------

def _mini_batch_case(rng, variant):
    """Variant 0: m not a multiple of the batch size; 1: uint8 labels and m a multiple; 2: m = 1."""
    n_x = int(rng.integers(2, 5))
    size = int(rng.integers(3, 7))
    if variant == 0:
        m = size * int(rng.integers(2, 5)) + int(rng.integers(1, size))
    elif variant == 1:
        m = size * int(rng.integers(3, 5))
    else:
        m = 1
    X = rng.normal(size=(n_x, m))
    Y = labels(rng, m, variant)
    seed = int(rng.integers(0, 100_000))
    return Case({"X": X, "Y": Y, "mini_batch_size": size, "seed": seed}, m,
                f"n_x = {n_x}, m = {m}, mini_batch_size = {size}, seed = {seed}")


def _batches(case, order):
    """The mini-batches the contract cuts from the examples taken in ``order``."""
    X, Y, size = case.kwargs["X"], case.kwargs["Y"], case.kwargs["mini_batch_size"]
    X, Y = X[:, order], Y[:, order]
    return [(X[:, k:k + size], Y[:, k:k + size]) for k in range(0, X.shape[1], size)]


def _got_columns(got):
    """All X and Y columns of the learner's mini-batches side by side: ``(X_all, Y_all)``."""
    X_parts = [np.asarray(b[0], dtype=np.float64) for b in got]
    Y_parts = [np.asarray(b[1], dtype=np.float64) for b in got]
    return np.hstack(X_parts), np.hstack(Y_parts)


def _dropped_last_hint(case, got):
    m, size = case.m, case.kwargs["mini_batch_size"]
    expected = optim.random_mini_batches(**case.kwargs)
    if m % size and len(got) == len(expected) - 1 and matches(expected[:-1], list(got)):
        return Hint("last_mini_batch_dropped", _(
            "the last, partial mini-batch is missing: m = {m} is not a multiple of {size}, so after {full} full "
            "mini-batches the remaining {rest} examples form one more, smaller mini-batch (no example may be left "
            "out of an epoch)").format(m=m, size=size, full=m // size, rest=m % size))
    return None


def _overrun_hint(case, got):
    m, size = case.m, case.kwargs["mini_batch_size"]
    sizes = [np.shape(b[0])[1] for b in got]
    if sizes and sizes[-1] == 0:
        return Hint("empty_last_mini_batch", _(
            "the last mini-batch is empty: m = {m} is a multiple of {size}, so there is no partial mini-batch to add "
            "(add it only when m % mini_batch_size != 0, or slice with range(0, m, size))").format(m=m, size=size))
    if sum(sizes) > m:
        return Hint("examples_used_twice", _(
            "your mini-batches hold {total} examples in total, but there are only m = {m}: some examples are used "
            "twice in one epoch (the last mini-batch reaches back into the previous one?). Mini-batch k holds "
            "columns k·size … (k+1)·size − 1, the last one the {last} left over").format(
                total=sum(sizes), m=m, last=m % size or size))
    return None


def _unpaired_hint(case, got):
    X, Y = case.kwargs["X"], np.asarray(case.kwargs["Y"], dtype=np.float64)
    X_got, Y_got = _got_columns(got)
    if X_got.shape != X.shape or Y_got.shape != Y.shape:
        return None
    where = {tuple(column): i for i, column in enumerate(X.T)}
    order = [where.get(tuple(column)) for column in X_got.T]
    if None in order or sorted(order) != list(range(case.m)):
        return None
    if not np.array_equal(Y_got, Y[:, order]):
        return Hint("x_and_y_shuffled_apart", _(
            "X and Y are not shuffled together: a column of X_batch must keep its own label in Y_batch. Draw the "
            "permutation once and index both with it: X[:, permutation] and Y[:, permutation]"))
    return None


def _no_shuffle_hint(case, got):
    if case.m > 1 and matches(_batches(case, np.arange(case.m)), list(got)):
        return Hint("not_shuffled", _("the examples are still in their original order: shuffle first, permutation = "
                                      "np.random.default_rng(seed).permutation(m), then cut the shuffled X and Y"))
    return None


def _legacy_shuffle_hint(case, got):
    # the order of np.random.seed(seed); np.random.permutation(m)
    legacy = np.random.RandomState(case.kwargs["seed"]).permutation(case.m)
    if case.m > 1 and matches(_batches(case, legacy), list(got)):
        return Hint("legacy_random_seed", _(
            "this is the order of the legacy np.random.seed(seed) + np.random.permutation(m). This course draws from "
            "a generator: np.random.default_rng(seed).permutation(m)"))
    return None


# ---- exponentially weighted averages ----------------------------------------------------------------

def _ewa_case(rng, variant):
    """Temperature-like values far from 0, so the bias correction matters. Variant 1: no correction; 2: T = 1."""
    T = 1 if variant == 2 else int(rng.integers(6, 13))
    theta = 15 + 5 * rng.normal(size=T)
    beta = float(rng.choice([0.5, 0.6, 0.8, 0.9]))
    correction = variant != 1
    return Case({"theta": theta, "beta": beta, "bias_correction": correction}, None,
                _("T = {T} values, beta = {beta}, bias_correction = {correction}").format(
                    T=T, beta=beta, correction=correction))


def ewa_variant(theta, beta, correct=True, power_shift=0, carry_corrected=False, swapped=False, v0=0.0):
    """The moving average with a known mistake planted (all defaults: the correct, bias-corrected one)."""
    out, v = [], v0
    for t, value in enumerate(theta, start=1):
        v = (1 - beta) * v + beta * value if swapped else beta * v + (1 - beta) * value
        corrected = v / (1 - beta ** (t + power_shift)) if correct else v
        out.append(corrected)
        if carry_corrected:
            v = corrected
    return np.array(out)


def _ewa_hint(case, got):
    theta, beta, correction = case.kwargs.values()
    got = np.asarray(got, dtype=np.float64)
    with np.errstate(all="ignore"):
        if correction and matches(ewa_variant(theta, beta, correct=False), got):
            return Hint("bias_correction_missing", _(
                "these are the averages without bias correction: with bias_correction=True divide each v_t by (1 − "
                "β^t), t = 1, 2, … (the early averages start from v_0 = 0 and are too small)"))
        if not correction and matches(ewa_variant(theta, beta), got):
            return Hint("bias_correction_not_asked", _("bias_correction is False here: return the plain v_t, without "
                                                       "dividing by (1 − β^t)"))
        shifted = ewa_variant(theta, beta, power_shift=-1)
        if correction and len(theta) > 1 and not np.isfinite(got[0]) and matches(shifted[1:], got[1:]):
            return Hint("ewa_bias_correction_t_minus_1", _(
                "the bias correction uses β^(t−1): at the first value that is 1 − β^0 = 0, a division by zero. t "
                "counts the values from 1 (enumerate(theta, start=1)), so the first correction is 1 − β"))
        if correction and matches(ewa_variant(theta, beta, power_shift=1), got):
            return Hint("ewa_bias_correction_t_plus_1", _(
                "the bias correction uses β^(t+1): for the t-th value (t = 1 for the first) divide by 1 − β^t, so "
                "the first corrected average is exactly θ_1"))
        if correction and matches(ewa_variant(theta, beta, carry_corrected=True), got):
            return Hint("corrected_value_carried", _(
                "the corrected value was stored back into v and carried to the next step: keep the plain v_t for the "
                "recursion and divide only the value you return by (1 − β^t)"))
        if matches(ewa_variant(theta, beta, correction, swapped=True), got):
            return Hint("ewa_beta_swapped", _("β and 1 − β are swapped: v_t = β·v_(t−1) + (1 − β)·θ_t (β weighs "
                                              "the past)"))
        if matches(ewa_variant(theta, beta, correction, v0=theta[0]), got):
            return Hint("ewa_starts_from_first_value", _("v starts from θ_1: the recursion starts from v_0 = 0 (the "
                                                         "bias correction exists because of that)"))
    return None


# ---- parameters, gradients, optimizer state -----------------------------------------------------------

def _parameters(rng, variant):
    """Parameters of a small network (variant 0: 2 layers, 1: 3 layers, 2: one unit) and matching gradients."""
    layer_dims = distinct_dims(rng, 3 if variant == 0 else 4) if variant < 2 else distinct_dims(rng, 1) + [1]
    parameters = init.initialize_parameters_deep(layer_dims, "xavier", seed=rng)
    parameters = {k: p + rng.normal(size=p.shape) * 0.1 for k, p in parameters.items()}
    grads = {"d" + k: rng.normal(size=p.shape) * 0.5 for k, p in parameters.items()}
    return parameters, grads, f"layer_dims = {layer_dims}"


def _first_moment(rng, grads):
    return {k: g * rng.uniform(-0.5, 1.0, size=g.shape) for k, g in grads.items()}


def _second_moment(rng, grads):
    return {k: g ** 2 * rng.uniform(0.2, 2.0, size=g.shape) for k, g in grads.items()}


def _init_state_case(rng, variant):
    layer_dims = distinct_dims(rng, 3 if variant == 0 else 4) if variant < 2 else distinct_dims(rng, 1) + [1]
    return Case({"parameters": init.initialize_parameters_deep(layer_dims, "he", seed=rng)}, None,
                f"layer_dims = {layer_dims}")


def _state_keys_hint(case, got):
    wanted = {"d" + k for k in case.kwargs["parameters"]}
    dicts = got if isinstance(got, tuple) else (got,)
    if any(isinstance(d, dict) and set(d) == set(case.kwargs["parameters"]) for d in dicts):
        return Hint("state_keyed_by_parameter_names", _(
            "your keys are the parameters' names ({keys}); the state is keyed by the gradients' names ({wanted}): "
            "v[\"dW1\"] averages grads[\"dW1\"]").format(keys=", ".join(case.kwargs["parameters"]),
                                                         wanted=", ".join(sorted(wanted))))
    return None


def _momentum_case(rng, variant):
    """Variants 0 and 1: a state v from the middle of training; 2: the first step (v = 0)."""
    parameters, grads, label = _parameters(rng, variant)
    v = optim.initialize_velocity(parameters) if variant == 2 else _first_moment(rng, grads)
    beta = float(rng.choice([0.8, 0.9, 0.95]))
    learning_rate = float(rng.choice([0.05, 0.1, 0.3]))
    return Case({"parameters": parameters, "grads": grads, "v": v, "beta": beta, "learning_rate": learning_rate},
                None, f"{label}, beta = {beta}, learning_rate = {learning_rate}" + (", v = 0" if variant == 2 else ""))


def momentum_variant(parameters, grads, v, beta, learning_rate, new_v, step="v"):
    """Momentum with ``new_v(v, g)`` as the velocity update and θ moved by the new v, the old v or dθ."""
    v_new = {k: new_v(v[k], grads[k]) for k in v}
    direction = {"v": v_new, "old v": v, "grad": grads}[step]
    return {k: p - learning_rate * direction["d" + k] for k, p in parameters.items()}, v_new


def _momentum_hint(case, got):
    parameters, grads, v, beta, learning_rate = case.kwargs.values()
    args = (parameters, grads, v, beta, learning_rate)
    right = lambda old, g: beta * old + (1 - beta) * g  # noqa: E731
    for new_v, step, hint in [
            (lambda old, g: (1 - beta) * g, "v", Hint("momentum_v_not_carried", _(
                "v does not carry over: the new v must build on the v you were given, v = β·v + (1 − β)·dθ (this v "
                "is the memory that gives momentum)"))),
            (lambda old, g: beta * g + (1 - beta) * old, "v", Hint("momentum_beta_swapped", _(
                "β and 1 − β are swapped: v = β·v + (1 − β)·dθ — β weighs the past velocity, (1 − β) the new "
                "gradient"))),
            (lambda old, g: beta * old + g, "v", Hint("momentum_1_minus_beta_missing", _(
                "the (1 − β) factor is missing: v = β·v + (1 − β)·dθ (without it v grows to about 1/(1 − β) times "
                "the gradient, a 10× larger step for β = 0.9)"))),
            (right, "grad", Hint("momentum_step_by_gradient", _(
                "v is right, but θ moved by the gradient: momentum updates θ = θ − α·v with the new v"))),
            (right, "old v", Hint("momentum_step_by_old_v", _(
                "θ moved by the old v: first update v = β·v + (1 − β)·dθ, then θ = θ − α·v with that new v")))]:
        if matches(momentum_variant(*args, new_v, step), tuple(got)):
            return hint
    return None


def _rmsprop_case(rng, variant):
    """ε is large (0.01–0.1) in variants 0 and 1 so that √(s + ε) and √s + ε differ; variant 2 is a first step."""
    parameters, grads, label = _parameters(rng, variant)
    s = optim.initialize_velocity(parameters) if variant == 2 else _second_moment(rng, grads)
    beta2 = float(rng.choice([0.9, 0.99, 0.999]))
    learning_rate = float(rng.choice([0.01, 0.02, 0.05]))
    epsilon = 1e-8 if variant == 2 else float(rng.choice([0.01, 0.05, 0.1]))
    return Case({"parameters": parameters, "grads": grads, "s": s, "beta2": beta2, "learning_rate": learning_rate,
                 "epsilon": epsilon}, None,
                f"{label}, beta2 = {beta2}, learning_rate = {learning_rate}, epsilon = {epsilon:g}"
                + (", s = 0" if variant == 2 else ""))


def rmsprop_variant(parameters, grads, s, beta2, learning_rate, epsilon, square=True, divide="root"):
    """RMSprop with the gradient squared or not and the step divided by √s + ε, √(s + ε) or s + ε."""
    with np.errstate(all="ignore"):
        s_new = {k: beta2 * s[k] + (1 - beta2) * (g ** 2 if square else g) for k, g in grads.items()}
        denominator = {"root": lambda x: np.sqrt(x) + epsilon, "inside": lambda x: np.sqrt(x + epsilon),
                       "no root": lambda x: x + epsilon}[divide]
        return ({k: p - learning_rate * grads["d" + k] / denominator(s_new["d" + k]) for k, p in parameters.items()},
                s_new)


def _rmsprop_hint(case, got):
    args = tuple(case.kwargs.values())
    got = tuple(got)
    if matches(rmsprop_variant(*args, divide="inside")[0], got[0]):
        return Hint("rmsprop_epsilon_inside_root", _(
            "ε is inside the square root: divide by (√s + ε), not √(s + ε) — ε only guards against dividing by zero "
            "and belongs outside the root"))
    if matches(rmsprop_variant(*args, square=False)[1], got[1]):
        return Hint("rmsprop_gradient_not_squared", _(
            "the gradient is not squared: s averages the *squares*, s = β₂·s + (1 − β₂)·dθ² (np.square(dθ) or dθ**2, "
            "element-wise)"))
    if matches(rmsprop_variant(*args, divide="no root")[0], got[0]):
        return Hint("rmsprop_square_root_missing", _("the step is divided by s + ε: divide by the root mean square, "
                                                     "√s + ε (np.sqrt(s) + epsilon)"))
    return None


def _adam_case(rng, variant):
    """Variant 0: mid-training, t = 2 … 6, large ε; 1: the first update (t = 1, zero state); 2: t = 2 … 40, one unit."""
    parameters, grads, label = _parameters(rng, variant)
    if variant == 1:
        v, s = optim.initialize_adam(parameters)
        t = 1
    else:
        v, s = _first_moment(rng, grads), _second_moment(rng, grads)
        t = int(rng.integers(2, 7) if variant == 0 else rng.integers(2, 41))
    learning_rate = float(rng.choice([0.01, 0.02, 0.05]))
    beta1 = float(rng.choice([0.8, 0.9]))
    beta2 = float(rng.choice([0.99, 0.999]))
    epsilon = float(rng.choice([0.01, 0.05])) if variant == 0 else 1e-8
    return Case({"parameters": parameters, "grads": grads, "v": v, "s": s, "t": t, "learning_rate": learning_rate,
                 "beta1": beta1, "beta2": beta2, "epsilon": epsilon}, None,
                f"{label}, t = {t}, learning_rate = {learning_rate}, beta1 = {beta1}, beta2 = {beta2}, "
                f"epsilon = {epsilon:g}")


def adam_variant(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, power=None,
                 eps_inside=False, store_corrected=False, use_corrected=True):
    """Adam with a known mistake planted: another power in the correction, ε inside the root, the
    corrected values returned as v and s, or the update made with the uncorrected v and s."""
    power = t if power is None else power
    with np.errstate(all="ignore"):
        v_new = {k: beta1 * v[k] + (1 - beta1) * g for k, g in grads.items()}
        s_new = {k: beta2 * s[k] + (1 - beta2) * g ** 2 for k, g in grads.items()}
        v_hat = {k: x / (1 - beta1 ** power) for k, x in v_new.items()}
        s_hat = {k: x / (1 - beta2 ** power) for k, x in s_new.items()}
        a, b = (v_hat, s_hat) if use_corrected else (v_new, s_new)
        root = (lambda x: np.sqrt(x + epsilon)) if eps_inside else (lambda x: np.sqrt(x) + epsilon)
        new_parameters = {k: p - learning_rate * a["d" + k] / root(b["d" + k]) for k, p in parameters.items()}
    if store_corrected:
        return new_parameters, v_hat, s_hat, v_hat, s_hat
    return new_parameters, v_new, s_new, v_hat, s_hat


def _adam_hint(case, got):
    kwargs = case.kwargs
    args = tuple(kwargs.values())
    t = kwargs["t"]
    got = tuple(got)
    if len(got) != 5:
        return None
    expected = adam_variant(*args)
    if matches(expected[3], got[1]) or matches(expected[4], got[2]):
        return Hint("adam_returned_corrected_state", _(
            "the v and s you return are the bias-corrected ones: return the plain moving averages v and s (they "
            "carry over to the next step); v_corrected and s_corrected are only for this step's update"))
    for power, text in [(t - 1, "t − 1"), (t + 1, "t + 1")]:
        shifted = adam_variant(*args, power=power)
        if power > 0 and (matches(shifted[3], got[3]) or matches(shifted[4], got[4])):
            return Hint("adam_bias_correction_wrong_t", _(
                "the bias correction uses the power {power}: t already counts this update (t = 1 at the first one), "
                "so v_corrected = v / (1 − β₁^t) and s_corrected = s / (1 − β₂^t)").format(power=text))
    swapped = dict(kwargs, beta1=kwargs["beta2"], beta2=kwargs["beta1"])
    if matches(adam_variant(*swapped.values()), got):
        return Hint("adam_betas_swapped", _("β₁ and β₂ are swapped: β₁ (0.9) averages the gradients into v, β₂ "
                                            "(0.999) their squares into s"))
    if matches(adam_variant(*args, eps_inside=True)[0], got[0]):
        return Hint("adam_epsilon_inside_root", _("ε is inside the square root: divide by (√s_corrected + ε), not "
                                                  "√(s_corrected + ε)"))
    if matches(adam_variant(*args, use_corrected=False)[0], got[0]):
        return Hint("adam_step_uncorrected", _("θ moved by the uncorrected v and s: the update uses the "
                                               "bias-corrected values, θ = θ − α·v_corrected / (√s_corrected + ε)"))
    return None


# ---- learning-rate schedules --------------------------------------------------------------------------

def _epoch_before_drop(rng, variant, interval):
    """Variant 0 and 1: one epoch before a drop (k·interval − 1, k ≥ 2), so an off-by-one or a missing floor
    changes the answer; variant 2: epoch 0."""
    return 0 if variant == 2 else interval * int(rng.integers(2, 6)) - 1


def _inverse_time_case(rng, variant):
    interval = int(rng.integers(2, 11))
    epoch = _epoch_before_drop(rng, variant, interval)
    rate0, decay = float(rng.choice([0.1, 0.2, 0.5, 1.0])), float(rng.choice([0.3, 0.5, 1.0, 2.0]))
    return Case({"learning_rate0": rate0, "epoch": epoch, "decay_rate": decay, "time_interval": interval}, None,
                f"learning_rate0 = {rate0}, epoch = {epoch}, decay_rate = {decay}, time_interval = {interval}")


def _inverse_time_hint(case, got):
    rate0, epoch, decay, interval = case.kwargs.values()
    for value, hint in [
            (rate0 / (1 + decay * epoch), Hint("inverse_time_decays_every_epoch", _(
                "the rate decays every epoch: it should drop only every time_interval epochs, α = α₀ / (1 + "
                "decay_rate · ⌊epoch / time_interval⌋)"))),
            (rate0 / (1 + decay * epoch / interval), Hint("inverse_time_floor_missing", _(
                "⌊ ⌋ is missing: epoch / time_interval must be rounded down (epoch // time_interval or np.floor), so "
                "α stays constant within an interval"))),
            (rate0 / (1 + decay * ((epoch + 1) // interval)), Hint("inverse_time_epoch_off_by_one", _(
                "epoch + 1 is off by one: epochs count from 0 here, and α = α₀ at epoch 0, so use ⌊epoch / "
                "time_interval⌋")))]:
        if matches(value, got):
            return hint
    return None


def _exponential_case(rng, variant):
    epoch = 0 if variant == 2 else int(rng.integers(3, 40))
    rate0, base = float(rng.choice([0.1, 0.2, 0.5, 1.0])), float(rng.choice([0.8, 0.9, 0.97, 0.99]))
    return Case({"learning_rate0": rate0, "epoch": epoch, "base": base}, None,
                f"learning_rate0 = {rate0}, epoch = {epoch}, base = {base}")


def _exponential_hint(case, got):
    rate0, epoch, base = case.kwargs.values()
    if matches(base ** (epoch + 1) * rate0, got):
        return Hint("exponential_decay_epoch_off_by_one", _(
            "base^(epoch + 1) is off by one: epochs count from 0 here and α = α₀ at epoch 0, so α = base^epoch · α₀"))
    if base != 0.95 and matches(0.95 ** epoch * rate0, got):
        return Hint("exponential_decay_base_hard_coded", _("this is 0.95^epoch · α₀: use the base you were given, α = "
                                                           "base^epoch · α₀"))
    return None


def _sqrt_case(rng, variant):
    epoch = 0 if variant == 2 else int(rng.integers(1, 50))
    rate0, k = float(rng.choice([0.1, 0.2, 0.5, 1.0])), float(rng.choice([0.5, 1.0, 2.0]))
    return Case({"learning_rate0": rate0, "epoch": epoch, "k": k}, None,
                f"learning_rate0 = {rate0}, epoch = {epoch}, k = {k}")


def _sqrt_hint(case, got):
    rate0, epoch, k = case.kwargs.values()
    if epoch > 0 and matches(k / np.sqrt(epoch) * rate0, got):
        return Hint("sqrt_decay_epoch_off_by_one", _(
            "√epoch is off by one: epochs count from 0 here (and √0 would divide by zero), so the lecture's t = "
            "epoch + 1 and α = k / √(epoch + 1) · α₀"))
    if k != 1 and matches(rate0 / np.sqrt(epoch + 1), got):
        return Hint("sqrt_decay_k_missing", _("k is missing: α = k / √(epoch + 1) · α₀"))
    return None


def _step_case(rng, variant):
    every = int(rng.integers(2, 11))
    epoch = _epoch_before_drop(rng, variant, every)
    rate0, drop = float(rng.choice([0.1, 0.2, 0.5, 1.0])), float(rng.choice([0.1, 0.3, 0.5]))
    return Case({"learning_rate0": rate0, "epoch": epoch, "drop": drop, "every": every}, None,
                f"learning_rate0 = {rate0}, epoch = {epoch}, drop = {drop}, every = {every}")


def _step_hint(case, got):
    rate0, epoch, drop, every = case.kwargs.values()
    for value, hint in [
            (rate0 * drop ** epoch, Hint("step_decay_drops_every_epoch", _(
                "the rate drops every epoch: it should drop once every `every` epochs, α = α₀ · drop^⌊epoch / "
                "every⌋"))),
            (rate0 * drop ** (epoch / every), Hint("step_decay_floor_missing", _(
                "⌊ ⌋ is missing: epoch / every must be rounded down (epoch // every), so α stays constant for "
                "`every` epochs and then drops"))),
            (rate0 * drop ** ((epoch + 1) // every), Hint("step_decay_epoch_off_by_one", _(
                "epoch + 1 is off by one: epochs count from 0, so the first drop comes at epoch = every: α = α₀ · "
                "drop^⌊epoch / every⌋")))]:
        if matches(value, got):
            return hint
    return None


EXERCISES = {e.name: e for e in [
    Exercise("random_mini_batches", optim.random_mini_batches, _mini_batch_case, ("mini_batches",),
             hints=(_dropped_last_hint, _overrun_hint, _no_shuffle_hint, _legacy_shuffle_hint, _unpaired_hint)),
    Exercise("exponentially_weighted_average", optim.exponentially_weighted_average, _ewa_case, ("v",),
             hints=(_ewa_hint,)),
    Exercise("initialize_velocity", optim.initialize_velocity, _init_state_case, ("v",), hints=(_state_keys_hint,)),
    Exercise("update_parameters_with_momentum", optim.update_parameters_with_momentum, _momentum_case,
             ("parameters", "v"), hints=(_momentum_hint,)),
    Exercise("update_parameters_with_rmsprop", optim.update_parameters_with_rmsprop, _rmsprop_case,
             ("parameters", "s"), hints=(_rmsprop_hint,)),
    Exercise("initialize_adam", optim.initialize_adam, _init_state_case, ("v", "s"), uses=("initialize_velocity",),
             hints=(_state_keys_hint,)),
    Exercise("update_parameters_with_adam", optim.update_parameters_with_adam, _adam_case,
             ("parameters", "v", "s", "v_corrected", "s_corrected"), hints=(_adam_hint,)),
    Exercise("inverse_time_decay", optim.inverse_time_decay, _inverse_time_case, ("learning_rate",),
             hints=(_inverse_time_hint,)),
    Exercise("exponential_decay", optim.exponential_decay, _exponential_case, ("learning_rate",),
             hints=(_exponential_hint,)),
    Exercise("sqrt_decay", optim.sqrt_decay, _sqrt_case, ("learning_rate",), hints=(_sqrt_hint,)),
    Exercise("step_decay", optim.step_decay, _step_case, ("learning_rate",), hints=(_step_hint,)),
]}

check = Checker(EXERCISES)
