"""torch.autograd.Function: a user's op written as a forward and a backward over Tensors, recorded
in the graph like a table op.

    class Exp(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad_output):
            y, = ctx.saved_tensors
            return grad_output * y

    y = Exp.apply(x)

`apply` runs `forward` under no_grad; when grad mode is on and a Tensor argument requires grad it
records one node whose op is made once per class (named after it: viz draws "Exp", `grad_fn` is
ExpBackward; it is not put in the op table, which holds the library's own ops). Backward calls
the class's `backward` with the upstream gradient as a Tensor and expects one gradient (or None)
per argument of forward. Under `backward(create_graph=True)` that call records, so a backward
written with Tensor ops is itself differentiable (gradgradcheck works) through the saved inputs
and the saved output. The engine's version check covers the inputs and the output, so changing
a saved tensor in place makes backward raise.

For ONNX export: a Function gives its ONNX form as a static `onnx(b, *inputs)` (the op-table
protocol of autograd_core/ops/table.py: `b.op("Exp", x)` adds a node, the result's name is returned);
`onnx = None`, the default, says it has none, and exporting a graph that uses it raises naming the
class. The node's op carries the class as `op.function`.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .graph.grad_mode import is_grad_enabled, no_grad
from .graph.node import Node
from .ops.table import Op
from .tensor.tensor import Tensor
from .graph.versions import _COUNTERS, remember


class FunctionCtx:
    """The `ctx` of one call: what forward saves for backward, and facts about the inputs.
    Other attributes may be set freely (`ctx.scale = 2.0`)."""

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self._saved: tuple[Any, ...] = ()
        self._non_differentiable: list[Any] = []
        self.materialize_grads = True

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep tensors (or None) for backward, where `saved_tensors` gives them back."""
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save tensors (or None), got {type(t).__name__}; "
                                f"keep other values as attributes of ctx (ctx.value = ...)")
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The tensors given to save_for_backward, in order."""
        return self._saved

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Outputs that get no gradient (they are returned as tensors that do not require grad)."""
        self._non_differentiable.extend(outputs)

    def set_materialize_grads(self, value: bool) -> None:
        """Accepted for compatibility: the upstream gradient given to backward is always an array."""
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors: Any) -> None:
        """Not supported: a forward that changes its inputs in place."""
        raise RuntimeError("autograd.Function: mark_dirty (a forward that changes its inputs in place) is not "
                           "supported; return a new tensor from forward instead")


