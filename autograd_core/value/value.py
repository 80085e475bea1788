"""Value: a scalar node holding a Python float (micrograd-style), built from the shared op table."""
from __future__ import annotations

import numbers
from typing import Any

from ..graph.grad_mode import current_state
from ..graph.node import Node
from ..operators.arithmetic import ElementwiseMethods
from ..ops import elementwise as E
from ..ops.table import Op
from .codegen import bind, make_method

_new = object.__new__


def _to_float(x: Any, where: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{where}: expected a real number, got {type(x).__name__} {x!r}")
    return float(x)


def _leaf(data: float) -> "Value":
    """A constant Value leaf (requires_grad=False) without validation: the recorded-op fast path."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v._a = None
    v._b = None
    v.op = None
    v.requires_grad = False
    v._meta = None
    v._g = None
    return v


def _wrap(x: Any, op: Op) -> "Value":
    """A number operand becomes a constant leaf (requires_grad=False)."""
    if type(x) is float:
        return _leaf(x)
    if type(x) is int:
        return _leaf(float(x))
    if isinstance(x, Value):
        return x
    if isinstance(x, Node):
        raise TypeError(f"{op.name}: cannot mix a Value with a {type(x).__name__}; use Tensor for arrays")
    return _leaf(_to_float(x, op.name))


_METHODS: dict[tuple[str, bool], Any] = {}


def _binary(op: Op, a: Any, b: Any) -> "Value":
    """Record op(a, b) for Values/numbers (the generic `_op2` hook): the op's fast method."""
    key = (op.name, a.__class__ is not Value and not isinstance(a, Value))
    method = _METHODS.get(key)
    if method is None:
        method = _METHODS[key] = make_method(op, reflected=key[1], arity=2)
    return method(b, a) if key[1] else method(a, b)


def _unary(op: Op, a: "Value") -> "Value":
    """Record op(a) for a Value (the generic `_op1` hook): the op's fast method."""
    key = (op.name, False)
    method = _METHODS.get(key)
    if method is None:
        method = _METHODS[key] = make_method(op, arity=1)
    return method(a)


class Value(ElementwiseMethods, Node, node_kind=True):
    """A scalar in the graph: `.data` (float), `.grad` (float, 0.0 until backward), `.label`.

    Values require grad by default, so any expression built from them can be differentiated.
    """

    __slots__ = ()
    shape_tracked = False

    def __init__(self, data: Any, label: str | None = None, *, requires_grad: bool = True) -> None:
        if isinstance(data, Node):
            raise TypeError(f"Value: expected a real number, got a {type(data).__name__}; use .detach() "
                            f"or .data to copy one")
        self._init_leaf(_to_float(data, "Value"), 0.0, requires_grad, label)

    # ---- the hooks Node declares --------------------------------------------------------------

    _op1 = staticmethod(_unary)
    _op2 = staticmethod(_binary)

    # ---- operators and elementwise methods: the same table ops, on the scalar fast path -----------

    __add__ = make_method(E.ADD)
    __radd__ = make_method(E.ADD, reflected=True)
    __sub__ = make_method(E.SUB)
    __rsub__ = make_method(E.SUB, reflected=True)
    __mul__ = make_method(E.MUL)
    __rmul__ = make_method(E.MUL, reflected=True)
    __truediv__ = make_method(E.DIV)
    __rtruediv__ = make_method(E.DIV, reflected=True)
    __pow__ = make_method(E.POW)
    __rpow__ = make_method(E.POW, reflected=True)
    __neg__ = make_method(E.NEG, doc_from=ElementwiseMethods.__neg__)
    __abs__ = make_method(E.ABS, doc_from=ElementwiseMethods.__abs__)
    exp = make_method(E.EXP, doc_from=ElementwiseMethods.exp)
    log = make_method(E.LOG, doc_from=ElementwiseMethods.log)
    sqrt = make_method(E.SQRT, doc_from=ElementwiseMethods.sqrt)
    abs = make_method(E.ABS, doc_from=ElementwiseMethods.abs)
    sigmoid = make_method(E.SIGMOID, doc_from=ElementwiseMethods.sigmoid)
    tanh = make_method(E.TANH, doc_from=ElementwiseMethods.tanh)
    relu = make_method(E.RELU, doc_from=ElementwiseMethods.relu)
    step = make_method(E.STEP, doc_from=ElementwiseMethods.step)

    @classmethod
    def _make(cls, data: Any, parents: tuple[Node, ...], op: Op | None, kwargs: dict | None,
              requires_grad: bool) -> "Value":
        v = _leaf(data)
        v._link(parents)
        v.op = op
        v._meta = current_state()
        v.kwargs = kwargs
        v.requires_grad = requires_grad
        return v

    @classmethod
    def _constant(cls, x: Any, like: Node, op_name: str) -> "Value":
        return _leaf(_to_float(x, op_name))

    @staticmethod
    def _run_forward(op: Op, raws: list[Any], kwargs: dict[str, Any]) -> float:
        if op.scalar is None:
            raise TypeError(f"{op.name}: not defined for Value (use Tensor)")
        return float(op.scalar(*raws, **kwargs))

    def _ones_like(self) -> float:
        return 1.0

    def _coerce_grad(self, grad: Any) -> Any:
        return grad if isinstance(grad, Value) else _to_float(grad, "backward")

    def _zeros_like(self, as_node: bool) -> Any:
        return _leaf(0.0) if as_node else 0.0

    def _zero_grad_value(self) -> float:
        return 0.0

    def _accumulate_grad(self, g: Any) -> None:
        self.grad = g if (self.grad == 0.0 and not isinstance(self.grad, Node)) else self.grad + g

    @staticmethod
    def _rebuild(data: float, label: str | None) -> "Value":
        """A constant Value leaf (what a shared Constant pickles to)."""
        return Value(data, label, requires_grad=False)

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


class Constant(Value):
    """A small number used as an operand (x ** 2, 2 * x, x + 1), as a leaf shared by every op
    that meets it: the halves and whole numbers from -16 to 16 except 0 are made once (like
    Python's small ints), so such an operand costs no new node. Immutable (data, requires_grad
    and links never change, nor its label; its grad stays 0: zeroing it, as a micrograd-style loop
    over every node does, is allowed); it copies and pickles as a plain constant Value."""

    __slots__ = ()
    _FROZEN = frozenset({"data", "requires_grad", "_a", "_b", "op", "kwargs", "label"})

    def __setattr__(self, name: str, value: Any) -> None:
        if name in Constant._FROZEN or (name == "grad" and not (type(value) in (float, int) and value == 0)):
            raise AttributeError(f"Value: the constant {self.data:g} is shared by every op that uses it; "
                                 f"its {name} cannot change (got {value!r}; make your own Value instead)")
        object.__setattr__(self, name, value)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return Value._rebuild, (self.data, self.label)

    def __deepcopy__(self, memo: dict[int, Any]) -> "Value":
        return Value(self.data, self.label, requires_grad=False)


def _shared_constant(x: float) -> Constant:
    c = _new(Constant)
    for name, value in (("data", x), ("grad", 0.0), ("_a", None), ("_b", None), ("op", None),
                        ("requires_grad", False), ("_meta", None), ("_g", None)):
        object.__setattr__(c, name, value)
    return c


#: The shared constants, by value (2 and 2.0 find the same one; 0 is left out: 0 == -0.0).
SMALL_CONSTANTS: dict[float, Constant] = {k / 2: _shared_constant(k / 2) for k in range(-32, 33) if k != 0}

bind(Value, _wrap, _leaf, SMALL_CONSTANTS)
