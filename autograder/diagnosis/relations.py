"""Relations between what a function returned and what was expected, from those two alone.

Each relation reconstructs the student's result from the expected one (and the call's inputs):
transposed, negated, scaled by a named constant, shifted, scaled by an input, an axis too many or
too few, a reduction left out, taken over the wrong axis or taken where none belongs (one number
for an array), right on some rows only, nan or inf where the result is finite. A relation is a
claim, so it is reported only when it reproduces the result within tolerance and only where it is
distinguishable: a relation whose value equals the expected one proves nothing (an expected 0
proves no scale factor, a symmetric result no transpose).

This module needs nothing but NumPy and is generic over arrays, tuples, lists and dicts of arrays:
a new graded function gets these relations without an edit. It is also copied into the release
notebooks' check helper, so the public checks name the same relations on their public cases (no
reference code is needed: only the public expected values).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RTOL, ATOL = 1e-5, 1e-8


@dataclass(frozen=True)
class Finding:
    """One relation that reproduces the result: `id` is stable (the class report counts it)."""

    id: str
    title: str
    explanation: str  # what was seen, and how to fix it
    tier: int = 3  # lower is more specific; ties are broken by other checks, or nothing is named
    lecture: str | None = None


def _arr(value):
    try:
        out = np.asarray(value, dtype=float)
    except (OverflowError, TypeError, ValueError):  # not numbers
        return None
    return out


def close(a, e, rtol=RTOL, atol=ATOL) -> bool:
    """Same shape and equal within tolerance (nan never equals)."""
    a, e = _arr(a), _arr(e)
    if a is None or e is None or a.shape != e.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.all(np.abs(a - e) <= atol + rtol * np.abs(e)))


def _sizes(args, smallest=3) -> list[tuple[float, str]]:
    """The sizes a missing or extra factor n can be: samples, elements, features of the inputs
    (from `smallest` up: a factor 2 is named as 2, not as n = 2)."""
    found: dict[float, str] = {}
    for i, arg in enumerate(args):
        a = _arr(arg)
        if a is None or a.ndim == 0 or a.size < 2:
            continue
        for value, what in ((a.shape[0], "rows (samples)"), (a.size, "elements"),
                            (a.shape[-1], "columns")):
            if value >= smallest:
                found.setdefault(float(value), f"the number of {what} of argument {i + 1}")
    return sorted(found.items())


def _constants(args):
    """(value, id, words): 1/2, 2 and the factors n, 1/n, n/2 of the inputs' sizes."""
    out = [(0.5, "half", "1/2"), (2.0, "double", "2"), (100.0, "percent", "100")]
    for i, arg in enumerate(args):  # rows and columns of one input swapped in a mean
        x = _arr(arg)
        if x is None or x.ndim != 2 or x.shape[0] == x.shape[1]:
            continue
        n, m = x.shape
        out.append((n / m, "wrong-divisor", f"{n}/{m} (divided by {m}, the columns of argument "
                    f"{i + 1}, where {n}, its rows (the samples), belongs)"))
    for n, what in _sizes(args):
        out += [(n, "times-n", f"n = {n:g} ({what})"),
                (1 / n, "over-n", f"1/n, n = {n:g} ({what})"),
                (n / 2, "times-n-over-2", f"n/2, n = {n:g} ({what})")]
    return out


SCALE_FIX = {
    "wrong-divisor": "the mean divides by the wrong count; divide by the number of samples "
                     "(rows: the batch is rows in this course), or elements, as the table says",
    "half": "a factor 1/2 too many (for example 1/2 * sum of squares, or a 0.5 left in)",
    "double": "a factor 2 too many (a derivative's 2 used twice, or a gradient added twice)",
    "percent": "a percentage where the course asks for a fraction: leave out the * 100",
    "times-n": "a mean left out: divide by n (np.mean instead of np.sum)",
    "over-n": "a division by n too many: the mean is taken where a sum belongs, or twice",
    "times-n-over-2": "the gradient of 1/2 * sum of squares: the course's loss is a mean "
                      "(divide by n) with its factor 2",
}


