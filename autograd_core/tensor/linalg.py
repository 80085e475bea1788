"""Tensor methods for products and running products with torch's names: mm, bmm, dot, outer, cumprod, softmin,
broadcast_to, unflatten, ravel, contiguous. Composites of table ops."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .dims import dim_of
from ..ops import elementwise as E, linalg as L, shape as S, statistics as ST
from ..ops.apply import apply
from .attrs import TensorAttrs


def _shape_of(x: Any) -> tuple[int, ...]:
    return tuple(np.shape(getattr(x, "data", x)))


def _want(name: str, x: Any, ndim: int, what: str) -> None:
    if len(_shape_of(x)) != ndim:
        raise ValueError(f"{name}: expected {what} ({ndim}-D), got shape {_shape_of(x)}")


class LinalgMethods(TensorAttrs):
    """Matrix and vector products, norms and a few shape conveniences."""

    __slots__ = ()

    def mm(self, mat2: Any) -> Any:
        """Matrix product of two 2-D tensors (torch.mm does not broadcast)."""
        return _product("mm", self, mat2, 2, "a matrix")

    def bmm(self, mat2: Any) -> Any:
        """Batched matrix product of (b, n, m) and (b, m, p) tensors."""
        if self.ndim == 3 and len(_shape_of(mat2)) == 3 and self.shape[0] != _shape_of(mat2)[0]:
            raise ValueError(f"bmm: batch sizes {self.shape[0]} and {_shape_of(mat2)[0]} differ (shapes {self.shape} "
                             f"and {_shape_of(mat2)})")
        return _product("bmm", self, mat2, 3, "a batch of matrices")

    def dot(self, other: Any) -> Any:
        """Inner product of two 1-D tensors of equal length."""
        return _product("dot", self, other, 1, "a vector")

    def outer(self, vec2: Any) -> Any:
        """self_i * vec2_j for two 1-D tensors."""
        _want("outer", self, 1, "a vector")
        _want("outer", vec2, 1, "a vector")
        return self.reshape(-1, 1) * vec2.reshape(1, -1) if hasattr(vec2, "reshape") else \
            self.reshape(-1, 1) * np.reshape(vec2, (1, -1))

    def cumprod(self, dim: int, *, dtype: Any = None) -> Any:
        """Running product along dim, exact (and differentiable to every order) with zeros: entry i is the
        product over j of (x_j if j <= i else 1), taken by prod."""
        x = self if dtype is None else self.type(dtype)
        if x.ndim == 0:
            return x * 1
        d = dim_of("cumprod", dim, x.ndim, x.shape)
        moved = x.transpose(d, -1) if d != x.ndim - 1 else x
        n = moved.shape[-1]
        rows = apply(S.BROADCAST_TO, moved.reshape(moved.shape[:-1] + (1, n)), shape=moved.shape[:-1] + (n, n))
        upto = np.tril(np.ones((n, n), dtype=bool))
        out = apply(ST.PROD, apply(E.WHERE, rows, np.ones((), x.dtype), cond=upto), axis=-1, keepdims=False)
        return out.transpose(d, -1) if d != x.ndim - 1 else out

    def softmin(self, dim: Any = None, dtype: Any = None) -> Any:
        """softmax(-x) along dim."""
        x = self if dtype is None else self.type(dtype)
        return (-x).softmax(dim)

    def broadcast_to(self, *size: Any) -> Any:
        """expand(size) (-1 keeps a dim)."""
        return self.expand(*size)

    def unflatten(self, dim: int, sizes: Any) -> Any:
        """Dim `dim` split into `sizes` (one may be -1)."""
        d = dim_of("unflatten", dim, self.ndim, self.shape)
        sizes = tuple(int(s) for s in sizes)
        known = math.prod(s for s in sizes if s != -1)
        if sizes.count(-1) > 1 or (-1 not in sizes and known != self.shape[d]) or \
                (-1 in sizes and (known == 0 or self.shape[d] % known)):
            raise ValueError(f"unflatten: sizes {sizes} do not multiply to {self.shape[d]}, the size of dim {d} "
                             f"(shape {self.shape})")
        return self.reshape(self.shape[:d] + sizes + self.shape[d + 1:])

    def ravel(self) -> Any:
        """flatten()."""
        return self.reshape(-1)

    def contiguous(self, memory_format: Any = None) -> Any:
        """self: numpy data is always usable as it is."""
        return self


def _product(name: str, a: Any, b: Any, ndim: int, what: str) -> Any:
    """a @ b for two operands of exactly `ndim` dims (torch's mm, bmm and dot do not broadcast)."""
    _want(name, a, ndim, what)
    _want(name, b, ndim, what)
    return apply(L.MATMUL, a, b)
