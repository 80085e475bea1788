"""Backward semantics (PyTorch's): accumulation, zero_grad, retain_graph, freed graphs, non-scalar
outputs, no_grad, detach, create_graph, requires_grad propagation, dtypes, deep chains, x*x edges."""
from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_core import Tensor, Value, enable_grad, gradients, no_grad, topological_order


# ---- accumulation, zero_grad, retain_graph, freed graphs --------------------------------------------


def test_gradients_accumulate_across_backward_calls() -> None:
    x = Value(2.0)
    (x * 3.0).backward()
    (x * x).backward()
    assert x.grad == 3.0 + 4.0
    t = Tensor([1.0, -2.0], requires_grad=True)
    (t * 5.0).sum().backward()
    (t * t).sum().backward()
    np.testing.assert_array_equal(t.grad, [5.0 + 2.0, 5.0 - 4.0])


def test_zero_grad_resets() -> None:
    x = Value(2.0)
    (x * 3.0).backward()
    x.zero_grad()
    assert x.grad == 0.0
    (x * 4.0).backward()
    assert x.grad == 4.0
    t = Tensor([1.0], requires_grad=True)
    (t * 2.0).sum().backward()
    t.zero_grad()
    assert t.grad is None


def test_retain_graph_allows_a_second_backward_that_doubles_exactly() -> None:
    x = Value(0.3)
    y = (x.tanh() * x).exp()
    y.backward(retain_graph=True)
    first = x.grad
    y.backward()
    assert x.grad == 2.0 * first
    t = Tensor([0.5, -1.0], requires_grad=True)
    out = (t.sigmoid() * t).sum()
    out.backward(retain_graph=True)
    g1 = t.grad.copy()
    out.backward()
    np.testing.assert_array_equal(t.grad, 2.0 * g1)


@pytest.mark.parametrize("make", [lambda: Value(1.5), lambda: Tensor([1.5, 2.0], requires_grad=True)])
def test_second_backward_on_a_freed_graph_raises(make) -> None:
    x = make()
    y = (x * x).exp()
    y = y.sum() if isinstance(y, Tensor) else y
    y.backward()
    before = np.copy(x.grad)
    with pytest.raises(RuntimeError, match=r"backward.*second time.*retain_graph=True"):
        y.backward()
    np.testing.assert_array_equal(x.grad, before)  # never silently doubled


def test_a_new_graph_from_the_same_leaves_still_works_after_freeing() -> None:
    x = Value(2.0)
    (x * x).backward()
    (x * x).backward()
    assert x.grad == 8.0


# ---- seeds ---------------------------------------------------------------------------------------


def test_backward_on_a_non_scalar_without_grad_raises() -> None:
    t = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"backward: output has shape \(3,\).*needs grad="):
        (t * 2.0).backward()


def test_backward_with_explicit_grad_on_a_non_scalar() -> None:
    t = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    (t * t).backward(grad=np.array([1.0, 10.0, 100.0]))
    np.testing.assert_array_equal(t.grad, [2.0, 40.0, 600.0])
    m = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    (m @ Tensor([1.0, -1.0, 2.0])).backward(grad=[3.0, -1.0])
    np.testing.assert_array_equal(m.grad, [[3.0, -3.0, 6.0], [-1.0, 1.0, -2.0]])


def test_backward_grad_of_wrong_shape_raises() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"grad has shape \(3,\) but the output has shape \(2,\)"):
        (t * 2.0).backward(grad=np.ones(3))


def test_backward_of_a_scalar_value_with_a_seed() -> None:
    x = Value(3.0)
    (x * x).backward(grad=0.5)
    assert x.grad == 3.0


# ---- what gets a gradient ----------------------------------------------------------------------------


def test_intermediate_nodes_get_gradients_too() -> None:
    x = Value(2.0)
    h = x * 3.0
    y = h * h
    y.backward()
    assert h.grad == 2 * 6.0
    assert x.grad == 2 * 6.0 * 3.0
    assert y.grad == 1.0


