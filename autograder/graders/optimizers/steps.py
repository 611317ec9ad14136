"""03_optimizers: plain gradient steps, a decaying learning rate, and momentum (lecture 000)."""

import numpy as np

from autograder.exercises import Exercise, edit
from autograder.harness import Mistake, name_results
from reference import optimizers as ref

from .common import IN_PLACE, arrays, check_run, naming, not_a_tuple, quadratic

# ----------------------------------------------------------------------------------------------
# sgd_update (3 points)

GRADIENT_ADDED = Mistake(
    "stepped up the gradient",
    "The gradient points uphill; gradient descent steps the other way: w - learning_rate * dw.",
    "000",
)

sgd_update = Exercise("sgd_update", ref)


def _sgd_added(w, dw, learning_rate):
    return np.asarray(w, dtype=float) + learning_rate * np.asarray(dw, dtype=float)


_SGD_MISTAKES = naming([(GRADIENT_ADDED, _sgd_added)])

sgd_update.agrees(1, "lecture 000's step: w11 = 0.1 - 0.001 * 43.2 = 0.0568", [(0.1, 43.2, 0.001)],
                  mistakes=_SGD_MISTAKES, name="lecture_example")
sgd_update.agrees(1, "arrays of several shapes, several learning rates",
                  [(*arrays(seed, shape, 2), lr)
                   for seed, (shape, lr) in enumerate([((4,), 0.1), ((3, 5), 0.01),
                                                       ((2, 3, 2), 1.5)])],
                  mistakes=_SGD_MISTAKES, name="matches_reference_on_arrays")
sgd_update.unchanged(1, (*arrays(10, (3, 4), 2), 0.1), IN_PLACE)
sgd_update.mutants(
    edit(GRADIENT_ADDED, "return w - learning_rate * dw", "return w + learning_rate * dw"),
    edit(IN_PLACE, "    return w - learning_rate * dw",
         "    w -= learning_rate * dw\n    return w"),
)

# ----------------------------------------------------------------------------------------------
# decayed_learning_rate (3 points)

DECAY_POWER = Mistake(
    "decay as lr * decay**t",
    "The lecture's decay is lr = initial_lr / (1 + decay * t): it halves the rate at "
    "t = 1 / decay. initial_lr * decay**t collapses to 0 within a few steps.",
    "000",
)
DECAY_PRECEDENCE = Mistake(
    "denominator without parentheses",
    "initial_lr / 1 + decay * t divides by 1 and then adds; write initial_lr / (1 + decay * t).",
    "000",
)

decayed_learning_rate = Exercise("decayed_learning_rate", ref)
_DECAY_MISTAKES = naming([
    (DECAY_POWER, lambda lr, decay, t: lr * decay**t),
    (DECAY_PRECEDENCE, lambda lr, decay, t: lr / 1 + decay * t),
])

decayed_learning_rate.agrees(1, "lecture 000's decay: 1.0 / (1 + 1e-3 * 1000) = 0.5",
                             [(1.0, 1e-3, 1000)], mistakes=_DECAY_MISTAKES,
                             name="lecture_example")
decayed_learning_rate.agrees(1, "several initial rates, decays and iterations",
                             [(0.1, 0.01, 10), (0.5, 1e-4, 2500), (2.0, 0.5, 7), (1.0, 1e-3, 1)],
                             mistakes=_DECAY_MISTAKES)
decayed_learning_rate.agrees(
    1, "iteration 0, and no decay at all, keep the initial rate; with decay it then falls",
    [(0.05, 1e-3, 0), (0.05, 0.0, 500), (0.05, 1e-3, 500)], mistakes=_DECAY_MISTAKES,
    name="starts_at_initial_rate")
decayed_learning_rate.mutants(
    edit(DECAY_POWER, "initial_lr / (1.0 + decay * iteration)", "initial_lr * decay**iteration"),
    edit(DECAY_PRECEDENCE, "initial_lr / (1.0 + decay * iteration)",
         "initial_lr / 1.0 + decay * iteration"),
)

# ----------------------------------------------------------------------------------------------
# momentum_update (5 points)

MOMENTUM_SIGN = Mistake(
    "momentum sign flipped",
    "The velocity is the step itself: velocity_new = momentum * velocity - learning_rate * dw, "
    "then w_new = w + velocity_new. The previous step is added (past matters), the gradient is "
    "subtracted; flipping either sign climbs the loss or returns a velocity of the wrong sign.",
    "000",
)
VELOCITY_NOT_RETURNED = Mistake(
    "velocity not returned",
    "momentum_update must return (w_new, velocity_new): the new velocity is the state the next "
    "step needs. Returning only w, or the velocity you were given, loses the momentum.",
    "000",
)
VELOCITY_IGNORED = Mistake(
    "previous velocity ignored",
    "velocity_new = momentum * velocity - learning_rate * dw: the previous step (the velocity "
    "argument) must carry over, or momentum is plain gradient descent.",
    "000",
)

