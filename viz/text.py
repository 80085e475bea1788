"""What each box and arrow says, per view, as rows of (kind, text) for labels.html_rows.

Node: title (parameter name, label or op), op or role, shape and dtype for a Tensor, `data ...`,
and in the backward/both views `grad ...` ("grad: not computed" before backward), then warnings.
Edge: forward view the value flowing (a Tensor's shape); backward view `∂ <local derivative>` and
`<upstream grad> × <local> = <carried grad>` (a Tensor edge: `∂ <rule>` or its diagonal, `g <carried>`).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Node, Tensor

from .edges import as_data, carried_gradient, differentiable, edge_derivative, local_derivative
from .labels import fmt, shape_text, span, summary
from .roles import CONSTANT
from .scene import DrawEdge, DrawNode, Scene

Rows = list[tuple[str, str]]


def value_text(x: Any, p: int) -> str:
    """A scalar as a number, an array as its summary."""
    return fmt(x, p) if np.ndim(x) == 0 and not isinstance(x, np.ndarray) else summary(x, p)


def display_name(n: Node, names: dict[int, str]) -> str:
    """How a node is called in text: parameter name, label, op name, or "leaf"."""
    return names.get(n.id) or n.label or n.op_name or "leaf"


def grad_row(n: Node, computed: bool, p: int) -> tuple[str, str]:
    """The node's gradient, or why there is none."""
    if not n.requires_grad:
        return ("small", "requires_grad=False")
    if not computed:
        return ("note", "grad: not computed")
    g = as_data(n.grad)
    if g is None:
        return ("note", "grad: none reached")
    return ("", "grad " + value_text(g, p))


def _tensor_row(n: Node) -> list[tuple[str, str]]:
    if isinstance(n, Tensor):
        return [("small", f"{shape_text(n.data.shape)} {n.data.dtype}")]
    return []


def node_rows(dn: DrawNode, scene: Scene, p: int) -> Rows:
    """Rows for one box."""
    if dn.group is not None:
        return _group_rows(dn, scene, p)
    n = dn.node
    kind = (n.inplace_name or n.op.display) if n.op is not None else dn.role
    rows: Rows = [("title", dn.name or kind)]
    if dn.name:
        rows.append(("small", kind))
    rows += _tensor_row(n)
    show = value_text if scene.level == "none" else _short_value    # collapsed pictures stay narrow
    rows.append(("", "data " + show(n.data, p)))
    if scene.view != "forward" and dn.role != CONSTANT:
        g = as_data(n.grad)
        rows.append(("", "grad " + show(g, p)) if scene.computed and n.requires_grad and g is not None
                    else grad_row(n, scene.computed, p))
    rows += [("trouble", t.text) for t in dn.troubles]
    if dn.cut:
        rows.append(("note", f"… {dn.cut} link{'s' if dn.cut > 1 else ''} not drawn"))
    return rows


def _group_outputs(dn: DrawNode, scene: Scene) -> list[Node]:
    """Members of a collapsed module used outside it (or the root), in graph order."""
    used = {c.parents[i].id for e in scene.edges if e.parent == dn.key for c, i in e.links}
    return [m for m in dn.members if m.id in used or m is scene.root]


def _outputs_rows(outs: list[Node], scene: Scene, p: int) -> Rows:
    """A collapsed module's result: one output's data and grad; for several scalar outputs (a
    neuron called once per sample) the values listed per call; else how many outputs."""
    if len(outs) == 1:
        one = _tensor_row(outs[0]) + [("", "out " + _short_value(outs[0].data, p))]
        if scene.view != "forward":
            g = as_data(outs[0].grad)
            one.append(grad_row(outs[0], scene.computed, p) if g is None or not scene.computed
                       else ("", "grad " + _short_value(g, p)))
        return one
    if not outs or isinstance(outs[0], Tensor):
        return [("", f"{len(outs)} outputs")]
    p = min(p, 3)
    rows: Rows = [("", "out " + summary([o.data for o in outs], p))]
    if scene.view != "forward":
        if not scene.computed:
            rows.append(("note", "grad: not computed"))
        else:
            rows.append(("", "grad " + summary([float(as_data(o.grad)) for o in outs], p)))
    return rows


def _short_value(x: Any, p: int) -> str:
    """A collapsed box's number: a scalar, or an array's entries or range (no mean: boxes stay narrow)."""
    return fmt(x, p) if np.ndim(x) == 0 and not isinstance(x, np.ndarray) else span(x, p)


