"""Turn recorded instructions into one flat Python function: dead code removed, one line per numpy call."""
from __future__ import annotations

import operator
from typing import Any, Callable, Iterable

import numpy as np

from ..generated import run_source
from ..graph.node import Node
from ..value.value import Value
from .names import DEFAULT, LABEL, PATH, Names, constant_hint
from .recorder import Instr, Slot, slots_in
from .traced import astype, copy_array, method_call

_REDUCTIONS = {np.sum: "sum", np.max: "max", np.min: "min", np.mean: "mean"}
_VIEWS = (np.reshape, np.transpose, operator.getitem)


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
    """Names for the constants, functions, arguments and slots a generated program refers to: tokens
    with hints while the program is written, identifiers once `generate` resolves them (names.py).
    `ns` holds the program's own helpers (names starting with `_`, never given to anything else)."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {"_asarray": np.asarray}
        self.names = Names(lambda: self.ns)
        self._objects: dict[Any, str] = {}
        self._slots: dict[int, str] = {}
        self.alias: dict[int, int] = {}  # slot -> the earlier slot holding the same view

    def name(self, obj: Any, hint: str | None = None, rank: int = DEFAULT) -> str:
        """The name of a constant (by identity); `hint` says what the step calls it, `rank` how sure
        that is (names.py): the best hint met wins. A Tensor is `<name>_tensor` (its array is <name>)."""
        key: Any = id(obj)
        if type(obj) is slice and all(v is None or type(v) is int for v in (obj.start, obj.stop, obj.step)):
            key = (obj.start, obj.stop, obj.step)  # equal slices are one constant (`x[slice_0_2]`)
        token = self._objects.get(key)
        if token is None:
            token = self._objects[key] = self.names.new(hint or constant_hint(obj), rank if hint else DEFAULT,
                                                            obj=obj, is_object=True)
            if isinstance(obj, Node):
                self.names.entry(token).suffix = "_value" if isinstance(obj, Value) else "_tensor"
        elif hint:
            self.names.improve(token, hint, rank)
        label = obj.label if isinstance(obj, Node) else None
        if label:
            self.names.improve(token, label, LABEL)
        return token

    def argument(self, hint: str) -> str:
        """A local variable for one of the user function's arguments, named after its parameter."""
        return self.names.new(hint, LABEL, group=Names.ARGUMENT)

    def local(self, hint: str, number: int | None = None) -> str:
        """Any other local variable of the program."""
        return self.names.new(hint, PATH, number=number)

    def slot(self, index: int, hint: str | Callable[[], str] | None = None, rank: int = DEFAULT,
             number: bool = True) -> str:
        """The variable of slot `index`: named after what produced it (`matmul_3`, numbered by the
        slot) or, with a better-ranked hint, what it holds (`x`, `grad_W`: not numbered)."""
        token = self._slots.get(index)
        if token is None:
            token = self._slots[index] = self.names.new("t", DEFAULT + 1, number=index)
        if hint is not None:
            self.names.improve(token, hint, rank, index if number else None)
        return token

    def bind(self, index: int, token: str) -> None:
        """Slot `index` is the variable `token` itself (an array argument: no line reads it)."""
        self._slots[index] = token

    def resolve(self, text: str) -> tuple[str, dict[str, Any]]:
        """(text with identifiers for its tokens, the globals its code needs)."""
        text = self.names.resolve(text)
        return text, {**self.names.objects(), **self.ns}

    def render(self, x: Any) -> str:
        """Python source for an argument template."""
        if isinstance(x, Slot):
            return self.slot(self.alias.get(x.index, x.index))
        t = type(x)
        if (t is tuple or t is list) and (any(True for _ in slots_in(x)) or _literal(x)):
            inner = ", ".join(self.render(v) for v in x)
            if t is list:
                return f"[{inner}]"
            return f"({inner},)" if len(x) == 1 else f"({inner})"
        if t is dict and any(True for _ in slots_in(x)):
            return "{" + ", ".join(f"{self.render(k)}: {self.render(v)}" for k, v in x.items()) + "}"
        if _literal(x):
            return repr(x)
        return self.name(x)  # by identity: a live dict of hyperparameters stays that dict

    def expr(self, ins: Instr) -> str:
        """The call as Python source: ndarray methods and syntax where numpy has them (no dispatch)."""
        fn, a, kw = ins.fn, ins.args, ins.kwargs
        first = self.render(a[0]) if a and isinstance(a[0], Slot) else None
        if first is not None and not kw:
            if fn is np.transpose:
                return f"{first}.T" if len(a) == 1 or a[1] is None else f"{first}.transpose({self.render(a[1])})"
            if fn is np.reshape and len(a) == 2:
                return f"{first}.reshape({self.render(a[1])})"
            if fn is operator.getitem:
                return f"{first}[{self.render(a[1])}]"
            if fn is operator.setitem:
                return f"{first}[{self.render(a[1])}] = {self.render(a[2])}"
            if fn is copy_array:
                return f"{first}.copy()"
        if first is not None and fn is method_call:
            rest = [self.render(v) for v in a[2:]] + [f"{k}={self.render(v)}" for k, v in kw.items()]
            return f"{first}.{a[1]}({', '.join(rest)})"
        if first is not None and fn is astype:
            return f"{first}.astype({self.render(a[1])}, copy={kw.get('copy', True)!r})"
        if first is not None and fn in _REDUCTIONS and len(a) == 1:
            inner = ", ".join(f"{k}={self.render(v)}" for k, v in kw.items())
            return f"{first}.{_REDUCTIONS[fn]}({inner})"
        parts = [self.render(v) for v in a] + [f"{k}={self.render(v)}" for k, v in kw.items()]
        return f"{self.name(fn)}({', '.join(parts)})"

    def lines(self, instrs: list[Instr]) -> list[str]:
        """One line per call; a view already made from the same slot is reused (no second call)."""
        out: list[str] = []
        seen: dict[str, int] = {}
        for ins in instrs:
            src = self.expr(ins)
            if ins.out is None:
                out.append(src)
                continue
            if ins.fn in _VIEWS and not ins.effect:
                if src in seen:
                    self.alias[ins.out] = seen[src]
                    continue
                seen[src] = ins.out
            hint = self._made_by(ins)
            target = self.slot(ins.out, hint, DEFAULT, number=not callable(hint))
            out.append(f"{target} = _asarray({src})" if ins.scalar else f"{target} = {src}")
        return out

    def _made_by(self, ins: Instr) -> str | Callable[[], str]:
        """A slot's hint from the call that made it: the function's name (matmul), the method's
        (x.sum()), or its input's name and `_T` for a transpose."""
        fn, a = ins.fn, ins.args
        if fn is method_call:
            return str(a[1])
        if fn is np.transpose and a and isinstance(a[0], Slot) and (len(a) == 1 or a[1] is None):
            source = self.render(a[0])
            return lambda: self.names.final(source) + "_T"
        if fn is copy_array:
            return "copy"
        return constant_hint(fn)


def generate(name: str, params: str, prologue: list[str], instrs: list[Instr],
             epilogue: Callable[[Namespace], list[str]], ns: Namespace, title: str = "") -> tuple[Callable[..., Any], str]:
    """Compile `def name(params): prologue; instrs; epilogue(ns)` and return (function, source).
    The epilogue is rendered after the calls, so it sees which slots were merged."""
    body = prologue + ns.lines(instrs)
    body += epilogue(ns)
    src, scope = ns.resolve(f"def {name}({params}):\n" + "".join(f"    {line}\n" for line in body or ["pass"]))
    return run_source(src, f"compiled {title or name}", scope)[name], src
