"""Diagnosis mutants for what an answer assumes of its inputs' names and shapes (joined to
cases.MUTANTS): a 1-D input made a column that broadcasts against a row, a vector argument that
must be a column (n, 1) beside a matrix, a shape given to np.zeros as two numbers, a helper
called without all its arguments, and np.max where np.maximum belongs.
"""

from __future__ import annotations

F, B, O, T = "01_forward_pass", "02_backpropagation", "03_optimizers", "04_training"

MUTANTS = [
    (F, "binary_cross_entropy", "argument-as-column", """
def binary_cross_entropy(y_pred, y_true):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    y = y_true[:, np.newaxis]
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
"""),
    (F, "matrix_vector_product", "probe-vectors-as-columns", """
def matrix_vector_product(B, a):
    rows, one = a.shape
    return [float(v) for v in (np.asarray(B) @ a).ravel()]
"""),
    (T, "init_params", "shape-as-two-arguments", """
def init_params(n_inputs, n_hidden, n_outputs, seed):
    rng = np.random.default_rng(seed)
    return {"W1": 0.01 * rng.standard_normal((n_hidden, n_inputs)),
            "b1": np.zeros(n_hidden, 1),
            "W2": 0.01 * rng.standard_normal((n_outputs, n_hidden)),
            "b2": np.zeros(n_outputs, 1)}
"""),
    (F, "matrix_product", "helper-argument-missing", """
def matrix_product(A, B):
    def column(matrix, j):
        return [row[j] for row in matrix]
    return [[sum(a * b for a, b in zip(row, column(j))) for j in range(len(B[0]))] for row in A]
"""),
    (F, "relu", "reduced-with-np-max", """
def relu(z):
    return np.max(z, 0)
"""),
]
