"""Assignment "Structuring machine-learning projects": a single-number metric, optimizing and satisficing
metrics, the biggest gap between error levels, error analysis and a multi-task cost with missing labels,
checked against ``nncore.strategy``.

Every function takes and returns plain data (arrays, numbers, strings, lists), so it crosses the grading
sandbox as it is. Cases are built so that every known mistake changes the answer: predictions with true
positives, false positives and false negatives and precision ≠ recall; a budget met exactly by the best
qualifying model; error levels whose biggest gap differs when compared with 0 or with train-dev and dev
swapped; tags that several examples share; missing labels in every row, and an example without any label.
Exercise-specific hints recompute what a known mistake would give and name it when it matches.
"""

import numpy as np

from autograder.learner.check import Checker
from autograder.learner.compare import Hint, matches
from autograder.learner.exercise import Case, Exercise
from nncore.i18n import _
from nncore import strategy


# ---- precision_recall_f1 -------------------------------------------------------------------------------

def _f1_case(rng, variant):
    """Variant 0: float labels; 1: uint8 labels and m > 600 (a uint8 product or difference wraps);
    2: the classifier that always answers 0 (precision and F1 are 0/0 cases)."""
    m = int(rng.integers(*{0: (20, 41), 1: (600, 800), 2: (8, 15)}[variant]))
    while True:
        Y = (rng.random((1, m)) < (0.3 if variant == 0 else 0.5)).astype(np.float64)
        if variant == 2:
            Y_hat = np.zeros((1, m))
        else:
            wrong = rng.random((1, m)) < rng.uniform(0.15, 0.3)
            Y_hat = np.where(wrong & (rng.random((1, m)) < 0.7), 1 - Y, Y)
        tp, fp, fn = (np.sum(Y_hat * Y), np.sum(Y_hat * (1 - Y)), np.sum((1 - Y_hat) * Y))
        precision, recall = strategy.precision_recall_f1(Y_hat, Y)[:2]
        if fn and (variant == 2 or (tp and fp and abs(precision - recall) > 0.02)):
            break
    label = _("m = {m}, {positive} positive examples, {predicted} predicted positive").format(
        m=m, positive=int(np.sum(Y)), predicted=int(np.sum(Y_hat)))
    if variant == 1:
        Y_hat, Y = Y_hat.astype(np.uint8), Y.astype(np.uint8)
        label = _("{case}, uint8 labels").format(case=label)
    if variant == 2:
        label = _("{case}, always predicts 0").format(case=label)
    return Case({"Y_hat": Y_hat, "Y": Y}, None, label)


def _counts(case):
    Y_hat = np.asarray(case.kwargs["Y_hat"], dtype=np.float64)
    Y = np.asarray(case.kwargs["Y"], dtype=np.float64)
    tp = np.sum(Y_hat * Y)
    return tp, np.sum(Y_hat * (1 - Y)), np.sum((1 - Y_hat) * Y), np.sum((1 - Y_hat) * (1 - Y)), Y.size


