"""Matrix product (1-D, 2-D and batched, numpy semantics) with its gradient rule."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..arrays import is_array
from . import onnx_forms as F
from .apply import call
from .shape import reshape, shape_of, sum_to, swap_last_axes
from .table import defop


def matmul(a: Any, b: Any) -> Any:
    """a @ b."""
    return call(MATMUL, a, b)


def _check_matmul(a: Any, b: Any) -> None:
    sa, sb = np.shape(a), np.shape(b)
    if len(sa) == 0 or len(sb) == 0:
        raise ValueError(f"matmul: shapes {sa} and {sb}: expected at least 1 dimension each")
    k_a, k_b = sa[-1], (sb[0] if len(sb) == 1 else sb[-2])
    if k_a != k_b:
        raise ValueError(f"matmul: shapes {sa} and {sb} do not line up ({k_a} != {k_b})")
    if len(sa) <= 2 and len(sb) <= 2:
        return
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        raise ValueError(f"matmul: batch shapes {sa[:-2]} and {sb[:-2]} (of {sa} and {sb}) "
                         f"do not broadcast") from None


def _as_matrices(g: Any, a: Any, b: Any) -> tuple[Any, Any, Any]:
    """Promote 1-D operands to matrices (k,) -> (1, k) / (k, 1) and give g the matching dims."""
    sa, sb = shape_of(a), shape_of(b)
    if len(sa) == 1:
        a = reshape(a, (1, sa[0]))
        g = reshape(g, shape_of(g)[:-1] + (1,) + shape_of(g)[-1:]) if len(sb) > 1 else reshape(g, (1,) + shape_of(g))
    if len(sb) == 1:
        b = reshape(b, (sb[0], 1))
        g = reshape(g, shape_of(g) + (1,))
    return g, a, b


def _grad_a(g: Any, ans: Any, a: Any, b: Any) -> Any:
    """dL/da = g @ b^T (batch dims are summed by the engine)."""
    if is_array(g) and g.ndim == 2 and b.ndim == 2:
        return g @ b.T
    g2, a2, b2 = _as_matrices(g, a, b)
    da = matmul(g2, swap_last_axes(b2))
    sa = shape_of(a)
    return reshape(da, shape_of(da)[:-2] + sa) if len(sa) == 1 else da


def _grad_b(g: Any, ans: Any, a: Any, b: Any) -> Any:
    """dL/db = a^T @ g (batch dims are summed by the engine)."""
    if is_array(g) and g.ndim == 2 and a.ndim == 2:
        return a.T @ g
    g2, a2, b2 = _as_matrices(g, a, b)
    db = matmul(swap_last_axes(a2), g2)
    sb = shape_of(b)
    return reshape(db, shape_of(db)[:-2] + sb) if len(sb) == 1 else db


MATMUL = defop("matmul", forward=np.matmul, check=_check_matmul, vjp=(_grad_a, _grad_b),
               display="@", elementwise=False, derivative=("g·Bᵀ", "Aᵀ·g"),
               words="for A @ B the gradient of A is g·Bᵀ and of B is Aᵀ·g",
               onnx="MatMul")


# ---- linear: x @ W^T + b in one node (a primitive for speed: one node per layer, not three) ----


def _linear(x: Any, w: Any, b: Any) -> Any:
    out = x @ w.T
    out += b
    return out


def _check_linear(x: Any, w: Any, b: Any) -> None:
    sx, sw, sb = np.shape(x), np.shape(w), np.shape(b)
    if len(sw) != 2 or len(sx) == 0 or sx[-1] != sw[1]:
        raise ValueError(f"linear: input shape {sx} and weight shape {sw} do not line up "
                         f"(expected weight (out_features, {sx[-1] if sx else '?'}))")
    if sb not in ((), (sw[0],), (1,)):
        raise ValueError(f"linear: bias shape {sb} does not match out_features {sw[0]}")


def _linear_grad_x(g: Any, ans: Any, x: Any, w: Any, b: Any) -> Any:
    """dL/dx = g @ W."""
    return g @ w if is_array(g) else matmul(g, w)


def _linear_grad_w(g: Any, ans: Any, x: Any, w: Any, b: Any) -> Any:
    """dL/dW = sum over batch of g^T x."""
    out_f, in_f = shape_of(w)
    if is_array(g):
        return g.reshape(-1, out_f).T @ np.reshape(x, (-1, in_f))
    return matmul(swap_last_axes(reshape(g, (-1, out_f))), reshape(x, (-1, in_f)))


def _linear_grad_b(g: Any, ans: Any, x: Any, w: Any, b: Any) -> Any:
    """dL/db = g summed over every batch dimension, reduced here (no broadcast undo by the engine)."""
    sb = shape_of(b)
    if is_array(g) and len(sb) == 1 and sb[0] == g.shape[-1]:
        return g.reshape(-1, sb[0]).sum(axis=0)
    return sum_to(g, sb)


LINEAR = defop("linear", forward=_linear, check=_check_linear,
               vjp=(_linear_grad_x, _linear_grad_w, _linear_grad_b),
               display="linear", elementwise=False, derivative=("g·W", "gᵀ·x", "Σ g over the batch"),
               words="for x·Wᵀ + b the gradient of x is g·W, of W is gᵀ·x, of b is g summed over the batch",
               onnx=F.linear)
