"""Diagnosis of a call that raises: probe once more on a nearby input of a common convention.

When a student's function raises on a check's inputs, it is called again on the same inputs
changed the way another convention expects them: a 1-D sample as a 2-D batch of one, a square
matrix, class labels in the other form, a bias reshaped to a column (n, 1). When a probe runs and
its result matches the reference on the probe's inputs (or a relation of it, reconstruct.py), the
assumption is named. Probes are ordinary calls inside the same limits; they cost no points, and a
probe that fails or runs out of time proves nothing. A stub that still raises NotImplementedError
is not probed. Generic over the arguments: nothing here is written per function.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Iterator

import numpy as np

from autograder.diagnosis import acceptance, probed
from autograder.diagnosis.errors import from_message
from autograder.diagnosis.relations import Finding

MAX_PROBES = 3  # per function and submission: probing must not cost a slow answer its budget


def _labels(x) -> bool:
    return isinstance(x, np.ndarray) and x.ndim == 1 and x.dtype.kind in "iu" and _telling(x)


def _one_hot(x) -> bool:
    return isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[1] >= 2 and x.size \
        and set(np.unique(x)) <= {0, 1} and np.all(x.sum(axis=1) == 1) \
        and _telling(x.argmax(axis=1))


def _telling(labels) -> bool:
    """Labels that tell a per-sample pick from the wrong ones: two samples or more. With one
    sample, `p[:, t]` (every row at every label) and a sum without the mean are right too, so
    "works with the other form" would prove nothing."""
    return labels.size >= 2


def nearby(args: tuple, message: str = "") -> Iterator[tuple[str, tuple, Finding]]:
    """(kind, probe args, finding) for each convention's nearby input, most telling first."""
    args = tuple(args)
    scalar = probed.scalar_probe(args, message)
    if scalar is not None:  # `if z >= 0`, or math.exp(z), on a whole array
        yield ("scalar", *scalar)
    for i, x in enumerate(args):
        if _labels(x):
            k = max([int(x.max()) + 1] + [a.shape[-1] for a in args
                                          if isinstance(a, np.ndarray) and a.ndim == 2])
            changed = list(args)
            changed[i] = np.eye(k)[x]
            yield ("labels", tuple(changed), Finding(
                "probe-labels-one-hot-only", "handles one-hot labels only",
                f"your function raised with class indices (argument {i + 1}, shape {x.shape}) "
                "and works on the same labels as one-hot rows. y_true may be either: turn "
                "one-hot rows into indices first (`if y_true.ndim == 2: y_true = "
                "y_true.argmax(axis=1)`).", 1, "001"))
        elif _one_hot(x):
            changed = list(args)
            changed[i] = x.argmax(axis=1)
            yield ("labels", tuple(changed), Finding(
                "probe-labels-indices-only", "handles class indices only",
                f"your function raised with one-hot labels (argument {i + 1}, shape {x.shape}) "
                "and works on the same labels as class indices. y_true may be either: "
                "`if y_true.ndim == 2: y_true = y_true.argmax(axis=1)`.", 1, "001"))
    matrices = any(isinstance(x, np.ndarray) and x.ndim == 2 for x in args)
    for i, x in enumerate(args):  # a bias goes with a matrix: only then is a column a bias
        if matrices and isinstance(x, np.ndarray) and x.ndim == 1 and x.dtype.kind == "f" \
                and x.size >= 2:
            changed = list(args)
            changed[i] = x.reshape(-1, 1)
            yield ("bias-column", tuple(changed), Finding(
                "bias-as-column", "assumes a column-shaped bias (n, 1)",
                f"your function raised with argument {i + 1} of shape {x.shape} and works when "
                f"it is a column {(x.size, 1)}. Column biases belong to the convention where "
                "samples are columns (deeplearning.ai, Nielsen); this course's b has shape "
                "(n_neurons,) and the batch is rows: X @ W.T + b.", 1, "001"))
    ones = [i for i, x in enumerate(args)
            if isinstance(x, np.ndarray) and x.ndim == 1 and x.dtype.kind == "f"]
    # every 1-D sample as a batch of one, together; of one number each, a row (1, 1) is a
    # column too, and proves no batch
    if ones and any(args[i].size >= 2 for i in ones):
        i, x = ones[0], args[ones[0]]
        changed = [a.reshape(1, -1) if j in ones else a for j, a in enumerate(args)]
        yield ("batch-of-one", tuple(changed), Finding(
            "probe-needs-2d", "works only on a 2-D batch",
            f"your function raised on a 1-D argument {i + 1} of shape {x.shape} and works "
            f"on the same values as a batch of one, shape {(1, x.size)}. A 1-D input is "
            "one sample: work along the last axis (`axis=-1, keepdims=True`), or "
            "`np.atleast_2d` and give the result back in the input's shape.", 1, "001"))
    vectors = probed.as_columns(args)
    if vectors is not None:
        yield ("vector-columns", vectors, probed.VECTOR_COLUMNS)
    yield from _parameter_conventions(args)
    columns = _columns(args)
    if columns is not None:
        yield ("columns", columns, _COLUMNS)
    flat = probed.flat_argument(args, message)
    if flat is not None:
        i, x = flat
        yield ("flat", probed.flattened(args), probed.ROWS if "truth value" in message else Finding(
            "probe-needs-1d", "works only on a 1-D array",
            f"your function raised on argument {i + 1} of shape {x.shape} and works on the same "
            f"values flattened to shape ({x.size},): it treats that array as 1-D ("
            + (f"a vector of x.size, {x.size}, meets x's own shape" if probed.as_vector(x, message)
               else "x[i] for i in range(x.size) walks the rows of a 2-D array")
            + "). Work element by element whatever the shape (np.zeros_like(x), x.flat[i], or "
            "np.ndindex(x.shape)) and return an array of x's shape.", 1))
    square = _square(args)
    if square is not None:
        yield ("square", square, Finding(
            "probe-square-only", "works only when W is square",
            "your function raised on a non-square matrix and runs when it is square, where it "
            "returns the result for W transposed: it computes X @ W. The course's W has shape "
            "(n_neurons, n_inputs): use X @ W.T (or dvalues @ W for dX).", 1, "001"))


