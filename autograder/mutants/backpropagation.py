"""Known-wrong backward passes the graders of 02_backpropagation must catch and name. Each is the
reference's own source with exactly one student's mistake edited in (`edit` fails loudly when
its text is no longer in the reference)."""

from autograder.mutants import edit

# ----------------------------------------------------------------------------------------------
# relu_backward

edit("relu_backward", "`z >= 0` in ReLU's backward", "float) > 0)", "float) >= 0)", edge="relu-0")
edit("relu_backward", "inputs modified in place",
     "    return dvalues * (np.asarray(z, dtype=float) > 0)",
     "    dvalues[np.asarray(z, dtype=float) <= 0] = 0\n    return dvalues")
edit("relu_backward", "ReLU's mask taken from dvalues instead of z",
     "(np.asarray(z, dtype=float) > 0)", "(dvalues > 0)")

# ----------------------------------------------------------------------------------------------
# sigmoid_backward and tanh_backward

edit("sigmoid_backward", "sigmoid's derivative taken of `z` instead of `sigmoid(z)`",
     "s = sigmoid(np.asarray(z, dtype=float))", "s = np.asarray(z, dtype=float)")
edit("sigmoid_backward", "upstream gradient not multiplied in",
     "return np.asarray(dvalues, dtype=float) * s", "return s")
edit("tanh_backward", "tanh's derivative taken of `z` instead of `tanh(z)`",
     "t = np.tanh(np.asarray(z, dtype=float))", "t = np.asarray(z, dtype=float)")
edit("tanh_backward", "tanh's derivative without the square", "(1 - t**2)", "(1 - t)")
edit("sigmoid_backward", "sigmoid from exp(z) / (1 + exp(z)) overflows in the backward pass",
     "    s = sigmoid(np.asarray(z, dtype=float))",
     "    z = np.asarray(z, dtype=float)\n    s = np.exp(z) / (1 + np.exp(z))", edge="sigmoid-1000")
edit("tanh_backward", "tanh from exponentials overflows in the backward pass",
     "    t = np.tanh(np.asarray(z, dtype=float))",
     "    z = np.asarray(z, dtype=float)\n"
     "    t = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))", edge="tanh-1000")

# ----------------------------------------------------------------------------------------------
# dense_backward

edit("dense_backward", "`db` not summed over the batch", "db = dvalues.sum(axis=0)", "db = dvalues")
edit("dense_backward", "`dW` transposed", "    dW = dvalues.T @ X", "    dW = X.T @ dvalues")
edit("dense_backward", "`W.T` where `W` belongs in dX",
     "    dX = dvalues @ W", "    dX = dvalues @ W.T")
edit("dense_backward", "`db` averaged instead of summed",
     "dvalues.sum(axis=0)", "dvalues.mean(axis=0)")

# ----------------------------------------------------------------------------------------------
# mse_backward

edit("mse_backward", "a missing `1/n`", " / y_pred.size", "")
edit("mse_backward", "MSE gradient divided by the samples, not every element",
     "/ y_pred.size", "/ len(y_pred)")
edit("mse_backward", "`target - output` instead of `output - target`",
     "(y_pred - y_true) / y_pred.size", "(y_true - y_pred) / y_pred.size")

# ----------------------------------------------------------------------------------------------
# categorical_cross_entropy_backward

edit("categorical_cross_entropy_backward", "a missing `1/n`", " / clipped / len(y_pred)",
     " / clipped")
edit("categorical_cross_entropy_backward", "no clipping (inf or nan at p = 0)",
     "    clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)\n"
     "    return -np.asarray(y_true, dtype=float) / clipped / len(y_pred)",
     "    with np.errstate(divide=\"ignore\", invalid=\"ignore\"):\n"
     "        return -np.asarray(y_true, dtype=float) / y_pred / len(y_pred)",
     edge=("p-0", "p-1"))
