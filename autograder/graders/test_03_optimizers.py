"""Hidden graders of 03_optimizers: the lectures' worked examples, agreement with the reference on
arrays, runs of many steps that feed each step's returned state into the next, purity, batches."""

import numpy as np
from mistakes_optimizers import (
    CACHE_NOT_RETURNED,
    CACHE_OVERWRITTEN,
    CORRECTED_MOMENTS_RETURNED,
    DECAY_POWER,
    DECAY_PRECEDENCE,
    GRADIENT_ADDED,
    IN_PLACE,
    LAST_BATCH_DROPPED,
    LEGACY_RNG,
    MOMENTS_NOT_RETURNED,
    MOMENTUM_SIGN,
    NO_BIAS_CORRECTION,
    NO_SQRT,
    NOT_SHUFFLED,
    RHO_IGNORED,
    RHO_SWAPPED,
    SEED_IGNORED,
    T_FROM_ZERO,
    UNEVEN_BATCHES,
    VELOCITY_IGNORED,
    VELOCITY_NOT_RETURNED,
    WITH_REPLACEMENT,
)

from autograder.harness import (
    GraderFailure,
    check,
    check_close,
    grader,
    name_results,
    unchanged_graders,
)
from reference import optimizers as ref

name_results("momentum_update", "w_new", "velocity_new")
name_results("adagrad_update", "w_new", "cache_new")
name_results("rmsprop_update", "w_new", "cache_new")
name_results("adam_update", "w_new", "m_new", "v_new")

ASSIGNMENT = "03_optimizers"


# ----------------------------------------------------------------------------------------------
# What the known mistakes return, to name them when a student's answer matches.

def _sgd_added(w, dw, learning_rate):
    return np.asarray(w, dtype=float) + learning_rate * np.asarray(dw, dtype=float)


def _momentum_wrong(kind):
    def update(w, dw, velocity, learning_rate, momentum):
        w, dw, velocity = (np.asarray(a, dtype=float) for a in (w, dw, velocity))
        if kind == "stored-positive":  # v = mu*v + lr*dw; w = w - v
            v_new = momentum * velocity + learning_rate * dw
            return w - v_new, v_new
        if kind == "climbs":  # v = mu*v + lr*dw; w = w + v
            v_new = momentum * velocity + learning_rate * dw
            return w + v_new, v_new
        if kind == "momentum-subtracted":  # v = -mu*v - lr*dw
            v_new = -momentum * velocity - learning_rate * dw
            return w + v_new, v_new
        if kind == "old-velocity":
            return w + momentum * velocity - learning_rate * dw, velocity
        if kind == "ignored":
            return w - learning_rate * dw, -learning_rate * dw
        raise ValueError(kind)

    return update


def _momentum_candidates():
    return [
        (MOMENTUM_SIGN, _momentum_wrong("stored-positive")),
        (MOMENTUM_SIGN, _momentum_wrong("climbs")),
        (MOMENTUM_SIGN, _momentum_wrong("momentum-subtracted")),
        (VELOCITY_NOT_RETURNED, _momentum_wrong("old-velocity")),
        (VELOCITY_IGNORED, _momentum_wrong("ignored")),
    ]


def _cache_wrong(kind, averaged):
    """A wrong Adagrad (averaged=False) or RMSProp (averaged=True) update."""

    def new_cache(cache, dw, rho):
        if kind == "overwritten":
            return dw**2
        if kind == "rho-fixed":
            return 0.9 * cache + 0.1 * dw**2
        if kind == "rho-swapped":
            return (1 - rho) * cache + rho * dw**2
        return rho * cache + (1 - rho) * dw**2 if averaged else cache + dw**2

    def step(w, dw, cache, learning_rate, rho, epsilon):
        w, dw, cache = (np.asarray(a, dtype=float) for a in (w, dw, cache))
        new = new_cache(cache, dw, rho)
        root = new if kind == "no-sqrt" else np.sqrt(new)
        w_new = w - learning_rate * dw / (root + epsilon)
        return (w_new, cache) if kind == "old-cache" else (w_new, new)

    def wrong_adagrad(w, dw, cache, learning_rate, epsilon=1e-7):
        return step(w, dw, cache, learning_rate, None, epsilon)

    def wrong_rmsprop(w, dw, cache, learning_rate, rho=0.9, epsilon=1e-7):
        return step(w, dw, cache, learning_rate, rho, epsilon)

    return wrong_rmsprop if averaged else wrong_adagrad


