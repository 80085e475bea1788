"""The tracing array: an ndarray subclass that records every numpy call made on it into a Recorder."""
from __future__ import annotations

import operator
import sys
import threading
from typing import Any, Callable

import numpy as np

_tls = threading.local()  # .recorder: the Recorder of the trace running on this thread, or None


class TraceError(RuntimeError):
    """A step did something during tracing that a replay could not reproduce."""


def active_recorder() -> Any:
    """The Recorder tracing on this thread, or None."""
    return getattr(_tls, "recorder", None)


def _user_site() -> str:
    """'file.py:12: code' of the innermost frame outside numpy and this package's jit/tensor code."""
    f: Any = sys._getframe(2)
    while f is not None:
        name = f.f_code.co_filename
        if "numpy" not in name and "autograd_core" not in name:
            import linecache
            line = linecache.getline(name, f.f_lineno).strip()
            return f"{name}:{f.f_lineno}: {line}"
        f = f.f_back
    return "<unknown>"


def value_read_error(call: str) -> TraceError:
    return TraceError(
        f"compile: {call} reads a traced value into Python while tracing (at {_user_site()}). A compiled "
        f"step is recorded once and replayed, so Python cannot see values during the trace: return the "
        f"loss Tensor instead of loss.item(), and keep `if`s that test tensor values out of the step.")


class Traced(np.ndarray):
    """An ndarray seen by the tracer: `_slot` names the replay variable that holds it.

    numpy calls with a Traced argument reach __array_ufunc__ / __array_function__, which run the
    call on plain arrays, record it and wrap the result; methods numpy does not dispatch (views,
    indexing, copies, casts) are overridden to do the same. Reading a value raises TraceError.
    """

    _slot: int | None

    def __array_finalize__(self, obj: Any) -> None:
        self._slot = None  # made by an operation the tracer did not see: unusable in a replay

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        fn = ufunc if method == "__call__" else getattr(ufunc, method)
        out = kwargs.get("out")
        if isinstance(out, tuple) and len(out) == 1:
            kwargs["out"] = out[0]
        return _record(fn, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        return _record(func, args, kwargs)

    # ---- methods numpy does not dispatch -------------------------------------------------------

    def __getitem__(self, index: Any) -> Any:
        return _record(operator.getitem, (self, index), {})

    def __setitem__(self, index: Any, value: Any) -> None:
        _record(operator.setitem, (self, index, value), {}, inplace=self)

    def reshape(self, *shape: Any, **kw: Any) -> Any:
        shape = shape[0] if len(shape) == 1 else shape
        return _record(np.reshape, (self, shape), kw)

    def transpose(self, *axes: Any) -> Any:
        order = axes[0] if len(axes) == 1 else (axes or None)
        return _record(np.transpose, (self, order), {})

    @property
    def T(self) -> Any:
        return _record(np.transpose, (self,), {})

    def astype(self, dtype: Any, order: Any = "K", casting: Any = "unsafe", subok: bool = True,
               copy: Any = True) -> Any:
        return _record(_astype, (self, dtype), {"copy": copy})

    def copy(self, order: Any = "C") -> Any:
        return _record(_copy, (self,), {})

    def view(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], type) and issubclass(args[0], np.ndarray):
            return super().view(*args, **kwargs)
        return _record(_view, (self,) + args, kwargs)

    def fill(self, value: Any) -> None:
        _record(np.copyto, (self, value), {}, inplace=self)

    def __float__(self) -> float:
        raise value_read_error("float()")

    def __int__(self) -> int:
        raise value_read_error("int()")

    def __index__(self) -> int:
        raise value_read_error("using a traced value as an index (__index__)")

    def __bool__(self) -> bool:
        raise value_read_error("bool() (an `if`, `and`, `or` or comparison on a tensor value)")

    def item(self, *args: Any) -> Any:
        raise value_read_error(".item()")

    def tolist(self) -> Any:
        raise value_read_error(".tolist()")

    def __reduce__(self) -> Any:
        raise value_read_error("pickling")


def _astype(x: np.ndarray, dtype: Any, copy: bool = True) -> np.ndarray:
    return x.astype(dtype, copy=copy)


def _copy(x: np.ndarray) -> np.ndarray:
    return x.copy()


def _view(x: np.ndarray, *args: Any, **kwargs: Any) -> np.ndarray:
    return x.view(*args, **kwargs)


def _method(name: str) -> Callable[..., Any]:
    func = getattr(np, name)

    def method(self: Traced, *args: Any, **kwargs: Any) -> Any:
        return _record(func, (self,) + args, kwargs)

    method.__name__ = name
    return method


for _name in ("sum", "mean", "max", "min", "prod", "any", "all", "argmax", "argmin", "clip", "cumsum",
              "dot", "ravel", "squeeze", "swapaxes", "std", "var", "round", "nonzero"):
    setattr(Traced, _name, _method(_name))
Traced.flatten = _method("ravel")  # type: ignore[method-assign]


def _record(fn: Any, args: Any, kwargs: dict, inplace: Any = None) -> Any:
    rec = active_recorder()
    if rec is None:  # a Traced array escaped its trace: behave as a plain array
        return fn(*_plain(args), **{k: _plain(v) for k, v in kwargs.items()})
    return rec.record(fn, args, kwargs, inplace)


def _plain(x: Any) -> Any:
    if isinstance(x, Traced):
        return x.view(np.ndarray)
    if type(x) is tuple or type(x) is list:
        return type(x)(_plain(v) for v in x)
    return x
