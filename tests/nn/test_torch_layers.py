"""PyTorch as an optional oracle: same weights -> same outputs and gradients (float64, 1e-6)."""
from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd_core import Tensor

torch = pytest.importorskip("torch")
TOL = dict(rtol=1e-6, atol=1e-9)


def torch_sd(sd):
    return {k: torch.as_tensor(np.array(v)) for k, v in sd.items()}


def run_both(ours, theirs, xs, pick=lambda out: out, grad_seed=0):
    """Forward both on the same inputs, backward the same random cotangent; compare everything."""
    xs_ours = [Tensor(x, requires_grad=True) for x in xs]
    xs_torch = [torch.tensor(x, requires_grad=True) for x in xs]
    out_ours, out_torch = pick(ours(*xs_ours)), pick(theirs(*xs_torch))
    np.testing.assert_allclose(out_ours.data, out_torch.detach().numpy(), **TOL)
    g = np.random.default_rng(grad_seed).normal(size=out_ours.shape)
    out_ours.backward(g)
    out_torch.backward(torch.as_tensor(g))
    for a, b in zip(xs_ours, xs_torch):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), **TOL)
    return out_ours


def compare_param_grads(ours_named, theirs_named, rename=lambda k: k):
    theirs = dict(theirs_named)
    for name, p in ours_named:
        np.testing.assert_allclose(p.grad, theirs[rename(name)].grad.numpy(), **TOL, err_msg=name)


def test_linear_both_ways(rng):
    ours = nn.Linear(4, 3, seed=0)
    theirs = torch.nn.Linear(4, 3).double()
    theirs.load_state_dict(torch_sd(ours.state_dict()))
    run_both(ours, theirs, [rng.normal(size=(5, 4))])
    compare_param_grads(ours.named_parameters(), theirs.named_parameters())
    torch.manual_seed(0)
    other = torch.nn.Linear(4, 3).double()
    ours.load_state_dict(other.state_dict())
    np.testing.assert_array_equal(ours.weight.data, other.weight.detach().numpy())


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_matches_sequential(rng, activation):
    ours = nn.MLP(3, [6, 5, 2], activation=activation, seed=1)
    act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}[activation]
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 6), act(), torch.nn.Linear(6, 5), act(),
                                 torch.nn.Linear(5, 2)).double()
    rename = lambda k: f"{2 * int(k.split('.')[1])}.{k.split('.')[2]}"  # layers.1.weight -> 2.weight
    theirs.load_state_dict({rename(k): v for k, v in torch_sd(ours.state_dict()).items()})
    run_both(ours, theirs, [rng.normal(size=(8, 3))])
    compare_param_grads(ours.named_parameters(), theirs.named_parameters(), rename)


def test_sequential_state_dict_keys_equal_torch():
    ours = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1)).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict(theirs.state_dict())
    x = np.ones((1, 2))
    np.testing.assert_allclose(ours(x).data, theirs(torch.as_tensor(x)).detach().numpy(), **TOL)


CELLS = [
    (lambda: nn.RNNCell(3, 4, seed=0), lambda: torch.nn.RNNCell(3, 4)),
    (lambda: nn.RNNCell(3, 4, nonlinearity="relu", seed=0), lambda: torch.nn.RNNCell(3, 4, nonlinearity="relu")),
    (lambda: nn.LSTMCell(3, 4, seed=0), lambda: torch.nn.LSTMCell(3, 4)),
    (lambda: nn.GRUCell(3, 4, seed=0), lambda: torch.nn.GRUCell(3, 4)),
]


@pytest.mark.parametrize("make_ours, make_theirs", CELLS)
def test_cells(rng, make_ours, make_theirs):
    ours, theirs = make_ours(), make_theirs().double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict(torch_sd(ours.state_dict()))
    x, h, c = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    if isinstance(ours, nn.LSTMCell):
        run_both(lambda x, h, c: ours(x, (h, c))[1], lambda x, h, c: theirs(x, (h, c))[1], [x, h, c])
    else:
        run_both(ours, theirs, [x, h])
    compare_param_grads(ours.named_parameters(), theirs.named_parameters())
    theirs2 = make_theirs().double()
    ours.load_state_dict(theirs2.state_dict())   # and back: torch -> ours
    ours.zero_grad()
    theirs2.zero_grad()
    if isinstance(ours, nn.LSTMCell):
        run_both(lambda x: ours(x)[0], lambda x: theirs2(x)[0], [x])
    else:
        run_both(ours, theirs2, [x[0]])
    compare_param_grads(ours.named_parameters(), theirs2.named_parameters())


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_sequence_modules(rng, kind, batch_first):
    ours = getattr(nn, kind)(3, 4, batch_first=batch_first, seed=0)
    theirs = getattr(torch.nn, kind)(3, 4, batch_first=batch_first).double()
    theirs.load_state_dict(torch_sd(ours.torch_state_dict()))
    x = rng.normal(size=(2, 5, 3) if batch_first else (5, 2, 3))
    state = rng.normal(size=(1, 2, 4))
    if kind == "LSTM":
        c = rng.normal(size=(1, 2, 4))

        def both(model):
            def f(x, h, c):
                out, (hn, cn) = model(x, (h, c))
                return out * 1.5 + hn.sum() + 2.0 * cn.sum()
            return f
        run_both(both(ours), both(theirs), [x, state, c])
    else:
        run_both(lambda x, h: ours(x, h)[0] + ours(x, h)[1].sum(),
                 lambda x, h: theirs(x, h)[0] + theirs(x, h)[1].sum(), [x, state])
    compare_param_grads(ours.named_parameters(), theirs.named_parameters(),
                        lambda k: k)  # our names are torch's
    back = getattr(nn, kind)(3, 4, batch_first=batch_first, seed=9)
    back.load_state_dict(theirs.state_dict())     # torch's key names accepted directly
    out_ours = back(x)[0].data
    np.testing.assert_allclose(out_ours, theirs(torch.as_tensor(x))[0].detach().numpy(), **TOL)


def test_rnn_relu_unbatched(rng):
    ours = nn.RNN(3, 4, nonlinearity="relu", seed=0)
    theirs = torch.nn.RNN(3, 4, nonlinearity="relu").double()
    theirs.load_state_dict(torch_sd(ours.torch_state_dict()))
    x = rng.normal(size=(6, 3))
    out, h = ours(x)
    tout, th = theirs(torch.as_tensor(x))
    assert out.shape == tuple(tout.shape) and h.shape == tuple(th.shape)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), **TOL)


def test_init_distribution_matches_torch_bounds():
    torch.manual_seed(0)
    t = torch.nn.LSTM(10, 20)
    ours = nn.LSTM(10, 20, seed=0)
    for (_, p), (_, tp) in zip(ours.named_parameters(), t.named_parameters()):
        assert p.shape == tuple(tp.shape)
        assert abs(np.abs(p.data).max() - tp.abs().max().item()) < 0.01
