"""``python -m autograder`` is the ``nncourse`` command."""

from autograder.cli import main

main()
