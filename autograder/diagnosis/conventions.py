"""Other textbooks' conventions that differ from the course's, as relations (docs/conventions.md).

Each entry is (id, title, explanation, formula): the formula computes, from the course function's
own arguments, what a student who follows that source gets. It is named only when it reproduces
the student's result (reconstruct.py), and its message says the source's version is a real
convention and what this course asks instead. Conventions that the course accepts (an epsilon in
the log instead of clipping, He or 0.01 initial scales) are not here: they are not mistakes.
"""

from __future__ import annotations

import random

import numpy as np

REAL = "This is a real convention ({source}), not a slip; this course asks for {course}."


def _note(source: str, course: str) -> str:
    return REAL.format(source=source, course=course)


def _onehot(y_true, k):
    y = np.asarray(y_true)
    return np.eye(k)[y] if y.ndim == 1 else y.astype(float)


def _torch_momentum(w, dw, velocity, learning_rate, momentum):
    v = momentum * velocity + dw
    return w - learning_rate * v, v


def _sutskever_lr_inside(w, dw, velocity, learning_rate, momentum):
    v = momentum * velocity + learning_rate * dw
    return w - v, v


def _ng_average_momentum(w, dw, velocity, learning_rate, momentum):
    v = momentum * velocity + (1 - momentum) * dw
    return w - learning_rate * v, v


def _nesterov_momentum(w, dw, velocity, learning_rate, momentum):
    v = momentum * velocity - learning_rate * dw
    return w + momentum * v - learning_rate * dw, v


def _adagrad_eps_inside(w, dw, cache, learning_rate, epsilon=1e-7):
    cache = cache + dw ** 2
    return w - learning_rate * dw / np.sqrt(cache + epsilon), cache


def _rmsprop_eps_inside(w, dw, cache, learning_rate, rho=0.9, epsilon=1e-7):
    cache = rho * cache + (1 - rho) * dw ** 2
    return w - learning_rate * dw / np.sqrt(cache + epsilon), cache


def _adam(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7, *,
          keras=False):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    if keras:  # the step size carries the corrections; epsilon stays uncorrected
        step = learning_rate * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
        return w - step * m / (np.sqrt(v) + epsilon), m, v
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


def _batches(order, batch_size):
    return [np.asarray(order[i:i + batch_size]) for i in range(0, len(order), batch_size)]


def _legacy_permutation(n_samples, batch_size, seed):
    return _batches(np.random.RandomState(seed).permutation(n_samples), batch_size)


def _python_shuffle(n_samples, batch_size, seed):
    order = list(range(n_samples))
    random.Random(seed).shuffle(order)
    return _batches(order, batch_size)


def _unshuffled(n_samples, batch_size, seed):
    return _batches(np.arange(n_samples), batch_size)


def _bce_torch(y_pred, y_true):
    p, y = np.asarray(y_pred, float), np.asarray(y_true, float)
    with np.errstate(divide="ignore"):
        logs = np.maximum(np.log(p), -100), np.maximum(np.log(1 - p), -100)
    return float(-np.mean(y * logs[0] + (1 - y) * logs[1]))


def _cce_of_logits(y_pred, y_true):
    z = np.asarray(y_pred, float)
    z = z - z.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return float(-np.mean(np.sum(_onehot(y_true, z.shape[-1]) * log_p, axis=-1)))


# what other sources keep p away from 0 and 1 with (clipped, or added inside the log: the two
# agree wherever they are distinguishable): scikit-learn's log_loss used 1e-15, tutorials 1e-8 to
# 1e-12; the course's 1e-7 (Keras's epsilon) is not here
CLIP_EPSILONS = (1e-15, 1e-12, 1e-10, 1e-9, 1e-8)


def _clipped(y_pred, eps):
    return np.clip(np.asarray(y_pred, float), eps, 1 - eps)


def _bce_clipped(eps):
    def loss(y_pred, y_true):
        p, y = _clipped(y_pred, eps), np.asarray(y_true, float)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return loss


def _cce_clipped(eps):
    def loss(y_pred, y_true):
        p = _clipped(y_pred, eps)
        return float(-np.mean(np.sum(_onehot(y_true, p.shape[-1]) * np.log(p), axis=-1)))
    return loss


def _cce_backward_clipped(eps):
    def gradient(y_pred, y_true):
        p = _clipped(y_pred, eps)
        return -_onehot(y_true, p.shape[-1]) / p / len(p)
    return gradient


def _bce_derivative(y_pred, y_true):
    p = _clipped(y_pred, 1e-7)
    y = _onehot(y_true, p.shape[-1])
    return (-y / p + (1 - y) / (1 - p)) / len(p)


