"""02_backpropagation: the workshop's network with two hidden ReLU layers, x -> h -> h -> 1."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import check_close, check_parts
from reference import backpropagation as ref
from reference import forward_pass as fwd

from .common import (
    DW_TRANSPOSED,
    IN_PLACE,
    MISSING_MEAN,
    RELU_LEFT_OUT,
    arr,
    check_gradient,
    unpack,
)

PARAM_NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")


def two_hidden_variant(x, params, target, *, mean=True, relu_mask=True):
    """The reference's gradients, or what a named mistake gives instead."""
    W1, b1, W2, b2, W3, b3 = (np.asarray(params[k], dtype=float) for k in PARAM_NAMES)
    z1 = x @ W1.T + b1
    H1 = np.maximum(z1, 0)
    z2 = H1 @ W2.T + b2
    H2 = np.maximum(z2, 0)
    out = H2 @ W3.T + b3
    dout = 2 * (out - target) / (out.size if mean else 1)
    dz2 = (dout @ W3) * ((z2 > 0) if relu_mask else 1)
    dz1 = (dz2 @ W2) * ((z1 > 0) if relu_mask else 1)
    grads = {"dW1": dz1.T @ x, "db1": dz1.sum(axis=0), "dW2": dz2.T @ H1,
             "db2": dz2.sum(axis=0), "dW3": dout.T @ H2, "db3": dout.sum(axis=0)}
    return grads


def some_dw_transposed(expected):
    """A mistake predicate: some dW of the returned dict is the transpose of the right one."""
    def same(a, b):
        a = np.asarray(a, dtype=float)
        return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-8)
    return lambda result: any(same(result[k], expected[k].T) and not same(result[k], expected[k])
                              for k in ("dW1", "dW2", "dW3"))


def two_hidden_mistakes(x, params, target):
    return [MISSING_MEAN.with_value(two_hidden_variant(x, params, target, mean=False)),
            RELU_LEFT_OUT.with_value(two_hidden_variant(x, params, target, relu_mask=False)),
            DW_TRANSPOSED.with_value(some_dw_transposed(two_hidden_variant(x, params, target)))]


def random_network(rng, h):
    return {"W1": rng.normal(size=(h, 1)), "b1": rng.normal(size=h),
            "W2": rng.normal(size=(h, h)), "b2": rng.normal(size=h),
            "W3": rng.normal(size=(1, h)), "b3": rng.normal(size=1)}


def random_cases(rng):
    """(x, params, target) for batches of one and more, with one neuron per layer and more."""
    cases = []
    for n, h in [(1, 3), (6, 5), (4, 1), (3, 8)]:
        params = random_network(rng, h)
        cases.append((rng.normal(size=(n, 1)), params, rng.normal(size=(n, 1))))
    return cases


def check_two_hidden(student, x, params, target, expected):
    call = student.call("two_hidden_layer_gradients", x, params, target)
    check_close(call, expected, mistakes=two_hidden_mistakes(x, params, target))


# the workshop's net with two neurons per hidden layer, on one sample, and its gradients by hand
HAND_PARAMS = {"W1": arr([[0.5], [-1.0]]), "b1": arr([0.5, 2.0]),
               "W2": arr([[1.0, -0.5], [-1.0, -0.5]]), "b2": arr([0.5, 0.0]),
               "W3": arr([[2.0, 1.0]]), "b3": arr([0.0])}
HAND_GRADIENTS = {"dW1": arr([[4.0], [-2.0]]), "db1": arr([4.0, -2.0]),
                  "dW2": arr([[4.0, 4.0], [0.0, 0.0]]), "db2": arr([4.0, 0.0]),
                  "dW3": arr([[2.0, 0.0]]), "db3": arr([2.0])}

two_hidden_layer_gradients = Exercise("two_hidden_layer_gradients", ref)


@two_hidden_layer_gradients.check(points=2)
def test_two_hidden_layer_gradients_hand_example(student):
    """one sample through a net with two neurons per hidden layer, worked by hand"""
    check_two_hidden(student, arr([[1.0]]), HAND_PARAMS, arr([[1.0]]), HAND_GRADIENTS)


@two_hidden_layer_gradients.check(points=1)
def test_two_hidden_layer_gradients_batch_is_mean(student):
    """on a batch, the gradients are the mean of the single-sample (workshop) gradients"""
    rng = np.random.default_rng(18)
    params = random_network(rng, 4)
    x, target = rng.normal(size=(5, 1)), rng.normal(size=(5, 1))
    singles = [ref.two_hidden_layer_gradients(x[i:i + 1], params, target[i:i + 1])
               for i in range(5)]
    expected = {k: np.mean([g[k] for g in singles], axis=0) for k in singles[0]}
    check_two_hidden(student, x, params, target, expected)


two_hidden_layer_gradients.agrees(
    1, "agrees with the reference on random networks and batches (one sample, one neuron)",
    seed=19, inputs=random_cases, name="random",
    mistakes=lambda expected, *args: two_hidden_mistakes(*args))
two_hidden_layer_gradients.unchanged(
    1, lambda rng: (rng.normal(size=(4, 1)), random_network(rng, 3), rng.normal(size=(4, 1))),
    IN_PLACE, mistakes=two_hidden_mistakes)


@two_hidden_layer_gradients.check(points=1)
def test_two_hidden_layer_gradients_gradient_check(student):
    """every gradient matches central differences of the network's mean squared error"""
    rng = np.random.default_rng(20)
    params = random_network(rng, 4)
    x, target = rng.normal(size=(6, 1)), rng.normal(size=(6, 1))

    def loss(p):
        H1 = fwd.relu(fwd.dense_forward(x, p["W1"], p["b1"]))
        H2 = fwd.relu(fwd.dense_forward(H1, p["W2"], p["b2"]))
        return fwd.mse(fwd.dense_forward(H2, p["W3"], p["b3"]), target)

    call = student.call("two_hidden_layer_gradients", x, params, target)
    grads = unpack(call, ["d" + k for k in PARAM_NAMES])
    mistakes = two_hidden_mistakes(x, params, target)

    def one(name, grad):
        numeric = ref.numerical_gradient(lambda v: loss(params | {name: v}), params[name])
        return lambda: check_gradient(call, grad, numeric, "d" + name, mistakes=mistakes)

    check_parts(call, {"d" + name: one(name, grad)
                       for name, grad in zip(PARAM_NAMES, grads, strict=True)})


two_hidden_layer_gradients.mutants(
    edit(MISSING_MEAN, " / out.size", ""),
    edit(RELU_LEFT_OUT, " * (z2 > 0)", "", " * (z1 > 0)", ""),
    # the middle layer's dW the wrong way round: square, so only the values betray it
    edit(DW_TRANSPOSED, "dW2 = dz2.T @ H1", "dW2 = H1.T @ dz2"),
    edit(IN_PLACE, "    return {\"dW1\"", "    grads = {\"dW1\"",
         "\"db3\": db3}",
         "\"db3\": db3}\n"
         "    # the workshop's step 3 (update the weights) done here, on the caller's arrays\n"
         "    for k in params:\n"
         "        params[k] -= 0.01 * grads[\"d\" + k]\n"
         "    return grads"),
)