def _group_rows(dn: DrawNode, scene: Scene, p: int) -> Rows:
    """A collapsed module: its name, size, parameters, and its output's data and grad."""
    assert dn.group is not None
    prefix = dn.group.path + "."
    pnames = [scene.names[m.id] for m in dn.members if m.id in scene.names]
    short = [nm[len(prefix):] if nm.startswith(prefix) else nm for nm in pnames]
    size = f"{len(dn.members)} node{'s' if len(dn.members) != 1 else ''}"
    if short:
        size += f", {len(short)} params" if len(short) > 4 else ", params " + ", ".join(short)
    rows: Rows = [("title", dn.name or dn.group.name), ("small", size)]
    rows += _outputs_rows(_group_outputs(dn, scene), scene, p)
    rows += [("trouble", t.text) for t in dn.troubles]
    if dn.cut:
        rows.append(("note", f"… {dn.cut} links not drawn"))
    return rows


def backward_rows(c: Node, i: int, computed: bool, p: int) -> Rows:
    """Local derivative of child c w.r.t. its input i, and (after backward) the gradient carried."""
    if not differentiable(c, i):
        return [("small", "no grad")]
    rows = [("", edge_derivative(c, i, p).text)]
    carried = carried_gradient(c, i) if computed else None
    if carried is None:
        return rows
    if isinstance(c, Tensor):
        return rows + [("", "g " + span(carried, p))]
    g = float(as_data(c.grad))
    return rows + [("", f"{fmt(g, p)} × {fmt(local_derivative(c, i), p)} = {fmt(carried, p)}")]


def edge_rows(e: DrawEdge, scene: Scene, p: int) -> Rows:
    """Rows for one arrow, per view; an arrow standing for several edges says how many."""
    if len(e.links) > 1:
        return [("small", f"{len(e.links)} edges")]
    c, i = e.links[0]
    parent = c.parents[i]
    rows: Rows = []
    if scene.view != "backward":
        flow = shape_text(parent.data.shape) if isinstance(parent, Tensor) else fmt(parent.data, p)
        rows.append(("", flow if scene.view == "forward" else "data " + flow))
    if scene.view != "forward":
        rows += backward_rows(c, i, scene.computed, p)
    return rows


def path_lines(scene: Scene, p: int) -> list[str]:
    """The caption for highlight=: each listed path with its product of rate factors, and their sum."""
    rep = scene.paths
    if rep is None:
        return []
    src, out = display_name(rep.source, scene.titles), display_name(rep.root, scene.titles)
    lines = [f"paths from {src} to {out}: {rep.count} (the rate factor of a path = product of its ∂; "
             f"∂{out}/∂{src} = sum over paths)"]
    for path in rep.paths:
        names = [display_name(n, scene.titles) for n in path.nodes]
        if len(names) > 10:
            names = names[:4] + ["…"] + names[-4:]
        line = " → ".join(names)
        if path.factors is not None:
            factors = [fmt(f, p) for f in path.factors]
            if len(factors) > 10:
                factors = factors[:4] + ["…"] + factors[-4:]
            line += ": " + " × ".join(factors) + " = " + fmt(path.product, p)
        lines.append(line)
    if rep.count > len(rep.paths):
        lines.append(f"… and {rep.count - len(rep.paths)} more paths")
    return lines + _total_line(scene, src, out, p)


def _total_line(scene: Scene, src: str, out: str, p: int) -> list[str]:
    rep = scene.paths
    assert rep is not None
    engine = ""
    if scene.computed and rep.source.requires_grad and as_data(rep.source.grad) is not None:
        engine = f" (engine: grad {value_text(as_data(rep.source.grad), p)})"
    if rep.total is None:
        return [f"each factor is a Jacobian; the sum over paths is ∂{out}/∂{src}{engine}"]
    over = "the only path" if rep.count == 1 else f"all {rep.count} paths"
    return [f"sum over {over}: ∂{out}/∂{src} = {fmt(rep.total, p)}{engine}"]


def key_lines(scene: Scene) -> list[str]:
    """One line saying how to read the arrows in this view."""
    if scene.view == "forward":
        return ["arrows: data flowing from the inputs to the output (a Tensor arrow shows the shape)"]
    tail = ("; after backward: upstream grad × ∂ = grad carried to the input" if scene.computed
            else "; gradients are not computed yet (call backward())")
    head = ("arrows: data flowing forward; ∂ = local derivative d(node using it)/d(input)" if scene.view == "both"
            else "arrows: gradients flowing back from the output; ∂ = local derivative d(node using it)/d(input)")
    tensor = isinstance(scene.root, Tensor)
    return [head + tail] + (["a Tensor arrow \"carries g·Bᵀ\" names the vector-Jacobian product it carries back "
                             "(g: the upstream gradient); \"∂ ⊙\" lists an elementwise op's diagonal"] if tensor else [])
