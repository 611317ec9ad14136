"""Diagnosis mutants for the conventions of parameters and constants (joined to cases.MUTANTS):
a network that stores W as the nnfs book does, one that puts the samples in columns, a loss that
clips at another epsilon, an argument overwritten by a constant and an `if` that takes one
number only.
"""

from __future__ import annotations

F, B, O, T = "01_forward_pass", "02_backpropagation", "03_optimizers", "04_training"

MUTANTS = [
    (T, "forward", "probe-weights-as-inputs-by-neurons", """
def forward(params, X):
    hidden = np.maximum(0, X @ params["W1"] + params["b1"])
    logits = hidden @ params["W2"] + params["b2"]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
"""),
    (T, "forward", "probe-samples-as-columns", """
def forward(params, X):
    hidden = np.maximum(0, params["W1"] @ X + params["b1"])
    logits = params["W2"] @ hidden + params["b2"]
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
"""),
    (F, "binary_cross_entropy", "convention-other-clip-epsilon", """
def binary_cross_entropy(y_pred, y_true):
    p = np.clip(y_pred, 1e-15, 1 - 1e-15)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))
"""),
    (B, "numerical_gradient", "argument-fixed", """
def numerical_gradient(f, x, h=1e-5):
    h = 1e-4
    x = np.array(x, dtype=float)
    grad = np.zeros(x.size)
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        step = step.reshape(x.shape)
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad.reshape(x.shape)
"""),
    (F, "sigmoid", "probe-scalar-only", """
def sigmoid(z):
    if z >= 0:
        return 1 / (1 + np.exp(-z))
    return np.exp(z) / (1 + np.exp(z))
"""),
    (B, "dense_backward", "probe-samples-as-columns", """
def dense_backward(dvalues, X, W):
    m = X.shape[1]
    dW = (1 / m) * np.dot(dvalues, X.T)
    db = (1 / m) * np.sum(dvalues, axis=1, keepdims=True)
    dX = np.dot(W.T, dvalues)
    return dX, dW, db
"""),
]
