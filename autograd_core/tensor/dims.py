"""Argument handling shared by Tensor methods: dim/axis and keepdim/keepdims aliases, dim range checks."""
from __future__ import annotations

from typing import Any

import numpy as np


class DimError(IndexError, ValueError):
    """A dim out of range (an IndexError as in PyTorch, and a ValueError as the older API raised)."""


_UNSET: Any = object()


def pick(name: str, torch_name: str, torch_value: Any, numpy_name: str, numpy_value: Any, default: Any) -> Any:
    """The value given under PyTorch's name or numpy's alias (dim/axis, keepdim/keepdims); not both."""
    if torch_value is not _UNSET and numpy_value is not _UNSET:
        raise TypeError(f"{name}: got both {torch_name}= and {numpy_name}= (they are the same setting; "
                        f"pass one)")
    if torch_value is not _UNSET:
        return torch_value
    return default if numpy_value is _UNSET else numpy_value


def dim_of(name: str, dim: Any, ndim: int, shape: tuple[int, ...]) -> int:
    """One dim as a non-negative int, or a DimError naming the op, the dim and the tensor's ndim."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}: dim must be an int, got {type(dim).__name__} {dim!r}")
    size = max(ndim, 1)
    if not -size <= dim < size:
        raise DimError(f"{name}: dim {dim} is out of range for a tensor with {ndim} dimensions (shape {shape}); "
                       f"expected a dim in [{-size}, {size - 1}]")
    return int(dim) % size


def dims_of(name: str, dim: Any, ndim: int, shape: tuple[int, ...]) -> tuple[int, ...] | None:
    """None (all dims), or a sorted tuple of distinct non-negative dims."""
    if dim is None:
        return None
    dims = (dim,) if not isinstance(dim, (tuple, list)) else tuple(dim)
    out = tuple(sorted({dim_of(name, d, ndim, shape) for d in dims}))
    if len(out) != len(dims):
        raise ValueError(f"{name}: dim {tuple(dims)} repeats a dim (shape {shape})")
    return out if ndim else None
