"""01_forward_pass: two linear layers collapsed into one, and a network's accuracy."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import ATOL, RTOL, Mistake, check, check_close, name_results
from reference import forward_pass as ref

from .common import BOTH_LABEL_FORMS, IN_PLACE, ONE_LABEL_FORM, SHAPE_ERROR, both_forms

COLLAPSE_ORDER = Mistake(
    "layers composed in the wrong order",
    "The first layer acts first: z = W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2), "
    "so W = W2 @ W1, not W1 @ W2.",
    "003",
)
COLLAPSE_BIAS = Mistake(
    "first layer's bias not passed through W2",
    "The first layer's bias also goes through the second layer's weights: b = W2 @ b1 + b2.",
    "003",
)
ACCURACY_ONE_HOT = Mistake(
    "accuracy compared with one-hot targets without argmax",
    "When y_true is one-hot, shape (n, k), turn it into class indices with "
    "`np.argmax(y_true, axis=1)` before comparing.",
    "001",
)
ACCURACY_COUNT = Mistake(
    "counted correct rows instead of the fraction",
    "Accuracy is the fraction of correct rows, between 0 and 1: take the mean of the "
    "comparison, not its sum.",
)

# ----------------------------------------------------------------------------------------------
# collapse_linear_layers

collapse_linear_layers = Exercise("collapse_linear_layers", ref)
name_results("collapse_linear_layers", "W", "b")


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


@collapse_linear_layers.check(points=1)
def test_collapse_linear_layers_hand_example(student):
    """hand example (notes 003): W = W2 W1, b = W2 b1 + b2 for two 2x2 layers"""
    W1, b1 = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, -1.0])
    W2, b2 = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([2.0, 0.0])
    call = student.call("collapse_linear_layers", W1, b1, W2, b2)
    expected = (np.array([[3.0, 4.0], [4.0, 6.0]]), np.array([1.0, 0.0]))
    check_close(call, expected, mistakes=_collapse_mistakes(W1, b1, W2, b2))


def _layer_pairs(rng):
    cases = []
    for d, h, m in ((3, 4, 2), (5, 1, 3)):
        W1, b1 = rng.normal(size=(h, d)), rng.normal(size=h)
        W2, b2 = rng.normal(size=(m, h)), rng.normal(size=m)
        cases.append((W1, b1, W2, b2))
    return cases


collapse_linear_layers.agrees(
    1, "random non-square layers (3 -> 4 -> 2, 5 -> 1 -> 3) match the reference", seed=21,
    inputs=_layer_pairs, raising=(COLLAPSE_ORDER, SHAPE_ERROR),
    mistakes=lambda expected, *layers: _collapse_mistakes(*layers))


@collapse_linear_layers.check(points=1)
def test_collapse_linear_layers_equals_two_layers(student):
    """one collapsed layer gives the same outputs as the two layers"""
    rng = np.random.default_rng(22)
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


collapse_linear_layers.unchanged(1, lambda rng: (rng.normal(size=(4, 3)), rng.normal(size=4),
                                                 rng.normal(size=(2, 4)), rng.normal(size=2)),
                                 IN_PLACE)
collapse_linear_layers.mutants(
    edit(COLLAPSE_ORDER, "return W2 @ W1,", "return W1 @ W2,"),
    edit(COLLAPSE_BIAS, "W1, W2 @ b1 + b2", "W1, b2"),
    edit(COLLAPSE_BIAS, "W1, W2 @ b1 + b2", "W1, b1 + b2"),
    edit(IN_PLACE, "return W2 @ W1, W2 @ b1 + b2", "b2 += W2 @ b1\n    return W2 @ W1, b2"),
)

# ----------------------------------------------------------------------------------------------
# accuracy

accuracy = Exercise("accuracy", ref)
ACC_PRED = np.array([[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]])
ACC_LABELS = np.array([0, 1, 1])
TO_INDICES = "    if y_true.ndim == 2:\n        y_true = np.argmax(y_true, axis=1)\n"


@accuracy.check(points=1)
def test_accuracy_class_indices(student):
    """hand example with class indices: 2 of 3 rows right gives 0.6667"""
    call = student.call("accuracy", ACC_PRED, ACC_LABELS)
    check_close(call, 2 / 3, mistakes=[ACCURACY_COUNT.with_value(2.0)])


@accuracy.check(points=1)
def test_accuracy_one_hot(student):
    """the same example with one-hot targets gives 0.6667"""
    one_hot = np.eye(3)[ACC_LABELS]
    call = student.call("accuracy", ACC_PRED, one_hot)
    no_argmax = float(np.mean(np.argmax(ACC_PRED, axis=1) == one_hot))
    check_close(call, 2 / 3, hint=BOTH_LABEL_FORMS, mistakes=[
        ACCURACY_ONE_HOT.with_value(no_argmax), ACCURACY_COUNT.with_value(2.0)])


@accuracy.check(points=1)
def test_accuracy_matches_reference(student):
    """random scores (1, 10 and 50 rows) with index and one-hot targets match the reference"""
    def batches(rng):
        for n, k in ((1, 3), (10, 2), (50, 5)):
            y_pred = rng.normal(size=(n, k))

            def count(expected, n=n):
                return [ACCURACY_COUNT.with_value(expected * n)] if 0 < expected and n > 1 else []

            yield y_pred, rng.integers(0, k, size=n), k, count

    both_forms(student, "accuracy", batches(np.random.default_rng(24)))


accuracy.unchanged(1, (np.array([[2.0, 1.0, 0.5], [0.2, 3.0, 1.0]]),
                       np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])), IN_PLACE)
accuracy.mutants(
    edit(ACCURACY_ONE_HOT, TO_INDICES, ""),
    edit(ACCURACY_COUNT, "np.mean(predicted", "np.sum(predicted"),
    edit(IN_PLACE, "predicted = np.argmax(np.asarray(y_pred, dtype=float), axis=1)",
         "y_pred = np.asarray(y_pred, dtype=float)\n"
         "    y_pred /= y_pred.sum(axis=1, keepdims=True)  # \"turn scores into probabilities\"\n"
         "    predicted = np.argmax(y_pred, axis=1)"),
    # one-hot targets only
    edit(ONE_LABEL_FORM, TO_INDICES, "    y_true = np.argmax(y_true, axis=1)\n"),
)
