"""The `student` fixture: the submission the hidden graders judge.

Run plainly (`pytest autograder/graders`), the graders judge the reference implementations, which
is how CI proves they give full marks. The grading engine registers a plugin named "nnfs-engine"
whose `submission(assignment)` hands over a sandboxed student submission instead.
"""

import pytest

from autograder.harness import ReferenceSubmission

ENGINE_PLUGIN = "nnfs-engine"


@pytest.fixture(scope="module")
def student(request):
    assignment = request.module.ASSIGNMENT
    engine = request.config.pluginmanager.get_plugin(ENGINE_PLUGIN)
    if engine is not None:
        return engine.submission(assignment)
    return ReferenceSubmission(assignment)
