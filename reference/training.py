"""Assignment 04_training: train a two-layer ReLU network on the spiral, from scratch.

Notes 003's training loop: start with a guess (small random weights), measure the error
(softmax + cross-entropy), adjust (backpropagate, then SGD with learning-rate decay and
momentum), repeat. Every function is self-contained: NumPy and the functions of this module.
"""

import numpy as np


def spiral_data(samples_per_class, classes, seed=0):
    """The book's spiral: `classes` arms of `samples_per_class` points each, in the plane.

    For class k: r = linspace(0, 1, n), t = linspace(4k, 4(k + 1), n) + 0.2 * noise,
    point = (r sin(2.5 t), r cos(2.5 t)). Noise comes from numpy.random.default_rng(seed).
    Returns X (classes * samples_per_class, 2) float64 and y (classes * samples_per_class,) int.
    """
    n = samples_per_class
    noise = np.random.default_rng(seed).standard_normal((classes, n))
    X = np.zeros((n * classes, 2))
    y = np.zeros(n * classes, dtype=np.int64)
    for k in range(classes):
        rows = slice(n * k, n * (k + 1))
        r = np.linspace(0.0, 1.0, n)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, n) + 0.2 * noise[k]
        X[rows] = np.column_stack([r * np.sin(t * 2.5), r * np.cos(t * 2.5)])
        y[rows] = k
    return X, y


def init_params(n_inputs, n_hidden, n_outputs, seed):
    """The first guess: He initialisation, W = sqrt(2 / fan_in) * standard normal, b = 0.

    Any weight scale from 0.01 up to He's sqrt(2 / fan_in) is accepted; He's trains most reliably.
    Draws W1 then W2 from numpy.random.default_rng(seed). Returns a dict: W1 (n_hidden, n_inputs),
    b1 (n_hidden,), W2 (n_outputs, n_hidden), b2 (n_outputs,), all float64.
    """
    rng = np.random.default_rng(seed)
    # He scaling keeps the ReLU layer's output variance near its input's, so the first steps
    # neither vanish (the book's 0.01 stalls on some seeds) nor explode
    return {
        "W1": np.sqrt(2.0 / n_inputs) * rng.standard_normal((n_hidden, n_inputs)),
        "b1": np.zeros(n_hidden),
        "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((n_outputs, n_hidden)),
        "b2": np.zeros(n_outputs),
    }


def forward(params, X):
    """Class probabilities: softmax(relu(X @ W1.T + b1) @ W2.T + b2), row by row.

    params: dict of W1 (h, d), b1 (h,), W2 (k, h), b2 (k,); X: (n, d).
    Returns probs (n, k), each row summing to 1.
    """
    X = np.asarray(X, dtype=float)
    hidden = np.maximum(0.0, X @ params["W1"].T + params["b1"])
    logits = hidden @ params["W2"].T + params["b2"]
    # shift by the row max so exp never overflows; softmax does not change
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def train_classifier(X, y, n_hidden=64, epochs=10001, learning_rate=1.0, decay=1e-3,
                     momentum=0.9, seed=0):
    """Full-batch training of dense-ReLU-dense-softmax with cross-entropy, SGD + decay + momentum.

    X: (n, d) inputs; y: (n,) class indices (or (n, k) one-hot). Each epoch: forward, loss
    L = mean(-log(clip(p[y]))), gradients (dlogits = (p - onehot) / n), then for every parameter
    v = momentum * v - lr_t * dparam and param += v, with lr_t = learning_rate / (1 + decay * t).
    Returns {"params": dict of W1 (n_hidden, d), b1, W2 (k, n_hidden), b2,
    "losses": (epochs,) array, the loss measured at each epoch before its update}.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if y.ndim == 2:
        y = y.argmax(axis=1)
    y = y.astype(np.int64)
    n = X.shape[0]
    rows = np.arange(n)
    n_inputs, n_outputs = X.shape[1], int(y.max()) + 1
    # the same first guess as init_params (He scaling, zero biases), drawn here so the loop
    # stands on its own
    rng = np.random.default_rng(seed)
    params = {
        "W1": np.sqrt(2.0 / n_inputs) * rng.standard_normal((n_hidden, n_inputs)),
        "b1": np.zeros(n_hidden),
        "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((n_outputs, n_hidden)),
        "b2": np.zeros(n_outputs),
    }
    velocity = {name: np.zeros_like(value) for name, value in params.items()}
    losses = np.zeros(epochs)

    for epoch in range(epochs):
        z1 = X @ params["W1"].T + params["b1"]
        hidden = np.maximum(0.0, z1)
        logits = hidden @ params["W2"].T + params["b2"]
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = exps / exps.sum(axis=1, keepdims=True)
        losses[epoch] = -np.mean(np.log(np.clip(probs[rows, y], 1e-7, 1 - 1e-7)))

        dlogits = probs.copy()
        dlogits[rows, y] -= 1.0
        dlogits /= n
        dhidden = dlogits @ params["W2"]
        dz1 = dhidden * (z1 > 0)
        grads = {
            "W2": dlogits.T @ hidden,
            "b2": dlogits.sum(axis=0),
            "W1": dz1.T @ X,
            "b1": dz1.sum(axis=0),
        }

        lr = learning_rate / (1.0 + decay * epoch)
        for name in params:
            velocity[name] = momentum * velocity[name] - lr * grads[name]
            params[name] = params[name] + velocity[name]

    return {"params": params, "losses": losses}


def predict(params, X):
    """Class indices: the argmax of each row of the logits. Returns (n,) int array.

    Softmax keeps the order of a row, so the largest logit is the most probable class.
    """
    X = np.asarray(X, dtype=float)
    hidden = np.maximum(0.0, X @ params["W1"].T + params["b1"])
    return np.argmax(hidden @ params["W2"].T + params["b2"], axis=1)
