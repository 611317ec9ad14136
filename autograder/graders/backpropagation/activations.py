"""02_backpropagation: the backward passes of relu, sigmoid and tanh."""

import numpy as np

from autograder.diagnosis import diagnose
from autograder.exercises import Exercise, edit
from autograder.harness import ATOL, RTOL, Mistake, check, check_close, check_unchanged
from reference import backpropagation as ref
from reference import forward_pass as fwd

from .common import IN_PLACE, RELU_AT_ZERO, arr, check_gradient

SIGMOID_OF_Z = Mistake(
    "sigmoid's derivative taken of `z` instead of `sigmoid(z)`",
    "The derivative is s * (1 - s) with s = sigmoid(z). z * (1 - z) skips the sigmoid.",
    "004",
)
TANH_OF_Z = Mistake(
    "tanh's derivative taken of `z` instead of `tanh(z)`",
    "The derivative is 1 - t**2 with t = tanh(z). 1 - z**2 skips the tanh.",
    "004",
)
RELU_MASK_FROM_DVALUES = Mistake(
    "ReLU's mask taken from dvalues instead of z",
    "Whether a gradient passes depends on the forward input: dz = dvalues * (z > 0). "
    "The sign of the upstream gradient does not matter.",
    "000",
)
UPSTREAM_DROPPED = Mistake(
    "upstream gradient not multiplied in",
    "The chain rule multiplies the local derivative by the gradient that arrives from above: "
    "dz = dvalues * f'(z), not f'(z) alone.",
    "000",
)
TANH_OVERFLOW = Mistake(
    "tanh from exponentials overflows in the backward pass",
    "(exp(z) - exp(-z)) / (exp(z) + exp(-z)) is inf / inf = nan once |z| > ~710, and a nan "
    "gradient stops a whole network from training. np.tanh does not overflow: use "
    "`1 - np.tanh(z)**2`.",
    "004",
)
SIGMOID_OVERFLOW = Mistake(
    "sigmoid from exp(z) / (1 + exp(z)) overflows in the backward pass",
    "exp(1000) is inf and inf / inf is nan, so the gradient is nan for a large z. Use the "
    "given `sigmoid(z)` (or 1 / (1 + exp(-z)), clipping z to [-500, 500] if you like).",
    "004",
)
TANH_NOT_SQUARED = Mistake(
    "tanh's derivative without the square",
    "d tanh(z)/dz = 1 - tanh(z)**2: the tanh is squared.",
    "004",
)

RANDOM = "agrees with the reference on random inputs of several shapes"
# the inputs-unchanged row of relu_backward, sigmoid_backward and tanh_backward
BATCH = (arr([[1.5, -2.0, 0.5], [3.0, 1.0, -1.0]]), arr([[-1.0, 2.0, 0.5], [-0.5, -3.0, 1.0]]))


