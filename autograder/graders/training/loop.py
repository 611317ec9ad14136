"""04_training: train_classifier, the training loop. Its graders judge one full run on the
graders' spiral, then short runs for the seed, 04's experiment settings and the inputs."""

import numpy as np

from autograder.config import limits
from autograder.exercises import Exercise, edit
from autograder.harness import (
    Call,
    GraderFailure,
    Mistake,
    check,
    check_unchanged,
    describe,
    fail,
)
from reference import training as ref

from .common import IGNORES_SEED, IN_PLACE, X_SPIRAL, Y_SPIRAL, numbers, shape_mistake

NEVER_RETURNS = Mistake(
    "training did not finish in time",
    "The run was stopped at the time limit, so no loss curve or parameters came back. A "
    "vectorised NumPy loop of 10001 full-batch epochs on 300 points takes a few seconds. Look "
    "for a loop that never ends (a `while` whose condition never changes), or Python loops over "
    "samples or neurons inside the epoch loop; time `train_classifier(X, y, epochs=100)` in "
    "your notebook and multiply by 100.",
    "003",
)
NEVER_UPDATED = Mistake(
    "weights never updated",
    "The loss is the same at every epoch, so the parameters the loop measures never change. "
    "Assign the updated arrays back where the next epoch reads them (`params[name] = ...`, "
    "not a loop variable `p = p - lr * g`), and return the updated parameters.",
    "003",
)
LR_TOO_LARGE = Mistake(
    "learning rate far too large",
    "The loss rises far above where it started (or becomes nan/inf): the steps overshoot. Use "
    "`learning_rate` as given (default 1.0), decayed as learning_rate / (1 + decay * epoch), "
    "and divide the softmax + cross-entropy gradient by the number of samples. A flipped sign "
    "in the update (climbing the loss instead of descending) looks the same.",
    "000",
)
TRAINING_WEAK = Mistake(
    "training does not fit the spiral",
    "The loop runs but learns too little. Check, in order: He initialisation "
    "(W = sqrt(2 / n_inputs) * standard normal, zero biases); the fused gradient "
    "dlogits = (probs - one_hot) / n; dW = dvalues.T @ inputs and db summed over the batch; "
    "ReLU's gradient 1(z > 0); the decayed rate learning_rate / (1 + decay * epoch) (not "
    "learning_rate * decay**epoch); momentum as v = momentum * v - lr * grad, then W = W + v; "
    "and the defaults n_hidden=64, epochs=10001, learning_rate=1.0, decay=1e-3, momentum=0.9.",
    "003",
)
NO_STEP_WITHOUT_MOMENTUM = Mistake(
    "no step when momentum is 0",
    "With `momentum=0.0` the loss never changes: the update only happens inside `if momentum:`. "
    "Momentum 0 is plain SGD, v = -lr * grad, and 04's experiments use it: write the update so "
    "that it also steps when momentum is 0.",
    "000",
)
NO_RATE_WITHOUT_DECAY = Mistake(
    "learning rate unset when decay is 0",
    "With `decay=0.0` the run fails: the learning rate is only computed inside `if decay:`. "
    "lr_t = learning_rate / (1 + decay * epoch) is simply learning_rate when decay is 0; "
    "compute it on every epoch.",
    "000",
)
LOSSES_SUBSAMPLED = Mistake(
    "loss recorded only every 100 epochs",
    "Printing the loss every 100 epochs is fine, but 'losses' holds the loss of every epoch: "
    "record it before each update, epochs values in all.",
    "003",
)

N_HIDDEN, EPOCHS = 64, 10001  # train_classifier's defaults, which the full run relies on
SHORT_EPOCHS = 50  # the determinism and input checks re-run only this much
ACCURACY = 0.90  # the share of the graders' spiral the full run's parameters must classify

train_classifier = Exercise("train_classifier", ref)

# ----------------------------------------------------------------------------------------------
# The one full training run, and what the training graders read from it.

