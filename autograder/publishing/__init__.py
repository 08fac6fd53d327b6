"""The instructor's publishing side: the release (student versions, checked for leaks), the student
edition, the glossary and the learner's JupyterLab workspace. Never shipped to students."""
