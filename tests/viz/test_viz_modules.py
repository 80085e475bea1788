"""Module structure in the picture: parameter names, clusters per module call, collapsing, big graphs."""
from __future__ import annotations

import numpy as np
import pytest

from autograd_core import Tensor, Value, topological_order
from autograd_core.graph.grad_mode import recording_scope
import nn
import viz
from viz_svg_tools import parse


class Part:
    """A stand-in for a submodule: anything can own a recording scope."""


class FakeModel:
    """Duck-typed params: two 'layers' computing a*w0 and (.)*w1 in scopes opened by hand."""

    def __init__(self) -> None:
        self.w0, self.w1 = Value(2.0, label="w"), Value(-1.5, label="w")
        self.l0, self.l1 = Part(), Part()

    def named_parameters(self):
        return [("l0.w", self.w0), ("l1.w", self.w1)]

    def named_modules(self):
        return [("", self), ("l0", self.l0), ("l1", self.l1)]

    def __call__(self, x: Value) -> Value:
        with recording_scope(self):
            with recording_scope(self.l0):
                h = (x * self.w0).tanh()
            with recording_scope(self.l1):
                return h * self.w1 + 1.0


def keys(root):
    return {n.id: f"n{k}" for k, n in enumerate(topological_order(root))}


def test_clusters_from_a_duck_typed_params_object():
    model = FakeModel()
    x = Value(0.5, label="x")
    y = model(x)
    y.backward()
    pic = parse(viz.to_svg(y, params=model))
    assert set(pic.clusters) == {"FakeModel", "l0", "l1"}
    k = keys(y)
    mul0, tanh = y.parents[0].parents[0].parents[0], y.parents[0].parents[0]
    for node, box in ((model.w0, "l0"), (mul0, "l0"), (tanh, "l0"), (model.w1, "l1"), (y, "l1")):
        assert pic.inside(k[node.id], box) and pic.inside(k[node.id], "FakeModel")
    assert not pic.inside(k[mul0.id], "l1")
    assert not pic.inside(k[x.id], "FakeModel")                # the input was made before the call
    assert pic.nodes[k[model.w0.id]].texts[:2] == ["w", "parameter"]   # "l0.w" shown inside l0


def test_real_mlp_clusters_match_the_module_tree():
    model = nn.MLP(3, [4, 2], seed=0)
    x = Tensor(np.random.default_rng(0).normal(size=(5, 3)))
    loss = (model(x) ** 2).mean()
    loss.backward()
    pic = parse(viz.to_svg(loss, params=model))
    assert set(pic.clusters) == {"MLP", "layers.0", "layers.1"}
    k = keys(loss)
    for name, p in model.named_parameters():
        layer = name.rsplit(".", 1)[0]
        key = k[p.id]
        assert pic.inside(key, layer) and pic.inside(key, "MLP")
        assert "role-parameter" in pic.nodes[key].classes
        assert pic.nodes[key].texts[0] == name.rsplit(".", 1)[1]
    assert not pic.inside(k[loss.id], "MLP")


def test_collapse_draws_each_layer_as_one_node():
    model = nn.MLP(3, [4, 2], seed=0)
    x = Tensor(np.ones((2, 3)))
    loss = model(x).sum()
    loss.backward()
    pic = parse(viz.to_svg(loss, params=model, collapse=True))
    modules = {d.texts[0]: d for d in pic.nodes.values() if "role-module" in d.classes}
    assert set(modules) == {"layers.0", "layers.1"}
    assert "3 nodes, params weight, bias" in modules["layers.0"].texts
    assert len(pic.nodes) == 5                    # x, layers.0, relu, layers.1, sum
    assert len(pic.edges) == 4
    only_first = parse(viz.to_svg(loss, params=model, collapse=["layers.0"]))
    assert [d.texts[0] for d in only_first.nodes.values() if "role-module" in d.classes] == ["layers.0"]
    with pytest.raises(ValueError, match=r"collapse paths \[.nope.\] match no module in the graph"):
        viz.draw_graph(loss, params=model, collapse=["nope"])
    with pytest.raises(ValueError, match="collapse='layer' needs module scopes"):
        viz.draw_graph(loss, collapse=True)


