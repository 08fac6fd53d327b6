"""The checker's diagnostics: each hint is proven by planting that exact bug in an otherwise correct answer."""

import ast
import importlib
import inspect
import re
import string
from pathlib import Path

import numpy as np
import pytest

import autograder.learner
import autograder.learner.check
import autograder.learner.compare
from autograder.learner.check import Checker
from autograder.learner.compare import Hint
from autograder.learner.exercises import deep_network_step_by_step, logistic_regression
from learner import cell, failure, plant

logreg = logistic_regression.check
deep = deep_network_step_by_step.check

PROPAGATE = """
def propagate(w, b, X, Y):
    Y = Y.astype(float)
    m = X.shape[1]
    A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost
"""

LINEAR_BACKWARD = """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
"""

L_MODEL_BACKWARD = """
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape).astype(float)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA = dAL
    for l in reversed(range(L)):
        (A_prev, W, b), Z = caches[l]
        if l == L - 1:
            s = 1 / (1 + np.exp(-Z))
            dZ = dA * s * (1 - s)
        else:
            dZ = np.array(dA, copy=True)
            dZ[Z <= 0] = 0
        m = A_prev.shape[1]
        grads["dW" + str(l + 1)] = np.dot(dZ, A_prev.T) / m
        grads["db" + str(l + 1)] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = np.dot(W.T, dZ)
        grads["dA" + str(l)] = dA
    return grads
"""

UPDATE = """
def update_parameters(parameters, grads, learning_rate):
    new = {}
    for key in parameters:
        new[key] = parameters[key] - learning_rate * grads["d" + key]
    return new
"""


def planted(source, old, new, name):
    """The learner function ``name`` from ``source`` with the text ``old`` replaced by ``new``."""
    return cell(plant(source, old, new))[name]


# ---- correct and equivalent answers pass -------------------------------------------------------

def test_correct_answers_pass_visible_and_hidden_cases(capsys):
    for check, name, source in [(logreg, "propagate", PROPAGATE), (deep, "linear_backward", LINEAR_BACKWARD),
                                (deep, "L_model_backward", L_MODEL_BACKWARD), (deep, "update_parameters", UPDATE)]:
        fn = cell(source)[name]
        check(name, fn)
        check(name, fn, seed=4242)
    out = capsys.readouterr()
    assert out.out.count("✅") == 8 and out.err == ""


def test_equivalent_formulas_and_an_int_bias_pass():
    # `@` and the simplified dZ = A − Y instead of the textbook dAL; b = 0 as a plain int.
    ns = cell("""
    def initialize_with_zeros(dim):
        return np.zeros([dim, 1]), 0
    def propagate(w, b, X, Y):
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
        m = Y.size
        cost = np.mean(-np.log(np.where(Y == 1, A, 1 - A)))
        return {"db": float((A - Y).mean()), "dw": (X @ (A - Y).T) / m}, np.array([[cost]])
    """)
    logreg("initialize_with_zeros", ns["initialize_with_zeros"])
    logreg("propagate", ns["propagate"])


# ---- each diagnostic hint, proven by its planted bug ----------------------------------------------

