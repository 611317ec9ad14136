"""Each case computes a gradient with the reference and with torch.autograd on random inputs.

Imported only when torch is installed.
"""

from __future__ import annotations

import numpy as np
import torch

from reference import backpropagation as ref


def _t(a):
    return torch.tensor(np.asarray(a, dtype=float), dtype=torch.float64, requires_grad=True)


def _upstream_case(backward, forward):
    def case(rng):
        z = rng.normal(size=(5, 4))
        z[0, 0] = 0.0  # the kink of ReLU, where the course's derivative is 0
        dvalues = rng.normal(size=z.shape)
        tz = _t(z)
        (forward(tz) * torch.tensor(dvalues)).sum().backward()
        return [backward(dvalues, z)], [tz.grad.numpy()]
    return case


def _dense(rng):
    X, W, dvalues = rng.normal(size=(6, 4)), rng.normal(size=(3, 4)), rng.normal(size=(6, 3))
    b = rng.normal(size=3)
    tX, tW, tb = _t(X), _t(W), _t(b)
    ((tX @ tW.T + tb) * torch.tensor(dvalues)).sum().backward()
    return list(ref.dense_backward(dvalues, X, W)), [tX.grad.numpy(), tW.grad.numpy(),
                                                     tb.grad.numpy()]


def _mse(rng):
    y_pred, y_true = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    tp = _t(y_pred)
    ((tp - torch.tensor(y_true)) ** 2).mean().backward()
    return [ref.mse_backward(y_pred, y_true)], [tp.grad.numpy()]


def _cce(rng):
    logits = rng.normal(size=(5, 3))
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = rng.integers(0, 3, size=5)
    tp = _t(probs)
    (-torch.log(tp[torch.arange(5), torch.tensor(labels)])).mean().backward()
    return [ref.categorical_cross_entropy_backward(probs, labels)], [tp.grad.numpy()]


def _softmax_cce(rng):
    logits = rng.normal(size=(6, 4))
    labels = rng.integers(0, 4, size=6)
    tz = _t(logits)
    torch.nn.functional.cross_entropy(tz, torch.tensor(labels)).backward()
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    return [ref.softmax_cross_entropy_backward(probs, labels)], [tz.grad.numpy()]


def _single_neuron(rng):
    x, w, b, target = rng.normal(size=4)
    tw, tb = _t(w), _t(b)
    ((tw * x + tb - target) ** 2).backward()
    return list(ref.single_neuron_gradients(x, w, b, target)), [tw.grad.numpy(), tb.grad.numpy()]


def _lecture_layer(rng):
    x, W, b = rng.normal(size=4), rng.normal(size=(3, 4)), rng.normal(size=3) + 2.0
    tW, tb = _t(W), _t(b)
    (torch.relu(tW @ torch.tensor(x) + tb).sum() ** 2).backward()
    return list(ref.lecture_layer_gradients(x, W, b)), [tW.grad.numpy(), tb.grad.numpy()]


def _two_hidden(rng):
    h = 5
    params = {"W1": rng.normal(size=(h, 1)), "b1": rng.normal(size=h),
              "W2": rng.normal(size=(h, h)), "b2": rng.normal(size=h),
              "W3": rng.normal(size=(1, h)), "b3": rng.normal(size=1)}
    x, target = rng.normal(size=(7, 1)), rng.normal(size=(7, 1))
    tp = {k: _t(v) for k, v in params.items()}
    h1 = torch.relu(torch.tensor(x) @ tp["W1"].T + tp["b1"])
    h2 = torch.relu(h1 @ tp["W2"].T + tp["b2"])
    out = h2 @ tp["W3"].T + tp["b3"]
    ((out - torch.tensor(target)) ** 2).mean().backward()
    mine = ref.two_hidden_layer_gradients(x, params, target)
    keys = ["W1", "b1", "W2", "b2", "W3", "b3"]
    return [mine["d" + k] for k in keys], [tp[k].grad.numpy() for k in keys]


CASES = {
    "relu_backward": _upstream_case(ref.relu_backward, torch.relu),
    "sigmoid_backward": _upstream_case(ref.sigmoid_backward, torch.sigmoid),
    "tanh_backward": _upstream_case(ref.tanh_backward, torch.tanh),
    "dense_backward": _dense,
    "mse_backward": _mse,
    "categorical_cross_entropy_backward": _cce,
    "softmax_cross_entropy_backward": _softmax_cce,
    "single_neuron_gradients": _single_neuron,
    "lecture_layer_gradients": _lecture_layer,
    "two_hidden_layer_gradients": _two_hidden,
}
