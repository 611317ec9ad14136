"""Answers that compute nothing, made from the reference signatures: they must earn nothing.

For every graded function of an assignment (present and future: nobody writes these by hand),
one answer of each kind below. `nnfs-course validate` grades one notebook per kind, every answer
cell replaced, and fails when any check gives such an answer a point.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from autograder.config import Assignment

# kind -> the body of the function, given the name of its first parameter
KINDS = {
    "returns a constant": "return 1.0",
    "returns None": "return None",
    "returns zeros": ("try:\n        return np.zeros_like(np.asarray({first}, dtype=float))\n"
                      "    except (TypeError, ValueError):\n        return 0.0"),
    "returns its first argument": "return {first}",
    "raises": 'raise ValueError("nothing computed")',
}


@dataclass(frozen=True)
class DoNothing:
    kind: str  # a key of KINDS
    function: str
    signature: str  # "(a, b)", as the reference declares it

    @property
    def id(self) -> str:
        return f"{self.function}:{self.kind.replace(' ', '-')}"

    def source(self) -> str:
        first = self.signature.strip("()").split(",")[0].split("=")[0].strip().lstrip("*")
        body = KINDS[self.kind].format(first=first or "None")
        return f"def {self.function}{self.signature}:\n    {body}\n"


def do_nothing_answers(assignment: Assignment, kind: str) -> list[DoNothing]:
    """One answer of `kind` for every graded function of `assignment`."""
    module = assignment.reference_module()
    return [DoNothing(kind, name, str(inspect.signature(getattr(module, name))))
            for name in assignment.functions]