def explain(actual, expected, args=(), rtol=RTOL, atol=ATOL, label="") -> list[Finding]:
    """Every relation that reproduces `actual` from `expected` and `args` (may be empty)."""
    where = f"{label}: " if label else ""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key in expected:
            if key in actual and not _same(actual[key], expected[key], rtol, atol):
                out += explain(actual[key], expected[key], args, rtol, atol, f"{where}[{key!r}]")
        return out
    if isinstance(expected, tuple) and isinstance(actual, (tuple, list)) \
            and len(actual) == len(expected):
        out = []
        for i, (a, e) in enumerate(zip(actual, expected)):
            if not _same(a, e, rtol, atol):
                out += explain(a, e, args, rtol, atol, f"{where}value {i + 1}")
        return out
    if isinstance(expected, list) and expected and isinstance(expected[0], np.ndarray):
        return _lists(actual, expected, where, rtol, atol)
    a, e = _arr(actual), _arr(expected)
    if a is None or e is None or close(a, e, rtol, atol):
        return []
    if not np.isfinite(e).all():
        return []
    if not np.isfinite(a).all():
        return [_not_finite(a, e, args, where)]
    if a.shape != e.shape:
        return _shapes(a, e, args, where, rtol, atol)
    return _values(a, e, args, where, rtol, atol)


def _same(a, e, rtol, atol) -> bool:
    if isinstance(e, (dict, tuple, list)):
        return not explain(a, e, (), rtol, atol) and _structure_close(a, e, rtol, atol)
    return close(a, e, rtol, atol)


def _structure_close(a, e, rtol, atol) -> bool:
    if isinstance(e, dict):
        return isinstance(a, dict) and all(k in a and _structure_close(a[k], e[k], rtol, atol)
                                           for k in e)
    if isinstance(e, (tuple, list)) and not isinstance(e, np.ndarray):
        return isinstance(a, (tuple, list)) and len(a) == len(e) and all(
            _structure_close(x, y, rtol, atol) for x, y in zip(a, e))
    return close(a, e, rtol, atol)


def _values(a, e, args, where, rtol, atol) -> list[Finding]:
    out = []
    big = np.abs(e) > 10 * atol
    if e.ndim == 2 and e.shape[0] == e.shape[1] and not close(e.T, e, rtol, atol) \
            and close(a, e.T, rtol, atol):
        out.append(Finding("transposed", "result transposed",
                           f"{where}your result is the expected one transposed: rows and "
                           "columns are swapped. A result has the shape of what it is the "
                           "result (or gradient) of: check which side of each product the "
                           "batch is on (X @ W.T, dvalues.T @ X).", 3, "001"))
    if big.any():
        ratios = a[big] / e[big]
        if close(a, -e, rtol, atol):
            out.append(Finding("negated", "sign flipped",
                               f"{where}your result is the expected one with every sign "
                               "flipped. Check the sign of each term: a gradient points uphill, "
                               "an update steps against it (w - lr * dw).", 3))
        for value, ident, words in _constants(args):
            if close(a, value * e, rtol, atol):
                tier = 2 if ident == "wrong-divisor" else 3  # names both sizes: more specific
                title = {"wrong-divisor": "divided by the wrong count",
                         "percent": "a percentage where a fraction belongs"}.get(
                    ident, f"result {words.split(' (')[0]} times the expected one")
                out.append(Finding(f"scaled-{ident}", title,
                                   f"{where}every element of your result is {words} times the "
                                   f"expected one: {SCALE_FIX[ident]}.", tier))
        if abs(a.flat[0] * e.flat[0] - 1) < 1e-3 and np.all(e != 0) \
                and not close(1 / e, e, rtol, atol) and close(a, 1 / e, rtol, atol):
            out.append(Finding("reciprocal", "the reciprocal of the expected result",
                               f"{where}your result is 1 divided by the expected one: a "
                               "fraction's denominator is returned without the division, as "
                               "1 / 1 + x computes 1 + x. Put the denominator in parentheses: "
                               "1 / (1 + x).", 3))
        if not out and big.sum() >= 2 and np.allclose(ratios, ratios[0], rtol=1e-9) \
                and close(a, ratios[0] * e, rtol, atol) and np.all(a[~big] == 0):
            out.append(Finding("scaled-constant", "result scaled by a constant",
                               f"{where}every element of your result is {ratios[0]:.6g} times "
                               "the expected one: a constant factor (a learning rate, a "
                               "decay, a 1 - beta) is applied once too often or left out.", 4))
    d = a - e
    if a.size >= 2 and not out and abs(d.flat[0]) > atol + rtol * np.abs(e).max() \
            and np.allclose(d, d.flat[0], rtol=1e-9, atol=atol) and _telling(d.flat[0], args):
        out.append(Finding("shifted", "result shifted by a constant",
                           f"{where}every element of your result is the expected one plus "
                           f"{d.flat[0]:.6g}: a constant term is added (or left out) that the "
                           "formula does not have (an epsilon, a bias, a 1).", 4))
    out += _scaled_by_input(a, e, args, where, rtol, atol, big)
    if not out:
        out += _rounded(a, e, where, rtol, atol)
    out += _broadcast_axis(a, e, args, where, rtol, atol)
    if not out:
        out += _rows(a, e, where, rtol, atol)
    return out


