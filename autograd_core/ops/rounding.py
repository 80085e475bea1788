"""Piecewise-constant elementwise ops (Value and Tensor share them): floor, ceil, trunc, round, sign, floor_divide.

Each is flat between its jumps, so its gradient is 0 everywhere (as torch's); integer inputs pass
through unchanged (floor of an int is itself, as in torch).
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..arrays import as_array
from .table import defop


def _keep_integers(fn: Callable[..., Any]) -> Callable[..., Any]:
    """fn on floating data; integer and bool data unchanged (numpy would make it float64)."""
    def forward(x: Any, **settings: Any) -> Any:
        return as_array(x).copy() if np.result_type(x).kind in "biu" else fn(x, **settings)
    return forward


_ZERO = "g * 0.0"  # a step function's slope, as a formula: 0 (torch's gradient for floor, ceil, trunc, round, sign)


def _scalar_round(x: float, *, decimals: int) -> float:
    return float(np.round(x, decimals))


def _np_sign(x: Any) -> Any:
    """sign(x), 0 at NaN as torch.sign (numpy gives NaN)."""
    x = as_array(x)
    return (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)


_FLAT = "the gradient is 0: {} is flat between its jumps"
def _whole(fn: Callable[[float], Any]) -> Callable[[float], float]:
    """fn (floor, ceil, trunc) as a float; ±inf and NaN unchanged (math's would raise)."""
    return lambda x: float(fn(x)) if math.isfinite(x) else x


FLOOR = defop("floor", forward=_keep_integers(np.floor), scalar=_whole(math.floor), vjp=(_ZERO,), display="⌊x⌋",
              words=_FLAT.format("floor"), onnx="Floor")
CEIL = defop("ceil", forward=_keep_integers(np.ceil), scalar=_whole(math.ceil), vjp=(_ZERO,), display="⌈x⌉",
             words=_FLAT.format("ceil"), onnx="Ceil")
TRUNC = defop("trunc", forward=_keep_integers(np.trunc), scalar=_whole(math.trunc), vjp=(_ZERO,), display="trunc",
              words=_FLAT.format("trunc"))
ROUND = defop("round", forward=_keep_integers(lambda x, *, decimals: np.round(x, decimals)), scalar=_scalar_round,
              vjp=(_ZERO,), display="round", words=_FLAT.format("rounding (half to even, as torch)"))
SIGN = defop("sign", forward=_np_sign, scalar=lambda x: 1.0 if x > 0 else (-1.0 if x < 0 else 0.0),
             vjp=(_ZERO,), display="sign", words=_FLAT.format("sign"))


def _np_floor_divide(a: Any, b: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.floor_divide(a, b)


def _scalar_floor_divide(a: float, b: float) -> float:
    return math.nan if b == 0 else float(a // b)


FLOOR_DIVIDE = defop("floor_divide", forward=_np_floor_divide, scalar=_scalar_floor_divide, vjp=(_ZERO, _ZERO),
                     display="//",
                     words="a // b (floor(a / b) computed as Python does, exact near whole quotients) is flat between "
                           "its jumps, so both gradients are 0")
