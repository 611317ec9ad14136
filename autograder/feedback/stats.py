"""Class statistics of one assignment, from every student's results: what the report shows.

Rates count every student: a check a student's results do not contain (their notebook failed to
run, or a function was missing) counts as not passed.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from autograder.feedback.results import StudentResult


@dataclass
class TestStat:
    name: str
    function: str
    max_score: float
    students: int
    passed: int = 0
    errors: int = 0  # the grader itself broke
    error_outputs: list[tuple[str, str]] = field(default_factory=list)  # (student, output)

    @property
    def rate(self) -> float:
        return self.passed / self.students if self.students else 0.0


@dataclass
class FunctionStat:
    name: str
    max_score: float
    students: int
    full: int = 0  # students with full marks
    total: float = 0.0  # points scored, summed over students

    @property
    def rate(self) -> float:
        return self.full / self.students if self.students else 0.0

    @property
    def mean(self) -> float:
        return self.total / self.students if self.students else 0.0


@dataclass
class MistakeStat:
    title: str
    lecture: str | None
    functions: set[str] = field(default_factory=set)
    students: set[str] = field(default_factory=set)
    occurrences: int = 0

    @property
    def count(self) -> int:
        return len(self.students)


@dataclass
class Broken:
    student: str
    status: str
    problem: str
    cells: list[tuple[str, str]]  # (where, error)


@dataclass
class ClassStats:
    results: list[StudentResult]
    functions: list[FunctionStat]
    tests: list[TestStat]
    mistakes: list[MistakeStat]  # most common first
    broken: list[Broken]

    @property
    def scores(self) -> list[float]:
        return [r.score for r in self.results]

    @property
    def max_score(self) -> float:
        return max((r.max_score for r in self.results), default=0.0)

    def summary(self) -> dict[str, float]:
        scores = self.scores or [0.0]
        return {
            "students": len(self.results),
            "mean": statistics.fmean(scores),
            "median": statistics.median(scores),
            "min": min(scores),
            "max": max(scores),
            "full_marks": sum(r.max_score > 0 and r.score >= r.max_score for r in self.results),
            "broken": len(self.broken),
        }

    @property
    def grader_errors(self) -> list[TestStat]:
        return [t for t in self.tests if t.errors]


def class_stats(results: list[StudentResult], configured: list[str] = ()) -> ClassStats:
    """Statistics of `results`; functions in `configured` order first."""
    n = len(results)
    functions: dict[str, FunctionStat] = {}
    tests: dict[tuple[str, str], TestStat] = {}
    mistakes: dict[str, MistakeStat] = {}
    names = list(configured)
    for r in results:
        names += list(r.functions) + [t.function for t in r.tests]
    for name in dict.fromkeys(names):
        best = max((r.functions.get(name, (0.0, 0.0))[1] for r in results), default=0.0)
        functions[name] = FunctionStat(name, best, n)
    for r in results:
        for name, (score, best) in r.functions.items():
            stat = functions[name]
            stat.total += score
            stat.full += bool(best) and score >= best
        for t in r.tests:
            key = (t.function, t.name)
            stat = tests.setdefault(key, TestStat(t.name, t.function, t.max_score, n))
            stat.passed += t.passed
            if t.outcome == "error":
                stat.errors += 1
                stat.error_outputs.append((r.student, t.output))
            if t.mistake and not t.passed:
                key = t.mistake_id or t.mistake  # the id: the same mistake under one name
                m = mistakes.setdefault(key, MistakeStat(t.mistake, t.lecture))
                m.lecture = m.lecture or t.lecture
                m.functions.add(t.function)
                m.students.add(r.student)
                m.occurrences += 1
    order = {name: i for i, name in enumerate(functions)}
    return ClassStats(
        results=results,
        functions=[f for f in functions.values() if f.max_score or f.total],
        tests=sorted(tests.values(), key=lambda t: order.get(t.function, len(order))),
        mistakes=sorted(mistakes.values(), key=lambda m: (-m.count, -m.occurrences, m.title)),
        broken=[
            Broken(r.student, r.status, r.problem,
                   [(c.place, c.error or c.status) for c in r.cell_errors])
            for r in results if not r.ran_cleanly
        ],
    )
