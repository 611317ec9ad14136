"""An LMS's own gradebook export, read and written back with nothing changed but one column.

Canvas (Grades -> Export): `Student, ID, SIS User ID, SIS Login ID, [Integration ID,] Section`,
then one column per assignment named `<name> (<assignment id>)`, then read-only totals. The row
under the header, `    Points Possible`, holds each assignment's points; newer exports add a
`Manual Posting` row. Canvas's own test student ("Student, Test") is a row like any other.

Moodle (Grades -> Export -> Plain text file): `First name, Last name, [ID number, Institution,
Department,] Email address`, then `<type>: <name> (Real)` per grade item, `Course total
(Real)` and `Last downloaded from this course`, every field quoted, with the separator the
instructor chose (comma, semicolon, tab or colon).

The file is written back in its own dialect (separator, quoting, line ends, byte-order mark).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.feedback.results import FeedbackError

CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID")
MOODLE_IDENTITY = ("First name", "Last name", "Email address")
CANVAS_META_ROWS = ("Points Possible", "Manual Posting", "Muted")
CANVAS_TEST_STUDENT = "Student, Test"


@dataclass
class LmsTable:
    """An LMS export: its header, its student rows and (Canvas) the Points Possible row."""

    path: Path
    lms: str  # "canvas" | "moodle"
    header: list[str]
    rows: list[list[str]]  # every data row, meta rows included, in file order
    meta: set[int] = field(default_factory=set)  # indexes into rows of non-student rows
    delimiter: str = ","
    quote_all: bool = False
    newline: str = "\n"
    bom: bool = False

    def column(self, name: str) -> int:
        return self.header.index(name)

    def students(self) -> list[tuple[int, dict[str, str]]]:
        """(row index, {column: value}) of every student row."""
        return [(i, dict(zip(self.header, row))) for i, row in enumerate(self.rows)
                if i not in self.meta]

    def points_row(self) -> int | None:
        for i in sorted(self.meta):
            if self.rows[i] and self.rows[i][0].strip() == "Points Possible":
                return i
        return None

    def set(self, row: int, column: str, value: str) -> None:
        index = self.column(column)
        cells = self.rows[row]
        cells.extend([""] * (len(self.header) - len(cells)))
        cells[index] = value

    def add_column(self, name: str) -> None:
        self.header.append(name)
        for cells in self.rows:
            cells.extend([""] * (len(self.header) - len(cells)))

    def text(self) -> str:
        buffer = io.StringIO()
        quoting = csv.QUOTE_ALL if self.quote_all else csv.QUOTE_MINIMAL
        writer = csv.writer(buffer, delimiter=self.delimiter, quoting=quoting,
                            lineterminator=self.newline)
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return ("\ufeff" if self.bom else "") + buffer.getvalue()


def read_table(path: Path, lms: str) -> LmsTable:
    """Read `path` as the gradebook export of `lms`; FeedbackError names the file and problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FeedbackError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FeedbackError(f"{path}: not UTF-8 text, so not a {_name(lms)} export "
                            "(export the gradebook again as CSV)") from None
    bom = text.startswith("\ufeff")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FeedbackError(f"{path}: the file is empty, not a {_name(lms)} gradebook export")
    first = text.splitlines()[0]
    delimiter = _delimiter(first) if lms == "moodle" else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, rows = rows[0], [r for r in rows[1:] if any(cell.strip() for cell in r)]
    required = CANVAS_IDENTITY if lms == "canvas" else MOODLE_IDENTITY
    missing = [name for name in required if name not in header]
    if missing:
        other = "moodle" if lms == "canvas" else "canvas"
        hint = (f"; it looks like a {_name(other)} export (--lms {other})"
                if all(n in header for n in (MOODLE_IDENTITY if lms == "canvas"
                                             else CANVAS_IDENTITY)) else "")
        raise FeedbackError(f"{path}: not a {_name(lms)} gradebook export: no "
                            f"{', '.join(repr(m) for m in missing)} column"
                            f"{'s' if len(missing) > 1 else ''}{hint}")
    if len(set(header)) != len(header):
        twice = sorted({h for h in header if header.count(h) > 1})
        raise FeedbackError(f"{path}: the column(s) {', '.join(map(repr, twice))} appear twice")
    table = LmsTable(path, lms, header, rows, delimiter=delimiter,
                     quote_all=first.startswith('"') and first.rstrip().endswith('"'),
                     newline="\r\n" if "\r\n" in text[:len(first) + 2] else "\n", bom=bom)
    if lms == "canvas":
        table.meta = {i for i, row in enumerate(rows)
                      if row and row[0].strip() in CANVAS_META_ROWS
                      or (len(row) > 1 and not row[0].strip() and not row[1].strip())}
    if not table.students():
        raise FeedbackError(f"{path}: no student rows: an empty class (export the gradebook "
                            "again once students are enrolled)")
    return table


def assignment_columns(table: LmsTable, names: list[str]) -> list[str]:
    """The columns of `table` that are one of `names` (an assignment's id or title), as the LMS
    names them: Canvas `<name> (<id>)`, Moodle `<type>: <name> (Real)`, or just `<name>`."""
    wanted = {n.casefold() for n in names}
    out = []
    for column in table.header:
        bare = re.sub(r"\s*\((\d+|Real|Percentage|Letter)\)$", "", column)
        bare = re.sub(r"^[\w ]+:\s*", "", bare) if table.lms == "moodle" else bare
        if bare.strip().casefold() in wanted:
            out.append(column)
    return out


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", ":")}
    counts[":"] = 0 if counts[","] or counts[";"] or counts["\t"] else counts[":"]
    return max(counts, key=counts.get)


def _name(lms: str) -> str:
    return {"canvas": "Canvas", "moodle": "Moodle"}[lms]