def _rounded(a, e, where, rtol, atol) -> list[Finding]:
    """The expected result rounded to a few decimals (round(x, 2) before returning)."""
    first = float(a.flat[0]) * 1e6
    if abs(first - round(first)) > 1e-3 or not np.any(np.abs(a - np.round(a)) > 1e-12) \
            or not close(a, np.round(a, 6), 0.0, 1e-12):
        return []  # not rounded, or whole numbers (a coincidence of small values, or a count)
    for decimals in range(1, 7):
        r = np.round(e, decimals)
        if not close(r, e, rtol, atol) and close(a, r, 0.0, 1e-12):
            return [Finding("rounded", f"result rounded to {decimals} decimals",
                            f"{where}your result is the expected one rounded to {decimals} "
                            "decimals: the function rounds (round(x, k), np.round, a format) "
                            "what it returns. Return the full value; round only what you "
                            "print.", 3)]
    return []


def _telling(shift: float, args) -> bool:
    """A constant a formula adds by mistake: 1, 2, 1/2, a power of ten (an epsilon, 0.01) or a
    number passed in. Any other constant offset is a coincidence of the inputs, not a cause."""
    known = [1.0, 2.0, 0.5] + [10.0 ** -k for k in range(1, 16)]
    known += [abs(float(x)) for x in args
              if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)]
    return any(np.isclose(abs(shift), k, rtol=1e-6, atol=0) for k in known if k)


def _scaled_by_input(a, e, args, where, rtol, atol, big) -> list[Finding]:
    out = []
    for i, arg in enumerate(args):
        x = _arr(arg)
        if x is None or x.size < 2 or np.allclose(x, 1.0) or not big.any():
            continue
        try:
            times = np.broadcast_to(x, e.shape)
        except ValueError:
            continue
        if close(a, e * times, rtol, atol) and not close(e * times, e, rtol, atol):
            out.append(Finding("times-input", "multiplied by an input once more",
                               f"{where}your result is the expected one multiplied by argument "
                               f"{i + 1} elementwise: that input (an upstream gradient, say) is "
                               "multiplied in twice. Multiply it in once.", 3))
    return out


def _broadcast_axis(a, e, args, where, rtol, atol) -> list[Finding]:
    """A 1-D input added along the wrong axis of a square result (a column bias)."""
    out = []
    if e.ndim != 2 or e.shape[0] != e.shape[1]:
        return out
    for i, arg in enumerate(args):
        x = _arr(arg)
        if x is None or x.shape != (e.shape[1],) or np.allclose(x, x[0]):
            continue
        if close(a, e - x[None, :] + x[:, None], rtol, atol):
            out.append(Finding("bias-as-column", "assumes a column-shaped bias (n, 1)",
                               f"{where}your result is the expected one with argument {i + 1} "
                               "added to each column instead of each row: a bias of shape "
                               "(n, 1) (samples as columns). This course's batch is rows and b "
                               "has shape (n_neurons,): X @ W.T + b.", 2, "001"))
    return out


