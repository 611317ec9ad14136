"""04_training: the network's forward pass (class probabilities) and predict (class indices),
both on the reference's own parameters."""

from functools import cache

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import Mistake, check, check_close, check_unchanged, describe
from reference import training as ref

from .common import IN_PLACE, X_SPIRAL, Y_SPIRAL, numbers

NO_RELU = Mistake(
    "no ReLU between the layers",
    "Without the activation the two dense layers collapse into one linear layer, which cannot "
    "separate the spiral's arms. Apply max(0, z) to the hidden layer.",
    "003",
)
SOFTMAX_AXIS = Mistake(
    "softmax over the wrong axis",
    "Softmax normalises each row (one sample's scores): sum over axis=1 with keepdims=True.",
    "001",
)
NO_MAX_SHIFT = Mistake(
    "softmax without the max shift",
    "exp of a large logit overflows to inf and inf / inf is nan. Subtract each row's max before "
    "exp; it does not change the probabilities.",
    "001",
)
NO_SOFTMAX = Mistake(
    "no softmax at the end",
    "forward returns class probabilities: apply softmax to the output layer's logits.",
    "001",
)
PROBS_NOT_INDICES = Mistake(
    "probabilities instead of class indices",
    "predict returns one class index per sample: the argmax of each row of forward(params, X).",
    "001",
)
ARGMIN = Mistake(
    "argmin instead of argmax",
    "The predicted class is the one with the largest score: np.argmax(..., axis=1).",
    "001",
)
ARGMAX_AXIS = Mistake(
    "argmax over the wrong axis",
    "Take the argmax of each row (axis=1): one class per sample, not one sample per class.",
    "001",
)

LOGITS_WHY = ("Logits near 1000 are an edge the spec names; the tolerance is the usual one. "
              "Clipping the logits before exp is not accepted: it changes the probabilities.")


@cache
def _ref_params():
    """Parameters of a reference network trained briefly on the graders' spiral."""
    return ref.train_classifier(X_SPIRAL, Y_SPIRAL, epochs=500, seed=3)["params"]


