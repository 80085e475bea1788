"""Optimizers without torch: hand-written closed-form updates, in-place semantics, the Value path,
parameter groups, checkpoints, errors."""
from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_core import Tensor, Value
from nn import optim

A = np.array([[3.0, 0.5, 0.0], [0.5, 2.0, -0.3], [0.0, -0.3, 1.0]])
B = np.array([1.0, -2.0, 0.5])
W0 = np.array([0.7, -1.1, 2.0])


def quad_grad(w):
    """Gradient of f(w) = 1/2 w^T A w - b^T w."""
    return A @ w - B


def run(opt_cls, steps=15, **kw):
    """Our optimizer on the quadratic, gradients set by hand; returns the trajectory."""
    p = Tensor(W0.copy(), requires_grad=True)
    opt = opt_cls([p], **kw)
    out = []
    for _ in range(steps):
        p.grad = quad_grad(p.data)
        opt.step()
        out.append(p.data.copy())
    return np.array(out)


# ---- reference updates written from the formulas -------------------------------------------------

def ref_sgd(lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0, steps=15):
    w, b, out = W0.copy(), None, []
    for _ in range(steps):
        g = quad_grad(w) + weight_decay * w
        if momentum:
            b = g.copy() if b is None else momentum * b + (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        w = w - lr * g
        out.append(w)
    return np.array(out)


def ref_adam(lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, decoupled=False, steps=15):
    w, m, v, vmax, out = W0.copy(), 0.0, 0.0, 0.0, []
    for t in range(1, steps + 1):
        g = quad_grad(w)
        if decoupled:
            w = w * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * w
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        vmax = np.maximum(vmax, v) if amsgrad else v
        m_hat, v_hat = m / (1 - betas[0] ** t), vmax / (1 - betas[1] ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(w)
    return np.array(out)


def ref_rmsprop(lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False, steps=15):
    w, s, a, b, out = W0.copy(), 0.0, 0.0, 0.0, []
    for _ in range(steps):
        g = quad_grad(w) + weight_decay * w
        s = alpha * s + (1 - alpha) * g * g
        a = alpha * a + (1 - alpha) * g
        d = np.sqrt(s - a * a if centered else s) + eps
        if momentum:
            b = momentum * b + g / d
            w = w - lr * b
        else:
            w = w - lr * g / d
        out.append(w)
    return np.array(out)


SGD_CASES = [dict(lr=0.1), dict(lr=0.05, momentum=0.9), dict(lr=0.05, momentum=0.9, dampening=0.5),
             dict(lr=0.05, momentum=0.9, nesterov=True), dict(lr=0.1, weight_decay=0.2),
             dict(lr=0.05, momentum=0.8, weight_decay=0.1, nesterov=True)]
ADAM_CASES = [dict(lr=0.1), dict(lr=0.1, betas=(0.5, 0.9)), dict(lr=0.1, weight_decay=0.3),
              dict(lr=0.1, amsgrad=True), dict(lr=0.1, eps=0.5)]
RMS_CASES = [dict(lr=0.01), dict(lr=0.01, momentum=0.9), dict(lr=0.01, centered=True),
             dict(lr=0.01, alpha=0.5, centered=True, momentum=0.5, weight_decay=0.1)]


@pytest.mark.parametrize("kw", SGD_CASES)
def test_sgd_matches_closed_form(kw):
    np.testing.assert_allclose(run(optim.SGD, **kw), ref_sgd(**kw), rtol=0, atol=1e-12)


@pytest.mark.parametrize("kw", ADAM_CASES)
def test_adam_and_adamw_match_closed_form(kw):
    np.testing.assert_allclose(run(optim.Adam, **kw), ref_adam(**kw), rtol=0, atol=1e-12)
    kw = {"weight_decay": 1e-2, **kw}
    np.testing.assert_allclose(run(optim.AdamW, **kw), ref_adam(decoupled=True, **kw), rtol=0, atol=1e-12)


@pytest.mark.parametrize("kw", RMS_CASES)
def test_rmsprop_matches_closed_form(kw):
    np.testing.assert_allclose(run(optim.RMSprop, **kw), ref_rmsprop(**kw), rtol=0, atol=1e-12)


def test_first_steps_by_hand():
    """Plain SGD: w1 = w0 - lr g0. Adam's first step is lr * sign(g0) (up to eps)."""
    np.testing.assert_allclose(run(optim.SGD, steps=1, lr=0.1)[0], W0 - 0.1 * quad_grad(W0), atol=1e-15)
    np.testing.assert_allclose(run(optim.Adam, steps=1, lr=0.1)[0], W0 - 0.1 * np.sign(quad_grad(W0)), atol=1e-8)


def test_optimizers_reach_the_minimum_of_the_quadratic():
    w_star = np.linalg.solve(A, B)
    for cls, kw in ((optim.SGD, dict(lr=0.1, momentum=0.5)), (optim.Adam, dict(lr=0.05)),
                    (optim.RMSprop, dict(lr=0.01, momentum=0.5))):
        np.testing.assert_allclose(run(cls, steps=400, **kw)[-1], w_star, atol=1e-3)


# ---- semantics --------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop])
def test_updates_are_in_place_and_skip_params_without_grad(cls):
    p, q = Tensor(W0.copy(), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    data, view = p.data, p.data[1:]
    opt = cls([p, q], lr=0.1)
    p.grad = quad_grad(p.data)
    opt.step()
    assert p.data is data and view[0] == p.data[1] and p.data[1] != W0[1]
    np.testing.assert_array_equal(q.data, [1.0, 1.0])
    assert 1 not in opt.state and 0 in opt.state


def test_grad_is_not_modified_and_float32_stays_float32():
    p = Tensor(W0.astype(np.float32), requires_grad=True)
    g = quad_grad(W0).astype(np.float32)
    p.grad = g.copy()
    for cls in (optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop):
        cls([p], lr=0.1, weight_decay=0.1).step()
    np.testing.assert_array_equal(p.grad, g)
    assert p.data.dtype == np.float32


@pytest.mark.parametrize("cls,kw", [(optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=0.1)),
                                    (optim.Adam, dict(lr=0.1, amsgrad=True)), (optim.RMSprop, dict(lr=0.01, centered=True))])
def test_values_follow_the_same_trajectory_as_a_tensor(cls, kw):
    vals = [Value(float(w)) for w in W0]
    opt = cls(vals, **kw)
    ref = run(cls, steps=10, **kw)
    for k in range(10):
        g = quad_grad(np.array([v.data for v in vals]))
        for v, gi in zip(vals, g):
            v.grad = float(gi)
        opt.step()
        np.testing.assert_allclose([v.data for v in vals], ref[k], atol=1e-12)
    assert all(type(v.data) is float for v in vals)
    opt.zero_grad()
    assert all(v.grad == 0.0 for v in vals)


def test_zero_grad_sets_none_or_zeros():
    p = Tensor(W0.copy(), requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    p.grad = np.ones(3)
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad, np.zeros(3))
    opt.zero_grad()
    assert p.grad is None


def test_param_groups_use_their_own_hyperparameters():
    p, q = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    opt = optim.SGD([{"params": [p], "lr": 0.5}, {"params": [q]}], lr=0.1)
    p.grad, q.grad = np.ones(2), np.ones(2)
    opt.step()
    np.testing.assert_allclose(p.data, [0.5, 0.5])
    np.testing.assert_allclose(q.data, [0.9, 0.9])
    assert opt.param_groups[1]["lr"] == 0.1 and opt.param_groups[0]["momentum"] == 0.0


def test_accepts_anything_with_parameters():
    class Model:
        def __init__(self):
            self.w = Tensor(np.ones(2), requires_grad=True)

        def parameters(self):
            return [self.w]

    m = Model()
    opt = optim.SGD(m, lr=0.25)
    m.w.grad = np.ones(2)
    opt.step()
    np.testing.assert_allclose(m.w.data, [0.75, 0.75])


def test_state_dict_round_trip_continues_the_same_trajectory():
    for cls, kw in ((optim.Adam, dict(lr=0.1, amsgrad=True)), (optim.SGD, dict(lr=0.05, momentum=0.9)),
                    (optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True))):
        full = run(cls, steps=10, **kw)
        p = Tensor(W0.copy(), requires_grad=True)
        opt = cls([p], **kw)
        for _ in range(5):
            p.grad = quad_grad(p.data)
            opt.step()
        saved, w5 = opt.state_dict(), p.data.copy()
        p2 = Tensor(w5, requires_grad=True)
        opt2 = cls([p2], lr=123.0)
        opt2.load_state_dict(saved)
        assert opt2.param_groups[0]["lr"] == kw["lr"]
        for _ in range(5):
            p2.grad = quad_grad(p2.data)
            opt2.step()
        np.testing.assert_allclose(p2.data, full[-1], atol=1e-12)


def test_load_state_dict_rejects_mismatches():
    p = Tensor(np.zeros(3), requires_grad=True)
    opt = optim.Adam([p])
    p.grad = np.ones(3)
    opt.step()
    other = optim.Adam([Tensor(np.zeros(4), requires_grad=True)])
    with pytest.raises(ValueError, match=r"Adam: load_state_dict: state\[0\]\['exp_avg'\] has shape \(3,\), "
                                         r"parameter 0 has shape \(4,\)"):
        other.load_state_dict(opt.state_dict())
    with pytest.raises(ValueError, match=r"saved groups hold \[1\] parameters, this optimizer's hold \[2\]"):
        optim.Adam([Tensor(np.zeros(3), requires_grad=True), Tensor(np.zeros(1), requires_grad=True)]
                   ).load_state_dict(opt.state_dict())


# ---- errors -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("make,msg", [
    (lambda ps: optim.SGD(ps, lr=-0.1), r"SGD: invalid learning rate lr -0.1"),
    (lambda ps: optim.SGD(ps, lr=0.1, momentum=-1), r"SGD: invalid momentum -1"),
    (lambda ps: optim.SGD(ps, lr=0.1, nesterov=True), r"SGD: nesterov momentum needs momentum > 0"),
    (lambda ps: optim.Adam(ps, betas=(1.0, 0.999)), r"Adam: invalid beta1 1.0 \(expected 0 <= beta1 < 1\)"),
    (lambda ps: optim.AdamW(ps, betas=(0.9, -0.1)), r"AdamW: invalid beta2 -0.1"),
    (lambda ps: optim.Adam(ps, eps=-1e-8), r"Adam: invalid eps -1e-08"),
    (lambda ps: optim.RMSprop(ps, alpha=1.5), r"RMSprop: invalid alpha 1.5"),
    (lambda ps: optim.RMSprop(ps, lr=-1), r"RMSprop: invalid learning rate lr -1"),
    (lambda ps: optim.SGD([], lr=0.1), r"SGD: got an empty parameter list"),
    (lambda ps: optim.SGD(ps + ps, lr=0.1), r"SGD: a parameter appears in more than one group"),
])
def test_bad_hyperparameters_raise_naming_optimizer_and_value(make, msg):
    with pytest.raises(ValueError, match=msg):
        make([Tensor(np.zeros(2), requires_grad=True)])


