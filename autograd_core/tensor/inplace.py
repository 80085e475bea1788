"""Tensor's in-place ops with PyTorch's rules: add_ sub_ mul_ div_ ... zero_ fill_ copy_ clamp_,
`+= -= *= /=`, and item and slice assignment (`x[i] = v`, `x[0][i] = v`).

Every in-place op keeps the object (its identity, `requires_grad`, its place in an optimizer)
and writes into its memory, so views of it (`x[0]`, `x.view(...)`) see the change. The rules
(PyTorch's `check_inplace`):

- recording (grad mode on, and the tensor or an operand requires grad) on a leaf that requires
  grad: refused with PyTorch's error (its `.grad` would belong to a value that no longer exists);
- not recording (under `no_grad`, or nothing requires grad): the op runs on the arrays;
- recording on any other tensor: the op is recorded as a node of its own. The object becomes that
  node (its op, e.g. `mul` for `mul_`, with the tensor's previous value as input 0), and that
  previous value moves to a new node with a copy of the old data, which takes over the object's
  old place in the graph (for the operands too: `h[0] = h[1] * 3` reads h before the change). Ops
  recorded from the tensor earlier keep pointing at the object, so a backward through them raises
  (the version check below) rather than use the new value. A view cannot be changed this way (its
  base's graph could not follow).

Each change counts one version of the memory (versions.py): a backward that would read data
changed since it was recorded raises, naming the in-place op.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .grad_array import plain
from ..graph.grad_mode import current_state
from ..graph.node import Node, NodeExtras
from ..operators.arithmetic import clamp_bound
from ..operators.op_methods import Binary, Unary, named, unnamed
from ..ops import activations as A, assign as AS, elementwise as E
from ..ops.apply import apply
from ..ops.table import Op
from ..random import numpy_rng
from .attrs import TensorAttrs
from .select import index_data
from ..graph.trace_hooks import TraceError, active_recorder
from ..graph.versions import bump, remember, version

SELF: Any = object()  # in an in-place op's arguments: where the tensor being changed goes

_LEAF_ERROR = ("a leaf Variable that requires grad is being used in an in-place operation. (Under "
               "torch.no_grad() the update is allowed: `with torch.no_grad(): w -= lr * w.grad`.)")


def _operand(x: Any) -> Any:
    """A node stays a node; a gradient array becomes its plain ndarray; numbers stay numbers."""
    return plain(x) if isinstance(x, np.ndarray) else x


def _trace_check(name: str) -> None:
    if active_recorder() is not None:
        raise TraceError(f"compile: the in-place op {name} cannot be traced (a replay could not redo it); "
                         f"write its out-of-place form (x = x + y for x += y) inside the compiled step")


def _store(t: Any, name: str, result: np.ndarray) -> None:
    """Write result into t's memory (in place: views see it), with PyTorch's shape and dtype rules."""
    data = t.data
    shape = np.shape(result)
    if shape != data.shape:
        try:
            fits = np.broadcast_shapes(shape, data.shape) == data.shape
        except ValueError:
            fits = False
        if not fits:
            raise RuntimeError(f"{name}: output with shape {list(data.shape)} doesn't match the broadcast shape "
                               f"{list(shape)} (an in-place op cannot change the shape of the tensor it writes to)")
    rtype = np.asarray(result).dtype
    if not np.can_cast(rtype, data.dtype, casting="same_kind"):
        raise RuntimeError(f"{name}: result type {rtype} can't be cast to the desired output type {data.dtype} "
                           f"(the tensor being changed keeps its dtype; convert it first, e.g. x = x.double())")
    if not data.flags.writeable:
        raise RuntimeError(f"{name}: this tensor's memory is read-only (an expanded or broadcast view shares "
                           f"one entry between several places); clone() it before changing it in place")
    np.copyto(data, result, casting="same_kind")


def inplace(t: Any, name: str, op: Op, args: tuple, **kwargs: Any) -> Any:
    """Run `op(*args, **kwargs)` (SELF in args standing for t) in place on t, by the module's rules."""
    _trace_check(name)
    args = tuple(_operand(a) for a in args)
    recording = current_state().enabled and (t.requires_grad or any(
        isinstance(a, Node) and a.requires_grad for a in args))
    if not recording:
        raws = [t.data if a is SELF else (a.data if isinstance(a, Node) else a) for a in args]
        if op.check is not None:
            op.check(*raws, **kwargs)
        _store(t, name, t._run_forward(op, raws, kwargs))
        bump(t.data, name)
        return t
    if t._a is None and t.requires_grad:
        raise RuntimeError(f"{name}: {_LEAF_ERROR}")
    if t.data.base is not None:
        raise RuntimeError(f"{name}: this tensor is a view of another one's memory (a slice, view, reshape or "
                           f"transpose) and the op would be recorded: the other tensor's graph cannot follow the "
                           f"change. clone() the view first, or build the result out of place "
                           f"(torch.where, torch.cat)")
    old = _previous(t)
    _redirect(args, t, old)
    result = apply(op, *[old if a is SELF or a is t else a for a in args], **kwargs)
    _store(t, name, result.data)
    bump(t.data, name)
    label = t.label
    t._link(result.parents)
    t.op = result.op
    t._meta = result._meta  # the in-place op's recording state and settings (result is dropped)
    if t._meta.__class__ is NodeExtras:
        t._meta.versions = None
    t._g = None
    t.requires_grad = True
    if label is not None:
        t.label = label
    t._extras().inplace = name.split(" ")[0]  # pictures show "mul_", not "×"
    remember(t)
    return t


