"""Assignment 07 "Regularization": L2 and inverted dropout for an L-layer network, checked against
``nncore.regularization`` (whose docstring states the contracts).

Backward cases are built by nncore's forward passes, so caches are consistent (A = g(Z), the masks are
those the forward pass drew). Exercise-specific hints recompute what a known mistake gives (the L2 term
scaled by 1/m instead of 1/2m, b in the penalty, a mask from randn, ``>`` for ``<``, no ``/keep_prob``,
dropout on the input or output layer, …) and name the mistake when it matches.

Dropout cases pass a ``CaseGenerator``: a numpy Generator that records the copies the checker hands to
the learner, so a hint can tell that the learner never drew from it (a generator created and seeded inside
the function — the same mask every call — or numpy's global ``np.random``).
"""

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise, distinct_dims, examples, labels
from nncore.i18n import _
from nncore import activations, init, layers, losses, models, network, regularization


class CaseGenerator(np.random.Generator):
    """A PCG64 Generator whose deep copies (the checker's copy for the learner) are kept in ``copies``.

    Drawing from the generator is its purpose, not a mutation of the input: every Generator compares equal.
    """

    def __init__(self, seed):
        super().__init__(np.random.PCG64(seed))
        self.copies = []

    def __deepcopy__(self, memo):
        twin = CaseGenerator(0)
        twin.bit_generator.state = self.bit_generator.state
        self.copies.append(twin)
        return twin

    def __eq__(self, other):
        return isinstance(other, np.random.Generator)

    __hash__ = object.__hash__

    def __repr__(self):
        return "Generator(PCG64)"


def fresh(rng):
    """A plain Generator in the same state as ``rng`` (drawing from it leaves ``rng`` untouched)."""
    twin = np.random.Generator(np.random.PCG64())
    twin.bit_generator.state = rng.bit_generator.state
    return twin


def _network(rng, variant):
    """Random parameters (biases non-zero, so a penalty on b shows) for L = 3 layers, or 4 for variant 1."""
    layer_dims = distinct_dims(rng, 3 + variant % 2) + [1]
    m = examples(rng, variant)
    while variant != 2 and m in layer_dims:
        m = examples(rng, variant)
    parameters = init.initialize_parameters_deep(layer_dims, "he", seed=rng)
    parameters = {k: v + rng.normal(size=v.shape) * 0.3 if k.startswith("b") else v for k, v in parameters.items()}
    X = rng.normal(size=(layer_dims[0], m))
    return X, parameters, m, f"layer_dims = {layer_dims}, m = {m}"


def _lambd(rng):
    return float(np.round(rng.uniform(0.2, 2.0), 2))


def _keep_prob(rng):
    return float(rng.choice([0.6, 0.7, 0.75, 0.8, 0.9]))


def _Y(case):
    AL = case.kwargs["AL"]
    return np.asarray(case.kwargs["Y"], dtype=np.float64).reshape(AL.shape)


# ---- L2 regularization: the cost ----------------------------------------------------------------

def _cost_case(rng, variant):
    parameters, m, label = _network(rng, variant)[1:]
    lambd = _lambd(rng)
    return Case({"AL": rng.uniform(0.05, 0.95, size=(1, m)), "Y": labels(rng, m, variant),
                 "parameters": parameters, "lambd": lambd}, m, f"{label}, lambd = {lambd}")


