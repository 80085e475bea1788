"""compile(step): trace a step once per input signature, then replay the recorded numpy program."""
from __future__ import annotations

import logging
from typing import Any, Callable, Iterable

import numpy as np

from ..grad_mode import is_grad_enabled
from ..tensor import Tensor
from .batched import BatchedValueStep
from .codegen import Namespace, generate, live_instructions
from .discover import discover_params
from .guards import Guards, describe
from .optimize import common_subexpressions, sparse_accumulate, times_one
from .recorder import Recorder, Slot
from .traced import TraceError, Traced, _tls

log = logging.getLogger("autograd_core.jit")
MISS = Guards.MISS


def _leaf(data: np.ndarray) -> Tensor:
    """A fresh leaf Tensor around a replay's result (the caller's own object)."""
    return Tensor._make(data, (), None, None, False)


class Compiled:
    """A traced-and-replayed step: `step(*args)`. See docs/compile.md."""

    def __init__(self, fn: Callable[..., Any], *, params: Iterable[Any] = (), cache_size: int = 8) -> None:
        if not callable(fn):
            raise TypeError(f"compile: expected a callable step function, got {type(fn).__name__}")
        if not isinstance(cache_size, int) or cache_size < 1:
            raise ValueError(f"compile: cache_size must be an int >= 1, got {cache_size!r}")
        self.fn = fn
        self.cache_size = cache_size
        self._extra = list(params)
        self._params: list[Tensor] | None = None
        self._runs: list[Callable[..., Any]] = []
        self._sources: list[str] = []
        self.traces = 0
        self.__name__ = getattr(fn, "__name__", "step")
        self.__doc__ = getattr(fn, "__doc__", None)

    @property
    def source(self) -> str:
        """The generated Python of the most recent trace (to read, not to run)."""
        return self._sources[0] if self._sources else ""

    def __call__(self, *args: Any) -> Any:
        for run in self._runs:
            out = run(*args)
            if out is not MISS:
                return out
        return self._retrace(args)

    def _retrace(self, args: tuple) -> Any:
        if self._params is None:
            self._params = discover_params(self.fn, self._extra)
        if self._runs:
            log.debug("compile: re-tracing %s (no kept trace matches): %s", self.__name__,
                      describe(args, self._params))
        run, src, result = _Tracer(self.fn, self._params, args).run()
        self.traces += 1
        self._runs.insert(0, run)
        self._sources.insert(0, src)
        del self._runs[self.cache_size:], self._sources[self.cache_size:]
        return result


class _Tracer:
    """One tracing call: wraps inputs and parameters, runs the step eagerly while recording, builds the replay."""

    def __init__(self, fn: Callable[..., Any], params: list[Tensor], args: tuple) -> None:
        self.fn, self.params, self.args = fn, params, args
        self.rec = Recorder()
        self.ns = Namespace()
        self.guards = Guards(self.ns, len(args))
        self.reads: list[tuple[int, str]] = []
        self.assigns: list[tuple[str, Any]] = []
        self.needed: list[int] = []
        self.grad_guards: list[tuple[int, str, np.ndarray]] = []

    def _input(self, arr: np.ndarray, expr: str) -> Traced:
        t = self.rec.input(arr)
        slot: int = t._slot  # type: ignore[assignment]
        self.reads.append((slot, f"t{slot} = {expr}"))
        return t

    def _wrap_args(self) -> tuple[list[Any], list[tuple[Tensor, Any]]]:
        call_args: list[Any] = []
        swapped = []
        for i, a in enumerate(self.args):
            expr = self.guards.arg(i, a)
            if isinstance(a, Tensor) and expr is not None:
                swapped.append((a, a.data))
                a.data = self._input(a.data, expr)
                call_args.append(a)
            elif expr is not None:
                call_args.append(self._input(np.asarray(a), expr))
            else:
                call_args.append(a)
        return call_args, swapped

    def _wrap_params(self) -> list[tuple[Tensor, Any, Any, Traced, Traced | None]]:
        state = []
        for p in self.params:
            name = self.guards.param(p)
            d = self._input(p.data, f"{name}.data")
            g = None if p.grad is None else self._input(p.grad, f"{name}.grad")
            if g is not None:
                self.grad_guards.append((g._slot, name, p.grad))  # type: ignore[arg-type]
            state.append((p, p.data, p.grad, d, g))
            p.data, p.grad = d, g
        return state

    def run(self) -> tuple[Callable[..., Any], str, Any]:
        call_args, swapped = self._wrap_args()
        state = self._wrap_params()
        self.guards.grad_mode(is_grad_enabled())
        _tls.recorder = self.rec
        try:
            result = self.fn(*call_args)
        finally:
            _tls.recorder = None
            for a, orig in swapped:
                a.data = orig
            ends = _restore(state)
        self._end_state(ends)
        ret = self._result(result)
        instrs, alias = common_subexpressions(self.rec.instrs)
        for rewrite in (lambda i, n: times_one(i, self.rec.meta),
                        lambda i, n: sparse_accumulate(i, n, self.rec.meta)):
            instrs, more = rewrite(instrs, [alias.get(s, s) for s in self.needed])
            alias = {k: more.get(v, v) for k, v in alias.items()} | more
        self.ns.alias.update(alias)
        kept, live = live_instructions(instrs, [alias.get(s, s) for s in self.needed])
        for slot, name, grad in self.grad_guards:
            if slot in live:
                self.guards.grad_read(name, grad)
        prologue = self.guards.lines + [line for slot, line in self.reads if slot in live]
        run, src = generate("replay", "*a", prologue, kept, lambda ns: self._epilogue(ns, ret), self.ns)
        return run, src, _plain_result(result)

    def _end_state(self, ends: list) -> None:
        """Assignments that leave every parameter's .data and .grad as the eager step leaves them."""
        for p, data, grad, d, g in ends:
            name = self.ns.name(p, "p")
            for attr, now, start in (("data", data, d), ("grad", grad, g)):
                if now is start:
                    continue
                if now is None:
                    self.assigns.append((f"{name}.{attr}", None))
                    continue
                if not isinstance(now, Traced) or now._slot is None:
                    raise TraceError(f"compile: a parameter of shape {p.shape} got a .{attr} computed outside "
                                     f"the tracer's view (an untraced conversion such as np.asarray or np.array "
                                     f"of a traced array)")
                self.assigns.append((f"{name}.{attr}", Slot(now._slot)))
                self.needed.append(now._slot)

    def _epilogue(self, ns: Namespace, ret: Any) -> list[str]:
        lines = [f"{target} = {ns.render(value)}" for target, value in self.assigns]
        return lines + [f"return {ret(ns)}"]

    def _result(self, x: Any) -> Callable[[Namespace], str]:
        """Source (rendered late) for the replay's return value, mirroring what the step returned."""
        if isinstance(x, Tensor) and isinstance(x.data, Traced):
            x = x.data
            if x._slot is not None:
                self.needed.append(x._slot)
                slot = Slot(x._slot)
                return lambda ns: f"{ns.name(_leaf, 'f')}({ns.render(slot)})"
        if isinstance(x, Traced):
            if x._slot is None:
                raise TraceError("compile: the step returned an array made by an operation the tracer does not see")
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
        return lambda ns: ns.render(x)


