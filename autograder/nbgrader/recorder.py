"""Recording the gradebook at the end of the run; nbgrader is imported while the class is graded
only where the ORM path will be needed.

In the common case (a gradebook nbgrader made, whose record of the notebook matches the release)
`gradebook.record` writes the rows with sqlite3 (gradebook_sql.py), and neither nbgrader nor
SQLAlchemy is imported at all: `Recorder` checks that up front, with a few sqlite3 reads, and
then starts no thread (an import in the parent would take CPU, and the GIL, from grading). A
late submission can still send `record` to the ORM path at the end; it imports nbgrader then.

Otherwise recording through the ORM costs a run about a second whatever its size, half of it
importing nbgrader and SQLAlchemy, and SQLAlchemy's set-up on first use. A thread of the
parent, idle while the workers grade, does that at once;
`gradebook.record` then runs once, at the end, for every result, exactly as before. (Recording
each batch as it finishes was measured and rejected: every call opens nbgrader's Gradebook, which
inspects and creates its tables, and that costs more than the overlap saves.)

A fork while another thread imports can leave the forked child stuck on an import lock it never
gets back, so the thread starts only once the pool's workers are forked, and a later pool forks
under `forking()`, when the import is done.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from autograder.config import Assignment, ConfigError
from autograder.nbgrader import gradebook, gradebook_sql
from autograder.nbgrader.cells import read_release


class Recorder:
    def __init__(self, assignment: Assignment, root: Path):
        self.assignment, self.root = assignment, root
        self._lock = threading.Lock()  # held while importing, and while a pool forks
        self._thread = threading.Thread(target=self._import, name="gradebook-import",
                                        daemon=True)
        self.fast = _fast(assignment, root)  # no import of nbgrader is needed, most likely

    def start(self) -> None:
        """Start importing (unless the fast path will record): call it once the workers are
        forked."""
        if not self.fast and self._thread.ident is None:
            self._thread.start()

    @contextlib.contextmanager
    def forking(self):
        """Hold the import back (or wait for it) while a new pool forks its workers."""
        with self._lock:
            yield

    def finish(self, documents: dict[str, dict]) -> int:
        """Record `documents` (student -> results.json); returns how many were recorded."""
        if self._thread.ident is not None:
            self._thread.join()
        return gradebook.record(self.assignment, documents, self.root)

    def _import(self) -> None:
        quiet = getattr(gradebook, "_without_iri_formats", contextlib.nullcontext)
        with self._lock:
            try:
                with quiet():
                    import nbgrader.api
                _first_use(nbgrader.api)
            except Exception:  # recording imports it again, and reports what is wrong
                pass


def _fast(assignment: Assignment, root: Path) -> bool:
    try:
        cells = read_release(assignment.release_notebook(root))
    except ConfigError:  # recording reports it
        return False
    return gradebook_sql.usable(assignment, cells, root)


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
