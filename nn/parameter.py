"""Parameter and ScalarParameter: the leaves a Module trains (discovered from its attributes)."""
from __future__ import annotations

from typing import Any

from autograd_core import Tensor, Value


class Parameter(Tensor):
    """A trainable Tensor (float64 unless `dtype` says otherwise); `requires_grad` defaults to True.

    Only Parameters (not plain Tensors) stored on a Module count as its parameters, so a
    cached input or an intermediate result is never mistaken for a weight. Arithmetic on a
    Parameter gives plain Tensors: the graph is the engine's, nothing nn-specific.
    """

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, dtype: Any = None, *,
                 label: str | None = None) -> None:
        super().__init__(data, requires_grad=requires_grad, dtype=dtype, label=label)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class ScalarParameter(Value):
    """A trainable scalar Value (the teaching path, micrograd's model: `nn.scalar`).

    The rule for Values mirrors the one for Tensors: a Value stored on a Module is a parameter
    exactly when it is a ScalarParameter; any other Value (an input, a cached output) is not.
    """

    __slots__ = ()

    def __init__(self, data: Any, label: str | None = None, *, requires_grad: bool = True) -> None:
        super().__init__(data, label, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Scalar" + "Parameter" + super().__repr__()[len("Value"):]
