"""Grade the reference, the stubs and every mutant through the real engine, and judge the graders.

A synthetic class is written to a scratch folder: `reference.ipynb` (the source notebook, with the
reference solutions), `stub.ipynb` (the release notebook), one notebook per mutant and one per
acceptable variant (the source notebook with one answer cell replaced; see variants.py) and one per
kind of answer that computes nothing (every answer cell replaced; see do_nothing.py).
`nnfs-course grade`'s engine grades them in its sandboxes, exactly as it grades students; this
module then reads their results.json files.
"""

from __future__ import annotations

import copy
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.config import COURSE_ROOT, Assignment, Limits
from autograder.engine.grade import grade
from autograder.grader_layout import mutants_for
from autograder.mutants import Mutant
from autograder.pipeline import PipelineError
from autograder.sandbox import levels
from autograder.validate.do_nothing import KINDS, DoNothing, do_nothing_answers
from autograder.validate.edges import judge_edges
from autograder.validate.variants import judge_variant
from autograder.variants import Variant, variants_for


@dataclass
class FunctionReport:
    function: str
    graders: list[str] = field(default_factory=list)  # test names of this function
    failed_by_mutant: set[str] = field(default_factory=set)  # graders some mutant made fail
    mutants: int = 0
    caught: int = 0

    @property
    def silent_graders(self) -> list[str]:
        return [g for g in self.graders if g not in self.failed_by_mutant]


@dataclass
class MutationReport:
    assignment: str
    functions: dict[str, FunctionReport] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # each one fails validation
    notes: list[str] = field(default_factory=list)  # worth reading, not failures
    mutants: int = 0
    named: int = 0  # mutants whose lost checks name their own mistake
    do_nothing: int = 0  # do-nothing answers graded (one per function and kind)
    variants: int = 0  # acceptable variants graded (each must keep every point)
    edge_cells: list[str] = field(default_factory=list)  # how each cell of the edge table is met
    named_ids: set[str] = field(default_factory=set)
    isolation: str = ""  # the level the instructor's notebooks ran at (no minimum applies)

    @property
    def named_share(self) -> float:
        return self.named / self.mutants if self.mutants else 1.0


def mutant_notebooks(assignment: Assignment, folder: Path, root: Path = COURSE_ROOT
                     ) -> dict[str, Mutant | None]:
    """Write the synthetic class; returns student id -> mutant (None for reference and stub)."""
    source_path = assignment.source_notebook(root)
    release_path = assignment.release_notebook(root)
    for path in (source_path, release_path):
        if not path.exists():
            raise PipelineError(f"{path}: missing; run `nnfs-course build` and `release` first")
    source = nbformat.read(source_path, as_version=4)
    nbformat.write(source, folder / "reference.ipynb")
    nbformat.write(nbformat.read(release_path, as_version=4), folder / "stub.ipynb")
    cases: dict[str, Mutant | list[DoNothing] | None] = {"reference": None, "stub": None}

    def answer_cell(nb, function, what):
        cells = [c for c in nb.cells
                 if c.metadata.get("nbgrader", {}).get("solution")
                 and c.metadata["nbgrader"].get("grade_id") == function]
        if len(cells) != 1:
            raise PipelineError(f"{source_path}: no answer cell for `{function}` ({what})")
        return cells[0]

    for index, mutant in enumerate(mutants_for(assignment.module, root)):
        student = f"mutant-{index:02d}-{mutant.function}"
        nb = copy.deepcopy(source)
        answer_cell(nb, mutant.function, f"mutant {mutant.id}").source = mutant.source()
        nbformat.write(nb, folder / f"{student}.ipynb")
        cases[student] = mutant
    for index, variant in enumerate(variants_for(assignment.module)):
        student = f"variant-{index:02d}-{variant.function}"
        nb = copy.deepcopy(source)
        answer_cell(nb, variant.function, f"variant {variant.id}").source = variant.source
        nbformat.write(nb, folder / f"{student}.ipynb")
        cases[student] = variant
    for index, kind in enumerate(KINDS):
        student = f"do-nothing-{index}"
        nb = copy.deepcopy(source)
        answers = do_nothing_answers(assignment, kind)
        for answer in answers:
            answer_cell(nb, answer.function, f"do-nothing {answer.id}").source = answer.source()
        nbformat.write(nb, folder / f"{student}.ipynb")
        cases[student] = answers
    return cases


