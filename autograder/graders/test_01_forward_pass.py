"""Hidden graders of 01_forward_pass (lectures 004 and 001; notes 003).

Per function: the lecture's worked example (or a small hand example), agreement with the
reference on random inputs of several shapes, edge cases, and inputs left unchanged. The expected
values of the random checks come from the reference, run here in the trusted process.
"""

import numpy as np
from mistakes_forward_pass import (
    ACCURACY_COUNT,
    ACCURACY_ONE_HOT,
    BCE_ONE_TERM,
    COLLAPSE_BIAS,
    COLLAPSE_ORDER,
    ELEMENTWISE_MATRIX,
    ELEMENTWISE_NOT_SUMMED,
    HALF_MSE,
    IN_PLACE,
    INTEGER_ONE_HOT,
    LOG10,
    LOSS_SUMMED,
    MSE_NOT_SQUARED,
    NO_BIAS,
    NO_CLIP,
    NO_SHIFT,
    NO_TRANSPOSE,
    ONE_HOT_N_FROM_LABELS,
    ONE_HOT_OFF_BY_ONE,
    ONE_LABEL_FORM,
    RELU_MIN,
    SIGMOID_CLIPPED,
    SIGMOID_OVERFLOW,
    SIGMOID_SIGN,
    SOFTMAX_1D,
    SOFTMAX_AXIS,
    SUMS_MULTIPLIED,
    TANH_HALF,
    TANH_OVERFLOW,
    WRONG_ORDER,
)

from autograder.harness import (
    ATOL,
    RTOL,
    GraderFailure,
    check,
    check_close,
    grader,
    name_results,
    unchanged_graders,
)
from reference import forward_pass as ref

ASSIGNMENT = "01_forward_pass"
name_results("collapse_linear_layers", "W", "b")
STRICT = ("This check is about one known mistake, so it is as strict as that needs: "
          "{}.")

# ----------------------------------------------------------------------------------------------
# Known mistakes. Each title is what a failing check names; mutants/forward_pass.py makes each one.


BOTH_LABEL_FORMS = ("y_true may be class indices, shape (n,), or one-hot rows, shape (n, k): "
                    "handle both.")


def _not_finite(value):
    return not np.all(np.isfinite(np.asarray(value, dtype=float)))


def _rng(seed):
    return np.random.default_rng(seed)


def _probabilities(rng, n, k):
    logits = rng.normal(size=(n, k)) * 2
    return ref.softmax(logits)


SHAPE_ERROR = ("ValueError: matmul", "not aligned", "could not be broadcast")


def _call_naming(student, mistake, errors, function, *args):
    """student.call; when the function raised one of `errors` (message parts), name `mistake`."""
    try:
        return student.call(function, *args)
    except GraderFailure as failure:
        text = str(failure)
        raised = text.partition("It raised ")[2]
        if not any(error in raised for error in errors):
            raise
        raise GraderFailure(f"{text}\n{mistake.describe()}", mistake) from None


def _both_forms(student, function, y_pred, labels, k, mistakes=lambda expected: ()):
    """Check `function` with class indices and with one-hot targets; when exactly one form is
    right, the failure names ONE_LABEL_FORM."""
    failures = {}
    for form, y_true in (("indices", labels), ("one-hot", np.eye(k)[labels])):
        expected = getattr(ref, function)(y_pred, y_true)
        try:
            check_close(student.call(function, y_pred, y_true), expected, hint=BOTH_LABEL_FORMS,
                        mistakes=mistakes(expected))
        except GraderFailure as failure:
            failures[form] = failure
    if len(failures) == 1:
        (form, failure), = failures.items()
        raise GraderFailure(f"{failure}\nWith the other form of the same labels it is right.\n"
                            + ONE_LABEL_FORM.describe(), ONE_LABEL_FORM)
    if failures:
        raise next(iter(failures.values()))


# ----------------------------------------------------------------------------------------------
# dot_product