def _random_params(n_in, n_hidden, n_out, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    params = ref.init_params(n_in, n_hidden, n_out, seed)
    params["b1"] = rng.normal(0, 0.5, n_hidden)
    params["b2"] = rng.normal(0, 0.5, n_out)
    return {k: scale * v for k, v in params.items()}


def _on_random_network(student, function, network, data_seed, n):
    """`function` called on _random_params(*network) and n random samples drawn with
    `data_seed`: the parameters, the samples, the call and what it returned, as numbers."""
    params = _random_params(*network)
    X = np.random.default_rng(data_seed).normal(size=(n, network[0]))
    call = student.call(function, params, X)
    return params, X, call, numbers(call, call.value, "What it returned")


def _large_logits():
    """Parameters and inputs whose logits are near 1000."""
    params = _random_params(3, 6, 4, 21, scale=30.0)
    return params, np.random.default_rng(5).normal(size=(5, 3)) * 10


# ----------------------------------------------------------------------------------------------
# forward

forward = Exercise("forward", ref)


def _forward_mistakes(params, X):
    z1 = X @ params["W1"].T + params["b1"]
    logits = np.maximum(0, z1) @ params["W2"].T + params["b2"]
    linear = (z1 @ params["W2"].T + params["b2"])

    def softmax(z, axis):
        e = np.exp(z - z.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    return [
        NO_RELU.with_value(softmax(linear, 1)),
        SOFTMAX_AXIS.with_value(softmax(logits, 0)),
        NO_SOFTMAX.with_value(logits),
    ]


forward.agrees(
    2, "matches the reference on a trained network and a random one", seed=404,
    inputs=lambda rng: [(_ref_params(), X_SPIRAL[::7]),
                        (_random_params(4, 7, 5, 9), rng.normal(size=(6, 4)))],
    mistakes=lambda expected, params, X: _forward_mistakes(params, X))


@forward.check(points=1, edge="logits-1000")
def test_forward_large_logits(student):
    """no overflow for large logits"""
    params, X = _large_logits()
    call = student.call("forward", params, X)
    check_close(call, ref.forward(params, X), why=LOGITS_WHY,
                mistakes=[NO_MAX_SHIFT.with_value(lambda v: np.isnan(np.asarray(v)).any())])


@forward.check(points=1)
def test_forward_rows_sum_to_one(student):
    """rows are probabilities summing to 1, inputs unchanged"""
    params, X, call, probs = _on_random_network(student, "forward", (2, 8, 3, 31), 6, 10)
    check(probs.shape == (10, 3), call, "forward returns one row of 3 probabilities per sample: "
          "shape (10, 3).")
    sums = probs.sum(axis=1)
    check(np.allclose(sums, 1.0) and (probs >= 0).all(), call,
          f"Its rows sum to {describe(sums)}; each row should be probabilities summing to 1.",
          SOFTMAX_AXIS if np.allclose(probs.sum(axis=0), 1.0) else None)
    check_unchanged(call, ref.forward(params, X), IN_PLACE, mistakes=_forward_mistakes(params, X))


SHIFTED = ("    # shift by the row max so exp never overflows; softmax does not change\n"
           "    exps = np.exp(logits - logits.max(axis=1, keepdims=True))\n")
forward.mutants(
    edit(NO_RELU,
         'np.maximum(0.0, X @ params["W1"].T + params["b1"])', 'X @ params["W1"].T + params["b1"]'),
    edit(NO_MAX_SHIFT, SHIFTED, "    exps = np.exp(logits)\n", edge="logits-1000"),
    edit(SOFTMAX_AXIS,
         "logits.max(axis=1", "logits.max(axis=0", "exps.sum(axis=1", "exps.sum(axis=0"),
    edit(NO_SOFTMAX,
         SHIFTED + "    return exps / exps.sum(axis=1, keepdims=True)", "    return logits"),
)

# ----------------------------------------------------------------------------------------------
# predict

predict = Exercise("predict", ref)


@predict.check(points=2)
def test_predict_matches_reference(student):
    """matches the reference's class indices"""
    rng = np.random.default_rng(505)
    for X in (X_SPIRAL, rng.uniform(-1, 1, size=(40, 2))):
        call = student.call("predict", _ref_params(), X)
        probs = ref.forward(_ref_params(), X)
        check_close(call, ref.predict(_ref_params(), X), rtol=0, atol=0, mistakes=[
            PROBS_NOT_INDICES.with_value(probs),
            ARGMAX_AXIS.with_value(np.argmax(probs, axis=0)),
            ARGMIN.with_value(np.argmin(probs, axis=1)),
        ])


@predict.check(points=1, edge="logits-1000")
def test_predict_large_logits(student):
    """the right classes when the logits are near 1000 (no overflow)"""
    params, X = _large_logits()
    call = student.call("predict", params, X)
    logits = np.maximum(0, X @ params["W1"].T + params["b1"]) @ params["W2"].T + params["b2"]
    with np.errstate(over="ignore", invalid="ignore"):
        unshifted = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    check_close(call, ref.predict(params, X), rtol=0, atol=0, why=LOGITS_WHY,
                mistakes=[NO_MAX_SHIFT.with_value(np.argmax(unshifted, axis=1))])


@predict.check(points=1)
def test_predict_one_index_per_row(student):
    """one class index per row, inputs unchanged"""
    params, X, call, labels = _on_random_network(student, "predict", (3, 5, 4, 41), 7, 12)
    mistake = (ARGMAX_AXIS if labels.shape == (4,)
               else PROBS_NOT_INDICES if labels.shape == (12, 4) else None)
    check(labels.shape == (12,), call, "predict returns one class index per row of X: shape (12,).",
          mistake)
    check(np.all(np.mod(labels, 1) == 0) and labels.min() >= 0 and labels.max() < 4, call,
          "Class indices are whole numbers from 0 to n_classes - 1.")
    check_unchanged(call, ref.predict(params, X), IN_PLACE, rtol=0, atol=0)


RETURN_ARGMAX = '    return np.argmax(hidden @ params["W2"].T + params["b2"], axis=1)'
predict.mutants(
    edit(PROBS_NOT_INDICES, RETURN_ARGMAX,
         '    logits = hidden @ params["W2"].T + params["b2"]\n'
         "    exps = np.exp(logits - logits.max(axis=1, keepdims=True))\n"
         "    return exps / exps.sum(axis=1, keepdims=True)"),
    edit(ARGMAX_AXIS, "axis=1)", "axis=0)"),
    edit(ARGMIN, "np.argmax(", "np.argmin("),
    edit(NO_MAX_SHIFT, RETURN_ARGMAX,
         '    exps = np.exp(hidden @ params["W2"].T + params["b2"])\n'
         "    return np.argmax(exps / exps.sum(axis=1, keepdims=True), axis=1)",
         edge="logits-1000"),
)
