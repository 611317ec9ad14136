"""The edge-case table: the edges COURSE_SPEC.md names, and the graded functions they apply to.

Derived from the spec only ("Grading policy", "Edges", and the lessons' own experiments), and
derived for every graded function from what its reference computes: its name, its parameters and
the names its code uses. A new function therefore gets its cells with no edit here, and none when
no rule matches. Each cell is a hidden check (`@exercise.check(points=..., edge=key)`) and a mutant
that goes wrong there (`edit(MISTAKE, old, new, edge=key)` among the exercise's mutants): it loses
points on the cell's check and on no check away from the edges. `nnfs-course validate` fails when
a cell lacks either, or when the check does not catch the mutant.

    python -m autograder.graders.edges > docs/edges.md

writes the table that docs/ shows (a test keeps the two the same).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
import types
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """What a reference function computes, as far as the rules below need to know."""

    name: str
    params: tuple[str, ...]
    uses: frozenset[str]  # global and attribute names its code refers to (np.tanh -> "tanh")
    tests_positive: bool  # its code compares something with `> 0` (ReLU's derivative)


@dataclass(frozen=True)
class Edge:
    key: str
    spec: str  # the spec's words for the edge
    applies_to: str  # which functions, in words
    expected: str  # what the check expects there, and how strictly
    applies: Callable[[Profile], bool]


def _computes(name: str) -> Callable[[Profile], bool]:
    return lambda p: p.name == name or name in p.uses


def _cross_entropy(p: Profile) -> bool:
    return "y_pred" in p.params and "clip" in p.uses


def _classifies_logits(p: Profile) -> bool:
    return p.name == "softmax" or "softmax" in p.uses or p.params[:1] == ("params",)


LOOSE_ENOUGH = ("rtol 1e-5, atol 1e-8: loose enough for np.clip(z, -500, 500), log(p + 1e-7) "
                "and float32 results, strict enough that nan or inf fails")

EDGES = [
    Edge("tanh-1000", "|z| up to 1000 for tanh", "computes tanh (`tanh` or `np.tanh`)",
         f"the reference's value (±1, a derivative of 0), finite; {LOOSE_ENOUGH}",
         _computes("tanh")),
    Edge("sigmoid-1000", "|z| up to 1000 for sigmoid", "computes the sigmoid",
         f"the reference's value (0 or 1, a derivative of 0), finite; {LOOSE_ENOUGH}",
         _computes("sigmoid")),
    Edge("logits-1000", "logits near 1000", "computes softmax, or takes a network's `params` "
         "and so computes from its logits (`forward`, `predict`)",
         f"the reference's probabilities or classes, no nan; {LOOSE_ENOUGH}; clipping logits "
         "before exp is not acceptable (it changes the result)", _classifies_logits),
    Edge("p-0", "p = 0, clipped to 1e-7", "takes `y_pred` and clips it: a cross-entropy or its "
         "backward pass (categorical ones with labels as indices and one-hot)",
         "the reference's value, finite (a backward pass: the reference's, as the spec's "
         f"'clipped as in the forward' gives); {LOOSE_ENOUGH}", _cross_entropy),
    Edge("p-1", "p = 1, clipped to 1 - 1e-7", "as p = 0",
         "the reference's value, finite; log(p + 1e-7) differs from clipping by 2e-7 there and "
         f"passes (a backward pass: the reference's, 'clipped as in the forward'); {LOOSE_ENOUGH}",
         _cross_entropy),
    Edge("relu-0", "z = 0 in ReLU's derivative", "an activation's backward pass "
         "`(dvalues, z)` that compares z with `> 0`: ReLU's",
         "exactly 0 where z == 0 (lecture 000's 1(z > 0))",
         lambda p: p.params[:2] == ("dvalues", "z") and p.tests_positive),
    Edge("softmax-1d", "a 1-D input to softmax", "softmax itself",
         f"one row of probabilities, shape (k,); {LOOSE_ENOUGH}", lambda p: p.name == "softmax"),
    Edge("momentum-0", "`momentum=0` (04 section 9's experiment)",
         "trains for `epochs` with a `momentum` argument",
         "a run that returns finite losses, one per epoch, that fall",
         lambda p: {"epochs", "momentum"} <= set(p.params)),
    Edge("decay-0", "`decay=0` (04 section 9's experiment)",
         "trains for `epochs` with a `decay` argument",
         "a run that returns finite losses, one per epoch, that fall",
         lambda p: {"epochs", "decay"} <= set(p.params)),
]
BY_KEY = {edge.key: edge for edge in EDGES}


def profile(function: Callable) -> Profile:
    code = function.__code__
    uses: set[str] = set()
    codes = [code]
    while codes:
        one = codes.pop()
        uses.update(one.co_names)
        codes.extend(c for c in one.co_consts if isinstance(c, types.CodeType))
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    positive = any(isinstance(node, ast.Compare) and any(isinstance(op, ast.Gt)
                                                         for op in node.ops)
                   and any(isinstance(c, ast.Constant) and c.value == 0
                           for c in node.comparators)
                   for node in ast.walk(tree))
    params = tuple(inspect.signature(function).parameters)
    return Profile(function.__name__, params, frozenset(uses), positive)


def edges_of(function: Callable) -> list[Edge]:
    """The spec's edges that apply to what `function` computes (none by default)."""
    found = profile(function)
    return [edge for edge in EDGES if edge.applies(found)]


def cells(assignment) -> list[tuple[str, Edge]]:
    """(function, edge) for every graded function of `assignment`, in the notebook's order."""
    module = importlib.import_module(assignment.module)
    return [(name, edge) for name in assignment.functions
            for edge in edges_of(getattr(module, name))]


def markdown() -> str:
    """The table as docs/edges.md shows it."""
    from autograder.config import assignments

    lines = [
        "# Edge cases the graders check",
        "",
        "Generated by `python -m autograder.graders.edges` from `autograder/graders/edges.py`;",
        "a test fails when this page and the table differ. The edges are COURSE_SPEC.md's",
        "(\"Grading policy\", \"Edges\") and the argument values 04's experiments use; a graded",
        "function gets the edges that apply to what its reference computes, and none otherwise.",
        "Every cell is a hidden check (`@grader(..., edge=key)`) and a mutant (`edge=key`) that",
        "goes wrong there: it loses points on the cell's check and on no check away from the",
        "edges. `nnfs-course validate` fails when a cell lacks either, or the check misses it.",
        "",
        "## The edges",
        "",
        "| edge | the spec says | applies to a function that | the check expects |",
        "| --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(text.replace("|", "\\|") for text in
                                (f"`{e.key}`", e.spec, e.applies_to, e.expected)) + " |"
              for e in EDGES]
    lines += ["", "## The cells", "", "| assignment | function | edges |", "| --- | --- | --- |"]
    for assignment in assignments():
        by_function: dict[str, list[str]] = {}
        for function, edge in cells(assignment):
            by_function.setdefault(function, []).append(f"`{edge.key}`")
        for function in assignment.functions:
            lines.append(f"| {assignment.id} | `{function}` | "
                         f"{', '.join(by_function.get(function, [])) or 'none'} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
