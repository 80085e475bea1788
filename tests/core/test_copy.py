"""Copied and unpickled nodes get fresh ids, so graphs mixing originals and copies stay correct."""
from __future__ import annotations

import copy
import pickle

import numpy as np

from autograd_core import Tensor, Value


def test_a_deep_copy_of_a_leaf_is_a_separate_node_in_backward() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True)
    w2 = copy.deepcopy(w)
    assert w2.id != w.id and w2.data is not w.data
    loss = (w * 3.0).sum() + (w2 * 5.0).sum()
    loss.backward()
    np.testing.assert_array_equal(w.grad, [3.0, 3.0])
    np.testing.assert_array_equal(w2.grad, [5.0, 5.0])


def test_a_copied_graph_keeps_parents_older_than_children_and_differentiates() -> None:
    x = Value(3.0, label="x")
    y = copy.deepcopy(x * x + x)
    (xc,) = {p for p in y.parents[0].parents}
    assert all(p.id < y.id for p in y.parents)
    y.backward()
    assert xc.grad == 7.0 and x.grad == 0.0


def test_unpickled_value_keeps_data_and_label_under_a_new_id() -> None:
    v = Value(2.5, label="v")
    w = pickle.loads(pickle.dumps(v))
    assert (w.data, w.label) == (2.5, "v") and w.id != v.id