@grader("dot_product", points=1)
def test_dot_product_hand_example(student):
    """hand example: [1, 2, 3] . [4, 5, 6] = 32"""
    a, b = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    call = student.call("dot_product", a, b)
    check_close(call, 32.0, mistakes=[ELEMENTWISE_NOT_SUMMED.with_value(a * b),
                                      SUMS_MULTIPLIED.with_value(a.sum() * b.sum())])


@grader("dot_product", points=1)
def test_dot_product_matches_numpy(student):
    """random vectors of length 1, 5 and 100 match np.dot"""
    rng = _rng(1)
    for d in (1, 5, 100):
        a, b = rng.normal(size=d), rng.normal(size=d)
        call = student.call("dot_product", a, b)
        check_close(call, ref.dot_product(a, b),
                    mistakes=[ELEMENTWISE_NOT_SUMMED.with_value(a * b),
                              SUMS_MULTIPLIED.with_value(a.sum() * b.sum())])


# ----------------------------------------------------------------------------------------------
# vector_matrix_product and matrix_vector_product (lecture 001's a and B)

LECTURE_A = np.array([1.0, 2.0, 3.0])
LECTURE_B = np.array([[4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0]])


@grader("vector_matrix_product", points=1)
def test_vector_matrix_product_lecture_example(student):
    """lecture example (lecture 001): [1, 2, 3] times the 3x3 matrix gives [48, 54, 60]"""
    call = student.call("vector_matrix_product", LECTURE_A, LECTURE_B)
    check_close(call, np.array([48.0, 54.0, 60.0]),
                mistakes=[WRONG_ORDER.with_value(LECTURE_B @ LECTURE_A)])


@grader("vector_matrix_product", points=1)
def test_vector_matrix_product_matches_reference(student):
    """random vectors and non-square matrices (3x5, 1x4, 6x2) match a @ B"""
    rng = _rng(3)
    for n, m in ((3, 5), (1, 4), (6, 2)):
        a, B = rng.normal(size=n), rng.normal(size=(n, m))
        call = student.call("vector_matrix_product", a, B)
        check_close(call, ref.vector_matrix_product(a, B))


@grader("matrix_vector_product", points=1)
def test_matrix_vector_product_lecture_example(student):
    """lecture example (lecture 001): the 3x3 matrix times [1, 2, 3] gives [32, 50, 68]"""
    call = student.call("matrix_vector_product", LECTURE_B, LECTURE_A)
    check_close(call, np.array([32.0, 50.0, 68.0]),
                mistakes=[WRONG_ORDER.with_value(LECTURE_A @ LECTURE_B)])


@grader("matrix_vector_product", points=1)
def test_matrix_vector_product_matches_reference(student):
    """random non-square matrices (5x3, 4x1, 2x6) and vectors match B @ a"""
    rng = _rng(5)
    for m, n in ((5, 3), (4, 1), (2, 6)):
        B, a = rng.normal(size=(m, n)), rng.normal(size=n)
        call = student.call("matrix_vector_product", B, a)
        check_close(call, ref.matrix_vector_product(B, a))


# ----------------------------------------------------------------------------------------------
# matrix_product

@grader("matrix_product", points=1)
def test_matrix_product_hand_example(student):
    """hand example: [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]]"""
    A, B = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0, 6.0], [7.0, 8.0]])
    call = student.call("matrix_product", A, B)
    check_close(call, np.array([[19.0, 22.0], [43.0, 50.0]]),
                mistakes=[ELEMENTWISE_MATRIX.with_value(A * B), WRONG_ORDER.with_value(B @ A)])


@grader("matrix_product", points=1)
def test_matrix_product_matches_reference(student):
    """random non-square matrices (2x3 @ 3x4, 1x5 @ 5x1, 4x1 @ 1x3) match A @ B"""
    rng = _rng(7)
    for n, k, m in ((2, 3, 4), (1, 5, 1), (4, 1, 3)):
        A, B = rng.normal(size=(n, k)), rng.normal(size=(k, m))
        call = student.call("matrix_product", A, B)
        check_close(call, ref.matrix_product(A, B))


# ----------------------------------------------------------------------------------------------
# neuron_forward

