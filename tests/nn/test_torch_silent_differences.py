"""PyTorch as an oracle for the differences issue 25 found: ignore_index on a real class, target gradients,
N-d class losses, weight/pos_weight, type promotion and gradients at NaN inputs."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
TF = torch.nn.functional

import autograd_core as ac  # noqa: E402
from nn import functional as F  # noqa: E402


def _both(ours, theirs, arrays, grad=(0,)):
    """Run both libraries on the same float64 data; compare the result and the gradients of `grad`."""
    mine = [ac.tensor(a, requires_grad=i in grad) for i, a in enumerate(arrays)]
    ref = [torch.tensor(a, requires_grad=i in grad) for i, a in enumerate(arrays)]
    out, want = ours(*mine), theirs(*ref)
    np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-10, atol=1e-12)
    out.sum().backward()
    want.sum().backward()
    for i in grad:
        np.testing.assert_allclose(mine[i].grad, ref[i].grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("ignore_index", [0, 1, 2, -100])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_ignore_index_on_a_real_class(ignore_index, reduction):
    x, y = np.array([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]), np.array([2, 1, 1])
    for ours, theirs in ((F.cross_entropy, TF.cross_entropy), (F.nll_loss, TF.nll_loss)):
        _both(lambda a, b, f=ours: f(a, b, ignore_index=ignore_index, reduction=reduction),
              lambda a, b, f=theirs: f(a, b, ignore_index=ignore_index, reduction=reduction), [x, y])


def test_the_issue_example_and_every_target_ignored():
    x = ac.tensor([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]], requires_grad=True)
    assert F.cross_entropy(x, ac.tensor([2, 1]), ignore_index=1).item() == pytest.approx(0.40760596444, abs=1e-10)
    loss = F.cross_entropy(x, ac.tensor([1, 1]), ignore_index=1)
    loss.backward()
    assert np.isnan(loss.item()) and np.array_equal(x.grad, np.zeros((2, 3)))  # torch: nan, gradient 0


def test_targets_get_gradients():
    rng = np.random.default_rng(0)
    p, t = np.array([0.3, 0.9]), np.array([0.6, 0.2])
    _both(F.binary_cross_entropy, TF.binary_cross_entropy, [p, t], grad=(0, 1))
    x, q = rng.normal(size=(4, 3)), rng.uniform(size=(4, 3))
    _both(F.binary_cross_entropy_with_logits, TF.binary_cross_entropy_with_logits, [x, q], grad=(0, 1))
    soft = rng.dirichlet(np.ones(3), size=4)
    _both(lambda a, b: F.cross_entropy(a, b, label_smoothing=0.1),
          lambda a, b: TF.cross_entropy(a, b, label_smoothing=0.1), [x, soft], grad=(0, 1))
    t0 = ac.tensor(0.6, requires_grad=True)
    F.binary_cross_entropy(ac.tensor(0.3), t0).backward()
    assert t0.grad == pytest.approx(0.8472978603872037, abs=1e-12)  # -(log 0.3 - log 0.7)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_weight_and_pos_weight(reduction):
    rng = np.random.default_rng(1)
    x, t, w, pw = rng.normal(size=(5, 3)), rng.uniform(size=(5, 3)), rng.uniform(size=(3,)), np.array([0.5, 2.0, 3.0])
    _both(lambda a, b: F.binary_cross_entropy_with_logits(a, b, weight=w, pos_weight=pw, reduction=reduction),
          lambda a, b: TF.binary_cross_entropy_with_logits(a, b, weight=torch.tensor(w), pos_weight=torch.tensor(pw),
                                                           reduction=reduction), [x, t], grad=(0, 1))
    p = rng.uniform(0.05, 0.95, size=(5, 3))
    _both(lambda a, b: F.binary_cross_entropy(a, b, weight=w, reduction=reduction),
          lambda a, b: TF.binary_cross_entropy(a, b, weight=torch.tensor(w), reduction=reduction), [p, t], grad=(0, 1))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_class_losses_over_n_c_d1_d2(reduction):
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(2, 3, 4, 5)), rng.integers(0, 3, (2, 4, 5))
    w = np.array([1.0, 2.0, 0.5])
    _both(lambda a, b: F.cross_entropy(a, b, weight=w, ignore_index=2, reduction=reduction, label_smoothing=0.2),
          lambda a, b: TF.cross_entropy(a, b, weight=torch.tensor(w), ignore_index=2, reduction=reduction,
                                        label_smoothing=0.2), [x, y])
    _both(lambda a, b: F.nll_loss(a, b, reduction=reduction), lambda a, b: TF.nll_loss(a, b, reduction=reduction),
          [x, y])
    q = rng.dirichlet(np.ones(3), size=(2, 4, 5)).transpose(0, 3, 1, 2).copy()
    _both(lambda a, b: F.cross_entropy(a, b, reduction=reduction), lambda a, b: TF.cross_entropy(a, b, reduction=reduction),
          [x, q], grad=(0, 1))


def test_reduction_by_position_is_refused_naming_weight():
    with pytest.raises(TypeError, match="third argument is weight, as in torch; pass reduction='sum' by keyword"):
        F.cross_entropy(ac.zeros(2, 3), ac.tensor([0, 1]), "sum")


def test_type_promotion_is_torch_result_type():
    pairs = [(np.float32, [1, 2, 3], np.int64), (np.float32, True, None), (np.int64, True, None),
             (np.float32, 2.0, np.float64), (np.int32, 2, np.int64), (np.float32, 2, np.int32)]
    for left, right, right_dtype in pairs:
        a = np.array([1, 2, 3], dtype=left)
        for op in ("add", "mul", "maximum"):
            ours = getattr(ac, op, None) or getattr(ac.Tensor, op)
            theirs = getattr(torch, op)
            r_ours = ac.tensor(right, dtype=right_dtype) if right_dtype is not None else right
            r_theirs = torch.tensor(right, dtype=getattr(torch, np.dtype(right_dtype).name)) \
                if right_dtype is not None else right
            if op == "maximum" and not right_dtype:
                continue
            got = ours(ac.tensor(a), r_ours)
            want = theirs(torch.tensor(a), r_theirs)
            assert str(got.dtype) == str(want.dtype).replace("torch.", ""), (left, right, op)
            np.testing.assert_array_equal(got.data, want.numpy())
    assert (ac.tensor([1, 2]) + 2.5).dtype == np.float64  # the default float (torch's is float32: documented)
    cond = ac.tensor([True, False, True])
    assert ac.where(cond, ac.ones(3, dtype=ac.float32), ac.tensor([1, 2, 3])).dtype == np.float32


def test_linspace_computes_in_the_requested_dtype():
    start = ac.tensor(0.1, dtype=ac.float32)
    got = ac.linspace(start, 1.0, 7, dtype=ac.float64)
    want = torch.linspace(torch.tensor(0.1, dtype=torch.float32), 1.0, 7, dtype=torch.float64)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got.data, want.numpy(), rtol=0, atol=1e-15)


def test_gradients_at_nan_inputs_are_torchs_and_warn_nothing():
    data = np.array([np.nan, 1.0, -1.0, 0.0])
    other = np.array([0.0, 2.0, -3.0, 0.0])
    cases = [(lambda t, o: t.relu(), None), (lambda t, o: F.elu(t), TF.elu), (lambda t, o: t.abs(), None),
             (lambda t, o: F.leaky_relu(t), TF.leaky_relu), (ac.maximum, torch.maximum), (ac.minimum, torch.minimum)]
    for ours, theirs in cases:
        a, b = ac.tensor(data, requires_grad=True), ac.tensor(other, requires_grad=True)
        ta, tb = torch.tensor(data, requires_grad=True), torch.tensor(other, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ours(a, b).sum().backward()
        unary = theirs in (TF.elu, TF.leaky_relu)
        (theirs(ta) if unary else theirs(ta, tb) if theirs else ours(ta, tb)).sum().backward()
        np.testing.assert_array_equal(a.grad, ta.grad.numpy())
        if theirs and not unary:
            np.testing.assert_array_equal(b.grad, tb.grad.numpy())


def test_nan_through_scalar_values():
    v = ac.Value(float("nan"))
    r = v.relu()
    r.backward()
    assert np.isnan(r.data) and v.grad == 1.0
    a, b = ac.Value(1.0), ac.Value(float("nan"))
    m = ac.max(a, b)
    m.backward()
    assert np.isnan(m.data) and (a.grad, b.grad) == (1.0, 1.0)