def _trained(student):
    """The student's full training run on the graders' spiral (defaults), or its failure."""
    try:
        return student.call_once("train_classifier", X_SPIRAL, Y_SPIRAL)
    except GraderFailure as failure:
        return failure


def _timed_out(failure: GraderFailure) -> bool:
    return failure.kind in ("timeout", "budget")


def _full_run(trained) -> Call:
    """The full run's Call; fails with a message for the student when the run did not return."""
    if not isinstance(trained, GraderFailure):
        return trained
    if _timed_out(trained):
        limit = limits().call_timeout("train_classifier")
        fail(
            f"{trained}\n"
            f"train_classifier did not finish within the time limit of {limit:g} seconds for one "
            f"call, so it was stopped; the line above says where it was and how far its loop "
            f"had got. A vectorised loop of 10001 epochs takes a few seconds.\n"
            + NEVER_RETURNS.describe(),
            NEVER_RETURNS,
        )
    fail(
        f"{trained}\nThis was the full training run (default settings, {EPOCHS} epochs on a "
        "3-class spiral of 300 points) that every training check judges.",
        trained.mistake,
    )


def _params(call: Call, n_hidden: int = N_HIDDEN) -> dict:
    """The returned parameters, after checking the dict's structure and the arrays' shapes."""
    value = call.value
    head = f"Called {call.describe()}\n"
    if not isinstance(value, dict) or "params" not in value or "losses" not in value:
        fail(head + f"It returned {describe(value)}.\n"
             "train_classifier returns a dict with keys 'params' and 'losses'.")
    params = value["params"]
    n_in, n_out = X_SPIRAL.shape[1], int(Y_SPIRAL.max()) + 1
    shapes = {"W1": (n_hidden, n_in), "b1": (n_hidden,), "W2": (n_out, n_hidden), "b2": (n_out,)}
    if not isinstance(params, dict) or any(k not in params for k in shapes):
        fail(head + f"Its 'params' is {describe(params)}.\n"
             "'params' is a dict with the keys W1, b1, W2, b2.")
    arrays = {name: numbers(call, params[name], f"params[{name!r}]") for name in shapes}
    for name, shape in shapes.items():
        if arrays[name].shape != shape:
            mistake = shape_mistake(name, arrays[name].shape, shape)
            check(False, None, head + f"params[{name!r}] has shape {arrays[name].shape}; for this "
                  f"data and n_hidden={n_hidden} it should be {shape}.", mistake)
    return arrays