@grader("neuron_forward", points=1)
def test_neuron_forward_lecture_example(student):
    """lecture example (lecture 004): x = [-1, 2], w = [3, -2], b = 1 gives z = -6"""
    call = student.call("neuron_forward", np.array([-1.0, 2.0]), np.array([3.0, -2.0]), 1.0)
    check_close(call, -6.0, mistakes=[NO_BIAS.with_value(-7.0)])


@grader("neuron_forward", points=1)
def test_neuron_forward_matches_reference(student):
    """random neurons with 1, 3 and 10 inputs match w . x + b"""
    rng = _rng(9)
    for d in (1, 3, 10):
        x, w, b = rng.normal(size=d), rng.normal(size=d), float(rng.normal())
        call = student.call("neuron_forward", x, w, b)
        check_close(call, ref.neuron_forward(x, w, b), mistakes=[NO_BIAS.with_value(x @ w)])


# ----------------------------------------------------------------------------------------------
# dense_forward

LAYER_X = np.array([[1.0, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
LAYER_W = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]])
LAYER_B = np.array([0.1, 0.2, 0.3])


@grader("dense_forward", points=1.5)
def test_dense_forward_lecture_example(student):
    """lecture example (lecture 001): 3 samples, 4 inputs, 3 neurons"""
    call = _call_naming(student, NO_TRANSPOSE, SHAPE_ERROR, "dense_forward",
                                    LAYER_X, LAYER_W, LAYER_B)
    expected = np.array([[3.1, 7.2, 11.3], [7.1, 17.6, 28.1], [11.1, 28.0, 44.9]])
    check_close(call, expected, mistakes=[NO_BIAS.with_value(LAYER_X @ LAYER_W.T)])


@grader("dense_forward", points=1)
def test_dense_forward_square_weights(student):
    """square weights (3 inputs, 3 neurons): uses W.T, not W"""
    X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
    b = np.array([0.5, -0.5, 1.0])
    call = student.call("dense_forward", X, W, b)
    check_close(call, ref.dense_forward(X, W, b),
                mistakes=[NO_TRANSPOSE.with_value(X @ W + b), NO_BIAS.with_value(X @ W.T)])


@grader("dense_forward", points=1.5)
def test_dense_forward_matches_reference(student):
    """random batches and non-square weights (including a batch of 1) match X @ W.T + b"""
    rng = _rng(11)
    for n, d, m in ((1, 4, 3), (5, 3, 2), (2, 6, 7), (8, 1, 5)):
        X, W, b = rng.normal(size=(n, d)), rng.normal(size=(m, d)), rng.normal(size=m)
        call = _call_naming(student, NO_TRANSPOSE, SHAPE_ERROR, "dense_forward", X, W, b)
        check_close(call, ref.dense_forward(X, W, b), mistakes=[NO_BIAS.with_value(X @ W.T)])


# ----------------------------------------------------------------------------------------------
# relu

@grader("relu", points=1)
def test_relu_hand_example(student):
    """hand example with negative, zero and positive inputs (relu(0) = 0)"""
    z = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
    call = student.call("relu", z)
    check_close(call, np.array([[0.0, 0.0, 0.0, 0.5, 2.0]]),
                mistakes=[RELU_MIN.with_value(np.minimum(0.0, z))])


@grader("relu", points=1)
def test_relu_matches_reference(student):
    """random inputs of shapes (7,), (1, 4) and (3, 5) keep their shape and match max(0, z)"""
    rng = _rng(13)
    for shape in ((7,), (1, 4), (3, 5)):
        z = rng.normal(size=shape)
        call = student.call("relu", z)
        check_close(call, ref.relu(z), mistakes=[RELU_MIN.with_value(np.minimum(0.0, z))])


# ----------------------------------------------------------------------------------------------
# sigmoid

@grader("sigmoid", points=1)
def test_sigmoid_lecture_example(student):
    """lecture example (lecture 004): sigmoid(-6) = 0.002473, sigmoid(0) = 0.5"""
    z = np.array([-6.0, 0.0, 6.0])
    call = student.call("sigmoid", z)
    check_close(call, np.array([0.0024726232, 0.5, 0.9975273768]),
                mistakes=[SIGMOID_SIGN.with_value(1 / (1 + np.exp(z)))])


