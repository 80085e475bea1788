"""The explorer's picture as plain data: nodes, edges and module scopes, every number already formatted.

Python does all the formatting (through viz.labels and viz.text, so the explorer says exactly what
the static pictures say); the page's script only lays the data out and shows it. Each number also
travels raw (`*Raw`: a float, or a nested list for a Tensor of at most RAW_LIMIT entries) so that
a test can compare the page with the engine to full precision.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Node, Tensor
from autograd_core.graph.released import Released

from ..edges import as_data, differentiable, edge_derivative
from ..labels import shape_text
from ..roles import CONSTANT
from ..scene import DrawEdge, DrawNode, Scene
from ..text import display_name, grad_row, value_text

RAW_LIMIT = 64


def raw(x: Any) -> Any:
    """A number or a small array as JSON-ready data (None for a big array or no value)."""
    x = as_data(x)
    if x is None or isinstance(x, Released):
        return None
    if np.ndim(x) == 0 and not isinstance(x, np.ndarray):
        return float(x)
    arr = np.asarray(x, dtype=float)
    return arr.tolist() if arr.size <= RAW_LIMIT else None


def _local(c: Node, i: int, p: int) -> tuple[str, Any]:
    """The local derivative d c / d parents[i] as (text, raw): a number, a Jacobian's diagonal, or
    the rule for a Tensor op whose Jacobian is not diagonal (viz.edges.edge_derivative)."""
    ld = edge_derivative(c, i, p)
    return ld.text.removeprefix("∂ ").removeprefix("carries "), raw(ld.value) if ld.value is not None else None


def rule_lines(c: Node, names: dict[int, str], p: int, values: bool = True) -> list[str]:
    """Hover text for a node made by an op: each input's local derivative as math and its value, then
    the op's rule in words: "tanh: d out / d n = 1 − out² = 0.5". A binary elementwise op's math
    names its inputs a and b (the op table's convention), so its lines say which node is which:
    "mul(a = x1, b = w1)", "d out / d a = b = -3". A Tensor op that is not elementwise states how
    the upstream gradient g becomes the input's: "matmul: grad of W = Aᵀ·g"."""
    op = c.op
    if op is None:
        return []
    shown = [display_name(q, names) for q in c.parents]
    lines = []
    binary = op.elementwise and len(shown) == 2
    if binary:
        lines.append(f"{c.op_name}(a = {shown[0]}, b = {shown[1]})")
    for i in range(len(shown)):
        ld = edge_derivative(c, i, p)
        shown_value = values and ld.value is not None and differentiable(c, i)
        value = " = " + ld.text.removeprefix("∂ ").removeprefix("⊙ ") if shown_value else ""
        if not op.elementwise:  # the rule says how the upstream gradient g becomes this input's
            lines.append(f"{c.op_name}: grad of {shown[i]} = {ld.math}")
        elif binary:
            lines.append(f"d out / d {'ab'[i]} = {ld.math}{value}")
        else:
            lines.append(f"{c.op_name}: d out / d {shown[i]} = {ld.math}{value}")
    return lines + [op.words]


def node_data(dn: DrawNode, scene: Scene, p: int) -> dict[str, Any]:
    """One node: its names, role, data and engine gradient (text and raw), scope and warnings."""
    n = dn.node
    tensor = isinstance(n, Tensor)
    grad = grad_row(n, scene.computed, p)[1] if dn.role != CONSTANT else "constant"
    return {
        "key": dn.key, "id": n.id, "parents": [], "name": dn.name or scene.titles.get(n.id) or dn.role,
        "path": scene.names.get(n.id, ""), "label": n.label or "",
        "op": n.inplace_name or n.op_name or "", "role": dn.role, "tensor": tensor, "scope": dn.scope,
        "shape": shape_text(n.data.shape) if tensor else "", "dtype": str(n.data.dtype) if tensor else "",
        "data": value_text(n.data, p), "dataRaw": raw(n.data),
        "grad": grad, "gradRaw": raw(n.grad) if scene.computed and n.requires_grad else None,
        "requiresGrad": bool(n.requires_grad), "troubles": [f"{t.text} ({t.rule})" for t in dn.troubles],
        "rules": rule_lines(n, scene.titles, p), "rulesHidden": rule_lines(n, scene.titles, p, values=False),
        "words": n.op.words if n.op is not None else "", "scoped": scope_path(dn, scene),
    }


def scope_path(dn: DrawNode, scene: Scene) -> str:
    """The module a node was made in ("layers.0.neurons.1"), or "" outside modules."""
    return scene.scopes[dn.scope].name if dn.scope is not None else ""


def edge_data(e: DrawEdge, p: int) -> dict[str, Any]:
    """One arrow parent -> child with its local derivative."""
    c, i = e.links[0]
    text, local = _local(c, i, p) if len(e.links) == 1 else (f"{len(e.links)} edges", None)
    math = edge_derivative(c, i, p).math if len(e.links) == 1 else ""
    return {"parent": e.parent, "child": e.child, "input": i, "local": text, "localRaw": local, "math": math,
            "tensorRule": len(e.links) == 1 and isinstance(c, Tensor) and local is None,
            "grad": any(differentiable(ch, k) for ch, k in e.links)}


def scope_data(scene: Scene) -> list[dict[str, Any]]:
    """Module calls: index, name, enclosing scope, and for a recurrent time step its step and module path
    (the explorer keeps one module's steps on one line)."""
    return [{"index": s.index, "name": s.name, "parent": s.parent, "step": s.step, "path": s.path}
            for s in scene.scopes]
