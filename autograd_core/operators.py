"""The arithmetic operators and elementwise methods Value and Tensor share, each mapped to its table op.

A class mixing this in provides `_op1(op, a)` and `_op2(op, a, b)`: how it records a one- or
two-input op (Value takes a float fast path, Tensor the generic `apply`).
"""
from __future__ import annotations

from typing import Any, Callable

from .ops import elementwise as E


class ElementwiseMethods:
    """`+ - * / **` (numbers on either side), unary minus, and exp/log/sqrt/abs/sigmoid/tanh/relu/step."""

    __slots__ = ()
    _op1: Callable[..., Any]  # provided by the node kind (Node declares them)
    _op2: Callable[..., Any]

    def __add__(self, other: Any) -> Any:
        return self._op2(E.ADD, self, other)

    def __radd__(self, other: Any) -> Any:
        return self._op2(E.ADD, other, self)

    def __sub__(self, other: Any) -> Any:
        return self._op2(E.SUB, self, other)

    def __rsub__(self, other: Any) -> Any:
        return self._op2(E.SUB, other, self)

    def __mul__(self, other: Any) -> Any:
        return self._op2(E.MUL, self, other)

    def __rmul__(self, other: Any) -> Any:
        return self._op2(E.MUL, other, self)

    def __truediv__(self, other: Any) -> Any:
        return self._op2(E.DIV, self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return self._op2(E.DIV, other, self)

    def __pow__(self, other: Any) -> Any:
        return self._op2(E.POW, self, other)

    def __rpow__(self, other: Any) -> Any:
        return self._op2(E.POW, other, self)

    def __neg__(self) -> Any:
        return self._op1(E.NEG, self)

    def __abs__(self) -> Any:
        return self._op1(E.ABS, self)

    def exp(self) -> Any:
        """e**x; d/dx = e**x."""
        return self._op1(E.EXP, self)

    def log(self) -> Any:
        """ln x for x > 0; d/dx = 1/x."""
        return self._op1(E.LOG, self)

    def sqrt(self) -> Any:
        """sqrt(x) for x >= 0; d/dx = 1 / (2 sqrt(x))."""
        return self._op1(E.SQRT, self)

    def abs(self) -> Any:
        """|x|; d/dx = sign(x), 0 at 0."""
        return self._op1(E.ABS, self)

    def sigmoid(self) -> Any:
        """1 / (1 + e**-x), two-branch so nothing overflows; d/dx = s (1 - s)."""
        return self._op1(E.SIGMOID, self)

    def tanh(self) -> Any:
        """tanh x; d/dx = 1 - tanh(x)**2."""
        return self._op1(E.TANH, self)

    def relu(self) -> Any:
        """max(x, 0); d/dx = 1 for x > 0, else 0 (relu'(0) = 0)."""
        return self._op1(E.RELU, self)

    def step(self) -> Any:
        """Perceptron unit: 1 if x > 0 else 0; its gradient is 0 everywhere."""
        return self._op1(E.STEP, self)
