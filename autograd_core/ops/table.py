"""The op table: each op's forward, scalar forward, domain check and local-gradient rules in one entry."""
from __future__ import annotations

from typing import Any, Callable, Sequence

Vjp = Callable[..., Any]


def pass_through(g: Any, ans: Any, *inputs: Any, **settings: Any) -> Any:
    """The rule of an input whose local derivative is 1 (x + y, identity): the gradient passes on
    unchanged. The engine recognises this rule and skips the call (the scalar hot loop)."""
    return g


class Op:
    """One differentiable primitive.

    forward(*arrays, **settings) computes the result on numpy data; `scalar` on Python floats
    (Value's fast path). `vjps[i](g, ans, *inputs, **settings)` returns the gradient for input i
    (None in `vjps` marks a non-differentiable input); a variadic op gives
    `vjp_variadic(i, g, ans, *inputs, **settings)` instead, or `vjp_all(g, ans, *inputs, **settings)`
    giving every input's gradient at once (when they share work, e.g. counting ties). Rules are written with the generic
    helpers of this package, so they run on raw data (plain backward) and on nodes
    (create_graph=True, giving gradients of gradients). `check` validates inputs (domain, shapes)
    before a recorded forward and raises a ValueError naming the op.
    """

    __slots__ = ("name", "forward", "scalar", "vjps", "vjp_variadic", "vjp_all", "check")

    def __init__(self, name: str, forward: Callable[..., Any], scalar: Callable[..., Any] | None,
                 vjps: Sequence[Vjp | None] | None, vjp_variadic: Vjp | None,
                 check: Callable[..., None] | None, vjp_all: Vjp | None = None) -> None:
        self.name = name
        self.forward = forward
        self.scalar = scalar
        self.vjps = tuple(vjps) if vjps is not None else None
        self.vjp_variadic = vjp_variadic
        self.vjp_all = vjp_all
        self.check = check

    def input_grad(self, i: int, g: Any, ans: Any, inputs: Sequence[Any], kwargs: dict | None) -> Any:
        """Vector-Jacobian product of this op for input i: g^T d(ans)/d(input_i)."""
        kw = kwargs or {}
        if self.vjp_all is not None:
            return self.vjp_all(g, ans, *inputs, **kw)[i]
        if self.vjp_variadic is not None:
            return self.vjp_variadic(i, g, ans, *inputs, **kw)
        rule = self.vjps[i]  # type: ignore[index]
        return None if rule is None else rule(g, ans, *inputs, **kw)

    def input_grads(self, g: Any, ans: Any, inputs: Sequence[Any], kwargs: dict | None,
                    needed: Sequence[bool]) -> list[Any]:
        """The gradients of every input at once (None where not needed or not differentiable)."""
        if self.vjp_all is not None:
            kw = kwargs or {}
            return [gi if need else None for gi, need in zip(self.vjp_all(g, ans, *inputs, **kw), needed)]
        return [self.input_grad(i, g, ans, inputs, kwargs) if need else None for i, need in enumerate(needed)]

    def differentiable(self, i: int) -> bool:
        """Whether input i has a gradient rule."""
        if self.vjps is None:
            return True
        return self.vjps[i] is not None

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


OPS: dict[str, Op] = {}


def defop(name: str, *, forward: Callable[..., Any], scalar: Callable[..., Any] | None = None,
          vjp: Sequence[Vjp | None] | None = None, vjp_variadic: Vjp | None = None,
          vjp_all: Vjp | None = None, check: Callable[..., None] | None = None) -> Op:
    """Register an op in the table and return it."""
    if name in OPS:
        raise ValueError(f"defop: op {name!r} is already defined")
    if sum(rule is not None for rule in (vjp, vjp_variadic, vjp_all)) != 1:
        raise ValueError(f"defop: op {name!r} needs exactly one of vjp, vjp_variadic or vjp_all")
    op = Op(name, forward, scalar, vjp, vjp_variadic, check, vjp_all)
    OPS[name] = op
    return op