def _rows(a, e, where, rtol, atol) -> list[Finding]:
    """Right on some rows only: named only when the pattern says why."""
    if a.ndim == 0 or len(a) < 2:
        return []
    right = np.array([close(a[i], e[i], rtol, atol) for i in range(len(a))])
    n = len(a)
    if right.all():
        return []
    if all(close(a[i], e[-1], rtol, atol) for i in range(n)) and not close(e[0], e[-1], rtol,
                                                                          atol):
        return [Finding("rows-last-only", "every row is the last sample's",
                        f"{where}every row of your result equals the expected last row: "
                        "each pass of the loop overwrites the whole result. Write row i "
                        "into row i (out[i] = ...).", 2)]
    wrong = [i for i in range(n) if not right[i]]
    if not right.any() or not all(not np.any(a[i]) and np.any(e[i]) for i in wrong):
        return []  # only rows never written (left at 0) tell which rows the loop skipped
    out = []  # with two rows, "the first only" and "the last left out" are one pattern: a tie
    if wrong == list(range(1, n)):
        out.append(Finding("rows-first-only", "right for the first sample only",
                           f"{where}row 1 of your result is right and rows 2 to {n} are left as "
                           "they were initialised (zeros): the loop returns (or breaks) inside "
                           "its first pass. Return after the loop has run over every sample.", 2))
    if wrong == [n - 1]:
        out.append(Finding("rows-last-missing", "the last sample left out",
                           f"{where}rows 1 to {n - 1} of your result are right and the last row "
                           "is left at 0: the loop stops one sample short (range(n - 1), or a "
                           "slice that ends at -1). Loop over range(n).", 2))
    if wrong == [0]:
        out.append(Finding("rows-first-missing", "the first sample left out",
                           f"{where}every row but the first is right and the first is left at 0: "
                           "the loop starts at 1. Python counts from 0: loop over range(n).", 2))
    return out


def _lists(actual, expected, where, rtol, atol) -> list[Finding]:
    if isinstance(actual, np.ndarray) and actual.ndim == 2:
        actual = list(actual)  # equal batches stacked into one array: its rows are the batches
    if not isinstance(actual, (list, tuple)):
        return []
    if len(actual) == len(expected) - 1 and all(
            close(a, e, rtol, atol) for a, e in zip(actual, expected)):
        return [Finding("last-batch-dropped", "the last short batch dropped",
                        f"{where}your {len(actual)} batches are right, and the last one, of "
                        f"{len(np.atleast_1d(expected[-1]))} items, is missing: a loop to "
                        "n_samples - batch_size (or n // batch_size batches) drops the remainder. "
                        "Keep the shorter last batch.", 2)]
    return []


def _shapes(a, e, args, where, rtol, atol) -> list[Finding]:
    out = _reduced(a, e, args, where, rtol, atol)
    if e.ndim == 2 and a.shape == e.T.shape and close(a, e.T, rtol, atol):
        out.append(Finding("transposed", "result transposed",
                           f"{where}your result has shape {a.shape} and is the expected "
                           f"{e.shape} transposed. A result has the shape of what it is the "
                           "result (or gradient) of: check which side of each product the "
                           "batch is on (X @ W.T, dvalues.T @ X).", 3, "001"))
    for axis in range(a.ndim):
        if a.shape[:axis] + a.shape[axis + 1:] != e.shape:
            continue
        if a.shape[axis] < 2 and e.ndim:
            continue
        # one sample: a per-sample loss and a loss with keepdims look alike (a tie)
        tier = 2 if a.shape[axis] >= 2 else 5
        for how, reduce in (("mean", np.mean), ("sum", np.sum)):
            if close(reduce(a, axis=axis), e, rtol, atol):
                out.append(_not_reduced(how, axis, a, e, args, where, tier))
    if a.size == e.size and a.shape != e.shape and close(a.reshape(e.shape), e, rtol, atol) \
            and not (a.ndim == e.ndim + 1 and 1 in a.shape):
        fewer = a.ndim < e.ndim
        out.append(Finding("axis-too-few" if fewer else "axis-too-many",
                           "an axis too few" if fewer else "an axis too many",
                           f"{where}the values are right but the shape is {a.shape}, not "
                           f"{e.shape}. Keep the shape the function's table gives (no reshape "
                           "or flatten, `axis=` with `keepdims` where a row must stay a row).", 3))
    if a.ndim == 1 and e.ndim == 1 and a.size != e.size:
        for i, arg in enumerate(args):
            x = _arr(arg)
            if x is None or x.ndim != 2:
                continue
            for ax in (0, 1):
                if close(x.sum(axis=ax), a, rtol, atol) and close(x.sum(axis=1 - ax), e, rtol,
                                                                 atol):
                    out.append(Finding("wrong-axis", "summed over the wrong axis",
                                       f"{where}your result is argument {i + 1} summed over axis "
                                       f"{ax}; the expected one sums over axis {1 - ax}. Sum "
                                       "over the samples (the rows, axis=0) for a bias's "
                                       "gradient.", 2))
    return out


