"""Recurrent cells and sequence modules: numpy references of the formulas, gradchecks, shapes, keys."""
from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd_core import Tensor


def sig(z):
    return 1 / (1 + np.exp(-z))


def np_rnn_cell(c, x, h, act=np.tanh):
    return act(x @ c.weight_ih.data.T + c.bias_ih.data + h @ c.weight_hh.data.T + c.bias_hh.data)


def np_lstm_cell(c, x, h, cc):
    a = x @ c.weight_ih.data.T + c.bias_ih.data + h @ c.weight_hh.data.T + c.bias_hh.data
    i, f, g, o = np.split(a, 4, axis=-1)
    cc = sig(f) * cc + sig(i) * np.tanh(g)
    return sig(o) * np.tanh(cc), cc


def np_gru_cell(c, x, h):
    xr, xz, xn = np.split(x @ c.weight_ih.data.T + c.bias_ih.data, 3, axis=-1)
    hr, hz, hn = np.split(h @ c.weight_hh.data.T + c.bias_hh.data, 3, axis=-1)
    r, z = sig(xr + hr), sig(xz + hz)
    n = np.tanh(xn + r * hn)
    return (1 - z) * n + z * h


def test_cell_parameters_shapes_and_init():
    for cls, gates in [(nn.RNNCell, 1), (nn.LSTMCell, 4), (nn.GRUCell, 3)]:
        cell = cls(5, 16, seed=0)
        assert [(n, p.shape) for n, p in cell.named_parameters()] == [
            ("weight_ih", (gates * 16, 5)), ("weight_hh", (gates * 16, 16)),
            ("bias_ih", (gates * 16,)), ("bias_hh", (gates * 16,))]
        top = max(np.abs(p.data).max() for p in cell.parameters())
        assert 0.9 / math.sqrt(16) < top <= 1 / math.sqrt(16)
        assert [n for n, _ in cls(5, 16, bias=False).named_parameters()] == ["weight_ih", "weight_hh"]


@pytest.mark.parametrize("act", ["tanh", "relu"])
def test_rnn_cell_formula(rng, act):
    cell = nn.RNNCell(3, 4, nonlinearity=act, seed=0)
    x, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    f = np.tanh if act == "tanh" else (lambda z: np.maximum(z, 0))
    np.testing.assert_allclose(cell(x, h).data, np_rnn_cell(cell, x, h, f), atol=1e-14)
    np.testing.assert_allclose(cell(x).data, np_rnn_cell(cell, x, np.zeros((2, 4)), f), atol=1e-14)
    np.testing.assert_allclose(cell(x[0], h[0]).data, np_rnn_cell(cell, x[0], h[0], f), atol=1e-14)


def test_lstm_and_gru_cell_formulas(rng):
    lstm, gru = nn.LSTMCell(3, 4, seed=0), nn.GRUCell(3, 4, seed=1)
    x, h, c = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    h1, c1 = lstm(x, (h, c))
    rh, rc = np_lstm_cell(lstm, x, h, c)
    np.testing.assert_allclose(h1.data, rh, atol=1e-14)
    np.testing.assert_allclose(c1.data, rc, atol=1e-14)
    h0, c0 = lstm(x[1])
    np.testing.assert_allclose(h0.data, np_lstm_cell(lstm, x[1], np.zeros(4), np.zeros(4))[0], atol=1e-14)
    np.testing.assert_allclose(gru(x, h).data, np_gru_cell(gru, x, h), atol=1e-14)
    np.testing.assert_allclose(gru(x).data, np_gru_cell(gru, x, np.zeros((2, 4))), atol=1e-14)


@pytest.mark.parametrize("make", [lambda: nn.RNNCell(3, 2, seed=0),
                                  lambda: nn.RNNCell(3, 2, nonlinearity="relu", seed=0),
                                  lambda: nn.LSTMCell(3, 2, seed=0), lambda: nn.GRUCell(3, 2, seed=0),
                                  lambda: nn.GRUCell(3, 2, bias=False, seed=0)])
def test_cell_gradcheck(rng, check_module, make):
    cell = make()
    x, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 2))
    if isinstance(cell, nn.LSTMCell):
        assert check_module(_LSTMPair(cell), x, h, rng.normal(size=(2, 2)))
    else:
        assert check_module(cell, x, h)


class _LSTMPair(nn.Module):
    """LSTMCell taking h and c as separate inputs and returning h' + 2 c' (for gradcheck)."""

    def __init__(self, cell):
        super().__init__()
        self.cell = cell

    def forward(self, x, h, c):
        h1, c1 = self.cell(x, (h, c))
        return h1 + 2.0 * c1


