"""compile(step): trace a step once per input signature, then replay the recorded numpy program."""
from __future__ import annotations

import logging
from typing import Any, Callable, Iterable

import numpy as np

from ..grad_mode import is_grad_enabled
from ..tensor import Tensor
from .codegen import Namespace, generate, live_instructions
from .discover import discover_params
from .recorder import Recorder
from .traced import TraceError, Traced, _tls

log = logging.getLogger("autograd_core.jit")


def _leaf(data: np.ndarray) -> Tensor:
    """A fresh leaf Tensor around a replay's result (the caller's own object)."""
    return Tensor._make(data, (), None, None, False)


def _arg_sig(a: Any) -> Any:
    if isinstance(a, np.ndarray):
        return (0, a.shape, a.dtype)
    if isinstance(a, Tensor):
        return (1, a.data.shape, a.data.dtype, a.requires_grad)
    if isinstance(a, (np.generic, list)):
        arr = np.asarray(a)
        return (2, arr.shape, arr.dtype)
    try:
        hash(a)
    except TypeError:
        raise TypeError(f"compile: argument of type {type(a).__name__} is neither an array, a Tensor nor "
                        f"a hashable constant") from None
    return (3, type(a), a)


class Compiled:
    """A traced-and-replayed step. See docs/compile.md."""

    def __init__(self, fn: Callable[..., Any], *, params: Iterable[Any] = (), cache_size: int = 8) -> None:
        if not callable(fn):
            raise TypeError(f"compile: expected a callable step function, got {type(fn).__name__}")
        if cache_size < 1:
            raise ValueError(f"compile: cache_size must be at least 1, got {cache_size}")
        self.fn = fn
        self.cache_size = cache_size
        self._extra = list(params)
        self._params: list[Tensor] | None = None
        self._cache: list[tuple[Any, Callable[..., Any], str]] = []
        self.traces = 0
        self.__name__ = getattr(fn, "__name__", "step")
        self.__doc__ = getattr(fn, "__doc__", None)

    @property
    def source(self) -> str:
        """The generated Python of the most recent trace (for reading, not for running)."""
        return self._cache[0][2] if self._cache else ""

    def _key(self, args: tuple) -> Any:
        params = self._params if self._params is not None else ()
        return (tuple([_arg_sig(a) for a in args]), is_grad_enabled(),
                tuple([(p.data.shape, p.data.dtype, p.grad is None) for p in params]))

    def __call__(self, *args: Any) -> Any:
        if self._params is None:
            self._params = discover_params(self.fn, self._extra)
        key = self._key(args)
        for k, run, _ in self._cache:
            if k == key:
                return run(*args)
        return self._retrace(args, key)

    def _retrace(self, args: tuple, key: Any) -> Any:
        if self._cache:
            log.debug("compile: re-tracing %s (%d traces kept): no trace matches inputs %s, grad mode %s, "
                      "parameters %s", self.__name__, len(self._cache), key[0], key[1], key[2])
        run, src, result = _Tracer(self.fn, self._params or [], args).run()
        self.traces += 1
        self._cache.insert(0, (key, run, src))
        del self._cache[self.cache_size:]
        return result


