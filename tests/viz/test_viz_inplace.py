"""In-place ops in pictures: each is a box of its own named after the op (mul_, index_put_), in the
SVG and in the explorer's page data, with the engine's gradients on it."""
from __future__ import annotations

import viz
from autograd_core import Tensor


def _program() -> tuple[Tensor, Tensor]:
    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    h = x * 2.0
    h.mul_(x)
    h[0] = 5.0
    loss = h.sum()
    loss.backward()
    return x, loss


def test_the_svg_draws_each_in_place_op_as_its_own_box() -> None:
    _, loss = _program()
    svg = viz.to_svg(loss)
    assert svg.count(">mul_<") == 1 and svg.count(">index_put_<") == 1
    assert svg.count(">×<") == 1  # x * 2.0, the out-of-place product before the change


def test_the_explorer_names_in_place_ops_and_carries_their_gradients() -> None:
    x, loss = _program()
    data = viz.explore(loss).data
    ops = [n["op"] for n in data["nodes"]]
    assert ops.count("mul_") == 1 and ops.count("index_put_") == 1 and ops.count("mul") == 1
    assert x.grad.tolist() == [0.0, 8.0]  # h = 2x², then h[0] = 5: d sum / dx = [0, 4 x₁]
