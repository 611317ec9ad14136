"""Known-wrong optimizers that the graders of 03_optimizers must catch and name: each one is the
reference's own function with a few words changed (`edit`), so none can drift from it."""

from autograder.mutants import edit

# ----------------------------------------------------------------------------------------------
# sgd_update

edit("sgd_update", "stepped up the gradient",
     "return w - learning_rate * dw", "return w + learning_rate * dw")
edit("sgd_update", "updates done in place",
     "    return w - learning_rate * dw", "    w -= learning_rate * dw\n    return w")

# ----------------------------------------------------------------------------------------------
# decayed_learning_rate

edit("decayed_learning_rate", "decay as lr * decay**t",
     "initial_lr / (1.0 + decay * iteration)", "initial_lr * decay**iteration")
edit("decayed_learning_rate", "denominator without parentheses",
     "initial_lr / (1.0 + decay * iteration)", "initial_lr / 1.0 + decay * iteration")

# ----------------------------------------------------------------------------------------------
# momentum_update (the docstring states the formulas too: an old text ending in "\n" is the code)

# the velocity kept as a positive "distance downhill", against the course's convention
edit("momentum_update", "momentum sign flipped",
     "momentum * velocity - learning_rate * dw\n", "momentum * velocity + learning_rate * dw\n",
     "w_new = w + velocity_new\n", "w_new = w - velocity_new\n")
# the previous step subtracted: it brakes instead of carrying on
edit("momentum_update", "momentum sign flipped",
     "momentum * velocity - learning_rate * dw\n", "-momentum * velocity - learning_rate * dw\n")
edit("momentum_update", "velocity not returned",
     "return w_new, velocity_new", "return w_new")
edit("momentum_update", "velocity not returned",
     "return w_new, velocity_new", "return w_new, velocity")
edit("momentum_update", "previous velocity ignored",
     "momentum * velocity - learning_rate * dw\n", "-learning_rate * dw\n")
edit("momentum_update", "updates done in place",
     "velocity_new = momentum * velocity - learning_rate * dw\n"
     "    w_new = w + velocity_new\n"
     "    return w_new, velocity_new",
     "velocity *= momentum\n"
     "    velocity -= learning_rate * dw\n"
     "    w += velocity\n"
     "    return w, velocity")

# ----------------------------------------------------------------------------------------------
# adagrad_update

edit("adagrad_update", "Adagrad cache overwritten, not accumulated",
     "cache_new = cache + dw**2\n", "cache_new = dw**2\n")
edit("adagrad_update", "cache not returned",
     "return w_new, cache_new", "return w_new, cache")
# no square root: the step shrinks like 1/cache instead of 1/sqrt(cache)
edit("adagrad_update", "no square root of the cache",
     "np.sqrt(cache_new)", "cache_new")
edit("adagrad_update", "updates done in place",
     "cache_new = cache + dw**2\n"
     "    w_new = w - learning_rate * dw / (np.sqrt(cache_new) + epsilon)\n"
     "    return w_new, cache_new",
     "cache += dw**2\n"
     "    w -= learning_rate * dw / (np.sqrt(cache) + epsilon)\n"
     "    return w, cache")

# ----------------------------------------------------------------------------------------------
# rmsprop_update

edit("rmsprop_update", "rho and 1 - rho swapped",
     "rho * cache + (1 - rho) * dw**2\n", "(1 - rho) * cache + rho * dw**2\n")
edit("rmsprop_update", "cache not returned",
     "return w_new, cache_new", "return w_new, cache")
# rho fixed at its default: a caller's rho is ignored
edit("rmsprop_update", "rho ignored",
     "rho * cache + (1 - rho) * dw**2\n", "0.9 * cache + 0.1 * dw**2\n")
edit("rmsprop_update", "updates done in place",
     "cache_new = rho * cache + (1 - rho) * dw**2\n"
     "    w_new = w - learning_rate * dw / (np.sqrt(cache_new) + epsilon)\n"
     "    return w_new, cache_new",
     "cache *= rho\n"
     "    cache += (1 - rho) * dw**2\n"
     "    w -= learning_rate * dw / (np.sqrt(cache) + epsilon)\n"
     "    return w, cache")

# ----------------------------------------------------------------------------------------------
# adam_update (the docstring states the bias correction too: ending in "\n" picks the code)

edit("adam_update", "Adam without bias correction",
     "m_new / (1 - beta1**t)\n", "m_new\n", "v_new / (1 - beta2**t)\n", "v_new\n")
edit("adam_update", "Adam with t counted from 0",
     "beta1**t)\n", "beta1 ** (t + 1))\n", "beta2**t)\n", "beta2 ** (t + 1))\n")
# at t = 1 this divides 0 by 0, as the student's would
edit("adam_update", "Adam with t counted from 0",
     "beta1**t)\n", "beta1 ** (t - 1))\n", "beta2**t)\n", "beta2 ** (t - 1))\n")
edit("adam_update", "bias-corrected moments returned as state",
     "return w_new, m_new, v_new", "return w_new, m_hat, v_hat")
edit("adam_update", "moments not returned",
     "return w_new, m_new, v_new", "return w_new, m, v")
edit("adam_update", "updates done in place",
     "m_new = beta1 * m + (1 - beta1) * dw\n"
     "    v_new = beta2 * v + (1 - beta2) * dw**2\n",
     "m *= beta1\n"
     "    m += (1 - beta1) * dw\n"
     "    v *= beta2\n"
     "    v += (1 - beta2) * dw**2\n"
     "    m_new, v_new = m, v\n",
     "w_new = w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)\n",
     "w -= learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)\n    w_new = w\n")

# ----------------------------------------------------------------------------------------------
# minibatch_indices

edit("minibatch_indices", "batches not shuffled",
     "np.random.default_rng(seed).permutation(n_samples)", "np.arange(n_samples)")
edit("minibatch_indices", "last partial batch dropped",
     "range(0, n_samples, batch_size)", "range(0, n_samples - batch_size + 1, batch_size)")
# what np.random.seed(seed) gives
edit("minibatch_indices", "np.random.seed instead of default_rng(seed)",
     "np.random.default_rng(seed)", "np.random.RandomState(seed)")
edit("minibatch_indices", "seed ignored",
     "np.random.default_rng(seed)", "np.random.default_rng()")
edit("minibatch_indices", "batches split evenly instead of batch_size long",
     "[order[start:start + batch_size] for start in range(0, n_samples, batch_size)]",
     "np.array_split(order, -(-n_samples // batch_size))")
# a sample drawn with replacement: some indices twice, some never
edit("minibatch_indices", "sampled with replacement",
     "permutation(n_samples)", "integers(0, n_samples, size=n_samples)")