@grader("sigmoid", points=1)
def test_sigmoid_matches_reference(student):
    """random inputs of shapes (6,), (1, 3) and (4, 5) keep their shape and match"""
    rng = _rng(14)
    for shape in ((6,), (1, 3), (4, 5)):
        z = rng.normal(size=shape) * 3
        call = student.call("sigmoid", z)
        check_close(call, ref.sigmoid(z), mistakes=[SIGMOID_SIGN.with_value(1 / (1 + np.exp(z)))])


@grader("sigmoid", points=0.5, edge="sigmoid-1000")
def test_sigmoid_large_inputs(student):
    """large inputs (|z| up to 1000) give 0 and 1, not nan"""
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    call = student.call("sigmoid", z)

    def clipped(value):
        gap = np.abs(np.asarray(value, dtype=float) - ref.sigmoid(z))
        return 1e-12 < gap.max() <= 0.05

    check_close(call, ref.sigmoid(z), mistakes=[SIGMOID_OVERFLOW.with_value(_not_finite),
                                                SIGMOID_CLIPPED.with_value(clipped)],
                why=STRICT.format("|z| up to 1000 must not overflow"))


# ----------------------------------------------------------------------------------------------
# tanh

@grader("tanh", points=1)
def test_tanh_hand_example(student):
    """hand example: tanh(0) = 0, tanh(1) = 0.761594, tanh(-2) = -0.964028"""
    z = np.array([0.0, 1.0, -2.0])
    call = student.call("tanh", z)
    check_close(call, np.array([0.0, 0.7615941559557649, -0.9640275800758169]),
                mistakes=[TANH_HALF.with_value(np.tanh(z / 2))])


@grader("tanh", points=1)
def test_tanh_matches_reference(student):
    """random inputs of shapes (6,), (1, 3) and (4, 5) keep their shape and match np.tanh"""
    rng = _rng(15)
    for shape in ((6,), (1, 3), (4, 5)):
        z = rng.normal(size=shape) * 2
        call = student.call("tanh", z)
        check_close(call, ref.tanh(z), mistakes=[TANH_HALF.with_value(np.tanh(z / 2))])


@grader("tanh", points=0.5, edge="tanh-1000")
def test_tanh_large_inputs(student):
    """large inputs (|z| up to 1000) give -1 and 1, not nan"""
    z = np.array([-1000.0, -20.0, 0.0, 20.0, 1000.0])
    call = student.call("tanh", z)
    check_close(call, ref.tanh(z), mistakes=[TANH_OVERFLOW.with_value(_not_finite)],
                why=STRICT.format("|z| up to 1000 must not overflow"))


# ----------------------------------------------------------------------------------------------
# softmax

def _wrong_axis(z):
    e = np.exp(z - np.max(z))
    return [SOFTMAX_AXIS.with_value(e / e.sum()), SOFTMAX_AXIS.with_value(e / e.sum(axis=0))]


@grader("softmax", points=1, edge="softmax-1d")
def test_softmax_one_row(student):
    """a 1-D input is one row: softmax([1, 2, 3]) = [0.090031, 0.244728, 0.665241]"""
    call = _call_naming(student, SOFTMAX_1D, ("AxisError", "axis 1"), "softmax",
                        np.array([1.0, 2.0, 3.0]))
    check_close(call, np.array([0.09003057317038046, 0.24472847105479767, 0.6652409557748219]),
                mistakes=[SOFTMAX_1D.with_value(lambda v: np.ndim(v) != 1)])


@grader("softmax", points=1)
def test_softmax_row_wise(student):
    """row-wise on a batch: every row sums to 1"""
    z = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    call = student.call("softmax", z)
    check_close(call, ref.softmax(z), mistakes=_wrong_axis(z))


