"""Gradient checking: analytic gradients against float64 central differences."""
from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

from .backward import gradients
from ..graph.node import Node
from ..tensor.tensor import Tensor
from ..value.value import Value


class GradcheckError(AssertionError):
    """Analytic and numerical gradients disagree."""


def _as_input(x: Any) -> tuple[np.ndarray, bool]:
    """(float64 copy of the data, whether it is a scalar fed to f as a Value)."""
    if isinstance(x, Value) or (isinstance(x, numbers.Real) and not isinstance(x, bool)):
        return np.array(float(getattr(x, "data", x))), True
    return np.array(x.data if isinstance(x, Node) else x, dtype=np.float64), False


def _make_nodes(arrays: list[np.ndarray], scalar: list[bool]) -> list[Node]:
    return [Value(float(a)) if s else Tensor(a.copy(), requires_grad=True) for a, s in zip(arrays, scalar)]


def _projected(f: Callable[..., Any], nodes: list[Node], weights: dict) -> Any:
    """f's output reduced to one scalar by a fixed random projection <r, f(x)>."""
    out = f(*nodes)
    if isinstance(out, (list, tuple)):
        out = sum(o * w for o, w in zip(out, weights.setdefault("list", np.random.default_rng(0).normal(size=len(out)))))
    if isinstance(out, Tensor) and out.numel() != 1:
        r = weights.setdefault("tensor", np.random.default_rng(0).normal(size=out.shape))
        out = (out * r).sum()
    return out


def gradcheck(f: Callable[..., Any], *inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3) -> bool:
    """Check every analytic partial of f against (f(x + eps) - f(x - eps)) / (2 eps) in float64.

    Non-scalar outputs are projected on a fixed random vector. Returns True, or raises
    GradcheckError naming the worst mismatch (input, index, analytic, numeric).
    """
    prepared = [_as_input(x) for x in inputs]
    arrays = [a for a, _ in prepared]
    scalar = [s for _, s in prepared]
    weights: dict = {}
    nodes = _make_nodes(arrays, scalar)
    out = _projected(f, nodes, weights)
    if not isinstance(out, Node) or not out.requires_grad:
        analytic = [np.zeros_like(a) for a in arrays]
    else:
        analytic = [np.asarray(getattr(g, "data", g), dtype=np.float64) for g in gradients(out, nodes)]
    worst: tuple[float, tuple[int, tuple[int, ...], float, float] | None] = (0.0, None)
    for k, base in enumerate(arrays):
        for index in np.ndindex(base.shape):
            numeric = _central_difference(f, arrays, scalar, weights, k, index, eps)
            a = float(analytic[k][index])
            excess = abs(a - numeric) - (atol + rtol * abs(numeric))
            if excess > worst[0] or not np.isfinite(a) or not np.isfinite(numeric):
                worst = (max(excess, worst[0]) if np.isfinite(excess) else np.inf, (k, index, a, numeric))
    if worst[1] is not None:
        k, index, a, numeric = worst[1]
        raise GradcheckError(f"gradcheck: input {k} at index {index}: analytic {a!r} vs numeric {numeric!r} "
                             f"(|diff| {abs(a - numeric):.3g} > atol {atol} + rtol {rtol} * |numeric|)")
    return True


def _central_difference(f: Callable[..., Any], arrays: list[np.ndarray], scalar: list[bool], weights: dict,
                        k: int, index: tuple, eps: float) -> float:
    values = []
    for sign in (1.0, -1.0):
        shifted = [a.copy() for a in arrays]
        shifted[k][index] += sign * eps
        out = _projected(f, _make_nodes(shifted, scalar), weights)
        values.append(float(getattr(out, "data", out)))
    return (values[0] - values[1]) / (2.0 * eps)


def gradgradcheck(f: Callable[..., Any], *inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, seed: int = 1) -> bool:
    """Check second derivatives: gradcheck of x -> <v, grad f(x)> for a fixed random v.

    The inner gradient is taken with create_graph=True, so this exercises each rule's own
    differentiability (what hessian and Newton's method rely on).
    """
    rng = np.random.default_rng(seed)
    directions = [rng.normal(size=np.shape(_as_input(x)[0])) for x in inputs]
    weights: dict = {}

    def directional_grad(*nodes: Node) -> Any:
        out = _projected(f, list(nodes), weights)
        if not isinstance(out, Node) or not out.requires_grad:
            return 0.0
        gs = gradients(out, nodes, create_graph=True)
        total = 0.0
        for g, v in zip(gs, directions):
            total = total + ((g * float(v)) if isinstance(g, Value) else (g * v).sum())
        return total

    return gradcheck(directional_grad, *inputs, eps=eps, atol=atol, rtol=rtol)
