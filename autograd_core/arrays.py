"""Array spellings that keep duck arrays (compile's tracer) as they are, where np.asarray would ask for data."""
from __future__ import annotations

from typing import Any

import numpy as np


def is_array(x: Any) -> bool:
    """Whether x is an ndarray or a duck array that answers numpy's protocols (it has a shape, a
    dtype and __array_function__): code that tests `isinstance(x, np.ndarray)` to pick the array
    path should test this, so a traced array takes the same path as the data it stands for."""
    return isinstance(x, np.ndarray) or (hasattr(type(x), "__array_function__") and hasattr(x, "dtype")
                                         and not isinstance(x, np.generic))


def as_array(x: Any, dtype: Any = None) -> Any:
    """np.asarray(x, dtype) for numbers, lists and ndarrays; a duck array stays itself (cast with
    astype when dtype differs), so its operations stay visible to whoever is watching them."""
    if is_array(x):
        return x if dtype is None or x.dtype == np.dtype(dtype) else x.astype(dtype)
    return np.asarray(x, dtype=dtype)
