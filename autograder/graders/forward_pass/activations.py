"""01_forward_pass: the activation functions relu, sigmoid, tanh and softmax."""

import numpy as np

from autograder.exercises import Exercise, call_naming, edit
from autograder.harness import Mistake, check_close, check_unchanged
from reference import forward_pass as ref

from .common import IN_PLACE, STRICT, not_finite

RELU_MIN = Mistake(
    "min instead of max in ReLU",
    "ReLU keeps positive values and turns negative ones into 0: relu(z) = max(0, z), "
    "elementwise with `np.maximum(0, z)`.",
    "004",
)
SIGMOID_SIGN = Mistake(
    "sign error in sigmoid's exponent",
    "sigmoid(z) = 1 / (1 + exp(-z)): note the minus. sigmoid(-6) is about 0.0025, not 0.9975.",
    "004",
)
SIGMOID_CLIPPED = Mistake(
    "sigmoid kept away from 0 and 1",
    "sigmoid(z) comes as close to 0 and 1 as the numbers allow: sigmoid(-50) is about 2e-22. "
    "Clipping its output (to [1e-3, 1 - 1e-3], say) changes the values; leave that to the loss.",
    "004",
)
SIGMOID_OVERFLOW = Mistake(
    "sigmoid from exp(z) / (1 + exp(z)) overflows",
    "exp(1000) is inf and inf / inf is nan. 1 / (1 + exp(-z)) gives 0 and 1 at |z| = 1000 "
    "(exp(-z) may overflow to inf there, and 1 / inf is 0); clipping z to [-500, 500] first "
    "is fine too.",
    "004",
)
TANH_HALF = Mistake(
    "2 sigmoid(z) - 1 is tanh(z / 2)",
    "2 / (1 + exp(-z)) - 1 equals tanh(z / 2), not tanh(z). tanh(z) = 2 sigmoid(2z) - 1, or "
    "simply `np.tanh(z)`.",
    "004",
)
TANH_OVERFLOW = Mistake(
    "tanh from exponentials overflows",
    "(exp(z) - exp(-z)) / (exp(z) + exp(-z)) becomes inf / inf = nan once |z| > ~710. "
    "Use `np.tanh`, which is exact for every input.",
    "004",
)
NO_SHIFT = Mistake(
    "softmax without the max shift",
    "exp(1000) overflows to inf and inf / inf is nan. Subtract each row's maximum before exp "
    "(`z - np.max(z, axis=-1, keepdims=True)`): the probabilities do not change.",
    "001",
)
SOFTMAX_AXIS = Mistake(
    "softmax normalised over the wrong axis",
    "Each row (one sample) must sum to 1: sum over the last axis with `keepdims=True`, "
    "not over the whole array or over the columns.",
    "001",
)
SOFTMAX_1D = Mistake(
    "softmax fails on a 1-D input",
    "A 1-D z is one sample. Work along the last axis, `axis=-1` with `keepdims=True`: that is "
    "the row of a (k,) input and each row of an (n, k) input, and the shape is kept.",
    "001",
)

BATCH = np.array([[-1.0, 2.0], [0.5, -3.0]])  # the inputs-unchanged row of relu, sigmoid, tanh


def _reshaped_only(value, expected) -> bool:
    """The expected values in another shape ((1, k) for (k,)): only the shape is wrong."""
    try:
        v = np.asarray(value, dtype=float)
    except (TypeError, ValueError):  # a tuple of arrays, or no numbers: no values to compare
        v = np.zeros(0)
    return v.shape != expected.shape and v.size == expected.size and bool(
        np.allclose(v.ravel(), expected, rtol=1e-5, atol=1e-8))


def _shapes(*shapes, scale=1.0):
    return lambda rng: [(rng.normal(size=shape) * scale,) for shape in shapes]


# ----------------------------------------------------------------------------------------------
# relu

relu = Exercise("relu", ref)


@relu.check(points=1)
def test_relu_hand_example(student):
    """hand example with negative, zero and positive inputs (relu(0) = 0)"""
    z = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
    call = student.call("relu", z)
    check_close(call, np.array([[0.0, 0.0, 0.0, 0.5, 2.0]]),
                mistakes=[RELU_MIN.with_value(np.minimum(0.0, z))])


