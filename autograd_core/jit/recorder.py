"""The Recorder: collects (function, argument template, output slot) instructions while a step is traced."""
from __future__ import annotations

import operator
from typing import Any, Callable, Iterator

import numpy as np

from .traced import _SHAPE_FUNCS, TraceError, Traced, _tls, call_site, plain, value_read_error

# numpy functions whose result's shape depends on the values they are given
_DATA_SHAPED = frozenset(getattr(np, n) for n in ("nonzero", "argwhere", "flatnonzero", "unique", "extract",
                                                  "compress", "bincount", "histogram", "trim_zeros"))


class Slot:
    """A reference to replay variable t<index> inside an argument template."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def slots_in(x: Any) -> Iterator[int]:
    """Every slot index referenced by an argument template (Slots inside tuples, lists, dict values)."""
    if isinstance(x, Slot):
        yield x.index
    elif type(x) is tuple or type(x) is list:
        for v in x:
            yield from slots_in(v)
    elif type(x) is dict:
        for v in x.values():
            yield from slots_in(v)


class Instr:
    """One recorded call: out = fn(*args, **kwargs) (templates hold Slots); `effect` marks an in-place
    write or an opaque call (never eliminated); `scalar` marks a numpy scalar result (made 0-d)."""

    __slots__ = ("fn", "args", "kwargs", "out", "effect", "scalar", "writes")

    def __init__(self, fn: Any, args: Any, kwargs: dict, out: int | None, effect: bool, scalar: bool,
                 writes: tuple[int, ...] = ()) -> None:
        self.fn, self.args, self.kwargs, self.out, self.effect, self.scalar = fn, args, kwargs, out, effect, scalar
        self.writes = writes  # slots whose memory the call changes in place


class Recorder:
    """Numbers the arrays of one trace (slots) and records the calls that make them."""

    def __init__(self) -> None:
        self.instrs: list[Instr] = []
        self.n_slots = 0
        self.inputs: list[int] = []
        self.meta: dict[int, tuple[tuple[int, ...], np.dtype]] = {}  # slot -> (shape, dtype) seen
        self.watched: list[tuple[Any, Any]] = []  # numpy Generators the step reads, with their states

    def watch(self, generators: list[Any]) -> None:
        """Numpy Generators whose draws must happen only inside replayed calls (nn.Dropout's)."""
        self.watched = [(g, g.bit_generator.state) for g in generators]

    def check_watched(self) -> None:
        """Raise if a watched Generator drew outside a replayed call (the draw would be frozen)."""
        for g, state in self.watched:
            if g.bit_generator.state != state:
                raise TraceError("compile: the step drew random numbers from a numpy Generator it reads (its "
                                 "closure, globals or a module); numpy's own draws are not recorded, so a replay "
                                 "would repeat the first call's numbers. Draw through autograd_core (ac.randn(..., "
                                 "generator=ac.Generator(s)), ac.rand_like, nn.Dropout, nn.functional.dropout), "
                                 "which replays each draw live.")

    def _new_slot(self, value: np.ndarray) -> Traced:
        t = Traced(value, self.n_slots, self)
        self.meta[self.n_slots] = (value.shape, value.dtype)
        self.n_slots += 1
        return t

    def input(self, arr: np.ndarray) -> Traced:
        """A Traced stand-in for an array read afresh on every call (input, parameter, gradient)."""
        t = self._new_slot(arr)
        self.inputs.append(t._slot)
        return t

    def template(self, x: Any) -> Any:
        """Replace Traced arrays inside x (nested tuples, lists, dicts) by Slots; anything holding no
        Traced array is kept as the very object (a dict of live hyperparameters stays that dict)."""
        if isinstance(x, Traced):
            if x._rec is not self:
                raise TraceError(f"compile: a value traced by another compiled call reached this trace ({x!r})")
            return Slot(x._slot)
        t = type(x)
        if (t is tuple or t is list) and _holds_traced(x):
            return t(self.template(v) for v in x)
        if t is dict and _holds_traced(x.values()):
            return {k: self.template(v) for k, v in x.items()}
        return x

    def record(self, fn: Any, args: Any, kwargs: dict, inplace: Any) -> Any:
        """Run fn on the values now, remember how to run it again, and return Traced results."""
        if fn in _SHAPE_FUNCS:
            return fn(*plain(tuple(args)), **plain(kwargs))
        _refuse_data_shapes(fn, args)
        targs = self.template(tuple(args))
        tkw = {k: self.template(v) for k, v in kwargs.items()}
        values = plain(tuple(args))
        result = fn(*values, **plain(kwargs))
        out = kwargs.get("out")
        if out is None and inplace is None:
            for p, a in zip(values, args):
                if result is p and isinstance(a, Traced):
                    return a  # the call handed its input back (astype to the same dtype, copy=False): no step
        if getattr(fn, "__name__", "") == "at" and isinstance(args[0], Traced):
            inplace = args[0]  # ufunc.at(a, index, b) changes a in place
        if inplace is not None or isinstance(out, Traced):
            target: Any = inplace if inplace is not None else out
            self.instrs.append(Instr(fn, targs, tkw, None, True, False, (target._slot,)))
            return None if inplace is not None else target
        if out is not None or getattr(fn, "__name__", "") in ("at", "copyto", "put", "place", "putmask"):
            where, asker = call_site()
            raise TraceError(f"compile: {getattr(fn, '__name__', fn)} writes traced values into an array the "
                             f"tracer did not see being made (np.zeros/np.empty/a global buffer; asked by "
                             f"{asker}, at {where}); make it with np.zeros_like(traced, shape=...) or similar "
                             f"so the replay makes it afresh")
        return self._wrap(fn, targs, tkw, result, effect=False)

    def opaque(self, fn: Callable[..., Any], args: tuple, *, writes: bool = True) -> Any:
        """fn(*args) now and at every replay (optimizer updates, random draws, checks): never eliminated.
        writes=False promises fn changes none of the arrays it is given (a check)."""
        targs = self.template(args)
        self.check_watched()
        _tls.recorder = None  # fn's own calls are not recorded: the replay runs fn itself
        try:
            result = fn(*plain(args))
        finally:
            _tls.recorder = self
        self.watch([g for g, _ in self.watched])  # its draws are replayed: new states to compare with
        out = self._wrap(fn, targs, {}, result, effect=True)
        if writes:
            self.instrs[-1].writes = tuple(slots_in(targs))  # it may change any array it is given
        return out

    def _wrap(self, fn: Any, targs: Any, tkw: dict, result: Any, effect: bool) -> Any:
        if isinstance(result, np.ndarray):
            t = self._new_slot(result)
            self.instrs.append(Instr(fn, targs, tkw, t._slot, effect, False))
            return t
        if isinstance(result, np.generic):
            t = self._new_slot(np.asarray(result))
            self.instrs.append(Instr(fn, targs, tkw, t._slot, effect, True))
            return t
        if isinstance(result, tuple) and result and all(isinstance(r, np.ndarray) for r in result):
            return self._wrap_tuple(fn, targs, tkw, result, effect)
        if effect and result is None:
            self.instrs.append(Instr(fn, targs, tkw, None, True, False))
            return None
        if result is None or isinstance(result, (np.dtype, type)):
            return result
        raise value_read_error(f"{getattr(fn, '__name__', fn)!s} (it returns a Python "
                               f"{type(result).__name__}, not an array)")

    def _wrap_tuple(self, fn: Any, targs: Any, tkw: dict, result: tuple, effect: bool) -> tuple:
        """A tuple of arrays: one slot for the tuple, then one getitem per element."""
        whole = self.n_slots
        self.n_slots += 1
        self.instrs.append(Instr(fn, targs, tkw, whole, effect, False))
        items = []
        for i, r in enumerate(result):
            t = self._new_slot(r)
            self.instrs.append(Instr(_item, (Slot(whole), i), {}, t._slot, False, False))
            items.append(t)
        return tuple(items)


def _refuse_data_shapes(fn: Any, args: Any) -> None:
    """A result whose shape depends on traced values (a boolean mask index, np.nonzero, np.unique)
    cannot be replayed by a program of fixed shapes: refuse it."""
    if fn is operator.getitem:
        parts = args[1] if type(args[1]) is tuple else (args[1],)
        if not any(isinstance(p, Traced) and p.dtype == bool for p in parts):
            return
        what = "indexing with a traced boolean mask (x[mask])"
    elif fn in _DATA_SHAPED and _holds_traced(args):
        what = f"np.{fn.__name__} of traced values"
    else:
        return
    where, asker = call_site()
    raise TraceError(f"compile: {what} gives a shape that depends on the data, which a replay cannot follow "
                     f"(asked by {asker}, at {where}); keep the shape fixed: ac.where(mask, x, 0) and a "
                     f"masked sum divided by mask.sum(), or index with integer arrays")


def _holds_traced(x: Any) -> bool:
    for v in x:
        if isinstance(v, Traced) or ((type(v) is tuple or type(v) is list) and _holds_traced(v)):
            return True
    return False


def _item(seq: Any, i: int) -> Any:
    return seq[i]
