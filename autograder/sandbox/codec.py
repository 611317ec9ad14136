"""The plain-data wire format between the grader and a student process.

Only data crosses: None, bools, ints, floats (nan and inf too), strings, lists, tuples, dicts with
string keys, NumPy arrays of numeric or bool dtype, and handles to functions that live on the
student's side. Nothing is pickled, so a decoded value can never run code in the grader.

This module must import nothing but the standard library and NumPy: the sandbox loads it too.
"""

import binascii
import json
import math

import numpy as np

ALLOWED_DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                  "uint64", "float16", "float32", "float64", "complex64", "complex128"}
MAX_DEPTH = 32
# In a call's answer, the arguments after the call when they are exactly as the request sent
# them (the grader keeps its own copy): not plain data of an argument list, so never mistaken.
SAME = "same"
MAX_ARRAY_BYTES = 256 * 1024 * 1024
# The allowed dtypes by their C-level type string ('<f8', '|b1'), native and little-endian
# (`dtype.name` is computed in Python, slowly), and each name's (little-endian, native) dtypes.
_NAME_OF = {np.dtype(name).newbyteorder(order).str: name
            for name in ALLOWED_DTYPES for order in ("=", "<")}
_DTYPES = {name: (np.dtype(name).newbyteorder("<"), np.dtype(name)) for name in ALLOWED_DTYPES}


class CodecError(ValueError):
    """A value cannot cross the boundary as plain data."""


class Remote:
    """A handle to a function defined on the student's side of the boundary."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = str(name)

    def __repr__(self):
        return f"<function {self.name} (student side)>"

    def __eq__(self, other):
        return isinstance(other, Remote) and other.name == self.name

    def __hash__(self):
        return hash(("Remote", self.name))


def to_plain(value, depth=0):
    """Turn `value` into JSON-able plain data, or raise CodecError."""
    if depth > MAX_DEPTH:
        raise CodecError("value is nested too deeply")
    # The kinds are disjoint, so the order only saves time: what a call sends most comes first.
    if isinstance(value, np.ndarray):
        return _array(value)
    if isinstance(value, list):
        return [to_plain(v, depth + 1) for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return {"$int": str(int(value))}
    if isinstance(value, (float, np.floating)):
        return _float(float(value))
    if isinstance(value, (complex, np.complexfloating)):
        return {"$complex": [_float(float(value.real)), _float(float(value.imag))]}
    if isinstance(value, Remote):
        return {"$remote": value.name}
    if isinstance(value, tuple):
        return {"$tuple": [to_plain(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        out = {}
        for key, v in value.items():
            if not isinstance(key, str):
                raise CodecError(f"dict keys must be strings, not {type(key).__name__}")
            out[key] = to_plain(v, depth + 1)
        return {"$dict": out}
    raise CodecError(f"a {type(value).__name__} cannot be sent as plain data")


def from_plain(data, depth=0):
    """Rebuild a value from plain data, accepting nothing but the forms `to_plain` writes."""
    if depth > MAX_DEPTH:
        raise CodecError("value is nested too deeply")
    # The kinds and tags are disjoint, so the order only saves time: lists and arrays first.
    if isinstance(data, list):
        return [from_plain(v, depth + 1) for v in data]
    if data is None or isinstance(data, (bool, str)):
        return data
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return data
    if not isinstance(data, dict) or len(data) != 1:
        raise CodecError("malformed plain data")
    (tag, body), = data.items()
    if tag == "$array":
        return _unarray(body)
    if tag == "$int":
        if not isinstance(body, str) or len(body) > 400:
            raise CodecError("malformed integer")
        return int(body)
    if tag == "$float":
        if body not in ("nan", "inf", "-inf"):
            raise CodecError("malformed float")
        return float(body)
    if tag == "$complex":
        re, im = (from_plain(v, depth + 1) for v in body)
        return complex(re, im)
    if tag == "$remote":
        return Remote(body)
    if tag == "$tuple":
        if not isinstance(body, list):
            raise CodecError("malformed tuple")
        return tuple(from_plain(v, depth + 1) for v in body)
    if tag == "$dict":
        if not isinstance(body, dict):
            raise CodecError("malformed dict")
        return {str(k): from_plain(v, depth + 1) for k, v in body.items()}
    raise CodecError(f"unknown tag {tag!r}")


def copied(value):
    """A fresh copy of decoded plain data: what decoding its plain data again would give."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [copied(v) for v in value]
    if isinstance(value, tuple):
        return tuple(copied(v) for v in value)
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    return value  # None, bool, int, float, complex, str: immutable


