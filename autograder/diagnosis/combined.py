"""Two mistakes at once: a relation of the result applied on top of another explanation's value.

Most wrong answers that no single relation explains combine two mistakes: a convention of
another textbook and a missing mean, an argument ignored and a factor 2, a right value returned
in a tuple or with an extra axis. Where no single explanation fits a check, the result is read as
(1) a shape part, (2) a base value and (3) a value relation, at most two of them other than the
plain result and the expected value:

- shape parts: the first item of a tuple where one value belongs (`return out, cache`), or the
  values with an axis too many or too few (same size, another shape);
- base values: the expected one, or any candidate of reconstruct.py on this check's inputs (a
  convention, an argument swapped or ignored, a neighbour's value): each worker keeps those
  values (reconstruct.evaluated), so a student costs only the comparisons here;
- value relations (relations.explain on the base value instead of the expected one): scaled by a
  named constant or size, negated, transposed, shifted by a telling constant, a reduction left
  out or done where none belongs.

A pair is named only when it reproduces the whole result and is the only pair that does (a size
and a number of the same value are one claim, as on a single relation); its name is both parts'.
Most candidates are ruled out by a comparison of shapes, ratios or differences before any
relation is computed.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from autograder.diagnosis.relations import (
    Finding,
    _arr,
    _constants,
    _sizes,
    _structure_close,
    _telling,
    explain,
)

# the ids of relations.explain that are a value relation of any base value
RELATIONS = ("scaled-", "negated", "transposed", "shifted", "not-reduced-", "reduced-to-a-number",
             "axis-too-many", "axis-too-few", "reciprocal")
TIER = 4  # below every single explanation: only where none fits


def combine(actual, expected, args, kept, rtol, atol) -> list[tuple[Finding, int]]:
    """Every pair of parts that reproduces `actual`, with its base's tier. `kept` is
    reconstruct.evaluated's list for these inputs (kept per worker): its candidates that differ
    from `expected` and are finite are the base values."""
    out: dict[tuple[str, str], tuple[Finding, int]] = {}

    def add(found: Finding, tier: int = 3) -> None:
        out.setdefault((found.id, found.title), (found, tier))

    stacks = _stacks(kept)
    factors = factors_of(args)
    for shape, seen in _shape_parts(actual, expected):
        if isinstance(seen, (tuple, list, dict)):
            continue  # structured results: their parts are judged one by one elsewhere
        if shape is None:  # a candidate's value, then a relation
            for base, value in _near(seen, stacks, args, factors):
                for relation in _relations(seen, value, args, rtol, atol, factors):
                    add(_both(base, relation), base.tier)
        elif _structure_close(seen, expected, rtol, atol):
            add(_alone(shape))
        else:  # a shape part, then a relation of the expected value or a candidate's value
            for relation in _relations(seen, expected, args, rtol, atol, factors):
                add(_both(shape, relation))
            a = _arr(seen)
            for base, value in stacks.get(None if a is None else a.shape, ((), None, None))[0]:
                if _structure_close(seen, value, rtol, atol):
                    add(_both(base, shape), base.tier)
    return list(out.values())


class _Stack(NamedTuple):
    """The base values of one shape, as rows of one matrix (compared in a few operations)."""

    pairs: list  # [(finding, value)]
    rows: np.ndarray  # (candidates, size)
    nonzero: np.ndarray  # per candidate: no exact 0 (a reciprocal is defined)


# id(kept list) -> (that list, {shape: _Stack}); the list is held, so its id is not reused
_STACKS: dict[int, tuple[list, dict]] = {}


def _stacks(kept: list) -> dict:
    """`kept`'s usable candidates grouped by the shape of their value, built once per worker
    for a kept list (reconstruct.evaluated returns the same list for the same inputs)."""
    entry = _STACKS.get(id(kept))
    if entry is not None and entry[0] is kept:
        return entry[1]
    groups: dict[tuple, list] = {}
    for finding, value, distinct, finite in kept:
        if not (distinct and finite) or isinstance(value, (tuple, list, dict)):
            continue
        v = _arr(value)
        if v is not None and v.size:
            groups.setdefault(v.shape, []).append((finding, value, v))
    out = {}
    for shape, items in groups.items():
        rows = np.array([v.ravel() for _, _, v in items])
        out[shape] = _Stack([(f, value) for f, value, _ in items], rows, np.all(rows != 0, axis=1))
    if len(_STACKS) >= 512:  # lists made afresh (values recomputed per student): not hoarded
        _STACKS.clear()
    _STACKS[id(kept)] = (kept, out)
    return out


def _near(actual, stacks: dict, args, factors):
    """The (finding, value) pairs whose value a relation of RELATIONS may turn into `actual`:
    the same shape at a ratio among `factors`, a telling shift or a reciprocal (all candidates of
    a shape at once), or a shape a reduction, a reshape or a transpose relates (one by one)."""
    a = _arr(actual)
    if a is None or not np.isfinite(a).all():
        return
    for shape, stack in stacks.items():
        if shape == a.shape:
            yield from (stack.pairs[i] for i in np.flatnonzero(_same_shape(a, stack, args,
                                                                         factors)))
            continue
        for pair, row in zip(stack.pairs, stack.rows):
            if _possible(a, row.reshape(shape), args, factors):
                yield pair


def _same_shape(a, stack: _Stack, args, factors) -> np.ndarray:
    """Per candidate of `stack` (values of `a`'s shape): whether a ratio, shift, reciprocal or
    transpose can relate its value to `a`."""
    x, rows = a.ravel(), stack.rows
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        big = np.abs(rows) > 1e-7
        ratios = np.where(big, x / rows, np.nan)
        zeros_kept = np.all(big | (np.abs(x) <= 1e-7), axis=1)
        low, high = np.nanmin(np.where(big.any(axis=1, keepdims=True), ratios, 0.0), axis=1), \
            np.nanmax(np.where(big.any(axis=1, keepdims=True), ratios, 0.0), axis=1)
        scaled = zeros_kept & big.any(axis=1) & (high - low <= 1e-4 * np.maximum(1.0, np.abs(low)))
        scaled &= np.any(np.abs(low[:, None] - factors[None, :])
                         <= 1e-4 * np.abs(factors[None, :]), axis=1)
        reciprocal = stack.nonzero & np.all(np.abs(x * rows - 1.0) <= 1e-4, axis=1)
        d = x - rows
        shift = (d.max(axis=1) - d.min(axis=1) <= 1e-4 * np.maximum(1.0, np.abs(d[:, 0]))) \
            & (x.size >= 2)
    if shift.any():
        shift[shift] = [_telling(float(s), args) for s in d[shift, 0]]
    out = scaled | reciprocal | shift
    if a.ndim == 2 and a.shape[0] == a.shape[1]:
        flipped = rows.reshape(-1, *a.shape).transpose(0, 2, 1).reshape(len(rows), -1)
        out |= np.all(np.abs(x - flipped) <= 1e-8 + 1e-4 * np.abs(flipped), axis=1)
    return out


def _shape_parts(actual, expected):
    """(shape part or None, the result read without it)."""
    yield None, actual
    if isinstance(actual, (tuple, list)) and len(actual) >= 2 \
            and not isinstance(expected, (tuple, list, dict)):
        yield Finding("extra-return", "a tuple returned where one value belongs",
                      f"your function returns {len(actual)} values (a tuple, as `return out, "
                      "cache` in cs231n's layers); this function returns only the first.", 3), \
            actual[0]
    a, e = _arr(actual), _arr(expected)
    if a is not None and e is not None and a.size == e.size and a.shape != e.shape \
            and a.size >= 2 and a.dtype.kind in "fiub":
        fewer = a.ndim < e.ndim
        yield Finding("axis-too-few" if fewer else "axis-too-many",
                      "an axis too few" if fewer else "an axis too many",
                      f"your result has shape {a.shape}, not {e.shape} (a reshape, a flatten, or "
                      "keepdims where a row must stay a row).", 3), a.reshape(e.shape)


def _relations(actual, value, args, rtol, atol, factors) -> list[Finding]:
    """The value relations that reproduce `actual` from `value`, after a cheap test that one
    can."""
    a, v = _arr(actual), _arr(value)
    if a is None or v is None or v.size == 0 or not np.isfinite(v).all() \
            or not np.isfinite(a).all() or not _possible(a, v, args, factors):
        return []
    from autograder.diagnosis.acceptance import size_findings

    try:  # a factor n of 2 as well as the number 2 (a size is preferred by `unique`)
        found = explain(a, v, args, rtol, atol) + size_findings(a, v, args, rtol, atol)
    except Exception:  # a relation that cannot compare these values explains nothing
        return []
    return [f for f in found if f.id.startswith(RELATIONS)]


def factors_of(args) -> np.ndarray:
    """Every factor a relation of RELATIONS can name on these inputs (and the sign, 1 and the
    mean's 1/size, which the test of a sum or mean needs)."""
    out = [c for c, _, _ in _constants(args)] + [n for n, _ in _sizes(args, smallest=2)]
    out += [1 / n for n, _ in _sizes(args, smallest=2)]
    return np.array(out + [-1.0, 1.0])


def _possible(a, v, args, factors) -> bool:
    """Whether a relation of RELATIONS can turn `v` into `a`: a few comparisons of shapes, a
    ratio against the factors the relations name, a difference, a sum or mean."""
    close = np.allclose
    if a.shape != v.shape:
        if a.size == 1 and v.size >= 2:  # one number: a named multiple of the sum
            total = float(v.sum())
            return bool(total) and _among(float(a.reshape(())) / total,
                                          np.append(factors, 1 / v.size))
        if a.size == v.size:  # an axis too many or too few, or transposed
            return close(a.ravel(), v.ravel(), rtol=1e-4, atol=1e-8) or (
                a.shape == v.T.shape and close(a, v.T, rtol=1e-4, atol=1e-8))
        if a.ndim == v.ndim + 1:  # a reduction left out
            return any(a.shape[:i] + a.shape[i + 1:] == v.shape and (
                close(a.mean(axis=i), v, rtol=1e-4, atol=1e-8)
                or close(a.sum(axis=i), v, rtol=1e-4, atol=1e-8)) for i in range(a.ndim))
        return False
    if v.ndim == 2 and v.shape[0] == v.shape[1] and close(a, v.T, rtol=1e-4, atol=1e-8):
        return True
    big = np.abs(v) > 1e-7
    if big.any() and close(a[~big], 0.0, atol=1e-7):
        ratios = a[big] / v[big]
        if np.ptp(ratios) <= 1e-4 * max(1.0, abs(ratios[0])) and _among(ratios[0], factors):
            return True
    if np.all(v != 0) and close(a * v, 1.0, rtol=1e-4, atol=1e-8):  # the reciprocal
        return True
    d = (a - v).ravel()
    return d.size >= 2 and np.ptp(d) <= 1e-4 * max(1.0, abs(d[0])) and _telling(d[0], args)


def _among(ratio: float, factors: np.ndarray) -> bool:
    return bool(np.any(np.isclose(ratio, factors, rtol=1e-4, atol=0)))


def _alone(shape: Finding) -> Finding:
    return Finding(shape.id, shape.title, shape.explanation + " The values are right.", 3)


# pairs that are one mistake, in its own words: (first id, relation id) -> (title, explanation)
ONE_MISTAKE = {
    ("input-transposed", "transposed"): (
        "samples taken as columns",
        "your result is what the function gives for {arg} transposed, transposed back: it "
        "treats each column as a sample (the layout of deeplearning.ai and Nielsen, samples as "
        "columns). This course's batch is rows: what your code does per column (axis=0) belongs "
        "to each row (axis=1)."),
}


def _both(first: Finding, relation: Finding) -> Finding:
    words = ONE_MISTAKE.get((first.id, relation.id))
    if words is not None:
        arg = first.title.split(" used", 1)[0]
        return Finding(f"{first.id}+{relation.id}", words[0], words[1].format(arg=arg), TIER,
                       first.lecture)
    rel = relation.explanation.replace("the expected one", "that value") \
        .replace("the expected ", "that ")
    rel = rel[:1].lower() + rel[1:]
    text = first.explanation[:1].lower() + first.explanation[1:]
    return Finding(f"{first.id}+{relation.id}", f"{first.title}; and {relation.title}",
                   f"two mistakes together give your result. First, {text} Second, on top of "
                   f"that, {rel}", TIER, first.lecture or relation.lecture)


def unique(pairs: list[tuple[Finding, int]]) -> Finding | None:
    """The one pair that fits, of those whose base is the most specific (a convention, tier 1,
    before the same value reached as an input changed), the size where a size and its number
    both fit; else None."""
    from autograder.diagnosis.acceptance import NUMBER_IDS

    best = min((tier for _, tier in pairs), default=0)
    found = [f for f, tier in pairs if tier == best]
    ids = {f.id for f in found}
    sized = [f for f in found if not any(
        f.id.endswith("+" + number) and f.id[:-len(number)] + size in ids
        for number, size in NUMBER_IDS.items())]
    return sized[0] if len(sized) == 1 else None


def is_combined(finding: Finding) -> bool:
    return "+" in finding.id or finding.id == "extra-return"
