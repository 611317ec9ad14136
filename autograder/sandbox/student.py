"""One submission's process, as the grader sees it: load the cells, then call, define, has.

Everything that comes back is checked before it is believed: it must be one JSON object carrying
the id and nonce of the request just sent, with exactly the fields that request's answer has, and
its values must decode as plain data. Anything else is treated as a crash of that request.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from typing import Any, Protocol

from autograder.config import Limits
from autograder.sandbox import channel, codec
from autograder.sandbox.calls import Call, StudentError

GRACE = 1.0  # seconds past a limit before the process is killed from outside
# A call's limit is CPU time; it may take this many times as long by the wall clock (a busy
# machine stretches wall time, not CPU time), which stops code that waits instead of computing.
WALL_MULTIPLE = 4
MAX_MESSAGE = 3000  # characters of an error message kept
MAX_OUTPUT = 100_000  # characters of a cell's output kept
CELL_STATUSES = {"ok", "error", "timeout", "skipped"}
FAILURE_KINDS = {"exception", "missing", "bad-output", "memory", "timeout", "crash"}


@dataclass
class CellResult:
    index: int
    status: str  # "ok" | "error" | "timeout" | "crash" | "skipped"
    error: str = ""
    output: str = ""


class ChildPipes:
    """One forked student process, as the grader sees it: a pipe each way."""

    def __init__(self, pid: int, request_fd: int, response_fd: int, limit: int):
        self.pid = pid
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
             timeout: float | None = None) -> Call:
        """Call the student's `function`; raise StudentError when it does not return a value.

        `timeout` is the call's limit in seconds of CPU time (default: the function's in the
        limits); it may take WALL_MULTIPLE times as long by the wall clock."""
        args, kwargs = tuple(args), dict(kwargs or {})
        payload = {"op": "call", "function": function, "args": codec.to_plain(list(args)),
                   "kwargs": codec.to_plain(kwargs)}
        if timeout is None:
            timeout = self._sandbox.limits.call_timeout(function)
        reply, seconds = self._request(payload, timeout * WALL_MULTIPLE, cpu=timeout)
        try:
            value = codec.from_plain(reply["value"])
            after = codec.from_plain(reply["args_after"])
            after_kw = codec.from_plain(reply["kwargs_after"])
            if not isinstance(after, list) or len(after) != len(args):
                raise codec.CodecError("arguments")
            if not isinstance(after_kw, dict) or set(after_kw) != set(kwargs):
                raise codec.CodecError("keyword arguments")
        except (codec.CodecError, KeyError, TypeError, ValueError, RecursionError):
            self._replace()
            raise StudentError("crash", _MALFORMED) from None
        return Call(function, args, kwargs, value, tuple(after), after_kw, seconds,
                    reply["output"])

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
        if self._left() <= 0:
            raise StudentError("budget", _budget_message(self.budget))
        if self._child is not None and channel.readable(self._child.reader.fd):
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
        failure = None
        try:
            channel.write(child.request_fd, request, deadline)
            reply = child.reader.read(deadline)
        except channel.ChannelTimeout:
            failure = "timeout"
        except channel.ChannelClosed:
            failure = "crash"
        except channel.TooLong:
            failure = "too-long"
        except channel.ProtocolError:
            failure = "garbage"
        seconds = time.monotonic() - started
        self.used += seconds
        if failure is None and not _valid_reply(reply, request):
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
            self._replace()
            raise StudentError("bad-output", "what it returned is too large to send back "
                               f"(more than {child.reader.limit // 2**20} MB)")
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
        return reply, seconds


_MALFORMED = ("the process running it wrote something that is not an answer onto the grader's "
              "channel, so it was ended")


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


_OK_FIELDS = {
    "call": {"value": None, "args_after": None, "kwargs_after": None, "seconds": (int, float)},
    "define": {},
    "has": {"value": bool},
    "list": {"value": list},
}


def _valid_reply(reply: dict, request: dict) -> bool:
    """Whether `reply` is a well-formed answer to `request` (and to nothing else)."""
    base = {"id", "nonce", "ok", "output"}
    if (type(reply.get("id")) is not int or reply["id"] != request["id"]
            or reply.get("nonce") != request["nonce"] or type(reply.get("ok")) is not bool
            or not isinstance(reply.get("output"), str)):
        return False
    if not reply["ok"]:
        extra = set(reply) - base - {"kind", "message"}
        return (set(reply) >= base | {"kind", "message"} and reply["kind"] in FAILURE_KINDS
                and isinstance(reply["message"], str)
                and (not extra or (extra in ({"progress"}, {"progress", "ended"})
                                   and reply["kind"] == "timeout"
                                   and isinstance(reply["progress"], str)
                                   and reply.get("ended", True) is True)))
    fields = _OK_FIELDS[request["op"]]
    if set(reply) != base | set(fields):
        return False
    for name, kind in fields.items():
        if kind is not None and not isinstance(reply[name], kind):
            return False
    if request["op"] == "list" and not all(isinstance(n, str) for n in reply["value"]):
        return False
    return True
