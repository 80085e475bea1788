"""A recurrent module's own constants have names in pictures: the zero starting state (h₀, c₀) and
the time-first copy of a batch_first input the user labelled."""
from __future__ import annotations

import numpy as np
import pytest

import nn
import viz
from autograd_core import Tensor

X = np.linspace(-1.0, 1.0, 2 * 4 * 3).reshape(2, 4, 3)   # (batch, time, features)


def drawn_leaves(loss) -> dict[str, Tensor]:
    scene = viz.build_scene(loss, collapse="none")
    return {dn.name: dn.node for dn in scene.nodes if not dn.node.parents and dn.name is not None}


@pytest.mark.parametrize("kind, states", [(nn.RNN, ["h₀ = 0"]), (nn.GRU, ["h₀ = 0"]), (nn.LSTM, ["h₀ = 0", "c₀ = 0"])])
def test_the_zero_starting_state_is_named_and_holds_zeros(kind, states) -> None:
    model = kind(3, 5, batch_first=True)
    out, _ = model(Tensor(X, label="words"))
    loss = out.sum()
    leaves = drawn_leaves(loss)
    for name in states:
        assert leaves[name].shape == (2, 5) and not leaves[name].data.any() and not leaves[name].requires_grad
    first = leaves["words, time first"]
    np.testing.assert_array_equal(first.data, X.transpose(1, 0, 2))
    svg = viz.to_svg(loss, params=model)
    assert all(name in svg for name in states) and "words, time first" in svg


def test_a_given_state_and_an_unlabelled_input_are_left_as_they_are() -> None:
    model = nn.RNN(3, 5, batch_first=True)
    h = Tensor(np.full((1, 2, 5), 0.5), label="my state")
    out, _ = model(Tensor(X), h)
    names = {dn.name for dn in viz.build_scene(out.sum(), collapse="none").nodes}
    assert "h₀ = 0" not in names and not any(n and "time first" in n for n in names)
    # the numbers are the module's own: one step by hand from the given state
    w_ih, w_hh = model.weight_ih_l0.data, model.weight_hh_l0.data
    first = np.tanh(X[:, 0] @ w_ih.T + model.bias_ih_l0.data + np.full((2, 5), 0.5) @ w_hh.T + model.bias_hh_l0.data)
    np.testing.assert_allclose(out.data[:, 0], first, rtol=1e-12)
