"""The answers that prove the diagnosis: one mutant per relation, convention and probe, which
must be told that mistake and no other, and acceptable variants, which must be told none.

Each case is (assignment, function, expected id or None, source of the answer). `nnfs-course
validate` grades them in-process against the hidden graders (autograder/validate/diagnosis.py),
and so does tests/graders/test_diagnosis.py.
"""

from __future__ import annotations

from autograder.diagnosis import cases_combined, cases_conventions, cases_inputs
from autograder.diagnosis.aliases import ALIASES  # noqa: F401 (imported from here)

F, B, O, T = "01_forward_pass", "02_backpropagation", "03_optimizers", "04_training"

MUTANTS = [
    (B, "lecture_layer_gradients", "transposed", """
def lecture_layer_gradients(x, W, b):
    z = W @ x + b
    dz = 2 * np.sum(np.maximum(0, z)) * (z > 0)
    return np.outer(x, dz), dz
"""),
    (O, "sgd_update", "negated", """
def sgd_update(w, dw, learning_rate):
    return w + learning_rate * dw
"""),
    (O, "decayed_learning_rate", "scaled-half", """
def decayed_learning_rate(initial_lr, decay, iteration):
    return 0.5 * initial_lr / (1 + decay * iteration)
"""),
    (B, "single_neuron_gradients", "scaled-double", """
def single_neuron_gradients(x, w, b, target):
    error = w * x + b - target
    return 4 * error * x, 4 * error
"""),
    (B, "softmax_cross_entropy_backward", "scaled-times-n", """
def softmax_cross_entropy_backward(probs, y_true):
    y = np.asarray(y_true)
    onehot = np.eye(probs.shape[1])[y] if y.ndim == 1 else y
    return probs - onehot
"""),
    (B, "dense_backward", "convention-ng-mean-in-dw", """
def dense_backward(dvalues, X, W):
    n = len(dvalues)
    return dvalues @ W, dvalues.T @ X / n, dvalues.sum(axis=0) / n
"""),
    (B, "mse_backward", "convention-nielsen-half-squares", """
def mse_backward(y_pred, y_true):
    return y_pred - y_true
"""),
    (F, "relu", "shifted", """
def relu(z):
    return np.maximum(0, z) + 0.01
"""),
    (B, "sigmoid_backward", "times-input", """
def sigmoid_backward(dvalues, z):
    s = 1 / (1 + np.exp(-z))
    return dvalues * dvalues * s * (1 - s)
"""),
    (F, "categorical_cross_entropy", "not-reduced-mean", """
def categorical_cross_entropy(y_pred, y_true):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    y = np.asarray(y_true)
    if y.ndim == 1:
        return -np.log(p[np.arange(len(p)), y])
    return -np.sum(y * np.log(p), axis=1)
"""),
    (B, "dense_backward", "wrong-axis", """
def dense_backward(dvalues, X, W):
    return dvalues @ W, dvalues.T @ X, dvalues.sum(axis=1)
"""),
    (O, "minibatch_indices", "last-batch-dropped", """
def minibatch_indices(n_samples, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples - batch_size + 1, batch_size)]
"""),
    (O, "minibatch_indices", "convention-legacy-random-state", """
def minibatch_indices(n_samples, batch_size, seed):
    np.random.seed(seed)
    order = np.random.permutation(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]
"""),
    (F, "softmax", "rows-first-only", """
def softmax(z):
    z = np.asarray(z, dtype=float)
    out = np.zeros_like(z)
    for i, row in enumerate(np.atleast_2d(z)):
        e = np.exp(row - row.max())
        if z.ndim == 1:
            return e / e.sum()
        out[i] = e / e.sum()
        return out
"""),
    # a non-finite sigmoid is the graders' own "overflows"; a loss at p = 0 beside other p is not
    (F, "categorical_cross_entropy", "not-finite-nan", """
def categorical_cross_entropy(y_pred, y_true):
    y = np.asarray(y_true)
    onehot = np.eye(y_pred.shape[1])[y] if y.ndim == 1 else y
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.mean(np.sum(onehot * np.log(y_pred), axis=1)))
"""),
    (O, "momentum_update", "convention-torch-velocity", """
def momentum_update(w, dw, velocity, learning_rate, momentum):
    v = momentum * velocity + dw
    return w - learning_rate * v, v
"""),
    (O, "adagrad_update", "convention-eps-inside-sqrt", """
def adagrad_update(w, dw, cache, learning_rate, epsilon=1e-7):
    cache = cache + dw ** 2
    return w - learning_rate * dw / np.sqrt(cache + epsilon), cache
"""),
    (O, "adam_update", "argument-off-by-one", """
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    t = t + 1
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v
"""),
    (O, "rmsprop_update", "argument-default", """
def rmsprop_update(w, dw, cache, learning_rate, rho=0.9, epsilon=1e-7):
    cache = 0.9 * cache + 0.1 * dw ** 2
    return w - learning_rate * dw / (np.sqrt(cache) + epsilon), cache
"""),
    (B, "categorical_cross_entropy_backward", "neighbour-softmax_cross_entropy_backward", """
def categorical_cross_entropy_backward(y_pred, y_true):
    y = np.asarray(y_true)
    onehot = np.eye(y_pred.shape[1])[y] if y.ndim == 1 else y
    return (y_pred - onehot) / len(y_pred)
"""),
    (F, "categorical_cross_entropy", "convention-logits-input", """
def categorical_cross_entropy(y_pred, y_true):
    z = y_pred - y_pred.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    y = np.asarray(y_true)
    onehot = np.eye(z.shape[1])[y] if y.ndim == 1 else y
    return float(-np.mean(np.sum(onehot * logp, axis=1)))
"""),
    (F, "dense_forward", "bias-as-column", """
def dense_forward(X, W, b):
    return (W @ X.T + b).T
"""),
    (F, "softmax", "probe-needs-2d", """
def softmax(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)
"""),
    (F, "categorical_cross_entropy", "probe-labels-one-hot-only", """
def categorical_cross_entropy(y_pred, y_true):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return float(-np.mean(np.sum(y_true * np.log(p), axis=1)))
"""),
    (F, "accuracy", "probe-labels-indices-only", """
def accuracy(y_pred, y_true):
    if np.ndim(y_true) != 1:
        raise ValueError("labels must be indices")
    return float(np.mean(np.argmax(y_pred, axis=1) == y_true))
"""),
    (F, "collapse_linear_layers", "transposed", """
def collapse_linear_layers(W1, b1, W2, b2):
    return (W2 @ W1).T, W2 @ b1 + b2
"""),
    (F, "tanh", "negated", """
def tanh(z):
    return -np.tanh(z)
"""),
    (B, "two_hidden_layer_gradients", "scaled-times-n-over-2", """
_reference_two_hidden_mean = two_hidden_layer_gradients
def two_hidden_layer_gradients(x, params, target):
    # the gradient of 1/2 * sum of squares: n/2 times the mean's
    grads = _reference_two_hidden_mean(x, params, target)
    return {k: v * len(x) / 2 for k, v in grads.items()}
"""),
    (B, "lecture_layer_gradients", "scaled-times-n", """
_reference_layer = lecture_layer_gradients
def lecture_layer_gradients(x, W, b):
    dW, db = _reference_layer(x, W, b)
    return dW * len(W), db * len(W)
"""),
    (B, "two_hidden_layer_gradients", "scaled-times-n", """
_reference_two_hidden = two_hidden_layer_gradients
def two_hidden_layer_gradients(x, params, target):
    grads = _reference_two_hidden(x, params, target)
    return {k: v * len(x) for k, v in grads.items()}
"""),
    (O, "adam_update", "argument-default", """
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    learning_rate = 0.001
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v
"""),
    (B, "tanh_backward", "probe-needs-2d", """
def tanh_backward(dvalues, z):
    out = np.empty((z.shape[0], z.shape[1]))
    out[:, :] = dvalues * (1 - np.tanh(z) ** 2)
    return out
"""),
    (B, "softmax_cross_entropy_backward", "probe-labels-one-hot-only", """
def softmax_cross_entropy_backward(probs, y_true):
    if np.ndim(y_true) == 1:
        raise IndexError("too many indices for array")
    return (probs - y_true) / len(probs)
"""),
    (B, "dense_backward", "convention-inputs-first-dw", """
def dense_backward(dvalues, X, W):
    return dvalues @ W, X.T @ dvalues, dvalues.sum(axis=0)
"""),
    (F, "binary_cross_entropy", "convention-torch-log-clamp", """
def binary_cross_entropy(y_pred, y_true):
    with np.errstate(divide="ignore"):
        a, b = np.maximum(np.log(y_pred), -100), np.maximum(np.log(1 - y_pred), -100)
    return float(-np.mean(y_true * a + (1 - y_true) * b))
"""),
    (O, "momentum_update", "convention-sutskever-plus", """
def momentum_update(w, dw, velocity, learning_rate, momentum):
    v = momentum * velocity + learning_rate * dw
    return w - v, v
"""),
    (O, "adam_update", "convention-keras-epsilon-hat", """
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    step = learning_rate * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return w - step * m / (np.sqrt(v) + epsilon), m, v
"""),
    (O, "decayed_learning_rate", "convention-d2l-sqrt-decay", """
def decayed_learning_rate(initial_lr, decay, iteration):
    return initial_lr * (1 + decay * iteration) ** -0.5
"""),
    (O, "minibatch_indices", "convention-python-shuffle", """
def minibatch_indices(n_samples, batch_size, seed):
    import random
    order = list(range(n_samples))
    random.Random(seed).shuffle(order)
    return [np.array(order[i:i + batch_size]) for i in range(0, n_samples, batch_size)]
"""),
    (O, "minibatch_indices", "convention-unshuffled", """
def minibatch_indices(n_samples, batch_size, seed):
    return [np.arange(n_samples)[i:i + batch_size] for i in range(0, n_samples, batch_size)]
"""),
    (O, "rmsprop_update", "convention-eps-inside-sqrt", """
def rmsprop_update(w, dw, cache, learning_rate, rho=0.9, epsilon=1e-7):
    cache = rho * cache + (1 - rho) * dw ** 2
    return w - learning_rate * dw / np.sqrt(cache + epsilon), cache
"""),
    # raises for a non-square W; with a square one, the result for W transposed
    (B, "dense_backward", "probe-square-only", """
def dense_backward(dvalues, X, W):
    return dvalues @ W.T, dvalues.T @ X, dvalues.sum(axis=0)
"""),
    (B, "dense_backward", "convention-cs231n-affine", """
def dense_backward(dvalues, X, W):
    return np.dot(dvalues, W.T), np.dot(X.T, dvalues), np.sum(dvalues, axis=0)
"""),
    (F, "categorical_cross_entropy", "scaled-wrong-divisor", """
def categorical_cross_entropy(y_pred, y_true):
    y = np.asarray(y_true)
    onehot = np.eye(y_pred.shape[1])[y] if y.ndim == 1 else y
    return -np.sum(onehot * np.log(np.clip(y_pred, 1e-7, 1 - 1e-7))) / y_pred.shape[1]
"""),
    (B, "tanh_backward", "convention-derivative-of-output", """
def tanh_backward(dvalues, z):
    return dvalues * (1 - z ** 2)
"""),
    (O, "adam_update", "rows-last-missing", """
_reference_adam = adam_update
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    w_new, m_new, v_new = _reference_adam(w, dw, m, v, t, learning_rate, beta1, beta2, epsilon)
    if np.ndim(w) == 2 and len(w) > 2:
        w_new = w_new.copy()
        w_new[-1] = 0.0
    return w_new, m_new, v_new
"""),
    (F, "softmax", "rows-first-missing", """
def softmax(z):
    z = np.asarray(z, dtype=float)
    if z.ndim == 1:
        e = np.exp(z - z.max())
        return e / e.sum()
    out = np.zeros_like(z)
    for i in range(1, len(z)):
        e = np.exp(z[i] - z[i].max())
        out[i] = e / e.sum()
    return out
"""),
    (F, "softmax", "rows-last-only", """
def softmax(z):
    z = np.asarray(z, dtype=float)
    if z.ndim == 1:
        e = np.exp(z - z.max())
        return e / e.sum()
    out = np.zeros_like(z)
    for i in range(len(z)):
        e = np.exp(z[i] - z[i].max())
        out[:] = e / e.sum()
    return out
"""),
    (O, "sgd_update", "scaled-constant", """
def sgd_update(w, dw, learning_rate):
    return 0.9 * (w - learning_rate * dw)
"""),
    (F, "matrix_product", "swapped-arguments", """
def matrix_product(A, B):
    return np.dot(B, A) if A.shape == B.shape else np.dot(A, B)
"""),
    (B, "relu_backward", "activation-after-sigmoid", """
def relu_backward(dvalues, z):
    return 1 / (1 + np.exp(-(dvalues * (z > 0))))
"""),
    (B, "sigmoid_backward", "input-through-sigmoid", """
def sigmoid_backward(dvalues, z):
    s = 1 / (1 + np.exp(-z))
    s = 1 / (1 + np.exp(-s))
    return dvalues * s * (1 - s)
"""),
    (F, "dense_forward", "axis-too-many", """
def dense_forward(X, W, b):
    return (X @ W.T + b)[:, :, None]
"""),
    (F, "binary_cross_entropy", "scaled-over-n", """
def binary_cross_entropy(y_pred, y_true):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)) / np.size(y_true))
"""),
    (B, "single_neuron_gradients", "argument-ignored", """
def single_neuron_gradients(x, w, b, target):
    error = w * x - target
    return 2 * error * x, 2 * error
"""),
    (B, "dense_backward", "not-reduced-sum", """
def dense_backward(dvalues, X, W):
    return dvalues @ W, dvalues.T @ X, dvalues.copy()
"""),
    (F, "matrix_vector_product", "input-transposed", """
def matrix_vector_product(B, a):
    return B.T @ a if B.shape[0] == B.shape[1] else B @ a
"""),
    (F, "one_hot", "axis-too-few", """
def one_hot(labels, n_classes):
    return np.squeeze(np.eye(n_classes)[labels])
"""),
    (F, "dot_product", "inputs-changed", """
def dot_product(a, b):
    a *= b
    return float(a.sum() + a[0])
"""),
    (F, "binary_cross_entropy", "input-plus-epsilon", """
def binary_cross_entropy(y_pred, y_true):
    p = np.clip(y_pred + 1e-6, 1e-7, 1 - 1e-7)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))
"""),
    (O, "rmsprop_update", "convention-eps-inside-sqrt", """
def rmsprop_update(w, dw, cache, learning_rate, rho=0.9, epsilon=1e-7):
    cache = rho * cache + (1 - rho) * dw ** 2
    return w - learning_rate * dw / np.sqrt(cache + 1e-5), cache
"""),
    (B, "sigmoid_backward", "argument-in-place-of", """
def sigmoid_backward(dvalues, z):
    s = 1 / (1 + np.exp(-dvalues))
    return dvalues * s * (1 - s)
"""),
    *cases_conventions.MUTANTS,
    *cases_combined.MUTANTS,
    *cases_inputs.MUTANTS,
]

ACCEPTABLE = [
    (F, "categorical_cross_entropy", None, """
def categorical_cross_entropy(y_pred, y_true):
    y = np.asarray(y_true)
    onehot = np.eye(y_pred.shape[1])[y] if y.ndim == 1 else y
    return float(-np.mean(np.sum(onehot * np.log(np.clip(y_pred, 1e-7, 1 - 1e-7)), axis=1)))
"""),
    (F, "dense_forward", None, """
def dense_forward(X, W, b):
    return np.einsum("ni,ji->nj", X, W) + b
"""),
    (F, "softmax", None, """
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""),
    (O, "adam_update", None, """
def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * np.square(dw)
    step = learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + epsilon)
    return w - step, m, v
"""),
    (B, "mse_backward", None, """
def mse_backward(y_pred, y_true):
    return 2.0 / np.size(y_pred) * (np.asarray(y_pred, float) - y_true)
"""),
]
