"""Tensor conversions with PyTorch's names (float() double() long() to() tolist()) and Python protocols.

Python's float()/int()/bool() of one element, numpy's __array__, and iteration over the first dim.
"""
from __future__ import annotations

import builtins
from typing import Any, Callable, Iterator

import numpy as np

from ..arrays import as_array
from .dims import dims_of
from ..device import CPU, check_device, device as Device
from ..operators.op_methods import named, unnamed
from ..ops import dtype as D
from ..ops.apply import apply
from .attrs import TensorAttrs


def _cast(dtype: Any, doc: str) -> Callable[..., Any]:
    """x.float() etc.: self.type(dtype); memory_format= is accepted and changes nothing."""
    def method(self: Any, memory_format: Any = None) -> Any:
        return self.type(dtype)
    return unnamed(method, doc)


@named
class ConversionMethods(TensorAttrs):
    """dtype casts (float32 is torch's float(); int and bool results record no gradient). memory_format= is
    accepted and changes nothing: numpy data has no layout a result could differ by."""

    __slots__ = ()

    def to(self, *args: Any, dtype: Any = None, device: Any = None, non_blocking: builtins.bool = False,
           copy: builtins.bool = False, memory_format: Any = None, **kwargs: Any) -> Any:
        """A dtype cast: to(dtype), to(other_tensor), to("cpu"), to(device, dtype), to("cpu", dtype, non_blocking,
        copy) as torch; the only device is the CPU; copy=True gives a new tensor even when nothing changes."""
        flags = []
        for a in args:
            if isinstance(a, builtins.bool):
                flags.append(a)  # non_blocking, then copy, by position
            elif isinstance(a, Device) or (isinstance(a, (str, builtins.int)) and not _is_dtype_name(a)):
                check_device(a, "to")
            elif hasattr(a, "data") and hasattr(a, "shape"):  # another tensor: its dtype
                dtype = a.data.dtype
            else:
                dtype = a
        check_device(device, "to")
        if len(flags) > 1:
            copy = flags[1]
        out = self if dtype is None else self.type(dtype)
        return out.clone() if copy and out is self else out

    @property
    def device(self) -> Device:
        """The CPU (tensors are numpy arrays in host memory)."""
        return CPU

    @property
    def is_cuda(self) -> builtins.bool:
        """False."""
        return False

    def cpu(self) -> Any:
        """self: every tensor lives in host memory (numpy)."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Any:
        """There are no devices here: raises, saying so."""
        raise RuntimeError("cuda: there are no devices here: this library runs on the CPU only (tensors are numpy "
                           "arrays); drop .cuda() and .to('cuda'), or take the script's torch.cuda.is_available() branch")

    def type(self, dtype: Any) -> Any:
        """A copy cast to dtype; floating casts keep the graph, integer and bool casts record nothing."""
        target = np.dtype(dtype)
        if target == self.data.dtype:
            return self
        if target.kind == "f" and self.data.dtype.kind == "f":
            return apply(D.CAST, self, dtype=target.name)
        return self._leaf(self.data.astype(target))

    float = _cast(np.float32, "Cast to float32 (torch's float()).")
    double = _cast(np.float64, "Cast to float64.")
    half = _cast(np.float16, "Cast to float16.")
    long = _cast(np.int64, "Cast to int64 (truncating toward zero); records no gradient.")
    int = _cast(np.int32, "Cast to int32; records no gradient.")
    bool = _cast(np.bool_, "Cast to bool (nonzero is True); records no gradient.")

    def tolist(self) -> Any:
        """The data as (nested) Python lists of Python numbers."""
        return self.data.tolist()

    def _one(self, what: str) -> Any:
        if self.data.size != 1:
            raise ValueError(f"{what}: only a one-element tensor converts to a Python scalar, got shape {self.shape}")
        return self.data.reshape(()).item()

    def __float__(self) -> builtins.float:
        return builtins.float(self._one("float()"))

    def __int__(self) -> builtins.int:
        return builtins.int(self._one("int()"))

    def __index__(self) -> builtins.int:
        if self.data.dtype.kind not in "iub":
            raise TypeError(f"only integer tensors of a single element can be used as an index, got dtype "
                            f"{self.data.dtype}")
        return builtins.int(self._one("index"))

    def __bool__(self) -> builtins.bool:
        if self.data.size != 1:
            raise RuntimeError(f"bool() of a tensor with {self.data.size} elements (shape {self.shape}) is "
                               f"ambiguous; use .any() or .all()")
        return builtins.bool(self.data.reshape(()))

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype)

    def __iter__(self) -> Iterator[Any]:
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        for i in range(self.data.shape[0]):
            yield self[i]

    def any(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """True where any element along dim (all dims by default) is nonzero; a bool tensor."""
        return self._leaf(as_array(self.data.any(axis=dims_of("any", dim, self.ndim, self.shape), keepdims=keepdim)))

    def all(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """True where every element along dim (all dims by default) is nonzero; a bool tensor."""
        return self._leaf(as_array(self.data.all(axis=dims_of("all", dim, self.ndim, self.shape), keepdims=keepdim)))


def _is_dtype_name(name: Any) -> bool:
    if not isinstance(name, str):
        return False
    try:
        np.dtype(name)
    except TypeError:
        return False
    return True
