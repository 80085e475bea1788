"""More elementwise methods Value and Tensor share, with torch's names: hyperbolic and inverse trig functions,
base-2/10 logs, reciprocal, rsqrt, rounding, sign, atan2, logaddexp, and the activations silu, selu,
hardtanh, relu6 and logsigmoid (composites where one exists)."""
from __future__ import annotations

from typing import Any, Callable

from ..ops import activations as A, elementary as M, elementwise as E, rounding as R
from ..ops.apply import apply

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class MathMethods:
    """Elementwise functions; a class mixing this in provides `_op1(op, a)` and `_op2(op, a, b)`."""

    __slots__ = ()
    _op1: Callable[..., Any]
    _op2: Callable[..., Any]

    def sinh(self) -> Any:
        """sinh x; d/dx = cosh x."""
        return self._op1(M.SINH, self)

    def cosh(self) -> Any:
        """cosh x; d/dx = sinh x."""
        return self._op1(M.COSH, self)

    def asin(self) -> Any:
        """arcsin x for x in [-1, 1]; d/dx = 1/sqrt(1 - x^2)."""
        return self._op1(M.ASIN, self)

    def acos(self) -> Any:
        """arccos x for x in [-1, 1]; d/dx = -1/sqrt(1 - x^2)."""
        return self._op1(M.ACOS, self)

    def atan(self) -> Any:
        """arctan x; d/dx = 1/(1 + x^2)."""
        return self._op1(M.ATAN, self)

    def atan2(self, other: Any) -> Any:
        """The angle of the point (other, self): atan2(self, other), as torch.atan2(input, other)."""
        return self._op2(M.ATAN2, self, other)

    def log2(self) -> Any:
        """log base 2 for x > 0."""
        return self._op1(M.LOG2, self)

    def log10(self) -> Any:
        """log base 10 for x > 0."""
        return self._op1(M.LOG10, self)

    def reciprocal(self) -> Any:
        """1/x for x != 0; d/dx = -1/x^2."""
        return self._op1(M.RECIPROCAL, self)

    def rsqrt(self) -> Any:
        """1/sqrt(x) for x > 0."""
        return self._op1(M.RSQRT, self)

    def floor(self) -> Any:
        """The largest whole number <= x (gradient 0)."""
        return self._op1(R.FLOOR, self)

    def ceil(self) -> Any:
        """The smallest whole number >= x (gradient 0)."""
        return self._op1(R.CEIL, self)

    def trunc(self) -> Any:
        """x rounded toward zero (gradient 0)."""
        return self._op1(R.TRUNC, self)

    def fix(self) -> Any:
        """trunc (torch's alias)."""
        return self._op1(R.TRUNC, self)

    def round(self, decimals: int = 0) -> Any:
        """x rounded to `decimals` places, halves to even as torch (gradient 0)."""
        return apply(R.ROUND, self, decimals=int(decimals))

    def sign(self) -> Any:
        """-1, 0 or 1 (0 at NaN, as torch; gradient 0)."""
        return self._op1(R.SIGN, self)

    def sgn(self) -> Any:
        """sign for real numbers (torch's sgn)."""
        return self._op1(R.SIGN, self)

    def logaddexp(self, other: Any) -> Any:
        """log(e^self + e^other), max-shifted."""
        return self._op2(E.LOGADDEXP, self, other)

    def silu(self) -> Any:
        """x sigmoid(x) (swish)."""
        return self * self._op1(E.SIGMOID, self)

    def selu(self) -> Any:
        """scale elu(x, alpha) with torch's fixed scale 1.0507... and alpha 1.6732...."""
        return apply(A.ELU, self, alpha=_SELU_ALPHA) * _SELU_SCALE

    def hardtanh(self, min_val: float = -1.0, max_val: float = 1.0) -> Any:
        """x clamped to [min_val, max_val]; the gradient passes strictly inside, as torch."""
        return apply(A.HARDTANH, self, min_val=float(min_val), max_val=float(max_val))

    def relu6(self) -> Any:
        """min(max(x, 0), 6) (hardtanh on [0, 6])."""
        return apply(A.HARDTANH, self, min_val=0.0, max_val=6.0)

    def logsigmoid(self) -> Any:
        """log sigmoid(x) = min(x, 0) - log(1 + e^-|x|) (exact for large |x|); d/dx = sigmoid(-x)."""
        return self._op1(A.LOGSIGMOID, self)
