"""The host's process table, for tests that prove student code leaves no process behind."""

import os
import time
from collections.abc import Iterable


def processes_with(text: str) -> list[int]:
    """Host PIDs (other than this one) whose command line contains `text`."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                if text.encode() in f.read():
                    found.append(int(name))
        except OSError:
            continue
    return found


def wait_until_gone(texts: Iterable[str], seconds: float = 5.0) -> list[int]:
    """PIDs still carrying any of `texts` after waiting up to `seconds` for them to end."""
    texts = list(texts)
    deadline = time.monotonic() + seconds
    while True:
        left = [pid for text in texts for pid in processes_with(text)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def wait_until_seen(text: str, seconds: float = 5.0) -> list[int]:
    """PIDs carrying `text` once one appears, waiting up to `seconds` ([] if none does): a
    process a student started may still be on its way to exec when its call returns."""
    deadline = time.monotonic() + seconds
    while True:
        found = processes_with(text)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)