def _cost_mistakes(case):
    """``(penalty, Hint)``: the L2 term a known mistake adds to the cross-entropy, and its diagnosis."""
    AL, parameters, lambd = case.kwargs["AL"], case.kwargs["parameters"], case.kwargs["lambd"]
    m = AL.shape[1]
    weights = [parameters[k] for k in parameters if k.startswith("W")]
    squares = sum(np.sum(np.square(W)) for W in weights)
    frobenius = lambd / (2 * m) * squares
    biases = lambd / (2 * m) * sum(np.sum(np.square(parameters[k])) for k in parameters if k.startswith("b"))
    return [
        (0.0, Hint("l2_term_missing", _("the L2 term is missing: add (λ/2m)·Σ_l ‖W[l]‖²_F, the sum of the squares "
                                        "of every weight"))),
        (-frobenius, Hint("l2_term_subtracted", _("the L2 term is subtracted: regularization adds (λ/2m)·Σ‖W[l]‖²_F "
                                                  "to the cost"))),
        (2 * frobenius, Hint("l2_term_doubled", _("the L2 term is twice too large: λ/m where the formula has "
                                                  "λ/(2m)"))),
        (lambd / 2 * squares, Hint("l2_term_not_divided_by_m", _(
            "the L2 term is not divided by m: it is (λ/2m)·Σ‖W[l]‖², averaged over the m examples like the "
            "cross-entropy"))),
        (lambd * squares, Hint("l2_term_not_divided_by_2m", _("the L2 term is λ·Σ‖W[l]‖²: divide by 2m, "
                                                              "(λ/2m)·Σ‖W[l]‖²"))),
        (frobenius + biases, Hint("l2_penalty_includes_biases", _(
            "the biases are in the penalty: L2 regularization sums the squares of the weights W[l] only, not b[l]"))),
        (lambd / (2 * m) * sum(np.linalg.norm(W) for W in weights), Hint("frobenius_norm_not_squared", _(
            "‖W‖ is not squared: np.linalg.norm(W) is the Frobenius norm itself; the penalty uses its square, "
            "np.sum(np.square(W))"))),
        (lambd / (2 * m) * sum(np.sum(W) for W in weights), Hint("l2_weights_summed_not_squared", _(
            "the weights are summed, not squared: ‖W‖²_F = np.sum(np.square(W)) (np.sum(W) lets positive and "
            "negative weights cancel)"))),
        (lambd / (2 * m) * sum(np.sum(np.square(W)) for W in weights[:-1]), Hint("l2_penalty_skips_last_layer", _(
            "the penalty leaves out W{L}: sum over every layer l = 1 … L (range(1, L + 1))").format(L=len(weights)))),
    ]


def _cost_hint(case, got):
    cross_entropy = losses.binary_cross_entropy(case.kwargs["AL"], _Y(case))
    for penalty, hint in _cost_mistakes(case):
        if np.isclose(float(np.asarray(got).reshape(())), cross_entropy + penalty, rtol=1e-6, atol=1e-9):
            return hint
    return None


# ---- L2 regularization: backprop ----------------------------------------------------------------

def _l2_backward_case(rng, variant):
    X, parameters, m, label = _network(rng, variant)
    AL, caches = models.L_model_forward(X, parameters)
    lambd = _lambd(rng)
    return Case({"AL": AL, "Y": labels(rng, m, variant), "caches": caches, "lambd": lambd}, m,
                f"{label}, lambd = {lambd}")


def _dA_keys_hint(case, got):
    extra = sorted(k for k in got if str(k).startswith("dA"))
    if extra:
        return Hint("grads_hold_da", _(
            "grads holds {keys}: this exercise's grads hold only dW{{l}} and db{{l}} for l = 1 … L (what gradient "
            "descent and gradient checking need); keep dA in a local variable").format(keys=", ".join(extra)))
    return None


def _l2_coefficients(case, got):
    """c[l] with got dW{l} = plain dW{l} + c[l]·(λ/m)·W[l] for every layer, or None when it is not of that form."""
    AL, caches, lambd = case.kwargs["AL"], case.kwargs["caches"], case.kwargs["lambd"]
    m = AL.shape[1]
    plain = regularization.backward_propagation_with_regularization(AL, case.kwargs["Y"], caches, 0.0)
    coefficients = []
    for l, ((_A_prev, W, _b), _Z) in enumerate(caches, 1):
        term = lambd / m * W
        extra = np.asarray(got[f"dW{l}"], dtype=np.float64) - plain[f"dW{l}"]
        if extra.shape != W.shape:
            return None
        c = float(np.sum(extra * term) / np.sum(term * term))
        if not np.allclose(extra, c * term, rtol=1e-5, atol=1e-9):
            return None
        coefficients.append(round(c, 6))
    return coefficients


