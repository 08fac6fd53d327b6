"""Assignment "Structuring machine-learning projects": the solution passes, equivalent answers pass, the
reference agrees with independent math, and every hint the checker gives on this assignment's functions is
proven by planting that bug in a correct answer."""

import functools

import numpy as np

from autograder.learner.exercises import ml_projects
from learner import cell, plant_in
from learner import failure as report
from nncore import gradcheck, losses, strategy, training

check = ml_projects.check

# The notebook's solution, as a learner would write it.
SOLUTION = '''
def precision_recall_f1(Y_hat, Y):
    Y_hat = Y_hat.astype(float)
    Y = Y.astype(float)
    true_positives = np.sum(Y_hat * Y)
    predicted_positives = np.sum(Y_hat)
    actual_positives = np.sum(Y)
    precision = true_positives / predicted_positives if predicted_positives > 0 else 0.0
    recall = true_positives / actual_positives if actual_positives > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1

def choose_model(names, dev_f1, times, max_time):
    best_name, best_f1, best_time = None, -1.0, None
    for name, f1, t in zip(names, dev_f1, times):
        if t <= max_time:
            if f1 > best_f1 or (f1 == best_f1 and t < best_time):
                best_name, best_f1, best_time = name, f1, t
    return best_name

def diagnose(human, train, train_dev, dev, test):
    gaps = [train - human, train_dev - train, dev - train_dev, test - dev]
    names = ["avoidable bias", "variance", "data mismatch", "overfitting to dev"]
    return names[int(np.argmax(gaps))]

def error_analysis(tags):
    m = len(tags)
    counts = {}
    for example_tags in tags:
        for tag in example_tags:
            counts[tag] = counts.get(tag, 0) + 1
    shares = [(tag, 100 * count / m) for tag, count in counts.items()]
    return sorted(shares, key=lambda pair: (-pair[1], pair[0]))

def multitask_cost(AL, Y):
    m = Y.shape[1]
    present = (Y != -1)
    Y0 = np.where(present, Y, 0)
    loss = -(Y0 * np.log(AL) + (1 - Y0) * np.log(1 - AL))
    cost = np.sum(loss * present) / m
    return cost
'''

NAMES = list(ml_projects.EXERCISES)


def plant(name, old, new, source=SOLUTION):
    """``source`` with ``old`` replaced by ``new`` inside the definition of function ``name`` (a planted bug)."""
    return plant_in(source, name, old, new)


failure = functools.partial(report, check)


def planted(name, *pairs):
    """The check's message for exercise ``name`` with each ``(old, new)`` pair replaced in its definition."""
    source = SOLUTION
    for old, new in zip(pairs[::2], pairs[1::2]):
        source = plant(name, old, new, source)
    return failure(name, cell(source)[name])


def replaced(name, source):
    """The check's message for exercise ``name`` defined by ``source`` (a whole wrong function)."""
    return failure(name, cell(source)[name])


# ---- the solution and equivalent answers pass ---------------------------------------------------------

def test_every_exercise_is_in_the_registry_and_the_solution_passes_visible_and_hidden(capsys):
    ns = cell(SOLUTION)
    assert NAMES == ["precision_recall_f1", "choose_model", "diagnose", "error_analysis", "multitask_cost"]
    for name in NAMES:
        check(name, ns[name])
        for seed in (31337, 48611, 5):
            check(name, ns[name], seed=seed)
    out = capsys.readouterr()
    assert out.out.count("✅") == 4 * len(NAMES) and out.err == ""


