"""viz on Tensor graphs: shapes and summaries, Jacobian edges, carried gradients, trouble markers."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor, Value, topological_order
import viz
from viz.edges import carried_gradient, local_derivative
from viz.labels import fmt, summary
from viz_svg_tools import parse


def two_layer(seed: int = 0):
    """loss = mean((relu(x W1 + b1) W2 + b2)^2) on a (4, 3) batch."""
    rng = np.random.default_rng(seed)
    x = Tensor(rng.normal(size=(4, 3)))
    w1 = Tensor(rng.normal(size=(3, 5)), requires_grad=True, label="W1")
    b1 = Tensor(rng.normal(size=(5,)), requires_grad=True, label="b1")
    w2 = Tensor(rng.normal(size=(5, 2)), requires_grad=True, label="W2")
    b2 = Tensor(np.zeros(2), requires_grad=True, label="b2")
    h = (x @ w1 + b1).relu()
    loss = ((h @ w2 + b2) ** 2).mean()
    return loss, dict(x=x, w1=w1, b1=b1, w2=w2, b2=b2, h=h)


def keys(root):
    return {n.id: f"n{k}" for k, n in enumerate(topological_order(root))}


def test_tensor_nodes_show_shape_dtype_and_short_summaries():
    loss, t = two_layer()
    loss.backward()
    order = topological_order(loss)
    pic = parse(viz.to_svg(loss))
    assert len(pic.nodes) == len(order)
    assert len(pic.edges) == sum(len(n.parents) for n in order)
    k = keys(loss)
    w1 = pic.nodes[k[t["w1"].id]].texts
    assert "(3, 5) float64" in w1
    assert f"data {summary(t['w1'].data)}" in w1 and f"grad {summary(t['w1'].grad)}" in w1
    d = t["w1"].data
    assert summary(d) == f"{fmt(d.min())} … {fmt(d.max())}, mean {fmt(d.mean())}"
    assert f"data [{fmt(t['b2'].data[0])}, {fmt(t['b2'].data[1])}]" in pic.nodes[k[t["b2"].id]].texts
    assert f"grad {fmt(loss.grad)}" in pic.nodes[k[loss.id]].texts


def test_a_big_tensor_never_becomes_a_huge_label():
    x = Tensor(np.arange(10_000.0).reshape(100, 100), requires_grad=True, label="big")
    y = (x * 2).sum()
    pic = parse(viz.to_svg(y))
    texts = pic.nodes["n0"].texts
    assert "data 0 … 9999, mean 4999.5" not in texts  # mean has 4 significant digits
    assert "data 0 … 9999, mean 5000" in texts
    assert max(len(t) for d in pic.nodes.values() for t in d.texts) < 80


def test_carried_gradients_sum_back_to_each_grad_through_broadcasting():
    loss, t = two_layer()
    loss.backward()
    order = topological_order(loss)
    for node in order:
        if not node.requires_grad:
            continue
        carried = [carried_gradient(c, i) for c in order for i, p in enumerate(c.parents) if p is node]
        if node is loss:
            continue
        assert all(g.shape == node.data.shape for g in carried)           # b1's (4,5) summed to (5,)
        np.testing.assert_allclose(sum(carried), node.grad, rtol=1e-12)


def test_tensor_edge_labels_name_the_rule_or_give_the_diagonal():
    loss, t = two_layer()
    loss.backward()
    k = keys(loss)
    pic = parse(viz.to_svg(loss, view="backward"))
    matmul = t["h"].parents[0].parents[0]
    (e,) = pic.edges_between(k[matmul.id], k[t["w1"].id])
    assert e.texts[0] == "carries Aᵀ·g"
    relu = t["h"]
    diag = local_derivative(relu, 0)
    np.testing.assert_array_equal(diag, (relu.parents[0].data > 0).astype(float))
    (e,) = pic.edges_between(k[relu.id], k[relu.parents[0].id])
    assert e.texts[0] == "∂ ⊙ [0 … 1]"
    assert e.texts[1].startswith("g [")


def test_tensor_graph_before_backward_says_not_computed():
    loss, t = two_layer()
    pic = parse(viz.to_svg(loss, view="backward"))
    k = keys(loss)
    assert "grad: not computed" in pic.nodes[k[t["w1"].id]].texts
    assert "requires_grad=False" in pic.nodes[k[t["x"].id]].texts


def test_trouble_nan_dead_relu_saturated_sigmoid_and_vanishing_gradient():
    x = Tensor([[-1.0, 2.0], [-3.0, 4.0]], requires_grad=True, label="x")
    r = x.relu()                                        # unit 0 is dead for the whole batch
    s = Tensor([[20.0, -30.0], [25.0, -20.0]], requires_grad=True, label="z").sigmoid()   # saturated both ways
    v = Value(20.0, label="v")
    tiny = v.sigmoid() * 1.0                            # sigmoid'(20) ~ 2e-9: vanishing
    tiny.backward()
    n = Tensor([1.0, np.nan], requires_grad=True, label="n")
    out = r.sum() + s.sum() + n.sum()
    out.backward()
    pic = parse(viz.to_svg(out))
    k = keys(out)
    assert "dead ReLU: 1/2 units" in pic.nodes[k[r.id]].texts
    assert "trouble" in pic.nodes[k[r.id]].classes
    assert "saturated sigmoid: 2/2 units" in pic.nodes[k[s.id]].texts
    assert "NaN in data" in pic.nodes[k[n.id]].texts
    vpic = parse(viz.to_svg(tiny))
    assert "vanishing gradient (|g| < 1e-06)" in vpic.nodes["n0"].texts
    fine = parse(viz.to_svg((Tensor([1.0, 2.0], requires_grad=True).tanh()).sum()))
    assert not any("trouble" in d.classes for d in fine.nodes.values())


def test_zero_gradient_is_trouble_only_for_a_tensor_parameter():
    w = Tensor([1.0, 2.0], requires_grad=True, label="w")
    y = (w * 0.0).sum() + 1.0
    y.backward()
    plain = parse(viz.to_svg(y))
    named = parse(viz.to_svg(y, params={"w": w}))
    assert "zero gradient" not in plain.nodes["n0"].texts
    assert "zero gradient" in named.nodes["n0"].texts
    v = Value(1.0, label="v")                       # one scalar weight, one sample: often 0, not trouble
    z = v * 0.0 + 1.0
    z.backward()
    assert "zero gradient" not in parse(viz.to_svg(z, params={"v": v})).nodes["n0"].texts
