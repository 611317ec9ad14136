"""The known mistakes of 02_backpropagation: what a failing check names, and what the student
should understand. autograder/mutants/backpropagation.py makes each one; the graders in
test_02_backpropagation.py recognise them. (A module beside the graders: pytest puts this folder on
sys.path, and autograder.config does the same when it reads the graders' points.)
"""

from autograder.harness import Mistake

RELU_AT_ZERO = Mistake(
    "`z >= 0` in ReLU's backward",
    "ReLU's derivative is 1(z > 0): it is 0 at z == 0, so no gradient flows back where z is "
    "exactly 0. Use `z > 0`, not `z >= 0`.",
    "000",
)
RELU_LEFT_OUT = Mistake(
    "ReLU's derivative left out of the chain",
    "Every ReLU on the path contributes the factor da/dz = 1(z > 0): a neuron whose z is not "
    "positive passes no gradient back to its weights and bias.",
    "000",
)
SIGMOID_OF_Z = Mistake(
    "sigmoid's derivative taken of `z` instead of `sigmoid(z)`",
    "The derivative is s * (1 - s) with s = sigmoid(z). z * (1 - z) skips the sigmoid.",
    "004",
)
TANH_OF_Z = Mistake(
    "tanh's derivative taken of `z` instead of `tanh(z)`",
    "The derivative is 1 - t**2 with t = tanh(z). 1 - z**2 skips the tanh.",
    "004",
)
RELU_MASK_FROM_DVALUES = Mistake(
    "ReLU's mask taken from dvalues instead of z",
    "Whether a gradient passes depends on the forward input: dz = dvalues * (z > 0). "
    "The sign of the upstream gradient does not matter.",
    "000",
)
UPSTREAM_DROPPED = Mistake(
    "upstream gradient not multiplied in",
    "The chain rule multiplies the local derivative by the gradient that arrives from above: "
    "dz = dvalues * f'(z), not f'(z) alone.",
    "000",
)
TANH_OVERFLOW = Mistake(
    "tanh from exponentials overflows in the backward pass",
    "(exp(z) - exp(-z)) / (exp(z) + exp(-z)) is inf / inf = nan once |z| > ~710, and a nan "
    "gradient stops a whole network from training. np.tanh does not overflow: use "
    "`1 - np.tanh(z)**2`.",
    "004",
)
SIGMOID_OVERFLOW = Mistake(
    "sigmoid from exp(z) / (1 + exp(z)) overflows in the backward pass",
    "exp(1000) is inf and inf / inf is nan, so the gradient is nan for a large z. Use the "
    "given `sigmoid(z)` (or 1 / (1 + exp(-z)), clipping z to [-500, 500] if you like).",
    "004",
)
TANH_NOT_SQUARED = Mistake(
    "tanh's derivative without the square",
    "d tanh(z)/dz = 1 - tanh(z)**2: the tanh is squared.",
    "004",
)
CCE_SIGN = Mistake(
    "the minus of -ln(p) lost",
    "The loss is -ln(p) at the true class, so its gradient is -1/p there (divided by n): "
    "negative, pushing the true class's probability up.",
    "001",
)
DB_MEAN = Mistake(
    "`db` averaged instead of summed",
    "The 1/n of the mean loss is already in dvalues; db adds up the samples' gradients: "
    "dvalues.sum(axis=0).",
    "000",
)
MSE_BY_SAMPLES = Mistake(
    "MSE gradient divided by the samples, not every element",
    "MSE is the mean over every element, so its gradient divides by y_pred.size, not by "
    "len(y_pred) (the number of rows).",
    "001",
)
HALF_MSE_GRADIENT = Mistake(
    "MSE gradient without the factor 2",
    "d/dp (p - y)**2 = 2 (p - y). Without the 2 it is the gradient of half the squared error, a "
    "textbook convention this course does not use: mse_backward = 2 * (y_pred - y_true) / size.",
    "001",
)
Y_FROM_Z = Mistake(
    "y summed over z instead of relu(z)",
    "In lecture 000's example y = sum(relu(z)), so dL/dz = 2y * 1(z > 0) with y = 21.6 from the "
    "ReLU outputs, not from z itself.",
    "000",
)
H_IGNORED = Mistake(
    "ignores the h it is given",
    "numerical_gradient(f, x, h) must nudge each element by the h passed in: "
    "(f(x + h) - f(x - h)) / (2h), with h = 1e-5 only as the default.",
    "000",
)
DB_NOT_SUMMED = Mistake(
    "`db` not summed over the batch",
    "b is added to every sample's output, so every sample's gradient flows into it: "
    "db = dvalues.sum(axis=0), one number per neuron, shaped like b.",
    "000",
)
DW_TRANSPOSED = Mistake(
    "`dW` transposed",
    "A gradient has the shape of what it is the gradient of: dW is shaped like W "
    "(n_neurons, n_inputs), dW[j, k] = dL/dz_j * x_k. For a batch, dW = dvalues.T @ X, not "
    "X.T @ dvalues.",
    "000",
)
DX_WITH_W_T = Mistake(
    "`W.T` where `W` belongs in dX",
    "The forward pass multiplies by W.T (X @ W.T), so the backward pass multiplies by W: "
    "dX = dvalues @ W, shaped like X.",
    "001",
)
MISSING_MEAN = Mistake(
    "a missing `1/n`",
    "The loss is a mean, so the gradient of each term is divided by the number of terms: the "
    "samples for cross-entropy, every element for MSE.",
    "001",
)
NO_CLIP = Mistake(
    "no clipping (inf or nan at p = 0)",
    "Clip y_pred to [1e-7, 1 - 1e-7] before dividing by it, as the forward pass does before "
    "the log; a probability of 0 must give a large finite gradient.",
    "001",
)
SIGN_FLIPPED = Mistake(
    "`target - output` instead of `output - target`",
    "dC/doutput = 2(output - desired_output): the derivative of (output - desired_output)**2 "
    "with respect to the output.",
    "002",
)
INPUT_FACTOR_DROPPED = Mistake(
    "the last link of the chain dropped",
    "dC/dw1 = dC/doutput * doutput/dw1, and doutput/dw1 = input: multiply by x "
    "(only dC/db1 has doutput/db1 = 1).",
    "002",
)
FORWARD_DIFFERENCE = Mistake(
    "a one-sided difference instead of a central one",
    "Use (f(x + h) - f(x - h)) / (2h), nudging one element at a time: it is exact for "
    "quadratics and far more accurate than (f(x + h) - f(x)) / h.",
)
IN_PLACE = Mistake(
    "inputs modified in place",
    "`a[...] = ...`, `a -= ...` or `np.clip(a, ..., out=a)` on an argument changes the caller's "
    "array too. Work on a copy (`a = a.copy()` or a new array) and return it; when you nudge an "
    "element, put the original value back exactly.",
)
