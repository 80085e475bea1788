"""Functional API against closed forms: grad, value_and_grad, jacobian, hessian; gradcheck and
gradgradcheck accept correct functions and reject deliberately wrong rules with a precise message."""
from __future__ import annotations

import itertools
import re
from typing import Iterator

import numpy as np
import pytest

from autograd_core import (OPS, GradcheckError, Op, Tensor, Value, defop, grad, gradcheck, gradgradcheck,
                           hessian, jacobian, value_and_grad)
from autograd_core.ops.apply import apply, raw

_counter = itertools.count()


@pytest.fixture
def temporary_op() -> Iterator:
    """Register test-only ops under unique names and remove them from OPS afterwards."""
    names: list[str] = []

    def register(stem: str, **entry) -> Op:
        name = f"_test_{stem}_{next(_counter)}"
        names.append(name)
        display = dict(display=stem, elementwise=True, derivative=("test rule",), words="a test-only op")
        return defop(name, **{**display, **entry})

    yield register
    for name in names:
        OPS.pop(name, None)


# ---- grad / value_and_grad -------------------------------------------------------------------------


def test_grad_of_a_float_function() -> None:
    g = grad(lambda x: x ** 3 - 2.0 * x)(2.0)
    assert type(g) is float and g == 3 * 4.0 - 2.0


def test_grad_argnums_int_and_tuple() -> None:
    f = lambda x, y: x * y ** 2 + x * x  # noqa: E731  (an argument not in argnums stays a float)
    assert grad(f, argnums=1)(2.0, 3.0) == 2 * 2.0 * 3.0
    assert grad(f)(2.0, 3.0) == 9.0 + 4.0
    gx, gy = grad(f, argnums=(0, 1))(0.0, 3.0)
    assert (gx, gy) == (9.0, 0.0)
    (gy_only,) = grad(f, argnums=(1,))(1.0, -1.0)
    assert gy_only == -2.0


def test_grad_of_a_tensor_function_returns_an_array() -> None:
    x = np.array([1.0, -2.0, 0.5])
    g = grad(lambda t: (t * t).sum() + t[0] * t[2])(x)
    assert isinstance(g, np.ndarray) and g.shape == (3,)
    np.testing.assert_allclose(g, 2 * x + np.array([0.5, 0.0, 1.0]))


def test_grad_of_a_constant_function_is_zero() -> None:
    assert grad(lambda x: 3.0)(2.0) == 0.0


def test_grad_rejects_a_vector_output() -> None:
    with pytest.raises(ValueError, match=r"grad: f must return a scalar, got shape \(2,\)"):
        grad(lambda t: t * 2.0)(np.array([1.0, 2.0]))


def test_value_and_grad() -> None:
    value, g = value_and_grad(lambda t: (t ** 2).sum())(np.array([1.0, 2.0]))
    assert value == 5.0
    np.testing.assert_array_equal(g, [2.0, 4.0])
    value, (ga, gb) = value_and_grad(lambda a, b: a / b, argnums=(0, 1))(3.0, 2.0)
    assert (value, ga, gb) == (1.5, 0.5, -0.75)


# ---- jacobian / hessian ------------------------------------------------------------------------------


def test_jacobian_tensor_to_tensor() -> None:
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(jacobian(lambda t: t ** 2)(x), np.diag(2 * x))
    A = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 4.0]])
    J = jacobian(lambda t: Tensor(A) @ t)(x)
    assert J.shape == (2, 3)
    np.testing.assert_allclose(J, A)


def test_jacobian_shape_is_output_shape_plus_input_shape() -> None:
    x = np.arange(6.0).reshape(2, 3)
    J = jacobian(lambda t: t.sum(axis=0))(x)
    assert J.shape == (3, 2, 3)
    expected = np.zeros((3, 2, 3))
    for j in range(3):
        expected[j, :, j] = 1.0
    np.testing.assert_array_equal(J, expected)


def test_jacobian_of_a_softmax_is_diag_p_minus_ppT() -> None:
    x = np.array([0.5, -1.0, 2.0])
    p = np.exp(x) / np.exp(x).sum()
    np.testing.assert_allclose(jacobian(lambda t: t.softmax())(x), np.diag(p) - np.outer(p, p), atol=1e-15)


def test_jacobian_list_of_values() -> None:
    J = jacobian(lambda xs: [xs[0] * xs[1], xs[0] + 2.0 * xs[1], xs[1].exp()])([2.0, 0.0])
    np.testing.assert_allclose(J, [[0.0, 2.0], [1.0, 2.0], [0.0, 1.0]])


def test_hessian_tensor_input() -> None:
    x = np.array([1.0, -2.0, 0.5])
    H = hessian(lambda t: (t ** 3).sum() + t[0] * t[1] * t[2])(x)
    expected = np.diag(6 * x) + np.array([[0.0, x[2], x[1]], [x[2], 0.0, x[0]], [x[1], x[0], 0.0]])
    assert H.shape == (3, 3)
    np.testing.assert_allclose(H, expected, rtol=1e-13)


