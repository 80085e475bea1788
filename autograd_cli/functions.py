"""The whitelist of functions an expression may call, each mapped to the library's Value operation."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import autograd_core as ac
from autograd_core import Value


@dataclass(frozen=True)
class Function:
    """One callable name: how many arguments it takes and what it builds.

    `returns_list` marks functions giving one Value per argument (softmax, log_softmax): an
    expression must pick one entry with an integer index, e.g. softmax(a, b, c)[0].
    """

    min_args: int
    max_args: int | None
    build: Callable[..., Value | list[Value]]
    summary: str
    returns_list: bool = False


def _unary(method: str, summary: str) -> Function:
    return Function(1, 1, lambda x: getattr(x, method)(), summary)


FUNCTIONS: dict[str, Function] = {
    "exp": _unary("exp", "e**x"),
    "log": _unary("log", "natural logarithm, x > 0"),
    "sqrt": _unary("sqrt", "square root, x >= 0"),
    "abs": _unary("abs", "|x| (derivative 0 at 0)"),
    "sigmoid": _unary("sigmoid", "1 / (1 + e**-x)"),
    "tanh": _unary("tanh", "hyperbolic tangent"),
    "relu": _unary("relu", "max(x, 0) (derivative 0 at 0)"),
    "step": _unary("step", "1 if x > 0 else 0 (derivative 0)"),
    "sin": _unary("sin", "sine"),
    "cos": _unary("cos", "cosine"),
    "tan": _unary("tan", "tangent"),
    "log1p": _unary("log1p", "log(1 + x), x > -1, exact near 0"),
    "expm1": _unary("expm1", "e**x - 1, exact near 0"),
    "softplus": _unary("softplus", "log(1 + e**x), stable"),
    "gelu": _unary("gelu", "x Phi(x), Phi the normal CDF"),
    "elu": _unary("elu", "x if x > 0 else e**x - 1"),
    "leaky_relu": _unary("leaky_relu", "x if x > 0 else 0.01 x"),
    "max": Function(1, None, lambda *xs: ac.max(*xs), "largest argument (ties split the gradient)"),
    "min": Function(1, None, lambda *xs: ac.min(*xs), "smallest argument (ties split the gradient)"),
    "logsumexp": Function(1, None, lambda *xs: ac.logsumexp(list(xs)), "log(e**a + e**b + ...), stable"),
    "softmax": Function(1, None, lambda *xs: ac.softmax(list(xs)), "e**a / sum e**args; index it: softmax(a, b)[0]",
                        returns_list=True),
    "log_softmax": Function(1, None, lambda *xs: ac.log_softmax(list(xs)),
                            "a - logsumexp(args); index it: log_softmax(a, b)[1]", returns_list=True),
}
