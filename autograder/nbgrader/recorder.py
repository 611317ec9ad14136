"""Recording the gradebook while the class is graded, so that little is left after the last
student.

In the common case (a gradebook nbgrader made, whose record of the notebook matches the release)
the rows are written with sqlite3 (gradebook_sql.py), without importing nbgrader or SQLAlchemy:
`Recorder.start` checks that with a few sqlite3 reads once the workers are forked. Then a thread
of the parent, idle while the workers grade, records each finished session's students as the
pool reports them: their rows in one transaction per session, then their autograded/ notebooks.
`finish` records only what is left: students it has not recorded, or whose results.json was
replaced since. Anything the thread cannot record the sqlite3 way (a late submission, a locked
or changed database, a file it cannot write) ends recording while grading, and `finish` records
the rest as before, through the ORM where it must, reporting what is wrong.

Measured at N = 30 of 01_forward_pass (benchmarks/grading_throughput.py's class, 2 workers,
each figure a median of runs alternating with and without the gradebook in one session, on a
machine other work kept busy). Recording at the end cost the parent 0.21 s of CPU after the last
student (7 ms a student: 90 % the autograded/ notebooks, 10 % the sqlite3 rows), and 1.7 s of
wall time with the fsyncs of 60 files; the last results.json was followed by 2.5 s with the
gradebook against 0.6 s without. Recorded while grading, the thread spends the same 7 ms a
student (a transaction per session checks the database again, and copying the release's cells
costs half what it did), while the workers grade; after the last student the step takes 3 ms of
CPU, and the run ends 0.5 s after its last results.json with the gradebook or without. At
N = 100 that is about 0.7 s of CPU, and the wall time of 200 fsyncs, taken out of the tail.

A stopped run keeps what was recorded before it stopped (whole students: one transaction per
session) and records no more; the next run records the rest. A run killed mid-transaction
leaves sqlite's journal, which rolls the transaction back when the gradebook is next opened.

Otherwise (no gradebook.db yet, one nbgrader made differently, cells that changed) recording
goes through nbgrader's ORM, once, at the end, for every result, exactly as before. That costs a
run about a second whatever its size, half of it importing nbgrader and SQLAlchemy, and
SQLAlchemy's set-up on first use: for a small class (`import_early`) the thread does that while
the workers grade. (Recording each session through the ORM was measured and rejected: every call
opens nbgrader's Gradebook, which inspects and creates its tables, and that costs more than the
overlap saves.)

A fork while another thread imports or writes can leave the forked child stuck on a lock it
never gets back, so the thread starts only once the pool's workers are forked, and a later pool
forks under `forking()`, between two sessions' recordings, or once the import is done.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import threading
from pathlib import Path

from autograder.config import Assignment, ConfigError
from autograder.nbgrader import gradebook, gradebook_sql
from autograder.nbgrader.cells import NotebookCells, read_release


class Recorder:
    def __init__(self, assignment: Assignment, root: Path, out_dir: Path, *,
                 import_early: bool = True):
        self.assignment, self.root, self.out_dir = assignment, root, Path(out_dir)
        self._lock = threading.Lock()  # held while importing or recording, and while forking
        self._import_early = import_early
        # the release's cells, and whether the sqlite3 path can record: asked by `start`
        self.cells: NotebookCells | None = None
        self.fast = False
        # student -> the results.json recorded meanwhile, as (inode, mtime, size): a class's
        # documents twice over would add to the run's peak memory
        self.recorded: dict[str, tuple[int, int, int]] = {}
        self._sessions: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._while_grading = False  # the thread records, else it imports nbgrader
        self._thread: threading.Thread | None = None
        self._started = False

    def start(self) -> None:
        """Start recording (or importing): call it once the workers are forked. Whether the
        sqlite3 path can record (a few reads of the release and of gradebook.db, about 4 ms)
        is asked here, while the first students are graded, not before the workers start."""
        if self._started:
            return
        self._started = True
        self.cells = _release(self.assignment, self.root)
        # no import of nbgrader is needed, most likely: record while grading
        self.fast = self.cells is not None and gradebook_sql.usable(self.assignment, self.cells,
                                                                    self.root)
        self._while_grading = self.fast
        if self.fast or self._import_early:
            target = self._record_while_grading if self.fast else self._import
            self._thread = threading.Thread(target=target, name="gradebook", daemon=True)
            self._thread.start()

    @contextlib.contextmanager
    def forking(self):
        """Hold the thread back (or wait for its import, or its session) while a pool forks."""
        with self._lock:
            yield

    def add(self, students: list[str]) -> None:
        """Students whose results.json is written: recorded while grading goes on, if fast."""
        if self.fast and students and not self._stopping.is_set():
            self._sessions.put(list(students))

    def stop(self) -> None:
        """The run stopped: the session being recorded ends whole, and no more is recorded."""
        self._stopping.set()
        self._join()

    def finish(self, documents: dict[str, dict]) -> int:
        """Record `documents` (student -> results.json) that are not recorded yet; returns how
        many the gradebook holds for this run."""
        self._join()
        rest = {s: d for s, d in documents.items()
                if self.recorded.get(s) is None or self.recorded[s] != _identity(
                    self.out_dir / s / "results.json")}
        if rest:
            gradebook.record(self.assignment, rest, self.root)
        return len(documents)

    def _join(self) -> None:
        if self._thread is None or self._thread.ident is None:
            return
        if self._while_grading:
            self._sessions.put(None)
        self._thread.join()

    def _record_while_grading(self) -> None:
        while (students := self._sessions.get()) is not None:
            if self._stopping.is_set() or not self.fast:
                continue
            with self._lock:
                try:
                    self._record(students)
                except Exception:  # `finish` records them again, and reports what is wrong
                    self.fast = False

    def _record(self, students: list[str]) -> None:
        documents, read = {}, {}
        for student in students:
            doc, read[student] = _read(self.out_dir / student / "results.json")
            if doc is not None and doc.get("extra_data", {}).get("assignment") == \
                    self.assignment.id:
                documents[student] = doc
        if not documents:
            return
        if gradebook.record_fast(self.assignment, self.cells, documents, self.root):
            self.fast = False  # nothing was written: `finish` records them
            return
        self.recorded.update((student, read[student]) for student in documents)

    def _import(self) -> None:
        quiet = getattr(gradebook, "_without_iri_formats", contextlib.nullcontext)
        with self._lock:
            try:
                with quiet():
                    import nbgrader.api
                _first_use(nbgrader.api)
            except Exception:  # recording imports it again, and reports what is wrong
                pass


def _release(assignment: Assignment, root: Path) -> NotebookCells | None:
    try:
        return read_release(assignment.release_notebook(root))
    except ConfigError:  # recording reports it
        return None


def _read(path: Path) -> tuple[dict | None, tuple[int, int, int] | None]:
    """The document at `path` and the identity of the file it was read from."""
    try:
        with open(path, "rb") as handle:
            found = os.fstat(handle.fileno())
            doc = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None, None
    return (doc if isinstance(doc, dict) else None), (found.st_ino, found.st_mtime_ns,
                                                      found.st_size)


def _identity(path: Path) -> tuple[int, int, int] | None:
    """A results.json is replaced, never rewritten in place (files.atomic_write): a file with
    the same inode, time and size holds the same document."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns, found.st_size


def _first_use(api) -> None:
    """What SQLAlchemy does once per process, on nbgrader's models: configuring the mappers and
    loading the SQLite dialect (about 0.3 s of CPU of recording one student), done here on a
    throwaway in-memory database. The course's gradebook.db is not opened."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session, configure_mappers

    configure_mappers()
    engine = create_engine("sqlite://")
    try:
        api.Base.metadata.create_all(engine)
        with Session(engine) as session:
            session.query(api.Course).filter(api.Course.id == "").one_or_none()
    finally:
        engine.dispose()