class _Tracer:
    """One tracing call: wraps inputs and parameters, runs the step eagerly while recording, builds the replay."""

    def __init__(self, fn: Callable[..., Any], params: list[Tensor], args: tuple) -> None:
        self.fn, self.params, self.args = fn, params, args
        self.rec = Recorder()
        self.ns = Namespace()
        self.prologue: list[tuple[int, str]] = []
        self.epilogue: list[str] = []
        self.needed: list[int] = []

    def _input(self, arr: np.ndarray, expr: str) -> Traced:
        t = self.rec.input(arr)
        self.prologue.append((t._slot, f"t{t._slot} = {expr}"))
        return t

    def run(self) -> tuple[Callable[..., Any], str, Any]:
        call_args, swapped = [], []
        for i, a in enumerate(self.args):
            if isinstance(a, Tensor):
                swapped.append((a, a.data))
                a.data = self._input(a.data, f"a{i}.data")
                call_args.append(a)
            elif isinstance(a, np.ndarray):
                call_args.append(self._input(a, f"a{i}"))
            elif isinstance(a, (np.generic, list)):
                call_args.append(self._input(np.asarray(a), f"_asarray(a{i})"))
            else:
                call_args.append(a)
        state = []
        for p in self.params:
            name = self.ns.name(p, "p")
            d = self._input(p.data, f"{name}.data")
            g = None if p.grad is None else self._input(p.grad, f"{name}.grad")
            state.append((p, p.data, p.grad, d, g))
            p.data, p.grad = d, g
        _tls.recorder = self.rec
        try:
            result = self.fn(*call_args)
        finally:
            _tls.recorder = None
            ends = self._restore(state, swapped)
        self._end_state(ends)
        ret = self._result(result)
        kept, live = live_instructions(self.rec.instrs, self.needed)
        params = [f"a{i}" for i in range(len(self.args))]
        prologue = [line for slot, line in self.prologue if slot in live]
        run, src = generate("replay", params, prologue, kept, self.epilogue + [f"return {ret}"], self.ns)
        return run, src, _plain_result(result)

    def _restore(self, state: list, swapped: list) -> list:
        for a, orig in swapped:
            a.data = orig
        ends = []
        for p, data, grad, d, g in state:
            ends.append((p, p.data, p.grad, d, g))
            p.data = data if p.data is d else _unwrap(p.data)
            p.grad = grad if (g is not None and p.grad is g) else _unwrap(p.grad)
        return ends

    def _end_state(self, ends: list) -> None:
        """Epilogue lines that leave every parameter's .data and .grad as the eager step leaves them."""
        for p, data, grad, d, g in ends:
            name = self.ns.name(p, "p")
            for attr, now, start in (("data", data, d), ("grad", grad, g)):
                if now is start:
                    continue
                if now is None:
                    self.epilogue.append(f"{name}.{attr} = None")
                    continue
                if not isinstance(now, Traced) or now._slot is None:
                    raise TraceError(f"compile: parameter {p.label or ''} of shape {p.shape} got a .{attr} "
                                     f"computed outside the tracer's view (an untraced conversion such as "
                                     f"np.asarray or np.array on a traced array)")
                self.epilogue.append(f"{name}.{attr} = t{now._slot}")
                self.needed.append(now._slot)

    def _result(self, x: Any) -> str:
        """Source for the replay's return value, mirroring what the step returned."""
        if isinstance(x, Traced) and x._slot is not None:
            self.needed.append(x._slot)
            return f"t{x._slot}"
        if isinstance(x, Tensor) and isinstance(x.data, Traced) and x.data._slot is not None:
            self.needed.append(x.data._slot)
            return f"{self.ns.name(_leaf, 'f')}(t{x.data._slot})"
        if type(x) is tuple or type(x) is list:
            inner = ", ".join(self._result(v) for v in x)
            return f"({inner},)" if type(x) is tuple else f"[{inner}]"
        if type(x) is dict:
            return "{" + ", ".join(f"{self.ns.name(k)}: {self._result(v)}" for k, v in x.items()) + "}"
        if isinstance(x, Traced):
            raise TraceError("compile: the step returned an array made by an operation the tracer does not see")
        return self.ns.render(x)


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


def compile(fn: Callable[..., Any] | None = None, *, params: Iterable[Any] = (),
            cache_size: int = 8) -> Any:
    """Trace `fn` (forward, backward and optimizer step) on its first call per input signature and
    replay the recorded numpy program afterwards. `params` adds Modules, optimizers or Tensors the
    step touches but cannot be found from its closure or globals. Usable as @compile too."""
    if fn is None:
        return lambda f: Compiled(f, params=params, cache_size=cache_size)
    return Compiled(fn, params=params, cache_size=cache_size)


def replayed(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) now; when called while a step is traced, also on every replay (with that replay's
    arrays). For effects a numpy trace cannot see: optimizer updates with live hyperparameters,
    random draws from the seeded generator."""
    rec = getattr(_tls, "recorder", None)
    if rec is None:
        return fn(*args)
    return rec.opaque(fn, args)
