"""Rewrites of a recorded program before code generation: a pure call that repeats an earlier one on
unchanged inputs is dropped, its result taken from the earlier call."""
from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .recorder import Instr, Slot, slots_in

_VIEWS = frozenset([np.reshape, np.transpose, operator.getitem, np.ravel, np.squeeze, np.swapaxes])
_PURE = _VIEWS | {np.sum, np.max, np.min, np.mean, np.where, np.prod, np.amax, np.amin}


def _rename(x: Any, alias: dict[int, int]) -> Any:
    if isinstance(x, Slot):
        return Slot(alias[x.index]) if x.index in alias else x
    if type(x) is tuple or type(x) is list:
        return type(x)(_rename(v, alias) for v in x)
    return x


def _roots(instrs: list[Instr]) -> dict[int, int]:
    """For each view's slot, the slot of the array whose memory it shares."""
    parent: dict[int, int] = {}
    for ins in instrs:
        if ins.fn in _VIEWS and ins.out is not None and ins.args and isinstance(ins.args[0], Slot):
            base = ins.args[0].index
            parent[ins.out] = parent.get(base, base)
    return parent


def _key(x: Any) -> Any:
    if isinstance(x, Slot):
        return ("s", x.index)
    if type(x) is tuple or type(x) is list:
        return (type(x).__name__,) + tuple(_key(v) for v in x)
    if x is None or type(x) in (bool, int, str, float):
        return (type(x).__name__, x)
    return ("c", id(x))


def common_subexpressions(instrs: list[Instr]) -> tuple[list[Instr], dict[int, int]]:
    """Drop a pure call that repeats an earlier one on unchanged inputs; returns (calls, slot aliases).

    Inputs are unchanged when no call wrote into their memory (through any view) in between: each
    write bumps a version of that memory, and the versions are part of the key. A result whose own
    memory is written afterwards is forgotten (a later call must not pick up the changed values).
    """
    root = _roots(instrs)
    version: dict[int, int] = {}
    alias: dict[int, int] = {}
    seen: dict[Any, int] = {}
    made_in: dict[int, list[Any]] = {}  # memory root -> keys of remembered results living there
    out = []
    for ins in instrs:
        args, kwargs = _rename(ins.args, alias), {k: _rename(v, alias) for k, v in ins.kwargs.items()}
        ins = Instr(ins.fn, args, kwargs, ins.out, ins.effect, ins.scalar, ins.writes)
        if not ins.effect and ins.out is not None and (isinstance(ins.fn, np.ufunc) or ins.fn in _PURE):
            versions = tuple(version.get(root.get(s, s), 0) for s in slots_in(args))
            key = (id(ins.fn), _key(args), tuple((k, _key(v)) for k, v in kwargs.items()), ins.scalar, versions)
            if key in seen:
                alias[ins.out] = seen[key]
                continue
            seen[key] = ins.out
            made_in.setdefault(root.get(ins.out, ins.out), []).append(key)
        for s in ins.writes:
            s = alias.get(s, s)
            r = root.get(s, s)
            version[r] = version.get(r, 0) + 1
            for key in made_in.pop(r, ()):
                seen.pop(key, None)
        out.append(ins)
    return out, alias


def _basic(index: Any) -> bool:
    """An index that gives a view (ints, slices, None, Ellipsis): writing through it reaches the base."""
    parts = index if type(index) is tuple else (index,)
    return all(p is None or p is Ellipsis or type(p) in (int, slice) for p in parts)


