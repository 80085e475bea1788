"""compile(step): trace a step once per guarded world, then replay the recorded numpy program."""
from __future__ import annotations

import inspect
import logging
import threading
import types
from typing import Any, Callable, Iterable

import numpy as np

from ..tensor.grad_array import as_grad, plain as plain_grad
from ..graph.grad_mode import is_grad_enabled
from ..tensor.tensor import _GRAD_SLOT, Tensor
from .batched import BatchedValueStep
from .checking import Checker
from .codegen import Namespace, generate, live_instructions
from .discover import Holder, Reach
from .guards import Guards, describe
from .names import LABEL, argument_names, path_hint
from .fold import fold_constants
from .optimize import common_subexpressions, sparse_accumulate, times_one
from .recorder import Recorder, Slot
from .traced import TraceError, Traced, _tls, active_recorder

log = logging.getLogger("autograd_core.jit")
_LOCK = threading.RLock()  # held by compiled calls (traces and replays); not state: a mutual exclusion
MISS = Guards.MISS


def _leaf(data: np.ndarray) -> Tensor:
    """A fresh leaf Tensor around a replay's result (the caller's own object)."""
    return Tensor._make(data, (), None, None, False)


class Compiled:
    """A traced-and-replayed step: `step(*args, **kwargs)`. See docs/compile.md."""

    MISS = MISS

    def __init__(self, fn: Callable[..., Any], *, params: Iterable[Any] = (), cache_size: int = 8,
                 static_argnames: Iterable[str] = (), check: bool | int = False) -> None:
        if not callable(fn):
            raise TypeError(f"compile: expected a callable step function, got {type(fn).__name__}")
        if not isinstance(cache_size, int) or cache_size < 1:
            raise ValueError(f"compile: cache_size must be an int >= 1, got {cache_size!r}")
        self.fn = fn
        self.cache_size = cache_size
        self._extra = list(params)
        self._static = _static_positions(fn, static_argnames)
        self._runs: list[tuple[Callable[..., Any], str, list[str]]] = []
        self._replays: list[Callable[..., Any]] = []
        self._checker = Checker(self, 3 if check is True else int(check))
        self._explain: Callable[..., int | None] = lambda keys, *a: None
        self.traces = 0
        self.__name__ = getattr(fn, "__name__", "step")
        self.__doc__ = getattr(fn, "__doc__", None)

    @property
    def source(self) -> str:
        """The generated Python of the most recent trace (to read, not to run)."""
        return self._runs[0][1] if self._runs else ""

    @property
    def guards(self) -> list[str]:
        """What the most recent trace assumed, in words (each is checked before every replay)."""
        return list(self._runs[0][2]) if self._runs else []

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        """@compile on a method: the instance is the first argument (guarded by identity)."""
        return self if obj is None else types.MethodType(self, obj)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if active_recorder() is not None:  # called inside another compiled step's trace: part of that trace
            return self.fn(*args, **kwargs)
        keys: tuple[str, ...] = ()
        flat = args
        if kwargs:
            keys = tuple(sorted(kwargs))
            flat = args + tuple(kwargs[k] for k in keys)
        with _LOCK:  # one trace or replay at a time: a trace swaps traced stand-ins into shared objects
            if self._checker.left:
                return self._checked(args, keys, flat)
            for run in self._replays:
                out = run(keys, *flat)
                if out is not MISS:
                    return out
            return self._retrace(args, keys, flat)

    def _checked(self, args: tuple, keys: tuple[str, ...], flat: tuple) -> Any:
        for run in self._replays:
            out = self._checker.replay(run, keys, flat, len(args))
            if out is not MISS:
                return out
        return self._retrace(args, keys, flat)

    def _retrace(self, args: tuple, keys: tuple[str, ...], flat: tuple) -> Any:
        if self._runs:
            failed = self._explain(keys, *flat)
            log.debug("compile: re-tracing %s for (%s): no kept trace's guards hold (the most recent assumed: %s)",
                      self.__name__, describe(flat, keys), self._runs[0][2][failed] if failed is not None else "?")
        tracer = _Tracer(self, len(args), keys, flat)
        run, src, words, result = tracer.run()
        self.traces += 1
        self._checker.world = tracer.reach
        self._runs = [(run, src, words)] + self._runs[:self.cache_size - 1]
        self._replays = [r[0] for r in self._runs]
        self._explain = tracer.explain
        return result


