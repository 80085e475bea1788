"""compile(batched=True) replays a neuron's sum of weights times inputs as one matrix product per
group of chains over the same inputs (autograd_core/jit/dots.py), with the eager loop's numbers."""
from __future__ import annotations

import re
from typing import Any, Callable, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ac
import nn
from autograd_core import Value, topological_order
from autograd_core.jit.dots import find_dot_groups


def _eager(fn: Callable[..., Value], params: Sequence[Value], X: np.ndarray, y: np.ndarray,
           mean: bool) -> tuple[float, list[float]]:
    """The total (or mean) of fn over the samples, and each parameter's gradient, the slow way."""
    for p in params:
        p.grad = 0.0
    losses = [fn([Value(float(v), requires_grad=False) for v in row], Value(float(t), requires_grad=False))
              for row, t in zip(X, y)]
    total = losses[0]
    for v in losses[1:]:
        total = total + v
    if mean:
        total = total * (1.0 / len(losses))
    total.backward()
    grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    return total.data, grads


def _compiled(fn: Callable[..., Value], params: Sequence[Value], X: np.ndarray, y: np.ndarray,
              mean: bool) -> tuple[float, list[float], str]:
    step = ac.compile(fn, batched=True, reduction="mean" if mean else "sum")
    total = step(X, y)
    grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    return total, grads, step.source


def _assert_same(fn: Callable[..., Value], params: Sequence[Value], X: np.ndarray, y: np.ndarray,
                 mean: bool = False) -> str:
    want_total, want = _eager(fn, params, X, y, mean)
    got_total, got, source = _compiled(fn, params, X, y, mean)
    assert len(got) == len(want) == len(params) > 0
    assert got_total == pytest.approx(want_total, rel=1e-10, abs=1e-12)
    for k, (a, b) in enumerate(zip(got, want)):
        assert type(a) is float, f"parameter {k}: gradient is a {type(a).__name__}"
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), f"parameter {k}"
    return source


def _products(source: str) -> int:
    return len(re.findall(r"^\s*dots_\d+ = weights_\d+ @ inputs_\d+$", source, flags=re.M))


def test_a_scalar_mlp_replays_each_layer_as_one_matrix_product() -> None:
    model = nn.scalar.MLP(3, [5, 4, 1], seed=2)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(9, 3)), rng.choice([-1.0, 1.0], size=9)
    params = list(model.parameters())
    source = _assert_same(lambda x, t: (1.0 - t * model(x)).relu(), params, X, y, mean=True)
    assert _products(source) == 3
    weights = [p for n in model.modules() if isinstance(n, nn.scalar.Neuron) for p in n.w]
    assert source.count(".data") == len(params) - len(weights)  # only the biases are read one by one


def test_find_dot_groups_names_a_layers_weights_inputs_and_biases() -> None:
    layer = nn.scalar.Layer(3, 2, nonlin=False, seed=0)
    xs = [Value(float(k), requires_grad=False) for k in range(3)]
    outs = layer(xs)
    root = outs[0] * outs[1]
    nodes = topological_order(root)
    where = {id(n): i for i, n in enumerate(nodes)}
    params = {id(p) for p in layer.parameters()}
    (group,) = find_dot_groups(nodes, lambda i: id(nodes[i]) in params)
    assert group.xs == tuple(where[id(x)] for x in xs)
    assert [c.top for c in group.chains] == [where[id(o)] for o in outs]
    for chain, neuron in zip(group.chains, layer.neurons):
        assert chain.weights == [where[id(w)] for w in neuron.w]
        assert chain.base == where[id(neuron.b)]
        assert len(chain.inner) == 2 * 3 - 1  # 3 products, 2 adds below the top
        assert chain.top not in chain.inner and chain.base not in chain.inner


def test_a_chain_whose_partial_sum_is_used_again_keeps_that_sum() -> None:
    w = [Value(0.1 * (k + 1)) for k in range(6)]
    b = Value(0.3)

    def fn(x: list[Value], t: Value) -> Value:
        s = b + w[0] * x[0] + w[1] * x[1]  # a chain, and the base of the next one
        u = s + w[2] * x[0] + w[3] * x[1]
        return (u * s - t) ** 2 + (w[4] * s + w[5] * u).tanh()  # a chain over (s, u)

    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(7, 2)), rng.normal(size=7)
    source = _assert_same(fn, w + [b], X, y)
    assert _products(source) == 2  # (x0, x1) for s and u's terms; (s, u) for the tanh's argument


def test_weights_shared_between_chains_and_used_elsewhere_get_every_path() -> None:
    w = [Value(0.5 - 0.2 * k) for k in range(4)]

    def fn(x: list[Value], t: Value) -> Value:
        h0 = w[0] * x[0] + w[1] * x[1] + w[2] * x[2]
        h1 = w[1] * x[0] + w[0] * x[1] + w[3] * x[2]  # the same weights in another chain
        return (h0.tanh() * h1 - t) ** 2 + w[0] * w[1] * h0  # and outside any chain

    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=6)
    assert _products(_assert_same(fn, w, X, y, mean=True)) == 1


@settings(max_examples=40, deadline=None)
@given(n_in=st.integers(1, 3), n_hidden=st.integers(1, 4), picks=st.lists(st.integers(0, 7), min_size=16, max_size=16),
       n=st.integers(1, 5), seed=st.integers(0, 2**16), activation=st.sampled_from(["relu", "tanh", "none"]),
       mean=st.booleans())
def test_fused_replays_equal_the_eager_loop(n_in: int, n_hidden: int, picks: list[int], n: int, seed: int,
                                            activation: str, mean: bool) -> None:
    """Random two-layer programs over a pool of eight weights (so chains share weights, and a
    weight can also be a chain's value): the replay gives the eager loop's loss and gradients."""
    rng = np.random.default_rng(seed)
    pool = [Value(float(v)) for v in rng.uniform(-1.0, 1.0, size=8)]
    pick = iter(picks * 4)

    def act(v: Value) -> Value:
        return v if activation == "none" else getattr(v, activation)()

    def fn(x: list[Value], t: Value) -> Any:
        nonlocal pick
        pick = iter(picks * 4)  # the same program on every call (compile checks it on the first batch)
        values = x + [pool[next(pick) % 8]]  # one value is itself a weight
        hidden = []
        for _ in range(n_hidden):
            h = pool[next(pick) % 8]
            for v in values:
                h = h + pool[next(pick) % 8] * v
            hidden.append(act(h))
        out = pool[next(pick) % 8] * hidden[0]
        for h in hidden[1:]:
            out = out + pool[next(pick) % 8] * h
        return (out - t) ** 2

    def fresh() -> Callable[..., Any]:
        nonlocal pick
        pick = iter(picks * 4)
        return fn

    X, y = rng.normal(size=(n, n_in)), rng.normal(size=n)
    want_total, want = _eager(lambda x, t: fresh()(x, t), pool, X, y, mean)
    pick = iter(picks * 4)
    got_total, got, _ = _compiled(fn, pool, X, y, mean)
    assert got_total == pytest.approx(want_total, rel=1e-10, abs=1e-12)
    for a, b in zip(got, want):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12)