def _redirect(args: tuple, t: Any, old: Any) -> None:
    """Operands computed from t (`h[0] = h[1] * 3`) used t's value before the change: point their
    graphs at `old` instead of t (t is about to become the in-place op's node, which would close a
    cycle). Walks the operands' recorded graphs, not going past t."""
    stack = [a for a in args if isinstance(a, Node) and a is not t and a.requires_grad]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if n._a is None or id(n) in seen:
            continue
        seen.add(id(n))
        ps = n.parents
        if any(p is t for p in ps):
            n._link(tuple(old if p is t else p for p in ps))
            m = n._meta
            if m.__class__ is NodeExtras and m.versions is not None:  # old's memory is fresh: version 0
                m.versions = m.versions[:1] + tuple(0 if p is t else v for p, v in zip(ps, m.versions[1:]))
        stack.extend(p for p in ps if p is not t and p.requires_grad)


def _previous(t: Any) -> Any:
    """A new node standing for t's value before the change: a copy of its data, t's parents, op and
    recording facts (t itself becomes the in-place op's node)."""
    old = t._make(t.data.copy(), t.parents, t.op, t.kwargs, t.requires_grad)
    m = t._meta
    if m.__class__ is NodeExtras:
        old._meta = NodeExtras(m.state, m.kwargs, None)
        old._meta.inplace = m.inplace
    else:
        old._meta = m
    if m.__class__ is NodeExtras and m.versions is not None:  # the copy is fresh memory: its own version is 0
        old._meta.versions = (0,) + m.versions[1:]
    old._g = t._g
    return old


def _in_place(op: Op, doc: str) -> Unary:
    """A method setting self = op(self) in place, named op.name + "_" in errors (neg_, exp_, ...)."""
    name = f"{op.name}_"

    def method(self: Any) -> Any:
        return inplace(self, name, op, (SELF,))
    return unnamed(method, doc)


def _in_place_with(op: Op, doc: str, symbol: str = "") -> Binary:
    """A method setting self = op(self, other) in place: mul_, or with symbol an operator (`*=`, named
    "mul_ (*=)" in errors)."""
    name = f"{op.name}_ ({symbol})" if symbol else f"{op.name}_"

    def method(self: Any, other: Any) -> Any:
        return inplace(self, name, op, (SELF, other))
    return unnamed(method, doc)


