"""Creating tensors the PyTorch way: tensor, zeros/ones/full/eye, arange/linspace, rand/randn, cat, stack.

tensor() infers dtypes like torch.tensor (int64, bool, float64); the random ones draw from the
thread's default Generator unless given one; the *_like forms copy shape and dtype.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..device import check_device
from .dims import _UNSET, pick
from ..graph.node import Node
from ..random import numpy_rng
from ..arrays import as_array
from .tensor import Tensor, concatenate, stack as _stack

Dtype = Any


def _sizes(name: str, size: tuple) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 0:
            raise ValueError(f"{name}: sizes must be non-negative ints, got {size!r}")
    return tuple(int(s) for s in size)


def _wrap(data: np.ndarray, dtype: Dtype, requires_grad: bool, name: str, device: Any = None) -> Tensor:
    """A Tensor of data cast to dtype; only floating tensors may require grad (as in torch); the
    device, if given, must be the CPU."""
    check_device(device, name)
    arr = as_array(data) if dtype is None else as_array(data).astype(np.dtype(dtype))  # as_array: compile sees draws
    if requires_grad and arr.dtype.kind != "f":
        raise RuntimeError(f"{name}: only floating point tensors can require gradients, got dtype {arr.dtype}")
    t = Tensor._make(arr, (), None, None, False)
    t.requires_grad = bool(requires_grad)
    return t


def tensor(data: Any, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """A new tensor copying data. Like torch.tensor: ints give int64, bools bool, floats float64
    (torch's default float is float32: the one difference, see docs/from-pytorch.md)."""
    if isinstance(data, Node):
        data = data.data
    arr = np.array(data)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"tensor: expected numbers (bool, int or float), got dtype {arr.dtype} "
                        f"from {type(data).__name__}")
    if dtype is None and arr.dtype.kind in "iu" and not isinstance(data, (np.ndarray, np.generic)):
        arr = arr.astype(np.int64)  # Python ints are int64; a numpy array keeps its dtype, as torch.tensor
    return _wrap(arr, dtype, requires_grad, "tensor", device)


def _float(dtype: Dtype) -> Dtype:
    return np.float64 if dtype is None else dtype