def test_x_times_x_has_two_parent_edges_and_gradient_2x() -> None:
    x = Value(-1.25, label="x")
    y = x * x
    assert y.parents == (x, x)
    assert y.op_name == "mul"
    y.backward()
    assert x.grad == -2.5
    t = Tensor([3.0, -4.0], requires_grad=True)
    z = t * t
    assert z.parents == (t, t)
    z.sum().backward()
    np.testing.assert_array_equal(t.grad, [6.0, -8.0])


def test_constant_operand_is_a_parent_that_does_not_require_grad() -> None:
    x = Value(2.0)
    y = x * 2
    assert len(y.parents) == 2 and y.parents[0] is x
    assert y.parents[1].data == 2.0 and not y.parents[1].requires_grad
    y.backward()
    assert y.parents[1].grad == 0.0
    assert x.grad == 2.0


def test_requires_grad_propagation() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0])
    assert (a + b).requires_grad and (b * a).requires_grad
    c = b * b
    assert not c.requires_grad and c.parents == () and c.op is None
    assert Value(1.0).requires_grad
    k = Value(1.0, requires_grad=False)
    assert not (k * 2.0).requires_grad
    (a * b).sum().backward()
    assert b.grad is None
    np.testing.assert_array_equal(a.grad, [3.0, 4.0])


def test_backward_from_an_output_that_does_not_require_grad_raises() -> None:
    b = Tensor([3.0, 4.0])
    with pytest.raises(RuntimeError, match="does not require grad"):
        b.sum().backward()


def test_gradients_function_leaves_grad_untouched() -> None:
    x, y = Value(2.0), Value(5.0)
    out = x * y + x
    gx, gy, gz = gradients(out, [x, y, Value(1.0)])
    assert (gx, gy, gz) == (6.0, 2.0, 0.0)
    assert x.grad == 0.0 and y.grad == 0.0


def test_topological_order_puts_parents_first_and_is_deterministic() -> None:
    x, y = Value(1.0), Value(2.0)
    z = (x * y + x).tanh()
    order = topological_order(z)
    position = {node.id: i for i, node in enumerate(order)}
    for node in order:
        for p in node.parents:
            assert position[p.id] < position[node.id]
    assert order[-1] is z
    assert [n.id for n in topological_order(z)] == [n.id for n in order]
    assert len({n.id for n in order}) == len(order)


# ---- no_grad, enable_grad, detach ---------------------------------------------------------------


def test_no_grad_context_records_nothing() -> None:
    x = Value(2.0)
    t = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        y = x * x + 1.0
        u = (t * t).sum()
        with enable_grad():
            w = x * 3.0
    assert (y.data, y.parents, y.op, y.requires_grad) == (5.0, (), None, False)
    assert u.item() == 5.0 and u.parents == () and not u.requires_grad
    assert w.requires_grad and w.parents[0] is x
    z = x * x
    assert z.requires_grad and z.parents == (x, x)  # recording is back on after the block


def test_no_grad_as_a_decorator() -> None:
    @no_grad()
    def f(v: Value) -> Value:
        return v.exp() * v

    x = Value(0.0)
    out = f(x)
    assert out.data == 0.0 and out.parents == () and not out.requires_grad
    assert (x * 2.0).requires_grad


def test_no_grad_restores_state_after_an_exception() -> None:
    x = Value(1.0)
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            raise ZeroDivisionError
    assert (x * 2.0).requires_grad


def test_detach_cuts_the_graph() -> None:
    x = Value(3.0)
    d = (x * 2.0).detach()
    assert d.data == 6.0 and d.parents == () and not d.requires_grad and d.is_leaf
    (d * x).backward()
    assert x.grad == 6.0  # d is a constant: no path back through x * 2
    t = Tensor([1.0, 2.0], requires_grad=True)
    dt = (t * 2.0).detach()
    assert not dt.requires_grad and dt.parents == ()
    np.testing.assert_array_equal(dt.data, [2.0, 4.0])
    (dt * t).sum().backward()
    np.testing.assert_array_equal(t.grad, [2.0, 4.0])


# ---- create_graph --------------------------------------------------------------------------------


def test_create_graph_gives_second_derivatives_values() -> None:
    x = Value(2.0)
    y = x ** 3
    y.backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value) and g.data == 12.0  # 3x^2
    assert g.requires_grad
    x.zero_grad()
    g.backward()
    assert x.grad == 12.0  # 6x