def test_bad_params_raise_type_error():
    with pytest.raises(TypeError, match="SGD: parameters must be Tensors or Values, item 0 is a ndarray"):
        optim.SGD([np.zeros(2)], lr=0.1)
    with pytest.raises(TypeError, match="wrap it in a list"):
        optim.SGD(Tensor(np.zeros(2), requires_grad=True), lr=0.1)


# ---- schedules and clipping --------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "want", "landmarks"), [
    (lambda: optim.StepLR(optim.SGD([Tensor(np.zeros(1), requires_grad=True)], lr=1.0), step_size=3, gamma=0.5),
     [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125], {}),
    (lambda: optim.CosineAnnealingLR(optim.Adam([Tensor(np.zeros(1), requires_grad=True)], lr=0.1), T_max=4,
                                     eta_min=0.02),
     [0.02 + 0.08 * (1 + math.cos(math.pi * t / 4)) / 2 for t in range(9)], {4: 0.02, 8: 0.1}),
], ids=["StepLR", "CosineAnnealingLR"])
def test_schedule_closed_form(make, want, landmarks):
    """The lr before the first step and after each scheduler.step() (as the group holds it and as
    get_last_lr reports it) follows the closed form; landmarks: eta_min at T_max, base lr at 2 T_max."""
    sched = make()
    opt = sched.optimizer
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(len(want) - 1):
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
        assert sched.get_last_lr() == [lrs[-1]]
    np.testing.assert_allclose(lrs, want, rtol=0, atol=1e-15)
    for t, lr in landmarks.items():
        assert lrs[t] == pytest.approx(lr)