def _static_positions(fn: Callable[..., Any], names: Iterable[str]) -> frozenset[Any]:
    """Positions and keyword names of the static arguments."""
    names = [names] if isinstance(names, str) else list(names)
    out: set[Any] = set(names)
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return frozenset(out)
    for n in names:
        if n not in params:
            raise ValueError(f"compile: static_argnames names {n!r}, which is not a parameter of "
                             f"{getattr(fn, '__name__', fn)} ({params})")
        out.add(params.index(n))
    return frozenset(out)


class _Tracer:
    """One tracing call: wraps inputs and the world the step reads, runs the step eagerly while
    recording, builds the replay with its guards."""

    def __init__(self, owner: Compiled, n_pos: int, keys: tuple[str, ...], flat: tuple) -> None:
        self.owner, self.fn, self.n_pos, self.keys, self.args = owner, owner.fn, n_pos, keys, flat
        self.rec = Recorder()
        self.ns = Namespace()
        self.guards = Guards(self.ns, argument_names(self.fn, n_pos, keys), keys)
        self.reach = Reach(self.ns.name)
        self.reads: list[tuple[int, str]] = []  # (slot, the line that reads it)
        self.assigns: list[tuple[str, Any]] = []
        self.needed: list[int] = []
        self.grad_guards: list[tuple[int, str, np.ndarray, str]] = []
        self.swaps: list[tuple[Any, str, Any]] = []  # (object, attribute or Holder, original): undone after

    def _input(self, arr: np.ndarray, expr: str, hint: str | Callable[[], str]) -> Traced:
        """A traced array read afresh on every call by `expr`, held in a variable named `hint`."""
        t = self.rec.input(arr)
        if expr in self.guards.args:  # an array argument: its own variable, no line reads it
            self.ns.bind(t._slot, expr)
        else:
            self.reads.append((t._slot, f"{self.ns.slot(t._slot, hint, LABEL, number=False)} = {expr}"))
        return t

    def _derived(self, token: str, prefix: str) -> Callable[[], str]:
        """A hint read when names are chosen: prefix + the name `token` has then, without its suffix
        (`W` for the Tensor `W_tensor`, so its array is `W` and its gradient `grad_W`)."""
        return lambda: prefix + self.ns.names.base(token)

    def _what(self, i: int) -> str:
        return f"argument {i}" if i < self.n_pos else f"keyword {self.keys[i - self.n_pos]}"

    def _wrap_args(self) -> list[Any]:
        call_args: list[Any] = []
        for i, a in enumerate(self.args):
            static = i in self.owner._static or (i >= self.n_pos and self.keys[i - self.n_pos] in self.owner._static)
            expr = self.guards.arg(i, a, self._what(i), static)
            name = self.guards.args[i]
            if isinstance(a, Tensor) and expr is not None:
                self.swaps.append((a, "data", a.data))
                a.data = self._input(a.data, expr, self._derived(name, ""))
            elif expr is not None:
                a = self._input(np.asarray(a), expr, name)
            elif not static:
                self.reach.read(name, a, self._what(i), 2)
            call_args.append(a)
        return call_args

    def _wrap_world(self) -> list[tuple[Tensor, Any, Any, Traced, Traced | None, str]]:
        """Parameters and arrays the step reads: traced stand-ins read afresh on every call."""
        for obj in self.owner._extra:
            self.reach.read(self.ns.name(obj), obj, f"params entry {type(obj).__name__}", 2)
        self.reach.function(self.fn, getattr(self.fn, "__name__", "step"), 2)
        if not isinstance(self.fn, (types.FunctionType, types.MethodType)):  # a callable object (a Module)
            self.reach.read(self.ns.name(self.fn), self.fn, "the step object", 2)
        for cond, words in self.reach.guards:
            self.guards.add(cond, words)
        for holder, expr, what in self.reach.arrays:
            arr = holder.get()
            self.guards._array(expr, arr, what)
            self.swaps.append((holder, "", arr))
            holder.set(self._input(arr, expr, path_hint(what)))
        state = []
        for p, what in self.reach.tensors:
            name = self.ns.name(p)
            self.guards.tensor(p, name, what)
            d = self._input(p.data, f"{name}.data", self._derived(name, ""))
            g = None
            if p.grad is not None and p.requires_grad:  # numpy is faster on a plain array:
                g = self._input(plain_grad(p.grad), f"_plain({name}.grad)", self._derived(name, "old_grad_"))
                self.grad_guards.append((g._slot, name, p.grad, what))
            state.append((p, p.data, p.grad, d, g, what))
            p.data = d
            if p.requires_grad:
                p.grad = g
        return state

    def run(self) -> tuple[Callable[..., Any], str, list[str], Any]:
        state: list = []
        try:
            call_args = self._wrap_args()
            state = self._wrap_world()
            self.rec.watch(self.reach.generators)
            self.guards.grad_mode(is_grad_enabled())
            _tls.recorder = self.rec
            try:
                kw = dict(zip(self.keys, call_args[self.n_pos:]))
                result = self.fn(*call_args[:self.n_pos], **kw)
            finally:
                _tls.recorder = None
        finally:
            self._undo_swaps()
            ends = _restore(state)
        self.rec.check_watched()
        self._end_state(ends)
        ret = self._result(result)
        return self._build(ret, result)

    def _undo_swaps(self) -> None:
        for obj, attr, orig in reversed(self.swaps):
            if isinstance(obj, Holder):
                obj.set(orig)
            else:
                setattr(obj, attr, orig)

    def _build(self, ret: Callable[[Namespace], str], result: Any) -> tuple[Callable[..., Any], str, list[str], Any]:
        instrs, alias = common_subexpressions(self.rec.instrs)
        for rewrite in (lambda i, n: times_one(i, self.rec.meta),
                        lambda i, n: fold_constants(i, n, self.rec.meta),
                        lambda i, n: sparse_accumulate(i, n, self.rec.meta)):
            instrs, more = rewrite(instrs, [alias.get(s, s) for s in self.needed])
            alias = {k: more.get(v, v) for k, v in alias.items()} | more
        self.ns.alias.update(alias)
        kept, live = live_instructions(instrs, [alias.get(s, s) for s in self.needed])
        for slot, name, grad, what in self.grad_guards:
            if slot in live:
                self.guards.grad_read(name, grad, what)
        prologue = self.guards.lines + [line for slot, line in self.reads if slot in live]
        run, src = generate("replay", "_keys, *_args", prologue, kept, lambda ns: self._epilogue(ns, ret), self.ns,
                            title=self.owner.__name__)
        self.explain, _ = generate("explain", "_keys, *_args", self.guards.explain, [], lambda ns: ["return None"],
                                   self.ns, title=self.owner.__name__ + " guards")
        return run, src, self.guards.words, _plain_result(result)

    def _end_state(self, ends: list) -> None:
        """Assignments that leave every parameter's .data and .grad as the eager step leaves them."""
        for p, data, grad, d, g, what in ends:
            name = self.ns.name(p)
            for attr, now, start in (("data", data, d), ("grad", grad, g)):
                if now is start or (attr == "grad" and not p.requires_grad and now is None):
                    continue
                if now is None:
                    self.assigns.append((f"{name}.{attr}", None))
                    continue
                if not isinstance(now, Traced):
                    raise TraceError(f"compile: {what} (shape {p.shape}) got a .{attr} the tracer did not see "
                                     f"being computed (a {type(now).__name__} made outside the step's numpy calls)")
                self.ns.slot(now._slot, self._derived(name, "grad_" if attr == "grad" else "new_"), LABEL,
                             number=False)
                self.assigns.append((f"{name}.{attr}", Slot(now._slot)))
                self.needed.append(now._slot)

    def _epilogue(self, ns: Namespace, ret: Any) -> list[str]:
        """The .data and .grad assignments (a gradient goes straight into its slot as the GradArray
        eager stores: the setter's checks held when the trace ran, and shapes are guarded), the return."""
        ns.ns.update(_set_grad=_GRAD_SLOT.__set__, _as_grad=as_grad, _leaf=_leaf)
        lines = []
        for target, value in self.assigns:
            name, attr = target.rsplit(".", 1)
            if attr == "grad":
                lines.append(f"_set_grad({name}, {'None' if value is None else f'_as_grad({ns.render(value)})'})")
            else:
                lines.append(f"{target} = {ns.render(value)}")
        return lines + [f"return {ret(ns)}"]

    def _result(self, x: Any) -> Callable[[Namespace], str]:
        """Source (rendered late) for the replay's return value, mirroring what the step returned."""
        if isinstance(x, Tensor) and isinstance(x.data, Traced):
            self.needed.append(x.data._slot)
            slot = Slot(x.data._slot)
            return lambda ns: f"_leaf({ns.render(slot)})"
        if isinstance(x, Traced):
            self.needed.append(x._slot)
            slot = Slot(x._slot)
            return lambda ns: ns.render(slot)
        if type(x) is tuple or type(x) is list:
            parts = [self._result(v) for v in x]
            if type(x) is list:
                return lambda ns: "[" + ", ".join(p(ns) for p in parts) + "]"
            return lambda ns: "(" + "".join(p(ns) + ", " for p in parts) + ")"
        if type(x) is dict:
            items = [(k, self._result(v)) for k, v in x.items()]
            return lambda ns: "{" + ", ".join(f"{ns.render(k)}: {p(ns)}" for k, p in items) + "}"
        if isinstance(x, Tensor):
            raise TraceError(f"compile: the step returned a Tensor (shape {x.shape}) made from no traced value; "
                             f"return arrays or Tensors the step computed")
        return lambda ns: ns.render(x)


