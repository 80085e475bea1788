"""Gradients at the edges, as PyTorch gives them: where a derivative is infinite at a domain edge
(asin and acos at ±1) backward gives ±inf, on Values (no ZeroDivisionError) and on Tensors (no
numpy warning); atan2's gradient at the origin is 0 (not the formula's 0/0 = NaN)."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from autograd_core import OPS, Tensor, Value
from autograd_core.ops.formula import RULE_NAMESPACE, scalar_div

# (op, input, torch's gradient) for d/dx at the edge, with g = 1
EDGES = [("asin", 1.0, math.inf), ("asin", -1.0, math.inf), ("acos", 1.0, -math.inf), ("acos", -1.0, -math.inf)]


@pytest.mark.parametrize("name, x, expected", EDGES)
def test_a_value_backward_at_the_edge_gives_the_infinite_slope(name: str, x: float, expected: float) -> None:
    v = Value(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        getattr(v, name)().backward()
    assert v.grad == expected


@pytest.mark.parametrize("name, x, expected", EDGES)
def test_a_tensor_backward_at_the_edge_gives_the_infinite_slope_without_a_warning(name: str, x: float,
                                                                                 expected: float) -> None:
    t = Tensor(np.array([x, 0.5]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        getattr(t, name)().sum().backward()
    inside = 1 / math.sqrt(1 - 0.25) * (1 if name == "asin" else -1)
    assert t.grad[0] == expected and t.grad[1] == pytest.approx(inside, rel=1e-15)


@pytest.mark.parametrize("name, x, expected", EDGES)
def test_the_edges_agree_with_pytorch(name: str, x: float, expected: float) -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle here; closed forms are checked above")
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    getattr(torch, name)(tx).backward()
    assert float(tx.grad) == expected


def test_float_division_follows_ieee_where_python_raises() -> None:
    assert scalar_div(1.0, 0.0) == math.inf and scalar_div(-1.0, 0.0) == -math.inf
    assert scalar_div(1.0, -0.0) == -math.inf and math.isnan(scalar_div(0.0, 0.0))
    assert scalar_div(3.0, 2.0) == 1.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert list(RULE_NAMESPACE["divide"](np.array([1.0, 0.0]), np.array([0.0, 0.0]))[:1]) == [math.inf]


def test_formula_division_is_guarded_in_the_inline_code_and_plain_where_the_divisor_is_not_zero() -> None:
    """The float code divides without a call when the divisor is not zero (the fast path stays a `/`)."""
    assert OPS["div"].inline.vjp[0] == "g / b if b != 0.0 else scalar_div(g, b)"
    assert OPS["asin"].inline.vjp[0].startswith("g / _d0 if (_d0 := SCALAR_sqrt(1.0 - x * x)) != 0.0")
    assert OPS["tanh"].inline.vjp[0] == "g * (1.0 - out * out)"   # no division: unchanged
    a, b = Value(3.0), Value(4.0)
    (a / b).backward()
    assert a.grad == 0.25 and b.grad == -3.0 / 16.0


def test_atan2_at_the_origin_has_gradient_zero_and_elsewhere_its_closed_form() -> None:
    a, b = Value(0.0), Value(0.0)
    a.atan2(b).backward()
    assert (a.grad, b.grad) == (0.0, 0.0)
    ta = Tensor(np.array([0.0, 1.0, -0.5]), requires_grad=True)
    tb = Tensor(np.array([0.0, 2.0, 0.25]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ta.atan2(tb).sum().backward()
    squares = np.array([1.0, 5.0, 0.3125])  # a² + b² (1 stands in at the origin, where the gradient is 0)
    np.testing.assert_allclose(ta.grad, np.array([0.0, 2.0, 0.25]) / squares * [0, 1, 1], rtol=1e-15)
    np.testing.assert_allclose(tb.grad, -np.array([0.0, 1.0, -0.5]) / squares * [0, 1, 1], rtol=1e-15)
    v, w = Value(1.0), Value(2.0)
    v.atan2(w).backward()
    assert v.grad == pytest.approx(0.4, rel=1e-15) and w.grad == pytest.approx(-0.2, rel=1e-15)


def test_atan2_at_the_origin_agrees_with_pytorch() -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle here; the closed form is checked above")
    ta = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
    tb = torch.tensor([0.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.atan2(ta, tb).sum().backward()
    a = Tensor(np.array([0.0, 1.0]), requires_grad=True)
    b = Tensor(np.array([0.0, 2.0]), requires_grad=True)
    a.atan2(b).sum().backward()
    np.testing.assert_array_equal(a.grad, ta.grad.numpy())
    np.testing.assert_array_equal(b.grad, tb.grad.numpy())
