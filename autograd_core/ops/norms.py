"""The vector norm along axes (Tensor only): (sum |x|^p)^(1/p), max |x| for p = inf, min for -inf, the count of
nonzeros for p = 0; its gradient is 0 where the norm is 0 (as torch's), so normalizing a zero vector stays finite."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .apply import call, raw
from .elementwise import ABS, power, sign_mask, where
from .shape import normalize_axes, shape_of, unreduce
from .table import defop


def _np_norm(x: Any, *, ord: float, axis: Any, keepdims: bool) -> np.ndarray:  # noqa: A002 - torch's name
    a = np.abs(np.asanyarray(x))
    dtype = a.dtype if a.dtype.kind == "f" else np.dtype(np.float64)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if ord == math.inf:
            out = np.max(a, axis=axis, keepdims=keepdims, initial=0.0)
        elif ord == -math.inf:
            out = np.min(a, axis=axis, keepdims=keepdims, initial=math.inf)
        elif ord == 0:
            out = np.sum(a != 0, axis=axis, keepdims=keepdims)
        elif ord == 1:
            out = np.sum(a, axis=axis, keepdims=keepdims)
        elif ord == 2:
            out = np.sqrt(np.sum(a * a, axis=axis, keepdims=keepdims))
        else:
            out = np.sum(a ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)
    return np.asanyarray(out).astype(dtype, copy=False)


def _norm_vjp(g: Any, ans: Any, x: Any, *, ord: float, axis: Any, keepdims: bool) -> Any:  # noqa: A002
    """p = 2: g x / ‖x‖; p = 1: g sign(x); p = ±inf: g sign(x) shared evenly among the entries at the
    extreme; p = 0: 0; otherwise g sign(x) |x|^(p-1) / ‖x‖^(p-1). 0 where the norm is 0, as torch."""
    shape = shape_of(x)
    gb, norm = unreduce(g, shape, axis), unreduce(ans, shape, axis)
    sign = sign_mask(x)
    if ord == 0:
        return gb * np.zeros(shape, np.result_type(raw(x)))
    if ord == 1:
        return gb * sign
    zero = np.asarray(raw(norm)) == 0
    safe = where(zero, 1.0, norm)
    if ord in (math.inf, -math.inf):
        hit = np.abs(np.asarray(raw(x))) == np.asarray(raw(norm))
        count = hit.sum(axis=normalize_axes(axis, len(shape)), keepdims=True)
        return gb * (sign * hit / np.maximum(count, 1)).astype(np.result_type(raw(x)))
    if ord == 2:
        return where(zero, 0.0, gb * x / safe)
    scaled = sign * power(where(np.asarray(raw(x)) == 0, 1.0, call(ABS, x)), ord - 1.0)  # sign is 0 there
    return where(zero, 0.0, gb * scaled / power(safe, ord - 1.0))


VECTOR_NORM = defop("vector_norm", forward=_np_norm, vjp=(_norm_vjp,), display="‖x‖", elementwise=False,
                    derivative=("g·sign(x)·|x|^(p−1)/‖x‖^(p−1)",),
                    words="the p-norm's gradient is sign(x)|x|^(p−1)/‖x‖^(p−1) (x/‖x‖ for p = 2), 0 where the "
                          "norm is 0")
