# ruff: noqa: F811
"""Acceptable answers to 03_optimizers written otherwise than the reference (see __init__.py)."""

import numpy as np

from autograder.variants import edit, variant


@variant("sgd_update", "no conversion: Python floats stay floats")
def sgd_update(w, dw, learning_rate):
    return w - learning_rate * np.asarray(dw) if np.ndim(dw) else w - learning_rate * dw


edit("decayed_learning_rate", "a NumPy scalar",
     "return float(initial_lr / (1.0 + decay * iteration))",
     "return np.float64(initial_lr) / (1 + decay * iteration)")
edit("momentum_update", "float32 results", "return w_new, velocity_new",
     "return w_new.astype(np.float32), velocity_new.astype(np.float32)")
edit("adagrad_update", "a list instead of a tuple", "return w_new, cache_new",
     "return [w_new, cache_new]")
edit("rmsprop_update", "np.square for the squared gradient",
     "\n    cache_new = rho * cache + (1 - rho) * dw**2\n",
     "\n    cache_new = rho * cache + (1 - rho) * np.square(dw)\n")
edit("adam_update", "float32 results", "return w_new, m_new, v_new",
     "return w_new.astype(np.float32), m_new.astype(np.float32), v_new.astype(np.float32)")


@variant("minibatch_indices", "a while loop, returning lists of ints")
def minibatch_indices(n_samples, batch_size, seed):
    order = list(np.random.default_rng(seed).permutation(n_samples))
    batches, start = [], 0
    while start < n_samples:
        batches.append([int(i) for i in order[start:start + batch_size]])
        start += batch_size
    return batches
