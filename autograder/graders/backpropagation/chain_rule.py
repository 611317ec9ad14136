"""02_backpropagation: the chain rule by hand, on the workshop's single neuron and on lecture
000's layer."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import Mistake, check_close, name_results
from reference import backpropagation as ref
from reference import forward_pass as fwd

from .common import (
    DW_TRANSPOSED,
    LECTURE_B,
    LECTURE_ROW,
    LECTURE_W,
    LECTURE_X,
    RELU_AT_ZERO,
    RELU_LEFT_OUT,
    SIGN_FLIPPED,
    arr,
    check_gradients,
    part_is,
    unpack,
)

INPUT_FACTOR_DROPPED = Mistake(
    "the last link of the chain dropped",
    "dC/dw1 = dC/doutput * doutput/dw1, and doutput/dw1 = input: multiply by x "
    "(only dC/db1 has doutput/db1 = 1).",
    "002",
)
Y_FROM_Z = Mistake(
    "y summed over z instead of relu(z)",
    "In lecture 000's example y = sum(relu(z)), so dL/dz = 2y * 1(z > 0) with y = 21.6 from the "
    "ReLU outputs, not from z itself.",
    "000",
)

name_results("single_neuron_gradients", "dC_dw", "dC_db")
name_results("lecture_layer_gradients", "dW", "db")

# ----------------------------------------------------------------------------------------------
# single_neuron_gradients (the workshop)


def neuron_mistakes(x, w, b, target):
    error = 2 * (w * x + b - target)
    return [SIGN_FLIPPED.with_value((-error * x, -error)),
            INPUT_FACTOR_DROPPED.with_value((error, error))]


def check_neuron(student, x, w, b, target, expected):
    call = student.call("single_neuron_gradients", x, w, b, target)
    check_close(call, expected, mistakes=neuron_mistakes(x, w, b, target))


single_neuron_gradients = Exercise("single_neuron_gradients", ref)


@single_neuron_gradients.check(points=1)
def test_single_neuron_gradients_workshop_example(student):
    """input 2, w1 = 0.5, b1 = 0.1, desired output 2: (dC/dw1, dC/db1) = (-3.6, -1.8)"""
    check_neuron(student, 2.0, 0.5, 0.1, 2.0, (-3.6, -1.8))


@single_neuron_gradients.check(points=1)
def test_single_neuron_gradients_hand_examples(student):
    """small cases worked by hand: on target, a negative input, a zero weight"""
    for x, w, b, target, expected in [(3.0, 2.0, 1.0, 7.0, (0.0, 0.0)),
                                      (-1.0, 2.0, 1.0, 0.0, (2.0, -2.0)),
                                      (3.0, 0.0, 0.0, 3.0, (-18.0, -6.0))]:
        check_neuron(student, x, w, b, target, expected)


single_neuron_gradients.agrees(
    1, "agrees with the reference on random numbers", seed=14, name="random",
    inputs=lambda rng: [tuple(float(v) for v in row)
                        for row in rng.normal(scale=2.0, size=(5, 4))],
    mistakes=lambda expected, *args: neuron_mistakes(*args))


@single_neuron_gradients.check(points=1)
def test_single_neuron_gradients_gradient_check(student):
    """matches central differences of C = mse([w1 * input + b1], [desired output])"""
    x, w, b, target = 1.7, -0.3, 0.8, -1.2

    def cost(w, b):
        return fwd.mse(np.array([w * x + b]), np.array([target]))

    call = student.call("single_neuron_gradients", x, w, b, target)
    dw, db = unpack(call, [0, 1])
    check_gradients(call, {"dC_dw": dw, "dC_db": db}, cost, (w, b),
                    neuron_mistakes(x, w, b, target))


single_neuron_gradients.mutants(
    edit(SIGN_FLIPPED, "2 * (output - target)", "2 * (target - output)"),
    edit(INPUT_FACTOR_DROPPED, "float(dC_doutput * x)", "float(dC_doutput)"),
)

# ----------------------------------------------------------------------------------------------
# lecture_layer_gradients (lecture 000)


def layer_mistakes(x, W, b):
    z = W @ x + b
    y = np.sum(np.maximum(z, 0))
    return [RELU_AT_ZERO.with_value((np.outer(2 * y * (z >= 0), x), 2 * y * (z >= 0))),
            RELU_LEFT_OUT.with_value((np.outer(np.full_like(z, 2 * y), x), np.full_like(z, 2 * y))),
            DW_TRANSPOSED.with_value(part_is(0, np.outer(x, 2 * y * (z > 0)))),
            Y_FROM_Z.with_value((np.outer(2 * z.sum() * (z > 0), x), 2 * z.sum() * (z > 0)))]


def check_layer(student, x, W, b, expected):
    call = student.call("lecture_layer_gradients", x, W, b)
    check_close(call, expected, mistakes=layer_mistakes(x, W, b))


lecture_layer_gradients = Exercise("lecture_layer_gradients", ref)


@lecture_layer_gradients.check(points=1)
def test_lecture_layer_gradients_lecture_example(student):
    """lecture 000: every row of dW is [43.2, 86.4, 129.6, 172.8] and db = [43.2, 43.2, 43.2]"""
    check_layer(student, arr(LECTURE_X), arr(LECTURE_W), arr(LECTURE_B),
                (arr([LECTURE_ROW] * 3), arr([43.2] * 3)))


@lecture_layer_gradients.check(points=1)
def test_lecture_layer_gradients_inactive_neurons(student):
    """a neuron with z == 0 or z < 0 gets no gradient (1(z > 0))"""
    # dyadic weights: z2 is exactly 0 whatever order the sum is taken in
    W = arr([[0.1, 0.2, 0.3, 0.4], [0.5, 0.25, 0.5, 0.25], [-1.0, -1.0, -1.0, -1.0]])
    b = arr([0.1, -3.5, 0.3])
    check_layer(student, arr(LECTURE_X), W, b, (np.outer([6.2, 0.0, 0.0], LECTURE_X),
                                                 arr([6.2, 0.0, 0.0])))


lecture_layer_gradients.agrees(
    1, "agrees with the reference on random layers (one neuron, non-square W)", seed=15,
    name="random",
    inputs=lambda rng: [(rng.normal(size=d), rng.normal(size=(m, d)), rng.normal(size=m))
                        for m, d in [(1, 4), (3, 4), (5, 2), (3, 3)]],
    mistakes=lambda expected, *args: layer_mistakes(*args))


@lecture_layer_gradients.check(points=1)
def test_lecture_layer_gradients_gradient_check(student):
    """dW and db match central differences of L = (sum relu(W @ x + b))**2"""
    rng = np.random.default_rng(16)
    x, W, b = rng.normal(size=3), rng.normal(size=(5, 3)), rng.normal(size=5)

    def loss(W, b):
        return float(np.sum(fwd.relu(fwd.dense_forward(x[None, :], W, b))) ** 2)

    call = student.call("lecture_layer_gradients", x, W, b)
    dW, db = unpack(call, [0, 1])
    check_gradients(call, {"dW": dW, "db": db}, loss, (W, b), layer_mistakes(x, W, b))


lecture_layer_gradients.mutants(
    edit(RELU_AT_ZERO, "(z > 0)", "(z >= 0)"),
    edit(RELU_LEFT_OUT, "(z > 0)", "np.ones_like(z)"),
    edit(DW_TRANSPOSED, "np.outer(dz, x)", "np.outer(x, dz)"),
    edit(Y_FROM_Z, "np.sum(relu(z))", "np.sum(z)"),
)
