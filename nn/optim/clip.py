"""Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd_core.arrays import as_array, is_array
from autograd_core.jit import validated
from autograd_core.graph.node import Node


def _grads(params: Any) -> list[tuple[Node, Any]]:
    """(param, grad data) for every param with a gradient (Value grads are floats, always present)."""
    if hasattr(params, "parameters") and callable(params.parameters) and not isinstance(params, Node):
        params = params.parameters()
    nodes = [params] if isinstance(params, Node) else list(params)
    out = []
    for p in nodes:
        g = p.grad
        if g is None:
            continue
        out.append((p, as_array(g.data if isinstance(g, Node) else g)))
    return out


def clip_grad_norm_(parameters: Any, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> float:
    """Scale all gradients by min(1, max_norm / (total + 1e-6)); return the total norm before clipping.

    total = (sum over params of ||grad||_p^p)^(1/p), the p-norm of all gradients as one vector
    (p = inf: the largest |grad|). Params whose grad is None are skipped. Gradients are replaced by
    scaled copies (`p.grad = p.grad * c`) rather than scaled in place, because the engine may hand
    the same gradient array to two parameters (x + y gives both the upstream array).
    """
    if not max_norm >= 0:
        raise ValueError(f"clip_grad_norm_: max_norm must be >= 0, got {max_norm!r}")
    norm_type = float(norm_type)
    if not norm_type > 0:
        raise ValueError(f"clip_grad_norm_: norm_type must be > 0 (or inf), got {norm_type!r}")
    pairs = _grads(parameters)
    if not pairs:
        return 0.0
    if not isinstance(pairs[0][1], (np.ndarray, float, int)) and is_array(pairs[0][1]):
        return _traced_clip(pairs, max_norm, norm_type, error_if_nonfinite)
    total = _total_norm([g for _, g in pairs], norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total {norm_type}-norm of the gradients is {total}; "
                           f"set error_if_nonfinite=False to clip anyway")
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for p, _ in pairs:
            p.grad = p.grad * coef
    return total


def _total_norm(grads: list[np.ndarray], p: float) -> float:
    if p == math.inf:
        return float(max(np.max(np.abs(g)) if g.size else 0.0 for g in grads))
    if p == 2.0:
        return math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    return float(sum(float(np.sum(np.abs(g) ** p)) for g in grads) ** (1.0 / p))


def _traced_clip(pairs: list[tuple[Node, Any]], max_norm: float, norm_type: float, error_if_nonfinite: bool) -> Any:
    """clip_grad_norm_ inside a compiled step: the total norm and the scale are arrays, every
    gradient is multiplied by min(1, max_norm / (total + 1e-6)) (1 where no clipping is needed, so
    the numbers equal the eager branch's), and the total is returned as a 0-d Tensor."""
    from autograd_core import Tensor

    grads = [g for _, g in pairs]
    if norm_type == math.inf:
        total = np.max(np.stack([np.max(np.abs(g)) if g.size else np.zeros((), g.dtype) for g in grads]))
    elif norm_type == 2.0:
        total = np.sqrt(sum(np.vdot(g, g) for g in grads))
    else:
        total = sum(np.sum(np.abs(g) ** norm_type) for g in grads) ** (1.0 / norm_type)
    if error_if_nonfinite:
        validated(_check_finite, total, norm_type)
    coef = max_norm / (total + 1e-6)
    scale = np.where(coef < 1.0, coef, 1.0)
    for p, _ in pairs:
        p.grad = np.where(coef < 1.0, p.grad * scale, p.grad)
    return Tensor._make(total, (), None, None, False)


def _check_finite(total: np.ndarray, norm_type: float) -> None:
    if not math.isfinite(float(total)):
        raise RuntimeError(f"clip_grad_norm_: the total {norm_type}-norm of the gradients is {float(total)}; "
                           f"set error_if_nonfinite=False to clip anyway")
