"""Assignment "Computation graphs and automatic differentiation": the local backward rules of a scalar node and
the backward pass itself, checked against ``nncore.autodiff``.

The rules are pure functions of numbers (``mul_backward(a, b, out_grad) -> (da, db)``, …), checked on plain
numbers and, because the matrix nodes reuse them element-wise, on arrays. ``out_grad`` is never ±1, so a rule
that forgets to multiply by it (the chain rule) is caught.

``backward(root)`` works on nodes, which cannot leave the grading sandbox; the notebook checks it through the
adapter ``gradients(f, inputs)`` of one of its locked cells: it builds ``f``'s graph from reference nodes
(``nncore.autodiff.Value``), runs the learner's ``backward`` twice and returns the inputs' gradients as plain
numbers. The graphs ``f`` below are module-level (picklable) and each one reveals a known mistake: a node
used along paths of different lengths (an order that is not topological), a node reached twice (double
counting), a chain thousands of nodes deep (recursion). The hints rerun the graph with the mistake planted
and name it when it reproduces the learner's numbers.
"""

from dataclasses import dataclass

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise, distinct_dims
from nncore.i18n import _
from nncore import autodiff


def _differs(candidate, expected):
    """A mistake is only worth naming when it changes the answer on this case."""
    with np.errstate(all="ignore"):
        return not matches(expected, candidate)


# ---- the local rules ----------------------------------------------------------------------------------------

def _upstream(rng, shape):
    """∂root/∂out: magnitudes in [1.5, 3] with either sign, never ±1, so a forgotten factor shows."""
    sign = rng.choice([-1.0, 1.0], size=shape)
    value = sign * rng.uniform(1.5, 3.0, size=shape)
    return float(value) if shape == () else value


def _array_shape(rng):
    return tuple(distinct_dims(rng, 2, 2, 6))


def _describe(**values):
    parts = []
    for name, v in values.items():
        parts.append(_("{name} of shape {shape}").format(name=name, shape=np.shape(v)) if np.ndim(v)
                     else f"{name} = {float(v):.4g}")
    return ", ".join(parts)


def _rule_hint(expected, got, mistakes):
    """The first ``(candidate, Hint)`` of ``mistakes`` that reproduces ``got`` and differs from the right answer."""
    for candidate, hint in mistakes:
        if _differs(candidate, expected) and matches(candidate, got):
            return hint
    return None


def _chain():
    """The diagnosis every local rule shares: the upstream gradient was not multiplied in."""
    return Hint("chain_rule_out_grad_missing", _(
        "the local derivative was not multiplied by out_grad = ∂root/∂out: the chain rule says ∂root/∂a = (∂out/∂a) · "
        "out_grad — a rule passes on the gradient that arrived from above, scaled"))


def _mul_case(rng, variant):
    """Variant 0: numbers; 1: arrays (as in matrix nodes); 2: x·x (a and b are the same number)."""
    shape = _array_shape(rng) if variant == 1 else ()
    a = rng.choice([-1, 1], size=shape) * rng.uniform(0.5, 3.0, size=shape)
    a = float(a) if shape == () else a
    b = a if variant == 2 else (float(rng.uniform(-3, 3)) if shape == () else rng.uniform(-3, 3, size=shape))
    out_grad = _upstream(rng, shape)
    label = _describe(a=a, b=b, out_grad=out_grad)
    if variant == 2:
        label = _("{values} (x·x: the same number twice)").format(values=label)
    return Case({"a": a, "b": b, "out_grad": out_grad}, None, label)


def _mul_hint(case, got):
    a, b, g = case.kwargs.values()
    return _rule_hint(autodiff.mul_backward(a, b, g), got, [
        ((b, a), _chain()),
        ((a * g, b * g), Hint("mul_gradients_swapped", _(
            "da and db are swapped: out = a·b changes by b when a moves (∂out/∂a = b), so da = b·out_grad and db = "
            "a·out_grad"))),
    ])


