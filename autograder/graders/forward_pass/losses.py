"""01_forward_pass: one-hot targets and the losses (cross-entropy, binary cross-entropy, MSE)."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import Mistake, check, check_close
from reference import forward_pass as ref

from .common import BOTH_LABEL_FORMS, IN_PLACE, ONE_LABEL_FORM, STRICT, both_forms, not_finite

ONE_HOT_OFF_BY_ONE = Mistake(
    "one_hot off by one",
    "Class indices start at 0: label 0 puts its 1 in column 0 (rose = [1, 0, 0]).",
    "001",
)
ONE_HOT_N_FROM_LABELS = Mistake(
    "number of classes taken from the labels",
    "Use the `n_classes` argument for the number of columns: a batch need not contain every "
    "class, so `labels.max() + 1` can be too small.",
    "001",
)
INTEGER_ONE_HOT = Mistake(
    "integer one-hot",
    "one_hot returns floats: an integer array breaks the arithmetic that follows. With dtype "
    "uint8, `-y` wraps around to 255 and `y - p` cannot go below 0. Use "
    "`np.zeros((n, n_classes))` (float64) or `.astype(float)`.",
    "001",
)
LOG10 = Mistake(
    "log base 10 in cross-entropy",
    "Cross-entropy uses the natural log: -ln(0.6) = 0.511 (the lecture's 0.22 is log base 10). "
    "In NumPy that is `np.log`, not `np.log10`.",
    "001",
)
NO_CLIP = Mistake(
    "no clipping before the log",
    "ln(0) is -inf, so a prediction of exactly 0 gives an infinite (or nan) loss. Clip the "
    "predictions to [1e-7, 1 - 1e-7] with `np.clip` before taking the log.",
    "001",
)
LOSS_SUMMED = Mistake(
    "summed instead of averaged",
    "The loss is a mean: divide the sum by the number of samples (or elements), e.g. with "
    "`np.mean`, so it does not grow with the batch size.",
    "001",
)
BCE_ONE_TERM = Mistake(
    "binary cross-entropy without its (1 - y) term",
    "BCE = -mean(y ln(p) + (1 - y) ln(1 - p)). The second term is what penalises a high p "
    "when the target is 0.",
    "004",
)
MSE_NOT_SQUARED = Mistake(
    "differences not squared",
    "MSE squares each difference before the mean: np.mean((y_pred - y_true)**2). The mean of "
    "the absolute differences is another loss (MAE).",
    "001",
)
HALF_MSE = Mistake(
    "half the squared error",
    "Some textbooks define the loss as 1/2 * sum (or mean) of squares, so that its gradient has no "
    "factor 2. This course's MSE is the plain mean over all elements: "
    "np.mean((y_pred - y_true)**2); mse([21], [26]) is 25, not 12.5.",
    "001",
)

FINITE_LOSS = STRICT.format("predictions of exactly 0 and 1 must give a finite loss")

# ----------------------------------------------------------------------------------------------
# one_hot

one_hot = Exercise("one_hot", ref)


@one_hot.check(points=1)
def test_one_hot_lecture_example(student):
    """lecture example (lecture 001): rose = class 0, tulip = class 2 of 3"""
    call = student.call("one_hot", np.array([0, 2]), 3)
    check_close(call, np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
                mistakes=[ONE_HOT_OFF_BY_ONE.with_value(np.array([[0.0, 0.0, 1.0],
                                                                  [0.0, 1.0, 0.0]]))])


def _classes_from_labels(expected, labels, n_classes):
    too_narrow = labels.max() + 1
    return [ONE_HOT_N_FROM_LABELS.with_value(lambda value: np.shape(value)[1] == too_narrow)]


one_hot.agrees(1, "random labels, a batch of 1, and classes absent from the batch", seed=17,
               inputs=lambda rng: [(np.array([3]), 5), (np.array([1, 1]), 4),
                                   (rng.integers(0, 4, size=20), 6)],
               mistakes=_classes_from_labels)


@one_hot.check(points=1)
def test_one_hot_returns_floats(student):
    """returns floats (an integer one-hot wraps around when negated)"""
    call = student.call("one_hot", np.array([0, 2, 1]), 3)
    check_close(call, np.eye(3)[[0, 2, 1]])
    dtype = np.asarray(call.value).dtype
    check(np.issubdtype(dtype, np.floating), call,
          f"The values are right, but their dtype is {dtype}; one_hot returns a float array.",
          INTEGER_ONE_HOT)


one_hot.unchanged(1, (np.array([1, 2, 1]), 3), IN_PLACE)
one_hot.mutants(
    edit(ONE_HOT_OFF_BY_ONE, "labels] = 1.0", "labels - 1] = 1.0"),
    edit(ONE_HOT_N_FROM_LABELS, "np.zeros((labels.size, n_classes))",
         "np.zeros((labels.size, labels.max() + 1))"),
    edit(IN_PLACE, "labels = np.asarray(labels).astype(int).reshape(-1)",
         "labels = np.asarray(labels)\n"
         "    labels -= labels.min()  # \"make the labels start at 0\""),
    edit(INTEGER_ONE_HOT, "np.zeros((labels.size, n_classes))",
         "np.zeros((labels.size, n_classes), dtype=np.uint8)"),
)

# ----------------------------------------------------------------------------------------------
# categorical_cross_entropy

categorical_cross_entropy = Exercise("categorical_cross_entropy", ref)
CCE_CLIP = ("    # ln(0) is -inf: clipping keeps a confidently wrong prediction at a large finite "
            "loss.\n    y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)\n")
CCE_INDICES = ("    if y_true.ndim == 1:\n"
               "        correct = y_pred[np.arange(len(y_pred)), y_true.astype(int)]\n"
               "        return float(-np.mean(np.log(correct)))\n")
CCE_ONE_HOT = "    return float(-np.mean(np.sum(y_true * np.log(y_pred), axis=1)))\n"


@categorical_cross_entropy.check(points=1)
def test_categorical_cross_entropy_lecture_example(student):
    """lecture example (lecture 001): pred [.2, .6, .2], true [0, 1, 0] gives -ln(0.6) = 0.5108"""
    call = student.call("categorical_cross_entropy", np.array([[0.2, 0.6, 0.2]]),
                        np.array([[0.0, 1.0, 0.0]]))
    check_close(call, -np.log(0.6), mistakes=[LOG10.with_value(-np.log10(0.6))])


@categorical_cross_entropy.check(points=1)
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


@categorical_cross_entropy.check(points=1)
def test_categorical_cross_entropy_matches_reference(student):
    """random batches (1, 8 and 30 samples) with index and one-hot targets match the reference"""
    def batches(rng):
        for n, k in ((1, 3), (8, 2), (30, 10)):
            y_pred = ref.softmax(rng.normal(size=(n, k)) * 2)

            def mistakes(expected, n=n):
                return [LOG10.with_value(expected / np.log(10))] + (
                    [LOSS_SUMMED.with_value(expected * n)] if n > 1 else [])

            yield y_pred, rng.integers(0, k, size=n), k, mistakes

    both_forms(student, "categorical_cross_entropy", batches(np.random.default_rng(18)))


@categorical_cross_entropy.check(points=1, edge=("p-0", "p-1"))
def test_categorical_cross_entropy_clips(student):
    """probabilities of exactly 0 and 1 give a finite loss (clipped to [1e-7, 1 - 1e-7])"""
    y_pred = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    for y_true in (np.array([0, 0]), np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])):
        call = student.call("categorical_cross_entropy", y_pred, y_true)
        check_close(call, (-np.log(1e-7) - np.log(1 - 1e-7)) / 2, hint=BOTH_LABEL_FORMS,
                    mistakes=[NO_CLIP.with_value(not_finite)], why=FINITE_LOSS)


# predictions of exactly 0 and 1: clipping in place changes them
categorical_cross_entropy.unchanged(1, (np.array([[0.0, 1.0, 0.0], [0.3, 0.3, 0.4]]),
                                        np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])), IN_PLACE)
categorical_cross_entropy.mutants(
    edit(LOG10, "np.log(correct)", "np.log10(correct)", "np.log(y_pred)", "np.log10(y_pred)"),
    # one-hot rows pick the true class's probability before the log (0 * log 0 would be nan)
    edit(NO_CLIP, CCE_CLIP, "", "np.sum(y_true * np.log(y_pred), axis=1)",
         "np.log(np.sum(y_pred * y_true, axis=1))", edge=("p-0", "p-1")),
    edit(LOSS_SUMMED, "-np.mean(np.log(correct))", "-np.sum(np.log(correct))",
         "-np.mean(np.sum(y_true * np.log(y_pred), axis=1))", "-np.sum(y_true * np.log(y_pred))"),
    edit(IN_PLACE, "y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)",
         "np.clip(y_pred, 1e-7, 1 - 1e-7, out=y_pred)"),
    # handles one-hot targets only
    edit(ONE_LABEL_FORM, CCE_INDICES, ""),
    # class indices only: one-hot targets index the wrong entries
    edit(ONE_LABEL_FORM, CCE_INDICES + CCE_ONE_HOT,
         "    correct = y_pred[np.arange(len(y_pred)), y_true.astype(int)]\n"
         "    return float(-np.mean(np.log(correct)))\n"),
)

# ----------------------------------------------------------------------------------------------
# binary_cross_entropy

binary_cross_entropy = Exercise("binary_cross_entropy", ref)
BCE_CLIP = "y_pred = np.clip(np.asarray(y_pred, dtype=float), 1e-7, 1 - 1e-7)"


@binary_cross_entropy.check(points=1)
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


binary_cross_entropy.agrees(
    1, "random targets of shapes (1,), (6,) and (4, 3): mean over all elements", seed=19,
    inputs=lambda rng: [(rng.uniform(0.01, 0.99, size=shape),
                         rng.integers(0, 2, size=shape).astype(float))
                        for shape in ((1,), (6,), (4, 3))],
    mistakes=lambda expected, y_pred, y_true: [LOG10.with_value(expected / np.log(10))])


@binary_cross_entropy.check(points=1, edge=("p-0", "p-1"))
def test_binary_cross_entropy_clips(student):
    """probabilities of exactly 0 and 1 give a finite loss (clipped to [1e-7, 1 - 1e-7])"""
    y_pred, y_true = np.array([0.0, 1.0, 1.0, 0.0]), np.array([0.0, 1.0, 0.0, 1.0])
    call = student.call("binary_cross_entropy", y_pred, y_true)
    check_close(call, ref.binary_cross_entropy(y_pred, y_true),
                mistakes=[NO_CLIP.with_value(not_finite)], why=FINITE_LOSS)


# 1e-9 and 1 - 1e-9: clipping in place shows, and the value is no edge (p = 0 or 1)
binary_cross_entropy.unchanged(1, (np.array([1e-9, 1 - 1e-9, 0.3]), np.array([0.0, 1.0, 1.0])),
                               IN_PLACE)
binary_cross_entropy.mutants(
    edit(LOG10, "np.log(y_pred)", "np.log10(y_pred)", "np.log(1 - y_pred)",
         "np.log10(1 - y_pred)"),
    edit(NO_CLIP, BCE_CLIP, "y_pred = np.asarray(y_pred, dtype=float)", edge=("p-0", "p-1")),
    edit(BCE_ONE_TERM, " + (1 - y_true) * np.log(1 - y_pred)", ""),
    edit(IN_PLACE, BCE_CLIP, "y_pred = np.asarray(y_pred, dtype=float)\n"
         "    np.clip(y_pred, 1e-7, 1 - 1e-7, out=y_pred)"),
)

# ----------------------------------------------------------------------------------------------
# mse

mse = Exercise("mse", ref)
MEAN_SQUARES = "np.mean((y_true - y_pred) ** 2)"


@mse.check(points=1)
def test_mse_lecture_example(student):
    """lecture example (lecture 001): predicted 21, true 26 gives 25; a batch is averaged"""
    call = student.call("mse", np.array([21.0]), np.array([26.0]))
    check_close(call, 25.0, mistakes=[HALF_MSE.with_value(12.5), MSE_NOT_SQUARED.with_value(5.0)])
    y_pred, y_true = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0])
    call = student.call("mse", y_pred, y_true)
    check_close(call, 5.0 / 3.0, mistakes=[LOSS_SUMMED.with_value(5.0),
                                          HALF_MSE.with_value(2.5), HALF_MSE.with_value(5 / 6),
                                          MSE_NOT_SQUARED.with_value(1.0)])


def _mse_mistakes(expected, y_pred, y_true):
    squared = (y_pred - y_true) ** 2
    candidates = [HALF_MSE.with_value(squared.mean() / 2), HALF_MSE.with_value(squared.sum() / 2),
                  MSE_NOT_SQUARED.with_value(np.abs(y_pred - y_true).mean())]
    if squared.size > 1:
        candidates.append(LOSS_SUMMED.with_value(squared.sum()))
    return candidates


mse.agrees(1, "random arrays of shapes (1,), (7,) and (5, 3): mean over all elements", seed=20,
           inputs=lambda rng: [(rng.normal(size=shape), rng.normal(size=shape))
                               for shape in ((1,), (7,), (5, 3))],
           mistakes=_mse_mistakes)
mse.unchanged(1, (np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0])), IN_PLACE)
mse.mutants(
    edit(LOSS_SUMMED, "np.mean(", "np.sum("),
    edit(IN_PLACE, f"return float({MEAN_SQUARES})",
         "y_pred -= y_true\n    return float(np.mean(y_pred ** 2))"),
    edit(MSE_NOT_SQUARED, MEAN_SQUARES, "np.mean(np.abs(y_true - y_pred))"),
    # a convention that textbooks teach differently from this course
    edit(HALF_MSE, MEAN_SQUARES, "0.5 * np.sum((y_true - y_pred) ** 2)"),
)
