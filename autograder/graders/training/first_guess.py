"""04_training: init_params, the first guess (small random weights, zero biases)."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import Mistake, check, describe
from reference import training as ref

from .common import IGNORES_SEED, ROW_BIASES, W_TRANSPOSED, numbers, shape_mistake

NONZERO_BIASES = Mistake(
    "biases not zero",
    "Start every bias at 0: the random weights already break the symmetry between neurons.",
    "003",
)
EQUAL_WEIGHTS = Mistake(
    "all weights start equal",
    "When every weight starts at the same value, every hidden neuron computes the same thing "
    "and receives the same gradient, so they stay identical forever. Draw them at random.",
    "003",
)
UNSCALED = Mistake(
    "weights not scaled down",
    "Plain standard-normal weights make a neuron's output grow with its number of inputs. Use "
    "small weights: any scale from 0.01 up to He's sqrt(2 / n_inputs) is fine.",
    "003",
)

init_params = Exercise("init_params", ref)

# The spec: "small random weights (any scale from 0.01 up to He's sqrt(2 / n_inputs) is fine)".
# The standard deviation of a few thousand draws is within a few percent of the scale; 20% is
# room for that and nothing more.
SCALE_TOLERANCE = 1.2


def _params_dict(call):
    keys = ("W1", "b1", "W2", "b2")
    check(isinstance(call.value, dict) and all(k in call.value for k in keys), call,
          "init_params returns a dict with the keys W1, b1, W2, b2.")
    return {k: numbers(call, call.value[k], k) for k in keys}


def _check_weights(call, n_in, n_hidden, n_out):
    """W1 and W2 have the dense shapes and random entries at a scale the spec allows."""
    params = _params_dict(call)
    for name, shape in (("W1", (n_hidden, n_in)), ("W2", (n_out, n_hidden))):
        w, fan_in = params[name], shape[1]
        check(w.shape == shape, call, f"{name} has shape {w.shape}; it should be {shape}.",
              shape_mistake(name, w.shape, shape))
        check(np.ptp(w) > 0, call, f"Every entry of {name} is {w.flat[0]:.4g}.", EQUAL_WEIGHTS)
        he = np.sqrt(2.0 / fan_in)
        check(0.01 / SCALE_TOLERANCE <= w.std() <= he * SCALE_TOLERANCE, call,
              f"{name}'s entries have standard deviation {w.std():.4g}. With {fan_in} inputs per "
              f"neuron any scale from 0.01 up to He's sqrt(2 / {fan_in}) = {he:.4g} is fine.",
              UNSCALED if w.std() > he else None)
    return params


@init_params.check(points=1)
def test_init_params_shapes_and_zero_biases(student):
    """dense shapes and zero biases of shape (n,)"""
    call = student.call("init_params", 2, 64, 3, 0)
    params = _params_dict(call)
    shapes = {"W1": (64, 2), "b1": (64,), "W2": (3, 64), "b2": (3,)}
    for name, shape in shapes.items():
        got = np.shape(params[name])
        check(got == shape, call, f"{name} has shape {got}; it should be {shape}.",
              shape_mistake(name, got, shape))
    for name in ("b1", "b2"):
        check(np.all(params[name] == 0), call,
              f"{name} is {describe(params[name])}; biases start at zero.",
              NONZERO_BIASES)


@init_params.check(points=1)
def test_init_params_small_random_weights(student):
    """small random weights (from 0.01 up to He's scale)"""
    _check_weights(student.call("init_params", 64, 128, 32, 1), 64, 128, 32)


@init_params.check(points=1)
def test_init_params_deterministic_by_seed(student):
    """the same seed gives the same weights, another seed others"""
    first = student.call("init_params", 16, 32, 8, 11)
    _check_weights(first, 16, 32, 8)  # the same weights every time earn nothing if they are wrong
    again = student.call("init_params", 16, 32, 8, 11)
    for name, array in _params_dict(first).items():
        check(np.array_equal(array, _params_dict(again)[name]), again,
              f"A second call with the same seed gave a different {name}; the first gave "
              f"{describe(array)}.", IGNORES_SEED)
    other = student.call("init_params", 16, 32, 8, 12)
    check(not np.array_equal(_params_dict(other)["W1"], _params_dict(first)["W1"]),
          other, "Seeds 11 and 12 gave the same W1.", IGNORES_SEED)


W1_HE = "np.sqrt(2.0 / n_inputs) * rng.standard_normal((n_hidden, n_inputs))"
W2_HE = "np.sqrt(2.0 / n_hidden) * rng.standard_normal((n_outputs, n_hidden))"
init_params.mutants(
    edit(W_TRANSPOSED,
         "standard_normal((n_hidden, n_inputs))", "standard_normal((n_inputs, n_hidden))",
         "standard_normal((n_outputs, n_hidden))", "standard_normal((n_hidden, n_outputs))"),
    edit(ROW_BIASES,
         "np.zeros(n_hidden)", "np.zeros((1, n_hidden))",
         "np.zeros(n_outputs)", "np.zeros((1, n_outputs))"),
    edit(NONZERO_BIASES,
         "np.zeros(n_hidden)", "0.01 * rng.standard_normal(n_hidden)",
         "np.zeros(n_outputs)", "0.01 * rng.standard_normal(n_outputs)"),
    edit(EQUAL_WEIGHTS,
         W1_HE, "np.zeros((n_hidden, n_inputs))", W2_HE, "np.zeros((n_outputs, n_hidden))"),
    edit(UNSCALED, "np.sqrt(2.0 / n_inputs) * ", "", "np.sqrt(2.0 / n_hidden) * ", ""),
    edit(IGNORES_SEED,
         "rng = np.random.default_rng(seed)", "rng = np.random  # NumPy's global random state"),
)