def zeros(*size: Any, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """A tensor of zeros (float64 by default)."""
    return _wrap(np.zeros(_sizes("zeros", size)), _float(dtype), requires_grad, "zeros", device)


def ones(*size: Any, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """A tensor of ones."""
    return _wrap(np.ones(_sizes("ones", size)), _float(dtype), requires_grad, "ones", device)


def full(size: Sequence[int], fill_value: float, *, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """A tensor filled with one value (its dtype inferred from the value, as torch)."""
    shape = _sizes("full", (size,))
    return _wrap(np.full(shape, fill_value), dtype, requires_grad, "full", device)


def eye(n: int, m: int | None = None, *, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """The n x m identity matrix."""
    return _wrap(np.eye(n, m), _float(dtype), requires_grad, "eye", device)


def arange(start: float, end: float | None = None, step: float = 1, *, dtype: Dtype = None,
           requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """start, start + step, ... below end (int64 when every argument is an int, as torch)."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: step must be nonzero")
    ints = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (start, end, step))
    data = np.arange(start, end, step, dtype=np.int64 if ints else np.float64)
    return _wrap(data, dtype, requires_grad, "arange", device)


def linspace(start: float, end: float, steps: int, *, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """`steps` evenly spaced points from start to end inclusive."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"linspace: steps must be a non-negative int, got {steps!r}")
    # computed in float64 whatever start and end are (a float32 0-d start must not make it float32)
    ends = [np.asarray(getattr(v, "data", v), dtype=np.float64) for v in (start, end)]
    return _wrap(np.linspace(ends[0], ends[1], int(steps)), _float(dtype), requires_grad, "linspace", device)


def rand(*size: Any, generator: Any = None, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """Uniform draws from [0, 1) (this thread's default Generator unless one is given)."""
    return _wrap(numpy_rng(generator).random(_sizes("rand", size)), _float(dtype), requires_grad, "rand", device)


def randn(*size: Any, generator: Any = None, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """Standard normal draws."""
    return _wrap(numpy_rng(generator).standard_normal(_sizes("randn", size)), _float(dtype), requires_grad,
                 "randn", device)


def randint(low: int, high: Any = None, size: Any = (), *, generator: Any = None,
            dtype: Dtype = None, device: Any = None) -> Tensor:
    """Integers uniform in [low, high) (randint(high, size) starts at 0); int64."""
    if high is None or (isinstance(high, (tuple, list)) and size == ()):  # randint(high) / randint(high, size)
        low, high, size = 0, low, (() if high is None else high)
    if high <= low:
        raise ValueError(f"randint: expected low < high, got low={low}, high={high}")
    shape = _sizes("randint", (size,))
    return _wrap(numpy_rng(generator).integers(low, high, shape, dtype=np.int64), dtype, False, "randint", device)


def randperm(n: int, *, generator: Any = None, dtype: Dtype = None, device: Any = None) -> Tensor:
    """A random permutation of 0..n-1 (int64)."""
    return _wrap(numpy_rng(generator).permutation(int(n)).astype(np.int64), dtype, False, "randperm", device)


def _like(x: Any) -> tuple[tuple[int, ...], Dtype]:
    data = x.data if isinstance(x, Node) else as_array(x)
    return np.shape(data), data.dtype


def zeros_like(x: Any, *, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """Zeros of x's shape and dtype."""
    shape, dt = _like(x)
    return _wrap(np.zeros(shape), dtype or dt, requires_grad, "zeros_like", device)


def ones_like(x: Any, *, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """Ones of x's shape and dtype."""
    shape, dt = _like(x)
    return _wrap(np.ones(shape), dtype or dt, requires_grad, "ones_like", device)


def full_like(x: Any, fill_value: float, *, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """fill_value in x's shape and dtype."""
    shape, dt = _like(x)
    return _wrap(np.full(shape, fill_value), dtype or dt, requires_grad, "full_like", device)


def rand_like(x: Any, *, generator: Any = None, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """Uniform [0, 1) draws in x's shape (x must be floating, as torch)."""
    shape, dt = _like(x)
    return _wrap(numpy_rng(generator).random(shape), dtype or _floating(dt, "rand_like"), requires_grad,
                 "rand_like", device)


def randn_like(x: Any, *, generator: Any = None, dtype: Dtype = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    """Standard normal draws in x's shape."""
    shape, dt = _like(x)
    return _wrap(numpy_rng(generator).standard_normal(shape), dtype or _floating(dt, "randn_like"),
                 requires_grad, "randn_like", device)


def _floating(dt: Any, name: str) -> Any:
    if np.dtype(dt).kind != "f":
        raise TypeError(f"{name}: needs a floating tensor (got dtype {dt}); pass dtype=")
    return dt


def cat(tensors: Sequence[Any], dim: Any = _UNSET, *, axis: Any = _UNSET) -> Tensor:
    """Join tensors along an existing dim (0 by default)."""
    return concatenate(tensors, axis=pick("cat", "dim", dim, "axis", axis, 0))


def stack(tensors: Sequence[Any], dim: Any = _UNSET, *, axis: Any = _UNSET) -> Tensor:
    """Join same-shape tensors along a new dim (0 by default)."""
    return _stack(tensors, axis=pick("stack", "dim", dim, "axis", axis, 0))


def as_tensor(data: Any, dtype: Dtype = None, device: Any = None) -> Tensor:
    """data as a Tensor (a Tensor passes through unchanged)."""
    check_device(device, "as_tensor")
    if isinstance(data, Tensor) and (dtype is None or np.dtype(dtype) == data.dtype):
        return data
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor of the array's dtype (float arrays keep float32/float64)."""
    return _wrap(np.array(array), None, False, "from_numpy")


__all__ = ["arange", "as_tensor", "cat", "eye", "from_numpy", "full", "full_like", "linspace",
           "ones", "ones_like", "rand", "rand_like", "randint", "randn", "randn_like", "randperm", "stack",
           "tensor", "zeros", "zeros_like"]