relu.agrees(1, "random inputs of shapes (7,), (1, 4) and (3, 5) keep their shape and match "
            "max(0, z)", seed=13, inputs=_shapes((7,), (1, 4), (3, 5)),
            mistakes=lambda expected, z: [RELU_MIN.with_value(np.minimum(0.0, z))])
relu.unchanged(1, (BATCH,), IN_PLACE)
relu.mutants(
    edit(RELU_MIN, "np.maximum", "np.minimum"),
    edit(IN_PLACE, "return np.maximum(0.0, np.asarray(z, dtype=float))",
         "z = np.asarray(z, dtype=float)\n    z[z < 0] = 0.0\n    return z"),
)

# ----------------------------------------------------------------------------------------------
# sigmoid

sigmoid = Exercise("sigmoid", ref)
STABLE_SIGMOID = ("    e = np.exp(-np.abs(z))\n"
                  "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))")


@sigmoid.check(points=1)
def test_sigmoid_lecture_example(student):
    """lecture example (lecture 004): sigmoid(-6) = 0.002473, sigmoid(0) = 0.5"""
    z = np.array([-6.0, 0.0, 6.0])
    call = student.call("sigmoid", z)
    check_close(call, np.array([0.0024726232, 0.5, 0.9975273768]),
                mistakes=[SIGMOID_SIGN.with_value(1 / (1 + np.exp(z)))])


sigmoid.agrees(1, "random inputs of shapes (6,), (1, 3) and (4, 5) keep their shape and match",
               seed=14, inputs=_shapes((6,), (1, 3), (4, 5), scale=3),
               mistakes=lambda expected, z: [SIGMOID_SIGN.with_value(1 / (1 + np.exp(z)))])


@sigmoid.check(points=0.5, edge="sigmoid-1000")
def test_sigmoid_large_inputs(student):
    """large inputs (|z| up to 1000) give 0 and 1, not nan"""
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    call = student.call("sigmoid", z)

    def clipped(value):
        gap = np.abs(np.asarray(value, dtype=float) - ref.sigmoid(z))
        return 1e-12 < gap.max() <= 0.05

    # an input changed only here (z clipped in place at 50) is charged here: see check_unchanged
    check_unchanged(call, ref.sigmoid(z), IN_PLACE, ordinary=lambda: student.call("sigmoid", BATCH),
                    mistakes=[SIGMOID_OVERFLOW.with_value(not_finite),
                              SIGMOID_CLIPPED.with_value(clipped)],
                    why=STRICT.format("|z| up to 1000 must not overflow"))


sigmoid.unchanged(0.5, (BATCH,), IN_PLACE)
sigmoid.mutants(
    edit(SIGMOID_SIGN, STABLE_SIGMOID, "    return 1.0 / (1.0 + np.exp(z))"),
    edit(IN_PLACE, STABLE_SIGMOID, "    np.negative(z, out=z)\n    np.exp(z, out=z)\n"
         "    z += 1.0\n    return 1.0 / z"),
    edit(SIGMOID_CLIPPED, "np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
         "np.clip(np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), 1e-3, 1 - 1e-3)"),
    edit(SIGMOID_OVERFLOW, STABLE_SIGMOID, "    return np.exp(z) / (1.0 + np.exp(z))",
         edge="sigmoid-1000"),
    # clips the caller's z where |z| >= 50 only: the unchanged row's ordinary z never shows it
    edit(IN_PLACE, STABLE_SIGMOID, "    z[z >= 50] = 50\n    z[z <= -50] = -50\n" + STABLE_SIGMOID,
         edge="sigmoid-1000"),
)

# ----------------------------------------------------------------------------------------------
# tanh

tanh = Exercise("tanh", ref)
NP_TANH = "return np.tanh(np.asarray(z, dtype=float))"


@tanh.check(points=1)
def test_tanh_hand_example(student):
    """hand example: tanh(0) = 0, tanh(1) = 0.761594, tanh(-2) = -0.964028"""
    z = np.array([0.0, 1.0, -2.0])
    call = student.call("tanh", z)
    check_close(call, np.array([0.0, 0.7615941559557649, -0.9640275800758169]),
                mistakes=[TANH_HALF.with_value(np.tanh(z / 2))])


