"""01_forward_pass: dot products, matrix products, one neuron and a dense layer."""

import numpy as np

from autograder.exercises import Exercise, call_naming, edit
from autograder.harness import Mistake, check_close
from reference import forward_pass as ref

from .common import IN_PLACE, SHAPE_ERROR

ELEMENTWISE_NOT_SUMMED = Mistake(
    "returned the elementwise product, not its sum",
    "`a * b` multiplies entry by entry; the dot product adds those products up into one number: "
    "a1*b1 + a2*b2 + a3*b3.",
    "001",
)
SUMS_MULTIPLIED = Mistake(
    "multiplied the sums instead of summing the products",
    "(a1 + a2 + a3) * (b1 + b2 + b3) is not a1*b1 + a2*b2 + a3*b3: multiply entry by entry "
    "first, then add (`np.sum(a * b)` or `np.dot(a, b)`).",
    "001",
)
WRONG_ORDER = Mistake(
    "multiplied in the wrong order",
    "Matrix products do not commute: np.dot(a, B) and np.dot(B, a) are different. "
    "With a = [1, 2, 3] and the lecture's B, a @ B = [48, 54, 60] but B @ a = [32, 50, 68].",
    "001",
)
ELEMENTWISE_MATRIX = Mistake(
    "elementwise product instead of a matrix product",
    "`A * B` multiplies matching entries. Entry (i, j) of the matrix product is the dot product "
    "of row i of A with column j of B: use `A @ B` or `np.dot(A, B)`.",
    "001",
)
NO_BIAS = Mistake(
    "left out the bias",
    "A neuron adds its bias to the weighted sum: z = b + sum_i x_i w_i. Without b every "
    "neuron is forced through the origin.",
    "004",
)
NO_TRANSPOSE = Mistake(
    "W where W.T belongs",
    "W has one row per neuron, shape (n_neurons, n_inputs), so the layer is "
    "`np.dot(X, W.T) + b`. `X @ W` only runs when W is square, and then gives the wrong numbers.",
    "001",
)

# ----------------------------------------------------------------------------------------------
# dot_product

dot_product = Exercise("dot_product", ref)


def _dot_mistakes(expected, a, b):
    return [ELEMENTWISE_NOT_SUMMED.with_value(a * b),
            SUMS_MULTIPLIED.with_value(a.sum() * b.sum())]


@dot_product.check(points=1)
def test_dot_product_hand_example(student):
    """hand example: [1, 2, 3] . [4, 5, 6] = 32"""
    a, b = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    call = student.call("dot_product", a, b)
    check_close(call, 32.0, mistakes=_dot_mistakes(32.0, a, b))


dot_product.agrees(1, "random vectors of length 1, 5 and 100 match np.dot", seed=1,
                   inputs=lambda rng: [(rng.normal(size=d), rng.normal(size=d))
                                       for d in (1, 5, 100)],
                   mistakes=_dot_mistakes, name="matches_numpy")
dot_product.unchanged(1, lambda rng: (rng.normal(size=4), rng.normal(size=4)), IN_PLACE)
dot_product.mutants(
    edit(ELEMENTWISE_NOT_SUMMED, "return float(np.sum(a * b))", "return a * b"),
    edit(IN_PLACE, "return float(np.sum(a * b))", "a *= b\n    return float(a.sum())"),
    edit(SUMS_MULTIPLIED, "np.sum(a * b)", "np.sum(a) * np.sum(b)"),
)

# ----------------------------------------------------------------------------------------------
# vector_matrix_product and matrix_vector_product (lecture 001's a and B)

LECTURE_A = np.array([1.0, 2.0, 3.0])
LECTURE_B = np.array([[4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]])
A_B = "np.asarray(a, dtype=float) @ np.asarray(B, dtype=float)"
B_A = "np.asarray(B, dtype=float) @ np.asarray(a, dtype=float)"

vector_matrix_product = Exercise("vector_matrix_product", ref)


