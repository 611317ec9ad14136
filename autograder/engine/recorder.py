"""Recording the gradebook: nbgrader and SQLAlchemy are imported while the class is graded.

Recording costs a run about a second whatever its size, half of it importing nbgrader and
SQLAlchemy, and SQLAlchemy's set-up on first use. A thread of the parent, idle while the
workers grade, does that at once;
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

from autograder.config import Assignment
from autograder.engine import gradebook


class Recorder:
    def __init__(self, assignment: Assignment, root: Path):
        self.assignment, self.root = assignment, root
        self._lock = threading.Lock()  # held while importing, and while a pool forks
        self._thread = threading.Thread(target=self._import, name="gradebook-import",
                                        daemon=True)

    def start(self) -> None:
        """Start importing: call it once the workers are forked."""
        if self._thread.ident is None:
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
