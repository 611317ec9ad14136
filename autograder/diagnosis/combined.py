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

import numpy as np

from autograder.diagnosis.relations import Finding, _arr, _structure_close, explain

# the ids of relations.explain that are a value relation of any base value
RELATIONS = ("scaled-", "negated", "transposed", "shifted", "not-reduced-", "reduced-to-a-number",
             "axis-too-many", "axis-too-few", "reciprocal")
TIER = 4  # below every single explanation: only where none fits


def combine(actual, expected, args, values, rtol, atol) -> list[tuple[Finding, int]]:
    """Every pair of parts that reproduces `actual`, with its base's tier; `values` is
    [(finding, value)] of the candidates that differ from `expected` on these inputs and are
    finite."""
    out: dict[tuple[str, str], tuple[Finding, int]] = {}

    def add(found: Finding, tier: int = 3) -> None:
        out.setdefault((found.id, found.title), (found, tier))

    values = [(f, v) for f, v in values if not isinstance(v, (tuple, list, dict))]
    for shape, seen in _shape_parts(actual, expected):
        if isinstance(seen, (tuple, list, dict)):
            continue  # structured results: their parts are judged one by one elsewhere
        if shape is None:  # a candidate's value, then a relation
            for base, value in values:
                for relation in _relations(seen, value, args, rtol, atol):
                    add(_both(base, relation), base.tier)
        elif _structure_close(seen, expected, rtol, atol):
            add(_alone(shape))
        else:  # a shape part, then a relation of the expected value or a candidate's value
            for relation in _relations(seen, expected, args, rtol, atol):
                add(_both(shape, relation))
            for base, value in values:
                if _structure_close(seen, value, rtol, atol):
                    add(_both(base, shape), base.tier)
    return list(out.values())


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


def _relations(actual, value, args, rtol, atol) -> list[Finding]:
    """The value relations that reproduce `actual` from `value`, after a cheap test that one
    can."""
    a, v = _arr(actual), _arr(value)
    if a is None or v is None or v.size == 0 or not np.isfinite(v).all() \
            or not np.isfinite(a).all() or not _possible(a, v, atol):
        return []
    from autograder.diagnosis.acceptance import size_findings

    try:  # a factor n of 2 as well as the number 2 (a size is preferred by `unique`)
        found = explain(a, v, args, rtol, atol) + size_findings(a, v, args, rtol, atol)
    except Exception:  # a relation that cannot compare these values explains nothing
        return []
    return [f for f in found if f.id.startswith(RELATIONS)]


def _possible(a, v, atol) -> bool:
    """Whether a relation of RELATIONS can turn `v` into `a` (shapes, ratios, differences)."""
    if a.shape != v.shape:
        return a.size == 1 or a.size == v.size or abs(a.ndim - v.ndim) == 1
    if v.ndim == 2 and v.shape[0] == v.shape[1] and np.allclose(a, v.T):
        return True
    big = np.abs(v) > 10 * atol
    if big.any():
        ratios = a[big] / v[big]
        if np.ptp(ratios) <= 1e-4 * max(1.0, abs(ratios[0])) and np.all(np.abs(a[~big]) <= atol):
            return True
    d = (a - v).ravel()
    return d.size >= 2 and np.ptp(d) <= 1e-4 * max(1.0, abs(d[0]))


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
