"""Diagnosis by reconstruction: name the mistake that explains a wrong answer, or none.

A failing check gathers every explanation that reproduces the student's result on that check's
inputs, each with a tier (lower is more specific): the grader's own known mistakes (0), other
textbooks' conventions (1: each reproduces the whole result and names its source), patterns that
say which rows and why, or name two sizes (2), the reference rerun on changed inputs and the
relations between the result and the expected one (3 and 4; reconstruct.py, relations.py), and an
extra axis of length 1 (5). The most specific tier wins. When two different explanations of that
tier fit, the one that also fitted an earlier check of the same function is preferred; otherwise
none is named, because a wrong name teaches worse than none. Before the choice, acceptance.py
drops what an earlier check of the function contradicts (one rule: a claim, or for a generic
relation any variant of it, that an earlier check could tell apart and did not fit: t off by one
where t is not used at all) and what proves nothing on these numbers.

`Context` is what a Submission hands to its calls: the reference modules (grader-side only) and
the explanations that fitted earlier checks, per function.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.diagnosis import acceptance, combined, probed, reductions, replication
from autograder.diagnosis.relations import Finding, close, explain

__all__ = ["Context", "Finding", "choose", "diagnose", "to_mistake"]


@dataclass
class Context:
    modules: list = field(default_factory=list)  # reference modules, for reconstruction
    history: dict[str, Counter] = field(default_factory=dict)  # function -> ids that fitted
    # functions that returned nan or inf on ordinary inputs (see _ordinary)
    not_finite: set[str] = field(default_factory=set)
    # grader-written functions defined on the student's side (name -> source): a reference
    # rerun gets the grader's own copy where the call passed the student-side handle
    defined: dict[str, str] = field(default_factory=dict)
    submission: Any = None  # what a claim is tried on once more (replication.replicated)


def context_for(assignment: str) -> Context:
    """Every reference module of the course (neighbouring functions may live in another)."""
    from autograder.config import assignments

    modules = []
    for item in assignments():
        try:
            modules.append(item.reference_module())
        except ImportError:  # pragma: no cover - a course without that reference yet
            continue
    return Context(modules)


def _wrong_parts(actual, expected, rtol, atol):
    """[(actual part, expected part, key)] of a structured result where it is wrong."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return [(actual.get(k), expected[k], k) for k in expected
                if not _same(actual.get(k), expected[k], rtol, atol)]
    if isinstance(expected, tuple) and isinstance(actual, (tuple, list)) \
            and len(actual) == len(expected):
        return [(a, e, i) for i, (a, e) in enumerate(zip(actual, expected))
                if not _same(a, e, rtol, atol)]
    return None


def _same(a, e, rtol, atol) -> bool:
    from autograder.diagnosis.relations import _structure_close

    return _structure_close(a, e, rtol, atol)


def choose(found: list[Finding], history: Counter | None = None) -> Finding | None:
    if not found:
        return None
    best = min(f.tier for f in found)
    top = {f.id: f for f in found if f.tier == best}
    whole = {f.id: f for f in found if f.tier == 1 and f.id.startswith("convention-")}
    if len(top) > 1 and best == 0 and len(whole) == 1:
        # the grader's mistakes each explain one result; one convention explains them all
        return next(iter(whole.values()))
    if len(top) == 1:
        chosen = next(iter(top.values()))
        if chosen.tier >= 3 and history and not history.get(chosen.id):
            return None  # a generic relation that earlier checks of this function contradict
        return chosen
    seen = [f for f in top.values() if history and history.get(f.id)]
    if seen:
        most = max(history[f.id] for f in seen)
        seen = [f for f in seen if history[f.id] == most]
    if len(seen) == 1:
        return seen[0]
    return acceptance.prefer_size(seen or list(top.values()))


def to_mistake(finding: Finding):
    from autograder.checks.mistakes import Mistake

    text = finding.explanation[:1].upper() + finding.explanation[1:]
    return Mistake(finding.title, text, finding.lecture, id=finding.id)


