"""Planned calls sent to a student process in one request, each answer read when it is needed.

The graders' inputs are fixed, so the calls they make of one submission are, call for call, the
calls they made of the last one. A `StudentProcess` sends such planned calls in one batch request
right after the notebook loads; its child runs them in order, each exactly as a call of its own
(its own CPU-time limit and wall-clock backstop, memory limit, output and fresh copies of its
arguments), and writes each answer on its own line. The grader's side reads an answer only when
the graders make that very call (same function, arguments, keyword arguments and limit), and
judges it as it would the answer to a call of its own: same messages, same consequences for the
child. A planned call the graders do not make is passed over and charges nothing: not its result,
not its time. A call that ran out of time or memory, or crashed the child, ends the batch there,
and every call after it goes one at a time; so does one whose answer is not an answer (see
`Prefetch._drop`).

The planned calls are the same for every submission a worker grades once its plan is settled, so
a plan sent in full to two children in a row is handed to the template as well, which decodes it
once and keeps it (`KeptPlans`): every child forked after that has it in its memory, and its
batch request names the plan instead of carrying it (about 50 kB of JSON for 01_forward_pass,
each call's arguments decoded again in each child).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autograder.sandbox import channel, codec
from autograder.sandbox.calls import StudentError
from autograder.sandbox.replies import valid_reply

if TYPE_CHECKING:
    from autograder.sandbox.student import ChildPipes, StudentProcess

SEND_SECONDS = 5.0  # to hand the batch to a child that is waiting for its next request
KEEP_PLANS = 4  # plans a template keeps for its children (sent with each plan to inside/plans.py)
_ENDS_BATCH = {"timeout", "memory", "crash"}  # kinds after which the child runs no more of it


@dataclass
class Planned:
    """One call the graders are expected to make: as it is sent, and as values to compare."""

    function: str
    plain: dict  # {"args", "kwargs"} as plain data, as a request carries them
    timeout: float  # its limit in seconds of CPU time
    _values: tuple | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, function: str, args: tuple, kwargs: dict, timeout: float,
           plain: dict | None = None) -> Planned | None:
        """The call as a plan holds it; None for one that cannot be planned (a handle to a
        function the graders define on the student's side exists only once they have)."""
        if codec.mentions_remote((args, kwargs)):
            return None
        if plain is None:
            plain = {"args": codec.to_plain(list(args)), "kwargs": codec.to_plain(kwargs)}
        return cls(function, plain, float(timeout))

    def values(self) -> tuple[tuple, dict]:
        """(args, kwargs), decoded once."""
        if self._values is None:
            self._values = (tuple(codec.from_plain(self.plain["args"])),
                            codec.from_plain(self.plain["kwargs"]))
        return self._values

    def matches(self, function: str, args: tuple, kwargs: dict, timeout: float) -> bool:
        if function != self.function or timeout != self.timeout:
            return False
        planned_args, planned_kwargs = self.values()
        return codec.same(planned_args, args) and codec.same(planned_kwargs, kwargs)


def calls_of(planned: list[Planned], wall_multiple: float) -> list[dict]:
    """The calls of a batch request, as the child runs them."""
    calls = []
    for each in planned:
        wall = each.timeout * wall_multiple
        calls.append({"function": each.function, **each.plain, "timeout": wall,
                      "cpu": min(each.timeout, wall)})
    return calls


class KeptPlans:
    """The grader's record of the plans its sandbox's template keeps for the children it forks.

    A child has the plans its template held when it was forked (`ChildPipes.plans`, a snapshot
    of `kept`); a batch request names one of those only. A template that restarts holds none."""

    def __init__(self) -> None:
        self.kept: list[tuple[int, list[Planned], float]] = []  # (key, calls, wall multiple)
        self.last: list[Planned] = []  # the planned calls last sent in full
        self.keys = 0

    @staticmethod
    def find(kept: tuple, planned: list[Planned], wall_multiple: float) -> int | None:
        """The key of a kept plan that starts with these very calls (the budget may send
        fewer), or None."""
        for key, calls, multiple in kept:
            if (multiple == wall_multiple and len(planned) <= len(calls)
                    and all(a is b for a, b in zip(planned, calls))):
                return key
        return None

    def offer(self, planned: list[Planned], wall_multiple: float) -> int | None:
        """A new key when `planned` was sent in full twice in a row (then the template should
        keep it), else None."""
        again = len(planned) == len(self.last) and all(a is b for a, b in zip(planned, self.last))
        self.last = list(planned)
        if not again or self.find(tuple(self.kept), planned, wall_multiple) is not None:
            return None
        self.keys += 1
        return self.keys

    def add(self, key: int, planned: list[Planned], wall_multiple: float) -> None:
        """The template keeps `planned` under `key` now, and drops its oldest beyond KEEP_PLANS."""
        self.kept = [*self.kept, (key, list(planned), wall_multiple)][-KEEP_PLANS:]

    def clear(self) -> None:
        self.kept, self.last = [], []


class Prefetch:
    """One batch request's answers, read in order as far as the graders' calls need them."""

    def __init__(self, process: StudentProcess, planned: list[Planned], wall_multiple: float,
                 grace: float):
        self.process = process
        self.planned = planned
        self.wall_multiple = wall_multiple
        self.grace = grace
        self.child: ChildPipes | None = process._child  # its answers come from this child only
        self.id = process._requests
        self.nonce = secrets.token_hex(16)
        self.answers: list[tuple[Any, float]] = []  # (decoded answer or StudentError, seconds)
        self.cursor = 0  # the planned calls before it were served or passed over
        self.done = False  # no more answers will come

    def request(self) -> dict:
        key = KeptPlans.find(self.child.plans, self.planned, self.wall_multiple)
        if key is not None:
            return {"op": "batch", "plan": key, "count": len(self.planned), "id": self.id,
                    "nonce": self.nonce}
        return {"op": "batch", "calls": calls_of(self.planned, self.wall_multiple), "id": self.id,
                "nonce": self.nonce}

    def send(self) -> bool:
        """Hand the batch to the child; False (and the child ended) when it does not take it."""
        request = self.request()
        try:
            channel.write(self.child.request_fd, request, time.monotonic() + SEND_SECONDS)
        except (channel.ChannelTimeout, channel.ChannelClosed):
            self.process._replace()
            self.done = True
            return False
        if "calls" in request:
            self.process._sandbox._offer_plan(self.planned, self.wall_multiple,
                                              request["calls"])
        return True

    def take(self, function: str, args: tuple, kwargs: dict,
             timeout: float) -> tuple[Any, float] | None:
        """The answer to this call when it is a planned call at or after the cursor (the ones
        before it are passed over), or None: then it goes one at a time."""
        for index in range(self.cursor, len(self.planned)):
            if self.planned[index].matches(function, args, kwargs, timeout):
                break
        else:
            return None
        while len(self.answers) <= index and not self.done:
            self._read_next()
        if index >= len(self.answers):
            return None  # the batch ended before it
        self.cursor = index + 1
        return self.answers[index]

    def settle(self) -> None:
        """Read every answer still to come: the child serves no other request before."""
        while not self.done:
            self._read_next()

    def _read_next(self) -> None:
        index = len(self.answers)
        process, planned = self.process, self.planned[index]
        if process._child is not self.child or self.child is None:
            self.done = True  # the child was ended meanwhile: nothing more will come
            return
        wall = planned.timeout * self.wall_multiple
        started = time.monotonic()
        failure = reply = None
        try:
            reply = self.child.reader.read(started + wall + self.grace)
        except channel.ChannelTimeout:
            failure = "timeout"
        except (channel.ChannelClosed, channel.ProtocolError) as error:
            failure = channel.failure_of(error)
        seconds = time.monotonic() - started
        request = {"op": "call", "id": self.id, "nonce": self.nonce, "index": index}
        if failure == "garbage" or (failure is None and not valid_reply(reply, request)):
            self._drop()  # see _drop
            return
        try:
            judged = process._judge(reply, failure, seconds, request, wall, planned.timeout,
                                    process._left(), checked=True)
        except StudentError as error:
            self._keep(error, seconds, ended=failure is not None or error.kind in _ENDS_BATCH)
            return
        args, kwargs = planned.values()
        try:
            answer = process._decoded(judged, args, kwargs)
        except StudentError:
            self._drop()
            return
        self._keep(answer, seconds, ended=False)

    def _keep(self, answer: Any, seconds: float, ended: bool) -> None:
        self.answers.append((answer, seconds))
        if ended or len(self.answers) == len(self.planned) or self.process._child is not self.child:
            self.done = True

    def _drop(self) -> None:
        """End the batch at an answer that is not one (garbage, or values that are not plain
        data). Any call of the batch may have written it, an earlier one too (forging a reply
        is a line written on the channel), so it is charged to none: the child is ended, and
        the call goes one at a time if the graders make it, as an extra reply between two
        requests is treated."""
        self.process._replace()
        self.done = True
