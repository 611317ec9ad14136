"""Hidden graders of 02_backpropagation: the workshop's and lecture 000's worked examples, agreement
with the reference on random inputs (batches of one, non-square weights), gradient checks against
central differences of the reference forward pass computed here, purity.

No student code runs in this process: functions handed to `numerical_gradient` are defined on the
student's side with `student.define`; the same grader-written source is executed here as well.
"""

import numpy as np
from mistakes_backpropagation import (
    CCE_SIGN,
    DB_MEAN,
    DB_NOT_SUMMED,
    DW_TRANSPOSED,
    DX_WITH_W_T,
    FORWARD_DIFFERENCE,
    H_IGNORED,
    HALF_MSE_GRADIENT,
    IN_PLACE,
    INPUT_FACTOR_DROPPED,
    MISSING_MEAN,
    MSE_BY_SAMPLES,
    NO_CLIP,
    RELU_AT_ZERO,
    RELU_LEFT_OUT,
    RELU_MASK_FROM_DVALUES,
    SIGMOID_OF_Z,
    SIGMOID_OVERFLOW,
    SIGN_FLIPPED,
    TANH_NOT_SQUARED,
    TANH_OF_Z,
    TANH_OVERFLOW,
    UPSTREAM_DROPPED,
    Y_FROM_Z,
)

from autograder.harness import (
    KEEPDIMS,
    check,
    check_close,
    check_parts,
    check_unchanged,
    describe,
    fail,
    grader,
    name_results,
    rel_error,
    unchanged_graders,
)
from reference import backpropagation as ref
from reference import forward_pass as fwd

ASSIGNMENT = "02_backpropagation"


name_results("dense_backward", "dX", "dW", "db")
name_results("single_neuron_gradients", "dC_dw", "dC_db")
name_results("lecture_layer_gradients", "dW", "db")
CENTRAL = ("This check is stricter than the usual tolerance on purpose: a forward difference "
           "is off by about h, a central difference by about h**2.")

LECTURE_X = [1.0, 2.0, 3.0, 4.0]
LECTURE_W = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]]
LECTURE_B = [0.1, 0.2, 0.3]
LECTURE_ROW = [43.2, 86.4, 129.6, 172.8]
PARAM_NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")


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


def both_sides(student, name, source):
    """Define grader-written `source` on the student's side and here; (remote handle, local f)."""
    local = {"np": np}
    exec(source, local)
    return student.define(name, source), local[name]


# ------------------------------------------------------------------------------------ activations

def activation_cases(seed):
    """(dvalues, z) pairs: a batch of one, several shapes, z away from ReLU's kink."""
    rng = np.random.default_rng(seed)
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


def activation_gradient_check(student, function, forward):
    rng = np.random.default_rng(11)
    z = rng.uniform(0.1, 3.0, size=(3, 4)) * rng.choice([-1.0, 1.0], size=(3, 4))
    dvalues = rng.normal(size=(3, 4))
    numeric = ref.numerical_gradient(lambda v: float(np.sum(dvalues * forward(v))), z)
    call = student.call(function, dvalues, z)
    check_gradient(call, call.value, numeric, "dz", mistakes=activation_mistakes(dvalues, z))