@grader("softmax", points=1)
def test_softmax_matches_reference(student):
    """random logits of shapes (1, 3), (4, 5) and (7, 2) match the reference"""
    rng = _rng(16)
    for shape in ((1, 3), (4, 5), (7, 2)):
        z = rng.normal(size=shape) * 3
        call = student.call("softmax", z)
        check_close(call, ref.softmax(z), mistakes=_wrong_axis(z))


@grader("softmax", points=1, edge="logits-1000")
def test_softmax_large_logits(student):
    """logits near 1000 give finite probabilities (no overflow)"""
    z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    call = student.call("softmax", z)
    check_close(call, ref.softmax(z), mistakes=[NO_SHIFT.with_value(_not_finite)],
                why=STRICT.format("logits near 1000 must not overflow"))


# ----------------------------------------------------------------------------------------------
# one_hot

@grader("one_hot", points=1)
def test_one_hot_lecture_example(student):
    """lecture example (lecture 001): rose = class 0, tulip = class 2 of 3"""
    call = student.call("one_hot", np.array([0, 2]), 3)
    check_close(call, np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
                mistakes=[ONE_HOT_OFF_BY_ONE.with_value(np.array([[0.0, 0.0, 1.0],
                                                                  [0.0, 1.0, 0.0]]))])


@grader("one_hot", points=1)
def test_one_hot_matches_reference(student):
    """random labels, a batch of 1, and classes absent from the batch"""
    rng = _rng(17)
    cases = [(np.array([3]), 5), (np.array([1, 1]), 4), (rng.integers(0, 4, size=20), 6)]
    for labels, n_classes in cases:
        call = student.call("one_hot", labels, n_classes)
        too_narrow = labels.max() + 1

        def from_labels(value, too_narrow=too_narrow):
            return np.shape(value)[1] == too_narrow

        check_close(call, ref.one_hot(labels, n_classes),
                    mistakes=[ONE_HOT_N_FROM_LABELS.with_value(from_labels)])


@grader("one_hot", points=1)
def test_one_hot_returns_floats(student):
    """returns floats (an integer one-hot wraps around when negated)"""
    call = student.call("one_hot", np.array([0, 2, 1]), 3)
    check_close(call, np.eye(3)[[0, 2, 1]])
    dtype = np.asarray(call.value).dtype
    check(np.issubdtype(dtype, np.floating), call,
          f"The values are right, but their dtype is {dtype}; one_hot returns a float array.",
          INTEGER_ONE_HOT)


# ----------------------------------------------------------------------------------------------
# categorical_cross_entropy

@grader("categorical_cross_entropy", points=1)
def test_categorical_cross_entropy_lecture_example(student):
    """lecture example (lecture 001): pred [.2, .6, .2], true [0, 1, 0] gives -ln(0.6) = 0.5108"""
    call = student.call("categorical_cross_entropy", np.array([[0.2, 0.6, 0.2]]),
                        np.array([[0.0, 1.0, 0.0]]))
    check_close(call, -np.log(0.6), mistakes=[LOG10.with_value(-np.log10(0.6))])


@grader("categorical_cross_entropy", points=1)
def test_categorical_cross_entropy_class_indices(student):
    """class indices: correct-class probabilities .9, .5, .1 give the mean of 0.105, 0.693, 2.303"""
    y_pred = np.array([[0.9, 0.05, 0.05], [0.25, 0.5, 0.25], [0.45, 0.45, 0.1]])
    y_true = np.array([0, 1, 2])
    losses = -np.log([0.9, 0.5, 0.1])
    call = student.call("categorical_cross_entropy", y_pred, y_true)
    check_close(call, losses.mean(), hint=BOTH_LABEL_FORMS, mistakes=[
        LOG10.with_value(losses.mean() / np.log(10)),
        LOSS_SUMMED.with_value(losses.sum()),
    ])


@grader("categorical_cross_entropy", points=1)
def test_categorical_cross_entropy_matches_reference(student):
    """random batches (1, 8 and 30 samples) with index and one-hot targets match the reference"""
    rng = _rng(18)
    for n, k in ((1, 3), (8, 2), (30, 10)):
        y_pred = _probabilities(rng, n, k)

        def mistakes(expected, n=n):
            return [LOG10.with_value(expected / np.log(10))] + (
                [LOSS_SUMMED.with_value(expected * n)] if n > 1 else [])

        _both_forms(student, "categorical_cross_entropy", y_pred, rng.integers(0, k, size=n), k,
                    mistakes)