def _l2_dW_hint(case, got):
    c = _l2_coefficients(case, got)
    m = case.kwargs["AL"].shape[1]
    if c is None or all(x == 1 for x in c):
        return None
    if all(x == 0 for x in c):
        return Hint("l2_grad_term_missing", _("dW has no L2 term: the penalty (λ/2m)·‖W[l]‖² adds (λ/m)·W[l] to every "
                                              "dW[l]"))
    if all(x == 0.5 for x in c):
        return Hint("l2_grad_term_halved", _("the L2 term in dW is (λ/2m)·W: the derivative of (λ/2m)·‖W‖² is "
                                             "(λ/m)·W — the 2 of the square cancels the 1/2"))
    if all(x == 2 for x in c):
        return Hint("l2_grad_term_doubled", _("the L2 term in dW is 2λ/m·W: the derivative of (λ/2m)·‖W‖² is (λ/m)·W "
                                              "(the 2 of the square cancels the 1/2)"))
    if m > 1 and all(np.isclose(x, m) for x in c):
        return Hint("l2_grad_term_not_divided_by_m", _("the L2 term in dW is λ·W: divide by m, (λ/m)·W[l]"))
    if all(x == -1 for x in c):
        return Hint("l2_grad_term_subtracted", _("the L2 term is subtracted from dW: it is added, dW[l] + (λ/m)·W[l]"))
    if set(c) <= {0, 1}:
        have = [f"dW{l}" for l, x in enumerate(c, 1) if x == 1]
        miss = [f"dW{l}" for l, x in enumerate(c, 1) if x == 0]
        return Hint("l2_grad_term_in_some_layers", _(
            "only {have} got the L2 term, not {missing}: add (λ/m)·W[l] in every layer l = 1 … L").format(
                have=", ".join(have), missing=", ".join(miss)))
    return None


def _l2_db_hint(case, got):
    AL, caches, lambd = case.kwargs["AL"], case.kwargs["caches"], case.kwargs["lambd"]
    m = AL.shape[1]
    plain = regularization.backward_propagation_with_regularization(AL, case.kwargs["Y"], caches, 0.0)
    added = [np.allclose(got[f"db{l}"], plain[f"db{l}"] + lambd / m * b)
             for l, ((_A_prev, _W, b), _Z) in enumerate(caches, 1)]
    if any(added):
        return Hint("db_has_l2_term", _("db has an L2 term: the penalty covers the weights only, so db[l] is the "
                                        "plain Σ dZ[l] / m"))
    return None


# ---- dropout: forward ---------------------------------------------------------------------------

def _dropout_forward_case(rng, variant):
    X, parameters, m, label = _network(rng, variant)
    keep_prob = _keep_prob(rng)
    return Case({"X": X, "parameters": parameters, "keep_prob": keep_prob,
                 "rng": CaseGenerator(int(rng.integers(0, 2**31)))}, m, f"{label}, keep_prob = {keep_prob}")


def forward_propagation_with_dropout(X, parameters, keep_prob, rng):
    """The reference, drawing from a twin of ``rng`` so that a case can be computed again and again.

    The masks come back as 0./1. floats: a boolean, an integer or a float mask all compare equal to them
    (and ``autograder.learner.compare`` cannot negate a boolean expected array when it looks for a sign error).
    """
    AL, caches = regularization.forward_propagation_with_dropout(X, parameters, keep_prob, fresh(rng))
    return AL, [(linear_cache, Z, None if D is None else D.astype(np.float64)) for linear_cache, Z, D in caches]


def dropout_forward_variant(X, parameters, keep_prob, rng, draw="uniform <", rescale="/", drop_input=False,
                            drop_output=False):
    """``AL`` of a forward pass with dropout done a known wrong way (the defaults give the right ``AL``).

    ``draw``: "uniform <", "uniform >", "normal <" or "per unit" (one (n, 1) draw shared by the examples);
    ``rescale``: "/", "none" or "*" (A·D·keep_prob); ``drop_input`` / ``drop_output``: masks on X / AL too,
    drawn first / last.
    """
    L = network.n_layers(parameters)

    def drop(A):
        if draw == "normal <":
            D = rng.standard_normal(A.shape) < keep_prob
        elif draw == "per unit":
            D = rng.random((A.shape[0], 1)) < keep_prob
        else:
            D = rng.random(A.shape) < keep_prob if draw == "uniform <" else rng.random(A.shape) > keep_prob
        return {"/": A * D / keep_prob, "none": A * D, "*": A * D * keep_prob}[rescale]

    A = drop(X) if drop_input else X
    for l in range(1, L + 1):
        activation = "relu" if l < L else "sigmoid"
        A = layers.linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activation)[0]
        if l < L or drop_output:
            A = drop(A)
    return A


