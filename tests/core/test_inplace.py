"""In-place ops follow PyTorch's rules: one test per rule, run on both libraries where torch is installed.

Rules: a leaf that requires grad refuses in-place ops while recording; under no_grad they update the
object in place; a backward reading data changed in place since it was recorded raises, naming the
op; an in-place op on a non-leaf is recorded (its gradient rule applies); the object keeps its
identity, also inside an optimizer; item and slice assignment write through views.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_core as ac
import nn
from autograd_core.tensor.grad_array import GradArray

from torch_pair import libraries

LEAF = "a leaf Variable that requires grad is being used in an in-place operation"
STALE = "one of the variables needed for gradient computation has been modified by an inplace operation"


# ---- rule 1: a leaf that requires grad refuses in-place ops while recording -------------------


@pytest.mark.parametrize("change", ["add_", "+=", "setitem", "zero_", "mul_", "clamp_", "copy_"])
def test_a_leaf_requiring_grad_refuses_in_place_ops_outside_no_grad(change: str) -> None:
    for lib in libraries():
        w = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        with pytest.raises(RuntimeError, match=LEAF):
            if change == "add_":
                w.add_(1.0)
            elif change == "+=":
                w += 1.0
            elif change == "setitem":
                w[0] = 5.0
            elif change == "zero_":
                w.zero_()
            elif change == "mul_":
                w.mul_(lib.tensor([2.0, 2.0, 2.0]))
            elif change == "clamp_":
                w.clamp_(0.0, 1.0)
            else:
                w.copy_(lib.tensor([0.0, 0.0, 0.0]))
        assert w.tolist() == [1.0, -2.0, 3.0] and w.requires_grad


# ---- rule 2: under no_grad the object itself is updated ---------------------------------------


def test_under_no_grad_an_update_keeps_the_object_its_memory_and_requires_grad() -> None:
    results = []
    for lib in libraries():
        w = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        memory = w.data.data_ptr() if lib is not ac else w.data
        (w * w).sum().backward()
        with lib.no_grad():
            w -= 0.1 * w.grad
            w.mul_(2.0)
            w[1] = 7.0
            w.clamp_(max=6.5)
        same_memory = (w.data.data_ptr() == memory) if lib is not ac else (w.data is memory)
        assert same_memory and w.requires_grad and w.is_leaf
        w.grad = None
        (w * w).sum().backward()  # still a leaf of the next graph
        results.append(w.tolist() + w.grad.tolist())
    assert results[0] == pytest.approx(results[-1], abs=1e-12)
    assert results[0] == pytest.approx([1.6, 6.5, 4.8, 3.2, 13.0, 9.6])


def test_the_polynomial_lesson_loop_trains_with_in_place_updates() -> None:
    """`for param in params: param -= lr * param.grad` inside no_grad: the params change."""
    x = ac.linspace(-1.0, 1.0, 50)
    y = 3.0 * x * x - x + 0.5
    a, b, c = (ac.zeros((), requires_grad=True) for _ in range(3))
    params = [a, b, c]
    for _ in range(500):
        loss = ((a + b * x + c * x * x - y) ** 2).sum()
        loss.backward()
        with ac.no_grad():
            for param in params:
                param -= 0.01 * param.grad
                param.grad = None
    assert [a.item(), b.item(), c.item()] == pytest.approx([0.5, -1.0, 3.0], abs=1e-3)
    assert all(p.requires_grad and p.is_leaf for p in params)


# ---- rule 3: version counters -------------------------------------------------------------------


@pytest.mark.parametrize("how", ["the input", "a view of it", "its detach()", "the output"])
def test_backward_through_data_changed_in_place_raises_naming_the_op(how: str) -> None:
    for lib in libraries():
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        h = x * 2.0
        out = h.exp() if how == "the output" else h * h
        target = {"the input": h, "a view of it": h[1:], "its detach()": h.detach(), "the output": out}[how]
        with lib.no_grad() if how != "the input" else _nothing():
            target.mul_(3.0)
        with pytest.raises(RuntimeError, match=STALE) as err:
            out.sum().backward()
        if lib is ac:
            assert "mul_" in str(err.value) and "version 1; expected version 0" in str(err.value)


def test_a_recording_made_after_the_change_is_fine_and_sees_the_new_values() -> None:
    for lib in libraries():
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        h = x * 2.0
        h.add_(1.0)
        (h * h).sum().backward()
        assert x.grad.tolist() == [12.0, 20.0, 28.0]  # 2 * 2 (2x + 1)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


# ---- rule 4: an in-place op on a non-leaf is recorded -------------------------------------------


def _recorded_program(lib: Any, x: Any, w: Any) -> Any:
    h = x * w
    h.mul_(x)            # h = x^2 w
    h.add_(w, alpha=0.5)
    h[0] = h[1] * 3.0    # slice assignment of a value computed from h itself
    h -= x
    h /= 2.0
    h.clamp_(-0.3, 0.5)
    return h.tanh_()


def test_in_place_ops_on_a_non_leaf_are_recorded_and_match_torch() -> None:
    x0, w0 = [0.3, -0.7, 1.2, 0.1], [0.5, 1.5, -0.4, 2.0]
    outs = []
    for lib in libraries():
        x = lib.tensor(x0, requires_grad=True)
        w = lib.tensor(w0, requires_grad=True)
        h = _recorded_program(lib, x, w)
        (h * lib.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
        outs.append(np.array([h.tolist(), x.grad.tolist(), w.grad.tolist()]))
    np.testing.assert_allclose(outs[0], outs[-1], rtol=1e-12, atol=1e-12)
    assert np.abs(outs[0][1:]).sum() > 0.1  # gradients flow through the in-place chain


def test_in_place_ops_on_a_non_leaf_are_gradient_checked() -> None:
    rng = np.random.default_rng(3)

    def f(x: Any, w: Any) -> Any:
        return (_recorded_program(ac, x, w) ** 2).sum()

    inputs = (rng.uniform(-0.5, 0.5, 4), rng.uniform(0.2, 0.6, 4))
    assert ac.gradcheck(f, *inputs) and ac.gradgradcheck(f, *inputs)


def test_a_tensor_not_requiring_grad_becomes_part_of_the_graph_when_a_recorded_value_is_written() -> None:
    for lib in libraries():
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        buf = lib.zeros(2, 3)
        buf[:, 1] = w * 3.0
        buf.add_(w.unsqueeze(1))
        assert buf.requires_grad and not buf.is_leaf
        buf.sum().backward()
        assert w.grad.tolist() == [6.0, 6.0]


def test_item_and_slice_assignment_as_the_tutorials_write_them() -> None:
    for lib in libraries():
        vec = lib.zeros(5, dtype=lib.long)
        for i in [1, 3, 1]:
            vec[i] += 1                      # the bag-of-words vector
        grid = lib.zeros(2, 3)
        grid[0][2] = 4.0                     # x[0][i] = v writes through the row view
        grid[1, :2] = lib.tensor([1.0, 2.0])
        grid[grid > 3] = -1.0                # a mask
        assert vec.tolist() == [0, 2, 0, 1, 0] and vec.dtype == lib.long
        assert grid.tolist() == [[0.0, 0.0, -1.0], [1.0, 2.0, 0.0]]


# ---- rule 5: identity in an optimizer ----------------------------------------------------------


def test_an_optimizer_keeps_updating_a_parameter_changed_in_place() -> None:
    runs = []
    for lib in libraries():
        lib.manual_seed(0)
        parameter, sgd = (nn.Parameter, nn.optim.SGD) if lib is ac else (lib.nn.Parameter, lib.optim.SGD)
        p = parameter(lib.tensor([1.0, -1.0, 0.5]))
        opt = sgd([p], lr=0.1, momentum=0.9)
        for step in range(4):
            opt.zero_grad()
            ((p - 2.0) ** 2).sum().backward()
            opt.step()
            with lib.no_grad():
                p.mul_(0.5) if step % 2 else p.add_(1.0)
        assert opt.param_groups[0]["params"][0] is p
        runs.append(p.tolist())
    assert runs[0] == pytest.approx(runs[-1], abs=1e-12)


# ---- bad inputs: clear errors -------------------------------------------------------------------


def test_an_in_place_op_cannot_change_the_shape_or_the_dtype_kind() -> None:
    x = ac.zeros(3)
    with pytest.raises(RuntimeError, match=r"add_: output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"):
        x.add_(ac.ones(2, 3))
    n = ac.zeros(3, dtype=ac.long)
    with pytest.raises(RuntimeError, match="result type float64 can't be cast to the desired output type int64"):
        n.add_(1.5)
    n.add_(2)
    assert n.tolist() == [2, 2, 2] and x.tolist() == [0.0, 0.0, 0.0]


def test_a_recorded_in_place_op_on_a_view_is_refused_clearly() -> None:
    x = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 1.0
    with pytest.raises(RuntimeError, match="view of another one's memory.*clone"):
        h[1:].mul_(2.0)
    h[1:].clone().mul_(2.0)  # the suggested fix works
    assert h.tolist() == [1.0, 2.0, 3.0]


def test_versions_count_changes_of_the_memory_shared_by_views_and_detach() -> None:
    for lib in libraries():
        x = lib.zeros(2, 3)
        view, alias = x[0], x.detach()
        assert x._version == 0
        x.add_(1.0)
        view.mul_(2.0)
        alias[1, 1] = 5.0
        assert x._version == view._version == alias._version == 3
        assert x.tolist() == [[2.0, 2.0, 2.0], [1.0, 5.0, 1.0]]


# ---- .grad: one rule ---------------------------------------------------------------------------


def test_grad_is_a_grad_array_whichever_way_backward_was_called_and_a_tensor_with_create_graph() -> None:
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    (x * x).backward(ac.tensor([1.0, 1.0]))
    assert type(x.grad) is GradArray and x.grad.tolist() == [2.0, 4.0]
    x.grad = None
    (x * x).sum().backward()
    assert type(x.grad) is GradArray
    g = x.grad
    assert x.grad.data is g and x.grad.norm() == pytest.approx(np.sqrt(20.0))
    assert np.exp(x.grad).tolist() == pytest.approx(np.exp([2.0, 4.0]).tolist())
    x.grad.zero_().add_(ac.tensor([1.0, 1.0]), alpha=3.0)
    assert g.tolist() == [3.0, 3.0]
    data = x.data
    x.data -= 0.5 * x.grad
    assert x.data is data and x.tolist() == [-0.5, 0.5]
    x.grad = None
    (x ** 3).sum().backward(create_graph=True)
    assert isinstance(x.grad, ac.Tensor) and x.grad.requires_grad
    with pytest.raises(RuntimeError, match=r"assigned grad has shape \(3,\), but the tensor has shape \(2,\)"):
        x.grad = np.zeros(3)


# ---- hypothesis: random in-place programs against torch ---------------------------------------

_STEPS = ["add_", "sub_", "mul_", "div_", "tanh_", "sigmoid_", "clamp_", "setitem", "iadd", "exp_"]


def _program(lib: Any, steps: list[str], x: Any, w: Any, in_place: bool) -> Any:
    """The steps on h = x * w, in place or (the reference) written out of place."""
    h = x * w
    for k, step in enumerate(steps):
        other = w if k % 2 else 0.75
        if step in ("add_", "sub_", "mul_"):
            h = getattr(h, step)(other) if in_place else getattr(h, step[:-1])(other)
        elif step == "div_":
            h = h.div_(w * w + 1.0) if in_place else h / (w * w + 1.0)
        elif step in ("tanh_", "sigmoid_"):
            h = getattr(h, step)() if in_place else getattr(h, step[:-1])()
        elif step == "exp_":
            h = h.clamp_(-2.0, 2.0).exp_() if in_place else h.clamp(-2.0, 2.0).exp()
        elif step == "clamp_":
            h = h.clamp_(-0.5, 0.9) if in_place else h.clamp(-0.5, 0.9)
        elif step == "setitem":
            if in_place:
                h[k % 4] = x[(k + 1) % 4] * 2.0
            else:
                h = lib.where(lib.arange(4) == k % 4, x[(k + 1) % 4] * 2.0, h)
        elif in_place:
            h += x
        else:
            h = h + x
    return h


def _run(lib: Any, steps: list[str], x0: list[float], in_place: bool) -> np.ndarray:
    x = lib.tensor(x0, requires_grad=True)
    w = lib.tensor([0.5, -1.0, 2.0, 0.25], requires_grad=True)
    h = _program(lib, steps, x, w, in_place)
    (h * lib.tensor([1.0, -2.0, 3.0, 0.5])).sum().backward()
    return np.array([h.tolist(), x.grad.tolist(), w.grad.tolist()])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(_STEPS), min_size=1, max_size=6),
       st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=4, max_size=4))
def test_random_in_place_programs_match_their_out_of_place_form_and_torch(steps: list[str], x0: list[float]) -> None:
    """Values and gradients equal the out-of-place program's; torch agrees wherever it runs (torch
    refuses some programs that change a value its own backward saved, e.g. tanh_ then add_: here
    the in-place node keeps a copy of the value it replaced, so they are exact)."""
    ours = _run(ac, steps, x0, in_place=True)
    np.testing.assert_allclose(ours, _run(ac, steps, x0, in_place=False), rtol=1e-12, atol=1e-12)
    if len(libraries()) == 2:
        import torch

        try:
            theirs = _run(torch, steps, x0, in_place=True)
        except RuntimeError as exc:
            assert "modified by an inplace operation" in str(exc)
            return
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


# ---- compile: in-place ops and custom Functions refuse to be traced, clearly ---------------------


def test_compile_refuses_an_in_place_update_naming_it() -> None:
    from autograd_core import TraceError

    model = nn.MLP(4, [3], seed=0)

    def step(x: Any) -> Any:
        loss = model(x).sum()
        loss.backward()
        with ac.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
                p.grad = None
        return loss

    compiled = ac.compile(step)
    with pytest.raises(TraceError, match=r"in-place op sub_ \(-=\) cannot be traced.*out-of-place form"):
        for _ in range(3):
            compiled(ac.Tensor(np.ones((2, 4))))
    step(ac.Tensor(np.ones((2, 4))))  # the same step runs eagerly
