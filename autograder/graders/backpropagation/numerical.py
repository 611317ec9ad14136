"""02_backpropagation: the numerical gradient by central differences. The functions it is handed
are grader-written source, defined on the student's side and here alike."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import Mistake, check_close, check_unchanged
from reference import backpropagation as ref

from .common import IN_PLACE, LECTURE_ROW, LECTURE_W, arr

FORWARD_DIFFERENCE = Mistake(
    "a one-sided difference instead of a central one",
    "Use (f(x + h) - f(x - h)) / (2h), nudging one element at a time: it is exact for "
    "quadratics and far more accurate than (f(x + h) - f(x)) / h.",
)
H_IGNORED = Mistake(
    "ignores the h it is given",
    "numerical_gradient(f, x, h) must nudge each element by the h passed in: "
    "(f(x + h) - f(x - h)) / (2h), with h = 1e-5 only as the default.",
    "000",
)

CENTRAL = ("This check is stricter than the usual tolerance on purpose: a forward difference "
           "is off by about h, a central difference by about h**2.")
SUM_OF_SQUARES = "def grader_sum_of_squares(x):\n    return float(np.sum(x ** 2))\n"
SUM_OF_CUBES = "def grader_sum_of_cubes(x):\n    return float(np.sum(x ** 3))\n"
LECTURE_LOSS = (
    "def grader_lecture_loss(W):\n"
    "    x = np.array([1.0, 2.0, 3.0, 4.0])\n"
    "    b = np.array([0.1, 0.2, 0.3])\n"
    "    return float(np.sum(np.maximum(W @ x + b, 0.0)) ** 2)\n"
)
MIXED = (
    "def grader_mixed(x):\n"
    "    v = np.ravel(x)\n"
    "    return float(np.sum(np.sin(v) * v[::-1]) + np.prod(np.cos(v)) + np.sum(v) ** 2)\n"
)


def both_sides(student, name, source):
    """Define grader-written `source` on the student's side and here; (remote handle, local f)."""
    local = {"np": np}
    exec(source, local)
    return student.define(name, source), local[name]


def forward_difference(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    base = f(x)
    for i in range(x.size):
        nudged = x.copy()
        nudged.flat[i] += h
        grad.flat[i] = (f(nudged) - base) / h
    return grad


numerical_gradient = Exercise("numerical_gradient", ref)


@numerical_gradient.check(points=1)
def test_numerical_gradient_examples(student):
    """sum(x**2) at [1, 2, 3] gives [2, 4, 6]; lecture 000's loss of W gives rows of 43.2 * x"""
    remote, local = both_sides(student, "grader_sum_of_squares", SUM_OF_SQUARES)
    x = arr([1.0, 2.0, 3.0])
    call = student.call("numerical_gradient", remote, x)
    check_close(call, arr([2.0, 4.0, 6.0]), rtol=1e-7, why=CENTRAL,
                mistakes=[FORWARD_DIFFERENCE.with_value(forward_difference(local, x, 1e-5))])
    remote, local = both_sides(student, "grader_lecture_loss", LECTURE_LOSS)
    W = arr(LECTURE_W)
    call = student.call("numerical_gradient", remote, W)
    check_close(call, arr([LECTURE_ROW] * 3), rtol=1e-7, why=CENTRAL,
                mistakes=[FORWARD_DIFFERENCE.with_value(forward_difference(local, W, 1e-5))])


# a check of its own, not a row of `agrees`: f is defined on both sides, h only sometimes given
@numerical_gradient.check(points=1)
def test_numerical_gradient_random(student):
    """agrees with the reference on random points of several shapes, default and given h"""
    rng = np.random.default_rng(17)
    remote, local = both_sides(student, "grader_mixed", MIXED)
    for shape, h in [((1,), None), ((4,), None), ((2, 3), None), ((3, 2), 1e-3), ((1, 1), 1e-4)]:
        x = rng.normal(size=shape)
        args = (remote, x) if h is None else (remote, x, h)
        expected = ref.numerical_gradient(local, x, *([] if h is None else [h]))
        call = student.call("numerical_gradient", *args)
        ignored = [] if h is None else [H_IGNORED.with_value(ref.numerical_gradient(local, x))]
        check_close(call, expected, rtol=1e-6, atol=1e-8, why=CENTRAL, mistakes=[
            FORWARD_DIFFERENCE.with_value(forward_difference(local, x, h or 1e-5)), *ignored])


@numerical_gradient.check(points=1)
def test_numerical_gradient_central(student):
    """central differences with the given h: sum(x**3) with h = 0.01 gives 3x**2 + h**2"""
    remote, local = both_sides(student, "grader_sum_of_cubes", SUM_OF_CUBES)
    x = arr([[1.0, -2.0], [0.5, 3.0]])
    call = student.call("numerical_gradient", remote, x, 0.01)
    check_close(call, 3 * x**2 + 1e-4, rtol=1e-9, atol=1e-9, why=CENTRAL,
                mistakes=[FORWARD_DIFFERENCE.with_value(forward_difference(local, x, 0.01)),
                          H_IGNORED.with_value(ref.numerical_gradient(local, x))],
                hint="Use the h you are given: (f(x + h) - f(x - h)) / (2h).")


# its own check of its inputs, not a row of the shared one: f is defined on the student's side
@numerical_gradient.check(points=1)
def test_numerical_gradient_inputs_unchanged(student):
    """leaves x exactly as it was"""
    remote, local = both_sides(student, "grader_sum_of_squares", SUM_OF_SQUARES)
    x = arr([[0.1, -0.7, 1.3], [2.9, 0.3, -1.1]])
    call = student.call("numerical_gradient", remote, x)
    check_unchanged(call, 2 * x, IN_PLACE,
                    mistakes=[FORWARD_DIFFERENCE.with_value(forward_difference(local, x, 1e-5))])


numerical_gradient.mutants(
    edit(FORWARD_DIFFERENCE, "        x.flat[i] = old - h\n"
         "        f_minus = f(x)\n"
         "        x.flat[i] = old\n"
         "        grad.flat[i] = (f_plus - f_minus) / (2 * h)",
         "        x.flat[i] = old\n"
         "        grad.flat[i] = (f_plus - f(x)) / h"),
    edit(IN_PLACE, "    # a private copy to nudge: the caller's x is never touched\n"
         "    x = np.array(x, dtype=float)",
         "    x = np.asarray(x, dtype=float)  # the caller's own array",
         "        x.flat[i] = old\n", ""),
    edit(H_IGNORED, "old + h", "old + 1e-5", "old - h", "old - 1e-5", "/ (2 * h)", "/ 2e-5"),
)
