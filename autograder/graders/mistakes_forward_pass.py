"""The known mistakes of 01_forward_pass: what a failing check names, and what the student
should understand. autograder/mutants/forward_pass.py makes each one; the graders in
test_01_forward_pass.py recognise them. (A module beside the graders: pytest puts this folder on
sys.path, and autograder.config does the same when it reads the graders' points.)
"""

from autograder.harness import Mistake

IN_PLACE = Mistake(
    "function changes its inputs in place",
    "Operations like `z[z < 0] = 0`, `z -= z.max()`, `x *= w` or `np.clip(p, a, b, out=p)` "
    "write into the caller's array. Compute into a new array instead (`np.maximum(0, z)`, "
    "`z - z.max(...)`, `np.clip(p, a, b)`).",
)
ELEMENTWISE_NOT_SUMMED = Mistake(
    "returned the elementwise product, not its sum",
    "`a * b` multiplies entry by entry; the dot product adds those products up into one number: "
    "a1*b1 + a2*b2 + a3*b3.",
    "001",
)
SUMS_MULTIPLIED = Mistake(
    "multiplied the sums instead of summing the products",
    "(a1 + a2 + a3) * (b1 + b2 + b3) is not a1*b1 + a2*b2 + a3*b3: multiply entry by entry "
    "first, then add (`np.sum(a * b)` or `np.dot(a, b)`).",
    "001",
)
WRONG_ORDER = Mistake(
    "multiplied in the wrong order",
    "Matrix products do not commute: np.dot(a, B) and np.dot(B, a) are different. "
    "With a = [1, 2, 3] and the lecture's B, a @ B = [48, 54, 60] but B @ a = [32, 50, 68].",
    "001",
)
ELEMENTWISE_MATRIX = Mistake(
    "elementwise product instead of a matrix product",
    "`A * B` multiplies matching entries. Entry (i, j) of the matrix product is the dot product "
    "of row i of A with column j of B: use `A @ B` or `np.dot(A, B)`.",
    "001",
)
NO_BIAS = Mistake(
    "left out the bias",
    "A neuron adds its bias to the weighted sum: z = b + sum_i x_i w_i. Without b every "
    "neuron is forced through the origin.",
    "004",
)
NO_TRANSPOSE = Mistake(
    "W where W.T belongs",
    "W has one row per neuron, shape (n_neurons, n_inputs), so the layer is "
    "`np.dot(X, W.T) + b`. `X @ W` only runs when W is square, and then gives the wrong numbers.",
    "001",
)
RELU_MIN = Mistake(
    "min instead of max in ReLU",
    "ReLU keeps positive values and turns negative ones into 0: relu(z) = max(0, z), "
    "elementwise with `np.maximum(0, z)`.",
    "004",
)
SIGMOID_SIGN = Mistake(
    "sign error in sigmoid's exponent",
    "sigmoid(z) = 1 / (1 + exp(-z)): note the minus. sigmoid(-6) is about 0.0025, not 0.9975.",
    "004",
)
SIGMOID_CLIPPED = Mistake(
    "sigmoid kept away from 0 and 1",
    "sigmoid(z) comes as close to 0 and 1 as the numbers allow: sigmoid(-50) is about 2e-22. "
    "Clipping its output (to [1e-3, 1 - 1e-3], say) changes the values; leave that to the loss.",
    "004",
)
SIGMOID_OVERFLOW = Mistake(
    "sigmoid from exp(z) / (1 + exp(z)) overflows",
    "exp(1000) is inf and inf / inf is nan. 1 / (1 + exp(-z)) gives 0 and 1 at |z| = 1000 "
    "(exp(-z) may overflow to inf there, and 1 / inf is 0); clipping z to [-500, 500] first "
    "is fine too.",
    "004",
)
TANH_HALF = Mistake(
    "2 sigmoid(z) - 1 is tanh(z / 2)",
    "2 / (1 + exp(-z)) - 1 equals tanh(z / 2), not tanh(z). tanh(z) = 2 sigmoid(2z) - 1, or "
    "simply `np.tanh(z)`.",
    "004",
)
TANH_OVERFLOW = Mistake(
    "tanh from exponentials overflows",
    "(exp(z) - exp(-z)) / (exp(z) + exp(-z)) becomes inf / inf = nan once |z| > ~710. "
    "Use `np.tanh`, which is exact for every input.",
    "004",
)
NO_SHIFT = Mistake(
    "softmax without the max shift",
    "exp(1000) overflows to inf and inf / inf is nan. Subtract each row's maximum before exp "
    "(`z - np.max(z, axis=-1, keepdims=True)`): the probabilities do not change.",
    "001",
)
SOFTMAX_AXIS = Mistake(
    "softmax normalised over the wrong axis",
    "Each row (one sample) must sum to 1: sum over the last axis with `keepdims=True`, "
    "not over the whole array or over the columns.",
    "001",
)
SOFTMAX_1D = Mistake(
    "softmax fails on a 1-D input",
    "A 1-D z is one sample. Work along the last axis, `axis=-1` with `keepdims=True`: that is "
    "the row of a (k,) input and each row of an (n, k) input, and the shape is kept.",
    "001",
)
ONE_HOT_OFF_BY_ONE = Mistake(
    "one_hot off by one",
    "Class indices start at 0: label 0 puts its 1 in column 0 (rose = [1, 0, 0]).",
    "001",
)
ONE_HOT_N_FROM_LABELS = Mistake(
    "number of classes taken from the labels",
    "Use the `n_classes` argument for the number of columns: a batch need not contain every "
    "class, so `labels.max() + 1` can be too small.",
    "001",
)
LOG10 = Mistake(
    "log base 10 in cross-entropy",
    "Cross-entropy uses the natural log: -ln(0.6) = 0.511 (the lecture's 0.22 is log base 10). "
    "In NumPy that is `np.log`, not `np.log10`.",
    "001",
)
NO_CLIP = Mistake(
    "no clipping before the log",
    "ln(0) is -inf, so a prediction of exactly 0 gives an infinite (or nan) loss. Clip the "
    "predictions to [1e-7, 1 - 1e-7] with `np.clip` before taking the log.",
    "001",
)
MSE_NOT_SQUARED = Mistake(
    "differences not squared",
    "MSE squares each difference before the mean: np.mean((y_pred - y_true)**2). The mean of "
    "the absolute differences is another loss (MAE).",
    "001",
)
LOSS_SUMMED = Mistake(
    "summed instead of averaged",
    "The loss is a mean: divide the sum by the number of samples (or elements), e.g. with "
    "`np.mean`, so it does not grow with the batch size.",
    "001",
)
BCE_ONE_TERM = Mistake(
    "binary cross-entropy without its (1 - y) term",
    "BCE = -mean(y ln(p) + (1 - y) ln(1 - p)). The second term is what penalises a high p "
    "when the target is 0.",
    "004",
)
COLLAPSE_ORDER = Mistake(
    "layers composed in the wrong order",
    "The first layer acts first: z = W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2), "
    "so W = W2 @ W1, not W1 @ W2.",
    "003",
)
COLLAPSE_BIAS = Mistake(
    "first layer's bias not passed through W2",
    "The first layer's bias also goes through the second layer's weights: b = W2 @ b1 + b2.",
    "003",
)
ACCURACY_ONE_HOT = Mistake(
    "accuracy compared with one-hot targets without argmax",
    "When y_true is one-hot, shape (n, k), turn it into class indices with "
    "`np.argmax(y_true, axis=1)` before comparing.",
    "001",
)
ACCURACY_COUNT = Mistake(
    "counted correct rows instead of the fraction",
    "Accuracy is the fraction of correct rows, between 0 and 1: take the mean of the "
    "comparison, not its sum.",
)
HALF_MSE = Mistake(
    "half the squared error",
    "Some textbooks define the loss as 1/2 * sum (or mean) of squares, so that its gradient has no "
    "factor 2. This course's MSE is the plain mean over all elements: "
    "np.mean((y_pred - y_true)**2); mse([21], [26]) is 25, not 12.5.",
    "001",
)
ONE_LABEL_FORM = Mistake(
    "handles only one form of labels",
    "y_true may be class indices, shape (n,), or one-hot rows, shape (n, k); your function is "
    "right for one form only. Turn one-hot rows into indices first: "
    "`if y_true.ndim == 2: y_true = np.argmax(y_true, axis=1)`.",
    "001",
)
INTEGER_ONE_HOT = Mistake(
    "integer one-hot",
    "one_hot returns floats: an integer array breaks the arithmetic that follows. With dtype "
    "uint8, `-y` wraps around to 255 and `y - p` cannot go below 0. Use "
    "`np.zeros((n, n_classes))` (float64) or `.astype(float)`.",
    "001",
)
