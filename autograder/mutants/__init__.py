"""Known-wrong implementations ("mutants") that every grader must be able to catch.

An exercise keeps its mutants beside its checks, as edits of the reference's own source
(`Exercise.mutants`, autograder/exercises.py), each tied to the Mistake its graders must name;
`grader_layout.mutants_for` gathers them. This module holds what they are made of: the `Mutant`
record and `apply_edits`, which fails loudly when an edit's text is not in the reference once.
`nnfs-course validate` fails unless every mutant loses points on its own function and is told
its own mistake.
"""

from __future__ import annotations

import importlib
import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    function: str  # the graded function it replaces
    names: str | None  # the Mistake.title the graders must report, if any
    implementation: Callable
    index: int  # position in its module, to tell same-named mutants apart
    edges: tuple[str, ...] = ()  # the edge-table cells it fails at, and nowhere else
    text: str = ""  # the source of a mutant made by `edit`, which has no implementation

    @property
    def id(self) -> str:
        slug = (self.names or "wrong answer").lower()
        slug = "".join(ch if ch.isalnum() else "-" for ch in slug).strip("-")
        return f"{self.function}:{slug}"

    def source(self) -> str:
        """The mutant's source as a notebook cell would hold it: no decorator, its own name."""
        if self.text:
            return self.text
        lines = textwrap.dedent(inspect.getsource(self.implementation)).splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("def "))
        return "\n".join(lines[start:]) + "\n"


def edited_source(module: str, function: str, replacements: tuple[str, ...]) -> str:
    """The source of reference `function` (from the reference module named like `module`'s last
    part) with each (old, new) pair of `replacements` applied; each old text must occur once."""
    reference = importlib.import_module("reference." + module.rsplit(".", 1)[-1])
    return apply_edits(reference, function, replacements)


def apply_edits(reference, function: str, replacements: tuple[str, ...]) -> str:
    """The source of `function` of the module `reference` with each (old, new) pair of
    `replacements` applied; each old text must occur exactly once, or this fails naming the
    reference file and the text."""
    source = textwrap.dedent(inspect.getsource(getattr(reference, function)))
    for old, new in zip(replacements[::2], replacements[1::2], strict=True):
        if source.count(old) != 1:
            raise ValueError(f"{function}: {old!r} occurs {source.count(old)} times in "
                             f"{reference.__file__}, not once")
        source = source.replace(old, new)
    return source