@grader("relu_backward", points=1, edge="relu-0")
def test_relu_backward_lecture_rule(student):
    """passes the gradient only where z > 0 (lecture 000: 1(z > 0), so nothing at z == 0)"""
    dvalues, z = arr([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), arr([[-2.0, 0.0, 0.5], [0.0, 3.0, -1.0]])
    call = student.call("relu_backward", dvalues, z)
    check_close(call, arr([[0.0, 0.0, 3.0], [0.0, 5.0, 0.0]]),
                mistakes=activation_mistakes(dvalues, z))


@grader("relu_backward", points=1)
def test_relu_backward_random(student):
    """agrees with the reference on random inputs of several shapes"""
    for dvalues, z in activation_cases(1):
        call = student.call("relu_backward", dvalues, z)
        check_close(call, ref.relu_backward(dvalues, z), mistakes=activation_mistakes(dvalues, z))


@grader("relu_backward", points=1)
def test_relu_backward_gradient_check(student):
    """matches central differences of relu"""
    activation_gradient_check(student, "relu_backward", fwd.relu)


@grader("sigmoid_backward", points=1)
def test_sigmoid_backward_examples(student):
    """s * (1 - s) at z = -6 (lecture 004's neuron), 0 and 2"""
    dvalues, z = arr([1.0, 1.0, 1.0, 2.0]), arr([-6.0, 0.0, 2.0, 0.0])
    s = 1 / (1 + np.exp(-z))
    call = student.call("sigmoid_backward", dvalues, z)
    check_close(call, dvalues * s * (1 - s), mistakes=activation_mistakes(dvalues, z))


@grader("sigmoid_backward", points=1)
def test_sigmoid_backward_random(student):
    """agrees with the reference on random inputs of several shapes"""
    for dvalues, z in activation_cases(2):
        call = student.call("sigmoid_backward", dvalues, z)
        check_close(call, ref.sigmoid_backward(dvalues, z),
                    mistakes=activation_mistakes(dvalues, z))


@grader("sigmoid_backward", points=1)
def test_sigmoid_backward_gradient_check(student):
    """matches central differences of sigmoid"""
    activation_gradient_check(student, "sigmoid_backward", fwd.sigmoid)


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
        named = mistake if np.array_equal(bad, ~np.isfinite(got)) else None
        check(False, call, f"{_num(got[where])} for z = {LARGE_Z[where]:g}, where the derivative "
              f"is {_num(expected[where])}: exp({abs(LARGE_Z[where]):g}) overflows to inf, and "
              f"inf / inf is nan; {'np.tanh' if 'tanh' in function else 'sigmoid(z)'} does not "
              "overflow.", named)
    # "upstream not multiplied in" is this function's own local derivative: at z = 0 another
    # activation's (1 - tanh**2 = 1) equals 4 * sigmoid's, a coincidence and not the mistake
    own = [m for m in activation_mistakes(dvalues, LARGE_Z) if m.mistake is not UPSTREAM_DROPPED]
    check_close(call, expected, why=LARGE_Z_WHY,
                mistakes=[*own, UPSTREAM_DROPPED.with_value(expected / dvalues)])


def _num(x) -> str:
    return f"{float(x):.6g}"


@grader("sigmoid_backward", points=1, edge="sigmoid-1000")
def test_sigmoid_backward_large_inputs(student):
    """finite and right for |z| up to 1000 (no overflow)"""
    check_large_z(student, "sigmoid_backward", SIGMOID_OVERFLOW,
                  lambda z: np.exp(z) / (1 + np.exp(z)))


@grader("tanh_backward", points=1, edge="tanh-1000")
def test_tanh_backward_large_inputs(student):
    """finite and right for |z| up to 1000 (no overflow)"""
    check_large_z(student, "tanh_backward", TANH_OVERFLOW,
                  lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)))


@grader("tanh_backward", points=1)
def test_tanh_backward_examples(student):
    """1 - tanh(z)**2 at z = 0, 1 and -2"""
    dvalues, z = arr([1.0, 1.0, 3.0]), arr([0.0, 1.0, -2.0])
    call = student.call("tanh_backward", dvalues, z)
    check_close(call, dvalues * (1 - np.tanh(z) ** 2), mistakes=activation_mistakes(dvalues, z))


@grader("tanh_backward", points=1)
def test_tanh_backward_random(student):
    """agrees with the reference on random inputs of several shapes"""
    for dvalues, z in activation_cases(3):
        call = student.call("tanh_backward", dvalues, z)
        check_close(call, ref.tanh_backward(dvalues, z), mistakes=activation_mistakes(dvalues, z))


@grader("tanh_backward", points=1)
def test_tanh_backward_gradient_check(student):
    """matches central differences of tanh"""
    activation_gradient_check(student, "tanh_backward", fwd.tanh)


# ----------------------------------------------------------------------------------- dense layer

def dense_mistakes(dvalues, X, W):
    mistakes = [DW_TRANSPOSED.with_value(part_is(1, X.T @ dvalues))]
    if dvalues.shape[0] > 1:  # for one sample, an unsummed db looks like keepdims
        mistakes += [DB_NOT_SUMMED.with_value(part_is(2, dvalues)),
                     DB_MEAN.with_value(part_is(2, dvalues.mean(axis=0)))]
    if W.shape[0] == W.shape[1]:
        mistakes.append(DX_WITH_W_T.with_value(part_is(0, dvalues @ W.T)))
    return mistakes


