"""Hidden graders of 01_forward_pass: the checks live in forward_pass/, one module per group of
the lesson's functions; this file, the one pytest collects, lays them out (grader_layout.py)."""

from autograder.grader_layout import assemble

globals().update(assemble(__file__))