def diagnose(call, expected: Any, rtol: float, atol: float, explicit=(), keepdims=None) -> Any:
    """The Mistake that explains `call.value`, or None. `explicit`: the grader's candidates."""
    try:
        return _diagnose(call, expected, rtol, atol, explicit, keepdims)
    except Exception:  # a diagnosis never breaks a check: the grader's own candidates only
        return next((c.mistake for c in explicit if c.matches(call.value, rtol, atol)), None)


def _diagnose(call, expected, rtol, atol, explicit, keepdims):
    actual = call.value
    context: Context | None = getattr(call, "context", None)
    history = context.history.setdefault(call.function, Counter()) if context else None
    ordinary = _not_finite(actual) and _ordinary(call.args)
    blind = ordinary or (_not_finite(actual) and context is not None
                         and call.function in context.not_finite)
    if ordinary and context is not None:
        context.not_finite.add(call.function)
    # --- acceptance hook (acceptance.py): what earlier checks of this function showed
    earlier = acceptance.records(context, call.function) if context is not None else []
    record = acceptance.record_for(actual, expected, call.args)
    # a name for a nan or inf claims the rest is right, or named already
    overflow_only = not _not_finite(actual) or acceptance.finite_part_right(
        actual, expected, rtol, atol) or (acceptance.named_before(context, call.function) and
                                          not acceptance.named_explains(
                                              context, call.function, actual, expected, rtol,
                                              atol))
    found: list[Finding] = []
    set_aside = []  # the grader's one-number slips that fit after a raise (acceptance.py)
    for candidate in explicit:
        if blind and callable(candidate.value):
            continue  # "it is not finite" is no explanation where the inputs do not explain it
        if candidate.matches(actual, rtol, atol):
            if callable(candidate.value) and not overflow_only:
                continue
            if not callable(candidate.value) and acceptance.tiny(candidate.value, actual, atol):
                continue
            if not callable(candidate.value) and acceptance.after_a_raise(
                    context, call.function, candidate.value, actual):
                set_aside.append(candidate)
                continue
            m = candidate.mistake
            found.append(Finding(m.key, m.title, m.explanation, 0, m.lecture))
    try:
        nothing = acceptance.trivial(actual, expected)  # all 0: scaled by 0 is no cause
        found += [f for f in explain(actual, expected, call.args, rtol, atol)
                  if not (f.id.startswith("not-finite-") and (blind or not overflow_only))
                  and not (nothing and f.id.startswith(acceptance.VALUE_RELATIONS))
                  and not (f.id.startswith("not-reduced-")
                           and acceptance.repeated(actual, expected, rtol, atol))]
        found += acceptance.size_findings(actual, expected, call.args, rtol, atol)
        found += probed.whole_array_normalised(actual, expected, rtol, atol)
        found += reductions.reduced_input(actual, expected, call.args, rtol, atol)
    except Exception:  # a relation that cannot compare this result explains nothing
        pass
    kept: list = []  # the candidates' values, kept per worker: a second mistake may apply on them
    if context is not None and context.modules:
        from autograder.diagnosis.reconstruct import evaluated

        kept = evaluated(context.modules, call.function, call.args, call.kwargs, expected, rtol,
                         atol, context.defined)
        kept = [e for e in kept if not acceptance.echoes_an_input(e.finding, e.value, call.args)]
        for each in kept:
            if each.fits(actual, rtol, atol):
                if not acceptance.tiny(each.value, actual, atol) \
                        and not acceptance.trivial(each.value, expected):
                    found.append(each.finding)
            elif each.refutes(actual, rtol, atol):  # tried here, and not the result
                record.tried.add(acceptance.key(each.finding))
    if keepdims is not None and keepdims.matches(actual, rtol, atol):
        m = keepdims.mistake
        found.append(Finding(m.key, m.title, m.explanation, 5, m.lecture))
    if not found and _changed_inputs(call):
        found.append(Finding("inputs-changed", "function changes its inputs in place",
                             "your function wrote into an argument while computing, so later "
                             "steps read changed values. Compute into new arrays (`x = x - m`, "
                             "not `x -= m`).", 3))
    found = _unique(found)
    if not found and not blind and not acceptance.is_an_input(actual, call.args):
        # two mistakes at once (combined.py); a neighbour's value scaled to fit, after an
        # earlier check named the function's mistake, is another reading of the same slip
        pair = combined.unique(combined.combine(actual, expected, call.args, kept, rtol, atol))
        if pair is not None and pair.id.startswith("neighbour-") \
                and acceptance.named_before(context, call.function):
            pair = None
        found = [pair] if pair is not None else []
    record.fitted = {acceptance.key(f) for f in found}
    record.tried -= record.fitted
    fitted = {f.id for f in found}  # what this check shows, named or not
    found = [f for f in found if not acceptance.contradicted(f, earlier)]
    chosen = choose(found, history)
    coincidence = set()
    if chosen is not None and context is not None and not any(
            acceptance.key(chosen) in r.fitted for r in earlier) \
            and not replication.replicated(context, call, chosen, rtol, atol):
        coincidence, chosen = {chosen.id}, None  # of this check's numbers: no evidence either
    if chosen is not None:
        chosen = acceptance.worded(chosen)
    if history is not None:
        history.update(fitted - coincidence)
        record.named = chosen.id if chosen is not None else None
        earlier.append(record)
    if chosen is None:
        return None
    if set_aside and chosen.id.startswith(acceptance.VALUE_RELATIONS):
        return set_aside[0].mistake  # that relation, proved, is the slip: its cause is the name
    for candidate in [*explicit, *([keepdims] if keepdims is not None else [])]:
        if candidate.mistake.key == chosen.id:
            return candidate.mistake
    return to_mistake(chosen)