def _along(length: int, args) -> str | None:
    """What an axis of `length` runs along in the inputs: "samples" (their rows), "columns", or
    None where both, or neither, have that length."""
    arrays = [x for x in map(_arr, args) if x is not None and x.ndim >= 1]
    rows = {x.shape[0] for x in arrays}
    columns = {x.shape[-1] for x in arrays if x.ndim >= 2}
    if (length in rows) == (length in columns):
        return None
    return "samples" if length in rows else "columns"


def _not_reduced(how, axis, a, e, args, where, tier) -> Finding:
    """The values along `axis` where their mean or sum is expected: which values they are (one
    per sample, or one per column: a mean over the samples alone) as the inputs' shapes show."""
    along = _along(a.shape[axis], args) if axis == 0 else None
    if along == "columns":
        return Finding(f"not-reduced-{how}", f"{how} over the columns left out",
                       f"{where}your result has shape {a.shape}, one value per column of the "
                       f"inputs, and its {how} is the expected {e.shape} result: the reduction "
                       f"runs over the samples only (axis=0). Reduce over every element: "
                       f"np.{how}(...) with no axis.", tier)
    what = "per-sample values" if along == "samples" else f"values along axis {axis}"
    title = f"{how} over the samples left out" if along == "samples" else \
        f"{how} over axis {axis} left out"
    return Finding(f"not-reduced-{how}", title,
                   f"{where}your result has shape {a.shape}; its {how} over axis {axis} is the "
                   f"expected {e.shape} result: you returned the {what} instead of their {how}. "
                   f"Take np.{how}(..., axis={axis}).", tier)


def _reduced(a, e, args, where, rtol, atol) -> list[Finding]:
    """One number where an array belongs: its sum or mean (or a named multiple of its sum)."""
    total = float(e.sum())
    if a.size != 1 or e.size < 2 or abs(total) <= 10 * atol:
        return []
    factors = [(1.0, "the sum"), (1.0 / e.size, "the mean")]
    factors += [(c, f"{words.split(' (')[0]} times the sum") for c, _, words in _constants(args)]
    for factor, words in factors:
        if close(a.reshape(()), factor * total, rtol, atol):
            return [Finding("reduced-to-a-number", "one number where an array belongs",
                            f"{where}your result is one number, {words} of the expected "
                            f"{e.shape} array's elements: the function reduces (np.sum, np.mean, "
                            "or a loop that adds up) where it should return one value per "
                            f"element. Return the whole array, shape {e.shape}.", 2)]
    return []


def _not_finite(a, e, args, where) -> Finding:
    bad = ~np.isfinite(a)
    index = tuple(int(i) for i in np.argwhere(bad)[0]) if a.ndim else ()
    what = "nan" if np.isnan(a[index]) else "inf"
    seen = f"{where}your result has {what} at index {index}" if a.ndim else \
        f"{where}your result is {what}"
    inputs = []
    for i, arg in enumerate(args):
        x = _arr(arg)
        if x is not None and x.shape == a.shape and x.size:
            inputs.append(f"argument {i + 1} is {x[index]:.6g} there")
    why = "; the expected value is finite"
    values = [float(_arr(arg)[index]) for arg in args
              if _arr(arg) is not None and _arr(arg).shape == a.shape and a.size]
    if any(abs(v) > 700 for v in values):
        fix = ("exp overflows past about 709: shift by the row's max before exp, or use a form "
               "that never takes exp of a large positive number (np.tanh, the two-sided "
               "sigmoid)")
    elif any(v in (0.0, 1.0) for v in values):
        fix = "log(0) is -inf: clip the probabilities to [1e-7, 1 - 1e-7] before the log"
    else:
        fix = ("a division by 0, a log of 0 or an exp that overflows: keep every step finite "
               "(clip before log, shift before exp, an epsilon in the denominator)")
    detail = f" ({', '.join(inputs)})" if inputs else ""
    return Finding(f"not-finite-{what}", f"{what} where the result is finite",
                   f"{seen}{detail}{why}: {fix}.", 3)
