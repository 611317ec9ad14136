"""The reference forward pass: the lectures' worked examples (correct values), agreement with NumPy,
shapes, purity, and numerical safety."""

import numpy as np
import pytest

from autograder.config import get_assignment
from autograder.grader_layout import unchanged_calls
from reference import forward_pass as fp

LECTURE_A = [1, 2, 3]
LECTURE_B = [[4, 5, 6], [7, 8, 9], [10, 11, 12]]
LAYER_X = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]
LAYER_W = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]]
LAYER_B = [0.1, 0.2, 0.3]


# ----------------------------------------------------------------------------------------------
# The worked examples of COURSE_SPEC.md (correct values, not the transcripts' slips)

def test_vector_matrix_product_lecture_example():
    np.testing.assert_allclose(fp.vector_matrix_product(LECTURE_A, LECTURE_B), [48, 54, 60])


def test_matrix_vector_product_lecture_example_is_68_not_69():
    np.testing.assert_allclose(fp.matrix_vector_product(LECTURE_B, LECTURE_A), [32, 50, 68])


def test_dense_forward_lecture_example_on_a_3x4_batch():
    out = fp.dense_forward(LAYER_X, LAYER_W, LAYER_B)
    expected = [[3.1, 7.2, 11.3], [7.1, 17.6, 28.1], [11.1, 28.0, 44.9]]
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_categorical_cross_entropy_lecture_example_uses_the_natural_log():
    loss = fp.categorical_cross_entropy([[0.2, 0.6, 0.2]], [[0, 1, 0]])
    assert loss == pytest.approx(0.5108, abs=1e-4)
    assert loss == pytest.approx(-np.log(0.6), rel=1e-12)


@pytest.mark.parametrize(("p", "expected"), [(0.9, 0.105), (0.5, 0.693), (0.1, 2.303)])
def test_categorical_cross_entropy_of_one_correct_class_probability(p, expected):
    loss = fp.categorical_cross_entropy([[p, 1 - p]], [0])
    assert loss == pytest.approx(expected, abs=5e-4)


def test_mse_lecture_example():
    assert fp.mse([21], [26]) == 25.0


def test_sigmoid_of_the_lecture_perceptron():
    z = fp.neuron_forward([-1, 2], [3, -2], 1)
    assert z == -6.0
    assert float(fp.sigmoid(z)) == pytest.approx(0.002473, abs=5e-7)


def test_lecture_layer_on_one_sample():
    # lecture 000: z = [3.1, 7.2, 11.3], y = sum(relu(z)) = 21.6
    z = fp.dense_forward([[1, 2, 3, 4]], LAYER_W, LAYER_B)
    np.testing.assert_allclose(z, [[3.1, 7.2, 11.3]], rtol=1e-12)
    assert fp.relu(z).sum() == pytest.approx(21.6)


# ----------------------------------------------------------------------------------------------
# Products and layers agree with NumPy on random inputs

@pytest.mark.parametrize("d", [1, 3, 50])
def test_dot_product_matches_numpy(d):
    rng = np.random.default_rng(d)
    a, b = rng.normal(size=(2, d))
    result = fp.dot_product(a, b)
    assert isinstance(result, float)
    assert result == pytest.approx(np.dot(a, b), rel=1e-12, abs=1e-12)


def test_dot_product_is_symmetric_and_rejects_unequal_lengths():
    assert fp.dot_product([1, 2, 3], [4, 5, 6]) == fp.dot_product([4, 5, 6], [1, 2, 3]) == 32.0
    with pytest.raises(ValueError):
        fp.dot_product([1, 2, 3], [1, 2])


@pytest.mark.parametrize(("n", "m"), [(3, 5), (1, 4), (6, 2)])
def test_vector_matrix_and_matrix_vector_products_match_numpy(n, m):
    rng = np.random.default_rng(n * 10 + m)
    a, B = rng.normal(size=n), rng.normal(size=(n, m))
    assert fp.vector_matrix_product(a, B).shape == (m,)
    np.testing.assert_allclose(fp.vector_matrix_product(a, B), a @ B, rtol=1e-12)
    np.testing.assert_allclose(fp.matrix_vector_product(B.T, a), B.T @ a, rtol=1e-12)


@pytest.mark.parametrize(("n", "k", "m"), [(2, 3, 4), (1, 5, 1), (4, 1, 3)])
def test_matrix_product_matches_numpy(n, k, m):
    rng = np.random.default_rng(n + k + m)
    A, B = rng.normal(size=(n, k)), rng.normal(size=(k, m))
    out = fp.matrix_product(A, B)
    assert out.shape == (n, m)
    np.testing.assert_allclose(out, A @ B, rtol=1e-12)