edit("categorical_cross_entropy_backward", "inputs modified in place",
     "np.clip(y_pred, 1e-7, 1 - 1e-7)", "np.clip(y_pred, 1e-7, 1 - 1e-7, out=y_pred)")
edit("categorical_cross_entropy_backward", "the minus of -ln(p) lost",
     "return -np.asarray", "return np.asarray")

# ----------------------------------------------------------------------------------------------
# softmax_cross_entropy_backward

edit("softmax_cross_entropy_backward", "a missing `1/n`", " / len(probs)", "")
edit("softmax_cross_entropy_backward", "inputs modified in place",
     "    return (probs - np.asarray(y_true, dtype=float)) / len(probs)",
     "    probs -= y_true  # the book's update without its .copy()\n"
     "    return probs / len(probs)")

# ----------------------------------------------------------------------------------------------
# single_neuron_gradients

edit("single_neuron_gradients", "`target - output` instead of `output - target`",
     "2 * (output - target)", "2 * (target - output)")
edit("single_neuron_gradients", "the last link of the chain dropped",
     "float(dC_doutput * x)", "float(dC_doutput)")

# ----------------------------------------------------------------------------------------------
# lecture_layer_gradients

edit("lecture_layer_gradients", "`z >= 0` in ReLU's backward", "(z > 0)", "(z >= 0)")
edit("lecture_layer_gradients", "ReLU's derivative left out of the chain",
     "(z > 0)", "np.ones_like(z)")
edit("lecture_layer_gradients", "`dW` transposed", "np.outer(dz, x)", "np.outer(x, dz)")
edit("lecture_layer_gradients", "y summed over z instead of relu(z)",
     "np.sum(relu(z))", "np.sum(z)")

# ----------------------------------------------------------------------------------------------
# numerical_gradient

edit("numerical_gradient", "a one-sided difference instead of a central one",
     "        x.flat[i] = old - h\n"
     "        f_minus = f(x)\n"
     "        x.flat[i] = old\n"
     "        grad.flat[i] = (f_plus - f_minus) / (2 * h)",
     "        x.flat[i] = old\n"
     "        grad.flat[i] = (f_plus - f(x)) / h")
edit("numerical_gradient", "inputs modified in place",
     "    # a private copy to nudge: the caller's x is never touched\n"
     "    x = np.array(x, dtype=float)",
     "    x = np.asarray(x, dtype=float)  # the caller's own array",
     "        x.flat[i] = old\n", "")
edit("numerical_gradient", "ignores the h it is given",
     "old + h", "old + 1e-5", "old - h", "old - 1e-5", "/ (2 * h)", "/ 2e-5")

# ----------------------------------------------------------------------------------------------
# two_hidden_layer_gradients

edit("two_hidden_layer_gradients", "a missing `1/n`", " / out.size", "")
edit("two_hidden_layer_gradients", "ReLU's derivative left out of the chain",
     " * (z2 > 0)", "", " * (z1 > 0)", "")
# the middle layer's dW the wrong way round: square, so only the values betray it
edit("two_hidden_layer_gradients", "`dW` transposed", "dW2 = dz2.T @ H1", "dW2 = H1.T @ dz2")
edit("two_hidden_layer_gradients", "inputs modified in place",
     "    return {\"dW1\"", "    grads = {\"dW1\"",
     "\"db3\": db3}",
     "\"db3\": db3}\n"
     "    # the workshop's step 3 (update the weights) done here, on the caller's arrays\n"
     "    for k in params:\n"
     "        params[k] -= 0.01 * grads[\"d\" + k]\n"
     "    return grads")

# ----------------------------------------------------------------------------------------------
# Conventions that textbooks and course code teach differently from this course

edit("dense_backward", "keepdims left an extra axis",
     "dvalues.sum(axis=0)", "np.sum(dvalues, axis=0, keepdims=True)")
edit("mse_backward", "MSE gradient without the factor 2", "return 2 * (y_pred", "return (y_pred")