def _losses(call: Call, epochs: int = EPOCHS) -> np.ndarray:
    """The returned loss curve, after checking it holds one number per epoch."""
    losses = numbers(call, call.value["losses"], "Its 'losses'").reshape(-1)
    if losses.size != epochs:
        sampled = LOSSES_SUBSAMPLED if losses.size in (epochs // 100, -(-epochs // 100)) else None
        check(False, None, f"Called {call.describe()}\nIts 'losses' holds {losses.size} values; "
              f"it should hold one per epoch, {epochs}.", sampled)
    return losses


def _diagnosis(losses: np.ndarray) -> Mistake:
    """The known mistake a loss curve points to."""
    if not np.isfinite(losses).all() or losses.max() > 5 * max(losses[0], 1e-3):
        return LR_TOO_LARGE
    if np.ptp(losses) <= 1e-12 * max(1.0, abs(losses[0])):
        return NEVER_UPDATED
    return TRAINING_WEAK


def _curve(losses: np.ndarray) -> str:
    marks = sorted({0, 1, 10, 100, 1000, losses.size // 2, losses.size - 1})
    return ", ".join(f"epoch {i}: {losses[i]:.4g}" for i in marks if i < losses.size)


def loss_curve_problem(losses: np.ndarray) -> str | None:
    """What keeps a full run's loss curve from counting as falling, or None when it falls."""
    if not np.isfinite(losses).all():
        return "The loss curve contains nan or inf."
    late = losses[-100:].mean()
    tenths = [block.mean() for block in np.array_split(losses, 10)]
    falls = int(np.sum(np.diff(tenths) < 0))
    if late >= 0.5 * losses[0]:
        return (f"The mean loss of the last 100 epochs is {late:.4g}; it should be less "
                f"than half the first epoch's loss {losses[0]:.4g}.")
    if falls < 7:
        return (f"The mean loss fell from one tenth of the training to the next only "
                f"{falls} times out of 9; a loss that falls does so at least 7 times.")
    return None


def training_accuracy(params, X=X_SPIRAL, y=Y_SPIRAL) -> float:
    with np.errstate(all="ignore"):
        return float(np.mean(ref.predict(params, X) == y))


# ----------------------------------------------------------------------------------------------
# The checks

@train_classifier.check(points=1)
def test_train_classifier_returns_params_and_losses(student):
    """returns params of the dense shapes and one loss per epoch"""
    call = _full_run(_trained(student))
    _params(call)
    _losses(call)


@train_classifier.check(points=4)
def test_train_classifier_reaches_90_percent(student):
    """reaches 90% training accuracy on a spiral you have not seen"""
    call = _full_run(_trained(student))
    acc = training_accuracy(_params(call))
    if acc < ACCURACY:
        try:
            losses = _losses(call)
        except GraderFailure:  # judged by its own grader; say what the parameters do
            losses = None
        mistake = TRAINING_WEAK if losses is None else _diagnosis(losses)
        curve = "" if losses is None else f"Its loss curve: {_curve(losses)}.\n"
        fail(
            f"Called {call.describe()} (a 3-class spiral of 300 points, default settings).\n"
            f"The parameters it returned classify {acc:.1%} of the training points correctly "
            f"(computed with the reference predict); at least {ACCURACY:.0%} is expected (the "
            f"reference reaches about 98%).\n{curve}" + mistake.describe(),
            mistake,
        )


@train_classifier.check(points=2)
def test_train_classifier_loss_falls(student):
    """the loss curve falls"""
    call = _full_run(_trained(student))
    _params(call)
    losses = _losses(call)
    problem = loss_curve_problem(losses)
    if problem:
        mistake = _diagnosis(losses)
        fail(f"Called {call.describe()}\n{problem}\nIts loss curve: {_curve(losses)}.\n"
             + mistake.describe(), mistake)


def _short_run(student, seed):
    """A short run (SHORT_EPOCHS epochs) on the graders' spiral, whose parameters have the dense
    shapes and whose loss falls (a property earns nothing without work); skipped after a timeout."""
    trained = _trained(student)
    if isinstance(trained, GraderFailure) and _timed_out(trained):
        _full_run(trained)  # fails with the time limit; no point waiting for it again
    call = student.call("train_classifier", X_SPIRAL, Y_SPIRAL, epochs=SHORT_EPOCHS, seed=seed)
    _params(call)
    losses = _losses(call, SHORT_EPOCHS)
    check(bool(np.isfinite(losses).all() and losses[-1] < losses[0]), call,
          f"In {SHORT_EPOCHS} epochs its loss went from {losses[0]:.4g} to {losses[-1]:.4g}; "
          "it should fall.", _diagnosis(losses))
    return call


@train_classifier.check(points=2)
def test_train_classifier_same_seed_same_result(student):
    """the same seed gives the same result, another seed another"""
    first = _params(_short_run(student, seed=7))
    call = _short_run(student, seed=7)
    second = _params(call)
    for name in first:
        check(np.array_equal(first[name], second[name]), None,
              f"Called {call.describe()} twice. The two runs returned different "
              f"params[{name!r}]: {describe(first[name])} and then {describe(second[name])}.",
              IGNORES_SEED)
    other = _short_run(student, seed=8)
    check(not np.array_equal(_params(other)["W1"], first["W1"]), other,
          "Runs with seeds 7 and 8 returned the same weights: the seed does not reach the "
          "initial guess.", IGNORES_SEED)


def _edge_run(student, setting: dict, mistake: Mistake) -> None:
    """A short run with one of 04's experiment settings: it returns, and its loss falls.

    `mistake` is named only when the default run returned: then the setting is what broke it.
    """
    trained = _trained(student)
    if isinstance(trained, GraderFailure) and _timed_out(trained):
        _full_run(trained)
    named = None if isinstance(trained, GraderFailure) else mistake
    try:
        call = student.call("train_classifier", X_SPIRAL, Y_SPIRAL, epochs=SHORT_EPOCHS,
                            **setting)
    except GraderFailure as failure:
        if named is None or _timed_out(failure):
            raise
        raise GraderFailure(f"{failure}\nWith the default settings it returned; 04's "
                            f"experiments call it with {setting}.\n{named.describe()}",
                            named, kind=failure.kind) from None
    _params(call)
    losses = _losses(call, SHORT_EPOCHS)
    check(bool(np.isfinite(losses).all() and losses[-1] < losses[0]), call,
          f"In {SHORT_EPOCHS} epochs with {setting} its loss went from {losses[0]:.4g} to "
          f"{losses[-1]:.4g}; it should fall (04's experiments use this setting).", named)


@train_classifier.check(points=1, edge="momentum-0")
def test_train_classifier_without_momentum(student):
    """trains with momentum=0.0 (plain SGD, as 04's experiments ask)"""
    _edge_run(student, {"momentum": 0.0}, NO_STEP_WITHOUT_MOMENTUM)


@train_classifier.check(points=1, edge="decay-0")
def test_train_classifier_without_decay(student):
    """trains with decay=0.0 (a constant rate, as 04's experiments ask)"""
    _edge_run(student, {"decay": 0.0}, NO_RATE_WITHOUT_DECAY)


@train_classifier.check(points=1)
def test_train_classifier_leaves_inputs_unchanged(student):
    """leaves X and y unchanged"""
    call = _short_run(student, seed=0)
    check_unchanged(call, call.value, IN_PLACE)  # its values were judged by _short_run


UPDATE = "            params[name] = params[name] + velocity[name]"
RATE = "        lr = learning_rate / (1.0 + decay * epoch)"
train_classifier.mutants(
    edit(NO_STEP_WITHOUT_MOMENTUM,
         "            velocity[name] = momentum * velocity[name] - lr * grads[name]\n" + UPDATE,
         "            if momentum:\n"
         "                velocity[name] = momentum * velocity[name] - lr * grads[name]\n"
         "    " + UPDATE, edge="momentum-0"),
    edit(NO_RATE_WITHOUT_DECAY, RATE, "        if decay:\n    " + RATE, edge="decay-0"),
    edit(NEVER_UPDATED,
         UPDATE, "            value = params[name] + velocity[name]  # never stored in params"),
    edit(LR_TOO_LARGE, "lr = learning_rate /", "lr = 1000 * learning_rate /"),
    edit(IGNORES_SEED, "np.random.default_rng(seed)", "np.random.default_rng()"),
    edit(IN_PLACE,
         "    X = np.asarray(X, dtype=float)\n",
         "    X = np.asarray(X, dtype=float)\n"
         "    X -= X.mean(axis=0)  # asarray returned the caller's own X: centred in place\n"),
    edit(TRAINING_WEAK, RATE, "        lr = learning_rate * decay**epoch  # the steps vanish"),
    edit(LOSSES_SUBSAMPLED,
         '"losses": losses}', '"losses": losses[::100]}  # as the book prints: every 100th'),
    # never returns: only an engine that enforces the time limit may run it (tests skip it)
    edit(NEVER_RETURNS,
         "    for epoch in range(epochs):",
         "    epoch = 0\n    while epoch < epochs:  # the epoch counter is never advanced"),
)
