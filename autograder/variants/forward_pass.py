# ruff: noqa: F811
"""Acceptable answers to 01_forward_pass written otherwise than the reference (see __init__.py)."""

import numpy as np

from autograder.variants import edit, variant


@variant("dot_product", "a Python loop over the pairs")
def dot_product(a, b):
    total = 0.0
    for x, y in zip(a, b):
        total += x * y
    return total


@variant("vector_matrix_product", "Python loops, returning a list")
def vector_matrix_product(a, B):
    return [sum(a[i] * B[i][j] for i in range(len(a))) for j in range(len(B[0]))]


@variant("matrix_vector_product", "Python loops, returning a list")
def matrix_vector_product(B, a):
    return [sum(row[j] * a[j] for j in range(len(a))) for row in B]


@variant("matrix_product", "three Python loops, returning a list of lists")
def matrix_product(A, B):
    out = []
    for i in range(len(A)):
        row = []
        for j in range(len(B[0])):
            total = 0.0
            for k in range(len(B)):
                total += A[i][k] * B[k][j]
            row.append(total)
        out.append(row)
    return out


edit("neuron_forward", "np.dot, returning a NumPy scalar",
     "return float(np.sum(x * w) + b)", "return np.dot(w, x) + b")
edit("dense_forward", "float32 result", "return X @ W.T + b",
     "return (np.dot(X, W.T) + b).astype(np.float32)")
edit("relu", "z * (z > 0)", "return np.maximum(0.0, np.asarray(z, dtype=float))",
     "z = np.asarray(z, dtype=float)\n    return z * (z > 0)")
edit("sigmoid", "np.clip(z, -500, 500) before exp",
     "    # exp of a non-positive number never overflows: use exp(-|z|) and pick the matching "
     "form.\n    e = np.exp(-np.abs(z))\n"
     "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
     "    z = np.clip(z, -500, 500)\n    return 1.0 / (1.0 + np.exp(-z))")
edit("sigmoid", "float32 result",
     "return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
     "return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(np.float32)")
edit("tanh", "float32 result", "return np.tanh(np.asarray(z, dtype=float))",
     "return np.tanh(np.asarray(z, dtype=float)).astype(np.float32)")


@variant("softmax", "a Python loop over the rows")
def softmax(z):
    z = np.asarray(z, dtype=float)
    rows = np.atleast_2d(z)
    out = np.zeros_like(rows)
    for n in range(len(rows)):
        e = np.exp(rows[n] - max(rows[n]))
        out[n] = e / e.sum()
    return out.reshape(z.shape)


edit("softmax", "float32 result", "return e / np.sum(e, axis=-1, keepdims=True)",
     "return (e / np.sum(e, axis=-1, keepdims=True)).astype(np.float32)")
edit("one_hot", "rows of np.eye",
     "    out = np.zeros((labels.size, n_classes))\n"
     "    out[np.arange(labels.size), labels] = 1.0\n    return out",
     "    return np.eye(n_classes)[labels]")
edit("categorical_cross_entropy", "log(p + 1e-7) instead of clipping",
     "    y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)\n", "",
     "np.log(correct)", "np.log(correct + 1e-7)",
     "np.log(y_pred)", "np.log(y_pred + 1e-7)")
edit("binary_cross_entropy", "log(p + 1e-7) instead of clipping",
     "y_pred = np.clip(np.asarray(y_pred, dtype=float), 1e-7, 1 - 1e-7)",
     "y_pred = np.asarray(y_pred, dtype=float)",
     "np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred)",
     "np.log(y_pred + 1e-7) + (1 - y_true) * np.log(1 - y_pred + 1e-7)")


@variant("mse", "a Python loop over the flattened elements")
def mse(y_pred, y_true):
    y_pred = np.ravel(np.asarray(y_pred, dtype=float))
    y_true = np.ravel(np.asarray(y_true, dtype=float))
    total = 0.0
    for p, t in zip(y_pred, y_true):
        total += (t - p) ** 2
    return total / len(y_pred)


edit("collapse_linear_layers", "lists instead of arrays",
     "return W2 @ W1, W2 @ b1 + b2", "return (W2 @ W1).tolist(), (W2 @ b1 + b2).tolist()")


@variant("accuracy", "a Python loop over the rows")
def accuracy(y_pred, y_true):
    y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true)
    right = 0
    for n in range(len(y_pred)):
        label = np.argmax(y_true[n]) if y_true.ndim == 2 else y_true[n]
        right += int(np.argmax(y_pred[n]) == label)
    return right / len(y_pred)
