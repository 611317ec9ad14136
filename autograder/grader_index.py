"""Which functions an assignment grades, read from its graders folder without importing the
graders' own machinery: the bottom layer's view of `autograder/graders/<topic>/`.

`autograder/config.py` asks this module for an assignment's graded functions (and through them
its points), so it sits beside config at the bottom of the package's map. It loads the folder as
a package of its own (dynamically: the graders' imports are theirs, not this module's), finds
the objects that are a `GradedFunction` (every `Exercise` of autograder/exercises.py is one), and
checks them against the lesson's `<!-- solution: NAME -->` directives and the reference module.
The rest of the layout (assembling the checks, mutants, mistakes) is autograder/grader_layout.py.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
import sys
from functools import cache
from pathlib import Path

from autograder.config import Assignment, ConfigError

GRADERS = Path("autograder") / "graders"
# A lesson's cell directive, `<!-- kind: argument -->` (reference/lessons/README.md).
DIRECTIVE = re.compile(r"^<!--\s*(?P<kind>[a-z]+)\s*(?::\s*(?P<arg>[^>]*?))?\s*-->\s*$")


class GradedFunction:
    """What the index knows of an exercise: the function it grades and the file it is in."""

    function: str
    file: Path


def topic(assignment: Assignment) -> str:
    return assignment.module.rsplit(".", 1)[-1]


def graders_folder(assignment: Assignment, root: Path | None = None) -> Path:
    """The folder of `assignment`'s exercises."""
    return (root or assignment.root) / GRADERS / topic(assignment)


def has_folder(assignment: Assignment, root: Path | None = None) -> bool:
    return (graders_folder(assignment, root) / "__init__.py").is_file()


@cache
def graded_functions(assignment: Assignment) -> tuple[str, ...]:
    """The graded functions of `assignment`, in the order of the results.

    They are its graders folder's exercises, in SECTIONS order and then as written. They must be
    the functions of the lesson's `<!-- solution: NAME -->` directives, each defined in the
    reference module, or this raises ConfigError naming the file at fault.
    """
    folder = graders_folder(assignment)
    if not has_folder(assignment):
        raise ConfigError(f"{folder}: no graders folder for {assignment.id} (an __init__.py "
                          "naming its modules in SECTIONS, and one Exercise per graded function)")
    found = exercises(assignment)
    lesson = assignment.lesson()
    taught = lesson_functions(lesson)
    extra = [f for f in found if f not in taught]
    if extra:
        raise ConfigError(f"{found[extra[0]].file}: an exercise of {extra[0]}, which "
                          f"{lesson} does not grade (no <!-- solution: {extra[0]} -->)")
    missing = [f for f in taught if f not in found]
    if missing:
        raise ConfigError(f"{folder}: no exercise of {', '.join(missing)}, which {lesson} "
                          f"grades (add `{missing[0]} = Exercise({missing[0]!r}, ref)` and its "
                          "checks)")
    reference = assignment.reference_module()
    absent = [f for f in found if not callable(getattr(reference, f, None))]
    if absent:
        raise ConfigError(f"{reference.__file__}: no function {absent[0]}, which {lesson} and "
                          f"{found[absent[0]].file.name} grade")
    return tuple(found)


def exercises(assignment: Assignment) -> dict[str, GradedFunction]:
    """function -> its exercise, in SECTIONS order and then as written."""
    folder = graders_folder(assignment)
    found: dict[str, GradedFunction] = {}
    for module in sections(load_package(folder), folder):
        for value in vars(module).values():
            if not isinstance(value, GradedFunction):
                continue
            first = found.setdefault(value.function, value)
            if first is not value:
                raise ConfigError(f"{value.file}: a second exercise of {value.function} (the "
                                  f"first is in {first.file})")
    return found


def lesson_functions(lesson: Path) -> list[str]:
    """The functions a lesson grades: its `<!-- solution: NAME -->` directives, in order."""
    try:
        lines = lesson.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ConfigError(f"{lesson}: no such lesson file") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{lesson}: not UTF-8 text ({error.reason})") from None
    matches = (DIRECTIVE.match(line.strip()) for line in lines)
    return [(m["arg"] or "").strip() for m in matches if m and m["kind"] == "solution"]


def load_package(folder: Path):
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


def sections(package, folder: Path) -> list:
    """The folder's modules named by its `SECTIONS`, in that order (the order of the results);
    a module left out of SECTIONS would be graded never, so it is an error."""
    init = folder / "__init__.py"
    names = getattr(package, "SECTIONS", None)
    if names is None:
        raise ConfigError(f"{init}: no SECTIONS, the tuple of the folder's modules in order")
    unknown = sorted(set(names) - ({path.stem for path in folder.glob("*.py")} - {"__init__"}))
    if unknown:
        raise ConfigError(f"{init}: SECTIONS names {', '.join(unknown)}, which {folder} does not "
                          "hold")
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]