def _f1_hint(case, got):
    precision, recall, f1 = strategy.precision_recall_f1(*case.kwargs.values())
    tp, fp, fn, tn, m = _counts(case)
    got = tuple(float(g) for g in got)
    nan = np.isnan(got)
    if (nan[0] and tp + fp == 0) or (nan[1] and tp + fn == 0) or (nan[2] and precision + recall == 0):
        return Hint("zero_division_not_handled", _(
            "NaN from a 0/0: when nothing is predicted positive, precision = TP / (TP + FP) is 0/0, and then F1's P + "
            "R can be 0 too. This contract defines each 0/0 as 0 (precision when nothing is predicted positive, "
            "recall when there is no positive example, F1 when P + R = 0): test the denominator before dividing"))
    if abs(precision - recall) > 1e-9 and matches((recall, precision), got[:2]):
        return Hint("precision_recall_swapped", _(
            "precision and recall are swapped: precision = TP / (TP + FP) divides by the examples *predicted* "
            "positive, recall = TP / (TP + FN) by the examples that *are* positive"))
    if matches((precision, recall), got[:2]) and matches((precision + recall) / 2, got[2]):
        return Hint("f1_arithmetic_mean", _(
            "F1 is the arithmetic mean (P + R)/2: it is the harmonic mean, F1 = 2·P·R / (P + R), which stays low when "
            "either of the two is low"))
    if matches((tp + tn) / (tp + fp), got[0]) or matches((tp + tn) / (tp + fn), got[1]):
        return Hint("true_negatives_counted", _(
            "the true positives include the true negatives: np.sum(Y_hat == Y) counts every correct prediction; a "
            "true positive is an example with Y_hat = 1 *and* Y = 1, np.sum(Y_hat * Y)"))
    if matches(tp / m, got[0]) or matches(tp / m, got[1]):
        return Hint("divided_by_all_examples", _(
            "divided by m, all the examples: precision divides by the predicted positives (TP + FP = np.sum(Y_hat)), "
            "recall by the actual positives (TP + FN = np.sum(Y)); the negatives do not belong in either"))
    return None


# ---- choose_model ---------------------------------------------------------------------------------------

_NAMES = ["tiny", "small", "medium", "large", "huge", "wide", "deep", "slim", "fast", "base"]


def _choose_case(rng, variant):
    """Variant 0: F1 grows with the time and the budget is exactly the time of the best qualifying model;
    1: F1 does not grow with time, a tie on F1, times in seconds; 2: no model within the budget."""
    n = int(rng.integers(5, 8))
    names = [str(x) for x in rng.choice(_NAMES, size=n, replace=False)]
    times = np.sort(rng.choice(np.arange(1, 200), size=n, replace=False) / 10.0)
    if variant == 0:
        f1 = np.sort(rng.choice(np.arange(50, 99), size=n, replace=False) / 100.0)
        k = int(rng.integers(2, n - 1))
        max_time = float(times[k])
    elif variant == 1:
        f1 = rng.choice(np.arange(50, 99), size=n, replace=False) / 100.0
        k = int(rng.integers(2, n - 1))
        max_time = float(times[k]) + 0.05
        best, other = sorted(range(k + 1), key=lambda i: -f1[i])[:2]
        f1[max(best, other)] = f1[min(best, other)]            # a tie: the faster of the two must win
        f1[n - 1] = max(f1) + 0.01                             # the best F1 overall is over the budget
        times, max_time = times / 1000, max_time / 1000
    else:
        f1 = rng.choice(np.arange(50, 99), size=n, replace=False) / 100.0
        max_time = float(times[0]) - 0.05
    order = list(rng.permutation(n))
    if variant == 1:                                           # the slower of the tied models comes first
        tied = [i for i in order if i <= k and f1[i] == max(f1[:k + 1])]
        a, b = order.index(tied[0]), order.index(tied[1])
        if times[order[a]] < times[order[b]]:
            order[a], order[b] = order[b], order[a]
    names = [names[i] for i in order]
    dev_f1 = [float(f1[i]) for i in order]
    times = [float(times[i]) for i in order]
    label = (_("{n} models, max_time = {max_time} (nothing is that fast)") if variant == 2
             else _("{n} models, max_time = {max_time}")).format(n=n, max_time=f"{max_time:g}")
    return Case({"names": names, "dev_f1": dev_f1, "times": times, "max_time": max_time}, None, label)


