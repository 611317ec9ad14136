# ruff: noqa: F811
"""Known-wrong versions of the 01_forward_pass functions; the graders must catch every one.

`names` is the Mistake.title in autograder/graders/mistakes_forward_pass.py that the failing
output must name. Each mutant is a complete function using NumPy only, as a notebook cell holds it.
"""

import numpy as np

from autograder.mutants import edit, mutant

# ----------------------------------------------------------------------------------------------
# dot_product


@mutant("dot_product", names="returned the elementwise product, not its sum")
def dot_product(a, b):
    return np.asarray(a, dtype=float) * np.asarray(b, dtype=float)


@mutant("dot_product", names="function changes its inputs in place")
def dot_product(a, b):
    a = np.asarray(a, dtype=float)
    a *= np.asarray(b, dtype=float)
    return float(a.sum())


@mutant("dot_product", names="multiplied the sums instead of summing the products")
def dot_product(a, b):
    return float(np.sum(a) * np.sum(b))


# ----------------------------------------------------------------------------------------------
# vector_matrix_product, matrix_vector_product, matrix_product


@mutant("vector_matrix_product", names="multiplied in the wrong order")
def vector_matrix_product(a, B):
    return np.asarray(B, dtype=float) @ np.asarray(a, dtype=float)


@mutant("vector_matrix_product", names="function changes its inputs in place")
def vector_matrix_product(a, B):
    B = np.asarray(B, dtype=float)
    B *= np.asarray(a, dtype=float)[:, None]
    return B.sum(axis=0)


@mutant("matrix_vector_product", names="multiplied in the wrong order")
def matrix_vector_product(B, a):
    return np.asarray(a, dtype=float) @ np.asarray(B, dtype=float)


@mutant("matrix_vector_product", names="function changes its inputs in place")
def matrix_vector_product(B, a):
    B = np.asarray(B, dtype=float)
    B *= np.asarray(a, dtype=float)
    return B.sum(axis=1)


@mutant("matrix_product", names="elementwise product instead of a matrix product")
def matrix_product(A, B):
    return np.asarray(A, dtype=float) * np.asarray(B, dtype=float)


@mutant("matrix_product", names="multiplied in the wrong order")
def matrix_product(A, B):
    return np.asarray(B, dtype=float) @ np.asarray(A, dtype=float)


@mutant("matrix_product", names="function changes its inputs in place")
def matrix_product(A, B):
    A = np.asarray(A, dtype=float)
    out = A @ np.asarray(B, dtype=float)
    A.fill(0.0)  # A used as scratch space afterwards
    return out


# ----------------------------------------------------------------------------------------------
# neuron_forward, dense_forward


@mutant("neuron_forward", names="left out the bias")
def neuron_forward(x, w, b):
    return float(np.dot(np.asarray(x, dtype=float), np.asarray(w, dtype=float)))


@mutant("neuron_forward", names="function changes its inputs in place")
def neuron_forward(x, w, b):
    x = np.asarray(x, dtype=float)
    x *= np.asarray(w, dtype=float)
    return float(x.sum() + b)


@mutant("dense_forward", names="W where W.T belongs")
def dense_forward(X, W, b):
    return np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float)


@mutant("dense_forward", names="left out the bias")
def dense_forward(X, W, b):
    return np.asarray(X, dtype=float) @ np.asarray(W, dtype=float).T


@mutant("dense_forward", names="function changes its inputs in place")
def dense_forward(X, W, b):
    X = np.asarray(X, dtype=float)
    out = X @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)
    X -= X.mean(axis=0)  # "centres" the caller's data as a side effect
    return out


# ----------------------------------------------------------------------------------------------
# relu, sigmoid, tanh


@mutant("relu", names="min instead of max in ReLU")
def relu(z):
    return np.minimum(0.0, np.asarray(z, dtype=float))


@mutant("relu", names="function changes its inputs in place")
def relu(z):
    z = np.asarray(z, dtype=float)
    z[z < 0] = 0.0
    return z


@mutant("sigmoid", names="sign error in sigmoid's exponent")
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(np.asarray(z, dtype=float)))


@mutant("sigmoid", names="function changes its inputs in place")
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1.0
    return 1.0 / z


@mutant("sigmoid", names="sigmoid kept away from 0 and 1")
def sigmoid(z):
    # saturates to exactly 0 / 1 only where the true value is within 1e-3 of it
    return np.clip(1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float))), 1e-3, 1 - 1e-3)


edit("sigmoid", "sigmoid from exp(z) / (1 + exp(z)) overflows",
     "    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
     "    return np.exp(z) / (1.0 + np.exp(z))", edge="sigmoid-1000")


@mutant("tanh", names="tanh from exponentials overflows", edge="tanh-1000")
def tanh(z):
    z = np.asarray(z, dtype=float)
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


