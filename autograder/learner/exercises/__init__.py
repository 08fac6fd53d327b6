"""The exercises of each assignment, one module per assignment, each exporting ``EXERCISES`` and ``check``."""