def _choose_hint(case, got):
    names, dev_f1, times, max_time = case.kwargs.values()
    expected = strategy.choose_model(names, dev_f1, times, max_time)
    if expected is None and got is not None:
        return Hint("none_within_budget_not_none", _(
            "no model is within the budget here: return None (a model that misses a satisficing metric is not "
            "acceptable, however good its F1)"))
    if got == names[int(np.argmax(dev_f1))] and times[names.index(got)] > max_time:
        return Hint("budget_ignored", _(
            "{name} has the best F1 of all but takes {time} > max_time = {max_time}: first keep only the models "
            "within the budget (time ≤ max_time), then take the best F1 among them").format(
                name=repr(got), time=f"{times[names.index(got)]:g}", max_time=f"{max_time:g}"))
    strict = strategy.choose_model(names, dev_f1, times, max_time - 1e-12 * max(1.0, abs(max_time)))
    if got == strict and any(t == max_time for t in times):
        return Hint("budget_limit_excluded", _(
            "a model whose time equals max_time exactly was left out: the budget is met with time ≤ max_time (use "
            "<=, not <)"))
    qualifying = [i for i, t in enumerate(times) if t <= max_time]
    if got in names and qualifying and names.index(got) == min(qualifying, key=lambda i: times[i]):
        return Hint("fastest_model_chosen", _(
            "this is the fastest model within the budget: time is the satisficing metric (just be under it), F1 is "
            "the one to optimize — take the highest F1 among the models within the budget"))
    best_f1 = max(dev_f1[i] for i in qualifying) if qualifying else None
    if got in names and dev_f1[names.index(got)] == best_f1 and names.index(got) in qualifying:
        return Hint("tie_not_broken_by_time", _(
            "two models within the budget tie on F1: the contract takes the faster of the two (sort by −F1, then by "
            "time)"))
    return None


# ---- diagnose -------------------------------------------------------------------------------------------

def _largest_level(human, train, train_dev, dev, test):
    """The mistake of measuring every gap from human-level error: the largest error level wins."""
    return strategy.GAPS[int(np.argmax([train, train_dev, dev, test]))]


def _mistakes(levels):
    """The answers of the correct diagnosis and of the three known mistakes for these error levels."""
    human, train, train_dev, dev, test = levels
    return (strategy.diagnose(*levels), strategy.diagnose(0.0, train, train_dev, dev, test),
            strategy.diagnose(human, train, dev, train_dev, test), _largest_level(*levels))


def _diagnose_case(rng, variant):
    """Error levels (fractions, 3 decimals) whose biggest gap is variance (variant 0), data mismatch (1) or
    avoidable bias (2); the answers of the known mistakes differ from it and from each other."""
    target = ("variance", "data mismatch", "avoidable bias")[variant]
    while True:
        human = float(np.round(rng.uniform(0.0, 0.1), 3))
        levels = np.round(human + np.cumsum(rng.uniform(-0.03, 0.08, size=4)), 3)
        if np.any(levels < 0):
            continue
        levels = (human, *(float(x) for x in levels))
        answers = _mistakes(levels)
        wrong = answers[1:] if target != "avoidable bias" else answers[2:]
        if answers[0] == target and len(set(wrong)) == len(wrong) and target not in wrong:
            break
    names = ("human", "train", "train_dev", "dev", "test")
    return Case(dict(zip(names, levels)), None, ", ".join(f"{k} = {v:g}" for k, v in zip(names, levels)))


def _diagnose_hint(case, got):
    levels = tuple(case.kwargs.values())
    expected, from_zero, swapped, largest = _mistakes(levels)
    if got == from_zero != expected:
        return Hint("bias_measured_from_zero", _(
            "this is the answer when the training error is compared with 0: avoidable bias = training error − "
            "human-level error ({train} − {human} here); human-level error stands in for the Bayes error, which no "
            "model can beat").format(train=f"{levels[1]:g}", human=f"{levels[0]:g}"))
    if got == swapped != expected:
        return Hint("train_dev_and_dev_swapped", _(
            "train-dev and dev are swapped: variance = train-dev error − training error (same distribution, unseen "
            "examples), data mismatch = dev error − train-dev error"))
    if got == largest != expected:
        return Hint("gaps_not_between_neighbours", _(
            "this is the gap from human-level to the largest error: each gap is between *neighbouring* levels (train "
            "− human, train-dev − train, dev − train-dev, test − dev)"))
    if got not in strategy.GAPS:
        return Hint("unknown_diagnosis", _("return one of the four names exactly: {names}").format(
            names=", ".join(repr(g) for g in strategy.GAPS)))
    return None