momentum_update = Exercise("momentum_update", ref)
name_results("momentum_update", "w_new", "velocity_new")


def _momentum_wrong(kind):
    def update(w, dw, velocity, learning_rate, momentum):
        w, dw, velocity = (np.asarray(a, dtype=float) for a in (w, dw, velocity))
        if kind == "stored-positive":  # v = mu*v + lr*dw; w = w - v
            v_new = momentum * velocity + learning_rate * dw
            return w - v_new, v_new
        if kind == "climbs":  # v = mu*v + lr*dw; w = w + v
            v_new = momentum * velocity + learning_rate * dw
            return w + v_new, v_new
        if kind == "momentum-subtracted":  # v = -mu*v - lr*dw
            v_new = -momentum * velocity - learning_rate * dw
            return w + v_new, v_new
        if kind == "old-velocity":
            return w + momentum * velocity - learning_rate * dw, velocity
        if kind == "ignored":
            return w - learning_rate * dw, -learning_rate * dw
        raise ValueError(kind)

    return update


_MOMENTUM_CANDIDATES = [
    (MOMENTUM_SIGN, _momentum_wrong("stored-positive")),
    (MOMENTUM_SIGN, _momentum_wrong("climbs")),
    (MOMENTUM_SIGN, _momentum_wrong("momentum-subtracted")),
    (VELOCITY_NOT_RETURNED, _momentum_wrong("old-velocity")),
    (VELOCITY_IGNORED, _momentum_wrong("ignored")),
]
_MOMENTUM_EXTRA = [VELOCITY_NOT_RETURNED.with_value(not_a_tuple)]


def _momentum_args(lr, mu):
    return lambda w, dw, state, t: (w, dw, state[0], lr, mu)


momentum_update.agrees(1, "first step from rest: w = 0.0568, velocity = -0.0432",
                       [(0.1, 43.2, 0.0, 0.001, 0.9)],
                       mistakes=naming(_MOMENTUM_CANDIDATES, _MOMENTUM_EXTRA),
                       name="lecture_first_step")


@momentum_update.check(points=1)
def test_momentum_update_two_steps_in_a_row(student):
    """two steps in a row: w = 0.0568, v = -0.0432, then w = -0.02528, v = -0.08208"""
    check_run(student, "momentum_update", 0.1, (0.0,), _momentum_args(0.001, 0.9), 2,
              lambda w: 43.2, _MOMENTUM_CANDIDATES, _MOMENTUM_EXTRA)


momentum_update.agrees(1, "one step on arrays of several shapes, with a velocity already built up",
                       [(*arrays(20 + seed, shape, 3), lr, mu)
                        for seed, (shape, lr, mu) in enumerate([((4,), 0.1, 0.9),
                                                                ((3, 5), 0.01, 0.5),
                                                                ((2, 3, 2), 0.5, 0.99)])],
                       mistakes=naming(_MOMENTUM_CANDIDATES, _MOMENTUM_EXTRA),
                       name="matches_reference_on_arrays")


@momentum_update.check(points=1)
def test_momentum_update_carries_velocity_over_many_steps(student):
    """15 steps down an elongated bowl, each fed the velocity the previous step returned"""
    w0, grad = quadratic((2, 3), seed=30)
    check_run(student, "momentum_update", w0, (np.zeros((2, 3)),), _momentum_args(0.05, 0.9),
              15, grad, _MOMENTUM_CANDIDATES, _MOMENTUM_EXTRA)


momentum_update.unchanged(1, (*arrays(31, (3, 4), 3), 0.1, 0.9), IN_PLACE)
# (the docstring states the formulas too: an old text that ends in "\n" is the code's line)
momentum_update.mutants(
    # the velocity kept as a positive "distance downhill", against the course's convention
    edit(MOMENTUM_SIGN, "momentum * velocity - learning_rate * dw\n",
         "momentum * velocity + learning_rate * dw\n",
         "w_new = w + velocity_new\n", "w_new = w - velocity_new\n"),
    # the previous step subtracted: it brakes instead of carrying on
    edit(MOMENTUM_SIGN, "momentum * velocity - learning_rate * dw\n",
         "-momentum * velocity - learning_rate * dw\n"),
    edit(VELOCITY_NOT_RETURNED, "return w_new, velocity_new", "return w_new"),
    edit(VELOCITY_NOT_RETURNED, "return w_new, velocity_new", "return w_new, velocity"),
    edit(VELOCITY_IGNORED, "momentum * velocity - learning_rate * dw\n", "-learning_rate * dw\n"),
    edit(IN_PLACE,
         "velocity_new = momentum * velocity - learning_rate * dw\n"
         "    w_new = w + velocity_new\n"
         "    return w_new, velocity_new",
         "velocity *= momentum\n"
         "    velocity -= learning_rate * dw\n"
         "    w += velocity\n"
         "    return w, velocity"),
)
