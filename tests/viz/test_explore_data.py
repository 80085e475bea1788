"""The explorer's page data, without a browser: steps follow the engine, sums match its gradients."""
from __future__ import annotations

import html
import math
import re

import numpy as np
import pytest

import nn
import viz
from autograd_core import Tensor, Value
from autograd_core.graph.order import reverse_topological_order, topological_order
from explore_graphs import tanh_matmul_loss
from viz.explore.sample import two_path_neuron


def shared_neuron():
    return two_path_neuron()


def by_key(data):
    return {n["key"]: n for n in data["nodes"]}


def key_of(data, label):
    return next(n["key"] for n in data["nodes"] if n["label"] == label)


def test_backward_steps_walk_the_engines_order_and_sum_to_its_grads():
    o, n, _ = shared_neuron()
    data = viz.explore(o).data
    order = reverse_topological_order(o, requires_grad_only=True)
    keys = {node.id: f"n{k}" for k, node in enumerate(topological_order(o))}
    assert [s["key"] for s in data["backward"]] == [keys[node.id] for node in order]
    for step, node in zip(data["backward"], order):
        assert step["gradRaw"] == pytest.approx(node.grad, rel=1e-12)
    # n gets two shares: from the product (tanh(n)) and from tanh ((1 - t^2) * n); their sum is n.grad
    t = math.tanh(n.data)
    shares = [s for step in data["backward"] for s in step["sends"] if s["parent"] == keys[n.id]]
    assert [s["carriedRaw"] for s in shares] == pytest.approx([t, (1 - t * t) * n.data], rel=1e-12)
    assert shares[0]["soFarRaw"] == pytest.approx(t, rel=1e-12)
    assert shares[1]["soFarRaw"] == pytest.approx(n.grad, rel=1e-12)
    fmt = viz.labels.fmt
    assert shares[1]["product"] == f"{fmt(n.data)} × {fmt(1 - t * t)} = {fmt((1 - t * t) * n.data)}"


def test_paths_of_a_leaf_list_products_that_sum_to_the_engine_grad():
    o, n, leaves = shared_neuron()
    data = viz.explore(o).data
    rep = data["paths"][key_of(data, "w1")]
    t = math.tanh(n.data)
    assert rep["count"] == 2
    assert sorted(p["productRaw"] for p in rep["paths"]) == pytest.approx(sorted([2.0 * t, 2.0 * (1 - t * t) * n.data]))
    assert rep["totalRaw"] == pytest.approx(leaves["w1"].grad, rel=1e-12)
    assert rep["engineRaw"] == leaves["w1"].grad


def test_forward_steps_say_how_each_value_was_computed():
    o, _, _ = shared_neuron()
    data = viz.explore(o).data
    texts = [s["text"] for s in data["forward"]]
    assert texts[0] == "x1 = 2 (given)"
    assert "o = n×tanh(n) = 0.8814×0.7071 = " + viz.labels.fmt(o.data) in texts


def test_hover_rules_state_each_local_derivative():
    o, n, _ = shared_neuron()
    data = viz.explore(o).data
    tanh = next(x for x in data["nodes"] if x["op"] == "tanh")
    assert tanh["rules"][0] == f"tanh: d out / d n = 1 − out² = {viz.labels.fmt(1 - math.tanh(n.data) ** 2)}"
    assert tanh["rules"][1].startswith("tanh'(x) = 1 − tanh²(x)")  # the op's rule in words


def test_tensor_graph_steps_match_engine_grads():
    loss, w = tanh_matmul_loss(0)
    data = viz.explore(loss).data
    for step, node in zip(data["backward"], reverse_topological_order(loss, requires_grad_only=True)):
        np.testing.assert_allclose(step["gradRaw"], node.grad, rtol=1e-12)
    rep = data["paths"][key_of(data, "W")]
    assert rep["count"] == 2 and rep["totalRaw"] is None
    np.testing.assert_allclose(rep["engineRaw"], w.grad, rtol=1e-12)
    assert by_key(data)[key_of(data, "W")]["shape"] == "(3, 2)"


