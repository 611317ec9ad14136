"""What an exercise's hidden graders are written with: one `Exercise` per graded function.

An exercise lives in three places: its reference function (`reference/<topic>.py`), its lesson
text (`reference/lessons/<id>.md`, `<!-- solution: NAME -->`), and its entry in the assignment's
graders folder, `autograder/graders/<topic>/` (one module per group of the lesson's functions;
autograder/grader_layout.py assembles them for pytest). The entry says:

    dense_forward = Exercise("dense_forward", ref)

    @dense_forward.check(points=1.5)
    def test_dense_forward_lecture_example(student):
        '''lecture example (lecture 001): 3 samples, 4 inputs, 3 neurons'''
        ...

    dense_forward.agrees(1, "random batches match X @ W.T + b", seed=11,
                         inputs=lambda rng: [(rng.normal(size=(n, 3)), ...) for n in (1, 5)],
                         mistakes=lambda expected, X, W, b: [NO_BIAS.with_value(X @ W.T)])
    dense_forward.unchanged(1, lambda rng: (rng.normal(size=(4, 3)), ...), IN_PLACE)
    dense_forward.mutants(edit(NO_TRANSPOSE, "return X @ W.T + b", "return X @ W + b"))

Its checks run in the order they are written; the "leaves its inputs unchanged" rows of every
function run after all of them. A mutant is an edit of the reference's own source: it cannot
drift from the reference, and it names the Mistake object its checks must report.
"""

from __future__ import annotations

import copy
import functools
import inspect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from autograder.checks.fixed import Fixed
from autograder.grader_index import GradedFunction
from autograder.harness import GraderFailure, Mistake, check_close, check_unchanged, grader
from autograder.mutants import Mutant, apply_edits

__all__ = ["Exercise", "edit", "whole", "call_naming", "leaves_inputs_unchanged"]


@dataclass(frozen=True)
class Edit:
    """A mutant to be: the reference function with (old, new) text replacements applied."""

    mistake: Mistake
    replacements: tuple[str, ...]
    edges: tuple[str, ...] = ()


@dataclass(frozen=True)
class Whole:
    """A mutant written out whole, for a mistake that is no edit of the reference's text."""

    mistake: Mistake
    implementation: Callable
    edges: tuple[str, ...] = ()


def edit(mistake: Mistake, *replacements: str, edge: str | tuple[str, ...] = ()) -> Edit:
    """A mutant that makes `mistake`: the reference with each (old, new) pair applied; each old
    text must occur exactly once in the reference function."""
    if len(replacements) % 2:
        raise TypeError(f"edit({mistake.title!r}, ...): give (old, new) pairs of text")
    return Edit(mistake, replacements, _edges(edge))


def whole(mistake: Mistake, implementation: Callable, edge: str | tuple[str, ...] = ()) -> Whole:
    """A mutant written as a whole function (under any name: it takes the graded function's).
    Use it only where the mistake is no edit of the reference, and say why beside it."""
    return Whole(mistake, implementation, _edges(edge))


def _edges(edge: str | tuple[str, ...]) -> tuple[str, ...]:
    return (edge,) if isinstance(edge, str) else tuple(edge)


@dataclass(frozen=True)
class Unchanged:
    points: float
    args: tuple | Callable[[np.random.Generator], tuple]
    mistake: Mistake | None
    mistakes: Callable[..., Sequence] | None