def test_rnn_time_steps_are_clusters_sharing_the_cells_parameters():
    rnn = nn.RNN(2, 3, seed=0)
    out, _ = rnn(Tensor(np.random.default_rng(1).normal(size=(3, 2))))
    loss = out.sum()
    loss.backward()
    pic = parse(viz.to_svg(loss, params=rnn))
    assert set(pic.clusters) == {"RNN", "cell[t=0]", "cell[t=1]", "cell[t=2]"}
    k = keys(loss)
    for _, p in rnn.named_parameters():
        assert pic.inside(k[p.id], "RNN")
        assert not any(pic.inside(k[p.id], f"cell[t={t}]") for t in range(3))
    steps = parse(viz.to_svg(loss, params=rnn, collapse=["cell"]))
    assert sorted(d.texts[0] for d in steps.nodes.values() if "role-module" in d.classes) == \
        ["cell[t=0]", "cell[t=1]", "cell[t=2]"]


def scalar_mlp_loss(sizes=(16, 16, 1)):
    model = nn.scalar.MLP(16, list(sizes), seed=0)
    x = [Value(float(v), requires_grad=False) for v in np.linspace(-1, 1, 16)]
    loss = (model(x) - 1.0) ** 2
    return model, loss


def test_max_nodes_guard_says_how_many_and_what_to_do():
    model, loss = scalar_mlp_loss()
    n = len(topological_order(loss))
    assert n > 700
    with pytest.raises(viz.GraphTooLargeError, match=f"has {n} nodes to draw, more than max_nodes=500") as info:
        viz.draw_graph(loss, collapse="none")
    msg = str(info.value)
    assert "params=model" in msg and "around=node" in msg and f"max_nodes={n}" in msg and "Tensor" in msg
    assert isinstance(info.value, ValueError)
    small = viz.build_scene(loss, params=model, collapse=True)
    assert sorted(d.name for d in small.nodes if d.group) == ["layers.0", "layers.1", "layers.2"]
    assert len(viz.build_scene(loss, max_nodes=None).nodes) == n


def test_around_draws_only_the_neighbourhood():
    model, loss = scalar_mlp_loss((4, 1))
    w = model.layers[0].neurons[0].w[0]
    scene = viz.build_scene(loss, around=w, depth=2)
    order = topological_order(loss)
    mul = next(c for c in order if w in c.parents)
    add = next(c for c in order if mul in c.parents)
    drawn = {m.id for d in scene.nodes for m in d.members}
    assert drawn == {w.id, mul.id, mul.parents[1].id, add.id}   # add's other input is 3 edges away
    pic = parse(viz.to_svg(loss, around=w, depth=2))
    assert len(pic.nodes) == len(drawn)
    assert any("cut" in d.classes and any("not drawn" in t for t in d.texts) for d in pic.nodes.values())
    assert viz.build_scene(loss, around=w, depth=0).nodes[0].members == [w]


def test_same_model_program_renders_byte_identical_svg_with_clusters():
    def program():
        model = nn.MLP(3, [4, 2], seed=0)
        loss = (model(Tensor(np.ones((2, 3)))) ** 2).sum()
        loss.backward()
        return viz.to_svg(loss, params=model, highlight=model.layers[0].weight)
    first, second = program(), program()
    assert first == second and "cluster_1" in first


def test_a_very_big_graph_moves_edge_text_into_tooltips():
    model, loss = scalar_mlp_loss((32, 16, 1))
    loss.backward()
    source = viz.draw_graph(loss, max_nodes=None).source
    edges = [line for line in source.splitlines() if "->" in line]
    assert len(edges) > 1000
    assert all("tooltip=" in line and "label=" not in line for line in edges)
    assert "edge labels are in tooltips" in source and "nslimit=" in source
    forced = viz.draw_graph(loss, max_nodes=None, edge_labels=True).source
    assert all("label=<" in line for line in forced.splitlines() if "->" in line)