def _uses(instrs: list[Instr], needed: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """(number of references, index of the last call referring to it) per slot; needed slots never die."""
    count: dict[int, int] = {}
    last: dict[int, int] = {}
    for k, ins in enumerate(instrs):
        for s in (*slots_in(ins.args), *slots_in(ins.kwargs)):
            count[s] = count.get(s, 0) + 1
            last[s] = k
    for s in needed:
        last[s] = len(instrs)
    return count, last


def sparse_accumulate(instrs: list[Instr], needed: list[int],
                      meta: dict[int, tuple]) -> tuple[list[Instr], dict[int, int]]:
    """`Z = zeros_like(G, shape); Z[idx] = G; N = A + Z` (a slice's gradient joining a running sum)
    becomes `A[idx] += G; N is A` when nothing else reads Z, A is fresh memory without views, and A
    is not read afterwards. The engine's index rule and sum, without the full-size zeros and add."""
    program = _Program(instrs, needed)
    drop: set[int] = set()
    plan: dict[int, tuple[int, Any, Any]] = {}  # add index -> (A, idx, G)
    for k, ins in enumerate(instrs):
        if not (ins.fn is np.add and ins.out is not None and not ins.kwargs and len(ins.args) == 2
                and all(isinstance(a, Slot) for a in ins.args)):
            continue
        x, y = ins.args[0].index, ins.args[1].index
        for a, z in ((x, y), (y, x)):
            scatter = program.scatter(z)
            if (scatter is not None and a != z and program.running_sum(a, k)
                    and meta.get(a) == meta.get(z) == meta.get(ins.out)):
                zeros, setter = scatter
                drop.update({id(zeros), id(setter)})
                plan[k] = (a, setter.args[1], setter.args[2])
                break
    return _apply_plan(instrs, drop, plan, max(meta, default=-1) + 1)


class _Program:
    """What sparse_accumulate asks of a program: who makes each slot, who writes into it by index,
    how often and where last it is read, which slots have views."""

    def __init__(self, instrs: list[Instr], needed: list[int]) -> None:
        self.count, self.last = _uses(instrs, needed)
        self.viewed = set(_roots(instrs).values())
        self.producer = {ins.out: ins for ins in instrs if ins.out is not None}
        self.setter = {ins.args[0].index: ins for ins in instrs
                       if ins.fn is operator.setitem and isinstance(ins.args[0], Slot)}

    def scatter(self, z: int) -> tuple[Instr, Instr] | None:
        """(zeros_like, setitem) when slot z is `zeros_like(..); z[idx] = G` with a basic index and
        read by nothing but that write and one more call (the add)."""
        zeros, setter = self.producer.get(z), self.setter.get(z)
        if (zeros is None or zeros.fn is not np.zeros_like or setter is None or self.count.get(z) != 2
                or not _basic(setter.args[1])):
            return None
        return zeros, setter

    def running_sum(self, a: int, k: int) -> bool:
        """Whether slot a is fresh memory (made by a ufunc or zeros_like, not into `out=`, no call
        with effects) without views, last read by call k: adding into it in place is unseen."""
        made = self.producer.get(a)
        return (made is not None and not made.effect and "out" not in made.kwargs
                and (isinstance(made.fn, np.ufunc) or made.fn is np.zeros_like)
                and a not in self.viewed and self.last.get(a) == k)


def _apply_plan(instrs: list[Instr], drop: set[int], plan: dict[int, tuple[int, Any, Any]], fresh: int
                ) -> tuple[list[Instr], dict[int, int]]:
    """The program with each planned add done in place; views get new slots from `fresh` on (above
    every slot the recorder made: no alias of a merged or folded slot can point at them)."""
    alias: dict[int, int] = {}
    out: list[Instr] = []
    fresh -= 1
    for k, ins in enumerate(instrs):
        if id(ins) in drop:
            continue
        args, kwargs = _rename(ins.args, alias), {n: _rename(v, alias) for n, v in ins.kwargs.items()}
        if k in plan:
            a, idx, g = plan[k]
            a = alias.get(a, a)
            fresh += 1
            out.append(Instr(operator.getitem, (Slot(a), idx), {}, fresh, False, False))
            out.append(Instr(np.add, (Slot(fresh), _rename(g, alias)), {"out": Slot(fresh)}, None, True, False,
                             (fresh,)))
            alias[ins.out] = a  # type: ignore[index]
            continue
        out.append(Instr(ins.fn, args, kwargs, ins.out, ins.effect, ins.scalar, ins.writes))
    return out, alias


def times_one(instrs: list[Instr], meta: dict[int, tuple]) -> tuple[list[Instr], dict[int, int]]:
    """`y = x * ones_like(..)` (backward's seed gradient 1 meeting a rule) is x itself when the shapes
    and dtypes agree and the ones are never written: drop the multiply."""
    root = _roots(instrs)
    written = {root.get(s, s) for ins in instrs for s in ins.writes}
    ones = {ins.out for ins in instrs if ins.fn is np.ones_like and ins.out is not None and not ins.kwargs
            and ins.out not in written}
    alias: dict[int, int] = {}
    out = []
    for ins in instrs:
        args = _rename(ins.args, alias)
        if (ins.fn is np.multiply and not ins.kwargs and len(args) == 2 and ins.out is not None
                and all(isinstance(a, Slot) for a in args)):
            a, b = args[0].index, args[1].index
            other = b if a in ones else a if b in ones else None
            if (other is not None and meta.get(other) == meta.get(ins.out) and ins.out not in written
                    and root.get(other, other) not in written):  # neither side changes later: one array
                alias[ins.out] = other
                continue
        out.append(Instr(ins.fn, args, {k: _rename(v, alias) for k, v in ins.kwargs.items()}, ins.out,
                         ins.effect, ins.scalar, ins.writes))
    return out, alias