class Function:
    """Base class of a user's op: subclass it, write static `forward(ctx, *args)` and
    `backward(ctx, *grad_outputs)`, and call `YourFunction.apply(*args)`."""

    onnx: Callable[..., Any] | None = None  # the ONNX form, onnx(b, *inputs) -> name; None: it has none

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        """The op's value from its arguments (runs under no_grad)."""
        raise NotImplementedError("autograd.Function: define a static forward(ctx, *args) in your subclass")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """One gradient (a Tensor, or None) per argument of forward, from the output's gradient."""
        raise NotImplementedError("autograd.Function: define a static backward(ctx, grad_output) in your subclass")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run forward on the arguments; record a node when an argument requires grad."""
        from .jit.traced import TraceError, active_recorder

        if active_recorder() is not None:
            raise TraceError(f"compile: the custom autograd.Function {cls.__name__} cannot be traced (its Python "
                             f"forward and backward are opaque to the tracer); call it outside the compiled step")
        needs = tuple(isinstance(a, Node) and a.requires_grad for a in args)
        ctx = FunctionCtx(needs)
        with no_grad():
            out = cls.forward(ctx, *args, **kwargs)
        if isinstance(out, tuple):
            if len(out) != 1:
                raise NotImplementedError(f"{cls.__name__}.forward returned {len(out)} outputs; a custom Function "
                                          f"here returns one Tensor (split it into several Functions)")
            out = out[0]
        if not isinstance(out, Tensor):
            raise TypeError(f"{cls.__name__}.forward must return a Tensor, got {type(out).__name__}")
        if not (is_grad_enabled() and any(needs)) or any(o is out for o in ctx._non_differentiable):
            return out.detach() if out.requires_grad else out
        parents = tuple(a for a in args if isinstance(a, Tensor))
        node = Tensor._make(out.data, parents, _op_for(cls), {"ctx": ctx, "positions": _positions(args)}, True)
        if _COUNTERS:
            remember(node)
        ctx._saved = tuple(node if t is out else t for t in ctx._saved)  # the saved output carries the graph
        return node


def _positions(args: tuple) -> tuple[int, ...]:
    """Where the Tensor arguments (the node's parents) sit among forward's arguments."""
    return tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))


def _op_for(cls: type[Function]) -> Op:
    """The op standing for a Function class in the graph (made on first use, kept on the class)."""
    op = cls.__dict__.get("_autograd_op")
    if op is None:
        op = Op(cls.__name__, _opaque_forward(cls), None, None, None, None, vjp_all=_backward_rule(cls))
        op.display = cls.__name__
        op.derivative = (f"{cls.__name__}.backward",)
        op.words = f"the gradient is what the user's {cls.__name__}.backward returns"
        op.function = cls
        op.onnx = _onnx_form(cls)
        type.__setattr__(cls, "_autograd_op", op)
    return op


def _onnx_form(cls: type[Function]) -> Callable[..., Any]:
    """The op's ONNX form: the class's own `onnx(b, *inputs)`, or an error naming the class."""
    def emit(b: Any, *inputs: Any, ctx: FunctionCtx, positions: tuple[int, ...]) -> Any:
        form = cls.onnx
        if form is None:
            raise TypeError(f"the custom autograd.Function {cls.__name__} has no ONNX form (its onnx attribute is "
                            f"None); give the class a static onnx(b, *inputs) writing it with b.op(...) (see "
                            f"autograd_core/ops/table.py)")
        return form(b, *inputs)
    return emit


def _opaque_forward(cls: type[Function]) -> Callable[..., Any]:
    def forward(*raws: Any, **settings: Any) -> Any:
        raise TypeError(f"{cls.__name__}: a custom autograd.Function runs through {cls.__name__}.apply, not "
                        f"as a table op on arrays")
    return forward


def _backward_rule(cls: type[Function]) -> Callable[..., Any]:
    def rule(g: Any, ans: Any, *inputs: Any, ctx: FunctionCtx, positions: tuple[int, ...]) -> list[Any]:
        graph = isinstance(g, Node)
        grad_output = g if graph else Tensor._make(np.asarray(g), (), None, None, False)
        grads = cls.backward(ctx, grad_output)
        grads = grads if isinstance(grads, tuple) else (grads,)
        expected = len(ctx.needs_input_grad)
        if len(grads) != expected:
            raise RuntimeError(f"function {cls.__name__}Backward returned an incorrect number of gradients "
                               f"(expected {expected}, got {len(grads)}): one per argument of forward, None for "
                               f"those without a gradient")
        out = []
        for k, pos in enumerate(positions):
            gi = grads[pos]
            shape = np.shape(inputs[k].data if isinstance(inputs[k], Node) else inputs[k])
            if gi is not None:
                if not isinstance(gi, Node):
                    gi = np.asarray(gi)
                elif not graph:
                    gi = gi.data
                gshape = np.shape(gi.data if isinstance(gi, Node) else gi)
                if gshape != shape and not _sums_to(gshape, shape):
                    raise RuntimeError(f"Function {cls.__name__}Backward returned an invalid gradient at index "
                                       f"{pos} - got {list(gshape)} but expected shape compatible with {list(shape)}")
            out.append(gi)
        return out
    return rule


def _sums_to(gshape: tuple, shape: tuple) -> bool:
    """Whether a gradient of gshape reduces to shape by summing broadcast axes (the engine does it)."""
    try:
        return np.broadcast_shapes(gshape, shape) == gshape
    except ValueError:
        return False


class Variable:
    """torch.autograd.Variable, deprecated in PyTorch: Variable(t) is t itself, and
    Variable(t, requires_grad=True) sets requires_grad on it."""

    def __new__(cls, data: Any, requires_grad: bool = False, volatile: bool = False) -> Any:
        t = data if isinstance(data, Tensor) else Tensor(data)
        if requires_grad:
            t.requires_grad_(True)
        return t
