"""compile(batched=True): a per-sample Value program replayed over a batch equals the eager Value loop."""
from __future__ import annotations


import numpy as np
import pytest

import autograd_core as ac
import nn
from autograd_core import Value
from nn.optim import SGD
from worlds import value_total


def _data(k: int = 0, n: int = 12) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(k)
    X = rng.normal(size=(n, 2))
    return X, np.where(X[:, 0] > X[:, 1], 1.0, -1.0)


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_batched_value_steps_equal_the_eager_value_loop(reduction: str) -> None:
    m_e, m_c = nn.scalar.MLP(2, [6, 6, 1], seed=1), nn.scalar.MLP(2, [6, 6, 1], seed=1)
    o_e, o_c = SGD(m_e.parameters(), lr=0.05), SGD(m_c.parameters(), lr=0.05)
    per_sample = ac.compile(lambda x, t: (1.0 - t * m_c(x)).relu() + (m_c(x) - t) ** 2,
                            batched=True, reduction=reduction)
    for k in range(15):
        X, y = _data(k)
        o_e.zero_grad()
        losses = [(1.0 - float(t) * m_e([Value(a), Value(b)])).relu() + (m_e([Value(a), Value(b)]) - float(t)) ** 2
                  for (a, b), t in zip(X, y)]
        total = value_total(losses, reduction)
        total.backward()
        o_e.step()
        o_c.zero_grad()
        got = per_sample(X, y)
        o_c.step()
        assert got == pytest.approx(total.data, rel=1e-9)
        for p, q in zip(m_e.parameters(), m_c.parameters()):
            assert q.grad == pytest.approx(p.grad, rel=1e-9, abs=1e-12)
            assert q.data == pytest.approx(p.data, rel=1e-9, abs=1e-12)
    assert per_sample.traces == 1


def test_batched_scalar_rows_and_retrace_on_new_row_width() -> None:
    w = Value(2.0, requires_grad=True)
    f = ac.compile(lambda x: (w * x - 1.0) ** 2, batched=True)
    xs = np.array([0.0, 1.0, 2.0])
    assert f(xs) == pytest.approx(1.0 + 1.0 + 9.0)
    assert w.grad == pytest.approx(sum(2 * (2.0 * x - 1.0) * x for x in xs))
    g = ac.compile(lambda row: (w * row[0] + row[1]) ** 2, batched=True)
    w.grad = 0.0
    assert g(np.array([[1.0, 1.0], [0.0, 2.0]])) == pytest.approx(9.0 + 4.0)
    assert w.grad == pytest.approx(2 * 3.0 * 1.0)
    with pytest.raises(IndexError):
        g(np.array([[1.0], [2.0]]))  # rows of width 1: re-traced, and the function reads row[1]


def test_batched_bad_input_raises_clear_errors() -> None:
    w = Value(1.0, requires_grad=True)
    with pytest.raises(ValueError, match="reduction must be 'sum' or 'mean', got 'max'"):
        ac.compile(lambda x: w * x, batched=True, reduction="max")
    f = ac.compile(lambda x, t: w * x + t, batched=True)
    with pytest.raises(ValueError, match=r"argument 1 has shape \(2,\); expected a batch of 3 samples"):
        f(np.ones(3), np.ones(2))
    with pytest.raises(TypeError, match="must return a Value, got float"):
        ac.compile(lambda x: 1.0, batched=True)(np.ones(3))
    with pytest.raises(ValueError, match="depends on no parameter"):
        ac.compile(lambda x: x * 2.0, batched=True)(np.ones(3))


def test_compiling_a_whole_value_step_points_to_the_batched_path() -> None:
    m = nn.scalar.MLP(2, [3, 1], seed=0)
    opt = SGD(m.parameters(), lr=0.1)

    def step(x: np.ndarray) -> None:
        opt.zero_grad()
        m([Value(1.0), Value(2.0)]).backward()
        opt.step()
    with pytest.raises(ac.TraceError, match=r"Value parameters.*batched=True"):
        ac.compile(step)(np.ones(2))
