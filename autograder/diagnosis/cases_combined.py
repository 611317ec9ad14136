"""Diagnosis mutants for two mistakes at once and for results that are no plain numbers (joined
to cases.MUTANTS): a relation on top of a convention or of a changed input, a right value in a
tuple or with an extra axis, a generator, an object array, a rounded result, a percentage, a
precedence slip (a reciprocal), a factor left out, one rate read for another, a mean over the
samples alone, and the conventions of deeplearning.ai's momentum and cs231n's exponential decay.
"""

from __future__ import annotations

F, B, O, T = "01_forward_pass", "02_backpropagation", "03_optimizers", "04_training"

MUTANTS = [
    (T, "predict", "axis-too-many+shifted", """
def predict(params, X):
    h = np.maximum(0, X @ params["W1"].T + params["b1"])
    z = h @ params["W2"].T + params["b2"]
    return np.argmax(z, axis=1).reshape(-1, 1) + 1
"""),
    (F, "categorical_cross_entropy", "convention-logits-input+scaled-times-n", """
def categorical_cross_entropy(y_pred, y_true):
    e = np.exp(y_pred - y_pred.max(axis=1, keepdims=True))
    p = np.clip(e / e.sum(axis=1, keepdims=True), 1e-7, 1 - 1e-7)
    y = np.asarray(y_true)
    onehot = np.eye(y_pred.shape[1])[y] if y.ndim == 1 else y
    return float(-np.sum(onehot * np.log(p)))
"""),
    (F, "dense_forward", "extra-return", """
def dense_forward(X, W, b):
    out = X @ W.T + b
    return out, (X, W, b)
"""),
    (O, "minibatch_indices", "returns-an-iterator", """
def minibatch_indices(n_samples, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    for start in range(0, n_samples, batch_size):
        yield order[start:start + batch_size]
"""),
    (F, "sigmoid", "returns-object-array", """
def sigmoid(z):
    return np.frompyfunc(lambda x: 1 / (1 + np.exp(-x)), 1, 1)(z)
"""),
    (F, "sigmoid", "reciprocal", """
def sigmoid(z):
    return 1 / 1 + np.exp(-np.clip(z, -500, 500))
"""),
    (F, "neuron_forward", "rounded", """
def neuron_forward(x, w, b):
    return round(float(np.dot(x, w) + b), 3)
"""),
    (F, "accuracy", "scaled-percent", """
def accuracy(y_pred, y_true):
    y = np.asarray(y_true)
    if y.ndim == 2:
        y = y.argmax(axis=1)
    return 100 * float(np.mean(y_pred.argmax(axis=1) == y))
"""),
    (O, "decayed_learning_rate", "argument-fixed", """
def decayed_learning_rate(initial_lr, decay, iteration):
    return 1.0 / (1 + decay * iteration)
"""),
    (O, "decayed_learning_rate", "argument-in-place-of", """
def decayed_learning_rate(initial_lr, decay, iteration):
    return initial_lr / (1 + initial_lr * iteration)
"""),
    (O, "momentum_update", "convention-ng-average", """
def momentum_update(w, dw, velocity, learning_rate, momentum):
    v = momentum * velocity + (1 - momentum) * dw
    return w - learning_rate * v, v
"""),
    (O, "decayed_learning_rate", "convention-cs231n-exponential-decay", """
def decayed_learning_rate(initial_lr, decay, iteration):
    return initial_lr * np.exp(-decay * iteration)
"""),
]
