"""Readers check headers first: the ceiling a caller can raise, exact sizes, named files and fields; model sizes."""
from __future__ import annotations

import zipfile

import numpy as np
import pytest
from rel_bombs import npy_header, zip_one

import nn
from autograd_cli import models, tasks
from autograd_core.files import remove_orphans, temp_prefix
from nn.checkpoint import CheckpointError, StateDictError, load
from nn.data import read_idx, write_idx


@pytest.mark.parametrize("gz", [False, True])
def test_idx_ceiling_can_be_raised(tmp_path, gz):
    path = tmp_path / ("a.gz" if gz else "a.idx")
    a = np.arange(600, dtype=np.int16).reshape(20, 30)
    write_idx(path, a)
    with pytest.raises(ValueError, match=r"a\.(gz|idx): header field 'dimension sizes' \(20, 30\) of 2-byte items "
                                         r"would take 1200 bytes .*over the limit max_bytes=1000"):
        read_idx(path, max_bytes=1000)
    np.testing.assert_array_equal(read_idx(path, max_bytes=1200), a)
    with pytest.raises(ValueError, match="max_bytes must be a non-negative integer"):
        read_idx(path, max_bytes=-1)


def test_npz_ceiling_can_be_raised_and_counts_every_array(tmp_path):
    path = tmp_path / "ck.npz"
    np.savez(path, a=np.zeros(100), b=np.ones(100))
    with pytest.raises(CheckpointError, match=r"ck\.npz': the arrays up to entry 'b\.npy' take 1600 bytes .*"
                                              r"max_bytes=1000"):
        load(path, max_bytes=1000)
    out = load(path, max_bytes=1600)
    assert list(out) == ["a", "b"] and out["b"].sum() == 100.0


@pytest.mark.parametrize("name,data,message", [
    ("w.npy", npy_header((3,), "|O") + bytes(24), "entry 'w.npy': dtype object is not a plain numeric type"),
    ("w.npy", npy_header((3,), "<U2") + bytes(24), "dtype <U2 is not a plain numeric type"),
    ("w.npy", npy_header((10,)) + bytes(16), "the .npy header promises shape (10,) of float64 (208 bytes with the "
                                             "header) but the zip directory gives 144 bytes"),
    ("w.txt", b"hello", "entry 'w.txt': expected entries named NAME.npy"),
    (".npy", npy_header((0,)), "entry '.npy': expected entries named NAME.npy"),
])
def test_npz_entries_checked_before_data(tmp_path, name, data, message):
    path = tmp_path / "ck.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(name, data)
    with pytest.raises(CheckpointError) as info:
        load(path)
    assert message in str(info.value) and "ck.npz" in str(info.value)


def test_npz_fortran_and_big_endian_arrays_round_trip(tmp_path):
    f = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    np.savez(tmp_path / "ck.npz", f=f, b=np.arange(3, dtype=">i4"), t=np.array([True, False]))
    out = load(tmp_path / "ck.npz")
    np.testing.assert_array_equal(out["f"], f)
    assert out["b"].tolist() == [0, 1, 2] and out["t"].tolist() == [True, False]


def test_npz_crc_damage_is_caught(tmp_path):
    data = npy_header((2,)) + np.array([1.0, 2.0]).tobytes()
    (tmp_path / "ck.npz").write_bytes(zip_one("w.npy", data, len(data), method=0, crc=12345))
    with pytest.raises(CheckpointError, match=r"'.*ck\.npz' is not a readable \.npz checkpoint.*CRC"):
        load(tmp_path / "ck.npz")


def test_wrong_shape_refused_from_headers_before_data(tmp_path, monkeypatch):
    np.savez(tmp_path / "ck.npz", weight=np.zeros((4, 3)), bias=np.zeros(4))
    import nn.checkpoint as ck

    monkeypatch.setattr(ck, "read_entry", lambda *a: pytest.fail("data read before the shapes were checked"))
    with pytest.raises(StateDictError, match=r"'weight': checkpoint has shape \(4, 3\), model expects \(2, 3\).*"
                                             r"ck\.npz"):
        nn.Linear(3, 2).load(tmp_path / "ck.npz")


def test_orphans_of_the_living_and_of_other_hosts_are_kept(tmp_path):
    mine = tmp_path / (temp_prefix() + "abcdefgh.npz")
    other_host = tmp_path / ".tmp-999999@another-host-abcdefgh.npz"
    dead = tmp_path / (temp_prefix().replace(f"-{__import__('os').getpid()}@", "-999999@") + "abcdefgh.npz")
    unrelated = tmp_path / ".tmp-notes.npz"
    for p in (mine, other_host, dead, unrelated):
        p.write_bytes(b"x")
    assert remove_orphans(str(tmp_path)) == [dead.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (mine, other_host, unrelated))


@pytest.mark.parametrize("kind,hidden", [("mlp", [16, 16]), ("mlp", [7]), ("rnn", [5]), ("gru", [6]), ("lstm", [4])])
@pytest.mark.parametrize("task", ["moons", "spirals", "parity"])
def test_size_checks_match_the_built_model(kind, hidden, task):
    shape = tasks.shape_of(task, 6)
    data = tasks.load_task(task, 0, 6)
    assert (shape.n_train, shape.steps, shape.step_features, shape.classes) == (
        len(data.y_train), data.steps, data.step_features, data.classes)
    assert models.parameter_count(kind, shape, hidden) == models.build_model(kind, data, hidden, 0).num_parameters()