@pytest.mark.parametrize("d", [1, 3, 10])
def test_neuron_forward_matches_numpy_and_returns_a_float(d):
    rng = np.random.default_rng(d)
    x, w = rng.normal(size=(2, d))
    z = fp.neuron_forward(x, w, 0.25)
    assert isinstance(z, float)
    assert z == pytest.approx(np.dot(w, x) + 0.25, rel=1e-12)


@pytest.mark.parametrize(("n", "d", "m"), [(1, 4, 3), (5, 3, 2), (2, 6, 7)])
def test_dense_forward_matches_numpy_for_non_square_weights(n, d, m):
    rng = np.random.default_rng(n * 100 + d * 10 + m)
    X, W, b = rng.normal(size=(n, d)), rng.normal(size=(m, d)), rng.normal(size=m)
    out = fp.dense_forward(X, W, b)
    assert out.shape == (n, m)
    np.testing.assert_allclose(out, np.dot(X, W.T) + b, rtol=1e-12)


def test_dense_forward_row_is_one_neuron_forward_per_neuron():
    out = fp.dense_forward(LAYER_X, LAYER_W, LAYER_B)
    for i, x in enumerate(LAYER_X):
        for j, (w, b) in enumerate(zip(LAYER_W, LAYER_B, strict=True)):
            assert out[i, j] == pytest.approx(fp.neuron_forward(x, w, b))


# ----------------------------------------------------------------------------------------------
# Activations

@pytest.mark.parametrize("shape", [(7,), (1, 4), (3, 5), (2, 3, 4)])
def test_activations_keep_the_shape_and_match_numpy(shape):
    z = np.random.default_rng(len(shape)).normal(size=shape) * 3
    for f, expected in ((fp.relu, np.maximum(z, 0)), (fp.sigmoid, 1 / (1 + np.exp(-z))),
                        (fp.tanh, np.tanh(z))):
        out = f(z)
        assert out.shape == shape
        np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-15)


def test_relu_is_zero_at_zero():
    np.testing.assert_array_equal(fp.relu([-2.0, -0.5, 0.0, 0.5, 2.0]), [0, 0, 0, 0.5, 2])


def test_sigmoid_and_tanh_are_finite_and_saturate_for_large_inputs():
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow anywhere
        s, t = fp.sigmoid(z), fp.tanh(z)
    np.testing.assert_allclose(s, [0, 0, 0.5, 1, 1], atol=1e-20)
    np.testing.assert_allclose(t, [-1, -1, 0, 1, 1], atol=1e-20)


# ----------------------------------------------------------------------------------------------
# Softmax

def test_softmax_of_one_row():
    np.testing.assert_allclose(fp.softmax([1.0, 2.0, 3.0]),
                               np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-12)
    assert fp.softmax([1.0, 2.0, 3.0]).shape == (3,)


@pytest.mark.parametrize("shape", [(1, 3), (4, 5), (7, 2)])
def test_softmax_rows_are_probabilities_matching_the_formula(shape):
    z = np.random.default_rng(shape[0]).normal(size=shape) * 3
    p = fp.softmax(z)
    assert p.shape == shape
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(p, np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), rtol=1e-12)


def test_softmax_is_finite_for_logits_near_1000():
    z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = fp.softmax(z)
    np.testing.assert_allclose(p[0], fp.softmax([0.0, 1.0, 2.0]), rtol=1e-12)
    np.testing.assert_allclose(p[1], [0, 0, 1], atol=1e-300)


# ----------------------------------------------------------------------------------------------
# One-hot, losses, accuracy

def test_one_hot_lecture_example_rose_and_tulip():
    np.testing.assert_array_equal(fp.one_hot([0, 2], 3), [[1, 0, 0], [0, 0, 1]])
    assert fp.one_hot([0, 2], 3).dtype == np.float64


def test_one_hot_uses_n_classes_even_when_classes_are_absent():
    assert fp.one_hot([1, 1], 4).shape == (2, 4)
    assert fp.one_hot([3], 5).shape == (1, 5)
    with pytest.raises(ValueError):
        fp.one_hot([0, 3], 3)


def test_categorical_cross_entropy_accepts_indices_or_one_hot():
    rng = np.random.default_rng(0)
    p = fp.softmax(rng.normal(size=(30, 4)))
    labels = rng.integers(0, 4, size=30)
    expected = -np.mean(np.log(p[np.arange(30), labels]))
    assert fp.categorical_cross_entropy(p, labels) == pytest.approx(expected, rel=1e-12)
    assert fp.categorical_cross_entropy(p, fp.one_hot(labels, 4)) == pytest.approx(expected,
                                                                                   rel=1e-12)


