"""What a probe's result proves beyond the convention it was made for (probes.py).

A probe that runs is compared with the reference on the probe's inputs (`matches`: equal, or
equal once reshaped or transposed). Its result may say more than the probe's own assumption:

- "works only on a single number" holds only where the same values as a 1-D array raise too;
  where they are answered right, an `all`, `any`, `max` or `for` walks the rows of the 2-D array
  (`scalar_or_rows`, `ROWS`);
- a tuple whose first item is the result (`return A, cache`) is read as that result, and the
  name says the tuple too (`first_of_tuple`);
- gradients of parameters given transposed are read back in the course's layout
  (`weight_gradients_back`: dW1 of a W1 taken as (n_inputs, n_neurons));
- rows that should each sum to 1 may sum to 1 together (`whole_array_normalised`, tried on
  every check too), or down each column (`columns_normalised`, where a layout of columns is
  read back in the course's);
- a batch of one, shape (1, n), answered right where the same values as a column (n, 1) are not
  reads the samples along axis 1, deeplearning.ai's Y of shape (1, m) (`SAMPLES_AS_ROW`).

And which 2-D argument raised as if it were 1-D (an index past its rows, a row's truth value, a
vector of its size), to be probed flattened (`flat_argument`, `flattened`).
"""

from __future__ import annotations

import copy
import inspect
import re

import numpy as np

from autograder.diagnosis.relations import Finding

ROWS = Finding(
    "probe-needs-1d", "works only on a 1-D array",
    "your function raised on a 2-D array (\"truth value of an array ... is ambiguous\") and "
    "works on the same values flattened to 1-D: a Python `all`, `any`, `max` or `for` over an "
    "array walks its rows, and on a 2-D array each row is an array, whose truth is ambiguous. "
    "Use NumPy's own reductions over every element (np.all(G >= 0), np.max(x)) or np.where.", 1)

VECTOR_COLUMNS = Finding(
    "probe-vectors-as-columns", "assumes column vectors, shape (n, 1)",
    "your function raised on 1-D vectors, shape (n,), and works on the same values as columns, "
    "shape (n, 1): it reads v.shape[1] or v[i, 0]. Column vectors are the convention of "
    "linear-algebra texts and of deeplearning.ai; this course passes a vector as a 1-D array: "
    "take its length from len(v) (or v.shape[0]) and its entries as v[i].", 1, "001")


def as_columns(args) -> tuple | None:
    """The call's 1-D float vectors as columns (n, 1), where every array argument is such a
    vector (no matrix: a 1-D array beside one is a bias, probed on its own); or None."""
    arrays = [x for x in args if isinstance(x, np.ndarray)]
    if not arrays or any(x.ndim != 1 or x.dtype.kind != "f" or x.size < 2 for x in arrays):
        return None
    return tuple(x.reshape(-1, 1) if isinstance(x, np.ndarray) else x for x in args)


SAMPLES_AS_ROW = Finding(
    "probe-samples-as-row", "assumes the samples along a row, shape (1, n)",
    "your function raised on a 1-D input and works on the same values as a row, shape (1, n), "
    "but not as a column, shape (n, 1), which the course's function answers alike: it reads the "
    "samples along axis 1 (m = Y.shape[1]), as deeplearning.ai stores its labels, Y of shape "
    "(1, m). That is a real convention; in this course the samples are the rows (axis 0) and a "
    "1-D input is n samples: take the count from axis 0, or np.mean over every element.", 1,
    "001")


def scalar_or_rows(submission, reference, function, args, kwargs, scalar, context):
    """`scalar` ("a single number only") where the call that raised was on 1-D arrays, or where
    the same values flattened to 1-D raise too; `ROWS` where they are answered right (the `if`
    or `all` is over the rows of a 2-D array); None where that probe proves nothing."""
    from autograder.diagnosis.reconstruct import _local
    from autograder.diagnosis.relations import close
    from autograder.sandbox.calls import StudentError

    if not any(isinstance(x, np.ndarray) and x.ndim >= 2 for x in args):
        return scalar
    flat = flattened(args)
    try:
        expected = reference(*copy.deepcopy(_local(flat, context.defined)),
                             **copy.deepcopy(kwargs))
    except Exception:  # the reference refuses the flattened inputs: nothing to compare with
        return None
    try:
        value = submission._probe(function, flat, kwargs).value
    except StudentError as error:
        return None if error.kind == "timeout" else scalar
    return ROWS if matches(value, expected, close) else None


