"""Known-wrong implementations of 04_training's functions, each an edit of the reference's own
source (reference/training.py), so none can drift from it.

One mutant never returns: the train_classifier whose `names` is NEVER_RETURNS loops forever. Only
an engine that enforces the time limit (the sandbox) may run it; in-process tests must skip it
(`[m for m in mutants_for("reference.training") if m.names != NEVER_RETURNS]`).
"""

from autograder.mutants import edit

NEVER_RETURNS = "training did not finish in time"  # the graders' Mistake title for a timeout

W1_HE = 'np.sqrt(2.0 / n_inputs) * rng.standard_normal((n_hidden, n_inputs))'
W2_HE = 'np.sqrt(2.0 / n_hidden) * rng.standard_normal((n_outputs, n_hidden))'
SOFTMAX = ("    # shift by the row max so exp never overflows; softmax does not change\n"
           "    exps = np.exp(logits - logits.max(axis=1, keepdims=True))\n")
PREDICT_RETURN = '    return np.argmax(hidden @ params["W2"].T + params["b2"], axis=1)'
UPDATE = "            params[name] = params[name] + velocity[name]"
RATE = "        lr = learning_rate / (1.0 + decay * epoch)"


# ----------------------------------------------------------------------------------------------
# init_params

edit("init_params", "W stored as (n_inputs, n_neurons)",
     "standard_normal((n_hidden, n_inputs))", "standard_normal((n_inputs, n_hidden))",
     "standard_normal((n_outputs, n_hidden))", "standard_normal((n_hidden, n_outputs))")
edit("init_params", "biases of shape (1, n)",
     "np.zeros(n_hidden)", "np.zeros((1, n_hidden))",
     "np.zeros(n_outputs)", "np.zeros((1, n_outputs))")
edit("init_params", "biases not zero",
     "np.zeros(n_hidden)", "0.01 * rng.standard_normal(n_hidden)",
     "np.zeros(n_outputs)", "0.01 * rng.standard_normal(n_outputs)")
edit("init_params", "all weights start equal",
     W1_HE, "np.zeros((n_hidden, n_inputs))", W2_HE, "np.zeros((n_outputs, n_hidden))")
edit("init_params", "weights not scaled down",
     "np.sqrt(2.0 / n_inputs) * ", "", "np.sqrt(2.0 / n_hidden) * ", "")
edit("init_params", "the seed is not used",
     "rng = np.random.default_rng(seed)", "rng = np.random  # NumPy's global random state")


# ----------------------------------------------------------------------------------------------
# forward

edit("forward", "no ReLU between the layers",
     'np.maximum(0.0, X @ params["W1"].T + params["b1"])', 'X @ params["W1"].T + params["b1"]')
edit("forward", "softmax without the max shift",
     SOFTMAX, "    exps = np.exp(logits)\n", edge="logits-1000")
edit("forward", "softmax over the wrong axis",
     "logits.max(axis=1", "logits.max(axis=0", "exps.sum(axis=1", "exps.sum(axis=0")
edit("forward", "no softmax at the end",
     SOFTMAX + "    return exps / exps.sum(axis=1, keepdims=True)", "    return logits")


# ----------------------------------------------------------------------------------------------
# predict

edit("predict", "probabilities instead of class indices",
     PREDICT_RETURN,
     '    logits = hidden @ params["W2"].T + params["b2"]\n'
     "    exps = np.exp(logits - logits.max(axis=1, keepdims=True))\n"
     "    return exps / exps.sum(axis=1, keepdims=True)")
edit("predict", "argmax over the wrong axis", "axis=1)", "axis=0)")
edit("predict", "argmin instead of argmax", "np.argmax(", "np.argmin(")
edit("predict", "softmax without the max shift",
     PREDICT_RETURN,
     '    exps = np.exp(hidden @ params["W2"].T + params["b2"])\n'
     "    return np.argmax(exps / exps.sum(axis=1, keepdims=True), axis=1)", edge="logits-1000")


# ----------------------------------------------------------------------------------------------
# train_classifier

edit("train_classifier", "no step when momentum is 0",
     "            velocity[name] = momentum * velocity[name] - lr * grads[name]\n" + UPDATE,
     "            if momentum:\n"
     "                velocity[name] = momentum * velocity[name] - lr * grads[name]\n"
     "    " + UPDATE, edge="momentum-0")
edit("train_classifier", "learning rate unset when decay is 0",
     RATE, "        if decay:\n    " + RATE, edge="decay-0")
edit("train_classifier", "weights never updated",
     UPDATE, "            value = params[name] + velocity[name]  # never stored back in params")
edit("train_classifier", "learning rate far too large",
     "lr = learning_rate /", "lr = 1000 * learning_rate /")
edit("train_classifier", "the seed is not used",
     "np.random.default_rng(seed)", "np.random.default_rng()")
edit("train_classifier", "changes its inputs in place",
     "    X = np.asarray(X, dtype=float)\n",
     "    X = np.asarray(X, dtype=float)\n"
     "    X -= X.mean(axis=0)  # asarray returned the caller's own float64 X: centred in place\n")
edit("train_classifier", "training does not fit the spiral",
     RATE, "        lr = learning_rate * decay**epoch  # the steps vanish at once")
edit("train_classifier", "loss recorded only every 100 epochs",
     '"losses": losses}', '"losses": losses[::100]}  # as the book prints it, every 100 epochs')
edit("train_classifier", NEVER_RETURNS,
     "    for epoch in range(epochs):",
     "    epoch = 0\n    while epoch < epochs:  # the epoch counter is never advanced")
