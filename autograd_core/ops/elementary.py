"""More smooth elementwise ops (Value and Tensor share them): sinh, cosh, asin, acos, atan, atan2, log2, log10,
reciprocal and rsqrt, each with its derivative; the inverse functions check their real domains."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..arrays import as_array
from .domain import require
from . import onnx_forms as F
from .apply import raw
from .elementwise import div, where
from .table import Inline, defop


def _overflow_to_inf(fn: Any) -> Any:
    """A math function that gives ±inf where it overflows (as numpy and torch), not OverflowError."""
    def scalar(x: float) -> float:
        try:
            return fn(x)
        except OverflowError:
            return math.copysign(math.inf, x) if fn is math.sinh else math.inf
    return scalar


def _quiet(fn: Any) -> Any:
    """A numpy function with overflow silenced (the result is inf, as torch's)."""
    def forward(x: Any) -> Any:
        with np.errstate(over="ignore"):
            return fn(x)
    return forward


def _checker(name: str, bad: Any, expected: str) -> Any:
    def check(x: Any) -> None:
        if type(x) is float:
            if bad(x):
                raise ValueError(f"{name}: expected {expected}, got {x!r}")
            return
        require(name, x, bad, expected)
    return check


def _unit(x: Any) -> bool:
    return (x < -1) | (x > 1)


SINH = defop("sinh", forward=_quiet(np.sinh), scalar=_overflow_to_inf(math.sinh), vjp=("g * cosh(x)",),
             display="sinh", words="sinh x has slope cosh x")
COSH = defop("cosh", forward=_quiet(np.cosh), scalar=_overflow_to_inf(math.cosh), vjp=("g * sinh(x)",),
             display="cosh", words="cosh x has slope sinh x")
ASIN = defop("asin", forward="asin(x)", check=_checker("asin", _unit, "an input in [-1, 1]"), vjp=("g / sqrt(1.0 - x * x)",),
             display="asin", words="arcsin x has slope 1/√(1 − x²), infinite at ±1")
ACOS = defop("acos", forward="acos(x)", check=_checker("acos", _unit, "an input in [-1, 1]"),
             vjp=("-g / sqrt(1.0 - x * x)",), display="acos", words="arccos x has slope −1/√(1 − x²), infinite at ±1")
ATAN = defop("atan", forward="atan(x)", vjp=("g / (1.0 + x * x)",), display="atan", words="arctan x has slope 1/(1 + x²)")


def _atan2_scale(a: Any, b: Any) -> Any:
    """1/(a² + b²), and 0 where a = b = 0: atan2's gradient at the origin is 0, as torch's (the
    formula b/(a² + b²) would give 0/0 = NaN there). Runs on floats, arrays and nodes."""
    squares = b * b + a * a
    data = raw(squares)
    if isinstance(data, (float, np.ndarray, np.generic)) and not np.any(data == 0):
        return 1.0 / squares  # the common case; a compile trace (no values to test) takes the general one
    origin = data == 0
    return where(origin, 0.0, div(1.0, where(origin, 1.0, squares)))


# Hand-written rather than a formula: a formula has no way to say "0 at the origin".
ATAN2 = defop("atan2", forward="atan2(a, b)",
              vjp=(lambda g, ans, a, b: g * b * _atan2_scale(a, b), lambda g, ans, a, b: -g * a * _atan2_scale(a, b)),
              inline=Inline(vjp=("g * b * (1.0 / _d0) if (_d0 := b * b + a * a) != 0.0 else g * b * 0.0",
                                 "-g * a * (1.0 / _d0) if (_d0 := b * b + a * a) != 0.0 else -g * a * 0.0")),
              elementwise=True, derivative=("b/(a² + b²)", "−a/(a² + b²)"), display="atan2",
              words="the angle of the point (b, a): its slope is b/(a² + b²) in a and −a/(a² + b²) in b "
                    "(0 at the origin, as torch)")
LOG2 = defop("log2", forward="log2(x)", check=_checker("log2", lambda v: v <= 0, "a positive input"),
             vjp=("g / (x * LN2)",), display="log₂", words="log₂ x has slope 1/(x ln 2)", onnx=F.log2)
LOG10 = defop("log10", forward="log10(x)", vjp=("g / (x * LN10)",), display="log₁₀", words="log₁₀ x has slope 1/(x ln 10)",
              check=_checker("log10", lambda v: v <= 0, "a positive input"), onnx=F.log10)
RECIPROCAL = defop("reciprocal", forward=lambda x: np.reciprocal(as_array(x) * 1.0), scalar=lambda x: 1.0 / x,
                   check=_checker("reciprocal", lambda v: v == 0, "a non-zero input"),
                   vjp=("-g * out * out",), display="1/x", words="1/x has slope −1/x²", onnx="Reciprocal")
RSQRT = defop("rsqrt", forward=lambda x: 1.0 / np.sqrt(x), scalar=lambda x: 1.0 / math.sqrt(x),
              vjp=("-0.5 * g * out * out * out",), check=_checker("rsqrt", lambda v: v <= 0, "a positive input"),
              display="1/√x", words="1/√x has slope −1/(2 x^(3/2))", onnx=F.rsqrt)
