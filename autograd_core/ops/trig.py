"""Smooth elementwise ops (Value and Tensor share them): sin, cos, tan, log1p, expm1 and erf."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..arrays import as_array
from ..graph.trace_hooks import recorded
from . import onnx_forms as F
from .apply import call
from .domain import require
from .table import Inline, defop


def erf(x: Any) -> Any:
    """The error function 2/sqrt(pi) int_0^x e^(-t^2) dt."""
    return call(ERF, x)


def _scalar_expm1(x: float) -> float:
    try:
        return math.expm1(x)
    except OverflowError:
        return math.inf


def _np_expm1(x: Any) -> Any:
    with np.errstate(over="ignore"):
        return np.expm1(x)


def _np_erf(x: Any) -> np.ndarray:
    """erf elementwise through math.erf (numpy has no erf; exact to the last bit like libm)."""
    return recorded(_erf_values, x)  # while compiling: one recorded call (numpy cannot see math.erf)


def _erf_values(x: Any) -> np.ndarray:
    arr = as_array(x)
    flat = np.fromiter(map(math.erf, arr.ravel().tolist()), dtype=np.float64, count=arr.size)
    return flat.reshape(arr.shape).astype(arr.dtype if arr.dtype.kind == "f" else np.float64, copy=False)


def _check_log1p(x: Any) -> None:
    if type(x) is float:
        if x <= -1.0:
            raise ValueError(f"log1p: expected an input > -1, got {x!r}")
        return
    require("log1p", x, lambda v: v <= -1, "an input > -1")


SIN = defop("sin", forward="sin(x)", vjp=("g * cos(x)",), display="sin", words="sin x has slope cos x", onnx="Sin")
COS = defop("cos", forward="cos(x)", vjp=("-g * sin(x)",), display="cos", words="cos x has slope −sin x", onnx="Cos")
TAN = defop("tan", forward="tan(x)", vjp=("g * (1.0 + out * out)",), display="tan", onnx=F.tan,
            words="tan x has slope 1 + tan²x, growing without bound near its poles")
LOG1P = defop("log1p", forward="log1p(x)", check=_check_log1p, inline=Inline(ok="x > -1.0"), vjp=("g / (1.0 + x)",),
              display="log1p", words="ln(1 + x) has slope 1/(1 + x), exact for tiny x",
              onnx=lambda b, x: b.op("Log", b.op("Add", b.const(1.0), x)))
EXPM1 = defop("expm1", forward=_np_expm1, scalar=_scalar_expm1, vjp=("g * (out + 1.0)",), display="expm1",
              words="eˣ − 1 has slope eˣ, exact for tiny x", onnx=lambda b, x: b.op("Sub", b.op("Exp", x), b.const(1.0)))
ERF = defop("erf", forward=_np_erf, scalar=math.erf, inline=Inline("erf(x)", env={"erf": math.erf}),
            vjp=("g * (TWO_OVER_SQRT_PI * exp(-(x * x)))",), display="erf", onnx=F.erf,
            words="the error function's slope is the Gaussian 2/√π·e^(−x²)")
