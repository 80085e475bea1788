"""The tracing array: a duck array (not an ndarray) whose numpy calls are recorded and whose data never leaves.

A `Traced` answers numpy's protocols (`__array_ufunc__`, `__array_function__`) and the ndarray
methods and operators, and shows its shape and dtype; every other way to reach its data
(`np.asarray`, `float()`, `bool()`, `.item()`, `.tolist()`, writing it into a plain array, ...)
raises a TraceError naming the user's line and the library function that asked. So nothing a step
computes can become a constant of the trace without a word: it is recorded, or tracing stops.
"""
from __future__ import annotations

import operator
import sys
from typing import Any, Iterator

import numpy as np

from ..graph.trace_hooks import TraceError, _tls, active_recorder

__all__ = ["TraceError", "Traced", "_tls", "active_recorder", "call_site", "plain", "value_read_error"]
_LIBRARY = ("autograd_core", "nn", "numpy", "viz")  # module name prefixes that are not the user's code
# numpy functions whose Python results depend only on shapes and dtypes (guarded), never on values
_SHAPE_FUNCS = frozenset(getattr(np, n) for n in ("shape", "ndim", "size", "result_type", "iscomplexobj",
                                                  "isrealobj", "min_scalar_type", "may_share_memory",
                                                  "shares_memory"))


def _is_library(frame: Any) -> bool:
    name = frame.f_globals.get("__name__", "") or ""
    return name.split(".")[0] in _LIBRARY


def call_site() -> tuple[str, str]:
    """(the user's line 'file.py:12: code', the library function that asked 'module.function')."""
    import linecache

    f: Any = sys._getframe(1)
    asker = ""
    while f is not None:
        mod = f.f_globals.get("__name__", "") or ""
        if not _is_library(f):
            line = linecache.getline(f.f_code.co_filename, f.f_lineno).strip()
            return f"{f.f_code.co_filename}:{f.f_lineno}: {line}", asker or "the step itself"
        if not asker and not mod.startswith(("autograd_core.jit", "numpy")):
            asker = f"{mod}.{f.f_code.co_name}"
        f = f.f_back
    return "<unknown>", asker or "?"


def value_read_error(call: str) -> TraceError:
    where, asker = call_site()
    return TraceError(
        f"compile: {call} reads a traced value into Python while tracing (asked by {asker}, at {where}). "
        f"A compiled step is recorded once and replayed, so Python cannot see values during the trace: "
        f"return the loss Tensor instead of loss.item(), keep `if`s that test tensor values out of the "
        f"step (or use ac.where), and pass Python numbers that change as arguments.")