def _adagrad_candidates():
    return [
        (CACHE_OVERWRITTEN, _cache_wrong("overwritten", averaged=False)),
        (CACHE_NOT_RETURNED, _cache_wrong("old-cache", averaged=False)),
        (NO_SQRT, _cache_wrong("no-sqrt", averaged=False)),
    ]


def _rmsprop_candidates():
    return [
        (RHO_SWAPPED, _cache_wrong("rho-swapped", averaged=True)),
        (CACHE_NOT_RETURNED, _cache_wrong("old-cache", averaged=True)),
        (NO_SQRT, _cache_wrong("no-sqrt", averaged=True)),
        (RHO_IGNORED, _cache_wrong("rho-fixed", averaged=True)),
    ]


def _adam_wrong(kind):
    def update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
        w, dw, m, v = (np.asarray(a, dtype=float) for a in (w, dw, m, v))
        m_new = beta1 * m + (1 - beta1) * dw
        v_new = beta2 * v + (1 - beta2) * dw**2
        step = t + 1 if kind == "from-zero" else t
        if kind == "uncorrected":
            m_hat, v_hat = m_new, v_new
        else:
            m_hat, v_hat = m_new / (1 - beta1**step), v_new / (1 - beta2**step)
        w_new = w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)
        if kind == "corrected-returned":
            return w_new, m_hat, v_hat
        if kind == "old-moments":
            return w_new, m, v
        return w_new, m_new, v_new

    return update


def _adam_candidates():
    return [
        (NO_BIAS_CORRECTION, _adam_wrong("uncorrected")),
        (T_FROM_ZERO, _adam_wrong("from-zero")),
        (CORRECTED_MOMENTS_RETURNED, _adam_wrong("corrected-returned")),
        (MOMENTS_NOT_RETURNED, _adam_wrong("old-moments")),
    ]


def _not_a_tuple(value):
    return not isinstance(value, (tuple, list))


def _has_nan(value):
    return any(np.isnan(np.asarray(part, dtype=float)).any() for part in value)


# ----------------------------------------------------------------------------------------------
# Helpers

def _one_step(student, function, args, candidates, extra=()):
    """Call `function` once and compare with the reference; `candidates` are (Mistake, update)."""
    call = student.call(function, *args)
    expected = getattr(ref, function)(*args)
    mistakes = [mistake.with_value(update(*args)) for mistake, update in candidates]
    check_close(call, expected, mistakes=[*mistakes, *extra])
    return call


def _run(update, w0, state0, args_of, steps, grad):
    """The outputs of `steps` updates, each fed the weights and state the previous one returned."""
    outputs, w, state = [], w0, state0
    for t in range(1, steps + 1):
        out = update(*args_of(w, grad(w), state, t))
        outputs.append(out)
        w, state = out[0], tuple(out[1:])
    return outputs


def _check_run(student, function, w0, state0, args_of, steps, grad, candidates, extra=()):
    """Run the student's update `steps` times, feeding back what it returns, against the reference.

    args_of(w, dw, state, t) builds the call's arguments; grad(w) is the loss's gradient.
    """
    expected = _run(getattr(ref, function), w0, state0, args_of, steps, grad)
    mistaken = [(mistake, _run(update, w0, state0, args_of, steps, grad))
                for mistake, update in candidates]
    w, state = w0, state0
    for t in range(1, steps + 1):
        try:
            call = student.call(function, *args_of(w, grad(w), state, t))
            check_close(call, expected[t - 1],
                        mistakes=[*(m.with_value(run[t - 1]) for m, run in mistaken), *extra])
        except GraderFailure as failure:
            raise GraderFailure(
                f"Step {t} of a {steps}-step run in which each step is given the weights and the "
                f"state that your previous step returned:\n{failure}",
                failure.mistake, earned=failure.earned,
            ) from None
        w, *rest = call.value
        state = tuple(rest)


