"""The answers of the real-class benchmark's students who are not simply right (01_forward_pass).

Endless loops, broken functions, and slow but correct answers written with plain Python loops,
as a student who has not met vectorisation yet writes them (the acceptable variants). Each is
the source of one answer cell; the benchmark puts it into the release notebook in place of the
stub.
"""

from autograder.variants import variants_for

LOOPS = {
    # a loop whose condition never changes
    "mse": '''
def mse(y_pred, y_true):
    total, i = 0.0, 0
    while i < np.size(y_pred):
        total += float(np.ravel(y_true)[i] - np.ravel(y_pred)[i]) ** 2
    return total / np.size(y_pred)
''',
    # a helper that never returns, and a caller that uses it
    "matrix_product": '''
def matrix_product(A, B):
    while True:
        pass
''',
    # an endless loop that swallows the time limit's signal on its way
    "softmax": '''
def softmax(z):
    while True:
        try:
            pass
        except Exception:
            pass
''',
}
LOOP_CALLERS = {
    "matrix_product": {"dense_forward": '''
def dense_forward(X, W, b):
    return matrix_product(X, W.T) + b
'''},
}

BROKEN = {
    "relu": "def relu(z):\n    return np.maximum(0, z\n",  # a syntax error
    "sigmoid": "def sigmoid(z):\n    raise ValueError('not sure how to do this yet')\n",
    "tanh": "def tanh(z):\n    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-zz))\n",
}

# The slow but correct students: the acceptable variants written with plain Python loops, which
# `validate` already proves earn full marks (autograder/variants/forward_pass.py).
SLOW = {variant.function: variant.source for variant in variants_for("reference.forward_pass")
        if "Python loop" in variant.idiom}
