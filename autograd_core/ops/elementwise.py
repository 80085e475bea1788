"""Elementwise ops (Value and Tensor share them): arithmetic, exp/log, activations, max/min, where."""
from __future__ import annotations

import math
from functools import reduce
from typing import Any

import numpy as np

from ..arrays import as_array
from . import onnx_forms as F
from .apply import call, raw
from .domain import first_bad, non_integer, require, where_text
from .formula import RULE_NAMESPACE, scalar_div
from .table import Inline, defop

# ---- generic helpers used by gradient rules (raw data or nodes) -----------------------------


def exp(x: Any) -> Any:
    """e**x."""
    return call(EXP, x)


def log(x: Any) -> Any:
    """Natural logarithm."""
    return call(LOG, x)


def div(x: Any, y: Any) -> Any:
    """x / y; on raw data a zero denominator gives inf (used where the true derivative is infinite)."""
    return call(DIV, x, y)


def power(x: Any, y: Any) -> Any:
    """x ** y."""
    return call(POW, x, y)


def where(cond: Any, a: Any, b: Any) -> Any:
    """a where cond else b (cond is constant data)."""
    return call(WHERE, a, b, cond=raw(cond))


def positive_mask(x: Any) -> Any:
    """Constant 0.0 where x <= 0 else 1.0 (the derivative of relu, with relu'(0) = 0; a NaN input
    passes the gradient, as torch's threshold_backward)."""
    if type(x) is not float:
        x = raw(x)
    if type(x) is float:
        return 0.0 if x <= 0 else 1.0
    return (~(x <= 0)).astype(x.dtype)


def sign_mask(x: Any) -> Any:
    """Constant sign(x) (the derivative of |x|, with |x|'(0) = 0, and 0 at NaN as torch's sgn)."""
    x = raw(x)
    if type(x) is float:
        return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)
    return (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)


def tie_shares(ans: Any, xs: tuple[Any, ...]) -> list[Any]:
    """Constant 1/k for each input that is one of k inputs equal to the max/min `ans`, else 0
    (ties split evenly); one pass to count, one to share: linear in the number of inputs.
    Where `ans` is NaN every input gets 1, as torch's maximum/minimum backward (no NaN, no warning)."""
    a = raw(ans)
    values = [raw(x) for x in xs]
    if type(a) is float:
        if a != a:
            return [1.0 for _ in values]
        count = sum(1 for v in values if v == a)
        return [(1.0 / count) if v == a else 0.0 for v in values]
    nan = a != a
    hits = [(as_array(v) == a) | nan for v in values]
    count = sum(h.astype(a.dtype) for h in hits)
    share = np.where(nan, 1.0, 1.0 / np.maximum(count, 1.0)).astype(a.dtype)
    return [h * share for h in hits]


# ---- scalar implementations ------------------------------------------------------------------


def _scalar_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf




def _scalar_pow(x: float, y: float) -> float:
    if x == 0.0 and y < 0:
        return math.inf
    return float(x ** y)


def _scalar_sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _scalar_maximum(*xs: float) -> float:
    """The largest input, NaN when any input is NaN (as torch.maximum; Python's max depends on the order)."""
    m = max(xs)
    return m if all(x == x for x in xs) else math.nan


def _scalar_minimum(*xs: float) -> float:
    """The smallest input, NaN when any input is NaN (as torch.minimum)."""
    m = min(xs)
    return m if all(x == x for x in xs) else math.nan


def _scalar_logaddexp(*xs: float) -> float:
    m = max(xs)
    if m == -math.inf or m == math.inf:
        return m
    return m + math.log(math.fsum(math.exp(x - m) for x in xs))


# ---- numpy implementations -------------------------------------------------------------------


