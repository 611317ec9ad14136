"""Where an assignment's hidden graders live, and how pytest, the validator and the tools see them.

An assignment's graders are a folder, `autograder/graders/<topic>/` (named like its reference
module, `reference/<topic>.py`), with one module per group of the lesson's functions; each
module holds `Exercise`s (autograder/exercises.py). The one file pytest collects,
`autograder/graders/test_<id>.py`, only assembles them:

    from autograder.grader_layout import assemble

    globals().update(assemble(__file__))

`assemble` loads the folder (as a package of its own, so a copy of the course never mixes with
this one), checks that its exercises are the lesson's graded functions, and lays the checks out
in the folder's order, every function's "leaves its inputs unchanged" row last. The folder's
`__init__.py` names its modules in `SECTIONS`: their exercises, each in the order written, are
the order of the results (and of `Assignment.points`). It may set `UNCHANGED_SEED`, the seed of
the generator those rows draw their arguments from. The lesson orders the notebook; its graded
functions (`<!-- solution: NAME -->`) must be the folder's, whatever their order.

Which functions the folder grades, and how it is loaded, is autograder/grader_index.py's: the
config reads it from there, below everything that grades.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from autograder.config import Assignment, ConfigError, get_assignment
from autograder.exercises import Exercise, leaves_inputs_unchanged, unchanged_arguments
from autograder.grader_index import (
    exercises,
    graded_functions,
    graders_folder,
    has_folder,
    load_package,
    sections,
    topic,
)
from autograder.harness import Mistake
from autograder.mutants import Mutant

__all__ = ["topic", "graders_folder", "has_folder", "graded_functions", "grader_files",
           "load_exercises", "assemble", "unchanged_calls", "folder_mutants", "folder_mistakes",
           "mutants_for"]


def grader_files(assignment: Assignment, root: Path | None = None) -> list[Path]:
    """Every file of `assignment`'s hidden graders that exists: the file pytest collects, then
    the folder's modules."""
    files = [assignment.grader_file(root)]
    if has_folder(assignment, root):
        files += sorted(graders_folder(assignment, root).glob("*.py"))
    return [path for path in files if path.is_file()]


def load_exercises(assignment: Assignment, root: Path | None = None) -> list[Exercise]:
    """The exercises of `assignment`'s graders folder at `root`, in the order of the results;
    ConfigError when they, the lesson and the reference disagree (see graded_functions)."""
    if root is not None and Path(root) != assignment.root:
        assignment = replace(assignment, root=Path(root))
    found = exercises(assignment)
    return [found[f] for f in graded_functions(assignment)]


def assemble(entry_file: str) -> dict:
    """The namespace of autograder/graders/test_<id>.py: every check of every exercise in the
    folder's order, then the parametrized "leaves its inputs unchanged" (when a row has one)."""
    entry = Path(entry_file).resolve()
    assignment_id = entry.stem.removeprefix("test_")
    root = entry.parents[2]
    assignment = get_assignment(assignment_id, root)
    found = load_exercises(assignment, root)
    namespace: dict = {"ASSIGNMENT": assignment_id}
    for exercise in found:
        for test in exercise.tests:
            if test.__name__ in namespace:
                raise ConfigError(f"{exercise.file}: a second check named {test.__name__}")
            namespace[test.__name__] = test
    if any(exercise.unchanged_row is not None for exercise in found):
        namespace["test_leaves_inputs_unchanged"] = leaves_inputs_unchanged(
            found, _unchanged_seed(assignment, root))
    return namespace


def unchanged_calls(assignment: Assignment, root: Path | None = None) -> dict[str, tuple]:
    """function -> the arguments its "leaves its inputs unchanged" check calls it with."""
    rows = unchanged_arguments(load_exercises(assignment, root), _unchanged_seed(assignment, root))
    return {function: args for function, (_, args) in rows.items()}


def _unchanged_seed(assignment: Assignment, root: Path | None) -> int | None:
    return getattr(load_package(graders_folder(assignment, root)), "UNCHANGED_SEED", None)


def folder_mutants(assignment: Assignment, root: Path | None = None) -> list[Mutant]:
    """Every mutant of the exercises in `assignment`'s graders folder, in lesson order."""
    out: list[Mutant] = []
    for exercise in load_exercises(assignment, root):
        out += exercise.made_mutants(start=len(out))
    return out


def folder_mistakes(assignment: Assignment, root: Path | None = None) -> list[Mistake]:
    """Every Mistake defined or imported in the modules of `assignment`'s graders folder."""
    folder = graders_folder(assignment, root)
    found = {id(value): value for module in sections(load_package(folder), folder)
             for value in vars(module).values() if isinstance(value, Mistake)}
    return list(found.values())


def mutants_for(reference_module: str, root: Path | None = None) -> list[Mutant]:
    """Every mutant of the assignment whose reference module is `reference_module`, in the
    course at `root` (the checkout's by default)."""
    from autograder.config import COURSE_ROOT, assignments

    for assignment in assignments(COURSE_ROOT if root is None else root):
        if assignment.module == reference_module:
            return folder_mutants(assignment)
    raise ConfigError(f"no assignment's reference module is {reference_module}")
