"""viz on Value graphs: the SVG's nodes, edges, numbers and views checked against the engine."""
from __future__ import annotations

import math

import pytest

from autograd_core import Value, gradients, topological_order
import viz
from viz.edges import carried_gradient, local_derivative
from viz.labels import fmt
from viz_svg_tools import parse, row


def neuron():
    """micrograd's neuron: o = tanh(x1 w1 + x2 w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b)


def keys(root):
    """Node key by node id, as viz names them: n<rank in topological order>."""
    return {n.id: f"n{k}" for k, n in enumerate(topological_order(root))}


def test_node_and_edge_counts_equal_the_graph():
    o, _ = neuron()
    order = topological_order(o)
    for view in viz.VIEWS:
        pic = parse(viz.to_svg(o, view=view))
        assert len(pic.nodes) == len(order) == 10
        assert len(pic.edges) == sum(len(n.parents) for n in order) == 9


def test_nodes_show_data_and_grad_from_the_engine():
    o, leaves = neuron()
    o.backward()
    pic = parse(viz.to_svg(o))
    k = keys(o)
    for n in topological_order(o):
        texts = pic.nodes[k[n.id]].texts
        assert f"data {fmt(n.data)}" in texts
        assert f"grad {fmt(n.grad)}" in texts
    assert "data 0.7071" in pic.nodes[k[o.id]].texts and "grad 1" in pic.nodes[k[o.id]].texts
    assert "grad -1.5" in pic.nodes[k[leaves["x1"].id]].texts      # w1 * (1 - o^2) = -3 * 0.5
    assert pic.nodes[k[leaves["w1"].id]].texts[0] == "w1"          # the label is the title


def test_before_backward_every_gradient_says_not_computed():
    o, _ = neuron()
    pic = parse(viz.to_svg(o, view="backward"))
    for d in pic.nodes.values():
        assert "grad: not computed" in d.texts
        assert not row(d, "grad ")
    assert not any("×" in t for e in pic.edges for t in e.texts)  # no carried gradients yet
    o.backward()
    pic = parse(viz.to_svg(o, view="backward"))
    assert not any("grad: not computed" in d.texts for d in pic.nodes.values())


def test_detection_can_be_overridden():
    o, _ = neuron()
    pic = parse(viz.to_svg(o, view="backward", grads=True))
    assert all("grad 0" in d.texts for d in pic.nodes.values())


def test_edge_local_derivatives_equal_the_engines_partial_derivatives():
    """For each child c and parent p, the ∂ on the edges c <- p add up to dc/dp from the engine."""
    o, _ = neuron()
    o.backward(retain_graph=True)
    pic = parse(viz.to_svg(o, view="backward"))
    k = keys(o)
    for c in topological_order(o):
        for p in set(c.parents):
            edges = pic.edges_between(k[c.id], k[p.id])
            assert len(edges) == c.parents.count(p)
            (engine,) = gradients(c, [p], retain_graph=True)
            shown = [float(t[2:]) for e in edges for t in row(e, "∂ ")]
            assert sum(shown) == pytest.approx(engine, rel=1e-3, abs=1e-9)


def test_x_times_w_edge_carries_w_and_grads_are_sums_of_carried():
    x, w = Value(3.0, label="x"), Value(-2.0, label="w")
    y = x * w + x.exp()
    y.backward()
    mul = y.parents[0]
    assert local_derivative(mul, 0) == w.data and local_derivative(mul, 1) == x.data
    for node in (x, w):
        carried = [carried_gradient(c, i) for c in topological_order(y)
                   for i, p in enumerate(c.parents) if p is node]
        assert sum(carried) == pytest.approx(node.grad, rel=1e-12)
    pic = parse(viz.to_svg(y, view="backward"))
    k = keys(y)
    (e,) = pic.edges_between(k[mul.id], k[x.id])
    assert e.texts == ["∂ -2", "1 × -2 = -2"]


def test_x_times_x_draws_two_edges_each_with_local_x():
    x = Value(3.0, label="x")
    y = x * x
    y.backward()
    pic = parse(viz.to_svg(y, view="backward"))
    edges = pic.edges_between("n1", "n0")
    assert len(edges) == 2
    assert all(e.texts == ["∂ 3", "1 × 3 = 3"] for e in edges)
    assert "grad 6" in pic.nodes["n0"].texts


def test_forward_backward_and_both_views_differ_as_specified():
    o, _ = neuron()
    o.backward()
    fwd, bwd, both = (parse(viz.to_svg(o, view=v)) for v in ("forward", "backward", "both"))
    rank = lambda key: int(key[1:])  # noqa: E731
    for e in fwd.edges + both.edges:
        tail, head = fwd.edge_ends(e)
        assert rank(tail) < rank(head)                       # parent -> child: towards the output
    for e in bwd.edges:
        tail, head = bwd.edge_ends(e)
        assert rank(tail) > rank(head)                       # child -> parent: back to the inputs
    assert not any(row(d, "grad") for d in fwd.nodes.values())
    assert not any(row(e, "∂") for e in fwd.edges)
    assert all(row(e, "∂") and not row(e, "data") for e in bwd.edges)
    assert all(row(e, "∂") and row(e, "data") for e in both.edges)
    assert all(row(d, "grad ") for d in both.nodes.values())
    # forward edges carry the parent's value
    k = keys(o)
    add = o.parents[0]
    (e,) = fwd.edges_between(k[add.id], k[o.id])
    assert e.texts == [fmt(add.data)]


def test_notes_worked_example_sigmoid_of_point_six():
    """Weights (0.1, 0.2, 0.3) on input (1, 1): y = sigmoid(0.1 + 0.2 + 0.3) = sigmoid(0.6)."""
    t0, t1, t2 = Value(0.1, label="θ0"), Value(0.2, label="θ1"), Value(0.3, label="θ2")
    x1, x2 = Value(1.0, label="x1", requires_grad=False), Value(1.0, label="x2", requires_grad=False)
    y = (t0 + t1 * x1 + t2 * x2).sigmoid()
    y.backward()
    s = 1 / (1 + math.exp(-0.6))
    pic = parse(viz.to_svg(y, params={"θ0": t0, "θ1": t1, "θ2": t2}))
    k = keys(y)
    assert f"data {fmt(s)}" in pic.nodes[k[y.id]].texts == pic.nodes[k[y.id]].texts
    assert fmt(s) == "0.6457" and fmt(s * (1 - s)) == "0.2288"
    for t in (t0, t1, t2):
        assert f"grad {fmt(s * (1 - s))}" in pic.nodes[k[t.id]].texts
        assert "role-parameter" in pic.nodes[k[t.id]].classes
    assert "requires_grad=False" in pic.nodes[k[x1.id]].texts
    (e,) = pic.edges_between(k[x1.id], k[y.parents[0].parents[0].parents[1].id])
    assert row(e, "no grad") and "nograd" in e.classes


def test_same_program_renders_byte_identical_svg():
    def program():
        o, _ = neuron()
        o.backward()
        return viz.to_svg(o, highlight=o.parents[0].parents[1])
    assert program() == program()


def test_highlight_lists_paths_whose_products_sum_to_the_gradient():
    a = Value(1.5, label="a")
    b = a * a          # two edges a -> b
    c = b.tanh() + a   # a third path a -> c
    d = c * b          # b reaches d directly and through c
    d.backward()
    rep = viz.path_report(d, a, topological_order(d))
    assert rep.count == 5            # a->b->d (x2), a->b->tanh->c->d (x2), a->c->d
    assert len(rep.paths) == 5
    for path in rep.paths:
        assert path.nodes[0] is a and path.nodes[-1] is d
        assert path.product == pytest.approx(math.prod(path.factors))
    assert sum(p.product for p in rep.paths) == pytest.approx(a.grad, rel=1e-12)
    assert rep.total == pytest.approx(a.grad, rel=1e-12)
    pic = parse(viz.to_svg(d, highlight=a))
    assert sum("highlight" in e.classes for e in pic.edges) == len(rep.edges) == 7
    assert any(f"= {fmt(a.grad)} (engine: grad {fmt(a.grad)})" in t for t in pic.caption)


def test_highlight_of_a_node_outside_the_graph_raises():
    o, _ = neuron()
    with pytest.raises(ValueError, match="not in the graph"):
        viz.draw_graph(o, highlight=Value(1.0))


def test_constants_and_bad_arguments():
    x = Value(2.0, label="x")
    y = x * 2
    pic = parse(viz.to_svg(y, view="backward"))
    assert "role-constant" in pic.nodes["n1"].classes
    with pytest.raises(ValueError, match="view must be one of"):
        viz.draw_graph(y, view="sideways")
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw_graph(y, rankdir="XY")
    with pytest.raises(TypeError, match="expected a Value or Tensor"):
        viz.draw_graph(3.0)
