"""One submission's process, forked from the template: limits, the notebook's cells, requests.

It applies resource limits, points fds 1 and 2 at a bounded capture, runs the notebook cells as
IPython would (cells.py) and then answers call/define/has/list requests on its own pair of pipes,
one JSON object a line (a batch request is a list of calls, each answered on a line of its own).
Every message it sends carries the nonce of the request it answers.
"""

import ctypes
import json
import os
import resource
import signal
import time
import traceback

import codec
from capture import Capture
from cells import Cells
from guard import TimeLimit, arm, cut, disarm, on_alarm, restore_builtins
from plans import kept_calls
from processes import tasks_of

PR_SET_PDEATHSIG = 1
MAX_REQUEST = 1 << 30
FRAMES = 3  # lines of the student's own traceback sent with an exception

_libc = ctypes.CDLL(None, use_errno=True)
_perf_counter = time.perf_counter


class Child:
    def __init__(self, shell, baseline, req_r, resp_w, message, workdir, confine=None):
        self.shell = shell
        self.baseline = baseline
        self.req_r, self.resp_w = req_r, resp_w
        self.message = message
        self.workdir = workdir
        self.confine = confine  # confines this process to `workdir`, before student code runs
        self.pid = os.getpid()
        self.cell_of_count = {}
        self.buffer = b""

    def main(self):
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        keep = sorted({0, 1, 2, self.req_r, self.resp_w})
        top = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        for low, high in zip(keep, [*keep[1:], top], strict=True):
            os.closerange(low + 1, high)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        signal.signal(signal.SIGALRM, on_alarm)
        signal.signal(signal.SIGPROF, on_alarm)
        os.chdir(self.workdir)
        os.environ["PWD"] = self.workdir
        limits = self.message["limits"]
        self.output = Capture(limits["output_bytes"])
        self._limit(limits)
        if self.confine is not None:
            self.confine(self.workdir)
        self.run_cells(self.message["cells"], set(self.message["skip"]), limits["cell_seconds"])
        self.serve()
        os._exit(0)

    def _limit(self, limits):
        with open("/proc/self/status") as f:
            status = dict(line.split(":", 1) for line in f if ":" in line)
        used = int(status["VmSize"].split()[0]) * 1024
        memory = used + limits["memory_mb"] * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        size = limits["output_bytes"] + 16 * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        if self.confine is not None:
            return  # its seccomp filter refuses every new process: no count of tasks needed
        processes = tasks_of(os.getuid()) + limits["processes"]
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
        except (ValueError, OSError):
            pass

    # -- protocol ---------------------------------------------------------------------------

    def send(self, message):
        if os.getpid() != self.pid:  # a copy made by the student's os.fork() never answers
            os._exit(0)
        data = json.dumps(message, allow_nan=False).encode() + b"\n"
        view = memoryview(data)
        while view:
            view = view[os.write(self.resp_w, view):]

    def receive(self):
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line, self.buffer = self.buffer[:end], self.buffer[end + 1:]
                return json.loads(line)
            chunk = os.read(self.req_r, 1 << 20)
            if not chunk or len(self.buffer) > MAX_REQUEST:
                return None
            self.buffer += chunk

    # -- loading ----------------------------------------------------------------------------

    def run_cells(self, cells, skip, seconds, runner=None):
        """Run the notebook's cells in order (`runner` a cells.Cells: by default the plain path
        where a cell allows it) and send how each ended."""
        runner = runner or Cells(self.shell)
        nonce = self.message["nonce"]
        for index, source in enumerate(cells):
            if index in skip:
                self.send({"nonce": nonce, "cell": index, "status": "skipped", "error": "",
                           "output": ""})
                continue
            self.output.mark()
            self.cell_of_count[self.shell.execution_count] = index
            error = None
            try:
                arm(seconds)
                try:
                    result = runner.run(source)
                finally:
                    disarm()
                error = result.error_before_exec or result.error_in_exec
            except BaseException as caught:  # a time limit, or IPython itself failing
                error = caught
            restore_builtins()
            if os.getpid() != self.pid:
                os._exit(0)
            if error is None:
                status, text = "ok", ""
            elif isinstance(error, TimeLimit):
                status, text = "timeout", f"the cell ran longer than the {seconds:g} s limit"
            else:
                status, text = "error", self.describe(error)
            self.send({"nonce": nonce, "cell": index, "status": status, "error": text,
                       "output": self.output.take()})
        self.send({"nonce": nonce, "loaded": True})

    # -- requests ---------------------------------------------------------------------------

    def serve(self):
        while True:
            request = self.receive()
            if request is None:
                return
            if request.get("op") == "batch":
                self.batch(request)
            else:
                self.send({"id": request["id"], "nonce": request["nonce"],
                           **self.answer(request)})

    def answer(self, request, values=None):
        """The answer to one request, with what it printed (`values`: a kept call's)."""
        handlers = {"call": self.call, "define": self.define, "has": self.has, "list": self.list}
        self.output.mark()
        try:
            if values is None:
                answer = handlers[request["op"]](request)
            else:
                answer = self.call(request, values)
            restore_builtins()
        except TimeLimit:
            answer = {"ok": False, "kind": "timeout", "message": "time limit"}
        except BaseException as error:  # a malformed request: the grader's fault
            answer = {"ok": False, "kind": "crash",
                      "message": f"the sandbox could not serve the request ({error!r})"}
        answer.setdefault("output", self.output.take())
        return answer

    def batch(self, request):
        """Run the calls of one request in order, each exactly as a `call` request of its own
        (its own limits, output and fresh copies of its arguments), and answer each on a line of
        its own as soon as it returns. A call that ran out of time or memory, or that the sandbox
        could not serve, ends the batch: the grader asks for the rest one at a time. A request
        that names a kept plan runs its first `count` calls."""
        calls = request.get("calls")
        if "plan" in request:
            calls = kept_calls(request["plan"], request.get("count"))
            if calls is None:
                # Not an answer: the grader ends this process, charges no call, and asks again.
                self.send({"id": request["id"], "nonce": request["nonce"], "plan": "unknown"})
                return
        else:
            calls = [(each, None) for each in (calls if isinstance(calls, list) else [])]
        for index, (each, values) in enumerate(calls):
            one = dict(each, op="call", id=request["id"], nonce=request["nonce"], index=index)
            answer = self.answer(one, values)
            self.send({"id": request["id"], "nonce": request["nonce"], "index": index, **answer})
            if not answer["ok"] and answer["kind"] in ("timeout", "memory", "crash"):
                return

    def namespace(self):
        return self.shell.user_ns

    def _resolve(self, value):
        if isinstance(value, codec.Remote):
            found = self.namespace().get(value.name)
            if not callable(found):
                raise LookupError(value.name)
            return found
        return value

    def call(self, request, values=None):
        """One call; `values`: its arguments and keyword arguments decoded in the template."""
        name = request["function"]
        function = self.namespace().get(name)
        if not callable(function):
            return _missing(name)
        if values is None:
            args = codec.from_plain(request["args"])
            kwargs = codec.from_plain(request["kwargs"])
        else:
            args, kwargs = codec.copied(values[0]), codec.copied(values[1])
        try:
            live_args = [self._resolve(a) for a in args]
            live_kwargs = {k: self._resolve(v) for k, v in kwargs.items()}
        except LookupError as error:
            return _missing(str(error))
        try:
            arm(request["timeout"], request.get("cpu"), lambda frame: self.overrun(request, frame))
            try:
                answer = self._run(function, args, kwargs, live_args, live_kwargs, values)
            finally:
                disarm()
            if answer.get("args_after") == request["args"]:
                answer["args_after"] = codec.SAME  # the grader keeps its own copy
            if answer.get("kwargs_after") == request["kwargs"]:
                answer["kwargs_after"] = codec.SAME
            return answer
        except MemoryError:
            return {"ok": False, "kind": "memory", "message": "MemoryError"}

    def _run(self, function, args, kwargs, live_args, live_kwargs, values=None):
        try:
            start = _perf_counter()
            value = function(*live_args, **live_kwargs)
            seconds = _perf_counter() - start
        except TimeLimit as stop:
            disarm()
            restore_builtins()
            return _timed_out(self.progress(stop))
        except MemoryError:
            restore_builtins()
            raise
        except BaseException as error:  # the student's exception, SystemExit included
            restore_builtins()
            return {"ok": False, "kind": "exception", "message": self.describe(error)}
        restore_builtins()
        try:
            plain = codec.to_plain(value)
            if values is not None and codec.same(live_args, values[0]):
                after = codec.SAME  # as sent: no need to encode it to see that
            else:
                after = codec.to_plain([sent if isinstance(sent, codec.Remote) else live
                                        for sent, live in zip(args, live_args, strict=True)])
            if values is not None and codec.same(live_kwargs, values[1]):
                after_kw = codec.SAME
            else:
                after_kw = codec.to_plain({k: v if isinstance(v, codec.Remote) else live_kwargs[k]
                                           for k, v in kwargs.items()})
        except (TimeLimit, MemoryError):
            raise
        except BaseException as error:
            text = str(error) if isinstance(error, codec.CodecError) else \
                f"the value could not be read ({type(error).__name__})"
            return {"ok": False, "kind": "bad-output", "message": cut(text, 500)}
        return {"ok": True, "value": plain, "args_after": after, "kwargs_after": after_kw,
                "seconds": seconds}

    def overrun(self, request, frame):
        """The call caught its TimeLimit and ran on (in `frame`): answer for it, and end this
        process (the grader loads the notebook afresh for its next request)."""
        disarm()
        try:
            steps = []
            while frame is not None:
                steps.append((frame, frame.f_lineno))
                frame = frame.f_back
            answer = _timed_out(self.where(steps[::-1]))
            index = {"index": request["index"]} if "index" in request else {}
            self.send({"id": request["id"], "nonce": request["nonce"], **index, **answer,
                       "output": self.output.take(), "ended": True})
        finally:
            os._exit(0)

    def define(self, request):
        name, source = request["name"], request["source"]
        try:
            arm(request["timeout"])
            try:
                exec(compile(source, f"<grader helper {name}>", "exec"), self.namespace())
            finally:
                disarm()
                restore_builtins()
        except TimeLimit:
            raise
        except BaseException as error:
            return {"ok": False, "kind": "exception", "message": self.describe(error)}
        return {"ok": True}

    def has(self, request):
        return {"ok": True, "value": callable(self.namespace().get(request["name"]))}

    def list(self, request):
        names = sorted(
            name for name, value in list(self.namespace().items())
            if isinstance(name, str) and not name.startswith("_") and name not in self.baseline
            and callable(value) and not isinstance(value, type(os))
        )
        return {"ok": True, "value": names}

    def describe(self, error):
        """`Type: message` and the last few lines of the student's own traceback."""
        try:
            text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        except BaseException:
            text = type(error).__name__
        text = cut(text, 1000)
        lines = []
        try:
            for frame in traceback.extract_tb(error.__traceback__):
                cell = self._cell(frame.filename)
                if cell is None:
                    continue
                where = f"  cell {cell + 1}, line {frame.lineno}, in {frame.name}"
                lines.append(where + (f": {frame.line.strip()}" if frame.line else ""))
        except BaseException:
            lines = []
        return "\n".join([text, *[cut(line, 200) for line in lines[-FRAMES:]]])

    def progress(self, stop):
        """Where the student's code was when the time limit stopped it, and its counters.

        For a training loop this says how far it got: `epoch = 4211, len(losses) = 4211`.
        """
        steps, tb = [], stop.__traceback__
        while tb is not None:
            steps.append((tb.tb_frame, tb.tb_lineno))
            tb = tb.tb_next
        return self.where(steps)

    def where(self, steps):
        """`progress` for (frame, line) pairs, outermost first."""
        try:
            frames = []
            for frame, line in steps:
                cell = self._cell(frame.f_code.co_filename)
                if cell is not None:
                    frames.append((frame, cell, line))
            if not frames:
                return ""
            frame, cell, line = frames[-1]
            counters = []
            for name, value in list(frame.f_locals.items()):
                if name.startswith("_") or len(counters) >= 6:
                    continue
                if isinstance(value, int) and not isinstance(value, bool):
                    counters.append(f"{name} = {value}")
                elif isinstance(value, list):
                    counters.append(f"len({name}) = {len(value)}")
            where = f"in {frame.f_code.co_name} (cell {cell + 1}, line {line})"
            state = f" with {', '.join(counters)}" if counters else ""
            return cut(f"it was stopped {where}{state}", 300)
        except BaseException:
            return ""

    def _cell(self, filename):
        if not filename.startswith("<ipython-input-"):
            return None
        try:
            return self.cell_of_count.get(int(filename.split("-")[2]))
        except (IndexError, ValueError):
            return None


def _timed_out(progress):
    return {"ok": False, "kind": "timeout", "message": "time limit", "progress": progress}


def _missing(name):
    return {"ok": False, "kind": "missing", "message": f"`{name}` is not defined"}



