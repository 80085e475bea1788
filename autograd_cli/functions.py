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


def _unary(method: str) -> Function:
    """A one-argument function that is the op of the same name; its summary is the op table's words."""
    return Function(1, 1, lambda x: getattr(x, method)(), ac.OPS[method].words)


FUNCTIONS: dict[str, Function] = {
    "exp": _unary("exp"),
    "log": _unary("log"),
    "sqrt": _unary("sqrt"),
    "abs": _unary("abs"),
    "sigmoid": _unary("sigmoid"),
    "tanh": _unary("tanh"),
    "relu": _unary("relu"),
    "step": _unary("step"),
    "sin": _unary("sin"),
    "cos": _unary("cos"),
    "tan": _unary("tan"),
    "log1p": _unary("log1p"),
    "expm1": _unary("expm1"),
    "softplus": _unary("softplus"),
    "gelu": _unary("gelu"),
    "elu": _unary("elu"),
    "leaky_relu": _unary("leaky_relu"),
    "max": Function(1, None, lambda *xs: ac.max(*xs), "largest argument (ties split the gradient)"),
    "min": Function(1, None, lambda *xs: ac.min(*xs), "smallest argument (ties split the gradient)"),
    "logsumexp": Function(1, None, lambda *xs: ac.logsumexp(list(xs)), "log(e**a + e**b + ...), stable"),
    "softmax": Function(1, None, lambda *xs: ac.softmax(list(xs)), "e**a / sum e**args; index it: softmax(a, b)[0]",
                        returns_list=True),
    "log_softmax": Function(1, None, lambda *xs: ac.log_softmax(list(xs)),
                            "a - logsumexp(args); index it: log_softmax(a, b)[1]", returns_list=True),
}