def _quadratic(shape, seed):
    """A start and the gradient of an elongated bowl f(w) = 0.5 * sum(scale * w**2)."""
    rng = np.random.default_rng(seed)
    scale = np.linspace(0.5, 12.0, int(np.prod(shape))).reshape(shape)
    return rng.normal(size=shape), (lambda w: scale * np.asarray(w, dtype=float))


def _arrays(seed, shape, n, positive=()):
    rng = np.random.default_rng(seed)
    return [rng.random(shape) + 0.1 if i in positive else rng.normal(size=shape) for i in range(n)]


SHAPES = [(4,), (3, 5), (2, 3, 2)]


# ----------------------------------------------------------------------------------------------
# sgd_update (3 points)

@grader("sgd_update", points=1)
def test_sgd_update_lecture_example(student):
    """lecture 000's step: w11 = 0.1 - 0.001 * 43.2 = 0.0568"""
    _one_step(student, "sgd_update", (0.1, 43.2, 0.001), [(GRADIENT_ADDED, _sgd_added)])


@grader("sgd_update", points=1)
def test_sgd_update_matches_reference_on_arrays(student):
    """arrays of several shapes, several learning rates"""
    for seed, (shape, lr) in enumerate([((4,), 0.1), ((3, 5), 0.01), ((2, 3, 2), 1.5)]):
        w, dw = _arrays(seed, shape, 2)
        _one_step(student, "sgd_update", (w, dw, lr), [(GRADIENT_ADDED, _sgd_added)])


# ----------------------------------------------------------------------------------------------
# decayed_learning_rate (3 points)

def _decay_candidates():
    return [
        (DECAY_POWER, lambda lr, decay, t: lr * decay**t),
        (DECAY_PRECEDENCE, lambda lr, decay, t: lr / 1 + decay * t),
    ]


@grader("decayed_learning_rate", points=1)
def test_decayed_learning_rate_lecture_example(student):
    """lecture 000's decay: 1.0 / (1 + 1e-3 * 1000) = 0.5"""
    _one_step(student, "decayed_learning_rate", (1.0, 1e-3, 1000), _decay_candidates())


@grader("decayed_learning_rate", points=1)
def test_decayed_learning_rate_matches_reference(student):
    """several initial rates, decays and iterations"""
    for args in [(0.1, 0.01, 10), (0.5, 1e-4, 2500), (2.0, 0.5, 7), (1.0, 1e-3, 1)]:
        _one_step(student, "decayed_learning_rate", args, _decay_candidates())


@grader("decayed_learning_rate", points=1)
def test_decayed_learning_rate_starts_at_initial_rate(student):
    """iteration 0, and no decay at all, keep the initial rate; with decay it then falls"""
    for args in [(0.05, 1e-3, 0), (0.05, 0.0, 500), (0.05, 1e-3, 500)]:
        _one_step(student, "decayed_learning_rate", args, _decay_candidates())


# ----------------------------------------------------------------------------------------------
# momentum_update (5 points)

def _momentum_args(lr, mu):
    return lambda w, dw, state, t: (w, dw, state[0], lr, mu)


def _momentum_extra():
    return [VELOCITY_NOT_RETURNED.with_value(_not_a_tuple)]


@grader("momentum_update", points=1)
def test_momentum_update_lecture_first_step(student):
    """first step from rest: w = 0.0568, velocity = -0.0432"""
    _one_step(student, "momentum_update", (0.1, 43.2, 0.0, 0.001, 0.9), _momentum_candidates(),
              _momentum_extra())


@grader("momentum_update", points=1)
def test_momentum_update_two_steps_in_a_row(student):
    """two steps in a row: w = 0.0568, v = -0.0432, then w = -0.02528, v = -0.08208"""
    _check_run(student, "momentum_update", 0.1, (0.0,), _momentum_args(0.001, 0.9), 2,
               lambda w: 43.2, _momentum_candidates(), _momentum_extra())


