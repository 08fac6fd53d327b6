"""Assignment "Computation graphs and automatic differentiation": the reference in ``nncore.autodiff`` agrees
with independent maths (central differences, closed forms, hand-derived backprop), the solution passes,
equivalent answers pass, and every hint the checker gives on this assignment's functions is proven by
planting that bug in a correct answer."""

import math
import pickle

import nbformat
import numpy as np
import pytest

from autograder.learner.exercises import autodiff as registry
from course_tools import REPO
from learner import cell, plant_in
from learner import failure as report
from nncore import autodiff, gradcheck, plot, shallow, symbolic

check = registry.check
NOTEBOOK = REPO / "course" / "source" / "12_autodiff" / "autodiff.ipynb"


def locked_cell(grade_id):
    """The source of the notebook's cell with this grade id (the adapter is tested as the notebook writes it)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (source,) = [c.source for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id]
    return source


ADAPTER = locked_cell("gradients_adapter")

# The notebook's solution, as a learner would write it.
RULES = '''
def mul_backward(a, b, out_grad):
    da = b * out_grad
    db = a * out_grad
    return da, db

def pow_backward(a, n, out_grad):
    da = n * a ** (n - 1) * out_grad
    return da

def exp_backward(out, out_grad):
    da = out * out_grad
    return da

def tanh_backward(out, out_grad):
    da = (1 - out ** 2) * out_grad
    return da

def log_backward(a, out_grad):
    da = out_grad / a
    return da
'''

BACKWARD = '''
def backward(root):
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            for parent in node._parents:
                if parent not in visited:
                    stack.append((parent, False))
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        node._backward()
'''

RULE_NAMES = ["mul_backward", "pow_backward", "exp_backward", "tanh_backward", "log_backward"]


def rules(source=RULES):
    return cell(source)


def adapter(backward_source):
    """The notebook's ``gradients`` adapter around a learner's ``backward``, on the notebook's own Value nodes
    (their rules are the learner's; while backward is checked, the course's stand in)."""
    source = locked_cell("value_node") + "\n" + backward_source + "\n" + ADAPTER
    return cell(source, autodiff=autodiff, math=math)["gradients"]


# ---- the reference against independent maths ------------------------------------------------------------

def central(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def test_reference_rules_are_the_derivatives_times_out_grad():
    rng = np.random.default_rng(0)
    for _ in range(20):
        a, b, g, n = rng.uniform(0.3, 2.5), rng.uniform(-2, 2), rng.uniform(-3, 3), rng.choice([2, 3, 0.5, -1])
        da, db = central(lambda t, b=b: t * b, a) * g, central(lambda t, a=a: a * t, b) * g
        assert np.allclose(autodiff.mul_backward(a, b, g), (da, db))
        assert np.isclose(autodiff.pow_backward(a, n, g), central(lambda t, n=n: t ** n, a) * g)
        assert np.isclose(autodiff.exp_backward(math.exp(a), g), central(math.exp, a) * g)
        assert np.isclose(autodiff.tanh_backward(math.tanh(b), g), central(math.tanh, b) * g)
        assert np.isclose(autodiff.log_backward(a, g), central(math.log, a) * g)
        assert autodiff.add_backward(a, b, g) == (g, g)


def forward(f, inputs):
    """f's value on plain numbers, through the nodes' forward pass only (no backward code involved)."""
    return f(*[autodiff.Value(x) for x in inputs]).data


def numerical_gradient(f, inputs, eps=1e-6):
    out = []
    for i in range(len(inputs)):
        plus, minus = list(inputs), list(inputs)
        plus[i] += eps
        minus[i] -= eps
        out.append((forward(f, plus) - forward(f, minus)) / (2 * eps))
    return np.array(out)


@pytest.mark.parametrize("seed", [0, 1, 96457])
def test_reference_gradients_of_every_test_graph_match_central_differences(seed):
    for case in registry.EXERCISES["backward"].cases(seed):
        f, inputs = case.kwargs.values()
        if isinstance(f, registry.Chain):
            f = registry.Chain(60)  # the same graph, short enough for a finite difference
        assert np.allclose(autodiff.gradients(f, inputs), numerical_gradient(f, inputs), rtol=1e-6, atol=1e-8)


def test_deep_chain_gradient_has_its_closed_form_and_needs_no_recursion():
    x, c, steps = 0.8, 0.95, 5000
    grads = autodiff.gradients(registry.Chain(steps), [x, c])
    assert np.isclose(grads[0], c ** steps + 0.01 * (1 - c ** steps) / (1 - c))


def test_backward_twice_gives_the_same_gradients_and_a_node_used_twice_collects_both_shares():
    x = autodiff.Value(3.0)
    y = x * x + x  # dy/dx = 2x + 1
    autodiff.backward(y)
    autodiff.backward(y)
    assert x.grad == 7.0 and y.grad == 1.0


def test_value_graphs_pickle_with_their_values_and_gradients():
    x, y = autodiff.Value(0.5), autodiff.Value(-1.2)
    root = registry.diamond(x, y)
    autodiff.backward(root)
    copy = pickle.loads(pickle.dumps(root))
    assert copy.data == root.data and copy._op == root._op
    assert [n.grad for n in autodiff.topological_order(copy)] == [n.grad for n in autodiff.topological_order(root)]


def test_matrix_nodes_give_the_hand_derived_backprop_and_the_numerical_gradient():
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((3, 7)), (rng.random((1, 7)) > 0.5).astype(float)
    parameters = {"W1": rng.standard_normal((5, 3)), "b1": rng.standard_normal((5, 1)),
                  "W2": rng.standard_normal((1, 5)), "b2": rng.standard_normal((1, 1))}
    nodes = {k: autodiff.Tensor(v) for k, v in parameters.items()}
    J = autodiff.shallow_cost(X, Y, *nodes.values())
    autodiff.backward(J)
    grads = {"d" + k: node.grad for k, node in nodes.items()}
    A2, cache = shallow.forward_propagation(X, parameters)
    by_hand = shallow.backward_propagation(parameters, cache, X, Y)
    numerical = gradcheck.numerical_gradient(lambda p: shallow.compute_cost(shallow.forward_propagation(X, p)[0], Y),
                                             parameters)
    for k in by_hand:
        assert grads[k].shape == by_hand[k].shape
        assert np.allclose(grads[k], by_hand[k], rtol=1e-12, atol=1e-14)
        assert gradcheck.relative_difference(grads[k], numerical[k]) < 1e-7
    assert np.isclose(float(J.data), shallow.compute_cost(A2, Y))


def test_unbroadcast_sums_the_stretched_axes():
    grad = np.arange(12.0).reshape(3, 4)
    assert np.array_equal(autodiff.unbroadcast(grad, (3, 1)), grad.sum(axis=1, keepdims=True))
    assert np.array_equal(autodiff.unbroadcast(grad, ()), grad.sum())
    assert np.array_equal(autodiff.unbroadcast(grad, (4,)), grad.sum(axis=0))


def test_symbolic_derivatives_agree_with_calculus_and_swell():
    f = ("+", ("+", ("*", ("^", "x", 2), "y"), "y"), 2)
    assert symbolic.to_string(symbolic.derivative(f, "x")) == "2·x·y"
    assert symbolic.evaluate(symbolic.derivative(f, "y"), x=3.0, y=4.0) == 10.0
    expression, node = "x", autodiff.Value(0.3)
    x = node
    sizes = []
    for _ in range(6):
        expression = ("*", ("*", 4, expression), ("-", 1, expression))
        node = 4 * node * (1 - node)
        sizes.append(symbolic.expression_size(symbolic.derivative(expression, "x")))
    autodiff.backward(node)
    assert np.isclose(symbolic.evaluate(symbolic.derivative(expression, "x"), x=0.3), x.grad)
    assert np.isclose(central(lambda t: symbolic.evaluate(expression, x=t), 0.3), x.grad, rtol=1e-6)
    assert all(later > 2 * earlier for earlier, later in zip(sizes, sizes[1:]))


def test_computation_graph_draws_a_learners_kind_of_node():
    import matplotlib
    matplotlib.use("Agg")
    x, y = autodiff.Value(3.0, label="x"), autodiff.Value(4.0, label="y")
    root = x ** 2 * y + y + 2
    autodiff.backward(root)
    ax = plot.computation_graph(root, title="f")
    assert "∂J = 24" in [t.get_text() for t in ax.texts]


# ---- the solution and equivalent answers pass ----------------------------------------------------------------

@pytest.mark.parametrize("name", RULE_NAMES)
def test_solution_rules_pass(name, capsys):
    ns = rules()
    check(name, ns[name])
    check(name, ns[name], seed=12345)
    assert capsys.readouterr().out.count("✅") == 2


def test_solution_backward_passes_through_the_notebooks_adapter(capsys):
    gradients = adapter(BACKWARD)
    check("backward", gradients)
    check("backward", gradients, seed=96457)
    assert capsys.readouterr().out.count("✅") == 2


def test_equivalent_rules_pass():
    ns = rules('''
import numpy as np
def mul_backward(a, b, out_grad):
    return np.multiply(out_grad, b), np.multiply(a, out_grad)
def pow_backward(a, n, out_grad):
    return out_grad * n * np.power(a, n - 1.0)
def exp_backward(out, out_grad):
    return np.multiply(out_grad, out)
def tanh_backward(out, out_grad):
    return (1 - out) * (1 + out) * out_grad
def log_backward(a, out_grad):
    return out_grad * a ** -1
''')
    for name in RULE_NAMES:
        check(name, ns[name])


KAHN = '''
def backward(root):
    nodes, stack = {root}, [root]
    while stack:
        node = stack.pop()
        for parent in node._parents:
            if parent not in nodes:
                nodes.add(parent)
                stack.append(parent)
    users = {node: 0 for node in nodes}
    for node in nodes:
        node.grad = 0
        for parent in node._parents:
            users[parent] += 1
    root.grad = 1
    ready = [root]
    while ready:
        node = ready.pop()
        node._backward()
        for parent in node._parents:
            users[parent] -= 1
            if users[parent] == 0:
                ready.append(parent)
'''


def test_a_backward_by_counting_users_passes():
    check("backward", adapter(KAHN))


# ---- hints for the rules, each proven by a planted bug -----------------------------------------------------

def planted_rule(name, old, new):
    return rules(plant_in(RULES, name, old, new))[name]


CHAIN = ("chain_rule_out_grad_missing", "not multiplied by out_grad")


@pytest.mark.parametrize("name, old, new, hint, expected", [
    ("mul_backward", "da = b * out_grad\n    db = a * out_grad", "da = b\n    db = a", *CHAIN),
    ("mul_backward", "da = b * out_grad\n    db = a * out_grad", "da = a * out_grad\n    db = b * out_grad",
     "mul_gradients_swapped", "da and db are swapped"),
    ("pow_backward", "a ** (n - 1)", "a ** n", "pow_exponent_not_lowered", "the exponent was not lowered"),
    ("pow_backward", " * out_grad", "", *CHAIN),
    ("pow_backward", "n * a", "a", "pow_factor_n_missing", "the factor n is missing"),
    ("exp_backward", "out * out_grad", "np.exp(out) * out_grad", "exp_applied_twice", "out is already eᵃ"),
    ("exp_backward", "out * out_grad", "out", *CHAIN),
    ("tanh_backward", "out ** 2", "np.tanh(out) ** 2", "tanh_applied_twice", "out is already tanh(a)"),
    ("tanh_backward", "(1 - out ** 2)", "(1 - out)", "tanh_derivative_not_squared", "the square is missing"),
    ("tanh_backward", "(1 - out ** 2)", "out * (1 - out)", "tanh_derivative_sigmoid_of_a",
     "the *sigmoid's* derivative"),
    ("tanh_backward", " * out_grad", "", *CHAIN),
    ("log_backward", "out_grad / a", "out_grad * a", "log_multiplied_by_a", "you multiplied by a"),
    ("log_backward", "out_grad / a", "out_grad * np.log(a)", "log_multiplied_by_output", "multiplied by ln a"),
    ("log_backward", "out_grad / a", "1 / a", *CHAIN),
])
def test_rule_hints(name, old, new, hint, expected):
    message = report(check, name, planted_rule(name, old, new))
    assert message.hint == hint and expected in message


def test_a_flipped_sign_gets_the_generic_hint():
    message = report(check, "log_backward", planted_rule("log_backward", "out_grad / a", "-out_grad / a"))
    assert "the sign is flipped" in message and message.hint == "sign_flipped"


def test_a_rule_that_writes_into_out_grad_is_told_so():
    fn = planted_rule("mul_backward", "db = a * out_grad", "db = out_grad\n    db *= a")
    message = report(check, "mul_backward", fn)
    assert "test case 2" in message and "changed its input in place" in message and message.hint == "mutated_input"


def test_an_untouched_rule_says_not_implemented():
    fn = cell("def log_backward(a, out_grad):\n    raise NotImplementedError()\n")["log_backward"]
    message = report(check, "log_backward", fn)
    assert "not implemented yet" in message and message.hint == "not_implemented"


# ---- hints for backward, each proven by a planted bug ---------------------------------------------------

def planted_backward(*replacements):
    source = BACKWARD
    for old, new in zip(replacements[::2], replacements[1::2]):
        source = plant_in(source, "backward", old, new)
    return adapter(source)


BREADTH_FIRST = '''
def backward(root):
    order, visited, queue = [], {root}, [root]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for parent in node._parents:
            if parent not in visited:
                visited.add(parent)
                queue.append(parent)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in order:
        node._backward()
'''

PREORDER = '''
def backward(root):
    def zero(node):
        node.grad = 0.0
        for parent in node._parents:
            zero(parent)
    def visit(node):
        node._backward()
        for parent in node._parents:
            visit(parent)
    zero(root)
    root.grad = 1.0
    visit(root)
'''

PREORDER_ONCE = '''
def backward(root):
    order, visited, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node not in visited:
            visited.add(node)
            order.append(node)
            stack.extend(node._parents)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in order:
        node._backward()
'''

RECURSIVE = '''
def backward(root):
    order, visited = [], set()
    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node._parents:
                visit(parent)
            order.append(node)
    visit(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        node._backward()
'''


@pytest.mark.parametrize("gradients, hint, expected", [
    (lambda: planted_backward("    root.grad = 1.0\n", ""), "root_grad_not_seeded", "every gradient is 0"),
    (lambda: planted_backward("    for node in order:\n        node.grad = 0.0\n    root.grad = 1.0\n",
                              "    root.grad = 1.0\n    for node in order:\n        node.grad = 0.0\n"),
     "root_grad_not_seeded", "every gradient is 0"),
    (lambda: planted_backward("elif node not in visited:", "else:", "if parent not in visited:", "if True:"),
     "double_counting", "double counting"),
    (lambda: planted_backward("in reversed(order)", "in order"), "order_not_reversed",
     "the rules ran from the inputs towards the root"),
    (lambda: adapter(BREADTH_FIRST), "order_not_topological", "the order is not topological"),
    (lambda: adapter(PREORDER), "double_counting", "double counting"),
    (lambda: adapter(PREORDER_ONCE), "order_not_topological", "the order is not topological"),
    (lambda: planted_backward("    for node in order:\n        node.grad = 0.0\n", ""), "grads_not_zeroed",
     "right on the first call"),
], ids=["no root seed", "seeded before zeroing", "no visited set", "not reversed", "breadth first",
        "recursive preorder", "preorder once", "not zeroed"])
def test_backward_hints(gradients, hint, expected):
    message = report(check, "backward", gradients())
    assert message.hint == hint and expected in message


def test_a_recursive_search_works_on_small_graphs_and_is_told_about_the_recursion_limit():
    message = report(check, "backward", adapter(RECURSIVE))
    assert "test case 3 of 3" in message and "RecursionError" in message and "loop and a stack" in message
    assert message.hint_ids == ()  # the notebook's own RecursionError message is the explanation


def test_an_untouched_backward_says_not_implemented():
    gradients = adapter("def backward(root):\n    raise NotImplementedError()\n")
    message = report(check, "backward", gradients)
    assert "not implemented yet" in message and message.hint == "not_implemented"


def test_selfcheck_without_the_course_checks_backward_through_the_notebooks_adapter():
    """A learner's `nncourse selfcheck` where no course is at hand uses the notebook's own visible checks
    plus one more seed: the backward test must go through the adapter, as the notebook's test cell does."""
    from autograder.grading.workers import grade_here
    from autograder.grading.sandbox import Limits, isolation
    from autograder.grading.spec import AssignmentSpec

    spec = AssignmentSpec.for_learner(NOTEBOOK, course=None)
    assert "check('backward', gradients, seed=" in spec.cell("test_backward").source
    result = grade_here(spec, "you", NOTEBOOK, Limits(), isolation())  # the source notebook: a perfect learner
    assert len(result.rows) == 6 and [(r.exercise, r.status) for r in result.rows if r.status != "passed"] == []