def _pow_case(rng, variant):
    """Variant 0: a > 0, n = 2, 3 or 4; 1: arrays with n = 0.5, 1.5, −1 or −2; 2: a < 0 with n = −1 (a division)."""
    if variant == 1:
        shape = _array_shape(rng)
        a, n = rng.uniform(0.3, 2.5, size=shape), float(rng.choice([0.5, 1.5, -1.0, -2.0]))
    elif variant == 2:
        shape, a, n = (), -float(rng.uniform(0.4, 2.5)), -1
    else:
        shape, a, n = (), float(rng.uniform(0.4, 2.5)), int(rng.choice([2, 3, 4]))
    out_grad = _upstream(rng, shape)
    return Case({"a": a, "n": n, "out_grad": out_grad}, None,
                _describe(a=a, out_grad=out_grad) + f", n = {n:g}")


def _pow_hint(case, got):
    a, n, g = case.kwargs.values()
    with np.errstate(all="ignore"):
        return _rule_hint(autodiff.pow_backward(a, n, g), got, [
            (n * a ** n * g, Hint("pow_exponent_not_lowered", _(
                "the exponent was not lowered: d(aⁿ)/da = n·aⁿ⁻¹, so da = n · a**(n − 1) · out_grad (yours is "
                "n·aⁿ·out_grad)"))),
            (n * a ** (n - 1), _chain()),
            (a ** (n - 1) * g, Hint("pow_factor_n_missing", _(
                "the factor n is missing: d(aⁿ)/da = n·aⁿ⁻¹ (the exponent comes down in front)"))),
        ])


def _exp_case(rng, variant):
    """out = eᵃ. Variant 0: a number; 1: an array; 2: a = 0, so out = 1."""
    shape = _array_shape(rng) if variant == 1 else ()
    a = 0.0 if variant == 2 else (float(rng.uniform(-2, 2)) if shape == () else rng.uniform(-2, 2, size=shape))
    out = np.exp(a)
    out = float(out) if shape == () else out
    out_grad = _upstream(rng, shape)
    return Case({"out": out, "out_grad": out_grad}, None,
                _describe(out=out, out_grad=out_grad) + (" (a = 0)" if variant == 2 else ""))


def _exp_hint(case, got):
    out, g = case.kwargs.values()
    return _rule_hint(autodiff.exp_backward(out, g), got, [
        (np.exp(out) * g, Hint("exp_applied_twice", _(
            "you applied exp to out, but out is already eᵃ: the derivative of eᵃ is eᵃ itself, so da = out · "
            "out_grad (no second np.exp)"))),
        (out, _chain()),
    ])


def _tanh_case(rng, variant):
    """out = tanh(a). Variant 0: a number; 1: an array; 2: a saturated unit (|a| ≈ 3, out ≈ ±0.995)."""
    shape = _array_shape(rng) if variant == 1 else ()
    if variant == 2:
        a = float(rng.choice([-1, 1]) * rng.uniform(2.5, 3.5))
    else:
        a = float(rng.uniform(-2, 2)) if shape == () else rng.uniform(-2, 2, size=shape)
    out = np.tanh(a)
    out = float(out) if shape == () else out
    out_grad = _upstream(rng, shape)
    return Case({"out": out, "out_grad": out_grad}, None, _describe(out=out, out_grad=out_grad))


def _tanh_hint(case, got):
    out, g = case.kwargs.values()
    return _rule_hint(autodiff.tanh_backward(out, g), got, [
        ((1 - np.tanh(out) ** 2) * g, Hint("tanh_applied_twice", _(
            "you applied tanh to out, but out is already tanh(a): tanh′(a) = 1 − tanh²(a) = 1 − out², so da = (1 − "
            "out**2) · out_grad"))),
        ((1 - out) * g, Hint("tanh_derivative_not_squared", _(
            "the square is missing: tanh′(a) = 1 − out² (1 − out**2, not 1 − out)"))),
        (out * (1 - out) * g, Hint("tanh_derivative_sigmoid_of_a", _(
            "out·(1 − out) is the *sigmoid's* derivative; tanh′(a) = 1 − out²"))),
        (1 - out ** 2, _chain()),
    ])


def _log_case(rng, variant):
    """out = ln a, a > 0. Variant 0: a number; 1: an array; 2: a small a (a steep log)."""
    shape = _array_shape(rng) if variant == 1 else ()
    if variant == 2:
        a = float(rng.uniform(0.02, 0.1))
    else:
        a = float(rng.uniform(0.3, 4.0)) if shape == () else rng.uniform(0.3, 4.0, size=shape)
    out_grad = _upstream(rng, shape)
    return Case({"a": a, "out_grad": out_grad}, None, _describe(a=a, out_grad=out_grad))


