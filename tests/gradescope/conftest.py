"""Fixtures for the Gradescope tests: the autograder zip, and a throwaway container set up once."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from container import Container

from autograder.gradescope.build import build


@pytest.fixture(scope="session")
def autograder_zip(tmp_path_factory) -> Path:
    return build("01_forward_pass", tmp_path_factory.mktemp("zip") / "autograder.zip")


@pytest.fixture(scope="module")
def container(autograder_zip):
    """The zip unpacked in /autograder/source of a scratch root, after setup.sh has run."""
    why = Container.possible()
    if why:
        pytest.skip(f"the simulated Gradescope container {why}")
    scratch = Path(tempfile.mkdtemp(prefix="nnfs-gradescope-", dir="/var/tmp"))
    box = Container(scratch / "root")
    try:
        box.unpack(autograder_zip)
        setup = box.run("cd /autograder/source && bash setup.sh", timeout=1200)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        box.setup_output = setup.stdout
        yield box
    finally:
        box.remove()
        for path in scratch.iterdir():
            path.rmdir()
        scratch.rmdir()
