"""Functional API: grad, value_and_grad, jacobian, hessian for functions of Values or Tensors.

Transforms nest. Each transform gives its function fresh inputs: a raw input (number, list,
array) becomes a new leaf, and an input that is already a node of a live graph becomes a new
`identity` node on top of it, so the transform differentiates through this use of the input
only (no "perturbation confusion" between nested transforms). While a transform evaluates its
function it is marked live (per thread); a transform that starts while another is live, or
whose inputs belong to a live graph, records its own backward (create_graph) and returns nodes,
so the enclosing transform differentiates through it. Outside any of that, results are raw
floats and arrays.
"""
from __future__ import annotations

import numbers
from typing import Any, Callable, Sequence

import numpy as np

from ..jit.traced import TraceError, active_recorder
from .backward import gradients
from ..graph.grad_mode import enable_grad, transform_is_live, transform_running
from ..graph.node import Node
from ..ops import elementwise as E
from ..ops.apply import apply
from ..tensor.tensor import Tensor, stack
from ..value.value import Value


def _fresh(x: Any) -> tuple[Any, bool]:
    """(a new differentiable input standing for x, whether x belongs to a live graph)."""
    if isinstance(x, Node):
        if x.requires_grad:
            return apply(E.IDENTITY, x), True
        return (Value(x.data) if isinstance(x, Value) else Tensor(x.data, requires_grad=True)), False
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return Value(x), False
    if isinstance(x, (list, tuple)) and x and all(isinstance(v, (numbers.Real, Node)) for v in x) \
            and not any(isinstance(v, Tensor) for v in x):
        fresh = [_fresh(v) for v in x]
        return [w for w, _ in fresh], any(live for _, live in fresh)
    return Tensor(x, requires_grad=True), False


def _prepare(args: tuple[Any, ...], nums: Sequence[int], name: str) -> tuple[list[Any], bool]:
    """Replace args[i] for i in nums by fresh inputs; say whether the transform must record its
    backward (an enclosing transform is live, or an input belongs to a live graph)."""
    if active_recorder() is not None:
        raise TraceError(f"compile: {name} inside a compiled step is not supported (its tables are built "
                         f"with conversions the tracer cannot see); call {name} outside the step")
    out = list(args)
    nested = transform_is_live()
    for i in nums:
        if not -len(out) <= i < len(out):
            raise IndexError(f"{name}: argnums {i} is out of range for {len(out)} arguments")
        out[i], live = _fresh(out[i])
        nested = nested or live
    return out, nested


def _evaluate(f: Callable[..., Any], args: list[Any]) -> Any:
    """f(*args) with recording on and this thread marked as inside a transform."""
    with transform_running(), enable_grad():
        return f(*args)


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


def _grads_of(out: Node | None, args: list[Any], nested: bool) -> list[Any]:
    """d out / d arg for each arg (a node or a list of nodes), from one backward pass."""
    leaves = [leaf for arg in args for leaf in _leaves(arg)]
    if out is None or not out.requires_grad:
        flat = [leaf._zeros_like(nested) for leaf in leaves]
    else:
        flat = gradients(out, leaves, create_graph=nested, retain_graph=True)
    flat = [_unwrap(g, nested) for g in flat]
    grads, start = [], 0
    for arg in args:
        n = len(arg) if isinstance(arg, list) else 1
        grads.append(flat[start:start + n] if isinstance(arg, list) else flat[start])
        start += n
    return grads


def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., tuple[Any, Any]]:
    """Return a function computing (f(*args), df/d args[argnums]); f must return a scalar."""
    single = isinstance(argnums, int)
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def wrapped(*args: Any) -> tuple[Any, Any]:
        fresh, nested = _prepare(args, nums, "grad")
        out = _scalar_output("grad", _evaluate(f, fresh))
        grads = _grads_of(out, [fresh[i] for i in nums], nested)
        value = out if (nested or out is None) else float(np.asarray(out.data).reshape(()))
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
        seed = np.zeros(np.shape(y.data), dtype=y.data.dtype)
        seed.flat[k] = 1.0
    return gradients(y, leaves, seed, retain_graph=True, create_graph=nested)


def jacobian(f: Callable[..., Any], argnums: int = 0) -> Callable[..., Any]:
    """Return a function computing J[i..., j...] = d f(x)[i...] / d x[j...] (shape out + in)."""

    def wrapped(*args: Any) -> Any:
        fresh, nested = _prepare(args, (argnums,), "jacobian")
        x = fresh[argnums]
        roots, out_shape = _outputs(_evaluate(f, fresh))
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
