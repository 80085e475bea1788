"""Shape ops (Tensor only): reshape, transpose, broadcast/sum-to, indexing, concatenate and stack."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..arrays import as_array
from ..graph.trace_hooks import index_into
from . import onnx_forms as F
from .apply import call, raw
from .table import defop

Shape = tuple[int, ...]


def shape_of(x: Any) -> Shape:
    """Shape of a node or raw array (() for a Python number)."""
    try:
        return x.shape
    except AttributeError:
        return np.shape(raw(x))


def normalize_axes(axis: int | tuple[int, ...] | None, ndim: int) -> tuple[int, ...]:
    """Axes as a sorted tuple of non-negative ints (all axes for None)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of range for an array with {ndim} dimensions")
        out.append(int(a) % ndim)
    return tuple(sorted(out))


def _sum_to(x: Any, shape: Shape) -> Any:
    """Sum x over the axes that broadcasting added or stretched, giving `shape`."""
    x = as_array(x)
    if x.shape == shape:
        return x
    lead = x.ndim - len(shape)
    stretched = tuple(i + lead for i, s in enumerate(shape) if s == 1 and x.shape[i + lead] != 1)
    return x.sum(axis=tuple(range(lead)) + stretched, keepdims=True).reshape(shape)


def _is_basic_index(index: Any) -> bool:
    """Ints, slices, Ellipsis and None select each element at most once (no repeats possible)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts)


def _index_add(g: Any, *, index: Any, shape: Shape) -> Any:
    """zeros(shape) with g added at `index`; repeated (advanced) indices accumulate."""
    out = np.zeros_like(g, shape=shape)  # *_like: a compiled step's tracer sees it made
    if _is_basic_index(index):
        out[index] = g  # a basic index selects each element once: zeros + g is g
    else:
        np.add.at(out, index, g)
    return out


# ---- generic helpers -------------------------------------------------------------------------


def sum_to(x: Any, shape: Shape) -> Any:
    """Reduce a broadcast gradient back to `shape` (the engine's one place for broadcasting)."""
    return x if shape_of(x) == shape else call(SUM_TO, x, shape=shape)


def broadcast_to(x: Any, shape: Shape) -> Any:
    """Stretch x to `shape` by numpy broadcasting."""
    return x if shape_of(x) == shape else call(BROADCAST_TO, x, shape=shape)


def reshape(x: Any, shape: Shape) -> Any:
    """Same data, new shape."""
    return x if shape_of(x) == tuple(shape) else call(RESHAPE, x, shape=tuple(shape))


def transpose(x: Any, axes: tuple[int, ...]) -> Any:
    """Permute axes."""
    return call(TRANSPOSE, x, axes=tuple(axes))


def swap_last_axes(x: Any) -> Any:
    """Matrix transpose of the last two axes."""
    nd = len(shape_of(x))
    return transpose(x, tuple(range(nd - 2)) + (nd - 1, nd - 2))


def getitem(x: Any, index: Any) -> Any:
    """x[index]."""
    return call(GETITEM, x, index=index)


def keepdims_shape(shape: Shape, axis: Any) -> Shape:
    """The shape a reduction over `axis` has with keepdims=True."""
    axes = normalize_axes(axis, len(shape))
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def unreduce(g: Any, in_shape: Shape, axis: Any) -> Any:
    """Give a reduced gradient back its reduced axes as size-1 dims, ready to broadcast."""
    return reshape(g, keepdims_shape(in_shape, axis))


def _piece_index(shapes: list[Shape], i: int, axis: int) -> tuple:
    ax = axis % len(shapes[i])
    start = sum(s[ax] for s in shapes[:i])
    return (slice(None),) * ax + (slice(start, start + shapes[i][ax]),)


# ---- the table -------------------------------------------------------------------------------

SUM_TO = defop("sum_to", forward=_sum_to, vjp=(lambda g, ans, x, *, shape: broadcast_to(g, shape_of(x)),),
               display="sum_to", elementwise=False, derivative=("broadcast g",),
               words="summing over broadcast axes passes the gradient back to every summed entry",
               onnx=F.sum_to)
def _broadcast_to(x: Any, shape: Shape) -> Any:
    """x stretched to `shape` (a fresh array: cheaper than a stride-tricks view for small data)."""
    out = np.empty_like(x, shape=shape)  # dispatched on x: a compiled step's replay makes it afresh
    out[...] = x
    return out


BROADCAST_TO = defop("broadcast_to", forward=lambda x, *, shape: _broadcast_to(x, shape),
                     vjp=(lambda g, ans, x, *, shape: sum_to(g, shape_of(x)),),
                     display="broadcast", elementwise=False, derivative=("sum g",),
                     words="a broadcast copies an entry, so its gradient sums the copies' gradients",
                     onnx=F.broadcast_to)
RESHAPE = defop("reshape", forward=lambda x, *, shape: np.reshape(x, shape),
                vjp=(lambda g, ans, x, *, shape: reshape(g, shape_of(x)),),
                display="reshape", elementwise=False, derivative=("reshape g",),
                words="a reshape moves no number, so the gradient is reshaped back",
                onnx=F.reshape)
TRANSPOSE = defop("transpose", forward=lambda x, *, axes: as_array(x).transpose(axes),
                  vjp=(lambda g, ans, x, *, axes: transpose(g, tuple(np.argsort(axes))),),
                  display="transpose", elementwise=False, derivative=("transpose g",),
                  words="the gradient is permuted back by the inverse transpose",
                  onnx=F.transpose)
INDEX_ADD = defop("index_add", forward=_index_add,
                  vjp=(lambda g, ans, x, *, index, shape: getitem(g, index),),
                  display="index_add", elementwise=False, derivative=("gather g",),
                  words="the adjoint of indexing: the gradient is read back at the same index")
GETITEM = defop("getitem", forward=lambda x, *, index: as_array(index_into(x, index)),
                vjp=(lambda g, ans, x, *, index: call(INDEX_ADD, g, index=index, shape=shape_of(x)),),
                display="[ ]", elementwise=False, derivative=("scatter g",),
                words="indexing sends the gradient back to the picked entries (repeats add up), 0 elsewhere",
                onnx=F.getitem)
CONCATENATE = defop("concatenate", forward=lambda *xs, axis: np.concatenate(xs, axis=axis),
                    vjp_variadic=lambda i, g, ans, *xs, axis: getitem(
                        g, _piece_index([shape_of(x) for x in xs], i, axis)),
                    display="concat", elementwise=False, derivative="slice of g",
                    words="each piece gets the slice of the gradient where it was placed",
                    onnx=lambda b, *xs, axis: b.op("Concat", *xs, axis=int(axis)))
STACK = defop("stack", forward=lambda *xs, axis: np.stack(xs, axis=axis),
              vjp_variadic=lambda i, g, ans, *xs, axis: getitem(
                  g, (slice(None),) * (axis % len(shape_of(ans))) + (i,)),
              display="stack", elementwise=False, derivative="slice of g",
              words="each stacked input gets its own slice of the gradient",
              onnx=F.stack)
