"""nbgrader's `parse_utc`, without importing nbgrader, and the timestamp.txt it reads.

`nbgrader.utils` imports the whole nbgrader package (its server extensions, tornado, nbformat),
which costs grading about a second before the first student starts. This is the same function
on the same library (dateutil), so timestamps and due dates come out exactly as nbgrader's:
tests/nbgrader/test_gradebook_fast.py compares the two.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from autograder.config import Assignment


def parse_utc(ts: datetime | str | None) -> datetime | None:
    """Parse a timestamp into a naive UTC datetime, as nbgrader.utils.parse_utc does."""
    import dateutil.parser
    import dateutil.tz

    if ts is None:
        return None
    if isinstance(ts, str):
        parts = ts.split(" ")
        if len(parts) == 3:
            ts = " ".join(parts[:2] + ["TZ"])
            tz = parts[2]
            try:
                tz = int(tz)
            except ValueError:
                tz = dateutil.tz.gettz(tz)
            ts = dateutil.parser.parse(ts, tzinfos=dict(TZ=tz))
        else:
            ts = dateutil.parser.parse(ts)
    if ts.tzinfo is not None:
        ts = (ts - ts.utcoffset()).replace(tzinfo=None)
    return ts


class TimestampError(ValueError):
    """A submission's timestamp.txt that nbgrader cannot read."""


def read_timestamp(assignment: Assignment, notebook: Path):
    """nbgrader's timestamp.txt of a submission in a `<student>/<assignment>/` folder:
    (its text, the UTC datetime nbgrader reads from it), or None where there is none."""
    if notebook.parent.name != assignment.id:
        return None
    path = notebook.parent / "timestamp.txt"
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not text:
        return None
    try:
        return text, parse_utc(text)
    except (ValueError, OverflowError):
        raise TimestampError(f"{path}: not a timestamp nbgrader can read ({text!r})") from None
