"""Methods made from tables (op_methods.py and the mixins' own factories) read as if written with `def`."""
from __future__ import annotations

import inspect
import traceback

import numpy as np
import pytest

import autograd_core as ac
from autograd_core.operators.arithmetic import ElementwiseMethods
from autograd_core.operators.comparisons import ComparisonMethods
from autograd_core.operators.elementwise_math import MathMethods
from autograd_core.tensor.convert import ConversionMethods
from autograd_core.tensor.inplace import InplaceMethods

TABLE_CLASSES = [ElementwiseMethods, MathMethods, ComparisonMethods, InplaceMethods, ConversionMethods]


@pytest.mark.parametrize("cls", TABLE_CLASSES, ids=lambda c: c.__name__)
def test_every_method_is_named_after_its_attribute_and_documented(cls: type) -> None:
    functions = {attr: fn for attr, fn in vars(cls).items() if inspect.isfunction(fn)}
    assert len(functions) >= 6
    for attr, fn in functions.items():
        assert (fn.__name__, fn.__code__.co_name) == (attr, attr)
        assert fn.__qualname__ == f"{cls.__qualname__}.{attr}"
        if not attr.startswith("_") or attr in ("__add__", "__eq__", "__iadd__"):
            assert fn.__doc__, attr


def test_an_operator_and_its_torch_name_are_two_functions_that_agree() -> None:
    assert ComparisonMethods.eq is not ComparisonMethods.__eq__
    x = ac.tensor([1.0, 2.0, 3.0])
    for op, method in [("__lt__", "lt"), ("__ge__", "ge"), ("__eq__", "eq"), ("__ne__", "ne")]:
        assert np.array_equal(getattr(x, op)(2.0).data, getattr(x, method)(2.0).data)
    assert np.array_equal(x.le(2.0).data, [True, True, False])
    assert ac.Value(2.0).gt(1.0) is True


def test_a_traceback_and_an_error_name_the_table_method() -> None:
    w = ac.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^mul_ \(\*=\): a leaf Variable"):
        w *= 2
    with pytest.raises(RuntimeError, match=r"^log_: a leaf Variable") as info:
        w.log_()
    assert "log_" in [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert np.array_equal(w.data, [1.0, 2.0])  # refused before any change


def test_table_methods_compute_what_their_names_say() -> None:
    x = ac.tensor([0.5, -2.0], requires_grad=True)
    y = (2 - x) * x.sinh() + x.atan2(ac.tensor([1.0, 1.0])) + (x ** 2).logsigmoid()
    y.sum().backward()
    a = np.array([0.5, -2.0])
    s = (a ** 2)
    want = (2 - a) * np.sinh(a) + np.arctan2(a, 1.0) + (np.minimum(s, 0) - np.log1p(np.exp(-np.abs(s))))
    assert np.allclose(y.data, want)
    dlogsig = 2 * a / (1 + np.exp(s))
    assert np.allclose(x.grad, -np.sinh(a) + (2 - a) * np.cosh(a) + 1 / (1 + a ** 2) + dlogsig)
    t = ac.tensor([1.5, -2.5])
    assert t.long().dtype == np.int64 and np.array_equal(t.long().data, [1, -2])
    assert t.float(memory_format=None).dtype == np.float32
    t.neg_().exp_()
    assert np.allclose(t.data, np.exp([-1.5, 2.5]))


def test_module_functions_forward_to_the_method_and_keep_their_names() -> None:
    x = ac.tensor([[1.0, -4.0], [9.0, 0.25]])
    assert ac.exp.__name__ == "exp" and ac.exp.__doc__ == "e**x elementwise."
    assert np.allclose(ac.sqrt(ac.abs(x)).data, [[1.0, 2.0], [3.0, 0.5]])
    assert np.array_equal(ac.sum(x, dim=0, keepdim=True).data, [[10.0, -3.75]])
    assert np.array_equal(ac.argmax(x, 1).data, [0, 0])
    assert np.array_equal(ac.clamp([-1.0, 3.0], min=0.0, max=2.0).data, [0.0, 2.0])  # a list becomes a Tensor
    assert ac.floor.__name__ == "floor" and np.array_equal(ac.floor(x).data, [[1.0, -4.0], [9.0, 0.0]])
    with pytest.raises(TypeError):
        ac.exp(x, 1)
