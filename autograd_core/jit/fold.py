"""Constant folding of a recorded program: calls whose inputs are constants, or only the shape of a traced
array (ones_like: the backward pass's seed gradient), are computed once at trace time; a multiply by
an array of ones that matches the other operand is dropped."""
from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .optimize import _rename, _roots
from .recorder import Instr, Slot, slots_in
from .traced import astype, copy_array

_FROM_SHAPE = frozenset([np.ones_like, np.zeros_like, np.full_like])
_PURE = frozenset([np.reshape, np.transpose, operator.getitem, np.ravel, np.squeeze, astype, copy_array,
                   np.empty_like])


def _value(x: Any, const: dict[int, Any]) -> Any:
    if isinstance(x, Slot):
        return const[x.index]
    if type(x) is tuple or type(x) is list:
        return type(x)(_value(v, const) for v in x)
    return x


def fold_constants(instrs: list[Instr], needed: list[int], meta: dict[int, tuple]) -> tuple[list[Instr], dict[int, int]]:
    """Replace slots that hold the same numbers on every replay by those numbers. A slot qualifies
    when it is made from constants (or ones_like/zeros_like/full_like of any slot, which read only
    its guarded shape and dtype), is never written by a call that does not qualify, is not returned
    or assigned, and reaches no call with effects (which might keep or change it)."""
    root = _roots(instrs)
    barred = {root.get(s, s) for s in needed}
    for ins in instrs:
        if ins.effect and ins.fn is not operator.setitem:
            barred.update(root.get(s, s) for s in slots_in(ins.args))
    while True:  # a slot found written late un-qualifies everything folded from it: scan again
        const, folded, more = _scan(instrs, meta, root, barred)
        if not more - barred:
            break
        barred |= more
    out: list[Instr] = []
    for k, ins in enumerate(instrs):
        if k in folded:
            continue
        args, kwargs = _replace(ins.args, const), {n: _replace(v, const) for n, v in ins.kwargs.items()}
        out.append(Instr(ins.fn, args, kwargs, ins.out, ins.effect, ins.scalar, ins.writes))
    return _drop_times_ones(out, meta)


def _scan(instrs: list[Instr], meta: dict[int, tuple], root: dict[int, int],
          barred: set[int]) -> tuple[dict[int, Any], set[int], set[int]]:
    """(constant values by slot, indices of the folded calls, memory roots written by calls not folded)."""
    const: dict[int, Any] = {}
    folded: set[int] = set()
    written: set[int] = set()
    read: set[int] = set()  # memory roots some call has read so far (a later write would change what it saw)
    for k, ins in enumerate(instrs):
        slots = list(slots_in(ins.args)) + list(slots_in(ins.kwargs))
        out = -1 if ins.out is None else ins.out
        free = out >= 0 and not ins.effect and root.get(out, out) not in barred
        target = root.get(slots[0], slots[0]) if ins.fn is operator.setitem and slots else None
        if free and ins.fn in _FROM_SHAPE and not list(slots_in(ins.kwargs)) and isinstance(ins.args[0], Slot):
            shape, dtype = meta[ins.args[0].index]
            const[out] = ins.fn(np.empty(shape, dtype), *ins.args[1:], **ins.kwargs)
            folded.add(k)
        elif free and (isinstance(ins.fn, np.ufunc) or ins.fn in _PURE) and "out" not in ins.kwargs \
                and all(s in const for s in slots):
            result = ins.fn(*_value(ins.args, const), **{n: _value(v, const) for n, v in ins.kwargs.items()})
            const[out] = np.asarray(result) if ins.scalar else result
            folded.add(k)
        elif target is not None and target not in read and target not in barred and all(s in const for s in slots):
            operator.setitem(*_value(ins.args, const))
            folded.add(k)
            read.update(root.get(s, s) for s in slots[1:])
            continue
        else:
            written.update(root.get(s, s) for s in ins.writes)
        read.update(root.get(s, s) for s in slots)
    return const, folded, written


def _replace(x: Any, const: dict[int, Any]) -> Any:
    if isinstance(x, Slot):
        return const.get(x.index, x)
    if type(x) is tuple or type(x) is list:
        return type(x)(_replace(v, const) for v in x)
    return x


def _drop_times_ones(instrs: list[Instr], meta: dict[int, tuple]) -> tuple[list[Instr], dict[int, int]]:
    """`y = x * ones` with a constant ones of y's shape and dtype, x of the same: y is x (when
    neither is written afterwards)."""
    root = _roots(instrs)
    written = {root.get(s, s) for ins in instrs for s in ins.writes}
    alias: dict[int, int] = {}
    out = []
    for ins in instrs:
        args = _rename(ins.args, alias)
        if ins.fn is np.multiply and not ins.kwargs and len(args) == 2 and ins.out is not None:
            a, b = args
            x, c = (a, b) if isinstance(a, Slot) else (b, a)
            if (isinstance(x, Slot) and isinstance(c, np.ndarray) and meta.get(x.index) == meta.get(ins.out)
                    and c.shape == meta[ins.out][0] and c.dtype == meta[ins.out][1] and bool(np.all(c == 1))
                    and ins.out not in written and root.get(x.index, x.index) not in written):
                alias[ins.out] = x.index
                continue
        out.append(Instr(ins.fn, args, {k: _rename(v, alias) for k, v in ins.kwargs.items()}, ins.out,
                         ins.effect, ins.scalar, ins.writes))
    return out, alias
