"""What a node keeps of an array that a backward pass released: its shape and dtype, and a clear error on use.

After `backward()` without retain_graph, the arrays only another backward would need are dropped, as
PyTorch frees its saved tensors (see engine.release_buffers): a Tensor that nobody but the graph holds
keeps `Released(shape, dtype)` in place of its data and gradient. Drawing still works (viz shows the
shape and says the values were released); computing with it raises, naming the cause.
"""
from __future__ import annotations

from typing import Any, NoReturn

import numpy as np


class ReleasedError(RuntimeError):
    """The values of a tensor were released by a backward pass (retain_graph=True keeps them)."""


class Released:
    """Stands in for an array a backward pass released: shape, dtype, ndim and size answer as the
    array did; turning it into numbers (np.asarray, arithmetic, indexing) raises ReleasedError."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape: tuple[int, ...], dtype: np.dtype) -> None:
        self.shape = shape
        self.dtype = dtype

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ReleasedError(f"this {self.shape} {self.dtype} tensor's values were released by backward(): only "
                            f"the graph held it, and a pass without retain_graph frees what only another "
                            f"backward would need. Keep a reference to the tensor (it then keeps its data) "
                            f"or pass retain_graph=True.")

    __array__ = __float__ = __int__ = __bool__ = __getitem__ = __setitem__ = __iter__ = __len__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __neg__ = __pow__ = __matmul__ = __rmatmul__ = _refuse

    def __repr__(self) -> str:
        return f"<released by backward: {self.shape} {self.dtype}>"
