"""The known mistakes of 04_training: what a failing check names, and what the student
should understand. autograder/mutants/training.py makes each one; the graders in
test_04_training.py recognise them. (A module beside the graders: pytest puts this folder on
sys.path, and autograder.config does the same when it reads the graders' points.)
"""

from autograder.harness import Mistake

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
ROW_BIASES = Mistake(
    "biases of shape (1, n)",
    "A bias has one entry per neuron, shape (n,): `np.zeros(n_hidden)`, not "
    "`np.zeros((1, n_hidden))`. The (1, n) form broadcasts in the forward pass but is a "
    "different shape from the dense convention's b.",
    "003",
)
NO_RELU = Mistake(
    "no ReLU between the layers",
    "Without the activation the two dense layers collapse into one linear layer, which cannot "
    "separate the spiral's arms. Apply max(0, z) to the hidden layer.",
    "003",
)
SOFTMAX_AXIS = Mistake(
    "softmax over the wrong axis",
    "Softmax normalises each row (one sample's scores): sum over axis=1 with keepdims=True.",
    "001",
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
NO_MAX_SHIFT = Mistake(
    "softmax without the max shift",
    "exp of a large logit overflows to inf and inf / inf is nan. Subtract each row's max before "
    "exp; it does not change the probabilities.",
    "001",
)
NO_SOFTMAX = Mistake(
    "no softmax at the end",
    "forward returns class probabilities: apply softmax to the output layer's logits.",
    "001",
)
PROBS_NOT_INDICES = Mistake(
    "probabilities instead of class indices",
    "predict returns one class index per sample: the argmax of each row of forward(params, X).",
    "001",
)
IN_PLACE = Mistake(
    "changes its inputs in place",
    "`X -= ...`, `X[...] = ...` or `params['W1'] += ...` change the caller's arrays. Work on "
    "new arrays (`X = X - ...`, or a copy) and leave the arguments as they were.",
    "003",
)
ARGMIN = Mistake(
    "argmin instead of argmax",
    "The predicted class is the one with the largest score: np.argmax(..., axis=1).",
    "001",
)
LOSSES_SUBSAMPLED = Mistake(
    "loss recorded only every 100 epochs",
    "Printing the loss every 100 epochs is fine, but 'losses' holds the loss of every epoch: "
    "record it before each update, epochs values in all.",
    "003",
)
ARGMAX_AXIS = Mistake(
    "argmax over the wrong axis",
    "Take the argmax of each row (axis=1): one class per sample, not one sample per class.",
    "001",
)
