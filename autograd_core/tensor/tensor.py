"""Tensor: a numpy-backed node (float64 by default) with broadcasting, reductions and matmul."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..arrays import as_array, is_array
from .grad_array import as_grad, plain
from ..legacy import is_sizes
from ..graph.node import Node
from ..operators.arithmetic import ElementwiseMethods, where_node
from .convert import ConversionMethods
from .inplace import InplaceMethods
from .linalg import LinalgMethods
from .reduce import ReductionMethods
from .select import SelectionMethods, index_data
from .shape import ShapeMethods
from ..ops import dtype as D, elementwise as E, linalg as L, shape as S
from ..ops.apply import apply
from ..ops.table import Op
from ..graph.released import Released

_new = object.__new__
_GRAD_SLOT: Any = Node.__dict__["grad"]  # the slot behind Tensor's `grad` property

_FLOAT_KINDS = "f"


def _number_dtype(x: int | float) -> np.dtype:
    """torch's dtype for a Python number: bool, int64, or the default float (float64 here)."""
    return np.dtype(np.bool_ if isinstance(x, bool) else np.int64 if isinstance(x, int) else np.float64)



def as_float_array(data: Any, dtype: Any, where: str, *, copy: bool = False) -> np.ndarray:
    """Validate and convert array-like data to a float ndarray (float64 unless dtype says otherwise)."""
    if isinstance(data, Node):
        data = data.data
    try:
        arr = as_array(data)  # asanyarray: a traced array (autograd_core.jit) stays visible
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{where}: expected numeric array-like data, got {type(data).__name__}: {exc}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{where}: expected numeric data (bool, int or float), got dtype {arr.dtype} "
                        f"from {type(data).__name__}")
    if dtype is not None:
        target = np.dtype(dtype)
        if target.kind not in _FLOAT_KINDS:
            raise TypeError(f"{where}: dtype must be a floating type (float32, float64), got {target}")
    else:
        target = arr.dtype if arr.dtype.kind == "f" else np.dtype(np.float64)
    return arr.astype(target, copy=copy)