def test_references_agree_with_independent_math():
    # precision, recall and F1 counted by hand: TP = 2, FP = 1, FN = 3 -> P = 2/3, R = 2/5, F1 = 2·TP/(2·TP + FP + FN)
    Y_hat = np.array([[1, 1, 1, 0, 0, 0, 0, 0]], dtype=np.uint8)
    Y = np.array([[1, 1, 0, 1, 1, 1, 0, 0]], dtype=np.uint8)
    assert np.allclose(strategy.precision_recall_f1(Y_hat, Y), (2 / 3, 2 / 5, 4 / 8))
    assert strategy.precision_recall_f1(np.zeros((1, 5)), Y[:, :5]) == (0.0, 0.0, 0.0)
    assert strategy.precision_recall_f1(np.ones((1, 3)), np.zeros((1, 3))) == (0.0, 0.0, 0.0)
    # choose_model: the budget is inclusive, ties go to the faster model, nothing qualifying gives None
    names, f1, times = ["a", "b", "c", "d"], [0.7, 0.8, 0.8, 0.9], [1.0, 3.0, 2.0, 5.0]
    assert strategy.choose_model(names, f1, times, 3.0) == "c"
    assert strategy.choose_model(names, f1, times, 5.0) == "d"
    assert strategy.choose_model(names, f1, times, 1.0) == "a"
    assert strategy.choose_model(names, f1, times, 0.5) is None
    # diagnose: the lecture's examples (human 1 %, train 8 %, dev 10 % -> bias; human 7.5 % -> variance)
    assert strategy.diagnose(0.01, 0.08, 0.10, 0.10, 0.10) == "avoidable bias"
    assert strategy.diagnose(0.075, 0.08, 0.10, 0.10, 0.10) == "variance"
    assert strategy.diagnose(0.0, 0.01, 0.015, 0.10, 0.10) == "data mismatch"
    assert strategy.diagnose(0.0, 0.01, 0.015, 0.02, 0.08) == "overfitting to dev"
    # error analysis: 4 examples, "a" on 3, "b" and "c" on 2 each (shares add up to more than 100 %)
    shares = strategy.error_analysis([["a", "b"], ["a"], ["c", "a"], ["b", "c"]])
    assert shares == [("a", 75.0), ("b", 50.0), ("c", 50.0)]
    assert strategy.error_analysis([]) == []
    # multi-task cost: with no missing label, the sum of the per-label binary cross-entropies; a missing
    # label adds nothing and m stays the number of examples
    rng = np.random.default_rng(0)
    AL, Y = rng.uniform(0.1, 0.9, (3, 6)), (rng.random((3, 6)) < 0.5).astype(float)
    per_label = sum(losses.binary_cross_entropy(AL[j:j + 1], Y[j:j + 1]) for j in range(3))
    assert np.isclose(strategy.multitask_cost(AL, Y), per_label)
    Y_missing = Y.copy()
    Y_missing[1, :] = strategy.MISSING
    assert np.isclose(strategy.multitask_cost(AL, Y_missing), per_label - losses.binary_cross_entropy(AL[1:2], Y[1:2]))


def test_training_on_the_multitask_targets_follows_the_gradient_of_the_multitask_cost():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(4, 7))
    Y = (rng.random((3, 7)) < 0.5).astype(float)
    Y[rng.random((3, 7)) < 0.4] = strategy.MISSING
    trainer = training.Trainer([4, 5, 3], seed=2)
    parameters = trainer.parameters
    AL, caches = training.forward(X, parameters)
    grads = training.backward(AL, strategy.multitask_targets(AL, Y), caches)
    cost = lambda p: strategy.multitask_cost(training.forward(X, p)[0], Y)  # noqa: E731
    assert gradcheck.gradient_check(cost, parameters, grads) < 1e-7
    trained = strategy.train_multitask(X, Y, [4, 5, 3], 50, seed=2)
    assert strategy.multitask_cost(trained.predict_proba(X), Y) < cost(parameters)


def test_phone_camera_and_hidden_features():
    images = np.zeros((2, 4, 4))
    images[:, 1, 1] = 1.0
    X = strategy.phone_camera(images, seed=0, shift=0, contrast=0.5, noise=0.0)
    assert X.shape == (16, 2) and np.allclose(X[5], 0.5) and np.isclose(X.sum(), 1.0)
    moved = strategy.phone_camera(images, seed=1, shift=1, contrast=1.0, noise=0.0)
    assert np.allclose(moved.sum(axis=0), 1.0)                 # moved, not lost
    parameters = {"W1": np.array([[1.0, -1.0]]), "b1": np.zeros((1, 1)), "W2": np.ones((1, 1)), "b2": np.zeros((1, 1))}
    assert np.allclose(strategy.hidden_features(parameters, np.array([[2.0, 1.0], [1.0, 2.0]])), [[1.0, 0.0]])


