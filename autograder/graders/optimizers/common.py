"""What the checks of several 03_optimizers functions share: a mistake, argument makers, and the
runs of many steps that feed each step's returned state into the next."""

import numpy as np

from autograder.harness import GraderFailure, Mistake, check_close
from reference import optimizers as ref

IN_PLACE = Mistake(
    "updates done in place",
    "`w -= ...`, `w += ...` or `cache += ...` on an array changes the caller's array as well. An "
    "optimizer step must be pure: compute new arrays (`w_new = w - ...`) and return them.",
)
SHAPES = [(4,), (3, 5), (2, 3, 2)]


def naming(candidates, extra=()):
    """The `mistakes` of an agreement row: each (Mistake, wrong update) of `candidates` with the
    value the wrong update returns on the row's arguments, then the `extra` candidates."""
    return lambda expected, *args: [*(mistake.with_value(update(*args))
                                      for mistake, update in candidates), *extra]


def not_a_tuple(value):
    return not isinstance(value, (tuple, list))


def arrays(seed, shape, n, positive=()):
    """`n` arrays of `shape`; those whose index is in `positive` hold positive numbers (a cache)."""
    rng = np.random.default_rng(seed)
    return [rng.random(shape) + 0.1 if i in positive else rng.normal(size=shape) for i in range(n)]


def quadratic(shape, seed):
    """A start and the gradient of an elongated bowl f(w) = 0.5 * sum(scale * w**2)."""
    rng = np.random.default_rng(seed)
    scale = np.linspace(0.5, 12.0, int(np.prod(shape))).reshape(shape)
    return rng.normal(size=shape), (lambda w: scale * np.asarray(w, dtype=float))


def _run(update, w0, state0, args_of, steps, grad):
    """The outputs of `steps` updates, each fed the weights and state the previous one returned."""
    outputs, w, state = [], w0, state0
    for t in range(1, steps + 1):
        out = update(*args_of(w, grad(w), state, t))
        outputs.append(out)
        w, state = out[0], tuple(out[1:])
    return outputs


def check_run(student, function, w0, state0, args_of, steps, grad, candidates, extra=()):
    """Run the student's update `steps` times, feeding back what it returns, against the reference.

    args_of(w, dw, state, t) builds the call's arguments; grad(w) is the loss's gradient.
    """
    expected = _run(getattr(ref, function), w0, state0, args_of, steps, grad)
    mistaken = [(mistake, _run(update, w0, state0, args_of, steps, grad))
                for mistake, update in candidates]
    w, state = w0, state0
    for t in range(1, steps + 1):
        try:
            call = student.call(function, *args_of(w, grad(w), state, t))
            check_close(call, expected[t - 1],
                        mistakes=[*(m.with_value(run[t - 1]) for m, run in mistaken), *extra])
        except GraderFailure as failure:
            raise GraderFailure(
                f"Step {t} of a {steps}-step run in which each step is given the weights and the "
                f"state that your previous step returned:\n{failure}",
                failure.mistake, earned=failure.earned,
            ) from None
        w, *rest = call.value
        state = tuple(rest)
