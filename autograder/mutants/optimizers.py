# ruff: noqa: F811
"""Known-wrong optimizers that the graders of 03_optimizers must catch (and name, if `names`)."""

import numpy as np

from autograder.mutants import mutant

# ----------------------------------------------------------------------------------------------
# sgd_update


@mutant("sgd_update", names="stepped up the gradient")
def sgd_update(w, dw, learning_rate):
    return np.asarray(w, dtype=float) + learning_rate * np.asarray(dw, dtype=float)


@mutant("sgd_update", names="updates done in place")
def sgd_update(w, dw, learning_rate):
    if isinstance(w, np.ndarray):
        w -= learning_rate * dw
        return w
    return w - learning_rate * dw


# ----------------------------------------------------------------------------------------------
# decayed_learning_rate


@mutant("decayed_learning_rate", names="decay as lr * decay**t")
def decayed_learning_rate(initial_lr, decay, iteration):
    return initial_lr * decay**iteration


@mutant("decayed_learning_rate", names="denominator without parentheses")
def decayed_learning_rate(initial_lr, decay, iteration):
    return initial_lr / 1 + decay * iteration


# ----------------------------------------------------------------------------------------------
# momentum_update


@mutant("momentum_update", names="momentum sign flipped")
def momentum_update(w, dw, velocity, learning_rate, momentum):
    # the velocity kept as a positive "distance downhill", against the course's convention
    velocity_new = momentum * np.asarray(velocity) + learning_rate * np.asarray(dw)
    return np.asarray(w) - velocity_new, velocity_new


@mutant("momentum_update", names="momentum sign flipped")
def momentum_update(w, dw, velocity, learning_rate, momentum):
    # the previous step subtracted: it brakes instead of carrying on
    velocity_new = -momentum * np.asarray(velocity) - learning_rate * np.asarray(dw)
    return np.asarray(w) + velocity_new, velocity_new


@mutant("momentum_update", names="velocity not returned")
def momentum_update(w, dw, velocity, learning_rate, momentum):
    velocity_new = momentum * np.asarray(velocity) - learning_rate * np.asarray(dw)
    return np.asarray(w) + velocity_new


@mutant("momentum_update", names="velocity not returned")
def momentum_update(w, dw, velocity, learning_rate, momentum):
    velocity_new = momentum * np.asarray(velocity) - learning_rate * np.asarray(dw)
    return np.asarray(w) + velocity_new, velocity


@mutant("momentum_update", names="previous velocity ignored")
def momentum_update(w, dw, velocity, learning_rate, momentum):
    velocity_new = -learning_rate * np.asarray(dw)
    return np.asarray(w) + velocity_new, velocity_new


@mutant("momentum_update", names="updates done in place")
def momentum_update(w, dw, velocity, learning_rate, momentum):
    if isinstance(w, np.ndarray) and isinstance(velocity, np.ndarray):
        velocity *= momentum
        velocity -= learning_rate * dw
        w += velocity
        return w, velocity
    velocity_new = momentum * velocity - learning_rate * dw
    return w + velocity_new, velocity_new


# ----------------------------------------------------------------------------------------------
# adagrad_update


@mutant("adagrad_update", names="Adagrad cache overwritten, not accumulated")
def adagrad_update(w, dw, cache, learning_rate, epsilon=1e-7):
    cache_new = np.asarray(dw) ** 2
    w_new = np.asarray(w) - learning_rate * np.asarray(dw) / (np.sqrt(cache_new) + epsilon)
    return w_new, cache_new


@mutant("adagrad_update", names="cache not returned")
def adagrad_update(w, dw, cache, learning_rate, epsilon=1e-7):
    cache_new = np.asarray(cache) + np.asarray(dw) ** 2
    return np.asarray(w) - learning_rate * np.asarray(dw) / (np.sqrt(cache_new) + epsilon), cache


@mutant("adagrad_update", names="no square root of the cache")
def adagrad_update(w, dw, cache, learning_rate, epsilon=1e-7):
    # no square root: the step shrinks like 1/cache instead of 1/sqrt(cache)
    cache_new = np.asarray(cache) + np.asarray(dw) ** 2
    return np.asarray(w) - learning_rate * np.asarray(dw) / (cache_new + epsilon), cache_new


@mutant("adagrad_update", names="updates done in place")
def adagrad_update(w, dw, cache, learning_rate, epsilon=1e-7):
    if isinstance(w, np.ndarray) and isinstance(cache, np.ndarray):
        cache += dw**2
        w -= learning_rate * dw / (np.sqrt(cache) + epsilon)
        return w, cache
    cache_new = cache + dw**2
    return w - learning_rate * dw / (np.sqrt(cache_new) + epsilon), cache_new


# ----------------------------------------------------------------------------------------------
# rmsprop_update


@mutant("rmsprop_update", names="rho and 1 - rho swapped")
def rmsprop_update(w, dw, cache, learning_rate, rho=0.9, epsilon=1e-7):
    cache_new = (1 - rho) * np.asarray(cache) + rho * np.asarray(dw) ** 2
    w_new = np.asarray(w) - learning_rate * np.asarray(dw) / (np.sqrt(cache_new) + epsilon)
    return w_new, cache_new


