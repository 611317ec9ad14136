"""Reference solutions of 02_backpropagation: worked examples, gradient checks, hand derivations."""

import copy

import numpy as np
import pytest

from reference import backpropagation as bp
from reference import forward_pass as fwd

LECTURE_X = np.array([1.0, 2.0, 3.0, 4.0])
LECTURE_W = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]])
LECTURE_B = np.array([0.1, 0.2, 0.3])

# The workshop's net with h = 2 on one sample, derived by hand in the lesson.
HAND_PARAMS = {
    "W1": np.array([[0.5], [-1.0]]), "b1": np.array([0.5, 2.0]),
    "W2": np.array([[1.0, -0.5], [-1.0, -0.5]]), "b2": np.array([0.5, 0.0]),
    "W3": np.array([[2.0, 1.0]]), "b3": np.array([0.0]),
}
HAND_GRADIENTS = {
    "dW1": [[4.0], [-2.0]], "db1": [4.0, -2.0],
    "dW2": [[4.0, 4.0], [0.0, 0.0]], "db2": [4.0, 0.0],
    "dW3": [[2.0, 0.0]], "db3": [2.0],
}


def rel_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def frozen(*arrays):
    """Read-only copies: writing into one raises, so a function that modifies its input fails."""
    out = []
    for a in arrays:
        a = np.array(a, dtype=float)
        a.flags.writeable = False
        out.append(a)
    return out


def random_params(rng, h):
    return {
        "W1": rng.normal(size=(h, 1)), "b1": rng.normal(size=h),
        "W2": rng.normal(size=(h, h)), "b2": rng.normal(size=h),
        "W3": rng.normal(size=(1, h)), "b3": rng.normal(size=1),
    }


def two_hidden_loss(x, params, target):
    H1 = fwd.relu(fwd.dense_forward(x, params["W1"], params["b1"]))
    H2 = fwd.relu(fwd.dense_forward(H1, params["W2"], params["b2"]))
    return fwd.mse(fwd.dense_forward(H2, params["W3"], params["b3"]), target)


# ---------------------------------------------------------------------------------- worked examples

def test_lecture_layer_gradients_reproduces_lecture_000():
    dW, db = bp.lecture_layer_gradients(LECTURE_X, LECTURE_W, LECTURE_B)
    np.testing.assert_allclose(dW, np.tile([43.2, 86.4, 129.6, 172.8], (3, 1)), rtol=1e-12)
    np.testing.assert_allclose(db, [43.2, 43.2, 43.2], rtol=1e-12)


def test_lecture_layer_gradients_is_zero_for_a_neuron_at_or_below_zero():
    # dyadic weights make z2 exactly 0 whatever the order of the sum; z3 is negative
    W = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.25, 0.5, 0.25], [-1.0, -1.0, -1.0, -1.0]])
    b = np.array([0.1, -3.5, 0.3])
    dW, db = bp.lecture_layer_gradients(LECTURE_X, W, b)
    np.testing.assert_allclose(db, [6.2, 0.0, 0.0])
    np.testing.assert_allclose(dW, np.outer([6.2, 0.0, 0.0], LECTURE_X))


def test_single_neuron_gradients_workshop_example():
    dw, db = bp.single_neuron_gradients(2.0, 0.5, 0.1, 2.0)
    assert isinstance(dw, float) and isinstance(db, float)
    assert dw == pytest.approx(-3.6) and db == pytest.approx(-1.8)


def test_mse_backward_lecture_examples():
    np.testing.assert_allclose(bp.mse_backward(np.array([21.0]), np.array([26.0])), [-10.0])
    # lecture 000: L = y**2 is the squared error of y against 0, so dL/dy = 2y = 43.2
    np.testing.assert_allclose(bp.mse_backward(np.array([21.6]), np.array([0.0])), [43.2])


def test_mse_backward_divides_by_every_element():
    y_pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(bp.mse_backward(y_pred, np.zeros((2, 2))), 2 * y_pred / 4)


def test_categorical_cross_entropy_backward_lecture_example():
    expected = [[0.0, -1 / 0.6, 0.0]]
    y_pred = np.array([[0.2, 0.6, 0.2]])
    np.testing.assert_allclose(bp.categorical_cross_entropy_backward(y_pred, [[0, 1, 0]]), expected)
    np.testing.assert_allclose(bp.categorical_cross_entropy_backward(y_pred, np.array([1])),
                               expected)


