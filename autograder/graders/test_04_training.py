"""Hidden graders of 04_training: the student's own pieces train a network on the spiral.

The full training (default settings, 10001 epochs) runs once per submission
(`student.call_once`); every training grader judges that one run. The training graders come last,
after those of the functions a student's loop may call: when one of those is wrong, the engine
reruns the training check with the reference in its place, and the message names it. The spiral
it trains on is generated here with a seed the student never sees, and accuracy is computed here
with the reference `predict` on the parameters the student returned, so the student's own
`predict` is not trusted.
"""

import numpy as np
import pytest
from mistakes_training import (
    ARGMAX_AXIS,
    ARGMIN,
    EQUAL_WEIGHTS,
    IGNORES_SEED,
    IN_PLACE,
    LOSSES_SUBSAMPLED,
    LR_TOO_LARGE,
    NEVER_RETURNS,
    NEVER_UPDATED,
    NO_MAX_SHIFT,
    NO_RATE_WITHOUT_DECAY,
    NO_RELU,
    NO_SOFTMAX,
    NO_STEP_WITHOUT_MOMENTUM,
    NONZERO_BIASES,
    PROBS_NOT_INDICES,
    ROW_BIASES,
    SOFTMAX_AXIS,
    TRAINING_WEAK,
    UNSCALED,
    W_TRANSPOSED,
)

from autograder.config import limits
from autograder.harness import (
    Call,
    GraderFailure,
    Mistake,
    check,
    check_close,
    check_unchanged,
    describe,
    fail,
    grader,
)
from reference import training as ref

ASSIGNMENT = "04_training"

# The graders' own spiral: 3 arms of 100 points, as in the book, from a seed students never see.
X_SPIRAL, Y_SPIRAL = ref.spiral_data(100, 3, seed=20261121)
N_HIDDEN, EPOCHS = 64, 10001  # train_classifier's defaults, which the full run relies on
SHORT_EPOCHS = 50  # the determinism and input checks re-run only this much


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
    arrays = {name: _numbers(call, params[name], f"params[{name!r}]") for name in shapes}
    for name, shape in shapes.items():
        if arrays[name].shape != shape:
            mistake = _shape_mistake(name, arrays[name].shape, shape)
            check(False, None, head + f"params[{name!r}] has shape {arrays[name].shape}; for this "
                  f"data and n_hidden={n_hidden} it should be {shape}.", mistake)
    return arrays


def _shape_mistake(name, got, want):
    if name[0] == "W" and got == want[::-1]:
        return W_TRANSPOSED
    return ROW_BIASES if name[0] == "b" and got == (1, *want) else None


def _losses(call: Call, epochs: int = EPOCHS) -> np.ndarray:
    """The returned loss curve, after checking it holds one number per epoch."""
    losses = _numbers(call, call.value["losses"], "Its 'losses'").reshape(-1)
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