def test_hessian_of_a_quadratic_form_is_A_plus_AT() -> None:
    A = np.array([[2.0, 1.0], [-3.0, 4.0]])
    H = hessian(lambda t: t @ (Tensor(A) @ t))(np.array([0.3, 0.7]))
    np.testing.assert_allclose(H, A + A.T)


def test_hessian_list_of_floats_input() -> None:
    H = hessian(lambda xs: xs[0] ** 2 * xs[1] + xs[1].log())([1.5, 2.0])
    np.testing.assert_allclose(H, [[2 * 2.0, 2 * 1.5], [2 * 1.5, -1 / 4.0]])


def test_hessian_scalar_input() -> None:
    assert float(hessian(lambda x: x ** 3)(2.0)) == 12.0


def test_hessian_of_log_sum_exp() -> None:
    x = np.array([0.1, -0.4, 1.2])
    p = np.exp(x) / np.exp(x).sum()
    np.testing.assert_allclose(hessian(lambda t: t.logsumexp())(x), np.diag(p) - np.outer(p, p), atol=1e-15)


# ---- gradcheck ---------------------------------------------------------------------------------------


def test_gradcheck_accepts_correct_functions() -> None:
    assert gradcheck(lambda a, b: (a @ b).tanh().sum(), np.ones((2, 3)) * 0.3, np.arange(6.0).reshape(3, 2) / 5)
    assert gradcheck(lambda x, y: (x * y).sigmoid() / y, 0.7, -1.3)
    assert gradgradcheck(lambda x: (x.sigmoid() * x).softmax(), np.array([0.2, -0.5, 1.0]))


def test_gradcheck_names_input_index_analytic_and_numeric_for_a_wrong_rule(temporary_op) -> None:
    # forward doubles, the rule claims a slope of 3
    op = temporary_op("wrong_double", forward=lambda x: 2.0 * x, scalar=lambda x: 2.0 * x,
                      vjp=(lambda g, ans, x: g * 3.0,))
    x = np.array([0.5, 1.0, -1.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, t: a * 0.0 + apply(op, t).sum(), np.array(0.0), x)
    message = str(info.value)
    m = re.search(r"input (\d+) at index \((\d+),?\): analytic (\S+) vs numeric (\S+)", message)
    assert m is not None, message
    assert m.group(1) == "1"
    assert float(m.group(3)) == 3.0
    assert float(m.group(4)) == pytest.approx(2.0, rel=1e-8)
    with pytest.raises(GradcheckError, match=r"input 0 at index \(\): analytic 3\.0 vs numeric (2\.0|1\.9999)"):
        gradcheck(lambda v: apply(op, v), 0.25)


def test_gradcheck_reports_the_worst_mismatch(temporary_op) -> None:
    # slope right except at one element, where it is off by the most
    op = temporary_op("wrong_at_2", forward=lambda x: x * 1.0,
                      vjp=(lambda g, ans, x: g * (1.0 + 5.0 * (np.arange(np.size(raw(x))) == 2)),))
    with pytest.raises(GradcheckError, match=r"input 0 at index \(2,\): analytic 6\.0 vs numeric 1\.0"):
        gradcheck(lambda t: apply(op, t).sum(), np.array([1.0, 2.0, 3.0, 4.0]))


def test_gradgradcheck_rejects_a_rule_that_is_not_differentiable(temporary_op) -> None:
    # x**3 with a first-order-correct rule built from raw data: its own gradient is lost
    op = temporary_op("cube_raw_rule", forward=lambda x: x ** 3, scalar=lambda x: x ** 3,
                      vjp=(lambda g, ans, x: g * (3.0 * raw(x) ** 2),))
    assert gradcheck(lambda v: apply(op, v), 1.5) is True
    with pytest.raises(GradcheckError, match=r"input 0 at index \(\): analytic .* vs numeric"):
        gradgradcheck(lambda v: apply(op, v), 1.5)


def test_temporary_ops_do_not_stay_in_the_table() -> None:
    assert not [name for name in OPS if name.startswith("_test_")]


def test_gradcheck_with_several_tensor_inputs_of_different_shapes() -> None:
    assert gradcheck(lambda s, t: (t * s).logsumexp(axis=None), np.array(0.8), np.array([[0.1, 0.2], [-0.3, 0.4]]))


def test_gradcheck_default_tolerances_reject_a_one_percent_error(temporary_op) -> None:
    op = temporary_op("one_percent", forward=lambda x: x * x, scalar=lambda x: x * x,
                      vjp=(lambda g, ans, x: g * 2.02 * x,))
    with pytest.raises(GradcheckError):
        gradcheck(lambda v: apply(op, v), Value(1.0))