def test_categorical_cross_entropy_backward_is_finite_at_zero():
    grad = bp.categorical_cross_entropy_backward(np.array([[0.0, 1.0], [1.0, 0.0]]),
                                                 np.array([0, 0]))
    np.testing.assert_allclose(grad, [[-1e7 / 2, 0.0], [-1 / (1 - 1e-7) / 2, 0.0]])


def test_softmax_cross_entropy_backward_examples():
    probs = np.array([[0.2, 0.6, 0.2], [0.7, 0.2, 0.1]])
    expected = [[0.1, -0.2, 0.1], [-0.15, 0.1, 0.05]]
    np.testing.assert_allclose(bp.softmax_cross_entropy_backward(probs, np.array([1, 0])), expected)
    np.testing.assert_allclose(
        bp.softmax_cross_entropy_backward(probs, np.array([[0, 1, 0], [1, 0, 0]])), expected)


def test_relu_backward_passes_nothing_at_zero():
    out = bp.relu_backward(np.array([1.0, 2.0, 3.0, 4.0, 5.0]),
                           np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
    np.testing.assert_array_equal(out, [0.0, 0.0, 0.0, 4.0, 5.0])


def test_sigmoid_and_tanh_backward_known_values():
    s = 1 / (1 + np.exp(6.0))
    np.testing.assert_allclose(bp.sigmoid_backward(np.ones(2), np.array([0.0, -6.0])),
                               [0.25, s * (1 - s)])
    np.testing.assert_allclose(bp.tanh_backward(np.array([2.0, 1.0]), np.array([0.0, 1.0])),
                               [2.0, 1 - np.tanh(1.0) ** 2])


def test_sigmoid_and_tanh_backward_are_safe_for_large_inputs():
    z = np.array([-1000.0, 1000.0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        np.testing.assert_array_equal(bp.sigmoid_backward(np.ones(2), z), [0.0, 0.0])
        np.testing.assert_array_equal(bp.tanh_backward(np.ones(2), z), [0.0, 0.0])


def test_dense_backward_lecture_layer():
    dz = np.full((1, 3), 43.2)
    dX, dW, db = bp.dense_backward(dz, LECTURE_X[None, :], LECTURE_W)
    np.testing.assert_allclose(dW, np.tile([43.2, 86.4, 129.6, 172.8], (3, 1)))
    np.testing.assert_allclose(db, [43.2] * 3)
    np.testing.assert_allclose(dX, [43.2 * LECTURE_W.sum(axis=0)])


def test_numerical_gradient_of_known_functions():
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(bp.numerical_gradient(lambda v: float(np.sum(v**2)), x),
                               [2.0, 4.0, 6.0], rtol=1e-8)
    # central differences of a cubic are off by exactly h**2 (forward ones by about 3xh)
    np.testing.assert_allclose(bp.numerical_gradient(lambda v: float(np.sum(v**3)), x, h=0.1),
                               3 * x**2 + 0.01, rtol=1e-10)


def test_numerical_gradient_reproduces_lecture_000():
    def loss(W):
        return float(np.sum(fwd.relu(W @ LECTURE_X + LECTURE_B)) ** 2)

    np.testing.assert_allclose(bp.numerical_gradient(loss, LECTURE_W),
                               np.tile([43.2, 86.4, 129.6, 172.8], (3, 1)), rtol=1e-8)


def test_two_hidden_layer_gradients_hand_derivation():
    grads = bp.two_hidden_layer_gradients(np.array([[1.0]]), HAND_PARAMS, np.array([[1.0]]))
    assert set(grads) == set(HAND_GRADIENTS)
    for key, expected in HAND_GRADIENTS.items():
        np.testing.assert_allclose(grads[key], expected, err_msg=key)


def test_two_hidden_layer_gradients_with_one_neuron_per_layer_is_the_workshop_chain():
    # h = 1: every quantity is a number and the workshop's formulas apply literally
    i, w1, b1, w2, b2, w3, b3, o_des = 0.7, 1.3, 0.2, -0.8, 1.5, 2.0, -0.4, 3.0
    H1 = max(0.0, w1 * i + b1)
    z2 = w2 * H1 + b2
    H2 = max(0.0, z2)
    O = w3 * H2 + b3
    dC_dO = 2 * (O - o_des)
    dH2_dz2 = 1.0 if H2 != 0 else 0.0
    dH1_dz1 = 1.0 if H1 != 0 else 0.0
    expected = {
        "dW3": dC_dO * H2, "db3": dC_dO,
        "dW2": dC_dO * w3 * dH2_dz2 * H1, "db2": dC_dO * w3 * dH2_dz2,
        "dW1": dC_dO * w3 * dH2_dz2 * w2 * dH1_dz1 * i, "db1": dC_dO * w3 * dH2_dz2 * w2 * dH1_dz1,
    }
    params = {"W1": [[w1]], "b1": [b1], "W2": [[w2]], "b2": [b2], "W3": [[w3]], "b3": [b3]}
    grads = bp.two_hidden_layer_gradients(np.array([[i]]), params, np.array([[o_des]]))
    for key, value in expected.items():
        np.testing.assert_allclose(np.ravel(grads[key]), [value], err_msg=key)


def test_lecture_layer_gradients_agrees_with_dense_and_relu_backward():
    rng = np.random.default_rng(3)
    x, W, b = rng.normal(size=5), rng.normal(size=(4, 5)), rng.normal(size=4)
    z = W @ x + b
    dz = bp.relu_backward(np.full(4, 2 * np.sum(fwd.relu(z))), z)
    _, dW, db = bp.dense_backward(dz[None, :], x[None, :], W)
    expected_dW, expected_db = bp.lecture_layer_gradients(x, W, b)
    np.testing.assert_allclose(dW, expected_dW)
    np.testing.assert_allclose(db, expected_db)


# ---------------------------------------------------------- gradient checks vs central differences

@pytest.mark.parametrize("shape", [(1, 4), (5, 3), (2, 3, 2)])
def test_activation_backwards_match_central_differences(shape):
    rng = np.random.default_rng(0)
    z = rng.uniform(0.2, 3.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    dvalues = rng.normal(size=shape)
    for backward, forward in [(bp.relu_backward, fwd.relu), (bp.sigmoid_backward, fwd.sigmoid),
                              (bp.tanh_backward, fwd.tanh)]:
        numeric = bp.numerical_gradient(lambda v, f=forward: float(np.sum(dvalues * f(v))), z)
        assert rel_error(backward(dvalues, z), numeric) < 1e-7, backward.__name__


@pytest.mark.parametrize("n, d, m", [(1, 4, 3), (5, 3, 2), (4, 4, 4), (2, 1, 6)])
def test_dense_backward_matches_central_differences(n, d, m):
    rng = np.random.default_rng(n * 100 + d * 10 + m)
    X, W, b, dvalues = (rng.normal(size=(n, d)), rng.normal(size=(m, d)), rng.normal(size=m),
                        rng.normal(size=(n, m)))
    dX, dW, db = bp.dense_backward(dvalues, X, W)
    assert dX.shape == X.shape and dW.shape == W.shape and db.shape == b.shape

    def loss(X, W, b):
        return float(np.sum(dvalues * fwd.dense_forward(X, W, b)))

    assert rel_error(dX, bp.numerical_gradient(lambda v: loss(v, W, b), X)) < 1e-7
    assert rel_error(dW, bp.numerical_gradient(lambda v: loss(X, v, b), W)) < 1e-7
    assert rel_error(db, bp.numerical_gradient(lambda v: loss(X, W, v), b)) < 1e-7


@pytest.mark.parametrize("shape", [(1,), (4, 1), (3, 2)])
def test_mse_backward_matches_central_differences(shape):
    rng = np.random.default_rng(1)
    y_pred, y_true = rng.normal(size=shape), rng.normal(size=shape)
    numeric = bp.numerical_gradient(lambda v: fwd.mse(v, y_true), y_pred)
    assert rel_error(bp.mse_backward(y_pred, y_true), numeric) < 1e-7


@pytest.mark.parametrize("n, k", [(1, 3), (6, 4)])
def test_cross_entropy_backwards_match_central_differences(n, k):
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(n, k))
    labels = rng.integers(0, k, size=n)
    probs = fwd.softmax(logits)
    for y_true in (labels, fwd.one_hot(labels, k)):
        numeric = bp.numerical_gradient(
            lambda p, y=y_true: fwd.categorical_cross_entropy(p, y), probs)
        assert rel_error(bp.categorical_cross_entropy_backward(probs, y_true), numeric) < 1e-6
        numeric = bp.numerical_gradient(
            lambda z, y=y_true: fwd.categorical_cross_entropy(fwd.softmax(z), y), logits)
        assert rel_error(bp.softmax_cross_entropy_backward(probs, y_true), numeric) < 1e-6


def test_single_neuron_gradients_match_central_differences():
    rng = np.random.default_rng(4)
    for x, w, b, target in rng.normal(size=(5, 4)):
        dw, db = bp.single_neuron_gradients(x, w, b, target)
        # C as a function of the parameters [w, b]
        numeric = bp.numerical_gradient(
            lambda p, x=x, t=target: fwd.mse(np.array([p[0] * x + p[1]]), np.array([t])),
            np.array([w, b]))
        assert rel_error(np.array([dw, db]), numeric) < 1e-7


def test_lecture_layer_gradients_match_central_differences():
    rng = np.random.default_rng(5)
    x, W, b = rng.normal(size=3), rng.normal(size=(5, 3)), rng.normal(size=5)

    def loss(W, b):
        return float(np.sum(fwd.relu(W @ x + b)) ** 2)

    dW, db = bp.lecture_layer_gradients(x, W, b)
    assert rel_error(dW, bp.numerical_gradient(lambda v: loss(v, b), W)) < 1e-7
    assert rel_error(db, bp.numerical_gradient(lambda v: loss(W, v), b)) < 1e-7


@pytest.mark.parametrize("n, h", [(1, 3), (8, 5), (4, 1)])
def test_two_hidden_layer_gradients_match_central_differences(n, h):
    rng = np.random.default_rng(10 * n + h)
    x, target = rng.normal(size=(n, 1)), rng.normal(size=(n, 1))
    params = random_params(rng, h)
    grads = bp.two_hidden_layer_gradients(x, params, target)
    for name, value in params.items():
        def loss(v, name=name):
            return two_hidden_loss(x, params | {name: v}, target)

        numeric = bp.numerical_gradient(loss, value)
        assert grads["d" + name].shape == value.shape
        assert rel_error(grads["d" + name], numeric) < 1e-6, name


# ------------------------------------------------------------------------ purity and conventions

def _calls_on_read_only_inputs():
    rng = np.random.default_rng(6)
    dvalues, z = frozen(rng.normal(size=(3, 4)), rng.normal(size=(3, 4)))
    X, W = frozen(rng.normal(size=(3, 5)), rng.normal(size=(4, 5)))
    probs, onehot = frozen([[0.0, 1.0], [0.3, 0.7]], [[1, 0], [0, 1]])
    labels = np.array([0, 1])
    labels.flags.writeable = False
    params = {k: frozen(v)[0] for k, v in random_params(rng, 3).items()}
    return [
        (bp.relu_backward, dvalues, z), (bp.sigmoid_backward, dvalues, z),
        (bp.tanh_backward, dvalues, z), (bp.dense_backward, dvalues, X, W),
        (bp.mse_backward, dvalues, z),
        *[(f, probs, y_true) for y_true in (onehot, labels)
          for f in (bp.categorical_cross_entropy_backward, bp.softmax_cross_entropy_backward)],
        (bp.lecture_layer_gradients, *frozen(LECTURE_X, LECTURE_W, LECTURE_B)),
        (bp.numerical_gradient, lambda v: float(np.sum(v**2)), *frozen(rng.normal(size=(2, 3)))),
        (bp.two_hidden_layer_gradients, *frozen(rng.normal(size=(4, 1))), params,
         *frozen(rng.normal(size=(4, 1)))),
    ]


def test_no_function_modifies_its_inputs():
    """Read-only inputs make a write in place raise; the comparison catches a replaced entry
    of `params` and a write that was undone."""
    calls = _calls_on_read_only_inputs()
    assert len(calls) == 12
    for function, *args in calls:
        before = [a if callable(a) else copy.deepcopy(a) for a in args]
        function(*args)
        for after, saved in zip(args, before, strict=True):
            np.testing.assert_equal(after, saved, err_msg=function.__name__)


def test_numerical_gradient_hands_f_an_array_shaped_like_x():
    seen = []
    x = np.arange(6.0).reshape(2, 3)
    bp.numerical_gradient(lambda v: seen.append(v.shape) or 0.0, x)
    assert set(seen) == {(2, 3)} and len(seen) == 12


def test_gradients_have_the_shapes_of_what_they_are_gradients_of():
    rng = np.random.default_rng(7)
    dX, dW, db = bp.dense_backward(rng.normal(size=(1, 2)), rng.normal(size=(1, 5)),
                                   rng.normal(size=(2, 5)))
    assert (dX.shape, dW.shape, db.shape) == ((1, 5), (2, 5), (2,))
    dW, db = bp.lecture_layer_gradients(rng.normal(size=2), rng.normal(size=(6, 2)),
                                        rng.normal(size=6))
    assert (dW.shape, db.shape) == ((6, 2), (6,))
    for fn in (bp.relu_backward, bp.sigmoid_backward, bp.tanh_backward):
        assert fn(np.ones(3), np.zeros(3)).shape == (3,)
    assert bp.mse_backward(np.ones((2, 1)), np.zeros((2, 1))).shape == (2, 1)
