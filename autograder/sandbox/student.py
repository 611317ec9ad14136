"""One submission's process, as the grader sees it: load the cells, then call, define, has.

Everything that comes back is checked before it is believed: it must be one JSON object carrying
the id and nonce of the request just sent, with exactly the fields that request's answer has, and
its values must decode as plain data (sandbox/replies.py). Anything else is treated as a crash of
that request. Planned calls can be sent ahead in one request (`prefetch`, sandbox/batch.py).
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from typing import Any, Protocol

from autograder.config import Limits
from autograder.sandbox import channel, codec
from autograder.sandbox.batch import Planned, Prefetch
from autograder.sandbox.calls import Call, StudentError
from autograder.sandbox.replies import valid_reply

GRACE = 1.0  # seconds past a limit before the process is killed from outside
# A call's limit is CPU time; it may take this many times as long by the wall clock (a busy
# machine stretches wall time, not CPU time), which stops code that waits instead of computing.
WALL_MULTIPLE = 4
MAX_MESSAGE = 3000  # characters of an error message kept
MAX_OUTPUT = 100_000  # characters of a cell's output kept
CELL_STATUSES = {"ok", "error", "timeout", "skipped"}


@dataclass
class CellResult:
    index: int
    status: str  # "ok" | "error" | "timeout" | "crash" | "skipped"
    error: str = ""
    output: str = ""


class ChildPipes:
    """One forked student process, as the grader sees it: a pipe each way."""

    def __init__(self, pid: int, request_fd: int, response_fd: int, limit: int,
                 plans: tuple = ()):
        self.pid = pid
        self.plans = plans  # the plans its template kept when it forked it (batch.KeptPlans)
        self.request_fd = request_fd
        self.reader = channel.Reader(response_fd, limit=limit)
        os.set_blocking(request_fd, False)

    def close(self) -> None:
        channel.close(self.request_fd, self.reader.fd)


class Host(Protocol):
    """What a StudentProcess needs of its sandbox (process.Sandbox)."""

    limits: Limits

    def _fork(self, owner: StudentProcess, cells: list[str], skip: set[int],
              nonce: str) -> ChildPipes: ...

    def _end_child(self, owner: StudentProcess) -> str | None: ...

    def _offer_plan(self, planned: list[Planned], wall_multiple: float,
                    calls: list[dict]) -> None: ...


class StudentProcess:
    """A notebook loaded in the sandbox. Made by `Sandbox.load`."""

    def __init__(self, sandbox: Host, cells: list[str], skip: set[int]):
        self._sandbox = sandbox
        self._sources = cells
        self._skip = set(skip)
        self.cells: list[CellResult] = []
        self.used = 0.0  # seconds of the submission's budget spent so far
        self.timings: dict[str, float] = {}
        self._child: ChildPipes | None = None
        self._prefetch: Prefetch | None = None
        self.made: list[Planned] | None = None  # see record()
        self._requests = 0
        self._closed = False
        self._unloadable = ""
        started = time.perf_counter()
        self._load()
        self.timings["load"] = time.perf_counter() - started

    # -- public ---------------------------------------------------------------------------

    @property
    def budget(self) -> float:
        return float(self._sandbox.limits.submission_seconds)

    def call(self, function: str, args: tuple = (), kwargs: dict | None = None,
             timeout: float | None = None, planned: bool = True) -> Call:
        """Call the student's `function`; raise StudentError when it does not return a value.

        `timeout` is the call's limit in seconds of CPU time (default: the function's in the
        limits); it may take WALL_MULTIPLE times as long by the wall clock. A `planned` call
        that a prefetch holds is answered from it (see prefetch); the others go on their own."""
        args, kwargs = tuple(args), dict(kwargs or {})
        if timeout is None:
            timeout = self._sandbox.limits.call_timeout(function)
        if planned and self._prefetch is not None:
            found = self._prefetch.take(function, args, kwargs, timeout)
            if found is not None:
                answer, seconds = found
                self.used += seconds
                planned_call = self._prefetch.planned[self._prefetch.cursor - 1]
                self._made(function, args, kwargs, timeout, planned_call)
                if isinstance(answer, StudentError):
                    raise StudentError(answer.kind, answer.message)
                value, after, after_kw, output = answer
                after, after_kw = _own_where_same(after, after_kw, planned_call, args, kwargs)
                return Call(function, args, kwargs, value, after, after_kw, seconds, output)
        payload = {"op": "call", "function": function, "args": codec.to_plain(list(args)),
                   "kwargs": codec.to_plain(kwargs)}
        if planned:
            self._made(function, args, kwargs, timeout, payload)
        reply, seconds = self._request(payload, timeout * WALL_MULTIPLE, cpu=timeout)
        value, after, after_kw, output = self._decoded(reply, args, kwargs)
        return Call(function, args, kwargs, value, after, after_kw, seconds, output)

    def prefetch(self, planned: list[Planned]) -> None:
        """Send `planned` calls in one request, now: the child runs them in order while the
        graders get going, and a later `call` that is one of them (the same function, arguments
        and limit, at or after the last one served) takes its answer instead of a round trip.

        Only as many are sent as the budget left could pay for at their limits, and none whose
        wall-clock limit the budget would cut. An answer is charged, its time too, only when the
        graders make its call."""
        if self._child is None or self._prefetch is not None:
            return
        chosen, total, left = [], 0.0, self._left()
        for each in planned:
            total += each.timeout
            if total > left or each.timeout * WALL_MULTIPLE > left:
                break
            chosen.append(each)
        if chosen:
            self._requests += 1
            prefetch = Prefetch(self, chosen, WALL_MULTIPLE, GRACE)
            if prefetch.send():
                self._prefetch = prefetch

    def record(self) -> None:
        """Keep the planned calls made from now on (`made`): a plan for the next submission."""
        self.made = []

    def _made(self, function: str, args: tuple, kwargs: dict, timeout: float,
              sent: Planned | dict) -> None:
        if self.made is None:
            return
        if isinstance(sent, Planned):
            self.made.append(sent)
        else:
            plain = {"args": sent["args"], "kwargs": sent["kwargs"]}
            found = Planned.of(function, args, kwargs, timeout, plain)
            if found is not None:
                self.made.append(found)

    def _decoded(self, reply: dict, args: tuple, kwargs: dict) -> tuple:
        """(value, args_after, kwargs_after, output) of a call's reply; a reply that is not
        plain data, or not about `args` and `kwargs`'s names, is a crash. Arguments the child
        says are as sent (codec.SAME) are the grader's own `args` and `kwargs`."""
        try:
            value = codec.from_plain(reply["value"])
            after = list(args) if reply["args_after"] == codec.SAME \
                else codec.from_plain(reply["args_after"])
            after_kw = dict(kwargs) if reply["kwargs_after"] == codec.SAME \
                else codec.from_plain(reply["kwargs_after"])
            if not isinstance(after, list) or len(after) != len(args):
                raise codec.CodecError("arguments")
            if not isinstance(after_kw, dict) or set(after_kw) != set(kwargs):
                raise codec.CodecError("keyword arguments")
        except (codec.CodecError, KeyError, TypeError, ValueError, RecursionError):
            self._replace()
            raise StudentError("crash", _MALFORMED) from None
        return value, tuple(after), after_kw, reply["output"]

    def define(self, name: str, source: str) -> None:
        """Run grader-written `source` in the student's namespace."""
        self._request({"op": "define", "name": name, "source": source},
                      self._sandbox.limits.call_seconds)

    def has(self, name: str) -> bool:
        try:
            reply, _ = self._request({"op": "has", "name": name}, self._sandbox.limits.call_seconds)
        except StudentError:
            return False
        return reply["value"] is True

    def functions(self) -> list[str]:
        """The names of the functions (callables) the notebook defined."""
        reply, _ = self._request({"op": "list"}, self._sandbox.limits.call_seconds)
        return list(reply["value"])

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._child is not None:
            self._sandbox._end_child(self)
            self._lose_child()

    def __enter__(self) -> StudentProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- loading --------------------------------------------------------------------------

    def _left(self) -> float:
        return self.budget - self.used

    def _load(self) -> None:
        """Fork and run the cells; a cell that kills its process is skipped in a new fork."""
        limits = self._sandbox.limits
        count = len(self._sources)
        while True:
            nonce = secrets.token_hex(16)
            started = time.monotonic()
            budget_end = started + self._left()
            child = self._sandbox._fork(self, self._sources, self._skip, nonce)
            index, failure, last = 0, None, time.monotonic()
            try:
                while True:
                    deadline = min(last + limits.cell_seconds + GRACE, budget_end)
                    message = child.reader.read(deadline)
                    if index == count and message == {"nonce": nonce, "loaded": True}:
                        break
                    result = _cell_result(message, nonce, index)
                    if index == len(self.cells):
                        self.cells.append(result)
                    index, last = index + 1, time.monotonic()
            except channel.ChannelTimeout:
                failure = "timeout"
            except channel.ProtocolError:
                failure = "garbage"
            except channel.ChannelClosed:
                failure = "crash"
            finally:
                self.used += time.monotonic() - started
            if failure is None:
                self._child = child
                return
            child.close()
            status = self._sandbox._end_child(self)
            if self._left() <= 0:
                self._record(index, "timeout", _budget_message(self.budget))
                for later in range(index + 1, count):
                    self._record(later, "skipped", "not run: " + _budget_message(self.budget))
                self._unloadable = _budget_message(self.budget)
                return
            if index >= count:
                self._unloadable = "the notebook's process stopped after its last cell ran"
                return
            if failure == "timeout":
                text = f"the cell ran longer than the {limits.cell_seconds:g} s limit"
            elif failure == "garbage":
                text = "the cell wrote garbage onto the grader's channel, so its process was ended"
            else:
                text = "the cell stopped the notebook's process"
                text += f" ({status})" if status else ""
            self._record(index, "timeout" if failure == "timeout" else "crash", text)
            self._skip.add(index)

    def _record(self, index: int, status: str, text: str) -> None:
        if index == len(self.cells):
            self.cells.append(CellResult(index, status, text, ""))

    def _lose_child(self) -> None:
        """Our child was ended (another submission was loaded, or the sandbox restarted)."""
        if self._child is not None:
            self._child.close()
            self._child = None

    def _replace(self) -> None:
        """End the child after a failure; the next request forks a fresh one."""
        if self._child is not None:
            self._lose_child()
            self._sandbox._end_child(self)

    # -- requests -------------------------------------------------------------------------

    def _request(self, payload: dict, timeout: float,
                 cpu: float | None = None) -> tuple[dict, float]:
        """Send one request, at most `timeout` seconds by the wall clock and `cpu` of CPU time."""
        if self._closed:
            raise RuntimeError("this student process is closed")
        if self._prefetch is not None:
            self._prefetch.settle()  # the child answers nothing else before its batch
        if self._left() <= 0:
            raise StudentError("budget", _budget_message(self.budget))
        if self._child is not None and (self._child.reader.buffer
                                        or channel.readable(self._child.reader.fd)):
            # It died, or wrote something, between requests: not this request's doing.
            self._replace()
        if self._child is None:
            if self._unloadable:
                raise StudentError("crash", self._unloadable)
            self._load()
            if self._child is None:
                kind = "budget" if self._left() <= 0 else "crash"
                raise StudentError(kind, self._unloadable)
        left = self._left()
        if left <= 0:
            raise StudentError("budget", _budget_message(self.budget))
        limit = min(timeout, left)
        self._requests += 1
        request = dict(payload, id=self._requests, nonce=secrets.token_hex(16), timeout=limit)
        if cpu is not None:
            request["cpu"] = min(cpu, limit)
        child = self._child
        started = time.monotonic()
        deadline = started + limit + GRACE
        failure = reply = None
        try:
            channel.write(child.request_fd, request, deadline)
            reply = child.reader.read(deadline)
        except channel.ChannelTimeout:
            failure = "timeout"
        except (channel.ChannelClosed, channel.ProtocolError) as error:
            failure = channel.failure_of(error)
        seconds = time.monotonic() - started
        self.used += seconds
        return self._judge(reply, failure, seconds, request, timeout, cpu, left), seconds

    def _judge(self, reply: dict | None, failure: str | None, seconds: float, request: dict,
               timeout: float, cpu: float | None, left: float, checked: bool = False) -> dict:
        """The reply to `request`, or the StudentError it comes to; a child that failed is ended.

        `failure` is what went wrong reading it, `seconds` how long it took by the wall clock,
        `left` the budget left when it was sent; `checked`: the reply is known to be valid."""
        limit = min(timeout, left)
        if failure is None and not checked and not valid_reply(reply, request):
            failure = "garbage"
        if failure is None and not reply["ok"] and reply["kind"] == "timeout":
            failure = "soft-timeout"
        if failure in ("timeout", "soft-timeout"):
            if failure == "timeout" or reply.get("ended") is True:  # ended: it caught the limit
                self._replace()
            waited = seconds >= limit  # the wall clock stopped it, not its CPU time
            if (waited and left < timeout) or (cpu is not None and left < cpu):
                raise StudentError("budget", _budget_message(self.budget))
            message = _limit_message(timeout, cpu)
            progress = reply.get("progress") if failure == "soft-timeout" else None
            if isinstance(progress, str) and progress:
                message += f"; {progress[:300]}"
            raise StudentError("timeout", message)
        if failure == "garbage":
            self._replace()
            raise StudentError("crash", _MALFORMED)
        if failure == "too-long":
            most = self._child.reader.limit // 2**20
            self._replace()
            raise StudentError("bad-output", "what it returned is too large to send back "
                               f"(more than {most} MB)")
        if failure == "crash":
            self._lose_child()
            status = self._sandbox._end_child(self)
            raise StudentError("crash", "the process running it stopped"
                               + (f" ({status})" if status else ""))
        if not reply["ok"]:
            kind, message = reply["kind"], reply["message"][:MAX_MESSAGE]
            if kind == "memory":
                self._replace()
                message = (f"it used more than the {self._sandbox.limits.memory_mb} MB "
                           "memory limit")
            elif kind == "crash":
                self._replace()
            raise StudentError(kind, message)
        return reply


