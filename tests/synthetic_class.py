"""A synthetic class of 02_logistic_regression: honest answers varied independently, and grades.csv rows.

``honest_answers(rng)`` writes each answer cell the way one more honest student might: for every step of the
solution it draws one of the ways students write that step (the notebook's own formula more often than the
others), then renames the local variables, adds comments or blank lines now and then. Nobody copies from
anybody, so any two students whose answers come out the same are a false positive of a similarity check.

``synthetic_graded(n, rng)`` builds ``{student: Graded}`` with statuses, diagnoses and points drawn from fixed
rates, and lateness for some, for the report's benchmark (no notebook is run).
"""

import ast
import io
import re
import tokenize

import numpy as np

import nbformat

from course_tools import REPO, nbgrader_cells

ASSIGNMENT, NOTEBOOK = "02_logistic_regression", "logistic_regression.ipynb"
SOURCE = REPO / "course" / "source" / ASSIGNMENT / NOTEBOOK
CROSS_ENTROPY = "Y * np.log(A) + (1 - Y) * np.log(1 - A)"

# For each answer cell, its steps in order; each step is [(weight, lines), ...]. The first is the notebook's own.
WAYS = {
    "sigmoid": [
        [(5, "s = 1 / (1 + np.exp(-z))"), (1, "s = np.exp(z) / (1 + np.exp(z))"), (1, "s = 1 / (1 + 1 / np.exp(z))"),
         (1, "s = np.reciprocal(1 + np.exp(-z))"), (1, "s = 0.5 * (1 + np.tanh(z / 2))")],
    ],
    "initialize_with_zeros": [
        [(5, "w = np.zeros((dim, 1))"), (1, "w = np.zeros(shape=(dim, 1))"), (1, "w = np.zeros((dim, 1), dtype=float)"),
         (1, "w = np.zeros(dim).reshape(dim, 1)")],
        [(5, "b = 0.0"), (1, "b = float(0)")],
    ],
    "dL_da": [
        [(3, "y = y.astype(float)"), (1, "y = y * 1.0")],
        [(4, "slope = -y / a + (1 - y) / (1 - a)"), (1, "slope = (1 - y) / (1 - a) - y / a"),
         (1, "slope = (a - y) / (a * (1 - a))")],
    ],
    "da_dz": [
        [(5, "slope = a * (1 - a)"), (1, "slope = a - a ** 2"), (1, "slope = a * (1.0 - a)")],
    ],
    "propagate": [
        [(4, "Y = Y.astype(float)"), (1, "Y = np.asarray(Y, dtype=float)"), (1, "Y = Y * 1.0")],
        [(5, "m = X.shape[1]"), (1, "_, m = X.shape"), (1, "m = len(X[0])")],
        [(4, "A = sigmoid(np.dot(w.T, X) + b)"), (2, "A = sigmoid(w.T @ X + b)"),
         (2, "Z = np.dot(w.T, X) + b\nA = sigmoid(Z)"), (1, "Z = w.T @ X + b\nA = sigmoid(Z)")],
        [(4, f"cost = -np.sum({CROSS_ENTROPY}) / m"), (2, f"cost = -1 / m * np.sum({CROSS_ENTROPY})"),
         (2, f"cost = -np.mean({CROSS_ENTROPY})"), (1, "cost = np.sum(-Y * np.log(A) - (1 - Y) * np.log(1 - A)) / m"),
         (1, f"loss = -({CROSS_ENTROPY})\ncost = np.sum(loss) / m"),
         (1, "cost = -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m\ncost = float(np.squeeze(cost))")],
        [(4, "dw = np.dot(X, (A - Y).T) / m\ndb = np.sum(A - Y) / m"),
         (2, "dZ = A - Y\ndw = np.dot(X, dZ.T) / m\ndb = np.sum(dZ) / m"),
         (2, "dw = 1 / m * np.dot(X, (A - Y).T)\ndb = 1 / m * np.sum(A - Y)"),
         (1, "dw = X @ (A - Y).T / m\ndb = np.mean(A - Y)"), (1, "dZ = A - Y\ndw = (X @ dZ.T) / m\ndb = dZ.sum() / m")],
        [(5, ""), (1, "cost = float(cost)"), (1, "cost = np.squeeze(cost)")],
    ],
    "optimize": [
        [(5, "grads, cost = propagate(w, b, X, Y)"), (1, "grads, cost = propagate(w=w, b=b, X=X, Y=Y)")],
        [(5, 'w = w - learning_rate * grads["dw"]\nb = b - learning_rate * grads["db"]'),
         (3, 'dw = grads["dw"]\ndb = grads["db"]\nw = w - learning_rate * dw\nb = b - learning_rate * db'),
         (1, 'w, b = w - learning_rate * grads["dw"], b - learning_rate * grads["db"]')],
    ],
    "predict": [
        [(4, "A = sigmoid(np.dot(w.T, X) + b)"), (2, "A = sigmoid(w.T @ X + b)"),
         (1, "Z = np.dot(w.T, X) + b\nA = sigmoid(Z)")],
        [(4, "Y_prediction = (A > 0.5).astype(float)"), (2, "Y_prediction = np.where(A > 0.5, 1.0, 0.0)"),
         (1, "Y_prediction = (A > 0.5) * 1.0"),
         (1, "Y_prediction = np.zeros((1, X.shape[1]))\nfor i in range(A.shape[1]):\n"
             "    Y_prediction[0, i] = 1.0 if A[0, i] > 0.5 else 0.0")],
    ],
    "model": [
        [(5, "w, b = initialize_with_zeros(X_train.shape[0])"),
         (2, "dim = X_train.shape[0]\nw, b = initialize_with_zeros(dim)"),
         (1, "w, b = initialize_with_zeros(len(X_train))")],
        [(4, "params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)"),
         (2, "params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations=num_iterations, "
             "learning_rate=learning_rate, print_cost=print_cost)"),
         (1, "params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)")],
        [(3, 'w, b = params["w"], params["b"]'), (4, 'w = params["w"]\nb = params["b"]')],
        [(5, "Y_prediction_train = predict(w, b, X_train)\nY_prediction_dev = predict(w, b, X_dev)"),
         (1, "Y_prediction_dev = predict(w, b, X_dev)\nY_prediction_train = predict(w, b, X_train)")],
    ],
}
RENAMES = {"A": ["A", "a", "activations", "y_hat"], "Z": ["Z", "z_lin", "logits"], "dZ": ["dZ", "dz", "error"],
           "loss": ["loss", "losses"]}
