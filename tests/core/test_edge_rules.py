"""Edge rules with PyTorch's answers: x**0 at 0, dtype of .grad, empty indices, max/min over many ties."""
from __future__ import annotations

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor, Value, grad
from autograd_core.ops import elementwise as E


def test_x_to_the_zero_at_zero_has_zero_derivatives_to_second_order() -> None:
    x = Value(0.0)
    y = x ** 0
    y.backward(create_graph=True)
    assert y.data == 1.0 and x.grad.data == 0.0
    assert grad(grad(lambda v: v ** 0))(0.0) == 0.0
    t = Tensor([0.0, 2.0], requires_grad=True)
    (t ** 0).sum().backward()
    np.testing.assert_array_equal(t.grad, [0.0, 0.0])


def test_x_to_the_y_at_zero_zero_matches_torch() -> None:
    # torch: d/dx 0**0 = 0, d/dy 0**0 = 0 (its rule masks log(0) where the base is 0).
    x, y = Value(0.0), Value(0.0)
    (x ** y).backward()
    assert (x.grad, y.grad) == (0.0, 0.0)
    xs = Tensor([0.0, 0.0, 2.0], requires_grad=True)
    ys = Tensor([0.0, 2.0, 0.0], requires_grad=True)
    (xs ** ys).sum().backward(create_graph=True)
    np.testing.assert_array_equal(xs.grad.data, [0.0, 0.0, 0.0])
    np.testing.assert_allclose(ys.grad.data, [0.0, 0.0, np.log(2.0)])  # 2**0 log 2
    torch = pytest.importorskip("torch")
    tx = torch.tensor([0.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    ty = torch.tensor([0.0, 2.0, 0.0], dtype=torch.float64, requires_grad=True)
    (tx ** ty).sum().backward()
    np.testing.assert_allclose(xs.grad.data, tx.grad.numpy())
    np.testing.assert_allclose(ys.grad.data, ty.grad.numpy())


def test_grad_keeps_the_leafs_own_dtype() -> None:
    w = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    x = Tensor(np.array([1.0, 2.0, 3.0]))  # float64
    (w * x).sum().backward()
    assert w.grad.dtype == np.float32
    np.testing.assert_array_equal(w.grad, np.array([1.0, 2.0, 3.0], dtype=np.float32))
    h = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    (h * x).sum().backward()  # broadcast and mixed dtype together
    assert h.grad.dtype == np.float32 and h.grad.shape == (2, 3)


def test_empty_integer_index_gives_an_empty_result_and_a_zero_gradient() -> None:
    t = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    e = t[[]]
    assert e.shape == (0, 3)
    (e.sum() + t.sum() * 0.0).backward()
    np.testing.assert_array_equal(t.grad, np.zeros((2, 3)))
    torch = pytest.importorskip("torch")
    assert tuple(torch.zeros(2, 3)[[]].shape) == e.shape


@pytest.mark.parametrize("reduce", [ag.max, ag.min])
def test_max_min_over_many_equal_values_split_evenly_in_one_linear_pass(reduce, monkeypatch) -> None:
    n = 20_000
    calls: list[int] = []
    share = E.tie_shares

    def counted(ans, xs):
        calls.append(len(xs))
        return share(ans, xs)

    monkeypatch.setattr(E, "tie_shares", counted)
    xs = [Value(1.5) for _ in range(n)]
    reduce(*xs).backward()
    assert calls == [n]  # one counting pass for all n inputs (not one per input: O(n^2))
    assert all(x.grad == 1.0 / n for x in xs)
    t = Tensor([[1.0, 3.0], [3.0, 3.0]], requires_grad=True)
    u = Tensor([[3.0, 3.0], [0.0, 3.0]], requires_grad=True)
    reduce(t, u, t).sum().backward()
    expected_t = [[0.0, 2 / 3], [1.0, 2 / 3]] if reduce is ag.max else [[1.0, 2 / 3], [0.0, 2 / 3]]
    expected_u = [[1.0, 1 / 3], [0.0, 1 / 3]] if reduce is ag.max else [[0.0, 1 / 3], [1.0, 1 / 3]]
    np.testing.assert_allclose(t.grad, expected_t)
    np.testing.assert_allclose(u.grad, expected_u)


def test_backward_from_a_bare_leaf_gives_it_a_gradient_of_one() -> None:
    v = Value(1.0)
    v.backward()
    assert v.grad == 1.0
    t = Tensor([2.0, 3.0], requires_grad=True)
    t.backward(np.array([1.0, -1.0]))
    np.testing.assert_array_equal(t.grad, [1.0, -1.0])
    assert grad(lambda x: x)(4.0) == 1.0
