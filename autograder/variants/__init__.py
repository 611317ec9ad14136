"""Acceptable answers written another way: every one must earn full marks and pass the notebook.

COURSE_SPEC.md accepts more than the reference's own way of computing a function: the tolerance
idioms (a sigmoid that clips z to [-500, 500], `np.log(p + 1e-7)` instead of clipping), Python
loops, lists where an array-like is allowed, float32 results. Each assignment has a module here
named like its reference module (`variants/forward_pass.py` for `reference/forward_pass.py`)
holding such answers, in two forms:

    edit("sigmoid", "clips z to [-500, 500] before exp", "e = np.exp(-np.abs(z))", "...")

an edit of the reference's own source (it fails loudly when the text is not there, so it cannot
drift from the reference), or a complete function registered with `@variant(function, idiom)`,
for an answer written from scratch (Python loops).

`nnfs-course validate` proves two things of every variant (validate/variants.py): the hidden
graders give it every point, and the release notebook's public checks of its function pass. A
public check that fails an acceptable answer asks more than the graders, which the spec forbids.
"""

from __future__ import annotations

import importlib
import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from autograder.mutants import edited_source


@dataclass(frozen=True)
class Variant:
    function: str  # the graded function it answers
    idiom: str  # what it does differently from the reference, in a few words
    source: str  # the complete function, as an answer cell holds it

    @property
    def id(self) -> str:
        slug = "".join(ch if ch.isalnum() else "-" for ch in self.idiom.lower()).strip("-")
        while "--" in slug:
            slug = slug.replace("--", "-")
        return f"{self.function}:{slug}"


_REGISTRY: dict[str, list[Variant]] = {}


def _register(module: str, found: Variant) -> None:
    _REGISTRY.setdefault(module, []).append(found)


def edit(function: str, idiom: str, *replacements: str) -> Variant:
    """The reference's `function` with each (old, new) pair of `replacements` applied once."""
    module = inspect.currentframe().f_back.f_globals["__name__"]
    try:
        source = edited_source(module, function, replacements)
    except ValueError as error:
        raise ValueError(f"variant {function} ({idiom}): {error}") from None
    found = Variant(function, idiom, source)
    _register(module, found)
    return found


def variant(function: str, idiom: str):
    """Register a complete answer, written from scratch, as an acceptable variant."""
    def register(implementation: Callable) -> Callable:
        lines = textwrap.dedent(inspect.getsource(implementation)).splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("def "))
        _register(implementation.__module__,
                  Variant(function, idiom, "\n".join(lines[start:]) + "\n"))
        return implementation

    return register


def variants_for(reference_module: str) -> list[Variant]:
    """Every variant of the assignment whose reference module is `reference_module`."""
    name = "autograder.variants." + reference_module.rsplit(".", 1)[-1]
    module = importlib.import_module(name)
    return list(_REGISTRY.get(module.__name__, []))
