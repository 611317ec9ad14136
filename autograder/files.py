"""Writing files so that nothing half-written is ever seen, and cleaning up after a killed run."""

from __future__ import annotations

import os
from pathlib import Path

TMP_MARK = ".tmp-"


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
    """Temporaries a killed run may have left behind."""
    if folder.is_dir():
        for tmp in folder.rglob(f"*{TMP_MARK}*"):
            tmp.unlink(missing_ok=True)
