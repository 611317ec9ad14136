"""A reduction where an elementwise operation belongs: np.max(z, 0) reduces z to its largest
values along axis 0, where np.maximum(z, 0) compares each element with 0 (and np.min with
np.minimum alike). The result is the input reduced, not a function of each element.
"""

from __future__ import annotations

import numpy as np

from autograder.diagnosis.relations import Finding, _arr, close

_PAIRS = (("max", np.max, "maximum"), ("min", np.min, "minimum"))


def reduced_input(actual, expected, args, rtol, atol) -> list[Finding]:
    """The finding where `actual` is np.max or np.min of an array argument shaped like the
    expected result, over an axis or over all of it, and the expected result varies."""
    a, e = _arr(actual), _arr(expected)
    if a is None or e is None or e.size < 2 or a.shape == e.shape or np.all(e == e.flat[0]):
        return []
    for i, x in enumerate(args):
        x = _arr(x) if isinstance(x, np.ndarray) else None
        if x is None or x.shape != e.shape or np.all(x == x.flat[0]):
            continue
        for name, reduce, elementwise in _PAIRS:
            for axis in (None, *range(x.ndim)):
                if close(a, reduce(x, axis=axis), rtol, atol):
                    where = "all of it" if axis is None else f"axis {axis}"
                    return [Finding(
                        f"reduced-with-np-{name}", f"np.{name} where np.{elementwise} belongs",
                        f"your result is np.{name} of argument {i + 1} over {where}: np.{name} "
                        f"reduces an array to its {'largest' if name == 'max' else 'smallest'} "
                        f"values, and np.{name}(z, 0) reads the 0 as an axis. To compare every "
                        f"element with a number, use np.{elementwise}(0, z), which keeps z's "
                        "shape.", 3)]
    return []
