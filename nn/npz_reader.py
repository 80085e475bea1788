"""Read an .npz archive without trusting it: names, dtypes and shapes are checked before any data is read.

The zip directory gives each entry's name and uncompressed size; each entry's .npy header gives its
dtype and shape. Only when every entry is a numeric array whose header promises exactly the bytes
the directory declares, and their total is within the ceiling `max_bytes`, is data read, streamed
into one buffer per array. A decompression bomb or a header claiming 10^12 items fails at once.
"""
from __future__ import annotations

import struct
import zipfile
from typing import IO, NamedTuple

import numpy as np
from numpy.lib import format as npy_format

from .bounded_read import array_nbytes, human, read_exact

MAX_ENTRIES = 10_000
"""The most arrays one archive may hold (a model's state dict has a few hundred at most)."""
MAX_DIRECTORY = MAX_ENTRIES * 1024
"""The most bytes the zip directory may take (zipfile reads and parses all of it before any check)."""
MAX_HEADER = 10_000
"""The longest .npy header accepted, in bytes (numpy's own default limit)."""
MAX_DIMENSION = 2**63 - 1
"""The largest size an .npy header may give one dimension (numpy's own bound: a C ssize_t)."""
_END = struct.Struct("<4s4H2LH")      # end of central directory record, 22 bytes
_END64 = struct.Struct("<4sQ2H2L4Q")  # zip64 end of central directory record, 56 bytes
_NUMERIC = "biuf"


class NpzError(ValueError):
    """The archive is not a set of plain numeric .npy arrays within the size limit (message names the file)."""


class Entry(NamedTuple):
    """One array of the archive as its directory and header describe it, before any data is read."""

    key: str
    info: zipfile.ZipInfo
    dtype: np.dtype
    shape: tuple[int, ...]
    fortran: bool
    header: int
    nbytes: int


def _end_counts(f: IO[bytes], size: int, where: str) -> tuple[int, int]:
    """(entries, directory bytes) as the archive's end record declares them (the zip64 record's when
    there is one), read from the last 64 KiB + 22 bytes of the file, before zipfile sees it."""
    tail_start = max(0, size - (_END.size + 0xFFFF))
    f.seek(tail_start)
    tail = f.read(size - tail_start)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        raise zipfile.BadZipFile(f"no zip end-of-directory record in its last {len(tail)} bytes")
    _, _, _, _, entries, directory, _, _ = _END.unpack_from(tail, at)
    end = tail_start + at
    if end >= 20:
        f.seek(end - 20)
        locator = f.read(20)
        if locator[:4] == b"PK\x06\x07":
            (offset,) = struct.unpack_from("<Q", locator, 8)
            f.seek(min(offset, size))
            record = f.read(_END64.size)
            if len(record) < _END64.size or record[:4] != b"PK\x06\x06":
                raise zipfile.BadZipFile(f"the zip64 end record it points to (offset {offset}) is missing")
            entries, directory = _END64.unpack(record)[7:9]
    return entries, directory


def check_end_record(f: IO[bytes], size: int, where: str) -> None:
    """Refuse an archive whose end record declares more than MAX_ENTRIES entries or a directory over
    MAX_DIRECTORY bytes, before the directory is parsed (a 1 M-entry zip costs nothing to refuse)."""
    entries, directory = _end_counts(f, size, where)
    if entries > MAX_ENTRIES:
        raise NpzError(f"{where}: the zip end record declares {entries} entries, over the limit of {MAX_ENTRIES}")
    if directory > MAX_DIRECTORY:
        raise NpzError(f"{where}: the zip end record declares a directory of {directory} bytes "
                       f"({human(directory)}), over the limit of {MAX_DIRECTORY} bytes ({human(MAX_DIRECTORY)})")