def test_missing_one_over_m():
    fn = planted(PROPAGATE, "dw = np.dot(X, (A - Y).T) / m", "dw = np.dot(X, (A - Y).T)", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "grads['dw']" in message and "times too large: the 1/m" in message and message.hint == "missing_1_over_m"


def test_one_over_m_twice():
    fn = planted(LINEAR_BACKWARD, "dW = np.dot(dZ, A_prev.T) / m", "dW = np.dot(dZ, A_prev.T) / m / m",
                 "linear_backward")
    message = failure(deep, "linear_backward", fn)
    assert "dW" in message and "divided by m twice" in message and message.hint == "divided_by_m_twice"


def test_flipped_sign():
    fn = planted(LINEAR_BACKWARD, "dA_prev = np.dot(W.T, dZ)", "dA_prev = -np.dot(W.T, dZ)", "linear_backward")
    message = failure(deep, "linear_backward", fn)
    assert "sign is flipped" in message and message.hint == "sign_flipped"


def test_sum_without_keepdims_broadcast_to_n_by_n():
    fn = planted(LINEAR_BACKWARD, "db = np.sum(dZ, axis=1, keepdims=True) / m", "db = np.sum(dZ, axis=1) / m + 0 * b",
                 "linear_backward")
    message = failure(deep, "linear_backward", fn)
    assert "(n, n) instead of (n, 1)" in message and "keepdims=True" in message and message.hint == "keepdims"


def test_sum_without_keepdims_flat():
    fn = planted(LINEAR_BACKWARD, "db = np.sum(dZ, axis=1, keepdims=True) / m", "db = np.sum(dZ, axis=1) / m",
                 "linear_backward")
    message = failure(deep, "linear_backward", fn)
    assert "flat vector of shape (n,)" in message and message.hint == "flat_vector"


def test_sum_without_axis():
    fn = planted(LINEAR_BACKWARD, "db = np.sum(dZ, axis=1, keepdims=True) / m", "db = np.sum(dZ) / m",
                 "linear_backward")
    message = failure(deep, "linear_backward", fn)
    assert "a single number instead of one value per unit" in message and message.hint == "summed_over_units"


def test_a_whole_array_summed_into_one_number():
    fn = planted(LINEAR_BACKWARD, "dA_prev = np.dot(W.T, dZ)", "dA_prev = np.sum(np.dot(W.T, dZ))", "linear_backward")
    message = failure(deep, "linear_backward", fn)
    assert "dA_prev: expected shape (" in message and "np.sum without axis= adds up everything" in message
    assert message.hint == "sum_without_axis"


def test_a_column_broadcast_against_a_row_gives_a_square():
    fn = cell("""
    def linear_forward(A_prev, W, b):
        return np.dot(W, A_prev).sum(axis=1) + b, (A_prev, W, b)
    """)["linear_forward"]
    message = failure(deep, "linear_forward", fn)
    assert "a square result from broadcasting a column against a row" in message
    assert message.hint == "broadcast_square"


def test_elementwise_product_instead_of_dot_gives_m_by_m():
    fn = planted(PROPAGATE, "cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m",
                 "cost = -(np.dot(Y.T, np.log(A)) + np.dot((1 - Y).T, np.log(1 - A))) / m", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "cost: expected a single number, got shape (" in message and "np.dot was meant" in message
    assert message.hint == "elementwise_instead_of_dot"


def test_examples_not_summed():
    fn = planted(PROPAGATE, "dw = np.dot(X, (A - Y).T) / m", "dw = X * (A - Y) / m", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "one column per example" in message and message.hint == "examples_not_summed"


def test_transposed_result():
    fn = cell("""
    def linear_forward(A_prev, W, b):
        return (np.dot(A_prev.T, W.T) + b.T), (A_prev, W, b)
    """)["linear_forward"]
    message = failure(deep, "linear_forward", fn)
    assert "transposed" in message and message.hint == "transposed"


def test_mutated_input():
    fn = planted(UPDATE, "new[key] = parameters[key] - learning_rate * grads[\"d\" + key]",
                 "parameters[key] -= learning_rate * grads[\"d\" + key]\n        new[key] = parameters[key]",
                 "update_parameters")
    message = failure(deep, "update_parameters", fn)
    assert "argument 'parameters': your function changed its input in place" in message
    assert message.hint == "mutated_input"


def test_an_untouched_argument_holding_nan_is_not_called_mutated():
    from autograder.learner.compare import mutations
    Y = np.array([[1.0, np.nan, 0.0]])  # e.g. a missing label
    assert mutations({"Y": Y}, {"Y": Y.copy()}, ["Y"]) == []
    changed = Y.copy()
    changed[0, 1] = 0.0
    assert mutations({"Y": Y}, {"Y": changed}, ["Y"]) != []


def test_nan_from_log_of_zero(capsys):
    fn = planted(PROPAGATE, "(1 - Y) * np.log(1 - A)", "(1 - Y) * np.log(1 - Y)", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "NaN or inf" in message and "log(0)" in message and message.hint == "nan_or_inf"
    assert "numpy warned: RuntimeWarning" in message
    assert capsys.readouterr().err == ""  # warnings reported in the message, never on stderr


def test_uint8_labels_wrap():
    fn = planted(PROPAGATE.replace("    Y = Y.astype(float)\n", ""), "-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))",
                 "np.sum(-Y * np.log(A) - (1 - Y) * np.log(1 - A))", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "uint8 labels" in message and "wraps around" in message and message.hint == "uint8_wrap"


def test_key_off_by_one_in_L_model_backward():
    fn = planted(L_MODEL_BACKWARD, 'grads["dA" + str(l)] = dA', 'grads["dA" + str(l + 1)] = dA', "L_model_backward")
    message = failure(deep, "L_model_backward", fn)
    assert "missing key(s) ['dA0']" in message and "key names are shifted" in message and message.hint == "keys_shifted"


def test_missing_key():
    fn = planted(PROPAGATE, 'return {"dw": dw, "db": db}, cost', 'return {"dw": dw}, cost', "propagate")
    message = failure(logreg, "propagate", fn)
    assert "missing key(s) ['db']" in message and message.hint_ids == ()


def test_wrong_number_of_return_values():
    fn = planted(PROPAGATE, 'return {"dw": dw, "db": db}, cost', 'return {"dw": dw, "db": db}', "propagate")
    message = failure(logreg, "propagate", fn)
    assert "should return 2 values (grads, cost), returned a single dict" in message
    assert message.hint == "wrong_number_of_values" and "end with: return grads, cost" in message


def test_wrong_type():
    fn = planted(PROPAGATE, 'return {"dw": dw, "db": db}, cost', 'return [dw, db], cost', "propagate")
    message = failure(logreg, "propagate", fn)
    assert "expected a dictionary with keys" in message and message.hint_ids == ()


def test_learner_exception_shows_their_line():
    fn = planted(PROPAGATE, "db = np.sum(A - Y) / m", "db = np.sum(A - Y) / mm", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "NameError: name 'mm' is not defined" in message
    assert "in your code, line 8: db = np.sum(A - Y) / mm" in message
    assert message.hint == "uses_globals"


def test_misaligned_product_hint():
    fn = planted(PROPAGATE, "np.dot(w.T, X)", "np.dot(w, X)", "propagate")
    message = failure(logreg, "propagate", fn)
    assert "ValueError" in message and "check the transposes" in message
    assert message.hint == "shapes_do_not_fit_product"


def test_not_implemented_stub():
    fn = cell("def propagate(w, b, X, Y):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n")["propagate"]
    message = failure(logreg, "propagate", fn)
    assert "not implemented yet" in message and message.hint == "not_implemented"


def test_endless_loop_is_stopped():
    fn = cell("def propagate(w, b, X, Y):\n    while True:\n        pass\n")["propagate"]
    check = Checker(logistic_regression.EXERCISES, timeout=0.5)
    message = failure(check, "propagate", fn)
    assert "did not finish within 0.5 s" in message and message.hint == "endless_loop"


OPTIMIZE_ON_A_BROKEN_PROPAGATE = PROPAGATE.replace("/ m\n    db", "\n    db") + """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
"""


def test_a_broken_dependency_is_charged_once_and_reported(capsys):
    ns = cell(OPTIMIZE_ON_A_BROKEN_PROPAGATE)
    own = ns["propagate"]
    logreg("optimize", ns["optimize"])                       # judged with the course's propagate standing in
    out = capsys.readouterr().out
    assert "optimize passes its 3 test cases" in out
    assert "optimize is right when given a correct propagate" in out and "your propagate itself does not pass" in out
    assert "propagate is not right yet" in failure(logreg, "propagate", ns["propagate"])   # charged to propagate
    assert ns["propagate"] is own                            # the learner's own function is back in their namespace


def test_graded_as_written_a_broken_dependency_fails_its_callers_too(monkeypatch):
    monkeypatch.setenv("NNCOURSE_GRADING", "as_written")
    ns = cell(OPTIMIZE_ON_A_BROKEN_PROPAGATE)
    message = failure(logreg, "optimize", ns["optimize"])
    assert "optimize calls your propagate, which does not pass its own check yet" in message


def test_warnings_and_stderr_prints_of_a_correct_answer_stay_off_stderr(capsys):
    debug = "    import sys, warnings; warnings.warn('just saying'); print('debug', file=sys.stderr)\n"
    fn = planted(PROPAGATE, "    m = X.shape[1]\n", debug + "    m = X.shape[1]\n", "propagate")
    logreg("propagate", fn)
    out = capsys.readouterr()
    assert out.err == "" and "debug" in out.out


def test_not_a_function_and_unknown_exercise():
    assert "expected a function, got NoneType" in failure(logreg, "propagate", None)
    with pytest.raises(KeyError, match="this notebook's exercises"):
        logreg("backprop", lambda: None)


def test_hidden_seeds_give_new_shapes():
    exercise = logistic_regression.EXERCISES["propagate"]
    shapes = lambda seed: [c.kwargs["X"].shape for c in exercise.cases(seed)]  # noqa: E731
    assert shapes(0) != shapes(27182)
    assert any(s[1] == 1 for s in shapes(27182)), "an m = 1 case is always included"
    assert np.all([c.kwargs["Y"].dtype == np.uint8 for c in exercise.cases(1)][1])


def test_exercise_specific_hints_come_first_and_a_broken_hint_is_skipped():
    from autograder.learner.exercise import Exercise
    base = logistic_regression.EXERCISES["initialize_with_zeros"]
    boom = lambda case, got: 1 / 0  # noqa: E731
    from nncore.i18n import language

    def ones(case, got):   # a translated hint, as the catalog would give it
        words = "填成了 1：请用 np.zeros" if language() == "zh" else "filled with ones: use np.zeros"
        return Hint("ones_not_zeros", words) if np.all(got[0] == 1) else None

    exercise = Exercise(base.name, base.reference, base.make_case, base.returns, hints=(boom, ones))
    check = Checker({exercise.name: exercise})
    fn = cell("def initialize_with_zeros(dim):\n    return np.ones((dim, 1)), 0\n")["initialize_with_zeros"]
    message = failure(check, "initialize_with_zeros", fn)
    assert message.splitlines()[1].strip() == "initialize_with_zeros: likely cause"
    assert "hint: filled with ones: use np.zeros" in message
    assert message.hint_ids[0] == "ones_not_zeros"  # the specific diagnosis first, then the generic ones


def test_broadcast_error_points_at_keepdims():
    fn = cell("""
    def normalize(x):
        return x / np.linalg.norm(x, axis=1)
    def linear_backward(dZ, cache):
        A_prev, W, b = cache
        m = A_prev.shape[1]
        return np.dot(W.T, dZ), normalize(np.dot(dZ, A_prev.T)) / m, np.sum(dZ, axis=1, keepdims=True) / m
    """)["linear_backward"]
    message = failure(deep, "linear_backward", fn)
    assert "could not be broadcast" in message and "keepdims=True" in message
    assert message.hint == "shapes_do_not_broadcast"


def test_a_boolean_reference_array_compares_as_zeros_and_ones():
    from autograder.learner.compare import compare

    assert compare(np.array([[True, False]]), np.array([[1.0, 0.0]])) == []
    problems = compare(np.array([[True, False]]), np.array([[0.0, 1.0]]))
    assert problems and "wrong values" in problems[0].what


# ---- hints are data: one stable id per diagnosis, each proven by a planted-bug test -----------------------

REGISTRIES = [importlib.import_module(f"autograder.learner.exercises.{path.stem}")
              for path in sorted((Path(autograder.learner.__file__).parent / "exercises").glob("*.py"))
              if path.stem != "__init__"]
LEARNER_SIDE = [autograder.learner.compare, autograder.learner.check, *REGISTRIES]
TEST_FILES = sorted(Path(__file__).parent.glob("test_*.py"))
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")

# Ids that several diagnoses share on purpose: the same mistake, met in several exercises (or recognised two ways).
SHARED = {
    "transposed": "the transpose of the expected result (told by its shape, or by its values when it is square)",
    "legacy_random_seed": "np.random.seed + the global np.random functions instead of a default_rng(seed) Generator",
    "generator_recreated_per_layer": "default_rng(seed) created again for every weight matrix",
    "init_uniform_weights": "weights drawn uniformly on [0, 1) (rand / random) instead of N(0, 1)",
    "init_zero_weights": "every weight 0 where random weights were asked",
    "init_scale_missing": "the right N(0, 1) draws without the contract's factor",
    "init_he_scaling_used": "He's √(2/n[l-1]) where another factor was asked",
    "init_xavier_scaling_used": "Xavier's √(1/n[l-1]) where another factor was asked",
    "init_wrong_scale": "the right draws times one unrecognised factor",
    "init_scale_varies_by_layer": "the right draws times a different factor in each layer",
    "softmax_over_rows": "softmax normalised along axis 1 (across the examples)",
    "softmax_over_whole_matrix": "softmax normalised by the sum of the whole matrix",
    "softmax_unstable": "NaN or inf on large logits: the column maximum not (or wrongly) subtracted",
    "sigmoid_derivative_of_input": "x(1 − x) on the sigmoid's input instead of s(1 − s)",
    "tanh_derivative_not_squared": "1 − a instead of 1 − a² for tanh",
    "tanh_derivative_sigmoid_of_a": "a(1 − a), the sigmoid's derivative, for tanh",
    "tanh_applied_twice": "1 − tanh(a)² of an a that already is tanh(z): tanh applied again in its derivative",
    "sample_variance_used": "the variance divided by m − 1 instead of m",
    "l2_grad_term_halved": "(λ/2m)·W in dW instead of (λ/m)·W",
    "l2_grad_term_missing": "no (λ/m)·W in dW",
    "dropout_not_rescaled": "kept activations not divided by keep_prob",
    "dropout_backward_not_rescaled": "the gradient masked but not divided by keep_prob",
    "dropout_mask_per_unit": "one mask draw per unit, shared by all examples (seen in the cache or in AL)",
    "gradient_ascent": "θ + α·dθ, a step up the gradient instead of down it",
}


def _source_tree(module):
    return ast.parse(inspect.getsource(module))


def _calls(tree, name):
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name]


def _hint_sites():
    """{id: ["module:line", …]} for every Hint(...) the learner side builds; an id that is not a literal is None."""
    sites = {}
    for module in LEARNER_SIDE:
        for call in _calls(_source_tree(module), "Hint"):
            first = call.args[0] if call.args else None
            hint_id = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            sites.setdefault(hint_id, []).append(f"{module.__name__.rsplit('.', 1)[-1]}:{call.lineno}")
    return sites


def test_every_hint_id_is_a_literal_snake_case_name():
    sites = _hint_sites()
    assert None not in sites, f"a Hint whose id is not a string literal: {sites.get(None)}"
    assert [i for i in sites if not SNAKE_CASE.fullmatch(i)] == []
    assert len(sites) > 150  # the scan really sees the registries


def test_an_id_names_one_diagnosis_unless_it_is_one_mistake_shared_by_exercises():
    shared = {hint_id: where for hint_id, where in _hint_sites().items() if len(where) > 1}
    assert set(shared) == set(SHARED), {i: shared.get(i) for i in set(shared) ^ set(SHARED)}


def test_every_diagnosis_is_proven_by_a_planted_bug_test_that_asserts_its_id():
    # A planted-bug test compares the report's id with a literal (message.hint == "keepdims"), so an id that is
    # renamed or dropped fails that test: the literals in the tests are what pins the ids down. Every id built
    # on the learner side must be among them.
    asserted = set()
    for path in TEST_FILES:
        asserted |= {node.value for node in ast.walk(ast.parse(path.read_text()))
                     if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert sorted(set(_hint_sites()) - asserted) == []


def _message_problems(module):
    """Every way a module's _() calls could fail a translator: not a literal, a positional or f-string field, a
    field that .format does not fill, a message looked up at import time (the language is read per message), or
    a `_` rebound as a throwaway variable (which breaks every _() in that function)."""
    problems = []

    def visit(node, in_function, formatted):
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            problems.append(f"line {node.lineno}: _ assigned to (it is gettext here: name the value instead)")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
            problems.extend(_gettext_call_problems(node, in_function, formatted.get(id(node))))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            target = node.func.value  # _("…").format(…), or (_("…") if … else _("…")).format(…)
            for message in (target.body, target.orelse) if isinstance(target, ast.IfExp) else (target,):
                formatted[id(message)] = node
        inside = in_function or isinstance(node, (ast.FunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inside, formatted)

    visit(_source_tree(module), False, {})
    return [f"{module.__name__}: {p}" for p in problems]


def _gettext_call_problems(call, in_function, format_call):
    where = f"line {call.lineno}"
    if not in_function:
        return [f"{where}: _() at import time"]
    if len(call.args) != 1 or not isinstance(call.args[0], ast.Constant) or not isinstance(call.args[0].value, str):
        return [f"{where}: _() of something other than one string literal"]
    fields = {name for _text, name, _spec, _conversion in string.Formatter().parse(call.args[0].value)
              if name is not None}
    if any(name == "" or name.isdigit() for name in fields):
        return [f"{where}: a positional field"]
    filled = set() if format_call is None else {k.arg for k in format_call.keywords}
    if format_call is not None and (format_call.args or None in filled):
        return [f"{where}: .format with positional arguments"]
    return [] if fields == filled else [f"{where}: fields {sorted(fields)} but .format fills {sorted(filled)}"]


@pytest.mark.parametrize("module", REGISTRIES, ids=lambda module: module.__name__.rsplit(".", 1)[-1])
def test_learner_messages_are_gettext_templates_with_named_fields(module):
    assert _message_problems(module) == []


OPTIMIZE = OPTIMIZE_ON_A_BROKEN_PROPAGATE.split("\n\ndef optimize", 1)[1].join(["def optimize", ""])
PREDICT = '''
def predict(w, b, X):
    A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
    return (A > 0.5).astype(float)
'''


def test_an_update_never_applied_is_named():
    """optimize that steps w but never b: the b that comes back is the b that went in."""
    optimize = cell(plant(OPTIMIZE, '        b = b - learning_rate * grads["db"]\n', ""))["optimize"]
    message = failure(logreg, "optimize", optimize)
    assert message.hint == "never_updated"
    assert "b is exactly the value it started with" in message and "b = b − α·db" in message


def test_a_flat_row_of_predictions_is_named():
    predict = cell(plant(PREDICT, "return (A > 0.5).astype(float)",
                         "return (A > 0.5).astype(float).ravel()"))["predict"]
    message = failure(logreg, "predict", predict)
    assert message.hint == "flat_row" and "instead of the row (1, " in message and ".reshape(1, -1)" in message


def test_the_unchanged_and_flat_row_answers_pass_when_right():
    logreg("optimize", cell(PROPAGATE + OPTIMIZE)["optimize"])
    logreg("predict", cell(PREDICT)["predict"])


def test_every_symbol_the_checker_prints_comes_with_words(capsys):
    """✅ and ❌ render as empty boxes where no emoji font is installed: the words after them must carry the
    verdict on their own ("passes", "is not right yet")."""
    logreg("predict", cell(PREDICT)["predict"])
    passed = capsys.readouterr().out
    failed = str(failure(logreg, "predict", cell(PREDICT.replace("> 0.5", "< 0.5"))["predict"]))
    for line in (passed + failed).splitlines():
        for symbol, words in (("✅", "passes"), ("❌", "is not right yet")):
            if symbol in line:
                assert words in line, line
    assert "✅ predict passes" in passed and "❌ predict is not right yet" in failed
