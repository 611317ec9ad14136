"""The rows the sqlite3 path writes have ids as nbgrader's ORM makes them: `uuid4().hex`."""

from __future__ import annotations

import uuid

from autograder.nbgrader.gradebook_sql import new_uuid


def test_new_ids_are_random_version_4_uuids_in_hex():
    ids = [new_uuid() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(hex=text)
        assert parsed.hex == text and len(text) == 32
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
