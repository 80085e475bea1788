"""Bad input gives clear errors naming the op, the shapes or values, and what was expected."""
from __future__ import annotations

import re

import numpy as np
import pytest

from autograd_core import Tensor, Value, concatenate, stack, where


def ones(*shape: int) -> Tensor:
    return Tensor(np.ones(shape), requires_grad=True)


# ---- shapes ------------------------------------------------------------------------------------


def test_matmul_mismatch_message_is_exact() -> None:
    with pytest.raises(ValueError, match="^" + re.escape("matmul: shapes (3, 4) and (5, 2) do not line up (4 != 5)") + "$"):
        ones(3, 4) @ ones(5, 2)


def test_matmul_other_shape_errors_name_the_shapes() -> None:
    with pytest.raises(ValueError, match=re.escape("matmul: shapes (3,) and (4,) do not line up (3 != 4)")):
        ones(3) @ ones(4)
    with pytest.raises(ValueError, match=r"matmul: batch shapes \(2,\) and \(5,\).*\(2, 3, 4\) and \(5, 4, 2\)"):
        ones(2, 3, 4) @ ones(5, 4, 2)
    with pytest.raises(ValueError, match=r"matmul: shapes \(3, 4\) and \(\)"):
        ones(3, 4) @ ones(4).sum()


@pytest.mark.parametrize(("name", "call"), [
    ("add", lambda a, b: a + b),
    ("sub", lambda a, b: a - b),
    ("mul", lambda a, b: a * b),
    ("div", lambda a, b: a / b),
    ("pow", lambda a, b: a ** b),
    ("maximum", lambda a, b: a.maximum(b)),
    ("minimum", lambda a, b: a.minimum(b)),
    ("where", lambda a, b: where(np.ones((3, 4), bool), a, b)),
])
def test_elementwise_broadcast_mismatch_names_op_and_both_shapes(name: str, call) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: .*\(3, 4\).*\(5,\)"):
        call(ones(3, 4), ones(5))


def test_reshape_mismatch() -> None:
    with pytest.raises(ValueError, match=re.escape("reshape: cannot reshape shape (3, 4) (12 elements) into (5,)")):
        ones(3, 4).reshape(5)


@pytest.mark.parametrize("method", ["sum", "mean", "max", "min", "softmax", "log_softmax", "logsumexp"])
def test_bad_dim_names_the_op_the_dim_and_the_ndim(method: str) -> None:
    with pytest.raises(IndexError, match=rf"^{method}: dim 2 is out of range .*2 dimensions.*\(3, 4\)"):
        getattr(ones(3, 4), method)(dim=2)
    with pytest.raises(ValueError, match=rf"^{method}: dim -3 is out of range"):  # also a ValueError
        getattr(ones(3, 4), method)(-3)


def test_transpose_takes_two_dims_and_names_permute_for_the_numpy_meaning() -> None:
    with pytest.raises(TypeError, match=r"transpose: PyTorch's transpose swaps two dims.*\(1, 0, 2\).*permute"):
        ones(3, 4, 2).transpose(1, 0, 2)
    with pytest.raises(TypeError, match=r"transpose: .*permute"):
        ones(3, 4).transpose()
    with pytest.raises(IndexError, match=r"transpose: dim 2 is out of range for a tensor with 2 dimensions"):
        ones(3, 4).transpose(0, 2)
    with pytest.raises(ValueError, match=r"permute: dims \(0, 0\) are not a permutation .*\(3, 4\)"):
        ones(3, 4).permute(0, 0)


def test_concatenate_and_stack_shape_errors() -> None:
    with pytest.raises(ValueError, match=r"^concatenate: shapes \(3, 4\) and \(2, 3\)"):
        concatenate([ones(3, 4), ones(2, 3)])
    with pytest.raises(ValueError, match=r"^stack: expected tensors of one shape, got shapes \[\(3, 4\), \(2, 4\)\]"):
        stack([ones(3, 4), ones(2, 4)])
    with pytest.raises(ValueError, match="concatenate: expected at least one tensor"):
        concatenate([])


def test_reducing_an_empty_axis() -> None:
    with pytest.raises(ValueError, match=r"max: cannot reduce an empty dim of a tensor of shape \(0,\)"):
        Tensor(np.ones(0)).max()


def test_item_of_a_multi_element_tensor() -> None:
    with pytest.raises(ValueError, match=r"item: .*one-element.*\(2,\)"):
        Tensor([1.0, 2.0]).item()


# ---- non-numeric data --------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [["a"], "abc", None, [[1.0, 2.0], [3.0]], [1 + 2j]])
def test_tensor_of_non_numeric_data_is_a_type_error(data) -> None:
    with pytest.raises(TypeError, match="^Tensor: expected numeric"):
        Tensor(data)


