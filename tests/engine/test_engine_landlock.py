"""A class graded at the landlock level, in which one notebook rewrites every results.json,
grades.csv and gradebook.db it can reach: the honest students keep the scores they earned."""

from __future__ import annotations

import pytest
from engine_helpers import MAX_SCORE, POINTS, function_score, grade_folder

from autograder.sandbox import landlock_level, levels

pytestmark = pytest.mark.slow

FAKE = '{"score": 0, "max_score": 1, "tests": []}'
STUDENTS = ["mutant", "reference", "rewriter", "stub"]  # graded in this order: rewriter third


def rewriter(out, folder, base) -> str:
    """A cell that walks up from its folder and tries every output it can name, but writes
    only below `base` (the test's own folder): should the level fail, nothing else is hit."""
    return f"""
        import os
        FAKE = {FAKE!r}
        targets = [os.path.join({str(out)!r}, name, "results.json") for name in {STUDENTS!r}]
        targets += [os.path.join({str(out)!r}, name) for name in ("grades.csv", "gradebook.db")]
        targets += [os.path.join({str(folder)!r}, name + ".ipynb") for name in {STUDENTS!r}]
        here = os.getcwd()
        while here != os.path.dirname(here):  # every folder above, and what it lists
            here = os.path.dirname(here)
            try:
                for top, _, files in os.walk(here):
                    targets += [os.path.join(top, f) for f in files if f == "results.json"]
            except OSError:
                pass
        reached = []
        for target in [t for t in targets if t.startswith({str(base) + "/"!r})]:
            try:
                with open(target, "w") as handle:
                    handle.write(FAKE)
                reached.append(target)
            except OSError:
                pass
        raise RuntimeError(f"REWROTE {{len(targets)}} {{reached}}")  # shown in its feedback
    """


def test_a_class_graded_at_landlock_loses_nobody_to_a_rewriter(
        tmp_path, monkeypatch, submit, honest):
    levels.available.cache_clear()
    if not landlock_level.usable() or not levels.available("landlock"):
        pytest.skip("Landlock and seccomp do not work here")
    monkeypatch.setenv(levels.ISOLATION_ENV, "landlock")
    folder, out = tmp_path / "class", tmp_path / "out"
    honest(folder)
    submit(folder / "rewriter.ipynb", append=[rewriter(out, folder, tmp_path)])
    graded = grade_folder(folder, out, workers=1)
    results = graded.results
    assert graded.run.isolation == "landlock" and sorted(results) == STUDENTS
    said = results["rewriter"]["output"]
    assert "REWROTE" in said and said.split("REWROTE ")[1].split()[1] == "[]", said
    assert results["reference"]["score"] == results["rewriter"]["score"] == MAX_SCORE
    assert results["stub"]["score"] == 0
    for function, points in POINTS.items():
        assert (function_score(results["mutant"], function) == points) == (function != "relu")
    for path in [*out.glob("*/results.json"), out / "grades.csv"]:
        assert FAKE not in path.read_text(), path
    rows = dict(line.split(",")[:2] for line in (out / "grades.csv").read_text().splitlines())
    assert rows["reference"] == rows["rewriter"] == f"{MAX_SCORE:g}"
