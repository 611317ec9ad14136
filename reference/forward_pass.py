"""Assignment 01, the forward pass: products, dense layers, activations, losses (lectures 004, 001).

Every function is pure: it accepts lists or arrays, never changes its arguments and returns a new
value. Each body stands alone (NumPy only), because it is copied into a notebook cell.
"""

import numpy as np


def dot_product(a, b):
    """Dot product of two vectors: a . b = sum_i a[i] * b[i].

    a, b: (d,) vectors of the same length. Returns a float.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"need two 1-D vectors of the same length, got {a.shape} and {b.shape}")
    return float(np.sum(a * b))


def vector_matrix_product(a, B):
    """A row vector times a matrix: out[j] = sum_i a[i] * B[i, j], i.e. a @ B.

    a: (n,); B: (n, m). Returns (m,).
    """
    return np.asarray(a, dtype=float) @ np.asarray(B, dtype=float)


def matrix_vector_product(B, a):
    """A matrix times a column vector: out[i] = sum_j B[i, j] * a[j], i.e. B @ a.

    B: (m, n); a: (n,). Returns (m,).
    """
    return np.asarray(B, dtype=float) @ np.asarray(a, dtype=float)


def matrix_product(A, B):
    """Matrix product: out[i, j] = sum_k A[i, k] * B[k, j], i.e. A @ B.

    A: (n, k); B: (k, m). Returns (n, m).
    """
    return np.asarray(A, dtype=float) @ np.asarray(B, dtype=float)


def neuron_forward(x, w, b):
    """One neuron before its activation: z = b + sum_i x[i] * w[i].

    x: (d,) inputs; w: (d,) weights; b: scalar bias. Returns z as a float.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    return float(np.sum(x * w) + b)


def dense_forward(X, W, b):
    """A dense layer on a batch: out = X @ W.T + b (row n holds every neuron's z for sample n).

    X: (n_samples, n_inputs); W: (n_neurons, n_inputs); b: (n_neurons,).
    Returns (n_samples, n_neurons).
    """
    X = np.asarray(X, dtype=float)
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    return X @ W.T + b


def relu(z):
    """Rectified linear unit, elementwise: relu(z) = max(0, z).

    z: array of any shape. Returns an array of the same shape.
    """
    return np.maximum(0.0, np.asarray(z, dtype=float))


def sigmoid(z):
    """Logistic sigmoid, elementwise: sigmoid(z) = 1 / (1 + exp(-z)).

    z: array of any shape. Returns an array of the same shape, values in [0, 1]; a large |z|
    (up to 1000 and beyond) gives 0 or 1, not nan.
    """
    z = np.asarray(z, dtype=float)
    # exp of a non-positive number never overflows: use exp(-|z|) and pick the matching form.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(z):
    """Hyperbolic tangent, elementwise: tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)).

    z: array of any shape. Returns an array of the same shape, values in [-1, 1]; a large |z|
    (up to 1000 and beyond) gives -1 or 1, not nan (the formula overflows past |z| ~ 710).
    """
    # np.tanh is exact where the textbook formula overflows (inf / inf) for |z| > ~710.
    return np.tanh(np.asarray(z, dtype=float))


def softmax(z):
    """Row-wise softmax: out[n, i] = exp(z[n, i]) / sum_j exp(z[n, j]).

    z: (n_samples, n_classes) logits, or (n_classes,) for one sample.
    Returns probabilities of the same shape; every row sums to 1.
    """
    z = np.asarray(z, dtype=float)
    # Subtracting the row's max leaves the result unchanged and keeps exp from overflowing.
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def one_hot(labels, n_classes):
    """One-hot encoding: out[n, labels[n]] = 1, every other entry 0.

    labels: (n,) integer class indices in [0, n_classes). Returns (n, n_classes) floats.
    """
    labels = np.asarray(labels).astype(int).reshape(-1)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in [0, {n_classes}), got {labels.min()}..{labels.max()}")
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels] = 1.0
    return out


def categorical_cross_entropy(y_pred, y_true):
    """Mean categorical cross-entropy: L = -1/n sum_n sum_i y_true[n, i] * ln(y_pred[n, i]).

    y_pred: (n, k) predicted probabilities; y_true: (n,) class indices or (n, k) one-hot.
    Predictions are clipped to [1e-7, 1 - 1e-7] first. Returns a float.
    """
    y_pred = np.asarray(y_pred, dtype=float)
    y_true = np.asarray(y_true)
    # ln(0) is -inf: clipping keeps a confidently wrong prediction at a large finite loss.
    y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)
    if y_true.ndim == 1:
        correct = y_pred[np.arange(len(y_pred)), y_true.astype(int)]
        return float(-np.mean(np.log(correct)))
    return float(-np.mean(np.sum(y_true * np.log(y_pred), axis=1)))


def binary_cross_entropy(y_pred, y_true):
    """Mean binary cross-entropy: L = -mean(y_true * ln(y_pred) + (1 - y_true) * ln(1 - y_pred)).

    y_pred: predicted probabilities, any shape; y_true: 0/1 targets, same shape.
    Predictions are clipped to [1e-7, 1 - 1e-7] first; the mean is over all elements.
    Returns a float.
    """
    y_pred = np.clip(np.asarray(y_pred, dtype=float), 1e-7, 1 - 1e-7)
    y_true = np.asarray(y_true, dtype=float)
    losses = -(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))
    return float(np.mean(losses))


def mse(y_pred, y_true):
    """Mean squared error: L = 1/N sum (y_true - y_pred)^2 over all N elements.

    y_pred, y_true: arrays of the same shape. Returns a float.
    """
    y_pred = np.asarray(y_pred, dtype=float)
    y_true = np.asarray(y_true, dtype=float)
    return float(np.mean((y_true - y_pred) ** 2))


def collapse_linear_layers(W1, b1, W2, b2):
    """Two dense layers with no activation between them as one: W = W2 @ W1, b = W2 @ b1 + b2.

    W1: (h, d); b1: (h,); W2: (m, h); b2: (m,). Returns (W (m, d), b (m,)).
    """
    W1 = np.asarray(W1, dtype=float)
    b1 = np.asarray(b1, dtype=float)
    W2 = np.asarray(W2, dtype=float)
    b2 = np.asarray(b2, dtype=float)
    return W2 @ W1, W2 @ b1 + b2


def accuracy(y_pred, y_true):
    """Classification accuracy: the fraction of rows n with argmax(y_pred[n]) == class of n.

    y_pred: (n, k) scores or probabilities; y_true: (n,) class indices or (n, k) one-hot.
    Returns a float in [0, 1].
    """
    predicted = np.argmax(np.asarray(y_pred, dtype=float), axis=1)
    y_true = np.asarray(y_true)
    if y_true.ndim == 2:
        y_true = np.argmax(y_true, axis=1)
    return float(np.mean(predicted == y_true))
