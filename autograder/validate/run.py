"""Everything `nnfs-course validate` checks, for one assignment or all of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import COURSE_ROOT, Limits, select
from autograder.pipeline.build import build
from autograder.pipeline.release import release
from autograder.validate.examples import Example, check_examples
from autograder.validate.mutation import MutationReport, run_mutation
from autograder.validate.variants import check_public


@dataclass
class Validation:
    mutation: list[MutationReport] = field(default_factory=list)
    examples: list[tuple[Example, bool, object]] = field(default_factory=list)
    oracle: list[tuple[str, bool, str]] = field(default_factory=list)  # (check, ok, detail)
    oracle_skipped: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(assignment_id: str | None = None, *, root: Path = COURSE_ROOT, workers: int = 2,
             worker_limits: Limits | None = None, isolation: str | None = None,
             with_oracle: bool = True, on_step=None) -> Validation:
    result = Validation()
    step = on_step or (lambda text: None)
    for assignment in select(assignment_id, root):
        step(f"{assignment.id}: notebooks in sync with reference/, release without leaks")
        if build(assignment, root, check=True).changed:
            result.problems.append(f"{assignment.id}: {assignment.source_notebook(root)} is out "
                                   "of date with reference/ (run `nnfs-course build`)")
        released = release(assignment, root, check=True)
        for leak in released.leaks:
            result.problems.append(f"{assignment.id}: release leak: {leak}")
        if released.changed and not released.leaks:
            result.problems.append(f"{assignment.id}: {released.path} differs from a fresh "
                                   "release (run `nnfs-course release`)")
        step(f"{assignment.id}: grading the reference, the stubs and every mutant")
        report = run_mutation(assignment, root=root, workers=workers, worker_limits=worker_limits,
                              isolation=isolation)
        result.mutation.append(report)
        result.problems += [f"{assignment.id}: {p}" for p in report.problems]
        step(f"{assignment.id}: the public checks against every acceptable variant")
        result.problems += [f"{assignment.id}: {p}" for p in check_public(assignment, root)]
        for example, ok, value in check_examples(assignment.id):
            result.examples.append((example, ok, value))
            if not ok:
                result.problems.append(f"lecture {example.lecture} example {example.example}: "
                                       f"reference gives {value}, expected {example.correct}")
    # --- diagnosis (autograder/validate/diagnosis.py): names proved on their own mutants
    from autograder.validate.diagnosis import check_diagnosis

    result.problems += [f"diagnosis: {p}" for p in check_diagnosis(assignment_id).problems]
    if with_oracle:
        from autograder.validate.oracle import autograd_checks

        step("reference backward passes against PyTorch autograd")
        result.oracle, result.oracle_skipped = autograd_checks(assignment_id)
        result.problems += [f"autograd oracle: {name}: {detail}"
                            for name, ok, detail in result.oracle if not ok]
    return result


def table(result: Validation) -> str:
    """The per-function table a course's CI log shows."""
    rows = [("assignment", "function", "graders", "silent", "mutants caught")]
    for report in result.mutation:
        for name, entry in report.functions.items():
            rows.append((report.assignment, name, str(len(entry.graders)),
                         str(len(entry.silent_graders)), f"{entry.caught}/{entry.mutants}"))
    return _columns(rows)


def summary(result: Validation) -> str:
    """Per assignment: the share of mutants told their own mistake, and the do-nothing answers."""
    lines = []
    for report in result.mutation:
        lines.append(f"{report.assignment}: {report.named}/{report.mutants} mutants "
                     f"({report.named_share:.0%}) are told their own mistake; "
                     f"{report.do_nothing} do-nothing answers graded; "
                     f"{report.variants} acceptable variants graded; "
                     f"{len(report.edge_cells)} edge cells checked")
    return "\n".join(lines)


def examples_table(result: Validation, errata_only: bool = False) -> str:
    if not result.examples:
        return "(no lecture worked examples in this assignment)"
    rows = [("lecture", "example", "correct", "reference", "transcript says")]
    for example, ok, value in result.examples:
        if errata_only and example.transcript in ("same",):
            continue
        rows.append((example.lecture, example.example, _short(example.correct),
                     "ok" if ok else f"WRONG: {_short(value)}", example.transcript))
    return _columns(rows)


def _columns(rows: list[tuple[str, ...]]) -> str:
    """Rows as aligned text columns, the first row a header underlined with dashes."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _short(value, limit: int = 48) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
