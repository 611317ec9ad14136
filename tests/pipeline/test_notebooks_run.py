"""The notebooks really run, top to bottom, in a real Jupyter kernel."""

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.config import assignments

ALL = [a.id for a in assignments()]
# The plots students are meant to see: optimizer paths (03), loss curve and decision regions (04).
PLOTS = {"03_optimizers": 1, "04_training": 2}


def execute(path, tmp_path, allow_errors=True):
    nb = nbformat.read(path, as_version=4) if not isinstance(path, dict) else path
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    return nb


def role(cell):
    return cell.metadata.get("nnfs", {}).get("role")


def text_of(cell):
    """Everything a cell showed: its streams and its errors' tracebacks."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts += output.get("traceback", [])
    return "\n".join(parts)


def errors(nb):
    """(cell role, grade_id, error name) for each cell that raised."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                meta = cell.metadata
                found.append((meta.get("nnfs", {}).get("role"),
                              meta.get("nbgrader", {}).get("grade_id"), output["ename"]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("assignment_id", ALL)
def test_source_notebook_passes_all_its_public_checks(assignment_id, tmp_path):
    assignment = next(a for a in assignments() if a.id == assignment_id)
    nb = execute(assignment.source_notebook(), tmp_path)
    assert errors(nb) == []
    for cell in nb.cells:
        if role(cell) == "checks":
            name = cell.metadata["nbgrader"]["grade_id"].removeprefix("test_")
            lines = text_of(cell).strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"\u2713 {name} passed "), lines
    stderr = [o for c in nb.cells for o in c.get("outputs", [])
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert stderr == [], "nbgrader scores a cell 0 when it writes to stderr"
    if assignment_id in PLOTS:
        images = [o for c in nb.cells if c.metadata.get("nnfs", {}).get("role") == "demo"
                  for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        assert len(images) >= PLOTS[assignment_id], "the demo plots did not render"


@pytest.mark.slow
@pytest.mark.parametrize("assignment_id", ALL)
def test_release_notebook_runs_to_the_end_saying_what_is_not_written_yet(assignment_id,
                                                                           tmp_path):
    """Run All (nbclient stops at an error, as JupyterLab does, unless the cell is tagged
    raises-exception) reaches the last cell; each check cell fails on its own function, in one
    line; a demo that needs an unwritten function says so without failing."""
    assignment = next(a for a in assignments() if a.id == assignment_id)
    nb = execute(assignment.release_notebook(), tmp_path, allow_errors=False)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code), "Run All stopped before the last cell"
    found = errors(nb)
    assert {name for _, _, name in found} == {"NotWrittenYet"}, found
    failing_checks = {grade_id for role, grade_id, _ in found if role == "checks"}
    assert failing_checks == {f"test_{name}" for name in assignment.points}
    assert all(role == "checks" for role, _, _ in found), found
    for cell in code:
        if role(cell) == "checks":
            name = cell.metadata["nbgrader"]["grade_id"].removeprefix("test_")
            shown = text_of(cell)
            assert "not written yet" in shown and name in shown, shown
            assert len(shown.strip().splitlines()) == 1, f"more than one line: {shown}"
        elif role(cell) == "demo":
            assert "Traceback" not in text_of(cell)


@pytest.mark.slow
def test_nbgrader_validator_agrees(tmp_path):
    from nbgrader.validator import Validator

    assignment = assignments()[0]
    passed = Validator().validate(str(assignment.source_notebook()))
    assert not passed.get("failed") and not passed.get("changed"), passed
    failed = Validator().validate(str(assignment.release_notebook()))
    assert len(failed["failed"]) == len(assignment.points)


@pytest.mark.slow
def test_nbgrader_validate_counts_an_unwritten_function_as_failed(tmp_path):
    """The run goes on past an unwritten function, yet nbgrader's Validate (and its autograde,
    which scores the same way) still counts that function's check cell as failed, and only it."""
    from nbgrader.validator import Validator

    from autograder.reference_code import function_source, reference_function

    assignment = assignments()[0]
    nb = nbformat.read(assignment.release_notebook(), as_version=4)
    solved = "relu"
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == solved:
            cell.source = function_source(reference_function(assignment, solved))
    path = tmp_path / "partly.ipynb"
    nbformat.write(nb, path)
    release = Validator().validate(str(assignment.release_notebook()))
    assert all("not written yet" in f["error"] for f in release["failed"]), release["failed"]
    assert len(release["failed"]) == len(assignment.points)
    partly = Validator().validate(str(path))
    failed = partly["failed"]
    assert len(failed) == len(assignment.points) - 1
    assert not any(f'checking("{solved}"' in f["source"] for f in failed)
    assert any('checking("dot_product"' in f["source"] for f in failed)