_MALFORMED = ("the process running it wrote something that is not an answer onto the grader's "
              "channel, so it was ended")


def _own_where_same(after: tuple, after_kw: dict, planned: Planned, args: tuple,
                    kwargs: dict) -> tuple[tuple, dict]:
    """A planned call's arguments after it, with the grader's own `args` and `kwargs` where the
    child left an argument as sent (its answer holds the plan's values there, which are the
    same data): as the answer to a call of its own would, so that a check sees them unchanged
    without comparing them."""
    planned_args, planned_kwargs = planned.values()
    after = tuple(mine if value is sent else value
                  for value, sent, mine in zip(after, planned_args, args, strict=True))
    after_kw = {key: kwargs[key] if value is planned_kwargs.get(key) else value
                for key, value in after_kw.items()}
    return after, after_kw


def _limit_message(wall: float, cpu: float | None) -> str:
    """The same words whichever clock stopped the call: on a busy machine the wall clock may stop
    an endless loop before its CPU time runs out, and its message must not depend on that."""
    if cpu is None:
        return f"it ran longer than the {wall:g} s limit"
    return f"it ran longer than its limit of {cpu:g} s of computing time ({wall:g} s by the clock)"


def _budget_message(budget: float) -> str:
    return f"the notebook used up its whole {budget:g} s time budget"


def _cell_result(message: Any, nonce: str, index: int) -> CellResult:
    if (
        set(message) != {"nonce", "cell", "status", "error", "output"}
        or message["nonce"] != nonce
        or type(message["cell"]) is not int or message["cell"] != index
        or message["status"] not in CELL_STATUSES
        or not isinstance(message["error"], str) or not isinstance(message["output"], str)
    ):
        raise channel.ProtocolError("not a cell result")
    return CellResult(index, message["status"], message["error"][:MAX_MESSAGE],
                      message["output"][:MAX_OUTPUT])