def check_dense(student, dvalues, X, W):
    call = student.call("dense_backward", dvalues, X, W)
    check_close(call, ref.dense_backward(dvalues, X, W), mistakes=dense_mistakes(dvalues, X, W))


@grader("dense_backward", points=2)
def test_dense_backward_lecture_example(student):
    """lecture 000's layer (x = [1, 2, 3, 4]) as a batch of one: every row of dW is 43.2 * x"""
    dvalues, X, W = arr([[43.2, 43.2, 43.2]]), arr([LECTURE_X]), arr(LECTURE_W)
    call = student.call("dense_backward", dvalues, X, W)
    expected = (43.2 * W.sum(axis=0, keepdims=True), arr([LECTURE_ROW] * 3), arr([43.2] * 3))
    check_close(call, expected, mistakes=dense_mistakes(dvalues, X, W))


@grader("dense_backward", points=1)
def test_dense_backward_batch(student):
    """lecture 001's batch of three samples: db adds up the samples"""
    X = arr([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
    dvalues = arr([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0], [0.0, 1.0, 1.0]])
    check_dense(student, dvalues, X, arr(LECTURE_W))


@grader("dense_backward", points=1)
def test_dense_backward_random(student):
    """agrees with the reference on random batches (one sample, square and non-square W)"""
    rng = np.random.default_rng(4)
    for n, d, m in [(3, 4, 4), (1, 5, 2), (4, 3, 6), (2, 1, 3), (7, 6, 1)]:
        check_dense(student, rng.normal(size=(n, m)), rng.normal(size=(n, d)),
                    rng.normal(size=(m, d)))


@grader("dense_backward", points=1)
def test_dense_backward_gradient_check(student):
    """dX, dW and db match central differences of dense_forward"""
    rng = np.random.default_rng(5)
    dvalues, X, W, b = (rng.normal(size=(3, 2)), rng.normal(size=(3, 4)), rng.normal(size=(2, 4)),
                        rng.normal(size=2))
    call = student.call("dense_backward", dvalues, X, W)
    dX, dW, db = unpack(call, [0, 1, 2])

    def loss(X, W, b):
        return float(np.sum(dvalues * fwd.dense_forward(X, W, b)))

    mistakes = dense_mistakes(dvalues, X, W)
    check_parts(call, {
        "dX": lambda: check_gradient(call, dX, ref.numerical_gradient(lambda v: loss(v, W, b), X),
                                     "dX", mistakes=mistakes),
        "dW": lambda: check_gradient(call, dW, ref.numerical_gradient(lambda v: loss(X, v, b), W),
                                     "dW", mistakes=mistakes),
        "db": lambda: check_gradient(call, db, ref.numerical_gradient(lambda v: loss(X, W, v), b),
                                     "db", mistakes=mistakes),
    })


# -------------------------------------------------------------------------------------- losses

def mse_mistakes(y_pred, y_true):
    right = 2 * (y_pred - y_true) / y_pred.size
    found = [MISSING_MEAN.with_value(2 * (y_pred - y_true)), SIGN_FLIPPED.with_value(-right),
             HALF_MSE_GRADIENT.with_value(right / 2)]
    if y_pred.ndim > 1 and y_pred.shape[1] > 1:
        found.append(MSE_BY_SAMPLES.with_value(2 * (y_pred - y_true) / len(y_pred)))
    return found


@grader("mse_backward", points=1)
def test_mse_backward_lecture_examples(student):
    """lecture 001's mse([21], [26]) and lecture 000's L = y**2 (dL/dy = 2y = 43.2)"""
    for y_pred, y_true, expected in [([21.0], [26.0], [-10.0]), ([21.6], [0.0], [43.2])]:
        call = student.call("mse_backward", arr(y_pred), arr(y_true))
        check_close(call, arr(expected), mistakes=mse_mistakes(arr(y_pred), arr(y_true)))


@grader("mse_backward", points=1)
def test_mse_backward_random(student):
    """agrees with the reference on random inputs (the mean is over every element)"""
    rng = np.random.default_rng(7)
    for shape in [(1,), (5, 1), (3, 2), (4,)]:
        y_pred, y_true = rng.normal(size=shape), rng.normal(size=shape)
        call = student.call("mse_backward", y_pred, y_true)
        check_close(call, ref.mse_backward(y_pred, y_true), mistakes=mse_mistakes(y_pred, y_true),
                    hint="The mean is over every element: divide by y_pred.size.")


@grader("mse_backward", points=1)
def test_mse_backward_gradient_check(student):
    """matches central differences of mse"""
    rng = np.random.default_rng(8)
    y_pred, y_true = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    numeric = ref.numerical_gradient(lambda v: fwd.mse(v, y_true), y_pred)
    call = student.call("mse_backward", y_pred, y_true)
    check_gradient(call, call.value, numeric, "dy_pred", mistakes=mse_mistakes(y_pred, y_true))


def as_one_hot(y_true, k):
    y_true = np.asarray(y_true)
    return fwd.one_hot(y_true, k) if y_true.ndim == 1 else y_true.astype(float)


def cce_mistakes(y_pred, y_true):
    onehot = as_one_hot(y_true, y_pred.shape[1])
    clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return [NO_CLIP.with_value(lambda v: not np.all(np.isfinite(np.asarray(v, dtype=float)))),
            MISSING_MEAN.with_value(-onehot / clipped),
            CCE_SIGN.with_value(onehot / clipped / len(y_pred))]


def classification_cases(seed):
    """(probabilities, labels) with a batch of one; labels as indices and as one-hot."""
    rng = np.random.default_rng(seed)
    cases = []
    for n, k in [(1, 3), (5, 4), (3, 2)]:
        probs = fwd.softmax(rng.normal(size=(n, k)))
        labels = rng.integers(0, k, size=n)
        cases += [(probs, labels), (probs, fwd.one_hot(labels, k))]
    return cases


@grader("categorical_cross_entropy_backward", points=1)
def test_categorical_cross_entropy_backward_lecture_example(student):
    """lecture 001's prediction [.2, .6, .2] of class 1: the gradient is -1/0.6 at the class"""
    y_pred = arr([[0.2, 0.6, 0.2]])
    for y_true in (arr([[0, 1, 0]]), np.array([1])):
        call = student.call("categorical_cross_entropy_backward", y_pred, y_true)
        check_close(call, arr([[0.0, -1 / 0.6, 0.0]]), mistakes=cce_mistakes(y_pred, y_true))


@grader("categorical_cross_entropy_backward", points=1)
def test_categorical_cross_entropy_backward_random(student):
    """agrees with the reference on random batches, labels as indices or one-hot"""
    for probs, y_true in classification_cases(9):
        call = student.call("categorical_cross_entropy_backward", probs, y_true)
        check_close(call, ref.categorical_cross_entropy_backward(probs, y_true),
                    mistakes=cce_mistakes(probs, y_true))


@grader("categorical_cross_entropy_backward", points=1)
def test_categorical_cross_entropy_backward_gradient_check(student):
    """matches central differences of categorical_cross_entropy"""
    rng = np.random.default_rng(10)
    probs = fwd.softmax(rng.normal(size=(4, 3)))
    for y_true in (np.array([0, 2, 1, 2]), fwd.one_hot([1, 1, 0, 2], 3)):
        numeric = ref.numerical_gradient(
            lambda p, y_true=y_true: fwd.categorical_cross_entropy(p, y_true), probs)
        call = student.call("categorical_cross_entropy_backward", probs, y_true)
        check_gradient(call, call.value, numeric, "dy_pred", mistakes=cce_mistakes(probs, y_true))


CLIP_WHY = ("At p = 0 and p = 1 (edges the spec names) the gradient is the reference's, clipped as "
            "in the forward pass. The tolerance is the usual rtol=1e-5: -y / (p + 1e-7) / n, the "
            "backward form of log(p + 1e-7), differs from clipping by 2e-7 at p = 1 and passes.")


@grader("categorical_cross_entropy_backward", points=1, edge=("p-0", "p-1"))
def test_categorical_cross_entropy_backward_clips(student):
    """p = 0 and p = 1 give finite gradients (clipped as in the forward), labels in both forms"""
    y_pred = arr([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    for y_true in (np.array([0, 2, 2]), fwd.one_hot([0, 2, 2], 3)):
        call = student.call("categorical_cross_entropy_backward", y_pred, y_true)
        check_unchanged(call, ref.categorical_cross_entropy_backward(y_pred, y_true), IN_PLACE,
                        mistakes=cce_mistakes(y_pred, y_true), why=CLIP_WHY)


def softmax_ce_mistakes(probs, y_true):
    return [MISSING_MEAN.with_value(probs - as_one_hot(y_true, probs.shape[1]))]


@grader("softmax_cross_entropy_backward", points=1)
def test_softmax_cross_entropy_backward_examples(student):
    """(probs - one_hot) / n on lecture 001's prediction, alone and in a batch of two"""
    probs = arr([[0.2, 0.6, 0.2], [0.7, 0.2, 0.1]])
    cases = [(probs[:1], np.array([1]), [[0.2, -0.4, 0.2]]),
             (probs, np.array([1, 0]), [[0.1, -0.2, 0.1], [-0.15, 0.1, 0.05]]),
             (probs, arr([[0, 1, 0], [1, 0, 0]]), [[0.1, -0.2, 0.1], [-0.15, 0.1, 0.05]])]
    for p, y_true, expected in cases:
        call = student.call("softmax_cross_entropy_backward", p, y_true)
        check_close(call, arr(expected), mistakes=softmax_ce_mistakes(p, y_true))


@grader("softmax_cross_entropy_backward", points=1)
def test_softmax_cross_entropy_backward_random(student):
    """agrees with the reference on random batches, labels as indices or one-hot"""
    for probs, y_true in classification_cases(12):
        call = student.call("softmax_cross_entropy_backward", probs, y_true)
        check_close(call, ref.softmax_cross_entropy_backward(probs, y_true),
                    mistakes=softmax_ce_mistakes(probs, y_true))


@grader("softmax_cross_entropy_backward", points=1)
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


# ------------------------------------------------------------------ the workshop's single neuron

def neuron_mistakes(x, w, b, target):
    error = 2 * (w * x + b - target)
    return [SIGN_FLIPPED.with_value((-error * x, -error)),
            INPUT_FACTOR_DROPPED.with_value((error, error))]


def check_neuron(student, x, w, b, target, expected):
    call = student.call("single_neuron_gradients", x, w, b, target)
    check_close(call, expected, mistakes=neuron_mistakes(x, w, b, target))


@grader("single_neuron_gradients", points=1)
def test_single_neuron_gradients_workshop_example(student):
    """input 2, w1 = 0.5, b1 = 0.1, desired output 2: (dC/dw1, dC/db1) = (-3.6, -1.8)"""
    check_neuron(student, 2.0, 0.5, 0.1, 2.0, (-3.6, -1.8))


@grader("single_neuron_gradients", points=1)
def test_single_neuron_gradients_hand_examples(student):
    """small cases worked by hand: on target, a negative input, a zero weight"""
    for x, w, b, target, expected in [(3.0, 2.0, 1.0, 7.0, (0.0, 0.0)),
                                      (-1.0, 2.0, 1.0, 0.0, (2.0, -2.0)),
                                      (3.0, 0.0, 0.0, 3.0, (-18.0, -6.0))]:
        check_neuron(student, x, w, b, target, expected)


@grader("single_neuron_gradients", points=1)
def test_single_neuron_gradients_random(student):
    """agrees with the reference on random numbers"""
    rng = np.random.default_rng(14)
    for x, w, b, target in rng.normal(scale=2.0, size=(5, 4)):
        args = (float(x), float(w), float(b), float(target))
        check_neuron(student, *args, ref.single_neuron_gradients(*args))


@grader("single_neuron_gradients", points=1)
def test_single_neuron_gradients_gradient_check(student):
    """matches central differences of C = mse([w1 * input + b1], [desired output])"""
    x, w, b, target = 1.7, -0.3, 0.8, -1.2

    def cost(w, b):
        return fwd.mse(np.array([w * x + b]), np.array([target]))

    call = student.call("single_neuron_gradients", x, w, b, target)
    dw, db = unpack(call, [0, 1])
    mistakes = neuron_mistakes(x, w, b, target)
    check_parts(call, {
        "dC_dw": lambda: check_gradient(call, dw, ref.numerical_gradient(lambda v: cost(v, b),
                                                                         arr(w)),
                                        "dC_dw", mistakes=mistakes),
        "dC_db": lambda: check_gradient(call, db, ref.numerical_gradient(lambda v: cost(w, v),
                                                                         arr(b)),
                                        "dC_db", mistakes=mistakes),
    })


# ---------------------------------------------------------------------- lecture 000's layer

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


@grader("lecture_layer_gradients", points=1)
def test_lecture_layer_gradients_lecture_example(student):
    """lecture 000: every row of dW is [43.2, 86.4, 129.6, 172.8] and db = [43.2, 43.2, 43.2]"""
    check_layer(student, arr(LECTURE_X), arr(LECTURE_W), arr(LECTURE_B),
                (arr([LECTURE_ROW] * 3), arr([43.2] * 3)))


@grader("lecture_layer_gradients", points=1)
def test_lecture_layer_gradients_inactive_neurons(student):
    """a neuron with z == 0 or z < 0 gets no gradient (1(z > 0))"""
    # dyadic weights: z2 is exactly 0 whatever order the sum is taken in
    W = arr([[0.1, 0.2, 0.3, 0.4], [0.5, 0.25, 0.5, 0.25], [-1.0, -1.0, -1.0, -1.0]])
    b = arr([0.1, -3.5, 0.3])
    check_layer(student, arr(LECTURE_X), W, b, (np.outer([6.2, 0.0, 0.0], LECTURE_X),
                                                 arr([6.2, 0.0, 0.0])))


@grader("lecture_layer_gradients", points=1)
def test_lecture_layer_gradients_random(student):
    """agrees with the reference on random layers (one neuron, non-square W)"""
    rng = np.random.default_rng(15)
    for m, d in [(1, 4), (3, 4), (5, 2), (3, 3)]:
        x, W, b = rng.normal(size=d), rng.normal(size=(m, d)), rng.normal(size=m)
        check_layer(student, x, W, b, ref.lecture_layer_gradients(x, W, b))


@grader("lecture_layer_gradients", points=1)
def test_lecture_layer_gradients_gradient_check(student):
    """dW and db match central differences of L = (sum relu(W @ x + b))**2"""
    rng = np.random.default_rng(16)
    x, W, b = rng.normal(size=3), rng.normal(size=(5, 3)), rng.normal(size=5)

    def loss(W, b):
        return float(np.sum(fwd.relu(fwd.dense_forward(x[None, :], W, b))) ** 2)

    call = student.call("lecture_layer_gradients", x, W, b)
    dW, db = unpack(call, [0, 1])
    mistakes = layer_mistakes(x, W, b)
    check_parts(call, {
        "dW": lambda: check_gradient(call, dW, ref.numerical_gradient(lambda v: loss(v, b), W),
                                     "dW", mistakes=mistakes),
        "db": lambda: check_gradient(call, db, ref.numerical_gradient(lambda v: loss(W, v), b),
                                     "db", mistakes=mistakes),
    })


# -------------------------------------------------------------------------- numerical gradient

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


def forward_difference(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    base = f(x)
    for i in range(x.size):
        nudged = x.copy()
        nudged.flat[i] += h
        grad.flat[i] = (f(nudged) - base) / h
    return grad


@grader("numerical_gradient", points=1)
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


@grader("numerical_gradient", points=1)
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


@grader("numerical_gradient", points=1)
def test_numerical_gradient_central(student):
    """central differences with the given h: sum(x**3) with h = 0.01 gives 3x**2 + h**2"""
    remote, local = both_sides(student, "grader_sum_of_cubes", SUM_OF_CUBES)
    x = arr([[1.0, -2.0], [0.5, 3.0]])
    call = student.call("numerical_gradient", remote, x, 0.01)
    check_close(call, 3 * x**2 + 1e-4, rtol=1e-9, atol=1e-9, why=CENTRAL,
                mistakes=[FORWARD_DIFFERENCE.with_value(forward_difference(local, x, 0.01)),
                          H_IGNORED.with_value(ref.numerical_gradient(local, x))],
                hint="Use the h you are given: (f(x + h) - f(x - h)) / (2h).")


@grader("numerical_gradient", points=1)
def test_numerical_gradient_inputs_unchanged(student):
    """leaves x exactly as it was"""
    remote, local = both_sides(student, "grader_sum_of_squares", SUM_OF_SQUARES)
    x = arr([[0.1, -0.7, 1.3], [2.9, 0.3, -1.1]])
    call = student.call("numerical_gradient", remote, x)
    check_unchanged(call, 2 * x, IN_PLACE,
                    mistakes=[FORWARD_DIFFERENCE.with_value(forward_difference(local, x, 1e-5))])


# -------------------------------------------------------- the workshop's two-hidden-layer network

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


def check_two_hidden(student, x, params, target, expected):
    call = student.call("two_hidden_layer_gradients", x, params, target)
    check_close(call, expected, mistakes=two_hidden_mistakes(x, params, target))


@grader("two_hidden_layer_gradients", points=2)
def test_two_hidden_layer_gradients_hand_example(student):
    """one sample through a net with two neurons per hidden layer, worked by hand"""
    params = {"W1": arr([[0.5], [-1.0]]), "b1": arr([0.5, 2.0]),
              "W2": arr([[1.0, -0.5], [-1.0, -0.5]]), "b2": arr([0.5, 0.0]),
              "W3": arr([[2.0, 1.0]]), "b3": arr([0.0])}
    expected = {"dW1": arr([[4.0], [-2.0]]), "db1": arr([4.0, -2.0]),
                "dW2": arr([[4.0, 4.0], [0.0, 0.0]]), "db2": arr([4.0, 0.0]),
                "dW3": arr([[2.0, 0.0]]), "db3": arr([2.0])}
    check_two_hidden(student, arr([[1.0]]), params, arr([[1.0]]), expected)


@grader("two_hidden_layer_gradients", points=1)
def test_two_hidden_layer_gradients_batch_is_mean(student):
    """on a batch, the gradients are the mean of the single-sample (workshop) gradients"""
    rng = np.random.default_rng(18)
    params = random_network(rng, 4)
    x, target = rng.normal(size=(5, 1)), rng.normal(size=(5, 1))
    singles = [ref.two_hidden_layer_gradients(x[i:i + 1], params, target[i:i + 1])
               for i in range(5)]
    expected = {k: np.mean([g[k] for g in singles], axis=0) for k in singles[0]}
    check_two_hidden(student, x, params, target, expected)


@grader("two_hidden_layer_gradients", points=1)
def test_two_hidden_layer_gradients_random(student):
    """agrees with the reference on random networks and batches (one sample, one neuron)"""
    rng = np.random.default_rng(19)
    for n, h in [(1, 3), (6, 5), (4, 1), (3, 8)]:
        params = random_network(rng, h)
        x, target = rng.normal(size=(n, 1)), rng.normal(size=(n, 1))
        check_two_hidden(student, x, params, target,
                         ref.two_hidden_layer_gradients(x, params, target))


@grader("two_hidden_layer_gradients", points=1)
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


# ----------------------------------------------------------------------------------------------
# Every function leaves its inputs unchanged (and earns that point only with the right values).

_r = np.random.default_rng(6)
_ACTIVATION = (arr([[1.5, -2.0, 0.5], [3.0, 1.0, -1.0]]),
               arr([[-1.0, 2.0, 0.5], [-0.5, -3.0, 1.0]]))
UNCHANGED = {
    "relu_backward": (1, _ACTIVATION),
    "sigmoid_backward": (1, _ACTIVATION),
    "tanh_backward": (1, _ACTIVATION),
    "dense_backward": (1, (_r.normal(size=(3, 2)), _r.normal(size=(3, 5)),
                           _r.normal(size=(2, 5)))),
    "mse_backward": (1, (arr([[1.0], [2.5], [-1.0]]), arr([[0.5], [2.0], [1.0]]))),
    "softmax_cross_entropy_backward": (1, (arr([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]]),
                                           np.array([1, 2]))),
    "two_hidden_layer_gradients": (1, (_r.normal(size=(4, 1)), random_network(_r, 3),
                                       _r.normal(size=(4, 1)))),
}
_MISTAKES = {"relu_backward": activation_mistakes, "sigmoid_backward": activation_mistakes,
             "tanh_backward": activation_mistakes, "dense_backward": dense_mistakes,
             "mse_backward": mse_mistakes, "softmax_cross_entropy_backward": softmax_ce_mistakes,
             "two_hidden_layer_gradients": two_hidden_mistakes}
test_leaves_inputs_unchanged = unchanged_graders(
    ref, UNCHANGED, IN_PLACE, lambda function, args: _MISTAKES[function](*args))