def dumps(value):
    return json.dumps(to_plain(value), allow_nan=False, separators=(",", ":"))


def loads(text):
    return from_plain(json.loads(text))


def _float(x):
    if math.isnan(x):
        return {"$float": "nan"}
    if math.isinf(x):
        return {"$float": "inf" if x > 0 else "-inf"}
    return x


def _array(a):
    dtype = a.dtype
    name = _NAME_OF.get(dtype.str)
    if name is None:  # another byte order, or not allowed
        if dtype.name not in ALLOWED_DTYPES:
            raise CodecError(f"arrays of dtype {dtype} cannot be sent as plain data")
        name = dtype.name
    if a.nbytes > MAX_ARRAY_BYTES:
        raise CodecError("array is too large")
    little = _DTYPES[name][0]
    data = a.tobytes() if dtype.str == little.str else a.astype(little).tobytes()  # C order
    return {"$array": {"dtype": name, "shape": list(a.shape),
                       "data": binascii.b2a_base64(data, newline=False).decode()}}


def _unarray(body):
    if not isinstance(body, dict) or set(body) != {"dtype", "shape", "data"}:
        raise CodecError("malformed array")
    dtype, shape, data = body["dtype"], body["shape"], body["data"]
    if dtype not in ALLOWED_DTYPES:
        raise CodecError(f"arrays of dtype {dtype!r} are not accepted")
    if not isinstance(shape, list) or not all(isinstance(n, int) and n >= 0 for n in shape):
        raise CodecError("malformed array shape")
    if not isinstance(data, str):
        raise CodecError("malformed array data")
    raw = binascii.a2b_base64(data, strict_mode=True)  # base64 only, checked in C
    dt, native = _DTYPES[dtype]
    if len(raw) != math.prod(shape) * dt.itemsize:
        raise CodecError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dt).reshape(shape).astype(native)  # a copy


def same(a, b, depth=0):
    """Whether `a` and `b` cross the boundary as the same plain data (what `to_plain` writes
    would be equal, -0.0 and nan payloads in arrays included), without encoding either. Arrays
    of one dtype in two byte orders count as different: a false "different" only costs a round
    trip, a false "same" would be wrong."""
    kind = type(a)
    if kind is not type(b):
        kind = _kind(a)
        if kind is None or kind not in ("int", "float", "bool") or kind != _kind(b):
            return False
    if kind is np.ndarray:
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if kind is tuple or kind is list:
        return (len(a) == len(b) and depth < MAX_DEPTH
                and all(same(x, y, depth + 1) for x, y in zip(a, b)))
    if kind is dict:
        return (list(a) == list(b) and depth < MAX_DEPTH and all(type(k) is str for k in a)
                and all(same(a[k], b[k], depth + 1) for k in a))
    if kind is str or a is None:
        return a == b
    kind = _kind(a) if not isinstance(kind, str) else kind
    if kind == "bool":
        return bool(a) == bool(b)
    if kind == "int":
        return int(a) == int(b)
    if kind == "float":
        return _same_float(float(a), float(b))
    if kind == "complex":
        return _same_float(a.real, b.real) and _same_float(a.imag, b.imag)
    if kind == "remote":
        return a.name == b.name
    return False


def mentions_remote(value, depth=0):
    """Whether plain data holds a handle to a function on the student's side."""
    if isinstance(value, Remote):
        return True
    if depth > MAX_DEPTH or not isinstance(value, (list, tuple, dict)):
        return False
    items = value.values() if isinstance(value, dict) else value
    return any(mentions_remote(v, depth + 1) for v in items)


def _kind(value):
    """The kind of plain data `value` crosses as (None: it cannot cross)."""
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    for kind, types in (("int", (int, np.integer)), ("float", (float, np.floating)),
                        ("complex", (complex, np.complexfloating)), ("remote", Remote)):
        if isinstance(value, types):
            return kind
    return None


def _same_float(x, y):
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)
