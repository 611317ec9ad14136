"""02_backpropagation: the backward pass of a dense layer."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import KEEPDIMS, Mistake, check_close, name_results
from reference import backpropagation as ref
from reference import forward_pass as fwd

from .common import (
    DW_TRANSPOSED,
    IN_PLACE,
    LECTURE_ROW,
    LECTURE_W,
    LECTURE_X,
    arr,
    check_gradients,
    part_is,
    unpack,
)

DB_MEAN = Mistake(
    "`db` averaged instead of summed",
    "The 1/n of the mean loss is already in dvalues; db adds up the samples' gradients: "
    "dvalues.sum(axis=0).",
    "000",
)
DB_NOT_SUMMED = Mistake(
    "`db` not summed over the batch",
    "b is added to every sample's output, so every sample's gradient flows into it: "
    "db = dvalues.sum(axis=0), one number per neuron, shaped like b.",
    "000",
)
DX_WITH_W_T = Mistake(
    "`W.T` where `W` belongs in dX",
    "The forward pass multiplies by W.T (X @ W.T), so the backward pass multiplies by W: "
    "dX = dvalues @ W, shaped like X.",
    "001",
)

name_results("dense_backward", "dX", "dW", "db")


def dense_mistakes(dvalues, X, W):
    mistakes = [DW_TRANSPOSED.with_value(part_is(1, X.T @ dvalues))]
    if dvalues.shape[0] > 1:  # for one sample, an unsummed db looks like keepdims
        mistakes += [DB_NOT_SUMMED.with_value(part_is(2, dvalues)),
                     DB_MEAN.with_value(part_is(2, dvalues.mean(axis=0)))]
    if W.shape[0] == W.shape[1]:
        mistakes.append(DX_WITH_W_T.with_value(part_is(0, dvalues @ W.T)))
    return mistakes


dense_backward = Exercise("dense_backward", ref)


@dense_backward.check(points=2)
def test_dense_backward_lecture_example(student):
    """lecture 000's layer (x = [1, 2, 3, 4]) as a batch of one: every row of dW is 43.2 * x"""
    dvalues, X, W = arr([[43.2, 43.2, 43.2]]), arr([LECTURE_X]), arr(LECTURE_W)
    call = student.call("dense_backward", dvalues, X, W)
    expected = (43.2 * W.sum(axis=0, keepdims=True), arr([LECTURE_ROW] * 3), arr([43.2] * 3))
    check_close(call, expected, mistakes=dense_mistakes(dvalues, X, W))


@dense_backward.check(points=1)
def test_dense_backward_batch(student):
    """lecture 001's batch of three samples: db adds up the samples"""
    X = arr([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
    dvalues = arr([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0], [0.0, 1.0, 1.0]])
    W = arr(LECTURE_W)
    call = student.call("dense_backward", dvalues, X, W)
    check_close(call, ref.dense_backward(dvalues, X, W), mistakes=dense_mistakes(dvalues, X, W))


dense_backward.agrees(
    1, "agrees with the reference on random batches (one sample, square and non-square W)",
    seed=4, name="random",
    inputs=lambda rng: [(rng.normal(size=(n, m)), rng.normal(size=(n, d)), rng.normal(size=(m, d)))
                        for n, d, m in [(3, 4, 4), (1, 5, 2), (4, 3, 6), (2, 1, 3), (7, 6, 1)]],
    mistakes=lambda expected, dvalues, X, W: dense_mistakes(dvalues, X, W))
dense_backward.unchanged(1, lambda rng: (rng.normal(size=(3, 2)), rng.normal(size=(3, 5)),
                                         rng.normal(size=(2, 5))), IN_PLACE,
                         mistakes=dense_mistakes)


@dense_backward.check(points=1)
def test_dense_backward_gradient_check(student):
    """dX, dW and db match central differences of dense_forward"""
    rng = np.random.default_rng(5)
    dvalues, X, W, b = (rng.normal(size=(3, 2)), rng.normal(size=(3, 4)), rng.normal(size=(2, 4)),
                        rng.normal(size=2))
    call = student.call("dense_backward", dvalues, X, W)
    dX, dW, db = unpack(call, [0, 1, 2])

    def loss(X, W, b):
        return float(np.sum(dvalues * fwd.dense_forward(X, W, b)))

    check_gradients(call, {"dX": dX, "dW": dW, "db": db}, loss, (X, W, b),
                    dense_mistakes(dvalues, X, W))


dense_backward.mutants(
    edit(DB_NOT_SUMMED, "db = dvalues.sum(axis=0)", "db = dvalues"),
    edit(DW_TRANSPOSED, "    dW = dvalues.T @ X", "    dW = X.T @ dvalues"),
    edit(DX_WITH_W_T, "    dX = dvalues @ W", "    dX = dvalues @ W.T"),
    edit(DB_MEAN, "dvalues.sum(axis=0)", "dvalues.mean(axis=0)"),
    # a convention that textbooks and course code teach differently from this course
    edit(KEEPDIMS, "dvalues.sum(axis=0)", "np.sum(dvalues, axis=0, keepdims=True)"),
)
