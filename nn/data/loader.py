"""DataLoader: split a data set into mini-batches (optionally reshuffled each epoch with a seed).

``DataLoader(dataset, batch_size=1, shuffle=False, drop_last=False)`` as in torch.utils.data: a
``TensorDataset`` gives one Tensor per component (int labels stay int64). Arrays work directly,
``DataLoader(X, y, batch_size=32)``, giving ``(X_batch, y_batch)``:

- ``X_batch`` is a ``Tensor`` (float data keeps its dtype, so float32 stays float32; integer or
  boolean inputs become float64);
- ``y_batch`` is a ``Tensor`` when the targets are floating point (regression, or 0/1 and +-1
  targets stored as floats) and a numpy integer array when they are integers (class indices,
  the form ``cross_entropy`` and ``nll_loss`` take, as in PyTorch's ``LongTensor``).
"""
from __future__ import annotations

import numbers
from typing import Any, Iterator

import numpy as np

from autograd_core import Node, Tensor
from autograd_core.random import numpy_rng


def _as_array(data: Any, name: str) -> np.ndarray:
    if isinstance(data, Tensor):
        return data.data
    arr = np.asarray(data)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"DataLoader: {name} must hold numbers, got dtype {arr.dtype}")
    if arr.ndim == 0:
        raise ValueError(f"DataLoader: {name} must have a first axis indexing samples, got a scalar")
    return arr


def _is_dataset(obj: Any) -> bool:
    """A dataset object: has __len__ and __getitem__ but is not an array, list or Tensor."""
    return (hasattr(obj, "__len__") and hasattr(obj, "__getitem__")
            and not isinstance(obj, (np.ndarray, Tensor, list, tuple)))


def _item_array(x: Any) -> np.ndarray:
    """One dataset item as an array (a Value or Tensor gives its data)."""
    return np.asarray(x.data if isinstance(x, Node) else x)


def _x_batch(x: np.ndarray) -> Tensor:
    return Tensor(x if x.dtype.kind == "f" else x.astype(np.float64))


def _y_batch(y: np.ndarray) -> Any:
    return Tensor(y) if y.dtype.kind == "f" else y


class DataLoader:
    """Iterate over ``(X, y)`` (arrays or Tensors whose first axis indexes samples), or over a
    dataset object with ``__len__`` and ``__getitem__(i) -> (x_i, y_i)``, in mini-batches.

    ``shuffle=True`` draws a new order every epoch: from ``numpy.random.default_rng(seed)`` made
    here when ``seed`` is given (two loaders with one seed agree epoch after epoch), from
    ``generator`` when given, else from the thread's default Generator at the start of each
    epoch (so ``autograd_core.manual_seed`` fixes it, as torch.manual_seed does).
    ``drop_last=True`` skips a final batch smaller than ``batch_size`` (1 by default, as torch).
    ``len(loader)`` is the number of batches per epoch. ``y=None`` with arrays yields
    ``(X_batch, None)``. As in torch, a second positional int is the batch size.
    """

    def __init__(self, X: Any, y: Any = None, batch_size: Any = None, shuffle: Any = None,
                 seed: int | None = None, drop_last: bool = False, *, generator: Any = None) -> None:
        if isinstance(y, numbers.Integral) and not isinstance(y, bool):  # torch's DataLoader(dataset, 32, True)
            if batch_size is not None and shuffle is not None:
                raise TypeError("DataLoader: the fourth positional argument would be torch's sampler, which is not "
                                "supported; pass shuffle= and drop_last= by keyword")
            y, batch_size, shuffle = None, y, (batch_size if shuffle is None else shuffle)
        batch_size = 1 if batch_size is None else batch_size
        shuffle = bool(shuffle) if shuffle is not None else False
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}")
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self._rng = np.random.default_rng(seed) if seed is not None else None
        self.generator = generator
        self.dataset = X if _is_dataset(X) and y is None else None
        if self.dataset is None:
            self.X = _as_array(X, "X")
            self.y = None if y is None else _as_array(y, "y")
            if self.y is not None and len(self.y) != len(self.X):
                raise ValueError(f"DataLoader: X and y must have the same number of samples, got "
                                 f"X shape {self.X.shape} and y shape {self.y.shape}")
        if self.num_samples == 0:
            raise ValueError("DataLoader: the data set is empty")

    @property
    def num_samples(self) -> int:
        """Number of samples in the data set."""
        return len(self.dataset) if self.dataset is not None else len(self.X)

    def __len__(self) -> int:
        n, b = self.num_samples, self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def _order(self) -> np.ndarray:
        n = self.num_samples
        if not self.shuffle:
            return np.arange(n)
        return (self._rng if self._rng is not None else numpy_rng(self.generator)).permutation(n)

    def _take(self, idx: np.ndarray) -> tuple[Any, ...]:
        if self.dataset is None:
            ys = None if self.y is None else _y_batch(self.y[idx])
            return _x_batch(self.X[idx]), ys
        if hasattr(self.dataset, "batch"):
            return self.dataset.batch(idx)
        items = [self.dataset[int(i)] for i in idx]
        if not all(isinstance(it, tuple) and len(it) == 2 for it in items):
            raise TypeError("DataLoader: a dataset's __getitem__ must return a pair (x, y)")
        xs = np.stack([_item_array(x) for x, _ in items])
        ys = np.stack([_item_array(t) for _, t in items])
        return _x_batch(xs), _y_batch(ys)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        order = self._order()
        stop = len(self) * self.batch_size
        for start in range(0, min(stop, len(order)), self.batch_size):
            yield self._take(order[start:start + self.batch_size])

    def __repr__(self) -> str:
        return (f"DataLoader(samples={self.num_samples}, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last}, batches={len(self)})")