def _not_finite(value) -> bool:
    if isinstance(value, dict):
        return any(_not_finite(v) for v in value.values())
    if isinstance(value, (tuple, list)):
        return any(_not_finite(v) for v in value)
    try:
        return not bool(np.all(np.isfinite(np.asarray(value, dtype=float))))
    except (TypeError, ValueError, OverflowError):
        return False


def _ordinary(args) -> bool:
    """Inputs on which a right formula without its safeguards is finite: plain numbers and
    arrays only (what a dict of parameters does is not judged), none past 50 in size (exp of
    them, or of their products, stays far from overflow), no exact 0 or 1 among other values (a
    probability at the edge: log(0)) and at most one array of 0s and 1s only (labels;
    predictions of 0 and 1 beside them are an edge). A nan or inf there comes from the formula
    itself, so "nan where the result is finite" or "no clipping" would name what it shows, not
    its cause."""
    binary = 0
    for x in args:
        if isinstance(x, (bool, int, np.integer)):
            continue
        if not isinstance(x, (np.ndarray, float)) or np.asarray(x).dtype.kind not in "fiu":
            return False
        a = np.asarray(x, dtype=float)
        if not np.all(np.isfinite(a)) or np.any(np.abs(a) > 50):
            return False
        edge = (a == 0) | (a == 1)
        if edge.all():
            binary += 1
        elif edge.any() and np.asarray(x).dtype.kind == "f":
            return False
    return binary <= 1


def _unique(found: list[Finding]) -> list[Finding]:
    out: dict[str, Finding] = {}
    for f in found:
        out.setdefault(f.id, f)
    return list(out.values())


def _changed_inputs(call) -> bool:
    for before, after in zip(call.args, getattr(call, "args_after", call.args)):
        try:
            if hasattr(before, "shape") and not close(after, before, 0.0, 0.0):
                return True
        except Exception:
            continue
    return False
