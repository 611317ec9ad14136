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

An assignment not yet moved keeps the older layout: every check in test_<id>.py, its mistakes in
mistakes_<topic>.py beside it and its mutants in autograder/mutants/<topic>.py.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

from autograder.config import Assignment, ConfigError, get_assignment
from autograder.exercises import Exercise, leaves_inputs_unchanged, unchanged_arguments
from autograder.harness import Mistake
from autograder.mutants import Mutant

GRADERS = Path("autograder") / "graders"


def topic(assignment: Assignment) -> str:
    return assignment.module.rsplit(".", 1)[-1]


def graders_folder(assignment: Assignment, root: Path | None = None) -> Path:
    """The folder of `assignment`'s exercises (it exists once the assignment has moved)."""
    return (root or assignment.root) / GRADERS / topic(assignment)


def has_folder(assignment: Assignment, root: Path | None = None) -> bool:
    return (graders_folder(assignment, root) / "__init__.py").is_file()


def grader_files(assignment: Assignment, root: Path | None = None) -> list[Path]:
    """Every file of `assignment`'s hidden graders that exists: the file pytest collects, then
    the folder's modules."""
    files = [assignment.grader_file(root)]
    if has_folder(assignment, root):
        files += sorted(graders_folder(assignment, root).glob("*.py"))
    return [path for path in files if path.is_file()]


@cache
def graded_functions(assignment: Assignment) -> tuple[str, ...]:
    """The graded functions of `assignment`, in the order of the results.

    With a graders folder: its exercises, in SECTIONS order and then as written; they must be
    the functions of the lesson's `<!-- solution: NAME -->` directives, each defined in the
    reference module, or this raises ConfigError naming the file at fault. In the older layout:
    course_config.py's "functions" list.
    """
    if not has_folder(assignment):
        if assignment.listed is None:
            raise ConfigError(f"course_config.py: {assignment.id} lists no \"functions\" and "
                              f"{graders_folder(assignment)} holds no exercises")
        return assignment.listed
    if assignment.listed is not None:
        raise ConfigError(f"course_config.py: the \"functions\" of {assignment.id} are its "
                          f"exercises' now ({graders_folder(assignment)}): "
                          "remove the list")
    found = _exercises(assignment)
    lesson = assignment.lesson()
    taught = _lesson_functions(lesson)
    extra = [f for f in found if f not in taught]
    if extra:
        raise ConfigError(f"{found[extra[0]].file}: an exercise of {extra[0]}, which "
                          f"{lesson} does not grade (no <!-- solution: {extra[0]} -->)")
    missing = [f for f in taught if f not in found]
    if missing:
        raise ConfigError(f"{graders_folder(assignment)}: no exercise of "
                          f"{', '.join(missing)}, which {lesson} grades (add `{missing[0]} = "
                          f"Exercise({missing[0]!r}, ref)` and its checks)")
    reference = assignment.reference_module()
    absent = [f for f in found if not callable(getattr(reference, f, None))]
    if absent:
        raise ConfigError(f"{reference.__file__}: no function {absent[0]}, which {lesson} and "
                          f"{found[absent[0]].file.name} grade")
    return tuple(found)


def load_exercises(assignment: Assignment, root: Path | None = None) -> list[Exercise]:
    """The exercises of `assignment`'s graders folder at `root`, in the order of the results;
    ConfigError when they, the lesson and the reference disagree (see graded_functions)."""
    if root is not None and Path(root) != assignment.root:
        assignment = replace(assignment, root=Path(root))
    found = _exercises(assignment)
    return [found[f] for f in graded_functions(assignment)]


def _exercises(assignment: Assignment) -> dict[str, Exercise]:
    """function -> its exercise, in SECTIONS order and then as written."""
    folder = graders_folder(assignment)
    found: dict[str, Exercise] = {}
    for module in _sections(_load_package(folder), folder):
        for value in vars(module).values():
            if not isinstance(value, Exercise):
                continue
            first = found.setdefault(value.function, value)
            if first is not value:
                raise ConfigError(f"{value.file}: a second exercise of {value.function} (the "
                                  f"first is in {first.file})")
    return found


def _lesson_functions(lesson: Path) -> list[str]:
    from autograder.pipeline.lesson import parse_lesson

    try:
        blocks = parse_lesson(lesson)
    except Exception as error:  # PipelineError: the lesson names its own problem
        raise ConfigError(str(error)) from None
    return [block.arg for block in blocks if block.kind == "solution"]


def assemble(entry_file: str) -> dict:
    """The namespace of autograder/graders/test_<id>.py: every check of every exercise in lesson
    order, then the parametrized "leaves its inputs unchanged"."""
    entry = Path(entry_file).resolve()
    assignment_id = entry.stem.removeprefix("test_")
    root = entry.parents[2]
    assignment = get_assignment(assignment_id, root)
    exercises = load_exercises(assignment, root)
    namespace: dict = {"ASSIGNMENT": assignment_id}
    for exercise in exercises:
        for test in exercise.tests:
            if test.__name__ in namespace:
                raise ConfigError(f"{exercise.file}: a second check named {test.__name__}")
            namespace[test.__name__] = test
    namespace["test_leaves_inputs_unchanged"] = leaves_inputs_unchanged(
        exercises, _unchanged_seed(assignment, root))
    return namespace


def unchanged_calls(assignment: Assignment, root: Path | None = None) -> dict[str, tuple]:
    """function -> the arguments its "leaves its inputs unchanged" check calls it with."""
    rows = unchanged_arguments(load_exercises(assignment, root), _unchanged_seed(assignment, root))
    return {function: args for function, (_, args) in rows.items()}


def _unchanged_seed(assignment: Assignment, root: Path | None) -> int | None:
    return getattr(_load_package(graders_folder(assignment, root)), "UNCHANGED_SEED", None)


def folder_mutants(assignment: Assignment, root: Path | None = None) -> list[Mutant]:
    """Every mutant of the exercises in `assignment`'s graders folder, in lesson order."""
    out: list[Mutant] = []
    for exercise in load_exercises(assignment, root):
        out += exercise.made_mutants(start=len(out))
    return out


def folder_mistakes(assignment: Assignment, root: Path | None = None) -> list[Mistake]:
    """Every Mistake defined or imported in the modules of `assignment`'s graders folder."""
    folder = graders_folder(assignment, root)
    found = {id(value): value for module in _sections(_load_package(folder), folder)
             for value in vars(module).values() if isinstance(value, Mistake)}
    return list(found.values())


def _load_package(folder: Path):
    """The graders folder as a package named after its path: two copies of the course (a
    scratch copy in the tests) never share modules."""
    digest = hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:12]
    name = f"_nnfs_graders_{folder.name}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)])
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    try:
        spec.loader.exec_module(package)
    except BaseException:
        del sys.modules[name]
        raise
    return package


def _sections(package, folder: Path) -> list:
    """The folder's modules named by its `SECTIONS`, in that order (the order of the results);
    a module left out of SECTIONS would be graded never, so it is an error."""
    init = folder / "__init__.py"
    sections = getattr(package, "SECTIONS", None)
    if sections is None:
        raise ConfigError(f"{init}: no SECTIONS, the tuple of the folder's modules in order")
    listed = set(sections)
    modules = {path.stem for path in folder.glob("*.py")} - {"__init__"}
    unknown = sorted(listed - modules)
    if unknown:
        raise ConfigError(f"{init}: SECTIONS names {', '.join(unknown)}, which {folder} does not "
                          "hold")
    return [importlib.import_module(f"{package.__name__}.{name}") for name in sections]