@grader("categorical_cross_entropy", points=1, edge=("p-0", "p-1"))
def test_categorical_cross_entropy_clips(student):
    """probabilities of exactly 0 and 1 give a finite loss (clipped to [1e-7, 1 - 1e-7])"""
    y_pred = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    for y_true in (np.array([0, 0]), np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])):
        call = student.call("categorical_cross_entropy", y_pred, y_true)
        check_close(call, (-np.log(1e-7) - np.log(1 - 1e-7)) / 2, hint=BOTH_LABEL_FORMS,
                    mistakes=[NO_CLIP.with_value(_not_finite)],
                    why=STRICT.format("predictions of exactly 0 and 1 must give a finite loss"))


# ----------------------------------------------------------------------------------------------
# binary_cross_entropy

@grader("binary_cross_entropy", points=1)
def test_binary_cross_entropy_hand_example(student):
    """hand example: p = [.9, .2, .6], y = [1, 0, 1] gives the mean of -ln(.9), -ln(.8), -ln(.6)"""
    y_pred, y_true = np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 1.0])
    losses = -np.log([0.9, 0.8, 0.6])
    call = student.call("binary_cross_entropy", y_pred, y_true)
    check_close(call, losses.mean(), mistakes=[
        LOG10.with_value(losses.mean() / np.log(10)),
        LOSS_SUMMED.with_value(losses.sum()),
        BCE_ONE_TERM.with_value(-(np.log(0.9) + np.log(0.6)) / 3),
    ])


@grader("binary_cross_entropy", points=1)
def test_binary_cross_entropy_matches_reference(student):
    """random targets of shapes (1,), (6,) and (4, 3): mean over all elements"""
    rng = _rng(19)
    for shape in ((1,), (6,), (4, 3)):
        y_pred = rng.uniform(0.01, 0.99, size=shape)
        y_true = rng.integers(0, 2, size=shape).astype(float)
        call = student.call("binary_cross_entropy", y_pred, y_true)
        expected = ref.binary_cross_entropy(y_pred, y_true)
        check_close(call, expected, mistakes=[LOG10.with_value(expected / np.log(10))])


@grader("binary_cross_entropy", points=1, edge=("p-0", "p-1"))
def test_binary_cross_entropy_clips(student):
    """probabilities of exactly 0 and 1 give a finite loss (clipped to [1e-7, 1 - 1e-7])"""
    y_pred, y_true = np.array([0.0, 1.0, 1.0, 0.0]), np.array([0.0, 1.0, 0.0, 1.0])
    call = student.call("binary_cross_entropy", y_pred, y_true)
    check_close(call, ref.binary_cross_entropy(y_pred, y_true),
                mistakes=[NO_CLIP.with_value(_not_finite)],
                why=STRICT.format("predictions of exactly 0 and 1 must give a finite loss"))


# ----------------------------------------------------------------------------------------------
# mse

@grader("mse", points=1)
def test_mse_lecture_example(student):
    """lecture example (lecture 001): predicted 21, true 26 gives 25; a batch is averaged"""
    call = student.call("mse", np.array([21.0]), np.array([26.0]))
    check_close(call, 25.0, mistakes=[HALF_MSE.with_value(12.5), MSE_NOT_SQUARED.with_value(5.0)])
    y_pred, y_true = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0])
    call = student.call("mse", y_pred, y_true)
    check_close(call, 5.0 / 3.0, mistakes=[LOSS_SUMMED.with_value(5.0),
                                          HALF_MSE.with_value(2.5), HALF_MSE.with_value(5 / 6),
                                          MSE_NOT_SQUARED.with_value(1.0)])