def _np_div(x: Any, y: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(x, y)


def _np_pow(x: Any, y: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.power(x, y)


def _np_exp(x: Any) -> Any:
    with np.errstate(over="ignore"):
        return np.exp(x)


def _np_sigmoid(x: Any) -> Any:
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(np.result_type(x), copy=False)


def _np_logaddexp(*xs: Any) -> Any:
    m = reduce(np.maximum, xs)
    safe_m = np.where(np.isfinite(m), m, 0.0)
    total = sum(np.exp(x - safe_m) for x in xs)
    with np.errstate(divide="ignore"):
        return np.where(np.isfinite(m), safe_m + np.log(total), m)


def _np_step(x: Any) -> Any:
    return (as_array(x) > 0).astype(np.result_type(x))


# ---- domain checks ---------------------------------------------------------------------------


def _check_div(x: Any, y: Any) -> None:
    if type(y) is float:
        if y == 0.0:
            raise ValueError(f"div: expected a non-zero divisor, got {y!r} (in {x!r} / {y!r})")
        return
    require("div", y, lambda v: v == 0, "a non-zero divisor")


def _check_log(x: Any) -> None:
    if type(x) is float:
        if x <= 0.0:
            raise ValueError(f"log: expected a positive input, got {x!r}")
        return
    require("log", x, lambda v: v <= 0, "a positive input")


def _check_sqrt(x: Any) -> None:
    if type(x) is float:
        if x < 0.0:
            raise ValueError(f"sqrt: expected a non-negative input, got {x!r}")
        return
    require("sqrt", x, lambda v: v < 0, "a non-negative input")


def _check_pow(x: Any, y: Any) -> None:
    if type(x) is float and type(y) is float:
        if x < 0 and not y.is_integer():
            raise ValueError(f"pow: negative base {x!r} with non-integer exponent {y!r} has no real value")
        if x == 0 and y < 0:
            raise ValueError(f"pow: 0.0 ** {y!r} is a division by zero")
        return
    yv = as_array(y)
    if yv.ndim == 0 and float(yv).is_integer() and yv >= 0:
        return  # a whole, non-negative exponent is defined for every base
    try:
        xb, yb = np.broadcast_arrays(as_array(x), yv)
    except ValueError:
        raise ValueError(f"pow: shapes {np.shape(x)} and {np.shape(y)}: operands could not be broadcast "
                         f"together") from None
    found = first_bad(xb, lambda v: (v < 0) & non_integer(yb))
    if found is not None:
        value, index = found
        raise ValueError(f"pow: negative base {value!r} with non-integer exponent {float(yb[index])!r}"
                         f"{where_text(index)} has no real value")
    found = first_bad(xb, lambda v: (v == 0) & (yb < 0))
    if found is not None:
        raise ValueError(f"pow: 0.0 ** {float(yb[found[1]])!r}{where_text(found[1])} is a division by zero")


def _pow_base_grad(g: Any, ans: Any, x: Any, y: Any) -> Any:
    """d(x**y)/dx = y x**(y - 1), and 0 where y == 0: x**0 is the constant 1, also at x = 0
    (as PyTorch), to every order. Plain floats take a direct path: the scalar engine's hot case."""
    if type(x) is float and type(y) is float and type(g) is float:
        return 0.0 if y == 0.0 else g * y * _scalar_pow(x, y - 1.0)
    yr = raw(y)
    if not isinstance(yr, (np.ndarray, np.generic, float, int)):  # traced by compile: no branch on values
        return g * y * power(where(yr == 0, 1.0, x), y - 1)
    if np.ndim(yr) == 0:
        return g * 0.0 if yr == 0 else g * y * power(x, y - 1)
    zero = np.equal(yr, 0)
    if not zero.any():
        return g * y * power(x, y - 1)
    return g * y * power(where(zero, 1.0, x), y - 1)  # base 1 where y == 0: no 0 ** -1


def _pow_exponent_grad(g: Any, ans: Any, x: Any, y: Any) -> Any:
    """d(x**y)/dy = x**y log x; log x is taken as 0 where x == 0 (x**y -> 0 there for y > 0)."""
    xr = raw(x)
    require("pow", xr, lambda v: v < 0, "a non-negative base when differentiating w.r.t. the exponent")
    safe_x = (x if xr > 0 else 1.0) if type(xr) is float else where(xr > 0, x, 1.0)
    return g * ans * log(safe_x)


def _softmax_weight(i: int, xs: tuple[Any, ...]) -> Any:
    """exp(x_i - m) / sum_j exp(x_j - m), m the (constant) largest finite input: every exponential is at most 1,
    so ties of huge values share exactly (1/2 each) and no derivative of any order overflows."""
    values = [raw(x) for x in xs]
    if all(type(v) is float for v in values):
        m = max(values)
        m = m if math.isfinite(m) else 0.0
    else:
        m = reduce(np.maximum, values)
        m = np.where(np.isfinite(m), m, 0.0)
    return exp(xs[i] - m) / sum(exp(x - m) for x in xs)


# ---- the table -------------------------------------------------------------------------------

ADD = defop("add", forward="a + b", vjp=("g", "g"), inline=Inline(common=True), display="+", onnx="Add",
            words="a sum passes the gradient to both inputs unchanged")
SUB = defop("sub", forward="a - b", vjp=("g", "-g"), display="−", onnx="Sub",
            words="a difference passes the gradient to a unchanged and to b negated")
MUL = defop("mul", forward="a * b", vjp=("g * b", "g * a"), inline=Inline(common=True), display="×", onnx="Mul",
            words="each factor's slope is the other factor")
DIV = defop("div", forward=_np_div, scalar=scalar_div, check=_check_div, inline=Inline("a / b", ok="b != 0.0"),
            vjp=("g / b", "-g * out / b"), display="÷", onnx="Div",
            words="the numerator's slope is 1/b, the denominator's is −a/b²")
RULE_NAMESPACE["divide"] = div  # a formula's `/` in generic rules is the table's div (see ops/formula.py)
POW = defop("pow", forward=_np_pow, scalar=_scalar_pow, check=_check_pow,
            inline=Inline("a ** b", ("0.0 if b == 0.0 else g * b * (a ** (b - 1.0) if a != 0.0 or b >= 1.0 else inf)",
                                     "_pow_exponent_grad(g, out, a, b)"),
                          ok="(a > 0.0 or b.is_integer()) and (a != 0.0 or b >= 0.0)",
                          env={"inf": math.inf, "_pow_exponent_grad": _pow_exponent_grad}, common=True),
            vjp=(_pow_base_grad, _pow_exponent_grad),
            display="**", elementwise=True, derivative=("b·a^(b−1)", "out·ln a"),
            words="the base's slope is b·a^(b−1) (0 when b = 0), the exponent's is aᵇ·ln a", onnx="Pow")
IDENTITY = defop("identity", forward="x", vjp=("g",), display="id", words="the gradient passes unchanged", onnx="Identity")
NEG = defop("neg", forward="-x", vjp=("-g",), display="−x", words="negation flips the gradient's sign", onnx="Neg")
EXP = defop("exp", forward=_np_exp, scalar=_scalar_exp, vjp=("g * out",), display="exp", words="eˣ is its own slope",
            inline=Inline("exp(x) if x < 709.0 else _scalar_exp(x)", env={"exp": math.exp, "_scalar_exp": _scalar_exp}),
            onnx="Exp")
LOG = defop("log", forward="log(x)", vjp=("g / x",), check=_check_log, inline=Inline(ok="x > 0.0"), display="log",
            words="ln x has slope 1/x", onnx="Log")
SQRT = defop("sqrt", forward="sqrt(x)", vjp=(lambda g, ans, x: div(g, 2.0 * ans),),
             check=_check_sqrt, display="√", elementwise=True, derivative=("1/(2·out)",),
             inline=Inline(vjp=("g / (2.0 * out) if out != 0.0 else scalar_div(g, 2.0 * out)",), ok="x >= 0.0",
                           env={"scalar_div": scalar_div}),
             words="√x has slope 1/(2√x), infinite at 0", onnx="Sqrt")
ABS = defop("abs", forward=np.abs, scalar=abs, vjp=(lambda g, ans, x: g * sign_mask(x),),
            inline=Inline("abs(x)", ("g * (1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0))",)),
            display="|x|", elementwise=True, derivative=("sign(x)",),
            words="|x| has slope −1 left of 0, +1 right of it, and 0 at 0", onnx="Abs")
SIGMOID = defop("sigmoid", forward=_np_sigmoid, scalar=_scalar_sigmoid, vjp=("g * (out * (1.0 - out))",), display="σ",
                words="σ'(x) = σ(x)(1 − σ(x)): at most 1/4 (at 0), near 0 when σ(x) is near 0 or 1",
                flat_warning="saturated sigmoid", onnx="Sigmoid")
TANH = defop("tanh", forward="tanh(x)", vjp=("g * (1.0 - out * out)",), inline=Inline(common=True), display="tanh",
             words="tanh'(x) = 1 − tanh²(x): 1 at 0, near 0 when tanh(x) is near ±1",
             flat_warning="saturated tanh", onnx="Tanh")
RELU = defop("relu", forward=lambda x: np.maximum(x, 0).astype(np.result_type(x), copy=False),
             vjp=(lambda g, ans, x: g * positive_mask(x),),
             inline=Inline("0.0 if x <= 0.0 else x", ("g * 0.0 if x <= 0.0 else g",), common=True),
             display="ReLU", elementwise=True, derivative=("1 if x > 0 else 0",),
             words="ReLU passes the gradient where its input is positive and blocks it elsewhere (relu'(0) = 0)",
             flat_warning="dead ReLU", onnx="Relu")
STEP = defop("step", forward=_np_step, inline=Inline("1.0 if x > 0.0 else 0.0"), vjp=("g * 0.0",), display="step",
             words="a step is flat on both sides of 0, so it passes no gradient",
             flat_warning="step passes no gradient", onnx=F.step)
MAXIMUM = defop("maximum", forward=lambda *xs: reduce(np.maximum, xs), scalar=_scalar_maximum,
                vjp_all=lambda g, ans, *xs: [g * s for s in tie_shares(ans, xs)],
                display="max", elementwise=True, derivative="1/k if xᵢ is one of k maxima else 0",
                words="the gradient goes to the largest input, split evenly among ties",
                onnx="Max")
MINIMUM = defop("minimum", forward=lambda *xs: reduce(np.minimum, xs), scalar=_scalar_minimum,
                vjp_all=lambda g, ans, *xs: [g * s for s in tie_shares(ans, xs)],
                display="min", elementwise=True, derivative="1/k if xᵢ is one of k minima else 0",
                words="the gradient goes to the smallest input, split evenly among ties",
                onnx="Min")
LOGADDEXP = defop("logaddexp", forward=_np_logaddexp, scalar=_scalar_logaddexp,
                  vjp_variadic=lambda i, g, ans, *xs: g * _softmax_weight(i, xs),
                  display="logaddexp", elementwise=True, derivative="exp(xᵢ − m)/Σⱼ exp(xⱼ − m)",
                  words="each input's slope is its softmax weight exp(xᵢ) / Σ exp(xⱼ)",
                  onnx=F.logaddexp)
WHERE = defop("where", forward=lambda a, b, *, cond: np.where(cond, a, b),
              scalar=lambda a, b, *, cond: a if cond else b,
              vjp=(lambda g, ans, a, b, *, cond: where(cond, g, 0.0),
                   lambda g, ans, a, b, *, cond: where(cond, 0.0, g)),
              display="where", elementwise=True, derivative=("1 where cond else 0", "0 where cond else 1"),
              words="the gradient goes to whichever input was picked",
              onnx=F.where)