def _params(x) -> bool:
    return isinstance(x, dict) and any(isinstance(v, np.ndarray) and v.ndim == 2
                                       and v.shape[0] != v.shape[1] for v in x.values())


def _reshaped(x: dict, weights, biases) -> dict:
    out = {}
    for key, v in x.items():
        if isinstance(v, np.ndarray) and v.ndim == 2:
            v = weights(v)
        elif isinstance(v, np.ndarray) and v.ndim == 1 and v.dtype.kind == "f":
            v = biases(v)
        out[key] = v
    return out


def _parameter_conventions(args) -> Iterator[tuple[str, tuple, Finding]]:
    """A dict of parameters as the nnfs book stores it (every W transposed), and as the
    column convention does (biases (n, 1), and the batch as columns)."""
    where = [i for i, x in enumerate(args) if _params(x)]
    if not where:
        return
    transposed = tuple(_reshaped(x, lambda w: w.T.copy(), lambda b: b) if i in where else x
                       for i, x in enumerate(args))
    yield ("params-transposed", transposed, Finding(
        "probe-weights-as-inputs-by-neurons", "assumes W of shape (n_inputs, n_neurons)",
        "your function raised with the course's weights and works when every W in the "
        "parameters is given transposed, shape (n_inputs, n_neurons): it computes X @ W. That "
        "is a real convention (the nnfs book's Layer_Dense, cs231n); this course stores W as "
        "(n_neurons, n_inputs) (init_params makes them so): use X @ W.T.", 1, "001"))
    columns = tuple(_reshaped(x, lambda w: w, lambda b: b.reshape(-1, 1)) if i in where
                    else x.T.copy() if isinstance(x, np.ndarray) and x.ndim == 2 else x
                    for i, x in enumerate(args))
    yield ("params-columns", columns, _COLUMNS)


_COLUMNS = Finding(
    "probe-samples-as-columns", "assumes samples as columns (W @ X + b, b of shape (n, 1))",
    "your function raised with the course's batch and works when the samples are columns and "
    "every bias is a column (n, 1): it computes W @ X + b. That is a real convention "
    "(deeplearning.ai, Nielsen); this course's batch is rows, X of shape (n_samples, "
    "n_features), and b has shape (n_neurons,): X @ W.T + b, and gradients of the same shapes "
    "(dW = dvalues.T @ X).", 1, "001")


def proves_layout(mistake) -> bool:
    """`mistake` is the proof that the function takes the samples as columns: it explains any
    shape error of the call, so a name read off that error alone ("W where W.T belongs") is
    not the mistake made."""
    return getattr(mistake, "key", None) == _COLUMNS.id


def _columns(args):
    """The inputs as the column convention passes them: every matrix but the last (the weights,
    which come after the data in the course's signatures) transposed, 1-D biases as columns."""
    mats = [i for i, x in enumerate(args) if isinstance(x, np.ndarray) and x.ndim == 2]
    if len(mats) < 2:
        return None
    return tuple(x.T.copy() if i in mats[:-1] else x.reshape(-1, 1) if isinstance(
        x, np.ndarray) and x.ndim == 1 and x.dtype.kind == "f" and x.size >= 2 else x
        for i, x in enumerate(args))


