"""What the checks of several 04_training functions share: the graders' spiral, the mistakes of
the parameters' shapes, the seed and the inputs, and reading a returned value as numbers."""

import numpy as np

from autograder.harness import Call, Mistake, describe, fail
from reference import training as ref

# The graders' own spiral: 3 arms of 100 points, as in the book, from a seed students never see.
X_SPIRAL, Y_SPIRAL = ref.spiral_data(100, 3, seed=20261121)

IGNORES_SEED = Mistake(
    "the seed is not used",
    "Draw every random number from `np.random.default_rng(seed)` (through init_params), "
    "never from NumPy's global random state: the same seed must give the same network, and a "
    "different seed a different one.",
    "003",
)
W_TRANSPOSED = Mistake(
    "W stored as (n_inputs, n_neurons)",
    "A dense layer's weights have shape (n_neurons, n_inputs), one row per neuron, and the "
    "layer computes X @ W.T + b.",
    "001",
)
ROW_BIASES = Mistake(
    "biases of shape (1, n)",
    "A bias has one entry per neuron, shape (n,): `np.zeros(n_hidden)`, not "
    "`np.zeros((1, n_hidden))`. The (1, n) form broadcasts in the forward pass but is a "
    "different shape from the dense convention's b.",
    "003",
)
COLUMN_BIASES = Mistake(
    "assumes a column-shaped bias (n, 1)",
    "A bias has one entry per neuron, shape (n,): `np.zeros(n_hidden)`. Column biases (n, 1) "
    "belong to the convention where samples are columns (deeplearning.ai, Nielsen); this "
    "course's batch is rows and the layer computes X @ W.T + b.",
    "003", id="bias-as-column",  # the diagnosis's name for the same convention
)
IN_PLACE = Mistake(
    "changes its inputs in place",
    "`X -= ...`, `X[...] = ...` or `params['W1'] += ...` change the caller's arrays. Work on "
    "new arrays (`X = X - ...`, or a copy) and leave the arguments as they were.",
    "003",
)


def shape_mistake(name, got, want):
    """The known mistake a parameter of shape `got` instead of `want` points to, if any."""
    if name[0] == "W" and got == want[::-1]:
        return W_TRANSPOSED
    if name[0] == "b" and got == (*want, 1):
        return COLUMN_BIASES
    return ROW_BIASES if name[0] == "b" and got == (1, *want) else None


def numbers(call: Call, value, what: str) -> np.ndarray:
    """`value` as a float array, or a failure saying it is not one."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        fail(f"Called {call.describe()}\n{what} is {describe(value)}, not an array of numbers.")
