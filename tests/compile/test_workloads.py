"""compile(step) equals the eager step: parameters, .grad and losses over 50 steps of every workload,
optimizer and learning-rate schedule; Dropout draws fresh masks on every replay."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import autograd_core as ac
import nn
from nn.optim import SGD, Adam, AdamW, CosineAnnealingLR, RMSprop, StepLR

STEPS = 50


def _mlp(dtype: Any) -> nn.Module:
    return nn.MLP(2, [16, 16, 1], seed=0, dtype=dtype)


def _classifier(dtype: Any) -> nn.Module:
    return nn.Sequential(nn.Linear(6, 12, seed=1, dtype=dtype), nn.Tanh(), nn.Linear(12, 4, seed=2, dtype=dtype))


WORKLOADS: dict[str, tuple[Callable[[], nn.Module], Callable[[nn.Module, Any, Any], Any], Callable[[int], tuple]]] = {
    # name: (model, loss(model, x, y), batch(step) -> (x, y))
    "moons-hinge-f64": (lambda: _mlp(np.float64),
                        lambda m, x, y: nn.hinge_loss(m(x).reshape(-1), y),
                        lambda k: _moons(k, np.float64)),
    "mlp-ce-f32": (lambda: _classifier(np.float32),
                   lambda m, x, y: nn.cross_entropy(m(x), y),
                   lambda k: _classes(k, np.float32)),
    "mlp-mse-f64": (lambda: _classifier(np.float64),
                    lambda m, x, y: nn.mse_loss(m(x), y),
                    lambda k: (_classes(k, np.float64)[0], np.random.default_rng(k).normal(size=(9, 4)))),
    "rnn-f64": (lambda: nn.RNN(3, 5, seed=0),
                lambda m, x, y: (m(x)[1] * m(x)[1]).mean() if False else _rnn_loss(m, x),
                lambda k: (np.random.default_rng(k).normal(size=(6, 2, 3)), 0)),
    "lstm-f64": (lambda: nn.LSTM(3, 4, seed=0),
                 lambda m, x, y: _rnn_loss(m, x),
                 lambda k: (np.random.default_rng(k).normal(size=(5, 2, 3)), 0)),
    "gru-f64": (lambda: nn.GRU(3, 4, seed=0),
                lambda m, x, y: _rnn_loss(m, x),
                lambda k: (np.random.default_rng(k).normal(size=(5, 2, 3)), 0)),
}


def _rnn_loss(m: nn.Module, x: Any) -> Any:
    out, _ = m(x)
    return (out * out).mean()


def _moons(k: int, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(k)
    X = rng.normal(size=(20, 2)).astype(dtype)
    return X, np.where(X[:, 0] * X[:, 1] > 0, 1.0, -1.0).astype(dtype)


def _classes(k: int, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(k)
    return rng.normal(size=(9, 6)).astype(dtype), rng.integers(0, 4, size=9)


OPTIMIZERS = {
    "sgd": lambda p: SGD(p, lr=0.05),
    "momentum": lambda p: SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-3),
    "nesterov": lambda p: SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "adam": lambda p: Adam(p, lr=0.01),
    "adamw-amsgrad": lambda p: AdamW(p, lr=0.01, amsgrad=True),
    "rmsprop": lambda p: RMSprop(p, lr=0.01, momentum=0.5),
}


def _setup(workload: str, optimizer: str, schedule: str | None) -> tuple[nn.Module, Any, Any, Callable]:
    make_model, loss_of, _ = WORKLOADS[workload]
    model = make_model()
    opt = OPTIMIZERS[optimizer](model.parameters())
    sched = None
    if schedule == "step":
        sched = StepLR(opt, step_size=7, gamma=0.5)
    elif schedule == "cosine-inside":
        sched = CosineAnnealingLR(opt, T_max=20)

    def step(x: Any, y: Any) -> Any:
        opt.zero_grad()
        loss = loss_of(model, x, y)
        loss.backward()
        opt.step()
        if schedule == "cosine-inside":
            sched.step()
        return loss
    return model, opt, sched, step


def _run_both(workload: str, optimizer: str, schedule: str | None = None) -> None:
    batch = WORKLOADS[workload][2]
    m_e, _, s_e, eager = _setup(workload, optimizer, schedule)
    m_c, _, s_c, step = _setup(workload, optimizer, schedule)
    compiled = ac.compile(step)
    f32 = next(iter(m_e.parameters())).dtype == np.float32
    rtol, atol = (1e-5, 1e-6) if f32 else (1e-12, 1e-14)
    for k in range(STEPS):
        x, y = batch(k)
        a = eager(ac.Tensor(x), y)
        b = compiled(ac.Tensor(x), y)
        np.testing.assert_allclose(b.data, a.data, rtol=rtol, atol=atol, err_msg=f"loss at step {k}")
        for p, q in zip(m_e.parameters(), m_c.parameters()):
            np.testing.assert_allclose(q.data, p.data, rtol=rtol, atol=atol, err_msg=f"data at step {k}")
            np.testing.assert_allclose(q.grad, p.grad, rtol=rtol, atol=atol, err_msg=f"grad at step {k}")
        if schedule == "step":
            s_e.step()
            s_c.step()
    assert compiled.traces <= 2  # fresh parameters (no .grad yet), then every later call


@pytest.mark.parametrize("workload", list(WORKLOADS))
def test_compiled_equals_eager_for_every_workload(workload: str) -> None:
    _run_both(workload, "sgd")


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_compiled_equals_eager_for_every_optimizer(optimizer: str) -> None:
    _run_both("mlp-ce-f32" if optimizer == "adam" else "moons-hinge-f64", optimizer)
    _run_both("rnn-f64", optimizer)


@pytest.mark.parametrize("schedule", ["step", "cosine-inside"])
def test_compiled_follows_learning_rate_schedules(schedule: str) -> None:
    _run_both("moons-hinge-f64", "momentum", schedule)
    _run_both("mlp-mse-f64", "adam", schedule)


def test_float64_replay_is_bitwise_equal_to_eager() -> None:
    """Same numpy calls in the same order: not just close, identical."""
    batch = WORKLOADS["moons-hinge-f64"][2]
    m_e, _, _, eager = _setup("moons-hinge-f64", "adam", None)
    m_c, _, _, step = _setup("moons-hinge-f64", "adam", None)
    compiled = ac.compile(step)
    for k in range(10):
        x, y = batch(k)
        assert eager(x, y).data == compiled(x, y).data
    for p, q in zip(m_e.parameters(), m_c.parameters()):
        assert np.array_equal(p.data, q.data) and np.array_equal(p.grad, q.grad)


def test_dropout_masks_change_between_replays_and_follow_the_seeded_generator() -> None:
    def build() -> tuple[nn.Module, Callable]:
        model = nn.Sequential(nn.Linear(4, 32, seed=0), nn.Dropout(0.5), nn.Linear(32, 1, seed=1))
        opt = SGD(model.parameters(), lr=0.1)

        def step(x: Any) -> Any:
            opt.zero_grad()
            loss = (model(x) ** 2).mean()
            loss.backward()
            opt.step()
            return loss
        return model, step
    x = np.ones((8, 4))
    m_e, eager = build()
    m_c, step = build()
    compiled = ac.compile(step)
    nn.init.manual_seed(5)
    eager_losses = [float(eager(x).data) for _ in range(6)]
    nn.init.manual_seed(5)
    compiled_losses = [float(compiled(x).data) for _ in range(6)]
    np.testing.assert_allclose(compiled_losses, eager_losses, rtol=1e-12)
    grads = []
    for _ in range(3):  # same weights, same input: only the mask differs between replays
        compiled(x)
        grads.append(m_c.layers[0].weight.grad.copy() if hasattr(m_c, "layers") else
                     m_c[0].weight.grad.copy())
    assert not np.array_equal(grads[0], grads[1]) and not np.array_equal(grads[1], grads[2])


def test_returned_loss_is_the_callers_own() -> None:
    _, _, _, step = _setup("moons-hinge-f64", "sgd", None)
    compiled = ac.compile(step)
    batch = WORKLOADS["moons-hinge-f64"][2]
    first = [compiled(*batch(k)) for k in range(4)]
    kept = [float(t.data) for t in first]
    for k in range(4, 8):
        compiled(*batch(k))
    assert [float(t.data) for t in first] == kept
    assert len({id(t.data) for t in first}) == 4


def test_a_model_reached_only_through_an_argument_object_is_read_live() -> None:
    def step(x: Any, box: Any) -> Any:  # the model arrives inside a plain object argument
        box.o.zero_grad()
        loss = (box.m(x) ** 2).mean()
        loss.backward()
        box.o.step()
        return loss

    class Box:
        def __init__(self, seed: int) -> None:
            self.m = nn.Linear(3, 1, seed=seed)
            self.o = SGD(self.m.parameters(), lr=0.1)
    eager_box, box = Box(0), Box(0)
    compiled = ac.compile(step)
    for k in range(4):
        x = np.full((2, 3), 0.5 + k)
        assert float(compiled(x, box).data) == float(step(x, eager_box).data)
        np.testing.assert_array_equal(box.m.weight.data, eager_box.m.weight.data)
    assert compiled.traces == 2  # .grad None, then present
