"""Adding an exercise takes three edits (docs/adding-an-exercise.md): the reference function, its
lesson text, and its entry in the assignment's graders folder. Nothing else: the real commands
then build, release (leak-checked), validate (its mutant caught and named) and grade it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_copy import copy_course

pytestmark = pytest.mark.slow

ASSIGNMENT = "01_forward_pass"
NNFS = Path(sys.executable).with_name("nnfs-course")

REFERENCE = '''

def leaky_relu(z, alpha=0.01):
    """Leaky ReLU, elementwise: leaky_relu(z) = z where z > 0, else alpha * z.

    z: array of any shape; alpha: the slope of the negative side. Returns an array of z's shape.
    """
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)
'''

LESSON = '''### 7a, continued. Leaky ReLU

A ReLU whose negative side keeps a small slope $\\alpha$ (0.01 unless given): negative inputs
become $\\alpha z$ instead of 0, so their gradient never vanishes entirely.

<!-- solution: leaky_relu -->

<!-- checks: leaky_relu -->
```python
np.testing.assert_allclose(leaky_relu(np.array([-1.0, 4.0])), [-0.01, 4.0])
```

'''

GRADERS = '''

# ----------------------------------------------------------------------------------------------
# leaky_relu

LEAKY_FLAT = Mistake(
    "leaky ReLU without its slope",
    "Leaky ReLU keeps a small slope on its negative side: alpha * z there, not 0.",
    "004",
)
leaky_relu = Exercise("leaky_relu", ref)


@leaky_relu.check(points=1)
def test_leaky_relu_hand_example(student):
    """hand example: [-2, 0, 3] gives [-0.02, 0, 3]"""
    z = np.array([-2.0, 0.0, 3.0])
    call = student.call("leaky_relu", z)
    check_close(call, np.array([-0.02, 0.0, 3.0]),
                mistakes=[LEAKY_FLAT.with_value(np.maximum(0.0, z))])


leaky_relu.agrees(1, "random inputs of shapes (5,) and (3, 4), one with slope 0.2", seed=30,
                  inputs=lambda rng: [(rng.normal(size=5),), (rng.normal(size=(3, 4)), 0.2)],
                  mistakes=lambda expected, z, *alpha: [
                      LEAKY_FLAT.with_value(np.maximum(0.0, z))])
leaky_relu.unchanged(1, (np.array([[-1.0, 2.0], [0.5, -3.0]]),), IN_PLACE)
leaky_relu.mutants(
    edit(LEAKY_FLAT, "alpha * z)", "0.0)"),
    edit(IN_PLACE, "return np.where(z > 0, z, alpha * z)", "z[z < 0] *= alpha\\n    return z"),
)
'''


def _add_the_exercise(root: Path) -> None:
    reference = root / "reference" / "forward_pass.py"
    reference.write_text(reference.read_text() + REFERENCE)
    lesson = root / "reference" / "lessons" / f"{ASSIGNMENT}.md"
    text = lesson.read_text()
    lesson.write_text(text.replace("### 7b. Sigmoid", LESSON + "### 7b. Sigmoid", 1))
    graders = root / "autograder" / "graders" / "forward_pass" / "activations.py"
    graders.write_text(graders.read_text() + GRADERS)


def _run(root: Path, *args: str, ok: bool = True) -> str:
    env = {**os.environ, "PYTHONPATH": str(root)}  # this course's code, not the checkout's
    done = subprocess.run([str(NNFS), *args], cwd=root, env=env, capture_output=True, text=True,
                          timeout=1200)
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def _python(root: Path, code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _submission(root: Path, student: str, answer: str | None = None) -> None:
    """The source notebook (every answer the reference's), with leaky_relu's answer replaced."""
    nb = nbformat.read(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    if answer is not None:
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
                    and c.metadata["nbgrader"].get("grade_id") == "leaky_relu")
        cell.source = answer
    path = root / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)


def test_an_exercise_added_in_three_places_is_built_released_validated_and_graded(tmp_path):
    root = copy_course(tmp_path / "course", code=True)
    _add_the_exercise(root)

    _run(root, "build", ASSIGNMENT)
    _run(root, "release", ASSIGNMENT)
    release = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    stub = next(c.source for c in release.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "leaky_relu")
    assert "def leaky_relu(z, alpha=0.01):" in stub and "np.where" not in stub

    # the leak check knows the new solution and the new graders
    leaks = _python(root, f"""
import pathlib
import nbformat
from autograder.config import get_assignment
from autograder.pipeline.leaks import find_leaks
a = get_assignment("{ASSIGNMENT}")
nb = nbformat.read(a.release_notebook(), as_version=4)
cell = next(c for c in nb.cells
            if c.metadata.get("nbgrader", {{}}).get("grade_id") == "leaky_relu")
cell.source += "\\n    return np.where(z > 0, z, alpha * z)"
cell.source += '\\n    call = student.call("leaky_relu", z)'
planted = pathlib.Path("planted") / "{ASSIGNMENT}.ipynb"
planted.parent.mkdir()
nbformat.write(nb, planted)
print("\\n".join(map(str, find_leaks(a, planted))))
""")
    assert "a line of a reference solution survives: 'return np.where(z > 0, z, alpha * z)'" \
        in leaks
    assert "a line of a hidden test survives: 'call = student.call(\"leaky_relu\", z)'" in leaks
    assert "files other than the notebook" not in leaks

    validated = _run(root, "validate", ASSIGNMENT, "--no-oracle")
    assert "validation passed" in validated
    row = next(line for line in validated.splitlines()
               if line.split()[:2] == [ASSIGNMENT, "leaky_relu"])
    assert row.split()[2:] == ["3", "0", "2/2"], row  # 3 graders, none silent, both mutants

    _submission(root, "ada")
    _submission(root, "bob", _python(root, f"""
from autograder.config import get_assignment
from autograder.grader_layout import mutants_for
found = [m for m in mutants_for(get_assignment("{ASSIGNMENT}").module)
         if m.function == "leaky_relu" and m.names == "leaky ReLU without its slope"]
print(found[0].source())
"""))
    out = tmp_path / "grades"
    _run(root, "grade", ASSIGNMENT, str(root / "submitted"), "--no-gradebook", "--out", str(out))
    ada = json.loads((out / "ada" / "results.json").read_text())
    bob = json.loads((out / "bob" / "results.json").read_text())
    assert ada["score"] == ada["max_score"] == 61
    assert ada["extra_data"]["functions"]["leaky_relu"] == {"score": 3.0, "max_score": 3.0}
    names = [t["name"] for t in ada["tests"]]
    assert "leaky_relu: hand example: [-2, 0, 3] gives [-0.02, 0, 3]" in names
    assert "leaky_relu: leaves its inputs unchanged" in names
    lost = [t for t in bob["tests"] if t["score"] < t["max_score"]]
    assert lost and {t["extra_data"]["function"] for t in lost} == {"leaky_relu"}
    assert any("Known mistake: leaky ReLU without its slope." in t["output"] for t in lost)