class Traced:
    """An array seen by the tracer: `_slot` names the replay variable that holds it; `_v` holds the
    value of the tracing call, which only the recorder reads."""

    __slots__ = ("_v", "_slot", "_rec")
    __array_priority__ = 1000.0
    __hash__ = object.__hash__

    def __init__(self, value: np.ndarray, slot: int, rec: Any) -> None:
        self._v, self._slot, self._rec = value, slot, rec

    # ---- what is known without data ------------------------------------------------------------

    shape = property(lambda self: self._v.shape)
    dtype = property(lambda self: self._v.dtype)
    ndim = property(lambda self: self._v.ndim)
    size = property(lambda self: self._v.size)
    itemsize = property(lambda self: self._v.itemsize)
    nbytes = property(lambda self: self._v.nbytes)
    strides = property(lambda self: self._v.strides)
    flags = property(lambda self: self._v.flags)

    def __len__(self) -> int:
        if not self._v.ndim:
            raise TypeError("len() of unsized object")
        return self._v.shape[0]

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def __repr__(self) -> str:
        return f"Traced(shape={self.shape}, dtype={self.dtype})"

    __str__ = __repr__

    # ---- numpy's protocols: record ---------------------------------------------------------------

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        fn = ufunc if method == "__call__" else getattr(ufunc, method)
        out = kwargs.get("out")
        if isinstance(out, tuple) and len(out) == 1:
            kwargs["out"] = out[0]
        return _record(fn, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if func in _SHAPE_FUNCS:  # answered from shapes and dtypes, which a replay's guards fix
            return func(*plain(tuple(args)), **plain(kwargs))
        return _record(func, args, kwargs)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise value_read_error("converting to a plain array (np.asarray / np.array / writing into a plain "
                               "array / indexing a plain array with it: index a Tensor instead, ac.Tensor(plain)[index])")

    # ---- methods and syntax numpy does not dispatch ---------------------------------------------

    def __getitem__(self, index: Any) -> Any:
        return _record(operator.getitem, (self, index), {})

    def __setitem__(self, index: Any, value: Any) -> None:
        _record(operator.setitem, (self, index, value), {}, inplace=self)

    @property
    def T(self) -> Any:
        return _record(np.transpose, (self,), {})

    def reshape(self, *shape: Any, **kw: Any) -> Any:
        return _record(np.reshape, (self, shape[0] if len(shape) == 1 else shape), kw)

    def transpose(self, *axes: Any) -> Any:
        return _record(np.transpose, (self, axes[0] if len(axes) == 1 else (axes or None)), {})

    def astype(self, dtype: Any, order: Any = "K", casting: Any = "unsafe", subok: bool = True,
               copy: Any = True) -> Any:
        return _record(astype, (self, dtype), {"copy": copy})

    def copy(self, order: Any = "C") -> Any:
        return _record(copy_array, (self,), {})

    def __copy__(self) -> Any:
        return self.copy()

    def __deepcopy__(self, memo: Any) -> Any:
        return self.copy()

    def fill(self, value: Any) -> None:
        _record(np.copyto, (self, value), {}, inplace=self)

    def __getattr__(self, name: str) -> Any:
        """Any other ndarray method, recorded as a call of that method; data attributes refuse."""
        if name.startswith("__") or not callable(getattr(np.ndarray, name, None)):
            if name in ("real", "imag"):
                return _record(getattr(np, name), (self,), {})
            if name == "base":
                return None  # a traced array owns its memory as far as anyone can see
            if name in ("data", "ctypes", "flat"):
                raise value_read_error(f"ndarray.{name}")
            raise AttributeError(name)
        return lambda *args, **kwargs: _record(method_call, (self, name) + args, kwargs)

    # ---- reading values into Python: refused ---------------------------------------------------

    def __float__(self) -> float:
        raise value_read_error("float()")

    def __int__(self) -> int:
        raise value_read_error("int()")

    def __complex__(self) -> complex:
        raise value_read_error("complex()")

    def __index__(self) -> int:
        raise value_read_error("using a traced value as an index or size (__index__)")

    def __bool__(self) -> bool:
        raise value_read_error("bool() (an `if`, `and`, `or`, `not` or `while` on a tensor value)")

    def __contains__(self, x: Any) -> bool:
        raise value_read_error("`in`")

    def __format__(self, spec: str) -> str:
        raise value_read_error("formatting a value (f-string / format)")

    def item(self, *args: Any) -> Any:
        raise value_read_error(".item()")

    def tolist(self) -> Any:
        raise value_read_error(".tolist()")

    def tobytes(self, *args: Any) -> Any:
        raise value_read_error(".tobytes()")

    def __reduce__(self) -> Any:
        raise value_read_error("pickling")


def _binary(ufunc: np.ufunc, reflected: bool = False) -> Any:
    def op(self: Traced, other: Any) -> Any:
        if getattr(type(other), "__array_ufunc__", True) is None:
            return NotImplemented  # a Tensor: its reflected operator answers
        return _record(ufunc, (other, self) if reflected else (self, other), {})
    return op


def _inplace(ufunc: np.ufunc) -> Any:
    def op(self: Traced, other: Any) -> Any:
        _record(ufunc, (self, other), {"out": self})
        return self
    return op


_OPS: list[tuple[str, Any]] = [("add", np.add), ("sub", np.subtract), ("mul", np.multiply), ("truediv", np.true_divide),
                   ("floordiv", np.floor_divide), ("mod", np.remainder), ("pow", np.power),
                   ("matmul", np.matmul), ("and", np.bitwise_and), ("or", np.bitwise_or),
                   ("xor", np.bitwise_xor)]
for _name, _uf in _OPS:
    setattr(Traced, f"__{_name}__", _binary(_uf))
    setattr(Traced, f"__r{_name}__", _binary(_uf, reflected=True))
    setattr(Traced, f"__i{_name}__", _inplace(_uf))
_COMPARE: list[tuple[str, Any]] = [("lt", np.less), ("le", np.less_equal), ("gt", np.greater),
                                   ("ge", np.greater_equal), ("eq", np.equal), ("ne", np.not_equal)]
for _name, _uf in _COMPARE:
    setattr(Traced, f"__{_name}__", _binary(_uf))
_UNARY: list[tuple[str, Any]] = [("neg", np.negative), ("pos", np.positive), ("abs", np.absolute),
                                 ("invert", np.invert)]
for _name, _uf in _UNARY:
    setattr(Traced, f"__{_name}__", (lambda u: lambda self: _record(u, (self,), {}))(_uf))


def _method(func: Any) -> Any:
    return lambda self, *args, **kwargs: _record(func, (self,) + args, kwargs)


for _name in ("sum", "mean", "max", "min", "prod", "any", "all", "argmax", "argmin", "clip", "cumsum", "dot",
              "ravel", "squeeze", "swapaxes", "std", "var", "round", "nonzero"):
    setattr(Traced, _name, _method(getattr(np, _name)))
Traced.flatten = _method(np.ravel)  # type: ignore[attr-defined]


def astype(x: np.ndarray, dtype: Any, copy: bool = True) -> np.ndarray:
    """x.astype(dtype) (a named function, so generated code and recorded calls can refer to it)."""
    return x.astype(dtype, copy=copy)


def copy_array(x: np.ndarray) -> np.ndarray:
    """x.copy()."""
    return x.copy()


def method_call(x: np.ndarray, name: str, *args: Any, **kwargs: Any) -> Any:
    """x.<name>(*args, **kwargs): an ndarray method the tracer has no spelling of its own for."""
    return getattr(x, name)(*args, **kwargs)


def _record(fn: Any, args: Any, kwargs: dict, inplace: Any = None) -> Any:
    rec = active_recorder()
    if rec is None:
        raise TraceError(f"compile: a value traced inside a compiled step was used after the trace ended (it "
                         f"was kept in a list, a global or an attribute: {getattr(fn, '__name__', fn)} on it). "
                         f"Return it from the step instead; only returned values are given to the caller.")
    return rec.record(fn, args, kwargs, inplace)


def plain(x: Any) -> Any:
    """x with every Traced (also inside tuples, lists and dicts) replaced by its value: for the recorder."""
    if isinstance(x, Traced):
        return x._v
    t = type(x)
    if t is tuple or t is list:
        return t(plain(v) for v in x)
    if t is dict:
        return {k: plain(v) for k, v in x.items()}
    if t is slice and any(isinstance(v, Traced) for v in (x.start, x.stop, x.step)):
        raise value_read_error("slicing with a traced bound")
    return x
