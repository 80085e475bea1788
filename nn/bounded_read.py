"""Bounded reads of untrusted files: sizes from headers in exact integers, a ceiling, streaming into a buffer."""
from __future__ import annotations

import math
from typing import IO, Sequence

import numpy as np

DEFAULT_MAX_BYTES = 2**30
"""The default ceiling (1 GiB) on the bytes one array read from a file may take; callers can raise it."""

_CHUNK = 1 << 20


def human(nbytes: int) -> str:
    """1073741824 -> '1 GiB'; the figure quoted next to an exact byte count in error messages."""
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if nbytes >= size:
            return f"{nbytes / size:.3g} {unit}"
    return f"{nbytes} B"


def checked_max_bytes(where: str, max_bytes: int) -> int:
    """`max_bytes` as an int >= 0, or a ValueError naming `where`."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, (int, np.integer)) or max_bytes < 0:
        raise ValueError(f"{where}: max_bytes must be a non-negative integer, got {max_bytes!r}")
    return int(max_bytes)


def array_nbytes(where: str, field: str, shape: Sequence[int], itemsize: int, max_bytes: int) -> int:
    """prod(shape) * itemsize in Python integers (no overflow), refused above `max_bytes`.

    The message names the file (`where`), the header field and the limit, and says how to raise it.
    """
    nbytes = math.prod(int(d) for d in shape) * int(itemsize)
    if nbytes > max_bytes:
        raise ValueError(f"{where}: {field} {tuple(int(d) for d in shape)} of {itemsize}-byte items would take "
                         f"{nbytes} bytes ({human(nbytes)}), over the limit max_bytes={max_bytes} "
                         f"({human(max_bytes)}); pass a larger max_bytes if the file is trusted")
    return nbytes


def read_exact(f: IO[bytes], nbytes: int, where: str, what: str) -> np.ndarray:
    """Exactly `nbytes` bytes of `f` as a uint8 array, read in 1 MiB chunks into one preallocated buffer.

    Memory never exceeds what the header promised; a stream that ends early raises a ValueError naming
    `where`, `what` was being read, and how many bytes were expected and found.
    """
    buf = np.empty(nbytes, dtype=np.uint8)
    view, got = buf.data, 0
    while got < nbytes:
        n = f.readinto(view[got:got + _CHUNK])  # type: ignore[attr-defined]
        if not n:
            raise ValueError(f"{where}: {what} is truncated: the header promises {nbytes} bytes, "
                             f"the file holds {got}")
        got += n
    return buf
