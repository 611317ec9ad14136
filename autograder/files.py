"""Writing files so that nothing half-written is ever seen, and cleaning up after a killed run."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

TMP_MARK = ".tmp-"

# Failures of the machine, not of a student or a grader: every later write to the same place
# fails the same way, so a run stops at the first one and says so once.
_CAUSES = {
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EIO: "the disk reported an input/output error",
}
# How SQLite (the gradebook) words the same failures.
_SQLITE_CAUSES = {
    "database or disk is full": errno.ENOSPC,
    "attempt to write a readonly database": errno.EROFS,
    "unable to open database file": errno.EACCES,
    "disk i/o error": errno.EIO,
}


class MachineError(Exception):
    """A folder cannot be written because of the machine (full disk, read-only, permission)."""


def machine_cause(error: BaseException) -> str | None:
    """What went wrong, in words, when `error` is a failure of the machine rather than ours."""
    if isinstance(error, OSError):
        return _CAUSES.get(error.errno)
    text = str(getattr(error, "orig", None) or error).lower()
    number = next((n for words, n in _SQLITE_CAUSES.items() if words in text), None)
    return _CAUSES[number] if number is not None else None


def machine_error(folder: Path, error: BaseException, what: str = "results") -> MachineError:
    """The one line that stops a run: the folder, and what the machine said."""
    return MachineError(f"{folder}: cannot write {what} there: {machine_cause(error)}")


def json_text(document: dict, rows: str, ensure_ascii: bool = True) -> str:
    """`document` as JSON text, a key to a line, and each item of its list `rows` (a notebook's
    cells, a results file's tests) on a line of its own.

    Each line is written by the json module's C encoder (`json.dumps(indent=...)` runs its pure
    Python encoder instead, 1 to 2 ms for a notebook or a results file of every student), and
    the lines are joined once: joining the rows first and then the keys copied a notebook's
    text three more times, as long as encoding it.
    """
    encode = json.JSONEncoder(ensure_ascii=ensure_ascii).encode
    parts = ["{"]
    for key, value in document.items():
        parts += ["\n ", encode(key), ": "]
        if key == rows and isinstance(value, list) and value:
            parts.append("[")
            for item in value:
                parts += ["\n  ", encode(item), ","]
            parts[-1] = "\n ]"
        else:
            parts.append(encode(value))
        parts.append(",")
    if len(parts) == 1:
        return "{}\n"
    parts[-1] = "\n}\n"
    return "".join(parts)


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}{TMP_MARK}{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def remove_stale_temporaries(folder: Path) -> None:
    """Temporaries a killed run may have left behind (best effort: a read-only folder keeps
    them, and the run's first write then says why)."""
    if folder.is_dir():
        for tmp in folder.rglob(f"*{TMP_MARK}*"):
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                return
