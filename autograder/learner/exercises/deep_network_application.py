"""Assignment "Deep neural network: application": whole training loops, checked against ``nncore``.

The learner's ``two_layer_model`` and ``L_layer_model`` are called positionally with each case's
arguments in this order: ``X, Y, layers_dims, learning_rate, num_iterations, print_cost, seed`` (and
``init`` for ``L_layer_model``). The contract both follow (and the references below implement):

* the parameters start as ``nncore.init.initialize_parameters_deep(layers_dims, method, seed=seed)``
  with method ``"he"`` for ``two_layer_model`` and ``init`` for ``L_layer_model``;
* each iteration is one full-batch step of gradient descent (forward, cost, backward, update), the
  cost being the one computed in that iteration's forward pass, before its update;
* the cost is recorded at iterations 0, 100, 200, … and at the last one, ``num_iterations − 1``;
* the function returns ``(parameters, costs)``.

Cases are tiny (a few units, m ≤ 9, a few hundred iterations) so a check takes milliseconds.
"""

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, compare
from autograder.learner.exercise import Case, Exercise, distinct_dims, examples, labels
from nncore.i18n import _
from nncore import init as nn_init
from nncore import layers, models, optim

#: Learning rates a learner might hard-code (the lecture's default first); cases never use them.
COMMON_LEARNING_RATES = (0.0075, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0)
#: Seeds a learner might hard-code; cases never use them.
COMMON_SEEDS = (0, 1, 2, 3)


# ---- the references: thin wrappers around nncore.models.L_layer_model --------------------------------

def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, seed=1):
    """LINEAR → RELU → LINEAR → SIGMOID trained by gradient descent from He initialization."""
    parameters, costs = models.L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, "he", seed,
                                             print_cost=print_cost)
    return parameters, np.array(costs)


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, seed=1,
                  init="he"):
    """[LINEAR → RELU]×(L−1) → LINEAR → SIGMOID trained by gradient descent from ``init``."""
    parameters, costs = models.L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, init, seed,
                                             print_cost=print_cost)
    return parameters, np.array(costs)


def recorded_iterations(num_iterations):
    """The iterations whose cost the contract records: 0, 100, 200, … and the last one."""
    return [i for i in range(num_iterations) if i % 100 == 0 or i == num_iterations - 1]


# ---- cases ---------------------------------------------------------------------------------------

def _draw(rng, low, high, avoid):
    value = avoid[0]
    while any(np.isclose(value, a) for a in avoid):
        value = low + (high - low) * rng.random()
        value = round(value, 3) if isinstance(low, float) else int(value)
    return value


def _case(rng, variant, depth, init):
    layers_dims = distinct_dims(rng, depth) + [1]
    m = examples(rng, variant)
    while m in layers_dims[:-1]:
        m = examples(rng, variant)
    X = rng.random((layers_dims[0], m))  # pixel-like values in [0, 1)
    Y = labels(rng, m, variant)
    learning_rate = _draw(rng, 0.03, 0.3, COMMON_LEARNING_RATES)
    # the last iteration is never a multiple of 100, so a missing last cost shows
    num_iterations = _draw(rng, 150, 360, (201, 301))
    seed = _draw(rng, 10, 10_000, COMMON_SEEDS)
    kwargs = {"X": X, "Y": Y, "layers_dims": layers_dims, "learning_rate": learning_rate,
              "num_iterations": num_iterations, "print_cost": False, "seed": seed}
    if init is not None:
        kwargs["init"] = init
    label = _("layers_dims = {layers_dims}, m = {m}, {dtype} labels, learning_rate = {learning_rate}, "
              "num_iterations = {num_iterations}, seed = {seed}").format(
        layers_dims=layers_dims, m=m, dtype="uint8" if variant == 1 else "float", learning_rate=learning_rate,
        num_iterations=num_iterations, seed=seed)
    return Case(kwargs, m, label + (f", init = {init!r}" if init is not None else ""))


def _two_layer_case(rng, variant):
    return _case(rng, variant, 2, None)


def _L_layer_case(rng, variant):
    # variant 0: two hidden layers, Xavier; 1: three hidden layers, He, uint8 labels; 2: one hidden layer,
    # the lecture's 0.01·randn, m = 1.
    depth, init = {0: (3, "xavier"), 1: (4, "he"), 2: (2, "random")}[variant]
    return _case(rng, variant, depth, init)


# ---- exercise-specific hints -----------------------------------------------------------------------

def _costs(got):
    return np.asarray(got[1], dtype=np.float64).reshape(-1)


def _init_method(case):
    return case.kwargs.get("init", "he")


def _agrees(reference, case, got, **changes):
    """Whether ``got`` is exactly what the reference returns with some arguments changed."""
    kwargs = {**case.kwargs, **changes}
    return not compare(reference(*kwargs.values()), got)