# ---- error_analysis -------------------------------------------------------------------------------------

_TAGS = ["blurry", "dark", "faint", "mislabeled", "off-centre", "rotated", "small", "thick"]


def _error_analysis_case(rng, variant):
    """Variant 0: 12–25 examples with 1–3 tags each; 1: two tags tie and one example has no tag; 2: one example."""
    if variant == 2:
        tags = [[str(t) for t in rng.choice(_TAGS, size=2, replace=False)]]
        return Case({"tags": tags}, None, _("1 misclassified example with 2 tags"))
    pool = [str(t) for t in rng.choice(_TAGS, size=int(rng.integers(4, 7)), replace=False)]
    weights = rng.dirichlet(np.ones(len(pool)) * 2)
    m = int(rng.integers(12, 26))
    tags = [[str(t) for t in rng.choice(pool, size=int(rng.integers(1, 4)), replace=False, p=weights)]
            for _example in range(m)]
    if variant == 1:
        counts = {t: sum(t in example for example in tags) for t in pool}
        a, b = sorted(pool, key=lambda t: -counts[t])[:2]
        for example in tags:                           # make a and b tie: b on exactly the examples a is on
            if a in example and b not in example:
                example.append(b)
            elif b in example and a not in example:
                example.remove(b)
        tags.append([])
    return Case({"tags": tags}, None, _("{m} misclassified examples, {n} tags").format(
        m=len(tags), n=sum(map(len, tags))))


def _error_analysis_hint(case, got):
    tags = case.kwargs["tags"]
    expected = strategy.error_analysis(tags)
    if isinstance(got, dict):
        return Hint("returned_a_dictionary", _(
            "a dictionary came back: return a list of (tag, percent) pairs, largest percent first (sorted(..., "
            "key=lambda pair: (-pair[1], pair[0])))"))
    got = [tuple(pair) for pair in got]
    as_dict = {str(tag): float(value) for tag, value in got}
    want = dict(expected)
    if set(as_dict) != set(want):
        return None
    n_tags = sum(len(set(example)) for example in tags)
    counts = {tag: value * len(tags) / 100 for tag, value in want.items()}
    for values, hint in [
            ({t: 100 * c / n_tags for t, c in counts.items()}, Hint("divided_by_number_of_tags", _(
                "the percentages add up to 100: you divided by the number of tags ({n_tags}); divide by the number of "
                "examples ({m}) — an example may carry several tags, so the shares can add up to more than "
                "100").format(n_tags=n_tags, m=len(tags)))),
            ({t: v / 100 for t, v in want.items()}, Hint("fractions_not_percent", _(
                "these are fractions: multiply by 100 for percent"))),
            (counts, Hint("counts_not_percent", _(
                "these are counts: divide by the number of examples ({m}) and multiply by 100").format(m=len(tags))))]:
        if matches(values, as_dict):
            return hint
    if matches(want, as_dict):
        return Hint("categories_not_sorted", _(
            "the percentages are right but the order is not: largest percent first, ties in alphabetical order of the "
            "tag (sorted(..., key=lambda pair: (-pair[1], pair[0])))"))
    return None


# ---- multitask_cost -------------------------------------------------------------------------------------

