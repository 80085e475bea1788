"""IDX reader and load_mnist on tiny IDX files written by the tests (plain and gzipped)."""
import gzip
import struct

import numpy as np
import pytest

from nn.data import load_mnist, read_idx, write_idx


def _images(n=3):
    return (np.arange(n * 28 * 28) % 256).astype(np.uint8).reshape(n, 28, 28)


def _write_mnist(directory, split="train", gz=False, n=3):
    stem = "train" if split == "train" else "t10k"
    suffix = ".gz" if gz else ""
    write_idx(directory / f"{stem}-images-idx3-ubyte{suffix}", _images(n))
    write_idx(directory / f"{stem}-labels-idx1-ubyte{suffix}", np.arange(n, dtype=np.uint8) % 10)


def test_idx_header_layout(tmp_path):
    write_idx(tmp_path / "a.idx", np.array([[1, 2, 3], [4, 5, 6]], dtype=np.uint8))
    raw = (tmp_path / "a.idx").read_bytes()
    assert raw[:4] == b"\x00\x00\x08\x02"
    assert struct.unpack(">II", raw[4:12]) == (2, 3)
    assert raw[12:] == bytes([1, 2, 3, 4, 5, 6])


@pytest.mark.parametrize("dtype", ["u1", "i1", "i2", "i4", "f4", "f8"])
def test_idx_roundtrip_every_type(tmp_path, dtype):
    a = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    write_idx(tmp_path / "x.idx", a)
    b = read_idx(tmp_path / "x.idx")
    assert b.dtype == np.dtype(dtype) and b.shape == (2, 3, 4)
    np.testing.assert_array_equal(a, b)


def test_gzip_detected_by_magic_not_name(tmp_path):
    a = np.arange(12, dtype=np.int32).reshape(3, 4)
    write_idx(tmp_path / "plain-name-but-gzipped", a, compress=True)
    assert (tmp_path / "plain-name-but-gzipped").read_bytes()[:2] == b"\x1f\x8b"
    np.testing.assert_array_equal(read_idx(tmp_path / "plain-name-but-gzipped"), a)
    write_idx(tmp_path / "named.gz", a, compress=False)  # .gz name, plain content
    np.testing.assert_array_equal(read_idx(tmp_path / "named.gz"), a)


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist(tmp_path, gz):
    _write_mnist(tmp_path, "train", gz=gz, n=3)
    _write_mnist(tmp_path, "test", gz=gz, n=2)
    X, y = load_mnist(tmp_path)
    assert X.shape == (3, 784) and X.dtype == np.float64 and y.tolist() == [0, 1, 2]
    assert X.max() == 1.0 and X[0, 1] == pytest.approx(1 / 255)
    Xt, yt = load_mnist(tmp_path, "test", normalize=False, flatten=False)
    assert Xt.shape == (2, 28, 28) and Xt[0, 0, 5] == 5.0 and yt.tolist() == [0, 1]


def test_bad_magic_names_file(tmp_path):
    p = tmp_path / "bad.idx"
    p.write_bytes(b"\x01\x02\x08\x01" + struct.pack(">I", 1) + b"\x00")
    with pytest.raises(ValueError, match=r"bad\.idx: not an IDX file .*0x01 0x02"):
        read_idx(p)


def test_bad_type_code(tmp_path):
    p = tmp_path / "t.idx"
    p.write_bytes(b"\x00\x00\x07\x01" + struct.pack(">I", 1) + b"\x00")
    with pytest.raises(ValueError, match=r"t\.idx: unknown IDX type code 0x07"):
        read_idx(p)


def test_truncated_and_trailing_data(tmp_path):
    p = tmp_path / "short.idx"
    write_idx(p, np.zeros((4, 5), dtype=np.uint8))
    p.write_bytes(p.read_bytes()[:-3])
    with pytest.raises(ValueError,
                       match=r"short\.idx: data length .*dims \(4, 5\).*need 32 bytes, the file has 29 \(truncated\?\)"):
        read_idx(p)
    q = tmp_path / "long.idx"
    write_idx(q, np.zeros(3, dtype=np.uint8))
    q.write_bytes(q.read_bytes() + b"\x00")
    with pytest.raises(ValueError, match="trailing bytes"):
        read_idx(q)


def test_short_header_and_truncated_gzip(tmp_path):
    p = tmp_path / "hdr.idx"
    p.write_bytes(b"\x00\x00\x08\x03\x00\x00")
    with pytest.raises(ValueError, match=r"hdr\.idx: .*3 dimension sizes"):
        read_idx(p)
    g = tmp_path / "cut.gz"
    g.write_bytes(gzip.compress(b"\x00\x00\x08\x01" + struct.pack(">I", 100) + bytes(100))[:-10])
    with pytest.raises(ValueError, match=r"cut\.gz: gzip data is corrupt or truncated"):
        read_idx(g)


def test_load_mnist_mismatch_and_missing(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", _images(3))
    with pytest.raises(FileNotFoundError, match="no labels file"):
        load_mnist(tmp_path)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(2, dtype=np.uint8))
    with pytest.raises(ValueError, match="holds 3 images but .* holds 2 labels"):
        load_mnist(tmp_path)
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        load_mnist(tmp_path, "valid")
