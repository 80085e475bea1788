"""state_dict / load_state_dict / save / load: bit-for-bit round trips and clear errors."""
from __future__ import annotations

import os

import numpy as np
import pytest

import nn
from nn.checkpoint import CheckpointError, StateDictError


def _model(seed=0):
    return nn.Sequential(nn.Linear(3, 5, seed=seed), nn.Tanh(), nn.Linear(5, 2, seed=seed + 1))


def test_state_dict_is_an_ordered_copy():
    m = _model()
    sd = m.state_dict()
    assert list(sd) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(type(v) is np.ndarray for v in sd.values())
    sd["0.weight"][...] = 0
    assert m[0].weight.data.any()


def test_save_load_reproduces_predictions_bit_for_bit(tmp_path, rng):
    x = rng.normal(size=(7, 3))
    a, b = _model(0), _model(10)
    path = tmp_path / "model.npz"
    a.save(path)
    assert b.load(path) is b
    np.testing.assert_array_equal(b(x).data, a(x).data)
    rnn, rnn2 = nn.LSTM(3, 4, seed=0), nn.LSTM(3, 4, seed=1)
    rnn.save(str(tmp_path / "lstm"))            # the path is used as given
    assert os.path.exists(tmp_path / "lstm")
    rnn2.load(tmp_path / "lstm")
    np.testing.assert_array_equal(rnn2(x[:, None])[0].data, rnn(x[:, None])[0].data)
    s1, s2 = nn.scalar.MLP(2, [3, 1], seed=0), nn.scalar.MLP(2, [3, 1], seed=1)
    s1.save(tmp_path / "s.npz")
    s2.load(tmp_path / "s.npz")
    assert s2([0.5, -1.0]).data == s1([0.5, -1.0]).data


def test_float32_model_keeps_its_dtype_on_load(tmp_path):
    a = _model(0)
    b = _model(1).to(np.float32)
    b.load_state_dict(a.state_dict())
    assert b[0].weight.dtype == np.float32
    np.testing.assert_allclose(b[0].weight.data, a[0].weight.data, rtol=1e-7)


def test_missing_and_unexpected_keys_named():
    m = _model()
    sd = m.state_dict()
    del sd["2.bias"]
    sd["3.weight"] = np.zeros(2)
    with pytest.raises(StateDictError, match=r"missing keys \['2.bias'\], unexpected keys \['3.weight'\]"):
        m.load_state_dict(sd)
    before = m[0].weight.data.copy()
    sd["0.weight"] = np.ones((5, 3))
    res = m.load_state_dict(sd, strict=False)
    assert res.missing_keys == ["2.bias"] and res.unexpected_keys == ["3.weight"]
    np.testing.assert_array_equal(m[0].weight.data, np.ones((5, 3)))
    assert not np.array_equal(before, m[0].weight.data)


def test_shape_mismatch_named_and_nothing_written():
    m = _model()
    sd = m.state_dict()
    sd["0.bias"] = np.zeros(5) + 7
    sd["2.weight"] = np.zeros((5, 2))
    old = m[2].weight.data.copy()
    with pytest.raises(StateDictError, match=r"'2.weight': checkpoint has shape \(5, 2\), model expects \(2, 5\)"):
        m.load_state_dict(sd, strict=False)
    np.testing.assert_array_equal(m[2].weight.data, old)
    assert not (m[0].bias.data == 7).any()


def test_truncated_file_names_the_path(tmp_path):
    path = tmp_path / "m.npz"
    _model().save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match=r"m\.npz.*not a readable \.npz checkpoint"):
        _model().load(path)


def test_foreign_files(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a checkpoint\n")
    with pytest.raises(CheckpointError, match="notes.txt"):
        _model().load(text)
    other = tmp_path / "other.npz"
    np.savez(other, a=np.zeros(3), b=np.ones(2))
    with pytest.raises(StateDictError, match=r"missing keys \['0.weight'.*unexpected keys \['a', 'b'\].*other\.npz"):
        _model().load(other)
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    with pytest.raises(CheckpointError, match="single .npy array"):
        _model().load(single)
    with pytest.raises(FileNotFoundError):
        _model().load(tmp_path / "absent.npz")


def test_failed_save_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "good.npz"
    good = _model(0)
    good.save(path)
    original = path.read_bytes()

    def broken_write(f, arrays):
        f.write(b"PK\x03\x04 half an archive")
        raise OSError("disk full")

    import nn.checkpoint
    monkeypatch.setattr(nn.checkpoint, "_write_npz", broken_write)
    with pytest.raises(OSError, match="disk full"):
        _model(5).save(path)
    assert path.read_bytes() == original
    assert sorted(os.listdir(tmp_path)) == ["good.npz"]
    monkeypatch.undo()
    fresh = _model(9)
    fresh.load(path)
    np.testing.assert_array_equal(fresh[0].weight.data, good[0].weight.data)


def test_unconvertible_parameter_fails_before_replacing(tmp_path):
    path = tmp_path / "good.npz"
    m = _model(0)
    m.save(path)
    original = path.read_bytes()
    m[0].bias.data = np.array(["x", "y"], dtype=object)   # a parameter that cannot be written
    with pytest.raises(TypeError, match=r"good\.npz.*expected numeric arrays, got '0.bias' \(dtype object\)"):
        m.save(path)
    assert path.read_bytes() == original and os.listdir(tmp_path) == ["good.npz"]


def test_load_state_dict_takes_tensors_and_rejects_non_mappings():
    a, b = _model(0), _model(1)
    b.load_state_dict({n: p for n, p in a.named_parameters()})
    np.testing.assert_array_equal(b[2].bias.data, a[2].bias.data)
    with pytest.raises(TypeError, match="expected a mapping"):
        b.load_state_dict([1, 2])
    sd = a.state_dict()
    sd["0.bias"] = np.array(["a"] * 5)
    with pytest.raises(StateDictError, match=r"numeric arrays, got '0.bias'"):
        b.load_state_dict(sd)


def test_load_writes_in_place():
    a, b = _model(0), _model(1)
    held = b[0].weight.data                     # e.g. an optimizer holding the array
    b.load_state_dict(a.state_dict())
    assert b[0].weight.data is held
    np.testing.assert_array_equal(held, a[0].weight.data)


def test_save_keeps_keys_that_name_np_savez_options(tmp_path):
    """np.savez(f, **arrays) would take 'allow_pickle' as its own flag and drop that array."""
    from nn.checkpoint import load, save
    sd = {"allow_pickle": np.arange(3.0), "file": np.eye(2, dtype=np.float32), "w": np.array([7], np.int64)}
    path = tmp_path / "odd_keys.npz"
    save(sd, path)
    back = load(path)
    assert list(back) == ["allow_pickle", "file", "w"]
    for k, v in sd.items():
        assert back[k].dtype == v.dtype and np.array_equal(back[k], v)
    with np.load(path) as z:  # still the layout numpy reads
        assert sorted(z.files) == ["allow_pickle", "file", "w"]
