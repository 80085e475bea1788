"""The Recorder: collects (function, argument template, output slot) instructions while a step is traced."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .traced import TraceError, Traced, _plain, value_read_error

# numpy functions whose Python results depend only on shapes and dtypes (guarded), never on values
_SHAPE_FUNCS = frozenset(getattr(np, n) for n in ("shape", "ndim", "size", "result_type", "may_share_memory",
                                                  "shares_memory", "iscomplexobj", "isrealobj", "min_scalar_type"))


class Slot:
    """A reference to replay variable t<index> inside an argument template."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


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
        self.owners: dict[int, tuple[np.ndarray, list[Traced]]] = {}  # memory owner -> traced views of it

    def _new_slot(self, plain: np.ndarray) -> Traced:
        t = plain.view(Traced)
        t._slot = self.n_slots
        owner = _owner(plain)
        self.owners.setdefault(id(owner), (owner, []))[1].append(t)
        self.meta[self.n_slots] = (plain.shape, plain.dtype)
        self.n_slots += 1
        return t

    def input(self, arr: np.ndarray) -> Traced:
        """A Traced view of an array read afresh on every call (input, parameter, gradient)."""
        t = self._new_slot(np.asarray(arr))
        self.inputs.append(t._slot)  # type: ignore[arg-type]
        return t

    def template(self, x: Any) -> Any:
        """Replace Traced arrays inside x (nested tuples and lists) by Slots; anything holding no
        Traced array is kept as the very object (a dict of live hyperparameters stays that dict)."""
        if isinstance(x, Traced):
            if x._slot is None:
                raise TraceError("compile: an array reached a numpy call after being made by an operation the "
                                 "tracer does not see (a method or conversion numpy does not dispatch); "
                                 f"shape {x.shape}, dtype {x.dtype}")
            return Slot(x._slot)
        t = type(x)
        if (t is tuple or t is list) and _holds_traced(x):
            return t(self.template(v) for v in x)
        if t is np.ndarray and self.owners:
            return self._untraced_view(x)
        if t is slice and any(isinstance(v, Traced) for v in (x.start, x.stop, x.step)):
            raise value_read_error("slicing with a traced bound")
        return x

    def _untraced_view(self, x: np.ndarray) -> Any:
        """A plain array sharing a traced array's memory (np.asarray(traced) gives one) is that array:
        the same view becomes its Slot; any other view raises instead of freezing stale values."""
        entry = self.owners.get(id(_owner(x)))
        if entry is None:
            return x
        ptr = x.__array_interface__["data"][0]
        for t in entry[1]:
            if (t.__array_interface__["data"][0] == ptr and t.shape == x.shape and t.strides == x.strides
                    and t.dtype == x.dtype):
                return Slot(t._slot)  # type: ignore[arg-type]
        raise TraceError(f"compile: a plain view (shape {x.shape}) of a traced array reached a numpy call; it "
                         f"was made by a conversion the tracer does not see (np.asarray of a slice?): convert "
                         f"with np.asanyarray, or index the traced array itself")

    def record(self, fn: Any, args: Any, kwargs: dict, inplace: Any) -> Any:
        """Run fn on plain arrays now, remember how to run it again, and return Traced results."""
        targs = self.template(tuple(args))
        tkw = {k: self.template(v) for k, v in kwargs.items()}
        plain = _plain(tuple(args))
        result = fn(*plain, **{k: _plain(v) for k, v in kwargs.items()})
        for p, a in zip(plain, args):
            if result is p and isinstance(a, Traced) and inplace is None:
                return a  # the call handed its input back (astype to the same dtype, copy=False): no step
        out = kwargs.get("out")
        if getattr(fn, "__name__", "") == "at" and isinstance(args[0], Traced):
            inplace = args[0]  # ufunc.at(a, index, b) changes a in place
        if inplace is not None or isinstance(out, Traced):
            target: Any = inplace if inplace is not None else out
            self.instrs.append(Instr(fn, targs, tkw, None, True, False, (target._slot,)))
            return None if inplace is not None else target
        if out is not None or getattr(fn, "__name__", "") == "at":
            what = getattr(fn, "__name__", str(fn))
            raise TraceError(f"compile: {what} writes into an array the tracer did not see being made (made by "
                             f"np.zeros/np.empty/... without a traced argument, or a plain view); make it "
                             f"with np.zeros_like(traced, shape=...) or similar so the replay makes it afresh")
        return self._wrap(fn, targs, tkw, result, effect=False)

    def opaque(self, fn: Callable[..., Any], args: tuple) -> Any:
        """fn(*args) now and at every replay (optimizer updates, random draws): never eliminated."""
        targs = self.template(args)
        result = fn(*_plain(args))
        out = self._wrap(fn, targs, {}, result, effect=True)
        self.instrs[-1].writes = tuple(_slots(targs))  # it may change any array it is given
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
        if fn in _SHAPE_FUNCS or result is None or isinstance(result, (np.dtype, type)):
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


def _owner(a: np.ndarray) -> Any:
    """The array that owns a view's memory."""
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def _slots(x: Any) -> Any:
    if isinstance(x, Slot):
        yield x.index
    elif type(x) is tuple or type(x) is list:
        for v in x:
            yield from _slots(v)


def _holds_traced(x: Any) -> bool:
    for v in x:
        if isinstance(v, Traced) or ((type(v) is tuple or type(v) is list) and _holds_traced(v)):
            return True
    return False


def _item(seq: Any, i: int) -> Any:
    return seq[i]
