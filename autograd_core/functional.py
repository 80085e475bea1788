"""Functional API: grad, value_and_grad, jacobian, hessian for functions of Values or Tensors.

Raw inputs (numbers, lists of numbers, arrays) are wrapped in fresh leaves and raw results come
back. Inputs that are already nodes in a graph are differentiated with create_graph=True, so the
results are nodes too: that is how hessian = jacobian(grad(f)) nests.
"""
from __future__ import annotations

import numbers
from typing import Any, Callable, Sequence

import numpy as np

from .engine import gradients
from .node import Node
from .tensor import Tensor, stack
from .value import Value


def _wrap(x: Any) -> tuple[Any, bool]:
    """(differentiable version of x, whether x was already part of a graph)."""
    if isinstance(x, Node):
        if x.requires_grad:
            return x, True
        return (Value(x.data) if isinstance(x, Value) else Tensor(x.data, requires_grad=True)), False
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return Value(x), False
    if isinstance(x, (list, tuple)) and x and all(isinstance(v, (numbers.Real, Node)) for v in x) \
            and not any(isinstance(v, Tensor) for v in x):
        wrapped = [_wrap(v) for v in x]
        return [w for w, _ in wrapped], any(n for _, n in wrapped)
    return Tensor(x, requires_grad=True), False


def _leaves(x: Any) -> list[Node]:
    return list(x) if isinstance(x, list) else [x]


def _unwrap(g: Any, nested: bool) -> Any:
    if nested or not isinstance(g, Node):
        return g
    return g.data


def _scalar_output(name: str, out: Any) -> Node | None:
    if isinstance(out, Node):
        if np.size(out.data) != 1:
            raise ValueError(f"{name}: f must return a scalar, got shape {np.shape(out.data)}; "
                             f"use jacobian for vector outputs")
        return out
    if isinstance(out, numbers.Real):
        return None
    raise TypeError(f"{name}: f must return a Value or a one-element Tensor, got {type(out).__name__}")


def _grads_of(out: Node | None, arg: Any, nested: bool) -> Any:
    leaves = _leaves(arg)
    if out is None or not out.requires_grad:
        gs = [leaf._zeros_like(nested) for leaf in leaves]
    else:
        gs = gradients(out, leaves, create_graph=nested, retain_graph=True)
    gs = [_unwrap(g, nested) for g in gs]
    return gs if isinstance(arg, list) else gs[0]


def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., tuple[Any, Any]]:
    """Return a function computing (f(*args), df/d args[argnums]); f must return a scalar."""
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)

    def wrapped(*args: Any) -> tuple[Any, Any]:
        args = list(args)
        for i in nums:
            if i >= len(args):
                raise IndexError(f"grad: argnums {i} is out of range for {len(args)} arguments")
        flags = {}
        for i in nums:
            args[i], flags[i] = _wrap(args[i])
        out = _scalar_output("grad", f(*args))
        nested = any(flags.values())
        grads = [_grads_of(out, args[i], nested) for i in nums]
        value = out if (nested or out is None) else (out.data if isinstance(out, Value) else out.item())
        return value, (grads[0] if single else tuple(grads))

    return wrapped


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """Return a function computing df/d args[argnums] (f returns a scalar)."""
    vg = value_and_grad(f, argnums)
    return lambda *args: vg(*args)[1]


def _outputs(out: Any) -> tuple[list[Any], tuple[int, ...]]:
    """Flatten f's output into scalar roots and give the output shape."""
    if isinstance(out, Tensor):
        return [out], out.shape
    if isinstance(out, (list, tuple)):
        return list(out), (len(out),)
    return [out], ()


def _row(y: Any, x: Any, k: int, out_is_tensor: bool, nested: bool) -> list[Any]:
    """Gradient of output element k w.r.t. each leaf of x."""
    leaves = _leaves(x)
    if not isinstance(y, Node) or not y.requires_grad:
        return [leaf._zeros_like(nested) for leaf in leaves]
    seed = None
    if out_is_tensor:
        seed = np.zeros(y.shape, dtype=y.dtype)
        seed.flat[k] = 1.0
    return gradients(y, leaves, seed, retain_graph=True, create_graph=nested)


def jacobian(f: Callable[..., Any], argnums: int = 0) -> Callable[..., Any]:
    """Return a function computing J[i..., j...] = d f(x)[i...] / d x[j...] (shape out + in)."""

    def wrapped(*args: Any) -> Any:
        args = list(args)
        args[argnums], nested = _wrap(args[argnums])
        x = args[argnums]
        roots, out_shape = _outputs(f(*args))
        in_shape = (len(x),) if isinstance(x, list) else np.shape(x.data)
        n_out = int(np.prod(out_shape)) if out_shape else 1
        is_tensor = isinstance(roots[0], Tensor)
        rows = [_row(roots[0] if is_tensor else roots[k], x, k, is_tensor, nested) for k in range(n_out)]
        if nested:
            return _nested_jacobian(rows, x, out_shape, in_shape)
        table = np.array([[np.asarray(g, dtype=np.float64) for g in row] for row in rows], dtype=np.float64)
        return table.reshape(out_shape + in_shape)

    return wrapped


def _nested_jacobian(rows: list[list[Any]], x: Any, out_shape: tuple, in_shape: tuple) -> Any:
    if isinstance(x, list):
        return [row for row in rows] if out_shape else rows[0]
    return stack([row[0] for row in rows]).reshape(out_shape + in_shape)


def hessian(f: Callable[..., Any], argnums: int = 0) -> Callable[..., Any]:
    """Return a function computing H[i, j] = d^2 f / dx_i dx_j (f returns a scalar)."""
    return jacobian(grad(f, argnums), argnums)
