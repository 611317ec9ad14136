"""The checks hidden graders are written with, gathered for them in autograder/harness.py.

mistakes.py: known mistakes and the failure a check raises; compare.py: how a returned value
differs from the expected one; values.py: the checks; submission.py: the `student` fixture's
interface and the reference backend.
"""
