"""`publish` gives students exactly the release, leak-checked, and never the course repository."""

import json
import zipfile

from autograder.config import get_assignment
from autograder.pipeline.solutions import solution_lines
from autograder.reference_code import reference_function


def _published(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_publish_writes_exactly_the_release_and_a_readme(run_cli, course_copy, tmp_path):
    out = tmp_path / "students"
    result = run_cli("--root", course_copy, "publish", "01_forward_pass", "--to", out)
    assert result.exit_code == 0, result.output
    assert "leak check passed" in result.output
    assert _published(out) == ["01_forward_pass/01_forward_pass.ipynb", "README.md"]
    release = course_copy / "release" / "01_forward_pass" / "01_forward_pass.ipynb"
    assert (out / "01_forward_pass" / "01_forward_pass.ipynb").read_bytes() == \
        release.read_bytes()


def test_publish_into_a_clone_keeps_git_and_refuses_strangers(run_cli, course_copy, tmp_path):
    out = tmp_path / "students"
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert run_cli("--root", course_copy, "publish", "--to", out).exit_code == 0
    assert (out / ".git" / "HEAD").exists()
    (out / "solutions.py").write_text("x = 1\n")
    result = run_cli("--root", course_copy, "publish", "--to", out)
    assert result.exit_code == 1
    assert "holds files publish did not write (solutions.py)" in result.output


def test_publish_zip_holds_only_the_release(run_cli, course_copy, tmp_path):
    out = tmp_path / "dist" / "week1.zip"
    result = run_cli("--root", course_copy, "publish", "01_forward_pass", "--zip", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["01_forward_pass/01_forward_pass.ipynb",
                                              "README.md"]


def test_publish_refuses_a_leaky_release_and_writes_nothing(run_cli, course_copy, tmp_path):
    assignment = get_assignment("01_forward_pass")
    line = next(line for line in solution_lines(reference_function(assignment, "relu"))
                if len(line.strip()) >= 12)
    release = assignment.release_notebook(course_copy)
    nb = json.loads(release.read_text())
    nb["cells"].append({"cell_type": "code", "id": "planted", "metadata": {}, "source": line,
                        "outputs": [],
                        "execution_count": None})
    release.write_text(json.dumps(nb))
    out = tmp_path / "students"
    result = run_cli("--root", course_copy, "publish", "01_forward_pass", "--to", out)
    assert result.exit_code == 1
    assert "a line of a reference solution survives" in result.output
    assert not out.exists()


def test_publish_refuses_a_target_inside_the_course(run_cli, course_copy):
    result = run_cli("--root", course_copy, "publish", "--to", course_copy / "public")
    assert result.exit_code == 1
    assert "inside the course repository" in result.output


def test_publish_needs_one_target(run_cli, course_copy):
    result = run_cli("--root", course_copy, "publish")
    assert result.exit_code == 2
    assert "exactly one of --to DIR and --zip FILE" in result.output
