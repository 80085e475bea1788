"""Reductions along axes (Tensor only): sum, max, min, and the max-shifted softmax family."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..arrays import as_array
from . import onnx_forms as F
from .apply import call, raw
from .elementwise import exp
from .shape import keepdims_shape, normalize_axes, shape_of, unreduce, broadcast_to
from .table import defop


def sum_(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Sum over `axis`."""
    return call(SUM, x, axis=axis, keepdims=keepdims)


def _extreme_vjp(g: Any, ans: Any, x: Any, *, axis: Any, keepdims: bool) -> Any:
    """max/min gradient: g to the arg-extremes of each reduced slice, split evenly among ties."""
    shape = shape_of(x)
    mask = raw(x) == np.reshape(raw(ans), keepdims_shape(shape, axis))
    share = mask / mask.sum(axis=normalize_axes(axis, len(shape)), keepdims=True)
    return unreduce(g, shape, axis) * share.astype(np.result_type(raw(x)), copy=False)


def _shift(x: np.ndarray, axis: Any) -> np.ndarray:
    """max over axis (keepdims), with non-finite maxima replaced by 0 so x - shift stays defined."""
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)  # initial: an empty slice has shift 0
    return np.where(np.isfinite(m), m, 0.0).astype(x.dtype, copy=False)


def _softmax(x: np.ndarray, *, axis: int) -> np.ndarray:
    """exp(x - max) / sum exp(x - max): softmax(x + c) == softmax(x), and nothing overflows."""
    e = np.exp(x - _shift(x, axis))
    with np.errstate(invalid="ignore"):  # an empty slice: nothing divided
        return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(x: np.ndarray, *, axis: int) -> np.ndarray:
    """(x - m) - log sum exp(x - m)."""
    shifted = x - _shift(x, axis)
    with np.errstate(divide="ignore"):
        return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _logsumexp(x: np.ndarray, *, axis: Any, keepdims: bool) -> np.ndarray:
    """m + log sum exp(x - m), exact for large |x|."""
    m = _shift(x, axis)
    with np.errstate(divide="ignore"):
        out = m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
    return out if keepdims else np.reshape(out, np.sum(np.empty(x.shape, bool), axis=axis).shape)


SUM = defop("sum", forward=lambda x, *, axis, keepdims: as_array(np.sum(x, axis=axis, keepdims=keepdims)),
            vjp=(lambda g, ans, x, *, axis, keepdims: broadcast_to(unreduce(g, shape_of(x), axis), shape_of(x)),),
            display="Σ", elementwise=False, derivative=("broadcast g",),
            words="a sum passes its gradient to every entry it added up",
            onnx=F.reduction("ReduceSum"))
MAX = defop("max", forward=lambda x, *, axis, keepdims: as_array(np.max(x, axis=axis, keepdims=keepdims)),
            vjp=(_extreme_vjp,), display="max", elementwise=False, derivative=("g at the argmax",),
            words="the gradient goes to the largest entry of each slice, split evenly among ties",
            onnx=F.reduction("ReduceMax"))
MIN = defop("min", forward=lambda x, *, axis, keepdims: as_array(np.min(x, axis=axis, keepdims=keepdims)),
            vjp=(_extreme_vjp,), display="min", elementwise=False, derivative=("g at the argmin",),
            words="the gradient goes to the smallest entry of each slice, split evenly among ties",
            onnx=F.reduction("ReduceMin"))
SOFTMAX = defop("softmax", forward=_softmax,
                vjp=(lambda g, ans, x, *, axis: ans * (g - sum_(g * ans, axis, True)),),
                display="softmax", elementwise=False, derivative=("s⊙(g − Σ g⊙s)",),
                words="softmax's Jacobian is diag(s) − s·sᵀ, so the gradient is s⊙(g − Σ g⊙s)",
                onnx=lambda b, x, *, axis: b.op("Softmax", x, axis=int(axis)))
LOG_SOFTMAX = defop("log_softmax", forward=_log_softmax,
                    vjp=(lambda g, ans, x, *, axis: g - exp(ans) * sum_(g, axis, True),),
                    display="log_softmax", elementwise=False, derivative=("g − softmax·Σg",),
                    words="the gradient is g minus softmax(x) times the sum of g",
                    onnx=lambda b, x, *, axis: b.op("LogSoftmax", x, axis=int(axis)))
LOGSUMEXP = defop("logsumexp", forward=_logsumexp,
                  vjp=(lambda g, ans, x, *, axis, keepdims: unreduce(g, shape_of(x), axis)
                       * exp(x - unreduce(ans, shape_of(x), axis)),),
                  display="logsumexp", elementwise=False, derivative=("g·softmax(x)",),
                  words="log Σ exp(x) has the softmax of x as its gradient",
                  onnx=F.logsumexp)