def test_scheduler_errors():
    opt = optim.SGD([Tensor(np.zeros(1), requires_grad=True)], lr=1.0)
    with pytest.raises(ValueError, match="StepLR: step_size must be a positive integer, got 0"):
        optim.StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="CosineAnnealingLR: T_max must be a positive integer"):
        optim.CosineAnnealingLR(opt, T_max=-2)


def test_clip_grad_norm_scales_to_max_norm_and_returns_the_total():
    p, q, r = (Tensor(np.zeros(2), requires_grad=True), Tensor(np.zeros(1), requires_grad=True),
               Tensor(np.zeros(1), requires_grad=True))
    p.grad, q.grad = np.array([3.0, 0.0]), np.array([4.0])
    total = optim.clip_grad_norm_([p, q, r], max_norm=1.0)
    assert total == pytest.approx(5.0)
    coef = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(p.grad, [3 * coef, 0.0])
    np.testing.assert_allclose(q.grad, [4 * coef])
    assert r.grad is None
    assert optim.clip_grad_norm_([p, q], max_norm=10.0) == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(p.grad, [3 * coef, 0.0])  # under the limit: unchanged
    assert optim.clip_grad_norm_([p, q], 10.0, norm_type=math.inf) == pytest.approx(4 * coef)


def test_clip_grad_norm_on_values_and_shared_gradient_arrays():
    a, b = Value(1.0), Value(2.0)
    a.grad, b.grad = 6.0, 8.0
    assert optim.clip_grad_norm_([a, b], 5.0) == pytest.approx(10.0)
    assert (a.grad, b.grad) == pytest.approx((3.0, 4.0), abs=1e-6)
    x, y = Tensor(np.zeros(2), requires_grad=True), Tensor(np.zeros(2), requires_grad=True)
    shared = np.array([3.0, 4.0])
    x.grad = y.grad = shared  # the engine can hand one array to two parameters (x + y)
    optim.clip_grad_norm_([x, y], 1.0)
    np.testing.assert_allclose(x.grad, shared / (np.sqrt(50) + 1e-6))
    np.testing.assert_allclose(y.grad, x.grad)


