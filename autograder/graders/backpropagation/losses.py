"""02_backpropagation: the gradients of the losses, mse, categorical cross-entropy, and
cross-entropy after softmax."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import Mistake, check_close, check_unchanged
from reference import backpropagation as ref
from reference import forward_pass as fwd

from .common import IN_PLACE, MISSING_MEAN, SIGN_FLIPPED, arr, check_gradient

CCE_SIGN = Mistake(
    "the minus of -ln(p) lost",
    "The loss is -ln(p) at the true class, so its gradient is -1/p there (divided by n): "
    "negative, pushing the true class's probability up.",
    "001",
)
MSE_BY_SAMPLES = Mistake(
    "MSE gradient divided by the samples, not every element",
    "MSE is the mean over every element, so its gradient divides by y_pred.size, not by "
    "len(y_pred) (the number of rows).",
    "001",
)
HALF_MSE_GRADIENT = Mistake(
    "MSE gradient without the factor 2",
    "d/dp (p - y)**2 = 2 (p - y). Without the 2 it is the gradient of half the squared error, a "
    "textbook convention this course does not use: mse_backward = 2 * (y_pred - y_true) / size.",
    "001",
)
NO_CLIP = Mistake(
    "no clipping (inf or nan at p = 0)",
    "Clip y_pred to [1e-7, 1 - 1e-7] before dividing by it, as the forward pass does before "
    "the log; a probability of 0 must give a large finite gradient.",
    "001",
)

# ----------------------------------------------------------------------------------------------
# mse_backward


def mse_mistakes(y_pred, y_true):
    right = 2 * (y_pred - y_true) / y_pred.size
    found = [MISSING_MEAN.with_value(2 * (y_pred - y_true)), SIGN_FLIPPED.with_value(-right),
             HALF_MSE_GRADIENT.with_value(right / 2)]
    if y_pred.ndim > 1 and y_pred.shape[1] > 1:
        found.append(MSE_BY_SAMPLES.with_value(2 * (y_pred - y_true) / len(y_pred)))
    return found


mse_backward = Exercise("mse_backward", ref)


@mse_backward.check(points=1)
def test_mse_backward_lecture_examples(student):
    """lecture 001's mse([21], [26]) and lecture 000's L = y**2 (dL/dy = 2y = 43.2)"""
    for y_pred, y_true, expected in [([21.0], [26.0], [-10.0]), ([21.6], [0.0], [43.2])]:
        call = student.call("mse_backward", arr(y_pred), arr(y_true))
        check_close(call, arr(expected), mistakes=mse_mistakes(arr(y_pred), arr(y_true)))


# a check of its own, not a row of `agrees`: its failures carry a hint about the mean
@mse_backward.check(points=1)
def test_mse_backward_random(student):
    """agrees with the reference on random inputs (the mean is over every element)"""
    rng = np.random.default_rng(7)
    for shape in [(1,), (5, 1), (3, 2), (4,)]:
        y_pred, y_true = rng.normal(size=shape), rng.normal(size=shape)
        call = student.call("mse_backward", y_pred, y_true)
        check_close(call, ref.mse_backward(y_pred, y_true), mistakes=mse_mistakes(y_pred, y_true),
                    hint="The mean is over every element: divide by y_pred.size.")


mse_backward.unchanged(1, (arr([[1.0], [2.5], [-1.0]]), arr([[0.5], [2.0], [1.0]])), IN_PLACE,
                       mistakes=mse_mistakes)


@mse_backward.check(points=1)
def test_mse_backward_gradient_check(student):
    """matches central differences of mse"""
    rng = np.random.default_rng(8)
    y_pred, y_true = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    numeric = ref.numerical_gradient(lambda v: fwd.mse(v, y_true), y_pred)
    call = student.call("mse_backward", y_pred, y_true)
    check_gradient(call, call.value, numeric, "dy_pred", mistakes=mse_mistakes(y_pred, y_true))


mse_backward.mutants(
    edit(MISSING_MEAN, " / y_pred.size", ""),
    edit(MSE_BY_SAMPLES, "/ y_pred.size", "/ len(y_pred)"),
    edit(SIGN_FLIPPED, "(y_pred - y_true) / y_pred.size", "(y_true - y_pred) / y_pred.size"),
    # a convention that textbooks and course code teach differently from this course
    edit(HALF_MSE_GRADIENT, "return 2 * (y_pred", "return (y_pred"),
)

# ----------------------------------------------------------------------------------------------
# categorical_cross_entropy_backward


def as_one_hot(y_true, k):
    y_true = np.asarray(y_true)
    return fwd.one_hot(y_true, k) if y_true.ndim == 1 else y_true.astype(float)


def cce_mistakes(y_pred, y_true):
    onehot = as_one_hot(y_true, y_pred.shape[1])
    clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return [NO_CLIP.with_value(lambda v: not np.all(np.isfinite(np.asarray(v, dtype=float)))),
            MISSING_MEAN.with_value(-onehot / clipped),
            CCE_SIGN.with_value(onehot / clipped / len(y_pred))]


def classification_cases(rng):
    """(probabilities, labels) with a batch of one; labels as indices and as one-hot."""
    cases = []
    for n, k in [(1, 3), (5, 4), (3, 2)]:
        probs = fwd.softmax(rng.normal(size=(n, k)))
        labels = rng.integers(0, k, size=n)
        cases += [(probs, labels), (probs, fwd.one_hot(labels, k))]
    return cases




def random_batches(exercise, seed, mistakes):
    """The row of "agrees with the reference" of a loss of class probabilities: random batches
    drawn with `seed`, labels as indices or one-hot; `mistakes(probs, y_true)` may explain."""
    exercise.agrees(1, "agrees with the reference on random batches, labels as indices or "
                    "one-hot", seed=seed, inputs=classification_cases, name="random",
                    mistakes=lambda expected, probs, y_true: mistakes(probs, y_true))

CLIP_WHY = ("At p = 0 and p = 1 (edges the spec names) the gradient is the reference's, clipped as "
            "in the forward pass. The tolerance is the usual rtol=1e-5: -y / (p + 1e-7) / n, the "
            "backward form of log(p + 1e-7), differs from clipping by 2e-7 at p = 1 and passes.")

categorical_cross_entropy_backward = Exercise("categorical_cross_entropy_backward", ref)


@categorical_cross_entropy_backward.check(points=1)
def test_categorical_cross_entropy_backward_lecture_example(student):
    """lecture 001's prediction [.2, .6, .2] of class 1: the gradient is -1/0.6 at the class"""
    y_pred = arr([[0.2, 0.6, 0.2]])
    for y_true in (arr([[0, 1, 0]]), np.array([1])):
        call = student.call("categorical_cross_entropy_backward", y_pred, y_true)
        check_close(call, arr([[0.0, -1 / 0.6, 0.0]]), mistakes=cce_mistakes(y_pred, y_true))


