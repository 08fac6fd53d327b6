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
from autograder.learner.compare import compare
from autograder.learner.exercise import Case, Exercise, distinct_dims, examples, labels
from nncore import init as nn_init
from nncore import layers, models, optim

#: Learning rates a learner might hard-code (the lecture's default first); cases never use them.
COMMON_LEARNING_RATES = (0.0075, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0)
#: Seeds a learner might hard-code; cases never use them.
COMMON_SEEDS = (0, 1, 2, 3)
INIT_NAMES = {"zeros": "all zeros", "random": "0.01·randn", "xavier": "Xavier, randn·√(1/n[l−1])",
              "he": "He, randn·√(2/n[l−1])"}


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
    label = (f"layers_dims = {layers_dims}, m = {m}, {'uint8' if variant == 1 else 'float'} labels, "
             f"learning_rate = {learning_rate}, num_iterations = {num_iterations}, seed = {seed}"
             + (f", init = {init!r}" if init is not None else ""))
    return Case(kwargs, m, label)


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
    for _ in range(k["num_iterations"] + 1):
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
    return "[" + ", ".join(map(str, iterations[:4])) + (", …, " + str(iterations[-1]) if len(iterations) > 4 else "") + "]"


def constant_costs(case, got):
    costs = _costs(got)
    if len(costs) > 1 and np.ptp(costs) < 1e-12:
        return ("your costs never change, so the parameters never changed: update_parameters returns new "
                "parameters — keep them: parameters = update_parameters(parameters, grads, learning_rate)")
    return ""


def wrong_cost_iterations(case, got):
    n = case.kwargs["num_iterations"]
    wanted = recorded_iterations(n)
    costs = _costs(got)
    found = _matched_iterations(costs, _cost_trajectory(case))
    rule = "record the cost when i % 100 == 0 or i == num_iterations - 1"
    if found is not None and found != wanted:
        if found == wanted[:-1]:
            return (f"costs: the cost of the last iteration (i = {n - 1}) is missing: {rule} "
                    f"(this case: {len(wanted)} costs, at iterations {_short(wanted)})")
        return (f"costs: these are the costs of iterations {_short(found)}, expected iterations {_short(wanted)}: "
                f"{rule}, using the cost computed in that iteration's forward pass (before the update)")
    if found is None and len(costs) != len(wanted):
        return (f"costs: expected {len(wanted)} costs (iterations {_short(wanted)}), got {len(costs)}: {rule}")
    return ""


_last = {"case": None, "reference": None, "result": None}


def _expected(reference, case):
    """The reference result for a case, computed once for all the hints tried on it."""
    if _last["case"] is not case or _last["reference"] is not reference:
        _last.update(case=case, reference=reference, result=reference(*case.kwargs.values()))
    return _last["result"]


def _first_cost_agrees(reference, case, got):
    costs = _costs(got)
    return bool(len(costs)) and bool(np.isclose(costs[0], _expected(reference, case)[1][0], rtol=1e-5, atol=1e-7))


def _other_value_hint(reference, argument, candidates, message, first_cost_agrees):
    """Whether got is the reference's result for another value of ``argument`` (tried only when the first
    cost agrees or not, as ``first_cost_agrees`` says: the learning rate changes no first cost, the seed does)."""
    def hint(case, got):
        if _first_cost_agrees(reference, case, got) != first_cost_agrees:
            return ""
        for value in candidates:
            if value != case.kwargs[argument] and _agrees(reference, case, got, **{argument: value}):
                return message(case, value)
        return ""
    return hint


def _other_init_hint(reference, has_init_argument):
    def hint(case, got):
        if _first_cost_agrees(reference, case, got):
            return ""
        asked = _init_method(case)
        for method in nn_init.METHODS:
            if method != asked and not compare(L_layer_model(*{**case.kwargs, "init": method}.values()), got):
                where = f"this case asked for init = {asked!r}" if has_init_argument else "two_layer_model starts from He"
                argument = "init" if has_init_argument else repr(asked)
                return (f"your parameters were initialized with {method!r} ({INIT_NAMES[method]}) but {where}: "
                        f"call initialize_parameters_deep(layers_dims, {argument}, seed=seed)")
        return ""
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
            return ""
        asked = _init_method(case)
        text = (f"your first cost ({costs[0]:.6g}, iteration 0, before any update) differs from the expected "
                f"{expected[1][0]:.6g}: it depends only on the initial parameters and the forward pass — initialize "
                f"with initialize_parameters_deep(layers_dims, {'init' if 'init' in case.kwargs else repr(asked)}, "
                "seed=seed) (it draws from its own generator: np.random.seed does not make the same weights)")
        ratio = _weight_scale_ratio(case, got, expected)
        dims = case.kwargs["layers_dims"]
        if asked not in _FACTORS or 0.4 < ratio < 2.5:  # tiny layers: only a clear difference of scale is named
            return text
        predicted = {name: float(np.exp(np.mean([np.log(f(n) / _FACTORS[asked](n)) for n in dims[:-1]])))
                     for name, f in _FACTORS.items()}
        closest = min(predicted, key=lambda name: abs(np.log(ratio / predicted[name])))
        text += f"; your weights are about {ratio:.2g}× the expected size"
        if closest != asked:
            text += f", as if initialized with {INIT_NAMES.get(closest, closest)} instead of {INIT_NAMES[asked]}"
        return text
    return hint


def _update_hint(reference):
    def hint(case, got):
        if len(_costs(got)) > 1 and _first_cost_agrees(reference, case, got):
            return ("your first cost is right (initialization and forward pass agree) but later ones are not: check the "
                    "backward pass and the update θ = θ − learning_rate·dθ, and that the next iteration uses the new "
                    "parameters")
        return ""
    return hint


def _hints(reference, has_init_argument):
    return (
        constant_costs,
        wrong_cost_iterations,
        _other_init_hint(reference, has_init_argument),
        _other_value_hint(reference, "seed", COMMON_SEEDS, lambda case, value: (
            f"your result is the one for seed = {value}, but this case passed seed = {case.kwargs['seed']}: "
            "use the seed argument (initialize_parameters_deep(..., seed=seed)), not a fixed number"), False),
        _other_value_hint(reference, "learning_rate", COMMON_LEARNING_RATES, lambda case, value: (
            f"your result is the one for learning_rate = {value}, but this case passed learning_rate = "
            f"{case.kwargs['learning_rate']}: use the argument, not a fixed number"), True),
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