def test_cross_entropies_clip_probabilities_of_0_and_1():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        cce = fp.categorical_cross_entropy([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], [0, 0])
        cce_one_hot = fp.categorical_cross_entropy([[0.0, 1.0, 0.0]], [[1, 0, 0]])
        bce = fp.binary_cross_entropy([0.0, 1.0, 1.0, 0.0], [0, 1, 0, 1])
    assert cce == pytest.approx((-np.log(1e-7) - np.log(1 - 1e-7)) / 2, rel=1e-12)
    assert cce_one_hot == pytest.approx(-np.log(1e-7), rel=1e-12)
    assert bce == pytest.approx((-np.log(1e-7) - np.log(1 - 1e-7)) / 2, rel=1e-9)


def test_binary_cross_entropy_hand_example_and_mean_over_elements():
    assert fp.binary_cross_entropy([0.9, 0.2, 0.6], [1, 0, 1]) == pytest.approx(
        -np.mean(np.log([0.9, 0.8, 0.6])), rel=1e-12)
    rng = np.random.default_rng(1)
    p, y = rng.uniform(0.01, 0.99, size=(4, 3)), rng.integers(0, 2, size=(4, 3))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert fp.binary_cross_entropy(p, y) == pytest.approx(expected, rel=1e-12)


def test_mse_is_the_mean_over_all_elements():
    assert fp.mse([1, 2, 3], [2, 2, 5]) == pytest.approx(5 / 3)
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 5, 3))
    assert fp.mse(a, b) == pytest.approx(np.mean((a - b) ** 2), rel=1e-12)


@pytest.mark.parametrize(("d", "h", "m"), [(3, 4, 2), (5, 1, 3), (2, 2, 2)])
def test_collapse_linear_layers_equals_the_two_layers(d, h, m):
    rng = np.random.default_rng(d * 100 + h * 10 + m)
    X = rng.normal(size=(6, d))
    W1, b1 = rng.normal(size=(h, d)), rng.normal(size=h)
    W2, b2 = rng.normal(size=(m, h)), rng.normal(size=m)
    W, b = fp.collapse_linear_layers(W1, b1, W2, b2)
    assert W.shape == (m, d) and b.shape == (m,)
    two_layers = fp.dense_forward(fp.dense_forward(X, W1, b1), W2, b2)
    np.testing.assert_allclose(fp.dense_forward(X, W, b), two_layers, rtol=1e-10, atol=1e-12)


def test_accuracy_with_indices_and_one_hot():
    y_pred = [[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]]
    assert fp.accuracy(y_pred, [0, 1, 1]) == pytest.approx(2 / 3)
    assert fp.accuracy(y_pred, fp.one_hot([0, 1, 1], 3)) == pytest.approx(2 / 3)
    assert isinstance(fp.accuracy(y_pred, [0, 1, 1]), float)


# ----------------------------------------------------------------------------------------------
# Purity: no function changes its arguments

def _calls():
    """Every graded function with the arguments of its hidden "leaves its inputs unchanged"
    check (so a new exercise is here too), and the edge values that clipping in place changes."""
    calls = [(getattr(fp, function), *args) for function, args in
             unchanged_calls(get_assignment("01_forward_pass")).items()]
    p = np.array([[0.0, 1.0, 0.0], [0.3, 0.3, 0.4]])
    return calls + [
        (fp.categorical_cross_entropy, p, np.array([1, 0])),
        (fp.binary_cross_entropy, np.array([0.0, 1.0, 0.3]), np.array([0.0, 1.0, 1.0])),
        (fp.accuracy, np.array([[2.0, 1.0, 0.5], [0.2, 3.0, 1.0]]), np.array([0, 2])),
    ]


@pytest.mark.parametrize("call", _calls(), ids=lambda c: c[0].__name__ if callable(c) else "")
def test_functions_leave_their_arguments_unchanged(call):
    function, *args = call
    before = [np.copy(a) for a in args]
    function(*args)
    for a, b in zip(args, before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_functions_accept_lists():
    assert fp.dot_product([1, 2], [3, 4]) == 11.0
    np.testing.assert_allclose(fp.softmax([[0, 0]]), [[0.5, 0.5]])
    np.testing.assert_allclose(fp.relu([-1, 1]), [0, 1])
    assert fp.accuracy([[0.1, 0.9]], [[0, 1]]) == 1.0
