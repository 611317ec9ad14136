"""Untrusted student code, graded in one class with the honest students: nothing it does crashes
the run, touches another student's result, reaches the grader, or earns a point."""

from __future__ import annotations

import json

import pytest
from engine_helpers import (
    ASSIGNMENT,
    MAX_SCORE,
    POINTS,
    function_score,
    scores_by_test,
    wait_until_gone,
    without_times,
)
from threat_notebooks import (
    ADVERSARIES,
    BROKEN,
    CANARY,
    LEFTOVER,
    REFERENCE_FILE,
    WRITTEN,
)

from autograder.config import COURSE_ROOT, get_assignment, grader_checks
from autograder.grader_layout import grader_files

HONEST = ["reference", "stub", "mutant"]


def full_except(document: dict, *lost: str) -> None:
    """Every function but `lost` has full marks; each of `lost` has less than full."""
    for function, points in POINTS.items():
        score = function_score(document, function)
        if function in lost:
            assert score < points, function
        else:
            assert score == points, (function, document["output"])


def checks_of(document: dict, function: str) -> list[dict]:
    return [t for t in document["tests"] if t["extra_data"]["function"] == function]


def test_every_submission_gets_a_complete_result(threat_class):
    run, results = threat_class.run, threat_class.results
    reference_names = [t["name"] for t in results["reference"]["tests"]]
    assert len(reference_names) == len(grader_checks(ASSIGNMENT))
    assert sorted(results) == sorted(HONEST + ADVERSARIES + BROKEN)
    assert sorted(s.student for s in run.students) == sorted(results)
    assert not run.errors and not run.interrupted
    for student, doc in results.items():
        assert doc["max_score"] == MAX_SCORE, student
        assert [t["name"] for t in doc["tests"]] == reference_names, student
        assert doc["score"] == sum(t["score"] for t in doc["tests"]), student
        assert doc["extra_data"]["status"] in ("graded", "failed-to-run"), student
    leftovers = [p.name for p in threat_class.out.rglob("*") if ".tmp-" in p.name]
    assert leftovers == []


def test_the_honest_students_get_the_same_results_alone_and_among_adversaries(
        honest_alone, threat_class):
    assert honest_alone.results["reference"]["score"] == MAX_SCORE
    assert honest_alone.results["stub"]["score"] == 0
    full_except(honest_alone.results["mutant"], "relu")
    for student in HONEST:
        alone = without_times(honest_alone.results[student])
        among = without_times(threat_class.results[student])
        assert among == alone, student


def test_patching_numpy_and_builtins_earns_no_point(threat_class):
    """The cheater is the relu mutant plus patches of np.testing, np.allclose, builtins..."""
    cheater, mutant = threat_class.results["cheater"], threat_class.results["mutant"]
    assert scores_by_test(cheater) == scores_by_test(mutant)
    full_except(cheater, "relu")
    assert function_score(cheater, "relu") == function_score(mutant, "relu") < POINTS["relu"]


def test_infinite_loops_cost_only_the_looping_function(threat_class):
    loops = threat_class.results["loops"]
    full_except(loops, "relu", "sigmoid")
    assert function_score(loops, "relu") == function_score(loops, "sigmoid") == 0
    # relu's limit is the floor (the reference takes microseconds); sigmoid's is set outright
    for function, limit in (("relu", "5 s"), ("sigmoid", "2.5 s")):  # sigmoid swallows SIGALRM
        first, *later = checks_of(loops, function)
        assert f"did not return in time: it ran longer than the {limit} limit" in first["output"]
        assert "The reference returns in under a millisecond on these inputs." in first["output"]
        assert "An endless loop is the usual cause" in first["output"]
        # the hang is judged once: every later check fails at once, quoting the first
        assert later and all(f"Not run: `{function}` ran past its time limit" in t["output"]
                             and first["output"] in t["output"] for t in later)


def test_infinite_loops_in_cells_do_not_stop_later_cells(threat_class):
    cell_loops = threat_class.results["cell_loops"]
    assert cell_loops["score"] == MAX_SCORE  # relu and softmax are defined after the loops
    cells = cell_loops["extra_data"]["cells"]
    assert [c["status"] for c in cells] == ["timeout", "timeout"]
    assert "timeout: the cell ran longer than the 10 s limit" in cell_loops["output"]


def test_exits_and_errors_in_cells_and_calls_cost_only_their_own_tests(threat_class):
    exits = threat_class.results["exits"]
    lost = ["dot_product", "vector_matrix_product", "matrix_vector_product", "matrix_product"]
    full_except(exits, *lost)
    assert exits["score"] == MAX_SCORE - sum(POINTS[f] for f in lost)
    output = exits["output"]
    assert "error: SystemExit: 3" in output
    assert "error: ValueError: boom in a cell" in output
    assert "crash: the cell stopped the notebook's process (it exited with code 0)" in output
    assert [c["status"] for c in exits["extra_data"]["cells"]] == ["error", "error", "error",
                                                                  "crash"]
    said = {f: {t["output"].splitlines()[1] for t in checks_of(exits, f)} for f in lost}
    assert said["dot_product"] == {"It did not return: the process running it stopped "
                                   "(it exited with code 1)"}
    assert said["vector_matrix_product"] == {"It raised SystemExit: 0"}
    assert said["matrix_vector_product"] == {"It raised KeyboardInterrupt"}
    assert said["matrix_product"] == {"It did not return: the process running it stopped "
                                      "(it was killed by signal SIGSEGV)"}