def test_equivalent_formulations_pass():
    vectorized = '''
def precision_recall_f1(Y_hat, Y):
    Y_hat, Y = Y_hat.astype(bool), Y.astype(bool)
    tp = np.count_nonzero(Y_hat & Y)
    fp = np.count_nonzero(Y_hat & ~Y)
    fn = np.count_nonzero(~Y_hat & Y)
    precision = tp / (tp + fp) if tp + fp else 0
    recall = tp / (tp + fn) if tp + fn else 0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0
    return precision, recall, f1
'''
    check("precision_recall_f1", cell(vectorized)["precision_recall_f1"])
    one_line = '''
def choose_model(names, dev_f1, times, max_time):
    ok = [(-f, t, i) for i, (f, t) in enumerate(zip(dev_f1, times)) if t <= max_time]
    return names[min(ok)[2]] if ok else None
'''
    check("choose_model", cell(one_line)["choose_model"])
    explicit = '''
def diagnose(human, train, train_dev, dev, test):
    gaps = {"avoidable bias": train - human, "variance": train_dev - train,
            "data mismatch": dev - train_dev, "overfitting to dev": test - dev}
    return max(gaps, key=gaps.get)
'''
    check("diagnose", cell(explicit)["diagnose"])
    counter = '''
from collections import Counter
def error_analysis(tags):
    counts = Counter(tag for example in tags for tag in example)
    return [(tag, 100.0 * n / len(tags)) for tag, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
'''
    check("error_analysis", cell(counter)["error_analysis"])
    masked = '''
def multitask_cost(AL, Y):
    mask = Y >= 0
    loss = np.where(Y == 1, -np.log(AL), -np.log(1 - AL))
    return np.sum(loss[mask]) / Y.shape[1]
'''
    check("multitask_cost", cell(masked)["multitask_cost"])


# ---- precision_recall_f1 ------------------------------------------------------------------------------

def test_hint_precision_and_recall_swapped():
    message = planted("precision_recall_f1", "return precision, recall, f1", "return recall, precision, f1")
    assert message.hint == "precision_recall_swapped"
    assert "precision and recall are swapped" in message


def test_hint_arithmetic_mean_instead_of_harmonic():
    message = planted("precision_recall_f1", "2 * precision * recall / (precision + recall)",
                      "(precision + recall) / 2")
    assert message.hint == "f1_arithmetic_mean"
    assert "F1 is the arithmetic mean" in message and "harmonic mean" in message


def test_hint_true_negatives_counted_as_true_positives():
    message = planted("precision_recall_f1", "true_positives = np.sum(Y_hat * Y)",
                      "true_positives = np.sum(Y_hat == Y)")
    assert message.hint == "true_negatives_counted"
    assert "the true positives include the true negatives" in message


def test_hint_divided_by_all_examples():
    message = planted("precision_recall_f1", "predicted_positives = np.sum(Y_hat)", "predicted_positives = Y.shape[1]")
    assert message.hint == "divided_by_all_examples"
    assert "divided by m, all the examples" in message


def test_hint_undefined_zero_over_zero():
    message = planted("precision_recall_f1", " if predicted_positives > 0 else 0.0", "",
                      " if precision + recall > 0 else 0.0", "")
    assert message.hint == "zero_division_not_handled"
    assert "test case 3" in message and "NaN from a 0/0" in message


def test_generic_hint_uint8_product_wraps():
    message = planted("precision_recall_f1", "    Y_hat = Y_hat.astype(float)\n    Y = Y.astype(float)\n", "",
                      "np.sum(Y_hat * Y)", "np.dot(Y_hat, Y.T)[0, 0]")
    assert "test case 2" in message and "uint8" in message and "works with float labels" in message
    assert message.hint == "uint8_wrap"


def test_generic_hint_uint8_difference_wraps():
    wrapped = '''
def precision_recall_f1(Y_hat, Y):
    tp = np.sum(Y_hat * Y)
    fp = np.sum((Y_hat - Y) > 0)
    fn = np.sum((Y - Y_hat) > 0)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
'''
    message = replaced("precision_recall_f1", wrapped)
    assert "test case 2" in message and "works with float labels but not uint8 ones" in message
    assert message.hint == "uint8_wrap"


# ---- choose_model --------------------------------------------------------------------------------------

def test_hint_constraint_ignored():
    message = planted("choose_model", "if t <= max_time:", "if True:")
    assert message.hint == "budget_ignored"
    assert "has the best F1 of all but takes" in message and "within the budget" in message


def test_hint_strict_budget():
    message = planted("choose_model", "if t <= max_time:", "if t < max_time:")
    assert message.hint == "budget_limit_excluded"
    assert "test case 1" in message and "use <=, not <" in message


def test_hint_optimized_the_wrong_metric():
    message = planted("choose_model", "f1 > best_f1 or (f1 == best_f1 and t < best_time)",
                      "best_time is None or t < best_time")
    assert message.hint == "fastest_model_chosen"
    assert "this is the fastest model within the budget" in message


def test_hint_tie_not_broken_by_time():
    message = planted("choose_model", " or (f1 == best_f1 and t < best_time)", "")
    assert message.hint == "tie_not_broken_by_time"
    assert "test case 2" in message and "tie on F1" in message


def test_hint_none_qualifies():
    message = planted("choose_model", "best_name, best_f1, best_time = None, -1.0, None",
                      "best_name, best_f1, best_time = names[0], -1.0, None")
    assert message.hint == "none_within_budget_not_none"
    assert "test case 3" in message and "return None" in message


