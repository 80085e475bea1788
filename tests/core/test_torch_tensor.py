"""The Tensor surface and the autograd_core functions as PyTorch snippets, run on both libraries.

Each snippet is written exactly as a PyTorch user writes it and runs once with (autograd_core, our
tensor) and once with (torch, a torch tensor); values, dtypes and gradients must agree (float64).
Without torch, a numpy closed form checks the value.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import autograd_core as ac

RNG = np.random.default_rng(0)
A = np.round(RNG.uniform(-0.9, 2.0, size=(3, 4)), 3)  # distinct entries, > -1 (log1p), no ties

# (snippet over (module, x), numpy closed form over the array a)
CASES: list[tuple[str, Callable[[Any, Any], Any], Callable[[np.ndarray], Any]]] = [
    ("transpose(0, 1)", lambda m, x: x.transpose(0, 1), lambda a: a.T),
    ("transpose(1, 0)", lambda m, x: x.transpose(1, 0), lambda a: a.T),
    ("T", lambda m, x: x.T, lambda a: a.T),
    ("permute", lambda m, x: x.reshape(3, 2, 2).permute(2, 0, 1), lambda a: a.reshape(3, 2, 2).transpose(2, 0, 1)),
    ("view", lambda m, x: x.view(4, 3), lambda a: a.reshape(4, 3)),
    ("view(-1)", lambda m, x: x.view(-1), lambda a: a.reshape(-1)),
    ("reshape", lambda m, x: x.reshape(2, 6), lambda a: a.reshape(2, 6)),
    ("unsqueeze", lambda m, x: x.unsqueeze(-1), lambda a: a[..., None]),
    ("squeeze()", lambda m, x: x.unsqueeze(1).squeeze(), lambda a: a),
    ("squeeze(0) keeps size 3", lambda m, x: x.squeeze(0), lambda a: a),
    ("flatten", lambda m, x: x.flatten(), lambda a: a.ravel()),
    ("flatten(1)", lambda m, x: x.reshape(3, 2, 2).flatten(1), lambda a: a.reshape(3, 4)),
    ("expand", lambda m, x: x[:, :1].expand(3, 5), lambda a: np.broadcast_to(a[:, :1], (3, 5))),
    ("expand -1", lambda m, x: x[:1].expand(2, -1, -1), lambda a: np.broadcast_to(a[:1], (2, 1, 4))),
    ("repeat tiles", lambda m, x: x.repeat(2, 3), lambda a: np.tile(a, (2, 3))),
    ("repeat new dim", lambda m, x: x.repeat(2, 1, 1), lambda a: np.tile(a, (2, 1, 1))),
    ("repeat_interleave", lambda m, x: x.repeat_interleave(2, dim=1), lambda a: np.repeat(a, 2, axis=1)),
    ("flip", lambda m, x: x.flip(0), lambda a: a[::-1]),
    ("gather(1)", lambda m, x: x.gather(1, m.tensor([[0, 0], [3, 1], [2, 2]])),
     lambda a: np.take_along_axis(a, np.array([[0, 0], [3, 1], [2, 2]]), 1)),
    ("m.gather(0)", lambda m, x: m.gather(x, 0, m.tensor([[2, 0, 1, 1]])),
     lambda a: np.take_along_axis(a, np.array([[2, 0, 1, 1]]), 0)),
    ("sum()", lambda m, x: x.sum(), lambda a: a.sum()),
    ("sum(1)", lambda m, x: x.sum(1), lambda a: a.sum(1)),
    ("sum(dim, keepdim)", lambda m, x: x.sum(dim=0, keepdim=True), lambda a: a.sum(0, keepdims=True)),
    ("sum((0, 1))", lambda m, x: x.sum((0, 1)), lambda a: a.sum()),
    ("mean(1)", lambda m, x: x.mean(1), lambda a: a.mean(1)),
    ("std() unbiased", lambda m, x: x.std(), lambda a: a.std(ddof=1)),
    ("std(1)", lambda m, x: x.std(1), lambda a: a.std(1, ddof=1)),
    ("var(0, keepdim)", lambda m, x: x.var(0, keepdim=True), lambda a: a.var(0, ddof=1, keepdims=True)),
    ("var(unbiased=False)", lambda m, x: x.var(1, unbiased=False), lambda a: a.var(1)),
    ("var(correction=0)", lambda m, x: x.var(correction=0), lambda a: a.var()),
    ("prod()", lambda m, x: x.prod(), lambda a: a.prod()),
    ("prod(1)", lambda m, x: x.prod(1), lambda a: a.prod(1)),
    ("prod with zeros", lambda m, x: (x * m.tensor([[0.0, 1, 1, 1], [0, 0, 1, 1], [1, 1, 1, 1]])).prod(1),
     lambda a: (a * np.array([[0.0, 1, 1, 1], [0, 0, 1, 1], [1, 1, 1, 1]])).prod(1)),
    ("cumsum(1)", lambda m, x: x.cumsum(1), lambda a: a.cumsum(1)),
    ("cumsum(dim=0)", lambda m, x: x.cumsum(dim=0), lambda a: a.cumsum(0)),
    ("max()", lambda m, x: x.max(), lambda a: a.max()),
    ("min()", lambda m, x: x.min(), lambda a: a.min()),
    ("max(1)", lambda m, x: x.max(1), lambda a: (a.max(1), a.argmax(1))),
    ("max(1).values", lambda m, x: x.max(1).values, lambda a: a.max(1)),
    ("min(0, keepdim)", lambda m, x: x.min(0, keepdim=True), lambda a: (a.min(0, keepdims=True),
                                                                        a.argmin(0)[None])),
    ("max(tensor)", lambda m, x: x.max(x * 0.5), lambda a: np.maximum(a, a * 0.5)),
    ("amax(1)", lambda m, x: x.amax(1), lambda a: a.max(1)),
    ("amin((0, 1))", lambda m, x: x.amin((0, 1)), lambda a: a.min()),
    ("argmax()", lambda m, x: x.argmax(), lambda a: a.argmax()),
    ("argmax(1)", lambda m, x: x.argmax(1), lambda a: a.argmax(1)),
    ("argmin(keepdim)", lambda m, x: x.argmin(dim=0, keepdim=True), lambda a: a.argmin(0)[None]),
    ("clamp", lambda m, x: x.clamp(-0.5, 0.5), lambda a: np.clip(a, -0.5, 0.5)),
    ("clamp(min=)", lambda m, x: x.clamp(min=0.1), lambda a: np.maximum(a, 0.1)),
    ("clamp(max=)", lambda m, x: x.clamp(max=0.2), lambda a: np.minimum(a, 0.2)),
    ("pow", lambda m, x: x.pow(2), lambda a: a ** 2),
    ("exp", lambda m, x: x.exp(), np.exp),
    ("log", lambda m, x: x.abs().log(), lambda a: np.log(np.abs(a))),
    ("sin", lambda m, x: x.sin(), np.sin),
    ("cos", lambda m, x: x.cos(), np.cos),
    ("tan", lambda m, x: x.tan(), np.tan),
    ("tanh", lambda m, x: x.tanh(), np.tanh),
    ("sigmoid", lambda m, x: x.sigmoid(), lambda a: 1 / (1 + np.exp(-a))),
    ("relu", lambda m, x: x.relu(), lambda a: np.maximum(a, 0)),
    ("abs", lambda m, x: x.abs(), np.abs),
    ("sqrt", lambda m, x: x.abs().sqrt(), lambda a: np.sqrt(np.abs(a))),
    ("log1p", lambda m, x: x.log1p(), np.log1p),
    ("expm1", lambda m, x: x.expm1(), np.expm1),
    ("softmax(1)", lambda m, x: x.softmax(1), lambda a: np.exp(a) / np.exp(a).sum(1, keepdims=True)),
    ("log_softmax(0)", lambda m, x: x.log_softmax(0), lambda a: a - np.log(np.exp(a).sum(0, keepdims=True))),
    ("logsumexp(1)", lambda m, x: x.logsumexp(1), lambda a: np.log(np.exp(a).sum(1))),
    ("x > 0", lambda m, x: x > 0, lambda a: a > 0),
    ("x <= 0.2", lambda m, x: x <= 0.2, lambda a: a <= 0.2),
    ("x == x", lambda m, x: x == x, lambda a: a == a),
    ("x != 0", lambda m, x: x != 0, lambda a: a != 0),
    ("x < tensor", lambda m, x: x < x.T.T * 0.5, lambda a: a < a * 0.5),
    ("x >= 1", lambda m, x: x >= 1, lambda a: a >= 1),
    ("(x > 0).float() is float32", lambda m, x: (x > 0).float(), lambda a: (a > 0).astype(np.float32)),
    ("double()", lambda m, x: x.double(), lambda a: a),
    ("long()", lambda m, x: x.long(), lambda a: a.astype(np.int64)),
    ("m.exp", lambda m, x: m.exp(x), np.exp),
    ("m.log", lambda m, x: m.log(x.abs()), lambda a: np.log(np.abs(a))),
    ("m.sin", lambda m, x: m.sin(x), np.sin),
    ("m.cos", lambda m, x: m.cos(x), np.cos),
    ("m.tanh", lambda m, x: m.tanh(x), np.tanh),
    ("m.sigmoid", lambda m, x: m.sigmoid(x), lambda a: 1 / (1 + np.exp(-a))),
    ("m.relu", lambda m, x: m.relu(x), lambda a: np.maximum(a, 0)),
    ("m.abs", lambda m, x: m.abs(x), np.abs),
    ("m.sqrt", lambda m, x: m.sqrt(x.abs()), lambda a: np.sqrt(np.abs(a))),
    ("m.clamp", lambda m, x: m.clamp(x, -0.2, 0.3), lambda a: np.clip(a, -0.2, 0.3)),
    ("m.softmax", lambda m, x: m.softmax(x, 1), lambda a: np.exp(a) / np.exp(a).sum(1, keepdims=True)),
    ("m.log_softmax", lambda m, x: m.log_softmax(x, dim=1), lambda a: a - np.log(np.exp(a).sum(1, keepdims=True))),
    ("m.logsumexp", lambda m, x: m.logsumexp(x, 1), lambda a: np.log(np.exp(a).sum(1))),
    ("m.matmul", lambda m, x: m.matmul(x, x.T), lambda a: a @ a.T),
    ("m.sum", lambda m, x: m.sum(x, 1), lambda a: a.sum(1)),
    ("m.mean", lambda m, x: m.mean(x), lambda a: a.mean()),
    ("m.max", lambda m, x: m.max(x), lambda a: a.max()),
    ("m.max(x, 1)", lambda m, x: m.max(x, 1), lambda a: (a.max(1), a.argmax(1))),
    ("m.min(x, 0)", lambda m, x: m.min(x, 0)[0], lambda a: a.min(0)),
    ("m.maximum", lambda m, x: m.maximum(x, x * 0.5), lambda a: np.maximum(a, a * 0.5)),
    ("m.minimum", lambda m, x: m.minimum(x, x * 0.5), lambda a: np.minimum(a, a * 0.5)),
    ("m.argmax", lambda m, x: m.argmax(x, 1), lambda a: a.argmax(1)),
    ("m.argmin", lambda m, x: m.argmin(x), lambda a: a.argmin()),
    ("m.where", lambda m, x: m.where(x > 0, x, x * 2), lambda a: np.where(a > 0, a, 2 * a)),
    ("m.cat", lambda m, x: m.cat([x, x * 2], 1), lambda a: np.concatenate([a, 2 * a], 1)),
    ("m.cat dim=0", lambda m, x: m.cat([x, x], dim=0), lambda a: np.concatenate([a, a], 0)),
    ("m.stack", lambda m, x: m.stack([x, x * 2]), lambda a: np.stack([a, 2 * a])),
    ("m.stack(dim=2)", lambda m, x: m.stack([x, x], dim=2), lambda a: np.stack([a, a], 2)),
]


def _ours(a: np.ndarray) -> Any:
    return ac.tensor(a, requires_grad=True)


def _numpy(out: Any) -> Any:
    if isinstance(out, tuple):
        return tuple(_numpy(o) for o in out)
    return np.asarray(out.detach().numpy() if hasattr(out, "detach") and not isinstance(out, ac.Tensor)
                      else out.data)


def _check(got: Any, want: Any) -> None:
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            _check(g, w)
        return
    want = np.asarray(want)
    assert got.shape == want.shape
    assert got.dtype.kind == want.dtype.kind, (got.dtype, want.dtype)
    np.testing.assert_allclose(got.astype(float), want.astype(float), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("name", "snippet", "closed"), CASES, ids=[c[0] for c in CASES])
def test_snippet_matches_closed_form(name: str, snippet: Callable, closed: Callable) -> None:
    _check(_numpy(snippet(ac, _ours(A))), closed(A))


def _first(out: Any) -> Any:
    return out[0] if isinstance(out, tuple) else out


@pytest.mark.parametrize(("name", "snippet", "closed"), CASES, ids=[c[0] for c in CASES])
def test_snippet_matches_torch(name: str, snippet: Callable, closed: Callable) -> None:
    torch = pytest.importorskip("torch")
    x, xt = _ours(A), torch.tensor(A, dtype=torch.float64, requires_grad=True)
    ours, theirs = snippet(ac, x), snippet(torch, xt)
    want = tuple(t.detach().numpy() for t in theirs) if isinstance(theirs, tuple) else theirs.detach().numpy()
    _check(_numpy(ours), want)
    if _first(theirs).requires_grad:
        w = np.linspace(-1.0, 1.0, _first(theirs).numel()).reshape(tuple(_first(theirs).shape))
        (_first(theirs) * torch.tensor(w)).sum().backward()
        (_first(ours) * ac.tensor(w)).sum().backward()
        np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-12, atol=1e-12)
    else:
        assert not _first(ours).requires_grad  # comparisons, argmax, integer casts: no gradient


# ---- creation helpers, conversions, Python protocols -----------------------------------------------

CREATION: list[tuple[str, Callable[[Any], Any], Any]] = [
    ("zeros", lambda m: m.zeros(2, 3), np.zeros((2, 3))),
    ("ones tuple", lambda m: m.ones((2, 3)), np.ones((2, 3))),
    ("full", lambda m: m.full((2, 3), 1.5), np.full((2, 3), 1.5)),
    ("eye", lambda m: m.eye(3), np.eye(3)),
    ("eye(2, 3)", lambda m: m.eye(2, 3), np.eye(2, 3)),
    ("arange int", lambda m: m.arange(5), np.arange(5)),
    ("arange float", lambda m: m.arange(1, 2, 0.25), np.arange(1, 2, 0.25)),
    ("linspace", lambda m: m.linspace(0, 1, 5), np.linspace(0, 1, 5)),
    ("tensor ints", lambda m: m.tensor([1, 2, 3]), np.array([1, 2, 3])),
    ("tensor bools", lambda m: m.tensor([True, False]), np.array([True, False])),
    ("zeros_like", lambda m: m.zeros_like(m.ones(2, 2)), np.zeros((2, 2))),
    ("ones_like", lambda m: m.ones_like(m.zeros(3)), np.ones(3)),
    ("full_like", lambda m: m.full_like(m.zeros(3), 2.5), np.full(3, 2.5)),
]


@pytest.mark.parametrize(("name", "make", "want"), CREATION, ids=[c[0] for c in CREATION])
def test_creation_matches_closed_form_and_torch(name: str, make: Callable, want: Any) -> None:
    _check(make(ac).data, want)
    torch = pytest.importorskip("torch")
    theirs = make(torch).numpy()
    np.testing.assert_allclose(make(ac).data, theirs, rtol=1e-7)  # torch's default float is float32
    assert make(ac).dtype.kind == theirs.dtype.kind


def test_random_creation_shapes_dtypes_and_seeding() -> None:
    ac.manual_seed(3)
    a = (ac.rand(2, 3), ac.randn(4), ac.randint(0, 5, (3,)), ac.rand_like(ac.zeros(2)), ac.randn_like(ac.zeros(2)))
    ac.manual_seed(3)
    b = (ac.rand(2, 3), ac.randn(4), ac.randint(0, 5, (3,)), ac.rand_like(ac.zeros(2)), ac.randn_like(ac.zeros(2)))
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p.data, q.data)
    assert a[0].shape == (2, 3) and 0 <= a[0].data.min() and a[0].data.max() < 1
    assert a[2].dtype == np.int64 and set(a[2].tolist()) <= set(range(5))
    g = ac.Generator(5)
    assert ac.randn(3, generator=g).data.tolist() == np.random.default_rng(5).standard_normal(3).tolist()


def test_python_protocols() -> None:
    x = _ours(A)
    assert float(x[0, 1]) == A[0, 1] and int(ac.tensor([7])) == 7
    assert np.asarray(x).dtype == np.float64 and np.asarray(x).shape == (3, 4)  # not an object array
    assert len(x) == 3 and [r.shape for r in x] == [(4,)] * 3
    assert x.size() == (3, 4) and x.size(1) == 4 and x.size(-1) == 4 and x.dim() == 2 and x.numel() == 12
    assert x.tolist() == A.tolist() and x.sum().item() == pytest.approx(A.sum())
    assert isinstance(ac.tensor([3]).item(), int) and isinstance(x[0, 0].item(), float)
    assert bool(ac.tensor(2.0) > 1) is True
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(x > 0)
    assert {x: 1}[x] == 1  # tensors hash by identity, as torch's
    assert ac.allclose(x, x + 1e-9) and not ac.allclose(x, x + 1e-3)
    assert ac.Value(2.0) > 1 and ac.Value(2.0) == 2.0 and ac.Value(1.0) <= ac.Value(1.0)  # like floats
    t = x.detach().requires_grad_()
    assert t.requires_grad and t.is_leaf


@pytest.mark.parametrize(("call", "error", "text"), [
    (lambda x: x.transpose(1, 0, 2), TypeError, r"transpose: PyTorch's transpose swaps two dims.*permute"),
    (lambda x: x.max(axis=1), TypeError, r"max: axis= .*amax\(dim\).*max\(dim\)"),
    (lambda x: x.min(axis=0), TypeError, r"min: axis= .*amin\(dim\)"),
    (lambda x: x.var(axis=0), TypeError, r"var: axis= is numpy's spelling.*N - 1.*var\(dim=...\)"),
    (lambda x: x.std(axis=0), TypeError, r"std: axis= .*correction="),
    (lambda x: x.repeat(2, axis=0), TypeError, r"repeat: axis= .*repeat_interleave"),
    (lambda x: x.cumsum(), TypeError, r"cumsum: dim is required.*flatten\(\).cumsum\(0\)"),
    (lambda x: x.sum(dim=2), IndexError, r"sum: dim 2 is out of range for a tensor with 2 dimensions \(shape \(3, 4\)\)"),
    (lambda x: x.softmax(dim=-3), IndexError, r"softmax: dim -3 is out of range.*\[-2, 1\]"),
    (lambda x: x.sum(dim=0, axis=0), TypeError, r"sum: got both dim= and axis="),
    (lambda x: x.unsqueeze(4), IndexError, r"unsqueeze: dim 4 is out of range for a tensor with 3 dimensions"),
    (lambda x: x.expand(3, 5), ValueError, r"expand: dim 1 has size 4"),
    (lambda x: x.clamp(), ValueError, r"clamp: at least one of min and max"),
    (lambda x: x.clamp(min="a"), TypeError, r"clamp: min must be a number, a tensor or None, got str"),
    (lambda x: x.view(5, 2), ValueError, r"reshape: cannot reshape shape \(3, 4\)"),
    (lambda x: x > "a", TypeError, r"not supported"),
    (lambda x: x.gather(1, ac.tensor([0, 1])), ValueError, r"gather: index must be an integer tensor with 2 dims"),
    (lambda x: x.gather(1, ac.tensor([[4]])), IndexError, r"gather: index 4 is out of range for dim 1 of size 4"),
    (lambda x: ac.tensor([1, 2], requires_grad=True), RuntimeError, r"only floating point tensors can require"),
])
def test_numpy_meanings_and_bad_calls_raise_naming_the_pytorch_form(call: Callable, error: type, text: str) -> None:
    with pytest.raises(error, match=text):
        call(_ours(A))


def test_numpy_aliases_that_mean_the_same_still_work() -> None:
    x = _ours(A)
    np.testing.assert_allclose(x.sum(axis=1, keepdims=True).data, A.sum(1, keepdims=True))
    np.testing.assert_allclose(x.mean(axis=(0, 1)).data, A.mean())
    np.testing.assert_allclose(x.var(axis=0, ddof=0).data, A.var(0))  # explicit ddof: numpy's meaning is clear
    np.testing.assert_allclose(x.amax(axis=0).data, A.max(0))
    np.testing.assert_allclose(x.argmax(axis=1).data, A.argmax(1))
    np.testing.assert_allclose(x.softmax(axis=0).data, np.exp(A) / np.exp(A).sum(0))
    np.testing.assert_allclose(x.clip(0, 1).data, np.clip(A, 0, 1))
    np.testing.assert_allclose(ac.cat([x, x], axis=1).data, np.concatenate([A, A], 1))


def test_max_with_dim_sends_the_gradient_to_the_chosen_element_like_torch() -> None:
    x = ac.tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]], requires_grad=True)
    x.max(1).values.sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 1, 0], [1, 0, 0]])  # the first of the tied maxima
    y = ac.tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    y.amax(1).sum().backward()
    np.testing.assert_array_equal(y.grad, [[0, 0.5, 0.5]])  # amax splits ties evenly


def test_softplus_threshold_and_gelu_forms_match_closed_forms() -> None:
    x = ac.tensor([-3.0, 0.1, 0.6, 25.0], requires_grad=True)
    np.testing.assert_allclose(x.softplus(beta=2.0, threshold=1.0).data,
                               [np.log1p(np.exp(-6.0)) / 2, np.log1p(np.exp(0.2)) / 2, 0.6, 25.0], rtol=1e-14)
    x.softplus(beta=2.0, threshold=1.0).sum().backward()
    np.testing.assert_allclose(x.grad, [1 / (1 + np.exp(6.0)), 1 / (1 + np.exp(-0.2)), 1.0, 1.0], rtol=1e-14)
    import math
    assert ac.Value(1.0).gelu().data == pytest.approx(0.5 * (1 + math.erf(1 / math.sqrt(2))), rel=1e-15)
    assert ac.Value(-200.0).softplus().data == pytest.approx(math.exp(-200.0), rel=1e-14)  # no underflow to 0
    assert ac.Value(800.0).softplus().data == 800.0  # no overflow


def test_random_creation_and_leaf_methods_match_torch_shapes_dtypes_and_flags() -> None:
    torch = pytest.importorskip("torch")
    for m_ours, m_torch in ((ac.rand(2, 3), torch.rand(2, 3, dtype=torch.float64)),
                            (ac.randn(4), torch.randn(4, dtype=torch.float64)),
                            (ac.randint(0, 5, (3, 2)), torch.randint(0, 5, (3, 2))),
                            (ac.randperm(5), torch.randperm(5)),
                            (ac.rand_like(ac.zeros(2)), torch.rand_like(torch.zeros(2, dtype=torch.float64))),
                            (ac.randn_like(ac.zeros(3)), torch.randn_like(torch.zeros(3, dtype=torch.float64)))):
        assert m_ours.shape == tuple(m_torch.shape) and m_ours.dtype == m_torch.numpy().dtype
    assert sorted(ac.randperm(6).tolist()) == list(range(6))
    x, xt = ac.tensor(A, requires_grad=True), torch.tensor(A, requires_grad=True)
    for ours, theirs in ((x.detach(), xt.detach()), (x * 2, xt * 2), (x.detach().requires_grad_(), xt.detach().requires_grad_())):
        assert (ours.requires_grad, ours.is_leaf) == (theirs.requires_grad, theirs.is_leaf)
    np.testing.assert_array_equal(x.detach().numpy(), xt.detach().numpy())
    with ac.no_grad():
        y = x * 2
        with ac.enable_grad():
            z = x * 2
    with torch.no_grad():
        yt = xt * 2
        with torch.enable_grad():
            zt = xt * 2
    assert (y.requires_grad, z.requires_grad) == (yt.requires_grad, zt.requires_grad) == (False, True)


def test_std_and_var_edge_cases_match_torch() -> None:
    """A constant slice has std 0 and gradient 0 (not nan); N - correction <= 0 gives nan, as torch."""
    y = ac.tensor([[2.0, 2.0], [1.0, 3.0]], requires_grad=True)
    y.std(1).sum().backward()
    np.testing.assert_allclose(y.grad, [[0.0, 0.0], [-0.5 ** 0.5, 0.5 ** 0.5]], rtol=1e-15)
    one = ac.tensor([1.0], requires_grad=True)
    out = one.var()
    out.backward()
    assert np.isnan(out.item()) and np.isnan(one.grad).all()
    torch = pytest.importorskip("torch")
    yt = torch.tensor([[2.0, 2.0], [1.0, 3.0]], dtype=torch.float64, requires_grad=True)
    yt.std(1).sum().backward()
    np.testing.assert_allclose(y.grad, yt.grad.numpy(), rtol=1e-15)
