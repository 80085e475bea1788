"""PyTorch's legacy constructors: Tensor(2, 3) (uninitialised, here zeros), LongTensor, FloatTensor, ...

`X(*sizes)` with Python ints gives a tensor of that shape, `X(data)` a copy of data, in the type's
dtype; Tensor and FloatTensor differ in one way only: Tensor's dtype is the default float64.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np


def is_sizes(args: tuple) -> bool:
    """Whether constructor arguments are sizes (Python ints, not bools), as Tensor(2, 3)."""
    return bool(args) and all(isinstance(a, int) and not isinstance(a, bool) for a in args)


def _typed(name: str, dtype: Any) -> Callable[..., Any]:
    def make(*args: Any) -> Any:
        from .tensor.creation import tensor, zeros

        if not args:
            return zeros(0, dtype=dtype)
        if is_sizes(args):
            return zeros(*args, dtype=dtype)
        if len(args) != 1:
            raise TypeError(f"{name}: expected sizes (ints) or one sequence of data, got {len(args)} arguments")
        return tensor(args[0], dtype=dtype)

    make.__name__ = make.__qualname__ = name
    make.__doc__ = f"torch.{name}(*sizes) or torch.{name}(data): a {np.dtype(dtype)} tensor."
    return make


FloatTensor = _typed("FloatTensor", np.float32)
DoubleTensor = _typed("DoubleTensor", np.float64)
LongTensor = _typed("LongTensor", np.int64)
IntTensor = _typed("IntTensor", np.int32)
BoolTensor = _typed("BoolTensor", np.bool_)
ByteTensor = _typed("ByteTensor", np.uint8)
