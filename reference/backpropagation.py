"""Reference solutions of assignment 02_backpropagation (workshop 002; lecture 000).

Every function is pure: it returns new arrays and leaves its arguments as they were. `dfoo` means
dLoss/dfoo and has `foo`'s shape. A batch is rows; a dense layer's output is `X @ W.T + b`.
"""

import numpy as np

from reference.forward_pass import one_hot, relu, sigmoid


def relu_backward(dvalues, z):
    """Gradient through ReLU: dz = dvalues * 1(z > 0).

    dvalues: upstream gradient dL/da of the output a = relu(z), any shape; z: the
    pre-activations, same shape.
    Returns dz, same shape as z; ReLU's derivative is taken as 0 at z == 0 (lecture 000).
    """
    dvalues = np.asarray(dvalues, dtype=float)
    return dvalues * (np.asarray(z, dtype=float) > 0)


def sigmoid_backward(dvalues, z):
    """Gradient through the sigmoid: dz = dvalues * s * (1 - s), with s = sigmoid(z).

    dvalues: upstream gradient dL/da of the output a = sigmoid(z), any shape; z: the
    pre-activations, same shape.
    Returns dz, same shape as z.
    """
    s = sigmoid(np.asarray(z, dtype=float))
    return np.asarray(dvalues, dtype=float) * s * (1 - s)


def tanh_backward(dvalues, z):
    """Gradient through tanh: dz = dvalues * (1 - np.tanh(z)**2).

    dvalues: upstream gradient dL/da of the output a = tanh(z), any shape; z: the
    pre-activations, same shape.
    Returns dz, same shape as z.
    """
    t = np.tanh(np.asarray(z, dtype=float))
    return np.asarray(dvalues, dtype=float) * (1 - t**2)


def dense_backward(dvalues, X, W):
    """Gradients of a dense layer: dX = dvalues @ W, dW = dvalues.T @ X, db = sum_n dvalues.

    dvalues: (n, m) upstream gradient dL/dZ of the layer's output Z = X @ W.T + b;
    X: (n, d) inputs; W: (m, d) weights.
    Returns (dX (n, d), dW (m, d), db (m,)).
    """
    dvalues = np.asarray(dvalues, dtype=float)
    X = np.asarray(X, dtype=float)
    W = np.asarray(W, dtype=float)
    dX = dvalues @ W
    dW = dvalues.T @ X
    # b is added to every sample, so each sample's gradient flows into it
    db = dvalues.sum(axis=0)
    return dX, dW, db


def mse_backward(y_pred, y_true):
    """Gradient of the mean squared error: dy_pred = 2 * (y_pred - y_true) / N.

    y_pred, y_true: arrays of the same shape; N = y_pred.size (the loss is a mean over elements).
    Returns dy_pred, same shape as y_pred.
    """
    y_pred = np.asarray(y_pred, dtype=float)
    y_true = np.asarray(y_true, dtype=float)
    return 2 * (y_pred - y_true) / y_pred.size


def categorical_cross_entropy_backward(y_pred, y_true):
    """Gradient of the mean cross-entropy: dy_pred = -onehot / clip(y_pred) / n.

    y_pred: (n, k) predicted probabilities; y_true: (n,) class indices or (n, k) one-hot.
    Predictions are clipped to [1e-7, 1 - 1e-7] as in the forward pass, so p = 0 gives no inf.
    Returns dy_pred (n, k).
    """
    y_pred = np.asarray(y_pred, dtype=float)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        y_true = one_hot(y_true, y_pred.shape[1])
    clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return -np.asarray(y_true, dtype=float) / clipped / len(y_pred)


def softmax_cross_entropy_backward(probs, y_true):
    """Gradient of the mean cross-entropy of softmax(z) w.r.t. the logits z: (probs - onehot) / n.

    probs: (n, k) softmax outputs; y_true: (n,) class indices or (n, k) one-hot.
    Returns dz (n, k).
    """
    probs = np.asarray(probs, dtype=float)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        y_true = one_hot(y_true, probs.shape[1])
    return (probs - np.asarray(y_true, dtype=float)) / len(probs)


def single_neuron_gradients(x, w, b, target):
    """The workshop's neuron: dC/dw = 2(output - target) * x, dC/db = 2(output - target).

    x, w, b, target: numbers; output = w * x + b and C = (output - target)**2.
    Returns (dC_dw, dC_db) as floats.
    """
    output = w * x + b
    dC_doutput = 2 * (output - target)
    # d output / d w = x and d output / d b = 1: the last links of the chain
    return float(dC_doutput * x), float(dC_doutput)


def lecture_layer_gradients(x, W, b):
    """Lecture 000's layer: L = (sum_j relu(z_j))**2 with z = W @ x + b; dW_jk = 2y 1(z_j > 0) x_k.

    x: (d,) one input; W: (m, d) weights; b: (m,) biases; y = sum_j relu(z_j).
    Returns (dW (m, d), db (m,)), with db_j = 2y 1(z_j > 0).
    """
    x = np.asarray(x, dtype=float)
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    z = W @ x + b
    y = np.sum(relu(z))
    # dL/dy = 2y, dy/da_j = 1, da_j/dz_j = 1(z_j > 0)
    dz = 2 * y * (z > 0)
    # dz_j/dW_jk = x_k, dz_j/db_j = 1
    return np.outer(dz, x), dz


def numerical_gradient(f, x, h=1e-5):
    """Central differences: grad_i = (f(x + h e_i) - f(x - h e_i)) / (2h) for every element i.

    f: a function of an array shaped like x, returning a number; x: array of any shape; h: step.
    Returns grad, same shape as x.
    """
    # a private copy to nudge: the caller's x is never touched
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        f_plus = f(x)
        x.flat[i] = old - h
        f_minus = f(x)
        x.flat[i] = old
        grad.flat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def two_hidden_layer_gradients(x, params, target):
    """The workshop's ReLU regression net x -> h -> h -> 1, loss C = mean((out - target)**2).

    x: (n, 1) inputs; target: (n, 1); params: W1 (h, 1), b1 (h,), W2 (h, h), b2 (h,), W3 (1, h),
    b3 (1,). Forward: H1 = relu(x @ W1.T + b1), H2 = relu(H1 @ W2.T + b2), out = H2 @ W3.T + b3.
    Returns {"dW1", "db1", "dW2", "db2", "dW3", "db3"}, each shaped like its parameter.
    """
    x = np.asarray(x, dtype=float)
    target = np.asarray(target, dtype=float)
    W1, b1, W2, b2, W3, b3 = (np.asarray(params[k], dtype=float)
                              for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    z1 = x @ W1.T + b1
    H1 = relu(z1)
    z2 = H1 @ W2.T + b2
    H2 = relu(z2)
    out = H2 @ W3.T + b3
    # dC/dO = 2(O - O_des), divided by the number of outputs because C is a mean
    dout = 2 * (out - target) / out.size
    dW3 = dout.T @ H2
    db3 = dout.sum(axis=0)
    dz2 = (dout @ W3) * (z2 > 0)  # dO/dH2 = w3, dH2/dz2 = 1(z2 > 0)
    dW2 = dz2.T @ H1
    db2 = dz2.sum(axis=0)
    dz1 = (dz2 @ W2) * (z1 > 0)  # dz2/dH1 = w2, dH1/dz1 = 1(z1 > 0)
    dW1 = dz1.T @ x
    db1 = dz1.sum(axis=0)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}