def _other_clip(formula) -> list:
    """One entry per epsilon, all under one id: the same convention with another constant."""
    return [("other-clip-epsilon", f"predictions kept from 0 and 1 by {eps:g}, not 1e-7",
             f"Your result keeps p away from 0 and 1 with {eps:g} (p clipped to [{eps:g}, 1 - "
             f"{eps:g}], or {eps:g} added inside the log), so p = 0 or 1 gives another value. "
             + _note("scikit-learn's log_loss clipped at 1e-15, many tutorials use 1e-8 to "
                     "1e-12", "np.clip(y_pred, 1e-7, 1 - 1e-7) before the log (Keras's "
                     "epsilon), as in the forward pass"), formula(eps))
            for eps in CLIP_EPSILONS]


def _dense_backward_ng(dvalues, X, W):
    n = len(dvalues)
    return dvalues @ W, dvalues.T @ X / n, dvalues.sum(axis=0) / n


def _dense_backward_cs231n(dvalues, X, W):
    return dvalues @ W.T, X.T @ dvalues, dvalues.sum(axis=0)


def _dense_backward_inputs_first(dvalues, X, W):
    return dvalues @ W, X.T @ dvalues, dvalues.sum(axis=0)


CONVENTIONS = {
    "mse_backward": [
        ("nielsen-half-squares", "gradient of 1/2 * sum of squares (Nielsen, d2l)",
         "Your gradient is y_pred - y_true: the derivative of C = 1/2 * sum (y_pred - y_true)**2. "
         + _note("Nielsen's quadratic cost and d2l's squared_loss carry the 1/2",
                 "the gradient of the mean over all elements, 2 * (y_pred - y_true) / "
                 "y_pred.size"),
         lambda y_pred, y_true: np.asarray(y_pred, float) - y_true),
    ],
    "dense_backward": [
        ("ng-mean-in-dw", "1/m inside dW and db (deeplearning.ai)",
         "Your dW and db are divided by the number of samples. "
         + _note("Andrew Ng's courses put the 1/m of the mean loss into dW and db",
                 "the 1/n in the loss's gradient (dvalues already holds it), so dW = dvalues.T "
                 "@ X and db = dvalues.sum(axis=0)"), _dense_backward_ng),
        ("inputs-first-dw", "dW as X.T @ dvalues (cs231n, nnfs, Keras)",
         "Your dW is X.T @ dvalues, shape (n_inputs, n_neurons). "
         + _note("cs231n, the nnfs book and Keras store W as (n_inputs, n_neurons)",
                 "W of shape (n_neurons, n_inputs), so dW = dvalues.T @ X has that shape"),
         _dense_backward_inputs_first),
        ("cs231n-affine", "W taken as (n_inputs, n_neurons) throughout (cs231n)",
         "Your dX is dvalues @ W.T and your dW is X.T @ dvalues: cs231n's affine_backward. "
         + _note("cs231n's W has shape (n_inputs, n_neurons)",
                 "W of shape (n_neurons, n_inputs): dX = dvalues @ W, dW = dvalues.T @ X"),
         _dense_backward_cs231n),
    ],
    "categorical_cross_entropy": [
        ("logits-input", "cross-entropy of logits (PyTorch's CrossEntropyLoss)",
         "Your loss applies softmax to y_pred first. "
         + _note("PyTorch's CrossEntropyLoss and Keras with from_logits=True take logits",
                 "a loss of probabilities: y_pred is already softmax's output"),
         _cce_of_logits),
        *_other_clip(_cce_clipped),
    ],
    "categorical_cross_entropy_backward": [
        ("binary-ce-derivative", "the binary cross-entropy's derivative",
         "Your gradient is -y/p + (1 - y)/(1 - p) (the same as (p - y) / (p (1 - p))): the "
         "derivative of the binary cross-entropy, which scores every class as a yes/no output of "
         "its own. " + _note("Nielsen's cross-entropy cost and Keras's binary_crossentropy are "
                             "written so, for sigmoid outputs", "the categorical cross-entropy "
                             "of a softmax, -sum y log p, whose gradient has no (1 - y) term: "
                             "-y_true / y_pred / n"), _bce_derivative),
        *_other_clip(_cce_backward_clipped),
    ],
    "binary_cross_entropy": [
        ("torch-log-clamp", "each log clamped at -100 (PyTorch's BCELoss)",
         "Your loss clamps each log at -100 instead of clipping p. "
         + _note("PyTorch's BCELoss clamps its logs at -100",
                 "p clipped to [1e-7, 1 - 1e-7] before the log"), _bce_torch),
        *_other_clip(_bce_clipped),
    ],
    "momentum_update": [
        ("torch-velocity", "velocity as a sum of gradients (PyTorch's SGD)",
         "Your velocity is momentum * v + dw and the step is -lr * v. "
         + _note("PyTorch's SGD keeps a velocity without the learning rate",
                 "velocity_new = momentum * velocity - learning_rate * dw and w_new = w + "
                 "velocity_new (the lecture's form, as in Goodfellow and the nnfs book)"),
         _torch_momentum),
        ("sutskever-plus", "velocity with a plus sign (Sutskever's form)",
         "Your velocity is momentum * v + lr * dw and the step subtracts it. "
         + _note("Sutskever et al. and some libraries store the velocity as a positive step",
                 "velocity_new = momentum * velocity - learning_rate * dw, added to w"),
         _sutskever_lr_inside),
        ("ng-average", "velocity as an average of gradients (deeplearning.ai)",
         "Your velocity is momentum * v + (1 - momentum) * dw and the step is -lr * v. "
         + _note("deeplearning.ai's momentum keeps an exponentially weighted average of the "
                 "gradients", "velocity_new = momentum * velocity - learning_rate * dw and w_new "
                 "= w + velocity_new: no (1 - momentum), and the velocity carries the step"),
         _ng_average_momentum),
        ("nesterov", "Nesterov's momentum (cs231n, Keras nesterov=True)",
         "Your velocity is right, and the step is w + momentum * velocity_new - lr * dw: the "
         "look-ahead of Nesterov's accelerated gradient. "
         + _note("cs231n's nesterov_momentum and Keras' SGD(nesterov=True) step this way",
                 "the classical momentum of the lecture: w_new = w + velocity_new, the velocity "
                 "itself is the step"),
         _nesterov_momentum),
    ],
    "adagrad_update": [
        ("eps-inside-sqrt", "epsilon inside the square root (d2l)",
         "Your step divides by sqrt(cache + epsilon). "
         + _note("d2l's AdaGrad puts epsilon inside the square root",
                 "lr * dw / (sqrt(cache) + epsilon), epsilon outside"), _adagrad_eps_inside),
    ],
    "rmsprop_update": [
        ("eps-inside-sqrt", "epsilon inside the square root (Goodfellow, TensorFlow 1)",
         "Your step divides by sqrt(cache + epsilon). "
         + _note("the Deep Learning book's Algorithm 8.5 and TensorFlow 1 put epsilon inside "
                 "the square root", "lr * dw / (sqrt(cache) + epsilon), epsilon outside"),
         _rmsprop_eps_inside),
    ],
    "adam_update": [
        ("keras-epsilon-hat", "bias correction folded into the step size (Keras)",
         "Your step is lr * sqrt(1 - beta2**t) / (1 - beta1**t) * m / (sqrt(v) + epsilon). "
         + _note("Keras and the Adam paper's efficient form correct the step size and leave "
                 "epsilon uncorrected", "m and v corrected first: lr * m_hat / (sqrt(v_hat) + "
                 "epsilon)"), lambda *a, **k: _adam(*a, **k, keras=True)),
    ],
    "decayed_learning_rate": [
        ("d2l-sqrt-decay", "square-root decay (d2l)",
         "Your rate is initial_lr * (1 + decay * iteration) ** -0.5. "
         + _note("d2l's schedules include a square-root decay",
                 "the lecture's 1/t decay, initial_lr / (1 + decay * iteration)"),
         lambda initial_lr, decay, iteration: initial_lr * (1 + decay * iteration) ** -0.5),
        ("cs231n-exponential-decay", "exponential decay (cs231n)",
         "Your rate is initial_lr * exp(-decay * iteration). "
         + _note("cs231n's notes list exponential decay, lr * e^(-k t), beside the 1/t decay",
                 "the lecture's 1/t decay, initial_lr / (1 + decay * iteration)"),
         lambda initial_lr, decay, iteration: initial_lr * np.exp(-decay * iteration)),
    ],
    "minibatch_indices": [
        ("legacy-random-state", "NumPy's legacy generator (np.random.seed)",
         "Your batches come from np.random.seed(seed) and np.random.permutation. "
         + _note("deeplearning.ai and older NumPy code seed the legacy global generator",
                 "numpy.random.default_rng(seed).permutation(n_samples), which gives another "
                 "order for the same seed"), _legacy_permutation),
        ("python-shuffle", "Python's random.shuffle (d2l)",
         "Your batches come from Python's random module. "
         + _note("d2l's data_iter shuffles with random.shuffle",
                 "numpy.random.default_rng(seed).permutation(n_samples)"), _python_shuffle),
        ("unshuffled", "batches in the data's order (nnfs book)",
         "Your batches are consecutive slices of 0, 1, 2, ...: nothing is shuffled. "
         + _note("the nnfs book's training loop slices the data in order",
                 "a shuffled order, numpy.random.default_rng(seed).permutation(n_samples)"),
         _unshuffled),
    ],
    "tanh_backward": [
        ("derivative-of-output", "derivative written for tanh's output (nnfs, micrograd)",
         "Your gradient is dvalues * (1 - z**2): the formula for tanh's output, used on its "
         "input. " + _note("the nnfs book and micrograd compute it from the saved output t",
                           "z, the input: dvalues * (1 - np.tanh(z)**2)"),
         lambda dvalues, z: dvalues * (1 - np.asarray(z, float) ** 2)),
    ],
}
