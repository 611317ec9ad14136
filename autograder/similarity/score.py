"""Which pairs of students share more than chance explains, weighted toward what is unusual.

copydetect tokenises each answer (names become V/F, comments and layout go), takes its k-gram
fingerprints and winnows them as MOSS does; the boilerplate's fingerprints are dropped. Two
correct answers to these exercises are often the same line of NumPy, so a fingerprint counts by
how rare it is in the class: log(N / df), where df is the number of students who have it (a
line half the class wrote counts almost nothing, a line only two students share counts most;
fingerprints more than half the class has are skipped). The same wrong result (a function
failing with the very same outputs: the same returned values) and the same odd constant (a
number nobody was given) are weighed the same way, each worth WRONG_RESULT_WEIGHT
fingerprints. The score of a pair is the sum.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from autograder.similarity.answers import Answer

NOISE = 25  # copydetect's defaults: matches shorter than this many tokens are ignored,
GUARANTEE = 30  # matches at least this long are always found (winnowing window 6)
WRONG_RESULT_WEIGHT = 8.0
COMMON_SHARE = 0.5  # a fingerprint more than this share of the class has is not evidence


@dataclass
class Pair:
    a: str
    b: str
    score: float = 0.0
    code: float = 0.0  # the weighted rare fingerprints shared
    shared_fingerprints: int = 0
    wrong: list[str] = field(default_factory=list)  # the same wrong results and odd constants
    unusual_share: float = 0.0  # of the smaller answer's rare-fingerprint weight, how much


def _fingerprint(name: str, code: str, known=None):
    from copydetect import CodeFingerprint

    return CodeFingerprint(name, NOISE, GUARANTEE - NOISE + 1, boilerplate=known,
                           fp=io.StringIO(code), language="python")


def _hashes(code: str) -> set[int]:
    """copydetect's tokens and winnowing, over k-gram hashes that are the same in every run
    (copydetect hashes with Python's hash(), which each process salts anew)."""
    from copydetect.utils import filter_code, winnow

    filtered, _ = filter_code(code, "answer.py", "python")
    grams = [zlib.crc32(filtered[i:i + NOISE].encode()) for i in range(len(filtered) - NOISE + 1)]
    if not grams:
        return set()
    selected, _ = winnow(np.array(grams, dtype=np.int64), GUARANTEE - NOISE + 1)
    return set(selected.tolist())


NUMBER = re.compile(r"(?<![\w.])(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)(?![\w.])")
PLAIN_NUMBERS = {0.0, 1.0, 2.0, 3.0, 0.5, 10.0, 100.0, -1.0}


def constants(code: str) -> set[float]:
    """The numbers written in `code`."""
    out = set()
    for text in NUMBER.findall(code):
        try:
            out.add(float(text))
        except ValueError:
            continue
    return out


def odd_constants(answers: list[Answer], boilerplate_cells: list[str]) -> dict[str, set[str]]:
    """Per student, the numbers in their answers that nobody was given and that are not plain
    (0, 1, 2, 0.5, ...): the same odd constant in two answers is a strong signal."""
    given = set().union(*(constants(c) for c in boilerplate_cells)) | PLAIN_NUMBERS
    return {a.student: {f"the constant {value:g}\0" for value in constants(a.code) - given}
            for a in answers}


def boilerplate_hashes(boilerplate_cells: list[str]) -> set[int]:
    return set().union(*(_hashes(cell) for cell in boilerplate_cells))


def fingerprints(answers: list[Answer], known: set[int]) -> dict[str, set[int]]:
    """Each student's fingerprints: every answer cell's own (no k-gram spans two cells), less
    the boilerplate's `known` ones."""
    return {a.student: set().union(*(_hashes(code) for code in a.functions.values())) - known
            for a in answers}


# A function not written (or missing) fails the same way for everyone: that is no mistake.
NOT_AN_ANSWER = re.compile(r"NotImplementedError|is not defined in your notebook|not written yet")


def wrong_results(documents: dict[str, dict]) -> dict[str, set[str]]:
    """Per student, each function they got wrong, as the exact outputs of its failed checks
    (what came back, the named mistake): one mistake fails several checks but counts once.
    Functions that were not written are left out."""
    out = {}
    for student, doc in documents.items():
        failed: dict[str, list[str]] = defaultdict(list)
        mistakes: dict[str, set[str]] = defaultdict(set)
        for test in doc.get("tests") or []:
            output = test.get("output") or ""
            if test.get("score", 0) >= test.get("max_score", 0) or not output:
                continue
            extra = test.get("extra_data") or {}
            function = extra.get("function") or test.get("name", "?")
            failed[function].append(f"{test.get('name', '?')}: {output}")
            if extra.get("mistake"):
                mistakes[function].add(extra["mistake"])
        out[student] = {
            f"{function}" + (f" ({', '.join(sorted(mistakes[function]))})"
                             if mistakes[function] else "")
            + "\0" + "\n".join(sorted(outputs))
            for function, outputs in failed.items()
            if not any(NOT_AN_ANSWER.search(o) for o in outputs)}
    return out


def rank_pairs(prints: dict[str, set[int]], wrong: dict[str, set[str]], top: int) -> list[Pair]:
    """The `top` pairs with the highest score, best first (ties by name).

    `wrong` holds, per student, the strong signals: the functions they got wrong with their
    outputs (wrong_results) and the odd constants they wrote (odd_constants)."""
    students = sorted(set(prints) | set(wrong))
    n = max(2, len(students))
    pairs: dict[tuple[str, str], Pair] = {}

    def pair(a: str, b: str) -> Pair:
        key = (a, b) if a < b else (b, a)
        if key not in pairs:
            pairs[key] = Pair(*key)
        return pairs[key]

    holders: dict[int, list[str]] = defaultdict(list)
    for student, hashes in prints.items():
        for h in hashes:
            holders[h].append(student)
    total = defaultdict(float)
    for who in holders.values():
        weight = math.log(n / len(who))
        for student in who:
            total[student] += weight
        if len(who) < 2 or len(who) > max(2, COMMON_SHARE * n):  # a pair always counts
            continue
        for a, b in combinations(who, 2):
            p = pair(a, b)
            p.code += weight
            p.shared_fingerprints += 1
    results: dict[str, list[str]] = defaultdict(list)
    for student, items in wrong.items():
        for item in items:
            results[item].append(student)
    for item, who in results.items():
        if len(who) < 2 or len(who) > max(2, COMMON_SHARE * n):  # a pair always counts
            continue
        weight = math.log(n / len(who)) * WRONG_RESULT_WEIGHT
        for a, b in combinations(sorted(who), 2):
            p = pair(a, b)
            p.score += weight
            p.wrong.append(item.split("\0", 1)[0])
    for p in pairs.values():
        p.score += p.code
        smaller = min(total.get(p.a, 0.0), total.get(p.b, 0.0))
        p.unusual_share = p.code / smaller if smaller > 0 else 0.0
        p.wrong.sort()
    ranked = sorted(pairs.values(), key=lambda p: (-p.score, p.a, p.b))
    return [p for p in ranked if p.score > 0][:top]


def display_boilerplate(boilerplate_cells: list[str]) -> list[int]:
    """The boilerplate as copydetect's own fingerprints, for overlap()."""
    return sorted(set().union(*(_fingerprint("given.py", c).hashes for c in boilerplate_cells)))


def overlap(left: str, right: str, given: list[int]):
    """copydetect's matching slices of two answer cells, for the side-by-side view."""
    from copydetect import compare_files

    _, _, slices = compare_files(_fingerprint("a.py", left, given),
                                 _fingerprint("b.py", right, given))
    return slices
