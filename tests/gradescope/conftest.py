"""Fixtures for the Gradescope tests: the autograder zip, and a throwaway container set up once."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.gradescope import local
from autograder.gradescope.build import build


@pytest.fixture(scope="session")
def autograder_zip(tmp_path_factory) -> Path:
    return build("01_forward_pass", tmp_path_factory.mktemp("zip") / "autograder.zip")


@pytest.fixture(scope="module")
def container(autograder_zip):
    """The zip unpacked in /autograder/source of a scratch root, after setup.sh has run."""
    why = local.Container.possible()
    if why:
        pytest.skip(f"the simulated Gradescope container {why}")
    with local.container(autograder_zip) as box:
        yield box
    with open("/proc/mounts") as mounts:
        assert "nnfs-gradescope-" not in mounts.read(), "a mount of the container outlived it"
    assert not box.scratch.exists()
