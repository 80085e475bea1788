"""Nested transforms compose: grad of grad, closures over outer inputs, no perturbation confusion."""
from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_core import Tensor, Value, grad, hessian, jacobian, value_and_grad


def test_inner_grad_closing_over_the_outer_input() -> None:
    # f(x) = x * d/dy (x y) = x^2, so f'(1) = 2 (HIPS autograd, JAX, torch create_graph agree).
    assert grad(lambda x: x * grad(lambda y: x * y)(2.0))(1.0) == pytest.approx(2.0, abs=1e-15)


def test_mixed_partial_of_nested_tanh_against_the_closed_form() -> None:
    f = lambda x, y: (x.tanh() + y.tanh()).tanh()  # noqa: E731
    x, y = 0.3, -0.5
    s = math.tanh(x) + math.tanh(y)
    # d2f/dxdy = -2 tanh(s) (1 - tanh(s)^2) (1 - tanh(x)^2) (1 - tanh(y)^2)
    closed = -2 * math.tanh(s) * (1 - math.tanh(s) ** 2) * (1 - math.tanh(x) ** 2) * (1 - math.tanh(y) ** 2)
    got = grad(grad(f, 1), 0)(x, y)
    assert got == pytest.approx(closed, rel=1e-12)
    assert got == pytest.approx(0.2365273902, rel=1e-9)
    assert grad(grad(f, 0), 1)(x, y) == pytest.approx(closed, rel=1e-12)


def test_no_perturbation_confusion_when_the_inner_input_is_the_outer_one() -> None:
    # d/dx [ d/dy (x y) at y = x ] = d/dx x = 1 (a confused engine gives 2).
    assert grad(lambda x: grad(lambda y: x * y)(x))(1.0) == pytest.approx(1.0)
    # Siskind & Pearlmutter's example: d/dx [x * d/dy (x + y)|_{y=1}] at x = 1 is 1.
    assert grad(lambda x: x * grad(lambda y: x + y)(1.0))(1.0) == pytest.approx(1.0)


def test_third_derivative_by_triple_nesting() -> None:
    d3 = grad(grad(grad(lambda x: x ** 4 + x.exp())))
    assert d3(2.0) == pytest.approx(24 * 2.0 + math.exp(2.0), rel=1e-12)


def test_value_and_grad_inside_grad_returns_nodes_the_outer_can_differentiate() -> None:
    def outer(x: Value) -> Value:
        value, slope = value_and_grad(lambda y: (x * y).exp())(0.5)
        return value * slope  # e^{x/2} * x e^{x/2} = x e^x
    assert grad(outer)(1.0) == pytest.approx(2 * math.e, rel=1e-12)  # (1 + x) e^x


def test_hessian_equals_nested_grads_for_a_three_variable_function() -> None:
    def f(v: Tensor) -> Tensor:
        x, y, z = v[0], v[1], v[2]
        return (x * y).tanh() * z + (y * z).sigmoid() * x * x

    point = np.array([0.3, -0.7, 1.1])
    h = hessian(f)(point)
    for i in range(3):
        for j in range(3):
            ei, ej = Tensor(_unit(i)), Tensor(_unit(j))
            mixed = grad(lambda a, ei=ei, ej=ej: grad(lambda b: f(Tensor(point) + ei * a + ej * b))(np.array(0.0)))(
                np.array(0.0))
            assert h[i, j] == pytest.approx(mixed, rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(h, h.T, atol=1e-14)


def _unit(i: int) -> np.ndarray:
    e = np.zeros(3)
    e[i] = 1.0
    return e


def test_jacobian_of_grad_inside_grad() -> None:
    # g(x) = sum_i x_i^3 ; jacobian(grad g) = diag(6 x); grad of trace of that = 6 * ones.
    def trace_of_hessian(x: Tensor) -> Tensor:
        h = jacobian(grad(lambda v: (v ** 3).sum()))(x)
        return (h * Tensor(np.eye(3))).sum()
    np.testing.assert_allclose(grad(trace_of_hessian)(np.array([1.0, 2.0, -1.0])), [6.0, 6.0, 6.0], rtol=1e-12)


def test_nested_mixed_partials_match_torch() -> None:
    torch = pytest.importorskip("torch")
    def f(x: Value | float, y: Value | float) -> Value:
        x, y = (v if isinstance(v, Value) else Value(v, requires_grad=False) for v in (x, y))
        return (x * y.exp() + (x * x).tanh() * y).sigmoid()
    ours = [[grad(grad(f, j), i)(0.4, -0.3) for j in (0, 1)] for i in (0, 1)]
    tx = torch.tensor(0.4, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(-0.3, dtype=torch.float64, requires_grad=True)
    out = torch.sigmoid(tx * ty.exp() + torch.tanh(tx * tx) * ty)
    gx, gy = torch.autograd.grad(out, (tx, ty), create_graph=True)
    theirs = [[torch.autograd.grad(g, v, retain_graph=True)[0].item() for g in (gx, gy)] for v in (tx, ty)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_top_level_results_stay_raw_numbers() -> None:
    assert isinstance(grad(lambda x: x * x)(3.0), float)
    assert isinstance(hessian(lambda v: (v * v).sum())(np.ones(2)), np.ndarray)
