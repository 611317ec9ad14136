"""How a returned value differs from the expected one, in one sentence for the student."""

from __future__ import annotations

import numpy as np


def rel_error(a, b) -> float:
    """cs231n's relative error: max |a - b| / max(1e-8, |a| + |b|)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))



_RESULT_NAMES: dict[str, tuple[str, ...]] = {}


def name_results(function: str, *names: str) -> None:
    """Name the results of a function that returns a tuple, for its checks' verdicts."""
    _RESULT_NAMES[function] = names



def _parts(function, actual, expected):
    """[(label, actual part, expected part)] of a tuple or dict result, else None."""
    if isinstance(expected, tuple) and isinstance(actual, (tuple, list)) \
            and len(actual) == len(expected) and len(expected) > 1:
        names = _RESULT_NAMES.get(function, ())
        labels = names if len(names) == len(expected) else [
            f"value {i + 1}" for i in range(len(expected))]
        return list(zip(labels, actual, expected))
    if isinstance(expected, dict) and isinstance(actual, dict) and len(expected) > 1 \
            and all(k in actual for k in expected):
        return [(str(k), actual[k], expected[k]) for k in expected]
    return None


def _keepdims(actual, expected, rtol, atol) -> bool:
    """Some array of `actual` holds the expected values with an extra axis of length 1."""
    if isinstance(expected, (tuple, dict)):
        parts = _parts("", actual, expected) or []
        return any(_keepdims(a, e, rtol, atol) for _, a, e in parts)
    try:
        a, e = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return False
    return (a.shape != e.shape and a.ndim == e.ndim + 1 and a.size == e.size
            and 1 in a.shape and np.allclose(a.reshape(e.shape), e, rtol=rtol, atol=atol))



def _difference(actual, expected, rtol, atol) -> str | None:
    """None when `actual` matches `expected`, else one sentence saying how it differs."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"Expected a dict, got {_kind(actual)}."
        missing = [k for k in expected if k not in actual]
        if missing:
            return f"The returned dict has no key {missing[0]!r}."
        for key in expected:
            problem = _difference(actual[key], expected[key], rtol, atol)
            if problem:
                return f"[{key!r}] {problem}"
        return None
    if isinstance(expected, tuple):
        if not isinstance(actual, (tuple, list)):
            return f"Expected a tuple of {len(expected)} values, got {_kind(actual)}."
        if len(actual) != len(expected):
            return f"Expected {len(expected)} values, got {len(actual)}."
        for i, (a, e) in enumerate(zip(actual, expected)):
            problem = _difference(a, e, rtol, atol)
            if problem:
                return f"Value {i + 1} of the tuple: {problem}"
        return None
    if isinstance(expected, list) and expected and isinstance(expected[0], np.ndarray):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
            return f"Expected a list of {len(expected)} arrays, got {_kind(actual)}."
        for i, (a, e) in enumerate(zip(actual, expected)):
            problem = _difference(a, e, rtol, atol)
            if problem:
                return f"Item {i + 1} of the list: {problem}"
        return None
    if actual is None and expected is not None:
        return "Your function returned None: is its `return` statement missing?"
    try:
        a = np.asarray(actual, dtype=float)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int past float's range
        return f"Expected a number or an array, got {_kind(actual)}."
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape:
        if _keepdims(a, e, rtol, atol):
            return (f"The shape is {a.shape}; it should be {e.shape}: the values are right, "
                    "with an extra axis of length 1 (`keepdims`).")
        return f"The shape is {a.shape}; it should be {e.shape}."
    with np.errstate(invalid="ignore", over="ignore"):
        # Close everywhere, with finite expected values: then `actual` is finite too.
        if np.isfinite(e).all() and (np.abs(a - e) <= atol + rtol * np.abs(e)).all():
            return None
    if np.isnan(a).any() and not np.isnan(e).any():
        return "The answer contains nan."
    if np.isinf(a).any() and not np.isinf(e).any():
        return "The answer contains inf."
    with np.errstate(invalid="ignore", over="ignore"):
        # numpy.testing.assert_allclose's verdict (np.isclose, nan matching nan and inf the same
        # inf), without the report it builds for a failure: a tenth of the cost.
        if np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True).all():
            return None
        gap = np.nan_to_num(np.abs(a - e), nan=np.inf)
    worst = np.unravel_index(int(np.argmax(gap)), a.shape) if a.size else ()
    where = f" at index {tuple(int(i) for i in worst)}" if a.ndim else ""
    return (f"The values differ{where}: {_num(a[worst])} instead of {_num(e[worst])} "
            f"(tolerance rtol={rtol:g}, atol={atol:g}).")


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return "None" if value is None else f"a {type(value).__name__}"


def _num(x) -> str:
    return f"{float(x):.6g}"