def test_before_backward_the_stepper_shows_what_backward_would_compute():
    x = Value(3.0, label="x")
    y = x * x
    data = viz.explore(y).data
    assert data["computed"] is False
    assert data["backward"][-1]["gradRaw"] == 6.0 and x.grad == 0.0


def test_page_is_self_contained(tmp_path):
    o, _, _ = shared_neuron()
    path = viz.save(o, tmp_path / "graph.html")
    page = path.read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert set(re.findall(r"https?://[^\s\"')]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "const GRAPH = " in page and "</script>" in page
    inline = viz.explore(o)._repr_html_()
    srcdoc = re.search(r'srcdoc="([^"]*)"', inline).group(1)
    assert html.unescape(srcdoc) == viz.explore(o).html  # the same page, escaped once into the iframe


def test_modules_give_scopes_and_collapse_folds_them():
    model = nn.MLP(2, [3, 1], seed=0)
    loss = (model(Tensor(np.ones((2, 2)))) ** 2).mean()
    loss.backward()
    data = viz.explore(loss, params=model, collapse=True).data
    names = [data["scopes"][i]["name"] for i in data["folded"]]
    assert names == ["layers.0", "layers.1"]
    w0 = next(n for n in data["nodes"] if n["name"] == "weight" and n["scope"] == data["folded"][0])
    assert w0["shape"] == "(3, 2)"


def test_bad_input_gets_clear_errors(tmp_path):
    x = Value(1.0)
    y = x
    for _ in range(60):
        y = y * 1.0001
    with pytest.raises(viz.GraphTooLargeError, match="more than max_nodes=100"):
        viz.explore(y, max_nodes=100)
    assert len(viz.explore(y, max_nodes=None).data["nodes"]) == 121
    with pytest.raises(TypeError, match="Value or Tensor"):
        viz.explore(3.0)
    with pytest.raises(ValueError, match="rankdir"):
        viz.explore(x * 2, rankdir="XY")
    with pytest.raises(ValueError, match=r"end the file name in \.html"):
        viz.explore(x * 2).save(tmp_path / "graph.svgz")
    with pytest.raises(TypeError, match="needs a Value or Tensor"):
        viz.save(viz.draw_graph(x * 2), tmp_path / "g.html")
    with pytest.raises(TypeError, match=r"an \.html explorer takes .* not \['view'\]"):
        viz.save(x * 2, tmp_path / "g.html", view="backward")
    with pytest.raises(ValueError, match="collapse=True needs module scopes"):
        viz.explore(x * 2, collapse=True)
    assert not list(tmp_path.iterdir())


def test_auto_folds_the_finest_level_that_fits():
    from nn.scalar import MLP

    model = MLP(2, [4, 4, 1], seed=0)
    out = model([Value(0.5, label="x0"), Value(-1.0, label="x1")])
    loss = (out - 1.0) ** 2
    loss.backward()
    everything = viz.explore(loss, params=model, max_nodes=None).data
    assert everything["folded"] == []                      # fits: nothing folded
    fitted = viz.explore(loss, params=model, max_nodes=40).data
    names = {fitted["scopes"][i]["name"] for i in fitted["folded"]}
    shown = len(everything["nodes"]) - sum(1 for n in fitted["nodes"] if n["scope"] is not None and any(
        a in fitted["folded"] for a in _ancestors(n["scope"], fitted["scopes"]))) + len(fitted["folded"])
    assert names and shown <= 40
    with pytest.raises(viz.GraphTooLargeError):
        viz.explore(loss, params=model, max_nodes=3)


def _ancestors(s, scopes):
    out = []
    while s is not None:
        out.append(s)
        s = scopes[s]["parent"]
    return out