@mutant("tanh", names="function changes its inputs in place")
def tanh(z):
    z = np.asarray(z, dtype=float)
    np.tanh(z, out=z)
    return z


@mutant("tanh", names="2 sigmoid(z) - 1 is tanh(z / 2)")
def tanh(z):
    z = np.asarray(z, dtype=float)
    return 2.0 / (1.0 + np.exp(-z)) - 1.0  # 2 sigmoid(z) - 1 is tanh(z / 2)


# ----------------------------------------------------------------------------------------------
# softmax


@mutant("softmax", names="softmax without the max shift", edge="logits-1000")
def softmax(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / np.sum(e, axis=-1, keepdims=True)


@mutant("softmax", names="softmax normalised over the wrong axis")
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


@mutant("softmax", names="softmax normalised over the wrong axis")
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


@mutant("softmax", names="function changes its inputs in place")
def softmax(z):
    z = np.asarray(z, dtype=float)
    z -= np.max(z, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


@mutant("softmax", names="softmax fails on a 1-D input", edge="softmax-1d")
def softmax(z):
    # only works for a batch: a 1-D row has no axis 1
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


# ----------------------------------------------------------------------------------------------
# one_hot


@mutant("one_hot", names="one_hot off by one")
def one_hot(labels, n_classes):
    labels = np.asarray(labels).astype(int)
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels - 1] = 1.0
    return out


@mutant("one_hot", names="number of classes taken from the labels")
def one_hot(labels, n_classes):
    labels = np.asarray(labels).astype(int)
    out = np.zeros((labels.size, labels.max() + 1))
    out[np.arange(labels.size), labels] = 1.0
    return out


@mutant("one_hot", names="function changes its inputs in place")
def one_hot(labels, n_classes):
    labels = np.asarray(labels)
    labels -= labels.min()  # "make the labels start at 0"
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels] = 1.0
    return out


# ----------------------------------------------------------------------------------------------
# categorical_cross_entropy, binary_cross_entropy, mse


@mutant("categorical_cross_entropy", names="log base 10 in cross-entropy")
def categorical_cross_entropy(y_pred, y_true):
    y_pred = np.clip(np.asarray(y_pred, dtype=float), 1e-7, 1 - 1e-7)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        y_true = np.eye(y_pred.shape[1])[y_true]
    return float(-np.mean(np.sum(y_true * np.log10(y_pred), axis=1)))


@mutant("categorical_cross_entropy", names="no clipping before the log", edge=("p-0", "p-1"))
def categorical_cross_entropy(y_pred, y_true):
    y_pred = np.asarray(y_pred, dtype=float)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        return float(-np.mean(np.log(y_pred[np.arange(len(y_pred)), y_true])))
    return float(-np.mean(np.log(np.sum(y_pred * y_true, axis=1))))


@mutant("categorical_cross_entropy", names="summed instead of averaged")
def categorical_cross_entropy(y_pred, y_true):
    y_pred = np.clip(np.asarray(y_pred, dtype=float), 1e-7, 1 - 1e-7)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        y_true = np.eye(y_pred.shape[1])[y_true]
    return float(-np.sum(y_true * np.log(y_pred)))


@mutant("categorical_cross_entropy", names="function changes its inputs in place")
def categorical_cross_entropy(y_pred, y_true):
    y_pred = np.asarray(y_pred, dtype=float)
    np.clip(y_pred, 1e-7, 1 - 1e-7, out=y_pred)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        y_true = np.eye(y_pred.shape[1])[y_true]
    return float(-np.mean(np.sum(y_true * np.log(y_pred), axis=1)))


@mutant("categorical_cross_entropy", names="handles only one form of labels")
def categorical_cross_entropy(y_pred, y_true):
    # handles one-hot targets only
    y_pred = np.clip(np.asarray(y_pred, dtype=float), 1e-7, 1 - 1e-7)
    return float(-np.mean(np.sum(np.asarray(y_true) * np.log(y_pred), axis=-1)))


@mutant("binary_cross_entropy", names="log base 10 in cross-entropy")
def binary_cross_entropy(y_pred, y_true):
    p = np.clip(np.asarray(y_pred, dtype=float), 1e-7, 1 - 1e-7)
    y = np.asarray(y_true, dtype=float)
    return float(-np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p)))


