"""The known mistakes of 03_optimizers: what a failing check names, and what the student
should understand. autograder/mutants/optimizers.py makes each one; the graders in
test_03_optimizers.py recognise them. (A module beside the graders: pytest puts this folder on
sys.path, and autograder.config does the same when it reads the graders' points.)
"""

from autograder.harness import Mistake

IN_PLACE = Mistake(
    "updates done in place",
    "`w -= ...`, `w += ...` or `cache += ...` on an array changes the caller's array as well. An "
    "optimizer step must be pure: compute new arrays (`w_new = w - ...`) and return them.",
)
GRADIENT_ADDED = Mistake(
    "stepped up the gradient",
    "The gradient points uphill; gradient descent steps the other way: w - learning_rate * dw.",
    "000",
)
DECAY_POWER = Mistake(
    "decay as lr * decay**t",
    "The lecture's decay is lr = initial_lr / (1 + decay * t): it halves the rate at "
    "t = 1 / decay. initial_lr * decay**t collapses to 0 within a few steps.",
    "000",
)
DECAY_PRECEDENCE = Mistake(
    "denominator without parentheses",
    "initial_lr / 1 + decay * t divides by 1 and then adds; write initial_lr / (1 + decay * t).",
    "000",
)
MOMENTUM_SIGN = Mistake(
    "momentum sign flipped",
    "The velocity is the step itself: velocity_new = momentum * velocity - learning_rate * dw, "
    "then w_new = w + velocity_new. The previous step is added (past matters), the gradient is "
    "subtracted; flipping either sign climbs the loss or returns a velocity of the wrong sign.",
    "000",
)
VELOCITY_NOT_RETURNED = Mistake(
    "velocity not returned",
    "momentum_update must return (w_new, velocity_new): the new velocity is the state the next "
    "step needs. Returning only w, or the velocity you were given, loses the momentum.",
    "000",
)
VELOCITY_IGNORED = Mistake(
    "previous velocity ignored",
    "velocity_new = momentum * velocity - learning_rate * dw: the previous step (the velocity "
    "argument) must carry over, or momentum is plain gradient descent.",
    "000",
)
CACHE_OVERWRITTEN = Mistake(
    "Adagrad cache overwritten, not accumulated",
    "Adagrad's cache is the running sum of every squared gradient: cache_new = cache + dw**2.",
    "004",
)
CACHE_NOT_RETURNED = Mistake(
    "cache not returned",
    "Return (w_new, cache_new): the updated cache is the state the next step needs.",
    "004",
)
RHO_SWAPPED = Mistake(
    "rho and 1 - rho swapped",
    "RMSProp keeps most of the old cache: cache_new = rho * cache + (1 - rho) * dw**2.",
    "004",
)
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
NO_SQRT = Mistake(
    "no square root of the cache",
    "The step divides by sqrt(cache) + epsilon, not by the cache itself: "
    "w - learning_rate * dw / (np.sqrt(cache_new) + epsilon).",
    "004",
)
RHO_IGNORED = Mistake(
    "rho ignored",
    "Use the rho you are given: cache_new = rho * cache + (1 - rho) * dw**2; 0.9 is only its "
    "default.",
    "004",
)
UNEVEN_BATCHES = Mistake(
    "batches split evenly instead of batch_size long",
    "Every batch holds batch_size indices except possibly the last: take consecutive slices "
    "order[i:i + batch_size], not np.array_split.",
)
