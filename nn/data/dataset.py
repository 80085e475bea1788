"""Datasets as in torch.utils.data: the Dataset protocol and TensorDataset (tensors sharing a first dim)."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Node, Tensor


class Dataset:
    """A map-style data set: subclasses define __len__ and __getitem__(i) -> one sample."""

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__}.__len__ is not defined")

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.__getitem__ is not defined")


def _as_data(t: Any, i: int) -> np.ndarray:
    data = np.asarray(t.data if isinstance(t, Node) else t)
    if data.ndim == 0:
        raise ValueError(f"TensorDataset: tensor {i} is 0-d; every tensor needs a first dim indexing samples")
    if data.dtype.kind not in "biuf":
        raise TypeError(f"TensorDataset: tensor {i} must hold numbers, got dtype {data.dtype}")
    return data


class TensorDataset(Dataset):
    """Sample i is (t[i] for t in tensors); every tensor has the same length along its first dim.

    Integer data stays integer (int64 class labels, as torch), float data keeps its dtype.
    """

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ValueError("TensorDataset: expected at least one tensor")
        self.arrays = [_as_data(t, i) for i, t in enumerate(tensors)]
        sizes = [len(a) for a in self.arrays]
        if len(set(sizes)) > 1:
            raise ValueError(f"TensorDataset: size mismatch between tensors: first dims {sizes} "
                             f"(shapes {[a.shape for a in self.arrays]})")

    @property
    def tensors(self) -> tuple[Tensor, ...]:
        """The data as Tensors."""
        return tuple(_tensor(a) for a in self.arrays)

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(_tensor(a[index]) for a in self.arrays)

    def batch(self, idx: np.ndarray) -> tuple[Tensor, ...]:
        """The samples at idx, stacked (what DataLoader yields), without a Python loop per sample."""
        return tuple(_tensor(a[idx]) for a in self.arrays)


def _tensor(data: Any) -> Tensor:
    """A constant Tensor keeping the array's dtype (int labels stay int64)."""
    arr = np.array(data)
    if arr.dtype.kind in "iu":
        arr = arr.astype(np.int64)
    return Tensor._make(arr, (), None, None, False)
