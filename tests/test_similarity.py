"""Similar answers, for review: the same code once names, literals, comments and formatting are normalized, the
release's starter code removed, short answers ignored — measured on a synthetic class of honest answers.

The synthetic class (``synthetic_class.py``) writes every answer cell of 02_logistic_regression the way one more
honest student might, independently of the others; a disguised copy renames every parameter and variable, adds
comments and changes spacing. ``benchmarks/report.py`` prints the same measurements for every threshold.
"""

import dis
import types
from pathlib import Path

import numpy as np
import pytest

from autograder.grading.similarity import (MIN_SIMILAR_INSTRUCTIONS, similar_answers, starter_code, written,
                                           written_answers)
from autograder.grading.spec import AssignmentSpec
from autograder.learner.borrowing import instructions
from autograder.learner.check import CheckFailure
from autograder.learner.exercises.logistic_regression import check
from course_tools import REPO, solution_code
from learner import cell
from synthetic_class import ASSIGNMENT, SOURCE, WAYS, disguised_copy, honest_answers, source_cells

COURSE = REPO / "course"


@pytest.fixture(scope="module")
def starters():
    return starter_code(COURSE, AssignmentSpec.load(COURSE, ASSIGNMENT))


@pytest.fixture(scope="module")
def honest_class():
    rng, sources = np.random.default_rng(7), source_cells()
    return {f"s{i:03d}": honest_answers(rng, sources) for i in range(400)}


def test_the_starter_code_is_the_answer_cell_as_released(released_course, starters):
    released = solution_code(released_course / "release" / ASSIGNMENT / SOURCE.name)  # the student version's cells
    assert starters == released
    assert "raise NotImplementedError()" in starters["propagate"] and "### BEGIN SOLUTION" not in starters["propagate"]


def test_what_was_written_leaves_out_the_starter_wherever_it_stands(starters):
    solution = solution_code(SOURCE)
    for grade_id, starter in starters.items():
        assert written(starter, starter).size == 0, grade_id              # an untouched cell wrote nothing
        assert written(solution[grade_id], starter).size > 0, grade_id
    # optimize's starter opens the loop the answer is written in: only the three lines inside it are the author's
    lines = ["grads, cost = propagate(w, b, X, Y)", 'w = w - learning_rate * grads["dw"]',
             'b = b - learning_rate * grads["db"]']
    alone = "def f(w, b, X, Y, learning_rate):\n" + "".join(f"    {line}\n" for line in lines)
    empty = "def f(w, b, X, Y, learning_rate):\n    pass\n"
    assert written(solution["optimize"], starters["optimize"]).size == written(alone).size - written(empty).size


def test_a_disguised_copy_is_the_same_answer(honest_class, starters):
    rng = np.random.default_rng(11)
    for student in list(honest_class)[:100]:
        for grade_id, code in honest_class[student].items():
            copy = disguised_copy(code, rng)
            assert copy != code
            assert written(copy, starters[grade_id]) == written(code, starters[grade_id]), (student, grade_id)


def test_copies_above_the_threshold_are_grouped_and_short_answers_ignored(honest_class, starters):
    rng = np.random.default_rng(12)
    original = honest_class["s000"]
    answers = {"a": original, "b": {gid: disguised_copy(code, rng) for gid, code in original.items()},
               "c": honest_answers(np.random.default_rng(99))}
    groups = similar_answers(answers, starters)
    long_enough = {gid for gid, code in original.items()
                   if written(code, starters[gid]).size >= MIN_SIMILAR_INSTRUCTIONS}
    assert "propagate" in long_enough and "sigmoid" not in long_enough
    assert {(g.grade_id, g.students) for g in groups} == {(gid, ("a", "b")) for gid in long_enough}


def test_the_false_positive_rate_on_honest_answers_at_the_threshold(honest_class, starters):
    """Two independently written honest answers are listed together for about 1 pair in 500 (0.2 %) at the
    threshold; at 10 fewer instructions the one-line predictions and the dictated model() collide far more."""
    found = written_answers(honest_class, starters)
    students = sorted(found)
    pairs = len(students) * (len(students) - 1) / 2

    def rate(minimum):
        groups = similar_answers(honest_class, starters, minimum)
        return sum(len(g.students) * (len(g.students) - 1) / 2 for g in groups) / pairs

    assert rate(MIN_SIMILAR_INSTRUCTIONS) < 0.005
    assert rate(MIN_SIMILAR_INSTRUCTIONS - 20) > 5 * rate(MIN_SIMILAR_INSTRUCTIONS)


def _run_check(answers):
    namespace = cell("\n".join(answers[gid] for gid in WAYS))
    failed = []
    for name in WAYS:
        try:
            check(name, namespace[name])
        except CheckFailure as failure:
            failed.append((name, str(failure)))
    return failed


def test_the_synthetic_class_is_honest_every_variant_passes_the_checker(capsys):
    rng, sources = np.random.default_rng(3), source_cells()
    for _ in range(25):
        assert _run_check(honest_answers(rng, sources)) == []
    capsys.readouterr()


def test_instructions_are_counted_as_dis_lists_them():
    import nncore.logistic
    codes = [f.__code__ for f in vars(nncore.logistic).values() if isinstance(f, types.FunctionType)]
    codes.append(compile("x = [" + ", ".join(map(str, range(400))) + "]\n", "<many constants>", "exec"))  # EXTENDED_ARG
    for code in codes:
        nested = [c for c in code.co_consts if isinstance(c, types.CodeType)]
        listed = sum(1 for _ in dis.get_instructions(code)) + sum(instructions(c) for c in nested)
        assert instructions(code) == listed, code.co_name
    assert Path(nncore.logistic.__file__).is_file()