def _np_unroll(module, x):
    cell = module.cell
    h = np.zeros(x.shape[1:-1] + (cell.hidden_size,))
    c = h.copy()
    outs = []
    for t in range(x.shape[0]):
        if isinstance(cell, nn.LSTMCell):
            h, c = np_lstm_cell(cell, x[t], h, c)
        elif isinstance(cell, nn.GRUCell):
            h = np_gru_cell(cell, x[t], h)
        else:
            h = np_rnn_cell(cell, x[t], h)
        outs.append(h)
    return np.stack(outs), h, c


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
def test_sequence_matches_unrolled_cell(rng, cls):
    model = cls(3, 4, seed=0)
    x = rng.normal(size=(5, 2, 3))
    out, state = model(x)
    ref_out, ref_h, ref_c = _np_unroll(model, x)
    assert out.shape == (5, 2, 4)
    np.testing.assert_allclose(out.data, ref_out, atol=1e-13)
    h = state[0] if cls is nn.LSTM else state
    assert h.shape == (1, 2, 4)
    np.testing.assert_allclose(h.data[0], ref_h, atol=1e-13)
    if cls is nn.LSTM:
        np.testing.assert_allclose(state[1].data[0], ref_c, atol=1e-13)
    # batch-first gives the same numbers transposed; unbatched input (T, I) works too
    bf = cls(3, 4, batch_first=True, seed=0)
    out_bf, _ = bf(x.transpose(1, 0, 2))
    np.testing.assert_allclose(out_bf.data, out.data.transpose(1, 0, 2), atol=1e-14)
    out_u, state_u = model(x[:, 0])
    np.testing.assert_allclose(out_u.data, out.data[:, 0], atol=1e-14)
    assert (state_u[0] if cls is nn.LSTM else state_u).shape == (1, 4)


def test_sequence_initial_state_and_cell_consistency(rng):
    rnn = nn.RNN(2, 3, seed=0)
    x, h0 = rng.normal(size=(4, 1, 2)), rng.normal(size=(1, 1, 3))
    out, hn = rnn(x, h0)
    h = Tensor(h0[0])
    for t in range(4):
        h = rnn.cell(x[t], h)
    np.testing.assert_allclose(hn.data[0], h.data, atol=1e-14)
    np.testing.assert_allclose(rnn(x, h0[0])[1].data, hn.data)  # (B, H) accepted too
    lstm = nn.LSTM(2, 3, seed=0)
    c0 = rng.normal(size=(1, 1, 3))
    _, (hl, cl) = lstm(x, (h0, c0))
    hh, cc = Tensor(h0[0]), Tensor(c0[0])
    for t in range(4):
        hh, cc = lstm.cell(x[t], (hh, cc))
    np.testing.assert_allclose(cl.data[0], cc.data, atol=1e-14)


@pytest.mark.parametrize("cls, kw", [(nn.RNN, {}), (nn.RNN, {"nonlinearity": "relu"}), (nn.LSTM, {}),
                                     (nn.GRU, {"batch_first": True})])
def test_sequence_gradcheck(rng, check_module, cls, kw):
    model = cls(2, 2, seed=0, **kw)
    x = rng.normal(size=(3, 2, 2))
    assert check_module(model, x, output=lambda res: res[0])


def test_parameters_shared_across_steps(rng):
    rnn = nn.RNN(2, 3, seed=0)
    assert rnn.num_parameters() == 3 * 2 + 3 * 3 + 3 + 3
    out, _ = rnn(rng.normal(size=(6, 1, 2)))
    out.sum().backward()
    grad_long = rnn.cell.weight_hh.grad.copy()
    rnn.zero_grad()
    rnn(rng.normal(size=(1, 1, 2)))[0].sum().backward()
    # with one step and h0 = 0, W_hh gets no gradient; over 6 steps it accumulates one
    assert not rnn.cell.weight_hh.grad.any() and np.abs(grad_long).sum() > 0


def test_torch_key_names_accepted():
    a, b = nn.GRU(2, 3, seed=0), nn.GRU(2, 3, seed=1)
    torch_style = a.torch_state_dict()
    assert list(torch_style) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    b.load_state_dict(torch_style)
    np.testing.assert_array_equal(b.cell.weight_hh.data, a.cell.weight_hh.data)
    assert b.weight_ih_l0 is b.cell.weight_ih
    assert list(nn.recurrent.from_torch_keys(torch_style)) == ["cell.weight_ih", "cell.weight_hh",
                                                               "cell.bias_ih", "cell.bias_hh"]

    class Wrap(nn.Module):
        def __init__(self, seed):
            super().__init__()
            self.rnn = nn.GRU(2, 3, seed=seed)

    w = Wrap(5)
    w.load_state_dict({"rnn." + k: v for k, v in torch_style.items()})
    np.testing.assert_array_equal(w.rnn.cell.bias_hh.data, a.cell.bias_hh.data)


def test_recurrent_errors(rng):
    msg = r"RNNCell: expected input with 1 or 2 dims and 3 features .* got shape \(2, 4\)"
    with pytest.raises(ValueError, match=msg):
        nn.RNNCell(3, 2)(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"expected hidden state of shape \(2, 2\), got \(3, 2\)"):
        nn.RNNCell(3, 2)(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(TypeError, match=r"pair \(h, c\)"):
        nn.LSTMCell(3, 2)(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="nonlinearity must be 'tanh' or 'relu', got 'gelu'"):
        nn.RNN(3, 2, nonlinearity="gelu")
    with pytest.raises(ValueError, match="sequence is empty"):
        nn.GRU(3, 2)(np.zeros((0, 1, 3)))
    assert repr(nn.LSTM(3, 2, batch_first=True)) == "LSTM(3, 2, batch_first=True)"  # as torch prints it
    assert repr(nn.GRU(3, 2, 2, bidirectional=True)) == "GRU(3, 2, num_layers=2, bidirectional=True)"
