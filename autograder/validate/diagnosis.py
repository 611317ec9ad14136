"""`validate` guards the diagnosis: the reference and the acceptable answers (cases.py's and the
shared corpus of autograder/variants/) get no name, every
diagnosis mutant gets its own mistake's name and no other, and every relation, convention and
probe has a mutant that it names (autograder/diagnosis/cases.py).

The cases are graded in-process against the hidden graders (the reference with one function
replaced), as tests/graders grades the mutants: they are the instructor's code, not a student's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.diagnosis.cases import ACCEPTABLE, ALIASES, MUTANTS
from autograder.diagnosis.conventions import CONVENTIONS

# Every id a relation or probe can name; a family ends in "*" (one mutant covers it).
NAMED_BY_RELATIONS = (
    "transposed", "negated", "scaled-half", "scaled-double", "scaled-times-n",
    "scaled-times-n-over-2", "shifted",
    "times-input", "not-reduced-mean", "wrong-axis", "last-batch-dropped", "rows-first-only",
    "not-finite-*", "argument-off-by-one", "argument-default", "neighbour-*",
    "bias-as-column", "probe-needs-2d", "probe-labels-one-hot-only",
    "probe-labels-indices-only", "probe-square-only", "scaled-wrong-divisor",
    "rows-last-missing", "rows-first-missing", "rows-last-only", "scaled-constant",
    "swapped-arguments", "activation-after-*", "input-through-*", "axis-too-many",
    "scaled-over-n", "argument-ignored", "not-reduced-sum",
    "input-transposed", "axis-too-few", "inputs-changed", "input-plus-epsilon",
    "argument-in-place-of", "argument-fixed", "probe-weights-as-inputs-by-neurons",
    "probe-samples-as-columns", "probe-scalar-only", "function-*", "probe-needs-1d",
    "module-not-available", "reduced-to-a-number", "hard-coded-size", "tuple-used-as-array",
    "*+*", "extra-return", "returns-an-iterator", "returns-object-array", "rounded",
    "scaled-percent", "reciprocal", "python-2-builtin", "method-argument-too-many",
    "probe-samples-as-row", "activation-without-bias-*", "normalised-over-the-whole-array",
    "name-not-defined", "local-read-before-assignment", "input-minus-max",
    "probe-vectors-as-columns", "argument-as-column", "shape-as-two-arguments",
    "helper-argument-missing", "reduced-with-np-*",
)


@dataclass
class DiagnosisReport:
    problems: list[str] = field(default_factory=list)
    named: dict[str, set[str]] = field(default_factory=dict)  # case -> ids named


def covered_ids(assignment_id: str | None = None) -> list[str]:
    """The ids that need a mutant: relations and probes, and the conventions of the functions
    of `assignment_id` (all when None)."""
    from autograder.config import select

    functions = {f for a in select(assignment_id) for f in a.points}
    conventions = [f"convention-{c[0]}" for function, items in CONVENTIONS.items()
                   if function in functions for c in items]
    return list(NAMED_BY_RELATIONS) + conventions


def shared_variants(assignment_id: str | None = None) -> list[tuple]:
    """The shared corpus of acceptable answers (autograder/variants/) as cases.py's ACCEPTABLE
    rows: (assignment, function, None, source)."""
    import importlib
    import inspect

    from autograder.config import select
    from autograder.variants import variants_for

    rows = []
    for a in select(assignment_id):
        found = variants_for(a.module)
        corpus = importlib.import_module("autograder.variants." + a.module.rsplit(".", 1)[-1])
        # the earlier assignments' functions a notebook provides (its `from reference...` lines)
        given = "".join(line + "\n" for line in inspect.getsource(corpus).splitlines()
                        if line.startswith("from reference."))
        rows += [(a.id, v.function, None, given + v.source) for v in found]
    return rows


def check_diagnosis(assignment_id: str | None = None) -> DiagnosisReport:
    from autograder.engine.graders import run_graders_batch
    from autograder.harness import ReferenceSubmission

    report = DiagnosisReport()
    cases = [c for c in MUTANTS + ACCEPTABLE + shared_variants(assignment_id)
             if assignment_id in (None, c[0])]
    for assignment in sorted({c[0] for c in cases} | ({assignment_id} - {None})):
        submissions = {"reference": lambda a=assignment: ReferenceSubmission(a)}
        mine = [c for c in cases if c[0] == assignment]
        for index, (_, function, _, source) in enumerate(mine):
            submissions[f"case-{index}"] = (
                lambda a=assignment, f=function, s=source: ReferenceSubmission(a, {f: s}))
        runs = run_graders_batch(assignment, submissions)
        for t in runs["reference"].tests:
            if t.mistake_id:
                report.problems.append(f"the reference is told a mistake: {t.mistake_id}")
        for index, (_, function, expected, _) in enumerate(mine):
            label = f"{function}:{expected or 'acceptable'}"
            own = [t for t in runs[f"case-{index}"].tests if t.function == function]
            named = {t.mistake_id for t in own if t.mistake_id}
            lost = [t for t in own if t.score < t.max_score]
            report.named[label] = named
            if expected is None:
                if lost or named:
                    report.problems.append(f"acceptable variant {label} loses points or is "
                                           f"named ({sorted(named)})")
            elif not named or named - {expected} - ALIASES.get(expected, set()) \
                    - set(expected.split("+")):  # a check where one part alone shows
                report.problems.append(f"diagnosis mutant {label} is told {sorted(named)}")
    # Coverage is the whole course's: a relation proved on one assignment's case serves all.
    for ident in covered_ids() if assignment_id is None else ():
        # the graders' catalogue may name the same mistake under its own title (ALIASES)
        names = {ident} | ALIASES.get(ident, set())
        if not any(_covers(n, i) for n in names for case in report.named.values() for i in case):
            report.problems.append(f"no diagnosis mutant is told {ident}")
    return report


def _covers(pattern: str, ident: str) -> bool:
    if pattern == "*+*":  # two mistakes at once (diagnosis/combined.py)
        return "+" in ident
    return ident.startswith(pattern[:-1]) if pattern.endswith("*") else ident == pattern