def _cost_trajectory(case):
    """The reference's cost at every iteration of the case (not only the recorded ones)."""
    k = case.kwargs
    parameters = nn_init.initialize_parameters_deep(k["layers_dims"], _init_method(case), seed=k["seed"])
    costs = []
    for _step in range(k["num_iterations"] + 1):
        parameters, cost = models.train_step(k["X"], k["Y"], parameters, k["learning_rate"])
        costs.append(cost)
    return np.array(costs)


def _matched_iterations(costs, trajectory):
    """The iterations whose costs ``costs`` are, in increasing order, or None when some cost matches none."""
    found, start = [], 0
    for c in costs:
        hits = np.flatnonzero(np.isclose(trajectory[start:], c, rtol=1e-9, atol=1e-12))
        if not hits.size:
            return None
        found.append(start + int(hits[0]))
        start = found[-1] + 1
    return found


def _short(iterations):
    """[0, 100, 200, 300, …, 360]: the first four iterations and the last."""
    tail = ", …, " + str(iterations[-1]) if len(iterations) > 4 else ""
    return "[" + ", ".join(map(str, iterations[:4])) + tail + "]"


def constant_costs(case, got):
    costs = _costs(got)
    if len(costs) > 1 and np.ptp(costs) < 1e-12:
        return Hint("parameters_never_updated", _(
            "your costs never change, so the parameters never changed: update_parameters returns new parameters — "
            "keep them: parameters = update_parameters(parameters, grads, learning_rate)"))
    return None


def wrong_cost_iterations(case, got):
    n = case.kwargs["num_iterations"]
    wanted = recorded_iterations(n)
    costs = _costs(got)
    found = _matched_iterations(costs, _cost_trajectory(case))
    rule = _("record the cost when i % 100 == 0 or i == num_iterations - 1")
    if found is not None and found != wanted:
        if found == wanted[:-1]:
            return Hint("last_cost_missing", _(
                "costs: the cost of the last iteration (i = {last}) is missing: {rule} (this case: {n} costs, at "
                "iterations {wanted})").format(last=n - 1, rule=rule, n=len(wanted), wanted=_short(wanted)))
        return Hint("costs_at_wrong_iterations", _(
            "costs: these are the costs of iterations {found}, expected iterations {wanted}: {rule}, using the cost "
            "computed in that iteration's forward pass (before the update)").format(
                found=_short(found), wanted=_short(wanted), rule=rule))
    if found is None and len(costs) != len(wanted):
        return Hint("wrong_number_of_costs", _("costs: expected {n} costs (iterations {wanted}), got {got}: "
                                               "{rule}").format(n=len(wanted), wanted=_short(wanted), got=len(costs),
                                                                rule=rule))
    return None


_last = {"case": None, "reference": None, "result": None}


def _expected(reference, case):
    """The reference result for a case, computed once for all the hints tried on it."""
    if _last["case"] is not case or _last["reference"] is not reference:
        _last.update(case=case, reference=reference, result=reference(*case.kwargs.values()))
    return _last["result"]


def _first_cost_agrees(reference, case, got):
    costs = _costs(got)
    return bool(len(costs)) and bool(np.isclose(costs[0], _expected(reference, case)[1][0], rtol=1e-5, atol=1e-7))


def _other_value_hint(reference, argument, candidates, diagnosis, first_cost_agrees):
    """Whether got is the reference's result for another value of ``argument`` (tried only when the first
    cost agrees or not, as ``first_cost_agrees`` says: the learning rate changes no first cost, the seed does);
    ``diagnosis(case, value)`` is the Hint then."""
    def hint(case, got):
        if _first_cost_agrees(reference, case, got) != first_cost_agrees:
            return None
        for value in candidates:
            if value != case.kwargs[argument] and _agrees(reference, case, got, **{argument: value}):
                return diagnosis(case, value)
        return None
    return hint


def _init_names():
    """How messages name each initialization method (and a plain randn without any factor)."""
    return {"zeros": _("all zeros"), "random": "0.01·randn", "xavier": "Xavier, randn·√(1/n[l−1])",
            "he": "He, randn·√(2/n[l−1])", "unscaled randn": _("unscaled randn")}


def _other_init_hint(reference, has_init_argument):
    def hint(case, got):
        if _first_cost_agrees(reference, case, got):
            return None
        asked = _init_method(case)
        for method in nn_init.METHODS:
            if method != asked and not compare(L_layer_model(*{**case.kwargs, "init": method}.values()), got):
                where = (_("this case asked for init = {asked}").format(asked=repr(asked)) if has_init_argument
                         else _("two_layer_model starts from He"))
                return Hint("other_init_method", _(
                    "your parameters were initialized with {method} ({name}) but {where}: call "
                    "initialize_parameters_deep(layers_dims, {argument}, seed=seed)").format(
                        method=repr(method), name=_init_names()[method], where=where,
                        argument="init" if has_init_argument else repr(asked)))
        return None
    return hint