def first_of_tuple(value, original, finding):
    """(the result, the finding): where one array belongs and a tuple came back (`return out,
    cache`), its first item is the result (in the shape of the expected one, or transposed, as
    the column convention gives it), and the finding says so too."""
    if not isinstance(value, (tuple, list)) or isinstance(original, (tuple, list, dict)) \
            or len(value) < 2 or np.shape(value[0]) not in (np.shape(original),
                                                             np.shape(original)[::-1]):
        return value, finding
    extra = (f" Also, it returns a {type(value).__name__} of {len(value)} values, the result "
             "first (as `return A, cache` does): return the result alone.")
    return value[0], Finding(finding.id, finding.title, finding.explanation + extra,
                             finding.tier, finding.lecture)


# what numpy says when an array meets what takes one number (math.exp, float()), by version
_TO_SCALAR = ("only 0-dimensional arrays", "only length-1 arrays", "only size-1 arrays")
# what numpy says when code indexes or stores element by element as if an array were 1-D
_ONE_D = ("IndexError", "setting an array element with a sequence", "truth value of an array",
          *_TO_SCALAR)


def scalar_probe(args, message) -> tuple[tuple, Finding] | None:
    """(the call's arguments with every array as its first number, the finding) where the error
    says the function took one number: an `if` on a whole array, or math.exp of one (only where
    no array has 2 axes or more: there, the flat probe asks whether the function is 1-D only)."""
    arrays = [i for i, x in enumerate(args) if isinstance(x, np.ndarray) and x.size]
    if not arrays:
        return None
    changed = tuple(float(x.flat[0]) if j in arrays else x for j, x in enumerate(args))
    i = arrays[0] + 1
    if "truth value of an array" in message:
        return changed, Finding(
            "probe-scalar-only", "works only on a single number",
            f"your function raised on the array argument {i} (\"truth value of an array "
            "... is ambiguous\") and works on one number: an `if` on the whole array. The "
            "course's functions take arrays: choose elementwise with np.where(z >= 0, ..., ...) "
            "or a form that needs no `if` (np.exp(-np.logaddexp(0, -z)) for sigmoid).", 1)
    if any(m in message for m in _TO_SCALAR) and all(args[j].ndim <= 1 for j in arrays):
        return changed, Finding(
            "probe-scalar-only", "works only on a single number",
            f"your function raised on the array argument {i} (\"only 0-dimensional arrays "
            "can be converted to Python scalars\") and works on one number: `math.exp`, "
            "`math.sqrt`, `math.log` or `float(...)` take one number, not an array. Use NumPy's "
            "elementwise functions on the whole array (np.exp, np.sqrt, np.log).", 1)
    return None


def flat_argument(args, message):
    """(index, array) of the first array argument where every array argument has one shape of
    2 or more axes (one array, or an elementwise function's several) and the error is one of
    indexing or comparing a 2-D array as a 1-D one; or None."""
    arrays = [(i, x) for i, x in enumerate(args) if isinstance(x, np.ndarray) and x.ndim]
    if not arrays or arrays[0][1].ndim < 2 or any(
            x.shape != arrays[0][1].shape or x.dtype.kind != "f" for _, x in arrays) \
            or not (any(m in message for m in _ONE_D) or as_vector(arrays[0][1], message)):
        return None
    return arrays[0]


def as_vector(x, message) -> bool:
    """numpy's broadcast error between `x`'s shape and a vector of its size: code that built a
    1-D array of x.size (a step, a gradient) for a 2-D x."""
    shape = "(" + ",".join(str(n) for n in x.shape) + ")"
    return "could not be broadcast" in message and shape in message.replace(" ", "") \
        and f"({x.size},)" in message.replace(" ", "")


def flattened(args) -> tuple:
    """`args` with every array of 2 or more axes flattened to 1-D (copies)."""
    return tuple(x.reshape(-1).copy() if isinstance(x, np.ndarray) and x.ndim >= 2 else x
                 for x in args)


def whole_array_normalised(value, expected, rtol, atol) -> list[Finding]:
    """Rows that should each sum to 1 (a softmax's) divided by the sum of the whole array
    instead: every row is the expected one times its own sum, and the whole sums to 1."""
    from autograder.diagnosis.relations import _arr, close

    a, e = _arr(value), _arr(expected)
    if a is None or e is None or a.ndim != 2 or a.shape != e.shape or len(a) < 2 \
            or not close(e.sum(axis=1), np.ones(len(e)), rtol, atol) \
            or not close(a.sum(), 1.0, rtol, atol) or close(a, e, rtol, atol) \
            or not close(a, e * a.sum(axis=1, keepdims=True), rtol, atol):
        return []
    return [Finding("normalised-over-the-whole-array", "normalised over the whole array",
                    "your rows sum to 1 together, not each: every row is the expected one times "
                    "its own sum. The normalisation divides by the sum of every element "
                    "(np.sum(e)) where each row's belongs: np.sum(e, axis=1, keepdims=True).",
                    3)]