def test_create_graph_third_derivative_of_sin_like_tanh() -> None:
    x = Value(0.4)
    (g1,) = gradients(x.tanh(), [x], create_graph=True)
    (g2,) = gradients(g1, [x], create_graph=True)
    (g3,) = gradients(g2, [x])
    t = math.tanh(0.4)
    assert g1.data == pytest.approx(1 - t * t, rel=1e-14)
    assert g2.data == pytest.approx(-2 * t * (1 - t * t), rel=1e-13)
    assert g3 == pytest.approx(-2 * (1 - t * t) ** 2 + 4 * t * t * (1 - t * t), rel=1e-12)


def test_create_graph_tensor_hessian_vector_product() -> None:
    x = Tensor([1.0, -2.0, 0.5], requires_grad=True)
    f = (x ** 3).sum() + (x[0] * x[1])
    (g,) = gradients(f, [x], create_graph=True)
    np.testing.assert_allclose(g.data, 3 * x.data ** 2 + np.array([-2.0, 1.0, 0.0]))
    v = np.array([1.0, 2.0, 3.0])
    (hv,) = gradients((g * v).sum(), [x])
    hess = np.diag(6 * x.data) + np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]])
    np.testing.assert_allclose(hv, hess @ v)


# ---- dtypes --------------------------------------------------------------------------------------


def test_float32_stays_float32_through_ops_and_grads() -> None:
    a = Tensor(np.linspace(-1, 1, 6).reshape(2, 3), requires_grad=True, dtype=np.float32)
    w = Tensor(np.ones((3, 2)), requires_grad=True, dtype="float32")
    h = (a @ w).tanh() * 2.0 + 1
    h = h.sigmoid().softmax(axis=-1).log() + (a.exp().sum(axis=1, keepdims=True) / 3.0)
    h = h.maximum(a[:, :2].relu()) ** 2
    out = h.mean() + a.abs().max() - a.logsumexp(axis=0).sum()
    assert out.dtype == np.float32
    out.backward()
    assert a.grad.dtype == np.float32 and w.grad.dtype == np.float32
    assert np.all(np.isfinite(a.grad))
    assert Tensor([1, 2]).dtype == np.float64  # ints become float64 by default


# ---- deep chains -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_chain_of_a_million_value_ops_runs_backward_iteratively() -> None:
    x = Value(1.0)
    c = Value(1.000001, requires_grad=False)
    y = x
    for _ in range(1_000_000):
        y = y * c
    y.backward()
    expected = math.exp(1_000_000 * math.log1p(1e-6))  # c ** 1e6, about e
    assert y.data == pytest.approx(expected, rel=1e-9)
    assert x.grad == pytest.approx(expected, rel=1e-9)
    assert x.grad == pytest.approx(2.718280469, rel=1e-9)


# ---- gradients are owned by their node ----------------------------------------------------------------


def test_repeated_indices_accumulate_through_the_public_api() -> None:
    t = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    (t[[0, 0, 2]] * Tensor([1.0, 10.0, 100.0])).sum().backward()
    np.testing.assert_array_equal(t.grad, [11.0, 0.0, 100.0])


def test_create_graph_backward_can_be_followed_by_a_plain_backward() -> None:
    x = Value(2.0)
    y = x ** 3
    y.backward(create_graph=True)  # retains the graph
    y.backward()
    assert float(x.grad.data if isinstance(x.grad, Value) else x.grad) == 24.0


def test_grads_of_different_nodes_are_independent_arrays() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    y = a + b
    y.backward(np.ones(2))
    a.grad += 10.0  # e.g. an optimizer adding weight decay in place
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])
    np.testing.assert_array_equal(y.grad, [1.0, 1.0])


def test_backward_does_not_keep_the_callers_seed_array() -> None:
    seed = np.array([1.0, 1.0])
    d = Tensor([5.0, 5.0], requires_grad=True)
    (d + 0.0).backward(seed)
    seed[0] = 100.0
    np.testing.assert_array_equal(d.grad, [1.0, 1.0])
