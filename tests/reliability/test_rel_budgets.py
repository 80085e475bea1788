"""Budgets decided from headers before work: load_mnist counts its float64 copy, a zip's entry count and directory
size come from the end record before zipfile parses it, every .npy dimension is a bounded integer."""
from __future__ import annotations

import struct
import time
import zlib

import numpy as np
import pytest
from rel_bombs import gzip_bomb, idx_header, zip_one
from rel_child import python

from nn.checkpoint import CheckpointError, load
from nn.data import load_mnist, write_idx
from nn.npz_reader import MAX_DIRECTORY, MAX_ENTRIES

IMAGES = 1_369_000   # 1.07 GB of uint8 pixels: under the 1 GiB ceiling, 9.7 GB as float64 with its copy


def test_amplifying_idx_is_refused_from_the_headers(tmp_path):
    """1 MB of gzip whose pixels fit the raw ceiling, but whose float64 copy would take 8.6 GB more."""
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip_bomb(idx_header(8, (IMAGES, 28, 28)),
                                                                    IMAGES * 784))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx_header(8, (IMAGES,)) + bytes(IMAGES))
    assert (tmp_path / "train-images-idx3-ubyte.gz").stat().st_size < 2 << 20
    code = ("import time\nfrom nn.data import load_mnist\nstart = time.process_time()\ntry:\n    load_mnist('.')\n"
            "except ValueError as e:\n    print(e)\nprint('seconds', time.process_time() - start)\n")
    r = python(code, cwd=tmp_path, memory_mb=768, timeout=30)
    assert r.code == 0 and r.stderr == "", r.stderr
    assert ("train-images-idx3-ubyte.gz: images read as uint8 plus their float64 copy: (1369000, 28, 28) of "
            "9-byte items would take 9659664000 bytes (9 GiB), over the limit max_bytes=1073741824") in r.stdout
    assert float(r.stdout.split("seconds")[-1]) < 1.0 and r.peak_mb < 200, (r.stdout, r.peak_mb)


def test_mnist_budget_is_the_returned_arrays(tmp_path):
    images = np.arange(10 * 28 * 28, dtype=np.uint8).reshape(10, 28, 28)
    write_idx(tmp_path / "train-images-idx3-ubyte", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.arange(10, dtype=np.uint8))
    need = 10 * 784 * 9
    with pytest.raises(ValueError, match=f"would take {need} bytes"):
        load_mnist(tmp_path, max_bytes=need - 1)
    X, y = load_mnist(tmp_path, max_bytes=need)
    np.testing.assert_array_equal(X, images.reshape(10, -1) / 255.0)
    assert X.dtype == np.float64 and y.tolist() == list(range(10))


def _zip_with_directory(entries: int, declared: int, zip64: bool) -> bytes:
    """A zip whose central directory really holds `entries` records of one tiny stored entry, and whose end
    record declares `declared` entries (in a zip64 end record when `zip64`)."""
    data = b"x"
    name = b"w.npy"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 33, zlib.crc32(data), 1, 1, len(name), 0) + name
    record = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 33, zlib.crc32(data), 1, 1, len(name),
                         0, 0, 0, 0, 0, 0) + name
    head = local + data
    central = record * entries
    tail = b""
    if zip64:
        at = len(head) + len(central)
        tail += struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, declared, declared, len(central),
                            len(head))
        tail += struct.pack("<4sLQL", b"PK\x06\x07", 0, at, 1)
        declared = 0xFFFF
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, declared, declared, len(central), len(head), 0)
    return head + central + tail + end


def test_zip_entry_count_is_checked_before_the_directory_is_parsed(tmp_path):
    path = tmp_path / "many.npz"
    path.write_bytes(_zip_with_directory(200_000, 200_000, zip64=True))
    start = time.process_time()  # CPU time: the bound is on work done, not on the machine's load
    with pytest.raises(CheckpointError, match=f"the zip end record declares 200000 entries, over the limit of "
                                              f"{MAX_ENTRIES}"):
        load(path)
    assert time.process_time() - start < 0.5


def test_a_directory_bigger_than_its_declared_count_is_refused_by_size(tmp_path):
    path = tmp_path / "lying.npz"
    path.write_bytes(_zip_with_directory(MAX_DIRECTORY // 51 + 1000, 1, zip64=False))
    with pytest.raises(CheckpointError, match=r"declares a directory of \d+ bytes .*over the limit of "
                                              f"{MAX_DIRECTORY} bytes"):
        load(path)


def test_a_310_digit_npy_dimension_is_a_named_error(tmp_path):
    text = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + "9" * 310 + ",), }"
    text += " " * (63 - (10 + len(text)) % 64) + "\n"
    header = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode()
    data = header + bytes(16)
    (tmp_path / "h.npz").write_bytes(zip_one("w.npy", data, len(data), method=0, crc=zlib.crc32(data)))
    with pytest.raises(CheckpointError, match=r"entry 'w\.npy': header field 'shape\[0\]' is a 310-digit number, "
                                              r"expected 0 to 9223372036854775807"):
        load(tmp_path / "h.npz")
