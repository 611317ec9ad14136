"""The host's process table, for tests that prove student code leaves no process behind."""

import os


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
