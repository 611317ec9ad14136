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


def both_forms(student, function, batches):
    """Check `function` on each batch `(y_pred, labels, k, mistakes)`, with class indices and
    with one-hot targets, and fail at the first batch that is wrong. When exactly one form is
    right, the failure names ONE_LABEL_FORM where the labels can show it: two samples or more
    (with one sample, `p[:, labels]` and a sum without the mean are right too). A one-form
    failure on a single sample is raised once a later batch has shown the form, or as it is."""
    untold = None
    for y_pred, labels, k, mistakes in batches:
        failures = _in_both_forms(student, function, y_pred, labels, k, mistakes)
        if len(failures) == 1 and labels.size >= 2:
            (form, failure), = failures.items()
            raise GraderFailure(f"{failure}\nWith the other form of the same labels it is "
                                "right.\n" + ONE_LABEL_FORM.describe(), ONE_LABEL_FORM)
        if untold is not None or not failures:
            continue
        if len(failures) == 2:
            raise next(iter(failures.values()))
        untold = next(iter(failures.values()))
    if untold is not None:
        raise untold


def _in_both_forms(student, function, y_pred, labels, k, mistakes) -> dict:
    """form -> its failure, for the forms in which `function` is wrong on this batch."""
    failures = {}
    for form, y_true in (("indices", labels), ("one-hot", np.eye(k)[labels])):
        expected = getattr(ref, function)(y_pred, y_true)
        try:
            check_close(student.call(function, y_pred, y_true), expected, hint=BOTH_LABEL_FORMS,
                        mistakes=mistakes(expected))
        except GraderFailure as failure:
            failures[form] = failure
    return failures
