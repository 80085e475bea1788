"""Guards of one trace, generated as the first lines of its replay: argument shapes and dtypes,
parameter shapes, dtypes and whether .grad is None, and grad mode. A failed guard returns MISS."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..grad_mode import is_grad_enabled
from ..tensor import Tensor
from .codegen import Namespace


class _Miss:
    def __repr__(self) -> str:
        return "MISS"


class Guards:
    """Collects guard lines (`if <changed>: return MISS`) while a trace wraps its inputs."""

    MISS = _Miss()

    def __init__(self, ns: Namespace, n_args: int) -> None:
        self.ns = ns
        ns.ns.update(_MISS=self.MISS, _Tensor=Tensor, _nd=np.ndarray, _grad_mode=is_grad_enabled)
        unpack = "".join(f"a{i}, " for i in range(n_args))
        self.lines = [f"if len(a) != {n_args}: return _MISS", f"{unpack}= a" if n_args else "pass"]

    def _array(self, expr: str, arr: np.ndarray) -> None:
        self.lines.append(f"if {expr}.shape != {arr.shape!r} or {expr}.dtype != {self.ns.name(arr.dtype)}: "
                          f"return _MISS")

    def arg(self, i: int, a: Any) -> str | None:
        """Guard argument i; return the expression that reads its array (None for a constant)."""
        name = f"a{i}"
        if isinstance(a, Tensor):
            self.lines.append(f"if {name}.__class__ is not {self.ns.name(type(a))} or "
                              f"{name}.requires_grad is not {bool(a.requires_grad)}: return _MISS")
            self._array(f"{name}.data", a.data)
            return f"{name}.data"
        if isinstance(a, np.ndarray):
            self.lines.append(f"if {name}.__class__ is not _nd: return _MISS")
            self._array(name, a)
            return name
        if isinstance(a, (np.generic, list)):
            arr = np.asarray(a)
            self.lines.append(f"if {name}.__class__ is not {self.ns.name(type(a))}: return _MISS")
            self.lines.append(f"{name} = _asarray({name})")
            self._array(name, arr)
            return name
        try:
            hash(a)
        except TypeError:
            raise TypeError(f"compile: argument {i} is a {type(a).__name__}: expected an array, a Tensor, a "
                            f"list of numbers or a hashable constant") from None
        self.lines.append(f"if {name}.__class__ is not {self.ns.name(type(a))} or {name} != "
                          f"{self.ns.render(a)}: return _MISS")
        return None

    def param(self, p: Tensor) -> str:
        name = self.ns.name(p, "p")
        self._array(f"{name}.data", p.data)
        if p.grad is None:  # a step that finds no gradient may make one; with one, it may add to it
            self.lines.append(f"if {name}.grad is not None: return _MISS")
        return name

    def grad_read(self, name: str, grad: np.ndarray) -> None:
        """Guard a gradient the replay reads (one it never reads, e.g. after zero_grad, needs none)."""
        self.lines.append(f"if {name}.grad is None: return _MISS")
        self._array(f"{name}.grad", grad)

    def grad_mode(self, enabled: bool) -> None:
        self.lines.append(f"if _grad_mode() is not {enabled}: return _MISS")


def describe(args: tuple, params: list[Tensor]) -> str:
    """The signature a trace would be made for (for the re-trace debug message)."""
    def one(a: Any) -> str:
        if isinstance(a, Tensor):
            return f"Tensor{a.shape} {a.dtype}"
        if isinstance(a, np.ndarray):
            return f"array{a.shape} {a.dtype}"
        return repr(a)
    ps = ", ".join(f"{p.shape}{'' if p.grad is None else '+grad'}" for p in params)
    return (f"inputs ({', '.join(one(a) for a in args)}), grad mode {is_grad_enabled()}, "
            f"parameters [{ps}]")
