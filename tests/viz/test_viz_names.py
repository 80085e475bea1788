"""viz.names: a node is called by its parameter name, label, module path, or the expression that made it."""
from __future__ import annotations

import nn
import viz
from autograd_core import Value
from viz.names import LIMIT, shorten


def titles_by_op(root, **options):
    scene = viz.build_scene(root, collapse="none", max_nodes=None, **options)
    return scene, [scene.titles[dn.node.id] for dn in scene.nodes]


def test_intermediate_nodes_are_named_by_their_expressions():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(0.5, label="b")
    a = x1 * w1 + x2 * w2
    out = (a + b).tanh() * (x1 - w1) ** 2 / -x2.exp()
    _, titles = titles_by_op(out)
    for want in ("x1×w1", "x2×w2", "x1×w1 + x2×w2", "x1×w1 + x2×w2 + b", "tanh(x1×w1 + x2×w2 + b)",
                 "x1 − w1", "(x1 − w1)**2", "exp(x2)", "−exp(x2)"):
        assert want in titles, (want, titles)
    assert all(len(t) <= LIMIT for t in titles)
    assert titles[-1].endswith("…")                        # the whole expression is longer than LIMIT


def test_labels_win_and_constants_show_their_value():
    x = Value(3.0, label="x")
    n = x * 2.0 + 1.0
    n.label = "n"
    y = n.tanh()
    _, titles = titles_by_op(y)
    assert "x×2" in titles and "n" in titles and "tanh(n)" in titles and "2" in titles
    assert "x×2 + 1" not in titles                          # n has a label: it is called n


def test_a_modules_result_is_called_by_its_module_path():
    model = nn.scalar.MLP(2, [2, 1], seed=0)
    loss = (model([1.0, -1.0]) - 1.0) ** 2
    scene, titles = titles_by_op(loss, params=model)
    assert "layers.1.neurons.0" in titles                   # the last neuron's output
    assert titles[-1] == "(MLP − 1)**2"                       # seen from outside: the model's result
    inner = [t for t in titles if t.startswith("b + w.0×")]
    assert inner                                              # inside a neuron: its own short names


def test_shorten():
    assert shorten("abc", 5) == "abc" and shorten("abcdefgh", 5) == "abcd…"
    assert len(shorten("x" * 100)) == LIMIT
