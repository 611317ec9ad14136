"""The reference implementations of 04_training."""

import numpy as np
import pytest

from autograder.graders.training.loop import (
    ACCURACY,
    EPOCHS,
    loss_curve_problem,
    training_accuracy,
)
from reference.training import forward, init_params, predict, spiral_data, train_classifier


@pytest.fixture(scope="module")
def spiral():
    return spiral_data(100, 3, seed=1)


def test_spiral_data_shapes_classes_and_seed():
    X, y = spiral_data(50, 4, seed=2)
    assert X.shape == (200, 2) and X.dtype == np.float64
    assert y.shape == (200,) and np.array_equal(np.bincount(y), [50] * 4)
    assert np.abs(X).max() <= 1.0
    np.testing.assert_array_equal(spiral_data(50, 4, seed=2)[0], X)
    assert not np.array_equal(spiral_data(50, 4, seed=3)[0], X)


def test_init_params_shapes_zero_biases_he_scale():
    params = init_params(64, 128, 10, seed=0)
    assert {k: v.shape for k, v in params.items()} == {
        "W1": (128, 64), "b1": (128,), "W2": (10, 128), "b2": (10,)}
    assert not params["b1"].any() and not params["b2"].any()
    np.testing.assert_allclose(params["W1"].std(), np.sqrt(2 / 64), rtol=0.1)
    np.testing.assert_allclose(params["W2"].std(), np.sqrt(2 / 128), rtol=0.1)


def test_init_params_deterministic_by_seed():
    a, b, c = init_params(2, 8, 3, 5), init_params(2, 8, 3, 5), init_params(2, 8, 3, 6)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    assert not np.array_equal(a["W1"], c["W1"])


def test_forward_rows_are_probabilities_even_for_large_logits():
    params = {k: 100 * v for k, v in init_params(3, 6, 4, seed=1).items()}
    X = np.random.default_rng(0).normal(size=(7, 3)) * 10
    probs = forward(params, X)
    assert probs.shape == (7, 4)
    assert np.isfinite(probs).all() and (probs >= 0).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-12)


def test_forward_hand_example():
    params = {"W1": np.eye(2), "b1": np.zeros(2), "W2": np.array([[1.0, 1.0], [0.0, 0.0]]),
              "b2": np.zeros(2)}
    # hidden = relu([1, -1]) = [1, 0]; logits = [1, 0]
    e = np.e
    np.testing.assert_allclose(forward(params, np.array([[1.0, -1.0]])),
                               [[e / (e + 1), 1 / (e + 1)]], rtol=1e-12)


def test_predict_is_argmax_of_forward(spiral):
    X, _ = spiral
    params = init_params(2, 16, 3, seed=4)
    np.testing.assert_array_equal(predict(params, X), forward(params, X).argmax(axis=1))
    assert predict(params, X).shape == (300,)


def test_functions_leave_inputs_unchanged(spiral):
    X, y = spiral
    X0, y0 = X.copy(), y.copy()
    params = init_params(2, 16, 3, seed=4)
    saved = {k: v.copy() for k, v in params.items()}
    forward(params, X)
    predict(params, X)
    train_classifier(X, y, epochs=20)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    for k in params:
        np.testing.assert_array_equal(params[k], saved[k])


def test_train_classifier_shapes_losses_and_determinism(spiral):
    X, y = spiral
    out = train_classifier(X, y, n_hidden=16, epochs=200, seed=3)
    assert {k: v.shape for k, v in out["params"].items()} == {
        "W1": (16, 2), "b1": (16,), "W2": (3, 16), "b2": (3,)}
    assert len(out["losses"]) == 200
    again = train_classifier(X, y, n_hidden=16, epochs=200, seed=3)
    np.testing.assert_array_equal(out["losses"], again["losses"])
    for k in out["params"]:
        np.testing.assert_array_equal(out["params"][k], again["params"][k])
    other = train_classifier(X, y, n_hidden=16, epochs=200, seed=4)
    assert not np.array_equal(other["params"]["W1"], out["params"]["W1"])


def test_train_classifier_accepts_one_hot_labels(spiral):
    X, y = spiral
    by_index = train_classifier(X, y, epochs=30)
    by_one_hot = train_classifier(X, np.eye(3)[y], epochs=30)
    np.testing.assert_allclose(by_one_hot["losses"], by_index["losses"], rtol=1e-12)


def test_first_loss_is_cross_entropy_of_the_first_guess(spiral):
    X, y = spiral
    probs = forward(init_params(2, 64, 3, seed=0), X)
    expected = -np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-7, 1 - 1e-7)))
    np.testing.assert_allclose(train_classifier(X, y, epochs=1)["losses"][0], expected)


@pytest.mark.parametrize("data_seed", [3, 42])  # the graders' own spiral: tests/graders
@pytest.mark.slow
def test_defaults_pass_the_training_graders_on_other_spirals(data_seed):
    """The default run meets the training graders' own bar (one loss per epoch, their accuracy,
    a loss curve they count as falling) on spirals other than theirs; and, with room to spare,
    its mean loss falls from every tenth of the run to the next."""
    X, y = spiral_data(100, 3, seed=data_seed)
    out = train_classifier(X, y)
    losses = np.asarray(out["losses"])
    assert len(losses) == EPOCHS
    assert training_accuracy(out["params"], X, y) >= ACCURACY
    assert loss_curve_problem(losses) is None
    tenths = [block.mean() for block in np.array_split(losses, 10)]
    assert np.all(np.diff(tenths) < 0)