def _restore(state: list) -> list:
    """Put plain arrays back on the parameters; return their end states (traced) for the epilogue."""
    ends = []
    for p, data, grad, d, g, what in state:
        ends.append((p, p.data, p.grad, d, g, what))
        p.data = data if p.data is d else _unwrap(p.data)
        if p.requires_grad or p.grad is g:
            p.grad = grad if (g is not None and p.grad is g) else _unwrap(p.grad)
    return ends


def _unwrap(x: Any) -> Any:
    return x._v if isinstance(x, Traced) else x


def _plain_result(x: Any) -> Any:
    """What the tracing call itself returns: the same structure with plain arrays and leaf Tensors."""
    if isinstance(x, Traced):
        return x._v
    if isinstance(x, Tensor) and isinstance(x.data, Traced):
        return _leaf(x.data._v)
    if type(x) is tuple or type(x) is list:
        return type(x)(_plain_result(v) for v in x)
    if type(x) is dict:
        return {k: _plain_result(v) for k, v in x.items()}
    return x


def compile(fn: Callable[..., Any] | None = None, *, params: Iterable[Any] = (), cache_size: int = 8,
            static_argnames: Iterable[str] = (), check: bool | int = False, batched: bool = False,
            reduction: str = "sum") -> Any:
    """Trace `fn` (forward, backward and optimizer step) on its first call and replay the recorded
    numpy program while every guard holds (arguments' shapes and dtypes, Python values by value,
    the parameters, modules and optimizers it reads; `step.guards` lists them). `params` adds
    objects the step reads that its closure, globals and arguments do not show. `static_argnames`
    names arguments compared by value and never traced. `check=True` (or a number of calls) runs
    the eager step beside the first replays and raises on the first difference. Usable as @compile.

    batched=True takes a per-sample loss written with Values instead and returns
    BatchedValueStep: f(X, y) evaluates it over the batch and adds the summed (reduction="sum")
    or averaged ("mean") parameter gradients to `.grad`."""
    if fn is None:
        return lambda f: compile(f, params=params, cache_size=cache_size, static_argnames=static_argnames,
                                 check=check, batched=batched, reduction=reduction)
    if batched:
        return BatchedValueStep(fn, reduction)
    return Compiled(fn, params=params, cache_size=cache_size, static_argnames=static_argnames, check=check)


def traced_array(x: Any, what: str) -> Any:
    """x, checked to be an array the running trace sees (TraceError naming `what` otherwise)."""
    if isinstance(x, Traced):
        return x
    raise TraceError(f"compile: {what} (shape {getattr(x, 'shape', '?')}) is not among what the step reads "
                     f"(its closure, the globals it names, its arguments, the object it is bound to); pass "
                     f"compile(step, params=[model, optimizer]) so its values are read afresh on every call")
