"""Activation ops with settings (Value and Tensor share them): softplus, gelu, leaky_relu, elu, clamp."""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..arrays import as_array
from . import onnx_forms as F
from .apply import call, raw
from .elementwise import SIGMOID, TANH, exp, where
from .table import defop
from .trig import erf

_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_K = math.sqrt(2.0 / math.pi)  # gelu's tanh approximation: tanh(K (x + C x^3))
_C = 0.044715


def _above(x: Any, level: float) -> Any:
    """Constant x > level (a bool, or a bool array)."""
    x = raw(x)
    return x > level if type(x) is float else as_array(x) > level


def _at_most(x: Any, level: float) -> Any:
    """Constant x <= level (false at NaN, so a NaN input takes the x > level branch, as torch)."""
    x = raw(x)
    return x <= level if type(x) is float else as_array(x) <= level


# ---- softplus: log(1 + e^(beta x)) / beta, linear above `threshold` like torch ------------------


def _np_softplus(x: Any, *, beta: float, threshold: float) -> Any:
    bx = as_array(x) * beta
    soft = (np.maximum(bx, 0) + np.log1p(np.exp(-np.abs(bx)))) / beta
    return np.where(bx > threshold, x, soft).astype(np.result_type(x), copy=False)


def _scalar_softplus(x: float, *, beta: float, threshold: float) -> float:
    bx = x * beta
    return x if bx > threshold else (max(bx, 0.0) + math.log1p(math.exp(-abs(bx)))) / beta


def _softplus_vjp(g: Any, ans: Any, x: Any, *, beta: float, threshold: float) -> Any:
    """d/dx = sigmoid(beta x) (1 above the threshold)."""
    return g * where(_above(x, threshold / beta), 1.0, call(SIGMOID, x * beta))


def _check_softplus(x: Any, *, beta: float, threshold: float) -> None:
    if not beta > 0:
        raise ValueError(f"softplus: beta must be > 0, got {beta!r}")


# ---- gelu: x Phi(x), exact (erf) or tanh approximation ------------------------------------------


def _np_gelu(x: Any, *, approximate: str) -> Any:
    x = as_array(x)
    if approximate == "tanh":
        out = 0.5 * x * (1.0 + np.tanh(_K * (x + _C * x * x * x)))
    else:
        out = 0.5 * x * (1.0 + erf(x * _INV_SQRT2))
    return out.astype(x.dtype if x.dtype.kind == "f" else np.float64, copy=False)


def _scalar_gelu(x: float, *, approximate: str) -> float:
    if approximate == "tanh":
        return 0.5 * x * (1.0 + math.tanh(_K * (x + _C * x * x * x)))
    return 0.5 * x * (1.0 + math.erf(x * _INV_SQRT2))


def _gelu_vjp(g: Any, ans: Any, x: Any, *, approximate: str) -> Any:
    """exact: Phi(x) + x phi(x);  tanh: (1 + t)/2 + x (1 - t^2) K (1 + 3 C x^2) / 2, t = tanh(K(x + C x^3))."""
    if approximate == "tanh":
        t = call(TANH, _K * (x + _C * (x * x * x)))
        return g * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * (_K * (1.0 + 3.0 * _C * (x * x))))
    return g * (0.5 * (1.0 + erf(x * _INV_SQRT2)) + x * (_INV_SQRT_2PI * exp(-0.5 * (x * x))))


def _check_gelu(x: Any, *, approximate: str) -> None:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


# ---- leaky_relu and elu --------------------------------------------------------------------------


def _np_leaky_relu(x: Any, *, negative_slope: float) -> Any:
    return np.where(as_array(x) > 0, x, x * negative_slope).astype(np.result_type(x), copy=False)


def _leaky_slope(x: Any, negative_slope: float) -> Any:
    """Constant 1 where x > 0 else negative_slope (the slope at 0 is negative_slope, as in torch)."""
    up = _above(x, 0.0)
    if type(up) is bool:
        return 1.0 if up else negative_slope
    return np.where(up, 1.0, negative_slope).astype(np.result_type(raw(x)), copy=False)


def _np_elu(x: Any, *, alpha: float) -> Any:
    x = as_array(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)


def _scalar_elu(x: float, *, alpha: float) -> float:
    return x if x > 0 else alpha * math.expm1(x)


def _elu_vjp(g: Any, ans: Any, x: Any, *, alpha: float) -> Any:
    """1 for x > 0 (and NaN), out + alpha = alpha e^x below 0, and the constant alpha at 0 exactly (so the second
    derivative there is 0, as torch's)."""
    xr = raw(x)
    if type(xr) is float:
        return g * (ans + alpha if xr < 0 else (alpha if xr == 0 else 1.0))
    xa = as_array(xr)
    return g * where(xa < 0, ans + alpha, np.where(xa == 0, alpha, 1.0).astype(xa.dtype))


# ---- clamp ---------------------------------------------------------------------------------------


def _np_clamp(x: Any, *, min: float | None, max: float | None) -> Any:  # noqa: A002 - torch's names
    out = as_array(x)
    if min is not None:
        out = np.maximum(out, min)
    if max is not None:
        out = np.minimum(out, max)
    return out.astype(np.result_type(x), copy=False)


