"""Programs with randomness, recurrent layers and Embedding, every optimizer and scheduler, methods,
keyword arguments and threads."""
from __future__ import annotations

import threading
from typing import Any

import numpy as np

import autograd_core as ac
import nn
import nn.functional as F
from harness import Program, Setup
from nn.optim import (SGD, Adam, AdamW, CosineAnnealingLR, ExponentialLR, LambdaLR, MultiStepLR, RMSprop,
                      StepLR)
from worlds import batch, mlp, params_state, train_world, value_total


def _ce(m: Any, x: Any, y: Any) -> Any:
    return nn.cross_entropy(m(ac.Tensor(x)), y)


# ---- randomness: every draw replayed live from the seeded generator -------------------------------

def _with_gen() -> nn.Module:
    m = mlp()
    m.gen = ac.Generator(11)  # each side its own stream
    return m


RANDOM = [
    Program("random/dropout-module", train_world(_ce, model=lambda: mlp(dropout=0.3))),
    Program("random/dropout-module-seeded", train_world(
        _ce, model=lambda: nn.Sequential(nn.Linear(4, 8, seed=1), nn.Dropout(0.4, seed=3), nn.Linear(8, 3, seed=2)))),
    Program("random/functional-dropout", train_world(lambda m, x, y: nn.cross_entropy(F.dropout(m(ac.Tensor(x)), 0.3), y))),
    Program("random/functional-dropout-generator", train_world(
        lambda m, x, y: nn.cross_entropy(F.dropout(m(ac.Tensor(x)), 0.3, generator=m.gen), y), model=_with_gen)),
    Program("random/functional-dropout-eval", train_world(
        lambda m, x, y: nn.cross_entropy(F.dropout(m(ac.Tensor(x)), 0.3, training=False), y))),
    Program("random/randn-like-noise", train_world(lambda m, x, y: _ce(m, x + ac.randn_like(ac.Tensor(x)).data * 0.1, y))),
    Program("random/rand-like-mask", train_world(
        lambda m, x, y: (m(ac.Tensor(x)) * (ac.rand_like(ac.Tensor(np.zeros((6, 3)))) > 0.5).float()).sum())),
    Program("random/randn-shape", train_world(lambda m, x, y: (m(ac.Tensor(x) + ac.randn(6, 4) * 0.1) ** 2).mean())),
    Program("random/manual-seed-between-calls", train_world(
        _ce, model=lambda: mlp(dropout=0.5), between=lambda m, opt, k: ac.manual_seed(7) if k == 2 else None)),
    Program("random/fresh-numpy-rng-inside", train_world(
        lambda m, x, y: _ce(m, x + np.random.default_rng(0).normal(size=x.shape) * 0.1, y))),
    Program("random/numpy-generator-in-closure", train_world(
        lambda m, x, y: _ce(m, x + _NP_RNG.normal(size=x.shape) * 0.1, y)), expect="error",
        error=r"numpy Generator.*ac\.randn"),
]

_NP_RNG = np.random.default_rng(5)

# ---- recurrent layers and Embedding --------------------------------------------------------------


def _seq(k: int) -> tuple:
    rng = np.random.default_rng(200 + k)
    return rng.normal(size=(5, 2, 3)), rng.integers(0, 4, size=2)


def _rnn_world(layer: Any, loss: Any) -> Any:
    def build() -> Setup:
        m = layer()
        head = nn.Linear(4, 4, seed=9)
        opt = Adam(list(m.parameters()) + list(head.parameters()), lr=0.01)

        def step(x: Any, y: Any) -> Any:
            opt.zero_grad()
            out = loss(m, head, ac.Tensor(x), y)
            out.backward()
            opt.step()
            return out
        return Setup(step, _seq, params_state(m, head))
    return build


def _last(m: Any, head: Any, x: Any, y: Any) -> Any:
    out, h = m(x)
    return nn.cross_entropy(head(out[-1]), y)


def _cell_loop(m: Any, head: Any, x: Any, y: Any) -> Any:
    h = None
    for t in range(x.shape[0]):
        h = m(x[t], h)
    h = h[0] if isinstance(h, tuple) else h
    return nn.cross_entropy(head(h), y)


def _embed_world(loss: Any) -> Any:
    def build() -> Setup:
        emb = nn.Embedding(10, 4, seed=1)
        head = nn.Linear(4, 3, seed=2)
        opt = SGD(list(emb.parameters()) + list(head.parameters()), lr=0.1)

        def step(idx: Any, y: Any) -> Any:
            opt.zero_grad()
            out = loss(emb, head, idx, y)
            out.backward()
            opt.step()
            return out

        def data(k: int) -> tuple:
            rng = np.random.default_rng(300 + k)
            return rng.integers(0, 10, size=(6, 5)), rng.integers(0, 3, size=6)
        return Setup(step, data, params_state(emb, head))
    return build


