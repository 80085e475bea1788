"""Layers: Linear, MLP, Sequential, activations, Dropout, Embedding, init; numbers and gradchecks."""
from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd_core import Tensor


def test_linear_formula_and_shapes(rng):
    lin = nn.Linear(3, 2, seed=0)
    assert lin.weight.shape == (2, 3) and lin.bias.shape == (2,)
    x = rng.normal(size=(4, 3))
    np.testing.assert_allclose(lin(x).data, x @ lin.weight.data.T + lin.bias.data, rtol=0, atol=1e-15)
    x3 = rng.normal(size=(2, 5, 3))
    assert lin(x3).shape == (2, 5, 2)
    assert lin(np.ones(3)).shape == (2,)
    nobias = nn.Linear(3, 2, bias=False, seed=0)
    assert nobias.bias is None and [n for n, _ in nobias.named_parameters()] == ["weight"]
    np.testing.assert_allclose(nobias(x).data, x @ nobias.weight.data.T)


def test_linear_default_init_is_pytorch_bound_and_seeded():
    lin = nn.Linear(25, 400, seed=3)
    bound = 1 / math.sqrt(25)
    for p in (lin.weight.data, lin.bias.data):
        assert np.abs(p).max() <= bound and np.abs(p).max() > 0.95 * bound
    assert abs(lin.weight.data.std() - bound / math.sqrt(3)) < 0.01
    np.testing.assert_array_equal(nn.Linear(25, 400, seed=3).weight.data, lin.weight.data)
    assert not np.array_equal(nn.Linear(25, 400, seed=4).weight.data, lin.weight.data)
    g = np.random.default_rng(7)
    a, b = nn.Linear(2, 2, seed=g), nn.Linear(2, 2, seed=g)
    assert not np.array_equal(a.weight.data, b.weight.data)
    nn.init.manual_seed(11)
    c = nn.Linear(2, 2)
    nn.init.manual_seed(11)
    np.testing.assert_array_equal(nn.Linear(2, 2).weight.data, c.weight.data)


def test_init_functions():
    w = nn.Parameter(np.zeros((300, 100)))
    nn.init.xavier_uniform_(w, seed=0)
    assert np.abs(w.data).max() <= math.sqrt(6 / 400)
    nn.init.kaiming_uniform_(w, nonlinearity="relu", seed=0)
    assert np.abs(w.data).max() <= math.sqrt(2) * math.sqrt(3 / 100)
    nn.init.zeros_(w)
    assert not w.data.any()
    nn.init.constant_(w, 2.5)
    assert (w.data == 2.5).all()
    assert nn.init.calculate_gain("tanh") == 5 / 3
    assert nn.init.fan_in_and_fan_out((8, 3, 2, 2)) == (12, 32)
    with pytest.raises(ValueError, match="unknown nonlinearity 'selu'"):
        nn.init.calculate_gain("selu")
    with pytest.raises(TypeError, match="seed"):
        nn.init.get_rng("abc")


def test_linear_gradcheck(rng, check_module):
    assert check_module(nn.Linear(3, 2, seed=0), rng.normal(size=(4, 3)))
    assert check_module(nn.Linear(3, 2, bias=False, seed=0), rng.normal(size=(3,)))


def test_linear_gradient_closed_form(rng):
    lin = nn.Linear(3, 2, seed=0)
    x, g = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    xt = Tensor(x, requires_grad=True)
    lin(xt).backward(g)
    np.testing.assert_allclose(lin.weight.grad, g.T @ x, atol=1e-14)
    np.testing.assert_allclose(lin.bias.grad, g.sum(0), atol=1e-14)
    np.testing.assert_allclose(xt.grad, g @ lin.weight.data, atol=1e-14)


@pytest.mark.parametrize("activation, fn", [("relu", lambda z: np.maximum(z, 0)), ("tanh", np.tanh),
                                            ("sigmoid", lambda z: 1 / (1 + np.exp(-z)))])
def test_mlp_matches_numpy(rng, activation, fn, check_module):
    model = nn.MLP(4, [5, 6, 3], activation=activation, seed=1)
    x = rng.normal(size=(7, 4))
    h = x
    for i, layer in enumerate(model.layers):
        h = h @ layer.weight.data.T + layer.bias.data
        h = fn(h) if i < 2 else h
    np.testing.assert_allclose(model(x).data, h, atol=1e-14)
    assert check_module(nn.MLP(3, [4, 2], activation=activation, seed=2), rng.normal(size=(2, 3)))