@mutant("binary_cross_entropy", names="no clipping before the log", edge=("p-0", "p-1"))
def binary_cross_entropy(y_pred, y_true):
    p = np.asarray(y_pred, dtype=float)
    y = np.asarray(y_true, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@mutant("binary_cross_entropy", names="binary cross-entropy without its (1 - y) term")
def binary_cross_entropy(y_pred, y_true):
    p = np.clip(np.asarray(y_pred, dtype=float), 1e-7, 1 - 1e-7)
    y = np.asarray(y_true, dtype=float)
    return float(-np.mean(y * np.log(p)))


@mutant("binary_cross_entropy", names="function changes its inputs in place")
def binary_cross_entropy(y_pred, y_true):
    p = np.asarray(y_pred, dtype=float)
    np.clip(p, 1e-7, 1 - 1e-7, out=p)
    y = np.asarray(y_true, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@mutant("mse", names="summed instead of averaged")
def mse(y_pred, y_true):
    return float(np.sum((np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)) ** 2))


@mutant("mse", names="function changes its inputs in place")
def mse(y_pred, y_true):
    y_pred = np.asarray(y_pred, dtype=float)
    y_pred -= np.asarray(y_true, dtype=float)
    return float(np.mean(y_pred ** 2))


@mutant("mse", names="differences not squared")
def mse(y_pred, y_true):
    # mean absolute error: the differences are not squared
    return float(np.mean(np.abs(np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float))))


# ----------------------------------------------------------------------------------------------
# collapse_linear_layers, accuracy


@mutant("collapse_linear_layers", names="layers composed in the wrong order")
def collapse_linear_layers(W1, b1, W2, b2):
    W1, b1 = np.asarray(W1, dtype=float), np.asarray(b1, dtype=float)
    W2, b2 = np.asarray(W2, dtype=float), np.asarray(b2, dtype=float)
    return W1 @ W2, W2 @ b1 + b2


@mutant("collapse_linear_layers", names="first layer's bias not passed through W2")
def collapse_linear_layers(W1, b1, W2, b2):
    W1, W2 = np.asarray(W1, dtype=float), np.asarray(W2, dtype=float)
    return W2 @ W1, np.asarray(b2, dtype=float)


@mutant("collapse_linear_layers", names="first layer's bias not passed through W2")
def collapse_linear_layers(W1, b1, W2, b2):
    W1, W2 = np.asarray(W1, dtype=float), np.asarray(W2, dtype=float)
    return W2 @ W1, np.asarray(b1, dtype=float) + np.asarray(b2, dtype=float)


@mutant("collapse_linear_layers", names="function changes its inputs in place")
def collapse_linear_layers(W1, b1, W2, b2):
    W1, b1 = np.asarray(W1, dtype=float), np.asarray(b1, dtype=float)
    W2, b2 = np.asarray(W2, dtype=float), np.asarray(b2, dtype=float)
    b2 += W2 @ b1
    return W2 @ W1, b2


@mutant("accuracy", names="accuracy compared with one-hot targets without argmax")
def accuracy(y_pred, y_true):
    return float(np.mean(np.argmax(np.asarray(y_pred), axis=1) == np.asarray(y_true)))


@mutant("accuracy", names="counted correct rows instead of the fraction")
def accuracy(y_pred, y_true):
    y_true = np.asarray(y_true)
    if y_true.ndim == 2:
        y_true = np.argmax(y_true, axis=1)
    return float(np.sum(np.argmax(np.asarray(y_pred), axis=1) == y_true))


@mutant("accuracy", names="function changes its inputs in place")
def accuracy(y_pred, y_true):
    y_pred = np.asarray(y_pred, dtype=float)
    y_pred /= y_pred.sum(axis=1, keepdims=True)  # "turn scores into probabilities"
    y_true = np.asarray(y_true)
    if y_true.ndim == 2:
        y_true = np.argmax(y_true, axis=1)
    return float(np.mean(np.argmax(y_pred, axis=1) == y_true))


# ----------------------------------------------------------------------------------------------
# Conventions that textbooks and course code teach differently from this course


@mutant("mse", names="half the squared error")
def mse(y_pred, y_true):
    diff = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
    return float(0.5 * np.sum(diff ** 2))


@mutant("one_hot", names="integer one-hot")
def one_hot(labels, n_classes):
    labels = np.asarray(labels)
    out = np.zeros((labels.size, n_classes), dtype=np.uint8)
    out[np.arange(labels.size), labels] = 1
    return out


@mutant("categorical_cross_entropy", names="handles only one form of labels")
def categorical_cross_entropy(y_pred, y_true):
    # class indices only: one-hot targets index the wrong entries
    y_pred = np.clip(np.asarray(y_pred, dtype=float), 1e-7, 1 - 1e-7)
    y_true = np.asarray(y_true).astype(int)
    return float(-np.mean(np.log(y_pred[np.arange(len(y_pred)), y_true])))


@mutant("accuracy", names="handles only one form of labels")
def accuracy(y_pred, y_true):
    # one-hot targets only
    return float(np.mean(np.argmax(y_pred, axis=1) == np.argmax(y_true, axis=1)))
