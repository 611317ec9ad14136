"""Hidden graders of 02_backpropagation: the checks live in backpropagation/, one module per group
of the lesson's functions; this file, the one pytest collects, lays them out (grader_layout.py)."""

from autograder.grader_layout import assemble

globals().update(assemble(__file__))
