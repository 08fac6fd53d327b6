"""The learner's side: ``check(...)`` in the notebooks, the comparison with ``nncore`` and its hints, and one
exercise registry per assignment (``autograder.learner.exercises.<name>``). Shipped to students as it is;
imports nothing from ``autograder.grading`` or ``autograder.publishing``."""
