"""The lecture's worked examples (COURSE_SPEC.md), checked against the reference.

Each row computes the example with the reference implementation and compares it with the correct
value. Where the lecture transcript shows something else, the row carries that too: the errata an
instructor can use to correct the slides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from autograder.config import get_assignment

B = [[4, 5, 6], [7, 8, 9], [10, 11, 12]]
X3 = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]
W3 = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]]
B3 = [0.1, 0.2, 0.3]


@dataclass(frozen=True)
class Example:
    lecture: str
    assignment: str
    example: str
    compute: Callable[[Callable[[str], Callable]], object]  # given a lookup of reference functions
    correct: object
    transcript: str  # what the lecture transcript shows; "same" when it agrees
    atol: float = 1e-9

    def check(self) -> tuple[bool, object]:
        module = get_assignment(self.assignment).reference_module()
        value = self.compute(lambda name: getattr(module, name))
        try:
            ok = _close(value, self.correct, self.atol)
        except (TypeError, ValueError):
            ok = False
        return ok, value


def _close(value, correct, atol) -> bool:
    if isinstance(correct, tuple):
        return len(value) == len(correct) and all(
            _close(v, c, atol) for v, c in zip(value, correct))
    return bool(np.allclose(np.asarray(value, dtype=float), np.asarray(correct, dtype=float),
                            rtol=0, atol=atol))


def _layer(f):
    z = f("dense_forward")(np.array([[1.0, 2, 3, 4]]), np.array(W3), np.array(B3))[0]
    y = float(np.sum(f("relu")(z)))
    return (z, y, y ** 2)


def _momentum_twice(f):
    w1, v1 = f("momentum_update")(0.1, 43.2, 0.0, 0.001, 0.9)
    w2, v2 = f("momentum_update")(w1, 43.2, v1, 0.001, 0.9)
    return (float(w1), float(v1), float(w2), float(v2))


EXAMPLES = [
    Example("001", "01_forward_pass", "vector_matrix_product([1,2,3], B)",
            lambda f: f("vector_matrix_product")([1, 2, 3], B), [48, 54, 60], "same"),
    Example("001", "01_forward_pass", "matrix_vector_product(B, [1,2,3])",
            lambda f: f("matrix_vector_product")(B, [1, 2, 3]), [32, 50, 68], "[32, 50, 69]"),
    Example("001", "01_forward_pass", "dense_forward(X 3x4, W 3x4, b)",
            lambda f: f("dense_forward")(X3, W3, B3),
            [[3.1, 7.2, 11.3], [7.1, 17.6, 28.1], [11.1, 28.0, 44.9]], "X called 2x4 (it is 3x4)"),
    Example("001", "01_forward_pass", "categorical_cross_entropy([[.2,.6,.2]], [[0,1,0]])",
            lambda f: f("categorical_cross_entropy")([[0.2, 0.6, 0.2]], [[0, 1, 0]]), 0.5108,
            ".22 (log base 10)", atol=5e-5),
    Example("001", "01_forward_pass", "-ln(p) for p = .9, .5, .1",
            lambda f: [f("categorical_cross_entropy")([[p, 1 - p]], [[1, 0]])
                       for p in (.9, .5, .1)],
            [0.105, 0.693, 2.303], "2.202 for p = .1", atol=5e-4),
    Example("001", "01_forward_pass", "mse([21], [26])",
            lambda f: f("mse")([21.0], [26.0]), 25.0, "same"),
    Example("004", "01_forward_pass", "sigmoid(neuron_forward([-1, 2], [3, -2], 1))",
            lambda f: f("sigmoid")(f("neuron_forward")([-1, 2], [3, -2], 1)), 0.002473, "~0.002",
            atol=5e-7),
    Example("000", "01_forward_pass", "layer on x=[1,2,3,4]: z, y = sum(relu(z)), L = y^2",
            _layer, ([3.1, 7.2, 11.3], 21.6, 466.56), 'z1 "3", z3 "11.4"', atol=1e-9),
    Example("000", "02_backpropagation", "lecture_layer_gradients(x, W, b): dW rows, db",
            lambda f: f("lecture_layer_gradients")(np.array([1.0, 2, 3, 4]), np.array(W3),
                                                   np.array(B3)),
            ([[43.2, 86.4, 129.6, 172.8]] * 3, [43.2, 43.2, 43.2]), "same", atol=1e-9),
    Example("000", "03_optimizers", "sgd_update(0.1, 43.2, 0.001)",
            lambda f: f("sgd_update")(0.1, 43.2, 0.001), 0.0568, "same", atol=1e-12),
    Example("000", "03_optimizers", "momentum_update twice (w, v, w, v)",
            _momentum_twice, (0.0568, -0.0432, -0.02528, -0.08208), "(not worked)", atol=1e-12),
    Example("000", "03_optimizers", "decayed_learning_rate(1.0, 1e-3, 1000)",
            lambda f: f("decayed_learning_rate")(1.0, 1e-3, 1000), 0.5, "(formula only)"),
    Example("002", "02_backpropagation", "single_neuron_gradients(x=2, w=0.5, b=0.1, target=2)",
            lambda f: f("single_neuron_gradients")(2.0, 0.5, 0.1, 2.0), (-3.6, -1.8),
            "(formula only)", atol=1e-12),
]


def check_examples(assignment: str | None = None) -> list[tuple[Example, bool, object]]:
    rows = []
    for example in EXAMPLES:
        if assignment is None or example.assignment == assignment:
            try:
                ok, value = example.check()
            except Exception as error:  # a broken reference is a finding, not a crash
                ok, value = False, f"{type(error).__name__}: {error}"
            rows.append((example, ok, value))
    return rows
