"""More smooth elementwise ops (Value and Tensor share them): sinh, cosh, asin, acos, atan, atan2, log2, log10,
reciprocal and rsqrt, each with its derivative; the inverse functions check their real domains."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..arrays import as_array
from .apply import call
from .domain import require
from .elementwise import SQRT
from .table import defop

_LN2, _LN10 = math.log(2.0), math.log(10.0)


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


def cosh(x: Any) -> Any:
    """cosh x."""
    return call(COSH, x)


def sinh(x: Any) -> Any:
    """sinh x."""
    return call(SINH, x)


SINH = defop("sinh", forward=_quiet(np.sinh), scalar=_overflow_to_inf(math.sinh), vjp=(lambda g, ans, x: g * cosh(x),),
             display="sinh", elementwise=True, derivative=("cosh x",), words="sinh x has slope cosh x")
COSH = defop("cosh", forward=_quiet(np.cosh), scalar=_overflow_to_inf(math.cosh), vjp=(lambda g, ans, x: g * sinh(x),),
             display="cosh", elementwise=True, derivative=("sinh x",), words="cosh x has slope sinh x")
ASIN = defop("asin", forward=np.arcsin, scalar=math.asin, check=_checker("asin", _unit, "an input in [-1, 1]"),
             vjp=(lambda g, ans, x: g / call(SQRT, 1.0 - x * x),), display="asin", elementwise=True,
             derivative=("1/√(1 − x²)",), words="arcsin x has slope 1/√(1 − x²), infinite at ±1")
ACOS = defop("acos", forward=np.arccos, scalar=math.acos, check=_checker("acos", _unit, "an input in [-1, 1]"),
             vjp=(lambda g, ans, x: -g / call(SQRT, 1.0 - x * x),), display="acos", elementwise=True,
             derivative=("−1/√(1 − x²)",), words="arccos x has slope −1/√(1 − x²), infinite at ±1")
ATAN = defop("atan", forward=np.arctan, scalar=math.atan, vjp=(lambda g, ans, x: g / (1.0 + x * x),),
             display="atan", elementwise=True, derivative=("1/(1 + x²)",), words="arctan x has slope 1/(1 + x²)")
ATAN2 = defop("atan2", forward=np.arctan2, scalar=math.atan2,
              vjp=(lambda g, ans, y, x: g * x / (x * x + y * y), lambda g, ans, y, x: -g * y / (x * x + y * y)),
              display="atan2", elementwise=True, derivative=("a/(a² + b²)·(b/a)", "−a/(a² + b²)"),
              words="the angle of the point (b, a): its slope is b/(a² + b²) in a and −a/(a² + b²) in b")
LOG2 = defop("log2", forward=np.log2, scalar=math.log2, check=_checker("log2", lambda v: v <= 0, "a positive input"),
             vjp=(lambda g, ans, x: g / (x * _LN2),), display="log₂", elementwise=True, derivative=("1/(x·ln 2)",),
             words="log₂ x has slope 1/(x ln 2)")
LOG10 = defop("log10", forward=np.log10, scalar=math.log10,
              check=_checker("log10", lambda v: v <= 0, "a positive input"),
              vjp=(lambda g, ans, x: g / (x * _LN10),), display="log₁₀", elementwise=True,
              derivative=("1/(x·ln 10)",), words="log₁₀ x has slope 1/(x ln 10)")
RECIPROCAL = defop("reciprocal", forward=lambda x: np.reciprocal(as_array(x) * 1.0), scalar=lambda x: 1.0 / x,
                   check=_checker("reciprocal", lambda v: v == 0, "a non-zero input"),
                   vjp=(lambda g, ans, x: -g * ans * ans,), display="1/x", elementwise=True, derivative=("−out²",),
                   words="1/x has slope −1/x²")
RSQRT = defop("rsqrt", forward=lambda x: 1.0 / np.sqrt(x), scalar=lambda x: 1.0 / math.sqrt(x),
              check=_checker("rsqrt", lambda v: v <= 0, "a positive input"),
              vjp=(lambda g, ans, x: -0.5 * g * ans * ans * ans,), display="1/√x", elementwise=True,
              derivative=("−out³/2",), words="1/√x has slope −1/(2 x^(3/2))")
