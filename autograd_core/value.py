"""Value: a scalar node holding a Python float (micrograd-style), built from the shared op table."""
from __future__ import annotations

import numbers
from typing import Any

from .grad_mode import _state
from .node import Node, _ids
from .ops import elementwise as E
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
        self._a = None
        self._b = None
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
        v = _node(data, None, None, op, requires_grad)
        v.parents = parents
        v.kwargs = kwargs
        return v

    @classmethod
    def _constant(cls, x: Any, like: Node, op_name: str) -> "Value":
        return _node(_to_float(x, op_name), None, None, None, False)

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

    # ---- arithmetic (fast paths into the shared table) ----------------------------------------

    def __add__(self, other: Any) -> "Value":
        return _binary(E.ADD, self, other)

    def __radd__(self, other: Any) -> "Value":
        return _binary(E.ADD, other, self)

    def __sub__(self, other: Any) -> "Value":
        return _binary(E.SUB, self, other)

    def __rsub__(self, other: Any) -> "Value":
        return _binary(E.SUB, other, self)

    def __mul__(self, other: Any) -> "Value":
        return _binary(E.MUL, self, other)

    def __rmul__(self, other: Any) -> "Value":
        return _binary(E.MUL, other, self)

    def __truediv__(self, other: Any) -> "Value":
        return _binary(E.DIV, self, other)

    def __rtruediv__(self, other: Any) -> "Value":
        return _binary(E.DIV, other, self)

    def __pow__(self, other: Any) -> "Value":
        return _binary(E.POW, self, other)

    def __rpow__(self, other: Any) -> "Value":
        return _binary(E.POW, other, self)

    def __neg__(self) -> "Value":
        return _unary(E.NEG, self)

    # ---- unary functions ---------------------------------------------------------------------

    def exp(self) -> "Value":
        """e**x; d/dx = e**x."""
        return _unary(E.EXP, self)

    def log(self) -> "Value":
        """ln x for x > 0; d/dx = 1/x."""
        return _unary(E.LOG, self)

    def sqrt(self) -> "Value":
        """sqrt(x) for x >= 0; d/dx = 1 / (2 sqrt(x))."""
        return _unary(E.SQRT, self)

    def abs(self) -> "Value":
        """|x|; d/dx = sign(x), 0 at 0."""
        return _unary(E.ABS, self)

    def __abs__(self) -> "Value":
        return self.abs()

    def sigmoid(self) -> "Value":
        """1 / (1 + e**-x) (two-branch, no overflow); d/dx = s (1 - s)."""
        return _unary(E.SIGMOID, self)

    def tanh(self) -> "Value":
        """tanh x; d/dx = 1 - tanh(x)**2."""
        return _unary(E.TANH, self)

    def relu(self) -> "Value":
        """max(x, 0); d/dx = 1 for x > 0, else 0 (relu'(0) = 0)."""
        return _unary(E.RELU, self)

    def step(self) -> "Value":
        """Perceptron unit: 1 if x > 0 else 0; its gradient is 0 everywhere."""
        return _unary(E.STEP, self)


Value._result_type = Value


_new = object.__new__
_ids_next = _ids.__next__


def _node(data: float, a: Any, b: Any, op: Op | None, requires_grad: bool) -> Value:
    """Allocate a Value without validation (the recorded-op fast path); a, b are the parent slots."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v._a = a
    v._b = b
    v.op = op
    v.kwargs = None
    v.requires_grad = requires_grad
    v.label = None
    v.id = _ids_next()
    v._freed = False
    return v


def _wrap(x: Any, op: Op) -> Value:
    """A number operand becomes a constant leaf (requires_grad=False)."""
    if type(x) is float:
        return _node(x, None, None, None, False)
    if type(x) is int:
        return _node(float(x), None, None, None, False)
    if isinstance(x, Value):
        return x
    if isinstance(x, Node):
        raise TypeError(f"{op.name}: cannot mix a Value with a {type(x).__name__}; use Tensor for arrays")
    return _node(_to_float(x, op.name), None, None, None, False)


def _binary(op: Op, a: Any, b: Any) -> Value:
    """Record op(a, b) for Values/numbers: the same table entry Tensor uses, minus the generic dispatch."""
    if a.__class__ is not Value:
        a = _wrap(a, op)
    if b.__class__ is not Value:
        b = _wrap(b, op)
    if op.check is not None:
        op.check(a.data, b.data)
    data = op.scalar(a.data, b.data)
    if (a.requires_grad or b.requires_grad) and _state["enabled"]:
        return _node(data, a, b, op, True)
    return _node(data, None, None, None, False)


def _unary(op: Op, a: Value) -> Value:
    """Record op(a) for a Value."""
    if op.check is not None:
        op.check(a.data)
    data = op.scalar(a.data)
    if a.requires_grad and _state["enabled"]:
        return _node(data, a, None, op, True)
    return _node(data, None, None, None, False)
