# ruff: noqa: F811
"""Known-wrong backward passes the graders of 02_backpropagation must catch (and name, where
`names` is set). Each is what a student who makes exactly that one mistake would write."""

import numpy as np

from autograder.mutants import edit, mutant
from reference.forward_pass import one_hot, relu, sigmoid

# ----------------------------------------------------------------------------------------------
# relu_backward


@mutant("relu_backward", names="`z >= 0` in ReLU's backward", edge="relu-0")
def relu_backward(dvalues, z):
    return np.asarray(dvalues, dtype=float) * (np.asarray(z) >= 0)


@mutant("relu_backward", names="inputs modified in place")
def relu_backward(dvalues, z):
    dvalues[z <= 0] = 0
    return dvalues


@mutant("relu_backward", names="ReLU's mask taken from dvalues instead of z")
def relu_backward(dvalues, z):
    # the mask taken from the upstream gradient instead of from z
    return dvalues * (dvalues > 0)


# ----------------------------------------------------------------------------------------------
# sigmoid_backward and tanh_backward


@mutant("sigmoid_backward", names="sigmoid's derivative taken of `z` instead of `sigmoid(z)`")
def sigmoid_backward(dvalues, z):
    return dvalues * z * (1 - z)


@mutant("sigmoid_backward", names="upstream gradient not multiplied in")
def sigmoid_backward(dvalues, z):
    s = sigmoid(z)
    return s * (1 - s)


@mutant("tanh_backward", names="tanh's derivative taken of `z` instead of `tanh(z)`")
def tanh_backward(dvalues, z):
    return dvalues * (1 - z**2)


@mutant("tanh_backward", names="tanh's derivative without the square")
def tanh_backward(dvalues, z):
    return dvalues * (1 - np.tanh(z))


edit("sigmoid_backward", "sigmoid from exp(z) / (1 + exp(z)) overflows in the backward pass",
     "    s = sigmoid(np.asarray(z, dtype=float))",
     "    z = np.asarray(z, dtype=float)\n    s = np.exp(z) / (1 + np.exp(z))", edge="sigmoid-1000")
edit("tanh_backward", "tanh from exponentials overflows in the backward pass",
     "    t = np.tanh(np.asarray(z, dtype=float))",
     "    z = np.asarray(z, dtype=float)\n"
     "    t = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))", edge="tanh-1000")


# ----------------------------------------------------------------------------------------------
# dense_backward


@mutant("dense_backward", names="`db` not summed over the batch")
def dense_backward(dvalues, X, W):
    return dvalues @ W, dvalues.T @ X, dvalues


@mutant("dense_backward", names="`dW` transposed")
def dense_backward(dvalues, X, W):
    return dvalues @ W, X.T @ dvalues, dvalues.sum(axis=0)


@mutant("dense_backward", names="`W.T` where `W` belongs in dX")
def dense_backward(dvalues, X, W):
    return dvalues @ W.T, dvalues.T @ X, dvalues.sum(axis=0)


@mutant("dense_backward", names="`db` averaged instead of summed")
def dense_backward(dvalues, X, W):
    # the mean over the batch instead of the sum
    return dvalues @ W, dvalues.T @ X, dvalues.mean(axis=0)


# ----------------------------------------------------------------------------------------------
# mse_backward


@mutant("mse_backward", names="a missing `1/n`")
def mse_backward(y_pred, y_true):
    return 2 * (y_pred - y_true)


@mutant("mse_backward", names="MSE gradient divided by the samples, not every element")
def mse_backward(y_pred, y_true):
    # divided by the samples, not by every element
    return 2 * (y_pred - y_true) / len(y_pred)


@mutant("mse_backward", names="`target - output` instead of `output - target`")
def mse_backward(y_pred, y_true):
    return 2 * (y_true - y_pred) / y_pred.size


# ----------------------------------------------------------------------------------------------
# categorical_cross_entropy_backward


@mutant("categorical_cross_entropy_backward", names="a missing `1/n`")
def categorical_cross_entropy_backward(y_pred, y_true):
    if y_true.ndim == 1:
        y_true = one_hot(y_true, y_pred.shape[1])
    return -y_true / np.clip(y_pred, 1e-7, 1 - 1e-7)


