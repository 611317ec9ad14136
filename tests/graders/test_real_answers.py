"""Real answers from public code (tests/fixtures/real_answers.py), graded by the hidden graders.

Every verdict is sound: a wrong answer loses points on its own function and a right one keeps
them. The names they are told were judged by hand against what each answer really does; the
judgement is recorded here, and a change that names a different mistake fails until it is judged
again.
"""

import sys
from pathlib import Path

import pytest

from autograder.engine.graders import run_graders_batch
from autograder.harness import ReferenceSubmission

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures"))
from real_answers import ANSWERS  # noqa: E402

# index -> the ids told, as judged: every id right, unless listed in WRONG_NAMES
JUDGED = {
    0: {"mse-gradient-without-the-factor-2", "convention-nielsen-half-squares"},
    2: {"sigmoid-s-derivative-taken-of-z-instead-of-sigmoid-z"},
    3: {"adam-with-t-counted-from-0", "argument-off-by-one"},
    4: {"convention-eps-inside-sqrt"},
    5: {"argument-default"},
    6: {"convention-torch-velocity"},
    8: {"sigmoid-s-derivative-taken-of-z-instead-of-sigmoid-z"},
    10: {"bias-as-column"},
    11: {"softmax-fails-on-a-1-d-input", "softmax-without-the-max-shift"},
    12: {"softmax-fails-on-a-1-d-input", "softmax-without-the-max-shift"},
    13: {"softmax-normalised-over-the-wrong-axis",
         "input-transposed+transposed"},  # softmax of z.T, transposed back: columns as samples
    14: {"input-plus-epsilon", "probe-labels-one-hot-only"},  # one-hot labels only, too
    15: {"scaled-wrong-divisor"},
    16: {"handles-only-one-form-of-labels", "probe-labels-one-hot-only"},
    17: {"convention-cs231n-affine"},
    18: {"convention-cs231n-affine"},
    21: {"argument-default"},
    23: {"updates-done-in-place"},
    24: {"no-clipping-before-the-log"},
    26: {"no-clipping-before-the-log"},
    28: {"axis-too-few"},
    30: {"mse-gradient-divided-by-the-samples-not-every-element"},
    33: {"np-random-seed-instead-of-default-rng-seed", "convention-legacy-random-state"},
    34: {"last-partial-batch-dropped"},
    35: {"batches-not-shuffled", "seed-ignored"},
    36: {"handles-only-one-form-of-labels"},
    37: {"probe-labels-one-hot-only", "handles-only-one-form-of-labels"},
    39: {"convention-other-clip-epsilon"},
    40: {"convention-cs231n-affine"},  # its square-W result is still wrong
    41: {"argument-fixed"},  # h = 1e-4 hard-coded (its row-wise f is right on sum(x**3))
    42: {"last-batch-dropped"},
    43: {"probe-weights-as-inputs-by-neurons"},
    45: {"probe-scalar-only"},
    46: {"convention-other-clip-epsilon"},
    47: {"convention-cs231n-affine"},
    48: {"argument-fixed"},  # (1 - beta) for (1 - beta**t): t taken as 1, not "off by one"
    49: {"function-sigmoid-for-tanh"},
    50: {"convention-derivative-of-output"},  # its message adds the dvalues left out
    51: {"probe-needs-1d"},  # its h = 1e-4 is not named
    52: {"bias-as-column"},
    53: {"probe-weights-as-inputs-by-neurons"},  # its message adds the sigmoid hidden layer
    54: {"module-not-available"},  # scipy: the log1p is never reached
    57: {"hard-coded-size"},  # reshape(9, n): 9 classes written in
    58: {"reduced-to-a-number",
         "convention-nielsen-half-squares+axis-too-few"},  # (y_pred - y) with no 2, as a number
    59: {"tuple-used-as-array"},  # its sigmoid returns (A, z)
    60: {"axis-too-many+shifted"},  # argmax + 1, as a column (n, 1): two mistakes at once
    61: {"argument-in-place-of"},  # initial_lr read as the decay
    62: {"reciprocal"},  # 1 / 1 + exp(-z); its inf at z = -1000 is that formula's, not named
    63: {"probe-samples-as-columns"},  # W @ X + b: not "W where W.T belongs", which W.T won't fix
    # 64: a step activation that returns inside its loop: its 0 is no proof of relu (none named)
    65: {"probe-needs-1d"},  # all(G >= 0) walks a 2-D cache's rows; a 1-D cache works
    66: {"python-2-builtin"},  # reduce
    67: {"not-finite-nan"},  # exp(-z) / (1 + exp(-z))**2 overflows at z = -1000
    68: {"method-argument-too-many"},  # self.__call__(self, x)
    69: {"activation-without-bias-sigmoid"},  # a perceptron's sigmoid(w . x)
    70: {"probe-weights-as-inputs-by-neurons"},  # its message adds the whole-batch softmax
    71: {"probe-samples-as-row"},  # m = Y.shape[1]
    72: {"probe-samples-as-columns"},  # its message adds the tuple and the softmax over samples
    # 73: decay / 1000 and t + 1: "decay replaced by 1e-6" fits decay = 1e-3 only (none named)
    74: {"no-clipping-before-the-log"},  # p[:, targets]: one sample shows no label form
    75: {"function-changes-its-inputs-in-place"},  # z clipped in place at |z| >= 50 only
    # 76: n_classes ignored, label c in column c - 1 (none named; not relu_backward's value)
    # 77: per-sample sums, raising on 1-D (none named; a batch of one number shows no batch)
    78: {"probe-vectors-as-columns"},  # a column vector a beside the matrix B, not a bias
    79: {"reduced-with-np-max"},  # np.max(z, 0)
}
# names that are true of the value but not the mistake made (judged by hand)
WRONG_NAMES: dict[int, set[str]] = {}


def _graded(index):
    _, assignment, function, _, _, code = ANSWERS[index]
    run = run_graders_batch(assignment, {
        "s": lambda: ReferenceSubmission(assignment, {function: code})})["s"]
    own = [t for t in run.tests if t.function == function]
    others = [t for t in run.tests if t.function != function]
    return own, others


@pytest.mark.parametrize("index", range(len(ANSWERS)), ids=[a[2] for a in ANSWERS])
def test_a_real_answer_gets_a_sound_verdict_and_the_names_judged(index):
    own, others = _graded(index)
    wrong = ANSWERS[index][3]
    assert any(t.score < t.max_score for t in own) == wrong
    assert all(t.score == t.max_score for t in others)
    told = {t.mistake_id for t in own if t.mistake_id and t.score < t.max_score}
    assert told == JUDGED.get(index, set())


def test_the_named_and_right_name_shares_on_the_collected_answers():
    wrong = [i for i, a in enumerate(ANSWERS) if a[3]]
    named = [i for i in wrong if JUDGED.get(i)]
    right = [i for i in named if not WRONG_NAMES.get(i)]
    assert (len(wrong), len(named), len(right)) == (70, 61, 61)  # as judged by hand
