"""onnx.export: a model or function, run once on example inputs, written as an ONNX file from the graph the engine records."""
from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np

from ..graph.export_watch import watching
from ..files import output_target, write_bytes
from ..graph.grad_mode import enable_grad
from ..graph.node import Node
from ..tensor.tensor import Tensor
from .builder import Builder, ExportError
from .emit import Namer, emit
from .inputs import Inputs, as_arrays, dynamic_axes_for, names_for, other_inputs
from .proto import model_proto, require_onnx
from .walk import Item, flatten, items_of

OPSET = 18


def export(model_or_function: Any, example_inputs: Any, path: str | os.PathLike | None, *,
           input_names: Sequence[str] | None = None, output_names: Sequence[str] | None = None,
           dynamic_axes: dict[str, Any] | None = None, opset: int = OPSET) -> Any:
    """Run `model_or_function(*example_inputs)` once, recording its graph, and write that graph as ONNX.

    example_inputs: one array (or Tensor), or a tuple of them: float arrays are data, integer arrays
    indices (nn.Embedding). dynamic_axes: {name: {axis: label}} or {name: [axes]} for inputs (and
    outputs, to name their dims) whose size may change, e.g. {"input": {0: "batch"}}; other dims are
    fixed at the example's sizes. A Module runs in eval mode (Dropout is the identity) and is put
    back as it was. Every op must have an ONNX form in its op-table entry (a module may give one for
    itself: nn.LSTM, GRU, RNN); an op without one raises ExportError naming it.

    The export is checked before it is written: the function is run a second time on inputs of
    other values (and other sizes along the dynamic axes), and both runs must give the same ONNX
    graph, so a value read into Python (`.item()`, a comparison used by `where`, numpy on `.data`)
    or a size baked into the graph is refused instead of being frozen silently. The result passes
    onnx.checker. Returns the onnx.ModelProto (and writes it to `path`, atomically, unless None).
    """
    require_onnx()
    if path is not None:
        output_target(path, "onnx.export")  # refuse a folder or device before running anything
    arrays = as_arrays(example_inputs)
    names = names_for(input_names, len(arrays), "input")
    inputs = Inputs(arrays, names, dynamic_axes_for(dynamic_axes, names, [a.ndim for a in arrays],
                                                    list(output_names or [])))
    inputs.sizes_of_labels()
    run_a = _record(model_or_function, arrays)
    run_b = _record_other(model_or_function, inputs)
    out_names = names_for(output_names, len(run_a[1]), "output")
    namer = Namer(model_or_function)
    built = []
    for (ins, outs, items), (_, _, other) in ((run_a, run_b), (run_b, run_a)):
        _check_structure(items, other, namer)
        built.append(_build(items, other, ins, names, outs, out_names, namer))
    _check_same(built[0][0], built[1][0])
    b = built[0][0]
    in_info = [(n, a.dtype, _dims(a.shape, inputs.dynamic.get(k, {}))) for k, (n, a) in enumerate(zip(names, arrays))]
    out_info = _output_info(run_a[1], run_b[1], out_names, dynamic_axes or {}, inputs, run_b[0])
    model = model_proto(b.graph, type(model_or_function).__name__, in_info, out_info, opset)
    if path is not None:
        write_bytes(path, model.SerializeToString(), "onnx.export")
    return model


def _record(fn: Any, arrays: list[np.ndarray]) -> tuple[list[Any], list[Tensor], list[Item]]:
    """Run fn once on these inputs (floats as Tensors that record, integers as arrays), in eval mode."""
    ins: list[Any] = [Tensor(a, requires_grad=True, dtype=a.dtype) if a.dtype.kind == "f" else a for a in arrays]
    modules = list(fn.modules()) if hasattr(fn, "modules") else []
    modes = [m.training for m in modules]
    try:
        for m in modules:
            m.training = False
        with enable_grad(), watching() as calls:
            result = fn(*ins)
    finally:
        for m, mode in zip(modules, modes):
            m.training = mode
    outs = flatten(result)
    bad = [type(o).__name__ for o in outs if not isinstance(o, Tensor)]
    if bad or not outs:
        raise ExportError(f"onnx.export: the function must return a Tensor or a tuple of Tensors, got {bad or 'nothing'}")
    return ins, outs, items_of(outs, ins, calls)


def _record_other(fn: Any, inputs: Inputs) -> tuple[list[Any], list[Tensor], list[Item]]:
    """The second run, on other inputs (perturbed in sign too; if that leaves the function's domain,
    perturbed keeping signs)."""
    try:
        return _record(fn, other_inputs(inputs, 1, multiplicative=False))
    except ExportError:
        raise
    except (ValueError, ArithmeticError, IndexError):
        return _record(fn, other_inputs(inputs, 2, multiplicative=True))


