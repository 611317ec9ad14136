"""Grading a class again: what changed for each student, and which input changed it.

`graded_with_changes` wraps a grading run. It reads the results already in the output folder,
lets the run grade (each result carries its provenance: provenance.py), and compares:
per student the old and new score, the functions whose score changed, and which inputs differ
(the submission, the graders, the reference, the limits, a package, the isolation level). The
comparison goes to `<out>/changes.csv`. With `dry_run` the run grades into a scratch folder
without the gradebook, so nothing is recorded. Manual scores in the gradebook are never touched.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import COURSE_ROOT, get_assignment
from autograder.engine.provenance import changed_inputs
from autograder.engine.results import read_results
from autograder.files import atomic_write, machine_cause, machine_error

CHANGES_CSV = "changes.csv"
COLUMNS = ["student", "old_score", "new_score", "change", "functions_changed", "inputs_changed"]


@dataclass
class Change:
    student: str
    old: float
    new: float
    functions: list[str]  # "relu 0->3"
    inputs: list[str] | None  # None: the old result recorded no provenance

    @property
    def changed(self) -> bool:
        return self.old != self.new or bool(self.functions)

    def inputs_text(self) -> str:
        if self.inputs is None:
            return "unknown (the old result has no provenance)"
        return ", ".join(self.inputs) or "none recorded"


@dataclass
class Changes:
    compared: list[Change] = field(default_factory=list)  # students graded before and now
    first_time: list[str] = field(default_factory=list)  # students graded for the first time
    csv_path: Path | None = None
    dry_run: bool = False

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.compared if c.changed]


def graded_with_changes(assignment_id: str, out_dir: Path | None, grade: Callable, *,
                        root: Path = COURSE_ROOT, dry_run: bool = False):
    """Run `grade(out_dir, record_gradebook)` and report what changed; returns (run, Changes).

    `grade` is the grading run (engine/grade.py's grade with the caller's options bound); its
    workers stamp each result with its provenance. A run that was stopped, or could not write,
    compares nothing and writes no changes.csv.
    """
    assignment = get_assignment(assignment_id, root)
    out_dir = Path(out_dir) if out_dir else root / "grades" / assignment.id
    old = _documents(out_dir, assignment.id) if out_dir.is_dir() else {}
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="nnfs-dry-run-") as scratch:
            run = grade(Path(scratch), False)
            new = _documents(Path(scratch), assignment.id)
            run.out_dir, run.csv_path = out_dir, None  # nothing of the dry run is kept
        return run, compare(old, new, dry_run=True)
    run = grade(out_dir, True)
    if run.stopped_by or run.failure:
        return run, Changes()
    graded = {s.student for s in run.students if s.status != "error"}
    new = {s: d for s, d in _documents(out_dir, assignment.id).items() if s in graded}
    changes = compare(old, new)
    if changes.compared:
        try:
            changes.csv_path = write_changes_csv(out_dir / CHANGES_CSV, changes)
        except OSError as error:
            if machine_cause(error) is None:
                raise
            raise machine_error(out_dir, error, CHANGES_CSV) from None
    return run, changes


def _documents(out_dir: Path, assignment_id: str) -> dict[str, dict]:
    return {s: d for s, d in read_results(out_dir).items()
            if (d.get("extra_data") or {}).get("assignment") == assignment_id}


def compare(old: dict[str, dict], new: dict[str, dict], *, dry_run: bool = False) -> Changes:
    changes = Changes(dry_run=dry_run)
    for student, document in sorted(new.items()):
        before = old.get(student)
        if before is None:
            changes.first_time.append(student)
            continue
        was = (before.get("extra_data") or {}).get("functions") or {}
        now = (document.get("extra_data") or {}).get("functions") or {}
        functions = [f"{name} {_n(was.get(name, {}).get('score'))}->"
                     f"{_n(now.get(name, {}).get('score'))}"
                     for name in sorted(set(was) | set(now))
                     if was.get(name, {}).get("score") != now.get(name, {}).get("score")]
        changes.compared.append(Change(student, float(before.get("score", 0.0)),
                                       float(document.get("score", 0.0)), functions,
                                       changed_inputs(before, document)))
    return changes


def write_changes_csv(path: Path, changes: Changes) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in changes.compared:
        writer.writerow([c.student, _n(c.old), _n(c.new), _n(c.new - c.old),
                         "; ".join(c.functions), c.inputs_text()])
    atomic_write(path, buffer.getvalue())
    return path


def changes_text(changes: Changes, limit: int = 20) -> str:
    """The short table shown after a regrade."""
    if not changes.compared:
        return ""
    changed = changes.changed
    head = "Dry run, nothing recorded: " if changes.dry_run else "Regrade: "
    lines = [f"{head}{len(changed)} of {len(changes.compared)} student(s) graded before have "
             f"a different result" + (f"; {len(changes.first_time)} graded for the first time"
                                       if changes.first_time else "")]
    if changed:
        width = max(7, *(len(c.student) for c in changed[:limit]))
        lines.append(f"  {'student':<{width}}  {'old':>6}  {'new':>6}  functions changed; "
                     "inputs changed")
        for c in changed[:limit]:
            lines.append(f"  {c.student:<{width}}  {_n(c.old):>6}  {_n(c.new):>6}  "
                         f"{', '.join(c.functions) or '-'}; {c.inputs_text()}")
        if len(changed) > limit:
            lines.append(f"  ... and {len(changed) - limit} more")
    inputs = sorted({i for c in changes.compared for i in (c.inputs or [])})
    if inputs:
        lines.append(f"Inputs that changed since the last grading: {', '.join(inputs)}")
    lines.append("Manual scores in the gradebook are kept.")
    if changes.csv_path:
        lines.append(f"Changes: {changes.csv_path}")
    return "\n".join(lines)


def _n(value) -> str:
    if value is None:
        return "-"
    return f"{float(value):g}"