def _log_hint(case, got):
    a, g = case.kwargs.values()
    return _rule_hint(autodiff.log_backward(a, g), got, [
        (a * g, Hint("log_multiplied_by_a", _("you multiplied by a; d(ln a)/da = 1/a, so da = out_grad / a"))),
        (np.log(a) * g, Hint("log_multiplied_by_output", _(
            "you multiplied by ln a (the output); the derivative of ln a is 1/a: da = out_grad / a"))),
        (1 / a, _chain()),
    ])


# ---- graphs for backward -------------------------------------------------------------------------------------

def diamond(x, y):
    """f(x, y) = e^tanh(x·y + x) · (x·y) + y·y + x: u = x·y feeds two paths of different lengths, y·y uses y
    twice, and x also feeds the root directly."""
    u = x * y
    v = (u + x).tanh().exp()
    return v * u + y * y + x


def neuron(w, x, b):
    """f(w, x, b) = −ln σ(z) + 0.5·tanh(z)² with z = w·x + b, σ(z) = 1 / (1 + e⁻ᶻ): z feeds both terms."""
    z = w * x + b
    a = 1 / (1 + (-z).exp())
    return -a.log() + 0.5 * z.tanh() ** 2


@dataclass(frozen=True)
class Chain:
    """A graph ``steps`` operations deep: y₀ = x, yₖ = c·yₖ₋₁ + 0.01·x, f = y_steps (x and c feed every step).

    ∂f/∂x = cᴺ + 0.01·(1 − cᴺ)/(1 − c) with N = ``steps``.
    """
    steps: int

    def __call__(self, x, c):
        y = x
        for _step in range(self.steps):
            y = c * y + 0.01 * x
        return y


def _backward_case(rng, variant):
    """Variant 0: the diamond; 1: a neuron with its loss; 2: a chain too deep for a recursive search."""
    if variant == 0:
        inputs = [float(rng.uniform(0.3, 1.2)), float(rng.uniform(-1.5, -0.4))]
        return Case({"f": diamond, "inputs": inputs}, None, _(
            "f(x, y) = e^tanh(x·y + x)·(x·y) + y·y + x at x = {x}, y = {y}: u = x·y is used by two nodes at different "
            "depths, y·y uses y twice").format(x=f"{inputs[0]:.4g}", y=f"{inputs[1]:.4g}"))
    if variant == 1:
        inputs = [float(rng.uniform(0.5, 1.5)), float(rng.uniform(-2, -0.5)), float(rng.uniform(-0.5, 0.5))]
        return Case({"f": neuron, "inputs": inputs}, None, _(
            "f(w, x, b) = −ln σ(z) + 0.5·tanh(z)², z = w·x + b, at w, x, b = {values}: z feeds both terms").format(
                values=", ".join(f"{v:.4g}" for v in inputs)))
    steps = int(rng.integers(1200, 2000))
    inputs = [float(rng.uniform(0.5, 1.5)), float(rng.uniform(0.9, 0.98))]
    return Case({"f": Chain(steps), "inputs": inputs}, None, _(
        "a chain {steps} steps deep (≈ {nodes} nodes), yₖ = c·yₖ₋₁ + 0.01·x, at x = {x}, c = {c}").format(
            steps=steps, nodes=4 * steps, x=f"{inputs[0]:.4g}", c=f"{inputs[1]:.4g}"))


