"""Copies: pickle and deepcopy keep data, requires_grad and label, drop the graph, at any depth."""
from __future__ import annotations

import copy
import gc
import pickle
import weakref

import numpy as np
import pytest

from autograd_core import Tensor, Value


def test_a_deep_copy_of_a_leaf_is_a_separate_node_in_backward() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True)
    w2 = copy.deepcopy(w)
    assert w2.id != w.id and w2.data is not w.data
    loss = (w * 3.0).sum() + (w2 * 5.0).sum()
    loss.backward()
    np.testing.assert_array_equal(w.grad, [3.0, 3.0])
    np.testing.assert_array_equal(w2.grad, [5.0, 5.0])


def test_deepcopy_of_a_leaf_copies_data_grad_requires_grad_and_label() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True, label="w")
    (w * w).sum().backward()
    c = copy.deepcopy(w)
    assert (c.requires_grad, c.label) == (True, "w") and c.is_leaf
    np.testing.assert_array_equal(c.grad, [2.0, 4.0])
    assert c.grad is not w.grad


def test_deepcopy_of_a_node_made_by_an_op_raises_naming_the_op() -> None:
    x = Value(3.0, label="x")
    with pytest.raises(RuntimeError, match=r"only leaf Values .* made by 'add'.*detach\(\)"):
        copy.deepcopy(x * x + x)
    d = copy.deepcopy((x * x).detach())
    assert d.data == 9.0 and d.is_leaf


def test_unpickled_value_keeps_data_and_label_under_a_new_id() -> None:
    v = Value(2.5, label="v")
    w = pickle.loads(pickle.dumps(v))
    assert (w.data, w.label, w.requires_grad) == (2.5, "v", True) and w.id != v.id


@pytest.mark.parametrize("make", [lambda d: Value(d), lambda d: Tensor([d, 2 * d], requires_grad=True)])
def test_pickle_of_a_node_with_a_graph_keeps_its_data_and_drops_the_graph(make) -> None:
    x = make(0.5)
    y = (x.tanh() * 3.0).relu()
    z = pickle.loads(pickle.dumps(y))
    assert z.is_leaf and z.requires_grad and type(z) is type(y)
    np.testing.assert_array_equal(z.data, y.data)


def test_pickle_and_copy_of_a_100000_deep_graph_do_not_recurse() -> None:
    t = Value(1.0)
    for _ in range(100_000):
        t = t * 1.0
    assert pickle.loads(pickle.dumps(t)).data == 1.0
    assert copy.copy(t).data == 1.0
    with pytest.raises(RuntimeError, match="only leaf"):
        copy.deepcopy(t)


def test_requires_grad_false_survives_pickle() -> None:
    t = Tensor([1.0, 2.0], dtype=np.float32)
    u = pickle.loads(pickle.dumps(t))
    assert u.requires_grad is False and u.dtype == np.float32


def test_nodes_can_be_weakly_referenced_and_are_freed_without_the_cyclic_gc() -> None:
    gc.disable()
    try:
        x = Value(2.0)
        y = x * x + x
        ref = weakref.ref(y)
        y.backward()
        assert ref() is y and x.grad == 5.0
        del y
        assert ref() is None  # freed by reference counting alone: the graph holds no cycles
    finally:
        gc.enable()
