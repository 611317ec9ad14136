"""The notebooks really run, top to bottom, in a real Jupyter kernel."""

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.config import assignments

ALL = [a.id for a in assignments()]
# The plots students are meant to see: optimizer paths (03), loss curve and decision regions (04).
PLOTS = {"03_optimizers": 1, "04_training": 2}


def execute(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    return nb


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
    stderr = [o for c in nb.cells for o in c.get("outputs", [])
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert stderr == [], "nbgrader scores a cell 0 when it writes to stderr"
    if assignment_id in PLOTS:
        images = [o for c in nb.cells if c.metadata.get("nnfs", {}).get("role") == "demo"
                  for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        assert len(images) >= PLOTS[assignment_id], "the demo plots did not render"


@pytest.mark.slow
@pytest.mark.parametrize("assignment_id", ALL)
def test_release_notebook_fails_only_on_the_stubs(assignment_id, tmp_path):
    assignment = next(a for a in assignments() if a.id == assignment_id)
    nb = execute(assignment.release_notebook(), tmp_path)
    found = errors(nb)
    assert found, "the release should fail its public checks until the student answers"
    assert {name for _, _, name in found} == {"NotImplementedError"}, found
    failing_checks = {grade_id for role, grade_id, _ in found if role == "checks"}
    assert failing_checks == {f"test_{name}" for name in assignment.points}
    assert all(role in ("checks", "demo") for role, _, _ in found), found


@pytest.mark.slow
def test_nbgrader_validator_agrees(tmp_path):
    from nbgrader.validator import Validator

    assignment = assignments()[0]
    passed = Validator().validate(str(assignment.source_notebook()))
    assert not passed.get("failed") and not passed.get("changed"), passed
    failed = Validator().validate(str(assignment.release_notebook()))
    assert len(failed["failed"]) == len(assignment.points)