def test_works_with_nn_modules_and_graph_gradients():
    import nn

    layer = nn.Linear(3, 2, seed=0)
    w0, b0 = layer.weight.data.copy(), layer.bias.data.copy()
    opt = optim.SGD(layer.parameters(), lr=0.5)
    x = Tensor(np.array([[1.0, -1.0, 2.0]]))
    layer(x).sum().backward(create_graph=True)  # .grad holds Tensors: the step uses their data
    opt.step()
    np.testing.assert_allclose(layer.weight.data, w0 - 0.5 * np.array([[1.0, -1.0, 2.0]] * 2), atol=1e-12)
    np.testing.assert_allclose(layer.bias.data, b0 - 0.5, atol=1e-12)


def test_scheduler_state_dict_resumes():
    opt = optim.SGD([Tensor(np.zeros(1), requires_grad=True)], lr=1.0)
    sched = optim.StepLR(opt, step_size=2, gamma=0.1)
    for _ in range(3):
        sched.step()
    saved = sched.state_dict()
    opt2 = optim.SGD([Tensor(np.zeros(1), requires_grad=True)], lr=1.0)
    sched2 = optim.StepLR(opt2, step_size=5)
    sched2.load_state_dict(saved)
    sched.step()
    sched2.step()
    assert sched2.last_epoch == 4 and sched2.get_last_lr() == pytest.approx(sched.get_last_lr()) == [0.01]


@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam, optim.RMSprop])
def test_a_backward_through_a_graph_recorded_before_step_raises_as_in_torch(cls):
    """step() changes the parameters in place, so a graph recorded before it is stale: its backward
    raises (as torch's does when the weight was saved), never computing with the new weights."""
    import nn as ournn
    layer = ournn.Linear(3, 2, seed=0)
    opt = cls(layer.parameters(), lr=0.1)
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    loss = (layer(x) ** 2).sum()
    loss.backward(retain_graph=True)
    first = x.grad.copy()
    opt.step()
    with pytest.raises(RuntimeError, match=rf"modified by an inplace operation.*{cls.__name__}\.step.*"
                                           r"call backward\(\) before step\(\)"):
        loss.backward()
    np.testing.assert_array_equal(x.grad, first)  # nothing accumulated by the refused backward
    opt.zero_grad()
    x.grad = None
    (layer(x) ** 2).sum().backward()   # a graph recorded after the step is fine
    w, b = layer.weight.data, layer.bias.data
    expected = (2 * (x.data @ w.T + b)) @ w
    np.testing.assert_allclose(x.grad, expected, rtol=1e-12)
    torch = pytest.importorskip("torch", reason="the comparison with torch's error needs torch")
    tl = torch.nn.Linear(3, 2).double()
    topt = getattr(torch.optim, cls.__name__)(tl.parameters(), lr=0.1)
    tx = torch.arange(6.0, dtype=torch.float64).reshape(2, 3).requires_grad_()
    tloss = (tl(tx) ** 2).sum()
    tloss.backward(retain_graph=True)
    topt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        tloss.backward()