def test_mlp_errors_and_seed():
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        nn.MLP(2, [3], activation="gelu")
    a, b = nn.MLP(2, [3, 1], seed=5), nn.MLP(2, [3, 1], seed=5)
    assert all(np.array_equal(p.data, q.data) for p, q in zip(a.parameters(), b.parameters()))


def test_notes_input_gradient_is_delta_times_w1(rng):
    """One hidden layer: dC/dx = delta_2 W_1 where delta_2 = (dC/dh) * relu'(z_1) (rows of the batch)."""
    model = nn.MLP(3, [4, 2], activation="tanh", seed=0)
    x = Tensor(rng.normal(size=(5, 3)), requires_grad=True)
    g = rng.normal(size=(5, 2))
    model(x).backward(g)
    w1, b1 = model.layers[0].weight.data, model.layers[0].bias.data
    w2 = model.layers[1].weight.data
    a1 = np.tanh(x.data @ w1.T + b1)
    delta2 = (g @ w2) * (1 - a1 ** 2)
    np.testing.assert_allclose(x.grad, delta2 @ w1, atol=1e-14)


def test_sequential_indexing_and_forward(rng):
    seq = nn.Sequential(nn.Linear(2, 3, seed=0), nn.Tanh(), nn.Linear(3, 1, seed=1))
    assert len(seq) == 3 and isinstance(seq[1], nn.Tanh) and isinstance(seq[-1], nn.Linear)
    assert len(seq[:2]) == 2 and [type(m).__name__ for m in seq] == ["Linear", "Tanh", "Linear"]
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    x = rng.normal(size=(4, 2))
    np.testing.assert_allclose(seq(x).data, seq[2](seq[1](seq[0](x))).data)
    seq.append(nn.Sigmoid())
    assert len(seq) == 4 and [n for n, _ in seq.named_children()][-1] == "3"
    with pytest.raises(TypeError, match="expected a Module"):
        nn.Sequential(nn.ReLU(), 3)


def test_activation_modules(rng):
    x = rng.normal(size=(3, 4))
    np.testing.assert_allclose(nn.ReLU()(x).data, np.maximum(x, 0))
    np.testing.assert_allclose(nn.Tanh()(x).data, np.tanh(x))
    np.testing.assert_allclose(nn.Sigmoid()(x).data, 1 / (1 + np.exp(-x)))
    np.testing.assert_array_equal(nn.Step()(x).data, (x > 0).astype(float))
    sm = nn.Softmax(dim=0)(x).data
    np.testing.assert_allclose(sm, np.exp(x) / np.exp(x).sum(0, keepdims=True))
    np.testing.assert_allclose(nn.Softmax()(x + 100.0).data.sum(-1), np.ones(3))
    assert nn.Flatten()(np.zeros((2, 3, 4))).shape == (2, 12)
    assert nn.Flatten(0, 1)(np.zeros((2, 3, 4))).shape == (6, 4)
    assert nn.Identity()(x) is x


def test_dropout_train_and_eval(rng):
    x = Tensor(np.ones((200, 50)), requires_grad=True)
    drop = nn.Dropout(0.3, seed=0)
    y = drop(x)
    kept = y.data != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(y.data[kept], 1 / 0.7)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, kept / 0.7)
    np.testing.assert_array_equal(nn.Dropout(0.3, seed=0)(x).data, y.data)
    drop.eval()
    assert drop(x) is x
    assert (nn.Dropout(1.0)(x).data == 0).all()
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\], got 1.5"):
        nn.Dropout(1.5)


def test_embedding_lookup_and_grad():
    emb = nn.Embedding(5, 3, seed=0)
    idx = np.array([[0, 4], [4, 4]])
    out = emb(idx)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out.data[1, 0], emb.weight.data[4])
    out.sum().backward()
    np.testing.assert_array_equal(emb.weight.grad[:, 0], [1, 0, 0, 0, 3])
    assert abs(nn.Embedding(1000, 10, seed=1).weight.data.std() - 1) < 0.05
    with pytest.raises(IndexError, match=r"\[0, 5\), got min 0 and max 5"):
        emb(np.array([0, 5]))
    with pytest.raises(TypeError, match="integers"):
        emb(np.array(["a"]))