RECURRENT = [
    Program("rnn/elman", _rnn_world(lambda: nn.RNN(3, 4, seed=0), _last)),
    Program("rnn/elman-relu", _rnn_world(lambda: nn.RNN(3, 4, seed=0, nonlinearity="relu"), _last)),
    Program("rnn/two-layers", _rnn_world(lambda: nn.RNN(3, 4, num_layers=2, seed=0), _last)),
    Program("rnn/lstm", _rnn_world(lambda: nn.LSTM(3, 4, seed=0), _last)),
    Program("rnn/gru", _rnn_world(lambda: nn.GRU(3, 4, seed=0), _last)),
    Program("rnn/rnn-cell-loop", _rnn_world(lambda: nn.RNNCell(3, 4, seed=0), _cell_loop)),
    Program("rnn/lstm-cell-loop", _rnn_world(lambda: nn.LSTMCell(3, 4, seed=0), _cell_loop)),
    Program("rnn/gru-cell-loop", _rnn_world(lambda: nn.GRUCell(3, 4, seed=0), _cell_loop)),
    Program("rnn/mean-over-time", _rnn_world(lambda: nn.LSTM(3, 4, seed=0),
                                            lambda m, h, x, y: (m(x)[0].mean(axis=0) ** 2).sum())),
    Program("embedding/mean", _embed_world(lambda e, h, i, y: nn.cross_entropy(h(e(i).mean(axis=1)), y))),
    Program("embedding/sum-squared", _embed_world(lambda e, h, i, y: (e(i).sum() ** 2) * 1e-3)),
    Program("embedding/tensor-indices", _embed_world(lambda e, h, i, y: nn.cross_entropy(h(e(ac.Tensor(i).long())[:, 0]), y))),
    Program("embedding/bad-index-later-raises-like-eager", _embed_world(
        lambda e, h, i, y: nn.cross_entropy(h(e(i + 9).mean(axis=1)), y))),
]

# ---- every optimizer, every scheduler (stepped inside the step) -----------------------------------


def _sched_world(make: Any) -> Any:
    def build() -> Setup:
        m = mlp()
        opt = SGD(m.parameters(), lr=0.1, momentum=0.9)
        sched = make(opt)

        def step(x: Any, y: Any) -> Any:
            opt.zero_grad()
            loss = _ce(m, x, y)
            loss.backward()
            opt.step()
            sched.step()
            return loss
        return Setup(step, batch, lambda: params_state(m)() + [np.array(g["lr"]) for g in opt.param_groups])
    return build


OPTIM = [
    Program(f"optim/{name}", train_world(_ce, optimizer=make), calls=5) for name, make in {
        "sgd": lambda ps: SGD(ps, lr=0.1), "momentum": lambda ps: SGD(ps, lr=0.1, momentum=0.9),
        "nesterov-wd": lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-2),
        "adam": lambda ps: Adam(ps, lr=0.01), "adamw": lambda ps: AdamW(ps, lr=0.01),
        "amsgrad": lambda ps: Adam(ps, lr=0.01, amsgrad=True), "rmsprop": lambda ps: RMSprop(ps, lr=0.01),
        "rmsprop-centered": lambda ps: RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
    }.items()
] + [
    Program(f"sched/{name}", _sched_world(make), calls=6) for name, make in {
        "step": lambda o: StepLR(o, step_size=2, gamma=0.5),
        "multistep": lambda o: MultiStepLR(o, milestones=[1, 3], gamma=0.3),
        "exponential": lambda o: ExponentialLR(o, gamma=0.8),
        "cosine": lambda o: CosineAnnealingLR(o, T_max=4),
        "lambda-warmup": lambda o: LambdaLR(o, lambda e: min(1.0, (e + 1) / 3)),
        "lambda-closure": lambda o: LambdaLR(o, lambda e: 0.9 ** e),
    }.items()
]

# ---- the interface: methods, keyword arguments, threads ---------------------------------------------


class _Trainer:
    def __init__(self) -> None:
        self.model = mlp()
        self.opt = SGD(self.model.parameters(), lr=0.1)

    @ac.compile
    def step(self, x: Any, y: Any) -> Any:
        self.opt.zero_grad()
        loss = _ce(self.model, x, y)
        loss.backward()
        self.opt.step()
        return loss

    def eager(self, x: Any, y: Any) -> Any:
        return _Trainer.step.fn(self, x, y)


def _method_world() -> Setup:
    a, b = _Trainer(), _Trainer()
    b.model[0].weight.data *= 0.5  # a second instance: its own weights, no mixing through the cache

    def step(x: Any, y: Any) -> Any:
        return a.step(x, y), b.step(x, y)
    return Setup(step, batch, params_state(a.model, b.model))


def _method_eager_world() -> Setup:
    a, b = _Trainer(), _Trainer()
    b.model[0].weight.data *= 0.5

    def step(x: Any, y: Any) -> Any:
        return a.eager(x, y), b.eager(x, y)
    return Setup(step, batch, params_state(a.model, b.model))


