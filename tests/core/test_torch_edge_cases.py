"""PyTorch as the oracle for the edge cases issue 25 listed: 0-d tensors with a dim, zero-size softmax, an empty
prod's backward, var(True), randint(high, size), .to(..., copy), and exact gradients of the new composites."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd_core as ac  # noqa: E402


def _grads(fn_ours, fn_torch, data, order=2):
    """Values, gradients and (order 2) second derivatives of sum(f(x) * v) in both libraries."""
    v = np.random.default_rng(0).normal(size=np.shape(fn_torch(torch.tensor(data)).detach().numpy()))
    a, t = ac.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    ya, yt = fn_ours(a), fn_torch(t)
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), rtol=1e-12, atol=1e-12)
    (ga,) = ac.gradients((ya * v).sum(), [a], create_graph=True)
    (gt,) = torch.autograd.grad((yt * torch.tensor(v)).sum(), [t], create_graph=True)
    np.testing.assert_allclose(ga.data, gt.detach().numpy(), rtol=1e-10, atol=1e-12)
    if order == 2 and gt.grad_fn is not None:
        (ha,) = ac.gradients(ga.sum(), [a])
        (ht,) = torch.autograd.grad(gt.sum(), [t])
        np.testing.assert_allclose(ha, ht.numpy(), rtol=1e-10, atol=1e-12)


def test_zero_d_tensors_with_a_dim():
    x = ac.tensor(1.5, requires_grad=True)
    assert x.argmax(0).item() == 0 and x.argmin(dim=0).item() == 0
    assert x.gather(0, ac.tensor([0])).tolist() == [1.5]
    _grads(lambda t: t.softmax(0), lambda t: t.softmax(0), np.array(1.5))
    _grads(lambda t: t.log_softmax(-1), lambda t: t.log_softmax(-1), np.array(-0.5))


def test_zero_size_softmax_family_and_empty_prod():
    e = ac.zeros(5, 0, 3)
    assert e.softmax(-1).shape == (5, 0, 3) and e.log_softmax(1).shape == (5, 0, 3)
    assert ac.zeros(0).logsumexp(0).item() == -np.inf  # torch: -inf
    p = ac.zeros(3, 0, requires_grad=True)
    p.prod(1).sum().backward()
    assert p.grad.shape == (3, 0)
    assert ac.zeros(3, 0).prod(1).tolist() == [1.0, 1.0, 1.0]


def test_var_std_unbiased_positionally_and_randint_high_size():
    x = ac.tensor([1.0, 2.0, 4.0])
    t = torch.tensor([1.0, 2.0, 4.0], dtype=torch.float64)
    for flag in (True, False):
        assert x.var(flag).item() == pytest.approx(t.var(flag).item(), rel=1e-15)
        assert x.std(flag).item() == pytest.approx(t.std(flag).item(), rel=1e-15)
    r = ac.randint(10, (3, 4))
    assert r.shape == (3, 4) and r.dtype == np.int64 and 0 <= r.data.min() and r.data.max() < 10


def test_to_with_positional_non_blocking_and_copy():
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    assert x.to("cpu", ac.float64, False, False) is x
    y = x.to("cpu", ac.float64, True, True)
    assert y is not x and y.tolist() == [1.0, 2.0] and y.requires_grad
    assert x.to("cpu", ac.float32, False, False).dtype == np.float32


def test_new_composites_match_torch_to_second_order():
    rng = np.random.default_rng(3)
    m = rng.normal(size=(4, 5))
    z = m.copy()
    z[1, 2] = 0.0
    _grads(lambda t: t.cumprod(1), lambda t: t.cumprod(1), z)  # exact with a zero, as torch
    _grads(lambda t: ac.einsum("ii->i", t[:, :4]), lambda t: torch.einsum("ii->i", t[:, :4]), m)
    _grads(lambda t: t.norm(3, 1), lambda t: t.norm(3, 1), m)
    _grads(lambda t: t.topk(2, 1).values, lambda t: t.topk(2, 1).values, m, order=1)
    _grads(lambda t: t.tril(-1) + t.triu(2), lambda t: t.tril(-1) + t.triu(2), m, order=1)
    _grads(lambda t: t.atan2(t.flip(1)), lambda t: torch.atan2(t, t.flip(1)), m)
    _grads(lambda t: ac.linalg.vector_norm(t, float("inf"), 0), lambda t: torch.linalg.vector_norm(t, float("inf"), 0),
           m, order=1)


def test_sort_and_topk_put_nan_first_when_descending():
    data = np.array([1.0, np.nan, 3.0, 2.0])
    assert ac.tensor(data).sort(descending=True).indices.tolist() == torch.tensor(data).sort(descending=True).indices.tolist()
    assert ac.tensor(data).topk(2).indices.tolist() == torch.tensor(data).topk(2).indices.tolist()


def test_norm_of_a_zero_vector_has_a_zero_gradient():
    x = ac.zeros(3, requires_grad=True)
    x.norm().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match=r"norm: the nuclear norm \(p='nuc'\) needs a singular value decomposition"):
        ac.ones(2, 2).norm("nuc")