COMMENTS = ["# forward pass", "# my code", "# compute the gradients", "# TODO check shapes"]


def source_cells():
    """{answer grade id: the source answer cell, solution markers included}."""
    cells = nbgrader_cells(nbformat.read(SOURCE, as_version=4))
    return {gid: c.source for gid, c in cells.items() if c.metadata["nbgrader"].get("solution")}


def _pick(rng, ways):
    weights = [w for w, _ in ways]
    return ways[rng.choice(len(ways), p=[w / sum(weights) for w in weights])][1]


def _disguise(lines, rng):
    """The same code as someone else would type it: own local names, a comment or a blank line here and there."""
    for name, choices in RENAMES.items():
        lines = re.sub(rf"\b{name}\b", str(rng.choice(choices)), lines)
    out = []
    for line in lines.splitlines():
        if rng.random() < 0.15:
            out.append(str(rng.choice(COMMENTS)))
        out.append(line)
    return "\n".join(out)


def fill(source, body):
    """The source answer cell with its solution region replaced by ``body`` (at the region's indentation)."""
    match = re.search(r"^( *)### BEGIN SOLUTION\n.*?^ *### END SOLUTION\n", source, re.S | re.M)
    indent = match[1]
    text = "".join(f"{indent}{line}\n" if line.strip() else "\n" for line in body.splitlines())
    return source[:match.start()] + text + source[match.end():]


def honest_answer(grade_id, rng, sources):
    """One honest student's answer cell ``grade_id``, written independently of everyone else's."""
    steps = [_pick(rng, ways) for ways in WAYS[grade_id]]
    if grade_id == "propagate" and rng.random() < 0.2:       # gradients before the cost
        steps[3], steps[4] = steps[4], steps[3]
    return fill(sources[grade_id], _disguise("\n".join(s for s in steps if s), rng))


