"""03_optimizers: shuffled mini-batches (lecture 004)."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import Mistake, check, check_close
from reference import optimizers as ref

NOT_SHUFFLED = Mistake(
    "batches not shuffled",
    "Slice numpy.random.default_rng(seed).permutation(n_samples), not the indices in order.",
    "004",
)
LEGACY_RNG = Mistake(
    "np.random.seed instead of default_rng(seed)",
    "np.random.seed / np.random.permutation give a different order; use "
    "np.random.default_rng(seed).permutation(n_samples).",
)
SEED_IGNORED = Mistake(
    "seed ignored",
    "The same seed must give the same batches: build the generator with "
    "np.random.default_rng(seed).",
)
LAST_BATCH_DROPPED = Mistake(
    "last partial batch dropped",
    "When batch_size does not divide n_samples, the leftover samples form a last, shorter batch; "
    "every sample must be used once per epoch.",
    "004",
)
WITH_REPLACEMENT = Mistake(
    "sampled with replacement",
    "Drawing random indices (rng.integers, rng.choice with replace=True) repeats some samples "
    "and skips others. An epoch uses every sample once: slice "
    "np.random.default_rng(seed).permutation(n_samples).",
    "004",
)
UNEVEN_BATCHES = Mistake(
    "batches split evenly instead of batch_size long",
    "Every batch holds batch_size indices except possibly the last: take consecutive slices "
    "order[i:i + batch_size], not np.array_split.",
)

# ----------------------------------------------------------------------------------------------
# minibatch_indices (5 points)

minibatch_indices = Exercise("minibatch_indices", ref)


def _batches(call):
    """The returned batches as 1-D integer arrays, after checking the return's form."""
    value = call.value
    check(isinstance(value, (list, tuple)), call,
          "minibatch_indices should return a list of index arrays, one per batch.")
    batches = []
    for batch in value:
        array = np.asarray(batch)
        check(array.ndim == 1 and (array.size == 0 or np.issubdtype(array.dtype, np.integer)),
              call, "Every batch should be a 1-D array of integer indices.")
        batches.append(array)
    return batches


def _check_covers(call, n_samples, batch_size):
    batches = _batches(call)
    used = np.concatenate(batches) if batches else np.array([], dtype=int)
    counts = np.bincount(used[(used >= 0) & (used < n_samples)], minlength=n_samples)
    missing = np.flatnonzero(counts == 0).tolist()
    repeated = np.flatnonzero(counts > 1).tolist()
    outside = sorted(set(used.tolist()) - set(range(n_samples)))
    dropped = len(batches) == n_samples // batch_size and n_samples % batch_size != 0
    mistake = (LAST_BATCH_DROPPED if missing and dropped
               else WITH_REPLACEMENT if missing and repeated and used.size == n_samples else None)
    check(not (missing or repeated or outside), call,
          f"Together the batches should hold every index 0..{n_samples - 1} exactly once. "
          f"Missing: {missing[:10]}; repeated: {repeated[:10]}; out of range: {outside[:10]}.",
          mistake)
    return batches


def _same_batches(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def _slices(order, batch_size):
    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]


@minibatch_indices.check(points=1)
def test_minibatch_indices_cover_every_sample_once(student):
    """12 samples in batches of 4: every index exactly once"""
    _check_covers(student.call("minibatch_indices", 12, 4, 0), 12, 4)


@minibatch_indices.check(points=1)
def test_minibatch_indices_keep_the_last_short_batch(student):
    """10 samples in batches of 4 (does not divide): every index exactly once"""
    for n_samples, batch_size, seed in [(10, 4, 1), (7, 5, 2), (5, 8, 3)]:
        _check_covers(student.call("minibatch_indices", n_samples, batch_size, seed),
                      n_samples, batch_size)


@minibatch_indices.check(points=1)
def test_minibatch_indices_batch_sizes(student):
    """every batch is batch_size long except possibly the last"""
    for n_samples, batch_size in [(10, 3), (100, 32), (9, 3)]:
        call = student.call("minibatch_indices", n_samples, batch_size, 4)
        sizes = [len(b) for b in _batches(call)]
        want = [len(b) for b in _slices(np.arange(n_samples), batch_size)]
        even = [len(b) for b in np.array_split(np.arange(n_samples), len(want))]
        check(sizes == want, call,
              f"The batch sizes are {sizes}; they should be {want}.",
              UNEVEN_BATCHES if sizes == even else
              LAST_BATCH_DROPPED if sizes == want[:-1] else None)


@minibatch_indices.check(points=1)
def test_minibatch_indices_match_seeded_permutation(student):
    """the batches are consecutive slices of default_rng(seed).permutation(n_samples)"""
    for n_samples, batch_size, seed in [(10, 4, 0), (32, 8, 7), (25, 6, 123)]:
        call = student.call("minibatch_indices", n_samples, batch_size, seed)
        in_order = _slices(np.arange(n_samples), batch_size)
        legacy = _slices(np.random.RandomState(seed).permutation(n_samples), batch_size)
        expected = ref.minibatch_indices(n_samples, batch_size, seed)
        check_close(call, expected, rtol=0, atol=0,
                    mistakes=[NOT_SHUFFLED.with_value(in_order), LEGACY_RNG.with_value(legacy),
                              *([LAST_BATCH_DROPPED.with_value(expected[:-1])]
                                if n_samples % batch_size else [])])


@minibatch_indices.check(points=1)
def test_minibatch_indices_depend_on_seed_only(student):
    """the same seed gives the same batches; another seed another order"""
    first = student.call("minibatch_indices", 20, 6, 5)
    again = student.call("minibatch_indices", 20, 6, 5)
    a, b = _batches(first), _batches(again)
    check(_same_batches(a, b), again,
          "Called twice with seed 5, it returned different batches: the same seed must give "
          "the same batches.", SEED_IGNORED)
    other = student.call("minibatch_indices", 20, 6, 6)
    c = _batches(other)
    check(not _same_batches(a, c), other,
          "Seeds 5 and 6 gave the same batches: the order should come from "
          "np.random.default_rng(seed).", SEED_IGNORED)
    # the same batches every time earn nothing unless they are the right ones
    check_close(first, ref.minibatch_indices(20, 6, 5), rtol=0, atol=0)


minibatch_indices.mutants(
    edit(NOT_SHUFFLED, "np.random.default_rng(seed).permutation(n_samples)",
         "np.arange(n_samples)"),
    edit(LAST_BATCH_DROPPED, "range(0, n_samples, batch_size)",
         "range(0, n_samples - batch_size + 1, batch_size)"),
    # what np.random.seed(seed) gives
    edit(LEGACY_RNG, "np.random.default_rng(seed)", "np.random.RandomState(seed)"),
    edit(SEED_IGNORED, "np.random.default_rng(seed)", "np.random.default_rng()"),
    edit(UNEVEN_BATCHES,
         "[order[start:start + batch_size] for start in range(0, n_samples, batch_size)]",
         "np.array_split(order, -(-n_samples // batch_size))"),
    # a sample drawn with replacement: some indices twice, some never
    edit(WITH_REPLACEMENT, "permutation(n_samples)", "integers(0, n_samples, size=n_samples)"),
)
