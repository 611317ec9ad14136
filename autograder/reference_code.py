"""The reference functions of reference/, and their source as notebook code.

Shared by what builds the notebooks (pipeline/), what reruns a check with the reference in place
of a student's helper (engine/helpers.py) and what compares answers (similarity/).
"""

from __future__ import annotations

import importlib
import inspect
import textwrap
from collections.abc import Callable

from autograder.config import Assignment, assignments


class PipelineError(Exception):
    """A problem with the course material, stated in one line that names the file."""


def reference_function(assignment: Assignment, name: str) -> Callable:
    module = _import(assignment.module)
    function = getattr(module, name, None)
    if not inspect.isfunction(function):
        raise PipelineError(
            f"{module.__file__}: no function `{name}` "
            f"(course_config.py grades it in {assignment.id})"
        )
    return function


def any_reference_function(name: str) -> Callable:
    """A function of any reference module, for `<!-- given: name -->` cells."""
    for assignment in assignments():
        function = getattr(_import(assignment.module), name, None)
        if inspect.isfunction(function):
            return function
    raise PipelineError(f"reference/: no module defines a function `{name}` to give")


def function_source(function: Callable) -> str:
    lines = textwrap.dedent(inspect.getsource(function)).splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("def "))
    return "\n".join(lines[start:]).rstrip() + "\n"


def _import(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        raise PipelineError(f"cannot import reference module {module_name}: {error}") from None
    except SyntaxError as error:
        raise PipelineError(f"{error.filename}:{error.lineno}: syntax error: {error.msg}") from None