@grader("momentum_update", points=1)
def test_momentum_update_matches_reference_on_arrays(student):
    """one step on arrays of several shapes, with a velocity already built up"""
    for seed, (shape, lr, mu) in enumerate([((4,), 0.1, 0.9), ((3, 5), 0.01, 0.5),
                                             ((2, 3, 2), 0.5, 0.99)]):
        w, dw, v = _arrays(20 + seed, shape, 3)
        _one_step(student, "momentum_update", (w, dw, v, lr, mu), _momentum_candidates(),
                  _momentum_extra())


@grader("momentum_update", points=1)
def test_momentum_update_carries_velocity_over_many_steps(student):
    """15 steps down an elongated bowl, each fed the velocity the previous step returned"""
    w0, grad = _quadratic((2, 3), seed=30)
    _check_run(student, "momentum_update", w0, (np.zeros((2, 3)),), _momentum_args(0.05, 0.9),
               15, grad, _momentum_candidates(), _momentum_extra())


# ----------------------------------------------------------------------------------------------
# adagrad_update (4 points)

def _cache_extra():
    return [CACHE_NOT_RETURNED.with_value(_not_a_tuple)]


@grader("adagrad_update", points=1)
def test_adagrad_update_first_step(student):
    """lecture 000's numbers (w = 0.1, dw = 43.2) from an empty cache"""
    _one_step(student, "adagrad_update", (0.1, 43.2, 0.0, 0.001), _adagrad_candidates(),
              _cache_extra())


@grader("adagrad_update", points=1)
def test_adagrad_update_matches_reference_on_arrays(student):
    """one step on arrays of several shapes, with a cache already built up and a given epsilon"""
    for seed, (shape, lr) in enumerate([((4,), 0.1), ((3, 5), 0.01), ((2, 3, 2), 1.0)]):
        w, dw, cache = _arrays(40 + seed, shape, 3, positive={2})
        args = (w, dw, cache, lr) if seed < 2 else (w, dw, 0.01 * cache, lr, 0.1)
        _one_step(student, "adagrad_update", args, _adagrad_candidates(), _cache_extra())


@grader("adagrad_update", points=1)
def test_adagrad_update_accumulates_cache_over_many_steps(student):
    """10 steps down an elongated bowl, each fed the cache the previous step returned"""
    w0, grad = _quadratic((5,), seed=50)
    _check_run(student, "adagrad_update", w0, (np.zeros(5),),
               lambda w, dw, state, t: (w, dw, state[0], 0.5), 10, grad,
               _adagrad_candidates(), _cache_extra())


# ----------------------------------------------------------------------------------------------
# rmsprop_update (4 points)

@grader("rmsprop_update", points=1)
def test_rmsprop_update_first_step(student):
    """lecture 000's numbers (w = 0.1, dw = 43.2) from an empty cache, default rho"""
    _one_step(student, "rmsprop_update", (0.1, 43.2, 0.0, 0.001), _rmsprop_candidates(),
              _cache_extra())


@grader("rmsprop_update", points=1)
def test_rmsprop_update_matches_reference_on_arrays(student):
    """one step on arrays of several shapes, with a cache already built up, several rho"""
    for seed, shape in enumerate(SHAPES):
        w, dw, cache = _arrays(60 + seed, shape, 3, positive={2})
        args = [(w, dw, cache, 0.01), (w, dw, cache, 0.1, 0.99), (w, dw, cache, 0.05, 0.5, 1e-3)]
        _one_step(student, "rmsprop_update", args[seed], _rmsprop_candidates(), _cache_extra())


@grader("rmsprop_update", points=1)
def test_rmsprop_update_carries_cache_over_many_steps(student):
    """10 steps down an elongated bowl, each fed the cache the previous step returned"""
    w0, grad = _quadratic((5,), seed=70)
    _check_run(student, "rmsprop_update", w0, (np.zeros(5),),
               lambda w, dw, state, t: (w, dw, state[0], 0.05, 0.8), 10, grad,
               _rmsprop_candidates(), _cache_extra())