@pytest.mark.parametrize("data", ["a", None, [1.0], True, 1 + 2j])
def test_value_of_non_numeric_data_is_a_type_error(data) -> None:
    with pytest.raises(TypeError, match=r"^Value: expected a real number, got"):
        Value(data)


def test_non_numeric_operands_name_the_op() -> None:
    with pytest.raises(TypeError, match="^add: expected a real number, got str 'a'"):
        Value(2.0) + "a"
    with pytest.raises(TypeError, match="^mul: expected numeric"):
        Tensor([1.0]) * "a"


def test_integer_dtype_request_is_refused() -> None:
    with pytest.raises(TypeError, match="dtype must be a floating type.*int32"):
        Tensor([1.0], dtype=np.int32)


def test_mixing_value_and_tensor_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="^mul: cannot mix a Value with a Tensor"):
        Tensor([1.0]) * Value(2.0)
    with pytest.raises(TypeError, match="^mul: cannot mix a Value with a Tensor"):
        Value(2.0) * Tensor([1.0])


# ---- domains -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("x", "shown"), [(0.0, "0.0"), (-1.5, "-1.5")])
def test_log_out_of_domain_names_op_and_value(x: float, shown: str) -> None:
    with pytest.raises(ValueError, match=rf"^log: expected a positive input, got {re.escape(shown)}"):
        Value(x).log()


def test_sqrt_out_of_domain_names_op_and_value() -> None:
    with pytest.raises(ValueError, match=r"^sqrt: expected a non-negative input, got -1\.0"):
        Value(-1.0).sqrt()
    assert Value(0.0).sqrt().data == 0.0


def test_tensor_domain_errors_name_value_and_index() -> None:
    with pytest.raises(ValueError, match=r"^log: expected a positive input, got -2\.0 at index \(1,\)"):
        Tensor([1.0, -2.0]).log()
    with pytest.raises(ValueError, match=r"^sqrt: expected a non-negative input, got -2\.0 at index \(1, 0\)"):
        Tensor([[1.0, 4.0], [-2.0, 3.0]]).sqrt()


@pytest.mark.parametrize("make", [
    lambda: Value(-2.0) ** 0.5,
    lambda: Value(-2.0) ** Value(0.5),
    lambda: (-2.0) ** Value(0.5),
    lambda: Tensor([1.0, -2.0]) ** 0.5,
])
def test_negative_base_with_non_integer_exponent_is_a_value_error(make) -> None:
    with pytest.raises(ValueError, match=r"^pow: negative base -2\.0 with non-integer exponent 0\.5"):
        make()


def test_negative_base_with_integer_exponent_is_real() -> None:
    x = Value(-2.0)
    y = x ** 3
    y.backward()
    assert (y.data, x.grad) == (-8.0, 12.0)
    assert type(y.data) is float
    t = Tensor([-2.0, 3.0], requires_grad=True)
    (t ** 2.0).sum().backward()
    np.testing.assert_array_equal(t.grad, [-4.0, 6.0])


def test_gradient_wrt_exponent_of_a_negative_base_is_refused() -> None:
    b, e = Value(-2.0, requires_grad=False), Value(2.0)
    y = b ** e
    assert y.data == 4.0
    with pytest.raises(ValueError, match="^pow: .*non-negative base"):
        y.backward()


@pytest.mark.parametrize("make", [lambda: Value(1.0) / 0, lambda: 1.0 / Value(0.0), lambda: Value(0.0) / Value(0.0)])
def test_division_by_zero_value(make) -> None:
    with pytest.raises(ValueError, match=r"^div: expected a non-zero divisor, got 0\.0"):
        make()


def test_division_by_zero_tensor_names_index() -> None:
    with pytest.raises(ValueError, match=r"^div: expected a non-zero divisor, got 0\.0 at index \(1,\)"):
        Tensor([1.0, 2.0]) / Tensor([1.0, 0.0])


def test_zero_to_a_negative_power() -> None:
    with pytest.raises(ValueError, match=r"^pow: 0\.0 \*\* -1\.0 is a division by zero"):
        Value(0.0) ** -1


def test_linear_shape_errors_name_the_shapes() -> None:
    import autograd_core as ac

    with pytest.raises(ValueError, match=r"^linear: input shape \(3, 4\) and weight shape \(2, 5\) do not line up"):
        ac.linear(ones(3, 4), ones(2, 5), ones(2))
    with pytest.raises(ValueError, match=r"^linear: bias shape \(3,\) does not match out_features 2"):
        ac.linear(ones(3, 4), ones(2, 4), ones(3))