# ---- diagnose -------------------------------------------------------------------------------------------

def test_hint_compared_with_zero():
    message = planted("diagnose", "train - human,", "train - 0,")
    assert message.hint == "bias_measured_from_zero"
    assert "compared with 0" in message and "human-level error" in message


def test_hint_train_dev_and_dev_swapped():
    message = planted("diagnose", "train_dev - train, dev - train_dev, test - dev",
                      "dev - train, train_dev - dev, test - train_dev")
    assert message.hint == "train_dev_and_dev_swapped"
    assert "train-dev and dev are swapped" in message


def test_hint_gaps_from_human_level():
    message = planted("diagnose", "[train - human, train_dev - train, dev - train_dev, test - dev]",
                      "[train - human, train_dev - human, dev - human, test - human]")
    assert message.hint == "gaps_not_between_neighbours"
    assert "neighbouring" in message


def test_hint_unknown_name():
    message = planted("diagnose", '"data mismatch"', '"mismatch"')
    assert message.hint == "unknown_diagnosis"
    assert "return one of the four names exactly" in message


# ---- error_analysis -------------------------------------------------------------------------------------

def test_hint_divided_by_number_of_tags():
    message = planted("error_analysis", "m = len(tags)", "m = sum(len(example) for example in tags)")
    assert message.hint == "divided_by_number_of_tags"
    assert "the percentages add up to 100" in message


def test_hint_fractions_instead_of_percent():
    message = planted("error_analysis", "100 * count / m", "count / m")
    assert message.hint == "fractions_not_percent"
    assert "these are fractions" in message


def test_hint_counts_instead_of_percent():
    message = planted("error_analysis", "100 * count / m", "count")
    assert message.hint == "counts_not_percent"
    assert "these are counts" in message


def test_hint_order():
    message = planted("error_analysis", "key=lambda pair: (-pair[1], pair[0])",
                      "key=lambda pair: pair[1], reverse=True")
    assert message.hint == "categories_not_sorted"
    assert "the order is not" in message


def test_hint_dictionary_returned():
    message = planted("error_analysis", "return sorted(shares, key=lambda pair: (-pair[1], pair[0]))",
                      "return dict(shares)")
    assert message.hint == "returned_a_dictionary"
    assert "a dictionary came back" in message


# ---- multitask_cost -------------------------------------------------------------------------------------

def test_hint_minus_one_used_as_a_label():
    message = planted("multitask_cost", "Y0 = np.where(present, Y, 0)", "Y0 = Y",
                      "np.sum(loss * present)", "np.sum(loss)")
    assert message.hint == "missing_labels_used_as_labels"
    assert "as if −1 were a label" in message


def test_hint_missing_counted_as_zero():
    message = planted("multitask_cost", "np.sum(loss * present)", "np.sum(loss)")
    assert message.hint == "missing_labels_counted_as_0"
    assert "the missing labels were counted as 0" in message


def test_hint_missing_counted_as_one():
    message = planted("multitask_cost", "Y0 = np.where(present, Y, 0)", "Y0 = np.where(present, Y, 1)",
                      "np.sum(loss * present)", "np.sum(loss)")
    assert message.hint == "missing_labels_counted_as_1"
    assert "the missing labels were counted as 1" in message


def test_hint_divided_by_labels_present():
    message = planted("multitask_cost", "np.sum(loss * present) / m", "np.sum(loss * present) / np.sum(present)")
    assert message.hint == "divided_by_labels_present"
    assert "divided by the number of labels present" in message


def test_hint_mean_over_every_entry():
    message = planted("multitask_cost", "np.sum(loss * present) / m", "np.mean(loss * present)")
    assert message.hint == "divided_by_all_entries"
    assert "np.mean over every entry" in message


def test_hint_examples_with_a_label():
    message = planted("multitask_cost", "np.sum(loss * present) / m",
                      "np.sum(loss * present) / np.sum(np.any(present, axis=0))")
    assert message.hint == "divided_by_labelled_examples"
    assert "test case 2" in message and "at least one label" in message


def test_hint_not_finite():
    message = planted("multitask_cost", "Y0 = np.where(present, Y, 0)",
                      "Y0 = np.where(present, Y, 0)\n    AL = np.where(present, AL, 0)",
                      "np.sum(loss * present)", "np.sum(loss)")
    assert message.hint == "log_of_missing_label"
    assert "NaN or inf" in message


def test_generic_hint_cost_not_averaged():
    message = planted("multitask_cost", "np.sum(loss * present) / m", "np.sum(loss * present)")
    assert "m = " in message and "times too large" in message and message.hint == "missing_1_over_m"
