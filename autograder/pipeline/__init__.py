"""reference/ -> source/ -> release/: building the nbgrader notebooks and releasing them safely."""

from autograder.reference_code import PipelineError

__all__ = ["PipelineError"]
