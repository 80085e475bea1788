"""Read MNIST-style IDX files (plain or gzip-compressed) that the user downloaded, within a memory ceiling.

IDX layout (big-endian): two zero bytes, a type code byte, a byte giving the number of
dimensions d, then d unsigned 32-bit sizes, then prod(sizes) items of the type.
Type codes: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
Compression is detected by the gzip magic bytes 1f 8b, not by the file name. The header is read
and checked first; then exactly the promised bytes are streamed into one buffer, so a hostile
header or a decompression bomb fails before memory grows past the ceiling (`max_bytes`).
"""
from __future__ import annotations

import gzip
import os
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Iterator

import numpy as np

from autograd_core.files import open_input, write_bytes

from ..bounded_read import DEFAULT_MAX_BYTES, array_nbytes, checked_max_bytes, read_exact

IDX_TYPES: dict[int, np.dtype[Any]] = {0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"),
             0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
IDX_MAX_DIMS = 32
"""The most dimensions an IDX header may declare (numpy 1's limit; MNIST uses 1 and 3)."""
_GZIP_MAGIC = b"\x1f\x8b"


@contextmanager
def _open(path: Path, where: str) -> Iterator[tuple[BinaryIO, bool, int]]:
    """(the regular file opened for reading, through a streaming gzip reader when it starts with 1f 8b;
    whether it is gzipped; its size on disk). A device, FIFO or folder is refused before reading."""
    raw, size = open_input(path, where)
    with raw:
        gz = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        if not gz:
            yield raw, False, size
            return
        try:
            with gzip.GzipFile(fileobj=raw, mode="rb") as f:
                yield f, True, size  # type: ignore[misc]
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise ValueError(f"{where}: gzip data is corrupt or truncated ({exc})") from None


def _read_header(f: BinaryIO, where: str) -> tuple[np.dtype, tuple[int, ...], int]:
    """(dtype, dims, header length), validating magic, type code, dimension count and sizes."""
    head = f.read(4)
    if len(head) < 4:
        raise ValueError(f"{where}: file is {len(head)} bytes, too short for an IDX header (4 bytes)")
    if head[0] != 0 or head[1] != 0:
        raise ValueError(f"{where}: not an IDX file (magic number starts with bytes "
                         f"{head[0]:#04x} {head[1]:#04x}, expected 0x00 0x00)")
    code, ndim = head[2], head[3]
    if code not in IDX_TYPES:
        known = ", ".join(f"{c:#04x}" for c in IDX_TYPES)
        raise ValueError(f"{where}: unknown IDX type code {code:#04x} (expected one of {known})")
    if not 1 <= ndim <= IDX_MAX_DIMS:
        raise ValueError(f"{where}: header field 'number of dimensions' is {ndim}, expected 1 to {IDX_MAX_DIMS}")
    sizes = f.read(4 * ndim)
    if len(sizes) < 4 * ndim:
        raise ValueError(f"{where}: file is {4 + len(sizes)} bytes, too short for the {ndim} "
                         f"dimension sizes its header declares (needs {4 + 4 * ndim} bytes)")
    dims = tuple(int.from_bytes(sizes[i:i + 4], "big") for i in range(0, 4 * ndim, 4))
    return IDX_TYPES[code], dims, 4 + 4 * ndim


def _check_length(size: int, where: str, header: int, nbytes: int, dims: tuple[int, ...], itemsize: int) -> None:
    """For an uncompressed file: its size on disk must be the header plus exactly the promised data."""
    expected = header + nbytes
    if size != expected:
        raise ValueError(f"{where}: data length does not match the header: dims {dims} of "
                         f"{itemsize}-byte items need {expected} bytes, the file has {size}"
                         f"{' (truncated?)' if size < expected else ' (trailing bytes)'}")


def _read_body(f: BinaryIO, gz: bool, size: int, where: str, dtype: np.dtype, dims: tuple[int, ...],
               header: int, nbytes: int) -> np.ndarray:
    """Exactly the promised data (a plain file's size is checked first, a gzip stream must end there),
    in native byte order."""
    if not gz:
        _check_length(size, where, header, nbytes, dims, dtype.itemsize)
    buf = read_exact(f, nbytes, where, "the data")
    if gz and f.read(1):
        raise ValueError(f"{where}: data length does not match the header: dims {dims} of {dtype.itemsize}-byte "
                         f"items need {header + nbytes} bytes, the decompressed file has more (trailing bytes)")
    data = buf.view(dtype).reshape(dims)
    if not dtype.isnative:
        data = data.byteswap(inplace=True).view(dtype.newbyteorder())
    return data


def idx_header(path: str | os.PathLike) -> tuple[np.dtype, tuple[int, ...]]:
    """(dtype, dimension sizes) of an IDX file, from its header alone (no data is read)."""
    where = f"read_idx: {path}"
    with _open(Path(path), where) as (f, _, _):
        dtype, dims, _ = _read_header(f, where)
    return dtype, dims


def read_idx(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> np.ndarray:
    """The array stored in one IDX file (plain or gzipped), in native byte order.

    The header is checked before any data is read: at most 32 dimensions, and prod(sizes) *
    itemsize (computed exactly) at most `max_bytes` (default 1 GiB; raise it for larger trusted
    files). Every error is a ValueError naming the file and the header field at fault; only a
    regular file is opened (a device, FIFO or folder raises NotRegularFileError, an OSError).
    """
    path = Path(path)
    where = f"read_idx: {path}"
    max_bytes = checked_max_bytes("read_idx", max_bytes)
    with _open(path, where) as (f, gz, size):
        dtype, dims, header = _read_header(f, where)
        nbytes = array_nbytes(where, "header field 'dimension sizes'", dims, dtype.itemsize, max_bytes)
        return _read_body(f, gz, size, where, dtype, dims, header, nbytes)


def write_idx(path: str | os.PathLike, array: np.ndarray, *, compress: bool | None = None) -> None:
    """Write `array` as an IDX file (gzipped when `compress`, or by default when the name ends in .gz)."""
    path = Path(path)
    array = np.asarray(array)
    codes = {np.dtype(t).newbyteorder("="): c for c, t in IDX_TYPES.items()}
    native = array.dtype.newbyteorder("=")
    if native not in codes:
        raise TypeError(f"write_idx: dtype {array.dtype} has no IDX type code "
                        f"(use uint8, int8, int16, int32, float32 or float64)")
    code = codes[native]
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes()
    body = header + array.astype(IDX_TYPES[code]).tobytes()
    compress = path.name.endswith(".gz") if compress is None else compress
    write_bytes(path, gzip.compress(body) if compress else body, "write_idx")


def _find(directory: Path, stem: str, kind: str) -> Path:
    """The file for e.g. stem='train', kind='images': train-images-idx3-ubyte (also .gz, and the
    'train-images.idx3-ubyte' spelling)."""
    dims = "3" if kind == "images" else "1"
    names = [f"{stem}-{kind}-idx{dims}-ubyte", f"{stem}-{kind}.idx{dims}-ubyte"]
    for name in names:
        for candidate in (directory / name, directory / (name + ".gz")):
            if os.path.lexists(candidate):   # whatever it is: reading it says why it cannot be used
                return candidate
    raise FileNotFoundError(f"load_mnist: no {kind} file in {directory} (looked for {names[0]}[.gz] "
                            f"and {names[1]}[.gz]); download MNIST's IDX files there first")


def _budget(img_path: Path, lab_path: Path, max_bytes: int) -> None:
    """Refuse, from the headers alone, files whose arrays as load_mnist returns them (uint8 read, then a
    float64 copy of the images and an int64 copy of the labels: 9 bytes per item) exceed `max_bytes`."""
    for path, what, out in ((img_path, "images", "float64"), (lab_path, "labels", "int64")):
        dtype, dims = idx_header(path)
        array_nbytes(f"load_mnist: {path}", f"{what} read as {dtype} plus their {out} copy:",
                     dims, dtype.itemsize + 8, max_bytes)


def load_mnist(path: str | os.PathLike, split: str = "train", *, normalize: bool = True,
               flatten: bool = True, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[np.ndarray, np.ndarray]:
    """MNIST (or Fashion-MNIST) from a directory holding the IDX files.

    `split` is "train" (train-*) or "test" (t10k-*). Returns X float64 of shape (n, 784) (or
    (n, 28, 28) with flatten=False), scaled to [0, 1] when `normalize`, and y int64 (n,).
    `max_bytes` (default 1 GiB) bounds each file's arrays as returned: its raw items plus their
    8-byte copy, decided from the headers before any data is read.
    """
    stems = {"train": "train", "test": "t10k"}
    if split not in stems:
        raise ValueError(f"load_mnist: split must be 'train' or 'test', got {split!r}")
    directory = Path(path)
    if not directory.is_dir():
        raise FileNotFoundError(f"load_mnist: {directory} is not a directory")
    img_path, lab_path = _find(directory, stems[split], "images"), _find(directory, stems[split], "labels")
    _budget(img_path, lab_path, checked_max_bytes("load_mnist", max_bytes))
    images, labels = read_idx(img_path, max_bytes=max_bytes), read_idx(lab_path, max_bytes=max_bytes)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(f"load_mnist: {img_path}: expected 3-D uint8 images, got {images.ndim}-D {images.dtype} "
                         f"with shape {images.shape}")
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise ValueError(f"load_mnist: {lab_path}: expected 1-D uint8 labels, got shape {labels.shape} {labels.dtype}")
    if len(images) != len(labels):
        raise ValueError(f"load_mnist: {img_path} holds {len(images)} images but {lab_path} holds "
                         f"{len(labels)} labels")
    X = images.astype(np.float64)
    if normalize:
        X /= 255.0      # in place: the peak is the uint8 images and one float64 copy, as budgeted
    return (X.reshape(len(X), -1) if flatten else X), labels.astype(np.int64)
