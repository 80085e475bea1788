"""nn.data.DataLoader: batching, shuffling per epoch with a seed, drop_last, dtypes, datasets."""
import numpy as np
import pytest

from autograd_core import Tensor
from nn.data import DataLoader, Standardizer, train_test_split


def _ids(loader):
    return [xb.numpy()[:, 0].astype(int).tolist() for xb, _ in loader]


def test_batches_in_order_without_shuffle():
    X = np.arange(10.0)[:, None]
    y = np.arange(10)
    loader = DataLoader(X, y, batch_size=4)
    assert len(loader) == 3
    batches = list(loader)
    assert [b[0].shape for b in batches] == [(4, 1), (4, 1), (2, 1)]
    assert isinstance(batches[0][0], Tensor)
    assert isinstance(batches[0][1], np.ndarray) and batches[0][1].dtype.kind == "i"
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y)


def test_drop_last():
    loader = DataLoader(np.zeros((10, 3)), np.zeros(10), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert [xb.shape[0] for xb, _ in loader] == [4, 4]


def test_shuffle_is_seeded_and_changes_each_epoch():
    X = np.arange(20.0)[:, None]
    a = DataLoader(X, np.arange(20), batch_size=5, shuffle=True, seed=7)
    b = DataLoader(X, np.arange(20), batch_size=5, shuffle=True, seed=7)
    e1, e2 = _ids(a), _ids(a)
    assert e1 == _ids(b) and e2 == _ids(b)            # same seed, same sequence of epochs
    assert e1 != e2                                    # a new order every epoch
    assert sorted(sum(e1, [])) == list(range(20))      # each sample exactly once per epoch
    for xb, yb in a:                                   # X and y stay paired
        np.testing.assert_array_equal(xb.numpy()[:, 0], yb)


def test_target_and_input_dtypes():
    X32 = np.ones((6, 2), dtype=np.float32)
    xb, yb = next(iter(DataLoader(X32, np.linspace(0, 1, 6), batch_size=3)))
    assert xb.dtype == np.float32
    assert isinstance(yb, Tensor) and yb.dtype == np.float64
    xb, yb = next(iter(DataLoader(np.ones((4, 2), dtype=np.int64), None, batch_size=2)))
    assert xb.dtype == np.float64 and yb is None


def test_accepts_tensors_and_dataset_objects():
    class Squares:
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.array([i, i * i], dtype=float), np.int64(i % 2)  # numpy scalars have a .data buffer

    batches = list(DataLoader(Squares(), batch_size=2))
    assert len(batches) == 3
    np.testing.assert_array_equal(batches[1][0].numpy(), [[2, 4], [3, 9]])
    np.testing.assert_array_equal(batches[1][1], [0, 1])
    xb, yb = next(iter(DataLoader(Tensor(np.eye(3)), Tensor([1.0, 2.0, 3.0]), batch_size=3)))
    np.testing.assert_array_equal(xb.numpy(), np.eye(3))
    np.testing.assert_array_equal(yb.numpy(), [1, 2, 3])


@pytest.mark.parametrize("kwargs, text", [
    (dict(X=np.zeros((3, 2)), y=np.zeros(4)), r"same number of samples, got X shape \(3, 2\) and y shape \(4,\)"),
    (dict(X=np.zeros((3, 2)), y=np.zeros(3), batch_size=0), "batch_size must be a positive integer, got 0"),
    (dict(X=np.zeros((0, 2)), y=np.zeros(0)), "empty"),
])
def test_loader_errors(kwargs, text):
    with pytest.raises(ValueError, match=text):
        DataLoader(**kwargs)


def test_train_test_split_and_standardizer():
    X = np.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_fraction=0.25, seed=0)
    assert len(Xte) == 5 and len(Xtr) == 15
    assert sorted(np.concatenate([ytr, yte]).tolist()) == list(range(20))
    np.testing.assert_array_equal(Xtr[:, 0], 2 * ytr)
    again = train_test_split(X, y, test_fraction=0.25, seed=0)
    np.testing.assert_array_equal(again[1], Xte)
    s = Standardizer().fit(np.array([[1.0, 5.0], [3.0, 5.0]]))
    np.testing.assert_allclose(s.transform([[2.0, 5.0], [5.0, 6.0]]), [[0.0, 0.0], [3.0, 1.0]])
    with pytest.raises(ValueError, match="test_fraction must be in"):
        train_test_split(X, y, test_fraction=1.0)
