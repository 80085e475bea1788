"""Small worlds the adversarial programs are written in: a seeded model, an optimizer, batches per call,
and the state compared after each call (every parameter's .data and .grad)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

import nn
from harness import Setup
from nn.optim import SGD


def batch(k: int, n: int = 6, d: int = 4, classes: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Call k's inputs (n, d) and class labels (n,): new data on every call."""
    rng = np.random.default_rng(100 + k)
    return rng.normal(size=(n, d)), rng.integers(0, classes, size=n)


def params_state(*modules: Any) -> Callable[[], list[Any]]:
    """Every parameter's data and grad, in order (None grads kept, so a stray gradient is seen)."""
    def state() -> list[Any]:
        out: list[Any] = []
        for m in modules:
            for p in (m.parameters() if hasattr(m, "parameters") else m):
                out += [p.data, p.grad]
        return out
    return state


def mlp(d: int = 4, h: int = 8, c: int = 3, dropout: float = 0.0) -> nn.Module:
    layers: list[nn.Module] = [nn.Linear(d, h, seed=1), nn.Tanh()]
    if dropout:
        layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers, nn.Linear(h, c, seed=2))


def train_world(loss_of: Callable[[nn.Module, Any, Any], Any], *, model: Callable[[], nn.Module] = mlp,
                optimizer: Callable[[Any], Any] = lambda ps: SGD(ps, lr=0.1),
                data: Callable[[int], tuple] = batch, between: Callable[[nn.Module, Any, int], None] | None = None,
                returns: Callable[[Any, Any], Any] | None = None) -> Callable[[], Setup]:
    """A training step: zero_grad, loss_of(model, x, y), backward, step; returns the loss (or returns(loss, model))."""
    def build() -> Setup:
        m = model()
        opt = optimizer(m.parameters())

        def step(x: Any, y: Any) -> Any:
            opt.zero_grad()
            loss = loss_of(m, x, y)
            loss.backward()
            opt.step()
            return loss if returns is None else returns(loss, m)
        return Setup(step, data, params_state(m),
                     (lambda k: between(m, opt, k)) if between else (lambda k: None))
    return build


Draw = Callable[[np.random.Generator, tuple], np.ndarray]


def grad_world(fn: Callable[..., Any], shapes: list[tuple[int, ...]], *, domain: Draw | None = None,
               weight_seed: int = 7) -> Callable[[], Setup]:
    """A step over new arrays each call: out = fn(*Tensors requiring grad); (out * w).sum().backward();
    returns out and every input's gradient (w is a fixed random weighting of out)."""
    import autograd_core as ac

    draw = domain or (lambda rng, s: rng.uniform(-2.0, 2.0, s))

    def build() -> Setup:
        def step(*arrays: Any) -> Any:
            xs = [ac.Tensor(a, requires_grad=True) for a in arrays]
            out = fn(*xs)
            w = np.random.default_rng(weight_seed).uniform(0.5, 1.5, out.shape)
            (out * w).sum().backward()
            return [out] + [x.grad for x in xs]

        def data(k: int) -> tuple:
            rng = np.random.default_rng(10 + k)
            return tuple(draw(rng, s) for s in shapes)
        return Setup(step, data)
    return build


def value_total(losses: list[Any], reduction: str) -> Any:
    """The eager scalar path's total: the Value losses added one by one, times 1/n for a mean."""
    total = losses[0]
    for v in losses[1:]:
        total = total + v
    return total * (1.0 / len(losses)) if reduction == "mean" else total
