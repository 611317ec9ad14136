"""The expected outcomes that the instructor's copy of 04 section 9 states, recomputed.

The table lives in the lesson (`<!-- instructor -->`, so only the source notebook shows it). Each
row names a run; this test trains it with the reference on spiral seed 0 and compares the
training accuracy, rounded to a whole percent, with the one the table states.
"""

import re

import numpy as np
import pytest

from autograder.config import get_assignment
from autograder.pipeline.build import build_notebook
from reference.optimizers import adam_update, minibatch_indices
from reference.training import forward, init_params, predict, spiral_data, train_classifier

ROW = re.compile(r"^\| (?P<run>[^|]+?) \| (?P<percent>\d+)% \|$", re.MULTILINE)


def stated_outcomes() -> list[tuple[str, int]]:
    nb = build_notebook(get_assignment("04_training"))
    cells = [c.source for c in nb.cells if c.metadata.get("nnfs", {}).get("role") == "instructor"]
    rows = [(m["run"], int(m["percent"])) for text in cells for m in ROW.finditer(text)]
    return rows


def gradients(params, X, y):
    """dW1, db1, dW2, db2 of the mean cross-entropy: the chain of 04 section 5."""
    z1 = X @ params["W1"].T + params["b1"]
    hidden = np.maximum(0.0, z1)
    dlogits = forward(params, X)
    dlogits[np.arange(len(y)), y] -= 1.0
    dlogits /= len(y)
    dz1 = (dlogits @ params["W2"]) * (z1 > 0)
    return {"W1": dz1.T @ X, "b1": dz1.sum(axis=0), "W2": dlogits.T @ hidden,
            "b2": dlogits.sum(axis=0)}


def minibatch_run(X, y, learning_rate, by_steps, epochs=1000, decay=1e-3, momentum=0.9):
    params = init_params(2, 64, 3, seed=0)
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    step = 0
    for epoch in range(epochs):
        for batch in minibatch_indices(len(X), 32, seed=epoch):
            lr = learning_rate / (1.0 + decay * (step if by_steps else epoch))
            grads = gradients(params, X[batch], y[batch])
            for k in params:
                velocity[k] = momentum * velocity[k] - lr * grads[k]
                params[k] = params[k] + velocity[k]
            step += 1
    return params


def adam_run(X, y, learning_rate, epochs=10001, decay=1e-3):
    params = init_params(2, 64, 3, seed=0)
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    for epoch in range(epochs):
        grads = gradients(params, X, y)
        lr = learning_rate / (1.0 + decay * epoch)
        for k in params:
            params[k], m[k], v[k] = adam_update(params[k], grads[k], m[k], v[k], epoch + 1, lr)
    return params


def run(name: str, X, y):
    settings = {k: float(v) if "." in v else int(v)
                for k, v in re.findall(r"`(\w+)=([\d.]+)`", name)}
    if name.startswith("mini-batches of 32, 1000 epochs"):
        return minibatch_run(X, y, settings["learning_rate"], by_steps="steps" in name)
    if name.startswith("Adam"):
        return adam_run(X, y, settings["learning_rate"])
    assert name == "defaults" or settings, f"a row the test cannot run: {name!r}"
    return train_classifier(X, y, **settings)["params"]


def test_the_table_covers_the_experiments_the_lesson_asks_for():
    runs = [name for name, _ in stated_outcomes()]
    assert "defaults" in runs
    for setting in ("`n_hidden=", "`momentum=0.0`", "`decay=0.0`", "`learning_rate=0.1`",
                    "`learning_rate=10.0`", "mini-batches", "Adam"):
        assert any(setting in name for name in runs), setting


@pytest.mark.slow
@pytest.mark.parametrize("name, percent", stated_outcomes())
def test_each_stated_outcome_is_what_the_run_reaches(name, percent):
    X, y = spiral_data(100, 3, seed=0)
    accuracy = np.mean(predict(run(name, X, y), X) == y)
    assert round(100 * accuracy) == percent, f"{name}: {accuracy:.1%}, the table says {percent}%"