random_batches(categorical_cross_entropy_backward, 9, cce_mistakes)


@categorical_cross_entropy_backward.check(points=1)
def test_categorical_cross_entropy_backward_gradient_check(student):
    """matches central differences of categorical_cross_entropy"""
    rng = np.random.default_rng(10)
    probs = fwd.softmax(rng.normal(size=(4, 3)))
    for y_true in (np.array([0, 2, 1, 2]), fwd.one_hot([1, 1, 0, 2], 3)):
        numeric = ref.numerical_gradient(
            lambda p, y_true=y_true: fwd.categorical_cross_entropy(p, y_true), probs)
        call = student.call("categorical_cross_entropy_backward", probs, y_true)
        check_gradient(call, call.value, numeric, "dy_pred", mistakes=cce_mistakes(probs, y_true))


@categorical_cross_entropy_backward.check(points=1, edge=("p-0", "p-1"))
def test_categorical_cross_entropy_backward_clips(student):
    """p = 0 and p = 1 give finite gradients (clipped as in the forward), labels in both forms"""
    y_pred = arr([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    for y_true in (np.array([0, 2, 2]), fwd.one_hot([0, 2, 2], 3)):
        call = student.call("categorical_cross_entropy_backward", y_pred, y_true)
        check_unchanged(call, ref.categorical_cross_entropy_backward(y_pred, y_true), IN_PLACE,
                        mistakes=cce_mistakes(y_pred, y_true), why=CLIP_WHY)


categorical_cross_entropy_backward.mutants(
    edit(MISSING_MEAN, " / clipped / len(y_pred)", " / clipped"),
    edit(NO_CLIP, "    clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)\n"
         "    return -np.asarray(y_true, dtype=float) / clipped / len(y_pred)",
         "    with np.errstate(divide=\"ignore\", invalid=\"ignore\"):\n"
         "        return -np.asarray(y_true, dtype=float) / y_pred / len(y_pred)",
         edge=("p-0", "p-1")),
    edit(IN_PLACE, "np.clip(y_pred, 1e-7, 1 - 1e-7)",
         "np.clip(y_pred, 1e-7, 1 - 1e-7, out=y_pred)"),
    edit(CCE_SIGN, "return -np.asarray", "return np.asarray"),
)

# ----------------------------------------------------------------------------------------------
# softmax_cross_entropy_backward


def softmax_ce_mistakes(probs, y_true):
    return [MISSING_MEAN.with_value(probs - as_one_hot(y_true, probs.shape[1]))]


softmax_cross_entropy_backward = Exercise("softmax_cross_entropy_backward", ref)


@softmax_cross_entropy_backward.check(points=1)
def test_softmax_cross_entropy_backward_examples(student):
    """(probs - one_hot) / n on lecture 001's prediction, alone and in a batch of two"""
    probs = arr([[0.2, 0.6, 0.2], [0.7, 0.2, 0.1]])
    cases = [(probs[:1], np.array([1]), [[0.2, -0.4, 0.2]]),
             (probs, np.array([1, 0]), [[0.1, -0.2, 0.1], [-0.15, 0.1, 0.05]]),
             (probs, arr([[0, 1, 0], [1, 0, 0]]), [[0.1, -0.2, 0.1], [-0.15, 0.1, 0.05]])]
    for p, y_true, expected in cases:
        call = student.call("softmax_cross_entropy_backward", p, y_true)
        check_close(call, arr(expected), mistakes=softmax_ce_mistakes(p, y_true))


random_batches(softmax_cross_entropy_backward, 12, softmax_ce_mistakes)
softmax_cross_entropy_backward.unchanged(
    1, (arr([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]]), np.array([1, 2])), IN_PLACE,
    mistakes=softmax_ce_mistakes)


@softmax_cross_entropy_backward.check(points=1)
def test_softmax_cross_entropy_backward_gradient_check(student):
    """matches central differences of cross-entropy after softmax, w.r.t. the logits"""
    rng = np.random.default_rng(13)
    logits = rng.normal(size=(5, 4))
    y_true = np.array([3, 0, 0, 2, 1])
    numeric = ref.numerical_gradient(
        lambda z: fwd.categorical_cross_entropy(fwd.softmax(z), y_true), logits)
    probs = fwd.softmax(logits)
    call = student.call("softmax_cross_entropy_backward", probs, y_true)
    check_gradient(call, call.value, numeric, "dz", mistakes=softmax_ce_mistakes(probs, y_true))


softmax_cross_entropy_backward.mutants(
    edit(MISSING_MEAN, " / len(probs)", ""),
    edit(IN_PLACE, "    return (probs - np.asarray(y_true, dtype=float)) / len(probs)",
         "    probs -= y_true  # the book's update without its .copy()\n"
         "    return probs / len(probs)"),
)
