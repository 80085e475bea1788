"""Casting between floating dtypes (Tensor only): float32 <-> float64, differentiable."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..arrays import as_array
from .apply import call, raw
from .table import defop


def cast(x: Any, dtype: str) -> Any:
    """x converted to the floating dtype named `dtype` ("float32", "float64")."""
    return call(CAST, x, dtype=dtype)


CAST = defop("cast", forward=lambda x, *, dtype: as_array(x).astype(dtype),
             vjp=(lambda g, ans, x, *, dtype: cast(g, np.result_type(raw(x)).name),),
             display="cast", elementwise=True, derivative=("1",),
             words="a change of float precision passes the gradient unchanged, cast back",
             onnx=lambda b, x, *, dtype: b.op("Cast", x, to=np.dtype(dtype)))
