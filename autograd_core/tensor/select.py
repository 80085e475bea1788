"""Tensor methods that pick parts, with torch's names and meanings: split, chunk, unbind, select, narrow,
index_select, masked_fill, tril, triu, topk, sort, argsort. Each is indexing (getitem) or where, so
gradients flow back to the picked entries."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..arrays import as_array
from .dims import dim_of
from ..graph.node import Node
from ..ops import elementwise as E, shape as S
from ..operators.arithmetic import where_node
from ..ops.apply import apply
from .attrs import TensorAttrs
from .reduce import values_indices


def index_data(index: Any) -> Any:
    """Tensor / list indices -> numpy integer or boolean arrays (for x[index] and x[index] = v)."""
    if isinstance(index, tuple):
        return tuple(index_data(i) for i in index)
    if isinstance(index, Node):
        return as_array(index.data).astype(np.intp) if index.data.dtype.kind == "f" else index.data
    if isinstance(index, list):
        arr = as_array(index)
        return arr.astype(np.intp) if arr.size == 0 else arr  # t[[]]: an empty integer index
    return index


def _data(x: Any) -> np.ndarray:
    return np.asarray(getattr(x, "data", x))


class SelectionMethods(TensorAttrs):
    """Parts of a tensor along a dim, and order statistics."""

    __slots__ = ()

    def _along(self, dim: int, index: Any) -> Any:
        """self[..., index, ...] with index at dim."""
        return apply(S.GETITEM, self, index=(slice(None),) * dim + (index,))

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple[Any, ...]:
        """Pieces along dim: of split_size each (the last may be smaller), or of the listed sizes."""
        d = dim_of("split", dim, self.ndim, self.shape)
        n = self.shape[d]
        if isinstance(split_size_or_sections, (int, np.integer)):
            size = int(split_size_or_sections)
            if size <= 0 and n:
                raise ValueError(f"split: split_size must be positive, got {size} (shape {self.shape})")
            sizes = [min(size, n - s) for s in range(0, n, size)] if n else [0]
        else:
            sizes = [int(s) for s in split_size_or_sections]
            if sum(sizes) != n or any(s < 0 for s in sizes):
                raise ValueError(f"split: sizes {sizes} must be non-negative and add up to {n}, the size of dim {d} "
                                 f"(shape {self.shape})")
        starts = np.cumsum([0] + sizes[:-1])
        return tuple(self._along(d, slice(int(s), int(s) + k)) for s, k in zip(starts, sizes))

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Any, ...]:
        """`chunks` pieces along dim of ceil(n / chunks) each (fewer when they run out), as torch."""
        if chunks <= 0:
            raise ValueError(f"chunk: chunks must be positive, got {chunks}")
        d = dim_of("chunk", dim, self.ndim, self.shape)
        n = self.shape[d]
        return self.split(-(-n // chunks), d) if n else (self._along(d, slice(None)),)

    def unbind(self, dim: int = 0) -> tuple[Any, ...]:
        """The slices along dim, that dim removed."""
        d = dim_of("unbind", dim, self.ndim, self.shape)
        return tuple(self._along(d, i) for i in range(self.shape[d]))

    def select(self, dim: int, index: int) -> Any:
        """self[..., index, ...] (dim removed)."""
        d = dim_of("select", dim, self.ndim, self.shape)
        if not -self.shape[d] <= index < self.shape[d]:
            raise IndexError(f"select: index {index} is out of range for dim {d} of size {self.shape[d]}")
        return self._along(d, int(index))

    def narrow(self, dim: int, start: Any, length: int) -> Any:
        """self[..., start:start + length, ...]."""
        d = dim_of("narrow", dim, self.ndim, self.shape)
        s = int(start) + (self.shape[d] if int(start) < 0 else 0)
        if s < 0 or length < 0 or s + length > self.shape[d]:
            raise IndexError(f"narrow: start {start} and length {length} do not fit dim {d} of size {self.shape[d]}")
        return self._along(d, slice(s, s + int(length)))

    def index_select(self, dim: int, index: Any) -> Any:
        """The entries at the integer positions `index` (1-D) along dim; repeats add up in the gradient."""
        idx = _data(index)
        if idx.dtype.kind not in "iu" or idx.ndim > 1:
            raise ValueError(f"index_select: index must be a 0-d or 1-D integer tensor, got dtype {idx.dtype} and "
                             f"shape {idx.shape}")
        if self.ndim == 0:  # a 0-d tensor stays 0-d, as torch
            return self.reshape(1)[idx.reshape(-1)].reshape(())
        d = dim_of("index_select", dim, self.ndim, self.shape)
        return self._along(d, idx.reshape(-1).astype(np.intp))

    def masked_fill(self, mask: Any, value: Any) -> Any:
        """value where mask is true, self elsewhere (value a number or a 0-d tensor, which then gets the
        gradient of the filled places)."""
        m = _data(mask)
        if m.dtype != np.bool_:
            raise TypeError(f"masked_fill: mask must be a bool tensor, got dtype {m.dtype}")
        if np.ndim(_data(value)) != 0:
            raise ValueError(f"masked_fill: value must be a number or a 0-d tensor, got shape {np.shape(_data(value))}")
        try:
            np.broadcast_shapes(m.shape, self.shape)
        except ValueError:
            raise ValueError(f"masked_fill: mask shape {m.shape} and shape {self.shape} do not broadcast") from None
        if not hasattr(value, "data"):
            value = self._leaf(np.asarray(value, dtype=self.dtype))
        return where_node(m, value.type(self.dtype), self)

    def _triangle(self, name: str, diagonal: int, lower: bool) -> Any:
        if self.ndim < 2:
            raise ValueError(f"{name}: expected a tensor with at least 2 dims, got shape {self.shape}")
        rows, cols = self.shape[-2:]
        keep = (np.tril if lower else np.triu)(np.ones((rows, cols), dtype=bool), diagonal)
        return apply(E.WHERE, self, np.zeros((), self.dtype), cond=keep)

    def tril(self, diagonal: int = 0) -> Any:
        """The lower triangle (j <= i + diagonal) of the last two dims, 0 above."""
        return self._triangle("tril", diagonal, True)

    def triu(self, diagonal: int = 0) -> Any:
        """The upper triangle (j >= i + diagonal) of the last two dims, 0 below."""
        return self._triangle("triu", diagonal, False)

    def _ordered(self, name: str, dim: int, descending: bool) -> tuple[Any, np.ndarray, int]:
        """(self, the stable sort order along dim, dim); 0-d tensors are their own order."""
        if self.ndim == 0:
            return self, np.zeros((), np.int64), 0
        d = dim_of(name, dim, self.ndim, self.shape)
        data = self.data
        if descending:  # a stable order of negated keys keeps ties first-come; NaN counts as the largest
            keys = ~data if data.dtype.kind == "b" else np.where(np.isnan(data), -np.inf, -data) \
                if data.dtype.kind == "f" else -data.astype(np.int64)
        else:
            keys = data
        return self, np.argsort(keys, axis=d, kind="stable").astype(np.int64), d

    def _gathered(self, order: np.ndarray, d: int) -> Any:
        if self.ndim == 0:
            return self * 1
        where: list[Any] = list(np.indices(order.shape, sparse=True))
        where[d] = order
        return self[tuple(where)]

    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
        """(values, indices) in ascending order along dim (descending=True: largest first); ties keep their
        order. NaN sorts last ascending, first descending, as torch."""
        _, order, d = self._ordered("sort", dim, descending)
        return values_indices(self._gathered(order, d), self._leaf(np.asarray(order)))

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
        """The indices that sort along dim (int64)."""
        return self._leaf(np.asarray(self._ordered("argsort", dim, descending)[1]))

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
        """(values, indices) of the k largest (or smallest) entries along dim, largest first."""
        d = dim_of("topk", dim, self.ndim, self.shape)
        n = self.shape[d] if self.ndim else 1
        if not 0 <= k <= n:
            raise ValueError(f"topk: k {k} is out of range for dim {d} of size {n} (shape {self.shape})")
        _, order, d = self._ordered("topk", d, largest)
        order = order[(slice(None),) * d + (slice(0, k),)] if self.ndim else order
        return values_indices(self._gathered(order, d), self._leaf(np.asarray(order)))
