"""04_training's graders when training does not return: every training grader fails with the
time limit, and the rest of the assignment keeps its marks. (The reference, stubs and mutants of
every assignment are judged in test_graders.py.)"""

from autograder.config import get_assignment, limits
from autograder.engine.graders import run_graders
from autograder.graders.training.loop import NEVER_RETURNS
from autograder.harness import ReferenceSubmission, StudentError

ASSIGNMENT = "04_training"
CONFIG = get_assignment(ASSIGNMENT)


class _TimesOut(ReferenceSubmission):
    """The reference, but train_classifier runs into the time limit, as the engine reports it."""

    def __init__(self):
        super().__init__(ASSIGNMENT)
        self.training_calls = 0

    def _invoke(self, function, args, kwargs, timeout=None):
        if function == "train_classifier":
            self.training_calls += 1
            raise StudentError("timeout", "stopped after 60 s")
        return super()._invoke(function, args, kwargs, timeout)


def test_training_that_never_returns_fails_every_training_grader_with_the_limit():
    submission = _TimesOut()
    run = run_graders(ASSIGNMENT, submission)
    limit = f"time limit of {limits().call_timeout('train_classifier'):g} seconds"
    training = [t for t in run.tests if t.function == "train_classifier"]
    assert training and all(t.score == 0 and t.outcome == "failed" for t in training)
    assert all(t.mistake == NEVER_RETURNS.title and limit in t.output for t in training), [
        t.output for t in training]
    assert submission.training_calls == 1  # the short runs do not wait for it again
    assert {f: s for f, s in run.by_function().items() if f != "train_classifier"} == {
        f: (p, p) for f, p in CONFIG.points.items() if f != "train_classifier"}
