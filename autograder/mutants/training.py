# ruff: noqa: F811
"""Known-wrong implementations of 04_training's functions.

Every mutant is self-contained (NumPy only): several share a name here, so a mutant that called
`init_params` or `forward` would, in this module, reach whichever same-named mutant came last.

One mutant never returns: the train_classifier whose `names` is NEVER_RETURNS loops forever. Only
an engine that enforces the time limit (the sandbox) may run it; in-process tests must skip it
(`[m for m in mutants_for("reference.training") if m.names != NEVER_RETURNS]`).
"""

import numpy as np

from autograder.mutants import edit, mutant

NEVER_RETURNS = "training did not finish in time"  # the graders' Mistake title for a timeout


# ----------------------------------------------------------------------------------------------
# init_params

@mutant("init_params", names="W stored as (n_inputs, n_neurons)")
def init_params(n_inputs, n_hidden, n_outputs, seed):
    rng = np.random.default_rng(seed)
    return {
        "W1": np.sqrt(2.0 / n_inputs) * rng.standard_normal((n_inputs, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((n_hidden, n_outputs)),
        "b2": np.zeros(n_outputs),
    }


@mutant("init_params", names="biases of shape (1, n)")
def init_params(n_inputs, n_hidden, n_outputs, seed):
    rng = np.random.default_rng(seed)
    return {
        "W1": np.sqrt(2.0 / n_inputs) * rng.standard_normal((n_hidden, n_inputs)),
        "b1": np.zeros((1, n_hidden)),
        "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((n_outputs, n_hidden)),
        "b2": np.zeros((1, n_outputs)),
    }


@mutant("init_params", names="biases not zero")
def init_params(n_inputs, n_hidden, n_outputs, seed):
    rng = np.random.default_rng(seed)
    return {
        "W1": np.sqrt(2.0 / n_inputs) * rng.standard_normal((n_hidden, n_inputs)),
        "b1": 0.01 * rng.standard_normal(n_hidden),
        "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((n_outputs, n_hidden)),
        "b2": 0.01 * rng.standard_normal(n_outputs),
    }


@mutant("init_params", names="all weights start equal")
def init_params(n_inputs, n_hidden, n_outputs, seed):
    return {
        "W1": np.zeros((n_hidden, n_inputs)),
        "b1": np.zeros(n_hidden),
        "W2": np.zeros((n_outputs, n_hidden)),
        "b2": np.zeros(n_outputs),
    }


@mutant("init_params", names="weights not scaled down")
def init_params(n_inputs, n_hidden, n_outputs, seed):
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((n_hidden, n_inputs)),
        "b1": np.zeros(n_hidden),
        "W2": rng.standard_normal((n_outputs, n_hidden)),
        "b2": np.zeros(n_outputs),
    }


@mutant("init_params", names="the seed is not used")
def init_params(n_inputs, n_hidden, n_outputs, seed):
    return {
        "W1": np.sqrt(2.0 / n_inputs) * np.random.standard_normal((n_hidden, n_inputs)),
        "b1": np.zeros(n_hidden),
        "W2": np.sqrt(2.0 / n_hidden) * np.random.standard_normal((n_outputs, n_hidden)),
        "b2": np.zeros(n_outputs),
    }


# ----------------------------------------------------------------------------------------------
# forward

@mutant("forward", names="no ReLU between the layers")
def forward(params, X):
    logits = (X @ params["W1"].T + params["b1"]) @ params["W2"].T + params["b2"]
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


@mutant("forward", names="softmax without the max shift", edge="logits-1000")
def forward(params, X):
    hidden = np.maximum(0, X @ params["W1"].T + params["b1"])
    exps = np.exp(hidden @ params["W2"].T + params["b2"])
    return exps / exps.sum(axis=1, keepdims=True)


@mutant("forward", names="softmax over the wrong axis")
def forward(params, X):
    hidden = np.maximum(0, X @ params["W1"].T + params["b1"])
    logits = hidden @ params["W2"].T + params["b2"]
    exps = np.exp(logits - logits.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


@mutant("forward", names="no softmax at the end")
def forward(params, X):
    hidden = np.maximum(0, X @ params["W1"].T + params["b1"])
    return hidden @ params["W2"].T + params["b2"]


# ----------------------------------------------------------------------------------------------
# predict

@mutant("predict", names="probabilities instead of class indices")
def predict(params, X):
    hidden = np.maximum(0, X @ params["W1"].T + params["b1"])
    logits = hidden @ params["W2"].T + params["b2"]
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


@mutant("predict", names="argmax over the wrong axis")
def predict(params, X):
    hidden = np.maximum(0, X @ params["W1"].T + params["b1"])
    return np.argmax(hidden @ params["W2"].T + params["b2"], axis=0)


@mutant("predict", names="argmin instead of argmax")
def predict(params, X):
    hidden = np.maximum(0, X @ params["W1"].T + params["b1"])
    return np.argmin(hidden @ params["W2"].T + params["b2"], axis=1)


edit("predict", "softmax without the max shift",
     "    return np.argmax(hidden @ params[\"W2\"].T + params[\"b2\"], axis=1)",
     "    exps = np.exp(hidden @ params[\"W2\"].T + params[\"b2\"])\n"
     "    return np.argmax(exps / exps.sum(axis=1, keepdims=True), axis=1)", edge="logits-1000")


# ----------------------------------------------------------------------------------------------
# train_classifier

edit("train_classifier", "no step when momentum is 0",
     "            velocity[name] = momentum * velocity[name] - lr * grads[name]\n"
     "            params[name] = params[name] + velocity[name]",
     "            if momentum:\n"
     "                velocity[name] = momentum * velocity[name] - lr * grads[name]\n"
     "                params[name] = params[name] + velocity[name]", edge="momentum-0")
edit("train_classifier", "learning rate unset when decay is 0",
     "        lr = learning_rate / (1.0 + decay * epoch)",
     "        if decay:\n            lr = learning_rate / (1.0 + decay * epoch)", edge="decay-0")

@mutant("train_classifier", names="weights never updated")
def train_classifier(X, y, n_hidden=64, epochs=10001, learning_rate=1.0, decay=1e-3,
                     momentum=0.9, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    n = len(X)
    rng = np.random.default_rng(seed)
    W1 = np.sqrt(2.0 / X.shape[1]) * rng.standard_normal((n_hidden, X.shape[1]))
    W2 = np.sqrt(2.0 / n_hidden) * rng.standard_normal((int(y.max()) + 1, n_hidden))
    b1, b2 = np.zeros(n_hidden), np.zeros(int(y.max()) + 1)
    velocities = [np.zeros_like(p) for p in (W1, b1, W2, b2)]
    losses = []
    for epoch in range(epochs):
        z1 = X @ W1.T + b1
        h = np.maximum(0, z1)
        logits = h @ W2.T + b2
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = exps / exps.sum(axis=1, keepdims=True)
        losses.append(-np.mean(np.log(np.clip(probs[np.arange(n), y], 1e-7, 1 - 1e-7))))
        d = probs.copy()
        d[np.arange(n), y] -= 1
        d /= n
        dz1 = (d @ W2) * (z1 > 0)
        grads = [dz1.T @ X, dz1.sum(axis=0), d.T @ h, d.sum(axis=0)]
        lr = learning_rate / (1 + decay * epoch)
        # rebinding the loop variable leaves W1, b1, W2, b2 as they were
        for p, g, v in zip([W1, b1, W2, b2], grads, velocities, strict=True):
            v[:] = momentum * v - lr * g
            p = p + v
    return {"params": {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, "losses": losses}


@mutant("train_classifier", names="learning rate far too large")
def train_classifier(X, y, n_hidden=64, epochs=10001, learning_rate=1.0, decay=1e-3,
                     momentum=0.9, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    n = len(X)
    rng = np.random.default_rng(seed)
    params = {
        "W1": np.sqrt(2.0 / X.shape[1]) * rng.standard_normal((n_hidden, X.shape[1])),
        "b1": np.zeros(n_hidden),
        "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((int(y.max()) + 1, n_hidden)),
        "b2": np.zeros(int(y.max()) + 1),
    }
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    losses = []
    for epoch in range(epochs):
        z1 = X @ params["W1"].T + params["b1"]
        h = np.maximum(0, z1)
        logits = h @ params["W2"].T + params["b2"]
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = exps / exps.sum(axis=1, keepdims=True)
        losses.append(-np.mean(np.log(np.clip(probs[np.arange(n), y], 1e-7, 1 - 1e-7))))
        d = probs.copy()
        d[np.arange(n), y] -= 1
        d /= n
        dz1 = (d @ params["W2"]) * (z1 > 0)
        grads = {"W1": dz1.T @ X, "b1": dz1.sum(axis=0), "W2": d.T @ h, "b2": d.sum(axis=0)}
        lr = 1000 * learning_rate / (1 + decay * epoch)
        for k in params:
            velocity[k] = momentum * velocity[k] - lr * grads[k]
            params[k] = params[k] + velocity[k]
    return {"params": params, "losses": losses}


@mutant("train_classifier", names="the seed is not used")
def train_classifier(X, y, n_hidden=64, epochs=10001, learning_rate=1.0, decay=1e-3,
                     momentum=0.9, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    n = len(X)
    rng = np.random.default_rng()
    params = {
        "W1": np.sqrt(2.0 / X.shape[1]) * rng.standard_normal((n_hidden, X.shape[1])),
        "b1": np.zeros(n_hidden),
        "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((int(y.max()) + 1, n_hidden)),
        "b2": np.zeros(int(y.max()) + 1),
    }
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    losses = []
    for epoch in range(epochs):
        z1 = X @ params["W1"].T + params["b1"]
        h = np.maximum(0, z1)
        logits = h @ params["W2"].T + params["b2"]
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = exps / exps.sum(axis=1, keepdims=True)
        losses.append(-np.mean(np.log(np.clip(probs[np.arange(n), y], 1e-7, 1 - 1e-7))))
        d = probs.copy()
        d[np.arange(n), y] -= 1
        d /= n
        dz1 = (d @ params["W2"]) * (z1 > 0)
        grads = {"W1": dz1.T @ X, "b1": dz1.sum(axis=0), "W2": d.T @ h, "b2": d.sum(axis=0)}
        lr = learning_rate / (1 + decay * epoch)
        for k in params:
            velocity[k] = momentum * velocity[k] - lr * grads[k]
            params[k] = params[k] + velocity[k]
    return {"params": params, "losses": losses}


@mutant("train_classifier", names="changes its inputs in place")
def train_classifier(X, y, n_hidden=64, epochs=10001, learning_rate=1.0, decay=1e-3,
                     momentum=0.9, seed=0):
    # centres X in place: np.asarray returns the caller's float64 array itself
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    X -= X.mean(axis=0)
    n = len(X)
    rng = np.random.default_rng(seed)
    params = {
        "W1": np.sqrt(2.0 / X.shape[1]) * rng.standard_normal((n_hidden, X.shape[1])),
        "b1": np.zeros(n_hidden),
        "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((int(y.max()) + 1, n_hidden)),
        "b2": np.zeros(int(y.max()) + 1),
    }
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    losses = []
    for epoch in range(epochs):
        z1 = X @ params["W1"].T + params["b1"]
        h = np.maximum(0, z1)
        logits = h @ params["W2"].T + params["b2"]
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = exps / exps.sum(axis=1, keepdims=True)
        losses.append(-np.mean(np.log(np.clip(probs[np.arange(n), y], 1e-7, 1 - 1e-7))))
        d = probs.copy()
        d[np.arange(n), y] -= 1
        d /= n
        dz1 = (d @ params["W2"]) * (z1 > 0)
        grads = {"W1": dz1.T @ X, "b1": dz1.sum(axis=0), "W2": d.T @ h, "b2": d.sum(axis=0)}
        lr = learning_rate / (1 + decay * epoch)
        for k in params:
            velocity[k] = momentum * velocity[k] - lr * grads[k]
            params[k] = params[k] + velocity[k]
    return {"params": params, "losses": losses}


@mutant("train_classifier", names="training does not fit the spiral")
def train_classifier(X, y, n_hidden=64, epochs=10001, learning_rate=1.0, decay=1e-3,
                     momentum=0.9, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    n = len(X)
    rng = np.random.default_rng(seed)
    params = {
        "W1": np.sqrt(2.0 / X.shape[1]) * rng.standard_normal((n_hidden, X.shape[1])),
        "b1": np.zeros(n_hidden),
        "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((int(y.max()) + 1, n_hidden)),
        "b2": np.zeros(int(y.max()) + 1),
    }
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    losses = []
    for epoch in range(epochs):
        z1 = X @ params["W1"].T + params["b1"]
        h = np.maximum(0, z1)
        logits = h @ params["W2"].T + params["b2"]
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = exps / exps.sum(axis=1, keepdims=True)
        losses.append(-np.mean(np.log(np.clip(probs[np.arange(n), y], 1e-7, 1 - 1e-7))))
        d = probs.copy()
        d[np.arange(n), y] -= 1
        d /= n
        dz1 = (d @ params["W2"]) * (z1 > 0)
        grads = {"W1": dz1.T @ X, "b1": dz1.sum(axis=0), "W2": d.T @ h, "b2": d.sum(axis=0)}
        lr = learning_rate * decay**epoch  # decay as lr * decay**t: the steps vanish at once
        for k in params:
            velocity[k] = momentum * velocity[k] - lr * grads[k]
            params[k] = params[k] + velocity[k]
    return {"params": params, "losses": losses}


@mutant("train_classifier", names="loss recorded only every 100 epochs")
def train_classifier(X, y, n_hidden=64, epochs=10001, learning_rate=1.0, decay=1e-3,
                     momentum=0.9, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    n = len(X)
    rng = np.random.default_rng(seed)
    params = {
        "W1": np.sqrt(2.0 / X.shape[1]) * rng.standard_normal((n_hidden, X.shape[1])),
        "b1": np.zeros(n_hidden),
        "W2": np.sqrt(2.0 / n_hidden) * rng.standard_normal((int(y.max()) + 1, n_hidden)),
        "b2": np.zeros(int(y.max()) + 1),
    }
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    losses = []
    for epoch in range(epochs):
        z1 = X @ params["W1"].T + params["b1"]
        h = np.maximum(0, z1)
        logits = h @ params["W2"].T + params["b2"]
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = exps / exps.sum(axis=1, keepdims=True)
        if epoch % 100 == 0:  # the book prints every 100 epochs; this records only those
            losses.append(-np.mean(np.log(np.clip(probs[np.arange(n), y], 1e-7, 1 - 1e-7))))
        d = probs.copy()
        d[np.arange(n), y] -= 1
        d /= n
        dz1 = (d @ params["W2"]) * (z1 > 0)
        grads = {"W1": dz1.T @ X, "b1": dz1.sum(axis=0), "W2": d.T @ h, "b2": d.sum(axis=0)}
        lr = learning_rate / (1 + decay * epoch)
        for k in params:
            velocity[k] = momentum * velocity[k] - lr * grads[k]
            params[k] = params[k] + velocity[k]
    return {"params": params, "losses": losses}


@mutant("train_classifier", names=NEVER_RETURNS)
def train_classifier(X, y, n_hidden=64, epochs=10001, learning_rate=1.0, decay=1e-3,
                     momentum=0.9, seed=0):
    # the epoch counter is never advanced; only a time limit stops this
    epoch = 0
    while epoch < epochs:
        pass