class Tensor(InplaceMethods, ReductionMethods, SelectionMethods, LinalgMethods, ShapeMethods, ConversionMethods,
             ElementwiseMethods, Node, node_kind=True):
    """An n-dimensional array node: `.data` (ndarray), `.grad` (None until backward, then a GradArray:
    an ndarray with torch's in-place methods; a Tensor after backward(create_graph=True)).

    The constructor copies its data (like torch.tensor), so in-place updates never reach the
    caller's array.
    """

    __slots__ = ()
    shape_tracked = True
    __array_ufunc__ = None  # numpy defers to our reflected operators: ndarray * Tensor -> Tensor

    def __init__(self, *data: Any, requires_grad: bool = False, dtype: Any = None,
                 label: str | None = None) -> None:
        # Tensor(data) owns a floating copy of data (like torch.tensor); Tensor(2, 3) is torch's legacy
        # constructor, an uninitialised 2 x 3 tensor (zeros here).
        if len(data) == 1 and not is_sizes(data):
            arr = as_float_array(data[0], dtype, "Tensor", copy=True)
        elif not data or is_sizes(data):
            arr = as_float_array(np.zeros(data or (0,)), dtype, "Tensor")
        else:
            raise TypeError(f"Tensor: expected one data argument or sizes (ints), got {len(data)} arguments "
                            f"{tuple(type(d).__name__ for d in data)}; pass requires_grad= and dtype= by keyword")
        self._init_leaf(arr, None, requires_grad, label)

    # ---- the hooks Node declares ----------------------------------------------------------------

    _op1 = staticmethod(apply)
    _op2 = staticmethod(apply)

    @classmethod
    def _make(cls, data: Any, parents: tuple, op: Op | None, kwargs: dict | None,
              requires_grad: bool) -> "Tensor":
        t = _new(Tensor)
        t._init_leaf(data, None, requires_grad, None)
        t._link(parents)
        t.op = op
        if kwargs is not None:
            t.kwargs = kwargs
        return t

    @classmethod
    def _constant(cls, x: Any, like: Node, op_name: str) -> "Tensor":
        if isinstance(x, (int, float)):
            # a Python number takes a floating tensor's dtype; beside an integer or bool tensor it is
            # bool, int64 or float64 (torch's default dtypes, float64 the default float here)
            dtype = like.data.dtype if like.data.dtype.kind == "f" else _number_dtype(x)
            return cls._make(as_array(x, dtype=dtype), (), None, None, False)
        if isinstance(x, Node):
            raise TypeError(f"{op_name}: cannot mix a {type(x).__name__} with a Tensor; "
                            f"use Tensor(value.data) or keep to one kind")
        return cls._make(as_float_array(x, None, op_name), (), None, None, False)

    @classmethod
    def _promote(cls, nodes: list) -> list:
        """The inputs of a many-input op cast to torch's result_type (float32 with an int64 tensor or a
        bool stays float32); a floating input that requires grad is cast by a recorded node."""
        first = nodes[0].data.dtype
        if all(n.data.dtype == first for n in nodes):
            return nodes
        target = D.result_type([n.data for n in nodes])
        return [n if n.data.dtype == target else
                apply(D.CAST, n, dtype=target.name) if n.requires_grad and target.kind == "f" else
                cls._make(n.data.astype(target), (), None, None, False) for n in nodes]

    @staticmethod
    def _run_forward(op: Op, raws: list, kwargs: dict) -> np.ndarray:
        try:
            out = op.forward(*raws, **kwargs)
        except ValueError as exc:
            shapes = " and ".join(str(np.shape(r)) for r in raws)
            if "broadcast" in str(exc):
                raise ValueError(f"{op.name}: shapes {shapes} do not broadcast together (each pair of "
                                 f"trailing dimensions must be equal or 1)") from None
            raise ValueError(f"{op.name}: shapes {shapes}: {exc}") from None
        except IndexError as exc:
            raise IndexError(f"{op.name}: {exc} (shape {np.shape(raws[0])})") from None
        return out if is_array(out) else as_array(out)

    def _ones_like(self) -> np.ndarray:
        return np.ones_like(self.data)

    def _coerce_grad(self, grad: Any) -> Any:
        return grad if isinstance(grad, Tensor) else as_float_array(grad, self.data.dtype, "backward")

    def _zeros_like(self, as_node: bool) -> Any:
        z = np.zeros_like(self.data)
        return Tensor._make(z, (), None, None, False) if as_node else z

    def _zero_grad_value(self) -> None:
        return None

    def _accumulate_grad(self, g: Any) -> None:
        """`.grad += g` in the leaf's own dtype (a float32 leaf keeps a float32 gradient)."""
        dtype = self.data.dtype
        if not isinstance(g, Node) and (not is_array(g) or not g.flags.writeable
                                        or g.dtype != dtype):
            g = as_array(g).astype(dtype)  # a copy; as_array/astype: visible to jit's tracer
        old = _GRAD_SLOT.__get__(self)
        _GRAD_SLOT.__set__(self, as_grad(g if old is None else plain(old) + g))

    @property
    def grad(self) -> Any:
        """d(output)/d(self) summed over backward passes: None before any, else a GradArray (an ndarray
        of self's shape and dtype with torch's in-place methods), or a Tensor when it was computed
        with create_graph=True (it is then differentiable itself)."""
        return _GRAD_SLOT.__get__(self)

    @grad.setter
    def grad(self, value: Any) -> None:
        _GRAD_SLOT.__set__(self, _grad_value(self, value))

    # ---- inspection ----------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return self.data.shape[0]

    def item(self) -> Any:
        """The single element as a Python number (float; int or bool for those dtypes)."""
        if self.data.size != 1:
            raise ValueError(f"item: only a one-element Tensor converts to a Python number, got shape {self.shape}")
        return self.data.reshape(()).item()

    def numpy(self) -> np.ndarray:
        """The data as an ndarray (shared, not copied)."""
        return self.data

    def detach(self) -> "Tensor":
        """A new leaf sharing this data, recording nothing."""
        return Tensor._make(self.data, (), None, None, False)

    def requires_grad_(self, flag: bool = True) -> "Tensor":
        """Set requires_grad in place (leaves only) and return self."""
        if self.parents and not flag:
            raise RuntimeError("requires_grad_: only a leaf can stop requiring grad; use detach()")
        self.requires_grad = flag
        return self

    def __repr__(self) -> str:
        if isinstance(self.data, Released):   # only the graph held it, and backward released its values
            return f"Tensor({self.data!r}{', requires_grad=True' if self.requires_grad else ''})"
        body = np.array2string(self.data, precision=4, threshold=20, separator=", ", prefix="Tensor(")
        extra = ", requires_grad=True" if self.requires_grad else ""
        dt = "" if self.data.dtype == np.float64 else f", dtype={self.data.dtype}"
        return f"Tensor({body}{dt}{extra})"

    # ---- matmul and indexing (+ - * / ** and unary functions come from ElementwiseMethods) ------

    def __matmul__(self, o: Any) -> "Tensor":
        return apply(L.MATMUL, self, o)

    def __rmatmul__(self, o: Any) -> "Tensor":
        return apply(L.MATMUL, o, self)

    def matmul(self, o: Any) -> "Tensor":
        """self @ o (numpy matmul semantics: 1-D, 2-D, batched)."""
        return apply(L.MATMUL, self, o)

    def __getitem__(self, index: Any) -> "Tensor":
        return apply(S.GETITEM, self, index=index_data(index))

    # ---- elementwise functions of two tensors ---------------------------------------------------

    def maximum(self, other: Any) -> "Tensor":
        """Elementwise max; ties split the gradient evenly."""
        return apply(E.MAXIMUM, self, other)

    def minimum(self, other: Any) -> "Tensor":
        """Elementwise min; ties split the gradient evenly."""
        return apply(E.MINIMUM, self, other)

    # ---- reshaping -------------------------------------------------------------------------------

    def reshape(self, *shape: Any) -> "Tensor":
        """Same data in a new shape (one dimension may be -1)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            target = np.empty(self.shape, dtype=bool).reshape(shape).shape
        except ValueError:
            raise ValueError(f"reshape: cannot reshape shape {self.shape} ({self.data.size} elements) "
                             f"into {tuple(shape)}") from None
        return apply(S.RESHAPE, self, shape=target)

    @property
    def T(self) -> "Tensor":
        """The transpose (axes reversed)."""
        if self.data.ndim == 2:
            return apply(S.TRANSPOSE, self, axes=(1, 0))
        return apply(S.TRANSPOSE, self, axes=tuple(reversed(range(self.ndim))))


def _grad_value(t: Tensor, value: Any) -> Any:
    """What `t.grad = value` stores by the `.grad` rule: None; a Tensor with a graph as is; any other
    tensor or array as a GradArray (sharing its memory), of t's shape."""
    if value is None:
        return None
    if isinstance(value, Node):
        if value.requires_grad:
            return value
        value = value.data
    elif not is_array(value):  # is_array/as_array: a compiled step's traced gradient stays traced
        value = as_array(value, t.data.dtype)
    if np.shape(value) != t.data.shape:
        raise RuntimeError(f"grad: assigned grad has shape {np.shape(value)}, but the tensor has shape "
                           f"{t.data.shape}")
    return as_grad(value)


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Build a Tensor (PyTorch's torch.tensor spelling)."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis."""
    ts = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not ts:
        raise ValueError("concatenate: expected at least one tensor")
    kept = [t for t in ts if t.shape != (0,)]  # torch skips empty 1-D tensors beside others (a legacy rule)
    if kept and len(kept) < len(ts) and any(t.ndim != 1 for t in kept):
        ts = kept
    return apply(S.CONCATENATE, *ts, axis=axis)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join same-shape tensors along a new axis."""
    ts = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not ts:
        raise ValueError("stack: expected at least one tensor")
    shapes = {t.shape for t in ts}
    if len(shapes) > 1:
        raise ValueError(f"stack: expected tensors of one shape, got shapes {[t.shape for t in ts]}")
    return apply(S.STACK, *ts, axis=axis)


def where(cond: Any, a: Any, b: Any) -> Tensor:
    """a where cond else b, elementwise with broadcasting; the gradient flows to the chosen side."""
    if not isinstance(a, Node) and not isinstance(b, Node):
        a = Tensor(a)
    return where_node(cond, a, b)


def linear(x: Any, weight: Any, bias: Any = None) -> Tensor:
    """y = x @ weight^T + bias, one recorded node (weight has shape (out_features, in_features))."""
    if bias is None:
        w = weight if isinstance(weight, Tensor) else Tensor(weight)
        return apply(L.MATMUL, x, w.T)
    return apply(L.LINEAR, x, weight, bias)
