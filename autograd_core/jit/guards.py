"""Guards of one trace, generated as the first lines of its replay, each with the words `step.guards`
shows: what the trace assumed about the arguments, the parameters, the modules, optimizers and Python
values the step reads, and grad mode. A failed guard returns MISS (the next kept trace is tried)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor.grad_array import plain as plain_grad
from ..graph.grad_mode import is_grad_enabled
from ..tensor.tensor import Tensor
from .codegen import Namespace
from .discover import is_scalar, same_array, value_changed, value_key


class _Miss:
    def __repr__(self) -> str:
        return "MISS"


class Guards:
    """Collects guard lines (`if <changed>: return MISS`) and their words while a trace wraps its inputs."""

    MISS = _Miss()

    def __init__(self, ns: Namespace, arg_names: list[str], keys: tuple[str, ...]) -> None:
        """`arg_names`: the step's parameter names for its positional arguments, then the keywords'."""
        self.ns = ns
        ns.ns.update(_MISS=self.MISS, _M=self.MISS, _Tensor=Tensor, _nd=np.ndarray, _grad_mode=is_grad_enabled,
                     _vkey=value_key, _same_array=same_array, _plain=plain_grad)
        n_args = len(arg_names)
        self.args = [ns.argument(n) for n in arg_names]  # the replay's variable for each argument
        unpack = "".join(f"{a}, " for a in self.args)
        self.lines = [f"if len(_args) != {n_args} or _keys != {keys!r}: return _MISS",
                      f"{unpack}= _args" if n_args else "pass"]
        self.words = [f"{n_args} arguments" + (f", keywords {list(keys)}" if keys else "")]
        self.explain = [f"if len(_args) != {n_args} or _keys != {keys!r}: return 0", self.lines[1]]

    def add(self, condition: str, words: str) -> None:
        last = self.lines[-1]
        if last.startswith("if ") and last.endswith(": return _MISS") and last.count(" or ") < 12:
            self.lines[-1] = f"{last[:-len(': return _MISS')]} or {condition}: return _MISS"  # one test, fewer jumps
        else:
            self.lines.append(f"if {condition}: return _MISS")
        self.explain.append(f"if {condition}: return {len(self.words)}")
        self.words.append(words)

    def assign(self, line: str) -> None:
        self.lines.append(line)
        self.explain.append(line)

    def _array(self, expr: str, arr: Any, what: str) -> None:
        self.add(f"{expr}.shape != {arr.shape!r} or {expr}.dtype != {self.ns.name(arr.dtype)}",
                 f"{what} has shape {arr.shape} and dtype {arr.dtype}")

    def arg(self, i: int, a: Any, what: str, static: bool) -> str | None:
        """Guard argument i; return the expression that reads its array (None when it is not an array):
        `x.data` for a Tensor (its variable is then `x_tensor`, the array `x`), the variable itself for
        an array."""
        name = self.args[i]
        if static or is_scalar(a) and not isinstance(a, np.generic):
            if not is_scalar(a):
                try:
                    hash(a)
                except TypeError:
                    raise TypeError(f"compile: static argument {what} is a {type(a).__name__}, which cannot be "
                                    f"compared by value; static arguments must be hashable") from None
                self.add(f"{name}.__class__ is not {self.ns.name(type(a))} or {name} != {self.ns.render(a)}",
                         f"{what} == {a!r} (static)")
                return None
            self.add(value_changed(name, a, self.ns.name),
                     f"{what} == {a!r}" + (" (static)" if static else " (a Python value: a new one traces anew)"))
            return None
        if isinstance(a, Tensor):
            self.ns.names.entry(name).suffix = "_tensor"
            self.add(f"{name}.__class__ is not {self.ns.name(type(a))} or {name}.requires_grad is not "
                     f"{bool(a.requires_grad)}", f"{what} is a {type(a).__name__} with requires_grad={a.requires_grad}")
            self._array(f"{name}.data", a.data, what)
            return f"{name}.data"
        if isinstance(a, np.ndarray):
            self.add(f"{name}.__class__ is not _nd", f"{what} is an ndarray")
            self._array(name, a, what)
            return name
        if isinstance(a, (np.generic, list)):
            arr = np.asarray(a)
            self.add(f"{name}.__class__ is not {self.ns.name(type(a))}", f"{what} is a {type(a).__name__}")
            self.assign(f"{name} = _asarray({name})")
            self._array(name, arr, what)
            return name
        return None

    def tensor(self, t: Tensor, name: str, what: str) -> None:
        """A Tensor the step reads (a parameter, a constant in the closure): its data is read afresh."""
        self._array(f"{name}.data", t.data, what)
        self.add(f"{name}.requires_grad is not {bool(t.requires_grad)}", f"{what}.requires_grad is {t.requires_grad}")
        if t.requires_grad and t.grad is None:  # a step that finds no gradient may make one
            self.add(f"{name}.grad is not None", f"{what}.grad is None")

    def grad_read(self, name: str, grad: np.ndarray, what: str) -> None:
        """Guard a gradient the replay reads (one it never reads, e.g. after zero_grad, needs none)."""
        self.add(f"{name}.grad is None", f"{what}.grad is present")
        self._array(f"{name}.grad", grad, f"{what}.grad")

    def grad_mode(self, enabled: bool) -> None:
        self.add(f"_grad_mode() is not {enabled}", f"grad mode is {'on' if enabled else 'off'}")


def describe(flat: tuple, keys: tuple[str, ...]) -> str:
    """The arguments of a call, briefly (for the re-trace message)."""
    def one(a: Any) -> str:
        if isinstance(a, Tensor):
            return f"Tensor{a.shape} {a.dtype}"
        if isinstance(a, np.ndarray):
            return f"array{a.shape} {a.dtype}"
        return type(a).__name__ if not is_scalar(a) else repr(a)
    n = len(flat) - len(keys)
    return ", ".join([one(a) for a in flat[:n]] + [f"{k}={one(a)}" for k, a in zip(keys, flat[n:])])