def _mirror_rows(exercise, doc, seed, sizes, unchanged, product, other, in_place):
    """The rows and mutants of a vector-matrix product (the two are mirror images): agreement
    on random arrays of `sizes` (one pair per call), inputs unchanged on arrays of `unchanged`,
    the `other` order, and a product computed in B's own memory (`in_place`)."""
    exercise.agrees(1, doc, seed=seed,
                    inputs=lambda rng: [tuple(rng.normal(size=s) for s in pair) for pair in sizes])
    exercise.unchanged(1, lambda rng: tuple(rng.normal(size=s) for s in unchanged), IN_PLACE)
    exercise.mutants(edit(WRONG_ORDER, product, other),
                     edit(IN_PLACE, f"return {product}",
                          f"B = np.asarray(B, dtype=float)\n{in_place}"))


def _lecture_product(student, function, args, expected):
    """The lecture's product of `args`; the other order is WRONG_ORDER."""
    call = student.call(function, *args)
    check_close(call, np.array(expected), mistakes=[WRONG_ORDER.with_value(args[1] @ args[0])])


@vector_matrix_product.check(points=1)
def test_vector_matrix_product_lecture_example(student):
    """lecture example (lecture 001): [1, 2, 3] times the 3x3 matrix gives [48, 54, 60]"""
    _lecture_product(student, "vector_matrix_product", (LECTURE_A, LECTURE_B), [48.0, 54.0, 60.0])


_mirror_rows(vector_matrix_product, "random vectors and non-square matrices (3x5, 1x4, 6x2) "
             "match a @ B", 3, [(3, (3, 5)), (1, (1, 4)), (6, (6, 2))], (3, (3, 2)), A_B, B_A,
             "    B *= np.asarray(a, dtype=float)[:, None]\n    return B.sum(axis=0)")

matrix_vector_product = Exercise("matrix_vector_product", ref)


@matrix_vector_product.check(points=1)
def test_matrix_vector_product_lecture_example(student):
    """lecture example (lecture 001): the 3x3 matrix times [1, 2, 3] gives [32, 50, 68]"""
    _lecture_product(student, "matrix_vector_product", (LECTURE_B, LECTURE_A), [32.0, 50.0, 68.0])


_mirror_rows(matrix_vector_product, "random non-square matrices (5x3, 4x1, 2x6) and vectors "
             "match B @ a", 5, [((5, 3), 3), ((4, 1), 1), ((2, 6), 6)], ((2, 3), 3), B_A, A_B,
             "    B *= np.asarray(a, dtype=float)\n    return B.sum(axis=1)")

# ----------------------------------------------------------------------------------------------
# matrix_product

matrix_product = Exercise("matrix_product", ref)


@matrix_product.check(points=1)
def test_matrix_product_hand_example(student):
    """hand example: [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]]"""
    A, B = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0, 6.0], [7.0, 8.0]])
    call = student.call("matrix_product", A, B)
    check_close(call, np.array([[19.0, 22.0], [43.0, 50.0]]),
                mistakes=[ELEMENTWISE_MATRIX.with_value(A * B), WRONG_ORDER.with_value(B @ A)])


matrix_product.agrees(
    1, "random non-square matrices (2x3 @ 3x4, 1x5 @ 5x1, 4x1 @ 1x3) match A @ B", seed=7,
    inputs=lambda rng: [(rng.normal(size=(n, k)), rng.normal(size=(k, m)))
                        for n, k, m in ((2, 3, 4), (1, 5, 1), (4, 1, 3))])
matrix_product.unchanged(1, lambda rng: (rng.normal(size=(2, 3)), rng.normal(size=(3, 2))),
                         IN_PLACE)
matrix_product.mutants(
    edit(ELEMENTWISE_MATRIX, "float) @ np", "float) * np"),
    edit(WRONG_ORDER, "np.asarray(A, dtype=float) @ np.asarray(B, dtype=float)",
         "np.asarray(B, dtype=float) @ np.asarray(A, dtype=float)"),
    edit(IN_PLACE, "return np.asarray(A, dtype=float) @ np.asarray(B, dtype=float)",
         "A = np.asarray(A, dtype=float)\n    out = A @ np.asarray(B, dtype=float)\n"
         "    A.fill(0.0)  # A used as scratch space afterwards\n    return out"),
)

