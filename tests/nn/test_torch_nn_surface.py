"""nn's PyTorch surface against torch (float64) when it is installed, closed forms otherwise.

Covers functional, the new modules, containers, utils, schedulers, multi-layer bidirectional
recurrent layers, TensorDataset/DataLoader and manual_seed.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import pytest

import autograd_core as ac
import nn
from nn import functional as F
from nn.data import DataLoader, TensorDataset

RNG = np.random.default_rng(1)
X = RNG.normal(size=(4, 5))
LABELS = np.array([0, 3, 4, 1])
PROBS = RNG.uniform(0.05, 0.95, size=(4, 5))
TOL = dict(rtol=1e-10, atol=1e-12)


def _sig(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


def _erf(a: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf)(a)


def _lsm(a: np.ndarray) -> np.ndarray:
    return a - np.log(np.exp(a).sum(-1, keepdims=True))


# (name, snippet over (F, x, labels as a tensor of the library, probs), closed form over arrays)
FUNCTIONAL: list[tuple[str, Callable[..., Any], Callable[..., Any]]] = [
    ("relu", lambda F, x, y, p: F.relu(x), lambda a, y, p: np.maximum(a, 0)),
    ("gelu", lambda F, x, y, p: F.gelu(x), lambda a, y, p: 0.5 * a * (1 + _erf(a / math.sqrt(2)))),
    ("gelu tanh", lambda F, x, y, p: F.gelu(x, approximate="tanh"),
     lambda a, y, p: 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a ** 3)))),
    ("leaky_relu", lambda F, x, y, p: F.leaky_relu(x, 0.2), lambda a, y, p: np.where(a > 0, a, 0.2 * a)),
    ("elu", lambda F, x, y, p: F.elu(x, alpha=0.7), lambda a, y, p: np.where(a > 0, a, 0.7 * np.expm1(a))),
    ("softplus", lambda F, x, y, p: F.softplus(x, beta=2.0), lambda a, y, p: np.log1p(np.exp(2 * a)) / 2),
    ("sigmoid", lambda F, x, y, p: F.sigmoid(x), lambda a, y, p: _sig(a)),
    ("tanh", lambda F, x, y, p: F.tanh(x), lambda a, y, p: np.tanh(a)),
    ("softmax", lambda F, x, y, p: F.softmax(x, dim=1), lambda a, y, p: np.exp(_lsm(a))),
    ("log_softmax", lambda F, x, y, p: F.log_softmax(x, dim=-1), lambda a, y, p: _lsm(a)),
    ("dropout eval", lambda F, x, y, p: F.dropout(x, 0.5, training=False), lambda a, y, p: a),
    ("linear", lambda F, x, y, p: F.linear(x, x[:3] * 0.5, x[0, :3]),
     lambda a, y, p: a @ (a[:3] * 0.5).T + a[0, :3]),
    ("cross_entropy", lambda F, x, y, p: F.cross_entropy(x, y), lambda a, y, p: -_lsm(a)[range(4), y].mean()),
    ("cross_entropy sum", lambda F, x, y, p: F.cross_entropy(x, y, reduction="sum"),
     lambda a, y, p: -_lsm(a)[range(4), y].sum()),
    ("nll_loss", lambda F, x, y, p: F.nll_loss(F.log_softmax(x, dim=1), y),
     lambda a, y, p: -_lsm(a)[range(4), y].mean()),
    ("mse_loss", lambda F, x, y, p: F.mse_loss(x, p), lambda a, y, p: ((a - p) ** 2).mean()),
    ("l1_loss", lambda F, x, y, p: F.l1_loss(x, p), lambda a, y, p: np.abs(a - p).mean()),
    ("l1_loss none", lambda F, x, y, p: F.l1_loss(x, p, reduction="none"), lambda a, y, p: np.abs(a - p)),
    ("binary_cross_entropy", lambda F, x, y, p: F.binary_cross_entropy(F.sigmoid(x), p),
     lambda a, y, p: -(p * np.log(_sig(a)) + (1 - p) * np.log(1 - _sig(a))).mean()),
    ("binary_cross_entropy_with_logits", lambda F, x, y, p: F.binary_cross_entropy_with_logits(x, p),
     lambda a, y, p: -(p * np.log(_sig(a)) + (1 - p) * np.log(1 - _sig(a))).mean()),
]


@pytest.mark.parametrize(("name", "snippet", "closed"), FUNCTIONAL, ids=[f[0] for f in FUNCTIONAL])
def test_functional(name: str, snippet: Callable, closed: Callable) -> None:
    x = ac.tensor(X, requires_grad=True)
    out = snippet(F, x, ac.tensor(LABELS), ac.tensor(PROBS))
    np.testing.assert_allclose(out.data, closed(X, LABELS, PROBS), **TOL)
    torch = pytest.importorskip("torch")
    xt = torch.tensor(X, requires_grad=True)
    theirs = snippet(torch.nn.functional, xt, torch.tensor(LABELS), torch.tensor(PROBS))
    np.testing.assert_allclose(out.data, theirs.detach().numpy(), **TOL)
    w = np.linspace(-1, 1, out.numel()).reshape(out.shape)
    (out * ac.tensor(w)).sum().backward()
    (theirs * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), **TOL)


def test_one_hot_and_dropout_training() -> None:
    np.testing.assert_array_equal(F.one_hot(ac.tensor([0, 2]), 4).data, [[1, 0, 0, 0], [0, 0, 1, 0]])
    assert F.one_hot(ac.tensor([1, 3])).shape == (2, 4) and F.one_hot(ac.tensor([1])).dtype == np.int64
    with pytest.raises(TypeError, match=r"one_hot: expected integer class indices.*\.long\(\)"):
        F.one_hot(ac.tensor([1.0]))
    ac.manual_seed(0)
    y = F.dropout(ac.ones(2000), 0.25)
    kept = y.data != 0
    assert set(np.unique(y.data)) == {0.0, 1 / 0.75} and abs(kept.mean() - 0.75) < 0.03
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(torch.nn.functional.one_hot(torch.tensor([0, 2]), 4).numpy(),
                                  F.one_hot(ac.tensor([0, 2]), 4).data)


MODULES: list[tuple[str, Callable[[Any], Any], Callable[[np.ndarray], np.ndarray]]] = [
    ("LeakyReLU", lambda m: m.LeakyReLU(0.1), lambda a: np.where(a > 0, a, 0.1 * a)),
    ("GELU", lambda m: m.GELU(), lambda a: 0.5 * a * (1 + _erf(a / math.sqrt(2)))),
    ("GELU tanh", lambda m: m.GELU(approximate="tanh"),
     lambda a: 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a ** 3)))),
    ("ELU", lambda m: m.ELU(), lambda a: np.where(a > 0, a, np.expm1(a))),
    ("Softplus", lambda m: m.Softplus(beta=0.5, threshold=1.0),
     lambda a: np.where(0.5 * a > 1.0, a, np.log1p(np.exp(0.5 * a)) / 0.5)),
    ("Softmax", lambda m: m.Softmax(dim=1), lambda a: np.exp(_lsm(a))),
    ("LogSoftmax", lambda m: m.LogSoftmax(dim=1), _lsm),
    ("Identity", lambda m: m.Identity(), lambda a: a),
    ("Flatten", lambda m: m.Flatten(0), lambda a: a.ravel()),
    ("Sequential", lambda m: m.Sequential(m.GELU(), m.LeakyReLU()), lambda a: np.where(
        a > 0, 0.5 * a * (1 + _erf(a / math.sqrt(2))), 0.01 * 0.5 * a * (1 + _erf(a / math.sqrt(2))))),
]


@pytest.mark.parametrize(("name", "make", "closed"), MODULES, ids=[m[0] for m in MODULES])
def test_parameter_free_modules(name: str, make: Callable, closed: Callable) -> None:
    out = make(nn)(ac.tensor(X))
    np.testing.assert_allclose(out.data, closed(X), **TOL)
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(out.data, make(torch.nn)(torch.tensor(X)).numpy(), **TOL)
    assert repr(make(nn)) == repr(make(torch.nn))


def test_l1loss_module() -> None:
    out = nn.L1Loss(reduction="sum")(ac.tensor(X), PROBS)
    assert out.item() == pytest.approx(np.abs(X - PROBS).sum(), rel=1e-14)


def _torch_like_net(m: Any) -> Any:
    class Net(m.Module):
        def __init__(self) -> None:
            super().__init__()
            self.blocks = m.ModuleList([m.Linear(3, 4), m.Linear(4, 4)])
            self.heads = m.ModuleDict({"a": m.Linear(4, 2), "b": m.Linear(4, 1)})

        def forward(self, x: Any) -> Any:
            for block in self.blocks:
                x = block(x).relu()
            return self.heads["a"](x).sum() + self.heads["b"](x).sum()

    return Net()


def test_containers_name_parameters_as_torch() -> None:
    net = _torch_like_net(nn)
    keys = list(net.state_dict())
    assert keys == ["blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias", "heads.a.weight",
                    "heads.a.bias", "heads.b.weight", "heads.b.bias"]
    assert len(net.blocks) == 2 and list(net.heads) == ["a", "b"] and "a" in net.heads
    net.blocks.append(nn.Linear(4, 4))
    assert "blocks.2.weight" in net.state_dict() and isinstance(net.blocks[-1], nn.Linear)
    assert next(net.parameters()) is net.blocks[0].weight  # parameters() is an iterator
    seen: list[str] = []
    net.apply(lambda mod: seen.append(type(mod).__name__))
    assert seen[-1] == "Net" and seen.count("Linear") == 5
    assert sum(isinstance(mod, nn.Linear) for mod in net.modules()) == 5
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    with pytest.raises(TypeError, match="ModuleList: item '3' is a int, expected a Module"):
        net.blocks.append(3)
    torch = pytest.importorskip("torch")
    theirs = _torch_like_net(torch.nn).double()
    net.blocks[2:]  # slicing gives a ModuleList
    del net.blocks[2]
    assert list(theirs.state_dict()) == list(net.state_dict())
    net.load_state_dict(theirs.state_dict())
    x = RNG.normal(size=(2, 3))
    assert net(ac.tensor(x)).item() == pytest.approx(theirs(torch.tensor(x)).item(), rel=1e-12)


def test_zero_grad_set_to_none_and_module_on_value_error() -> None:
    lin = nn.Linear(2, 1, seed=0)
    lin(ac.ones(3, 2)).sum().backward()
    lin.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(lin.weight.grad, np.zeros((1, 2)))
    lin.zero_grad()
    assert lin.weight.grad is None
    with pytest.raises(TypeError, match=r"Linear: modules take Tensors or arrays, got a scalar Value.*nn.scalar"):
        lin(ac.Value(1.0))


def _grads(params: list) -> list[np.ndarray]:
    return [np.asarray(p.grad) for p in params]


def test_nn_utils_against_closed_forms_and_torch() -> None:
    lin = nn.Linear(3, 2, seed=0)
    (lin(ac.tensor(X[:, :3])) ** 2).sum().backward()
    before = _grads(list(lin.parameters()))
    total = math.sqrt(sum((g ** 2).sum() for g in before))
    assert nn.utils.clip_grad_norm_(lin.parameters(), 1.0) == pytest.approx(total, rel=1e-12)
    for g, b in zip(_grads(list(lin.parameters())), before):
        np.testing.assert_allclose(g, b / (total + 1e-6), rtol=1e-12)
    nn.utils.clip_grad_value_(lin.parameters(), 0.1)
    assert max(np.abs(g).max() for g in _grads(list(lin.parameters()))) <= 0.1
    vec = nn.utils.parameters_to_vector(lin.parameters())
    np.testing.assert_array_equal(vec.data, np.concatenate([lin.weight.data.ravel(), lin.bias.data]))
    nn.utils.vector_to_parameters(vec * 2.0, lin.parameters())
    np.testing.assert_array_equal(lin.bias.data, vec.data[6:] * 2)
    with pytest.raises(ValueError, match=r"vector_to_parameters: expected a 1-D vector of 8 elements"):
        nn.utils.vector_to_parameters(ac.zeros(7), lin.parameters())
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Linear(3, 2).double()
    ours = nn.Linear(3, 2)
    ours.load_state_dict(theirs.state_dict())
    (ours(ac.tensor(X[:, :3])) ** 2).sum().backward()
    (theirs(torch.tensor(X[:, :3])) ** 2).sum().backward()
    assert nn.utils.clip_grad_norm_(ours.parameters(), 0.5) == pytest.approx(
        float(torch.nn.utils.clip_grad_norm_(theirs.parameters(), 0.5)), rel=1e-12)
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-12)


SCHEDULES: list[tuple[str, Callable[[Any, Any], Any], Callable[[int], float]]] = [
    ("ExponentialLR", lambda s, o: s.ExponentialLR(o, gamma=0.9), lambda t: 0.1 * 0.9 ** t),
    ("MultiStepLR", lambda s, o: s.MultiStepLR(o, milestones=[2, 5], gamma=0.5),
     lambda t: 0.1 * 0.5 ** ((t >= 2) + (t >= 5))),
    ("LambdaLR", lambda s, o: s.LambdaLR(o, lambda e: 1.0 / (1 + e)), lambda t: 0.1 / (1 + t)),
    ("StepLR", lambda s, o: s.StepLR(o, 3, gamma=0.1), lambda t: 0.1 * 0.1 ** (t // 3)),
]


def _lr_trajectory(optim: Any, param: Any, make: Callable) -> list[float]:
    """The lr before each of 8 rounds of optimizer.step(), scheduler.step() for SGD(lr=0.1) from `optim`
    (nn.optim or torch.optim) and the scheduler make(optim.lr_scheduler, optimizer)."""
    opt = optim.SGD([param], lr=0.1)
    sched = make(optim.lr_scheduler, opt)
    lrs = []
    for _ in range(8):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


@pytest.mark.parametrize(("name", "make", "closed"), SCHEDULES, ids=[s[0] for s in SCHEDULES])
def test_schedulers(name: str, make: Callable, closed: Callable) -> None:
    ours = _lr_trajectory(nn.optim, nn.Parameter(np.zeros(2)), make)
    np.testing.assert_allclose(ours, [closed(t) for t in range(8)], rtol=1e-14)
    torch = pytest.importorskip("torch")
    theirs = _lr_trajectory(torch.optim, torch.zeros(2, requires_grad=True), make)
    np.testing.assert_allclose(ours, theirs, rtol=1e-14)


def test_reduce_lr_on_plateau() -> None:
    metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85]

    def run(module: Any, params: list) -> list[float]:
        opt = module.optim.SGD(params, lr=1.0)
        sched = module.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1, cooldown=1)
        out = []
        for m in metrics:
            sched.step(m)
            out.append(opt.param_groups[0]["lr"])
        return out

    ours = run(nn, [nn.Parameter(np.zeros(1))])
    assert ours == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125]  # patience 1, cooldown 1
    torch = pytest.importorskip("torch")
    assert ours == run(torch, [torch.zeros(1, requires_grad=True)])


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize(("layers", "bidirectional", "batch_first"), [(2, True, True), (3, False, False),
                                                                      (1, True, False)])
def test_multilayer_recurrent(kind: str, layers: int, bidirectional: bool, batch_first: bool) -> None:
    ours = getattr(nn, kind)(3, 4, layers, batch_first=batch_first, bidirectional=bidirectional, seed=0)
    d = 2 if bidirectional else 1
    keys = [f"{n}_l{k}{s}" for k in range(layers) for s in ([""] + (["_reverse"] if bidirectional else []))
            for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    assert list(ours.state_dict()) == keys
    assert ours.weight_ih_l0.shape == ((4 if kind == "RNN" else 12 if kind == "GRU" else 16), 3)
    x = RNG.normal(size=(2, 5, 3) if batch_first else (5, 2, 3))
    out, state = ours(ac.tensor(x))
    h = state[0] if kind == "LSTM" else state
    assert out.shape == ((2, 5, 4 * d) if batch_first else (5, 2, 4 * d)) and h.shape == (layers * d, 2, 4)
    # the last forward-direction hidden state is the output's last step, first half
    last = out.data[:, -1, :4] if batch_first else out.data[-1, :, :4]
    np.testing.assert_allclose(h.data[(layers - 1) * d], last, atol=1e-14)
    if bidirectional:  # the reverse direction ends at t = 0
        first = out.data[:, 0, 4:] if batch_first else out.data[0, :, 4:]
        np.testing.assert_allclose(h.data[layers * d - 1], first, atol=1e-14)
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn, kind)(3, 4, layers, batch_first=batch_first, bidirectional=bidirectional).double()
    theirs.load_state_dict({k: torch.as_tensor(v) for k, v in ours.state_dict().items()})
    xt, xo = torch.tensor(x, requires_grad=True), ac.tensor(x, requires_grad=True)
    h0 = RNG.normal(size=(layers * d, 2, 4))
    hx_t = (torch.tensor(h0), torch.tensor(h0 * 0.5)) if kind == "LSTM" else torch.tensor(h0)
    hx_o = (ac.tensor(h0), ac.tensor(h0 * 0.5)) if kind == "LSTM" else ac.tensor(h0)
    (o_t, s_t), (o_o, s_o) = theirs(xt, hx_t), ours(xo, hx_o)
    np.testing.assert_allclose(o_o.data, o_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    hn_t, hn_o = (s_t[1], s_o[1]) if kind == "LSTM" else (s_t, s_o)
    np.testing.assert_allclose(hn_o.data, hn_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    w = RNG.normal(size=o_o.shape)
    ((o_t * torch.tensor(w)).sum() + hn_t.sum()).backward()
    ((o_o * ac.tensor(w)).sum() + hn_o.sum()).backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), rtol=1e-9, atol=1e-12)
    for (name, p), (tname, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == tname
        np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)


def test_recurrent_dropout_between_layers_and_errors() -> None:
    gru = nn.GRU(2, 3, 2, dropout=0.5, seed=0)
    x = ac.tensor(RNG.normal(size=(4, 1, 2)))
    ac.manual_seed(1)
    a = gru(x)[0].data
    ac.manual_seed(1)
    np.testing.assert_array_equal(gru(x)[0].data, a)  # seeded masks repeat
    assert not np.allclose(gru(x)[0].data, a)  # and differ from draw to draw
    gru.eval()
    np.testing.assert_array_equal(gru(x)[0].data, gru(x)[0].data)  # no dropout in eval
    with pytest.raises(ValueError, match=r"GRU: expected h_0 of shape \(2, 1, 3\) \(num_layers \* num_directions"):
        gru(x, ac.zeros(1, 1, 3))
    with pytest.raises(ValueError, match="num_layers must be a positive int"):
        nn.LSTM(2, 3, 0)


def test_tensor_dataset_and_loader() -> None:
    xs, ys = ac.tensor(np.arange(10.0).reshape(5, 2)), ac.tensor([0, 1, 0, 1, 1])
    ds = TensorDataset(xs, ys)
    assert len(ds) == 5 and ds[1][0].tolist() == [2.0, 3.0] and ds[1][1].item() == 1
    batches = list(DataLoader(ds, batch_size=2))
    assert [b[0].shape for b in batches] == [(2, 2), (2, 2), (1, 2)]
    assert batches[0][1].dtype == np.int64  # class labels stay int64, as torch's
    assert len(DataLoader(ds, 2, drop_last=True)) == 2 and len(DataLoader(ds)) == 5  # batch_size=1 by default
    ac.manual_seed(0)
    order = [b[1].tolist() for b in DataLoader(ds, 5, True)]  # torch's positional (dataset, batch_size, shuffle)
    ac.manual_seed(0)
    assert order == [b[1].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True)]
    with pytest.raises(TypeError, match="sampler, which is not supported"):
        DataLoader(ds, 2, False, object())
    with pytest.raises(RuntimeError, match="no devices here"):
        xs.cuda()
    with pytest.raises(RuntimeError, match="Linear.cuda: no devices|no devices here"):
        nn.Linear(2, 2).to("cuda")
    assert xs.cpu() is xs and nn.Linear(2, 2).to("cpu").weight.dtype == np.float64
    with pytest.raises(ValueError, match=r"TensorDataset: size mismatch between tensors: first dims \[5, 4\]"):
        TensorDataset(xs, ys[:4])
    torch = pytest.importorskip("torch")
    theirs = torch.utils.data.TensorDataset(torch.tensor(xs.data), torch.tensor(ys.data))
    for (xb, yb), (txb, tyb) in zip(DataLoader(ds, batch_size=2), torch.utils.data.DataLoader(theirs, batch_size=2)):
        np.testing.assert_array_equal(xb.data, txb.numpy())
        assert yb.tolist() == tyb.tolist() and yb.dtype == tyb.numpy().dtype
    assert len(DataLoader(ds, 2, drop_last=True)) == len(torch.utils.data.DataLoader(theirs, 2, drop_last=True))


def _seeded_run() -> list[np.ndarray]:
    ac.manual_seed(42)
    model = nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5))
    X, _ = nn.data.make_moons(8, noise=0.1)
    order = [b[0].data for b in DataLoader(TensorDataset(ac.tensor(np.arange(8.0)[:, None])), 3, shuffle=True)]
    return [model[0].weight.data.copy(), model(ac.tensor(X)).data, X, *order, ac.randn(3).data]


def test_manual_seed_seeds_everything_random() -> None:
    a, b = _seeded_run(), _seeded_run()
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p, q)
    ac.manual_seed(43)
    assert not np.array_equal(nn.Linear(2, 3).weight.data, a[0])
    assert nn.init.manual_seed is ac.manual_seed


def test_default_generator_is_per_thread() -> None:
    import threading

    ac.manual_seed(7)
    main_draw = ac.default_generator()
    seen: dict[str, Any] = {}

    def worker() -> None:
        seen["gen"] = ac.default_generator()
        ac.manual_seed(7)
        seen["draw"] = ac.rand(3).data

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert seen["gen"] is not main_draw
    np.testing.assert_array_equal(seen["draw"], ac.rand(3).data)  # same seed, same stream, own thread