_FACTORS = {"random": lambda n: 0.01, "xavier": lambda n: np.sqrt(1 / n), "he": lambda n: np.sqrt(2 / n),
            "unscaled randn": lambda n: 1.0}


def _weight_scale_ratio(case, got, expected):
    """Geometric mean over layers of RMS(your W[l]) / RMS(expected W[l])."""
    dims = case.kwargs["layers_dims"]
    ratios = [np.sqrt(np.mean(np.square(got[0][f"W{l}"]))) / np.sqrt(np.mean(np.square(expected[0][f"W{l}"])))
              for l in range(1, len(dims))]
    return float(np.exp(np.mean(np.log(ratios))))


def _first_cost_hint(reference):
    def hint(case, got):
        expected = _expected(reference, case)
        costs = _costs(got)
        if not len(costs) or _first_cost_agrees(reference, case, got):
            return None
        asked = _init_method(case)
        text = _("your first cost ({got}, iteration 0, before any update) differs from the expected {expected}: it "
                 "depends only on the initial parameters and the forward pass — initialize with "
                 "initialize_parameters_deep(layers_dims, {argument}, seed=seed) (it draws from its own generator: "
                 "np.random.seed does not make the same weights)").format(
                     got=f"{costs[0]:.6g}", expected=f"{expected[1][0]:.6g}",
                     argument="init" if "init" in case.kwargs else repr(asked))
        ratio = _weight_scale_ratio(case, got, expected)
        dims = case.kwargs["layers_dims"]
        if asked not in _FACTORS or 0.4 < ratio < 2.5:  # tiny layers: only a clear difference of scale is named
            return Hint("initialization_differs", text)
        predicted = {name: float(np.exp(np.mean([np.log(f(n) / _FACTORS[asked](n)) for n in dims[:-1]])))
                     for name, f in _FACTORS.items()}
        closest = min(predicted, key=lambda name: abs(np.log(ratio / predicted[name])))
        text += _("; your weights are about {ratio}× the expected size").format(ratio=f"{ratio:.2g}")
        if closest == asked:
            return Hint("initial_weights_scaled_differently", text)
        names = _init_names()
        return Hint("initial_weights_like_other_method", text + _(", as if initialized with {closest} instead of "
                                                                  "{asked}").format(closest=names[closest],
                                                                                    asked=names[asked]))
    return hint


def _update_hint(reference):
    def hint(case, got):
        if len(_costs(got)) > 1 and _first_cost_agrees(reference, case, got):
            return Hint("update_step_wrong", _(
                "your first cost is right (initialization and forward pass agree) but later ones are not: check the "
                "backward pass and the update θ = θ − learning_rate·dθ, and that the next iteration uses the new "
                "parameters"))
        return None
    return hint


def _hints(reference, has_init_argument):
    return (
        constant_costs,
        wrong_cost_iterations,
        _other_init_hint(reference, has_init_argument),
        _other_value_hint(reference, "seed", COMMON_SEEDS, lambda case, value: Hint("seed_hard_coded", _(
            "your result is the one for seed = {value}, but this case passed seed = {seed}: use the seed argument "
            "(initialize_parameters_deep(..., seed=seed)), not a fixed number").format(
                value=value, seed=case.kwargs["seed"])), False),
        _other_value_hint(reference, "learning_rate", COMMON_LEARNING_RATES, lambda case, value: Hint(
            "learning_rate_hard_coded", _(
                "your result is the one for learning_rate = {value}, but this case passed learning_rate = "
                "{learning_rate}: use the argument, not a fixed number").format(
                    value=value, learning_rate=case.kwargs["learning_rate"])), True),
        _first_cost_hint(reference),
        _update_hint(reference),
    )


EXERCISES = {e.name: e for e in [
    Exercise("two_layer_model", two_layer_model, _two_layer_case, ("parameters", "costs"),
             hints=_hints(two_layer_model, has_init_argument=False)),
    Exercise("L_layer_model", L_layer_model, _L_layer_case, ("parameters", "costs"),
             hints=_hints(L_layer_model, has_init_argument=True)),
]}

# What the notebook's setup cell hands the learner: usable in answers, never counted as borrowing.
check = Checker(EXERCISES, provided=(
    nn_init.initialize_parameters_deep, layers.linear_activation_forward, layers.linear_activation_backward,
    models.L_model_forward, models.L_model_backward, models.compute_cost, models.predict, models.accuracy,
    optim.update_parameters))
