# ruff: noqa: F811
"""Acceptable answers to 02_backpropagation written otherwise than the reference (see
__init__.py)."""

import numpy as np

from autograder.variants import edit, variant

edit("relu_backward", "np.where on z > 0",
     "return dvalues * (np.asarray(z, dtype=float) > 0)",
     "return np.where(np.asarray(z) > 0, dvalues, 0.0)")


@variant("sigmoid_backward", "a sigmoid that clips z to [-500, 500]")
def sigmoid_backward(dvalues, z):
    s = 1 / (1 + np.exp(-np.clip(z, -500, 500)))
    return dvalues * s * (1 - s)


edit("tanh_backward", "float32 result", "return np.asarray(dvalues, dtype=float) * (1 - t**2)",
     "return (np.asarray(dvalues, dtype=float) * (1 - t**2)).astype(np.float32)")


@variant("dense_backward", "np.dot and np.sum, returning a list")
def dense_backward(dvalues, X, W):
    return [np.dot(dvalues, W), np.dot(np.transpose(dvalues), X), np.sum(dvalues, axis=0)]


edit("mse_backward", "float32 result", "return 2 * (y_pred - y_true) / y_pred.size",
     "return (2 * (y_pred - y_true) / y_pred.size).astype(np.float32)")
edit("categorical_cross_entropy_backward", "-y / (p + 1e-7) / n, the backward of log(p + 1e-7)",
     "clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)", "clipped = y_pred + 1e-7")
edit("categorical_cross_entropy_backward", "float32 result",
     "return -np.asarray(y_true, dtype=float) / clipped / len(y_pred)",
     "return (-np.asarray(y_true, dtype=float) / clipped / len(y_pred)).astype(np.float32)")


@variant("softmax_cross_entropy_backward", "subtract 1 at each true class, in a loop")
def softmax_cross_entropy_backward(probs, y_true):
    dz = np.array(probs, dtype=float)
    labels = np.asarray(y_true)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    for n in range(len(dz)):
        dz[n, labels[n]] -= 1
    return dz / len(dz)


@variant("single_neuron_gradients", "NumPy scalars instead of floats")
def single_neuron_gradients(x, w, b, target):
    error = np.float64(w * x + b - target)
    return 2 * error * x, 2 * error


edit("lecture_layer_gradients", "loops over the neurons, returning lists",
     "    return np.outer(dz, x), dz",
     "    return [[float(d * xk) for xk in x] for d in dz], [float(d) for d in dz]")


@variant("numerical_gradient", "np.nditer over a copy of x")
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        up = f(x)
        x[index] = old - h
        down = f(x)
        x[index] = old
        grad[index] = (up - down) / (2 * h)
    return grad


edit("two_hidden_layer_gradients", "float32 results",
     'return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}',
     'grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}\n'
     '    return {k: g.astype(np.float32) for k, g in grads.items()}')
