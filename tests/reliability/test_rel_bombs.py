"""Decompression bombs and lying headers, loaded in a child under a 768 MB address-space limit: a clear error, fast."""
from __future__ import annotations

import pytest
from rel_bombs import gzip_bomb, idx_header, npz_bomb, npz_lying_header
from rel_child import cli, python

LIMIT_MB = 768

READ_IDX = "from nn.data import read_idx\ntry:\n    read_idx('f')\nexcept ValueError as e:\n    print(e)\n"
LOAD_NPZ = ("from nn.checkpoint import load, CheckpointError\ntry:\n    load('f')\n"
            "except CheckpointError as e:\n    print(e)\n")

CASES = {
    # 3 MB of gzip: a plausible header (1000 images), then 3 GiB of zeros
    "idx_gzip_bomb_trailing": (lambda: gzip_bomb(idx_header(8, (1000, 28, 28)), 3 << 30), READ_IDX,
                               ("read_idx: f: data length does not match the header", "(1000, 28, 28)",
                                "trailing bytes")),
    # a header promising 4 GiB of images, over the 1 GiB ceiling, followed by 3 GiB of zeros
    "idx_gzip_bomb_big_header": (lambda: gzip_bomb(idx_header(8, (5_000_000, 28, 28)), 3 << 30), READ_IDX,
                                 ("read_idx: f: header field 'dimension sizes' (5000000, 28, 28)",
                                  "3920000000 bytes", "over the limit max_bytes=1073741824")),
    "idx_overflowing_sizes": (lambda: idx_header(8, (65536,) * 4), READ_IDX,
                              ("header field 'dimension sizes' (65536, 65536, 65536, 65536)",
                               "18446744073709551616 bytes", "max_bytes=1073741824")),
    "idx_255_dimensions": (lambda: idx_header(8, (1,) * 255), READ_IDX,
                           ("read_idx: f: header field 'number of dimensions' is 255, expected 1 to 32",)),
    # 2 MB of zip whose one array unpacks to 2 GiB (directory and .npy header agree)
    "npz_zip_bomb": (npz_bomb, LOAD_NPZ, ("load: 'f': entry 'w.npy'", "over the limit max_bytes=1073741824")),
    "npz_header_1e12_items": (npz_lying_header, LOAD_NPZ,
                              ("entry 'w.npy': header field 'shape' (1000000000000,)", "8000000000000 bytes",
                               "max_bytes=1073741824")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bomb_fails_fast_with_named_field_under_memory_limit(tmp_path, name):
    build, code, fragments = CASES[name]
    (tmp_path / "f").write_bytes(build())
    r = python(code, cwd=tmp_path, memory_mb=LIMIT_MB, timeout=20)
    assert r.code == 0 and r.stderr == "", (r.code, r.stderr)
    for fragment in fragments:
        assert fragment in r.stdout, (fragment, r.stdout)
    assert r.peak_mb < 300, r.peak_mb


@pytest.mark.parametrize("name", ["idx_gzip_bomb_trailing", "npz_zip_bomb"])
def test_error_comes_in_under_a_second(tmp_path, name):
    """The refusal does bounded work: under a second of the child's CPU time for the read alone (CPU time,
    not wall time, so other programs sharing the cores cannot fail it; imports and start-up untimed)."""
    build, code, _ = CASES[name]
    (tmp_path / "f").write_bytes(build())
    timed = ("import time\nimport nn.checkpoint, nn.data\nstart = time.process_time()\n" + code +   # imports untimed
             "print('seconds', time.process_time() - start)\n")
    r = python(timed, cwd=tmp_path, memory_mb=LIMIT_MB, timeout=20)
    assert r.code == 0, r.stderr
    assert float(r.stdout.split("seconds")[-1]) < 1.0, r.stdout


def test_train_load_of_a_bomb_is_one_line_before_training(tmp_path):
    (tmp_path / "bomb.npz").write_bytes(npz_bomb())
    r = cli("train", "--load", "bomb.npz", "--epochs", "1", cwd=tmp_path, memory_mb=LIMIT_MB, timeout=30)
    assert r.code == 1, (r.code, r.stderr)
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "cannot load checkpoint 'bomb.npz'" in r.stderr and "max_bytes=1073741824" in r.stderr
    assert "epoch" not in r.stdout
    assert r.peak_mb < 400, r.peak_mb


def test_an_honest_file_bigger_than_memory_is_a_clear_error(tmp_path):
    """Within the ceiling but over the child's 400 MB address space: CheckpointError, not a bare MemoryError."""
    (tmp_path / "f").write_bytes(npz_bomb(512 << 20))
    r = python(LOAD_NPZ, cwd=tmp_path, memory_mb=400, timeout=20)
    assert r.code == 0 and r.stderr == "", r.stderr
    assert r.stdout == "load: 'f': not enough memory to read the arrays its headers describe\n"
