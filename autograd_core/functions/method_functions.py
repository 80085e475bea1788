"""More torch-style module functions: torch.X(input, ...) is input.X(...) for the Tensor methods torch also
offers as functions (floor, atan2, mm, split, topk, ...), plus einsum, concatenate and broadcast_to."""
from __future__ import annotations

from typing import Any, Sequence

from ..tensor.creation import cat
from ..graph.node import Node
from ..ops.apply import apply
from ..ops.einsum import EINSUM
from .pointwise import as_node, method_function
from ..tensor.tensor import Tensor


_METHODS = ("acos", "add", "amax", "amin", "argsort", "asin", "atan", "atan2", "bmm", "ceil", "chunk", "clamp_max",
            "clamp_min", "clip", "clone", "cosh", "cumprod", "cumsum", "div", "divide", "dot", "flatten", "flip", "floor",
            "floor_divide", "fix", "index_select", "log10", "log2", "logaddexp", "masked_fill", "mm", "mul", "narrow",
            "neg", "outer", "permute", "pow", "prod", "reciprocal", "reshape", "round", "rsqrt", "select", "sgn",
            "sign", "sinh", "sort", "split", "square", "squeeze", "std", "sub", "subtract", "transpose", "tril",
            "triu", "true_divide", "trunc", "unbind", "unflatten", "unsqueeze", "var", "ravel",
            "erf", "all", "any", "selu", "hardtanh", "relu6")
_ALIASES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arctan2": "atan2", "multiply": "mul",
            "negative": "neg", "absolute": "abs", "concat": None}

__all__ = [*_METHODS, *(a for a, t in _ALIASES.items() if t is not None), "broadcast_to", "concat", "concatenate",
           "einsum"]

for _name in _METHODS:
    globals()[_name] = method_function(_name)
for _alias, _target in _ALIASES.items():
    if _target is not None:
        globals()[_alias] = method_function(_target)


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation, torch.einsum(equation, *operands) or (equation, [operands]); '...' broadcasts
    only between equal shapes here."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise TypeError("einsum: expected the equation string first (torch's sublist form is not supported)")
    nodes = [x if isinstance(x, Node) else Tensor(x) for x in operands]
    return apply(EINSUM, *nodes, equation=equation)


def concatenate(tensors: Sequence[Any], dim: int = 0, *, axis: Any = None) -> Tensor:
    """cat (torch.concatenate, numpy's name; axis= is an alias of dim)."""
    return cat(tensors, dim if axis is None else axis)


concat = concatenate


def broadcast_to(input: Any, size: Any) -> Tensor:  # noqa: A002
    """input expanded to size (-1 keeps a dim)."""
    return as_node(input).expand(size)
