"""torch-style module functions: autograd_core.exp(x) is x.exp(), sum(x, dim) is x.sum(dim), ...

For Values and Tensors (array-likes become Tensors), plus matmul, argmax/argmin and allclose.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..graph.node import Node
from ..tensor.tensor import Tensor


def as_node(x: Any) -> Any:
    """Values and Tensors pass through; numbers and array-likes become a Tensor."""
    return x if isinstance(x, Node) else Tensor(x)


def method_function(name: str, doc: str | None = None) -> Callable[..., Any]:
    """torch.<name>(input, *args, **kwargs) as input.<name>(*args, **kwargs) (numbers and array-likes become
    Tensors)."""
    def function(input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002 - torch's name
        return getattr(as_node(input), name)(*args, **kwargs)
    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc or f"torch.{name}(input, ...): input.{name}(...)."
    function.__code__ = function.__code__.replace(co_name=name, co_qualname=name)
    return function


exp = method_function("exp", "e**x elementwise.")
log = method_function("log", "Natural log elementwise (x > 0).")
sin = method_function("sin", "sin x elementwise.")
cos = method_function("cos", "cos x elementwise.")
tan = method_function("tan", "tan x elementwise.")
tanh = method_function("tanh", "tanh x elementwise.")
sigmoid = method_function("sigmoid", "1 / (1 + e**-x) elementwise.")
relu = method_function("relu", "max(x, 0) elementwise.")
abs = method_function("abs", "|x| elementwise.")  # noqa: A001 - torch's name
sqrt = method_function("sqrt", "sqrt(x) elementwise (x >= 0).")
log1p = method_function("log1p", "log(1 + x) elementwise.")
expm1 = method_function("expm1", "e**x - 1 elementwise.")
clamp = method_function("clamp", "clamp(input, min=None, max=None): input limited to [min, max].")
sum = method_function("sum", "sum(input, dim=None, keepdim=False): input.sum(dim, keepdim).")  # noqa: A001
mean = method_function("mean", "mean(input, dim=None, keepdim=False): input.mean(dim, keepdim).")
argmax = method_function("argmax", "argmax(input, dim=None, keepdim=False): input.argmax(dim, keepdim) (int64).")
argmin = method_function("argmin", "argmin(input, dim=None, keepdim=False): input.argmin(dim, keepdim) (int64).")
gather = method_function("gather", "gather(input, dim, index): input.gather(dim, index).")


def matmul(a: Any, b: Any) -> Tensor:
    """a @ b (1-D, 2-D and batched)."""
    return as_node(a) @ b


def allclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """|a - b| <= atol + rtol |b| everywhere (torch.allclose)."""
    da = a.data if isinstance(a, Node) else a
    db = b.data if isinstance(b, Node) else b
    return bool(np.allclose(da, db, rtol=rtol, atol=atol, equal_nan=equal_nan))


def numel(x: Any) -> int:
    """Number of elements."""
    return int(np.size(x.data if isinstance(x, Node) else x))