@mutant("categorical_cross_entropy_backward", names="no clipping (inf or nan at p = 0)",
        edge=("p-0", "p-1"))
def categorical_cross_entropy_backward(y_pred, y_true):
    if y_true.ndim == 1:
        y_true = one_hot(y_true, y_pred.shape[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        return -y_true / y_pred / len(y_pred)


@mutant("categorical_cross_entropy_backward", names="inputs modified in place")
def categorical_cross_entropy_backward(y_pred, y_true):
    if y_true.ndim == 1:
        y_true = one_hot(y_true, y_pred.shape[1])
    np.clip(y_pred, 1e-7, 1 - 1e-7, out=y_pred)
    return -y_true / y_pred / len(y_pred)


@mutant("categorical_cross_entropy_backward", names="the minus of -ln(p) lost")
def categorical_cross_entropy_backward(y_pred, y_true):
    # the minus sign of -ln(p) lost
    if y_true.ndim == 1:
        y_true = one_hot(y_true, y_pred.shape[1])
    return y_true / np.clip(y_pred, 1e-7, 1 - 1e-7) / len(y_pred)


# ----------------------------------------------------------------------------------------------
# softmax_cross_entropy_backward


@mutant("softmax_cross_entropy_backward", names="a missing `1/n`")
def softmax_cross_entropy_backward(probs, y_true):
    if y_true.ndim == 1:
        y_true = one_hot(y_true, probs.shape[1])
    return probs - y_true


@mutant("softmax_cross_entropy_backward", names="inputs modified in place")
def softmax_cross_entropy_backward(probs, y_true):
    # the book's version without its .copy()
    if y_true.ndim == 2:
        y_true = np.argmax(y_true, axis=1)
    probs[range(len(probs)), y_true] -= 1
    return probs / len(probs)


# ----------------------------------------------------------------------------------------------
# single_neuron_gradients


@mutant("single_neuron_gradients", names="`target - output` instead of `output - target`")
def single_neuron_gradients(x, w, b, target):
    error = 2 * (target - (w * x + b))
    return error * x, error


@mutant("single_neuron_gradients", names="the last link of the chain dropped")
def single_neuron_gradients(x, w, b, target):
    error = 2 * (w * x + b - target)
    return error, error


# ----------------------------------------------------------------------------------------------
# lecture_layer_gradients


@mutant("lecture_layer_gradients", names="`z >= 0` in ReLU's backward")
def lecture_layer_gradients(x, W, b):
    z = W @ x + b
    dz = 2 * np.sum(relu(z)) * (z >= 0)
    return np.outer(dz, x), dz


@mutant("lecture_layer_gradients", names="ReLU's derivative left out of the chain")
def lecture_layer_gradients(x, W, b):
    z = W @ x + b
    dz = 2 * np.sum(relu(z)) * np.ones_like(z)
    return np.outer(dz, x), dz


@mutant("lecture_layer_gradients", names="`dW` transposed")
def lecture_layer_gradients(x, W, b):
    z = W @ x + b
    dz = 2 * np.sum(relu(z)) * (z > 0)
    return np.outer(x, dz), dz


@mutant("lecture_layer_gradients", names="y summed over z instead of relu(z)")
def lecture_layer_gradients(x, W, b):
    # y summed over z, not over relu(z)
    z = W @ x + b
    dz = 2 * np.sum(z) * (z > 0)
    return np.outer(dz, x), dz


# ----------------------------------------------------------------------------------------------
# numerical_gradient


@mutant("numerical_gradient", names="a one-sided difference instead of a central one")
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    base = f(x)
    for i in range(x.size):
        nudged = x.copy()
        nudged.flat[i] += h
        grad.flat[i] = (f(nudged) - base) / h
    return grad


@mutant("numerical_gradient", names="inputs modified in place")
def numerical_gradient(f, x, h=1e-5):
    # nudges the caller's array and never puts the values back
    grad = np.zeros_like(x)
    for i in range(x.size):
        x.flat[i] += h
        f_plus = f(x)
        x.flat[i] -= 2 * h
        grad.flat[i] = (f_plus - f(x)) / (2 * h)
    return grad


@mutant("numerical_gradient", names="ignores the h it is given")
def numerical_gradient(f, x, h=1e-5):
    # ignores the h it is given
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        plus, minus = x.copy(), x.copy()
        plus.flat[i] += 1e-5
        minus.flat[i] -= 1e-5
        grad.flat[i] = (f(plus) - f(minus)) / 2e-5
    return grad


# ----------------------------------------------------------------------------------------------
# two_hidden_layer_gradients


@mutant("two_hidden_layer_gradients", names="a missing `1/n`")
def two_hidden_layer_gradients(x, params, target):
    W1, b1, W2, b2, W3, b3 = (params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    z1 = x @ W1.T + b1
    H1 = relu(z1)
    z2 = H1 @ W2.T + b2
    H2 = relu(z2)
    dout = 2 * (H2 @ W3.T + b3 - target)
    dz2 = (dout @ W3) * (z2 > 0)
    dz1 = (dz2 @ W2) * (z1 > 0)
    return {"dW1": dz1.T @ x, "db1": dz1.sum(axis=0), "dW2": dz2.T @ H1, "db2": dz2.sum(axis=0),
            "dW3": dout.T @ H2, "db3": dout.sum(axis=0)}


@mutant("two_hidden_layer_gradients", names="ReLU's derivative left out of the chain")
def two_hidden_layer_gradients(x, params, target):
    W1, b1, W2, b2, W3, b3 = (params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    H1 = relu(x @ W1.T + b1)
    H2 = relu(H1 @ W2.T + b2)
    dout = 2 * (H2 @ W3.T + b3 - target) / len(x)
    dz2 = dout @ W3
    dz1 = dz2 @ W2
    return {"dW1": dz1.T @ x, "db1": dz1.sum(axis=0), "dW2": dz2.T @ H1, "db2": dz2.sum(axis=0),
            "dW3": dout.T @ H2, "db3": dout.sum(axis=0)}


@mutant("two_hidden_layer_gradients", names="`dW` transposed")
def two_hidden_layer_gradients(x, params, target):
    W1, b1, W2, b2, W3, b3 = (params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    z1 = x @ W1.T + b1
    H1 = relu(z1)
    z2 = H1 @ W2.T + b2
    H2 = relu(z2)
    dout = 2 * (H2 @ W3.T + b3 - target) / len(x)
    dz2 = (dout @ W3) * (z2 > 0)
    dz1 = (dz2 @ W2) * (z1 > 0)
    # the middle layer's dW the wrong way round: square, so only the values betray it
    return {"dW1": dz1.T @ x, "db1": dz1.sum(axis=0), "dW2": H1.T @ dz2, "db2": dz2.sum(axis=0),
            "dW3": dout.T @ H2, "db3": dout.sum(axis=0)}


@mutant("two_hidden_layer_gradients", names="inputs modified in place")
def two_hidden_layer_gradients(x, params, target):
    W1, b1, W2, b2, W3, b3 = (params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    z1 = x @ W1.T + b1
    H1 = relu(z1)
    z2 = H1 @ W2.T + b2
    H2 = relu(z2)
    dout = 2 * (H2 @ W3.T + b3 - target) / len(x)
    dz2 = (dout @ W3) * (z2 > 0)
    dz1 = (dz2 @ W2) * (z1 > 0)
    grads = {"dW1": dz1.T @ x, "db1": dz1.sum(axis=0), "dW2": dz2.T @ H1,
             "db2": dz2.sum(axis=0), "dW3": dout.T @ H2, "db3": dout.sum(axis=0)}
    # the workshop's step 3 (update the weights) done here, on the caller's arrays
    for k in params:
        params[k] -= 0.01 * grads["d" + k]
    return grads


# ----------------------------------------------------------------------------------------------
# Conventions that textbooks and course code teach differently from this course


@mutant("dense_backward", names="keepdims left an extra axis")
def dense_backward(dvalues, X, W):
    return dvalues @ W, dvalues.T @ X, np.sum(dvalues, axis=0, keepdims=True)


@mutant("mse_backward", names="MSE gradient without the factor 2")
def mse_backward(y_pred, y_true):
    return (y_pred - y_true) / y_pred.size
