"""The edge table (autograder/graders/edges.py) enforced: every cell a check and a caught mutant.

For every cell (function, edge) of an assignment, validation needs
- a hidden check marked `@exercise.check(points=..., edge=key)`;
- a mutant marked `edit(MISTAKE, old, new, edge=key)` that loses points on that check and on no
  check of its function away from the edges (it goes wrong at the edge, and only there).
A check or mutant marked with an edge that is not a cell of its function is a problem too: it
would hold a student to an edge the spec does not name for that function.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from autograder.config import Assignment
from autograder.graders.edges import BY_KEY, cells
from autograder.mutants import Mutant


def edge_checks(assignment: Assignment, root: Path) -> dict[tuple[str, str], list[str]]:
    """(function, edge key) -> the names (as results.json gives them) of the checks marked so."""
    path = assignment.grader_file(root)
    if str(path.parent) not in sys.path:
        sys.path.append(str(path.parent))
    spec = importlib.util.spec_from_file_location(f"_nnfs_edges_{assignment.id}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: dict[tuple[str, str], list[str]] = {}
    for name, test in vars(module).items():
        if not (name.startswith("test_") and callable(test)):
            continue
        for mark in getattr(test, "pytestmark", []):
            if mark.name == "grader" and mark.kwargs.get("edge"):
                doc = (test.__doc__ or name).strip().splitlines()[0].strip().rstrip(".")
                for key in mark.kwargs["edge"]:
                    found.setdefault((mark.kwargs["function"], key), []).append(
                        f"{mark.kwargs['function']}: {doc}")
    return found


def judge_edges(assignment: Assignment, root: Path, cases: dict, documents: dict[str, dict]
                ) -> tuple[list[str], list[str]]:
    """(problems, one line per cell saying how it is covered)."""
    problems, lines = [], []
    wanted = {(function, edge.key) for function, edge in cells(assignment)}
    checks = edge_checks(assignment, root)
    mutants = {student: m for student, m in cases.items() if isinstance(m, Mutant) and m.edges}
    for function, key in sorted(set(checks) - wanted):
        problems.append(f"{checks[(function, key)][0]} is marked edge {key!r}, which the edge "
                        f"table does not give {function}")
    for m in mutants.values():
        for key in m.edges:
            if key not in BY_KEY or (m.function, key) not in wanted:
                problems.append(f"mutant {m.id} is marked edge {key!r}, which the edge table "
                                f"does not give {m.function}")
    for function, edge in cells(assignment):
        names = checks.get((function, edge.key), [])
        if not names:
            problems.append(f"edge cell {function} x {edge.key} ({edge.spec}) has no check: "
                            f"mark one `@grader({function!r}, ..., edge={edge.key!r})`")
            continue
        at_edges = {n for (f, _), found in checks.items() if f == function for n in found}
        caught = []
        for student, m in mutants.items():
            if m.function != function or edge.key not in m.edges:
                continue
            lost = [t["name"] for t in documents.get(student, {}).get("tests", [])
                    if t["extra_data"]["function"] == function and t["score"] < t["max_score"]]
            away = [n for n in lost if n not in at_edges]
            if away:
                problems.append(f"mutant {m.id} (edge {edge.key}) also fails away from the "
                                f"edges: {', '.join(away[:2])}")
            if any(n in names for n in lost):
                caught.append(m.id)
        if not caught:
            problems.append(f"edge cell {function} x {edge.key} ({edge.spec}) has no mutant "
                            f"that its check ({names[0]}) catches: add "
                            f"`edit(MISTAKE, old, new, edge={edge.key!r})` to {function}'s mutants")
        lines.append(f"{assignment.id}  {function} x {edge.key}: {len(names)} check(s), "
                     f"caught {', '.join(caught) or 'nothing'}")
    return problems, lines
