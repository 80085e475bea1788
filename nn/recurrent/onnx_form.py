"""RNN, LSTM and GRU written to ONNX whole (autograd_core.onnx.export), so the file runs any sequence length.

float32: ONNX's own RNN, LSTM and GRU nodes, one per layer (both directions in one). ONNX stacks the
gates in another order than PyTorch (and this library): LSTM i, o, f, c against PyTorch's i, f, g, o;
GRU z, r, h against r, z, n, with linear_before_reset=1 for PyTorch's GRU, where r multiplies
(h W_hn^T + b_hn). The weights are reordered here; the biases go as [b_ih, b_hh] per direction.
float64: onnxruntime has no float64 kernel for those nodes, so each (layer, direction) is an ONNX
Scan over time whose body is the cell's own step (this library's formulas, in this library's order).
Nothing here imports onnx: the forms write into the exporter's builder.
"""
from __future__ import annotations

from typing import Any

import numpy as np

ONNX_GATES = {"LSTMCell": [0, 3, 1, 2], "GRUCell": [1, 0, 2], "RNNCell": [0]}
ONNX_NODE = {"LSTMCell": "LSTM", "GRUCell": "GRU", "RNNCell": "RNN"}


def _reorder(w: np.ndarray, order: list[int], h: int) -> np.ndarray:
    """The gate blocks of rows (h each) of w in ONNX's order."""
    return np.concatenate([w[g * h:(g + 1) * h] for g in order], axis=0)


def recurrent_form(module: Any, b: Any, args: Any, kwargs: Any) -> Any:
    """The ONNX form of a Recurrent module's call: (output, h_n), or (output, (h_n, c_n)) for LSTM."""
    x = args[0] if args else kwargs["x"]
    hx = args[1] if len(args) > 1 else kwargs.get("hx")
    kind = type(module.cell).__name__
    if module.training and module.dropout and module.num_layers > 1:
        raise ValueError(f"{type(module).__name__}: in training mode it drops units between layers at random, which the "
                         f"exported graph would not; call .eval() on it (export does that for the model it is given)")
    if not isinstance(x, str):
        raise TypeError(f"{type(module).__name__}: the exported input must be a Tensor of the graph")
    dtype = module.cell.weight_ih.data.dtype
    if b.dtype_of(x) != dtype:
        raise TypeError(f"{type(module).__name__}: input dtype {b.dtype_of(x)} and weight dtype {dtype} differ; "
                        f"cast one (the ONNX recurrent nodes take one dtype)")
    rank = len(b.shape(x))
    batch_first = module.batch_first and rank == 3
    seq = b.op("Transpose", x, perm=[1, 0, 2]) if batch_first else (b.op("Unsqueeze", x, b.ints([1])) if rank == 2 else x)
    states = _states(b, hx, kind, rank)
    finals: list[list[str]] = [[], []]
    for layer, row in enumerate(module._cells):
        part = [None if s is None else b.op("Slice", s, b.ints([layer * len(row)]), b.ints([(layer + 1) * len(row)]),
                                            b.ints([0])) for s in states]
        if dtype == np.float32:
            seq, ends = _native_layer(module, b, kind, layer, row, seq, part)
        else:
            seq, ends = _scan_layer(module, b, kind, layer, row, seq, part)
        for k, end in enumerate(ends):
            finals[k].append(end)
    out = b.op("Transpose", seq, perm=[1, 0, 2]) if batch_first else (b.op("Squeeze", seq, b.ints([1])) if rank == 2 else seq)
    ends = [b.op("Concat", *f, axis=0) if len(f) > 1 else f[0] for f in finals if f]
    if rank == 2:
        ends = [b.op("Squeeze", e, b.ints([1])) for e in ends]
    return (out, (ends[0], ends[1])) if kind == "LSTMCell" else (out, ends[0])


def _states(b: Any, hx: Any, kind: str, rank: int) -> list[Any]:
    """The starting states as (layers*directions, batch, H) names ([h] or [h, c]), or None for zeros."""
    parts = list(hx) if kind == "LSTMCell" and hx is not None else [hx]
    out: list[str | None] = []
    for s in parts:
        if s is None:
            out.append(None)
            continue
        if not isinstance(s, str):
            raise TypeError("the exported starting state must be a Tensor of the graph (or None for zeros)")
        full = 3 if rank == 3 else 2  # (L*D, B, H) batched, (L*D, H) unbatched
        s = b.op("Unsqueeze", s, b.ints([0])) if len(b.shape(s)) < full else s
        out.append(b.op("Unsqueeze", s, b.ints([1])) if rank == 2 else s)
    return out + [None] * ((2 if kind == "LSTMCell" else 1) - len(out))


def _native_layer(module: Any, b: Any, kind: str, layer: int, row: list[Any], seq: str,
                  start: list[Any]) -> tuple[str, list[str]]:
    """One layer as an ONNX RNN/LSTM/GRU node: (its output (T, B, D*H), its final states (D, B, H))."""
    h, order = module.hidden_size, ONNX_GATES[kind]
    name = f"{b.module_name}.l{layer}"
    w = b.constant(np.stack([_reorder(c.weight_ih.data, order, h) for c in row]), f"{name}.W")
    r = b.constant(np.stack([_reorder(c.weight_hh.data, order, h) for c in row]), f"{name}.R")
    bias = "" if row[0].bias_ih is None else b.constant(np.stack([np.concatenate(
        [_reorder(c.bias_ih.data, order, h), _reorder(c.bias_hh.data, order, h)]) for c in row]), f"{name}.B")
    attrs: dict[str, Any] = {"hidden_size": h, "direction": "bidirectional" if len(row) == 2 else "forward"}
    if kind == "GRUCell":
        attrs["linear_before_reset"] = 1
    if kind == "RNNCell":
        attrs["activations"] = ["Tanh" if row[0].nonlinearity == "tanh" else "Relu"] * len(row)
    inputs = [seq, w, r, bias, "", start[0] or ""] + ([start[1] or ""] if kind == "LSTMCell" else [])
    outs = b.op(ONNX_NODE[kind], *inputs, outputs=3 if kind == "LSTMCell" else 2, **attrs)
    y = b.op("Reshape", b.op("Transpose", outs[0], perm=[0, 2, 1, 3]), b.ints([0, 0, -1]))  # (T, B, D*H)
    return y, list(outs[1:])


def _scan_layer(module: Any, b: Any, kind: str, layer: int, row: list[Any], seq: str,
                start: list[Any]) -> tuple[str, list[str]]:
    """One layer as one ONNX Scan per direction (float64): (output (T, B, D*H), final states (D, B, H))."""
    from .onnx_scan import scan_direction

    ys, ends = [], []
    for d, cell in enumerate(row):
        first = [None if s is None else b.op("Squeeze", b.op("Slice", s, b.ints([d]), b.ints([d + 1]), b.ints([0])),
                                             b.ints([0])) for s in start]
        y, last = scan_direction(b, kind, cell, f"{b.module_name}.l{layer}{'_reverse' if d else ''}", seq, first, d == 1)
        ys.append(y)
        ends.append([b.op("Unsqueeze", s, b.ints([0])) for s in last])
    y = b.op("Concat", *ys, axis=-1) if len(ys) > 1 else ys[0]
    return y, [b.op("Concat", *[e[k] for e in ends], axis=0) if len(ends) > 1 else ends[0][k] for k in range(len(ends[0]))]
