"""What an exercise is: a reference function from ``nncore`` and a generator of consistent test cases.

A case is made from a seeded generator and a *variant*: variant 0 has ordinary shapes and float labels,
variant 1 gives the labels as uint8 (as the course's 2-D sets do), variant 2 is the edge m = 1.
Backward-pass cases are built by running ``nncore``'s forward pass, so every cache is consistent
(A = g(Z)) and any mathematically equivalent answer passes.
"""

from dataclasses import dataclass, field
from collections.abc import Callable

import numpy as np

VARIANTS = (0, 1, 2)


@dataclass(frozen=True)
class Case:
    """The arguments for one call (named, passed in order), the number of examples m in it, and a description
    for messages."""
    kwargs: dict
    m: int | None = None
    label: str = ""


@dataclass(frozen=True)
class Exercise:
    """One function a learner writes.

    ``make_case(rng, variant) -> Case``; ``returns`` names the return values (a tuple when there are
    several); ``uses`` names other exercises this one calls, so a failure can point at the real culprit.
    ``hints`` are exercise-specific diagnoses, ``hint(case, got) -> str`` (empty when it does not apply),
    tried in order on a failing case, e.g. "the weights look like np.random.rand, not randn".
    """
    name: str
    reference: Callable
    make_case: Callable[[np.random.Generator, int], Case]
    returns: tuple = ("result",)
    uses: tuple = field(default_factory=tuple)
    hints: tuple = field(default_factory=tuple)

    def cases(self, seed):
        """One case per variant, all drawn from ``seed``."""
        rng = np.random.default_rng(seed)
        return [self.make_case(rng, variant) for variant in VARIANTS]

    def expected(self, case):
        """The reference answer for a case."""
        return self.reference(*case.kwargs.values())


def distinct_dims(rng, k, low=2, high=9):
    """k different sizes in [low, high], so an (n, n) result can be told apart from (m, m)."""
    return [int(d) for d in rng.choice(np.arange(low, high + 1), size=k, replace=False)]


def labels(rng, m, variant):
    """Binary labels ``Y: (1, m)`` with both classes present when m > 1: float, or uint8 for variant 1."""
    Y = rng.permutation(np.arange(m) % 2).reshape(1, m)
    return Y.astype(np.uint8) if variant == 1 else Y.astype(np.float64)


def examples(rng, variant, low=3, high=9):
    """The number of examples m for a variant (1 for the edge variant)."""
    return 1 if variant == 2 else int(rng.integers(low, high + 1))