def _numbers(call: Call, value, what: str) -> np.ndarray:
    """`value` as a float array, or a failure saying it is not one."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        fail(f"Called {call.describe()}\n{what} is {describe(value)}, not an array of numbers.")


def _params_dict(call: Call) -> dict:
    keys = ("W1", "b1", "W2", "b2")
    check(isinstance(call.value, dict) and all(k in call.value for k in keys), call,
          "init_params returns a dict with the keys W1, b1, W2, b2.")
    return {k: _numbers(call, call.value[k], k) for k in keys}


def _training_accuracy(params) -> float:
    with np.errstate(all="ignore"):
        return float(np.mean(ref.predict(params, X_SPIRAL) == Y_SPIRAL))


# ----------------------------------------------------------------------------------------------
# init_params (3 points)

# The spec: "small random weights (any scale from 0.01 up to He's sqrt(2 / n_inputs) is fine)".
# The standard deviation of a few thousand draws is within a few percent of the scale; 20% is
# room for that and nothing more.
SCALE_TOLERANCE = 1.2


def _check_weights(call, n_in, n_hidden, n_out):
    """W1 and W2 have the dense shapes and random entries at a scale the spec allows."""
    params = _params_dict(call)
    for name, shape in (("W1", (n_hidden, n_in)), ("W2", (n_out, n_hidden))):
        w, fan_in = params[name], shape[1]
        check(w.shape == shape, call, f"{name} has shape {w.shape}; it should be {shape}.",
              _shape_mistake(name, w.shape, shape))
        check(np.ptp(w) > 0, call, f"Every entry of {name} is {w.flat[0]:.4g}.", EQUAL_WEIGHTS)
        he = np.sqrt(2.0 / fan_in)
        check(0.01 / SCALE_TOLERANCE <= w.std() <= he * SCALE_TOLERANCE, call,
              f"{name}'s entries have standard deviation {w.std():.4g}. With {fan_in} inputs per "
              f"neuron any scale from 0.01 up to He's sqrt(2 / {fan_in}) = {he:.4g} is fine.",
              UNSCALED if w.std() > he else None)
    return params


@grader("init_params", points=1)
def test_init_params_shapes_and_zero_biases(student):
    """dense shapes and zero biases of shape (n,)"""
    call = student.call("init_params", 2, 64, 3, 0)
    params = _params_dict(call)
    shapes = {"W1": (64, 2), "b1": (64,), "W2": (3, 64), "b2": (3,)}
    for name, shape in shapes.items():
        got = np.shape(params[name])
        check(got == shape, call, f"{name} has shape {got}; it should be {shape}.",
              _shape_mistake(name, got, shape))
    for name in ("b1", "b2"):
        check(np.all(params[name] == 0), call,
              f"{name} is {describe(params[name])}; biases start at zero.",
              NONZERO_BIASES)


@grader("init_params", points=1)
def test_init_params_small_random_weights(student):
    """small random weights (from 0.01 up to He's scale)"""
    _check_weights(student.call("init_params", 64, 128, 32, 1), 64, 128, 32)


@grader("init_params", points=1)
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


# ----------------------------------------------------------------------------------------------
# forward (4 points) and predict (3 points), on the reference's own parameters

@pytest.fixture(scope="module")
def ref_params():
    """Parameters of a reference network trained briefly on the graders' spiral."""
    return ref.train_classifier(X_SPIRAL, Y_SPIRAL, epochs=500, seed=3)["params"]


def _random_params(n_in, n_hidden, n_out, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    params = ref.init_params(n_in, n_hidden, n_out, seed)
    params["b1"] = rng.normal(0, 0.5, n_hidden)
    params["b2"] = rng.normal(0, 0.5, n_out)
    return {k: scale * v for k, v in params.items()}


def _forward_mistakes(params, X):
    z1 = X @ params["W1"].T + params["b1"]
    logits = np.maximum(0, z1) @ params["W2"].T + params["b2"]
    linear = (z1 @ params["W2"].T + params["b2"])

    def softmax(z, axis):
        e = np.exp(z - z.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    return [
        NO_RELU.with_value(softmax(linear, 1)),
        SOFTMAX_AXIS.with_value(softmax(logits, 0)),
        NO_SOFTMAX.with_value(logits),
    ]


@grader("forward", points=2)
def test_forward_matches_reference(student, ref_params):
    """matches the reference on a trained network and a random one"""
    rng = np.random.default_rng(404)
    cases = [(ref_params, X_SPIRAL[::7]), (_random_params(4, 7, 5, 9), rng.normal(size=(6, 4)))]
    for params, X in cases:
        call = student.call("forward", params, X)
        check_close(call, ref.forward(params, X),
                    mistakes=_forward_mistakes(params, X))


LOGITS_WHY = ("Logits near 1000 are an edge the spec names; the tolerance is the usual one. "
              "Clipping the logits before exp is not accepted: it changes the probabilities.")


@grader("forward", points=1, edge="logits-1000")
def test_forward_large_logits(student):
    """no overflow for large logits"""
    params = _random_params(3, 6, 4, 21, scale=30.0)
    X = np.random.default_rng(5).normal(size=(5, 3)) * 10
    call = student.call("forward", params, X)
    check_close(call, ref.forward(params, X), why=LOGITS_WHY,
                mistakes=[NO_MAX_SHIFT.with_value(lambda v: np.isnan(np.asarray(v)).any())])


@grader("forward", points=1)
def test_forward_rows_sum_to_one(student):
    """rows are probabilities summing to 1, inputs unchanged"""
    params = _random_params(2, 8, 3, 31)
    X = np.random.default_rng(6).normal(size=(10, 2))
    call = student.call("forward", params, X)
    probs = _numbers(call, call.value, "What it returned")
    check(probs.shape == (10, 3), call, "forward returns one row of 3 probabilities per sample: "
          "shape (10, 3).")
    sums = probs.sum(axis=1)
    check(np.allclose(sums, 1.0) and (probs >= 0).all(), call,
          f"Its rows sum to {describe(sums)}; each row should be probabilities summing to 1.",
          SOFTMAX_AXIS if np.allclose(probs.sum(axis=0), 1.0) else None)
    check_unchanged(call, ref.forward(params, X), IN_PLACE, mistakes=_forward_mistakes(params, X))


@grader("predict", points=2)
def test_predict_matches_reference(student, ref_params):
    """matches the reference's class indices"""
    rng = np.random.default_rng(505)
    for X in (X_SPIRAL, rng.uniform(-1, 1, size=(40, 2))):
        call = student.call("predict", ref_params, X)
        probs = ref.forward(ref_params, X)
        check_close(call, ref.predict(ref_params, X), rtol=0, atol=0, mistakes=[
            PROBS_NOT_INDICES.with_value(probs),
            ARGMAX_AXIS.with_value(np.argmax(probs, axis=0)),
            ARGMIN.with_value(np.argmin(probs, axis=1)),
        ])


@grader("predict", points=1, edge="logits-1000")
def test_predict_large_logits(student):
    """the right classes when the logits are near 1000 (no overflow)"""
    params = _random_params(3, 6, 4, 21, scale=30.0)
    X = np.random.default_rng(5).normal(size=(5, 3)) * 10
    call = student.call("predict", params, X)
    logits = np.maximum(0, X @ params["W1"].T + params["b1"]) @ params["W2"].T + params["b2"]
    with np.errstate(over="ignore", invalid="ignore"):
        unshifted = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    check_close(call, ref.predict(params, X), rtol=0, atol=0, why=LOGITS_WHY,
                mistakes=[NO_MAX_SHIFT.with_value(np.argmax(unshifted, axis=1))])


@grader("predict", points=1)
def test_predict_one_index_per_row(student):
    """one class index per row, inputs unchanged"""
    params = _random_params(3, 5, 4, 41)
    X = np.random.default_rng(7).normal(size=(12, 3))
    call = student.call("predict", params, X)
    labels = _numbers(call, call.value, "What it returned")
    mistake = (ARGMAX_AXIS if labels.shape == (4,)
               else PROBS_NOT_INDICES if labels.shape == (12, 4) else None)
    check(labels.shape == (12,), call, "predict returns one class index per row of X: shape (12,).",
          mistake)
    check(np.all(np.mod(labels, 1) == 0) and labels.min() >= 0 and labels.max() < 4, call,
          "Class indices are whole numbers from 0 to n_classes - 1.")
    check_unchanged(call, ref.predict(params, X), IN_PLACE, rtol=0, atol=0)


# ----------------------------------------------------------------------------------------------
# train_classifier

@grader("train_classifier", points=1)
def test_train_classifier_returns_params_and_losses(student):
    """returns params of the dense shapes and one loss per epoch"""
    call = _full_run(_trained(student))
    _params(call)
    _losses(call)


@grader("train_classifier", points=4)
def test_train_classifier_reaches_90_percent(student):
    """reaches 90% training accuracy on a spiral you have not seen"""
    call = _full_run(_trained(student))
    acc = _training_accuracy(_params(call))
    if acc < 0.90:
        try:
            losses = _losses(call)
        except GraderFailure:  # judged by its own grader; say what the parameters do
            losses = None
        mistake = TRAINING_WEAK if losses is None else _diagnosis(losses)
        curve = "" if losses is None else f"Its loss curve: {_curve(losses)}.\n"
        fail(
            f"Called {call.describe()} (a 3-class spiral of 300 points, default settings).\n"
            f"The parameters it returned classify {acc:.1%} of the training points correctly "
            f"(computed with the reference predict); at least 90% is expected (the reference "
            f"reaches about 98%).\n{curve}" + mistake.describe(),
            mistake,
        )


@grader("train_classifier", points=2)
def test_train_classifier_loss_falls(student):
    """the loss curve falls"""
    call = _full_run(_trained(student))
    _params(call)
    losses = _losses(call)
    problem = None
    if not np.isfinite(losses).all():
        problem = "The loss curve contains nan or inf."
    else:
        late = losses[-100:].mean()
        tenths = [block.mean() for block in np.array_split(losses, 10)]
        falls = int(np.sum(np.diff(tenths) < 0))
        if late >= 0.5 * losses[0]:
            problem = (f"The mean loss of the last 100 epochs is {late:.4g}; it should be less "
                       f"than half the first epoch's loss {losses[0]:.4g}.")
        elif falls < 7:
            problem = (f"The mean loss fell from one tenth of the training to the next only "
                       f"{falls} times out of 9; a loss that falls does so at least 7 times.")
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


@grader("train_classifier", points=2)
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


@grader("train_classifier", points=1, edge="momentum-0")
def test_train_classifier_without_momentum(student):
    """trains with momentum=0.0 (plain SGD, as 04's experiments ask)"""
    _edge_run(student, {"momentum": 0.0}, NO_STEP_WITHOUT_MOMENTUM)


@grader("train_classifier", points=1, edge="decay-0")
def test_train_classifier_without_decay(student):
    """trains with decay=0.0 (a constant rate, as 04's experiments ask)"""
    _edge_run(student, {"decay": 0.0}, NO_RATE_WITHOUT_DECAY)


@grader("train_classifier", points=1)
def test_train_classifier_leaves_inputs_unchanged(student):
    """leaves X and y unchanged"""
    call = _short_run(student, seed=0)
    check_unchanged(call, call.value, IN_PLACE)  # its values were judged by _short_run
