"""What the checks of several 02_backpropagation functions share: mistakes, lecture 000's layer,
and the checks of a returned gradient against central differences."""

import numpy as np

from autograder.harness import KEEPDIMS, Mistake, check, check_parts, describe, fail, rel_error
from reference import backpropagation as ref

RELU_AT_ZERO = Mistake(
    "`z >= 0` in ReLU's backward",
    "ReLU's derivative is 1(z > 0): it is 0 at z == 0, so no gradient flows back where z is "
    "exactly 0. Use `z > 0`, not `z >= 0`.",
    "000",
)
RELU_LEFT_OUT = Mistake(
    "ReLU's derivative left out of the chain",
    "Every ReLU on the path contributes the factor da/dz = 1(z > 0): a neuron whose z is not "
    "positive passes no gradient back to its weights and bias.",
    "000",
)
DW_TRANSPOSED = Mistake(
    "`dW` transposed",
    "A gradient has the shape of what it is the gradient of: dW is shaped like W "
    "(n_neurons, n_inputs), dW[j, k] = dL/dz_j * x_k. For a batch, dW = dvalues.T @ X, not "
    "X.T @ dvalues.",
    "000",
)
MISSING_MEAN = Mistake(
    "a missing `1/n`",
    "The loss is a mean, so the gradient of each term is divided by the number of terms: the "
    "samples for cross-entropy, every element for MSE.",
    "001",
)
SIGN_FLIPPED = Mistake(
    "`target - output` instead of `output - target`",
    "dC/doutput = 2(output - desired_output): the derivative of (output - desired_output)**2 "
    "with respect to the output.",
    "002",
)
IN_PLACE = Mistake(
    "inputs modified in place",
    "`a[...] = ...`, `a -= ...` or `np.clip(a, ..., out=a)` on an argument changes the caller's "
    "array too. Work on a copy (`a = a.copy()` or a new array) and return it; when you nudge an "
    "element, put the original value back exactly.",
)

# lecture 000's layer: one input x, three ReLU neurons, L = (sum relu(W @ x + b))**2
LECTURE_X = [1.0, 2.0, 3.0, 4.0]
LECTURE_W = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]]
LECTURE_B = [0.1, 0.2, 0.3]
LECTURE_ROW = [43.2, 86.4, 129.6, 172.8]  # every row of its dW: 2y * x with y = 21.6


def arr(value):
    return np.array(value, dtype=float)


def part_is(key, value):
    """A mistake predicate: part `key` of the returned tuple or dict is `value`."""
    def matches(result):
        part = np.asarray(result[key], dtype=float)
        return part.shape == np.shape(value) and np.allclose(part, value, rtol=1e-6, atol=1e-8)
    return matches


def unpack(call, keys):
    """The parts of a returned tuple (int keys) or dict (str keys), or a failure saying so."""
    value = call.value
    if isinstance(keys[0], str):
        check(isinstance(value, dict) and all(k in value for k in keys), call,
              f"Expected a dict with the keys {', '.join(keys)}.")
    else:
        check(isinstance(value, (tuple, list)) and len(value) == len(keys), call,
              f"Expected a tuple of {len(keys)} values.")
    return [value[k] for k in keys]


def check_gradient(call, actual, numeric, label, *, mistakes=(), tol=1e-6):
    """`actual`, the part `label` of what `call` returned, matches the numerical gradient."""
    try:
        actual = np.asarray(actual, dtype=float)
    except (TypeError, ValueError, OverflowError):
        actual = None
    if actual is None or actual.shape != numeric.shape:
        shape = "no array" if actual is None else f"shape {actual.shape}"
        problem = (f"{label} has {shape}; a gradient has the shape of what it is the gradient "
                   f"of: {numeric.shape}.")
    else:
        error = rel_error(actual, numeric)
        if error <= tol:
            return
        problem = (f"{label} does not match the numerical gradient {describe(numeric)} (central "
                   f"differences of the forward pass): relative error {error:.1e}, at most "
                   f"{tol:g} expected.")
    found = next((m.mistake for m in mistakes if m.matches(call.value, 1e-6, 1e-8)), None)
    if found is None and actual is not None and actual.ndim == numeric.ndim + 1 \
            and actual.size == numeric.size and 1 in actual.shape:
        found = KEEPDIMS
    text = f"Called {call.describe()}\nIt returned {describe(call.value)}.\n{problem}"
    if found is not None:
        text += "\n" + found.describe()
    fail(text, found)


def check_gradients(call, parts, loss, args, mistakes):
    """Each returned gradient of `parts` (label -> value, in the order of `args`) against central
    differences of `loss(*args)` in its argument, every part judged (check_parts)."""
    def one(i, label, grad):
        def nudged(v):
            return loss(*args[:i], v, *args[i + 1:])
        return lambda: check_gradient(call, grad, ref.numerical_gradient(nudged, arr(args[i])),
                                      label, mistakes=mistakes)
    check_parts(call, {label: one(i, label, grad)
                       for i, (label, grad) in enumerate(parts.items())})