class Exercise(GradedFunction):
    """One graded function's hidden checks, shared-check rows and mutants."""

    def __init__(self, function: str, reference):
        self.function = function
        self.reference = reference
        self.tests: list[Callable] = []  # in the order written
        self.unchanged_row: Unchanged | None = None
        self._mutants: list[Edit | Whole] = []
        self.file = Path(inspect.currentframe().f_back.f_code.co_filename)  # where it is written

    def __repr__(self) -> str:
        return f"Exercise({self.function!r})"

    def check(self, points: float, edge: str | tuple[str, ...] = ()):
        """Decorate a special check: `def test_<function>_<behaviour>(student)`."""
        def register(test: Callable) -> Callable:
            if not test.__name__.startswith(f"test_{self.function}_"):
                raise ValueError(f"{self.file}: {test.__name__} checks {self.function}; name it "
                                 f"test_{self.function}_<behaviour>")
            marked = grader(self.function, points, edge)(test)
            self.tests.append(marked)
            return marked

        return register

    def agrees(self, points: float, doc: str, inputs, *, seed: int | None = None,
               mistakes: Callable[..., Sequence] | None = None,
               raising: tuple[Mistake, Sequence[str]] | None = None,
               name: str = "matches_reference", edge: str | tuple[str, ...] = ()) -> None:
        """A row of the shared check "agrees with the reference": for each argument tuple of
        `inputs` (a list, or a function of `np.random.default_rng(seed)` giving one), the student's
        value matches the reference's. `mistakes(expected, *args)` gives the known mistakes that
        may explain a wrong value; `raising` = (mistake, message parts) names a mistake when the
        call raises an error whose message holds one of the parts."""
        function, reference = self.function, self.reference
        # The inputs are fixed, so the arguments, the reference's value and the mistakes' values
        # are the same for every student: computed for the first one (fixed.py).
        fixed = Fixed()

        def cases():
            return inputs(np.random.default_rng(seed)) if callable(inputs) else inputs

        def values(args):
            expected = getattr(reference, function)(*args)
            return expected, (mistakes(expected, *args) if mistakes else ())

        def test(student):
            for index, args in enumerate(fixed.get("cases", cases)):
                if raising is not None:
                    call = call_naming(student, raising[0], raising[1], function, *args)
                else:
                    call = student.call(function, *args)
                expected, found = fixed.get(index, functools.partial(values, args))
                check_close(call, expected, mistakes=found)

        test.__name__ = test.__qualname__ = f"test_{function}_{name}"
        test.__doc__ = doc
        self.tests.append(grader(function, points, edge)(test))

    def unchanged(self, points: float, args, mistake: Mistake | None = None,
                  mistakes: Callable[..., Sequence] | None = None) -> None:
        """The function's row of "leaves its inputs unchanged": `args` (or a function of the
        assignment's shared generator giving them, drawn in lesson order), the mistake a changed
        input names, and `mistakes(*args)` that may explain wrong values."""
        if self.unchanged_row is not None:
            raise ValueError(f"{self.file}: {self.function} has two rows of inputs unchanged")
        self.unchanged_row = Unchanged(points, args, mistake, mistakes)

    def mutants(self, *found: Edit | Whole) -> None:
        """The known-wrong versions of the function that its checks must catch and name."""
        for one in found:
            if not isinstance(one, (Edit, Whole)):
                raise TypeError(f"{self.file}: {self.function}.mutants takes edit(...) and "
                                f"whole(...), not {one!r}")
        self._mutants += found

    def made_mutants(self, start: int = 0) -> list[Mutant]:
        """Every mutant as the validator uses it; an edit whose text is missing fails here,
        naming the grader file, the reference file and the text."""
        out = []
        for index, one in enumerate(self._mutants, start=start):
            if isinstance(one, Edit):
                text = self._edited(one)
            else:
                text = _renamed(one.implementation, self.function)
            namespace = dict(vars(self.reference))
            exec(compile(text, f"<mutant {self.function}: {one.mistake.title}>", "exec"),
                 namespace)
            out.append(Mutant(self.function, one.mistake.title, namespace[self.function], index,
                              one.edges, text))
        return out

    def _edited(self, one: Edit) -> str:
        try:
            return apply_edits(self.reference, self.function, one.replacements)
        except ValueError as error:
            raise ValueError(f"{self.file}: the mutant {one.mistake.title!r} of "
                             f"{self.function}: {error}") from None


def _renamed(implementation: Callable, function: str) -> str:
    """The source of a whole mutant as an answer cell holds it: no decorator, the graded name."""
    lines = inspect.getsource(implementation).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("def "))
    head = re.sub(r"^def \w+", f"def {function}", lines[start])
    return "\n".join([head, *lines[start + 1:]]) + "\n"


def call_naming(student, mistake: Mistake, errors: Sequence[str], function: str, *args):
    """student.call; when the function raised one of `errors` (message parts), name `mistake`,
    unless a probe of the call proved a layout of the samples (autograder/diagnosis/probes.py)."""
    from autograder.diagnosis.probes import proves_layout

    try:
        return student.call(function, *args)
    except GraderFailure as failure:
        text = str(failure)
        raised = text.partition("It raised ")[2]
        if not any(error in raised for error in errors) or proves_layout(failure.mistake):
            raise  # a probe proved where the batch is: a name read off the error claims less
        raise GraderFailure(f"{text}\n{mistake.describe()}", mistake) from None


def unchanged_arguments(exercises: Sequence[Exercise], seed: int | None
                        ) -> dict[str, tuple[Exercise, tuple]]:
    """function -> (its exercise, the arguments of its unchanged row), for the exercises that
    have one, in the order given; generated arguments come from one generator seeded `seed`."""
    rng = np.random.default_rng(seed)
    rows: dict[str, tuple[Exercise, tuple]] = {}
    for exercise in exercises:
        row = exercise.unchanged_row
        if row is not None:
            rows[exercise.function] = (exercise, row.args(rng) if callable(row.args) else row.args)
    return rows


def leaves_inputs_unchanged(exercises: Sequence[Exercise], seed: int | None):
    """One grader per exercise with an unchanged row, "leaves its inputs unchanged", in the order
    given (see unchanged_arguments)."""
    rows = unchanged_arguments(exercises, seed)
    params = [pytest.param(function, marks=grader(function, exercise.unchanged_row.points),
                           id=function) for function, (exercise, _) in rows.items()]
    fixed = Fixed()  # the reference's and the mistakes' values: the same for every student

    def values(function):
        exercise, args = rows[function]
        row = exercise.unchanged_row
        expected = getattr(exercise.reference, function)(*copy.deepcopy(args))
        return expected, (row.mistakes(*args) if row.mistakes else ())

    @pytest.mark.parametrize("function", params)
    def test_leaves_inputs_unchanged(student, function):
        """leaves its inputs unchanged"""
        exercise, args = rows[function]
        call = student.call(function, *args)
        expected, found = fixed.get(function, functools.partial(values, function))
        check_unchanged(call, expected, exercise.unchanged_row.mistake, mistakes=found)

    return test_leaves_inputs_unchanged
