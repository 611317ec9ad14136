"""The reference optimizers: worked examples, several steps in a row, purity, mini-batches."""

import copy

import numpy as np
import pytest

from autograder.config import get_assignment
from autograder.grader_layout import unchanged_calls
from reference import optimizers as opt


def test_sgd_update_lecture_example():
    # lecture 000: w11 = 0.1 - 0.001 * 43.2
    np.testing.assert_allclose(opt.sgd_update(0.1, 43.2, 0.001), 0.0568, rtol=1e-12)


def test_sgd_update_works_elementwise_on_arrays():
    w = np.array([[0.1, 0.2], [0.3, 0.4]])
    dw = np.array([[1.0, -2.0], [0.5, 0.0]])
    np.testing.assert_allclose(opt.sgd_update(w, dw, 0.1), [[0.0, 0.4], [0.25, 0.4]], atol=1e-15)


@pytest.mark.parametrize(("t", "expected"), [(0, 1.0), (1000, 0.5), (3000, 0.25)])
def test_decayed_learning_rate_lecture_formula(t, expected):
    assert opt.decayed_learning_rate(1.0, 1e-3, t) == pytest.approx(expected, rel=1e-12)


def test_momentum_update_two_steps_in_a_row():
    w, v = opt.momentum_update(0.1, 43.2, 0.0, 0.001, 0.9)
    np.testing.assert_allclose([w, v], [0.0568, -0.0432], rtol=1e-12)
    w, v = opt.momentum_update(w, 43.2, v, 0.001, 0.9)
    np.testing.assert_allclose([w, v], [-0.02528, -0.08208], rtol=1e-12)


def test_momentum_update_with_zero_momentum_is_sgd():
    rng = np.random.default_rng(0)
    w, dw, v = rng.normal(size=(3, 4, 5))
    w_new, v_new = opt.momentum_update(w, dw, v, 0.01, 0.0)
    np.testing.assert_allclose(w_new, opt.sgd_update(w, dw, 0.01), rtol=1e-12)
    np.testing.assert_allclose(v_new, -0.01 * dw, rtol=1e-12)


def test_adagrad_update_first_step_moves_about_the_learning_rate():
    w, cache = opt.adagrad_update(0.1, 43.2, 0.0, 0.001)
    np.testing.assert_allclose(cache, 43.2**2, rtol=1e-12)
    np.testing.assert_allclose(w, 0.1 - 0.001 * 43.2 / (43.2 + 1e-7), rtol=1e-12)


def test_adagrad_update_accumulates_the_cache():
    w, cache = 1.0, 0.0
    for dw in (3.0, 4.0):
        w, cache = opt.adagrad_update(w, dw, cache, 0.1)
    assert cache == pytest.approx(25.0)
    assert w == pytest.approx(1.0 - 0.1 * 3 / (3 + 1e-7) - 0.1 * 4 / (5 + 1e-7))


def test_rmsprop_update_first_step():
    w, cache = opt.rmsprop_update(0.1, 43.2, 0.0, 0.001)
    np.testing.assert_allclose(cache, 0.1 * 43.2**2, rtol=1e-12)
    np.testing.assert_allclose(w, 0.1 - 0.001 * 43.2 / (np.sqrt(186.624) + 1e-7), rtol=1e-12)


def test_rmsprop_update_averages_rather_than_sums():
    cache = 0.0
    for _ in range(200):
        _, cache = opt.rmsprop_update(0.0, 2.0, cache, 0.01, rho=0.9)
    assert cache == pytest.approx(4.0)  # the average of dw**2, not a sum that keeps growing


def test_adam_update_first_step_moves_each_weight_by_the_learning_rate():
    # Bias correction makes m_hat = dw and v_hat = dw**2 at t = 1, so the step is lr * sign(dw).
    dw = np.array([43.2, -0.5, 1e-3])
    w, m, v = opt.adam_update(np.zeros(3), dw, np.zeros(3), np.zeros(3), 1, learning_rate=0.01)
    np.testing.assert_allclose(w, -0.01 * np.sign(dw), rtol=1e-3)
    np.testing.assert_allclose(m, 0.1 * dw, rtol=1e-12)
    np.testing.assert_allclose(v, 0.001 * dw**2, rtol=1e-12)


