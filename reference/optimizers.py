"""Optimizers as pure updates: each takes the weights, their gradient and the optimizer's state, and
returns the new weights and the new state (lecture 000: plain steps, decay, momentum; lecture 004:
Adagrad, RMSProp, Adam, mini-batches).

`w` may be a Python float or an array of any shape; `dw` (dLoss/dw) and every state (`velocity`,
`cache`, `m`, `v`) have the shape of `w`. Nothing is changed in place.
"""

import numpy as np


def sgd_update(w, dw, learning_rate):
    """One plain gradient-descent step: w_new = w - learning_rate * dw.

    w: float or array of any shape; dw: gradient dLoss/dw, same shape; learning_rate: float.
    Returns w_new, same shape as w.
    """
    w = np.asarray(w, dtype=float)
    dw = np.asarray(dw, dtype=float)
    return w - learning_rate * dw


def decayed_learning_rate(initial_lr, decay, iteration):
    """Learning rate after `iteration` steps of decay: lr = initial_lr / (1 + decay * iteration).

    initial_lr, decay: floats; iteration: int, counting from 0 (iteration 0 uses initial_lr).
    Returns a float.
    """
    return float(initial_lr / (1.0 + decay * iteration))


def momentum_update(w, dw, velocity, learning_rate, momentum):
    """One step with momentum: velocity_new = momentum * velocity - learning_rate * dw;
    w_new = w + velocity_new.

    w: float or array; dw, velocity: same shape as w (velocity is the previous step, 0 at first).
    Returns (w_new, velocity_new), both shaped like w.
    """
    w = np.asarray(w, dtype=float)
    dw = np.asarray(dw, dtype=float)
    velocity = np.asarray(velocity, dtype=float)
    # The velocity is the step itself: the previous step, damped, plus the new downhill push.
    velocity_new = momentum * velocity - learning_rate * dw
    w_new = w + velocity_new
    return w_new, velocity_new


def adagrad_update(w, dw, cache, learning_rate, epsilon=1e-7):
    """One Adagrad step: cache_new = cache + dw**2;
    w_new = w - learning_rate * dw / (sqrt(cache_new) + epsilon).

    w: float or array; dw, cache: same shape as w (cache is 0 at first).
    Returns (w_new, cache_new), both shaped like w.
    """
    w = np.asarray(w, dtype=float)
    dw = np.asarray(dw, dtype=float)
    cache = np.asarray(cache, dtype=float)
    # Every squared gradient ever seen: weights that have moved a lot get ever smaller steps.
    cache_new = cache + dw**2
    w_new = w - learning_rate * dw / (np.sqrt(cache_new) + epsilon)
    return w_new, cache_new


def rmsprop_update(w, dw, cache, learning_rate, rho=0.9, epsilon=1e-7):
    """One RMSProp step: cache_new = rho * cache + (1 - rho) * dw**2;
    w_new = w - learning_rate * dw / (sqrt(cache_new) + epsilon).

    w: float or array; dw, cache: same shape as w (cache is 0 at first).
    Returns (w_new, cache_new), both shaped like w.
    """
    w = np.asarray(w, dtype=float)
    dw = np.asarray(dw, dtype=float)
    cache = np.asarray(cache, dtype=float)
    # A moving average of squared gradients: old gradients fade, unlike Adagrad's running sum.
    cache_new = rho * cache + (1 - rho) * dw**2
    w_new = w - learning_rate * dw / (np.sqrt(cache_new) + epsilon)
    return w_new, cache_new


def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    """One Adam step: m_new = beta1*m + (1-beta1)*dw; v_new = beta2*v + (1-beta2)*dw**2;
    w_new = w - lr * m_hat / (sqrt(v_hat) + eps), m_hat = m_new / (1 - beta1**t),
    v_hat = v_new / (1 - beta2**t).

    w: float or array; dw, m, v: same shape as w (m and v are 0 at first);
    t: the number of this step, counting from 1.
    Returns (w_new, m_new, v_new), all shaped like w (the state is m_new, v_new, not m_hat, v_hat).
    """
    w = np.asarray(w, dtype=float)
    dw = np.asarray(dw, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    m_new = beta1 * m + (1 - beta1) * dw
    v_new = beta2 * v + (1 - beta2) * dw**2
    # m and v start at 0, so early averages are too small; dividing by 1 - beta**t undoes that.
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    w_new = w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)
    return w_new, m_new, v_new


def minibatch_indices(n_samples, batch_size, seed):
    """Shuffled mini-batches: consecutive slices of numpy.random.default_rng(seed).permutation(n).

    n_samples, batch_size: positive ints; seed: int.
    Returns a list of 1-D int arrays that together hold every index 0..n_samples-1 exactly once;
    each is batch_size long except possibly the last.
    """
    order = np.random.default_rng(seed).permutation(n_samples)
    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]