@named
class InplaceMethods(TensorAttrs):
    """The in-place methods (trailing underscore, as torch) and operators; each returns self."""

    __slots__ = ()

    def add_(self, other: Any, *, alpha: float = 1) -> Any:
        """self += alpha * other."""
        return inplace(self, "add_", E.ADD, (SELF, other if alpha == 1 else other * alpha))

    def sub_(self, other: Any, *, alpha: float = 1) -> Any:
        """self -= alpha * other."""
        return inplace(self, "sub_", E.SUB, (SELF, other if alpha == 1 else other * alpha))

    mul_ = _in_place_with(E.MUL, "self *= other.")
    div_ = _in_place_with(E.DIV, "self /= other.")

    def pow_(self, exponent: Any) -> Any:
        """self **= exponent."""
        return inplace(self, "pow_", E.POW, (SELF, exponent))

    neg_ = _in_place(E.NEG, "self = -self.")
    abs_ = _in_place(E.ABS, "self = |self|.")
    exp_ = _in_place(E.EXP, "self = e**self.")
    log_ = _in_place(E.LOG, "self = ln self.")
    sqrt_ = _in_place(E.SQRT, "self = sqrt(self).")
    sigmoid_ = _in_place(E.SIGMOID, "self = sigmoid(self).")
    tanh_ = _in_place(E.TANH, "self = tanh(self).")
    relu_ = _in_place(E.RELU, "self = max(self, 0).")

    def clamp_(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002 - torch's names
        """Limit self to [min, max] (either may be None)."""
        return inplace(self, "clamp_", A.CLAMP, (SELF,), min=clamp_bound(min), max=clamp_bound(max))

    def clamp_min_(self, min: Any) -> Any:  # noqa: A002
        """self = max(self, min)."""
        return self.clamp_(min, None)

    def clamp_max_(self, max: Any) -> Any:  # noqa: A002
        """self = min(self, max)."""
        return self.clamp_(None, max)

    def copy_(self, src: Any) -> Any:
        """Copy src (broadcast to self's shape, cast to self's dtype) into self."""
        return inplace(self, "copy_", AS.INDEX_PUT, (SELF, src), index=Ellipsis)

    def fill_(self, value: Any) -> Any:
        """Set every entry to value."""
        return inplace(self, "fill_", AS.INDEX_PUT, (SELF, value), index=Ellipsis)

    def zero_(self) -> Any:
        """Set every entry to 0."""
        return inplace(self, "zero_", AS.INDEX_PUT, (SELF, 0.0 if self.dtype.kind == "f" else 0), index=Ellipsis)

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Any:
        """Fill with uniform draws from [a, b) (the thread's default Generator unless one is given)."""
        draws = numpy_rng(generator).uniform(a, b, self.shape)
        return inplace(self, "uniform_", AS.INDEX_PUT, (SELF, draws), index=Ellipsis)

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Any:
        """Fill with normal draws of the given mean and standard deviation."""
        draws = numpy_rng(generator).normal(mean, std, self.shape)
        return inplace(self, "normal_", AS.INDEX_PUT, (SELF, draws), index=Ellipsis)

    def masked_fill_(self, mask: Any, value: Any) -> Any:
        """Set the entries where mask is true to value."""
        m = np.asarray(mask.data if isinstance(mask, Node) else mask).astype(bool)
        return inplace(self, "masked_fill_", AS.INDEX_PUT, (SELF, value), index=np.broadcast_to(m, self.shape))

    def __setitem__(self, index: Any, value: Any) -> None:
        inplace(self, "index_put_ (x[index] = value)", AS.INDEX_PUT, (SELF, value), index=index_data(index))

    __iadd__ = _in_place_with(E.ADD, "self += other.", "+=")
    __isub__ = _in_place_with(E.SUB, "self -= other.", "-=")
    __imul__ = _in_place_with(E.MUL, "self *= other.", "*=")
    __itruediv__ = _in_place_with(E.DIV, "self /= other.", "/=")
    __ipow__ = _in_place_with(E.POW, "self **= other.", "**=")

    def clone(self, *, memory_format: Any = None) -> Any:
        """A copy in new memory (recorded: the gradient passes through), to change in place safely; an integer
        or bool tensor's copy records nothing. memory_format= is accepted (numpy data has one layout)."""
        if self.dtype.kind != "f":
            return self._leaf(self.data.copy())
        return apply(E.IDENTITY, self)

    @property
    def _version(self) -> int:
        """How many in-place ops changed this tensor's memory (PyTorch's `x._version`)."""
        return version(self.data)


__all__ = ["InplaceMethods", "SELF", "inplace"]
