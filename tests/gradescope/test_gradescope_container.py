"""The autograder zip run as Gradescope runs it: setup.sh once, run_autograder per submission.

The container is an overlay of this machine's / (see gradescope/local.py) without bubblewrap, so
the sandbox uses the "user" level that Gradescope's containers get. As Gradescope does, the zip
is unpacked into /autograder/source, setup.sh runs there as root, and for each submission
run_autograder is copied to /autograder/run_autograder and that copy is run.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from nbformat import v4

from autograder.config import COURSE_ROOT, ConfigError, get_assignment
from autograder.grader_layout import grader_files
from autograder.gradescope import local
from autograder.sandbox.launch import processes_of

pytestmark = pytest.mark.slow

ASSIGNMENT = get_assignment("01_forward_pass")
GRADER = "/autograder/source/autograder/graders/test_01_forward_pass.py"
TOP_FIELDS = {"score", "execution_time", "output", "output_format", "test_output_format",
              "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
              "leaderboard"}
TEST_FIELDS = {"score", "max_score", "status", "name", "name_format", "number", "output",
               "output_format", "tags", "visibility", "extra_data"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
RUN_SECONDS = 600


def notebook_bytes(path) -> bytes:
    return path.read_bytes()


def with_cells(path, *sources: str) -> bytes:
    """The notebook at `path` with code cells appended."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for source in sources:
        cell = v4.new_code_cell(source)
        nb["cells"].append({"cell_type": "code", "metadata": {}, "source": cell.source,
                            "outputs": [], "execution_count": None})
    return json.dumps(nb).encode()


