"""Vectorised hashing and text formatting for the generator.

Every function takes numpy arrays and returns numpy arrays or pyarrow string
arrays; nothing loops over rows in Python.  Identifiers are built so that no
run of 13 or more digits can appear in them (a card-number look-alike): hex
identifiers force a letter every eight characters and decimal ones are at
most ten digits long.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["mix64", "hex_ids", "padded_ids", "ipv4_text", "ipv6_text", "concat", "take"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def mix64(x: np.ndarray, salt: int = 0) -> np.ndarray:
    """SplitMix64 finaliser of ``x + salt``: a bijective, well-mixed 64-bit hash.

    Parameters
    ----------
    x : integer array (any shape); interpreted as uint64.
    salt : added before mixing, so different salts give independent streams.
    """
    z = np.asarray(x).astype(np.uint64) + np.uint64(salt & 0xFFFFFFFFFFFFFFFF) + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@lru_cache(maxsize=None)
def _byte_tables() -> tuple[np.ndarray, np.ndarray]:
    """Two ASCII hex characters per byte value; the second table starts with a letter."""
    plain = np.array([list(f"{b:02x}".encode()) for b in range(256)], dtype=np.uint8)
    lettered = np.array([list(("abcdef"[(b >> 4) % 6] + f"{b & 15:x}").encode()) for b in range(256)], dtype=np.uint8)
    return plain, lettered


def hex_ids(keys: np.ndarray, prefix: str = "") -> pa.Array:
    """``prefix`` + 16 lower-case hex characters of each uint64 key.

    The first and the ninth character are always letters, so the longest run
    of digits is seven.  Distinct keys give distinct strings except for
    negligible collisions (about 2**-60 per pair).  The text is assembled as
    one fixed-width byte matrix, then handed to pyarrow.
    """
    keys = np.asarray(keys).astype(np.uint64)
    plain, lettered = _byte_tables()
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    width = len(head) + 16
    out = np.empty((len(keys), width), dtype=np.uint8)
    out[:, : len(head)] = head
    raw = keys.astype(">u8").view(np.uint8).reshape(-1, 8)  # most significant byte first
    for i in range(8):
        table = lettered if i in (0, 4) else plain
        out[:, len(head) + 2 * i: len(head) + 2 * i + 2] = table[raw[:, i]]
    return _fixed_width_strings(out)


def _fixed_width_strings(chars: np.ndarray) -> pa.Array:
    """A string array (one contiguous array, never chunked) over the rows of a byte matrix."""
    n, width = chars.shape
    large = n * width >= 2**31
    offsets = np.arange(n + 1, dtype=np.int64 if large else np.int32) * width
    kind = pa.large_string() if large else pa.string()
    return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(offsets), pa.py_buffer(chars.reshape(-1))])


def padded_ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded decimal numbers (at most 10 digits)."""
    if width > 10:
        raise ValueError("identifier numbers are limited to 10 digits")
    text = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), width, "0")
    return concat(prefix, text)


@lru_cache(maxsize=None)
def _decimal_table() -> pa.Array:
    return pa.array([str(i) for i in range(256)])


@lru_cache(maxsize=None)
def _hextet_table() -> pa.Array:
    return pa.array([f"{i:x}" for i in range(65536)])


def ipv4_text(addr: np.ndarray) -> pa.Array:
    """Dotted-quad text of uint32 addresses."""
    addr = np.asarray(addr).astype(np.uint32)
    table = _decimal_table()
    octets = [table.take(pa.array(((addr >> np.uint32(s)) & np.uint32(255)).astype(np.int32))) for s in (24, 16, 8, 0)]
    return pc.binary_join_element_wise(*octets, ".")


def ipv6_text(hi: np.ndarray, lo: np.ndarray) -> pa.Array:
    """Full (uncompressed, lower-case) text of IPv6 addresses given as two uint64 halves."""
    table = _hextet_table()
    parts = []
    for half in (np.asarray(hi).astype(np.uint64), np.asarray(lo).astype(np.uint64)):
        for s in (48, 32, 16, 0):
            parts.append(table.take(pa.array(((half >> np.uint64(s)) & np.uint64(0xFFFF)).astype(np.int32))))
    return pc.binary_join_element_wise(*parts, ":")


def concat(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of string arrays and string constants."""
    args = [pa.scalar(p, pa.string()) if isinstance(p, str) else p for p in parts]
    if not any(isinstance(a, (pa.Array, pa.ChunkedArray)) for a in args):
        raise ValueError("concat needs at least one array")
    return pc.binary_join_element_wise(*args, "")


def take(values: list[str] | tuple[str, ...] | pa.Array, index: np.ndarray) -> pa.Array:
    """``values[index]`` as a pyarrow string array (index -1 gives null)."""
    table = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    index = np.asarray(index, dtype=np.int64)
    mask = index < 0
    return table.take(pa.array(np.where(mask, 0, index), mask=mask if mask.any() else None))