# ----------------------------------------------------------------------------------------------
# adam_update (6 points)

def _adam_extra():
    # t - 1 in the bias correction divides 0 by 0 at t = 1. (A candidate value holding nan would
    # trip the harness's comparison, so that variant is recognised by its nan.)
    return [MOMENTS_NOT_RETURNED.with_value(_not_a_tuple), T_FROM_ZERO.with_value(_has_nan)]


@grader("adam_update", points=1)
def test_adam_update_first_step(student):
    """first step (t = 1) with lecture 000's numbers: m = 4.32, v = 1.86624, w moves by lr"""
    _one_step(student, "adam_update", (0.1, 43.2, 0.0, 0.0, 1), _adam_candidates(),
              _adam_extra())


@grader("adam_update", points=1)
def test_adam_update_first_step_moves_every_weight_by_learning_rate(student):
    """at t = 1 bias correction makes every weight move by the learning rate, whatever dw"""
    dw = np.array([100.0, -3.0, 0.02, 7.0, -0.5])
    _one_step(student, "adam_update", (np.ones(5), dw, np.zeros(5), np.zeros(5), 1, 0.01),
              _adam_candidates(), _adam_extra())


@grader("adam_update", points=1)
def test_adam_update_matches_reference_on_arrays(student):
    """one step at t = 5 on arrays of several shapes, with moments built up, several betas"""
    for seed, shape in enumerate(SHAPES):
        w, dw, m, v = _arrays(80 + seed, shape, 4, positive={3})
        args = [(w, dw, m, v, 5), (w, dw, m, v, 5, 0.01, 0.8, 0.99),
                (w, dw, 0.1 * m, 0.01 * v, 5, 0.1, 0.5, 0.9, 1e-3)]
        _one_step(student, "adam_update", args[seed], _adam_candidates(), _adam_extra())


@grader("adam_update", points=2)
def test_adam_update_carries_moments_over_many_steps(student):
    """10 steps (t = 1, 2, ...) down an elongated bowl, each fed the m and v returned before"""
    w0, grad = _quadratic((2, 3), seed=90)
    zeros = np.zeros((2, 3))
    _check_run(student, "adam_update", w0, (zeros, zeros),
               lambda w, dw, state, t: (w, dw, state[0], state[1], t, 0.05), 10, grad,
               _adam_candidates(), _adam_extra())


# ----------------------------------------------------------------------------------------------
# minibatch_indices (5 points)

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


@grader("minibatch_indices", points=1)
def test_minibatch_indices_cover_every_sample_once(student):
    """12 samples in batches of 4: every index exactly once"""
    _check_covers(student.call("minibatch_indices", 12, 4, 0), 12, 4)


@grader("minibatch_indices", points=1)
def test_minibatch_indices_keep_the_last_short_batch(student):
    """10 samples in batches of 4 (does not divide): every index exactly once"""
    for n_samples, batch_size, seed in [(10, 4, 1), (7, 5, 2), (5, 8, 3)]:
        _check_covers(student.call("minibatch_indices", n_samples, batch_size, seed),
                      n_samples, batch_size)


@grader("minibatch_indices", points=1)
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


@grader("minibatch_indices", points=1)
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


@grader("minibatch_indices", points=1)
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


# ----------------------------------------------------------------------------------------------
# Every update leaves its inputs unchanged (and earns that point only with the right values).

UNCHANGED = {
    "sgd_update": (1, (*_arrays(10, (3, 4), 2), 0.1)),
    "momentum_update": (1, (*_arrays(31, (3, 4), 3), 0.1, 0.9)),
    "adagrad_update": (1, (*_arrays(51, (3, 4), 3, positive={2}), 0.1)),
    "rmsprop_update": (1, (*_arrays(71, (3, 4), 3, positive={2}), 0.1)),
    "adam_update": (1, (*_arrays(91, (3, 4), 4, positive={3}), 3, 0.01)),
}
test_leaves_inputs_unchanged = unchanged_graders(ref, UNCHANGED, IN_PLACE)
