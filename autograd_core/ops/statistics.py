"""Statistics along axes (Tensor only): var, std, prod (exact where elements are zero) and cumsum."""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..arrays import as_array
from ..graph.node import Node
from . import onnx_forms as F
from .apply import call, raw
from .elementwise import ABS, power, sign_mask, where
from .reductions import sum_
from .shape import broadcast_to, getitem, normalize_axes, reshape, shape_of, transpose, unreduce
from .table import Op, defop


def _count(shape: tuple[int, ...], axis: Any) -> int:
    """Number of elements each reduced slice holds."""
    return int(np.prod([shape[a] for a in normalize_axes(axis, len(shape))]))


def _centered(x: Any, axis: Any) -> Any:
    """x - mean(x) over axis (keepdims), on raw data or nodes."""
    return x - sum_(x, axis, True) * (1.0 / max(_count(shape_of(x), axis), 1))


# ---- var and std: sum (x - mean)^2 / (N - correction) ---------------------------------------------


def _np_var(x: Any, *, axis: Any, correction: float, keepdims: bool) -> np.ndarray:
    """nan where N - correction <= 0, as torch (numpy would also warn)."""
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return as_array(np.var(x, axis=axis, ddof=correction, keepdims=keepdims))


def _np_std(x: Any, *, axis: Any, correction: float, keepdims: bool) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return as_array(np.std(x, axis=axis, ddof=correction, keepdims=keepdims))


def _no_dof(g: Any, shape: tuple[int, ...], axis: Any) -> Any:
    """The gradient when N - correction <= 0: nan everywhere, as torch."""
    return unreduce(g, shape, axis) * np.full(shape, np.nan, dtype=np.result_type(raw(g)))


def _var_vjp(g: Any, ans: Any, x: Any, *, axis: Any, correction: float, keepdims: bool) -> Any:
    """d var / dx_i = 2 (x_i - mean) / (N - correction)."""
    shape = shape_of(x)
    dof = _count(shape, axis) - correction
    if dof <= 0:
        return _no_dof(g, shape, axis)
    return unreduce(g, shape, axis) * _centered(x, axis) * (2.0 / dof)


def _std_vjp(g: Any, ans: Any, x: Any, *, axis: Any, correction: float, keepdims: bool) -> Any:
    """d std / dx_i = (x_i - mean) / ((N - correction) std); 0 where std = 0 (a constant slice), as torch."""
    shape = shape_of(x)
    dof = _count(shape, axis) - correction
    if dof <= 0:
        return _no_dof(g, shape, axis)
    std = unreduce(ans, shape, axis)
    flat = as_array(raw(std)) == 0
    scale = where(flat, 0.0, unreduce(g, shape, axis) / where(flat, 1.0, std))
    return scale * _centered(x, axis) * (1.0 / dof)


# ---- prod: the gradient for x_i is the product of the other elements of its slice ---------------


def _to_last(x: Any, axis: Any) -> tuple[Any, tuple[int, ...], tuple[int, ...]]:
    """x with the reduced axes moved to one trailing axis: (..., n); also the permutation and its shape."""
    shape = shape_of(x)
    axes = normalize_axes(axis, len(shape))
    perm = tuple(i for i in range(len(shape)) if i not in axes) + axes
    moved = tuple(shape[i] for i in perm)
    rest = moved[:len(moved) - len(axes)]
    return reshape(transpose(x, perm), rest + (_count(shape, axis),)), perm, moved


def _from_last(y: Any, perm: tuple[int, ...], moved: tuple[int, ...]) -> Any:
    """Undo _to_last."""
    return transpose(reshape(y, moved), tuple(int(i) for i in np.argsort(perm)))


def _others_raw(flat: np.ndarray) -> np.ndarray:
    """prod_{j != i} flat[..., j] by exclusive cumulative products from both ends (no division)."""
    if flat.shape[-1] == 0:
        return flat  # nothing to leave out: an empty product has an empty gradient
    ones = np.ones(flat.shape[:-1] + (1,), dtype=flat.dtype)
    left = np.concatenate([ones, np.cumprod(flat[..., :-1], axis=-1)], axis=-1)
    right = np.concatenate([np.cumprod(flat[..., :0:-1], axis=-1)[..., ::-1], ones], axis=-1)
    return left * right


def _others_node(flat: Any) -> Any:
    """prod_{j != i} flat[..., j] as a recorded graph: prod over rows of an (n, n) matrix whose
    diagonal is 1 (so gradients of gradients exist, zeros included)."""
    shape = shape_of(flat)
    n = shape[-1]
    rows = broadcast_to(reshape(flat, shape[:-1] + (1, n)), shape[:-1] + (n, n))
    return call(PROD, where(np.eye(n, dtype=bool), 1.0, rows), axis=-1, keepdims=False)


def _prod_vjp(g: Any, ans: Any, x: Any, *, axis: Any, keepdims: bool) -> Any:
    flat, perm, moved = _to_last(x, axis)
    others = _others_node(flat) if isinstance(flat, Node) else _others_raw(as_array(flat))
    return unreduce(g, shape_of(x), axis) * _from_last(others, perm, moved)


