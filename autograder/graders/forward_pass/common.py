"""What the checks of several 01_forward_pass functions share: mistakes, messages, helpers."""

import numpy as np

from autograder.harness import GraderFailure, Mistake, check_close
from reference import forward_pass as ref

STRICT = ("This check is about one known mistake, so it is as strict as that needs: "
          "{}.")
BOTH_LABEL_FORMS = ("y_true may be class indices, shape (n,), or one-hot rows, shape (n, k): "
                    "handle both.")
SHAPE_ERROR = ("ValueError: matmul", "not aligned", "could not be broadcast")

IN_PLACE = Mistake(
    "function changes its inputs in place",
    "Operations like `z[z < 0] = 0`, `z -= z.max()`, `x *= w` or `np.clip(p, a, b, out=p)` "
    "write into the caller's array. Compute into a new array instead (`np.maximum(0, z)`, "
    "`z - z.max(...)`, `np.clip(p, a, b)`).",
)
ONE_LABEL_FORM = Mistake(
    "handles only one form of labels",
    "y_true may be class indices, shape (n,), or one-hot rows, shape (n, k); your function is "
    "right for one form only. Turn one-hot rows into indices first: "
    "`if y_true.ndim == 2: y_true = np.argmax(y_true, axis=1)`.",
    "001",
)


def not_finite(value):
    return not np.all(np.isfinite(np.asarray(value, dtype=float)))


def both_forms(student, function, y_pred, labels, k, mistakes=lambda expected: ()):
    """Check `function` with class indices and with one-hot targets; when exactly one form is
    right, the failure names ONE_LABEL_FORM."""
    failures = {}
    for form, y_true in (("indices", labels), ("one-hot", np.eye(k)[labels])):
        expected = getattr(ref, function)(y_pred, y_true)
        try:
            check_close(student.call(function, y_pred, y_true), expected, hint=BOTH_LABEL_FORMS,
                        mistakes=mistakes(expected))
        except GraderFailure as failure:
            failures[form] = failure
    if len(failures) == 1:
        (form, failure), = failures.items()
        raise GraderFailure(f"{failure}\nWith the other form of the same labels it is right.\n"
                            + ONE_LABEL_FORM.describe(), ONE_LABEL_FORM)
    if failures:
        raise next(iter(failures.values()))
