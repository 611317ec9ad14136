"""Diagnosis mutants for the conventions of parameters and constants (joined to cases.MUTANTS):
a network that stores W as the nnfs book does (its forward pass and its gradients), one that
puts the samples in columns (and one that also returns a tuple and normalises each class over
the samples), a loss that clips at another epsilon, an argument overwritten by a constant, an
`if` that takes one number only and an `all` that walks the rows; a function mixed up with its
neighbour, a 1-D-only loop (one that indexes, one that compares each row, one that builds a
vector of x.size), a builtin of Python 2, a method given self twice, a perceptron's
sigmoid(w . x), the binary cross-entropy's derivative for the categorical one, samples along a
row (1, m), a module the grading environment lacks, a step count never used, a convention with
its upstream gradient left out, one number where an array belongs, a size written into the
code, a helper's tuple used as one array, a softmax normalised over the whole batch, a name
defined nowhere (a typo), a local variable read before its assignment, Nesterov's momentum and
softmax's shift by the maximum copied into the sigmoid, and vectors taken as columns (n, 1).
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
    (B, "two_hidden_layer_gradients", "probe-weights-as-inputs-by-neurons", """
def two_hidden_layer_gradients(x, params, target):
    W1, b1, W2, b2, W3, b3 = (params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    z1 = x @ W1 + b1
    a1 = np.maximum(0, z1)
    z2 = a1 @ W2 + b2
    a2 = np.maximum(0, z2)
    out = a2 @ W3 + b3
    dz3 = 2 * (out - target) / out.size
    dz2 = (dz3 @ W3.T) * (z2 > 0)
    dz1 = (dz2 @ W2.T) * (z1 > 0)
    return {"dW1": x.T @ dz1, "db1": dz1.sum(axis=0), "dW2": a1.T @ dz2,
            "db2": dz2.sum(axis=0), "dW3": a2.T @ dz3, "db3": dz3.sum(axis=0)}
"""),
    (T, "forward", "normalised-over-the-whole-array", """
def forward(params, X):
    hidden = np.maximum(0, X @ params["W1"].T + params["b1"])
    logits = hidden @ params["W2"].T + params["b2"]
    e = np.exp(logits - logits.max())
    return e / e.sum()
"""),
    (T, "forward", "probe-samples-as-columns", """
def forward(params, X):
    hidden = np.maximum(0, params["W1"] @ X + params["b1"])
    logits = params["W2"] @ hidden + params["b2"]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True), (hidden, logits)
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
    (B, "tanh_backward", "function-sigmoid-for-tanh", """
def tanh_backward(dvalues, z):
    s = 1 / (1 + np.exp(-z))
    return dvalues * (1 - s ** 2)
"""),
    (F, "binary_cross_entropy", "function-log10-for-log", """
def binary_cross_entropy(y_pred, y_true):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return float(-np.mean(y_true * np.log10(p) + (1 - y_true) * np.log10(1 - p)))
"""),
    (T, "forward", "function-tanh-for-relu", """
def forward(params, X):
    hidden = np.tanh(X @ params["W1"].T + params["b1"])
    logits = hidden @ params["W2"].T + params["b2"]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
"""),
    (B, "numerical_gradient", "probe-needs-1d", """
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad
"""),
    (O, "adagrad_update", "probe-needs-1d", """
def adagrad_update(w, dw, cache, learning_rate, epsilon=1e-7):
    assert all(cache >= 0), "the cache is a sum of squares"
    cache = cache + dw ** 2
    return w - learning_rate * dw / (np.sqrt(cache) + epsilon), cache
"""),
    (F, "tanh", "probe-needs-1d", """
def tanh(z):
    import math
    return np.array([math.tanh(v) if abs(v) < 20 else math.copysign(1.0, v) for v in z])
"""),
    (B, "numerical_gradient", "probe-needs-1d", """
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros(x.size)
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad
"""),
    (F, "sigmoid", "method-argument-too-many", """
def sigmoid(z):
    class Sigmoid:
        def exp(self, z):
            return np.exp(-np.logaddexp(0, -z))
        def __call__(self, z):
            return self.exp(self, z)
    return Sigmoid()(z)
"""),
    (F, "neuron_forward", "activation-without-bias-sigmoid", """
def neuron_forward(x, w, b):
    return float(1 / (1 + np.exp(-np.dot(x, w))))
"""),
    (F, "matrix_vector_product", "python-2-builtin", """
def matrix_vector_product(B, a):
    return np.array([reduce(lambda s, t: s + t, row * a) for row in B])
"""),
    (B, "categorical_cross_entropy_backward", "convention-binary-ce-derivative", """
def categorical_cross_entropy_backward(y_pred, y_true):
    y = np.asarray(y_true)
    if y.ndim == 1:
        y = np.eye(y_pred.shape[1])[y]
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return (-y / p + (1 - y) / (1 - p)) / len(p)
"""),
    (F, "binary_cross_entropy", "probe-samples-as-row", """
def binary_cross_entropy(y_pred, y_true):
    m = y_true.shape[1]
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return float(-np.sum(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)) / m)
"""),
    (F, "mse", "module-not-available", """
def mse(y_pred, y_true):
    from nnfs_course_helpers import mean_squared_error
    return mean_squared_error(y_true, y_pred)
"""),
    (O, "adam_update", "argument-fixed", """
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat, v_hat = m / (1 - beta1), v / (1 - beta2)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v
"""),
    (B, "tanh_backward", "convention-derivative-of-output", """
def tanh_backward(dvalues, z):
    return 1 - z ** 2
"""),
    (T, "init_params", "bias-as-column", """
def init_params(n_inputs, n_hidden, n_outputs, seed):
    rng = np.random.default_rng(seed)
    return {"W1": np.sqrt(2.0 / n_inputs) * rng.standard_normal((n_hidden, n_inputs)),
            "b1": np.zeros((n_hidden, 1)),
            "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((n_outputs, n_hidden)),
            "b2": np.zeros((n_outputs, 1))}
"""),
    (B, "mse_backward", "reduced-to-a-number", """
def mse_backward(y_pred, y_true):
    return float(np.sum(2 * (y_pred - y_true) / np.size(y_pred)))
"""),
    (F, "accuracy", "hard-coded-size", """
def accuracy(y_pred, y_true):
    y = np.asarray(y_true)
    if y.ndim == 2:
        y = y.argmax(axis=1)
    return float(np.mean(y_pred.reshape(-1, 10).argmax(axis=1) == y))
"""),
    (B, "sigmoid_backward", "tuple-used-as-array", """
def sigmoid_backward(dvalues, z):
    def activation(z):
        return 1 / (1 + np.exp(-z)), z
    s = activation(z)
    return dvalues * (1 - s) * s
"""),
    (O, "sgd_update", "name-not-defined", """
def sgd_update(w, dw, learning_rate):
    return w - lr * dw
"""),
    (F, "mse", "local-read-before-assignment", """
def mse(y_pred, y_true):
    total = total + np.sum((y_pred - y_true) ** 2)
    return float(total / np.size(y_pred))
"""),
    (O, "momentum_update", "convention-nesterov", """
def momentum_update(w, dw, velocity, learning_rate, momentum):
    v = momentum * velocity - learning_rate * dw
    return w + momentum * v - learning_rate * dw, v
"""),
    (F, "sigmoid", "input-minus-max", """
def sigmoid(z):
    e = np.exp(z - np.max(z))
    return e / (1 + e)
"""),
    (F, "dot_product", "probe-vectors-as-columns", """
def dot_product(a, b):
    return float(sum(a[i, 0] * b[i, 0] for i in range(a.shape[0])))
"""),
]
