"""Value: a scalar node holding a Python float (micrograd-style), built from the shared op table."""
from __future__ import annotations

import numbers
from typing import Any

from .node import Node, _ids
from .ops import elementwise as E
from .ops.apply import apply
from .ops.table import Op


def _to_float(x: Any, where: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{where}: expected a real number, got {type(x).__name__} {x!r}")
    return float(x)


class Value(Node):
    """A scalar in the graph: `.data` (float), `.grad` (float, 0.0 until backward), `.label`.

    Values require grad by default, so any expression built from them can be differentiated.
    """

    __slots__ = ()
    shape_tracked = False

    def __init__(self, data: Any, label: str | None = None, *, requires_grad: bool = True) -> None:
        if isinstance(data, Node):
            raise TypeError(f"Value: expected a real number, got a {type(data).__name__}; use .detach() "
                            f"or .data to copy one")
        self.data = _to_float(data, "Value")
        self.grad = 0.0
        self.parents = ()
        self.op = None
        self.kwargs = None
        self.requires_grad = bool(requires_grad)
        self.label = label
        self.id = next(_ids)
        self._freed = False

    # ---- construction hooks used by apply / engine -------------------------------------------

    @classmethod
    def _make(cls, data: float, parents: tuple, op: Op | None, kwargs: dict | None,
              requires_grad: bool) -> "Value":
        v = object.__new__(Value)
        v.data = data
        v.grad = 0.0
        v.parents = parents
        v.op = op
        v.kwargs = kwargs
        v.requires_grad = requires_grad
        v.label = None
        v.id = next(_ids)
        v._freed = False
        return v

    @classmethod
    def _constant(cls, x: Any, like: Node, op_name: str) -> "Value":
        return cls._make(_to_float(x, op_name), (), None, None, False)

    @staticmethod
    def _run_forward(op: Op, raws: list, kwargs: dict) -> float:
        if op.scalar is None:
            raise TypeError(f"{op.name}: not defined for Value (use Tensor)")
        return op.scalar(*raws, **kwargs)

    def _ones_like(self) -> float:
        return 1.0

    def _coerce_grad(self, grad: Any) -> Any:
        return grad if isinstance(grad, Value) else _to_float(grad, "backward")

    def _zeros_like(self, as_node: bool) -> Any:
        return Value._make(0.0, (), None, None, False) if as_node else 0.0

    def _zero_grad_value(self) -> float:
        return 0.0

    def _accumulate_grad(self, g: Any) -> None:
        self.grad = g if (self.grad == 0.0 and not isinstance(self.grad, Node)) else self.grad + g

    def detach(self) -> "Value":
        """A new leaf with the same data that records nothing (requires_grad=False)."""
        return Value(self.data, self.label, requires_grad=False)

    def item(self) -> float:
        """The float value."""
        return self.data

    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={float(getattr(self.grad, 'data', self.grad)):.6g}{name})"

    # ---- arithmetic --------------------------------------------------------------------------

    def __add__(self, other: Any) -> "Value":
        return apply(E.ADD, self, other)

    def __radd__(self, other: Any) -> "Value":
        return apply(E.ADD, other, self)

    def __sub__(self, other: Any) -> "Value":
        return apply(E.SUB, self, other)

    def __rsub__(self, other: Any) -> "Value":
        return apply(E.SUB, other, self)

    def __mul__(self, other: Any) -> "Value":
        return apply(E.MUL, self, other)

    def __rmul__(self, other: Any) -> "Value":
        return apply(E.MUL, other, self)

    def __truediv__(self, other: Any) -> "Value":
        return apply(E.DIV, self, other)

    def __rtruediv__(self, other: Any) -> "Value":
        return apply(E.DIV, other, self)

    def __pow__(self, other: Any) -> "Value":
        return apply(E.POW, self, other)

    def __rpow__(self, other: Any) -> "Value":
        return apply(E.POW, other, self)

    def __neg__(self) -> "Value":
        return apply(E.NEG, self)

    # ---- unary functions ---------------------------------------------------------------------

    def exp(self) -> "Value":
        """e**x; d/dx = e**x."""
        return apply(E.EXP, self)

    def log(self) -> "Value":
        """ln x for x > 0; d/dx = 1/x."""
        return apply(E.LOG, self)

    def sqrt(self) -> "Value":
        """sqrt(x) for x >= 0; d/dx = 1 / (2 sqrt(x))."""
        return apply(E.SQRT, self)

    def abs(self) -> "Value":
        """|x|; d/dx = sign(x), 0 at 0."""
        return apply(E.ABS, self)

    def __abs__(self) -> "Value":
        return self.abs()

    def sigmoid(self) -> "Value":
        """1 / (1 + e**-x) (two-branch, no overflow); d/dx = s (1 - s)."""
        return apply(E.SIGMOID, self)

    def tanh(self) -> "Value":
        """tanh x; d/dx = 1 - tanh(x)**2."""
        return apply(E.TANH, self)

    def relu(self) -> "Value":
        """max(x, 0); d/dx = 1 for x > 0, else 0 (relu'(0) = 0)."""
        return apply(E.RELU, self)

    def step(self) -> "Value":
        """Perceptron unit: 1 if x > 0 else 0; its gradient is 0 everywhere."""
        return apply(E.STEP, self)


Value._result_type = Value