@mutant("rmsprop_update", names="cache not returned")
def rmsprop_update(w, dw, cache, learning_rate, rho=0.9, epsilon=1e-7):
    cache_new = rho * np.asarray(cache) + (1 - rho) * np.asarray(dw) ** 2
    return np.asarray(w) - learning_rate * np.asarray(dw) / (np.sqrt(cache_new) + epsilon), cache


@mutant("rmsprop_update", names="rho ignored")
def rmsprop_update(w, dw, cache, learning_rate, rho=0.9, epsilon=1e-7):
    # rho fixed at its default: a caller's rho is ignored
    cache_new = 0.9 * np.asarray(cache) + 0.1 * np.asarray(dw) ** 2
    w_new = np.asarray(w) - learning_rate * np.asarray(dw) / (np.sqrt(cache_new) + epsilon)
    return w_new, cache_new


@mutant("rmsprop_update", names="updates done in place")
def rmsprop_update(w, dw, cache, learning_rate, rho=0.9, epsilon=1e-7):
    if isinstance(w, np.ndarray) and isinstance(cache, np.ndarray):
        cache *= rho
        cache += (1 - rho) * dw**2
        w -= learning_rate * dw / (np.sqrt(cache) + epsilon)
        return w, cache
    cache_new = rho * cache + (1 - rho) * dw**2
    return w - learning_rate * dw / (np.sqrt(cache_new) + epsilon), cache_new


# ----------------------------------------------------------------------------------------------
# adam_update


@mutant("adam_update", names="Adam without bias correction")
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m_new = beta1 * np.asarray(m) + (1 - beta1) * np.asarray(dw)
    v_new = beta2 * np.asarray(v) + (1 - beta2) * np.asarray(dw) ** 2
    return np.asarray(w) - learning_rate * m_new / (np.sqrt(v_new) + epsilon), m_new, v_new


@mutant("adam_update", names="Adam with t counted from 0")
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m_new = beta1 * np.asarray(m) + (1 - beta1) * np.asarray(dw)
    v_new = beta2 * np.asarray(v) + (1 - beta2) * np.asarray(dw) ** 2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return np.asarray(w) - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m_new, v_new


@mutant("adam_update", names="Adam with t counted from 0")
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m_new = beta1 * np.asarray(m) + (1 - beta1) * np.asarray(dw)
    v_new = beta2 * np.asarray(v) + (1 - beta2) * np.asarray(dw) ** 2
    with np.errstate(all="ignore"):  # at t = 1 this divides 0 by 0, as the student's would
        m_hat = m_new / (1 - beta1 ** (t - 1))
        v_hat = v_new / (1 - beta2 ** (t - 1))
        w_new = np.asarray(w) - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)
    return w_new, m_new, v_new


@mutant("adam_update", names="bias-corrected moments returned as state")
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m_new = beta1 * np.asarray(m) + (1 - beta1) * np.asarray(dw)
    v_new = beta2 * np.asarray(v) + (1 - beta2) * np.asarray(dw) ** 2
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    return np.asarray(w) - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m_hat, v_hat


@mutant("adam_update", names="moments not returned")
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m_new = beta1 * np.asarray(m) + (1 - beta1) * np.asarray(dw)
    v_new = beta2 * np.asarray(v) + (1 - beta2) * np.asarray(dw) ** 2
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    return np.asarray(w) - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


@mutant("adam_update", names="updates done in place")
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    w, dw = np.asarray(w, dtype=float), np.asarray(dw, dtype=float)
    m, v = np.asarray(m, dtype=float), np.asarray(v, dtype=float)
    if w.ndim:
        m *= beta1
        m += (1 - beta1) * dw
        v *= beta2
        v += (1 - beta2) * dw**2
        w -= learning_rate * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + epsilon)
        return w, m, v
    m_new = beta1 * m + (1 - beta1) * dw
    v_new = beta2 * v + (1 - beta2) * dw**2
    m_hat, v_hat = m_new / (1 - beta1**t), v_new / (1 - beta2**t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m_new, v_new


# ----------------------------------------------------------------------------------------------
# minibatch_indices


@mutant("minibatch_indices", names="batches not shuffled")
def minibatch_indices(n_samples, batch_size, seed):
    order = np.arange(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]


@mutant("minibatch_indices", names="last partial batch dropped")
def minibatch_indices(n_samples, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples - batch_size + 1, batch_size)]


@mutant("minibatch_indices", names="np.random.seed instead of default_rng(seed)")
def minibatch_indices(n_samples, batch_size, seed):
    order = np.random.RandomState(seed).permutation(n_samples)  # what np.random.seed(seed) gives
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]


@mutant("minibatch_indices", names="seed ignored")
def minibatch_indices(n_samples, batch_size, seed):
    order = np.random.default_rng().permutation(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]


@mutant("minibatch_indices", names="batches split evenly instead of batch_size long")
def minibatch_indices(n_samples, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    return np.array_split(order, -(-n_samples // batch_size))


@mutant("minibatch_indices", names="sampled with replacement")
def minibatch_indices(n_samples, batch_size, seed):
    # a sample drawn with replacement: some indices twice, some never
    rng = np.random.default_rng(seed)
    order = rng.integers(0, n_samples, size=n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]