tanh.agrees(1, "random inputs of shapes (6,), (1, 3) and (4, 5) keep their shape and match "
            "np.tanh", seed=15, inputs=_shapes((6,), (1, 3), (4, 5), scale=2),
            mistakes=lambda expected, z: [TANH_HALF.with_value(np.tanh(z / 2))])


@tanh.check(points=0.5, edge="tanh-1000")
def test_tanh_large_inputs(student):
    """large inputs (|z| up to 1000) give -1 and 1, not nan"""
    z = np.array([-1000.0, -20.0, 0.0, 20.0, 1000.0])
    call = student.call("tanh", z)
    check_unchanged(call, ref.tanh(z), IN_PLACE, ordinary=lambda: student.call("tanh", BATCH),
                    mistakes=[TANH_OVERFLOW.with_value(not_finite)],
                    why=STRICT.format("|z| up to 1000 must not overflow"))


tanh.unchanged(0.5, (BATCH,), IN_PLACE)
tanh.mutants(
    edit(TANH_OVERFLOW, NP_TANH, "z = np.asarray(z, dtype=float)\n"
         "    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))", edge="tanh-1000"),
    edit(IN_PLACE, NP_TANH, "z = np.asarray(z, dtype=float)\n    np.tanh(z, out=z)\n    return z"),
    edit(TANH_HALF, NP_TANH, "z = np.asarray(z, dtype=float)\n"
         "    return 2.0 / (1.0 + np.exp(-z)) - 1.0  # 2 sigmoid(z) - 1 is tanh(z / 2)"),
)

# ----------------------------------------------------------------------------------------------
# softmax

softmax = Exercise("softmax", ref)


def _wrong_axis(z):
    e = np.exp(z - np.max(z))
    return [SOFTMAX_AXIS.with_value(e / e.sum()), SOFTMAX_AXIS.with_value(e / e.sum(axis=0))]


@softmax.check(points=1, edge="softmax-1d")
def test_softmax_one_row(student):
    """a 1-D input is one row: softmax([1, 2, 3]) = [0.090031, 0.244728, 0.665241]"""
    call = call_naming(student, SOFTMAX_1D, ("AxisError", "axis 1"), "softmax",
                       np.array([1.0, 2.0, 3.0]))
    expected = np.array([0.09003057317038046, 0.24472847105479767, 0.6652409557748219])
    check_close(call, expected, mistakes=[SOFTMAX_1D.with_value(
        lambda v: _reshaped_only(v, expected))])


@softmax.check(points=1)
def test_softmax_row_wise(student):
    """row-wise on a batch: every row sums to 1"""
    z = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    call = student.call("softmax", z)
    check_close(call, ref.softmax(z), mistakes=_wrong_axis(z))


softmax.agrees(1, "random logits of shapes (1, 3), (4, 5) and (7, 2) match the reference",
               seed=16, inputs=_shapes((1, 3), (4, 5), (7, 2), scale=3),
               mistakes=lambda expected, z: _wrong_axis(z))


@softmax.check(points=1, edge="logits-1000")
def test_softmax_large_logits(student):
    """logits near 1000 give finite probabilities (no overflow)"""
    z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    call = student.call("softmax", z)
    check_close(call, ref.softmax(z), mistakes=[NO_SHIFT.with_value(not_finite)],
                why=STRICT.format("logits near 1000 must not overflow"))


softmax.unchanged(1, (np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]),), IN_PLACE)
softmax.mutants(
    edit(NO_SHIFT, "np.exp(z - np.max(z, axis=-1, keepdims=True))", "np.exp(z)",
         edge="logits-1000"),
    edit(SOFTMAX_AXIS, "np.max(z, axis=-1, keepdims=True)", "np.max(z)",
         "np.sum(e, axis=-1, keepdims=True)", "np.sum(e)"),
    edit(SOFTMAX_AXIS, "np.max(z, axis=-1", "np.max(z, axis=0", "np.sum(e, axis=-1",
         "np.sum(e, axis=0"),
    edit(IN_PLACE, "e = np.exp(z - np.max(z, axis=-1, keepdims=True))",
         "z -= np.max(z, axis=-1, keepdims=True)\n    e = np.exp(z)"),
    edit(SOFTMAX_1D, "np.max(z, axis=-1", "np.max(z, axis=1", "np.sum(e, axis=-1",
         "np.sum(e, axis=1", edge="softmax-1d"),
)
