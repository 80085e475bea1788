"""Writing the items of one recorded graph into a Builder: each op through its table entry's ONNX form."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..graph.node import Node
from ..tensor.tensor import Tensor
from .builder import Builder, ExportError
from .walk import Item, flatten, rebuild


class Namer:
    """Describes where a node was recorded ("in layers.0 (Linear)") and names parameters by the
    model's parameter names."""

    def __init__(self, model: Any) -> None:
        self.modules: dict[int, str] = {}
        self.params: dict[int, str] = {}
        if hasattr(model, "named_modules") and hasattr(model, "named_parameters"):
            self.modules = {id(m): n for n, m in model.named_modules()}
            self.params = {id(p): n for n, p in model.named_parameters()}

    def where(self, node: Node) -> str:
        scope = node.scope
        if scope is None:
            return ""
        owner = scope.owner
        name = self.modules.get(id(owner))
        kind = type(owner).__name__
        step = "" if scope.step is None else f" step {scope.step}"
        return f" (in {name or kind}{'' if not name else f', a {kind}'}{step})"

    def module(self, module: Any) -> str:
        return self.modules.get(id(module)) or type(module).__name__


def _name(names: dict[int, str], node: Node) -> str:
    return names[id(node)]


def emit(items: list[Item], others: list[Item], input_names: list[str], int_inputs: dict[int, str],
         namer: Namer) -> tuple[Builder, dict[int, str]]:
    """Write every item (this build's `items`, the other build's `others` giving the second shape of each
    value); returns the builder and the value name of each node."""
    b = Builder(int_inputs)
    names: dict[int, str] = {}
    for item, other in zip(items, others):
        if item.kind == "input":
            names[id(item.node)] = input_names[item.k]
            b.declare(input_names[item.k], item.node.shape, other.node.shape, item.node.dtype)
        elif item.kind in ("param", "const"):
            b.origin = f"a constant{namer.where(item.node)}"
            name = _constant(b, item, other, namer)
            names[id(item.node)] = name
            b.declare(name, item.node.shape, other.node.shape, item.node.dtype)
        elif item.kind == "op":
            _emit_op(b, item.node, other.node, names, namer)
        else:
            _emit_call(b, item, other, names, namer)
    return b, names


def _constant(b: Builder, item: Item, other: Item, namer: Namer) -> str:
    """A parameter or constant as an initializer; a constant filled with one number whose shape follows
    the dynamic axes (zeros(batch, H) for a first hidden state) as that number expanded to the shape."""
    data = np.asarray(item.node.data)
    if item.kind == "param":
        return b.constant(data, namer.params.get(id(item.node), "param"))
    if item.node.shape != other.node.shape and data.size and np.all(data == data.flat[0]):
        b.begin(b.origin, [], item.node.shape, other.node.shape, data.dtype)
        return b.op("Expand", b.const(data.flat[0]), b.shape_tensor())
    return b.constant(data)


def _emit_op(b: Builder, node: Any, other: Any, names: dict[int, str], namer: Namer) -> None:
    op = node.op
    assert op is not None
    origin = f"{op.name}{namer.where(node)}"
    if op.onnx is None:
        raise ExportError(f"onnx.export: op {op.name!r}{namer.where(node)} has no ONNX form: its op-table entry gives "
                          f"no onnx= (see autograd_core/ops/table.py), so a graph using it cannot be exported")
    ins = [_name(names, p) for p in node.parents]
    ins = _same_dtype(b, origin, ins, node.parents, node.data.dtype)
    b.begin(origin, ins, node.shape, other.shape, node.data.dtype)
    try:
        out = op.onnx(b, *ins, **(node.kwargs or {}))
    except ExportError:
        raise
    except (ValueError, IndexError, TypeError) as e:
        raise ExportError(f"onnx.export: {origin}: {e}") from None
    names[id(node)] = _fresh(b, out)
    b.declare(names[id(node)], node.shape, other.shape, node.data.dtype)


def _same_dtype(b: Builder, origin: str, ins: list[str], parents: Any, out: np.dtype) -> list[str]:
    """numpy promotes mixed float dtypes, ONNX refuses them: inputs of another float dtype than the
    result are cast to it (unless no input has the result's dtype: then the op itself converts)."""
    dtypes = [p.data.dtype for p in parents]
    if out not in dtypes or all(d == out for d in dtypes):
        return ins
    b.origin = origin
    cast: list[str] = []
    for name, d in zip(ins, dtypes):
        if d != out and d.kind == "f":
            new = b.op("Cast", name, to=out)
            b.declare(new, *b._shapes[name], out)
            name = new
        cast.append(name)
    return cast


def _fresh(b: Builder, name: str) -> str:
    """A form may hand back an existing value (an input unchanged): give the node a value of its own."""
    return b.op("Identity", name) if name in b._shapes else name


def _emit_call(b: Builder, item: Item, other: Item, names: dict[int, str], namer: Namer) -> None:
    module, args, kwargs, result = item.call
    origin = f"{namer.module(module)} (a {type(module).__name__}, written whole by its onnx_form)"
    swap = lambda v: names[id(v)] if isinstance(v, Node) else v  # noqa: E731
    arg_names = rebuild(args, iter([swap(v) for v in flatten(args)]))
    kw_names = rebuild(kwargs, iter([swap(v) for v in flatten(kwargs)]))
    b.begin(origin, [n for n in flatten((arg_names, kw_names)) if isinstance(n, str)], (), (), item.node.data.dtype)
    b.module_name = namer.module(module)
    try:
        out = module.onnx_form(b, arg_names, kw_names)
    except ExportError:
        raise
    except (ValueError, IndexError, TypeError) as e:
        raise ExportError(f"onnx.export: {origin}: {e}") from None
    out_leaves, other_leaves = flatten(result), flatten(other.call[3])
    got = flatten(out)
    if len(got) != len(out_leaves):
        raise ExportError(f"onnx.export: {origin} gave {len(got)} values for a result of {len(out_leaves)}")
    ins = {id(n) for n in item.deps}
    for node, node_b, name in zip(out_leaves, other_leaves, got):
        if isinstance(node, Tensor) and id(node) not in ins and id(node) not in names:
            names[id(node)] = _fresh(b, name)
            b.declare(names[id(node)], node.shape, node_b.shape, node.data.dtype)
