"""nncourse's checker, grader and publisher, one subpackage per side.

- ``autograder.learner``: what learners run in their notebooks — ``check(...)``, the comparison with the
  reference and its hints, and each assignment's exercise registry. It is shipped to students (the
  student edition copies this subpackage) and imports nothing from the other two.
- ``autograder.grading``: what the instructor runs on a class — reading submissions, the sandbox and its
  wire protocol, local and Dask workers, the gradebook and the feedback pages.
- ``autograder.publishing``: what the instructor hands out — the release, the student edition, the
  glossary and the learner's JupyterLab workspace.

``autograder.course`` finds the course folder and talks to nbgrader for grading and publishing alike;
``autograder.cli`` is the ``nncourse`` command, a thin layer over the three.
"""
