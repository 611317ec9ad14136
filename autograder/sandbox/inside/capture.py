"""Fds 1 and 2 write to one bounded memory file; what the process prints is read back from it."""

import io
import os
import sys

from guard import cut

MAX_TEXT = 100_000

class Capture:
    """Fds 1 and 2 write to one memory file; what the process prints is read back from it."""

    def __init__(self, limit):
        self.limit = limit
        self.fd = os.memfd_create("output")
        null = os.open("/dev/null", os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.dup2(self.fd, 1)
        os.dup2(self.fd, 2)
        self.start = 0
        self.cut_noted = False
        stream = CappedStream(self)
        sys.stdout = sys.stderr = sys.__stdout__ = sys.__stderr__ = stream
        sys.stdin = sys.__stdin__ = io.StringIO()

    def size(self):
        try:
            return os.fstat(self.fd).st_size
        except OSError:
            return 0

    def mark(self):
        self.start = min(self.size(), self.limit)

    def take(self):
        end = min(self.size(), self.limit)
        data = os.pread(self.fd, max(end - self.start, 0), self.start) if end > self.start else b""
        self.start = end
        text = data.decode("utf-8", "replace")
        if self.size() > self.limit and not self.cut_noted:
            self.cut_noted = True
            text += f"\n[output cut: the notebook printed more than {self.limit} bytes]\n"
        return cut(text, MAX_TEXT)


class CappedStream(io.TextIOBase):
    """sys.stdout and sys.stderr: printing never fails, and stops being kept past the limit."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, capture):
        self.capture = capture

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = self.capture.limit - self.capture.size()
        if room > 0:
            data = text.encode("utf-8", "replace")[:room]
            try:
                while data:
                    data = data[os.write(1, data):]
            except OSError:
                pass
        return len(text)

    def writable(self):
        return True

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        return 1


