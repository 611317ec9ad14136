"""When a candidate explanation becomes a name: the acceptance rules of the diagnosis.

A name is a claim, so it must be proved where it is distinguishable. These rules sit between the
explanations that fit one check (autograder/diagnosis/__init__.py gathers them) and the one that
is named:

- Consistency across checks: every failing value check of a function leaves a record of which
  explanations fitted it and which were tried there and did not reproduce the result (their
  value differed from the expected one and from the student's; the graders' own candidates are
  written per check, several per mistake, and are not judged so). An explanation that an
  earlier check of the same function contradicts is not named: this is the one rule of
  consistency (`contradicted`; a generic relation is also judged across its variants, by id).
  A claim that no earlier check supports is tried once more on the same inputs with other
  numbers (replication.py); two mistakes at once (combined.py) must be reproduced there, or have
  fitted an earlier check, since a replication that cannot run proves nothing for them.
- A scale factor that equals a size of the inputs (2 samples, 3 columns) names the size, not the
  number, unless another check separates them.
- A candidate whose value is 0 (within the tolerance) proves nothing against a result that is
  merely tiny: both underflow alike. A candidate whose value is 0, or one constant, proves
  nothing at all (`trivial`): a step activation, a clamp or an early return gives it too.
- A grader's known mistake whose value is one number proves nothing after the function raised
  on an earlier check (`after_a_raise`): the slip runs where the course's function runs. Where
  a value relation giving that number is proved there all the same, the known mistake is the
  name: it says the cause (a count, not a fraction) where the relation says "n times".
- A name for a nan or inf (an overflow, a log of 0) claims that the rest is right: it is named
  only where the finite entries are right, or where an earlier check already named what is
  wrong with them.
- A result repeated along an axis is no sum or mean left out: its copies are all equal.

The records live in the diagnosis context's history under "checks:<function>".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from autograder.diagnosis.relations import SCALE_FIX, Finding, _arr, _sizes, close, explain

# Relations read from the result and the expected one alone: tried on every comparable check.
VALUE_RELATIONS = ("scaled-", "negated", "shifted", "times-input", "reciprocal")
# Ids whose title carries the constant or the argument the claim is about.
PARAMETRISED = ("argument-fixed", "argument-default", "argument-ignored", "argument-off-by-one",
                "input-plus-epsilon", "swapped-arguments", "argument-in-place-of",
                "input-transposed", "bias-as-column")
SIZE_IDS = {"scaled-times-n", "scaled-over-n"}
NUMBER_IDS = {"scaled-double": "scaled-times-n", "scaled-half": "scaled-over-n"}


@dataclass
class Record:
    """What one failing value check of a function showed."""

    fitted: set[str] = field(default_factory=set)
    tried: set[str] = field(default_factory=set)  # distinguishable there, and not the result
    comparable: bool = False  # the value relations were tried there
    size: int = 0  # of the result: a constant ratio or shift is read off two values or more
    sized: bool = False  # the inputs have a size (2 or more) that a factor n can be
    named: str | None = None


def key(finding: Finding) -> str:
    """The claim a finding makes: the same key on two checks is the same claim."""
    if "+" in finding.id:  # two parts (combined.py): their titles without the check's numbers
        return f"{finding.id}:{re.sub(r'-?[0-9][-+.e0-9]*', '#', finding.title)}"
    if finding.id in ("scaled-constant", "shifted"):  # of the same part of the result
        return f"{finding.id}:{finding.explanation.split('every element')[0]}"
    if finding.id in PARAMETRISED:  # its words without the check's numbers (t = 2 instead of 1)
        words = re.sub(r"-?[0-9][-+.e0-9]*", "#", finding.explanation)
        return f"{finding.id}:{finding.title}:{words}"
    if finding.id.startswith("convention-"):  # one variant of it (a fixed epsilon, a clip)
        return f"{finding.id}:{finding.title}:{finding.explanation}"
    return finding.id


def records(context, function: str) -> list[Record]:
    return context.history.setdefault(f"checks:{function}", [])


def named_before(context, function: str) -> bool:
    """An earlier check of `function` named a mistake (a value check's, or a probe's)."""
    if context is None:
        return False
    probes = context.history.get(f"probes:{function}", {})
    return any(r.named for r in records(context, function)) or any(probes.values())


def named_explains(context, function: str, actual, expected, rtol, atol) -> bool:
    """A mistake an earlier check named reproduces the finite entries of `actual`: its nan or
    inf come from that wrong formula (1 + exp(-z) for sigmoid overflows where it is wrong), so
    an overflow is not a second mistake."""
    named = {r.named for r in records(context, function) if r.named}
    a, e = _arr(actual), _arr(expected)
    if not named or a is None or e is None or a.shape != e.shape:
        return False
    finite = np.isfinite(a) & np.isfinite(e)
    if finite.sum() < 1:
        return False
    return bool(named & {f.id for f in explain(a[finite], e[finite], (), rtol, atol)})


def comparable(actual, expected) -> bool:
    """Numbers of the same shape where the expected ones are not all 0 (a scale is telling)."""
    a, e = _arr(actual), _arr(expected)
    return a is not None and e is not None and a.shape == e.shape and a.size > 0 \
        and bool(np.isfinite(e).all()) and bool(np.any(np.abs(e) > 1e-7))


def contradicted(finding: Finding, earlier: list[Record]) -> bool:
    """An earlier check of the function tried this claim, and it was not the result there: the
    one rule of consistency across checks. A claim is its key (its words without the check's
    numbers); a generic relation (tier 3 and up) is also judged by its id, across its variants
    (t off by one is not what a function does where no off-by-one ever fitted and one was
    tried), unless a variant fitted an earlier check."""
    k = key(finding)
    generic = finding.tier >= 3 and not any(finding.id in _ids(r.fitted) for r in earlier)
    for record in earlier:
        if k in record.fitted:
            continue
        if k in record.tried or (generic and finding.id in _ids(record.tried)):
            return True
        if record.comparable and _tried(finding.id, record):
            return True
    return False


def _ids(keys: set[str]) -> set[str]:
    return {k.split(":", 1)[0] for k in keys}


def _tried(ident: str, record: Record) -> bool:
    """A value relation is tried on every comparable check where it could be read."""
    if ident in ("scaled-half", "scaled-double", "negated", "rounded"):
        return True
    if ident.startswith(("scaled-times-n", "scaled-over-n")):
        return record.sized
    if ident in ("scaled-constant", "shifted"):
        return record.size >= 2
    return False


def record_for(actual, expected, args) -> Record:
    return Record(comparable=comparable(actual, expected), size=_smallest(actual),
                  sized=bool(_sizes(args, smallest=2)))


def _smallest(value) -> int:
    """The size of the smallest part of a result (a ratio is read off one part)."""
    if isinstance(value, dict):
        value = tuple(value.values())
    if isinstance(value, (tuple, list)) and value:
        return min(_smallest(v) for v in value)
    a = _arr(value)
    return 0 if a is None else a.size


def size_findings(actual, expected, args, rtol, atol) -> list[Finding]:
    """The factors n and 1/n for sizes of 2 as well (relations.py names 2 as a number): when
    the number and the size both fit, the size is what the choice prefers."""
    a, e = _arr(actual), _arr(expected)
    if a is None or e is None or a.shape != e.shape or not np.isfinite(a).all():
        return []
    out = []
    for n, what in _sizes(args, smallest=2):
        if n != 2:
            continue
        for value, ident, words in ((n, "times-n", f"n = {n:g} ({what})"),
                                    (1 / n, "over-n", f"1/n, n = {n:g} ({what})")):
            if np.any(np.abs(e) > 10 * atol) and close(a, value * e, rtol, atol):
                out.append(Finding(f"scaled-{ident}",
                                   f"result {words.split(' (')[0]} times the expected one",
                                   f"every element of your result is {words} times the expected "
                                   f"one: {SCALE_FIX[ident]}.", 3))
    return out


def prefer_size(top: list[Finding]) -> Finding | None:
    """Of a number and a size that both fit (2 and n = 2), the size."""
    ids = {f.id for f in top}
    for number, size in NUMBER_IDS.items():
        if ids == {number, size}:
            return next(f for f in top if f.id == size)
    return None


def tiny(value, actual, atol) -> bool:
    """`value` is 0 within the tolerance and `actual` only close to it: nothing is proved."""
    v, a = _arr(value), _arr(actual)
    if v is None or a is None or v.shape != a.shape or not v.size:
        return False
    return bool(np.all(np.abs(v) <= atol)) and not np.array_equal(v, a)


def trivial(value, expected) -> bool:
    """`value` is all 0, or one constant throughout where the expected result varies: what a
    step, a clamp or a function that does nothing also returns, so a match proves no formula
    (relu of a negative expected value is 0, as is a step activation's "off")."""
    v, e = _arr(value), _arr(expected)
    if v is None or e is None or not v.size or not np.all(np.isfinite(v)):
        return False
    if not np.any(v):
        return True
    return v.size >= 2 and e.shape == v.shape and bool(np.all(v == v.flat[0])) \
        and not bool(np.all(e == e.flat[0]))


def echoes_an_input(finding, value, args) -> bool:
    """A neighbouring function whose value here is one of the call's own inputs (relu_backward
    passes dvalues through where every z > 0): a match proves that an input came back, not
    that the neighbour was computed."""
    return finding.id.startswith("neighbour-") and is_an_input(value, args)


def is_an_input(value, args) -> bool:
    """`value` equals one of the call's inputs: a result that gave an input back (or
    subtracted labels of 0 from it) matches a neighbour scaled by coincidence, so two
    mistakes at once (combined.py) are not tried on it."""
    v = _arr(value)
    return v is not None and any(
        a is not None and a.shape == v.shape and bool(np.array_equal(a, v))
        for a in map(_arr, args))


def after_a_raise(context, function: str, value, actual) -> bool:
    """`value`, a grader's known mistake, is one number, and the function raised on an earlier
    check: a known mistake is a small edit of the course's function and runs wherever it runs,
    so a function that raised on the course's inputs computes something else, and one number
    it returns (one of few: an accuracy of 3 samples) matches that slip by coincidence."""
    return context is not None and bool(context.history.get(f"raised:{function}")) \
        and np.ndim(value) == 0 and np.ndim(actual) == 0


def finite_part_right(actual, expected, rtol, atol) -> bool:
    """The entries of `actual` that are finite are the expected ones."""
    a, e = _arr(actual), _arr(expected)
    if a is None or e is None or a.shape != e.shape:
        return True  # another structure: this rule does not judge it
    finite = np.isfinite(a)
    return close(a[finite], e[finite], rtol, atol)


def repeated(actual, expected, rtol, atol) -> bool:
    """`actual` is the expected result copied along an extra axis (every copy the same)."""
    a, e = _arr(actual), _arr(expected)
    if a is None or e is None or a.ndim != e.ndim + 1:
        return False
    for axis in range(a.ndim):
        if a.shape[:axis] + a.shape[axis + 1:] != e.shape or a.shape[axis] < 2:
            continue
        first = np.take(a, [0], axis=axis)
        if close(a, np.broadcast_to(first, a.shape), rtol, atol):
            return True
    return False


# --- probes (probes.py): when a probe's result proves the assumption it names


@dataclass(frozen=True)
class Explained(Finding):
    """A probe's finding with the relation that reproduced the probe's result."""

    relation: Finding | None = None


# the relation the square probe's own words claim: the result for W transposed
SQUARE_CLAIM = "input-transposed"


def square_name(found: Explained | None) -> Finding | None:
    """"Works only when W is square" where the square result is W transposed's; where another
    relation (a convention) reproduces it, that relation is the mistake, and it is named."""
    if found is None or found.relation is None or found.relation.id == SQUARE_CLAIM:
        return found
    rel = found.relation
    text = rel.explanation[:1].lower() + rel.explanation[1:]
    extra = found.explanation.split(rel.explanation, 1)[-1]  # a second mistake (keepdims)
    return Finding(rel.id, rel.title, "your function raised on a non-square matrix and runs "
                   f"when it is square, where {text}{extra}", rel.tier, rel.lecture)


def column_agrees(submission, reference, function, args, kwargs, original, matches) -> bool:
    """The function answers the check's 1-D arrays given as columns (n, 1) right, wherever the
    reference answers them as it answers the original: only then does a batch of one (1, n)
    that works prove that the function works on 2-D batches."""
    import copy

    from autograder.sandbox.calls import StudentError

    ones = [i for i, x in enumerate(args) if isinstance(x, np.ndarray) and x.ndim == 1
            and x.dtype.kind == "f" and x.size >= 2]
    if not ones:
        return True
    columns = tuple(x.reshape(-1, 1) if i in ones else x for i, x in enumerate(args))
    try:
        if not matches(reference(*copy.deepcopy(columns), **copy.deepcopy(kwargs)), original,
                       close):
            return True  # the reference reads a column otherwise: nothing to confirm
    except Exception:
        return True
    try:
        call = submission._probe(function, columns, kwargs)
    except StudentError:
        return False
    return matches(call.value, original, close)


COLUMNS_FIX = ("the sum is divided by the rows only where the mean is over every element (or a "
               "sum over the columns is left in): divide by the number of elements (np.mean over "
               "the whole array)")


def worded(finding: Finding) -> Finding:
    """A factor n that is the number of columns says so: "n" is the samples in this course."""
    if finding.id != "scaled-times-n" or "the number of columns of" not in finding.explanation:
        return finding
    n = finding.title.split("n = ", 1)[-1].split(" ", 1)[0]
    return Finding(finding.id, f"result {n} (the columns) times the expected one",
                   finding.explanation.replace(SCALE_FIX["times-n"], COLUMNS_FIX),
                   finding.tier, finding.lecture)


def value_relations(value, expected, args) -> list[Finding]:
    """The relations read off a probe's result and the reference's (a factor n, a sign), the
    size preferred to a number as on a check."""
    from autograder.checks.mistakes import ATOL, RTOL

    try:
        found = [f for f in explain(value, expected, args, RTOL, ATOL)
                 if f.tier <= 3 and f.id.startswith(VALUE_RELATIONS)]
        found += size_findings(value, expected, args, RTOL, ATOL)
    except Exception:  # a result that cannot be compared explains nothing
        return []
    size = prefer_size(found)
    return [size] if size is not None else found