def _scalar_clamp(x: float, *, min: float | None, max: float | None) -> float:  # noqa: A002
    if min is not None and x < min:
        x = float(min)
    if max is not None and x > max:
        x = float(max)
    return x


def _gate(g: Any, x: Any, inside: Callable[[Any], Any]) -> Any:
    """g where inside(x's data) (a bool for a float input, a bool array otherwise), else 0."""
    xr = raw(x)
    return where(inside(xr if type(xr) is float else as_array(xr)), g, 0.0)


def _clamp_vjp(g: Any, ans: Any, x: Any, *, min: float | None, max: float | None) -> Any:  # noqa: A002
    """g where min <= x <= max (both ends inclusive, as torch), else 0."""
    return _gate(g, x, lambda v: (True if min is None else v >= min) & (True if max is None else v <= max))


def _check_clamp(x: Any, *, min: Any, max: Any) -> None:  # noqa: A002
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    for name, v in (("min", min), ("max", max)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating))):
            raise TypeError(f"clamp: {name} must be a number, a tensor or None, got {type(v).__name__}")


SOFTPLUS = defop("softplus", forward=_np_softplus, scalar=_scalar_softplus, check=_check_softplus,
                 vjp=(_softplus_vjp,), display="softplus", elementwise=True, derivative=("σ(β·x)",), onnx=F.softplus,
                 words="softplus has the sigmoid σ(βx) as its slope (1 above the threshold)", flat_warning="saturated softplus")
GELU = defop("gelu", forward=_np_gelu, scalar=_scalar_gelu, check=_check_gelu, vjp=(_gelu_vjp,), onnx=F.gelu,
             display="GELU", elementwise=True, derivative=("Φ(x) + x·φ(x)",), flat_warning="dead GELU",
             words="x·Φ(x) has slope Φ(x) + x·φ(x): about 1 for large x, about 0 far left")
LEAKY_RELU = defop("leaky_relu", forward=_np_leaky_relu,
                   scalar=lambda x, *, negative_slope: x if x > 0 else x * negative_slope,
                   vjp=(lambda g, ans, x, *, negative_slope: g * _leaky_slope(x, negative_slope),),
                   display="LeakyReLU", elementwise=True, derivative=("1 if x > 0 else slope",), onnx=F.leaky_relu,
                   words="leaky ReLU passes the gradient where its input is positive and a slope-scaled "
                         "part elsewhere (at 0 the slope, as torch)")
ELU = defop("elu", forward=_np_elu, scalar=_scalar_elu, vjp=(_elu_vjp,), onnx=F.elu,
            display="ELU", elementwise=True, derivative=("1 if x > 0 else out + α",), flat_warning="saturated ELU",
            words="ELU has slope 1 for positive inputs and α·eˣ for the others")
CLAMP = defop("clamp", forward=_np_clamp, scalar=_scalar_clamp, check=_check_clamp, vjp=(_clamp_vjp,), onnx=F.clamp,
              display="clamp", elementwise=True, derivative=("1 if min ≤ x ≤ max else 0",), flat_warning="clamped everywhere",
              words="clamp passes the gradient inside [min, max] (ends included) and blocks it outside")


# ---- hardtanh: clamp with torch's exclusive ends for the gradient ----------------------------------


def _np_hardtanh(x: Any, *, min_val: float, max_val: float) -> Any:
    return np.minimum(np.maximum(x, min_val), max_val).astype(np.result_type(x), copy=False)


def _hardtanh_vjp(g: Any, ans: Any, x: Any, *, min_val: float, max_val: float) -> Any:
    """g where min_val < x < max_val (both ends excluded, as torch's hardtanh_backward), else 0;
    blocked at and beyond the ends, so a NaN input passes the gradient, as torch."""
    return _gate(g, x, lambda v: np.logical_not((v <= min_val) | (v >= max_val)))


def _check_hardtanh(x: Any, *, min_val: float, max_val: float) -> None:
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val {min_val!r} must not be greater than max_val {max_val!r}")


HARDTANH = defop("hardtanh", forward=_np_hardtanh, scalar=lambda x, *, min_val, max_val: _np_hardtanh(x, min_val=min_val,
                                                                                                        max_val=max_val).item(),
                 check=_check_hardtanh, vjp=(_hardtanh_vjp,), display="hardtanh", elementwise=True,
                 derivative=("1 if min < x < max else 0",),
                 words="hardtanh passes the gradient strictly inside (min, max) and blocks it at and beyond the ends "
                       "(relu6 is hardtanh on [0, 6])", flat_warning="saturated hardtanh", onnx=F.hardtanh)


# ---- logsigmoid: log σ(x) = min(x, 0) − log(1 + e^−|x|) -----------------------------------------


def _np_logsigmoid(x: Any) -> Any:
    x = as_array(x)
    return (np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))).astype(np.result_type(x), copy=False)


def _scalar_logsigmoid(x: float) -> float:
    return min(x, 0.0) - math.log1p(math.exp(-abs(x))) if x == x else x


LOGSIGMOID = defop("logsigmoid", forward=_np_logsigmoid, scalar=_scalar_logsigmoid, vjp=("g * sigmoid(-x)",),
                   display="log σ",
                   words="log σ(x) has slope σ(−x) = 1 − σ(x): 1 far left, 0 far right")
