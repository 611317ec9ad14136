"""Hidden graders of 04_training: the checks live in training/, one module per group of the
lesson's functions; this file, the one pytest collects, lays them out (grader_layout.py)."""

from autograder.grader_layout import assemble

globals().update(assemble(__file__))
