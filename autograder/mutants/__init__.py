"""Known-wrong implementations ("mutants") that every grader must be able to catch.

An assignment in the exercise layout keeps its mutants beside its checks, as edits of the
reference (`Exercise.mutants`, autograder/exercises.py); `mutants_for` finds them there. An
assignment not yet moved has a module here named like its reference module
(`mutants/training.py` for `reference/training.py`). A mutant is a complete function carrying
the graded function's own name, registered with `@mutant`:

    @mutant("dense_forward", names="W where W.T belongs")
    def dense_forward(X, W, b):
        return X @ W + b

`names` is the title of the known mistake the graders must name in their output when they catch
this mutant (a `Mistake.title` in autograder/graders/mistakes_<topic>.py). Every mutant names one:
`nnfs-course validate` fails unless all of them are told their own mistake. Several mutants of
one function may share the function's name: the registry keeps each of them.
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


_REGISTRY: dict[str, list[Mutant]] = {}


def mutant(function: str, names: str | None = None, edge: str | tuple[str, ...] = ()):
    """Register a mutant; `edge` names the edge-table cells (graders/edges.py) at which it
    goes wrong: validate proves it loses points there and on no other check."""
    edges = (edge,) if isinstance(edge, str) else tuple(edge)

    def register(implementation: Callable) -> Callable:
        module = implementation.__module__
        found = _REGISTRY.setdefault(module, [])
        found.append(Mutant(function, names, implementation, len(found), edges))
        return implementation

    return register


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


def edit(function: str, names: str, *replacements: str, edge: str | tuple[str, ...] = ()):
    """A mutant that is the reference's own `function` with (old, new) text `replacements`
    applied: it cannot drift from the reference, and fails loudly when its text is gone."""
    module = inspect.currentframe().f_back.f_globals["__name__"]
    edges = (edge,) if isinstance(edge, str) else tuple(edge)
    found = _REGISTRY.setdefault(module, [])
    text = edited_source(module, function, replacements)
    # a callable too, for in-process grading: run in a copy of the reference module's namespace
    namespace = dict(vars(importlib.import_module("reference." + module.rsplit(".", 1)[-1])))
    exec(compile(text, f"<mutant {function}: {names}>", "exec"), namespace)
    found.append(Mutant(function, names, namespace[function], len(found), edges, text))


def mutants_for(reference_module: str, root=None) -> list[Mutant]:
    """Every mutant of the assignment whose reference module is `reference_module`: the
    exercises' own in its graders folder at `root` (autograder/grader_layout.py), or, for an
    assignment in the older layout, those of autograder/mutants/<topic>.py."""
    from autograder import grader_layout
    from autograder.config import COURSE_ROOT, assignments

    for assignment in assignments(COURSE_ROOT if root is None else root):
        if assignment.module == reference_module and grader_layout.has_folder(assignment):
            return grader_layout.folder_mutants(assignment)
    name = "autograder.mutants." + reference_module.rsplit(".", 1)[-1]
    module = importlib.import_module(name)
    return list(_REGISTRY.get(module.__name__, []))