def disguised_copy(code, rng):
    """``code`` as a copier hands it in: every parameter and variable renamed (as an editor renames: names, and
    names inside f-strings, not other strings), comments added, spacing changed."""
    tree = ast.parse(code)
    names = {a.arg for node in ast.walk(tree) if isinstance(node, ast.arguments) for a in node.args}
    names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    new = {name: f"my_{name.lower()}_{i}" for i, name in enumerate(sorted(names))}
    keywords = {(k.lineno, k.col_offset) for k in ast.walk(tree) if isinstance(k, ast.keyword)}  # f(w=...) stays

    def renamed(token):
        if token.type == tokenize.NAME and token.start not in keywords:
            return new.get(token.string, token.string)
        if token.type == tokenize.STRING and token.string.lower().startswith(("f", "rf", "fr")):
            return re.sub(r"\{(\w+)", lambda m: "{" + new.get(m[1], m[1]), token.string)
        return token.string

    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    text = tokenize.untokenize([(t.type, renamed(t)) for t in tokens])
    out = []
    for line in text.splitlines():
        if line.strip() and rng.random() < 0.3:
            out.append(line[:len(line) - len(line.lstrip())] + "# " + str(rng.choice(COMMENTS)))
        out.append(line)
    return "\n".join(out) + "\n"


def honest_answers(rng, sources=None):
    """{grade id: code} of one honest student, every answer cell of 02_logistic_regression."""
    sources = sources or source_cells()
    return {gid: honest_answer(gid, rng, sources) for gid in WAYS}


# Per exercise: (share of the class that fails it, [(diagnosis, share of those failures), ...]); the rest of the
# failures have no diagnosis. A few students are late, a few borrowed or copied, a few left the notebook untouched.
FAILURES = {
    "sigmoid": (0.08, [("nan_or_inf", 0.3)]),
    "initialize_with_zeros": (0.10, [("flat_vector", 0.6), ("summed_over_units", 0.2)]),
    "dL_da": (0.15, [("loss_derivative_second_term_sign", 0.4), ("loss_derivative_is_dz", 0.2)]),
    "da_dz": (0.05, [("output_derivative_sigmoid_applied_again", 0.5)]),
    "propagate": (0.35, [("missing_1_over_m", 0.45), ("divided_by_m_twice", 0.1), ("uint8_wrap", 0.15),
                         ("elementwise_instead_of_dot", 0.1)]),
    "optimize": (0.20, [("mutated_input", 0.5), ("never_updated", 0.3)]),
    "predict": (0.15, [("flat_row", 0.5)]),
    "model": (0.12, [("wrong_number_of_values", 0.3)]),
}
POINTS = {"sigmoid": 1, "initialize_with_zeros": 1, "dL_da": 1, "da_dz": 1, "propagate": 3, "optimize": 2, "predict": 1,
          "model": 2}


def _row(student, exercise, rng, weak):
    """One grades.csv row of a synthetic student (``weak`` students fail more often)."""
    from autograder.grading.results import Row

    share, diagnoses = FAILURES[exercise]
    if rng.random() >= min(1.0, share * (2.5 if weak else 0.6)):
        return Row(student, ASSIGNMENT, exercise, POINTS[exercise], POINTS[exercise], "passed",
                   f"✅ {exercise} passes its 3 test cases", f"test_{exercise}")
    draw, diagnosis = rng.random(), ""
    for name, p in diagnoses:
        if draw < p:
            diagnosis = name
            break
        draw -= p
    hint = f"\n    hint: the words of the {diagnosis} hint" if diagnosis else ""
    message = (f"❌ {exercise} is not right yet — test case 1 of 3 (n_x = 4, m = 5):\n  result: wrong values; first "
               f"difference at [0, {int(rng.integers(5))}]: expected {rng.normal():.6g}, got {rng.normal():.6g}{hint}")
    return Row(student, ASSIGNMENT, exercise, 0.0, POINTS[exercise], "failed", message, f"test_{exercise}", diagnosis)


def synthetic_graded(n, rng):
    """{student: Graded} for ``n`` synthetic students, with lateness for about one in ten."""
    from autograder.grading.results import Graded, Lateness

    graded = {}
    for i in range(n):
        student = f"student{i:04d}"
        weak = rng.random() < 0.3
        rows = [_row(student, e, rng, weak) for e in WAYS]
        hours = float(rng.exponential(10)) if rng.random() < 0.1 else 0.0
        penalty = min(float(np.ceil(hours)), sum(r.points for r in rows)) if hours else 0.0
        late = Lateness("2026-11-21 12:00:00", "2026-11-21 12:00:00", hours * 3600, penalty) if hours else Lateness()
        graded[student] = Graded(student, rows, lateness=late)
    return graded
