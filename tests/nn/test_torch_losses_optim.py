"""PyTorch as an oracle: losses (values and gradients), optimizer trajectories, schedules, clipping."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from autograd_core import Tensor  # noqa: E402
from nn import losses as L  # noqa: E402
from nn import optim  # noqa: E402

REDUCTIONS = ["mean", "sum", "none"]
RNG_SEED = 0  # the rng fixture (tests/nn/conftest.py) seeds with it
TOL = 1e-6


def _compare(ours_fn, torch_fn, inputs, consts=()):
    """Run both on the same float64 data; compare the loss (all reductions) and the input gradient."""
    mine = [Tensor(x.copy(), requires_grad=True) for x in inputs]
    theirs = [torch.tensor(x.copy(), requires_grad=True) for x in inputs]
    out, ref = ours_fn(*mine), torch_fn(*theirs)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=TOL, atol=TOL)
    seed = np.random.default_rng(5).normal(size=np.shape(out.data))
    out.backward(seed if out.data.ndim else None)
    ref.backward(torch.tensor(seed) if ref.ndim else None)
    for m, t in zip(mine, theirs):
        np.testing.assert_allclose(m.grad, t.grad.numpy(), rtol=TOL, atol=TOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_and_binary_losses_match_torch(rng, reduction):
    x, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    _compare(lambda a: L.mse_loss(a, y, reduction), lambda a: F.mse_loss(a, torch.tensor(y), reduction=reduction), [x])
    p, t = rng.uniform(0.02, 0.98, size=(7, 2)), rng.uniform(size=(7, 2))
    _compare(lambda a: L.binary_cross_entropy(a, t, reduction=reduction),
             lambda a: F.binary_cross_entropy(a, torch.tensor(t), reduction=reduction), [p])
    z = rng.normal(scale=4.0, size=(7, 2))
    z[0, 0] = 0.0  # the kink-free gradient at 0: sigmoid(0) - y
    _compare(lambda a: L.binary_cross_entropy_with_logits(a, t, reduction=reduction),
             lambda a: F.binary_cross_entropy_with_logits(a, torch.tensor(t), reduction=reduction), [z])
    s, sgn = rng.normal(size=(9,)), rng.choice([-1.0, 1.0], size=9)
    _compare(lambda a: L.hinge_loss(a, sgn, reduction),
             lambda a: torch.relu(1 - a * torch.tensor(sgn)).mean() if reduction == "mean" else
             (torch.relu(1 - a * torch.tensor(sgn)).sum() if reduction == "sum" else torch.relu(1 - a * torch.tensor(sgn))),
             [s])


def test_bce_at_exact_zero_and_one_matches_torch_values():
    p, t = np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0, 1.0])
    ours = L.binary_cross_entropy(Tensor(p), t, reduction="none").data
    ref = F.binary_cross_entropy(torch.tensor(p), torch.tensor(t), reduction="none").numpy()
    np.testing.assert_allclose(ours, ref, atol=1e-12)
    np.testing.assert_allclose(ours, [100.0, 100.0, 0.0, 0.0], atol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_matches_torch_both_target_kinds(rng, reduction, smoothing):
    x = rng.normal(scale=3.0, size=(8, 5))
    idx = rng.integers(0, 5, size=8)
    probs = rng.dirichlet(np.ones(5), size=8)
    for targets, ref_targets in ((idx, torch.tensor(idx)), (probs, torch.tensor(probs))):
        _compare(lambda a, t=targets: L.cross_entropy(a, t, reduction=reduction, label_smoothing=smoothing),
                 lambda a, t=ref_targets: F.cross_entropy(a, t, reduction=reduction, label_smoothing=smoothing), [x])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_weighted_and_ignored_targets_match_torch(rng, reduction):
    x = rng.normal(size=(8, 4))
    idx = np.array([0, 3, 1, -100, 2, 3, 0, -100])
    w = rng.uniform(0.5, 2.0, size=4)
    for eps in (0.0, 0.1):
        _compare(lambda a, e=eps: L.cross_entropy(a, idx, reduction=reduction, weight=w, label_smoothing=e),
                 lambda a, e=eps: F.cross_entropy(a, torch.tensor(idx), weight=torch.tensor(w), reduction=reduction,
                                                  label_smoothing=e), [x])
    probs = rng.dirichlet(np.ones(4), size=8)
    _compare(lambda a: L.cross_entropy(a, probs, reduction=reduction, weight=w),
             lambda a: F.cross_entropy(a, torch.tensor(probs), weight=torch.tensor(w), reduction=reduction), [x])
    lp = np.log(rng.dirichlet(np.ones(4), size=8))
    _compare(lambda a: L.nll_loss(a, idx, reduction=reduction, weight=w),
             lambda a: F.nll_loss(a, torch.tensor(idx), weight=torch.tensor(w), reduction=reduction), [lp])


def test_cross_entropy_with_huge_logits_matches_torch(rng):
    x = rng.normal(size=(4, 3)) * 1e4
    idx = np.array([0, 1, 2, 1])
    _compare(lambda a: L.cross_entropy(a, idx), lambda a: F.cross_entropy(a, torch.tensor(idx)), [x])
    _compare(lambda a: L.binary_cross_entropy_with_logits(a, np.ones((4, 3))),
             lambda a: F.binary_cross_entropy_with_logits(a, torch.ones(4, 3, dtype=torch.float64)), [x])


# ---- optimizers ----------------------------------------------------------------------------------

OPTIMIZERS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.1, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.5, weight_decay=0.1, nesterov=True)),
    ("Adam", dict(lr=0.05)),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1)),
    ("Adam", dict(lr=0.05, amsgrad=True)),
    ("AdamW", dict(lr=0.05)),
    ("AdamW", dict(lr=0.05, weight_decay=0.3, amsgrad=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.9)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.05, alpha=0.9)),
]


def _mlp_loss(W1, b1, W2, b2, X, y):
    """A tiny tanh MLP with squared error, written the same way for both libraries."""
    h = (X @ W1.T + b1).tanh()
    d = h @ W2.T + b2 - y
    return (d * d).mean()


def _trajectory(lib, name, kwargs, init, X, y, steps=20):
    if lib == "ours":
        params = [Tensor(w.copy(), requires_grad=True) for w in init]
        opt = getattr(optim, name)(params, **kwargs)
        Xc, yc = Tensor(X), Tensor(y)
    else:
        params = [torch.tensor(w.copy(), requires_grad=True) for w in init]
        opt = getattr(torch.optim, name)(params, **kwargs)
        Xc, yc = torch.tensor(X), torch.tensor(y)
    history = []
    for _ in range(steps):
        opt.zero_grad()
        _mlp_loss(*params, Xc, yc).backward()
        opt.step()
        history.append(np.concatenate([np.asarray(p.data if lib == "ours" else p.detach()).ravel() for p in params]))
    return np.array(history)


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(OPTIMIZERS)])
def test_optimizer_trajectories_match_torch(name, kwargs):
    rng = np.random.default_rng(1)
    init = [rng.normal(size=(5, 3)), rng.normal(size=5), rng.normal(size=(2, 5)), rng.normal(size=2)]
    X, y = rng.normal(size=(10, 3)), rng.normal(size=(10, 2))
    ours = _trajectory("ours", name, kwargs, init, X, y)
    ref = _trajectory("torch", name, kwargs, init, X, y)
    start = np.concatenate([w.ravel() for w in init])
    assert np.abs(ours[-1] - start).max() > 1e-2  # the weights moved
    np.testing.assert_allclose(ours, ref, rtol=0, atol=TOL)


def test_param_groups_match_torch():
    rng = np.random.default_rng(2)
    init = [rng.normal(size=(5, 3)), rng.normal(size=5), rng.normal(size=(2, 5)), rng.normal(size=2)]
    X, y = rng.normal(size=(10, 3)), rng.normal(size=(10, 2))
    results = []
    for lib, make, mod in (("ours", lambda w: Tensor(w.copy(), requires_grad=True), optim),
                           ("torch", lambda w: torch.tensor(w.copy(), requires_grad=True), torch.optim)):
        ps = [make(w) for w in init]
        opt = mod.SGD([{"params": ps[:2], "lr": 0.2}, {"params": ps[2:]}], lr=0.05, momentum=0.9)
        Xc, yc = (Tensor(X), Tensor(y)) if lib == "ours" else (torch.tensor(X), torch.tensor(y))
        for _ in range(10):
            opt.zero_grad()
            _mlp_loss(*ps, Xc, yc).backward()
            opt.step()
        results.append([np.asarray(p.data if lib == "ours" else p.detach()) for p in ps])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, atol=TOL)


# ---- schedules and clipping ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["step", "cosine"])
def test_schedulers_match_torch_learning_rates(kind):
    ours_opt = optim.SGD([Tensor(np.zeros(2), requires_grad=True)], lr=0.5)
    ref_opt = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.5)
    if kind == "step":
        ours, ref = optim.StepLR(ours_opt, step_size=3, gamma=0.5), torch.optim.lr_scheduler.StepLR(ref_opt, 3, 0.5)
    else:
        ours = optim.CosineAnnealingLR(ours_opt, T_max=7, eta_min=0.01)
        ref = torch.optim.lr_scheduler.CosineAnnealingLR(ref_opt, T_max=7, eta_min=0.01)
    got, want = [], []
    for _ in range(20):
        ours_opt.step()
        ref_opt.step()
        ours.step()
        ref.step()
        got.append(ours.get_last_lr()[0])
        want.append(ref.get_last_lr()[0])
    np.testing.assert_allclose(got, want, atol=1e-12)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    rng = np.random.default_rng(3)
    grads = [rng.normal(size=(3, 4)), rng.normal(size=4)]
    ours = [Tensor(np.zeros_like(g), requires_grad=True) for g in grads]
    ref = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, q, g in zip(ours, ref, grads):
        p.grad = g.copy()
        q.grad = torch.tensor(g)
    total = optim.clip_grad_norm_(ours, max_norm, norm_type)
    ref_total = torch.nn.utils.clip_grad_norm_(ref, max_norm, norm_type)
    assert total == pytest.approx(float(ref_total), abs=1e-9)
    for p, q in zip(ours, ref):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("name,kwargs", [("Adam", dict(lr=0.05, amsgrad=True)), ("SGD", dict(lr=0.05, momentum=0.9)),
                                         ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
                                         ("AdamW", dict(lr=0.05))])
def test_torch_optimizer_state_dict_loads_and_training_continues_alike(name, kwargs):
    rng = np.random.default_rng(4)
    init = [rng.normal(size=(5, 3)), rng.normal(size=5), rng.normal(size=(2, 5)), rng.normal(size=2)]
    X, y = torch.tensor(rng.normal(size=(10, 3))), torch.tensor(rng.normal(size=(10, 2)))
    tp = [torch.tensor(w.copy(), requires_grad=True) for w in init]
    topt = getattr(torch.optim, name)(tp, **kwargs)

    def torch_step():
        topt.zero_grad()
        _mlp_loss(*tp, X, y).backward()
        topt.step()

    for _ in range(5):
        torch_step()
    ours = [Tensor(p.detach().numpy().copy(), requires_grad=True) for p in tp]
    opt = getattr(optim, name)(ours, lr=1.0)
    opt.load_state_dict(topt.state_dict())
    for _ in range(5):
        torch_step()
        opt.zero_grad()
        _mlp_loss(*ours, Tensor(X.numpy()), Tensor(y.numpy())).backward()
        opt.step()
    for a, b in zip(ours, tp):
        np.testing.assert_allclose(a.data, b.detach().numpy(), atol=TOL)