@grader("mse", points=1)
def test_mse_matches_reference(student):
    """random arrays of shapes (1,), (7,) and (5, 3): mean over all elements"""
    rng = _rng(20)
    for shape in ((1,), (7,), (5, 3)):
        y_pred, y_true = rng.normal(size=shape), rng.normal(size=shape)
        call = student.call("mse", y_pred, y_true)
        squared = (y_pred - y_true) ** 2
        candidates = [HALF_MSE.with_value(squared.mean() / 2),
                      HALF_MSE.with_value(squared.sum() / 2)]
        candidates.append(MSE_NOT_SQUARED.with_value(np.abs(y_pred - y_true).mean()))
        if squared.size > 1:
            candidates.append(LOSS_SUMMED.with_value(squared.sum()))
        check_close(call, ref.mse(y_pred, y_true), mistakes=candidates)


# ----------------------------------------------------------------------------------------------
# collapse_linear_layers

def _pair(call):
    """The returned (W, b) as float arrays, or a failure saying the return is not a pair."""
    value = call.value
    check(isinstance(value, (tuple, list)) and len(value) == 2, call,
          "Expected a pair (W, b).")
    try:
        return tuple(np.asarray(v, dtype=float) for v in value)
    except (TypeError, ValueError, OverflowError):
        check(False, call, "Expected W and b to be arrays of numbers.")


def _collapse_mistakes(W1, b1, W2, b2):
    def wrong_order(value):
        return np.shape(W1 @ W2) == np.shape(value[0]) and np.allclose(value[0], W1 @ W2)

    def bias_dropped(value):
        b = np.asarray(value[1], dtype=float)
        return b.shape == b2.shape and (np.allclose(b, b2) or np.allclose(b, b1 + b2))

    return [COLLAPSE_ORDER.with_value(wrong_order), COLLAPSE_BIAS.with_value(bias_dropped)]


@grader("collapse_linear_layers", points=1)
def test_collapse_linear_layers_hand_example(student):
    """hand example (notes 003): W = W2 W1, b = W2 b1 + b2 for two 2x2 layers"""
    W1, b1 = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, -1.0])
    W2, b2 = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([2.0, 0.0])
    call = student.call("collapse_linear_layers", W1, b1, W2, b2)
    expected = (np.array([[3.0, 4.0], [4.0, 6.0]]), np.array([1.0, 0.0]))
    check_close(call, expected, mistakes=_collapse_mistakes(W1, b1, W2, b2))


@grader("collapse_linear_layers", points=1)
def test_collapse_linear_layers_matches_reference(student):
    """random non-square layers (3 -> 4 -> 2, 5 -> 1 -> 3) match the reference"""
    rng = _rng(21)
    for d, h, m in ((3, 4, 2), (5, 1, 3)):
        W1, b1 = rng.normal(size=(h, d)), rng.normal(size=h)
        W2, b2 = rng.normal(size=(m, h)), rng.normal(size=m)
        call = _call_naming(student, COLLAPSE_ORDER, SHAPE_ERROR, "collapse_linear_layers",
                                        W1, b1, W2, b2)
        check_close(call, ref.collapse_linear_layers(W1, b1, W2, b2),
                    mistakes=_collapse_mistakes(W1, b1, W2, b2))


@grader("collapse_linear_layers", points=1)
def test_collapse_linear_layers_equals_two_layers(student):
    """one collapsed layer gives the same outputs as the two layers"""
    rng = _rng(22)
    X = rng.normal(size=(6, 3))
    W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
    W2, b2 = rng.normal(size=(2, 4)), rng.normal(size=2)
    call = student.call("collapse_linear_layers", W1, b1, W2, b2)
    W, b = _pair(call)
    check(W.shape == (2, 3) and b.shape == (2,), call,
          f"W should have shape (2, 3) and b shape (2,); they have {W.shape} and {b.shape}.")
    two_layers = ref.dense_forward(ref.dense_forward(X, W1, b1), W2, b2)
    one_layer = ref.dense_forward(X, W, b)
    mistake = next((m.mistake for m in _collapse_mistakes(W1, b1, W2, b2)
                    if m.matches((W, b), RTOL, ATOL)), None)
    check(np.allclose(one_layer, two_layers, rtol=RTOL, atol=ATOL), call,
          "For a batch X of 6 samples, dense_forward(X, W, b) with your W and b gives\n"
          f"{np.array2string(one_layer, precision=4)}\nbut the two layers give\n"
          f"{np.array2string(two_layers, precision=4)}.", mistake)