def _threads_world(wrap: Any) -> Setup:
    """Two threads, each with its own model and its own compiled step, trace and replay at once."""
    models = [mlp(), mlp()]
    for p in models[1].parameters():
        p.data = p.data * 0.5
    opts = [SGD(m.parameters(), lr=0.1) for m in models]

    def make(i: int) -> Any:
        def one(x: Any, y: Any) -> Any:
            opts[i].zero_grad()
            loss = _ce(models[i], x, y)
            loss.backward()
            opts[i].step()
            return loss
        return wrap(one)
    steps = [make(0), make(1)]

    def step(x: Any, y: Any) -> Any:
        out: list[Any] = [[], []]

        def work(i: int) -> None:
            for j in range(3):
                out[i].append(steps[i](x + j, y))
        ts = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return out
    return Setup(step, batch, params_state(*models))


def _shared_threads_world(wrap: Any) -> Setup:
    """One compiled step called from four threads at once: one trace at a time, calls serialized, no
    error; the updates land one after another (their order is the threads', so only the count is
    compared: every parameter moved four times from the same start as the eager side's)."""
    m = mlp()
    opt = SGD(m.parameters(), lr=0.1)

    def one(x: Any, y: Any) -> Any:
        opt.zero_grad()
        loss = _ce(m, x, y)
        loss.backward()
        opt.step()
        return loss
    fn = wrap(one)
    if fn is one:  # the eager side: serialized by hand, as compile serializes calls of one step
        lock = threading.Lock()

        def fn(x: Any, y: Any) -> Any:
            with lock:
                return one(x, y)

    def step(x: Any, y: Any) -> Any:
        errors: list[Any] = []
        losses: list[Any] = []

        def work() -> None:
            try:
                losses.append(fn(x, y))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
        ts = [threading.Thread(target=work) for _ in range(4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return [repr(e) for e in errors], len(losses)
    return Setup(step, batch, params_state(m))


INTERFACE = [
    Program("interface/method-decorated", _method_world),
    Program("interface/method-eager-reference", _method_eager_world),
    Program("threads/two-threads-tracing-at-once", _threads_world, driver=True),
    Program("threads/one-compiled-step-four-threads", _shared_threads_world, driver=True),
]

PROGRAMS = RANDOM + RECURRENT + OPTIM + INTERFACE


# ---- batched Value programs: compile(per_sample, batched=True) against the eager Value loop ----------


def _batched_world(per_sample: Any, reduction: str = "sum", d: int = 2, signs: bool = False) -> Any:
    def build(wrap: Any) -> Setup:
        m = nn.scalar.MLP(d, [5, 1], seed=1)
        opt = SGD(m.parameters(), lr=0.05)

        def one(x: Any, t: Any) -> Any:
            return per_sample(m, x, t)
        compiled = wrap(one) is not one
        fn = ac.compile(one, batched=True, reduction=reduction) if compiled else None

        def step(X: Any, y: Any) -> Any:
            opt.zero_grad()
            if fn is not None:
                total = fn(X, y)
            else:
                out = value_total([one([ac.Value(float(a)) for a in row], ac.Value(float(t)))
                                   for row, t in zip(X, y)], reduction)
                out.backward()
                total = out.data
            opt.step()
            return np.asarray(float(total))

        def data(k: int) -> tuple:
            rng = np.random.default_rng(400 + k)
            X = rng.normal(size=(8, d))
            return X, np.where(X[:, 0] > 0, 1.0, -1.0) * (1.0 if signs else 1.0 + 0.5 * rng.random(8))
        return Setup(step, data, lambda: [p.data for p in m.parameters()] + [p.grad for p in m.parameters()])
    return build


BATCHED = [
    Program(f"batched/{name}", _batched_world(fn, red), driver=True) for name, fn, red in [
        ("mse-loss-per-sample-targets", lambda m, x, t: nn.mse_loss([m(x)], [t]), "sum"),
        ("mse-loss-mean", lambda m, x, t: nn.mse_loss([m(x)], [t]), "mean"),
        ("squared-error", lambda m, x, t: (m(x) - t) ** 2, "sum"),
        ("hinge-by-hand", lambda m, x, t: (1.0 - t * m(x)).relu(), "mean"),
        ("tanh-product", lambda m, x, t: (m(x).tanh() * t - 0.5) ** 2, "sum"),
        ("exp-log", lambda m, x, t: (1.0 + (-(t * m(x))).exp()).log(), "sum"),
        ("two-outputs", lambda m, x, t: m(x) * m(x) + t * m(x), "sum"),
        ("abs-target", lambda m, x, t: abs(m(x) - t), "sum"),
    ]
] + [
    Program("batched/hinge-loss-value-targets", _batched_world(lambda m, x, t: nn.hinge_loss([m(x)], [t]), signs=True),
            driver=True),
    Program("batched/mse-loss-list-of-outputs", _batched_world(
        lambda m, x, t: nn.mse_loss([m(x), m(x) * 0.5], [t, t * 2.0]), "mean"), driver=True),
    Program("batched/comparison-on-target-refused", _batched_world(
        lambda m, x, t: -((t > 0) * 1.0 * m(x).sigmoid().log())), driver=True, expect="error",
        error=r"not the same program for every sample"),
    Program("batched/if-on-value-refused", _batched_world(
        lambda m, x, t: m(x) * 2.0 if x[0].data > 0 else m(x)), driver=True, expect="error",
        error=r"not the same program for every sample"),
]

PROGRAMS += BATCHED