def test_memory_bombs_cost_only_their_function(threat_class):
    memory = threat_class.results["memory"]
    full_except(memory, "softmax", "one_hot")
    assert function_score(memory, "softmax") == function_score(memory, "one_hot") == 0
    for test in checks_of(memory, "softmax") + checks_of(memory, "one_hot"):
        assert "it used more than the 256 MB memory limit" in test["output"]
    assert "error: MemoryError" in memory["output"]  # the top-level allocation, reported


def test_signals_reach_nothing_outside_the_students_own_process(threat_class):
    """kill(getppid()), kill(-1), kill of every pid and killpg(0): full marks, the run goes on."""
    signals = threat_class.results["signals"]
    assert signals["score"] == MAX_SCORE
    crashed = [c for c in signals["extra_data"]["cells"] if c["status"] == "crash"]
    assert len(crashed) == 1 and "killed by signal SIGKILL" in crashed[0]["error"]
    assert not threat_class.run.errors
    # No grading worker died: a dead worker's pool is replaced, and new workers mean new
    # sandboxes (the markers are those of the parent's probe and of the two workers).
    assert len(threat_class.markers) <= 3


def test_no_process_is_left_behind(threat_class):
    assert threat_class.results["leaver"]["score"] == MAX_SCORE
    assert len(threat_class.markers) >= 2  # the workers' sandboxes (and the parent's probe)
    assert wait_until_gone([LEFTOVER, *threat_class.markers]) == []


def test_students_cannot_read_the_graders_the_reference_or_each_other(threat_class):
    if threat_class.run.isolation != "bubblewrap":
        pytest.skip("only bubblewrap hides the grader's files (the run warns otherwise)")
    snoop = threat_class.results["snoop"]
    spies = ["dot_product", "vector_matrix_product", "matrix_vector_product", "matrix_product",
             "neuron_forward"]
    full_except(snoop, *spies)
    for function in spies:
        for test in checks_of(snoop, function):
            if "unchanged" not in test["name"]:
                assert "It returned 'BLOCKED:" in test["output"], test["output"]
    assert "FileNotFoundError" in snoop["output"]  # the cells that raise the file's content
    # Lines of the hidden files that no feedback quotes: the graders' code, the reference's
    # docstring (its function bodies are in every source notebook, so they prove nothing).
    secret_lines = [line.strip() for path in grader_files(get_assignment("01_forward_pass"))
                    for line in path.read_text().splitlines()
                    if line.startswith(("def ", "from ", "import ", "ASSIGNMENT", "@"))]
    secret_lines.append(REFERENCE_FILE.read_text().split('"""')[1].strip().splitlines()[0])
    assert len(secret_lines) > 50
    for student, doc in threat_class.results.items():
        text = json.dumps(doc)
        assert "LEAKED:" not in text and CANARY not in text, student
        assert not [line for line in secret_lines if line in text], student


def test_forged_output_and_writes_change_no_score(threat_class):
    out, results = threat_class.out, threat_class.results
    forger = results["forger"]
    full_except(forger, "dot_product", "vector_matrix_product")
    for test in checks_of(forger, "dot_product"):  # inputs unchanged earns only with the values
        assert test["score"] == 0
    for test in checks_of(forger, "vector_matrix_product"):  # forged replies on its pipes
        assert test["score"] == 0
        assert "not an answer onto the grader's channel" in test["output"]
    assert forger["score"] == MAX_SCORE - POINTS["dot_product"] - POINTS["vector_matrix_product"]
    assert results["victim"]["score"] == MAX_SCORE
    # What it tried to write on the host (results, the CSV, the victim's notebook) is not there.
    assert not (out / WRITTEN).exists() and not (COURSE_ROOT / "autograder" / WRITTEN).exists()
    victim = (threat_class.folder / "victim.ipynb").read_text()
    assert CANARY in victim and WRITTEN not in victim
    for path in [*out.glob("*/results.json"), out / "grades.csv"]:
        assert WRITTEN not in path.read_text(), path
    rows = dict(line.split(",")[:2] for line in (out / "grades.csv").read_text().splitlines())
    lost = POINTS["dot_product"] + POINTS["vector_matrix_product"]
    assert rows["forger"] == f"{MAX_SCORE - lost:g}" and rows["victim"] == f"{MAX_SCORE:g}"


def test_odd_return_values_earn_nothing_and_never_show_the_graders_code(threat_class):
    """Huge ints, strings, ragged lists, nan...: only the 'inputs unchanged' checks pass, and a
    grader that breaks on such a value says so in one line, without its traceback."""
    weird = threat_class.results["weird"]
    for test in weird["tests"]:
        if "unchanged" not in test["name"]:
            assert test["score"] == 0, test["name"]
        if test["extra_data"]["outcome"] == "error":
            assert test["output"].count("\n") == 0, test["output"]
            assert test["output"].startswith("The grader could not finish this check")
    outputs = " ".join(t["output"] for t in weird["tests"])
    assert "Expected a number or an array, got a int" in outputs  # 10**399, not a crash
    assert "Traceback" not in outputs and "def test_" not in outputs
