"""The calls the graders make of a submission, learned from the submissions a worker grades.

The graders' inputs are constants or seeded, so they make the same calls of every submission
until an answer differs from what they expect (a check stops early, a diagnosis calls again).
A worker keeps the planned calls of the last submission it graded, and of the first one whose
grading went as the reference's would (every call returned, no diagnosis, no rerun) for good:
each next submission's process gets them in one request as soon as it loads
(`StudentProcess.prefetch`). A plan only saves round trips: a call that is not in it, or not
where the plan expects it, goes one at a time, so a plan learned from a wrong answer is slower,
never wrong.
"""

from __future__ import annotations

from autograder.sandbox.batch import Planned


class CallPlan:
    """One worker's plan: the planned calls, and whether they are settled."""

    def __init__(self) -> None:
        self.calls: list[Planned] = []
        self.settled = False  # learned from a grading that strayed nowhere: kept from now on

    @property
    def learning(self) -> bool:
        return not self.settled

    def learn(self, made: list[Planned] | None, clean: bool) -> None:
        """Take the planned calls `made` of a submission just graded (`clean`: nothing
        strayed from the plan's path)."""
        if self.settled or not made:
            return
        self.calls = list(made)
        self.settled = clean