# ----------------------------------------------------------------------------------------------
# neuron_forward

neuron_forward = Exercise("neuron_forward", ref)


@neuron_forward.check(points=1)
def test_neuron_forward_lecture_example(student):
    """lecture example (lecture 004): x = [-1, 2], w = [3, -2], b = 1 gives z = -6"""
    call = student.call("neuron_forward", np.array([-1.0, 2.0]), np.array([3.0, -2.0]), 1.0)
    check_close(call, -6.0, mistakes=[NO_BIAS.with_value(-7.0)])


neuron_forward.agrees(
    1, "random neurons with 1, 3 and 10 inputs match w . x + b", seed=9,
    inputs=lambda rng: [(rng.normal(size=d), rng.normal(size=d), float(rng.normal()))
                        for d in (1, 3, 10)],
    mistakes=lambda expected, x, w, b: [NO_BIAS.with_value(x @ w)])
neuron_forward.unchanged(1, lambda rng: (rng.normal(size=3), rng.normal(size=3), 0.5), IN_PLACE)
neuron_forward.mutants(
    edit(NO_BIAS, "np.sum(x * w) + b", "np.sum(x * w)"),
    edit(IN_PLACE, "return float(np.sum(x * w) + b)", "x *= w\n    return float(x.sum() + b)"),
)

# ----------------------------------------------------------------------------------------------
# dense_forward

LAYER_X = np.array([[1.0, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
LAYER_W = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]])
LAYER_B = np.array([0.1, 0.2, 0.3])

dense_forward = Exercise("dense_forward", ref)


@dense_forward.check(points=1.5)
def test_dense_forward_lecture_example(student):
    """lecture example (lecture 001): 3 samples, 4 inputs, 3 neurons"""
    call = call_naming(student, NO_TRANSPOSE, SHAPE_ERROR, "dense_forward",
                       LAYER_X, LAYER_W, LAYER_B)
    expected = np.array([[3.1, 7.2, 11.3], [7.1, 17.6, 28.1], [11.1, 28.0, 44.9]])
    check_close(call, expected, mistakes=[NO_BIAS.with_value(LAYER_X @ LAYER_W.T)])


@dense_forward.check(points=1)
def test_dense_forward_square_weights(student):
    """square weights (3 inputs, 3 neurons): uses W.T, not W"""
    X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
    b = np.array([0.5, -0.5, 1.0])
    call = student.call("dense_forward", X, W, b)
    check_close(call, ref.dense_forward(X, W, b),
                mistakes=[NO_TRANSPOSE.with_value(X @ W + b), NO_BIAS.with_value(X @ W.T)])


dense_forward.agrees(
    1.5, "random batches and non-square weights (including a batch of 1) match X @ W.T + b",
    seed=11, raising=(NO_TRANSPOSE, SHAPE_ERROR),
    inputs=lambda rng: [(rng.normal(size=(n, d)), rng.normal(size=(m, d)), rng.normal(size=m))
                        for n, d, m in ((1, 4, 3), (5, 3, 2), (2, 6, 7), (8, 1, 5))],
    mistakes=lambda expected, X, W, b: [NO_BIAS.with_value(X @ W.T)])
dense_forward.unchanged(1, lambda rng: (rng.normal(size=(4, 3)), rng.normal(size=(2, 3)),
                                        rng.normal(size=2)), IN_PLACE)
dense_forward.mutants(
    edit(NO_TRANSPOSE, "return X @ W.T + b", "return X @ W + b"),
    edit(NO_BIAS, "return X @ W.T + b", "return X @ W.T"),
    edit(IN_PLACE, "return X @ W.T + b", "out = X @ W.T + b\n"
         "    X -= X.mean(axis=0)  # \"centres\" the caller's data as a side effect\n"
         "    return out"),
)
