"""The `student` fixture: the submission the hidden graders judge.

Run plainly (`pytest autograder/graders`), the graders judge the reference implementations, which
is how CI proves they give full marks. The grading engine registers a plugin named "nnfs-engine"
whose `open`/`close` hand over each student's sandboxed submission in turn.
"""

import pytest

from autograder.engine.graders import ENGINE_PLUGIN
from autograder.harness import ReferenceSubmission


@pytest.fixture(scope="module")
def student(request):
    assignment = request.module.ASSIGNMENT
    engine = request.config.pluginmanager.get_plugin(ENGINE_PLUGIN)
    if engine is None:
        yield ReferenceSubmission(assignment)
        return
    submission = engine.open(assignment, request.param)
    yield submission
    engine.close(request.param, submission)