def test_adam_update_scalar_lecture_numbers():
    w, m, v = opt.adam_update(0.1, 43.2, 0.0, 0.0, 1)
    np.testing.assert_allclose([m, v], [4.32, 1.86624], rtol=1e-12)
    np.testing.assert_allclose(w, 0.1 - 0.001 * 43.2 / (43.2 + 1e-7), rtol=1e-12)


def test_adam_update_matches_a_hand_written_loop():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(2, 3))
    m = v = np.zeros_like(w)
    w_ref, m_ref, v_ref = w.copy(), np.zeros_like(w), np.zeros_like(w)
    for t in range(1, 6):
        dw = 2 * w  # f(w) = sum(w**2)
        w, m, v = opt.adam_update(w, dw, m, v, t, learning_rate=0.05)
        g = 2 * w_ref
        m_ref = 0.9 * m_ref + 0.1 * g
        v_ref = 0.999 * v_ref + 0.001 * g * g
        w_ref = w_ref - 0.05 * (m_ref / (1 - 0.9**t)) / (np.sqrt(v_ref / (1 - 0.999**t)) + 1e-7)
    np.testing.assert_allclose(w, w_ref, rtol=1e-12)
    np.testing.assert_allclose(m, m_ref, rtol=1e-12)
    np.testing.assert_allclose(v, v_ref, rtol=1e-12)


def test_every_optimizer_converges_on_a_quadratic():
    # f(w) = 0.5 * (w0**2 + 10 * w1**2), minimum at 0.
    scale = np.array([1.0, 10.0])
    start = np.array([-3.0, 1.0])
    runs = {
        "sgd": lambda w, dw, s, t: (opt.sgd_update(w, dw, 0.05), s),
        "momentum": lambda w, dw, s, t: opt.momentum_update(w, dw, s, 0.05, 0.9),
        "adagrad": lambda w, dw, s, t: opt.adagrad_update(w, dw, s, 1.0),
        "rmsprop": lambda w, dw, s, t: opt.rmsprop_update(w, dw, s, 0.05),
    }
    for name, step in runs.items():
        w, state = start, np.zeros(2)
        for t in range(1, 501):
            w, state = step(w, scale * w, state, t)
        assert np.abs(w).max() < 0.05, name
    w, m, v = start, np.zeros(2), np.zeros(2)
    for t in range(1, 501):
        w, m, v = opt.adam_update(w, scale * w, m, v, t, learning_rate=0.05)
    assert np.abs(w).max() < 0.05


def _unchanged_calls():
    """Every graded update with the arguments of its hidden "leaves its inputs unchanged" check
    (so a new exercise's row is here too)."""
    calls = unchanged_calls(get_assignment("03_optimizers"))
    return [pytest.param(function, args, id=function) for function, args in calls.items()]


@pytest.mark.parametrize(("name", "args"), _unchanged_calls())
def test_updates_leave_their_inputs_unchanged(name, args):
    copies = copy.deepcopy(args)
    result = getattr(opt, name)(*args)
    for before, after in zip(copies, args, strict=True):
        np.testing.assert_array_equal(after, before)
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    for value in result if isinstance(result, tuple) else (result,):
        assert value.shape == arrays[0].shape
        assert not any(np.shares_memory(value, a) for a in arrays)


@pytest.mark.parametrize(("n", "size"), [(10, 5), (10, 3), (7, 7), (5, 8), (1, 1), (100, 32)])
def test_minibatch_indices_cover_every_sample_once(n, size):
    batches = opt.minibatch_indices(n, size, seed=0)
    assert isinstance(batches, list)
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))
    assert [len(b) for b in batches[:-1]] == [size] * (len(batches) - 1)
    assert 1 <= len(batches[-1]) <= size
    assert len(batches) == -(-n // size)


def test_minibatch_indices_are_slices_of_the_seeded_permutation():
    order = np.random.default_rng(42).permutation(10)
    batches = opt.minibatch_indices(10, 4, 42)
    for got, want in zip(batches, [order[:4], order[4:8], order[8:]], strict=True):
        np.testing.assert_array_equal(got, want)
    assert [b.tolist() for b in opt.minibatch_indices(10, 4, 42)] == [b.tolist() for b in batches]
    assert [b.tolist() for b in opt.minibatch_indices(10, 4, 43)] != [b.tolist() for b in batches]