def _rules_in(order_kind, root, flip=False):
    """The nodes whose rules a (possibly wrong) backward runs, in the order it runs them; ``flip`` walks each
    node's parents in the other order (a wrong order's result can depend on it)."""
    parents = (lambda n: n._parents[::-1]) if flip else (lambda n: n._parents)
    if order_kind == "right":
        return autodiff.topological_order(root)[::-1]
    if order_kind == "not_reversed":
        return autodiff.topological_order(root)
    if order_kind == "duplicates":          # a node once per path: post-order search without a visited set
        # (its reverse is also what a recursive "run the rule, then visit the parents" does)
        order, stack = [], [(root, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            else:
                stack.append((node, True))
                stack.extend((p, False) for p in parents(node))
        return order[::-1]
    if order_kind == "breadth_first":       # level by level from the root, each node once
        order, seen, queue = [], {root}, [root]
        while queue:
            node = queue.pop(0)
            order.append(node)
            for p in parents(node):
                if p not in seen:
                    seen.add(p)
                    queue.append(p)
        return order
    if order_kind == "preorder_once":       # run a node's rule when first reached, then visit its parents
        order, seen, stack = [], set(), [root]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            order.append(node)
            stack.extend(parents(node)[::-1])
        return order
    raise ValueError(order_kind)


def backward_variant(f, inputs, order_kind="right", zero=True, seed_root=True, calls=2, flip=False):
    """The inputs' gradients after ``calls`` runs of a backward pass with a known mistake planted (all
    defaults: the right one)."""
    xs = [autodiff.Value(x) for x in inputs]
    root = f(*xs)
    nodes = autodiff.topological_order(root)
    for _call in range(calls):
        if zero:
            for node in nodes:
                node.grad = 0.0
        if seed_root:
            root.grad = 1.0
        for node in _rules_in(order_kind, root, flip):
            node._backward()
    return np.array([x.grad for x in xs])


def _not_topological():
    """The diagnosis two wrong orders share: a rule ran before all of its node's users had added their shares."""
    return Hint("order_not_topological", _(
        "the order is not topological: a node's rule ran before every node that uses it had added its share, so the "
        "later shares never reached its parents. Visiting the graph level by level (breadth first), or running a "
        "rule when a node is first reached, is not enough: append a node to the order only after all of its parents "
        "(a post-order depth-first search), then run the rules in reversed(order)"))


def _backward_mistakes():
    """``(options of backward_variant, Hint)`` for each known wrong backward pass."""
    return [
        ({"seed_root": False}, Hint("root_grad_not_seeded", _(
            "every gradient is 0: the backward pass never started. Set root.grad = 1 (∂root/∂root = 1) after zeroing "
            "the gradients and before running the rules"))),
        ({"order_kind": "duplicates"}, Hint("double_counting", _(
            "double counting: a node that can be reached along two paths was processed twice, so its rule ran twice "
            "and its parents received its gradient twice. Keep a set of visited nodes, put each node into the order "
            "once, and run its rule once"))),
        ({"order_kind": "not_reversed"}, Hint("order_not_reversed", _(
            "the rules ran from the inputs towards the root: a topological order lists parents before their "
            "children, and the backward pass needs the opposite — run the rules in reversed(order), the root's "
            "first"))),
        ({"order_kind": "breadth_first"}, _not_topological()),
        ({"order_kind": "preorder_once"}, _not_topological()),
        ({"zero": False}, Hint("grads_not_zeroed", _(
            "right on the first call, wrong on the second: backward must start by setting every node's grad to 0 "
            "(the rules add into grad with +=, so the previous call's gradients pile up)"))),
    ]


def _backward_hint(case, got):
    f, inputs = case.kwargs.values()
    expected = autodiff.gradients(f, inputs)
    for planted, hint in _backward_mistakes():
        for flip in (False, True):
            with np.errstate(all="ignore"):
                candidate = backward_variant(f, inputs, flip=flip, **planted)
            if _differs(candidate, expected) and matches(candidate, got):
                return hint
    return None


EXERCISES = {e.name: e for e in [
    Exercise("mul_backward", autodiff.mul_backward, _mul_case, ("da", "db"), hints=(_mul_hint,)),
    Exercise("pow_backward", autodiff.pow_backward, _pow_case, ("da",), hints=(_pow_hint,)),
    Exercise("exp_backward", autodiff.exp_backward, _exp_case, ("da",), hints=(_exp_hint,)),
    Exercise("tanh_backward", autodiff.tanh_backward, _tanh_case, ("da",), hints=(_tanh_hint,)),
    Exercise("log_backward", autodiff.log_backward, _log_case, ("da",), hints=(_log_hint,)),
    Exercise("backward", autodiff.gradients, _backward_case, ("gradients",), hints=(_backward_hint,),
             uses=("mul_backward", "pow_backward", "exp_backward", "tanh_backward", "log_backward")),
]}

check = Checker(EXERCISES)
