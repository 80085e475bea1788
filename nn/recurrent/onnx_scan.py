"""One direction of one recurrent layer as an ONNX Scan over time, its body the cell's step (the float64 form)."""
from __future__ import annotations

from typing import Any

import numpy as np


def _step(sub: Any, kind: str, cell: Any, name: str, outer: Any, h: str, c: str, xp: str) -> list[str]:
    """The body's new states ([h] or [h, c]) from the previous ones and this step's projected input,
    by the cell's formulas (see nn/recurrent/cells.py)."""
    if kind == "GRUCell":
        if cell.bias_hh is not None:
            hp = sub.op("Gemm", h, outer.constant(cell.weight_hh.data, f"{name}.weight_hh"),
                        outer.constant(cell.bias_hh.data, f"{name}.bias_hh"), transB=1)
        else:
            hp = sub.op("MatMul", h, outer.constant(cell.weight_hh.data.T.copy(), f"{name}.weight_hh_T"))
        xr, xz, xn = sub.op("Split", xp, axis=-1, num_outputs=3, outputs=3)
        hr, hz, hn = sub.op("Split", hp, axis=-1, num_outputs=3, outputs=3)
        r = sub.op("Sigmoid", sub.op("Add", xr, hr))
        z = sub.op("Sigmoid", sub.op("Add", xz, hz))
        n = sub.op("Tanh", sub.op("Add", xn, sub.op("Mul", r, hn)))
        return [sub.op("Add", n, sub.op("Mul", z, sub.op("Sub", h, n)))]
    a = sub.op("Add", xp, sub.op("MatMul", h, outer.constant(cell.weight_hh.data.T.copy(), f"{name}.weight_hh_T")))
    if kind == "RNNCell":
        return [sub.op("Tanh" if cell.nonlinearity == "tanh" else "Relu", a)]
    i, f, g, o = sub.op("Split", a, axis=-1, num_outputs=4, outputs=4)
    c2 = sub.op("Add", sub.op("Mul", sub.op("Sigmoid", f), c), sub.op("Mul", sub.op("Sigmoid", i), sub.op("Tanh", g)))
    return [sub.op("Mul", sub.op("Sigmoid", o), sub.op("Tanh", c2)), c2]


def scan_direction(b: Any, kind: str, cell: Any, name: str, seq: str, first: list[Any],
                   reverse: bool) -> tuple[str, list[str]]:
    """Run `cell` over seq (T, B, I) (last step first when reverse; outputs stay in time order) from the
    states `first` ((B, H) names, None for zeros): (outputs (T, B, H), final states)."""
    dtype, h = cell.weight_ih.data.dtype, cell.hidden_size
    bias = None if cell.bias_ih is None else (cell.bias_ih.data if kind == "GRUCell"
                                              else cell.bias_ih.data + cell.bias_hh.data)
    xp = b.op("MatMul", seq, b.constant(cell.weight_ih.data.T.copy(), f"{name}.weight_ih_T"))
    if bias is not None:
        xp = b.op("Add", xp, b.constant(bias, f"{name}.bias"))
    zeros = b.op("Expand", b.const(np.zeros((), dtype), dtype), b.op("Concat", b.dim(seq, 1), b.ints([h]), axis=0))
    count = 2 if kind == "LSTMCell" else 1
    starts = [s if s is not None else zeros for s in (first + [None] * count)[:count]]
    sub = b.subgraph(name.replace(".", "_"))
    h_in, c_in, x_in = sub.fresh("h"), sub.fresh("c"), sub.fresh("x")
    new = _step(sub, kind, cell, name, b, h_in, c_in, x_in)
    y = sub.op("Identity", new[0])
    sub.graph.inputs = [(n, dtype, None) for n in ([h_in, c_in] if count == 2 else [h_in])] + [(x_in, dtype, None)]
    sub.graph.outputs = [(n, dtype, None) for n in new + [y]]
    outs = b.op("Scan", *starts, xp, outputs=count + 1, body=sub.graph, num_scan_inputs=1,
                scan_input_directions=[1 if reverse else 0], scan_output_directions=[1 if reverse else 0])
    return outs[-1], list(outs[:-1])
