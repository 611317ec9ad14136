"""Isolation levels, the weaker fallbacks, cleanup, and one template serving many loads."""

import numpy as np
import pytest
from sandbox_helpers import LIMITS, notebook_cells, processes_with

from autograder.harness import StudentError
from autograder.sandbox import levels
from autograder.sandbox.process import Sandbox, isolation_level

NOTEBOOK = notebook_cells(
    "import numpy as np",
    "def dense_forward(X, W, b):\n    return X @ W + b",
    "def hang():\n    while True:\n        pass",
)


def test_the_first_level_that_keeps_the_minimum_is_chosen_and_a_name_forces_one(monkeypatch):
    monkeypatch.delenv(levels.ISOLATION_ENV, raising=False)
    expected = next(level for level in levels.LEVELS
                    if levels.EVERY <= levels.promises(level) and levels.available(level))
    assert isolation_level() == expected
    monkeypatch.setenv(levels.ISOLATION_ENV, "unshare")
    assert isolation_level() == "unshare" or not levels.available("unshare")
    assert isolation_level("bwrap") == "bubblewrap" or not levels.available("bubblewrap")
    with pytest.raises(ValueError, match="unknown isolation level"):
        isolation_level("chroot")


def test_a_level_that_lets_code_write_the_course_needs_trusted_notebooks(monkeypatch):
    monkeypatch.setenv(levels.ISOLATION_ENV, "none")
    with pytest.raises(levels.Refused, match="--trusted"):
        isolation_level()
    assert isolation_level(levels.policy(trusted=True)) == "none"
    with pytest.raises(ValueError, match="unknown isolation promise"):
        levels.Policy(minimum=frozenset({"read", "teleport"}))


def test_the_minimum_decides_by_promises_and_no_candidate_fails_closed(monkeypatch):
    monkeypatch.delenv(levels.ISOLATION_ENV, raising=False)
    weaker = levels.Policy(minimum=frozenset({"write", "see"}), order=("none", "unshare"))
    assert weaker.candidates() == ["unshare"]  # "none" keeps no promise
    impossible = levels.Policy(order=("none", "unshare"))
    assert impossible.candidates() == []
    with pytest.raises(levels.Unavailable, match="no student code was run"):
        isolation_level(impossible)
    with pytest.raises(levels.Unavailable, match="no student code was run"):
        levels.named(impossible)
    assert "| bubblewrap | kept | kept | kept | kept | kept | kept |" in levels.table()


@pytest.mark.parametrize("level", ["none", "unshare"])
def test_weaker_levels_still_grade_and_say_what_is_weaker(level):
    if not levels.available(level):
        pytest.skip(f"{level} does not work here")
    with Sandbox(LIMITS, levels.policy(level, trusted=True)) as sb:
        assert sb.isolation == level
        assert "CAN read the hidden graders" in sb.warning
        proc = sb.load(NOTEBOOK)
        X, W, b = np.ones((2, 3)), np.ones((3, 2)), np.zeros(2)
        np.testing.assert_allclose(proc.call("dense_forward", (X, W, b), {}).value, X @ W + b)
        with pytest.raises(StudentError) as info:
            proc.call("hang", (), {})
        assert info.value.kind == "timeout"
        assert proc.call("dense_forward", (X, W, b), {}).value.shape == (2, 2)
        marker = sb.marker
        assert processes_with(marker)
    assert not processes_with(marker)


def test_full_isolation_has_no_warning():
    if not levels.available("bubblewrap"):
        pytest.skip("bubblewrap does not work here")
    with Sandbox(LIMITS, isolation="bubblewrap") as sb:
        assert sb.isolation == "bubblewrap" and sb.warning == ""


def test_one_template_serves_every_load_and_every_call():
    """Each load forks the running template rather than starting one; the times are
    benchmarks/sandbox_speed.py's to print."""
    X, W, b = np.ones((4, 3)), np.ones((3, 5)), np.zeros(5)
    with Sandbox(LIMITS) as sb:
        for _ in range(10):
            proc = sb.load(NOTEBOOK)
            assert [cell.status for cell in proc.cells] == ["ok"] * 3
        for _ in range(100):
            np.testing.assert_array_equal(proc.call("dense_forward", (X, W, b), {}).value,
                                          np.full((4, 5), 3.0))
        assert sb.timings["template_starts"] == 1


def test_the_user_level_needs_root_and_its_dedicated_user(monkeypatch):
    from autograder.sandbox import launch

    assert levels.LEVELS.index("user") < levels.LEVELS.index("unshare")
    monkeypatch.setenv(launch.SANDBOX_USER_ENV, "no-such-user-here")
    levels.available.cache_clear()
    try:
        assert launch.sandbox_user() is None
        assert not levels.available("user")
        with pytest.raises(levels.Unavailable, match="'user' does not work.*no dedicated user"):
            isolation_level("user")
        monkeypatch.setenv(launch.SANDBOX_USER_ENV, "0")
        assert launch.sandbox_user() is None  # never root
    finally:
        levels.available.cache_clear()
    monkeypatch.setenv(launch.SANDBOX_USER_ENV, "64123")
    assert launch.sandbox_user() == ("64123", 64123, 64123)
    assert "network" in levels.warning("user") and "user 64123" in levels.warning("user")
    assert "connect" not in levels.promises("user") and "write" in levels.promises("user")
    graders = launch.HERE.parent / "graders"
    assert ("readable by every user" in levels.warning("user")) == levels.readable_by_all(graders)


def test_readable_by_all_follows_every_folder_above():
    import shutil
    import tempfile
    from pathlib import Path

    top = Path(tempfile.mkdtemp(dir="/var/tmp"))  # below / and /var/tmp, both open to all
    try:
        folder = top / "a" / "graders"
        folder.mkdir(parents=True)
        for path in (top, top / "a", folder):
            path.chmod(0o755)
        assert levels.readable_by_all(folder)
        (top / "a").chmod(0o700)
        assert not levels.readable_by_all(folder)
        (top / "a").chmod(0o755)
        folder.chmod(0o700)
        assert not levels.readable_by_all(folder)
    finally:
        shutil.rmtree(top)


def test_the_readme_shows_the_promises_of_every_level():
    from autograder.config import COURSE_ROOT

    readme = (COURSE_ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- isolation-table -->\n")[1].split("\n<!-- /isolation-table -->")[0]
    assert shown == levels.table()
    for promise in levels.PROMISES:
        assert f"| {promise} | " in readme
