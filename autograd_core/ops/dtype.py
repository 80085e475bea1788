"""dtypes of results: casting between floating dtypes (differentiable) and torch's type promotion."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..arrays import as_array
from .apply import call, raw
from .table import defop

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}  # bool < integer < floating, as torch's promotion ranks them


def cast(x: Any, dtype: str) -> Any:
    """x converted to the floating dtype named `dtype` ("float32", "float64")."""
    return call(CAST, x, dtype=dtype)


def _highest(dtypes: Sequence[np.dtype]) -> tuple[int, np.dtype]:
    """The highest category among dtypes, and the promotion of the dtypes of that category."""
    top = max(_CATEGORY[d.kind] for d in dtypes)
    return top, np.result_type(*[d for d in dtypes if _CATEGORY[d.kind] == top])


def result_type(arrays: Sequence[Any]) -> np.dtype:
    """torch.result_type of arrays: tensors with dimensions decide, unless a 0-d operand (a 0-d tensor
    or a number) is of a higher category (bool < int < float); lower categories never widen a dtype.
    So float32 with an int64 tensor or a float64 0-d tensor stays float32 (numpy: float64)."""
    dims = [np.result_type(a) for a in arrays if np.ndim(a)]
    zero = [np.result_type(a) for a in arrays if not np.ndim(a)]
    if not dims or not zero:
        return _highest(dims or zero)[1]
    (c1, d1), (c0, d0) = _highest(dims), _highest(zero)
    return d1 if c1 >= c0 else d0


def _cast(x: Any, *, dtype: str) -> Any:
    """x as dtype; float64 reaches float16 through float32, as torch rounds it."""
    x = as_array(x)
    if np.dtype(dtype) == np.float16 and x.dtype == np.float64:
        x = x.astype(np.float32)
    return x.astype(dtype)


CAST = defop("cast", forward=_cast,
             vjp=(lambda g, ans, x, *, dtype: cast(g, np.result_type(raw(x)).name),),
             display="cast", elementwise=True, derivative=("1",),
             words="a change of float precision passes the gradient unchanged, cast back",
             onnx=lambda b, x, *, dtype: b.op("Cast", x, to=np.dtype(dtype)))
