"""The arithmetic operators and elementwise methods Value and Tensor share, each mapped to its table op.

A class mixing this in provides `_op1(op, a)` and `_op2(op, a, b)`: how it records a one- or
two-input op (Value takes a float fast path, Tensor the generic `apply`).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..arrays import as_array
from .comparisons import ComparisonMethods
from .elementwise_math import MathMethods
from ..ops import activations as A, elementwise as E, rounding as R, trig as TR
from ..graph.node import Node
from .op_methods import binary, named, operator_pair, unary
from ..ops.apply import apply


@named
class ElementwiseMethods(MathMethods, ComparisonMethods):
    """`+ - * / **` (numbers on either side), unary minus, comparisons, and the elementwise functions."""

    __slots__ = ()
    _op1: Callable[..., Any]  # provided by the node kind (Node declares them)
    _op2: Callable[..., Any]

    __add__, __radd__ = operator_pair(E.ADD, "self + other (a number on either side).")
    __sub__, __rsub__ = operator_pair(E.SUB, "self - other (a number on either side).")
    __mul__, __rmul__ = operator_pair(E.MUL, "self * other (a number on either side).")
    __truediv__, __rtruediv__ = operator_pair(E.DIV, "self / other (a number on either side).")
    __pow__, __rpow__ = operator_pair(E.POW, "self ** other (a number on either side).")
    __neg__ = unary(E.NEG, "-self.")
    __abs__ = unary(E.ABS, "|self|; d/dx = sign(x), 0 at 0.")
    exp = unary(E.EXP, "e**x; d/dx = e**x.")
    log = unary(E.LOG, "ln x for x > 0; d/dx = 1/x.")
    sqrt = unary(E.SQRT, "sqrt(x) for x >= 0; d/dx = 1 / (2 sqrt(x)).")
    abs = unary(E.ABS, "|x|; d/dx = sign(x), 0 at 0.")
    sigmoid = unary(E.SIGMOID, "1 / (1 + e**-x), two-branch so nothing overflows; d/dx = s (1 - s).")
    tanh = unary(E.TANH, "tanh x; d/dx = 1 - tanh(x)**2.")
    relu = unary(E.RELU, "max(x, 0); d/dx = 1 for x > 0, else 0 (relu'(0) = 0).")
    step = unary(E.STEP, "Perceptron unit: 1 if x > 0 else 0; its gradient is 0 everywhere.")
    sin = unary(TR.SIN, "sin x; d/dx = cos x.")
    cos = unary(TR.COS, "cos x; d/dx = -sin x.")
    tan = unary(TR.TAN, "tan x; d/dx = 1 + tan(x)**2.")
    log1p = unary(TR.LOG1P, "log(1 + x) for x > -1, exact for tiny x; d/dx = 1 / (1 + x).")
    expm1 = unary(TR.EXPM1, "e**x - 1, exact for tiny x; d/dx = e**x.")
    erf = unary(TR.ERF, "The error function; d/dx = 2/sqrt(pi) e**(-x**2).")
    mul = binary(E.MUL, "self * other.")
    true_divide = binary(E.DIV, "self / other.")
    neg = unary(E.NEG, "-self.")

    def softplus(self, beta: float = 1.0, threshold: float = 20.0) -> Any:
        """log(1 + e**(beta x)) / beta (x itself where beta x > threshold, as torch); d/dx = sigmoid(beta x)."""
        return apply(A.SOFTPLUS, self, beta=float(beta), threshold=float(threshold))

    def gelu(self, approximate: str = "none") -> Any:
        """x Phi(x) (Phi the normal CDF), or with approximate='tanh' 0.5 x (1 + tanh(sqrt(2/pi)(x + 0.044715 x**3)))."""
        return apply(A.GELU, self, approximate=approximate)

    def leaky_relu(self, negative_slope: float = 0.01) -> Any:
        """x for x > 0, else negative_slope * x."""
        return apply(A.LEAKY_RELU, self, negative_slope=float(negative_slope))

    def elu(self, alpha: float = 1.0) -> Any:
        """x for x > 0, else alpha (e**x - 1)."""
        return apply(A.ELU, self, alpha=float(alpha))

    def clamp(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002 - torch's names
        """Limit to [min, max] (either may be None, either may be a tensor); the gradient passes where
        min <= x <= max, and to a tensor bound where it is the result (as torch)."""
        if isinstance(min, Node) or isinstance(max, Node):
            return _clamp_by_tensors(self, min, max)
        return apply(A.CLAMP, self, min=clamp_bound(min), max=clamp_bound(max))

    def clamp_min(self, min: Any) -> Any:  # noqa: A002
        """clamp(min=min)."""
        return self.clamp(min, None)

    def clamp_max(self, max: Any) -> Any:  # noqa: A002
        """clamp(max=max)."""
        return self.clamp(None, max)

    def clip(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002
        """Alias of clamp (numpy's and torch's spelling)."""
        return self.clamp(min, max)

    def pow(self, exponent: Any) -> Any:
        """self ** exponent."""
        return self._op2(E.POW, self, exponent)

    def add(self, other: Any, *, alpha: Any = 1) -> Any:
        """self + alpha * other."""
        return self._op2(E.ADD, self, other if alpha == 1 else other * alpha)

    def sub(self, other: Any, *, alpha: Any = 1) -> Any:
        """self - alpha * other."""
        return self._op2(E.SUB, self, other if alpha == 1 else other * alpha)

    def subtract(self, other: Any, *, alpha: Any = 1) -> Any:
        """sub (torch's alias)."""
        return self.sub(other, alpha=alpha)

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        """self / other; rounding_mode "trunc" rounds the quotient toward zero, "floor" down (their
        gradient is 0, as torch's); integer inputs then give an integer result, as torch."""
        if rounding_mode is None:
            return self._op2(E.DIV, self, other)
        if rounding_mode not in ("trunc", "floor"):
            raise ValueError(f"div: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}")
        return _rounded_quotient(self, other, rounding_mode)

    def divide(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        """div (torch's alias)."""
        return self.div(other, rounding_mode=rounding_mode)

    def floor_divide(self, other: Any) -> Any:
        """div(other, rounding_mode="floor")."""
        return self.div(other, rounding_mode="floor")

    def square(self) -> Any:
        """self * self."""
        return self._op2(E.MUL, self, self)


def _rounded_quotient(a: Any, b: Any, mode: str) -> Any:
    """a / b rounded by `mode`; integer (or bool) operands give torch's integer quotient, which must not
    divide by zero."""
    kinds = [np.result_type(getattr(v, "data", v)).kind for v in (a, b)]
    if a.shape_tracked and all(k in "biu" for k in kinds):
        ad, bd = np.asarray(getattr(a, "data", a)), np.asarray(getattr(b, "data", b))
        if np.any(bd == 0):
            raise ZeroDivisionError(f"div: integer division by zero (rounding_mode={mode!r})")
        q = np.floor_divide(ad, bd)
        if mode == "trunc":
            q = q + ((q < 0) & (q * bd != ad))
        return a._leaf(np.asarray(q))
    if mode == "floor":
        return a._op2(R.FLOOR_DIVIDE, a, b)
    return a._op1(R.TRUNC, a._op2(E.DIV, a, b))


def _clamp_by_tensors(x: Any, lo: Any, hi: Any) -> Any:
    """x limited to [lo, hi] with tensor bounds: where(x < lo, lo, x), then where(out > hi, hi, out) (so
    hi wins where lo > hi, NaN in x stays NaN, and x keeps the gradient at a tie, as torch)."""
    out = x
    if lo is not None:
        out = where_node(np.asarray(getattr(out, "data", out)) < np.asarray(getattr(lo, "data", lo)), lo, out)
    if hi is not None:
        out = where_node(np.asarray(getattr(out, "data", out)) > np.asarray(getattr(hi, "data", hi)), hi, out)
    return out


def where_node(cond: Any, a: Any, b: Any) -> Any:
    """a where cond else b, elementwise with broadcasting, for a or b a node (autograd_core.where also takes
    two plain operands); the gradient flows to the chosen side."""
    c = as_array(cond.data if isinstance(cond, Node) else cond).astype(bool)  # asanyarray: jit sees it
    return apply(E.WHERE, a, b, cond=c)


def clamp_bound(v: Any) -> Any:
    """A clamp bound as a float (None stays None; anything else is left for the op's check to reject)."""
    if v is None or isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        return v
    return float(v)
