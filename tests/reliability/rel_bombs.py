"""Build hostile files for the reliability tests: gzip and zip decompression bombs, lying IDX and .npy headers."""
from __future__ import annotations

import io
import struct
import zlib

from numpy.lib import format as npy_format

MIB = 1 << 20


def zero_deflate(prefix: bytes, zeros: int) -> bytes:
    """A raw deflate stream of `prefix` followed by `zeros` zero bytes, built in milliseconds.

    After a full flush the compressor's state no longer depends on what came before, so the
    compressed form of a 1 MiB block of zeros is the same every time and can be repeated.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(bytes(MIB)) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(bytes(MIB)) + c.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "the repeated block trick does not hold for this zlib"
    blocks, rest = divmod(zeros, MIB)
    assert blocks >= 2
    return head + block * blocks + c.compress(bytes(rest)) + c.flush()


def gzip_bomb(prefix: bytes, zeros: int) -> bytes:
    """A gzip file of prefix + zeros (CRC left zero: a reader that stops early never checks it)."""
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + zero_deflate(prefix, zeros) + struct.pack("<II", 0, (len(prefix) + zeros) & 0xFFFFFFFF)


def idx_header(code: int, dims: tuple[int, ...]) -> bytes:
    """The IDX header bytes for type `code` and the given dimension sizes (any count, any values)."""
    return bytes([0, 0, code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims)


def npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    """A version 1.0 .npy header claiming `shape` of `descr`."""
    buf = io.BytesIO()
    npy_format.write_array_header_1_0(buf, {"descr": descr, "shape": shape, "fortran_order": False})
    return buf.getvalue()


def zip_one(name: str, data: bytes, size: int, method: int = 8, crc: int = 0) -> bytes:
    """A zip archive with one entry `name` whose (already compressed) data is `data`, `size` bytes unpacked."""
    fn = name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 33, crc, len(data), size, len(fn), 0) + fn
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 33, crc, len(data), size, len(fn),
                          0, 0, 0, 0, 0, 0) + fn
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


def npz_bomb(nbytes: int = 2 << 30) -> bytes:
    """An .npz of about nbytes / 1000 whose one float64 array unpacks to `nbytes` (default 2 GiB), directory and
    header consistent."""
    header = npy_header((nbytes // 8,))
    return zip_one("w.npy", zero_deflate(header, nbytes), len(header) + nbytes)


def npz_lying_header(items: int = 10**12) -> bytes:
    """An .npz whose .npy header claims `items` float64 values but which holds 16 bytes of data."""
    data = npy_header((items,)) + bytes(16)
    return zip_one("w.npy", data, len(data), method=0, crc=zlib.crc32(data))
