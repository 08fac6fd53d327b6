"""Plain data across the sandbox boundary: numbers, strings, numeric arrays and containers of them, no pickle.

A message is one frame on a stream socket: an 8-byte header (two little-endian uint32: the length of a
JSON document and the number of binary blobs), the JSON document, then each blob as an 8-byte length and
its bytes. Arrays travel as ``{"nd": dtype, "shape": [...], "blob": i}`` with a numeric or bool dtype;
tuples, lists and dicts are tagged so that they come back as what they were. ``decode`` trusts nothing:
any other type, dtype, nesting deeper than ``MAX_DEPTH`` or a frame over ``max_bytes`` is refused, and
values of a type that cannot cross (a learner's object, a function) arrive as an ``Opaque`` placeholder
that only names the type.

One direction may carry more: the *trusted* side encodes the fixtures it sends with ``trusted=True``, so
objects of its own (a random Generator, a cost function an exercise takes as an argument) travel pickled,
and only the sandbox decodes with ``allow_pickled=True``. Nothing the sandbox sends is ever unpickled.
"""

import json
import pickle
import re
import socket
import struct

import numpy as np

MAX_DEPTH = 32
MAX_FRAME = 64 * 2**20  # far above any course fixture or result
_DTYPE = re.compile(r"^[<>|=]?[biuf]\d{1,2}$")
_NAME = re.compile(r"[^A-Za-z0-9_.]")


class WireError(Exception):
    """The other side sent something that is not a well-formed message of plain data."""


class Opaque:
    """Stands in for a value that could not cross the boundary; ``kind`` is its type's name."""

    def __init__(self, kind):
        self.kind = kind

    def __repr__(self):
        return f"<a {self.kind}>"


def opaque(kind):
    """An ``Opaque`` whose class is named after the learner's type, so messages read 'got a Cheat'."""
    name = _NAME.sub("_", str(kind))[:60] or "object"
    return type(name, (Opaque,), {})(name)


def _encode(value, blobs, depth, trusted=False):
    if depth > MAX_DEPTH:
        return {"opaque": "deeply nested structure"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and type(value) in (int, float):
        return {"float": repr(value)} if isinstance(value, float) and not np.isfinite(value) else value
    if type(value) is np.ndarray or (isinstance(value, np.generic) and type(value).__module__ == "numpy"):
        arr = np.asarray(value)
        if arr.dtype.kind not in "biuf":
            return {"opaque": f"array of {arr.dtype}"}
        blobs.append(np.ascontiguousarray(arr).tobytes())
        return {"nd": arr.dtype.str, "shape": list(arr.shape), "blob": len(blobs) - 1, "scalar": arr is not value}
    if type(value) in (tuple, list):
        return {type(value).__name__: [_encode(v, blobs, depth + 1, trusted) for v in value]}
    if type(value) is dict and all(type(k) in (str, int) for k in value):
        return {"dict": [[k, _encode(v, blobs, depth + 1, trusted)] for k, v in value.items()]}
    if trusted:
        blobs.append(pickle.dumps(value))
        return {"pickled": len(blobs) - 1}
    if type(value) is dict:
        return {"opaque": "dict with keys that are not strings or integers"}
    return {"opaque": type(value).__name__}


def encode(value, trusted=False):
    """(JSON-able document, list of blobs) for plain data; anything else becomes an opaque marker, or, from
    the trusted side (``trusted=True``), a pickle of the grader's own object."""
    blobs = []
    return _encode(value, blobs, 0, trusted), blobs


def _decode(doc, blobs, depth, allow_pickled=False):
    if depth > MAX_DEPTH:
        raise WireError("nesting too deep")
    if doc is None or isinstance(doc, (bool, int, float, str)):
        return doc
    if not isinstance(doc, dict) or len(doc) not in (1, 4):
        raise WireError("malformed value")
    if "nd" in doc:
        dtype, shape, index = doc["nd"], doc["shape"], doc["blob"]
        if not (isinstance(dtype, str) and _DTYPE.match(dtype) and isinstance(shape, list)
                and all(type(n) is int and n >= 0 for n in shape) and type(index) is int and 0 <= index < len(blobs)):
            raise WireError("malformed array")
        dt = np.dtype(dtype)
        if dt.kind not in "biuf" or dt.itemsize * int(np.prod(shape, dtype=np.int64)) != len(blobs[index]):
            raise WireError("array size does not match its data")
        arr = np.frombuffer(blobs[index], dtype=dt).reshape(shape).copy()
        return arr[()] if doc.get("scalar") is True and arr.ndim == 0 else arr
    (tag, body), = doc.items()
    if tag == "float" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "opaque" and isinstance(body, str):
        return opaque(body)
    if tag == "pickled" and allow_pickled and type(body) is int and 0 <= body < len(blobs):
        return pickle.loads(blobs[body])
    if tag in ("tuple", "list") and isinstance(body, list):
        items = [_decode(v, blobs, depth + 1, allow_pickled) for v in body]
        return tuple(items) if tag == "tuple" else items
    if tag == "dict" and isinstance(body, list):
        if not all(isinstance(p, list) and len(p) == 2 and type(p[0]) in (str, int) for p in body):
            raise WireError("malformed dict")
        return {k: _decode(v, blobs, depth + 1, allow_pickled) for k, v in body}
    raise WireError(f"unknown value tag {tag!r}")


def decode(doc, blobs, allow_pickled=False):
    """The plain value a document and its blobs describe; raises ``WireError`` on anything else.

    ``allow_pickled`` is for the sandbox reading the trusted grader's fixtures, never the other way round.
    """
    return _decode(doc, blobs, 0, allow_pickled)


def _recv_exactly(sock, n):
    chunks, left = [], n
    while left:
        chunk = sock.recv(min(left, 2**20))
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def send(sock, message, blobs=()):
    """Send a JSON-able ``message`` and its binary ``blobs`` as one frame."""
    body = json.dumps(message).encode()
    parts = [struct.pack("<II", len(body), len(blobs)), body]
    for blob in blobs:
        parts += [struct.pack("<Q", len(blob)), blob]
    sock.sendall(b"".join(parts))


def recv(sock, max_bytes=MAX_FRAME):
    """(message, blobs) of the next frame; ``WireError`` when it is malformed or larger than ``max_bytes``."""
    size, count = struct.unpack("<II", _recv_exactly(sock, 8))
    if size > max_bytes or count > 2**20:
        raise WireError(f"a message of {size} bytes is over the limit")
    try:
        message = json.loads(_recv_exactly(sock, size))
    except ValueError as exc:
        raise WireError(f"not JSON: {exc}") from None
    blobs, total = [], size
    for _ in range(count):
        (n,) = struct.unpack("<Q", _recv_exactly(sock, 8))
        total += n
        if total > max_bytes:
            raise WireError(f"more than {max_bytes // 2**20} MiB of data")
        blobs.append(_recv_exactly(sock, n))
    return message, blobs


def socketpair():
    """A connected pair of stream sockets."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
