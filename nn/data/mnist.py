"""Read MNIST-style IDX files (plain or gzip-compressed) that the user downloaded.

IDX layout (big-endian): two zero bytes, a type code byte, a byte giving the number of
dimensions d, then d unsigned 32-bit sizes, then prod(sizes) items of the type.
Type codes: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
Compression is detected by the gzip magic bytes 1f 8b, not by the file name.
"""
from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

IDX_TYPES = {0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"),
             0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
_GZIP_MAGIC = b"\x1f\x8b"


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as exc:
        raise ValueError(f"read_idx: {path}: gzip data is corrupt or truncated ({exc})") from None


def _parse_header(raw: bytes, path: Path) -> tuple[np.dtype, tuple[int, ...], int]:
    """(dtype, dims, offset of the first data byte), validating magic, type code and sizes."""
    if len(raw) < 4:
        raise ValueError(f"read_idx: {path}: file is {len(raw)} bytes, too short for an IDX header (4 bytes)")
    if raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"read_idx: {path}: not an IDX file (magic number starts with bytes "
                         f"{raw[0]:#04x} {raw[1]:#04x}, expected 0x00 0x00)")
    code, ndim = raw[2], raw[3]
    if code not in IDX_TYPES:
        known = ", ".join(f"{c:#04x}" for c in IDX_TYPES)
        raise ValueError(f"read_idx: {path}: unknown IDX type code {code:#04x} (expected one of {known})")
    if ndim == 0:
        raise ValueError(f"read_idx: {path}: IDX header declares 0 dimensions")
    offset = 4 + 4 * ndim
    if len(raw) < offset:
        raise ValueError(f"read_idx: {path}: file is {len(raw)} bytes, too short for the {ndim} "
                         f"dimension sizes its header declares (needs {offset} bytes)")
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    return IDX_TYPES[code], dims, offset


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """The array stored in one IDX file (plain or gzipped), in native byte order."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"read_idx: no such file: {path}")
    raw = _read_bytes(path)
    dtype, dims, offset = _parse_header(raw, path)
    expected = offset + int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    if len(raw) != expected:
        raise ValueError(f"read_idx: {path}: data length does not match the header: dims {dims} of "
                         f"{dtype.itemsize}-byte items need {expected} bytes, the file has {len(raw)}"
                         f"{' (truncated?)' if len(raw) < expected else ' (trailing bytes)'}")
    data = np.frombuffer(raw, dtype=dtype, offset=offset).reshape(dims)
    return data.astype(dtype.newbyteorder("="))


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
    path.write_bytes(gzip.compress(body) if compress else body)


def _find(directory: Path, stem: str, kind: str) -> Path:
    """The file for e.g. stem='train', kind='images': train-images-idx3-ubyte (also .gz, and the
    'train-images.idx3-ubyte' spelling)."""
    dims = "3" if kind == "images" else "1"
    names = [f"{stem}-{kind}-idx{dims}-ubyte", f"{stem}-{kind}.idx{dims}-ubyte"]
    for name in names:
        for candidate in (directory / name, directory / (name + ".gz")):
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(f"load_mnist: no {kind} file in {directory} (looked for {names[0]}[.gz] "
                            f"and {names[1]}[.gz]); download MNIST's IDX files there first")


def load_mnist(path: str | os.PathLike, split: str = "train", *, normalize: bool = True,
               flatten: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """MNIST (or Fashion-MNIST) from a directory holding the IDX files.

    `split` is "train" (train-*) or "test" (t10k-*). Returns X float64 of shape (n, 784) (or
    (n, 28, 28) with flatten=False), scaled to [0, 1] when `normalize`, and y int64 (n,).
    """
    stems = {"train": "train", "test": "t10k"}
    if split not in stems:
        raise ValueError(f"load_mnist: split must be 'train' or 'test', got {split!r}")
    directory = Path(path)
    if not directory.is_dir():
        raise FileNotFoundError(f"load_mnist: {directory} is not a directory")
    img_path, lab_path = _find(directory, stems[split], "images"), _find(directory, stems[split], "labels")
    images, labels = read_idx(img_path), read_idx(lab_path)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(f"load_mnist: {img_path}: expected 3-D uint8 images, got {images.ndim}-D {images.dtype} "
                         f"with shape {images.shape}")
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise ValueError(f"load_mnist: {lab_path}: expected 1-D uint8 labels, got shape {labels.shape} {labels.dtype}")
    if len(images) != len(labels):
        raise ValueError(f"load_mnist: {img_path} holds {len(images)} images but {lab_path} holds "
                         f"{len(labels)} labels")
    X = images.astype(np.float64) / (255.0 if normalize else 1.0)
    return (X.reshape(len(X), -1) if flatten else X), labels.astype(np.int64)