def _course_layout(value, expected):
    """The column convention's result in the course's layout: a part whose shape is the
    expected part's transposed is transposed back, a column (n, 1) becomes (n,)."""
    if isinstance(expected, tuple) and isinstance(value, (tuple, list)) \
            and len(value) == len(expected):
        return tuple(_course_layout(v, e) for v, e in zip(value, expected))
    v, e = np.asarray(value), np.asarray(expected)
    if v.ndim == 2 and e.ndim == 2 and v.shape == e.T.shape and v.shape != e.shape:
        v = v.T
    if v.shape != e.shape and v.size == e.size and v.ndim == e.ndim + 1 and 1 in v.shape:
        v = v.reshape(e.shape)
    return v


def _square(args):
    """The inputs cut so that every matrix is square (its longer axis cut to the shorter)."""
    mats = [x for x in args if isinstance(x, np.ndarray) and x.ndim == 2
            and x.shape[0] != x.shape[1]]
    if not mats:
        return None
    weights = mats[-1]  # the weights come after the data in every signature of the course
    long, short = max(weights.shape), min(weights.shape)
    out = []
    for x in args:
        if isinstance(x, np.ndarray) and x.ndim:
            index = tuple(slice(0, short) if n == long else slice(None) for n in x.shape)
            x = x[index]
        out.append(x)
    return tuple(out)


def diagnose_raise(submission, function: str, args: tuple, kwargs: dict, message: str,
                   kind: str = "exception"):
    """The Finding that names the assumption, or None. Calls `submission._probe`. A call
    whose value could not be sent back (`kind` "bad-output") is named from its message alone:
    a probe would return the same kind of value."""
    try:
        return _diagnose_raise(submission, function, args, kwargs, message, kind)
    except Exception:  # a diagnosis never breaks a check: without it, nothing is named
        return None


def _diagnose_raise(submission, function, args, kwargs, message, kind="exception"):
    if message.startswith("NotImplementedError"):
        return None
    context = getattr(submission, "_diagnosis", None)
    if context is not None:  # a later check's one number proves no small slip (acceptance.py)
        context.history[f"raised:{function}"] = True
    told = from_message(args, message, function)
    if told is not None or kind != "exception":  # the error itself is the proof, or nothing is
        return told
    if context is None or not context.modules:
        return None
    spent = context.history.setdefault(f"probes:{function}", {})
    reference = _reference(context.modules, function)
    if reference is None:
        return None
    from autograder.diagnosis.reconstruct import _local
    from autograder.diagnosis.relations import close
    from autograder.sandbox.calls import StudentError

    weights = _takes_weights(reference)
    # a convention of layers (_WEIGHT_PROBES) is not probed on a function without weights
    probes = [(kind, probe, finding) for kind, probe, finding in nearby(args, message)
              if weights or kind not in _WEIGHT_PROBES]
    for kind, _, _ in probes:
        if spent.get(kind) is not None:  # proved by an earlier probe of this function
            return spent[kind]
    for kind, probe, finding in probes:
        if len(spent) >= MAX_PROBES:
            return None
        if kind in spent:
            continue
        spent[kind] = None
        try:
            expected = reference(*copy.deepcopy(_local(probe, context.defined)),
                                 **copy.deepcopy(kwargs))
        except Exception:  # the reference refuses this input: compare with the original's
            expected = None
        try:
            call = submission._probe(function, probe, kwargs)
        except StudentError as error:  # still raises, or ran out of time: proves nothing
            if error.kind == "timeout":  # and a slow function is not probed again
                spent.update({f"timeout-{i}": None for i in range(MAX_PROBES)})
                return None
            _again(spent, kind)
            continue
        value = call.value
        if kind == "scalar":  # the same question, asked of one element
            if expected is not None and probed.matches(value, expected, close):
                # "a single number only" needs a failure on a 1-D array too, not on 2-D alone
                spent[kind] = probed.scalar_or_rows(submission, reference, function, args, kwargs,
                                              finding, context)
                return spent[kind]
            _again(spent, kind)
            continue
        if kind == "square" and expected is not None:
            value, extra = _without_unit_axes(value, expected)
            # the square result is a relation of the reference's: it is explained, and when
            # the relation is not the probe's own (W transposed), the relation is the name
            spent[kind] = acceptance.square_name(_explained(
                finding, context, function, probe, kwargs, value, expected,
                unique=False, extra=extra))
            if spent[kind] is not None:
                return spent[kind]
            _again(spent, kind)
            continue
        # the probe's result must be the answer to the check's own question: the same values
        original = reference(*copy.deepcopy(_local(args, context.defined)),
                             **copy.deepcopy(kwargs))
        value, finding = probed.first_of_tuple(value, original, finding)
        if kind.endswith("columns"):
            value = _course_layout(value, original)
        elif kind == "params-transposed":
            value = probed.weight_gradients_back(value, original, probe)
        elif kind in ("flat", "vector-columns") and np.size(value) == np.size(original):
            value = np.reshape(value, np.shape(original))
        if probed.matches(value, original, close):
            if kind == "bias-column" and not probed.is_bias(
                    reference, next(j for j, (a, b) in enumerate(zip(args, probe)) if a is not b)):
                finding = probed.VECTOR_COLUMNS  # a column that is no bias: a column vector
            # a batch of one proves a 2-D batch only if the same values as a column, which
            # the reference answers alike, are answered right too: otherwise the function reads
            # the samples along the row
            if kind == "batch-of-one" and not acceptance.column_agrees(
                    submission, reference, function, args, kwargs, original, probed.matches):
                finding = probed.SAMPLES_AS_ROW  # a row of samples, not a batch of one
            spent[kind] = finding
            return finding
        # works there, with a mistake of its own: a relation of the answer to the question
        # asked (the original, read back in the course's layout), or to the probe's own
        asked = {"labels": (probe, expected)}.get(kind, (args, original))
        if asked is not None and asked[1] is not None:
            spent[kind] = _explained(finding, context, function, asked[0], kwargs,
                                     value, asked[1], unique=True)
            if spent[kind] is not None:
                return spent[kind]
        _again(spent, kind)
    return None