def activation_cases(rng):
    """(dvalues, z) pairs: a batch of one, several shapes, z away from ReLU's kink."""
    cases = []
    for shape in [(1, 1), (1, 5), (4, 3), (2, 3, 2), (6,)]:
        z = rng.uniform(0.1, 4.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
        cases.append((rng.normal(size=shape), z))
    return cases


def activation_mistakes(dvalues, z):
    s, t = fwd.sigmoid(z), np.tanh(z)
    return [RELU_AT_ZERO.with_value(dvalues * (z >= 0)),
            SIGMOID_OF_Z.with_value(dvalues * z * (1 - z)),
            TANH_OF_Z.with_value(dvalues * (1 - z**2)),
            RELU_MASK_FROM_DVALUES.with_value(dvalues * (dvalues > 0)),
            TANH_NOT_SQUARED.with_value(dvalues * (1 - t)),
            *(UPSTREAM_DROPPED.with_value(local)
              for local in ((z > 0) * 1.0, s * (1 - s), 1 - t**2))]


def random_mistakes(expected, dvalues, z):
    return activation_mistakes(dvalues, z)


# the keywords of every activation's row of "agrees with the reference"
RANDOM_ROW = {"inputs": activation_cases, "mistakes": random_mistakes, "name": "random"}


def gradient_check_and_unchanged(exercise, forward):
    """What every activation's backward pass shares after its row of "agrees with the
    reference": a gradient check against central differences of `forward`, and its row of
    "leaves its inputs unchanged"."""
    function = exercise.function

    def test(student):
        rng = np.random.default_rng(11)
        z = rng.uniform(0.1, 3.0, size=(3, 4)) * rng.choice([-1.0, 1.0], size=(3, 4))
        dvalues = rng.normal(size=(3, 4))
        numeric = ref.numerical_gradient(lambda v: float(np.sum(dvalues * forward(v))), z)
        call = student.call(function, dvalues, z)
        check_gradient(call, call.value, numeric, "dz", mistakes=activation_mistakes(dvalues, z))

    test.__name__ = test.__qualname__ = f"test_{function}_gradient_check"
    test.__doc__ = f"matches central differences of {forward.__name__}"
    exercise.check(points=1)(test)
    exercise.unchanged(1, BATCH, IN_PLACE, mistakes=activation_mistakes)


LARGE_Z = arr([[-1000.0, -800.0, -20.0, 0.0, 20.0, 800.0, 1000.0]])
LARGE_Z_WHY = ("At |z| up to 1000 (an edge the spec names) the derivative is 0 or nearly. The "
               "tolerance is the usual rtol=1e-5, atol=1e-8: a sigmoid that clips z to [-500, 500] "
               "gives about 7e-218 there and passes, float32 passes, nan or inf does not.")


def check_large_z(student, function, mistake, naive):
    """The backward pass at |z| up to 1000: finite, and the reference's value.

    A nan or inf is reported at the first z where it appears; `mistake` is named only when the
    student's non-finite entries are exactly where `naive` (the overflowing formula) has them.
    """
    dvalues = np.full(LARGE_Z.shape, 2.0)
    call = student.call(function, dvalues, LARGE_Z)
    expected = getattr(ref, function)(dvalues, LARGE_Z)
    try:
        got = np.asarray(call.value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        got = None
    if got is not None and got.shape == LARGE_Z.shape and not np.isfinite(got).all():
        where = tuple(np.argwhere(~np.isfinite(got))[0])
        with np.errstate(over="ignore", invalid="ignore"):
            bad = ~np.isfinite(naive(LARGE_Z))
        named = mistake if np.array_equal(bad, ~np.isfinite(got)) else diagnose(
            call, expected, RTOL, ATOL)  # another formula's overflow: where it is, if proved
        check(False, call, f"{_num(got[where])} for z = {LARGE_Z[where]:g}, where the derivative "
              f"is {_num(expected[where])}: exp({abs(LARGE_Z[where]):g}) overflows to inf, and "
              f"inf / inf is nan; {'np.tanh' if 'tanh' in function else 'sigmoid(z)'} does not "
              "overflow.", named)
    # "upstream not multiplied in" is this function's own local derivative: at z = 0 another
    # activation's (1 - tanh**2 = 1) equals 4 * sigmoid's, a coincidence and not the mistake
    own = [m for m in activation_mistakes(dvalues, LARGE_Z) if m.mistake is not UPSTREAM_DROPPED]
    # an input changed only here (z clipped in place) is charged here: see check_unchanged
    check_unchanged(call, expected, IN_PLACE, why=LARGE_Z_WHY,
                    ordinary=lambda: student.call(function, *BATCH),
                    mistakes=[*own, UPSTREAM_DROPPED.with_value(expected / dvalues)])


def _num(x) -> str:
    return f"{float(x):.6g}"


# ----------------------------------------------------------------------------------------------
# relu_backward

relu_backward = Exercise("relu_backward", ref)


@relu_backward.check(points=1, edge="relu-0")
def test_relu_backward_lecture_rule(student):
    """passes the gradient only where z > 0 (lecture 000: 1(z > 0), so nothing at z == 0)"""
    dvalues, z = arr([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), arr([[-2.0, 0.0, 0.5], [0.0, 3.0, -1.0]])
    call = student.call("relu_backward", dvalues, z)
    check_close(call, arr([[0.0, 0.0, 3.0], [0.0, 5.0, 0.0]]),
                mistakes=activation_mistakes(dvalues, z))


relu_backward.agrees(1, RANDOM, seed=1, **RANDOM_ROW)
gradient_check_and_unchanged(relu_backward, fwd.relu)

relu_backward.mutants(
    edit(RELU_AT_ZERO, "float) > 0)", "float) >= 0)", edge="relu-0"),
    edit(IN_PLACE, "    return dvalues * (np.asarray(z, dtype=float) > 0)",
         "    dvalues[np.asarray(z, dtype=float) <= 0] = 0\n    return dvalues"),
    edit(RELU_MASK_FROM_DVALUES, "(np.asarray(z, dtype=float) > 0)", "(dvalues > 0)"),
)

# ----------------------------------------------------------------------------------------------
# sigmoid_backward

sigmoid_backward = Exercise("sigmoid_backward", ref)


@sigmoid_backward.check(points=1)
def test_sigmoid_backward_examples(student):
    """s * (1 - s) at z = -6 (lecture 004's neuron), 0 and 2"""
    dvalues, z = arr([1.0, 1.0, 1.0, 2.0]), arr([-6.0, 0.0, 2.0, 0.0])
    s = 1 / (1 + np.exp(-z))
    call = student.call("sigmoid_backward", dvalues, z)
    check_close(call, dvalues * s * (1 - s), mistakes=activation_mistakes(dvalues, z))


sigmoid_backward.agrees(1, RANDOM, seed=2, **RANDOM_ROW)
gradient_check_and_unchanged(sigmoid_backward, fwd.sigmoid)


@sigmoid_backward.check(points=1, edge="sigmoid-1000")
def test_sigmoid_backward_large_inputs(student):
    """finite and right for |z| up to 1000 (no overflow)"""
    check_large_z(student, "sigmoid_backward", SIGMOID_OVERFLOW,
                  lambda z: np.exp(z) / (1 + np.exp(z)))


sigmoid_backward.mutants(
    edit(SIGMOID_OF_Z, "s = sigmoid(np.asarray(z, dtype=float))", "s = np.asarray(z, dtype=float)"),
    edit(UPSTREAM_DROPPED, "return np.asarray(dvalues, dtype=float) * s", "return s"),
    edit(SIGMOID_OVERFLOW, "    s = sigmoid(np.asarray(z, dtype=float))",
         "    z = np.asarray(z, dtype=float)\n    s = np.exp(z) / (1 + np.exp(z))",
         edge="sigmoid-1000"),
)

# ----------------------------------------------------------------------------------------------
# tanh_backward

tanh_backward = Exercise("tanh_backward", ref)


@tanh_backward.check(points=1, edge="tanh-1000")
def test_tanh_backward_large_inputs(student):
    """finite and right for |z| up to 1000 (no overflow)"""
    check_large_z(student, "tanh_backward", TANH_OVERFLOW,
                  lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)))


@tanh_backward.check(points=1)
def test_tanh_backward_examples(student):
    """1 - tanh(z)**2 at z = 0, 1 and -2"""
    dvalues, z = arr([1.0, 1.0, 3.0]), arr([0.0, 1.0, -2.0])
    call = student.call("tanh_backward", dvalues, z)
    check_close(call, dvalues * (1 - np.tanh(z) ** 2), mistakes=activation_mistakes(dvalues, z))


tanh_backward.agrees(1, RANDOM, seed=3, **RANDOM_ROW)
gradient_check_and_unchanged(tanh_backward, fwd.tanh)

tanh_backward.mutants(
    edit(TANH_OF_Z, "t = np.tanh(np.asarray(z, dtype=float))", "t = np.asarray(z, dtype=float)"),
    edit(TANH_NOT_SQUARED, "(1 - t**2)", "(1 - t)"),
    edit(TANH_OVERFLOW, "    t = np.tanh(np.asarray(z, dtype=float))",
         "    z = np.asarray(z, dtype=float)\n"
         "    t = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))", edge="tanh-1000"),
)
