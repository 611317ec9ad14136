"""reference/ -> source/ -> release/: building the nbgrader notebooks and releasing them safely."""


class PipelineError(Exception):
    """A problem with the course material, stated in one line that names the file."""
