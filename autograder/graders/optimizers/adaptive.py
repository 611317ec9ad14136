"""03_optimizers: steps that adapt to each weight, Adagrad, RMSProp and Adam (lecture 004)."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import Mistake, name_results
from reference import optimizers as ref

from .common import IN_PLACE, SHAPES, arrays, check_run, naming, not_a_tuple, quadratic

CACHE_NOT_RETURNED = Mistake(
    "cache not returned",
    "Return (w_new, cache_new): the updated cache is the state the next step needs.",
    "004",
)
NO_SQRT = Mistake(
    "no square root of the cache",
    "The step divides by sqrt(cache) + epsilon, not by the cache itself: "
    "w - learning_rate * dw / (np.sqrt(cache_new) + epsilon).",
    "004",
)
_CACHE_EXTRA = [CACHE_NOT_RETURNED.with_value(not_a_tuple)]
# a mutant of both Adagrad and RMSProp: the cache it was given returned as the new one
_OLD_CACHE = edit(CACHE_NOT_RETURNED, "return w_new, cache_new", "return w_new, cache")


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


def _check_cache_run(student, function, seed, rates, candidates):
    """10 steps down an elongated bowl of 5 weights from an empty cache, each fed the cache the
    previous step returned; `rates` are the arguments after the cache."""
    w0, grad = quadratic((5,), seed=seed)
    check_run(student, function, w0, (np.zeros(5),),
              lambda w, dw, state, t: (w, dw, state[0], *rates), 10, grad,
              candidates, _CACHE_EXTRA)


# ----------------------------------------------------------------------------------------------
# adagrad_update (4 points)

CACHE_OVERWRITTEN = Mistake(
    "Adagrad cache overwritten, not accumulated",
    "Adagrad's cache is the running sum of every squared gradient: cache_new = cache + dw**2.",
    "004",
)

adagrad_update = Exercise("adagrad_update", ref)
name_results("adagrad_update", "w_new", "cache_new")
_ADAGRAD_CANDIDATES = [
    (CACHE_OVERWRITTEN, _cache_wrong("overwritten", averaged=False)),
    (CACHE_NOT_RETURNED, _cache_wrong("old-cache", averaged=False)),
    (NO_SQRT, _cache_wrong("no-sqrt", averaged=False)),
]
_ADAGRAD_MISTAKES = naming(_ADAGRAD_CANDIDATES, _CACHE_EXTRA)


def _adagrad_arrays():
    for seed, (shape, lr) in enumerate([((4,), 0.1), ((3, 5), 0.01), ((2, 3, 2), 1.0)]):
        w, dw, cache = arrays(40 + seed, shape, 3, positive={2})
        yield (w, dw, cache, lr) if seed < 2 else (w, dw, 0.01 * cache, lr, 0.1)


adagrad_update.agrees(1, "lecture 000's numbers (w = 0.1, dw = 43.2) from an empty cache",
                      [(0.1, 43.2, 0.0, 0.001)], mistakes=_ADAGRAD_MISTAKES, name="first_step")
adagrad_update.agrees(
    1, "one step on arrays of several shapes, with a cache already built up and a given epsilon",
    list(_adagrad_arrays()), mistakes=_ADAGRAD_MISTAKES, name="matches_reference_on_arrays")


@adagrad_update.check(points=1)
def test_adagrad_update_accumulates_cache_over_many_steps(student):
    """10 steps down an elongated bowl, each fed the cache the previous step returned"""
    _check_cache_run(student, "adagrad_update", 50, (0.5,), _ADAGRAD_CANDIDATES)


adagrad_update.unchanged(1, (*arrays(51, (3, 4), 3, positive={2}), 0.1), IN_PLACE)
# (the docstring states the formulas too: an old text that ends in "\n" is the code's line)
adagrad_update.mutants(
    edit(CACHE_OVERWRITTEN, "cache_new = cache + dw**2\n", "cache_new = dw**2\n"),
    _OLD_CACHE,
    # no square root: the step shrinks like 1/cache instead of 1/sqrt(cache)
    edit(NO_SQRT, "np.sqrt(cache_new)", "cache_new"),
    edit(IN_PLACE,
         "cache_new = cache + dw**2\n"
         "    w_new = w - learning_rate * dw / (np.sqrt(cache_new) + epsilon)\n"
         "    return w_new, cache_new",
         "cache += dw**2\n"
         "    w -= learning_rate * dw / (np.sqrt(cache) + epsilon)\n"
         "    return w, cache"),
)

# ----------------------------------------------------------------------------------------------
# rmsprop_update (4 points)

RHO_SWAPPED = Mistake(
    "rho and 1 - rho swapped",
    "RMSProp keeps most of the old cache: cache_new = rho * cache + (1 - rho) * dw**2.",
    "004",
)
RHO_IGNORED = Mistake(
    "rho ignored",
    "Use the rho you are given: cache_new = rho * cache + (1 - rho) * dw**2; 0.9 is only its "
    "default.",
    "004",
)

rmsprop_update = Exercise("rmsprop_update", ref)
name_results("rmsprop_update", "w_new", "cache_new")
_RMSPROP_CANDIDATES = [
    (RHO_SWAPPED, _cache_wrong("rho-swapped", averaged=True)),
    (CACHE_NOT_RETURNED, _cache_wrong("old-cache", averaged=True)),
    (NO_SQRT, _cache_wrong("no-sqrt", averaged=True)),
    (RHO_IGNORED, _cache_wrong("rho-fixed", averaged=True)),
]
_RMSPROP_MISTAKES = naming(_RMSPROP_CANDIDATES, _CACHE_EXTRA)


def _rmsprop_arrays():
    for seed, shape in enumerate(SHAPES):
        w, dw, cache = arrays(60 + seed, shape, 3, positive={2})
        yield [(w, dw, cache, 0.01), (w, dw, cache, 0.1, 0.99),
               (w, dw, cache, 0.05, 0.5, 1e-3)][seed]


rmsprop_update.agrees(
    1, "lecture 000's numbers (w = 0.1, dw = 43.2) from an empty cache, default rho",
    [(0.1, 43.2, 0.0, 0.001)], mistakes=_RMSPROP_MISTAKES, name="first_step")
rmsprop_update.agrees(
    1, "one step on arrays of several shapes, with a cache already built up, several rho",
    list(_rmsprop_arrays()), mistakes=_RMSPROP_MISTAKES, name="matches_reference_on_arrays")


@rmsprop_update.check(points=1)
def test_rmsprop_update_carries_cache_over_many_steps(student):
    """10 steps down an elongated bowl, each fed the cache the previous step returned"""
    _check_cache_run(student, "rmsprop_update", 70, (0.05, 0.8), _RMSPROP_CANDIDATES)


rmsprop_update.unchanged(1, (*arrays(71, (3, 4), 3, positive={2}), 0.1), IN_PLACE)
rmsprop_update.mutants(
    edit(RHO_SWAPPED, "rho * cache + (1 - rho) * dw**2\n", "(1 - rho) * cache + rho * dw**2\n"),
    _OLD_CACHE,
    # rho fixed at its default: a caller's rho is ignored
    edit(RHO_IGNORED, "rho * cache + (1 - rho) * dw**2\n", "0.9 * cache + 0.1 * dw**2\n"),
    edit(IN_PLACE,
         "cache_new = rho * cache + (1 - rho) * dw**2\n"
         "    w_new = w - learning_rate * dw / (np.sqrt(cache_new) + epsilon)\n"
         "    return w_new, cache_new",
         "cache *= rho\n"
         "    cache += (1 - rho) * dw**2\n"
         "    w -= learning_rate * dw / (np.sqrt(cache) + epsilon)\n"
         "    return w, cache"),
)

# ----------------------------------------------------------------------------------------------
# adam_update (6 points)

NO_BIAS_CORRECTION = Mistake(
    "Adam without bias correction",
    "m and v start at 0, so early averages are too small; divide them by (1 - beta1**t) and "
    "(1 - beta2**t) before the step.",
    "004",
)
T_FROM_ZERO = Mistake(
    "Adam with t counted from 0",
    "Your bias correction uses a step count shifted by one: t + 1 (t incremented once more "
    "before the correction, as code that keeps t from 0 does) or t - 1. The t passed is already "
    "the number of this step, counting from 1: use 1 - beta**t exactly as given (the first step "
    "has t = 1), without adding or subtracting 1.",
    "004",
)
CORRECTED_MOMENTS_RETURNED = Mistake(
    "bias-corrected moments returned as state",
    "Return the raw averages m_new and v_new; m_hat and v_hat are only for computing this step.",
    "004",
)
MOMENTS_NOT_RETURNED = Mistake(
    "moments not returned",
    "adam_update must return (w_new, m_new, v_new): the new moments are the state the next step "
    "needs.",
    "004",
)

adam_update = Exercise("adam_update", ref)
name_results("adam_update", "w_new", "m_new", "v_new")


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


def _has_nan(value):
    return any(np.isnan(np.asarray(part, dtype=float)).any() for part in value)


_ADAM_CANDIDATES = [
    (NO_BIAS_CORRECTION, _adam_wrong("uncorrected")),
    (T_FROM_ZERO, _adam_wrong("from-zero")),
    (CORRECTED_MOMENTS_RETURNED, _adam_wrong("corrected-returned")),
    (MOMENTS_NOT_RETURNED, _adam_wrong("old-moments")),
]
# t - 1 in the bias correction divides 0 by 0 at t = 1. (A candidate value holding nan would trip
# the harness's comparison, so that variant is recognised by its nan.)
_ADAM_EXTRA = [MOMENTS_NOT_RETURNED.with_value(not_a_tuple), T_FROM_ZERO.with_value(_has_nan)]
_ADAM_MISTAKES = naming(_ADAM_CANDIDATES, _ADAM_EXTRA)


def _adam_arrays():
    for seed, shape in enumerate(SHAPES):
        w, dw, m, v = arrays(80 + seed, shape, 4, positive={3})
        yield [(w, dw, m, v, 5), (w, dw, m, v, 5, 0.01, 0.8, 0.99),
               (w, dw, 0.1 * m, 0.01 * v, 5, 0.1, 0.5, 0.9, 1e-3)][seed]


adam_update.agrees(
    1, "first step (t = 1) with lecture 000's numbers: m = 4.32, v = 1.86624, w moves by lr",
    [(0.1, 43.2, 0.0, 0.0, 1)], mistakes=_ADAM_MISTAKES, name="first_step")
adam_update.agrees(
    1, "at t = 1 bias correction makes every weight move by the learning rate, whatever dw",
    [(np.ones(5), np.array([100.0, -3.0, 0.02, 7.0, -0.5]), np.zeros(5), np.zeros(5), 1, 0.01)],
    mistakes=_ADAM_MISTAKES, name="first_step_moves_every_weight_by_learning_rate")
adam_update.agrees(
    1, "one step at t = 5 on arrays of several shapes, with moments built up, several betas",
    list(_adam_arrays()), mistakes=_ADAM_MISTAKES, name="matches_reference_on_arrays")


@adam_update.check(points=2)
def test_adam_update_carries_moments_over_many_steps(student):
    """10 steps (t = 1, 2, ...) down an elongated bowl, each fed the m and v returned before"""
    w0, grad = quadratic((2, 3), seed=90)
    zeros = np.zeros((2, 3))
    check_run(student, "adam_update", w0, (zeros, zeros),
              lambda w, dw, state, t: (w, dw, state[0], state[1], t, 0.05), 10, grad,
              _ADAM_CANDIDATES, _ADAM_EXTRA)


adam_update.unchanged(1, (*arrays(91, (3, 4), 4, positive={3}), 3, 0.01), IN_PLACE)
# (the docstring states the bias correction too: an old text that ends in "\n" is the code's line)
adam_update.mutants(
    edit(NO_BIAS_CORRECTION,
         "m_new / (1 - beta1**t)\n", "m_new\n", "v_new / (1 - beta2**t)\n", "v_new\n"),
    edit(T_FROM_ZERO,
         "beta1**t)\n", "beta1 ** (t + 1))\n", "beta2**t)\n", "beta2 ** (t + 1))\n"),
    # at t = 1 this divides 0 by 0, as the student's would
    edit(T_FROM_ZERO,
         "beta1**t)\n", "beta1 ** (t - 1))\n", "beta2**t)\n", "beta2 ** (t - 1))\n"),
    edit(CORRECTED_MOMENTS_RETURNED, "return w_new, m_new, v_new", "return w_new, m_hat, v_hat"),
    edit(MOMENTS_NOT_RETURNED, "return w_new, m_new, v_new", "return w_new, m, v"),
    edit(IN_PLACE,
         "m_new = beta1 * m + (1 - beta1) * dw\n"
         "    v_new = beta2 * v + (1 - beta2) * dw**2\n",
         "m *= beta1\n"
         "    m += (1 - beta1) * dw\n"
         "    v *= beta2\n"
         "    v += (1 - beta2) * dw**2\n"
         "    m_new, v_new = m, v\n",
         "w_new = w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)\n",
         "w -= learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)\n    w_new = w\n"),
)
