"""The candidates' values of a diagnosis are computed once per worker and kept, read-only.

A check's inputs are the same for every student, so the reference run on changed inputs
(reconstruct.evaluated) is too; a student's answer never enters what is kept.
"""

import numpy as np
import pytest

from autograder.checks.fixed import Fixed, recomputed
from autograder.diagnosis import context_for
from autograder.diagnosis.reconstruct import evaluated


def _evaluated():
    modules = context_for("01_forward_pass").modules
    X = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
    W = np.array([[0.2, -0.1, 0.4], [0.5, 0.3, -0.2]])
    b = np.array([0.1, -0.3])
    expected = X @ W.T + b
    return evaluated(modules, "dense_forward", (X, W, b), {}, expected, 1e-5, 1e-8)


def test_the_same_inputs_give_the_kept_values_and_nobody_can_write_into_them():
    first, again = _evaluated(), _evaluated()
    assert again is first
    assert any(e.distinct for e in first)
    arrays = [e.value for e in first if isinstance(e.value, np.ndarray)]
    assert arrays
    with pytest.raises(ValueError):
        arrays[0][...] = 0.0


def test_within_recomputed_every_value_is_made_afresh_and_equal():
    kept = _evaluated()
    with recomputed():
        fresh = _evaluated()
    assert fresh is not kept
    assert [e.finding for e in fresh] == [e.finding for e in kept]
    assert all(np.array_equal(np.asarray(a.value), np.asarray(b.value))
               for a, b in zip(fresh, kept, strict=True) if isinstance(a.value, np.ndarray))


def test_past_its_limit_a_store_makes_each_new_value_and_keeps_none():
    made = []
    store = Fixed(limit=1)

    def make(value):
        made.append(value)
        return [value]

    assert store.get("a", lambda: make(1)) is store.get("a", lambda: make(2))
    assert store.get("b", lambda: make(3)) == [3]
    assert store.get("b", lambda: make(4)) == [4]
    assert made == [1, 3, 4]
