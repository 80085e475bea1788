"""nn.scalar: micrograd's Neuron/Layer/MLP on Values, as Modules; checked against micrograd itself."""
from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd_core import Value, topological_order
from nn.parameter import ScalarParameter


def test_neuron_formula_labels_and_parameters():
    n = nn.scalar.Neuron(3, seed=0)
    assert [p.label for p in n.parameters()] == ["w0", "w1", "w2", "b"]
    assert all(isinstance(p, ScalarParameter) and -1 <= p.data <= 1 for p in n.parameters())
    assert n.b.data == 0.0
    x = [0.5, -1.0, 2.0]
    z = sum(w.data * xi for w, xi in zip(n.w, x))
    assert n(x).data == pytest.approx(max(z, 0.0), abs=1e-15)
    lin = nn.scalar.Neuron(3, nonlin=False, seed=0)
    assert lin(x).data == pytest.approx(z, abs=1e-15)
    assert repr(n) == "ReLUNeuron(3)" and repr(lin) == "LinearNeuron(3)"
    with pytest.raises(ValueError, match="expected 3 inputs, got 2"):
        n([1.0, 2.0])


def test_mlp_structure_and_parameter_count():
    m = nn.scalar.MLP(2, [16, 16, 1], seed=0)
    assert m.num_parameters() == (2 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1 == 337
    names = [n for n, _ in m.named_parameters()]
    assert names[:4] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b",
                         "layers.0.neurons.1.w.0"]
    assert [n.nonlin for layer in m.layers for n in layer.neurons][-2:] == [True, False]
    out = m([1.0, -1.0])
    assert isinstance(out, Value)
    assert len(nn.scalar.Layer(2, 3, seed=0)([1.0, 2.0])) == 3


def test_matches_micrograd_outputs_and_grads():
    micro_nn = pytest.importorskip("micrograd.nn")
    ours = nn.scalar.MLP(3, [4, 4, 1], seed=3)
    theirs = micro_nn.MLP(3, [4, 4, 1])
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        q.data = p.data
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    loss_ours = sum((ours(x) - y) ** 2 for x, y in zip(xs, ys))
    loss_theirs = sum((theirs(x) - y) ** 2 for x, y in zip(xs, ys))
    loss_ours.backward()
    loss_theirs.backward()
    assert loss_ours.data == pytest.approx(loss_theirs.data, rel=1e-12)
    np.testing.assert_allclose([p.grad for p in ours.parameters()], [q.grad for q in theirs.parameters()],
                               rtol=1e-10, atol=1e-12)


def test_training_reduces_loss_and_zero_grad():
    m = nn.scalar.MLP(2, [4, 1], seed=1)
    xs = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    ys = [-1.0, 1.0, 1.0, -1.0]
    losses = []
    for _ in range(60):
        loss = sum((m(x) - y) ** 2 for x, y in zip(xs, ys))
        m.zero_grad()
        loss.backward()
        for p in m.parameters():
            p.data -= 0.05 * p.grad
        losses.append(loss.data)
    assert losses[-1] < 0.5 * losses[0]


def test_scalar_scopes_name_every_neuron():
    m = nn.scalar.MLP(2, [2, 1], seed=0)
    out = m([1.0, 2.0])
    paths = {id(mod): name for name, mod in m.named_modules()}
    seen = []
    for node in topological_order(out):
        if node.scope is not None:
            name = ".".join(paths[id(s.owner)] for s in node.scope.chain()[-1:])
            if name not in seen:
                seen.append(name)
    assert seen == ["layers.0.neurons.0", "layers.0.neurons.1", "layers.1.neurons.0"]