def _multitask_case(rng, variant):
    """Variant 0: about a third of the labels missing; 1: also an example with no label at all; 2: m = 1."""
    n_labels = int(rng.integers(3, 6))
    m = 1 if variant == 2 else int(rng.integers(4, 10))
    AL = rng.uniform(0.05, 0.95, size=(n_labels, m))
    Y = (rng.random((n_labels, m)) < 0.5).astype(np.float64)
    missing = rng.random((n_labels, m)) < 0.35
    missing[rng.integers(n_labels), :] = False
    missing[:, 0] = np.arange(n_labels) == 0
    if variant == 1:
        missing[:, int(rng.integers(1, m))] = True
    Y[missing] = strategy.MISSING
    label = _("{n} labels, m = {m}, {missing} labels missing (-1)").format(
        n=n_labels, m=m, missing=int(missing.sum()))
    if variant == 1:
        label = _("{case}, one example with no label at all").format(case=label)
    return Case({"AL": AL, "Y": Y}, m, label)


def _multitask_mistakes(case):
    """``(cost, Hint)``: the cost a known mistake computes on this case, and its diagnosis."""
    AL, Y = case.kwargs.values()
    present = Y != strategy.MISSING
    m = Y.shape[1]
    total = strategy.multitask_cost(AL, Y) * m
    as_labels = float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)
    return [
        (as_labels, Hint("missing_labels_used_as_labels", _(
            "the missing labels went into the loss as if −1 were a label: a missing label must add nothing, so keep "
            "only the entries where Y != -1 (e.g. mask = (Y != -1), then sum loss * mask)"))),
        (strategy.multitask_cost(AL, np.where(present, Y, 0.0)), Hint("missing_labels_counted_as_0", _(
            "the missing labels were counted as 0: a missing label must add nothing to the cost, not −log(1 − a) "
            "(mask them out with Y != -1)"))),
        (strategy.multitask_cost(AL, np.where(present, Y, 1.0)), Hint("missing_labels_counted_as_1", _(
            "the missing labels were counted as 1: a missing label must add nothing to the cost, not −log(a) (mask "
            "them out with Y != -1)"))),
        (total / present.sum(), Hint("divided_by_labels_present", _(
            "divided by the number of labels present ({present}): the lecture's cost sums over the labels and "
            "averages over the examples, J = (1/m) Σᵢ Σⱼ 𝓛, with m = {m}").format(present=int(present.sum()), m=m))),
        (total / Y.size, Hint("divided_by_all_entries", _(
            "divided by n_labels · m = {size} (np.mean over every entry): sum over the labels and divide by the "
            "number of examples m = {m} only").format(size=Y.size, m=m))),
        (total / max(1, np.sum(present.any(axis=0))), Hint("divided_by_labelled_examples", _(
            "divided by the examples that have at least one label: m counts every example ({m} here), also one "
            "whose labels are all missing").format(m=m))),
    ]


def _multitask_hint(case, got):
    expected = strategy.multitask_cost(*case.kwargs.values())
    with np.errstate(all="ignore"):
        for value, hint in _multitask_mistakes(case):
            if not matches(expected, value) and matches(value, got):
                return hint
        if not np.all(np.isfinite(got)):
            return Hint("log_of_missing_label", _(
                "NaN or inf: log of a missing label's term? y = −1 is not a label — compute the loss only where Y != "
                "-1 (np.where or a 0/1 mask), and never take log(0)"))
    return None


EXERCISES = {e.name: e for e in [
    Exercise("precision_recall_f1", strategy.precision_recall_f1, _f1_case, ("precision", "recall", "f1"),
             hints=(_f1_hint,)),
    Exercise("choose_model", strategy.choose_model, _choose_case, ("name",), hints=(_choose_hint,)),
    Exercise("diagnose", strategy.diagnose, _diagnose_case, ("diagnosis",), hints=(_diagnose_hint,)),
    Exercise("error_analysis", strategy.error_analysis, _error_analysis_case, ("categories",),
             hints=(_error_analysis_hint,)),
    Exercise("multitask_cost", strategy.multitask_cost, _multitask_case, ("cost",), hints=(_multitask_hint,)),
]}

check = Checker(EXERCISES)