def _again(spent: dict, kind: str) -> None:
    """A probe that proved nothing: another check's inputs may tell (a helper f that takes 2-D
    only, a constant that only another h shows), so the kind may be probed again there; this
    attempt still counts against the budget."""
    del spent[kind]
    spent[f"spent-{len(spent)}"] = None


# Probes that read a matrix argument as a layer's weights: they prove nothing of a function that
# takes none (two label matrices transposed can match some other function by coincidence).
_WEIGHT_PROBES = {"columns", "square"}
_WEIGHT_NAME = re.compile(r"^(w\d*|weights?)$", re.IGNORECASE)


def _takes_weights(function) -> bool:
    """Whether the reference `function` takes a weight matrix (W, W1, weights)."""
    try:
        names = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return any(_WEIGHT_NAME.match(name) for name in names)


def _explained(finding, context, function, args, kwargs, value, expected, *, unique,
               extra=""):
    """`finding` with the relation (tier <= 3) that reproduces `value` from the reference on
    `args`, or None (or None when several do and `unique`)."""
    from autograder.checks.mistakes import ATOL, RTOL
    from autograder.diagnosis.reconstruct import evaluated

    fitted = [e.finding for e in evaluated(context.modules, function, args, kwargs, expected,
                                           RTOL, ATOL, context.defined)
              if e.finding.tier <= 3 and e.fits(value, RTOL, ATOL)]
    fitted += acceptance.value_relations(value, expected, args)  # a proved relation too
    fitted += probed.whole_array_normalised(value, expected, RTOL, ATOL)
    fitted += probed.columns_normalised(value, expected, RTOL, ATOL)
    if not fitted or (unique and len({f.id for f in fitted}) > 1):
        return None
    return acceptance.Explained(finding.id, finding.title, f"{finding.explanation} There: "
                                f"{fitted[0].explanation}{extra}", finding.tier,
                                finding.lecture, fitted[0])


def _without_unit_axes(value, expected):
    """`value` with each part that has an extra axis of length 1 (keepdims) reshaped to the
    expected part's shape, and a sentence that says so ("" when nothing was reshaped)."""
    if not (isinstance(expected, tuple) and isinstance(value, (tuple, list))
            and len(value) == len(expected)):
        return value, ""
    parts, changed = [], []
    for i, (v, e) in enumerate(zip(value, expected)):
        v_shape, e_shape = np.shape(v), np.shape(e)
        if v_shape != e_shape and len(v_shape) == len(e_shape) + 1 and 1 in v_shape \
                and int(np.prod(v_shape)) == int(np.prod(e_shape)):
            v = np.asarray(v).reshape(e_shape)
            changed.append(f"value {i + 1} has shape {v_shape}, not {e_shape}")
        parts.append(v)
    extra = f" Also, {'; '.join(changed)}: drop keepdims there." if changed else ""
    return tuple(parts), extra


def _reference(modules, function):
    for module in modules:
        found = getattr(module, function, None)
        if callable(found):
            return found
    return None