def run_mutation(assignment: Assignment, *, root: Path = COURSE_ROOT, workers: int = 2,
                 worker_limits: Limits | None = None, isolation: str | None = None,
                 on_student=None) -> MutationReport:
    report = MutationReport(assignment.id)
    with tempfile.TemporaryDirectory(prefix=f"nnfs-validate-{assignment.id}-") as scratch:
        scratch = Path(scratch)
        (scratch / "class").mkdir()
        cases = mutant_notebooks(assignment, scratch / "class", root)
        # Only the instructor's code runs here (reference, stubs, mutants): any level will do.
        trusted = levels.policy(isolation, minimum=frozenset(), trusted=True, where="validate")
        run = grade(assignment.id, [scratch / "class"], scratch / "results", workers, root=root,
                    isolation=trusted, record_gradebook=False, worker_limits=worker_limits,
                    on_student=on_student)
        run.raise_if_stopped()
        report.isolation = run.isolation
        from autograder.engine.results import read_results

        documents = read_results(scratch / "results")
    for summary in run.errors:
        report.problems.append(f"{summary.student}: the engine failed: {summary.problem}")
    _judge(assignment, cases, documents, report)
    if "reference" in documents:
        problems, report.edge_cells = judge_edges(assignment, root, cases, documents)
        report.problems += problems
    return report


def _judge(assignment: Assignment, cases, documents: dict[str, dict], report: MutationReport):
    reference = documents.get("reference")
    if reference is None:
        report.problems.append("the reference notebook got no result")
        return
    for test in reference["tests"]:
        function = test["extra_data"]["function"]
        entry = report.functions.setdefault(function, FunctionReport(function))
        entry.graders.append(test["name"])
        if test["score"] < test["max_score"]:
            report.problems.append(f"reference fails {test['name']}: {_first(test['output'])}")
    for function in assignment.points:
        report.functions.setdefault(function, FunctionReport(function))
        best = sum(t["max_score"] for t in reference["tests"]
                   if t["extra_data"]["function"] == function)
        if best != assignment.points[function]:
            report.problems.append(f"{function}: graders are worth {best:g} points, "
                                   f"their marks add up to {assignment.points[function]:g}")
    stub = documents.get("stub")
    if stub is None:
        report.problems.append("the release stub got no result")
    elif stub["score"] != 0:
        passing = [t["name"] for t in stub["tests"] if t["score"] > 0]
        report.problems.append(f"the release stubs earn {stub['score']:g} points "
                               f"({', '.join(passing[:3])})")
    for student, case in cases.items():
        if isinstance(case, Mutant):
            _judge_mutant(student, case, documents.get(student), report)
        elif isinstance(case, list):
            _judge_do_nothing(case, documents.get(student), report)
        elif isinstance(case, Variant):
            judge_variant(case, documents.get(student), report)
    if report.named < report.mutants:
        unnamed = [m.id for m in cases.values()
                   if isinstance(m, Mutant) and m.id not in report.named_ids]
        report.problems.append(
            f"only {report.named} of {report.mutants} mutants ({report.named_share:.0%}) are told "
            f"the name of their own mistake; every mutant must be (not: {', '.join(unnamed)})")
    for entry in report.functions.values():
        for name in entry.silent_graders:
            report.notes.append(f"no mutant makes this grader fail: {name}")


def _judge_do_nothing(answers: list[DoNothing], document: dict | None, report: MutationReport):
    """An answer that computes nothing earns nothing, on any check of its function."""
    kind = answers[0].kind
    if document is None:
        report.problems.append(f"the do-nothing notebook ({kind}) got no result")
        return
    report.do_nothing += len(answers)
    for test in document["tests"]:
        if test["score"] > 0:
            report.problems.append(
                f"an answer that {kind} earns {test['score']:g} of {test['max_score']:g} points "
                f"on {test['name']} (function {test['extra_data']['function']})")


def _judge_mutant(student: str, mutant: Mutant, document: dict | None, report: MutationReport):
    entry = report.functions.setdefault(mutant.function, FunctionReport(mutant.function))
    entry.mutants += 1
    report.mutants += 1
    if document is None:
        report.problems.append(f"mutant {mutant.id} got no result")
        return
    own = [t for t in document["tests"] if t["extra_data"]["function"] == mutant.function]
    others = [t for t in document["tests"] if t["extra_data"]["function"] != mutant.function]
    lost = [t for t in own if t["score"] < t["max_score"]]
    for t in lost:
        entry.failed_by_mutant.add(t["name"])
    if not lost:
        report.problems.append(f"mutant {mutant.id} is not caught: it earns full marks")
    else:
        entry.caught += 1
    broken = [t["name"] for t in own if "NameError" in t["output"]]
    if broken:
        report.problems.append(f"mutant {mutant.id} does not run in a notebook (NameError in "
                               f"{broken[0]}): it must use only names the notebook defines")
    if not mutant.names:
        report.problems.append(f"mutant {mutant.id} names no mistake: give it the title of the "
                               "known mistake it makes (and teach the graders to recognise it)")
    elif lost and not any(mutant.names in t["output"] for t in lost):
        report.problems.append(f"mutant {mutant.id}: the failing tests never name the mistake "
                               f"{mutant.names!r}")
    elif lost:
        report.named += 1
        report.named_ids.add(mutant.id)
    collateral = [t["name"] for t in others if t["score"] < t["max_score"]]
    if collateral:
        report.problems.append(f"mutant {mutant.id} also loses points on other functions: "
                               f"{', '.join(collateral[:3])}")


def _first(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