def columns_normalised(value, expected, rtol, atol) -> list[Finding]:
    """Rows that should each sum to 1 (a softmax's) normalised down each column instead (tried
    on a probe's result read back from another layout; on a check, the graders' own known
    mistake of the softmax's axis names it): the
    columns sum to 1, and the ratio to the expected value is a row's factor over a column's
    (exp(z) divided by its column's sum, not its row's), as softmax over axis 0 gives."""
    from autograder.diagnosis.relations import _arr, close

    a, e = _arr(value), _arr(expected)
    if a is None or e is None or a.ndim != 2 or a.shape != e.shape or min(a.shape) < 2 \
            or not np.all(e > 0) or not np.all(a > 0) \
            or not close(e.sum(axis=1), np.ones(len(e)), rtol, atol) \
            or not close(a.sum(axis=0), np.ones(a.shape[1]), rtol, atol) or close(a, e, rtol, atol):
        return []
    ratio = np.log(a / e)
    if not close(ratio - ratio[:, :1] - ratio[:1, :] + ratio[0, 0], np.zeros(a.shape), 0.0, 1e-6):
        return []
    return [Finding("normalised-down-the-columns", "normalised down the columns, not each row",
                    "your columns sum to 1 and your rows do not: each class is normalised over "
                    "the samples, where each sample must be normalised over its classes. Take "
                    "the max and the sum over the classes (axis=1 with keepdims=True in this "
                    "course's layout).",
                    3)]


def weight_gradients_back(value, original, args):
    """A dict of gradients from parameters given transposed, in the course's layout: each
    gradient of a weight matrix of the parameters ("dW1" of "W1") transposed back, as a
    function that takes W as (n_inputs, n_neurons) returns it (square ones too)."""
    if not (isinstance(value, dict) and isinstance(original, dict)):
        return value
    weights = {k for x in args if isinstance(x, dict) for k, w in x.items()
               if isinstance(w, np.ndarray) and w.ndim == 2}
    out = dict(value)
    for key, e in original.items():
        v = value.get(key)
        if key[1:] in weights and key.startswith("d") and isinstance(v, np.ndarray) \
                and v.ndim == 2 and v.shape == np.shape(e)[::-1]:
            out[key] = v.T
    return out


def matches(value, expected, close) -> bool:
    """Equal, or equal once reshaped or transposed to the expected shape (a batch of one)."""
    try:
        if isinstance(expected, dict):
            return isinstance(value, dict) and all(
                k in value and matches(value[k], e, close) for k, e in expected.items())
        if isinstance(expected, tuple):
            return len(value) == len(expected) and all(
                matches(v, e, close) for v, e in zip(value, expected))
        v, e = np.asarray(value, float), np.asarray(expected, float)
    except (TypeError, ValueError):
        return False
    if close(v, e):
        return True
    if v.size == e.size and close(v.reshape(e.shape), e):
        return True
    return v.ndim == 2 and close(v.T.reshape(e.shape) if v.T.size == e.size else v, e)


_BIAS = re.compile(r"^(b\d*|bias(es)?\d*)$", re.IGNORECASE)


def parameter(function, i: int) -> str | None:
    """The name of `function`'s parameter `i` (0-based), or None."""
    try:
        names = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return None
    return names[i] if i < len(names) else None


def is_bias(function, i: int) -> bool:
    """Parameter `i` of `function` is a bias (b, b1, bias), or has no name to tell: a column
    of it is the column convention's b; a column of any other 1-D input is a column vector."""
    name = parameter(function, i)
    return name is None or bool(_BIAS.match(name))


def as_column(function, i: int, x) -> Finding | None:
    """What argument `i` (1-D, `x`) given as a column (n, 1) proves when it is no bias: a 1-D
    input made a column, which broadcasts against a row. None for a bias (the caller's own
    finding)."""
    if is_bias(function, i):
        return None
    return Finding(
        "argument-as-column", "a 1-D input made a column (n, 1)",
        f"your result is what the function gives when a 1-D input of shape {x.shape} is a "
        f"column {(x.size, 1)} (as `x[:, np.newaxis]` or `x.reshape(-1, 1)` make it): a column "
        "meets a row, and the two broadcast into an (n, n) table of every pair. Keep the 1-D "
        "inputs 1-D: in this course a vector and a batch of labels have shape (n,).", 3)