# ----------------------------------------------------------------------------------------------
# accuracy

ACC_PRED = np.array([[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]])
ACC_LABELS = np.array([0, 1, 1])


@grader("accuracy", points=1)
def test_accuracy_class_indices(student):
    """hand example with class indices: 2 of 3 rows right gives 0.6667"""
    call = student.call("accuracy", ACC_PRED, ACC_LABELS)
    check_close(call, 2 / 3, mistakes=[ACCURACY_COUNT.with_value(2.0)])


@grader("accuracy", points=1)
def test_accuracy_one_hot(student):
    """the same example with one-hot targets gives 0.6667"""
    one_hot = np.eye(3)[ACC_LABELS]
    call = student.call("accuracy", ACC_PRED, one_hot)
    no_argmax = float(np.mean(np.argmax(ACC_PRED, axis=1) == one_hot))
    check_close(call, 2 / 3, hint=BOTH_LABEL_FORMS, mistakes=[
        ACCURACY_ONE_HOT.with_value(no_argmax), ACCURACY_COUNT.with_value(2.0)])


@grader("accuracy", points=1)
def test_accuracy_matches_reference(student):
    """random scores (1, 10 and 50 rows) with index and one-hot targets match the reference"""
    rng = _rng(24)
    for n, k in ((1, 3), (10, 2), (50, 5)):
        y_pred = rng.normal(size=(n, k))

        def count(expected, n=n):
            return [ACCURACY_COUNT.with_value(expected * n)] if 0 < expected and n > 1 else []

        _both_forms(student, "accuracy", y_pred, rng.integers(0, k, size=n), k, count)


# ----------------------------------------------------------------------------------------------
# Every function leaves its inputs unchanged (and earns that point only with the right values).

_r = _rng(2)
UNCHANGED = {
    "dot_product": (1, (_r.normal(size=4), _r.normal(size=4))),
    "vector_matrix_product": (1, (_r.normal(size=3), _r.normal(size=(3, 2)))),
    "matrix_vector_product": (1, (_r.normal(size=(2, 3)), _r.normal(size=3))),
    "matrix_product": (1, (_r.normal(size=(2, 3)), _r.normal(size=(3, 2)))),
    "neuron_forward": (1, (_r.normal(size=3), _r.normal(size=3), 0.5)),
    "dense_forward": (1, (_r.normal(size=(4, 3)), _r.normal(size=(2, 3)), _r.normal(size=2))),
    "relu": (1, (np.array([[-1.0, 2.0], [0.5, -3.0]]),)),
    "sigmoid": (0.5, (np.array([[-1.0, 2.0], [0.5, -3.0]]),)),
    "tanh": (0.5, (np.array([[-1.0, 2.0], [0.5, -3.0]]),)),
    "softmax": (1, (np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]),)),
    "one_hot": (1, (np.array([1, 2, 1]), 3)),
    # predictions of exactly 0 and 1: clipping in place changes them
    "categorical_cross_entropy": (1, (np.array([[0.0, 1.0, 0.0], [0.3, 0.3, 0.4]]),
                                      np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]))),
    # 1e-9 and 1 - 1e-9: clipping in place shows, and the value is no edge (p = 0 or 1)
    "binary_cross_entropy": (1, (np.array([1e-9, 1 - 1e-9, 0.3]), np.array([0.0, 1.0, 1.0]))),
    "mse": (1, (np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0]))),
    "collapse_linear_layers": (1, (_r.normal(size=(4, 3)), _r.normal(size=4),
                                   _r.normal(size=(2, 4)), _r.normal(size=2))),
    "accuracy": (1, (np.array([[2.0, 1.0, 0.5], [0.2, 3.0, 1.0]]),
                     np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))),
}
test_leaves_inputs_unchanged = unchanged_graders(ref, UNCHANGED, IN_PLACE)
