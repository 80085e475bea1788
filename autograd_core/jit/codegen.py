"""Turn recorded instructions into one flat Python function: dead code removed, one line per numpy call."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from .recorder import Instr, Slot


def slots_in(x: Any) -> Iterable[int]:
    """Every slot index referenced by an argument template."""
    if isinstance(x, Slot):
        yield x.index
    elif type(x) is tuple or type(x) is list:
        for v in x:
            yield from slots_in(v)
    elif type(x) is dict:
        for v in x.values():
            yield from slots_in(v)


def live_instructions(instrs: list[Instr], needed: Iterable[int]) -> tuple[list[Instr], set[int]]:
    """Dead-code elimination: keep calls with effects and those whose result is (transitively) needed.
    Returns the kept calls and every slot they (or the caller) read."""
    live = set(needed)
    kept = []
    for ins in reversed(instrs):
        if ins.effect or (ins.out is not None and ins.out in live):
            kept.append(ins)
            live.update(slots_in(ins.args))
            live.update(slots_in(ins.kwargs))
    kept.reverse()
    return kept, live


def _literal(x: Any) -> bool:
    """Whether repr(x) rebuilds x exactly (None, bools, ints, strings and tuples of them)."""
    t = type(x)
    if x is None or t is bool or t is int or t is str:
        return True
    return t is tuple and all(_literal(v) for v in x)


class Namespace:
    """Names for the constants and functions a generated program refers to."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {"_asarray": np.asarray}
        self._names: dict[int, str] = {}

    def name(self, obj: Any, prefix: str = "c") -> str:
        key = id(obj)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = f"{prefix}{len(self._names)}"
            self.ns[found] = obj
        return found

    def render(self, x: Any) -> str:
        """Python source for an argument template."""
        if isinstance(x, Slot):
            return f"t{x.index}"
        t = type(x)
        if (t is tuple or t is list) and (any(True for _ in slots_in(x)) or _literal(x)):
            inner = ", ".join(self.render(v) for v in x)
            if t is list:
                return f"[{inner}]"
            return f"({inner},)" if len(x) == 1 else f"({inner})"
        if _literal(x):
            return repr(x)
        return self.name(x)  # by identity: a live dict of hyperparameters stays that dict

    def call(self, ins: Instr) -> str:
        parts = [self.render(a) for a in ins.args]
        parts += [f"{k}={self.render(v)}" for k, v in ins.kwargs.items()]
        src = f"{self.name(ins.fn, 'f')}({', '.join(parts)})"
        if ins.out is None:
            return src
        return f"t{ins.out} = _asarray({src})" if ins.scalar else f"t{ins.out} = {src}"


def generate(name: str, params: list[str], prologue: list[str], instrs: list[Instr],
             epilogue: list[str], ns: Namespace) -> tuple[Callable[..., Any], str]:
    """Compile `def name(params): prologue; instrs; epilogue` and return (function, source)."""
    body = prologue + [ns.call(i) for i in instrs] + epilogue
    src = f"def {name}({', '.join(params)}):\n" + "".join(f"    {line}\n" for line in body or ["pass"])
    scope: dict[str, Any] = dict(ns.ns)
    exec(compile(src, f"<compiled {name}>", "exec"), scope)  # noqa: S102 - our own generated source
    return scope[name], src