# ---- cumsum: y_i = sum_{j <= i} x_j; its adjoint is the reversed cumulative sum -------------------


def _flip(x: Any, axis: int) -> Any:
    nd = len(shape_of(x))
    return getitem(x, (slice(None),) * (axis % nd) + (slice(None, None, -1),))


def _check_cumsum(x: Any, *, axis: int) -> None:
    nd = np.ndim(x)
    if not -max(nd, 1) <= axis < max(nd, 1):
        raise IndexError(f"cumsum: dim {axis} is out of range for a tensor with {nd} dimensions")


VAR = defop("var", forward=_np_var, vjp=(_var_vjp,), display="var", elementwise=False,
            derivative=("2·g·(x − mean)/(N − c)",),
            words="each entry's slope is twice its distance from the mean over N − correction",
            onnx=F.variance(root=False))
STD = defop("std", forward=_np_std, vjp=(_std_vjp,), display="std", elementwise=False,
            derivative=("g·(x − mean)/((N − c)·out)",),
            words="each entry's slope is its distance from the mean over (N − correction)·std",
            onnx=F.variance(root=True))
PROD = defop("prod", forward=lambda x, *, axis, keepdims: as_array(np.prod(x, axis=axis, keepdims=keepdims)),
             vjp=(_prod_vjp,), display="Π", elementwise=False, derivative=("g·Π of the others",),
             words="each entry's slope is the product of the other entries (exact with zeros)",
             onnx=F.reduction("ReduceProd"))
CUMSUM: Op = defop("cumsum", forward=lambda x, *, axis: np.cumsum(x, axis=axis) if np.ndim(x) else as_array(x),
               check=_check_cumsum, display="cumsum", elementwise=False, derivative=("reversed cumsum of g",),
               words="entry i feeds every running sum from i on, so its gradient sums g from i to the end",
               vjp=(lambda g, ans, x, *, axis: _flip(call(CUMSUM, _flip(g, axis), axis=axis), axis)
                    if len(shape_of(x)) else g,),
                    onnx=F.cumsum)


# ---- norm: (sum |x|^p)^(1/p), max |x| for p = inf, min for -inf, the count of nonzeros for p = 0 ----------------


def _np_norm(x: Any, *, axis: Any, keepdims: bool, p: float) -> Any:
    a = np.abs(as_array(x))
    dtype = a.dtype if a.dtype.kind == "f" else np.dtype(np.float64)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if p == math.inf:
            out = np.max(a, axis=axis, keepdims=keepdims, initial=0.0)
        elif p == -math.inf:
            out = np.min(a, axis=axis, keepdims=keepdims, initial=math.inf)
        elif p == 0:
            out = np.sum(a != 0, axis=axis, keepdims=keepdims)
        elif p == 2:
            out = np.sqrt(np.sum(a * a, axis=axis, keepdims=keepdims))
        else:
            out = np.sum(a ** p, axis=axis, keepdims=keepdims) ** (1.0 / p)
    return as_array(out).astype(dtype, copy=False)


def _norm_vjp(g: Any, ans: Any, x: Any, *, axis: Any, keepdims: bool, p: float) -> Any:
    """p = 2: g x / ‖x‖; ±inf: g sign(x) shared evenly among the entries at the extreme; 0: 0; otherwise
    g sign(x) |x|^(p-1) / ‖x‖^(p-1) (sign(x) for p = 1); 0 where the norm is 0, as torch."""
    shape = shape_of(x)
    upstream, length = unreduce(g, shape, axis), unreduce(ans, shape, axis)
    sign, xr = sign_mask(x), as_array(raw(x))
    if p == 0:
        return upstream * np.zeros(shape, xr.dtype)
    if p == 1:
        return upstream * sign
    if p in (math.inf, -math.inf):
        hit = np.abs(xr) == as_array(raw(length))
        count = hit.sum(axis=normalize_axes(axis, len(shape)), keepdims=True)
        return upstream * (sign * hit / np.maximum(count, 1)).astype(xr.dtype)
    zero = as_array(raw(length)) == 0
    safe = where(zero, 1.0, length)
    if p == 2:
        return upstream * where(zero, 0.0, x / safe)
    magnitude = where(xr == 0, 1.0, call(ABS, x))  # sign is 0 there: no 0 ** (p - 1) < 0
    return upstream * where(zero, 0.0, sign * power(magnitude, p - 1.0) / power(safe, p - 1.0))


NORM = defop("norm", forward=_np_norm, vjp=(_norm_vjp,), display="‖·‖", elementwise=False,
             derivative=("g·sign(x)·|x|^(p−1)/out^(p−1)",),
             words="each entry's slope is sign(x) |x|^(p-1) / norm^(p-1) (x / norm for p = 2, shared among the "
                   "extremes for p = ±inf; 0 where the norm is 0)",
             onnx=F.norm)
