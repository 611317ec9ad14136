"""`nnfs-course similarity`: rank pairs of students, write pairs.csv and the side-by-side page.

It reads the submissions and the results `grade` wrote, and never writes a grade. The page and
the CSV hold students' code: they go to similarity/<id>/, which .gitignore keeps out of git.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from autograder.config import COURSE_ROOT, Assignment
from autograder.engine.results import read_results
from autograder.files import atomic_write
from autograder.similarity import SimilarityError
from autograder.similarity.answers import Answer, boilerplate, read_answers
from autograder.similarity.score import (
    Pair,
    boilerplate_hashes,
    display_boilerplate,
    fingerprints,
    odd_constants,
    overlap,
    rank_pairs,
    wrong_results,
)

NOTICE = ("Similarity is a reason to look, not proof. Correct answers to these exercises are "
          "often alike; students may have worked together as allowed, or learnt from the same "
          "source. This report changes no grade.")
CSV_COLUMNS = ["rank", "student_a", "student_b", "score", "unusual_code_shared",
               "shared_rare_fingerprints", "same_wrong_results_or_constants", "which"]


@dataclass
class SimilarityRun:
    students: int
    pairs: list[Pair]
    html: Path
    csv: Path
    seconds: float
    with_results: bool
    unreadable: list[str] = field(default_factory=list)


def similarity(assignment: Assignment, paths: list[Path], *, root: Path = COURSE_ROOT,
               results_dir: Path | None = None, out_dir: Path | None = None, top: int = 20,
               id_pattern: str | None = None) -> SimilarityRun:
    started = time.perf_counter()
    answers = read_answers(assignment, paths, root, id_pattern)
    readable = [a for a in answers if not a.problem]
    if len(readable) < 2:
        where = ", ".join(map(str, paths)) or str(root / "submitted")
        raise SimilarityError(f"{where}: {len(readable)} readable submission(s) of "
                              f"{assignment.id}: an empty class, nothing to compare")
    release = assignment.release_notebook(root)
    if not release.is_file():
        raise SimilarityError(f"{release}: no release, so no boilerplate to leave out; run "
                              f"`nnfs-course release {assignment.id}`")
    given = boilerplate(assignment, release)
    prints = fingerprints(readable, boilerplate_hashes(given))
    results_dir = results_dir or root / "grades" / assignment.id
    students = {a.student for a in readable}
    documents = {s: d for s, d in read_results(results_dir).items() if s in students} \
        if results_dir.is_dir() else {}
    strong = wrong_results(documents)
    for student, odd in odd_constants(readable, given).items():
        strong[student] = strong.get(student, set()) | odd
    pairs = rank_pairs(prints, strong, top)
    out_dir = out_dir or root / "similarity" / assignment.id
    by_student = {a.student: a for a in readable}
    html = out_dir / "report.html"
    atomic_write(html, page(assignment, pairs, display_boilerplate(given), by_student,
                            len(readable), bool(documents)))
    table = out_dir / "pairs.csv"
    atomic_write(table, pairs_csv(pairs))
    return SimilarityRun(len(readable), pairs, html, table, time.perf_counter() - started,
                         bool(documents), [a.student for a in answers if a not in readable])


def pairs_csv(pairs: list[Pair]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rank, p in enumerate(pairs, start=1):
        writer.writerow([rank, p.a, p.b, f"{p.score:.1f}", f"{p.unusual_share:.2f}",
                         p.shared_fingerprints, len(p.wrong), "; ".join(p.wrong)])
    return buffer.getvalue()


def page(assignment: Assignment, pairs: list[Pair], given: list[int], answers: dict[str, Answer],
         students: int, with_results: bool) -> str:
    sections = [_pair_html(rank, p, given, answers) for rank, p in enumerate(pairs, start=1)]
    results = ("" if with_results else "<p><b>No results of <code>grade</code> were found, so "
               "shared wrong results were not weighed.</b></p>")
    rows = "".join(f"<tr><td>{r}</td><td>{escape(p.a)}</td><td>{escape(p.b)}</td>"
                   f"<td>{p.score:.1f}</td><td>{p.unusual_share:.0%}</td><td>{len(p.wrong)}</td>"
                   f"</tr>" for r, p in enumerate(pairs, start=1))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Similarity: {escape(assignment.id)}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 1rem auto; max-width: 1400px;
        padding: 0 1rem; color: #222; }}
.notice {{ background: #fff6d5; border-left: 4px solid #d9a400; padding: .6rem 1rem; }}
table {{ border-collapse: collapse; }} td, th {{ padding: .2rem .6rem; text-align: left; }}
.side {{ display: flex; gap: 1rem; flex-wrap: wrap; }}
.side > div {{ flex: 1 1 480px; min-width: 0; }}
pre {{ background: #f6f8fa; padding: .6rem; overflow-x: auto; font-size: 13px; }}
mark {{ background: #ffd54f; }}
</style></head><body>
<h1>Similar answers: {escape(assignment.id)}</h1>
<p class="notice">{escape(NOTICE)}</p>
<p>{students} students compared; the {len(pairs)} pairs that share the most unusual code and the
same wrong results, highest first. Code every student was given (the release's stubs and given
code) and the reference solutions' own lines do not count; a line of code counts by how few
students wrote it, so the common one-line answers count almost nothing.</p>
{results}
<table><tr><th>#</th><th>student</th><th>student</th><th>score</th>
<th>unusual code shared</th><th>same wrong results, odd constants</th></tr>{rows}</table>
{''.join(sections)}
</body></html>
"""


def _pair_html(rank: int, pair: Pair, given: list[int], answers: dict[str, Answer]) -> str:
    """The pair's answers to the same functions side by side, the matching code marked."""
    a, b = answers[pair.a].functions, answers[pair.b].functions
    blocks, unlike = [], []
    for name in [n for n in a if n in b]:
        slices = overlap(a[name], b[name], given)
        if len(slices[0]) == 0:
            unlike.append(name)
            continue
        blocks.append(f"<h3>{escape(name)}</h3><div class='side'>"
                      f"<div><b>{escape(pair.a)}</b><pre>{_highlight(a[name], slices[0])}</pre>"
                      f"</div><div><b>{escape(pair.b)}</b>"
                      f"<pre>{_highlight(b[name], slices[1])}</pre></div></div>")
    wrong = "".join(f"<li>{escape(w)}</li>" for w in pair.wrong)
    wrong = f"<p>The same wrong results and odd constants:</p><ul>{wrong}</ul>" if wrong else ""
    unlike = (f"<p>Answered differently: {escape(', '.join(unlike))}.</p>" if unlike else "")
    return (f"<h2 id='pair-{rank}'>{rank}. {escape(pair.a)} and {escape(pair.b)} "
            f"(score {pair.score:.1f})</h2>{wrong}{''.join(blocks)}{unlike}")


def _highlight(code: str, slices) -> str:
    """`code` escaped, with copydetect's matching slices (2 x n: starts, ends) marked."""
    out, at = [], 0
    for start, end in zip(slices[0].astype(int), slices[1].astype(int)):
        start, end = max(start, at), max(min(end, len(code)), at)
        out += [escape(code[at:start]), "<mark>", escape(code[start:end]), "</mark>"]
        at = end
    out.append(escape(code[at:]))
    return "".join(out)


__all__ = ["NOTICE", "SimilarityError", "SimilarityRun", "similarity"]
