"""The built graph as an onnx ModelProto (the one place the onnx package is imported), checked by onnx.checker."""
from __future__ import annotations

from typing import Any

import numpy as np

from .builder import ExportError, Graph

IR_VERSION = 8  # the oldest ONNX IR that carries opset 18: files open in older runtimes too


def require_onnx() -> Any:
    """The onnx package, or an error saying how to install it."""
    try:
        import onnx
    except ImportError:
        raise ImportError("autograd_core.onnx.export needs the onnx package (an optional extra): "
                          "pip install 'autograd-core[onnx]'") from None
    return onnx


def _attr(onnx: Any, value: Any) -> Any:
    if isinstance(value, np.dtype):
        return onnx.helper.np_dtype_to_tensor_dtype(value)
    if isinstance(value, Graph):
        return graph_proto(onnx, value, "body", value.inputs, value.outputs)
    return value


def graph_proto(onnx: Any, graph: Graph, name: str, inputs: list[tuple[str, np.dtype, list[Any]]],
                outputs: list[tuple[str, np.dtype, list[Any]]]) -> Any:
    """A GraphProto: nodes, constants as initializers, typed inputs and outputs (dims int or label)."""
    h = onnx.helper
    nodes = [h.make_node(t, list(ins), list(outs), **{k: _attr(onnx, v) for k, v in attrs.items()})
             for t, ins, outs, attrs in graph.nodes]
    inits = [onnx.numpy_helper.from_array(arr, n) for n, arr in graph.constants.items()]
    info = lambda n, d, dims: h.make_tensor_value_info(n, h.np_dtype_to_tensor_dtype(np.dtype(d)), dims)  # noqa: E731
    return h.make_graph(nodes, name, [info(*i) for i in inputs], [info(*o) for o in outputs], inits)


def model_proto(graph: Graph, name: str, inputs: list[tuple[str, np.dtype, list[Any]]],
                outputs: list[tuple[str, np.dtype, list[Any]]], opset: int) -> Any:
    """The checked ModelProto of the whole graph."""
    onnx = require_onnx()
    from .. import __version__

    model = onnx.helper.make_model(graph_proto(onnx, graph, name, inputs, outputs),
                                   opset_imports=[onnx.helper.make_opsetid("", opset)],
                                   producer_name="autograd-core", producer_version=__version__)
    model.ir_version = IR_VERSION
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as e:  # onnx raises ValidationError or InferenceError
        raise ExportError(f"onnx.export: the written model fails onnx.checker: {e}") from None
    return model