def _rng_unused_hint(case, got):
    rng = case.kwargs["rng"]
    if rng.copies and rng.copies[0].bit_generator.state == rng.bit_generator.state:
        return Hint("dropout_rng_ignored", _(
            "your function never drew from the rng it was given: draw every mask with rng.random(A.shape). A "
            "generator created (seeded) inside the function, like the lecture's np.random.seed(1), gives the same "
            "mask on every call — the same units dropped in every iteration, which is not dropout — and "
            "np.random.rand draws from numpy's global generator instead of this one"))
    return None


def _mask_shape_hint(case, got):
    caches = got[1]
    for l, cache in enumerate(caches[:-1], 1):
        D = np.asarray(cache[2])
        n, m = cache[1].shape
        if D.shape == (n, 1) and m > 1:
            return Hint("dropout_mask_per_unit", _(
                "the mask of layer {l} has shape ({n}, 1): one draw per unit, shared by all m examples, so every "
                "example drops the same units. Draw one number per entry: rng.random(A.shape) < keep_prob").format(
                    l=l, n=n))
    return None


def _output_cache_hint(case, got):
    last = got[1][-1]
    if isinstance(last, (tuple, list)) and len(last) == 2:
        return Hint("output_cache_not_three_parts", _("the output layer's cache should be (linear_cache, Z, None): it "
                                                      "has no mask, but the same three parts"))
    return None


def _dropout_forward_mistakes():
    """``(options of dropout_forward_variant, Hint)`` for each known wrong way to do dropout's forward pass."""
    return (
        (dict(draw="normal <"), Hint("dropout_mask_from_randn", _(
            "the masks come from a normal draw (rng.standard_normal, like np.random.randn): P(N(0, 1) < keep_prob) "
            "is not keep_prob. Draw uniformly on [0, 1): rng.random(A.shape) < keep_prob"))),
        (dict(draw="uniform >"), Hint("dropout_keeps_above_keep_prob", _(
            "the masks keep a unit where the draw is > keep_prob, so they keep 1 − keep_prob of them: keep where "
            "rng.random(A.shape) < keep_prob"))),
        (dict(draw="per unit"), Hint("dropout_mask_per_unit", _(
            "the masks have shape (n[l], 1): every example drops the same units. Draw one number per entry: "
            "rng.random(A.shape) < keep_prob"))),
        (dict(rescale="none"), Hint("dropout_not_rescaled", _(
            "the kept activations are not divided by keep_prob: inverted dropout rescales them, A = A * D / "
            "keep_prob, so their expected value stays A and nothing changes at prediction time"))),
        (dict(rescale="*"), Hint("dropout_multiplied_by_keep_prob", _(
            "the kept activations are multiplied by keep_prob: inverted dropout divides, A = A * D / keep_prob"))),
        (dict(drop_input=True), Hint("dropout_on_input", _(
            "the input X was dropped out too: dropout applies to the hidden layers 1 … L−1 only, not to the input X "
            "nor the output AL"))),
        (dict(drop_output=True), Hint("dropout_on_output", _(
            "the output AL was dropped out too: dropout applies to the hidden layers 1 … L−1 only; AL is the "
            "prediction and the output layer draws no mask (its D is None)"))),
        (dict(drop_input=True, drop_output=True), Hint("dropout_on_input_and_output", _(
            "X and AL were dropped out too: dropout applies to the hidden layers 1 … L−1 only"))),
    )


def _input_dropped(case, got):
    """Whether layer 1's cached input is not X (X was dropped out), or None when the caches do not say."""
    try:
        return not matches(case.kwargs["X"], got[1][0][0][0])
    except (TypeError, IndexError, KeyError):
        return None


