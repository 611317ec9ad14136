"""The answers of the real-class benchmark's students who are not simply right (01_forward_pass).

Endless loops, broken functions, and slow but correct answers written with plain Python loops,
as a student who has not met vectorisation yet writes them. Each is the source of one answer
cell; the benchmark puts it into the release notebook in place of the stub.
"""

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

SLOW = {
    "dot_product": '''
def dot_product(a, b):
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total
''',
    "vector_matrix_product": '''
def vector_matrix_product(a, B):
    out = []
    for j in range(len(B[0])):
        total = 0.0
        for i in range(len(a)):
            total += a[i] * B[i][j]
        out.append(total)
    return np.array(out)
''',
    "matrix_vector_product": '''
def matrix_vector_product(B, a):
    out = []
    for i in range(len(B)):
        total = 0.0
        for j in range(len(a)):
            total += B[i][j] * a[j]
        out.append(total)
    return np.array(out)
''',
    "matrix_product": '''
def matrix_product(A, B):
    out = []
    for i in range(len(A)):
        row = []
        for j in range(len(B[0])):
            total = 0.0
            for k in range(len(B)):
                total += A[i][k] * B[k][j]
            row.append(total)
        out.append(row)
    return np.array(out)
''',
    "dense_forward": '''
def dense_forward(X, W, b):
    out = []
    for sample in X:
        row = []
        for n in range(len(W)):
            total = 0.0
            for i in range(len(sample)):
                total += sample[i] * W[n][i]
            row.append(total + b[n])
        out.append(row)
    return np.array(out)
''',
    "mse": '''
def mse(y_pred, y_true):
    p, t = np.ravel(y_pred), np.ravel(y_true)
    total = 0.0
    for i in range(len(p)):
        total += (t[i] - p[i]) ** 2
    return total / len(p)
''',
}
