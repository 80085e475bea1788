"""Functions over several Values (lists in, lists/Value out) or over Tensors along an axis."""
from __future__ import annotations

import builtins
from typing import Any, Sequence

import numpy as np

from ..graph.node import Node
from ..ops import elementwise as E
from ..ops.apply import apply
from ..tensor.tensor import Tensor
from ..value.value import Value


def _values(name: str, args: Sequence[Any]) -> list[Any]:
    items = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    if not items:
        raise ValueError(f"{name}: expected at least one value")
    return items


def _as_nodes(name: str, items: list[Any]) -> list[Node]:
    """Numbers become constant Values so a list of plain numbers still works."""
    if not builtins.any(isinstance(x, Node) for x in items):
        return [Value(x, requires_grad=False) for x in items]
    return items


def _array_first(args: tuple) -> tuple:
    """torch.max(outputs.data, 1): an ndarray first (a tensor's .data or .grad) as a constant Tensor."""
    if args and isinstance(args[0], np.ndarray):
        return (Tensor._leaf(np.asarray(args[0])),) + args[1:]
    return args


def _tensor_reduction(name: str, args: tuple, kwargs: dict) -> bool:
    """torch.max(t, dim[, keepdim]) / torch.max(t) (a Tensor first, then ints or nothing)."""
    if not args or not isinstance(args[0], Tensor):
        return False
    rest = args[1:]
    return all(isinstance(a, (int, bool)) for a in rest) or bool(kwargs)


def max(*args: Any, **kwargs: Any) -> Any:  # noqa: A001 - mirrors the math name on purpose
    """max(a, b, ...) or max([a, b, ...]): the largest; ties split the gradient evenly.

    Two or more Tensors give the elementwise maximum; one Tensor its largest element;
    max(tensor, dim, keepdim=False) gives (values, indices) as torch.max.
    """
    return _extreme("max", E.MAXIMUM, args, kwargs)


def min(*args: Any, **kwargs: Any) -> Any:  # noqa: A001
    """min(a, b, ...) or min([a, b, ...]): the smallest; ties split the gradient evenly;
    min(tensor, dim, keepdim=False) gives (values, indices) as torch.min."""
    return _extreme("min", E.MINIMUM, args, kwargs)


def _extreme(name: str, elementwise: Any, args: tuple, kwargs: dict) -> Any:
    """max or min (by name) of the arguments: a Tensor's method, or the elementwise op over Values/Tensors."""
    args = _array_first(args)
    if _tensor_reduction(name, args, kwargs):
        return getattr(args[0], name)(*args[1:], **kwargs)
    items = _as_nodes(name, _values(name, args))
    if len(items) == 1 and isinstance(items[0], Tensor):
        return getattr(items[0], name)()
    return items[0] if len(items) == 1 else apply(elementwise, *items)


def maximum(a: Any, b: Any) -> Any:
    """Elementwise max of two Values or Tensors."""
    return max(a, b)


def minimum(a: Any, b: Any) -> Any:
    """Elementwise min of two Values or Tensors."""
    return min(a, b)


def logsumexp(x: Any, dim: Any = -1, keepdim: bool = False, **aliases: Any) -> Any:
    """log sum_i exp(x_i), stable: m + log sum exp(x_i - m) with m = max x.

    A list of Values gives a Value; a Tensor reduces along `dim` (axis= and keepdims= as aliases).
    """
    if isinstance(x, Tensor):
        if "axis" in aliases:
            dim = aliases.pop("axis")
        return x.logsumexp(dim, keepdim, **aliases)
    items = _as_nodes("logsumexp", _values("logsumexp", (x,)))
    return apply(E.LOGADDEXP, *items)


def log_softmax(x: Any, dim: int = -1, dtype: Any = None, *, axis: Any = None) -> Any:
    """x_i - logsumexp(x): never takes the log of an underflowed probability."""
    if isinstance(x, Tensor):
        return x.log_softmax(dim if axis is None else axis, dtype)
    items: list[Any] = _as_nodes("log_softmax", _values("log_softmax", (x,)))
    lse = apply(E.LOGADDEXP, *items)
    return [v - lse for v in items]


def softmax(x: Any, dim: int = -1, dtype: Any = None, *, axis: Any = None) -> Any:
    """exp(x_i) / sum_j exp(x_j), computed as exp(x_i - logsumexp(x)) so nothing overflows."""
    if isinstance(x, Tensor):
        return x.softmax(dim if axis is None else axis, dtype)
    return [v.exp() for v in log_softmax(x)]


def norm(input: Any, p: Any = "fro", dim: Any = None, keepdim: bool = False,  # noqa: A002 - torch's name
         dtype: Any = None) -> Any:
    """torch.norm: input.norm(p, dim, keepdim, dtype)."""
    return _tensor(input, "norm").norm(p, dim, keepdim, dtype)


def topk(input: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
    """torch.topk: input.topk(k, dim, largest, sorted) -> (values, indices)."""
    return _tensor(input, "topk").topk(k, dim, largest, sorted)


def _tensor(x: Any, name: str) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}: expected a Tensor, got {type(x).__name__}")
    return x