def _check_structure(items: list[Item], other: list[Item], namer: Namer) -> None:
    for a, b in zip(items, other):
        if not a.same_kind(b):
            raise ExportError(f"onnx.export: {_describe(a, namer)} was recorded for the example inputs, "
                              f"{_describe(b, namer)} for inputs of other values or sizes: the function takes another "
                              f"path for other inputs (Python control flow on tensor values or sizes), which one ONNX "
                              f"graph cannot follow")
    if len(items) != len(other):
        raise ExportError(f"onnx.export: the function records {len(items)} graph items for the example inputs and "
                          f"{len(other)} for inputs of other values or sizes: its graph depends on the inputs (Python "
                          f"control flow on tensor values or sizes), which one ONNX graph cannot follow")


def _describe(item: Item, namer: Namer) -> str:
    if item.kind == "op":
        return f"op {item.node.op.name!r}{namer.where(item.node)}"
    if item.kind == "call":
        return f"a call of {namer.module(item.call[0])}"
    return f"a {item.kind}"


def _build(items: list[Item], other: list[Item], ins: list[Any], names: list[str], outs: list[Tensor],
           out_names: list[str], namer: Namer) -> tuple[Builder, dict[int, str]]:
    int_inputs = {id(a): n for a, n in zip(ins, names) if not isinstance(a, Node)}
    b, values = emit(items, other, names, int_inputs, namer)
    b.origin = "the outputs"
    for node, name in zip(outs, out_names):
        b.graph.nodes.append(("Identity", (values[id(node)],), (name,), {}))
        b.graph.node_origin.append("the outputs")
    return b, values


def _check_same(a: Builder, b: Builder) -> None:
    """The two builds must agree node for node and constant for constant."""
    for i, (na, nb) in enumerate(zip(a.graph.nodes, b.graph.nodes)):
        if not _same_node(na, nb):
            raise ExportError(_changes(a.graph.node_origin[i], f"an ONNX {na[0]} node"))
    if len(a.graph.nodes) != len(b.graph.nodes):
        raise ExportError(_changes(a.graph.node_origin[min(len(a.graph.nodes), len(b.graph.nodes)) - 1], "its node count"))
    for name, arr in a.graph.constants.items():
        other = b.graph.constants.get(name)
        if other is None or other.dtype != arr.dtype or other.shape != arr.shape or not np.array_equal(
                arr, other, equal_nan=arr.dtype.kind == "f"):
            raise ExportError(_changes(a.graph.constant_origin[name], f"a constant of shape {arr.shape}"))


def _same_node(na: Any, nb: Any) -> bool:
    return bool(na[:3] == nb[:3] and na[3].keys() == nb[3].keys() and all(_same_attr(na[3][k], nb[3][k]) for k in na[3]))


def _same_attr(x: Any, y: Any) -> bool:
    if hasattr(x, "nodes"):  # a subgraph (Scan's body)
        return bool(len(x.nodes) == len(y.nodes) and all(_same_node(p, q) for p, q in zip(x.nodes, y.nodes))
                    and x.constants.keys() == y.constants.keys()
                    and all(np.array_equal(v, y.constants[k]) for k, v in x.constants.items()))
    return bool(x == y)


def _changes(origin: str, what: str) -> str:
    return (f"onnx.export: {origin} writes {what} that changes when the inputs do (other values, or other sizes "
            f"along the dynamic axes): it reads something the recorded graph does not carry (a value read into "
            f"Python, a comparison or argmax used as data, numpy on .data, a size not declared in dynamic_axes, or a "
            f"random draw: a Dropout in training mode; export puts only the model it is given in eval mode), "
            f"so one ONNX graph would give wrong answers for other inputs")


def _dims(shape: tuple[int, ...], labels: dict[int, str]) -> list[Any]:
    return [labels.get(i, n) for i, n in enumerate(shape)]


def _output_info(outs: list[Tensor], others: list[Tensor], out_names: list[str], dynamic_axes: dict[str, Any],
                 inputs: Inputs, other_ins: list[Any]) -> list[tuple[str, np.dtype, list[Any]]]:
    """Each output's name, dtype and dims: a dim that changed between the runs is named (by the user's
    dynamic_axes, else by the input label of the same sizes, else name_dimN); others are fixed."""
    pairs: dict[tuple[int, int], str] = {}
    for k, axes in inputs.dynamic.items():
        for axis, label in axes.items():
            pairs.setdefault((inputs.arrays[k].shape[axis], np.shape(other_ins[k])[axis]), label)
    info = []
    for name, node, other in zip(out_names, outs, others):
        given = dynamic_axes.get(name, {})
        given = given if isinstance(given, dict) else {a: f"{name}_dim{a}" for a in given}
        dims: list[Any] = []
        for i, (n, m) in enumerate(zip(node.shape, other.shape)):
            named = given.get(i, given.get(i - node.ndim))
            dims.append(named if named is not None else (n if n == m else pairs.get((n, m), f"{name}_dim{i}")))
        info.append((name, node.data.dtype, dims))
    return info
