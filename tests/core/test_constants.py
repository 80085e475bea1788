"""Small number operands are shared, immutable constant leaves; other numbers get their own."""
from __future__ import annotations

import copy
import math
import pickle

import pytest

from autograd_core import Value, topological_order
from autograd_core.value.value import SMALL_CONSTANTS, Constant


def test_small_numbers_share_one_constant_and_differentiate_as_before() -> None:
    x = Value(3.0)
    y = x ** 2 + 2 * x + (x - 2.0) + x / 0.5
    two = [n for n in topological_order(y) if isinstance(n, Constant)]
    assert {id(n) for n in two} == {id(SMALL_CONSTANTS[2.0]), id(SMALL_CONSTANTS[0.5])}
    y.backward()
    assert x.grad == 2 * 3.0 + 2 + 1 + 2
    assert SMALL_CONSTANTS[2.0].grad == 0.0 and SMALL_CONSTANTS[2.0]._g is None


def test_other_numbers_and_signed_zero_get_their_own_leaf() -> None:
    x = Value(3.0)
    for number in (0.0, -0.0, 0.3, 17, 1e9, math.inf):
        leaf = (x * number).parents[1]
        assert type(leaf) is Value and not leaf.requires_grad
        assert math.copysign(1.0, leaf.data) == math.copysign(1.0, number)


def test_a_shared_constant_cannot_change_and_copies_as_a_plain_value() -> None:
    c = (Value(1.0) * 2).parents[1]
    for name, value in (("data", 5.0), ("requires_grad", True), ("_a", None)):
        with pytest.raises(AttributeError, match="shared by every op"):
            setattr(c, name, value)
    assert c.data == 2.0 and not c.requires_grad
    for twin in (pickle.loads(pickle.dumps(c)), copy.deepcopy(c), copy.copy(c)):
        assert type(twin) is Value and twin.data == 2.0 and not twin.requires_grad
        twin.data = 7.0
    assert c.data == 2.0


def test_a_shared_constant_keeps_no_label_or_gradient_another_graph_would_see() -> None:
    """Labelling or setting the grad of `x * 2`'s constant would show in every graph that uses 2."""
    x = Value(1.5)
    c = (x * 2).parents[1]
    for name, value in (("label", "two"), ("grad", 1.0), ("grad", None), ("grad", float("nan"))):
        with pytest.raises(AttributeError, match=f"shared by every op that uses it; its {name} cannot change"):
            setattr(c, name, value)
    c.grad = 0.0   # a micrograd-style zero_grad over every node of a graph stays allowed
    c.grad = 0
    other = Value(-3.0) * 2
    assert other.parents[1] is c and c.label is None and c.grad == 0.0
    other.backward()
    assert c.grad == 0.0 and other.parents[0].grad == 2.0