def _restore(state: list) -> list:
    """Put plain arrays back on the parameters; return their end states (traced) for the epilogue."""
    ends = []
    for p, data, grad, d, g in state:
        ends.append((p, p.data, p.grad, d, g))
        p.data = data if p.data is d else _unwrap(p.data)
        p.grad = grad if (g is not None and p.grad is g) else _unwrap(p.grad)
    return ends


def _unwrap(x: Any) -> Any:
    return x.view(np.ndarray) if isinstance(x, Traced) else x


def _plain_result(x: Any) -> Any:
    """What the tracing call itself returns: the same structure with plain arrays and leaf Tensors."""
    if isinstance(x, Traced):
        return x.view(np.ndarray)
    if isinstance(x, Tensor) and isinstance(x.data, Traced):
        return _leaf(x.data.view(np.ndarray))
    if type(x) is tuple or type(x) is list:
        return type(x)(_plain_result(v) for v in x)
    if type(x) is dict:
        return {k: _plain_result(v) for k, v in x.items()}
    return x


def compile(fn: Callable[..., Any] | None = None, *, params: Iterable[Any] = (), cache_size: int = 8,
            batched: bool = False, reduction: str = "sum") -> Any:
    """Trace `fn` (forward, backward and optimizer step) on its first call per input signature and
    replay the recorded numpy program afterwards. `params` adds Modules, optimizers or Tensors the
    step touches that cannot be found from its closure, globals or bound object. Usable as @compile.

    batched=True takes a per-sample loss written with Values instead and returns
    BatchedValueStep: f(X, y) evaluates it over the batch and adds the summed (reduction="sum")
    or averaged ("mean") parameter gradients to `.grad`."""
    if fn is None:
        return lambda f: compile(f, params=params, cache_size=cache_size, batched=batched, reduction=reduction)
    if batched:
        return BatchedValueStep(fn, reduction)
    return Compiled(fn, params=params, cache_size=cache_size)


def traced_array(x: Any, what: str) -> Any:
    """x, checked to be an array the running trace sees (TraceError naming `what` otherwise)."""
    if isinstance(x, Traced) and x._slot is not None:
        return x
    raise TraceError(f"compile: {what} (shape {getattr(x, 'shape', '?')}) is not among the step's parameters "
                     f"found from its closure, globals or bound object; pass compile(step, params=[model, "
                     f"optimizer]) so its values are read afresh on every call")


def replayed(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) now; when called while a step is traced, also on every replay (with that replay's
    arrays). For effects a numpy trace cannot see: optimizer updates with live hyperparameters,
    random draws from the seeded generator."""
    rec = getattr(_tls, "recorder", None)
    if rec is None:
        return fn(*args)
    return rec.opaque(fn, args)
