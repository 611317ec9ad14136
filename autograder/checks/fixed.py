"""Values a check computes from its fixed inputs alone, computed once per process, not per student.

A check whose inputs are constants or come from a seeded generator gets the same arguments, the
same reference result and the same known-mistake candidates for every student of a class; the
engine's worker grades many students, so those are worked out for the first and kept. Only what
is a pure function of the fixed inputs is kept, never anything that depends on the student's
answer. A kept value is frozen (every NumPy array in it made read-only), so no check can change
what the next student's check reads: a write into one raises. A computation that raises is not
kept: it raises again next time, as it did.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from typing import Any

import numpy as np

from autograder.checks.mistakes import MistakeCandidate

__all__ = ["Fixed", "freeze", "recomputed"]

_ENABLED = [True]


class Fixed:
    """Values made once per key: `get(key, make)` is `make()`'s value, made the first time and
    kept (frozen) for every later call with that key. With a `limit`, once that many keys are
    kept, a new key's value is made each time and not kept."""

    def __init__(self, limit: int | None = None):
        self._kept: dict[Hashable, Any] = {}
        self._limit = limit

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        if not _ENABLED[0]:
            return make()
        if key not in self._kept:
            if self._limit is not None and len(self._kept) >= self._limit:
                return make()
            self._kept[key] = freeze(make())
        return self._kept[key]


def freeze(value: Any) -> Any:
    """`value`, with every array in it (in tuples, lists, dicts and mistake candidates) made
    read-only; other values are left as they are."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, (tuple, list)):
        for item in value:
            freeze(item)
    elif isinstance(value, dict):
        for item in value.values():
            freeze(item)
    elif isinstance(value, MistakeCandidate):
        freeze(value.value)
    return value


@contextlib.contextmanager
def recomputed() -> Iterator[None]:
    """Within it, every fixed value is computed afresh each time, as before they were kept: for
    measuring what keeping them saves and proving that it changes no result."""
    _ENABLED[0] = False
    try:
        yield
    finally:
        _ENABLED[0] = True
