"""Methods made from table ops, so a class lists each as one line `exp = unary(E.EXP, "doc")`.

`unary(op)` records op(self), `binary(op)` op(self, other) and `operator_pair(op)` gives `__add__` and
`__radd__` (op(other, self)), each through the node kind's `_op1` / `_op2` hook; other files' factories
mark theirs with `unnamed`. `@named` on the class then names every such method after its attribute
(`__name__`, `__qualname__` and the code's own name, so help() and tracebacks say `exp`, not the
factory's inner function).
"""
from __future__ import annotations

import types
from typing import Any, Callable, TypeVar

C = TypeVar("C", bound=type)
Method = Callable[..., Any]
Unary = Callable[[Any], Any]  # (self) -> result: mypy binds self, so x.exp() type-checks and x.exp(1) does not
Binary = Callable[[Any, Any], Any]  # (self, other) -> result

_UNNAMED = "_unnamed_op_method"


def unnamed(fn: Method, doc: str | None) -> Method:
    """fn with its docstring, marked for `named` to give it its attribute's name."""
    fn.__name__ = _UNNAMED
    fn.__doc__ = doc
    return fn


def named(cls: C) -> C:
    """Name the methods the factories made in cls after the attributes that hold them; one method held by two
    attributes (`__eq__ = eq = ...`) becomes two functions, one per name."""
    named_here: set[int] = set()
    for attr, fn in list(vars(cls).items()):
        if id(fn) in named_here:
            fn = types.FunctionType(fn.__code__, fn.__globals__, attr, fn.__defaults__, fn.__closure__)
            fn.__doc__ = getattr(cls, attr).__doc__
            setattr(cls, attr, fn)
        elif getattr(fn, "__name__", None) != _UNNAMED:
            continue
        named_here.add(id(fn))
        qualname = f"{cls.__qualname__}.{attr}"
        fn.__name__, fn.__qualname__ = attr, qualname
        fn.__code__ = fn.__code__.replace(co_name=attr, co_qualname=qualname)
    return cls


def unary(op: Any, doc: str | None = None) -> Unary:
    """A method recording op(self)."""
    def method(self: Any) -> Any:
        return self._op1(op, self)
    return unnamed(method, doc)


def binary(op: Any, doc: str | None = None) -> Binary:
    """A method recording op(self, other); other may be a number."""
    def method(self: Any, other: Any) -> Any:
        return self._op2(op, self, other)
    return unnamed(method, doc)


def operator_pair(op: Any, doc: str | None = None) -> tuple[Binary, Binary]:
    """An operator and its reflected form: op(self, other) and op(other, self) (`2 * x`)."""
    def reflected(self: Any, other: Any) -> Any:
        return self._op2(op, other, self)
    return binary(op, doc), unnamed(reflected, doc)
