"""More elementwise methods Value and Tensor share, with torch's names: hyperbolic and inverse trig functions,
base-2/10 logs, reciprocal, rsqrt, rounding, sign, atan2, logaddexp, and the activations silu, selu,
hardtanh, relu6 and logsigmoid (composites where one exists)."""
from __future__ import annotations

from typing import Any, Callable

from ..ops import activations as A, elementary as M, elementwise as E, rounding as R
from .op_methods import binary, named, unary
from ..ops.apply import apply

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@named
class MathMethods:
    """Elementwise functions; a class mixing this in provides `_op1(op, a)` and `_op2(op, a, b)`."""

    __slots__ = ()
    _op1: Callable[..., Any]
    _op2: Callable[..., Any]

    sinh = unary(M.SINH, "sinh x; d/dx = cosh x.")
    cosh = unary(M.COSH, "cosh x; d/dx = sinh x.")
    asin = unary(M.ASIN, "arcsin x for x in [-1, 1]; d/dx = 1/sqrt(1 - x^2).")
    acos = unary(M.ACOS, "arccos x for x in [-1, 1]; d/dx = -1/sqrt(1 - x^2).")
    atan = unary(M.ATAN, "arctan x; d/dx = 1/(1 + x^2).")
    atan2 = binary(M.ATAN2, "The angle of the point (other, self): atan2(self, other), as torch.atan2(input, other).")
    log2 = unary(M.LOG2, "log base 2 for x > 0.")
    log10 = unary(M.LOG10, "log base 10 for x > 0.")
    reciprocal = unary(M.RECIPROCAL, "1/x for x != 0; d/dx = -1/x^2.")
    rsqrt = unary(M.RSQRT, "1/sqrt(x) for x > 0.")
    floor = unary(R.FLOOR, "The largest whole number <= x (gradient 0).")
    ceil = unary(R.CEIL, "The smallest whole number >= x (gradient 0).")
    trunc = unary(R.TRUNC, "x rounded toward zero (gradient 0).")
    fix = unary(R.TRUNC, "trunc (torch's alias).")
    sign = unary(R.SIGN, "-1, 0 or 1 (0 at NaN, as torch; gradient 0).")
    sgn = unary(R.SIGN, "sign for real numbers (torch's sgn).")
    logaddexp = binary(E.LOGADDEXP, "log(e^self + e^other), max-shifted.")
    logsigmoid = unary(A.LOGSIGMOID, "log sigmoid(x) = min(x, 0) - log(1 + e^-|x|) (exact for large |x|); "
                                     "d/dx = sigmoid(-x).")

    def round(self, decimals: int = 0) -> Any:
        """x rounded to `decimals` places, halves to even as torch (gradient 0)."""
        return apply(R.ROUND, self, decimals=int(decimals))

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