def grade(container, files: dict[str, bytes], cwd: str = "/autograder", env: str = "",
          ) -> tuple[dict, str]:
    container.submit(files)
    run = container.run_autograder(RUN_SECONDS, cwd=cwd, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads(container.results().read_text(encoding="utf-8"))
    check_gradescope_fields(results)
    uid = container.uid_of("nnfs-student")
    assert uid is not None and processes_of(uid) == [], "a student process outlived the run"
    return results, run.stdout


def check_gradescope_fields(results: dict) -> None:
    """results.json as Gradescope documents it, and without a line of any hidden grader."""
    assert set(results) <= TOP_FIELDS
    assert isinstance(results["score"], int | float) and results["score"] >= 0
    assert isinstance(results["execution_time"], int | float)
    assert isinstance(results["output"], str) and results["output"]
    assert results["output_format"] in FORMATS
    assert results["visibility"] in VISIBILITIES
    assert results["stdout_visibility"] in VISIBILITIES
    for test in results["tests"]:
        assert set(test) <= TEST_FIELDS
        assert {"name", "score", "max_score", "status", "output"} <= set(test)
        assert test["status"] in ("passed", "failed")
        assert test["output_format"] in FORMATS and test["visibility"] in VISIBILITIES
        assert 0 <= test["score"] <= test["max_score"]
    text = json.dumps(results)
    grader = "\n".join(path.read_text(encoding="utf-8")
                       for path in grader_files(ASSIGNMENT, COURSE_ROOT))
    code = [line.strip() for line in grader.splitlines()
            if len(line.strip()) >= 30 and ("assert" in line or "student." in line)]
    assert code and not [line for line in code if json.dumps(line)[1:-1] in text]


def by_function(results: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for test in results["tests"]:
        found.setdefault(test["extra_data"]["function"], []).append(test)
    return found


def test_setup_installs_the_pinned_packages_and_the_sandbox_user(container):
    assert "sandbox user nnfs-student" in container.setup_output
    source = container.autograder / "source"
    assert source.stat().st_mode & 0o077 == 0
    assert (source / "autograder" / "graders").stat().st_mode & 0o077 == 0
    freeze = container.run("/opt/nnfs-venv/bin/python -m pip freeze", timeout=120)
    pinned = set((source / "requirements.txt").read_text().splitlines()[1:])
    installed = {line.lower().replace("_", "-") for line in freeze.stdout.splitlines()}
    assert {p.lower().replace("_", "-") for p in pinned} <= installed


@pytest.mark.parametrize("cwd", ["/autograder", "/"])
def test_the_reference_gets_full_marks_with_bubblewrap_unavailable(container, cwd):
    results, stdout = grade(container, {"any name.ipynb": notebook_bytes(
        ASSIGNMENT.source_notebook())}, cwd=cwd)
    assert results["score"] == ASSIGNMENT.max_score > 0
    assert results["extra_data"]["isolation"] == "user"
    assert "isolation: user" in stdout and "network" in stdout
    assert "readable by every user" not in stdout
    assert all(t["status"] == "passed" for t in results["tests"])
    assert "| `dense_forward` | 5 / 5 |" in results["output"]


def test_the_release_stub_gets_zero(container):
    results, _ = grade(container, {"01_forward_pass.ipynb": notebook_bytes(
        ASSIGNMENT.release_notebook())})
    assert results["score"] == 0
    assert results["tests"] and all(t["status"] == "failed" for t in results["tests"])
    assert any("NotImplementedError" in t["output"] for t in results["tests"])


THREATS = [
    # What it may not read: the hidden graders, the reference, the course folder.
    "import os, signal, subprocess\n"
    f"def dot_product(a, b):\n    return float(len(open({GRADER!r}).read()))",
    "def vector_matrix_product(a, B):\n"
    "    return open('/autograder/source/reference/forward_pass.py').read()",
    "def matrix_vector_product(A, b):\n    return os.listdir('/autograder/source')",
    # What it may not write: a shared folder, the results.
    "def relu(x):\n    open('/tmp/planted', 'w').write('x')\n    return x * (x > 0)",
    "try:\n    open('/autograder/results/results.json', 'w').write('{\"score\": 100}')\n"
    "except OSError as error:\n    print(error)",
    # Its own scratch folder is writable.
    "def sigmoid(x):\n    open('scratch.txt', 'w').write('ok')\n    return 1 / (1 + np.exp(-x))",
    # A process meant to outlive the run, then a signal to every process it can see.
    "subprocess.Popen(['sleep', '600'], start_new_session=True)",
    "for pid in sorted(int(p) for p in os.listdir('/proc') if p.isdigit()):\n"
    "    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass",
]


def test_reading_the_graders_is_denied_and_earns_nothing(container):
    stub = ASSIGNMENT.release_notebook()
    results, _ = grade(container, {"sneaky.ipynb": with_cells(stub, *THREATS)})
    functions = by_function(results)
    for name in ("dot_product", "vector_matrix_product", "matrix_vector_product", "relu"):
        assert all(t["score"] == 0 for t in functions[name]), name
        assert any("Permission denied" in t["output"] for t in functions[name]), name
    assert all(t["status"] == "passed" for t in functions["sigmoid"])
    assert results["score"] == ASSIGNMENT.points["sigmoid"]  # not the forged 100


def test_an_infinite_loop_costs_only_its_cell(container):
    notebook = with_cells(ASSIGNMENT.source_notebook(), "while True:\n    pass")
    results, _ = grade(container, {"loop.ipynb": notebook})
    assert results["score"] == ASSIGNMENT.max_score
    assert re.search(r"Code cell \d+: timeout", results["output"])


def test_a_broken_file_gets_zero_and_says_why(container):
    results, _ = grade(container, {"01_forward_pass.ipynb": b'{"cells": [ {"cell_type": '})
    assert results["score"] == 0
    assert "not valid JSON" in results["output"]


MARK = "/autograder/submission/ran"


def test_without_an_accepted_level_no_student_code_runs_and_the_student_is_told(container):
    """bubblewrap is absent from the container; take the dedicated user and landlock away too,
    so that no level that keeps Gradescope's minimum is left."""
    notebook = with_cells(ASSIGNMENT.source_notebook(), f"open({MARK!r}, 'w').write('x')")
    results, stdout = grade(container, {"01_forward_pass.ipynb": notebook},
                            env="NNFS_SANDBOX_USER=no-such-user NNFS_LANDLOCK=off")
    assert results["score"] == 0 and results["tests"] == []
    assert "contact the instructor" in results["output"]
    assert results["extra_data"]["status"] == "isolation-unavailable"
    assert "No student code was run" in stdout and "user:" in stdout
    assert not (container.autograder / "submission" / "ran").exists()


def test_a_bundle_that_is_not_where_gradescope_puts_it_still_gives_a_result(container):
    results, stdout = grade(container, {"01_forward_pass.ipynb": notebook_bytes(
        ASSIGNMENT.source_notebook())}, env="NNFS_SOURCE=/autograder/elsewhere")
    assert results["score"] == 0 and "contact the instructor" in results["output"]
    assert "the bundle is not in /autograder/elsewhere" in stdout


def test_setup_fails_in_one_line_when_the_sandbox_user_cannot_run_python(autograder_zip):
    """As with a Python built under /root (pyenv): the interpreter lies in a folder that only
    root may enter."""
    hidden = "/opt/hidden-python"
    python = "/usr/bin/python3.11"  # the system's own, whose standard library stays in /usr
    if not os.path.exists(python):
        pytest.skip(f"needs {python}")
    prepare = f"mkdir -m 700 {hidden} && cp {python} {hidden}/python3.11"
    with pytest.raises(ConfigError) as failed:
        with local.container(autograder_zip, prepare=prepare,
                             setup_env=f"NNFS_PYTHON={hidden}/python3.11"):
            pass
    lines = [line for line in str(failed.value).splitlines() if "setup.sh failed:" in line]
    assert len(lines) == 1, str(failed.value)
    assert "nnfs-student cannot start" in lines[0] and "readable by every user" in lines[0]