def _bounded(where: str, field: str, value: object, hi: int) -> int:
    """A header number as an int from 0 to `hi`, else NpzError naming the field (no OverflowError later)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise NpzError(f"{where}: header field {field!r} must be a whole number, got {type(value).__name__}")
    if not 0 <= value <= hi:
        text = str(value) if value.bit_length() < 200 else f"a {len(str(abs(value)))}-digit number"
        raise NpzError(f"{where}: header field {field!r} is {text}, expected 0 to {hi}")
    return value


def _header(f: IO[bytes], where: str) -> tuple[tuple[int, ...], bool, np.dtype]:
    """(shape, fortran_order, dtype) from an .npy header (versions 1.0 and 2.0), every dimension an
    integer from 0 to MAX_DIMENSION."""
    version = npy_format.read_magic(f)
    try:
        if version == (1, 0):
            shape, fortran, dtype = npy_format.read_array_header_1_0(f, max_header_size=MAX_HEADER)
        elif version == (2, 0):
            shape, fortran, dtype = npy_format.read_array_header_2_0(f, max_header_size=MAX_HEADER)
        else:
            raise NpzError(f"{where}: .npy format version {version[0]}.{version[1]} is not supported (1.0 or 2.0)")
    except (OverflowError, TypeError) as exc:
        raise NpzError(f"{where}: the .npy header is not valid: {exc}") from None
    dims = tuple(_bounded(where, f"shape[{k}]", d, MAX_DIMENSION) for k, d in enumerate(shape))
    return dims, bool(fortran), dtype


def _entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, max_bytes: int) -> Entry:
    """Check one directory entry and its .npy header (its data alone within `max_bytes`)."""
    name = info.filename
    key = name[:-4]
    where = f"{where}: entry {name!r}"
    if not name.endswith(".npy") or not key or not key.isprintable():
        raise NpzError(f"{where}: expected entries named NAME.npy with a printable NAME")
    if info.flag_bits & 0x1:
        raise NpzError(f"{where}: the entry is encrypted")
    if info.file_size > max_bytes + MAX_HEADER + 16:
        raise NpzError(f"{where}: the zip directory gives {info.file_size} bytes ({human(info.file_size)}) "
                       f"uncompressed, over the limit max_bytes={max_bytes} ({human(max_bytes)}); pass a "
                       f"larger max_bytes if the file is trusted")
    with zf.open(info) as f:
        shape, fortran, dtype = _header(f, where)
        header = f.tell()
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None or dtype.kind not in _NUMERIC:
        raise NpzError(f"{where}: dtype {dtype} is not a plain numeric type (bool, int, uint or float)")
    try:
        nbytes = array_nbytes(where, "header field 'shape'", shape, dtype.itemsize, max_bytes)
    except ValueError as exc:
        raise NpzError(str(exc)) from None
    if header + nbytes != info.file_size:
        raise NpzError(f"{where}: the .npy header promises shape {shape} of {dtype} ({header + nbytes} bytes "
                       f"with the header) but the zip directory gives {info.file_size} bytes")
    return Entry(key, info, dtype, tuple(shape), fortran, header, nbytes)


def read_directory(zf: zipfile.ZipFile, where: str, max_bytes: int) -> list[Entry]:
    """Every entry checked (name, encryption, dtype, shape, size) with the total within `max_bytes`."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise NpzError(f"{where}: the archive holds {len(infos)} entries, over the limit of {MAX_ENTRIES}")
    entries: list[Entry] = []
    seen: set[str] = set()
    total = 0
    for info in infos:
        entry = _entry(zf, info, where, max_bytes)
        if entry.key in seen:
            raise NpzError(f"{where}: entry {info.filename!r} appears twice")
        total += entry.nbytes
        if total > max_bytes:
            raise NpzError(f"{where}: the arrays up to entry {info.filename!r} take {total} bytes ({human(total)}), "
                           f"over the limit max_bytes={max_bytes} ({human(max_bytes)}); pass a larger "
                           f"max_bytes if the file is trusted")
        seen.add(entry.key)
        entries.append(entry)
    return entries


def read_entry(zf: zipfile.ZipFile, entry: Entry, where: str) -> np.ndarray:
    """The array of a checked entry, streamed into a buffer of exactly entry.nbytes."""
    with zf.open(entry.info) as f:
        f.read(entry.header)
        buf = read_exact(f, entry.nbytes, f"{where}: entry {entry.info.filename!r}", "the data")
    return buf.view(entry.dtype).reshape(entry.shape, order="F" if entry.fortran else "C")
