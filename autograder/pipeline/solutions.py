"""Reference functions as notebook code: the answer cell of a graded function, a given helper."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable

from autograder.pipeline import PipelineError
from autograder.reference_code import function_source

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def split_function(function: Callable) -> tuple[list[str], list[str]]:
    """(header lines: signature and docstring, body lines) of a function's source."""
    source = function_source(function)
    lines = source.splitlines()
    node = ast.parse(source).body[0]
    has_doc = (isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
               and isinstance(node.body[0].value.value, str))
    if has_doc and len(node.body) == 1:
        raise PipelineError(f"{inspect.getsourcefile(function)}: `{function.__name__}` has no body")
    first = node.body[1] if has_doc else node.body[0]
    body_start = first.lineno - 1
    # Comments right after the docstring belong to the body.
    header_end = node.body[0].end_lineno if has_doc else body_start
    return lines[:header_end], lines[header_end:]


def solution_cell(function: Callable) -> str:
    """The answer cell: signature and docstring, the body between nbgrader's markers."""
    header, body = split_function(function)
    indent = " " * (len(body[0]) - len(body[0].lstrip())) if body else "    "
    return "\n".join([*header, indent + BEGIN, *body, indent + END])


def solution_lines(function: Callable) -> list[str]:
    """The body lines of a reference solution, for leak checks."""
    return split_function(function)[1]
