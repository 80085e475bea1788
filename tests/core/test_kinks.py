"""Ties and kinks have stated behaviour: max/min split ties evenly (n-ary too), relu'(0) = 0,
step' = 0 everywhere, |x|'(0) = 0."""
from __future__ import annotations

import numpy as np
import pytest

import autograd_core as ac
from autograd_core import Tensor, Value


@pytest.mark.parametrize("fn", [ac.max, ac.min])
def test_two_way_tie_splits_evenly_values(fn) -> None:
    a, b = Value(2.0), Value(2.0)
    out = fn(a, b)
    out.backward()
    assert out.data == 2.0
    assert (a.grad, b.grad) == (0.5, 0.5)


@pytest.mark.parametrize("fn", [ac.max, ac.min])
def test_three_way_tie_gives_a_third_each_values(fn) -> None:
    xs = [Value(-1.5) for _ in range(3)]
    fn(*xs).backward()
    assert [x.grad for x in xs] == pytest.approx([1 / 3] * 3, abs=1e-15)
    ys = [Value(0.25) for _ in range(3)]
    fn(ys).backward()  # list form
    assert [y.grad for y in ys] == pytest.approx([1 / 3] * 3, abs=1e-15)


def test_partial_tie_among_three_values() -> None:
    a, b, c = Value(3.0), Value(1.0), Value(3.0)
    ac.max(a, b, c).backward()
    assert (a.grad, b.grad, c.grad) == (0.5, 0.0, 0.5)
    a, b, c = Value(3.0), Value(1.0), Value(1.0)
    ac.min(a, b, c).backward()
    assert (a.grad, b.grad, c.grad) == (0.0, 0.5, 0.5)


def test_max_without_tie_sends_everything_to_the_winner() -> None:
    a, b = Value(1.0), Value(4.0)
    (ac.max(a, b) * 3.0).backward()
    assert (a.grad, b.grad) == (0.0, 3.0)


def test_max_of_a_node_with_itself_has_gradient_one() -> None:
    x = Value(0.7)
    ac.max(x, x).backward()
    assert x.grad == 1.0


def test_elementwise_maximum_ties_tensor() -> None:
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = Tensor([1.0, 5.0, 0.0], requires_grad=True)
    c = Tensor([1.0, 2.0, -1.0], requires_grad=True)
    ac.max(a, b, c).sum().backward()
    np.testing.assert_allclose(a.grad, [1 / 3, 0.0, 1.0], atol=1e-15)
    np.testing.assert_allclose(b.grad, [1 / 3, 1.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(c.grad, [1 / 3, 0.0, 0.0], atol=1e-15)


def test_elementwise_minimum_tie_with_broadcast() -> None:
    a = Tensor([[2.0], [0.0]], requires_grad=True)  # (2, 1)
    b = Tensor([2.0, 1.0, 2.0], requires_grad=True)  # (3,)
    a.minimum(b).sum().backward()
    # row 0: a=2 vs b=(2,1,2): ties at cols 0 and 2, b wins col 1 -> a gets 0.5+0+0.5
    # row 1: a=0 wins all three columns -> a gets 3
    np.testing.assert_allclose(a.grad, [[1.0], [3.0]])
    np.testing.assert_allclose(b.grad, [0.5, 1.0, 0.5])


@pytest.mark.parametrize("method", ["max", "min"])
def test_reduction_ties_split_evenly(method: str) -> None:
    data = np.array([[3.0, 3.0, 3.0], [1.0, 4.0, 4.0]]) * (1 if method == "max" else -1)
    t = Tensor(data, requires_grad=True)
    getattr(t, "a" + method)(dim=1).sum().backward()  # amax/amin split ties, as torch's do
    np.testing.assert_allclose(t.grad, [[1 / 3, 1 / 3, 1 / 3], [0.0, 0.5, 0.5]], atol=1e-15)
    t2 = Tensor(data, requires_grad=True)
    getattr(t2, method)().backward()  # over all axes: the two 4s (or -4s) tie
    np.testing.assert_allclose(t2.grad, [[0, 0, 0], [0, 0.5, 0.5]])


def test_single_tensor_max_function_reduces_all() -> None:
    t = Tensor([[1.0, 7.0], [7.0, 2.0]], requires_grad=True)
    out = ac.max(t)
    out.backward()
    assert out.item() == 7.0
    np.testing.assert_allclose(t.grad, [[0, 0.5], [0.5, 0]])


def test_relu_derivative_at_zero_is_zero() -> None:
    for x, expected in ((0.0, 0.0), (-0.0, 0.0), (1e-300, 1.0), (-2.0, 0.0), (3.0, 1.0)):
        v = Value(x)
        v.relu().backward()
        assert v.grad == expected, x
    t = Tensor([0.0, -1.0, 2.0, 1e-300], requires_grad=True)
    t.relu().sum().backward()
    np.testing.assert_array_equal(t.grad, [0.0, 0.0, 1.0, 1.0])


def test_step_gradient_is_zero_everywhere() -> None:
    for x in (0.0, -3.0, 2.5, 1e-12):
        v = Value(x)
        out = v.step()
        out.backward()
        assert out.data == (1.0 if x > 0 else 0.0)
        assert v.grad == 0.0
    t = Tensor([-1.0, 0.0, 2.0], requires_grad=True)
    out = t.step()
    out.sum().backward()
    np.testing.assert_array_equal(out.data, [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(t.grad, [0.0, 0.0, 0.0])


def test_abs_derivative_at_zero_is_zero() -> None:
    v = Value(0.0)
    v.abs().backward()
    assert v.grad == 0.0
    t = Tensor([-2.0, 0.0, 3.0], requires_grad=True)
    abs(t).sum().backward()
    np.testing.assert_array_equal(t.grad, [-1.0, 0.0, 1.0])
