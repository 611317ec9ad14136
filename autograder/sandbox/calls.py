"""One call of a student function, as plain data, and the error of a call that did not return.

The sandbox's process answers a call with a `Call` or raises `StudentError`; the graders' checks
(autograder/checks/) judge what it holds. `describe` renders plain data for the student's
feedback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


class StudentError(Exception):
    """The student's function did not return: it raised, timed out, crashed or is missing.

    `kind` is one of "exception", "timeout", "crash", "memory", "missing", "budget",
    "bad-output", "not-run" (the notebook itself could not be read or run).
    """

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class Call:
    """One call of a student function, all in plain data."""

    function: str
    args: tuple
    kwargs: dict
    value: Any
    args_after: tuple
    kwargs_after: dict
    seconds: float = 0.0
    output: str = ""
    context: Any = field(default=None, repr=False, compare=False)  # for diagnosis (grader-side)

    def describe(self) -> str:
        return describe_call(self.function, self.args, self.kwargs)



# The graders describe the same fixed inputs for every student whose check fails: each array's
# rendering is kept (by its bytes, dtype and shape), up to a bound, in the grading process.
_RENDERED: dict[tuple, str] = {}
_RENDERED_LIMIT = 4096


def describe(value: Any, limit: int = 300) -> str:
    """A short, readable rendering of plain data for feedback."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc" or value.size > 4096:
            return _describe_array(value, limit)
        key = (value.dtype.str, value.shape, value.tobytes(), limit)
        text = _RENDERED.get(key)
        if text is None:
            text = _describe_array(value, limit)
            if len(_RENDERED) < _RENDERED_LIMIT:
                _RENDERED[key] = text
        return text
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, tuple):
        inner = ", ".join(describe(v, limit // 2) for v in value)
        return f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
        inner = ", ".join(describe(v, limit // 2) for v in value[:4])
        return f"[{inner}{', ...' if len(value) > 4 else ''}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {describe(v, limit // 2)}" for k, v in value.items()) + "}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe_array(value: np.ndarray, limit: int) -> str:
    with np.printoptions(precision=6, suppress=True, threshold=24, edgeitems=3,
                         linewidth=limit):
        body = np.array2string(value, separator=", ")
    body = " ".join(body.split())
    if len(body) > limit:
        body = body[: limit - 3] + "..."
    return body if value.ndim == 0 else f"{body} (shape {value.shape})"


def describe_call(function: str, args: tuple, kwargs: dict) -> str:
    parts = [describe(a, 160) for a in args]
    parts += [f"{k}={describe(v, 160)}" for k, v in kwargs.items()]
    return f"{function}({', '.join(parts)})"