def _dropout_forward_hint(case, got):
    kwargs = dict(case.kwargs)
    input_dropped = _input_dropped(case, got)  # tells the mistakes apart when a dropped-out AL is all zeros
    for options, hint in _dropout_forward_mistakes():
        if input_dropped is not None and options.get("drop_input", False) != input_dropped:
            continue
        AL = dropout_forward_variant(**{**kwargs, "rng": fresh(case.kwargs["rng"])}, **options)
        if matches(AL, got[0]):
            return hint
    X, parameters = case.kwargs["X"], case.kwargs["parameters"]
    if matches(models.L_model_forward(X, parameters)[0], got[0]):
        return Hint("dropout_missing", _("AL is that of a network without dropout: multiply each hidden layer's A by "
                                         "its mask, A = A * D / keep_prob"))
    return None


# ---- dropout: backward --------------------------------------------------------------------------

def _dropout_backward_case(rng, variant):
    X, parameters, m, label = _network(rng, variant)
    keep_prob = _keep_prob(rng)
    AL, caches = regularization.forward_propagation_with_dropout(X, parameters, keep_prob, rng)
    return Case({"AL": AL, "Y": labels(rng, m, variant), "caches": caches, "keep_prob": keep_prob}, m,
                f"{label}, keep_prob = {keep_prob}")


def dropout_backward_variant(AL, Y, caches, keep_prob, through_mask):
    """Backprop with ``through_mask(dA, D, keep_prob)`` for the dropout step (``dA * D / keep_prob`` is right)."""
    Y = np.asarray(Y, dtype=np.float64).reshape(AL.shape)
    grads, dZ = {}, AL - Y
    for l in range(len(caches), 0, -1):
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = layers.linear_backward(dZ, caches[l - 1][0])
        if l > 1:  # the layer below is a hidden layer: its mask D, then its ReLU
            Z, D = caches[l - 2][1:]
            dZ = activations.relu_backward(through_mask(dA_prev, D, keep_prob), Z)
    return grads


def _dropout_backward_mistakes():
    """``(through_mask, Hint)`` for each known wrong way to take the gradient through dropout."""
    return (
        (lambda dA, D, k: dA * D, Hint("dropout_backward_not_rescaled", _(
            "the gradient goes through the mask but is not divided by keep_prob: the forward pass computed A * D / "
            "keep_prob, so backprop multiplies by the same D / keep_prob"))),
        (lambda dA, D, k: dA * D * k, Hint("dropout_backward_multiplied_by_keep_prob", _(
            "the gradient is multiplied by keep_prob: the forward pass divided, so backprop divides too, dA * D / "
            "keep_prob"))),
        (lambda dA, D, k: dA / k, Hint("dropout_backward_not_masked", _(
            "the gradient is not masked: units dropped in the forward pass had no effect on the cost, so their "
            "gradient is 0 — dA = dA * D / keep_prob with the cached mask D"))),
        (lambda dA, D, k: dA, Hint("dropout_backward_ignored", _(
            "backprop ignores dropout: the gradient reaching each hidden layer's output goes through the same mask "
            "and division as the forward pass, dA = dA * D / keep_prob"))),
    )


def _dropout_backward_hint(case, got):
    for through_mask, hint in _dropout_backward_mistakes():
        if matches(dropout_backward_variant(*case.kwargs.values(), through_mask), got):
            return hint
    return None


EXERCISES = {e.name: e for e in [
    Exercise("compute_cost_with_regularization", regularization.compute_cost_with_regularization, _cost_case,
             ("cost",), hints=(_cost_hint,)),
    Exercise("backward_propagation_with_regularization", regularization.backward_propagation_with_regularization,
             _l2_backward_case, ("grads",), hints=(_dA_keys_hint, _l2_db_hint, _l2_dW_hint)),
    Exercise("forward_propagation_with_dropout", forward_propagation_with_dropout, _dropout_forward_case,
             ("AL", "caches"), hints=(_rng_unused_hint, _mask_shape_hint, _dropout_forward_hint, _output_cache_hint)),
    Exercise("backward_propagation_with_dropout", regularization.backward_propagation_with_dropout,
             _dropout_backward_case, ("grads",), hints=(_dA_keys_hint, _dropout_backward_hint)),
]}

# What the notebook's setup cell hands the learner: usable in answers, never counted as borrowing.
check = Checker(EXERCISES, provided=(models.L_model_forward, layers.linear_activation_forward, layers.linear_backward))
